package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

const migrateHelp = `Usage: nadra migrate [--db PATH|URL] [--json]

Creates the database if needed, applies the migrations it has not had
(each in its own transaction, recorded in its migrations table), and seeds
it from the embedded dataset when it has not seen this dataset's version,
keeping every row you imported or changed. Every command does the same on
first use; run migrate to prepare a database before starting servers on it.

--db is a file path for SQLite, or a postgres://USER@HOST:5432/DATABASE URL
for PostgreSQL with PostGIS (the role needs CREATE on the database's schema;
PostGIS must be installed, or creatable by the role). Several processes may
migrate one PostgreSQL database at once: they take turns.`

// migrateResult is what nadra migrate --json prints.
type migrateResult struct {
	Database   string   `json:"database"`
	Applied    []string `json:"applied"`    // by this run
	Migrations []string `json:"migrations"` // every migration the database has
	Dataset    string   `json:"dataset"`    // the version seeded
}

func (m *Main) runMigrate(ctx context.Context, args []string) error {
	fs := m.flags("migrate", migrateHelp)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	all, err := m.DB.Migrations(ctx)
	if err != nil {
		return err
	}
	v, err := m.DB.SeedVersion(ctx)
	if err != nil {
		return err
	}
	res := migrateResult{Database: m.dbName(), Applied: m.migrated, Migrations: all, Dataset: v}
	if res.Applied == nil {
		res.Applied = []string{}
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	if len(res.Applied) == 0 {
		fmt.Fprintf(m.Stdout, "database %s: up to date, %d migrations applied (latest %s); dataset %s\n", res.Database, len(all), last(all), v)
		return nil
	}
	var names []string
	for _, a := range res.Applied {
		names = append(names, strings.TrimPrefix(a, "migration/"))
	}
	fmt.Fprintf(m.Stdout, "database %s: applied %d migrations (%s), %d in all; dataset %s\n", res.Database, len(res.Applied), strings.Join(names, ", "), len(all), v)
	return nil
}

func last(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.TrimPrefix(s[len(s)-1], "migration/")
}
