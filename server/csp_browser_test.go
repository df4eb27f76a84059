package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowser_CSP opens every page under the content security policy and
// checks that nothing is blocked: no CSP violation on the console, the
// stylesheet applied, the page's script run, and the map's inline SVG
// style (allowed by its hash) in force, also after the script swaps the
// map. Then it checks that the check can fail: an inline style added by
// hand is blocked and reported.
func TestBrowser_CSP(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	b.Expect("status of 404") // /no-page, on purpose
	for _, path := range []string{"/map", "/deposits", "/deposits/shevchenkivske", "/timeline", "/claims", "/scenarios?expr=four-oblasts",
		"/supply?commodity=lithium&add_country=UA&add_qty=40000", "/api", "/deal", "/flows", "/no-page", "/map.svg", "/static/icon.svg"} {
		b.Open(t, path)
		b.Do(t, chromedp.Sleep(100*time.Millisecond)) // let late scripts and fetches run
		if !strings.HasSuffix(path, ".svg") {
			// The stylesheet from /static applies: the header is laid out as a flex row.
			if d := Eval[string](t, b, `getComputedStyle(document.querySelector("header.top")).display`); d != "flex" {
				t.Errorf("%s: header display %q: app.css not applied", path, d)
			}
		}
	}
	// The map's own <style> (hash-allowed) styles the deposits, before and
	// after map.js replaces the SVG with one it fetched.
	b.Open(t, "/map?date=2022-04-03")
	stroke := `getComputedStyle(document.querySelector("#map .dep circle")).strokeWidth`
	if w := Eval[string](t, b, stroke); w != "1.5px" {
		t.Fatalf("deposit stroke %q: the map's style was not applied", w)
	}
	b.Do(t, chromedp.Focus(chromedp.ID("date-slider")), chromedp.KeyEvent(kb.End),
		waitFor(`document.querySelector("#map svg").dataset.snapshot !== "2022-04-03"`))
	if w := Eval[string](t, b, stroke); w != "1.5px" {
		t.Fatalf("deposit stroke %q after the swap", w)
	}
	// The scenario map's style, which differs from the map's.
	b.Open(t, "/scenarios?expr=occupied@2025-02-12")
	if w := Eval[string](t, b, `getComputedStyle(document.querySelector("#scenario-map a.moved circle")).strokeWidth`); w != "4px" {
		t.Fatalf("moved deposit stroke %q: the scenario map's style was not applied", w)
	}
	for _, e := range b.Errors() {
		if !strings.Contains(e, "status of 404") {
			t.Errorf("console error: %s", e)
		}
	}

	// The check works: an inline style the page did not ship is refused
	// and reported.
	b.Expect("Content Security Policy")
	b.Expect("CSP violation")
	b.Do(t, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.createElement("style"); s.textContent = "body { color: red }"; document.head.appendChild(s); })()`),
		chromedp.Sleep(200*time.Millisecond))
	if c := Eval[string](t, b, `getComputedStyle(document.body).color`); c == "rgb(255, 0, 0)" {
		t.Fatalf("an inline style was applied: the policy is not in force")
	}
	var reported bool
	for _, e := range b.Errors() {
		if strings.Contains(e, "CSP violation: style-src") {
			reported = true
		}
	}
	if !reported {
		t.Fatalf("the blocked style was not reported: %q", b.Errors())
	}
}
