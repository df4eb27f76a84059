package render

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestSVGOpen(t *testing.T) {
	var b bytes.Buffer
	svgOpen(&b, svgRoot{id: "a&b", class: "fan", w: 400, h: 250.5, fs: 12, title: "T <1>", desc: "D", attrs: attrList(map[string]string{"data-z": `"q"`, "data-a": "1"})})
	want := `<svg xmlns="http://www.w3.org/2000/svg" class="chart fan" viewBox="0 0 400 250.5" width="400" height="250.5" role="img" aria-labelledby="a&amp;b-title a&amp;b-desc" font-family="` + chartFont + `" font-size="12" data-a="1" data-z="&#34;q&#34;">` + "\n" +
		`<title id="a&amp;b-title">T &lt;1&gt;</title>` + "\n" + `<desc id="a&amp;b-desc">D</desc>` + "\n" +
		`<rect class="bg" width="400" height="250.5" fill="#fff"/>` + "\n"
	if got := b.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// No font size: the texts carry their own.
	b.Reset()
	svgOpen(&b, svgRoot{id: "x", w: 10, h: 10})
	if got := b.String(); strings.Contains(got, "font-size") || !strings.Contains(got, `class="chart"`) {
		t.Fatalf("got %s", got)
	}
}

// The toolkit's tests work their expected values out by hand, in the
// comment of each case.

func TestNiceTicks(t *testing.T) {
	for _, tt := range []struct {
		lo, hi float64
		steps  int
		want   string
	}{
		// (1 - 0) / 4 = 0.25, a nice step itself.
		{0, 1, 4, "0 0.25 0.5 0.75 1"},
		// 500e6 / 4 = 125e6: the next nice step is 2 × 10^8; from the
		// multiple at or below -75e6 (-2e8) to the one at or above 425e6
		// (6e8).
		{-75e6, 425e6, 4, "-2e+08 0 2e+08 4e+08 6e+08"},
		// 0.17 / 4 = 0.0425: step 0.05, ticks without floating-point noise
		// (3 × 0.05 is 0.15000000000000002 in float64).
		{0, 0.17, 4, "0 0.05 0.1 0.15 0.2"},
		// 0.37 / 4 = 0.0925: step 0.1, up to 0.4.
		{0, 0.37, 4, "0 0.1 0.2 0.3 0.4"},
		// 24000 / 4 = 6000: step 10^4, 100000 to 130000.
		{102000, 126000, 4, "100000 110000 120000 130000"},
		// 3 / 2 = 1.5: step 2.
		{0, 3, 2, "0 2 4"},
		// 2.2 / 4 = 0.55: step 1; -0.2 widens to -1.
		{-0.2, 2, 4, "-1 0 1 2"},
		// An empty range is [lo, lo+1]: 1 / 4 = 0.25.
		{2, 2, 4, "2 2.25 2.5 2.75 3"},
		{0, 0, 4, "0 0.25 0.5 0.75 1"},
	} {
		var s []string
		for _, v := range niceTicks(tt.lo, tt.hi, tt.steps) {
			s = append(s, strconv.FormatFloat(v, 'g', -1, 64))
		}
		if got := strings.Join(s, " "); got != tt.want {
			t.Fatalf("niceTicks(%g, %g, %d) = %s, want %s", tt.lo, tt.hi, tt.steps, got, tt.want)
		}
	}
}

func TestNiceRange(t *testing.T) {
	for _, tt := range []struct {
		lo, hi         float64
		n              int
		wantLo, wantHi float64
		labels         string
	}{
		// Five ticks, four steps: 0.37 / 4 = 0.0925, step 0.1.
		{0, 0.37, 5, 0, 0.4, "0 0.1 0.2 0.3 0.4"},
		// Six ticks, five steps: 10 / 5 = 2.
		{0, 10, 6, 0, 10, "0 2 4 6 8 10"},
		// Three ticks, two steps: 45 / 2 = 22.5, step 25.
		{0, 45, 3, 0, 50, "0 25 50"},
	} {
		lo, hi, ticks := niceRange(tt.lo, tt.hi, tt.n, nil)
		var labels []string
		for _, tk := range ticks {
			labels = append(labels, tk.Label)
		}
		if lo != tt.wantLo || hi != tt.wantHi || strings.Join(labels, " ") != tt.labels {
			t.Fatalf("niceRange(%g, %g, %d) = %g, %g, %q; want %g, %g, %q", tt.lo, tt.hi, tt.n, lo, hi, labels, tt.wantLo, tt.wantHi, tt.labels)
		}
	}
}

func TestTextWidth(t *testing.T) {
	for _, tt := range []struct {
		s    string
		fs   float64
		want float64
	}{
		{"", 13, 0},
		// 4 characters × 10 px × 0.56.
		{"2026", 10, 22.4},
		// Runes, not bytes: "P5–P95" is 6 characters (8 bytes); 6 × 12 ×
		// 0.56 = 40.32.
		{"P5–P95", 12, 40.32},
	} {
		if got := textWidth(tt.s, tt.fs); strconv.FormatFloat(got, 'f', 6, 64) != strconv.FormatFloat(tt.want, 'f', 6, 64) {
			t.Fatalf("textWidth(%q, %g) = %g, want %g", tt.s, tt.fs, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	// At font size 10 a character is 5.6 wide: a width of 56.1 takes 10
	// characters (56), 55.9 takes 9.
	for _, tt := range []struct {
		s     string
		width float64
		want  []string
	}{
		{"", 56, nil},
		{"one", 56, []string{"one"}},
		// "aaaa bbbbb" is 10 characters: one line at 56.1.
		{"aaaa bbbbb", 56.1, []string{"aaaa bbbbb"}},
		// At 55.9, 10 characters do not fit.
		{"aaaa bbbbb", 55.9, []string{"aaaa", "bbbbb"}},
		// A word wider than the width has a line of its own.
		{"a bbbbbbbbbbbbbbbb c", 56, []string{"a", "bbbbbbbbbbbbbbbb", "c"}},
		// Runs of spaces count as one; "–" is one character, so
		// "ab – cd ef" is 10.
		{"ab  –   cd ef", 56.1, []string{"ab – cd ef"}},
	} {
		got := wrap(tt.s, tt.width, 10)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Fatalf("wrap(%q, %g) = %q, want %q", tt.s, tt.width, got, tt.want)
		}
	}
}

func TestFrame(t *testing.T) {
	f := frame{left: 40, top: 20, width: 200, height: 100}
	for _, tt := range []struct {
		name      string
		got, want float64
	}{
		{"right", f.right(), 240},
		{"bottom", f.bottom(), 120},
		// 25 on [0, 100] is a quarter across: 40 + 50.
		{"sx", f.sx(25, 0, 100), 90},
		// ... and a quarter up from the bottom: 120 - 25.
		{"sy", f.sy(25, 0, 100), 95},
		// The range need not start at 0: -5 on [-10, 10] is a quarter.
		{"sx negative", f.sx(-5, -10, 10), 90},
		{"sy top", f.sy(10, -10, 10), 20},
	} {
		if tt.got != tt.want {
			t.Fatalf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestNum(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{{0, "0"}, {12, "12"}, {12.34, "12.3"}, {-0.06, "-0.1"}, {2.25, "2.2"}, {1e6, "1000000"}} {
		if got := num(tt.v); got != tt.want {
			t.Fatalf("num(%g) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestHeadingLines(t *testing.T) {
	// Width 72.1 leaves 56.1 for text; the title at 1.25 × 8 = 10 px
	// (5.6 a character) takes 10 characters a line, the subtitle at 8 px
	// (4.48 a character) 12.
	titles, subs, h := headingLines("aaaa bbbbb cc", "dddd eeee ffff", 72.1, 8)
	if strings.Join(titles, "|") != "aaaa bbbbb|cc" || strings.Join(subs, "|") != "dddd eeee|ffff" {
		t.Fatalf("got %q, %q", titles, subs)
	}
	// 10 + 2 title lines × 1.5 × 8 + 2 subtitle lines × 1.35 × 8 = 55.6.
	if strconv.FormatFloat(h, 'f', 6, 64) != "55.600000" {
		t.Fatalf("got height %v, want 55.6", h)
	}
}

func TestText(t *testing.T) {
	for _, tt := range []struct {
		name                 string
		class                string
		x, y, size           float64
		anchor, fill, weight string
		s, want              string
	}{
		{"all", "chart-title", 8, 22.4, 15, "middle", "#111", "600", "A & B",
			`<text class="chart-title" x="8" y="22.4" font-size="15" text-anchor="middle" font-weight="600" fill="#111">A &amp; B</text>` + "\n"},
		// No class, no size (the parent's), and "start" is the default
		// anchor: all left out.
		{"bare", "", 1.25, 2, 0, "start", "#333", "", "x",
			`<text x="1.2" y="2" fill="#333">x</text>` + "\n"},
	} {
		var b bytes.Buffer
		text(&b, tt.class, tt.x, tt.y, tt.size, tt.anchor, tt.fill, tt.weight, tt.s)
		if got := b.String(); got != tt.want {
			t.Fatalf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestFitText(t *testing.T) {
	// At 10 px a character is 5.6 wide.
	for _, tt := range []struct {
		s     string
		width float64
		want  string
	}{
		// 5 characters, 28 wide: it fits in 28.
		{"abcde", 28, "abcde"},
		// In 27.9 it does not; 4 characters and the ellipsis are 28, too
		// wide still, but fitText keeps at least 4.
		{"abcde", 27.9, "abcd…"},
		// "ab: cdefgh" is 10 characters; 39.2 takes 7: 6 and the
		// ellipsis.
		{"ab: cdefgh", 39.2, "ab: cd…"},
		// 22.4 takes 4, but the cut keeps at least 4 characters, "ab: ",
		// and trims the ": " before the ellipsis.
		{"ab: cdefgh", 22.4, "ab…"},
	} {
		if got := fitText(tt.s, 10, tt.width); got != tt.want {
			t.Fatalf("fitText(%q, %g) = %q, want %q", tt.s, tt.width, got, tt.want)
		}
	}
}

func TestFlowLegend(t *testing.T) {
	// A chart 200 wide has room up to 192. From x = 8: 100 (to 108), then
	// 80 (to 188, fits), then 10 would pass 192 (198): a new row 15 lower
	// (fs 10 × 1.5), from 8 to 18; then 300 would pass 192: a third row,
	// where it stands alone though wider than the chart.
	xs, ys, last := flowLegend([]float64{100, 80, 10, 300}, 50, 10, 200)
	want := "8,50 108,50 8,65 8,80"
	var got []string
	for i := range xs {
		got = append(got, num(xs[i])+","+num(ys[i]))
	}
	if strings.Join(got, " ") != want || last != 80 {
		t.Fatalf("got %q, last %v; want %q, last 80", got, last, want)
	}
	// No items: the first row's baseline.
	if _, _, last := flowLegend(nil, 50, 10, 200); last != 50 {
		t.Fatalf("got last %v, want 50", last)
	}
}

func TestLinePath(t *testing.T) {
	nan := math.NaN()
	// sx doubles, sy negates: the points (1, 2), (3, 4) are at (2, -2)
	// and (6, -4).
	sx := func(x float64) float64 { return 2 * x }
	sy := func(y float64) float64 { return -y }
	for _, tt := range []struct {
		name string
		pts  []XY
		step bool
		want string
	}{
		{"line", []XY{{X: 1, Y: 2}, {X: 3, Y: 4}}, false, "M2 -2L6 -4"},
		// A step holds the value to the next x, then jumps.
		{"step", []XY{{X: 1, Y: 2}, {X: 3, Y: 4}}, true, "M2 -2H6V-4"},
		// A NaN is a gap: the pen moves to the next point.
		{"gap", []XY{{X: 1, Y: 2}, {X: 2, Y: nan}, {X: 3, Y: 4}, {X: 4, Y: 5}}, false, "M2 -2M6 -4L8 -5"},
		{"empty", nil, false, ""},
	} {
		if got := string(linePath(tt.pts, sx, sy, tt.step)); got != tt.want {
			t.Fatalf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestWriteYAxis(t *testing.T) {
	// A frame from (40, 20), 100 by 50; ticks 0 and 10 on [0, 10]: y 70
	// and 20. Labels 6 left of the frame, 0.35 × fs (10) below the line.
	f := frame{left: 40, top: 20, width: 100, height: 50}
	ticks := []Tick{{V: 0, Label: "0"}, {V: 10, Label: "10"}}
	var b bytes.Buffer
	writeYAxis(&b, f, 10, ticks, func(v float64) float64 { return f.sy(v, 0, 10) }, "km", true)
	// The label is centred on the frame's height (45), at x = 0.9 × 10 + 2.
	want := `<path d="M40 70h100" stroke="#555"/><text x="34" y="73.5" text-anchor="end" fill="#333">0</text>` +
		`<path d="M40 20h100" stroke="#e3e3e3"/><text x="34" y="23.5" text-anchor="end" fill="#333">10</text>` +
		`<text class="axis-label" x="11" y="45" transform="rotate(-90 11 45)" text-anchor="middle" fill="#111">km</text>`
	if got := b.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestAttrList(t *testing.T) {
	var b bytes.Buffer
	writeAttrs(&b, attrList(map[string]string{"data-b": "2", "data-a": "<1>"})...)
	if got, want := b.String(), ` data-a="&lt;1&gt;" data-b="2"`; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
