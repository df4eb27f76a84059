package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// waitFor polls a JavaScript condition for up to ten seconds.
func waitFor(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(10*time.Second))
}

// TestBrowser_Analysis drives the timeline, scenario and supply pages in
// one browser: choose a commodity, run scenarios (picked, typed, wrong,
// drawn), and change a supply what-if, checking what changes.
func TestBrowser_Analysis(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)

	t.Run("Timeline", func(t *testing.T) {
		b.Open(t, "/timeline")
		if n := Eval[int](t, b, `document.querySelectorAll("#share-chart .chart-wide svg .series").length`); n != 2 {
			t.Fatalf("%d series on the share chart", n)
		}
		// Choose lithium: the chart, the headline and the events follow.
		b.Do(t, chromedp.Focus(chromedp.ID("tl-commodity")), chromedp.SetValue(chromedp.ID("tl-commodity"), "lithium"),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("tl-commodity").dispatchEvent(new Event("change"))`),
			waitFor(`document.querySelector("#share-chart").dataset.commodity === "lithium"`))
		if h := Eval[string](t, b, `document.getElementById("headline").textContent`); !strings.Contains(h, "lithium deposits") {
			t.Fatalf("headline %q", h)
		}
		if ev := Eval[string](t, b, `document.querySelector(".events").textContent`); !strings.Contains(ev, "Shevchenkivske") {
			t.Fatalf("events %q", ev)
		}
		if u := Eval[string](t, b, `location.search`); u != "?commodity=lithium" {
			t.Fatalf("URL %q", u)
		}
		// The focus stayed on the select, and the event marker is reachable
		// by keyboard and links to the list.
		if id := Eval[string](t, b, `document.activeElement.id`); id != "tl-commodity" {
			t.Fatalf("focus on %q after the update", id)
		}
		if href := Eval[string](t, b, `document.querySelector("#share-chart .chart-wide a.mark").getAttribute("href")`); href != "#event-1" {
			t.Fatalf("mark href %q", href)
		}
		b.Screenshot(t, "lithium")
	})

	t.Run("Scenario", func(t *testing.T) {
		b.Open(t, "/scenarios?expr=four-oblasts")
		type state struct {
			Expr, ToOcc, ToCtl, KmOcc, KmCtl, Summary string
			Area                                      int
			Moved                                     []string
		}
		read := func() state {
			return Eval[state](t, b, `(() => {
				const svg = document.querySelector("#scenario-map svg");
				return {Expr: svg.dataset.expr, ToOcc: svg.dataset.toOccupied, ToCtl: svg.dataset.toControlled,
					KmOcc: document.getElementById("km-to-occupied").textContent, KmCtl: document.getElementById("km-to-controlled").textContent,
					Summary: document.getElementById("summary").textContent,
					Area: document.querySelector("#scenario-map path.occupied").getAttribute("d").length,
					Moved: [...document.querySelectorAll("#scenario-map a.moved")].map(a => a.dataset.id)};
			})()`)
		}
		four := read()
		if four.Expr != "four-oblasts" || four.KmOcc == "0" {
			t.Fatalf("four oblasts: %+v", four)
		}
		b.Screenshot(t, "four-oblasts")
		// Type an expression: back to the line of 12 February 2025.
		b.Do(t, chromedp.SetValue(chromedp.ID("expr"), "occupied@2025-02-12"),
			chromedp.Click(chromedp.ID("run")),
			waitFor(`document.querySelector("#scenario-map svg").dataset.expr === "occupied@2025-02-12"`))
		freeze := read()
		// Shevchenkivske and the Pokrovsk coal district were taken after 2025-02.
		if freeze.ToCtl != "2" || freeze.KmCtl == "0" || freeze.Area == four.Area || strings.Join(freeze.Moved, ",") != "shevchenkivske,pokrovsk-coal" {
			t.Fatalf("2025-02-12: %+v", freeze)
		}
		if l := Eval[string](t, b, `document.getElementById("to-controlled").textContent`); !strings.Contains(l, "Shevchenkivske") {
			t.Fatalf("to controlled: %q", l)
		}
		b.Screenshot(t, "2025-02-12")
		// A syntax error: a 400 page with the column marked.
		b.Expect("status of 400")
		b.Do(t, chromedp.SetValue(chromedp.ID("expr"), "occupied@latest | | oblast:UA-14"),
			chromedp.Focus(chromedp.ID("expr")), chromedp.KeyEvent(kb.Enter),
			waitFor(`!!document.getElementById("form-error")`))
		msg := Eval[string](t, b, `document.getElementById("form-error").textContent`)
		if !strings.Contains(msg, "column 19") || Eval[string](t, b, `document.getElementById("expr").getAttribute("aria-invalid")`) != "true" {
			t.Fatalf("error %q", msg)
		}
		if caret := Eval[string](t, b, `document.querySelector("#form-error pre.caret").textContent.split("\n")[1]`); caret != strings.Repeat(" ", 18)+"^" {
			t.Fatalf("caret %q", caret)
		}
		b.Screenshot(t, "error")
		// Pick a shipped scenario from the list.
		b.Do(t, chromedp.Click(chromedp.CSS(`#shipped a[data-expr="donetsk-luhansk"]`)),
			waitFor(`!!document.querySelector("#scenario-map svg") && document.querySelector("#scenario-map svg").dataset.expr === "donetsk-luhansk"`))
		if dl := read(); dl.Area == freeze.Area || dl.KmOcc == freeze.KmOcc {
			t.Fatalf("donetsk-luhansk did not change the map: %+v", dl)
		}

		// Draw a square around Dobra, which the latest line leaves
		// controlled, and make it occupied: Dobra changes hands.
		b.Do(t, chromedp.SetValue(chromedp.ID("expr"), "occupied@latest"), chromedp.Click(chromedp.ID("run")),
			waitFor(`document.querySelector("#scenario-map svg").dataset.expr === "occupied@latest"`))
		// By keyboard: the map takes the focus; arrows move the cross, Enter
		// adds a corner, Backspace removes one, Esc cancels.
		b.Do(t, chromedp.Click(chromedp.ID("draw")), waitFor(`document.activeElement.id === "scenario-map"`),
			chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.Enter),
			chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent(kb.Backspace))
		if n := Eval[string](t, b, `document.getElementById("draw-count").textContent`); n != "2" {
			t.Fatalf("%s corners by keyboard, want 2", n)
		}
		b.Do(t, chromedp.KeyEvent(kb.Escape), waitFor(`document.getElementById("draw-bar").hidden`))
		// By mouse.
		b.Do(t, chromedp.Click(chromedp.ID("draw")), waitFor(`!document.getElementById("draw-bar").hidden`))
		box := Eval[struct{ X, Y float64 }](t, b, `(() => {
			const r = document.querySelector('#scenario-map a.dep[data-id="dobra"] circle').getBoundingClientRect();
			return {X: r.x + r.width / 2, Y: r.y + r.height / 2};
		})()`)
		for _, d := range [][2]float64{{-6, -6}, {6, -6}, {6, 6}, {-6, 6}} {
			b.Do(t, chromedp.MouseClickXY(box.X+d[0], box.Y+d[1]))
		}
		if n := Eval[string](t, b, `document.getElementById("draw-count").textContent`); n != "4" {
			t.Fatalf("%s corners after four clicks", n)
		}
		b.Screenshot(t, "drawing")
		b.Do(t, chromedp.Click(chromedp.ID("draw-occupied")),
			waitFor(`!!document.querySelector("#scenario-map svg") && document.querySelector("#scenario-map svg").dataset.expr === "occupied@latest | file:drawn"`))
		drawn := read()
		if drawn.ToOcc != "1" || len(drawn.Moved) != 1 || drawn.Moved[0] != "dobra" {
			t.Fatalf("drawn: %+v", drawn)
		}
		if g := Eval[string](t, b, `document.getElementById("drawn").value`); !strings.Contains(g, `"Polygon"`) {
			t.Fatalf("drawn GeoJSON %q", g)
		}
		b.Screenshot(t, "drawn-dobra")
	})

	t.Run("Supply", func(t *testing.T) {
		b.Open(t, "/supply?commodity=lithium")
		type state struct {
			Headline, China, HHI, ChinaAfter, HHIAfter string
			After                                      int
		}
		read := func() state {
			return Eval[state](t, b, `(() => {
				const svg = document.querySelector("#share-bars .chart-wide svg");
				return {Headline: document.getElementById("headline").textContent,
					China: document.querySelector("#m-china .before").textContent, HHI: document.querySelector("#m-hhi .before").textContent,
					ChinaAfter: (document.querySelector("#m-china .after") || {}).textContent || "",
					HHIAfter: (document.querySelector("#m-hhi .after") || {}).textContent || "",
					After: svg.querySelectorAll("rect.after").length};
			})()`)
		}
		before := read()
		if before.After != 0 || before.China == "" || before.ChinaAfter != "" {
			t.Fatalf("before: %+v", before)
		}
		// Add 40,000 t for Ukraine: the numbers change, and the bars show both.
		b.Do(t, chromedp.SetValue(chromedp.ID("add-country"), "UA"), chromedp.SetValue(chromedp.ID("add-qty"), "40000"),
			chromedp.Click(chromedp.ID("whatif-run")),
			waitFor(`!!document.querySelector("#m-china .after")`))
		after := read()
		if after.ChinaAfter == "" || after.ChinaAfter == after.China || after.HHIAfter == after.HHI || after.After == 0 || after.Headline == before.Headline {
			t.Fatalf("after: %+v (before %+v)", after, before)
		}
		if u := Eval[string](t, b, `location.search`); !strings.Contains(u, "add_qty=40000") {
			t.Fatalf("URL %q", u)
		}
		b.Screenshot(t, "lithium-ua-40000")
		// Another amount gives other numbers.
		b.Do(t, chromedp.SetValue(chromedp.ID("add-qty"), "5000"), chromedp.Click(chromedp.ID("whatif-run")),
			waitFor(`location.search.includes("add_qty=5000")`))
		if small := read(); small.ChinaAfter == after.ChinaAfter {
			t.Fatalf("5,000 t gives the same as 40,000 t: %+v", small)
		}
		// The accessible deposits under a scenario.
		b.Do(t, chromedp.SetValue(chromedp.ID("add-qty"), ""), chromedp.SetValue(chromedp.ID("add-country"), ""),
			chromedp.SetValue(chromedp.ID("add-accessible"), "ceasefire-latest"), chromedp.Click(chromedp.ID("whatif-run")),
			waitFor(`!!document.getElementById("potentials")`))
		if rows := Eval[string](t, b, `document.getElementById("potentials").textContent`); !strings.Contains(rows, "dobra") {
			t.Fatalf("potentials %q", rows)
		}
		b.Screenshot(t, "lithium-accessible")
	})
}
