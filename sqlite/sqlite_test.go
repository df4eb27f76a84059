package sqlite_test

import (
	"context"
	"database/sql"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"nadra"
	"nadra/sqlite"
	"nadra/storetest"

	_ "modernc.org/sqlite"
)

var dump = flag.Bool("dump", false, "keep each test database in a file under the test's temp dir")

// open opens an empty, migrated database: in memory, or in a file with
// -dump (or when a test needs a second connection).
func open(t *testing.T, now func() time.Time, file bool) (*sqlite.DB, string) {
	t.Helper()
	dsn := ":memory:"
	if *dump || file {
		dsn = filepath.Join(t.TempDir(), "nadra.db")
		if *dump {
			t.Logf("database: %s", dsn)
		}
	}
	db := sqlite.NewDB(dsn)
	db.Now = now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dsn
}

// store is the conformance suite's view of a database.
func store(db *sqlite.DB, exec func(ctx context.Context, q string) error) *storetest.Store {
	return &storetest.Store{
		Deposits: sqlite.NewDepositService(db), Snapshots: sqlite.NewSnapshotService(db), Commodities: sqlite.NewCommodityService(db),
		Supply: sqlite.NewSupplyService(db), Licences: sqlite.NewLicenceService(db), Ledger: sqlite.NewLedgerService(db),
		Seed: db, Control: db, Watches: sqlite.NewWatchService(db), Catalog: sqlite.NewCatalogService(db), Fetches: sqlite.NewWatchService(db), Exec: exec, Tokens: sqlite.NewTokenService(db),
	}
}

// TestConformance runs the stores' conformance suite on SQLite. Exec goes
// through a second connection to the file, as a SQL client would.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) *storetest.Store {
		db, path := open(t, now, true)
		return store(db, func(ctx context.Context, q string) error {
			raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
			if err != nil {
				return err
			}
			defer raw.Close()
			_, err = raw.ExecContext(ctx, q)
			return err
		})
	})
}

func fp(v float64) *float64 { return &v }

// smallSeed is a dataset of one commodity and one deposit.
func smallSeed(version string) nadra.Seed {
	return nadra.Seed{Version: version,
		Commodities: []*nadra.Commodity{{Code: "lithium", Name: "Lithium", Basis: "LCE", ListsSource: "x (2025)", Class: nadra.ClassMetallic}},
		Deposits: []*nadra.Deposit{{ID: "dobra", Name: "Dobra", Oblast: "UA-35", Lat: fp(48.35), Lon: fp(31.05), PrecisionKm: fp(15),
			Commodities: []string{"lithium"}, Sources: []string{"a (2025)"}}}}
}

// TestDB_Reopen: data committed survives closing and reopening the file,
// and migrations do not run twice.
func TestDB_Reopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.db")
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportSeed(context.Background(), smallSeed("test")); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, err := db.SeedVersion(context.Background())
	if err != nil || v != "test" {
		t.Fatalf("seed version after reopen: %q %v", v, err)
	}
}

// TestDB_OpenWhileWriting: opening an up-to-date database and reading it
// need no write lock, so they work while another connection (a long
// import) holds it.
func TestDB_OpenWhileWriting(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "n.db")
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportSeed(ctx, smallSeed("A")); err != nil {
		t.Fatal(err)
	}
	db.Close()

	writer, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	conn, err := writer.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `UPDATE deposits SET name = 'writing' WHERE id = 'dobra'`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)

	reader := sqlite.NewDB(path)
	if err := reader.Open(); err != nil {
		t.Fatalf("open while another connection writes: %v", err)
	}
	defer reader.Close()
	d, err := sqlite.NewDepositService(reader).FindDepositByID(ctx, "dobra")
	if err != nil || d.Name != "Dobra" {
		t.Fatalf("read while another connection writes: %v %v", d, err)
	}
	if v, err := reader.SeedVersion(ctx); err != nil || v != "A" {
		t.Fatalf("seed version: %q %v", v, err)
	}
}
