package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowser_DepositRiskChart: the deposit page's small multiples show
// the deposit's own panel first, outlined, then its neighbours on the same
// scales, with the page's date marked; at phone width the narrow drawing
// shows, one panel a row, its labels readable.
func TestBrowser_DepositRiskChart(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	b.Open(t, "/deposits/shevchenkivske?date=2025-03-01")
	type panels struct {
		IDs       []string
		First     string
		Highlight bool
		Paths     int
		Bands     int
		Marker    bool
		Links     int
		TableRows int
		Headline  string
	}
	read := func(which string) panels {
		return Eval[panels](t, b, `(() => {
			const svg = document.querySelector("#risk-chart .`+which+` svg");
			const ps = [...svg.querySelectorAll("g.panel")];
			return {IDs: ps.map(p => p.dataset.id), First: ps[0].dataset.id, Highlight: ps[0].classList.contains("highlight"),
				Paths: ps.filter(p => p.querySelector("path.series").getAttribute("d").length > 20).length,
				Bands: ps[0].querySelectorAll("rect.band.occupied").length,
				Marker: !!ps[0].querySelector("path.marker"),
				Links: svg.querySelectorAll("g.panel .panel-title a").length,
				TableRows: document.querySelectorAll("#risk-table tbody tr").length,
				Headline: document.querySelector("#front + p").textContent};
		})()`)
	}
	p := read("chart-wide")
	if len(p.IDs) != 6 || p.First != "shevchenkivske" || !p.Highlight || p.Paths != 6 || !p.Marker || p.Links != 5 {
		t.Fatalf("wide: %+v", p)
	}
	// Occupied from July 2025: one shaded band in its own panel.
	var list struct{ Snapshots []struct{ Date string } }
	s.Get(t, "/api/v1/snapshots").JSON(t, &list)
	if p.Bands != 1 || p.TableRows != len(list.Snapshots) || !strings.Contains(p.Headline, "occupied") || !strings.Contains(p.Headline, "closest the front has been") {
		t.Fatalf("wide: %+v", p)
	}
	b.FullScreenshot(t, "shevchenkivske")
	// A neighbour's title links to its page, which has its own chart.
	first := p.IDs[1]
	href := Eval[string](t, b, `document.querySelector('#risk-chart .chart-wide g.panel[data-id="`+first+`"] .panel-title a').getAttribute("href")`)
	if href != "/deposits/"+first {
		t.Fatalf("neighbour link %q", href)
	}
	b.Open(t, href)
	if got := Eval[string](t, b, `document.querySelector("#risk-chart .chart-wide g.panel.highlight").dataset.id`); got != first {
		t.Fatalf("on %s the outlined panel is %q", href, got)
	}

	b.Do(t, chromedp.EmulateViewport(390, 844))
	b.Open(t, "/deposits/dobra")
	if w := Eval[int](t, b, `document.documentElement.scrollWidth`); w > 400 {
		t.Errorf("at phone width the page is %d px wide", w)
	}
	if n := Eval[int](t, b, `document.querySelectorAll("#risk-chart .chart-narrow svg g.panel").length`); n != 6 {
		t.Fatalf("narrow: %d panels", n)
	}
	if h := Eval[float64](t, b, `Math.min(...[...document.querySelectorAll("#risk-chart .chart-narrow svg .axis text, #risk-chart .chart-narrow svg .panel-title")].map(e => e.getBoundingClientRect().height))`); h < 9.5 {
		t.Errorf("narrow chart labels %.1f px high", h)
	}
	b.FullScreenshot(t, "dobra-phone")
}

// TestBrowser_MapClosest: the map page's "closest to the front" table
// ranks the deposits, follows the slider and the commodity filter, and
// keeps the state in the URL.
func TestBrowser_MapClosest(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	b.Open(t, "/map?date=2025-06-01&commodity=lithium")
	type table struct {
		Snapshot string
		IDs      []string
		Km       []float64
		Caption  string
	}
	read := func() table {
		return Eval[table](t, b, `(() => {
			const box = document.getElementById("closest");
			const rows = [...box.querySelectorAll("tbody tr[data-id]")];
			return {Snapshot: box.dataset.snapshot, IDs: rows.map(r => r.dataset.id), Km: rows.map(r => parseFloat(r.dataset.km)),
				Caption: box.querySelector("caption").textContent};
		})()`)
	}
	tb := read()
	if tb.Snapshot != "2025-06-01" || len(tb.IDs) < 2 || tb.IDs[0] != "shevchenkivske" || !strings.Contains(tb.Caption, "lithium") {
		t.Fatalf("June 2025, lithium: %+v", tb)
	}
	for i := 1; i < len(tb.Km); i++ {
		if tb.Km[i] < tb.Km[i-1] {
			t.Fatalf("not closest first: %v", tb.Km)
		}
	}
	b.Screenshot(t, "lithium-2025-06")
	// The slider to the last snapshot: Shevchenkivske is occupied and
	// leaves the table; the URL keeps the date and the commodity.
	b.Do(t, chromedp.Focus(chromedp.ID("date-slider")), chromedp.KeyEvent(kb.End))
	b.Do(t, chromedp.Poll[chromedp.Void](`document.getElementById("closest").dataset.snapshot === "`+shipped(t).Latest+`"`, chromedp.WithPollingTimeout(10*time.Second)))
	tb = read()
	for _, id := range tb.IDs {
		if id == "shevchenkivske" {
			t.Fatalf("occupied shevchenkivske still listed: %+v", tb)
		}
	}
	if u := Eval[string](t, b, `location.search`); !strings.Contains(u, "date=2026-08-22") || !strings.Contains(u, "commodity=lithium") {
		t.Fatalf("URL %q", u)
	}
	// All commodities: more deposits, still closest first.
	b.Do(t, chromedp.SetValue(chromedp.ID("commodity"), ""),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("commodity").dispatchEvent(new Event("change"))`),
		chromedp.Poll[chromedp.Void](`document.getElementById("closest").dataset.commodity === ""`, chromedp.WithPollingTimeout(10*time.Second)))
	tb = read()
	if len(tb.IDs) != 10 {
		t.Fatalf("all commodities: %d rows, want 10", len(tb.IDs))
	}
	for i := 1; i < len(tb.Km); i++ {
		if tb.Km[i] < tb.Km[i-1] {
			t.Fatalf("not closest first: %v", tb.Km)
		}
	}
	// Reloading the URL gives the same table: the state is in the URL.
	b.Open(t, "/map"+Eval[string](t, b, `location.search`))
	if again := read(); again.Snapshot != tb.Snapshot || strings.Join(again.IDs, ",") != strings.Join(tb.IDs, ",") {
		t.Fatalf("after reload %+v, want %+v", again, tb)
	}
	b.FullScreenshot(t, "all-2026-08")
}
