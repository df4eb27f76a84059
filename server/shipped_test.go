package server_test

import (
	"sync"
	"testing"

	"nadra/dataset"
)

// shippedCounts are what the embedded dataset holds, read from it so
// that the HTTP tests do not break on every data edit.
type shippedCounts struct {
	Deposits, Snapshots, Commodities int
	Located                          int    // deposits with a point
	Estimates                        int    // published figures
	First, Latest                    string // the first and the latest snapshot's dates
}

var loadShipped = sync.OnceValues(func() (shippedCounts, error) {
	ds, err := dataset.Default()
	if err != nil {
		return shippedCounts{}, err
	}
	c := shippedCounts{Deposits: len(ds.Deposits), Snapshots: len(ds.Snapshots), Commodities: len(ds.Commodities),
		Estimates: len(ds.Estimates), First: ds.Snapshots[0].Date, Latest: ds.Snapshots[len(ds.Snapshots)-1].Date}
	for _, d := range ds.Deposits {
		if d.HasLocation() {
			c.Located++
		}
	}
	return c, nil
})

// shipped returns the embedded dataset's counts.
func shipped(tb testing.TB) shippedCounts {
	tb.Helper()
	c, err := loadShipped()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
