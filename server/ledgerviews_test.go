package server_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"nadra"
	"nadra/ledger"
	"nadra/server"

	"github.com/xuri/excelize/v2"
)

// getJSON gets a path and decodes its JSON, failing unless the status is
// 200.
func getJSON(t *testing.T, s *TestServer, path string, v any) {
	t.Helper()
	r := s.Get(t, path)
	if r.Status != 200 {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// account returns an account's balance in a party's books, or nil.
func account(tb *ledger.TrialBalance, party, name string) *ledger.Amounts {
	for _, b := range tb.Books {
		if b.Party != party {
			continue
		}
		for _, a := range b.Accounts {
			if a.Account == name {
				return &a.Balance
			}
		}
	}
	return nil
}

func money(t *testing.T, s string) nadra.Money {
	t.Helper()
	m, err := nadra.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// flowsHeader is the flows export's header as nadra ledger export-flows
// writes it (dataset/FORMAT.md, "The views' CSV"), written out here so
// that a change to the columns fails this test.
const flowsHeader = "position,in_force,replaced_by,original,id,kind,date,period,party,from,to,stream,amount,currency,fx_rate,fx_source,licence,ref,docs,valuation,corrects,public,memo,in_usd"

// TestLedgerViews_Public asks for the views of the public journal, on a
// server whose log is empty, and checks them against figures worked out by
// hand from dataset/ledger/public.csv.
func TestLedgerViews_Public(t *testing.T) {
	s := MustOpenServer(t, nil)

	// With the log empty, the default journal is the public one.
	var bal ledger.BalancesReport
	getJSON(t, s, "/api/v1/ledger/balances", &bal)
	if bal.Journal.Name != "public" || bal.Journal.Signed || !bal.Journal.Public || bal.Journal.Entries != 5 {
		t.Fatalf("journal %+v, want the public journal's 5 unsigned entries", bal.Journal)
	}
	// Period ends: 2025 (2025-12-31) and 2026-Q1 (2026-03-31), then all.
	if len(bal.Balances) != 3 || bal.Balances[0].AsOf != "2025-12-31" || bal.Balances[1].AsOf != "2026-03-31" || bal.Balances[2].AsOf != "" {
		t.Fatalf("balances as of %v", bal.Balances)
	}
	// Both parties state both commitments of $75,000,000.00: each
	// committed account is a credit balance of that much.
	for _, party := range []string{"US", "UA"} {
		for _, acc := range []string{"us:committed", "ua:committed"} {
			if a := account(bal.Balances[0], party, acc); a == nil || a.USD != -7_500_000_000 || a.InUSD != -7_500_000_000 {
				t.Errorf("%s books, %s, end of 2025: %v, want -75000000.00", party, acc, a)
			}
		}
	}
	// The permit sale, UAH 31,700,000.00 at 43.24 UAH per USD:
	// 31,700,000 / 43.24 = 733,117.4838..., $733,117.48.
	if a := account(bal.Balances[1], "UA", "ua:special-fund"); a == nil || a.UAH != 3_170_000_000 || a.InUSD != 73_311_748 {
		t.Errorf("UA books, ua:special-fund, end of 2026-Q1: %v, want UAH 31700000.00 = $733117.48", a)
	}
	if a := account(bal.Balances[0], "UA", "ua:special-fund"); a != nil {
		t.Errorf("the permit was sold in 2026, but the books at the end of 2025 hold %v", a)
	}
	// One party, as of a period's end.
	getJSON(t, s, "/api/v1/ledger/balances?journal=public&party=US&period=2026-Q1", &bal)
	if len(bal.Balances) != 1 || bal.Balances[0].AsOf != "2026-03-31" || len(bal.Balances[0].Books) != 1 || bal.Balances[0].Books[0].Party != "US" {
		t.Fatalf("US books at the end of 2026-Q1: %+v", bal.Balances)
	}

	// Due: half the permit's receipts, UAH 15,850,000.00; in dollars
	// half of $733,117.48, $366,558.74. No transfer is public: the whole
	// of it is in arrears in both parties' books.
	var due ledger.DueView
	getJSON(t, s, "/api/v1/ledger/due?journal=public", &due)
	rep := due.Due
	if rep.Terms != "urif-2025" || len(rep.Periods) != 1 || rep.Periods[0].Period != "2026-Q1" || len(rep.Periods[0].Licences) != 1 {
		t.Fatalf("due: %+v", rep)
	}
	l := rep.Periods[0].Licences[0]
	want := ledger.Amounts{UAH: 1_585_000_000, InUSD: 36_655_874}
	if l.Licence != "maidanska-solartek" || l.Receipts != (ledger.Amounts{UAH: 3_170_000_000, InUSD: 73_311_748}) || l.Due != want ||
		!l.PaidUA.IsZero() || l.ArrearsUA != want || l.ArrearsUS != want || rep.Periods[0].CarriedUA != want {
		t.Errorf("due for maidanska-solartek: %+v", l)
	}
	if !strings.Contains(l.Eligibility, "after the agreement came into force on 2025-05-23") {
		t.Errorf("eligibility %q", l.Eligibility)
	}
	if len(due.Missing) != 7 || due.Missing[0].Flow != "DFC's cash paid into the fund" {
		t.Errorf("not_public: %d flows, want the 7 of public_missing.csv", len(due.Missing))
	}
	// Capital: the terms' $75M US cash in 2025 and the commitments, no
	// cash paid in: all of it outstanding.
	if len(rep.Capital) != 4 || rep.Capital[0].Partner != "US" || rep.Capital[0].Committed.InUSD != 7_500_000_000 || rep.Capital[0].OutstandingCommitted != 7_500_000_000 {
		t.Errorf("capital: %+v", rep.Capital)
	}

	// Reconciliation: both commitments matched at $75M with no
	// difference; the permit's receipt stated by UA only.
	var rec ledger.ReconciliationView
	getJSON(t, s, "/api/v1/ledger/reconciliation?journal=public", &rec)
	r := rec.Reconcile
	if len(r.Matched) != 2 || len(r.Discrepancies) != 0 || len(r.USOnly) != 0 || len(r.UAOnly) != 1 {
		t.Fatalf("reconciliation: %d matched, %d discrepancies, %d US only, %d UA only", len(r.Matched), len(r.Discrepancies), len(r.USOnly), len(r.UAOnly))
	}
	for _, m := range r.Matched {
		if m.Kind != "commitment" || m.US.Amount.USD != 7_500_000_000 || m.UA.Amount.USD != 7_500_000_000 || m.Diff != 0 {
			t.Errorf("matched %+v", m)
		}
	}
	if u := r.UAOnly[0]; u.Kind != "receipt" || u.Licence != "maidanska-solartek" || u.UA.Amount.InUSD != 73_311_748 {
		t.Errorf("UA only: %+v", u)
	}
	if r.Thresholds != ledger.DefaultThresholds {
		t.Errorf("thresholds %+v, want USEITI's", r.Thresholds)
	}

	// The flows, as CSV: the export-flows columns, one row per entry.
	resp := s.Get(t, "/api/v1/ledger/flows?journal=public&format=csv")
	if resp.Status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="nadra-flows-public.csv"` {
		t.Fatalf("%d %v", resp.Status, resp.Header)
	}
	recs, err := csv.NewReader(bytes.NewReader(resp.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != flowsHeader || len(recs) != 6 {
		t.Fatalf("header %q and %d rows", recs[0], len(recs)-1)
	}
	if row := recs[5]; row[4] != "pub-ua-2026-02-26-burtynske-maidanska-permit" || row[1] != "true" || row[12] != "31700000.00" || row[23] != "733117.48" {
		t.Errorf("the permit's row: %q", row)
	}
	// As XLSX: the same rows, amounts as numbers, and the postings.
	resp = s.Get(t, "/api/v1/ledger/flows?journal=public&format=xlsx")
	if resp.Status != 200 || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("%d %v", resp.Status, resp.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(resp.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "flows,postings,about" {
		t.Fatalf("sheets %s", got)
	}
	rows, _ := f.GetRows("flows")
	if len(rows) != 6 || strings.Join(rows[0], ",") != flowsHeader {
		t.Fatalf("flows sheet: %d rows, header %q", len(rows), rows[0])
	}
	if typ, _ := f.GetCellType("flows", "X6"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("in_usd is a %v cell, want a number", typ)
	}
	if v, _ := f.GetCellValue("flows", "X6"); v != "733117.48" {
		t.Errorf("in_usd of the permit %q", v)
	}
	posts, _ := f.GetRows("postings")
	if len(posts) != 11 { // a header and two lines for each of 5 entries
		t.Errorf("%d rows of postings, want 11", len(posts))
	}
}

// TestLedgerViews_Log asks for the views of the log: the worked example's
// five entries, then one more, which the views see without a restart.
func TestLedgerViews_Log(t *testing.T) {
	ls := MustOpenLedgerServer(t, nil)
	s := ls.TestServer

	// An empty log and journal=log: empty views, not the public journal.
	var bal ledger.BalancesReport
	getJSON(t, s, "/api/v1/ledger/balances?journal=log", &bal)
	if bal.Journal.Name != "log" || bal.Journal.Entries != 0 || len(bal.Balances) != 1 || len(bal.Balances[0].Books[0].Accounts) != 0 {
		t.Fatalf("empty log: %+v", bal)
	}

	postFlows(t, ls)
	// The default is now the log.
	getJSON(t, s, "/api/v1/ledger/balances?as_of=2026-01-31", &bal)
	if bal.Journal.Name != "log" || !bal.Journal.Signed || bal.Journal.Entries != 5 || bal.Journal.InForce != 4 || bal.Journal.Corrected != 1 {
		t.Fatalf("journal %+v", bal.Journal)
	}
	tb := bal.Balances[0]
	// The US books: the cash as corrected, $24,999,000.00; UA's: its own
	// statement, $25,000,000.00. The fee (2026-02-26) is after the day.
	for _, c := range []struct {
		party, account string
		want           nadra.Money
	}{
		{"US", "fund:cash", 2_499_900_000}, {"US", "us:capital", -2_499_900_000}, {"US", "us:committed", -7_500_000_000},
		{"UA", "fund:cash", 2_500_000_000}, {"UA", "us:capital", -2_500_000_000},
	} {
		if a := account(tb, c.party, c.account); a == nil || a.USD != c.want || a.InUSD != c.want {
			t.Errorf("%s books, %s, as of 2026-01-31: %v, want %s", c.party, c.account, a, c.want)
		}
	}
	if a := account(tb, "UA", "ua:special-fund"); a != nil {
		t.Errorf("the fee of 2026-02-26 is in the books as of 2026-01-31: %v", a)
	}

	// Reconciliation: the cash, ref W-1, US $24,999,000.00 against UA's
	// $25,000,000.00: a difference of -$1,000.00, 0.004% of UA's (the
	// payee side of a US payment into the fund). Within the defaults.
	var rec ledger.ReconciliationView
	getJSON(t, s, "/api/v1/ledger/reconciliation", &rec)
	r := rec.Reconcile
	if len(r.Matched) != 1 || len(r.Discrepancies) != 0 || len(r.USOnly) != 1 || len(r.UAOnly) != 1 {
		t.Fatalf("reconciliation: %+v", r)
	}
	m := r.Matched[0]
	if m.Basis != "ref" || m.Ref != "W-1" || m.Diff != -100_000 || m.Base != "UA" || m.ExceedsRel || !strings.Contains(m.Note, "us-2026-01-cash-fix corrects us-2026-01-cash") {
		t.Errorf("the cash: %+v", m)
	}
	if r.USOnly[0].Kind != "commitment" || r.UAOnly[0].Kind != "receipt" {
		t.Errorf("one-sided: %+v %+v", r.USOnly[0], r.UAOnly[0])
	}
	// Thresholds of 0 and $500: $1,000 exceeds both.
	getJSON(t, s, "/api/v1/ledger/reconciliation?rel=0&floor=500", &rec)
	r = rec.Reconcile
	if len(r.Discrepancies) != 1 || !r.Discrepancies[0].ExceedsRel || !r.Discrepancies[0].ExceedsFloor ||
		!strings.Contains(r.Discrepancies[0].Note, "discrepancy: the difference, $1000.00 (0.00% of UA's), exceeds both 0% and $500.00") {
		t.Fatalf("discrepancies: %+v", r.Discrepancies)
	}
	// And $1,000 is not over a $1,000 floor: matched, within the margin.
	getJSON(t, s, "/api/v1/ledger/reconciliation?rel=0&floor=1000", &rec)
	if len(rec.Reconcile.Discrepancies) != 0 || !strings.Contains(rec.Reconcile.Matched[0].Note, "exceeds 0% but not the $1000.00 floor") {
		t.Fatalf("floor 1000: %+v", rec.Reconcile)
	}

	// Due: the fee names licence "maidanska", which the register does
	// not hold: its due is listed apart, in no total. UAH 31,700,000.00
	// at 41.5 is $763,855.42 (31,700,000 / 41.5 = 763,855.4217); half,
	// $381,927.71.
	var due ledger.DueView
	getJSON(t, s, "/api/v1/ledger/due", &due)
	if len(due.Due.Unknown) != 1 || due.Due.Unknown[0].Licence != "maidanska" || due.Due.Unknown[0].Due.InUSD != 38_192_771 ||
		!strings.Contains(due.Due.Unknown[0].Reason, `licence "maidanska" is not in the licence register`) {
		t.Fatalf("unknown: %+v", due.Due.Unknown)
	}
	if !due.Due.Total.Due.IsZero() || due.Missing != nil {
		t.Errorf("total due %v, not_public %v: want none", due.Due.Total.Due, due.Missing)
	}

	// A transfer of UAH 15,850,000.00 at 41.6 for the licence: the views
	// read it on the next request. 15,850,000 / 41.6 = 381,009.615...,
	// $381,009.62 paid; nothing due counted, so a surplus of as much,
	// marked incomplete (the unknown due is left out).
	transfer := &nadra.Entry{ID: "ua-2026-03-transfer", Kind: nadra.KindTransfer, Date: "2026-03-05", Period: "2026-02", Party: "UA", From: "UA", To: "fund",
		Licence: "maidanska", Amount: 1_585_000_000, Currency: "UAH", FXRate: "41.6", FXSource: "NBU (2026-03-05)", Docs: []string{"payment order 12 (2026-03-05)"}}
	if resp := ls.Post(t, "/api/v1/ledger/entries", postBody(sign(t, transfer, ls.UA))); resp.Status != 201 {
		t.Fatalf("%d %s", resp.Status, resp.Body)
	}
	getJSON(t, s, "/api/v1/ledger/due?period=2026", &due)
	var row *ledger.DueLicence
	for i, p := range due.Due.Periods {
		if p.Period == "2026-02" {
			row = &due.Due.Periods[i].Licences[0]
		}
	}
	if row == nil || row.PaidUA != (ledger.Amounts{UAH: 1_585_000_000, InUSD: 38_100_962}) || row.ArrearsUA != (ledger.Amounts{UAH: -1_585_000_000, InUSD: -38_100_962}) ||
		!row.Incomplete || !row.ReceivedUS.IsZero() {
		t.Fatalf("2026-02: %+v", row)
	}
	if due.Journal.Entries != 6 {
		t.Errorf("the views read %d entries, want 6", due.Journal.Entries)
	}

	// The flows: every entry, the corrected one with what replaced it.
	resp := s.Get(t, "/api/v1/ledger/flows")
	recs, err := csv.NewReader(bytes.NewReader(resp.Body)).ReadAll()
	if err != nil || len(recs) != 7 {
		t.Fatalf("%d %v %d rows", resp.Status, err, len(recs))
	}
	if row := recs[2]; row[4] != "us-2026-01-cash" || row[1] != "false" || row[2] != "us-2026-01-cash-fix" || row[3] != "us-2026-01-cash" {
		t.Errorf("the corrected entry: %q", row)
	}
}

// TestLedgerViews_BadInput: every bad parameter is a 400 that names it,
// and the log is left as it was.
func TestLedgerViews_BadInput(t *testing.T) {
	ls := MustOpenLedgerServer(t, nil)
	postFlows(t, ls)
	before := ls.state(t)
	for _, tt := range []struct{ path, want string }{
		{"/api/v1/ledger/balances?journal=file", "query parameter journal"},
		{"/api/v1/ledger/balances?journal=/etc/passwd", "query parameter journal"},
		{"/api/v1/ledger/balances?as_of=2026-02-30", `as_of: "2026-02-30" is not a date`},
		{"/api/v1/ledger/balances?as_of=2026-01-31&period=2026", "as_of: give as_of or period, not both"},
		{"/api/v1/ledger/balances?party=EU", "query parameter party"},
		{"/api/v1/ledger/due?period=2026-Q5", "query parameter period"},
		{"/api/v1/ledger/due?deal=urif-2030", `deal: no deal terms "urif-2030"; nadra ships`},
		{"/api/v1/ledger/due?deal=../dataset/deals/urif-2025.yaml", "deal: no deal terms"},
		{"/api/v1/ledger/reconciliation?rel=NaN", `rel: "NaN": expected a fraction from 0 to 1`},
		{"/api/v1/ledger/reconciliation?rel=Inf", `rel: "Inf"`},
		{"/api/v1/ledger/reconciliation?rel=1e-2", `rel: "1e-2"`},
		{"/api/v1/ledger/reconciliation?rel=1.5", `rel: "1.5"`},
		{"/api/v1/ledger/reconciliation?rel=0x1", `rel: "0x1"`},
		{"/api/v1/ledger/reconciliation?floor=-1", `floor: "-1": expected an amount of US dollars`},
		{"/api/v1/ledger/reconciliation?floor=1e5", `floor: "1e5"`},
		{"/api/v1/ledger/reconciliation?floor=99999999999999999", `floor: "99999999999999999"`},
		{"/api/v1/ledger/flows?format=pdf", "query parameter format"},
	} {
		r := ls.Get(t, tt.path)
		var e struct{ Code, Message string }
		json.Unmarshal(r.Body, &e)
		if r.Status != 400 || e.Code != "invalid" || !strings.Contains(e.Message, tt.want) {
			t.Errorf("%s: %d %s, want 400 with %q", tt.path, r.Status, r.Body, tt.want)
		}
	}
	if ls.state(t) != before {
		t.Fatal("a read changed the log")
	}
}

// TestLedgerViews_NoPublicJournal: a server without the public journal
// says so, and the default journal is the log, empty or not.
func TestLedgerViews_NoPublicJournal(t *testing.T) {
	s := MustOpenServer(t, func(s *server.Server) { s.PublicJournal = nil })
	r := s.Get(t, "/api/v1/ledger/due?journal=public")
	if r.Status != 404 || !strings.Contains(string(r.Body), "journal: this server has no public journal") {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	var due ledger.DueView
	getJSON(t, s, "/api/v1/ledger/due", &due)
	if due.Journal.Name != "log" || due.Journal.Entries != 0 {
		t.Fatalf("default journal %+v", due.Journal)
	}
}

// TestLedgerViews_LogBound: past the server's bound on the log, the views
// of the log say to use the CLI (a 400 over the API, naming the journal),
// the public journal still answers, and the Flows page shows the message
// without failing: the reader asked for nothing wrong.
func TestLedgerViews_LogBound(t *testing.T) {
	ls := MustOpenLedgerServer(t, func(s *server.Server) { s.LedgerViewMax = 3 })
	postFlows(t, ls)
	const want = "journal: the log has 5 entries, and this server computes the views over at most 3"
	for _, path := range []string{"/api/v1/ledger/balances", "/api/v1/ledger/due?journal=log", "/api/v1/ledger/flows"} {
		r := ls.Get(t, path)
		var e struct{ Code, Message string }
		json.Unmarshal(r.Body, &e)
		if r.Status != 400 || !strings.Contains(e.Message, want) {
			t.Errorf("%s: %d %s", path, r.Status, r.Body)
		}
	}
	var rec ledger.ReconciliationView
	getJSON(t, ls.TestServer, "/api/v1/ledger/reconciliation?journal=public", &rec)
	if rec.Journal.Name != "public" {
		t.Fatalf("journal %+v", rec.Journal)
	}
	for _, tt := range []struct {
		path   string
		status int
	}{{"/flows", 200}, {"/flows?journal=log", 400}} {
		r := ls.Get(t, tt.path)
		if r.Status != tt.status || !strings.Contains(string(r.Body), `id="views-error" tabindex="-1">`+want) || !strings.Contains(string(r.Body), `<table id="entries">`) {
			t.Errorf("%s: %d, want %d with the message and the entries", tt.path, r.Status, tt.status)
		}
	}
}
