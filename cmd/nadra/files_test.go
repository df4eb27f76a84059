//go:build unix

package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"nadra/dataset"
	"nadra/sqlite"
)

// newTestMain returns a Main on buffers, with no environment, whose
// database is path (created and seeded on first use).
func newTestMain(path string) (*Main, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	m := NewMain()
	m.Stdout, m.Stderr, m.Stdin, m.DBPath = &out, &errb, strings.NewReader(""), path
	// --db resets DBPath when flags are parsed; NADRA_DB keeps the path.
	m.Getenv = func(k string) string {
		if k == "NADRA_DB" {
			return path
		}
		return ""
	}
	return m, &out, &errb
}

// mustSeed creates and seeds a database at path and closes it.
func mustSeed(t *testing.T, path string) {
	t.Helper()
	m, _, _ := newTestMain(path)
	if err := m.open(context.Background()); err != nil {
		t.Fatal(err)
	}
	m.Close()
}

// dumpDB returns every row of every table of the database at path, as
// text, to compare a database's content before and after a command.
func dumpDB(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, tbl := range tables {
		rows, err := db.Query(`SELECT * FROM "` + tbl + `" ORDER BY rowid`)
		if err != nil {
			rows, err = db.Query(`SELECT * FROM "` + tbl + `"`) // WITHOUT ROWID
			if err != nil {
				t.Fatal(err)
			}
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		n := 0
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s: %v\n", tbl, vals)
			n++
		}
		rows.Close()
		if n == 0 {
			fmt.Fprintf(&b, "%s: empty\n", tbl)
		}
	}
	return b.String()
}

// endless is an endless input that cancels the command's context once it
// has given `after` bytes: Ctrl-C while nadra reads standard input, with
// no timing involved.
type endless struct {
	n, after int
	cancel   func()
}

func (e *endless) Read(p []byte) (int, error) {
	const text = "a,b,c\n"
	for i := range p {
		p[i] = text[(e.n+i)%len(text)]
	}
	e.n += len(p)
	if e.n >= e.after {
		e.cancel()
	}
	return len(p), nil
}

// TestImport_InterruptedWhileReading interrupts each kind of import while
// it reads an endless standard input: it must stop, say so, exit 1 and
// leave the database as it was.
func TestImport_InterruptedWhileReading(t *testing.T) {
	db := filepath.Join(t.TempDir(), "nadra.db")
	mustSeed(t, db)
	before := dumpDB(t, db)
	for _, kind := range []string{"deposits", "estimates", "production", "control"} {
		t.Run(kind, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			m, _, stderr := newTestMain(db)
			m.Stdin = &endless{after: 1 << 20, cancel: cancel}
			code := m.Run(ctx, []string{"import", kind, "-", "--db", db})
			if code != exitError {
				t.Errorf("exit %d, want %d; stderr %q", code, exitError, stderr)
			}
			if want := "nadra import: interrupted; nothing was imported\n"; stderr.String() != want {
				t.Errorf("stderr %q, want %q", stderr, want)
			}
			if after := dumpDB(t, db); after != before {
				t.Errorf("the database changed")
			}
		})
	}
}

// TestImport_InterruptedInTransaction interrupts an import of a good file
// inside its transaction (the database's clock, read as the transaction
// begins, cancels the context): nothing of it may land.
func TestImport_InterruptedInTransaction(t *testing.T) {
	csv, err := dataset.File("deposits.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(csv), "\n", 3)
	const old = "shevchenkivske,Shevchenkivske,Шевченківське,"
	if !strings.HasPrefix(lines[1], old) {
		t.Fatalf("deposits.csv's first row has changed: %.60s", lines[1])
	}
	input := lines[0] + "\nzz-interrupt,Interrupt test,Тест," + strings.TrimPrefix(lines[1], old) + "\n"

	for _, interrupt := range []bool{false, true} {
		t.Run(fmt.Sprintf("interrupt=%t", interrupt), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "nadra.db")
			mustSeed(t, db)
			before := dumpDB(t, db)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			m, stdout, stderr := newTestMain(db)
			m.Stdin = strings.NewReader(input)
			if err := m.open(ctx); err != nil {
				t.Fatal(err)
			}
			began := 0
			m.DB.(*sqlite.DB).Now = func() time.Time {
				began++
				if interrupt {
					cancel()
				}
				return time.Now()
			}
			code := m.Run(ctx, []string{"import", "deposits", "-", "--db", db})
			after := dumpDB(t, db)
			if !interrupt {
				// The control: the same import, not interrupted, lands.
				if code != exitOK || !strings.Contains(stdout.String(), "1 added") || after == before {
					t.Fatalf("exit %d, stdout %q, stderr %q, changed %t", code, stdout, stderr, after != before)
				}
				return
			}
			if began != 1 {
				t.Fatalf("%d transactions began, want 1", began)
			}
			if code != exitError || stderr.String() != "nadra import: interrupted; nothing was imported\n" {
				t.Errorf("exit %d, stderr %q; want %d and the interrupted message", code, stderr, exitError)
			}
			if after != before {
				t.Errorf("the database changed")
			}
		})
	}
}

// TestImportControl_InterruptedBetweenFiles interrupts a directory import
// in its second file's transaction: the first stays imported, the second
// does not, and the message says so.
func TestImportControl_InterruptedBetweenFiles(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "nadra.db")
	names := []string{"deepstate_2025-06-01_1748806839.geojson", "deepstate_2025-07-01_1751400934.geojson"}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata/control", n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustSeed(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, stdout, stderr := newTestMain(db)
	if err := m.open(ctx); err != nil {
		t.Fatal(err)
	}
	began := 0
	m.DB.(*sqlite.DB).Now = func() time.Time {
		if began++; began == 2 {
			cancel()
		}
		return time.Now()
	}
	// The test files are slices of the front: --force lets them replace the
	// whole snapshots of their dates.
	code := m.Run(ctx, []string{"import", "control", dir, "--db", db, "--json", "--force"})
	want := fmt.Sprintf("nadra import: interrupted; nothing was imported from %s; the file imported before it is kept\n", filepath.Join(dir, names[1]))
	if code != exitError || stderr.String() != want {
		t.Fatalf("exit %d, stderr %q; want %d, %q", code, stderr, exitError, want)
	}
	for i, want := range []string{`"updated": 1`, `"error": "interrupted; nothing was imported from it"`} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("file %d: %q not in %s", i, want, stdout)
		}
	}
	// The second file is not recorded as seen: importing again imports it.
	m2, stdout2, stderr2 := newTestMain(db)
	if code := m2.Run(context.Background(), []string{"import", "control", dir, "--db", db, "--force"}); code != exitOK {
		t.Fatalf("again: exit %d: %s", code, stderr2)
	}
	if got := stdout2.String(); !strings.Contains(got, "skipped  "+filepath.Join(dir, names[0])) || !strings.Contains(got, "imported "+filepath.Join(dir, names[1])) {
		t.Errorf("again: %s", got)
	}
}

// TestReadFile checks what nadra agrees to read from a user's path.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	path := func(n string) string { return filepath.Join(dir, n) }
	os.WriteFile(path("ok.csv"), []byte("id\n"), 0o644)
	os.Symlink(path("ok.csv"), path("link.csv"))
	os.Mkdir(path("dir.csv"), 0o755)
	if err := syscall.Mkfifo(path("fifo.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A sparse file one byte over the limit, and one exactly at it.
	small := fileKind{"tests", 1 << 20, true}
	for name, size := range map[string]int64{"big.csv": small.max + 1, "max.csv": small.max} {
		f, err := os.Create(path(name))
		if err != nil {
			t.Fatal(err)
		}
		f.Truncate(size)
		f.Close()
	}
	os.Symlink("/dev/zero", path("zero.csv"))
	tests := []struct {
		name, path string
		stdin      string
		want       string // error substring, "" for success
	}{
		{"regular file", path("ok.csv"), "", ""},
		{"symbolic link to a file", path("link.csv"), "", ""},
		{"at the limit", path("max.csv"), "", ""},
		{"over the limit", path("big.csv"), "", path("big.csv") + ": larger than 1 MB, the limit for tests"},
		{"directory", path("dir.csv"), "", path("dir.csv") + ": is a directory; expected a file"},
		{"named pipe", path("fifo.csv"), "", path("fifo.csv") + ": is a named pipe (FIFO), not a regular file; to read standard input, give -"},
		{"device", "/dev/zero", "", "/dev/zero: is a device, not a regular file"},
		{"symbolic link to a device", path("zero.csv"), "", path("zero.csv") + ": is a device, not a regular file"},
		{"missing", path("missing.csv"), "", path("missing.csv") + ": no such file"},
		{"standard input", "-", "id\n", ""},
		{"standard input over the limit", "-", strings.Repeat("x", 1<<20+1), "standard input: larger than 1 MB"},
		{"standard input at the limit", "-", strings.Repeat("x", 1<<20), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.path == "/dev/zero" {
				if _, err := os.Stat("/dev/zero"); err != nil {
					t.Skip("no /dev/zero")
				}
			}
			_, err := readFile(context.Background(), tt.path, strings.NewReader(tt.stdin), small)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tt.want != "" && err == nil:
				t.Fatalf("got no error, want %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("got %q, want %q", err, tt.want)
			}
		})
	}
}

// TestReadFile_Limits checks each kind's stated limit, in MB, on a sparse
// file one byte over it, through the command that reads that kind.
func TestReadFile_Limits(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "nadra.db")
	mustSeed(t, db)
	tests := []struct {
		name string
		mb   int64
		args func(file string) []string
	}{
		{"deposits.csv", 32, func(f string) []string { return []string{"import", "deposits", f} }},
		{"estimates.csv", 32, func(f string) []string { return []string{"import", "estimates", f} }},
		{"production.csv", 32, func(f string) []string { return []string{"import", "production", f} }},
		{"control.geojson", 64, func(f string) []string { return []string{"import", "control", f} }},
		{"region.geojson", 16, func(f string) []string { return []string{"scenario", "eval", "file:" + f} }},
		{"terms.yaml", 1, func(f string) []string { return []string{"deal", "show", f} }},
		{"sim-terms.yaml", 1, func(f string) []string { return []string{"simulate", "--deal", f} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, tt.name)
			f, err := os.Create(file)
			if err != nil {
				t.Fatal(err)
			}
			f.Truncate(tt.mb<<20 + 1)
			f.Close()
			m, _, stderr := newTestMain(db)
			code := m.Run(context.Background(), append(tt.args(file), "--db", db))
			want := fmt.Sprintf("%s: larger than %d MB", file, tt.mb)
			if code != exitError || !strings.Contains(stderr.String(), want) {
				t.Errorf("exit %d, stderr %.300q; want %d, %q", code, stderr, exitError, want)
			}
		})
	}
}

// TestReadScenarioFile checks file:NAME's search: a directory NAME is
// passed over for NAME.geojson; a named pipe is refused, not opened.
func TestReadScenarioFile(t *testing.T) {
	dir := t.TempDir()
	p := func(n string) string { return filepath.Join(dir, n) }
	os.Mkdir(p("front"), 0o755)
	os.WriteFile(p("front.geojson"), []byte(`{"type":"FeatureCollection","features":[]}`), 0o644)
	os.Mkdir(p("empty"), 0o755)
	syscall.Mkfifo(p("pipe"), 0o644)
	ctx := context.Background()
	if _, src, err := readScenarioFile(ctx, p("front")); err != nil || src != p("front.geojson") {
		t.Errorf("front: got %q, %v; want %s", src, err, p("front.geojson"))
	}
	if _, _, err := readScenarioFile(ctx, p("empty")); err == nil || !strings.Contains(err.Error(), p("empty")+": is a directory") {
		t.Errorf("empty: got %v, want a directory error", err)
	}
	if _, _, err := readScenarioFile(ctx, p("pipe")); err == nil || !strings.Contains(err.Error(), p("pipe")+": is a named pipe (FIFO), not a regular file") {
		t.Errorf("pipe: got %v, want a named pipe error", err)
	}
}
