package main_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nadra"
	"nadra/dataset"
	"nadra/ledger"

	_ "modernc.org/sqlite"
)

func auditRecords(t *testing.T, dir string) []nadra.AuditRecord {
	t.Helper()
	var recs []nadra.AuditRecord
	if err := json.Unmarshal([]byte(mustRun(t, dir, "audit", "--json").stdout), &recs); err != nil {
		t.Fatal(err)
	}
	return recs
}

func fileSHA(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestE2E_Audit runs each kind of write through the binary and checks
// that each leaves one audit record with the route, the user, the file's
// SHA-256 and the row counts derived by hand; then that nadra audit
// verify passes, and fails once an audit row or a table is changed
// behind the log's back.
func TestE2E_Audit(t *testing.T) {
	dir := t.TempDir()
	readme := filepath.Join("testdata", "readme")
	dep := filepath.Join(dir, "dep.csv")
	writeFile(t, dep, "id,name,name_uk,oblast,lat,lon,precision_km,commodities,stage,coords_note,note,sources\n"+
		`audit-test,Audit Test,Аудит,UA-14,47.9,36.7,2,lithium,explored,"GPS at the adit, 2 km",,"Field survey (2026-12-04)"`+"\n")
	usFlows, _ := filepath.Abs(filepath.Join(readme, "us-flows.json"))
	licences, _ := filepath.Abs(filepath.Join(readme, "my-licences.csv"))
	if r := mustRun(t, dir, "audit"); !strings.Contains(r.stdout, "no writes recorded yet") {
		t.Fatalf("a new database: got %q, want no writes", r.stdout)
	}
	mustRun(t, dir, "ledger", "keygen", "--party", "US", "--out", "us.key")

	var tokenID string
	n := embeddedDeposits(t)
	tests := []struct {
		name  string
		args  func() []string
		route string
		file  string // its SHA-256 is in the record
		table string // a table the write changed …
		rows  [2]int64
	}{
		// The file adds one deposit to the embedded dataset's n, with
		// one commodity, and one import row (the seed's is the first).
		{"ImportDeposits", func() []string { return []string{"import", "deposits", dep} }, "nadra import deposits", dep, "deposits", [2]int64{n, n + 1}},
		{"ImportLicences", func() []string { return []string{"import", "licences", licences} }, "nadra import licences", licences, "", [2]int64{}},
		{"DatasetAccept", func() []string { return []string{"dataset", "accept", "--conflicts"} }, "nadra dataset accept", "", "", [2]int64{}},
		{"TokenCreate", func() []string { return []string{"token", "create", "--user", "ann", "--role", "auditor"} }, "nadra token create", "", "tokens", [2]int64{0, 1}},
		// Revoked, never deleted: one row before and after.
		{"TokenRevoke", func() []string { return []string{"token", "revoke", tokenID} }, "nadra token revoke", "", "tokens", [2]int64{1, 1}},
		{"LedgerRegister", func() []string { return []string{"ledger", "register", "us.key.pub"} }, "nadra ledger register", "", "", [2]int64{}},
		// us-flows.json holds 2 entries.
		{"LedgerPost", func() []string { return []string{"ledger", "post", usFlows, "--key", "us.key"} }, "nadra ledger post", usFlows, "ledger_entries", [2]int64{0, 2}},
		{"LedgerCheckpoint", func() []string { return []string{"ledger", "checkpoint"} }, "nadra ledger checkpoint", "", "ledger_checkpoints", [2]int64{0, 1}},
		{"WatchAdd", func() []string { return []string{"watch", "add", "--deposit", "audit-test"} }, "nadra watch add", "", "watches", [2]int64{0, 1}},
		{"WatchRm", func() []string { return []string{"watch", "rm", "1"} }, "nadra watch rm", "", "watches", [2]int64{1, 0}},
	}
	for i, tt := range tests {
		r := mustRun(t, dir, tt.args()...)
		if tt.name == "TokenCreate" {
			for _, f := range strings.Fields(r.stderr) {
				if strings.HasPrefix(f, "tok_") {
					tokenID = f
				}
			}
		}
		recs := auditRecords(t, dir)
		if len(recs) != i+1 {
			t.Fatalf("%s: got %d audit records, want %d: one per write", tt.name, len(recs), i+1)
		}
		got := recs[i]
		if got.Route != tt.route || got.Who != "cli:unknown" { // the tests run without $USER
			t.Fatalf("%s: got route %q by %q, want %q by cli:unknown", tt.name, got.Route, got.Who, tt.route)
		}
		if tt.file != "" && (len(got.Files) != 1 || got.Files[0].SHA256 != fileSHA(t, tt.file)) {
			t.Fatalf("%s: got files %+v, want %s with its SHA-256", tt.name, got.Files, tt.file)
		}
		if tt.table == "" {
			continue
		}
		found := false
		for _, c := range got.Changes {
			if c.Table == tt.table {
				found = true
				if c.RowsBefore != tt.rows[0] || c.RowsAfter != tt.rows[1] || c.Before == c.After {
					t.Fatalf("%s: %s went %d→%d rows (%s→%s), want %d→%d and a new hash", tt.name, c.Table, c.RowsBefore, c.RowsAfter, c.Before, c.After, tt.rows[0], tt.rows[1])
				}
			}
		}
		if !found {
			t.Fatalf("%s: the record names %+v, not %s", tt.name, got.Changes, tt.table)
		}
	}
	// A write that fails changes nothing and records nothing.
	mustFail(t, dir, "a replay", "ledger", "post", usFlows, "--key", "us.key")
	if n := len(auditRecords(t, dir)); n != len(tests) {
		t.Fatalf("a refused post: got %d records, want %d", n, len(tests))
	}
	mustRun(t, dir, "ledger", "checkpoint")
	mustRun(t, dir, "audit", "verify")

	db, err := sql.Open("sqlite", filepath.Join(dir, "nadra.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// A table changed with SQL, behind the log's back.
	exec(`UPDATE deposits SET name = 'Forged' WHERE id = 'audit-test'`)
	mustFail(t, dir, "table deposits changed without an audit record", "audit", "verify")
	exec(`UPDATE deposits SET name = 'Audit Test' WHERE id = 'audit-test'`)
	mustRun(t, dir, "audit", "verify")

	// An audit row rewritten: first by hand (the signature breaks), then
	// re-signed with the log's own key, which sits in the database (the
	// co-signed tree breaks).
	exec(`DROP TRIGGER audit_records_no_update`)
	var note []byte
	if err := db.QueryRow(`SELECT note FROM audit_records WHERE idx = 3`).Scan(&note); err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE audit_records SET note = ? WHERE idx = 3`, []byte(strings.Replace(string(note), "cli:unknown", "cli:mallory", 1)))
	mustFail(t, dir, "audit record 3 does not verify", "audit", "verify")
	var skey string
	if err := db.QueryRow(`SELECT private_key FROM ledger_log_key`).Scan(&skey); err != nil {
		t.Fatal(err)
	}
	mustFail(t, dir, "audit record 3 does not verify", "audit") // the list refuses it too
	var orig nadra.AuditRecord
	text := string(note)
	text = text[strings.Index(text, "\n")+1:]
	text = text[:strings.Index(text, "\n")]
	if err := json.Unmarshal([]byte(text), &orig); err != nil {
		t.Fatal(err)
	}
	orig.Who = "cli:mallory"
	forged, err := ledger.SignAudit(skey, &orig)
	if err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE audit_records SET note = ? WHERE idx = 3`, forged)
	mustFail(t, dir, "the tree", "audit", "verify")
	// And offline: the export no longer matches the signed checkpoints.
	mustRun(t, dir, "ledger", "export", "--out", "exp")
	mustFail(t, dir, "checkpoint 1", "ledger", "verify", "exp", "--need", "")
}

// TestE2E_AuditHTTP: an import and a ledger post over HTTP each leave an
// audit record naming the token's user and the route; GET /api/v1/audit
// lists them for an auditor and refuses an editor.
func TestE2E_AuditHTTP(t *testing.T) {
	dir := t.TempDir()
	editor := strings.TrimSpace(mustRun(t, dir, "token", "create", "--user", "olena", "--role", "editor").stdout)
	auditor := strings.TrimSpace(mustRun(t, dir, "token", "create", "--user", "ann", "--role", "auditor").stdout)
	party := strings.TrimSpace(mustRun(t, dir, "token", "create", "--user", "treasury", "--role", "party", "--party", "US").stdout)
	mustRun(t, dir, "ledger", "keygen", "--party", "US", "--out", "us.key")
	mustRun(t, dir, "ledger", "register", "us.key.pub")
	usFlows, _ := filepath.Abs(filepath.Join("testdata", "readme", "us-flows.json"))
	mustRun(t, dir, "ledger", "sign", usFlows, "--key", "us.key", "-o", "signed.json")
	url := startServe(t, dir)
	send := func(method, token, path, ctype, body string) (int, string) {
		req, _ := http.NewRequest(method, url+path, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	good := "id,name,name_uk,oblast,lat,lon,precision_km,commodities,stage,coords_note,note,sources\n" +
		"http-site,HTTP site,,UA-14,48.1,37.6,3,lithium,explored,surveyed point,,https://example.org/report (2026-01-01)\n"
	if st, body := send("POST", editor, "/api/v1/import/deposits?file=mine.csv", "text/csv", good); st != 200 {
		t.Fatalf("import: %d %s", st, body)
	}
	signed, err := os.ReadFile(filepath.Join(dir, "signed.json"))
	if err != nil {
		t.Fatal(err)
	}
	if st, body := send("POST", party, "/api/v1/ledger/entries", "application/json", string(signed)); st != 201 {
		t.Fatalf("post: %d %s", st, body)
	}
	if st, body := send("GET", editor, "/api/v1/audit", "", ""); st != 403 || !strings.Contains(body, "auditor") {
		t.Fatalf("an editor: %d %s, want 403 naming the role", st, body)
	}
	st, body := send("GET", auditor, "/api/v1/audit", "", "")
	var list struct{ Records []nadra.AuditRecord }
	if err := json.Unmarshal([]byte(body), &list); st != 200 || err != nil {
		t.Fatalf("an auditor: %d %s %v", st, body, err)
	}
	// Three token creations and the registration at the command line,
	// then the import and the post over HTTP.
	recs := list.Records
	if len(recs) != 6 {
		t.Fatalf("got %d records, want 6: %+v", len(recs), recs)
	}
	imp, post := recs[4], recs[5]
	sum := sha256.Sum256([]byte(good))
	if imp.Route != "POST /api/v1/import/deposits" || imp.Who != "olena" || len(imp.Files) != 1 || imp.Files[0].SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("the import's record: %+v", imp)
	}
	if n := embeddedDeposits(t); imp.Changes[0].Table != "deposits" || imp.Changes[0].RowsBefore != n || imp.Changes[0].RowsAfter != n+1 {
		t.Fatalf("the import's record: deposits %+v, want %d→%d (the embedded %d and one more)", imp.Changes[0], n, n+1, n)
	}
	// Leaves: records 0 to 3, the import's record 4, the two entries 5
	// and 6, the post's record 7.
	if post.Route != "POST /api/v1/ledger/entries" || post.Who != "treasury" || post.Index != 7 {
		t.Fatalf("the post's record: %+v, want treasury's at leaf 7", post)
	}
	if c := post.Changes[0]; c.Table != "ledger_entries" || c.RowsBefore != 0 || c.RowsAfter != 2 {
		t.Fatalf("the post's record: %+v, want ledger_entries 0→2", c)
	}
	mustRun(t, dir, "audit", "verify")
}

// embeddedDeposits counts the embedded dataset's deposits, so that the
// audit tests follow data changes instead of hard-coding the count.
func embeddedDeposits(t *testing.T) int64 {
	t.Helper()
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	return int64(len(ds.Deposits))
}
