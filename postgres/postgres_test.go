package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"nadra"
	"nadra/internal/pgtest"
	"nadra/ledger"
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
			Seed: db, Control: db, Tokens: postgres.NewTokenService(db), Watches: postgres.NewWatchService(db), Catalog: postgres.NewCatalogService(db), Fetches: postgres.NewWatchService(db),
			Exec: func(ctx context.Context, q string) error {
				_, err := db.Pool().Exec(ctx, q)
				return err
			},
		}
	})
}

// TestDB_WatchChanges: a committed write is reported with its tables, a
// refused one is not, and after the listening connection is killed the
// watcher says so, listens again and reports "anything may have changed".
func TestDB_WatchChanges(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := open(t, func() time.Time { return storetest.Now })
	events := make(chan string, 100)
	go db.WatchChanges(ctx, func(tables []string) {
		if tables == nil {
			events <- "listening"
			return
		}
		events <- strings.Join(tables, ",")
	}, func(err error) { events <- "down" })
	next := func(want string) {
		t.Helper()
		select {
		case got := <-events:
			if got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no event; want %q", want)
		}
	}
	next("listening")
	if _, err := db.ImportSeed(ctx, nadra.Seed{Version: "v", Commodities: []*nadra.Commodity{{Code: "lithium", Name: "Lithium", Basis: "LCE", ListsSource: "x (2025)", Class: nadra.ClassMetallic}}}); err != nil {
		t.Fatal(err)
	}
	next("catalog,licences,registry,snapshots,supply")
	deps := postgres.NewDepositService(db)
	bad := &nadra.Deposit{ID: "x", Name: "X", Oblast: "UA-14", Commodities: []string{"unobtainium"}, Sources: []string{"s (2025)"}}
	if _, err := deps.ImportDeposits(ctx, nadra.Import{Kind: "deposits", File: "x.csv"}, []*nadra.Deposit{bad}); err == nil {
		t.Fatal("a bad import succeeded")
	}
	good := &nadra.Deposit{ID: "x", Name: "X", Oblast: "UA-14", Commodities: []string{"lithium"}, Sources: []string{"s (2025)"}}
	if _, err := deps.ImportDeposits(ctx, nadra.Import{Kind: "deposits", File: "x.csv"}, []*nadra.Deposit{good}); err != nil {
		t.Fatal(err)
	}
	next("registry") // and nothing for the refused import before it
	// The same file again changes nothing, and says nothing.
	if _, err := deps.ImportDeposits(ctx, nadra.Import{Kind: "deposits", File: "x.csv"}, []*nadra.Deposit{good}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Pool().QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query ILIKE 'listen%' AND datname = current_database()`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("terminated %d listeners, %v; want 1", n, err)
	}
	next("down")
	next("listening")
	f := postgres.NewLedgerService(db)
	if err := f.RegisterKey(ctx, nadra.LedgerKey{Name: "US", Role: nadra.RoleParty, Key: usKey(t)}); err != nil {
		t.Fatal(err)
	}
	next("ledger")
}

func usKey(t *testing.T) string {
	_, vkey, err := ledger.GenerateKey(nil, "US")
	if err != nil {
		t.Fatal(err)
	}
	return vkey
}
