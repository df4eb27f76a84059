package dataset

import (
	"fmt"

	"nadra"
)

// Seed returns the embedded dataset as one seed (nadra.SeedService): the
// registry, licences, snapshots, supply tables, deal terms and named
// scenarios, under the dataset's Version. It is what nadra seeds a new
// database with, and what the server's tests and the load bench serve.
func Seed() (nadra.Seed, error) {
	ds, err := Default()
	if err != nil {
		return nadra.Seed{}, fmt.Errorf("embedded dataset: %w", err)
	}
	sup, err := Supply()
	if err != nil {
		return nadra.Seed{}, fmt.Errorf("embedded supply data: %w", err)
	}
	v, err := Version()
	if err != nil {
		return nadra.Seed{}, err
	}
	deals, err := Deals()
	if err != nil {
		return nadra.Seed{}, fmt.Errorf("embedded deal terms: %w", err)
	}
	scenarios, err := Scenarios()
	if err != nil {
		return nadra.Seed{}, fmt.Errorf("embedded scenarios: %w", err)
	}
	return nadra.Seed{Version: v, Commodities: ds.Commodities, Deposits: ds.Deposits,
		Estimates: ds.Estimates, Licences: ds.Licences, Snapshots: ds.Snapshots, Supply: sup,
		Deals: deals, Scenarios: scenarios}, nil
}
