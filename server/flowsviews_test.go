package server_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"nadra"
	"nadra/dataset"
)

var (
	licenceRowRE = regexp.MustCompile(`<tr id="licence-([a-z0-9-]+)" data-verdict="([a-z_]+)" data-front="([a-z]+)"`)
	reconRowRE   = regexp.MustCompile(`<tr class="recon recon-([a-z_]+)" data-status="([a-z_]+)"><td class="status"><span class="recon-status">[^<]+</span></td><th scope="row">([^<]+)</th>`)
)

// TestFlowsPage_Views: the accounting views on the Flows page, on the
// public journal (the default while the log is empty) with the figures
// worked out by hand, then on the log with thresholds that make a
// discrepancy; the licences against the access report; bad choices shown
// in the page.
func TestFlowsPage_Views(t *testing.T) {
	ls := MustOpenLedgerServer(t, nil)
	r := ls.Get(t, "/flows")
	body := string(r.Body)
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, body)
	}
	for _, want := range []string{
		`<p id="journal-shown"><strong>Shown: the public journal</strong>, 5 entries, 5 in force: the public journal (dataset/ledger/public.csv)`,
		`<option value="public" selected>the public journal: public figures, unsigned</option>`,
		`<p class="public-warning" id="public-warning"><strong>Public figures, unsigned.</strong>`, "The log has no entries yet",
		`<option value="urif-2025" selected>`,
		`href="/api/v1/ledger/flows?format=csv&amp;journal=public"`,
		// Balances: the commitments' credit balances, the permit's receipt
		// (UAH 31,700,000.00 / 43.24 = $733,117.48).
		`<tr data-account="us:committed"><th scope="row"><code>us:committed</code></th><td class="num">-$75,000,000.00</td><td class="num">-$75,000,000.00</td></tr>`,
		`<tr data-account="ua:special-fund"><th scope="row"><code>ua:special-fund</code></th><td class="num">-</td><td class="num">UAH 31,700,000.00 = $733,117.48</td></tr>`,
		`data-party="US" data-periods="2"`, `data-party="UA" data-periods="2"`,
		// Due: half, UAH 15,850,000.00 = $366,558.74, none of it shown
		// paid.
		`<th scope="row">maidanska-solartek</th><td class="num">UAH 31,700,000.00 = $733,117.48</td><td class="num">UAH 15,850,000.00 = $366,558.74</td><td class="num">-</td><td class="num">-</td><td class="num">-</td><td class="num arrears">UAH 15,850,000.00 = $366,558.74</td>`,
		`class="column due" x=`, `data-group="2026-Q1" data-value="366558.74"`,
		// Reconciliation: both commitments matched at $75M, the receipt
		// UA's only.
		`<p class="headline" id="recon-counts">0 discrepancies, 0 stated by the US only, 1 stated by UA only, 2 matched.</p>`,
		`<td class="num">$75,000,000.00<span class="ids">pub-us-2025-09-17-dfc-commitment</span></td><td class="num">$75,000,000.00<span class="ids">pub-ua-2025-09-17-dfc-commitment</span></td><td class="num">$0.00</td>`,
		"1% and $100,000.00",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	list := body[strings.Index(body, `id="not-public"`):]
	if n := strings.Count(list[:strings.Index(list, "</ul>")], "<li>"); n != 7 {
		t.Errorf("%d flows listed as not public, want the 7 of public_missing.csv", n)
	}
	if n := strings.Count(body, `class="chart balance-chart"`); n != 4 {
		t.Errorf("%d balance charts, want each party's books at two widths", n)
	}
	var statuses []string
	for _, m := range reconRowRE.FindAllStringSubmatch(body, -1) {
		statuses = append(statuses, m[1]+": "+m[3])
	}
	if got := strings.Join(statuses, "; "); got != "ua_only: receipt solartek-esko→UA 2026-Q1 licence maidanska-solartek fee; matched: commitment UA→fund 2025; matched: commitment US→fund 2025" {
		t.Errorf("reconciliation rows %q", got)
	}

	// The licences: one row each, and their ground as the access report
	// has their deposit's status.
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	depositOf := map[string]string{}
	for _, l := range ds.Licences {
		depositOf[l.ID] = l.DepositID
	}
	var acc nadra.AccessReport
	getJSON(t, ls.TestServer, "/api/v1/access", &acc)
	status := map[string]string{}
	for _, d := range acc.Deposits {
		status[d.ID] = string(d.Status)
	}
	rows := licenceRowRE.FindAllStringSubmatch(body, -1)
	if len(rows) != len(ds.Licences) {
		t.Fatalf("%d licence rows, want %d", len(rows), len(ds.Licences))
	}
	flagged := 0
	verdict := map[string]string{}
	for _, m := range rows {
		id, v, front := m[1], m[2], m[3]
		verdict[id] = v
		want := status[depositOf[id]]
		if want == "" {
			want = "unknown"
		}
		if front != want {
			t.Errorf("licence %s: ground %s, but the access report has its deposit %s %s", id, front, depositOf[id], want)
		}
		if front == "occupied" || front == "grey" {
			flagged++
		}
	}
	// Granted after the agreement came into force (2025-05-23), minerals
	// on its list: both count.
	for _, id := range []string{"dobra-psa", "maidanska-solartek"} {
		if verdict[id] != "eligible" {
			t.Errorf("%s: %s, want eligible", id, verdict[id])
		}
	}
	if want := `data-flagged="` + strconv.Itoa(flagged) + `"`; !strings.Contains(body, want) || !strings.Contains(body, `data-licences="`+strconv.Itoa(len(ds.Licences))+`"`) {
		t.Errorf("the map lacks %s", want)
	}
	if n := strings.Count(body, `<a href="#licence-`); n == 0 || n > len(ds.Licences) {
		t.Errorf("%d licences on the map", n)
	}

	// The log, with thresholds of 0 and $500: the cash's $1,000
	// difference is a discrepancy, and says which thresholds it passed.
	postFlows(t, ls)
	r = ls.Get(t, "/flows?journal=log&rel=0&floor=500&party=US")
	body = string(r.Body)
	for _, want := range []string{
		`<p id="journal-shown"><strong>Shown: the log</strong>, 5 entries, 4 in force (1 of them corrections): the log: each entry signed by the party that posted it; 1 of them public figures`,
		`<p class="headline" id="recon-counts">1 discrepancy, 1 stated by the US only, 1 stated by UA only, 0 matched.</p>`,
		`<tr class="recon recon-discrepancy" data-status="discrepancy"><td class="status"><span class="recon-status">Discrepancy</span></td><th scope="row">contribution_cash US→fund 2026-Q1 ref W-1</th>`,
		`<td class="num">-$1,000.00</td><td class="num">0.00% of UA&#39;s</td><td>yes</td><td>yes</td><td class="why">discrepancy: the difference, $1000.00 (0.00% of UA&#39;s), exceeds both 0% and $500.00; US&#39;s us-2026-01-cash-fix corrects us-2026-01-cash</td>`,
		"0% and $500.00",
		// The due of the fee is left apart: its licence is not in the
		// register. UAH 15,850,000.00 at 41.5 = $381,927.71.
		`due if eligible UAH 15,850,000.00 = $381,927.71. eligibility unknown: licence &#34;maidanska&#34; is not in the licence register`,
		// Each form keeps the other's state.
		`<input type="hidden" name="journal" value="log"><input type="hidden" name="rel" value="0"><input type="hidden" name="floor" value="500">`,
		`<input type="hidden" name="party" value="US">`,
		`href="/flows?floor=500&amp;journal=log&amp;rel=0" data-swap="swap" id="flows-clear"`,
		`<option value="log" selected>the log: signed entries (5)</option>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the log's page lacks %q", want)
		}
	}
	if strings.Contains(body, `id="public-warning"`) || strings.Contains(body, `id="not-public"`) {
		t.Error("the log's page says its figures are public")
	}

	// Bad choices: a 400 that names the parameter, in the page; the
	// entries stay.
	for _, tt := range []struct{ query, want string }{
		{"?journal=file", `journal: &#34;file&#34;: expected log or public`},
		{"?deal=urif-2030", `deal: no deal terms &#34;urif-2030&#34;`},
		{"?rel=NaN", `rel: &#34;NaN&#34;: expected a fraction from 0 to 1`},
		{"?floor=1e5", `floor: &#34;1e5&#34;: expected an amount of US dollars`},
	} {
		r := ls.Get(t, "/flows"+tt.query)
		body := string(r.Body)
		if r.Status != 400 || !strings.Contains(body, `<p class="error" role="alert" id="views-error" tabindex="-1">`+tt.want) {
			t.Errorf("%s: %d, want 400 with %q", tt.query, r.Status, tt.want)
		}
		if strings.Contains(body, `id="balances"`) || !strings.Contains(body, `<table id="entries">`) {
			t.Errorf("%s: the views are shown, or the entries are not", tt.query)
		}
	}
}
