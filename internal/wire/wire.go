// Package wire connects nadra's HTTP server to a store and to the
// embedded dataset. It is the one place that does: nadra serve, the
// server's tests and the load bench all go through Server, so that the
// server itself imports neither a store nor the dataset.
package wire

import (
	"nadra"
	"nadra/dataset"
	"nadra/server"
	"nadra/sqlite"
)

// Stores are the services of one database that the server reads
// (sqlite or postgres).
type Stores struct {
	Deposits    nadra.DepositService
	Snapshots   nadra.SnapshotService
	Commodities nadra.CommodityService
	Supply      nadra.SupplyService
	Licences    nadra.LicenceService
	Ledger      server.LedgerService
	Catalog     nadra.CatalogService
}

// SQLite returns the services of an open SQLite database.
func SQLite(db *sqlite.DB) Stores {
	return Stores{
		Deposits:    sqlite.NewDepositService(db),
		Snapshots:   sqlite.NewSnapshotService(db),
		Commodities: sqlite.NewCommodityService(db),
		Supply:      sqlite.NewSupplyService(db),
		Licences:    sqlite.NewLicenceService(db),
		Ledger:      sqlite.NewLedgerService(db),
		Catalog:     sqlite.NewCatalogService(db),
	}
}

// Server gives s the stores' services and what it serves from the
// embedded dataset: the boundaries, the public journal, the deal model's
// parameters, the claims register, the shipped scenario files, and the
// dataset's parts and licences. The rest (address, logger, tokens,
// watches, imports) is the caller's.
func Server(s *server.Server, st Stores) error {
	b, err := dataset.Boundaries()
	if err != nil {
		return err
	}
	files, err := dataset.ScenarioFS()
	if err != nil {
		return err
	}
	s.Deposits, s.Snapshots, s.Commodities, s.Supply = st.Deposits, st.Snapshots, st.Commodities, st.Supply
	s.Licences, s.Ledger, s.Catalog = st.Licences, st.Ledger, st.Catalog
	s.Boundaries = b
	s.PublicJournal, s.ModelParams, s.Claims = dataset.Public, dataset.ModelParams, dataset.Claims
	s.ScenarioFiles, s.DataParts, s.SnapshotsEmbedded = files, dataset.Parts(), dataset.SnapshotsEmbedded
	return nil
}
