package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startServe starts nadra serve on the database of dir and returns its
// URL; the server stops with the test.
func startServe(t *testing.T, dir string) string {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = []string{"NADRA_DB=" + filepath.Join(dir, "nadra.db"), "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
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
			t.Fatalf("first line %q does not give the URL; stderr: %s", line, stderr.String())
		}
		return m[1]
	case <-time.After(60 * time.Second):
		t.Fatalf("no URL printed; stderr: %s", stderr.String())
	}
	return ""
}

// post sends a file as JSON with a bearer token and returns the status
// and body.
func post(t *testing.T, url, file, token string) (int, string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", url, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestE2E_LedgerSignAndPost: a party signs its statements offline with
// nadra ledger sign, which opens no database, and posts the file to a
// server as the README shows with curl; a replay of the file, and a file
// signed by a key the server does not know, change nothing.
func TestE2E_LedgerSignAndPost(t *testing.T) {
	party := t.TempDir() // the party's machine: no database
	mustRun(t, party, "ledger", "keygen", "--party", "US", "--out", "us.key")
	writeFile(t, filepath.Join(party, "us.json"), `[
 {"id":"us-2025-09-commit","kind":"commitment","date":"2025-09-17","period":"2025","party":"US","from":"US","to":"fund",
  "amount":"75000000.00","currency":"USD","docs":["DFC press release (2025-09-17)"]},
 {"id":"us-2026-01-cash","kind":"contribution_cash","date":"2026-01-20","period":"2026-Q1","party":"US","from":"US","to":"fund",
  "amount":"25000000.00","currency":"USD","ref":"W-1","docs":["wire W-1 (2026-01-20)"]}]`)
	r := mustRun(t, party, "ledger", "sign", "us.json", "--key", "us.key", "-o", "signed.json")
	if !strings.Contains(r.stderr, "signed 2 entries as US") {
		t.Fatalf("stderr %q", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(party, "nadra.db")); err == nil {
		t.Fatalf("nadra ledger sign created a database")
	}
	var body struct{ Entries []string }
	b, _ := os.ReadFile(filepath.Join(party, "signed.json"))
	if err := json.Unmarshal(b, &body); err != nil || len(body.Entries) != 2 || !strings.Contains(body.Entries[0], "\n\n— US ") {
		t.Fatalf("signed.json: %v\n%s", err, b)
	}
	// Standard output, the same entries (signatures are deterministic).
	if out := mustRun(t, party, "ledger", "sign", "us.json", "--key", "us.key").stdout; out != string(b) {
		t.Fatalf("stdout differs from the file:\n%s", out)
	}
	mustFail(t, party, "party US, but the key is UA's", "ledger", "sign", "us.json", "--key", func() string {
		mustRun(t, party, "ledger", "keygen", "--party", "UA", "--out", "ua.key")
		return "ua.key"
	}())

	// The log's machine registers the party's public key and serves.
	logDir := t.TempDir()
	url := startServe(t, logDir) // creates the database
	// The log's admin gives the party a token to post with.
	token := strings.TrimSpace(mustRun(t, logDir, "token", "create", "--user", "treasury", "--role", "party", "--party", "US").stdout)
	// An unregistered key first: 401, nothing appended.
	status, resp := post(t, url+"/api/v1/ledger/entries", filepath.Join(party, "signed.json"), token)
	if status != 401 || !strings.Contains(resp, "unknown key US") {
		t.Fatalf("before registration: %d %s", status, resp)
	}
	pub, _ := os.ReadFile(filepath.Join(party, "us.key.pub"))
	writeFile(t, filepath.Join(logDir, "us.key.pub"), string(pub))
	mustRun(t, logDir, "ledger", "register", "us.key.pub")
	status, resp = post(t, url+"/api/v1/ledger/entries", filepath.Join(party, "signed.json"), token)
	// Leaves 0 and 1 are the audit records of token create and ledger
	// register; the two entries are leaves 2 and 3.
	if status != 201 || !strings.Contains(resp, `"index":2,"id":"us-2025-09-commit"`) || !strings.Contains(resp, `"size":4`) {
		t.Fatalf("POST: %d %s", status, resp)
	}
	status, resp = post(t, url+"/api/v1/ledger/entries", filepath.Join(party, "signed.json"), token)
	if status != 409 || !strings.Contains(resp, "a replay") {
		t.Fatalf("replay: %d %s", status, resp)
	}
	if n := ledgerSize(t, logDir); n != 2 {
		t.Fatalf("%d entries, want 2", n)
	}
	// What the server holds is what the party signed, byte for byte.
	mustRun(t, logDir, "ledger", "checkpoint")
	mustRun(t, logDir, "ledger", "export", "--out", "x")
	entries, _ := os.ReadFile(filepath.Join(logDir, "x", "entries"))
	for _, n := range body.Entries {
		if !bytes.Contains(entries, []byte(n)) {
			t.Fatalf("the export lacks the signed note %q", n)
		}
	}
}
