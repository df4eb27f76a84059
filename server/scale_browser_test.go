package server_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser_MapScalePhone checks the maps' scale bar on a phone: its
// label is shown, legible (at least 11 px high on the screen), inside the
// map and over the bar; at desktop width the full labels show and the
// phone's is hidden.
func TestBrowser_MapScalePhone(t *testing.T) {
	s := MustOpenServer(t, nil)
	b := MustOpenBrowser(t, s)
	type label struct {
		Text                  string
		Left, Right, Top, Bot float64
		Height                float64
	}
	type scale struct {
		Labels            []label
		MapLeft, MapRight float64
		BarLeft, BarRight float64
		Wide              int // visible labels of the desktop scale
	}
	read := func(fig string) scale {
		return Eval[scale](t, b, `(() => {
			const svg = document.querySelector("`+fig+` svg"), box = svg.getBoundingClientRect();
			const vis = el => getComputedStyle(el).display !== "none" && getComputedStyle(el.parentElement).display !== "none";
			const bar = svg.querySelector(".scale path").getBoundingClientRect();
			return {MapLeft: box.left, MapRight: box.right, BarLeft: bar.left, BarRight: bar.right,
				Wide: [...svg.querySelectorAll(".scale text")].filter(vis).length,
				Labels: [...svg.querySelectorAll(".scale-narrow text")].filter(vis).map(el => {
					const r = el.getBoundingClientRect();
					return {Text: el.textContent, Left: r.left, Right: r.right, Top: r.top, Bot: r.bottom, Height: r.height};
				})};
		})()`)
	}
	b.Do(t, chromedp.EmulateViewport(390, 844))
	for _, p := range []struct{ path, fig string }{{"/map", "#map"}, {"/scenarios", "#scenario-map"}} {
		b.Open(t, p.path)
		sc := read(p.fig)
		if len(sc.Labels) != 1 || sc.Labels[0].Text != "200 km" || sc.Wide != 0 {
			t.Fatalf("%s on a phone: scale labels %+v, %d desktop labels shown; want 200 km only", p.path, sc.Labels, sc.Wide)
		}
		for _, l := range sc.Labels {
			if l.Height < 11 || l.Left < sc.MapLeft || l.Right > sc.MapRight {
				t.Errorf("%s on a phone: label %+v, map from %.0f to %.0f px; want at least 11 px high, inside the map", p.path, l, sc.MapLeft, sc.MapRight)
			}
		}
		// Centred over the bar (to a pixel).
		if l := sc.Labels[0]; abs((l.Left+l.Right)/2-(sc.BarLeft+sc.BarRight)/2) > 1 {
			t.Errorf("%s on a phone: label from %.1f to %.1f, bar from %.1f to %.1f; want it centred over the bar", p.path, l.Left, l.Right, sc.BarLeft, sc.BarRight)
		}
		b.Do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector("`+p.fig+` svg .scale").scrollIntoView({block: "center"})`))
		b.Screenshot(t, "phone-"+p.fig[1:])
	}
	b.Do(t, chromedp.EmulateViewport(1280, 800))
	b.Open(t, "/map")
	if sc := read("#map"); len(sc.Labels) != 0 || sc.Wide != 3 {
		t.Fatalf("/map at desktop width: %d phone labels, %d desktop labels shown; want 0 and 3", len(sc.Labels), sc.Wide)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
