package mock_test

import (
	"path/filepath"
	"testing"
	"time"

	"nadra/mock"
	"nadra/sqlite"
	"nadra/storetest"
)

// TestConformance runs the conformance suite on mocks that forward to
// SQLite: every mock method passes its arguments and results through
// unchanged.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) *storetest.Store {
		// A file, not :memory:: an in-memory database has one connection, and
		// a ledger read opens a second inside its transaction.
		db := sqlite.NewDB(filepath.Join(t.TempDir(), "nadra.db"))
		db.Now = now
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return &storetest.Store{
			Deposits:    mock.WrapDeposits(sqlite.NewDepositService(db)),
			Snapshots:   mock.WrapSnapshots(sqlite.NewSnapshotService(db)),
			Commodities: mock.WrapCommodities(sqlite.NewCommodityService(db)),
			Supply:      mock.WrapSupply(sqlite.NewSupplyService(db)),
			Licences:    mock.WrapLicences(sqlite.NewLicenceService(db)),
			Ledger:      mock.WrapLedger(sqlite.NewLedgerService(db)),
			Seed:        mock.WrapSeed(db),
			Control:     mock.WrapControlFiles(db),
			Watches:     mock.WrapWatches(sqlite.NewWatchService(db)),
			Fetches:     mock.WrapFetches(sqlite.NewWatchService(db)),
			Catalog:     mock.WrapCatalog(sqlite.NewCatalogService(db)),
		}
	})
}
