package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// query parses the page's location.search.
func query(t *testing.T, b *Browser) url.Values {
	t.Helper()
	v, err := url.ParseQuery(strings.TrimPrefix(Eval[string](t, b, `location.search`), "?"))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// setSelect sets a select's value and fires the event the page listens
// to.
func setSelect(t *testing.T, b *Browser, id, value, event string) {
	t.Helper()
	b.Do(t, chromedp.SetValue(chromedp.ID(id), value),
		chromedp.Evaluate[chromedp.Void](`document.getElementById(`+jsString(id)+`).dispatchEvent(new Event(`+jsString(event)+`, {bubbles: true}))`))
}

// TestBrowser_DepositsURLState loads the deposits page from a URL with
// filters and checks the view, then changes each control and checks that
// the URL follows, across a change of date too.
func TestBrowser_DepositsURLState(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	type view struct {
		Count, Commodity, Status, Date string
		Shown                          []string // commodities and status of each row shown
	}
	read := func() view {
		return Eval[view](t, b, `({Count: document.getElementById("count").textContent,
			Commodity: document.getElementById("filter-commodity").value, Status: document.getElementById("filter-status").value,
			Date: document.getElementById("date-select").value,
			Shown: [...document.querySelectorAll("#deposits tbody tr")].filter(r => !r.hidden).map(r => r.dataset.commodities + "/" + r.dataset.status)})`)
	}
	b.Open(t, "/deposits?commodity=lithium&status=occupied")
	v := read()
	if v.Commodity != "lithium" || v.Status != "occupied" || len(v.Shown) == 0 || !strings.HasSuffix(v.Count, " of 91 deposits") {
		t.Fatalf("view of ?commodity=lithium&status=occupied: %+v", v)
	}
	for _, r := range v.Shown {
		if !strings.Contains(" "+strings.Split(r, "/")[0]+" ", " lithium ") || !strings.HasSuffix(r, "/occupied") {
			t.Fatalf("row %q shown under lithium, occupied", r)
		}
	}

	// A control changed: the URL follows, with the other filters kept.
	setSelect(t, b, "filter-status", "controlled", "input")
	if q := query(t, b); q.Get("status") != "controlled" || q.Get("commodity") != "lithium" {
		t.Fatalf("URL after the status filter: %v", q)
	}
	controlled := read().Shown
	if len(controlled) == 0 {
		t.Fatalf("no rows shown for lithium, controlled")
	}
	for _, r := range controlled {
		if !strings.HasSuffix(r, "/controlled") {
			t.Fatalf("row %q shown under controlled", r)
		}
	}
	// A sort: twice on the value heading, descending.
	b.Do(t, chromedp.Click(chromedp.CSS(`button[data-key="value"]`)), chromedp.Click(chromedp.CSS(`button[data-key="value"]`)))
	if q := query(t, b); q.Get("sort") != "value" || q.Get("dir") != "desc" || q.Get("status") != "controlled" {
		t.Fatalf("URL after sorting: %v", q)
	}
	// Text.
	b.Do(t, chromedp.SendKeys(chromedp.ID("filter-text"), "ka"))
	if q := query(t, b); q.Get("q") != "ka" {
		t.Fatalf("URL after typing: %v", q)
	}
	b.Do(t, chromedp.Evaluate[chromedp.Void](`(() => { const e = document.getElementById("filter-text"); e.value = ""; e.dispatchEvent(new Event("input")); })()`))
	if q := query(t, b); q.Has("q") {
		t.Fatalf("URL after clearing the text: %v", q)
	}
	// A new date is a new page: the filters and the sort go with it.
	setSelect(t, b, "date-select", "2022-04-03", "change")
	b.Do(t, chromedp.Poll[chromedp.Void](`location.search.includes("date=2022-04-03") && document.readyState === "complete"`, chromedp.WithPollingTimeout(10*time.Second)))
	q := query(t, b)
	if q.Get("commodity") != "lithium" || q.Get("status") != "controlled" || q.Get("sort") != "value" || q.Get("dir") != "desc" || q.Has("q") {
		t.Fatalf("URL after the date: %v", q)
	}
	if v := read(); v.Date != "2022-04-03" || v.Commodity != "lithium" || v.Status != "controlled" {
		t.Fatalf("view after the date: %+v", v)
	}
	if s := Eval[string](t, b, `document.querySelector('button[data-key="value"]').parentElement.getAttribute("aria-sort")`); s != "descending" {
		t.Fatalf("aria-sort after the date: %q", s)
	}
	// The same URL without script shows the same rows: the server's
	// filter is the script's.
	withScript := read().Shown
	html := string(s.Get(t, "/deposits?"+q.Encode()).Body)
	if n := len(visibleDeposits(t, html)); n != len(withScript) {
		t.Fatalf("without script %d rows, with script %d", n, len(withScript))
	}
	b.Screenshot(t, "lithium-controlled-2022")
}
