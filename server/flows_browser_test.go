package server_test

import (
	"context"
	"strings"
	"testing"

	"nadra"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowser_Flows drives the Flows page by keyboard: every control, the
// entry links and the checkpoint markers are reachable with Tab; the
// filters update the table in place and the URL; a bad period is shown in
// the page; at phone width nothing overflows and the chart stays
// readable. No console error, no CSP violation (MustOpenBrowser).
func TestBrowser_Flows(t *testing.T) {
	ls := MustOpenLedgerServer(t, nil)
	postFlows(t, ls)
	if r := ls.Post(t, "/api/v1/ledger/entries", postBody(sign(t, &nadra.Entry{ID: "ua-2026-03-transfer", Kind: nadra.KindTransfer, Date: "2026-03-05", Period: "2026-Q1",
		Party: "UA", From: "UA", To: "fund", Amount: 1_585_000_000, Currency: "UAH", FXRate: "41.6", FXSource: "NBU (2026-03-05)", Docs: []string{"payment order 12 (2026-03-05)"}}, ls.UA))); r.Status != 201 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	if _, _, err := ls.Store.Checkpoint(context.Background(), ""); err != nil { // size 6, co-signed by no one yet
		t.Fatal(err)
	}
	b := MustOpenBrowser(t, ls.TestServer)
	b.Expect("status of 400") // the bad period, on purpose
	b.Open(t, "/flows")
	type view struct {
		Status, Count, Search string
		Rows                  []string
		Cosigned, Markers     int
	}
	read := func() view {
		return Eval[view](t, b, `(() => ({
			Status: document.getElementById("checkpoint-status").textContent,
			Count: (document.getElementById("count") || {}).textContent || "",
			Search: location.search,
			Rows: [...document.querySelectorAll("#entries tbody tr")].map(r => r.dataset.id),
			Cosigned: +document.querySelector(".chart-wide svg").dataset.cosigned,
			Markers: document.querySelectorAll(".chart-wide g.checkpoint").length}))()`)
	}
	v := read()
	if !strings.HasPrefix(v.Status, "The latest checkpoint is at size 6, waiting for US's and UA's co-signatures. The latest co-signed by US and UA is at size 5.") ||
		len(v.Rows) != 6 || v.Cosigned != 5 || v.Markers != 2 {
		t.Fatalf("first view: %+v", v)
	}
	b.FullScreenshot(t, "desktop")

	// Tab through the page: every control, an entry's link, a checkpoint
	// marker and the export link take the focus. The accounting views
	// come first (their controls, the licences on the map and in the
	// table); the on-page navigation skips to the entries.
	b.Do(t, chromedp.Evaluate[chromedp.Void](`document.activeElement.blur(); window.scrollTo(0, 0)`))
	reached := map[string]bool{}
	wants := []string{"f-party", "f-kind", "f-period", "f-licence", "marker", "entry-link", "export-link"}
	all := func() bool {
		for _, w := range wants {
			if !reached[w] {
				return false
			}
		}
		return true
	}
	for i := 0; i < 400 && !all(); i++ {
		b.Do(t, chromedp.KeyEvent(kb.Tab))
		reached[Eval[string](t, b, `(() => { const e = document.activeElement;
			if (e.matches("g.checkpoint")) return "marker";
			if (e.matches("#entries a")) return "entry-link";
			return e.id || e.tagName; })()`)] = true
	}
	for _, want := range wants {
		if !reached[want] {
			t.Errorf("Tab never reaches %s (reached %v)", want, reached)
		}
	}

	// The party filter by keyboard: the first choice after "both parties"
	// is US; the table and the URL follow.
	b.Do(t, chromedp.Focus(chromedp.ID("f-party")), chromedp.KeyEvent(kb.ArrowDown),
		waitFor(`location.search.includes("party=US") && document.querySelectorAll("#entries tbody tr").length === 3`))
	if v := read(); strings.Join(v.Rows, " ") != "us-2025-09-commit us-2026-01-cash us-2026-01-cash-fix" || !strings.Contains(v.Count, "of 3 matching (the log has 6)") {
		t.Fatalf("US entries: %+v", v)
	}
	if id := Eval[string](t, b, `document.activeElement.id`); id != "f-party" {
		t.Errorf("the focus moved to %q after the update", id)
	}
	// A period, typed, then Enter.
	b.Do(t, chromedp.Focus(chromedp.ID("f-period")), chromedp.KeyEvent("2026-Q1"), chromedp.KeyEvent(kb.Enter),
		waitFor(`location.search.includes("period=2026-Q1") && document.querySelectorAll("#entries tbody tr").length === 2`))
	if v := read(); strings.Join(v.Rows, " ") != "us-2026-01-cash us-2026-01-cash-fix" {
		t.Fatalf("US entries in 2026-Q1: %+v", v)
	}
	// The corrected entry is struck through; the correction links to it.
	if n := Eval[int](t, b, `document.querySelectorAll("#entries tr.corrected del").length`); n != 1 {
		t.Errorf("%d struck-through amounts, want 1", n)
	}
	b.Screenshot(t, "us-2026-q1")
	// The page's state is its URL: a reload shows the same.
	b.Do(t, chromedp.Reload())
	if v := read(); strings.Join(v.Rows, " ") != "us-2026-01-cash us-2026-01-cash-fix" || !strings.Contains(v.Search, "party=US") {
		t.Fatalf("after a reload: %+v", v)
	}
	// A bad period: the error is shown in the page, the form stays.
	b.Do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("f-period").value = ""`),
		chromedp.Focus(chromedp.ID("f-period")), chromedp.KeyEvent("2026-Q5"), chromedp.KeyEvent(kb.Enter),
		waitFor(`document.getElementById("form-error") !== null`))
	if msg := Eval[string](t, b, `document.getElementById("form-error").textContent`); !strings.Contains(msg, `period: "2026-Q5": expected YYYY, YYYY-Qn or YYYY-MM`) {
		t.Fatalf("error %q", msg)
	}
	// "Every entry" clears the filters.
	b.Do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("f-period").value = ""`),
		chromedp.Focus(chromedp.ID("f-period")), chromedp.KeyEvent(kb.Enter),
		waitFor(`document.getElementById("flows-clear") !== null && document.querySelectorAll("#entries tbody tr").length === 3`),
		chromedp.Click(chromedp.ID("flows-clear")),
		waitFor(`document.querySelectorAll("#entries tbody tr").length === 6 && location.search === ""`))

	// At phone width.
	b.Do(t, chromedp.EmulateViewport(390, 844))
	b.Open(t, "/flows")
	if w := Eval[int](t, b, `document.documentElement.scrollWidth`); w > 400 {
		t.Errorf("the page at phone width is %d px wide", w)
	}
	if h := Eval[float64](t, b, `Math.min(...[...document.querySelectorAll(".chart-narrow svg .axis text")].map(e => e.getBoundingClientRect().height))`); h < 10 {
		t.Errorf("chart labels %.1f px high at phone width", h)
	}
	b.FullScreenshot(t, "phone")
}
