package main_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// The bad-input corpus: files in testdata/badinput/<kind>/ that nadra must
// refuse. Each NAME has NAME.want beside it: for the CLI kinds, a substring
// of the error on standard error; for http, the status code, a space and a
// substring of the JSON error's message. Every file must give a clear
// error, exit status 1 (or its HTTP status with a JSON body), no crash, and
// leave the database's content exactly as it was.

// corpusArgs gives the command line that feeds a file of each CLI kind.
var corpusArgs = map[string]func(file string) []string{
	"deposits":   func(f string) []string { return []string{"import", "deposits", f} },
	"estimates":  func(f string) []string { return []string{"import", "estimates", f} },
	"licences":   func(f string) []string { return []string{"import", "licences", f} },
	"control":    func(f string) []string { return []string{"import", "control", f} },
	"production": func(f string) []string { return []string{"import", "production", f} },
	"scenarios":  func(f string) []string { return []string{"import", "scenarios", f} },
	// terms-import: terms files through nadra import terms (terms: through
	// nadra deal show, which reads them without storing).
	"terms-import": func(f string) []string { return []string{"import", "terms", f} },
	"terms":        func(f string) []string { return []string{"deal", "show", f} },
	"scenario":     func(f string) []string { return []string{"scenario", "eval", "file:" + f} },
	// journal: an entries file as the journal of a view (unsigned, like
	// the public journal); entries: a file posted with the corpus's own
	// key, testdata/ledger/corpus-us.key, which no log registers.
	"journal": func(f string) []string { return []string{"ledger", "balance", "--journal", f} },
	"entries": func(f string) []string { return []string{"ledger", "post", f, "--key", corpusKey} },
	// risk-args and watch-args: files of command-line arguments, one a
	// line, after "report risk" and "watch add" (the front-line watch's
	// numbers, ids and webhook URLs); webhook-secret: a secret file.
	"risk-args":  func(f string) []string { return append([]string{"report", "risk"}, argsFile(f)...) },
	"watch-args": func(f string) []string { return append([]string{"watch", "add"}, argsFile(f)...) },
	"webhook-secret": func(f string) []string {
		return []string{"watch", "add", "--deposit", "dobra", "--within-km", "10", "--webhook", "http://127.0.0.1:9/hook", "--webhook-secret-file", f}
	},
}

// argsFile reads a corpus file of arguments, one a line.
func argsFile(f string) []string {
	b, err := os.ReadFile(f)
	if err != nil {
		return []string{"--unreadable-corpus-file"}
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// corpusKey is the US key the entries corpus is signed with: a test key,
// registered nowhere, committed so that the corpus's command line makes
// nothing at run time.
var corpusKey, _ = filepath.Abs(filepath.Join("testdata", "ledger", "corpus-us.key"))

// crashSigns are what a crash or an unexplained failure prints.
var crashSigns = []string{"panic:", "goroutine ", "Internal error", "internal error", "SIGSEGV", "detail:"}

// corpusFiles lists the corpus files of a kind, sorted, with their .want.
func corpusFiles(t *testing.T, kind string) map[string]string {
	t.Helper()
	dir := filepath.Join("testdata", "badinput", kind)
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".want") {
			if _, err := os.Lstat(filepath.Join(dir, strings.TrimSuffix(name, ".want"))); err != nil {
				t.Errorf("%s/%s: no file beside it", dir, name)
			}
			continue
		}
		want, err := os.ReadFile(filepath.Join(dir, name+".want"))
		if err != nil {
			t.Errorf("%s/%s: no .want file", dir, name)
			continue
		}
		w := strings.TrimSpace(string(want))
		if w == "" {
			t.Errorf("%s/%s.want is empty", dir, name)
			continue
		}
		out[filepath.Join(dir, name)] = w
	}
	return out
}

// dbContent hashes every table's rows, in rowid order, and the schema: two
// databases with the same hash hold the same data.
func dbContent(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	var tables []string
	for rows.Next() {
		var name string
		var schema sql.NullString
		if err := rows.Scan(&name, &schema); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s\x00%s\x00", name, schema.String)
		if strings.HasPrefix(schema.String, "CREATE TABLE") {
			tables = append(tables, name)
		}
	}
	rows.Close()
	for _, tb := range tables {
		r, err := db.Query(`SELECT * FROM "` + tb + `" ORDER BY rowid`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := r.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		n := 0
		for r.Next() {
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(h, "%T:%v\x1f", v, v)
			}
			h.Write([]byte{'\n'})
			n++
		}
		r.Close()
		fmt.Fprintf(h, "%s: %d rows\n", tb, n)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestBadInputCorpus runs every corpus file through the binary.
func TestBadInputCorpus(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "nadra.db")
	if r := run(t, dir, "report", "access"); r.code != 0 {
		t.Fatalf("seeding: exit %d: %s", r.code, r.stderr)
	}
	makeCorpusTokens(t, dir)
	before := dbContent(t, dbPath)
	total := 0
	kinds := make([]string, 0, len(corpusArgs))
	for k := range corpusArgs {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		files := corpusFiles(t, kind)
		names := make([]string, 0, len(files))
		for f := range files {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, f := range names {
			want := files[f]
			total++
			abs, _ := filepath.Abs(f)
			t.Run(kind+"/"+filepath.Base(f), func(t *testing.T) {
				r := run(t, dir, corpusArgs[kind](abs)...)
				if r.code != 1 {
					t.Errorf("exit %d, want 1\nstdout: %.500s\nstderr: %.500s", r.code, r.stdout, r.stderr)
				}
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%.1000s", want, r.stderr)
				}
				for _, s := range crashSigns {
					if strings.Contains(r.stderr, s) {
						t.Errorf("stderr shows %q:\n%.2000s", s, r.stderr)
					}
				}
				if after := dbContent(t, dbPath); after != before {
					t.Fatalf("the database changed")
				}
			})
		}
	}
	total += corpusHTTP(t, dir, dbPath, before)
	t.Logf("%d bad inputs refused cleanly, the database unchanged", total)
	if total < 100 {
		t.Errorf("the corpus has %d files; keep at least 100", total)
	}
}

var listenRE = regexp.MustCompile(`http://[0-9a-zA-Z.\[\]:]+/`)

// corpusHTTP starts nadra serve on the database and sends every request of
// testdata/badinput/http; it returns how many it sent.
func corpusHTTP(t *testing.T, dir, dbPath, before string) int {
	files := corpusFiles(t, "http")
	if len(files) == 0 {
		return 0
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "serve", "--addr", "127.0.0.1:0", "--db", dbPath)
	cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	cmd.Dir = dir
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = cmd.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	base := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			logs.WriteString(line + "\n")
			if m := listenRE.FindString(line); m != "" && !sent {
				base <- strings.TrimSuffix(m, "/")
				sent = true
			}
		}
		if !sent {
			close(base)
		}
	}()
	var url string
	select {
	case u, ok := <-base:
		if !ok {
			t.Fatalf("nadra serve exited before listening")
		}
		url = u
	case <-time.After(60 * time.Second):
		t.Fatalf("nadra serve did not say where it listens")
	}
	client := &http.Client{Timeout: 30 * time.Second}
	names := make([]string, 0, len(files))
	for f := range files {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		want := files[f]
		t.Run("http/"+filepath.Base(f), func(t *testing.T) {
			status, sub, _ := strings.Cut(want, " ")
			code, err := strconv.Atoi(status)
			if err != nil {
				t.Fatalf("%s.want: %q does not start with a status code", f, want)
			}
			req, err := readRequest(f, url)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("request: %v", err)
			}
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
			if resp.StatusCode != code {
				t.Errorf("status %d, want %d: %.500s", resp.StatusCode, code, body)
			}
			var e struct{ Code, Message string }
			if err := json.Unmarshal(body, &e); err != nil || e.Code == "" {
				t.Errorf("body is not a JSON error: %.500s", body)
			}
			if !strings.Contains(e.Message, sub) && !strings.Contains(string(body), sub) {
				t.Errorf("error %q lacks %q", e.Message, sub)
			}
			if e.Code == "internal" {
				t.Errorf("an internal error: %s", body)
			}
			if h, err := client.Get(url + "/healthz"); err != nil || h.StatusCode != 200 {
				t.Fatalf("the server no longer answers /healthz after this request: %v", err)
			} else {
				h.Body.Close()
			}
		})
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	for _, s := range []string{"panic:", "goroutine "} {
		if strings.Contains(logs.String(), s) {
			t.Errorf("the server's log shows %q:\n%.3000s", s, logs.String())
		}
	}
	if after := dbContent(t, dbPath); after != before {
		t.Errorf("the HTTP requests changed the database")
	}
	return len(files)
}

// corpusTokens are the secrets of the tokens the http corpus names in its
// headers as {{token:ROLE}} or {{token:party:US}}; {{token:revoked}} is a
// revoked viewer token.
var corpusTokens = map[string]string{}

// makeCorpusTokens makes the corpus's tokens in dir's database.
func makeCorpusTokens(t *testing.T, dir string) {
	for _, k := range []string{"party:US", "party:UA", "auditor", "editor", "viewer", "admin", "revoked"} {
		role, party, _ := strings.Cut(k, ":")
		args := []string{"token", "create", "--user", "corpus", "--role", role, "--json"}
		if party != "" {
			args = append(args, "--party", party)
		}
		if role == "revoked" {
			args[5] = "viewer"
		}
		r := run(t, dir, args...)
		var made struct{ Token, ID string }
		if err := json.Unmarshal([]byte(r.stdout), &made); err != nil || r.code != 0 {
			t.Fatalf("token create %s: exit %d: %v: %s", k, r.code, err, r.stderr)
		}
		if role == "revoked" {
			if r := run(t, dir, "token", "revoke", made.ID); r.code != 0 {
				t.Fatalf("token revoke: %s", r.stderr)
			}
		}
		corpusTokens[k] = made.Token
	}
}

var tokenRefRE = regexp.MustCompile(`\{\{token:([a-zA-Z:]+)\}\}`)

// readRequest reads a raw request file: "METHOD /path?query", header lines,
// a blank line and the body. {{token:…}} in a header is a corpus token.
func readRequest(file, base string) (*http.Request, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	head, body, _ := bytes.Cut(data, []byte("\n\n"))
	lines := strings.Split(strings.TrimRight(string(head), "\n"), "\n")
	method, target, ok := strings.Cut(strings.TrimSpace(lines[0]), " ")
	if !ok || !strings.HasPrefix(target, "/") {
		return nil, fmt.Errorf("%s: first line %q: expected METHOD /path", file, lines[0])
	}
	req, err := http.NewRequest(method, base+target, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return nil, fmt.Errorf("%s: header %q: expected Name: value", file, l)
		}
		v = tokenRefRE.ReplaceAllStringFunc(v, func(ref string) string {
			name := tokenRefRE.FindStringSubmatch(ref)[1]
			if corpusTokens[name] == "" {
				panic(file + ": no corpus token " + name)
			}
			return corpusTokens[name]
		})
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return req, nil
}
