package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser_Claims opens the claims page: every claim of the register
// has its section, its verdict and a row per figure; the figures link the
// deposits behind them, and following one opens that deposit on the
// figure's snapshot.
func TestBrowser_Claims(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	b.Open(t, "/claims")
	if n := Eval[int](t, b, `document.querySelectorAll("section.claim").length`); n < 10 {
		t.Fatalf("%d claims on the page", n)
	}
	sec := `document.getElementById("claim-metallic-40pct")`
	if w := Eval[string](t, b, sec+`.querySelector("blockquote").textContent`); !strings.Contains(w, "40 percent of Ukraine's metallic mineral resources") {
		t.Fatalf("words %q", w)
	}
	// 2 lines × with and without pre-2022 × count, in-situ value, net value.
	if n := Eval[int](t, b, sec+`.querySelectorAll("tbody tr").length`); n != 12 {
		t.Fatalf("%d figures for the 40%%, want 12", n)
	}
	if v := Eval[string](t, b, sec+`.querySelector(".claim-verdict .verdict").textContent`); v == "" {
		t.Fatal("no verdict")
	}
	href := Eval[string](t, b, sec+`.querySelector("tbody a[href^='/deposits/']").getAttribute("href")`)
	if !strings.HasPrefix(href, "/deposits/") || !strings.Contains(href, "?date=") {
		t.Fatalf("deposit link %q", href)
	}
	id := strings.TrimPrefix(href[:strings.Index(href, "?")], "/deposits/")
	b.Open(t, href)
	if p := Eval[string](t, b, `location.pathname`); p != "/deposits/"+id {
		t.Fatalf("followed %q, want /deposits/%s", p, id)
	}
	if h1 := Eval[string](t, b, `document.querySelector("h1").textContent`); h1 == "" || strings.Contains(h1, "not found") {
		t.Fatalf("deposit page h1 %q", h1)
	}
}

// TestBrowser_ClassFilter: the Map and Timeline pages filter by commodity
// class, and the class stays in the URL.
func TestBrowser_ClassFilter(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)

	// Map: opened with a class, the map and the commodity list follow it;
	// changing the commodity keeps the class in the URL.
	b.Open(t, "/map?date=2025-02-12&class=energy")
	if c := Eval[string](t, b, `document.querySelector("#map svg").dataset.class`); c != "energy" {
		t.Fatalf("map class %q", c)
	}
	if opts := Eval[string](t, b, `[...document.querySelectorAll("#commodity option")].map(o => o.value).join(",")`); opts != ",coal,uranium" {
		t.Fatalf("commodities under energy: %q", opts)
	}
	b.Do(t, chromedp.SetValue(chromedp.ID("commodity"), "uranium"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("commodity").dispatchEvent(new Event("change"))`),
		waitFor(`document.querySelector("#map svg").dataset.commodity === "uranium"`))
	if u := Eval[string](t, b, `location.search`); !strings.Contains(u, "class=energy") || !strings.Contains(u, "commodity=uranium") {
		t.Fatalf("map URL %q", u)
	}

	// Timeline: choosing a class redraws in place and puts it in the URL.
	b.Open(t, "/timeline")
	b.Do(t, chromedp.SetValue(chromedp.ID("tl-class"), "metallic"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("tl-class").dispatchEvent(new Event("change"))`),
		waitFor(`document.querySelector("#share-chart").dataset.class === "metallic"`))
	if u := Eval[string](t, b, `location.search`); u != "?class=metallic" {
		t.Fatalf("timeline URL %q", u)
	}
	if h := Eval[string](t, b, `document.getElementById("headline").textContent`); !strings.Contains(h, "metallic deposits") {
		t.Fatalf("headline %q", h)
	}
}
