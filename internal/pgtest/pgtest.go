// Package pgtest gives tests a PostgreSQL database of their own, on the
// server that NADRA_TEST_POSTGRES names (a postgres:// URL of a role that
// may create databases; .ci/run starts a throwaway cluster and sets it).
// Without it, the tests that need PostgreSQL skip, saying so.
//
// Each database is a copy of a template made once per schema version,
// with a collation unlike byte order:
// one with PostGIS and nadra's migrations applied, one with PostGIS only.
// Copies are dropped when their test ends; templates stay, named by the
// schema version (nadra_tmpl_…), so that the next run starts fast.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"nadra/postgres"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Env names the server for tests.
const Env = "NADRA_TEST_POSTGRES"

// lockTemplates serialises making templates across test processes.
const lockTemplates = 0x6e616473

var (
	mu      sync.Mutex
	made    = map[string]bool{}
	counter atomic.Int64
)

// URL returns the server's URL, or skips the test when Env is not set.
func URL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(Env)
	if u == "" {
		tb.Skipf("%s is not set: no PostgreSQL server to test against (README: Tests)", Env)
	}
	return u
}

// WithDatabase returns dsn with its database replaced by name.
func WithDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

// NewDatabase creates a database with nadra's schema (migrated, empty)
// for one test and returns its URL. It is dropped when the test ends.
func NewDatabase(tb testing.TB) string { return newDatabase(tb, true) }

// NewEmptyDatabase creates a database with PostGIS and nothing else, for
// tests of migrating.
func NewEmptyDatabase(tb testing.TB) string { return newDatabase(tb, false) }

func newDatabase(tb testing.TB, migrated bool) string {
	tb.Helper()
	admin := URL(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatalf("connect to %s: %v", postgres.Redact(admin), err)
	}
	defer conn.Close(ctx)
	tmpl := "nadra_tmpl_postgis"
	if migrated {
		tmpl = "nadra_tmpl_" + postgres.SchemaVersion()
	}
	if err := ensureTemplate(ctx, conn, admin, tmpl, migrated); err != nil {
		tb.Fatalf("template %s: %v", tmpl, err)
	}
	name := fmt.Sprintf("nadra_t%d_%d_%d", os.Getpid(), counter.Add(1), time.Now().UnixNano()%1e6)
	// A template may not be copied while someone is connected to it: the
	// pool that migrated it may take a moment to go.
	for i := 0; ; i++ {
		_, err = conn.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE `+tmpl)
		var pe *pgconn.PgError
		if err == nil || !errors.As(err, &pe) || pe.Code != "55006" || i == 50 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		tb.Fatalf("create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			tb.Errorf("drop database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	return WithDatabase(admin, name)
}

// ensureTemplate makes the template once, under a lock shared by every
// test process on the server.
func ensureTemplate(ctx context.Context, conn *pgx.Conn, admin, tmpl string, migrated bool) error {
	mu.Lock()
	defer mu.Unlock()
	if made[tmpl] {
		return nil
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lockTemplates); err != nil {
		return err
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, lockTemplates)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, tmpl).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if err := makeTemplate(ctx, conn, admin, tmpl, migrated); err != nil {
			conn.Exec(context.Background(), `DROP DATABASE IF EXISTS `+tmpl+` WITH (FORCE)`)
			return err
		}
	}
	made[tmpl] = true
	return nil
}

func makeTemplate(ctx context.Context, conn *pgx.Conn, admin, tmpl string, migrated bool) error {
	// An ICU collation that ignores punctuation and puts "a" before "B",
	// unlike byte order: the conformance suite's order tests then fail on
	// any column that forgets COLLATE "C". A server without ICU gets its
	// default.
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+tmpl+` TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'und-u-ka-shifted' LOCALE 'C.UTF-8'`); err != nil {
		if _, err := conn.Exec(ctx, `CREATE DATABASE `+tmpl); err != nil {
			return err
		}
	}
	dsn := WithDatabase(admin, tmpl)
	if !migrated {
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		defer c.Close(ctx)
		_, err = c.Exec(ctx, `CREATE EXTENSION postgis`)
		return err
	}
	db := postgres.NewDB(dsn)
	if err := db.Open(); err != nil {
		return err
	}
	return db.Close()
}
