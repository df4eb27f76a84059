package server_test

import (
	"context"
	"net/url"
	"strconv"
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
	b.Do(t, chromedp.WaitReady(chromedp.ID(id)),
		chromedp.Evaluate[chromedp.Void](`(() => { const e = document.getElementById(`+jsString(id)+`); e.value = `+jsString(value)+`;
			e.dispatchEvent(new Event(`+jsString(event)+`, {bubbles: true})); })()`))
}

// TestBrowser_DepositsURLState loads the deposits page from a URL with
// filters and checks the view, then changes each control and checks that
// the URL follows, across a change of date too.
func TestBrowser_DepositsURLState(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	n := shipped(t).Deposits
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
	if v.Commodity != "lithium" || v.Status != "occupied" || len(v.Shown) == 0 || !strings.HasSuffix(v.Count, " of "+strconv.Itoa(n)+" deposits") {
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
	waitNavigated(t, b, `location.search.includes("date=2022-04-03") && document.readyState === "complete" && !!document.getElementById("deposits")`)
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

// TestBrowser_DealURLState loads the deal page from a URL naming the
// terms, the comparison, the scenario and the sliders, checks that the
// controls and the results show them, then changes a control of each
// kind and checks the URL.
func TestBrowser_DealURLState(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	b.Open(t, "/deal?deal=draft-2025-02&vs=urif-2025&scenario=ceasefire-latest&discount=0.1&price_level=1.25&hazard_scale=2&ukraine_share=0.4&paths=1000&ceasefire_year=none")
	type controls struct {
		Deal, VS, Scenario, Discount, Price, Hazard, Share, Paths, Ceasefire, Summary, Query string
	}
	read := func() controls {
		return Eval[controls](t, b, `(() => { const v = id => document.getElementById(id).value; return {
			Deal: v("deal-terms"), VS: v("deal-vs"), Scenario: v("deal-scenario"), Discount: v("discount"), Price: v("price"),
			Hazard: v("hazard"), Share: v("share"), Paths: v("paths"), Ceasefire: v("deal-ceasefire"),
			Summary: document.getElementById("deal-summary").textContent, Query: document.getElementById("deal-out").dataset.query}; })()`)
	}
	c := read()
	want := controls{Deal: "draft-2025-02", VS: "urif-2025", Scenario: "ceasefire-latest", Discount: "0.1", Price: "1.25", Hazard: "2", Share: "0.4", Paths: "1000", Ceasefire: "none"}
	if c.Deal != want.Deal || c.VS != want.VS || c.Scenario != want.Scenario || c.Discount != want.Discount || c.Price != want.Price ||
		c.Hazard != want.Hazard || c.Share != want.Share || c.Paths != want.Paths || c.Ceasefire != want.Ceasefire {
		t.Fatalf("controls %+v, want %+v", c, want)
	}
	// The results are those of the URL's parameters: the server says so
	// in the results' own query.
	rq, _ := url.ParseQuery(c.Query)
	for k, v := range map[string]string{"deal": "draft-2025-02", "vs": "urif-2025", "scenario": "ceasefire-latest", "discount": "0.1", "price_level": "1.25",
		"hazard_scale": "2", "ukraine_share": "0.4", "paths": "1000", "ceasefire_year": "none"} {
		if rq.Get(k) != v {
			t.Errorf("results for %s=%q, want %q (query %s)", k, rq.Get(k), v, c.Query)
		}
	}
	if !strings.Contains(c.Summary, "draft-2025-02") {
		t.Fatalf("summary %q", c.Summary)
	}

	waitChange := func(q string) {
		t.Helper()
		b.Do(t, chromedp.Poll[chromedp.Void](`document.getElementById("deal-out").dataset.query !== `+jsString(q)+
			` && !document.getElementById("deal-results").classList.contains("loading")`, chromedp.WithPollingTimeout(20*time.Second)))
	}
	for _, step := range []struct {
		id, value, event, param string
	}{
		{"deal-vs", "", "change", "vs"},
		{"deal-scenario", "", "change", "scenario"},
		{"deal-terms", "urif-2025", "change", "deal"},
		{"hazard", "0.5", "input", "hazard_scale"},
	} {
		q := read().Query
		setSelect(t, b, step.id, step.value, step.event)
		waitChange(q)
		got := query(t, b)
		if step.value == "" && got.Has(step.param) || step.value != "" && got.Get(step.param) != step.value {
			t.Fatalf("after %s=%q the URL is %v", step.id, step.value, got)
		}
		// The rest of the state stays in the URL.
		if got.Get("discount") != "0.1" || got.Get("paths") != "1000" {
			t.Fatalf("after %s the URL lost the other state: %v", step.id, got)
		}
	}
	// Reloading the URL gives the same controls.
	b.Open(t, "/deal"+Eval[string](t, b, `location.search`))
	if c := read(); c.Deal != "urif-2025" || c.VS != "" || c.Scenario != "" || c.Hazard != "0.5" || c.Discount != "0.1" {
		t.Fatalf("after reload: %+v", c)
	}
}

// TestBrowser_DealVS checks /deal?vs=ID: each headline card shows both
// terms' figures, each histogram outlines the other terms' distribution
// on the same bins, and the fan draws their median and P5–P95; the
// figures are those of the API's run of the same request.
func TestBrowser_DealVS(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	b.Open(t, "/deal?vs=draft-2025-02&paths=1000")
	type card struct{ Label, Own, VS string }
	type view struct {
		Cards               []card
		HistVS, HistMeanVS  int
		FanVSMedian, FanVS  int
		HistLegend, FanDesc string
	}
	v := Eval[view](t, b, `({
		Cards: [...document.querySelectorAll(".stat-card")].map(c => ({Label: c.querySelector("dt").textContent,
			Own: c.querySelector("dd > strong").textContent, VS: (c.querySelector(".vs strong") || {}).textContent || ""})),
		HistVS: document.querySelectorAll("#deal-results svg.histogram path.vs").length,
		HistMeanVS: document.querySelectorAll("#deal-results svg.histogram path.vs-mean").length,
		FanVSMedian: document.querySelectorAll("#deal-results svg.fan path.vs-median").length,
		FanVS: document.querySelectorAll("#deal-results svg.fan path.vs").length,
		HistLegend: document.querySelector("#deal-results svg.histogram").textContent,
		FanDesc: document.querySelector("#deal-results svg.fan").textContent})`)
	if len(v.Cards) != 5 {
		t.Fatalf("%d cards", len(v.Cards))
	}
	for _, c := range v.Cards {
		if c.VS == "" {
			t.Errorf("card %q shows no figure for the other terms", c.Label)
		}
	}
	if v.HistVS != 3 || v.HistMeanVS < 1 || v.FanVSMedian != 1 || v.FanVS != 3 {
		t.Fatalf("overlays: %d histogram outlines (want 3), %d vs means, fan %d median and %d lines (want 1 and 3)", v.HistVS, v.HistMeanVS, v.FanVSMedian, v.FanVS)
	}
	if !strings.Contains(v.HistLegend, "vs draft-2025-02") || !strings.Contains(v.FanDesc, "vs draft-2025-02: median") {
		t.Fatalf("legends do not name the other terms: %q / %q", v.HistLegend, v.FanDesc)
	}
	// The fund card against the API's run of the same request: the same
	// paths (1,000, seed 1) and terms.
	var api struct {
		Terms []struct {
			ID      string
			Metrics map[string]struct{ Mean float64 }
		}
	}
	r := s.Do(t, "POST", "/api/v1/simulate", strings.NewReader(`{"vs": "draft-2025-02", "paths": 1000}`))
	r.JSON(t, &api)
	if len(api.Terms) != 2 || api.Terms[1].ID != "draft-2025-02" {
		t.Fatalf("API terms %+v", api.Terms)
	}
	parse := func(s string) float64 { // "$12.3 bn" → 12.3e9
		x, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(strings.ReplaceAll(s, "-$", "-"), "$"), " bn"), 64)
		if err != nil {
			t.Fatalf("card figure %q: %v", s, err)
		}
		return x * 1e9
	}
	fund := v.Cards[0]
	for i, got := range []float64{parse(fund.Own), parse(fund.VS)} {
		want := api.Terms[i].Metrics["fund_receipts_pv"].Mean
		if d := got - want; d > 0.051e9+0.005*abs(want) || d < -0.051e9-0.005*abs(want) {
			t.Errorf("fund card, %s: %s, the API's mean %.4g", api.Terms[i].ID, []string{fund.Own, fund.VS}[i], want)
		}
	}
	if fund.Own == fund.VS {
		t.Errorf("both terms show %s for the fund; the February draft takes a share of all revenues, the signed terms of new licences only", fund.Own)
	}
	b.Do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector(".deal-stats").scrollIntoView()`))
	b.Screenshot(t, "vs")
	b.Do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector(".charts.two").scrollIntoView()`))
	b.Screenshot(t, "vs-fan")
}

// TestBrowser_ScenariosURLState loads the scenarios page from a URL (an
// expression and a baseline), checks the view, changes the expression and
// checks the URL, then draws an area and checks that the URL carries it:
// opening that URL again shows the same drawn scenario.
func TestBrowser_ScenariosURLState(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	type view struct {
		Expr, Baseline, MapExpr, ToOcc, Drawn string
		Moved                                 []string
	}
	read := func() view {
		return Eval[view](t, b, `(() => { const svg = document.querySelector("#scenario-map svg"); return {
			Expr: document.getElementById("expr").value, Baseline: document.getElementById("baseline").value,
			MapExpr: svg.dataset.expr, ToOcc: svg.dataset.toOccupied, Drawn: document.getElementById("drawn").value,
			Moved: [...document.querySelectorAll("#scenario-map a.moved")].map(a => a.dataset.id)}; })()`)
	}
	b.Open(t, "/scenarios?expr=four-oblasts&baseline="+url.QueryEscape("occupied@2024-02-01"))
	if v := read(); v.Expr != "four-oblasts" || v.Baseline != "occupied@2024-02-01" || v.MapExpr != "four-oblasts" || v.ToOcc == "0" || v.ToOcc == "" {
		t.Fatalf("view of the URL: %+v", v)
	}
	// A new expression: the URL follows, the baseline kept.
	b.Do(t, chromedp.SetValue(chromedp.ID("expr"), "occupied@latest"), chromedp.Click(chromedp.ID("run")),
		waitFor(`document.querySelector("#scenario-map svg").dataset.expr === "occupied@latest"`))
	if q := query(t, b); q.Get("expr") != "occupied@latest" || q.Get("baseline") != "occupied@2024-02-01" {
		t.Fatalf("URL after a new expression: %v", q)
	}
	b.Do(t, chromedp.SetValue(chromedp.ID("baseline"), "occupied@latest"), chromedp.Click(chromedp.ID("run")),
		waitFor(`document.getElementById("baseline").value === "occupied@latest" && !document.getElementById("swap").hasAttribute("aria-busy")`))
	// Draw a square around Dobra, which the latest line leaves controlled,
	// and make it occupied.
	b.Do(t, chromedp.Click(chromedp.ID("draw")), waitFor(`!document.getElementById("draw-bar").hidden`))
	box := Eval[struct{ X, Y float64 }](t, b, `(() => {
		const r = document.querySelector('#scenario-map a.dep[data-id="dobra"] circle').getBoundingClientRect();
		return {X: r.x + r.width / 2, Y: r.y + r.height / 2};
	})()`)
	for _, d := range [][2]float64{{-6, -6}, {6, -6}, {6, 6}, {-6, 6}} {
		b.Do(t, chromedp.MouseClickXY(box.X+d[0], box.Y+d[1]))
	}
	b.Do(t, chromedp.Click(chromedp.ID("draw-occupied")),
		waitFor(`document.querySelector("#scenario-map svg").dataset.expr === "occupied@latest | file:drawn"`))
	drawn := read()
	if len(drawn.Moved) != 1 || drawn.Moved[0] != "dobra" || !strings.Contains(drawn.Drawn, `"Polygon"`) {
		t.Fatalf("drawn: %+v", drawn)
	}
	q := query(t, b)
	if q.Get("expr") != "occupied@latest | file:drawn" || q.Get("drawn") != drawn.Drawn || q.Has("baseline") {
		t.Fatalf("URL after drawing: %v; want the expression and the drawn GeoJSON %s", q, drawn.Drawn)
	}
	// The URL alone reproduces the view, with script and without.
	link := "/scenarios?" + q.Encode()
	b.Open(t, link)
	if v := read(); v.MapExpr != "occupied@latest | file:drawn" || len(v.Moved) != 1 || v.Moved[0] != "dobra" || v.Drawn != drawn.Drawn {
		t.Fatalf("the link %s shows %+v", link, v)
	}
	if html := string(s.Get(t, link).Body); !strings.Contains(html, `data-id="dobra"`) || !strings.Contains(html, "Drawn area (file:drawn)") {
		t.Fatalf("the link without script lacks the drawn area")
	}
	b.Screenshot(t, "drawn-from-url")
}

// waitNavigated waits, through a navigation the page starts itself, until
// cond is true in the new page: evaluations that the navigation cuts
// short are tried again.
func waitNavigated(t *testing.T, b *Browser, cond string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("page never satisfied %s", cond)
}
