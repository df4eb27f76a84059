package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowser_DealSliders loads the deal page, moves sliders with the
// keyboard and checks that the results change, then looks at it on a
// phone. Recompute times are logged, never checked.
func TestBrowser_DealSliders(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	b.Open(t, "/deal")
	type state struct {
		Fund, Summary, Query, Ms, ClientMs, Price, Cached, PageCache string
		Charts                                                       int
	}
	read := func() state {
		return Eval[state](t, b, `(() => {
			const o = document.getElementById("deal-out");
			return {Fund: o.dataset.fundMean, Summary: document.getElementById("deal-summary").textContent,
				Query: o.dataset.query, Ms: o.dataset.ms, ClientMs: o.dataset.clientMs || "", Cached: o.dataset.cached, PageCache: o.dataset.pageCache || "",
				Price: document.getElementById("price-out").textContent,
				Charts: document.querySelectorAll("#deal-results svg.chart").length};
		})()`)
	}
	// waitChange waits for results to other parameters than query's.
	waitChange := func(query string) {
		t.Helper()
		b.Do(t, chromedp.Poll[chromedp.Void](`document.getElementById("deal-out").dataset.query !== `+jsString(query)+
			` && !document.getElementById("deal-results").classList.contains("loading")`, chromedp.WithPollingTimeout(15*time.Second)))
	}
	if h1 := Eval[string](t, b, `document.querySelector("h1").textContent`); h1 != "Deal simulator" {
		t.Fatalf("h1 %q", h1)
	}
	before := read()
	if before.Charts != 5 || !strings.HasPrefix(before.Summary, "Under the signed terms (urif-2025)") || before.Price != "1.00×" {
		t.Fatalf("first view: %+v", before)
	}
	b.Screenshot(t, "default")

	// The price level, by keyboard: four steps up.
	b.Do(t, chromedp.Focus(chromedp.ID("price")))
	for i := 0; i < 4; i++ {
		b.Do(t, chromedp.KeyEvent(kb.ArrowRight))
	}
	waitChange(before.Query)
	after := read()
	if after.Price != "1.20×" || after.Fund == before.Fund || after.Summary == before.Summary || !strings.Contains(after.Query, "price_level=1.2") {
		t.Fatalf("after the price slider: %+v", after)
	}
	if u := Eval[string](t, b, `location.search`); !strings.Contains(u, "price_level=1.2") {
		t.Fatalf("URL %q", u)
	}
	t.Logf("price level 1.20: simulation %s ms on the server, %s ms from request to redraw (after the 60 ms debounce)", after.Ms, after.ClientMs)

	// Aid: the US's contributions grow, so its recovery ratio falls.
	recovery := func() string {
		return Eval[string](t, b, `document.querySelector(".stat-card.us strong").textContent`)
	}
	r0 := recovery()
	b.Do(t, chromedp.Focus(chromedp.ID("aid")), chromedp.KeyEvent(kb.End))
	waitChange(after.Query)
	if r1 := recovery(); r1 == r0 {
		t.Fatalf("recovery ratio unchanged by aid: %s", r1)
	}
	b.Screenshot(t, "price-and-aid")

	// Warm: back to a setting seen before, then one new step, timed.
	for _, key := range []string{kb.Home, kb.ArrowRight, kb.ArrowRight} {
		q := read().Query
		b.Do(t, chromedp.KeyEvent(key))
		waitChange(q)
		st := read()
		if st.PageCache == "true" {
			t.Logf("aid slider, one key, back to a setting seen: %s ms from the page's cache to redraw", st.ClientMs)
			continue
		}
		t.Logf("aid slider, one key: simulation %s ms on the server (server cache: %s), %s ms from request to redraw", st.Ms, st.Cached, st.ClientMs)
	}

	// Other terms: the February draft's share of all revenues.
	q := read().Query
	b.Do(t, chromedp.SetValue(chromedp.ID("deal-terms"), "draft-2025-02"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("deal-terms").dispatchEvent(new Event("change", {bubbles: true}))`))
	waitChange(q)
	if sum := read().Summary; !strings.Contains(sum, "draft-2025-02") {
		t.Fatalf("summary for the February draft: %q", sum)
	}
	b.Screenshot(t, "february-draft")
	fullScreenshot(t, b, "february-draft-full")

	b.Do(t, chromedp.EmulateViewport(390, 844))
	b.Open(t, "/deal")
	if w := Eval[int](t, b, `document.documentElement.scrollWidth`); w > 400 {
		t.Errorf("deal page at phone width is %d px wide", w)
	}
	b.Screenshot(t, "phone")
	b.Do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector(".charts.two").scrollIntoView()`))
	b.Screenshot(t, "phone-charts")
}

// fullScreenshot saves the whole page, not only the window, as a PNG.
func fullScreenshot(t *testing.T, b *Browser, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(screenshotDir(), t.Name()+"_"+name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// TestBrowser_DealProjects checks the deal page's projects table: one row
// per project with its eligibility and where each input comes from; the
// order and the ceasefire year are controls whose state is in the URL,
// and a later ceasefire moves a project that waits on it.
func TestBrowser_DealProjects(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	b.Open(t, "/deal?paths=1000")
	type row struct {
		ID, Verdict, Product, Start, Share string
		Published, Model                   int
	}
	rows := func() []row {
		return Eval[[]row](t, b, `Array.from(document.querySelectorAll("#projects-table tbody tr")).map(tr => ({
			ID: tr.dataset.project, Verdict: tr.querySelector(".verdict strong").textContent,
			Product: tr.cells[2].textContent, Start: tr.cells[5].textContent, Share: tr.cells[10].textContent,
			Published: tr.querySelectorAll(".src.published").length, Model: tr.querySelectorAll(".src.model").length}))`)
	}
	find := func(rs []row, id string) row {
		for _, r := range rs {
			if r.ID == id {
				return r
			}
		}
		t.Fatalf("no row for %s in %+v", id, rs)
		return row{}
	}
	first := rows()
	if len(first) < 10 {
		t.Fatalf("%d project rows, want one per valued project (11)", len(first))
	}
	polo := find(first, "polokhivske")
	if !strings.Contains(polo.Product, "petalite concentrate") || polo.Verdict != "eligible" || polo.Published < 3 || !strings.Contains(polo.Start, "waits on the ceasefire") {
		t.Fatalf("polokhivske row %+v", polo)
	}
	if n := find(first, "novokostiantynivske"); n.Verdict != "not eligible" || n.Share != "0.0%" {
		t.Fatalf("novokostiantynivske row %+v: producing since 2011, so outside the signed terms' base", n)
	}
	if f := find(first, "fedorivske"); f.Model == 0 {
		t.Fatalf("fedorivske row %+v: its capacity is Taylor's rule, want a model fallback mark", f)
	}
	// Default order: by share of the fund, largest first.
	if first[0].Share == "0.0%" {
		t.Fatalf("first row %+v: want the largest share first", first[0])
	}
	b.Screenshot(t, "projects")

	// Order by name: the URL keeps it.
	q := Eval[string](t, b, `document.getElementById("deal-out").dataset.query`)
	b.Do(t, chromedp.SetValue(chromedp.ID("deal-sort"), "name"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("deal-sort").dispatchEvent(new Event("change", {bubbles: true}))`))
	b.Do(t, chromedp.Poll[chromedp.Void](`document.getElementById("deal-out").dataset.query !== `+jsString(q)+
		` && !document.getElementById("deal-results").classList.contains("loading")`, chromedp.WithPollingTimeout(15*time.Second)))
	byName := rows()
	for i := 1; i < len(byName); i++ {
		a := Eval[string](t, b, `document.querySelectorAll("#projects-table tbody th")[`+strconv.Itoa(i-1)+`].textContent`)
		c := Eval[string](t, b, `document.querySelectorAll("#projects-table tbody th")[`+strconv.Itoa(i)+`].textContent`)
		if a > c {
			t.Fatalf("by name: %q before %q", a, c)
		}
	}
	if u := Eval[string](t, b, `location.search`); !strings.Contains(u, "projects_sort=name") {
		t.Fatalf("URL %q lacks the order", u)
	}

	// A later ceasefire moves Polokhivske's first output.
	q = Eval[string](t, b, `document.getElementById("deal-out").dataset.query`)
	b.Do(t, chromedp.SetValue(chromedp.ID("deal-ceasefire"), "2032"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("deal-ceasefire").dispatchEvent(new Event("change", {bubbles: true}))`))
	b.Do(t, chromedp.Poll[chromedp.Void](`document.getElementById("deal-out").dataset.query !== `+jsString(q)+
		` && !document.getElementById("deal-results").classList.contains("loading")`, chromedp.WithPollingTimeout(15*time.Second)))
	later := find(rows(), "polokhivske")
	if later.Start == polo.Start || !strings.Contains(later.Start, "2035") {
		t.Fatalf("polokhivske's first output with a ceasefire in 2032: %q (was %q); want 2035, after three years of building", later.Start, polo.Start)
	}
	if u := Eval[string](t, b, `location.search`); !strings.Contains(u, "ceasefire_year=2032") {
		t.Fatalf("URL %q lacks the ceasefire year", u)
	}
	// Reloading the URL gives the same state.
	b.Open(t, "/deal"+Eval[string](t, b, `location.search`))
	if v := Eval[string](t, b, `document.getElementById("deal-ceasefire").value + "/" + document.getElementById("deal-sort").value`); v != "2032/name" {
		t.Fatalf("after reload the controls are %q, want 2032/name", v)
	}
}
