package render

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestLogChart_WriteSVG(t *testing.T) {
	c := &LogChart{ID: "log", Title: "The log & its checkpoints", Width: 1000, Size: 10, CosignedLabel: "co-signed by US and UA",
		Checkpoints: []LogCheckpoint{{Size: 4, Cosigned: true, Title: "co-signed by US and UA at size 4"}, {Size: 8, Title: "at size 8, waiting for UA's co-signature"}},
		Source:      "Source: the ledger's checkpoints."}
	var b bytes.Buffer
	if err := c.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, b.Bytes())
	s := b.String()
	// The bar is 1000 - 12 - 16 = 972 px for 10 entries, 97.2 px an entry:
	// entries 0-3 co-signed (4 × 97.2 = 388.8), 4-7 waiting (388.8 from
	// 400.8), 8-9 uncovered (194.4 from 789.6).
	for _, want := range []string{
		`class="cosigned" x="12" y="`, `width="388.8"`,
		`class="waiting" x="400.8"`,
		`class="uncovered" x="789.6"`, `width="194.4"`,
		`data-size="10"`, `data-cosigned="4"`,
		`aria-label="at size 8, waiting for UA&#39;s co-signature"`,
		"The log &amp; its checkpoints", "Source: the ledger", "entries in the log, by index",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	if n := strings.Count(s, `class="checkpoint"`); n != 2 {
		t.Errorf("%d checkpoint markers, want 2", n)
	}
	// The x axis ticks are whole entries: 0, 2, 4, 6, 8, 10.
	var ticks []string
	for _, m := range regexp.MustCompile(`text-anchor="[a-z]+" fill="#333">([0-9,]+)<`).FindAllStringSubmatch(s, -1) {
		ticks = append(ticks, m[1])
	}
	if got := strings.Join(ticks, " "); got != "0 2 4 6 8 10" {
		t.Errorf("ticks %q", got)
	}

	// An empty log: an outline, no segments, and a description that says
	// no checkpoint binds.
	b.Reset()
	(&LogChart{ID: "e", Title: "Empty", Width: 380, FontSize: 12, CosignedLabel: "co-signed by US and UA"}).WriteSVG(&b)
	wellFormed(t, b.Bytes())
	s = b.String()
	if strings.Contains(s, `class="cosigned"`) || !strings.Contains(s, `stroke-dasharray="4 3"`) || !strings.Contains(s, "none co-signed by both parties yet") {
		t.Errorf("empty log chart:\n%s", s)
	}
}

func TestBalanceChart_WriteSVG(t *testing.T) {
	d1, d2 := DateX("2025-12-31"), DateX("2026-03-31") // 90 days apart
	c := &BalanceChart{ID: "b", Title: "T", Width: 600, FontSize: 13, XLabel: "End of period", YLabel: "Balance", Source: "Source: a test.",
		Series: []Series{
			{Name: "committed", Color: ColorUS, Width: 5, Points: []XY{{X: d1, Y: 75e6, Title: "committed, 2025"}, {X: d2, Y: 75e6, Title: "committed, 2026-Q1"}}},
			{Name: "cash", Color: ColorFund, Width: 2, Points: []XY{{X: d1, Y: 0}, {X: d2, Y: 0}}},
		},
		Ticks: []Tick{{V: d1, Label: "2025"}, {V: d2, Label: "2026-Q1"}}}
	var b bytes.Buffer
	if err := c.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, b.Bytes())
	s := b.String()
	// The y axis: 0 to $75M in steps of $20M, so 0 to 80 (US$ m). The
	// widest tick label, "80", is 2 × 13 × 0.56 = 14.56 wide: the plot
	// starts at 14.56 + 12 + 1.5 × 13 = 46.06 and is 600 − 46.06 − 14 =
	// 539.94 wide. The x range is the 90 days padded by 30 on each side:
	// 150 days, the points at 30/150 and 120/150 of it, x = 154.05 and
	// 478.01. The plot is 0.45 × 539.94 = 242.97 high, from y = 61.35
	// (a title line, 10 + 1.5 × 13 = 29.5; a legend row, 1.05 × 13 + 1.4 ×
	// 13 on it): $75M is 5/80 of it below the top, y = 76.54; 0 at 304.32.
	for _, want := range []string{
		`<circle cx="154" cy="76.5" r="3.5" fill="#D55E00" data-value="75000000.00"><title>committed, 2025</title></circle>`,
		`<circle cx="478" cy="76.5" r="3.5"`,
		`<circle cx="154" cy="304.3" r="3.2" fill="#009E73" data-value="0.00">`,
		`<path d="M154 76.5L478 76.5" fill="none" stroke="#D55E00" stroke-width="5"`,
		"Balance (US$ m)", ">2026-Q1</text>", "Source: a test.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	var ticks []string
	for _, m := range regexp.MustCompile(`text-anchor="end" fill="#333">([0-9.-]+)<`).FindAllStringSubmatch(s, -1) {
		ticks = append(ticks, m[1])
	}
	if got := strings.Join(ticks, " "); got != "0 20 40 60 80" {
		t.Errorf("y ticks %q", got)
	}
	// The zero line is drawn darker than the grid.
	if !strings.Contains(s, `<path d="M46.1 304.3h539.9" stroke="#555"/>`) {
		t.Errorf("no zero line:\n%s", s)
	}
}

func TestColumnChart_WriteSVG(t *testing.T) {
	nan := math.NaN()
	c := &ColumnChart{ID: "c", Title: "Due", Width: 900, Groups: []string{"2026-Q1", "2026-Q2"}, YLabel: "Amount", Source: "Source: a test.",
		Series: []ColumnSeries{
			{Name: "due", Class: "due", Color: ColorFund, Values: []float64{100e3, 200e3}},
			{Name: "unknown", Class: "unknown", Color: ColorFund, Hatch: true, Stack: true, Values: []float64{50e3, nan}},
			{Name: "paid", Class: "paid", Color: ColorUkraine, Values: []float64{0, 300e3}},
			{Name: "arrears", Class: "arrears", Color: "#E69F00", Values: []float64{150e3, -100e3}, Titles: []string{"", "a surplus of $100,000"}},
		}}
	var b bytes.Buffer
	if err := c.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, b.Bytes())
	s := b.String()
	type rect struct{ x, y, w, h float64 }
	cols := map[string]rect{}
	re := regexp.MustCompile(`<rect class="column ([a-z]+)" x="([0-9.]+)" y="([0-9.]+)" width="([0-9.]+)" height="([0-9.]+)" [^>]*data-group="([^"]+)" data-value="([^"]+)"`)
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		f := func(i int) float64 { v, _ := strconv.ParseFloat(m[i], 64); return v }
		cols[m[1]+" "+m[6]] = rect{f(2), f(3), f(4), f(5)}
	}
	// Seven columns: the unknown due of 2026-Q2 is NaN, none.
	if len(cols) != 7 {
		t.Fatalf("%d columns: %v", len(cols), cols)
	}
	zero := regexp.MustCompile(`<path class="zero" d="M[0-9.]+ ([0-9.]+)h`).FindStringSubmatch(s)
	if zero == nil {
		t.Fatal("no zero line")
	}
	z, _ := strconv.ParseFloat(zero[1], 64)
	near := func(a, b float64) bool { return math.Abs(a-b) < 0.11 }
	// The range is -$0.1M to $0.3M: 0.4 in all. A $100,000 column is a
	// quarter of the plot, as high as the negative one is deep.
	due, unk, neg := cols["due 2026-Q1"], cols["unknown 2026-Q1"], cols["arrears 2026-Q2"]
	if !near(due.y+due.h, z) || !near(neg.y, z) || !near(due.h, neg.h) {
		t.Errorf("due %+v and the surplus %+v against the zero line at %v", due, neg, z)
	}
	// The unknown due stands on the due, in its slot, half as high.
	if !near(unk.y+unk.h, due.y) || unk.x != due.x || !near(unk.h, due.h/2) {
		t.Errorf("unknown %+v on due %+v", unk, due)
	}
	if paid := cols["paid 2026-Q2"]; !near(paid.h, 3*due.h) {
		t.Errorf("paid $300,000: %+v, three times the due's %v", paid, due.h)
	}
	for _, want := range []string{"Amount (US$ m)", `id="c-hatch-1"`, `fill="url(#c-hatch-1)"`, "<title>a surplus of $100,000</title>", "<title>due, 2026-Q1: $0.10 m</title>"} {
		if !strings.Contains(s, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	var ticks []string
	for _, m := range regexp.MustCompile(`text-anchor="end" fill="#333">([0-9.-]+)<`).FindAllStringSubmatch(s, -1) {
		ticks = append(ticks, m[1])
	}
	if got := strings.Join(ticks, " "); got != "-0.1 0.0 0.1 0.2 0.3" {
		t.Errorf("y ticks %q", got)
	}
}
