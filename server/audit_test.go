package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"nadra"
	"nadra/ledger"
	"nadra/server"
)

// TestAudit_LedgerRoutes: each ledger post and co-signature over HTTP
// leaves an audit record, a leaf of the tree between the entries; the
// views still read the entries alone; GET /api/v1/audit lists the
// records for an auditor and refuses an editor.
func TestAudit_LedgerRoutes(t *testing.T) {
	ls := MustOpenLedgerServer(t, func(s *server.Server) { s.Audit = s.Ledger.(nadra.AuditStore) })
	postFlows(t, ls)
	// Three posts (US 2 entries, UA 2, US 1), each followed by its record,
	// then two co-signatures: entries at 0, 1, 3, 4, 6; records at 2, 5,
	// 7 and, after the checkpoint of 8 leaves, 8 and 9.
	get := func(token string) (int, []byte) {
		req, _ := http.NewRequest("GET", ls.URL()+"/api/v1/audit", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	if st, body := get(ls.TokenEditor); st != http.StatusForbidden {
		t.Fatalf("an editor: got %d %s, want 403", st, body)
	}
	st, body := get(ls.TokenAuditor)
	var list server.AuditList
	if err := json.Unmarshal(body, &list); st != 200 || err != nil {
		t.Fatalf("an auditor: %d %s %v", st, body, err)
	}
	want := []struct {
		index int64
		route string
		rows  [2]int64
	}{
		{2, "POST /api/v1/ledger/entries", [2]int64{0, 2}},
		{5, "POST /api/v1/ledger/entries", [2]int64{2, 4}},
		{7, "POST /api/v1/ledger/entries", [2]int64{4, 5}},
		{8, "POST /api/v1/ledger/cosignatures", [2]int64{0, 1}},
		{9, "POST /api/v1/ledger/cosignatures", [2]int64{1, 2}},
	}
	if len(list.Records) != len(want) {
		t.Fatalf("got %d records, want %d: %+v", len(list.Records), len(want), list.Records)
	}
	for i, w := range want {
		r := list.Records[i]
		c := r.Changes[0]
		if r.Index != w.index || r.Route != w.route || c.RowsBefore != w.rows[0] || c.RowsAfter != w.rows[1] || r.Who == "" {
			t.Fatalf("record %d: got leaf %d %s by %q, %s %d→%d; want leaf %d %s, %d→%d", i, r.Index, r.Route, r.Who, c.Table, c.RowsBefore, c.RowsAfter, w.index, w.route, w.rows[0], w.rows[1])
		}
	}
	// The views read the 5 entries, not the 10 leaves.
	var bal ledger.BalancesReport
	getJSON(t, ls.TestServer, "/api/v1/ledger/balances", &bal)
	if bal.Journal.Entries != 5 {
		t.Fatalf("the views read %d entries, want 5", bal.Journal.Entries)
	}
	// Another post: the cached view reads the one new entry past the
	// records.
	second := usCash()
	second.ID, second.Ref, second.Docs = "us-2026-02-cash", "W-2", []string{"wire W-2 (2026-02-20)"}
	second.Date, second.Period = "2026-02-20", "2026-Q1"
	ls.PostEntries(t, sign(t, second, ls.US))
	getJSON(t, ls.TestServer, "/api/v1/ledger/balances", &bal)
	if bal.Journal.Entries != 6 {
		t.Fatalf("after a post the views read %d entries, want 6", bal.Journal.Entries)
	}
}
