package server_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"nadra"
)

// postFlows posts the worked example's five entries (US: commitment,
// cash, correction of the cash; UA: its statement of the cash, a UAH
// licence fee), checkpoints them and has both parties co-sign.
func postFlows(t *testing.T, ls *LedgerServer) {
	t.Helper()
	ls.PostEntries(t, sign(t, usCommit(), ls.US), sign(t, usCash(), ls.US), sign(t, uaCash(), ls.UA), sign(t, uaFee(), ls.UA), sign(t, usCashFix(), ls.US))
	cp, _, err := ls.Store.Checkpoint(context.Background(), "nadra.test/log")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{ls.US, ls.UA} {
		if r := ls.Post(t, "/api/v1/ledger/cosignatures", cosignBody(ls.cosign(t, string(cp.Note), k))); r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	}
}

var rowRE = regexp.MustCompile(`<tr id="e-(\d+)" data-id="([^"]+)"`)

// rows returns the ids of the table's rows.
func rows(body []byte) string {
	var ids []string
	for _, m := range rowRE.FindAllSubmatch(body, -1) {
		ids = append(ids, string(m[2]))
	}
	return strings.Join(ids, " ")
}

// TestFlowsPage renders the page on an empty log, a co-signed one and one
// whose latest checkpoint waits for a party, with filters and paging in
// the URL, and bad filters as a 400 that names the parameter.
func TestFlowsPage(t *testing.T) {
	ls := MustOpenLedgerServer(t, nil)
	r := ls.Get(t, "/flows")
	for _, want := range []string{"The log is empty", "No checkpoint yet: the log has 0 entries", `<a href="/flows" aria-current="page">Flows</a>`, "nadra ledger verify nadra-ledger"} {
		if r.Status != 200 || !strings.Contains(string(r.Body), want) {
			t.Fatalf("empty log: %d, lacks %q", r.Status, want)
		}
	}

	postFlows(t, ls)
	r = ls.Get(t, "/flows")
	body := string(r.Body)
	if got := rows(r.Body); got != "us-2025-09-commit us-2026-01-cash ua-2026-01-cash ua-2026-02-fee us-2026-01-cash-fix" {
		t.Fatalf("rows %q", got)
	}
	for _, want := range []string{
		`class="headline checkpoint-status cosigned" id="checkpoint-status">Co-signed by US and UA at size 5.`,
		`<dd id="checkpoint-signers">nadra.test/log, UA, US</dd>`,
		// The corrected entry, struck through, and the correction.
		`<tr id="e-1" data-id="us-2026-01-cash" data-party="US" data-kind="contribution_cash" class="corrected">`,
		`<del>25,000,000.00</del>`,
		`corrected by <a href="/api/v1/ledger/entries/us-2026-01-cash-fix">us-2026-01-cash-fix</a>`,
		`corrects <a href="/api/v1/ledger/entries/us-2026-01-cash">us-2026-01-cash</a>`,
		`>24,999,000.00<`,
		// The UAH fee: 31,700,000.00 UAH / 41.5 UAH per USD = 763,855.42 USD.
		`title="≈ $763,855.42 at 41.5 UAH per USD (NBU (2026-02-26))">31,700,000.00</span>`,
		`receipt from a licensee (fee)`, `solartek-esko → UA`, `public figure`, `ref W-1`,
		`<a href="/api/v1/ledger/proof/inclusion?id=ua-2026-02-fee" title="Its inclusion proof in the latest checkpoint (JSON)">proof</a>`,
		`Entries 1–5 of 5`, `href="/api/v1/ledger/entries?limit=50"`,
		`<a href="/api/v1/ledger/export" download id="export-link">nadra-ledger.tar</a> (5 entries, 1 checkpoint and 4 public keys, read consistently)`,
		`data-size="5" data-cosigned="5"`,
	} {
		if !strings.Contains(body, strings.ReplaceAll(want, "'", "&#39;")) {
			t.Errorf("the page lacks %q", want)
		}
	}

	// Filters, in the URL.
	for _, tt := range []struct{ query, want string }{
		{"?party=UA", "ua-2026-01-cash ua-2026-02-fee"},
		{"?kind=commitment", "us-2025-09-commit"},
		{"?period=2026-Q1&party=US", "us-2026-01-cash us-2026-01-cash-fix"},
		{"?licence=maidanska", "ua-2026-02-fee"},
		{"?offset=3", "ua-2026-02-fee us-2026-01-cash-fix"},
	} {
		r := ls.Get(t, "/flows"+tt.query)
		if got := rows(r.Body); r.Status != 200 || got != tt.want {
			t.Errorf("%s: %d, rows %q, want %q", tt.query, r.Status, got, tt.want)
		}
	}
	r = ls.Get(t, "/flows?party=UA&kind=receipt")
	for _, want := range []string{`<option value="UA" selected>`, `<option value="receipt" selected>`, "Entries 1–1 of 1 matching (the log has 5)", `href="/api/v1/ledger/entries?kind=receipt&amp;limit=50&amp;party=UA"`, `id="flows-clear"`} {
		if !strings.Contains(string(r.Body), want) {
			t.Errorf("filtered page lacks %q", want)
		}
	}
	if r := ls.Get(t, "/flows?kind=distribution"); !strings.Contains(string(r.Body), "No entry matches; the log has 5.") {
		t.Errorf("no match: %s", r.Body)
	}
	for _, tt := range []struct{ query, want string }{
		{"?period=2026-Q5", "period: &#34;2026-Q5&#34;: expected YYYY, YYYY-Qn or YYYY-MM"},
		{"?party=EU", "party: &#34;EU&#34;: expected US or UA"},
		{"?kind=gift", "kind: &#34;gift&#34; unknown"},
		{"?offset=-3", "offset: &#34;-3&#34;: expected a whole number from 0"},
		{"?offset=1e3", "offset: &#34;1e3&#34;"},
	} {
		r := ls.Get(t, "/flows"+tt.query)
		if r.Status != 400 || !strings.Contains(string(r.Body), tt.want) || !strings.Contains(string(r.Body), `id="form-error"`) {
			t.Errorf("%s: %d, want 400 with %q", tt.query, r.Status, tt.want)
		}
	}

	// A sixth entry and a checkpoint only the US co-signs.
	if r := ls.Post(t, "/api/v1/ledger/entries", postBody(sign(t, &nadra.Entry{ID: "us-2026-04-invest-fee", Kind: nadra.KindExpense, Date: "2026-04-10", Period: "2026-Q2",
		Party: "US", From: "fund", To: "fund-manager", Amount: 12_000_000, Currency: "USD", Docs: []string{"invoice 7 (2026-04-10)"}}, ls.US))); r.Status != 201 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	body = string(ls.Get(t, "/flows").Body)
	for _, want := range []string{"5 entries; 6 in the log, the last 1 not yet in a checkpoint", `<span class="na" title="After the latest checkpoint: the next one will cover it">not yet</span>`} {
		if !strings.Contains(body, want) {
			t.Errorf("with an entry after the checkpoint, the page lacks %q", want)
		}
	}
	cp, _, err := ls.Store.Checkpoint(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	ls.Post(t, "/api/v1/ledger/cosignatures", cosignBody(ls.cosign(t, string(cp.Note), ls.US)))
	body = string(ls.Get(t, "/flows").Body)
	want := `class="headline checkpoint-status waiting" id="checkpoint-status">The latest checkpoint is at size 6, waiting for UA&#39;s co-signature. The latest co-signed by US and UA is at size 5.`
	if !strings.Contains(body, want) {
		t.Errorf("waiting: the page lacks %q", want)
	}
}

// TestFlowsPage_Paging: fifty entries a page, with links that keep the
// filter.
func TestFlowsPage_Paging(t *testing.T) {
	ls := MustOpenLedgerServer(t, nil)
	var notes []string
	for i := 0; i < 120; i++ {
		party, key := "US", ls.US
		if i%3 == 0 {
			party, key = "UA", ls.UA
		}
		notes = append(notes, sign(t, &nadra.Entry{ID: fmt.Sprintf("%s-%03d", strings.ToLower(party), i), Kind: nadra.KindContributionCash, Date: "2026-01-20",
			Period: "2026-Q1", Party: party, From: party, To: "fund", Amount: nadra.Money(100 * (i + 1)), Currency: "USD", Docs: []string{"order (2026-01-20)"}}, key))
	}
	ls.PostEntries(t, notes...)
	// 120 entries, 80 of them the US's (i not divisible by 3): pages of
	// 1–50, 51–80.
	r := ls.Get(t, "/flows?party=US")
	body := string(r.Body)
	if n := strings.Count(body, `<tr id="e-`); n != 50 || !strings.Contains(body, "Entries 1–50 of 80 matching (the log has 120)") ||
		!strings.Contains(body, `<a class="button" href="/flows?offset=50&amp;party=US" data-swap="swap" rel="next">`) || strings.Contains(body, `rel="prev"`) {
		t.Fatalf("first page: %d rows\n%s", n, body)
	}
	body = string(ls.Get(t, "/flows?offset=50&party=US").Body)
	if n := strings.Count(body, `<tr id="e-`); n != 30 || !strings.Contains(body, "Entries 51–80 of 80") ||
		!strings.Contains(body, `href="/flows?party=US" data-swap="swap" rel="prev"`) || strings.Contains(body, `rel="next"`) {
		t.Fatalf("second page: %d rows", n)
	}
	// The last US entry is i = 119 (119 mod 3 = 2), the 120th entry.
	if !strings.Contains(body, `<tr id="e-119" data-id="us-119"`) {
		t.Fatalf("the last row is not us-119")
	}
}
