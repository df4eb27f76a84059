// Package sqlite implements nadra's services on SQLite through the pure-Go
// driver modernc.org/sqlite: one file, WAL journal, embedded migrations.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"nadra"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// DB is a nadra database.
type DB struct {
	db  *sql.DB
	DSN string
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Applied lists the migrations the last Open applied.
	Applied []string
}

// NewDB returns a DB for the file at dsn. Call Open before use.
func NewDB(dsn string) *DB {
	return &DB{DSN: dsn, Now: func() time.Time { return time.Now().UTC() }}
}

// Open opens the database, turns on WAL and foreign keys, and runs any
// migrations not yet applied.
func (db *DB) Open() error {
	if db.DSN == "" {
		return fmt.Errorf("dsn required")
	}
	// _txlock=immediate: writers take the lock when the transaction
	// starts, so two imports never deadlock upgrading a read lock.
	// busy_timeout: wait for another process's write instead of failing.
	// foreign_keys: SQLite leaves them off unless asked, per connection.
	// synchronous(FULL): a commit is on disk when it returns, so a ledger
	// append or an import that reported success survives a power cut, not
	// only a killed process (NORMAL in WAL mode may lose the last commits
	// on power loss). It costs one fsync per transaction.
	dsn := "file:" + db.DSN + "?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"
	if db.DSN == ":memory:" {
		dsn = "file::memory:?_pragma=foreign_keys(1)"
	}
	var err error
	if db.db, err = sql.Open("sqlite", dsn); err != nil {
		return err
	}
	if db.DSN == ":memory:" {
		db.db.SetMaxOpenConns(1) // each connection would get its own database
	}
	if err := db.db.Ping(); err != nil {
		return fmt.Errorf("open %s: %w", db.DSN, err)
	}
	if err := db.migrate(); err != nil {
		return fmt.Errorf("migrate %s: %w", db.DSN, err)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
	}
	return db.db.Close()
}

// migrate runs the migrations not yet applied. It first reads, without
// any lock, which are applied: a database that is up to date (the usual
// case) is never locked for writing on open, so readers keep working while
// a long import holds the write lock.
func (db *DB) migrate() error {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	applied, err := db.appliedMigrations()
	if err != nil {
		return err
	}
	var todo []string
	for _, name := range names {
		if !applied[name] {
			todo = append(todo, name)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	if _, err := db.db.Exec(`CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY)`); err != nil {
		return err
	}
	db.Applied = nil
	for _, name := range todo {
		applied, err := db.migrateFile(name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if applied {
			db.Applied = append(db.Applied, name)
		}
	}
	return nil
}

// Migrations returns the names of the migrations applied to the database.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	applied, err := db.appliedMigrations()
	if err != nil {
		return nil, err
	}
	var out []string
	for n := range applied {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

// appliedMigrations returns the names of the migrations applied, with plain
// reads (no transaction that could wait for a writer).
func (db *DB) appliedMigrations() (map[string]bool, error) {
	var n int
	if err := db.db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'migrations'`).Scan(&n); err != nil {
		return nil, err
	}
	applied := map[string]bool{}
	if n == 0 {
		return applied, nil
	}
	rows, err := db.db.Query(`SELECT name FROM migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		applied[name] = true
	}
	return applied, rows.Err()
}

// migrateFile applies one migration in its own transaction, unless another
// process applied it meanwhile; it reports whether it applied it.
func (db *DB) migrateFile(name string) (bool, error) {
	tx, err := db.db.Begin()
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	buf, err := migrationFS.ReadFile(name)
	if err != nil {
		return false, err
	}
	if _, err := tx.Exec(string(buf)); err != nil {
		return false, err
	}
	if _, err := tx.Exec(`INSERT INTO migrations (name) VALUES (?)`, name); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// Tx wraps a transaction with the time it began.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
}

// BeginTx starts a transaction.
func (db *DB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, formatError(err)
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC().Truncate(time.Second)}, nil
}

// Meta returns a meta value, or "" if unset.
func (db *DB) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, formatError(err)
}

func setMeta(ctx context.Context, tx *Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// createImport records an import and returns its id.
func createImport(ctx context.Context, tx *Tx, imp nadra.Import, res nadra.ImportResult) (int64, error) {
	r, err := tx.ExecContext(ctx, `INSERT INTO imports (kind, file, sha256, inserted, updated, unchanged, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		imp.Kind, imp.File, imp.SHA256, res.Inserted, res.Updated, res.Unchanged, tx.now.Format(time.RFC3339))
	if err != nil {
		return 0, err
	}
	return r.LastInsertId()
}

func finishImport(ctx context.Context, tx *Tx, id int64, res nadra.ImportResult) error {
	_, err := tx.ExecContext(ctx, `UPDATE imports SET inserted = ?, updated = ?, unchanged = ? WHERE id = ?`, res.Inserted, res.Updated, res.Unchanged, id)
	return err
}

// formatError translates driver errors into nadra errors at the storage
// boundary: constraint violations become ECONFLICT, a busy database an
// explanation.
func formatError(err error) error {
	if err == nil {
		return nil
	}
	var se *msqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CONSTRAINT:
			return nadra.Errorf(nadra.ECONFLICT, "%s", strings.TrimPrefix(se.Error(), "constraint failed: "))
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return nadra.Errorf(nadra.ECONFLICT, "the database is busy with another writer; try again")
		}
	}
	return err
}

// importInTx runs one import in its own transaction: all of it lands or
// none of it does.
func importInTx(ctx context.Context, db *DB, fn func(tx *Tx) (nadra.ImportResult, error)) (nadra.ImportResult, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	defer tx.Rollback()
	res, err := fn(tx)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	return res, formatError(tx.Commit())
}
