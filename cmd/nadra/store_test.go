package main_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"nadra/internal/pgtest"
)

// runDB runs the binary in dir with NADRA_DB set to db.
func runDB(t *testing.T, dir, db string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"NADRA_DB=" + db, "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

// TestE2E_DBScheme: --db and NADRA_DB choose the store by value; a URL of
// any scheme but postgres is refused, and nothing is created (nadra used
// to make a SQLite file in a folder named "postgres:").
func TestE2E_DBScheme(t *testing.T) {
	for _, tt := range []struct{ db, want string }{
		{"mysql://me@db.example/nadra", `URL scheme "mysql" is not supported`},
		{"sqlite:///tmp/x.db", `URL scheme "sqlite" is not supported`},
		{"file:nadra.db", `URL scheme "file" is not supported`},
		{"postgres:nadra", "a PostgreSQL URL starts postgres://"},
		{"HTTP://example.org/db", `URL scheme "HTTP" is not supported`},
	} {
		t.Run(tt.db, func(t *testing.T) {
			for _, how := range []string{"flag", "env"} {
				dir := t.TempDir()
				var r result
				if how == "flag" {
					r = runDB(t, dir, filepath.Join(dir, "unused.db"), "report", "access", "--db", tt.db)
				} else {
					r = runDB(t, dir, tt.db, "report", "access")
				}
				if r.code != 1 || !strings.Contains(r.stderr, tt.want) {
					t.Fatalf("%s: exit %d, stderr %q; want 1 and %q", how, r.code, r.stderr, tt.want)
				}
				if strings.Contains(r.stderr, "me@db") {
					t.Errorf("the refusal repeats the URL: %q", r.stderr)
				}
				if ents, _ := os.ReadDir(dir); len(ents) != 0 {
					t.Fatalf("%s: a refused --db created %v", how, ents[0].Name())
				}
			}
		})
	}
}

var updatedAt = regexp.MustCompile(`"updated_at": "[^"]*"`)

// TestE2E_Postgres runs the same commands on SQLite and on PostgreSQL and
// compares what they print: migrate, import, reports, exports, the
// dataset's status.
func TestE2E_Postgres(t *testing.T) {
	dsn := pgtest.NewEmptyDatabase(t)
	dir := t.TempDir()
	lite := filepath.Join(dir, "nadra.db")

	r := runDB(t, dir, dsn, "migrate")
	if r.code != 0 || !strings.Contains(r.stdout, "applied 7 migrations (001_init.sql,") || !strings.Contains(r.stderr, "seeding postgres://") {
		t.Fatalf("migrate: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r = runDB(t, dir, dsn, "migrate"); r.code != 0 || !strings.Contains(r.stdout, "up to date, 7 migrations applied") || r.stderr != "" {
		t.Fatalf("migrate again: %d %q %q", r.code, r.stdout, r.stderr)
	}
	mine := "id,name,name_uk,oblast,lat,lon,precision_km,commodities,stage,coords_note,note,sources\n" +
		"test-site,Test site,,UA-14,48.1,37.6,3,lithium;tantalum,explored,surveyed point,,https://example.org/report (2026-01-01)\n"
	os.WriteFile(filepath.Join(dir, "mine.csv"), []byte(mine), 0o644)
	bad := mine + "test-site-2,Second,,UA-35,not-a-lat,31,3,lithium,,x,,https://example.org (2026)\n"
	os.WriteFile(filepath.Join(dir, "bad.csv"), []byte(bad), 0o644)
	steps := [][]string{
		{"import", "deposits", "mine.csv", "--json"},
		{"import", "deposits", "mine.csv", "--json"},
		{"import", "deposits", "bad.csv"},
		{"report", "access", "--json"},
		{"report", "access", "--date", "2024-06-01"},
		{"report", "timeline", "--json"},
		{"report", "supply", "--json"},
		{"export", "deposits", "--format", "geojson"},
		{"export", "estimates"},
		{"export", "control", "--date", "2025-02-12"},
		{"licences", "--json"},
		{"dataset", "status", "--json"},
		{"dataset", "diff", "--all", "--json"},
		{"claims", "--json"},
	}
	for _, args := range steps {
		a := runDB(t, dir, lite, args...)
		b := runDB(t, dir, dsn, args...)
		if a.code != b.code || a.stdout != b.stdout && updatedAt.ReplaceAllString(a.stdout, "") != updatedAt.ReplaceAllString(b.stdout, "") {
			t.Errorf("nadra %s: SQLite and PostgreSQL differ:\nexit %d %d\nSQLite: %.300s\nPostgreSQL: %.300s", strings.Join(args, " "), a.code, b.code, a.stdout, b.stdout)
		}
		if strings.Join(args, " ") == "import deposits bad.csv" && (b.code != 1 || !strings.Contains(b.stderr, "bad.csv:3: lat:")) {
			t.Errorf("nadra %s on PostgreSQL: %q", strings.Join(args, " "), b.stderr)
		}
	}
}
