package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// TestUpgrade_DataTruth runs a database as the release before issue 11
// left it through this binary: schema without migration 008 (no
// commodity class), the dataset of before (no line of 2022-02-23, Dobra
// still "tendered"), and a user's own correction. The upgrade must add
// the class, the new snapshot and the dataset's corrections, and keep the
// user's edit.
func TestUpgrade_DataTruth(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nadra.db")
	runMain(t, path, nil, "version") // creates and seeds the database

	// The user's correction, through the normal command.
	csvOut, _ := runMain(t, path, nil, "export", "deposits")
	var fix []string
	for i, l := range strings.Split(csvOut, "\n") {
		if i == 0 || strings.HasPrefix(l, "polokhivske,") {
			if strings.HasPrefix(l, "polokhivske,") {
				l = strings.Replace(l, "Polokhivske,", "Polokhivske (user),", 1)
			}
			fix = append(fix, l)
		}
	}
	fixPath := filepath.Join(dir, "fix.csv")
	if err := os.WriteFile(fixPath, []byte(strings.Join(fix, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _ := runMain(t, path, nil, "import", "deposits", fixPath); !strings.Contains(out, "1 updated") {
		t.Fatalf("the user's correction: %s", out)
	}

	// Make it the database of before: undo migration 008 and what this
	// release's dataset changed, as the old dataset wrote it.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`ALTER TABLE commodities DROP COLUMN class`,
		`DELETE FROM migrations WHERE name LIKE '%008_commodity_class.sql'`,
		`DELETE FROM commodities WHERE code = 'coal'`,
		`DELETE FROM snapshots WHERE date = '2022-02-23'`,
		`DELETE FROM dataset_rows WHERE kind = 'snapshot' AND key = '2022-02-23'`,
		`UPDATE deposits SET stage = 'tendered' WHERE id = 'dobra'`,
		`UPDATE meta SET value = 'before-issue-11' WHERE key = 'dataset_version'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	// The new binary: any command migrates and merges the dataset.
	out, stderr := runMain(t, path, nil, "report", "access", "--class", "metallic", "--json")
	if !strings.Contains(stderr, "updating") {
		t.Errorf("the upgrade did not say it updated the dataset: %s", stderr)
	}
	var rep struct {
		Class    string
		Deposits []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Class != "metallic" || len(rep.Deposits) == 0 {
		t.Fatalf("report access --class metallic after the upgrade: class %q, %d deposits", rep.Class, len(rep.Deposits))
	}

	db, err = sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var noClass, coal int
	db.QueryRow(`SELECT COUNT(*) FROM commodities WHERE class = ''`).Scan(&noClass)
	db.QueryRow(`SELECT COUNT(*) FROM commodities WHERE code = 'coal' AND class = 'energy'`).Scan(&coal)
	if noClass != 0 || coal != 1 {
		t.Errorf("commodities after the upgrade: %d without a class, coal %d; want 0 and 1", noClass, coal)
	}
	var snaps int
	db.QueryRow(`SELECT COUNT(*) FROM snapshots WHERE date = '2022-02-23'`).Scan(&snaps)
	if snaps != 1 {
		t.Errorf("the line of 2022-02-23 was not added")
	}
	var stage, name string
	db.QueryRow(`SELECT stage FROM deposits WHERE id = 'dobra'`).Scan(&stage)
	db.QueryRow(`SELECT name FROM deposits WHERE id = 'polokhivske'`).Scan(&name)
	if stage != "licensed" {
		t.Errorf("dobra's stage %q, want the dataset's correction licensed", stage)
	}
	if name != "Polokhivske (user)" {
		t.Errorf("polokhivske's name %q, want the user's edit kept", name)
	}
}
