package main_test

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

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
	if r.code != 0 || !strings.Contains(r.stdout, "applied 9 migrations (001_init.sql,") || !strings.Contains(r.stderr, "seeding postgres://") {
		t.Fatalf("migrate: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r = runDB(t, dir, dsn, "migrate"); r.code != 0 || !strings.Contains(r.stdout, "up to date, 9 migrations applied") || r.stderr != "" {
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

// syncBuffer is a bytes.Buffer safe for a process's writes and a test's
// reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServeDB starts nadra serve on db and returns its URL and standard
// error; the server stops with the test.
func startServeDB(t *testing.T, dir, db string) (string, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = []string{"NADRA_DB=" + db, "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case line := <-lines:
		m := regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)/`).FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("first line %q does not give the URL; stderr: %s", line, stderr)
		}
		return m[1], stderr
	case <-time.After(60 * time.Second):
		t.Fatalf("no URL printed; stderr: %s", stderr)
	}
	return "", nil
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}

// TestE2E_TwoServers: two nadra serve processes on one PostgreSQL
// database give identical answers, and an import by a third process shows
// on both within a second: each listens for the store's changes (LISTEN/
// NOTIFY) and, while it does, keeps what it read for a minute, so only the
// notification can make it re-read that fast.
func TestE2E_TwoServers(t *testing.T) {
	dsn := pgtest.NewEmptyDatabase(t)
	dir := t.TempDir()
	if r := runDB(t, dir, dsn, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %s", r.stderr)
	}
	a, aErr := startServeDB(t, dir, dsn)
	b, bErr := startServeDB(t, dir, dsn)
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(aErr.String(), "listening for changes") || !strings.Contains(bErr.String(), "listening for changes") {
		if time.Now().After(deadline) {
			t.Fatalf("the servers do not listen for changes:\n%s\n%s", aErr, bErr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, path := range []string{"/api/v1/deposits?limit=500", "/api/v1/deposits/dobra", "/api/v1/timeline", "/api/v1/snapshots",
		"/ogc/collections/deposits/items?limit=100", "/ogc/collections/deposits/items?bbox=36,47,39,49", "/api/v1/supply/lithium",
		"/api/v1/ledger/entries", "/api/v1/claims"} {
		// Links carry each server's own address.
		if x, y := strings.ReplaceAll(get(t, a+path), a, "BASE"), strings.ReplaceAll(get(t, b+path), b, "BASE"); x != y {
			t.Errorf("GET %s differs between the two servers:\n%.300s\n%.300s", path, x, y)
		}
	}
	mine := "id,name,name_uk,oblast,lat,lon,precision_km,commodities,stage,coords_note,note,sources\n" +
		"test-site,NAME,,UA-14,48.1,37.6,3,lithium,explored,surveyed point,,https://example.org/report (2026-01-01)\n"
	for _, name := range []string{"Test site", "Test site (renamed)"} {
		os.WriteFile(filepath.Join(dir, "mine.csv"), []byte(strings.Replace(mine, "NAME", name, 1)), 0o644)
		// Both have read the registry since they listen: the next import
		// can only reach them by notification.
		get(t, a+"/api/v1/deposits?q=test+site")
		get(t, b+"/api/v1/deposits?q=test+site")
		if r := runDB(t, dir, dsn, "import", "deposits", "mine.csv"); r.code != 0 {
			t.Fatalf("import: %s", r.stderr)
		}
		start := time.Now()
		for _, srv := range []string{a, b} {
			for !strings.Contains(get(t, srv+"/api/v1/deposits?q=test+site"), `"name":"`+name+`"`) {
				if time.Since(start) > time.Second {
					t.Fatalf("%s: the import of %q does not show within a second", srv, name)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		t.Logf("%q on both servers %v after the import ended", name, time.Since(start).Round(time.Millisecond))
	}
	if x, y := get(t, a+"/api/v1/deposits?limit=500"), get(t, b+"/api/v1/deposits?limit=500"); x != y {
		t.Errorf("the registries differ after the imports")
	}
}
