package server_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath returns Debian's chromium, or "" when it is not installed.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// screenshotDir is where browser tests save screenshots: $NADRA_SCREENSHOTS,
// or a temporary directory that is kept so that people can look.
var screenshotDir = sync.OnceValue(func() string {
	if d := os.Getenv("NADRA_SCREENSHOTS"); d != "" {
		os.MkdirAll(d, 0o755)
		return d
	}
	d, err := os.MkdirTemp("", "nadra-screenshots-")
	if err != nil {
		panic(err)
	}
	return d
})

// Browser is a headless Chromium tab on a test server, collecting the
// console errors of its pages.
type Browser struct {
	ctx      context.Context
	s        *TestServer
	mu       sync.Mutex
	errors   []string
	expected []string // console errors a test provokes on purpose
}

// Expect tolerates console errors containing s, such as Chromium's
// "Failed to load resource" for a 400 a test asks for on purpose.
func (b *Browser) Expect(s string) {
	b.mu.Lock()
	b.expected = append(b.expected, s)
	b.mu.Unlock()
}

// MustOpenBrowser starts headless Chromium on a fresh profile, at a
// 1280×800 window. The test skips when chromium is not installed.
func MustOpenBrowser(t *testing.T, s *TestServer) *Browser {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("chromium not found: install it (apt-get install -y chromium) to run the browser tests")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelC()
		cancelA()
	})
	if err := chromedp.Do(ctx); err != nil { // start the browser and the tab
		t.Fatalf("start chromium: %v", err)
	}
	b := &Browser{ctx: ctx, s: s}
	// Every page reports what the content security policy blocks as a
	// console error, besides Chromium's own message, so that a violation
	// fails any browser test.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspReporter}); err != nil {
		t.Fatalf("install the CSP reporter: %v", err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			csp := strings.Contains(m.String(), "Content Security Policy") || strings.Contains(m.String(), "CSP violation")
			if m.Type == chromedp.ConsoleError || m.IsException() || csp {
				b.mu.Lock()
				b.errors = append(b.errors, m.String()+" at "+m.URL)
				b.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		time.Sleep(50 * time.Millisecond) // let the last messages arrive
		b.mu.Lock()
		defer b.mu.Unlock()
	next:
		for _, e := range b.errors {
			for _, x := range b.expected {
				if strings.Contains(e, x) {
					continue next
				}
			}
			t.Errorf("console error: %s", e)
		}
	})
	return b
}

// cspReporter logs each content security policy violation of a page as
// a console error naming the directive and what it blocked.
const cspReporter = `document.addEventListener("securitypolicyviolation", e =>
	console.error("CSP violation: " + e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + (e.sample ? " (" + e.sample + ")" : "")));`

// Errors returns the console errors so far.
func (b *Browser) Errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}

// Do runs actions with a time limit, failing the test on error.
func (b *Browser) Do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// Eval evaluates JavaScript in the page.
func Eval[T any](t *testing.T, b *Browser, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// Open navigates to a path of the test server.
func (b *Browser) Open(t *testing.T, path string) {
	t.Helper()
	b.Do(t, chromedp.Navigate(b.s.URL()+path))
}

// Screenshot saves what the window shows as a PNG named after the test.
func (b *Browser) Screenshot(t *testing.T, name string) {
	t.Helper()
	b.screenshot(t, name, chromedp.CaptureScreenshot())
}

// FullScreenshot saves the whole page, beyond the window, as a PNG.
func (b *Browser) FullScreenshot(t *testing.T, name string) {
	t.Helper()
	b.screenshot(t, name, chromedp.FullScreenshot(100))
}

func (b *Browser) screenshot(t *testing.T, name string, shot chromedp.Action[[]byte]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(screenshotDir(), strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())+"_"+name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// TestBrowser_Pages loads every page at desktop and phone widths.
func TestBrowser_Pages(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	for _, p := range []struct{ path, name, h1 string }{
		{"/map", "map", "Deposits and the front line"},
		{"/deposits", "deposits", "Deposits"},
		{"/deposits/shevchenkivske", "deposit", "Shevchenkivske"},
		{"/timeline", "timeline", "Timeline"},
		{"/claims", "claims", "Claims"},
		{"/scenarios", "scenarios", "Scenarios"},
		{"/supply", "supply", "Supply"},
		{"/api", "api", "Data & API"},
		{"/deal", "deal", "Deal simulator"},
		{"/flows", "flows", "Flows"},
	} {
		b.Open(t, p.path)
		if h1 := Eval[string](t, b, `document.querySelector("h1").textContent`); !strings.HasPrefix(h1, p.h1) {
			t.Fatalf("%s: h1 %q, want %q", p.path, h1, p.h1)
		}
		// Every page has the same navigation, with the current page marked.
		if nav := Eval[string](t, b, `[...document.querySelectorAll("header nav a")].map(a => a.textContent).join(",")`); nav != "Map,Deposits,Timeline,Claims,Scenarios,Supply,Deal,Flows,Data & API" {
			t.Fatalf("%s: nav %q", p.path, nav)
		}
		b.FullScreenshot(t, p.name)
	}
	b.Do(t, chromedp.EmulateViewport(390, 844))
	for _, p := range []string{"/map", "/deposits", "/timeline", "/claims", "/scenarios", "/supply", "/flows"} {
		b.Open(t, p)
		if w := Eval[int](t, b, `document.documentElement.scrollWidth`); w > 400 {
			t.Errorf("%s at phone width: the page is %d px wide", p, w)
		}
		// Chart labels stay readable: the narrow drawing is shown, and its
		// tick labels are at least 10 px high on screen.
		if h := Eval[float64](t, b, `Math.min(...[...document.querySelectorAll(".chart-fig svg .axis text")].filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().height).concat([99]))`); h < 10 {
			t.Errorf("%s at phone width: chart labels %.1f px high", p, h)
		}
		b.Screenshot(t, "phone"+strings.ReplaceAll(p, "/", "_"))
	}
}

// TestBrowser_MapSlider moves the date slider with the keyboard and checks
// that the share and the occupied area change, then hovers a deposit.
func TestBrowser_MapSlider(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	b.Open(t, "/map?date=2022-04-03")
	type state struct {
		Headline, Share, Snapshot, Download string
		Occupied                            int
	}
	read := func() state {
		return Eval[state](t, b, `(() => {
			const svg = document.querySelector("#map svg");
			return {Headline: document.getElementById("headline").textContent,
				Share: svg.dataset.shareCount, Snapshot: svg.dataset.snapshot,
				Download: document.getElementById("download").getAttribute("href"),
				Occupied: document.querySelector("#map path.occupied").getAttribute("d").length};
		})()`)
	}
	before := read()
	if before.Snapshot != "2022-04-03" {
		t.Fatalf("first snapshot %q", before.Snapshot)
	}
	b.Screenshot(t, "2022")
	// Keyboard: focus the slider, go to the last snapshot.
	b.Do(t, chromedp.Focus(chromedp.ID("date-slider")), chromedp.KeyEvent(kb.End))
	b.Do(t, chromedp.Poll[chromedp.Void](`document.querySelector("#map svg").dataset.snapshot === "2026-08-22"`, chromedp.WithPollingTimeout(10*time.Second)))
	after := read()
	if after.Share == before.Share || after.Headline == before.Headline {
		t.Fatalf("share did not change: %q then %q", before.Headline, after.Headline)
	}
	if after.Occupied == before.Occupied {
		t.Fatalf("the occupied area did not change")
	}
	if !strings.Contains(after.Download, "date=2026-08-22") {
		t.Fatalf("download link %q", after.Download)
	}
	if u := Eval[string](t, b, `location.search`); !strings.Contains(u, "date=2026-08-22") {
		t.Fatalf("URL %q", u)
	}
	// One step back with the arrow key.
	b.Do(t, chromedp.KeyEvent(kb.ArrowLeft))
	b.Do(t, chromedp.Poll[chromedp.Void](`document.querySelector("#map svg").dataset.snapshot !== "2026-08-22"`, chromedp.WithPollingTimeout(10*time.Second)))
	// The commodity filter.
	b.Do(t, chromedp.SetValue(chromedp.ID("commodity"), "lithium"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("commodity").dispatchEvent(new Event("change"))`),
		chromedp.Poll[chromedp.Void](`document.querySelector("#map svg").dataset.commodity === "lithium"`, chromedp.WithPollingTimeout(10*time.Second)))
	if h := read().Headline; !strings.Contains(h, "lithium deposits") {
		t.Fatalf("headline after the filter: %q", h)
	}
	// Focus a deposit with the keyboard: the tooltip shows its name,
	// commodities, distance and uncertainty.
	b.Do(t, chromedp.Focus(chromedp.CSS("#map a.dep")),
		chromedp.Poll[chromedp.Void](`!document.getElementById("tip").hidden`, chromedp.WithPollingTimeout(10*time.Second)))
	tip := Eval[string](t, b, `document.getElementById("tip").hidden ? "" : document.getElementById("tip").textContent`)
	for _, want := range []string{"lithium", "Distance", "Position", "km"} {
		if !strings.Contains(tip, want) {
			t.Fatalf("tooltip %q lacks %q", tip, want)
		}
	}
	b.Screenshot(t, "2026-lithium-tooltip")
	// Enter opens the deposit's page.
	b.Do(t, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("dl.facts")))
	if p := Eval[string](t, b, `location.pathname`); !strings.HasPrefix(p, "/deposits/") {
		t.Fatalf("Enter on a deposit opened %q", p)
	}
}

// TestBrowser_DepositsTable sorts and filters the deposits table.
func TestBrowser_DepositsTable(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	b.Open(t, "/deposits")
	first := func() string {
		return Eval[string](t, b, `[...document.querySelectorAll("#deposits tbody tr")].find(r => !r.hidden).dataset.name`)
	}
	// Sort by value, descending: the most valuable first.
	b.Do(t, chromedp.Click(chromedp.CSS(`button[data-key="value"]`)), chromedp.Click(chromedp.CSS(`button[data-key="value"]`)))
	if sort := Eval[string](t, b, `document.querySelector('button[data-key="value"]').parentElement.getAttribute("aria-sort")`); sort != "descending" {
		t.Fatalf("aria-sort %q", sort)
	}
	top := first()
	vals := Eval[[]float64](t, b, `[...document.querySelectorAll("#deposits tbody tr")].filter(r => r.dataset.value).map(r => parseFloat(r.dataset.value))`)
	for i := 1; i < len(vals); i++ {
		if vals[i] > vals[i-1] {
			t.Fatalf("not sorted by value, descending: %v (first %s)", vals, top)
		}
	}
	// Filter by commodity and status.
	b.Do(t, chromedp.SetValue(chromedp.ID("filter-commodity"), "titanium"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("filter-commodity").dispatchEvent(new Event("input"))`))
	count := Eval[string](t, b, `document.getElementById("count").textContent`)
	if n := shipped(t).Deposits; !strings.Contains(count, fmt.Sprintf("of %d deposits", n)) || strings.HasPrefix(count, fmt.Sprintf("%d ", n)) {
		t.Fatalf("count after filter: %q", count)
	}
	shown := Eval[[]string](t, b, `[...document.querySelectorAll("#deposits tbody tr")].filter(r => !r.hidden).map(r => r.dataset.commodities)`)
	for _, c := range shown {
		if !strings.Contains(c, "titanium") {
			t.Fatalf("row without titanium shown: %q", c)
		}
	}
	// Every figure has its source on hover.
	if n := Eval[int](t, b, `[...document.querySelectorAll("#deposits .fig")].filter(f => !f.title).length`); n != 0 {
		t.Fatalf("%d figures without a source", n)
	}
	b.Screenshot(t, "titanium-by-value")
}
