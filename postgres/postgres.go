// Package postgres implements nadra's services on PostgreSQL with PostGIS,
// through pgx: the same services as package sqlite, held to the same
// contract by the conformance suite (storetest), for deployments that
// share one database between several people and processes.
//
// Geometry is stored in PostGIS columns (SRID 4326) with GiST indexes, so
// that QGIS, ogr2ogr and SQL read nadra's tables directly. Migrations are
// embedded, numbered to mirror sqlite's, and run on Open.
//
// Writes take one transaction-scoped advisory lock, so that they run one
// at a time across every process on the database, as SQLite's single
// writer does; reads run in read-only REPEATABLE READ transactions and see
// one snapshot, as SQLite's readers do under WAL.
package postgres

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"time"

	"nadra"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// Advisory lock keys: (lockClass, lockMigrate) serialises migrations,
// (lockClass, lockWrite) every write transaction. Persisted in running
// clusters' lock tables: never change them.
const (
	lockClass   = 0x6e616472 // "nadr"
	lockMigrate = 1
	lockWrite   = 2
)

// DB is a nadra database on PostgreSQL.
type DB struct {
	pool *pgxpool.Pool
	// DSN is the connection URL, postgres://USER:PASSWORD@HOST:PORT/DB?…
	DSN string
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Applied lists the migrations the last Open applied.
	Applied []string
}

// NewDB returns a DB for the database at dsn. Call Open before use.
func NewDB(dsn string) *DB {
	return &DB{DSN: dsn, Now: func() time.Time { return time.Now().UTC() }}
}

// Redact returns dsn with its password hidden, for messages.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// OpenTimeout bounds connecting and migrating in Open.
const OpenTimeout = 60 * time.Second

// Open connects, checks that the server answers, and runs any migrations
// not yet applied.
func (db *DB) Open() error {
	if db.DSN == "" {
		return fmt.Errorf("dsn required")
	}
	cfg, err := pgxpool.ParseConfig(db.DSN)
	if err != nil {
		return fmt.Errorf("%s: %v", Redact(db.DSN), scrub(err, db.DSN))
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "nadra"
	}
	ctx, cancel := context.WithTimeout(context.Background(), OpenTimeout)
	defer cancel()
	if db.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return err
	}
	if err := db.pool.Ping(ctx); err != nil {
		db.pool.Close()
		db.pool = nil
		return fmt.Errorf("connect to %s: %v", Redact(db.DSN), scrub(err, db.DSN))
	}
	if err := db.migrate(ctx); err != nil {
		db.pool.Close()
		db.pool = nil
		return fmt.Errorf("migrate %s: %w", Redact(db.DSN), err)
	}
	return nil
}

// scrub keeps a connection error from repeating the password.
func scrub(err error, dsn string) error {
	u, perr := url.Parse(dsn)
	if perr != nil {
		return err
	}
	pw, ok := u.User.Password()
	if !ok || pw == "" || !strings.Contains(err.Error(), pw) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), pw, "xxxxx"))
}

// Close closes the pool.
func (db *DB) Close() error {
	if db.pool != nil {
		db.pool.Close()
		db.pool = nil
	}
	return nil
}

// Pool returns the connection pool, for tests and tools that need SQL.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Migrations returns the names of the migrations applied to the database.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	applied, err := appliedMigrations(ctx, db.pool)
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

type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// appliedMigrations reads which migrations are applied, without a lock:
// a database that is up to date (the usual case) is never locked on open.
func appliedMigrations(ctx context.Context, q querier) (map[string]bool, error) {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return nil, err
	}
	applied := map[string]bool{}
	if !exists {
		return applied, nil
	}
	rows, err := q.Query(ctx, `SELECT name FROM migrations`)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	for _, n := range names {
		applied[n] = true
	}
	return applied, err
}

// migrate applies the migrations not yet applied, each in its own
// transaction, holding an advisory lock so that two processes starting
// together migrate one after the other.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	applied, err := appliedMigrations(ctx, db.pool)
	if err != nil {
		return err
	}
	todo := 0
	for _, n := range names {
		if !applied[n] {
			todo++
		}
	}
	db.Applied = nil
	if todo == 0 {
		return nil
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, $2)`, lockClass, lockMigrate); err != nil {
		return err
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1, $2)`, lockClass, lockMigrate)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS migrations (name text COLLATE "C" PRIMARY KEY, applied_at timestamptz NOT NULL)`); err != nil {
		return explainPrivilege(err)
	}
	// Read again under the lock: another process may have migrated.
	if applied, err = appliedMigrations(ctx, conn); err != nil {
		return err
	}
	for _, name := range names {
		if applied[name] {
			continue
		}
		buf, err := migrationFS.ReadFile(name)
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(buf)); err != nil {
				return explainPrivilege(err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO migrations (name, applied_at) VALUES ($1, $2)`, name, db.Now().UTC())
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		db.Applied = append(db.Applied, name)
	}
	return nil
}

// explainPrivilege says what to do when the role may not create PostGIS
// or tables.
func explainPrivilege(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42501" { // insufficient_privilege
		return fmt.Errorf("%s; the role needs CREATE on the database's schema, and PostGIS installed by an administrator: CREATE EXTENSION postgis", pe.Message)
	}
	return err
}

// Tx wraps a transaction with the time it began.
type Tx struct {
	pgx.Tx
	db      *DB
	now     time.Time
	changed map[string]bool // tables changed, notified on commit (change.go)
}

// beginRead starts a read-only transaction that sees one snapshot.
func (db *DB) beginRead(ctx context.Context) (*Tx, error) {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, formatError(err)
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC().Truncate(time.Second)}, nil
}

// beginWrite starts a write transaction and takes the write lock: writes
// run one at a time across every process, and each sees every write
// committed before it.
func (db *DB) beginWrite(ctx context.Context) (*Tx, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return nil, formatError(err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockClass, lockWrite); err != nil {
		tx.Rollback(ctx)
		return nil, formatError(err)
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC().Truncate(time.Second)}, nil
}

// rollback ends a transaction that was not committed; after a commit it
// does nothing.
func (tx *Tx) rollback() { tx.Tx.Rollback(context.Background()) }

// Meta returns a meta value, or "" if unset.
func (db *DB) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := db.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return v, formatError(err)
}

func setMeta(ctx context.Context, tx *Tx, key, value string) error {
	_, err := tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return formatError(err)
}

// createImport records an import and returns its id.
func createImport(ctx context.Context, tx *Tx, imp nadra.Import, res nadra.ImportResult) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO imports (kind, file, sha256, inserted, updated, unchanged, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		imp.Kind, imp.File, imp.SHA256, res.Inserted, res.Updated, res.Unchanged, tx.now).Scan(&id)
	return id, formatError(err)
}

func finishImport(ctx context.Context, tx *Tx, id int64, res nadra.ImportResult) error {
	_, err := tx.Exec(ctx, `UPDATE imports SET inserted = $1, updated = $2, unchanged = $3 WHERE id = $4`, res.Inserted, res.Updated, res.Unchanged, id)
	return formatError(err)
}

// formatError translates driver errors into nadra errors at the storage
// boundary: constraint violations and the ledger's append-only rules
// become ECONFLICT, as in package sqlite.
func formatError(err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "23"): // integrity constraint violation, including nadra_refuse
			msg := pe.Message
			if pe.Detail != "" {
				msg += ": " + pe.Detail
			}
			return nadra.Errorf(nadra.ECONFLICT, "%s", msg)
		case pe.Code == "40001" || pe.Code == "40P01": // serialization failure, deadlock
			return nadra.Errorf(nadra.ECONFLICT, "the database is busy with another writer; try again")
		}
	}
	return err
}

// importInTx runs one import in its own write transaction: all of it
// lands or none of it does.
// It notifies table when the import changed something.
func importInTx(ctx context.Context, db *DB, table string, fn func(tx *Tx) (nadra.ImportResult, error)) (nadra.ImportResult, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	defer tx.rollback()
	res, err := fn(tx)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	if res.Inserted+res.Updated > 0 {
		tx.touch(table)
	}
	return res, tx.commit(ctx)
}

// scanRows runs a query and calls each for every row.
func scanRows(ctx context.Context, q querier, sql string, each func(pgx.Rows) error, args ...any) error {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return formatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return formatError(rows.Err())
}

// strs returns a non-nil slice: a nil slice would be stored as NULL.
func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// SchemaVersion is a short hash of every migration's name and text: two
// databases migrated by binaries with one SchemaVersion have one schema.
func SchemaVersion() string {
	names, _ := fs.Glob(migrationFS, "migration/*.sql")
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, _ := migrationFS.ReadFile(n)
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
