package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"nadra"
	"nadra/postgres"
	"nadra/sqlite"
)

// database is what Main needs of a store beside its services: the seed,
// the control files imported, and its migrations. sqlite.DB and
// postgres.DB implement it.
type database interface {
	nadra.SeedService
	nadra.ControlFileService
	// Migrations returns the names of the migrations applied.
	Migrations(ctx context.Context) ([]string, error)
	Close() error
}

var (
	_ database = (*sqlite.DB)(nil)
	_ database = (*postgres.DB)(nil)
)

// watchStore keeps watches, their events and deliveries, and fetch runs.
type watchStore interface {
	nadra.WatchService
	nadra.FetchService
}

// Store kinds, by the --db value.
const (
	storeSQLite   = "sqlite"
	storePostgres = "postgres"
)

// schemeRE matches a URL scheme: two or more characters, so that a
// Windows drive letter (C:\…) is a path.
var schemeRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]+):`)

// storeKind says which store a --db value names: a postgres:// or
// postgresql:// URL is PostgreSQL; any other URL scheme is refused, so
// that a mistyped URL does not become a SQLite file in a folder named
// after it; anything else is the path of a SQLite file.
func storeKind(v string) (string, error) {
	m := schemeRE.FindStringSubmatch(v)
	if m == nil {
		return storeSQLite, nil
	}
	switch strings.ToLower(m[1]) {
	case "postgres", "postgresql":
		if !strings.HasPrefix(v[len(m[0]):], "//") {
			return "", nadra.Errorf(nadra.EINVALID, "--db %s:…: a PostgreSQL URL starts postgres://, as in postgres://USER@HOST:5432/DATABASE", m[1])
		}
		return storePostgres, nil
	}
	return "", nadra.Errorf(nadra.EINVALID, "--db %s:…: URL scheme %q is not supported; give a file path for SQLite (./%s if the name really starts so) or postgres://USER@HOST:5432/DATABASE for PostgreSQL", m[1], m[1], v[:len(m[0])])
}

// dbName is the database as shown to people: a PostgreSQL URL without its
// password.
func (m *Main) dbName() string {
	if k, _ := storeKind(m.DBPath); k == storePostgres {
		return postgres.Redact(m.DBPath)
	}
	return m.DBPath
}

// openStore opens the database dsn names, migrating it if needed, and
// fills in m's services; it returns the migrations it applied.
func (m *Main) openStore(dsn string) ([]string, error) {
	kind, err := storeKind(dsn)
	if err != nil {
		return nil, err
	}
	if kind == storePostgres {
		db := postgres.NewDB(dsn)
		if err := db.Open(); err != nil {
			return nil, nadra.Errorf(nadra.EINVALID, "cannot open the database %s: %v", postgres.Redact(dsn), err)
		}
		m.DB, m.DBPath = db, dsn
		m.Deposits = postgres.NewDepositService(db)
		m.Snapshots = postgres.NewSnapshotService(db)
		m.Commodities = postgres.NewCommodityService(db)
		m.Supply = postgres.NewSupplyService(db)
		m.Licences = postgres.NewLicenceService(db)
		m.Ledger = postgres.NewLedgerService(db)
		m.Audit = postgres.NewLedgerService(db)
		m.Tokens = postgres.NewTokenService(db)
		m.Watches = postgres.NewWatchService(db)
		m.Catalog = postgres.NewCatalogService(db)
		return db.Applied, nil
	}
	if err := os.MkdirAll(filepath.Dir(dsn), 0o755); err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "cannot create the database folder: %v", err)
	}
	db := sqlite.NewDB(dsn)
	if err := db.Open(); err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "cannot open the database %s: %v", dsn, err)
	}
	m.DB, m.DBPath = db, dsn
	m.Deposits = sqlite.NewDepositService(db)
	m.Snapshots = sqlite.NewSnapshotService(db)
	m.Commodities = sqlite.NewCommodityService(db)
	m.Supply = sqlite.NewSupplyService(db)
	m.Licences = sqlite.NewLicenceService(db)
	m.Ledger = sqlite.NewLedgerService(db)
	m.Audit = sqlite.NewLedgerService(db)
	m.Tokens = sqlite.NewTokenService(db)
	m.Watches = sqlite.NewWatchService(db)
	m.Catalog = sqlite.NewCatalogService(db)
	return db.Applied, nil
}

// watches returns the store's watch service. Every store has one; the
// error is a safety net for a Main built without a store.
func (m *Main) watches() (watchStore, error) {
	if m.Watches == nil {
		return nil, nadra.Errorf(nadra.EINVALID, "no database is open with watch tables (%s)", m.dbName())
	}
	return m.Watches, nil
}
