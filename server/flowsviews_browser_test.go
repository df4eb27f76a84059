package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowser_FlowsViews drives the Flows page's accounting views by
// keyboard: the public journal while the log is empty, then the log
// chosen with the journal selector, thresholds typed in, an entries filter
// on top, all in the URL and kept by a reload; a licence on the map
// reached with Tab and opened with Enter; a bad threshold shown in the
// page; the phone width. No console error, no CSP violation
// (MustOpenBrowser).
func TestBrowser_FlowsViews(t *testing.T) {
	ls := MustOpenLedgerServer(t, nil)
	b := MustOpenBrowser(t, ls.TestServer)
	b.Expect("status of 400") // the bad threshold, on purpose
	b.Open(t, "/flows")
	type view struct {
		Shown, Counts, Search string
		Public, Discrepancies int
		Balance, Due          int
		Licences, Points      int
	}
	read := func() view {
		return Eval[view](t, b, `(() => ({
			Shown: (document.getElementById("journal-shown") || {}).textContent || "",
			Counts: (document.getElementById("recon-counts") || {}).textContent || "",
			Search: location.search,
			Public: document.querySelectorAll("#public-warning").length,
			Discrepancies: document.querySelectorAll("#recon-table tr.recon-discrepancy").length,
			Balance: document.querySelectorAll(".chart-wide svg.balance-chart").length,
			Due: document.querySelectorAll(".chart-wide svg.column-chart").length,
			Licences: document.querySelectorAll("#licences-table tbody tr").length,
			Points: document.querySelectorAll("#licence-map a.lic").length}))()`)
	}
	v := read()
	if !strings.HasPrefix(v.Shown, "Shown: the public journal") || v.Public != 1 || v.Balance != 2 || v.Due != 1 || v.Licences < 10 || v.Points == 0 ||
		v.Counts != "0 discrepancies, 0 stated by the US only, 1 stated by UA only, 2 matched." {
		t.Fatalf("the public journal: %+v", v)
	}
	b.FullScreenshot(t, "public")

	// Tab through the page: the views' controls, the exports, a licence on
	// the map and the entries' controls take the focus.
	b.Do(t, chromedp.Evaluate[chromedp.Void](`document.activeElement.blur(); window.scrollTo(0, 0)`))
	reached := map[string]bool{}
	for i := 0; i < 200 && len(reached) < 40; i++ {
		b.Do(t, chromedp.KeyEvent(kb.Tab))
		reached[Eval[string](t, b, `(() => { const e = document.activeElement;
			if (e.matches("#licence-map a.lic")) return "licence-point";
			return e.id || e.tagName; })()`)] = true
	}
	for _, want := range []string{"v-journal", "v-deal", "v-rel", "v-floor", "views-show", "flows-csv", "flows-xlsx", "licence-point", "f-party"} {
		if !reached[want] {
			t.Errorf("Tab never reaches %s (reached %v)", want, reached)
		}
	}

	// A licence on the map, by keyboard: Enter goes to its row.
	id := Eval[string](t, b, `(() => { const a = document.querySelector("#licence-map a.lic"); a.focus(); return a.dataset.id; })()`)
	b.Do(t, chromedp.KeyEvent(kb.Enter), waitFor(`location.hash === "#licence-`+id+`"`))
	if got := Eval[string](t, b, `document.querySelector("#licences-table tr:target").id`); got != "licence-"+id {
		t.Errorf("Enter on %s's point shows row %q", id, got)
	}

	// The on-page navigation skips the views: Enter on "Entries", then
	// Tab, and the entries' first control has the focus.
	b.Do(t, chromedp.Focus(chromedp.ID("to-entries")), chromedp.KeyEvent(kb.Enter), waitFor(`location.hash === "#entries-section"`), chromedp.KeyEvent(kb.Tab))
	if id := Eval[string](t, b, `document.activeElement.id`); id != "f-party" {
		t.Errorf("after skipping to the entries, Tab goes to %q", id)
	}

	// The log, chosen by keyboard once it has entries: the views follow,
	// and the URL.
	postFlows(t, ls)
	b.Open(t, "/flows?journal=public")
	b.Do(t, chromedp.Focus(chromedp.ID("v-journal")), chromedp.KeyEvent(kb.ArrowUp),
		waitFor(`location.search.includes("journal=log") && document.getElementById("journal-shown").textContent.startsWith("Shown: the log")`))
	if v := read(); v.Public != 0 || v.Counts != "0 discrepancies, 1 stated by the US only, 1 stated by UA only, 1 matched." {
		t.Fatalf("the log: %+v", v)
	}
	if id := Eval[string](t, b, `document.activeElement.id`); id != "v-journal" {
		t.Errorf("the focus moved to %q after the update", id)
	}
	// Thresholds typed in: 0 and $500 make the cash's $1,000 difference
	// a discrepancy.
	b.Do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("v-rel").value = ""; document.getElementById("v-floor").value = ""`),
		chromedp.Focus(chromedp.ID("v-rel")), chromedp.KeyEvent("0"),
		chromedp.Focus(chromedp.ID("v-floor")), chromedp.KeyEvent("500"), chromedp.KeyEvent(kb.Enter),
		waitFor(`location.search.includes("floor=500") && document.querySelectorAll("#recon-table tr.recon-discrepancy").length === 1`))
	// An entries filter keeps the views' choices, and the views keep it.
	b.Do(t, chromedp.Focus(chromedp.ID("f-party")), chromedp.KeyEvent(kb.ArrowDown),
		waitFor(`location.search.includes("party=US") && document.querySelectorAll("#entries tbody tr").length === 3`))
	if v := read(); v.Discrepancies != 1 || !strings.Contains(v.Search, "journal=log") || !strings.Contains(v.Search, "rel=0") || !strings.Contains(v.Search, "floor=500") {
		t.Fatalf("after the entries filter: %+v", v)
	}
	b.Do(t, chromedp.Reload())
	if v := read(); v.Discrepancies != 1 || !strings.HasPrefix(v.Shown, "Shown: the log") || Eval[int](t, b, `document.querySelectorAll("#entries tbody tr").length`) != 3 {
		t.Fatalf("after a reload: %+v", v)
	}
	b.Screenshot(t, "log-discrepancy")
	// A bad threshold: the error in the page, the form kept.
	b.Do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("v-rel").value = ""`),
		chromedp.Focus(chromedp.ID("v-rel")), chromedp.KeyEvent("1e-2"), chromedp.KeyEvent(kb.Enter),
		waitFor(`document.getElementById("views-error") !== null`))
	if msg := Eval[string](t, b, `document.getElementById("views-error").textContent`); !strings.Contains(msg, `rel: "1e-2": expected a fraction from 0 to 1`) {
		t.Fatalf("error %q", msg)
	}

	// At phone width: nothing overflows, the charts' labels stay
	// readable, the licences are large enough to see.
	b.Do(t, chromedp.EmulateViewport(390, 844))
	b.Open(t, "/flows?journal=log")
	if w := Eval[int](t, b, `document.documentElement.scrollWidth`); w > 400 {
		t.Errorf("the page at phone width is %d px wide", w)
	}
	if h := Eval[float64](t, b, `Math.min(...[...document.querySelectorAll(".chart-narrow svg.balance-chart .axis text, .chart-narrow svg.column-chart .axis text")].map(e => e.getBoundingClientRect().height))`); h < 10 {
		t.Errorf("chart labels %.1f px high at phone width", h)
	}
	if r := Eval[float64](t, b, `document.querySelector("#licence-map a.lic circle").getBoundingClientRect().width`); r < 8 {
		t.Errorf("a licence is %.1f px wide at phone width", r)
	}
	b.FullScreenshot(t, "phone")
}
