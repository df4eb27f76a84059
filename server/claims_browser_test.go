package server_test

import (
	"strings"
	"testing"
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
