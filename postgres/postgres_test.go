package postgres_test

import (
	"context"
	"testing"
	"time"

	"nadra/internal/pgtest"
	"nadra/postgres"
	"nadra/storetest"
)

// open opens a new database of its own for the test.
func open(t *testing.T, now func() time.Time) *postgres.DB {
	t.Helper()
	db := postgres.NewDB(pgtest.NewDatabase(t))
	db.Now = now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestConformance runs the stores' conformance suite on PostgreSQL.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) *storetest.Store {
		db := open(t, now)
		return &storetest.Store{
			Deposits: postgres.NewDepositService(db), Snapshots: postgres.NewSnapshotService(db), Commodities: postgres.NewCommodityService(db),
			Supply: postgres.NewSupplyService(db), Licences: postgres.NewLicenceService(db), Ledger: postgres.NewLedgerService(db),
			Seed: db, Control: db,
			Exec: func(ctx context.Context, q string) error {
				_, err := db.Pool().Exec(ctx, q)
				return err
			},
		}
	})
}
