package render

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"nadra/internal/numfmt"
	"strconv"
	"strings"
)

// Colours of the deal charts: Okabe and Ito's palette, which people with
// any common colour-vision deficiency can tell apart, and which the map
// uses too (Ukraine's blue is the map's controlled ground).
const (
	ColorFund    = "#009E73" // bluish green: the joint fund
	ColorUS      = "#D55E00" // vermillion: the United States
	ColorUkraine = "#0072B2" // blue: Ukraine
	ColorLow     = "#56B4E9" // sky blue: an input at its low end
	ColorHigh    = "#E69F00" // orange: an input at its high end
)

// HistogramChart is the distribution of one outcome over Monte Carlo
// paths: bins of equal width from Lo to Hi, in US dollars, with the mean
// and the 5th and 95th percentiles marked.
type HistogramChart struct {
	ID       string // unique in the page, for aria ids
	Title    string
	Subtitle string // under the title; defaults to the mean and P5–P95
	XLabel   string // what the x axis measures, after its unit: "PV, real 2023-25 USD, 7% discount"
	Source   string
	Color    string
	Lo, Hi   float64
	Counts   []int
	// Below and Above count the paths beyond Lo and Hi; N is all paths
	// with a value.
	Below, Above, N    int
	Mean, P5, P50, P95 float64
	// VS, when set, is other terms on the same paths and the same bins,
	// drawn as an outline over the bars with its mean.
	VS *HistogramSeries
}

// HistogramSeries is a second distribution on a histogram's bins.
type HistogramSeries struct {
	Label  string // the terms' id
	Counts []int
	N      int
	Mean   float64
}

// WriteSVG writes the histogram as an SVG element for a page.
func (h *HistogramChart) WriteSVG(w io.Writer) error {
	var b bytes.Buffer
	out := h.Below + h.Above
	source := h.Source
	if out > 0 {
		source = shareText(out, h.N) + " of paths beyond the axis. " + source
	}
	const svgW = 320.0
	f := frame{left: 46, top: 66, width: svgW - 46 - 12, height: 140}
	foot := footLines(source, svgW)
	bottom := 46 + float64(len(foot))*footSize*1.25
	u := usdScaleFor(math.Max(math.Abs(h.Lo), math.Abs(h.Hi)))
	sub := h.Subtitle
	if sub == "" {
		sub = "Mean " + u.label(h.Mean) + " · P5–P95 " + u.label(h.P5) + " to " + u.label(h.P95)
	}
	vs := h.VS != nil && len(h.VS.Counts) == len(h.Counts) && h.VS.N > 0
	if vs {
		f.top += 16
	}
	svgH := f.bottom() + bottom
	desc := fmt.Sprintf("Histogram over %s paths. %s.", numfmtInt(h.N), sub)
	if vs {
		desc += fmt.Sprintf(" Outlined: %s on the same paths, mean %s.", h.VS.Label, u.label(h.VS.Mean))
	}
	if out > 0 {
		desc += fmt.Sprintf(" %s of paths lie beyond the axis.", shareText(out, h.N))
	}
	svgOpen(&b, svgRoot{id: h.ID, class: "histogram", w: svgW, h: svgH, title: h.Title, desc: desc,
		attrs: []string{"data-mean", strconv.FormatFloat(h.Mean, 'g', 6, 64), "data-n", strconv.Itoa(h.N)}})
	dealHeading(&b, h.Title, sub)
	if vs {
		fmt.Fprintf(&b, `<rect x="8" y="44" width="14" height="9" fill="%s"/>`, esc(h.Color))
		text(&b, "", 26, 53, 11.5, "", "#222", "", "these terms")
		fmt.Fprintf(&b, `<rect x="104" y="44" width="14" height="9" fill="none" stroke="#111" stroke-width="1.5"/>`)
		text(&b, "", 122, 53, 11.5, "", "#222", "", "vs "+h.VS.Label+": mean "+u.label(h.VS.Mean))
	}

	if len(h.Counts) == 0 || h.N == 0 || !(h.Hi > h.Lo) {
		text(&b, "", svgW/2, (f.top+f.bottom())/2, 13, "middle", "#444", "", "No paths to show")
		return svgClose(w, &b)
	}
	h.writeBars(&b, f, vs)
	h.writeXAxis(&b, f, u, vs)
	writeSources(&b, foot, f.bottom()+50, footSize, footSize*1.25, "#555")
	return svgClose(w, &b)
}

// writeBars writes the y axis, the share of paths, and a bar a bin, with
// the other terms' outline over them.
func (h *HistogramChart) writeBars(b *bytes.Buffer, f frame, vs bool) {
	maxShare := 0.0
	for _, c := range h.Counts {
		maxShare = math.Max(maxShare, float64(c)/float64(h.N))
	}
	if vs {
		for _, c := range h.VS.Counts {
			maxShare = math.Max(maxShare, float64(c)/float64(h.VS.N))
		}
	}
	yt := niceTicks(0, maxShare, 4)
	ytop := math.Max(maxShare, yt[len(yt)-1])
	Y := func(s float64) float64 { return f.sy(s, 0, ytop) }
	// Grid and y axis: share of paths.
	for _, t := range yt {
		fmt.Fprintf(b, `<path d="M%s %sH%s" stroke="#e3e3e3"/>`, num(f.left), num(Y(t)), num(f.right()))
		text(b, "", f.left-4, Y(t)+4, 12, "end", "#444", "", pctTick(t, yt))
	}
	fmt.Fprintf(b, `<text x="10" y="%s" font-size="11" fill="#444" transform="rotate(-90 10 %s)" text-anchor="middle" dy="4">share of paths</text>`+"\n",
		num((f.top+f.bottom())/2), num((f.top+f.bottom())/2))
	// Bars.
	bw := f.width / float64(len(h.Counts))
	fmt.Fprintf(b, `<g class="bars" fill="%s">`, esc(h.Color))
	for i, c := range h.Counts {
		if c == 0 {
			continue
		}
		s := float64(c) / float64(h.N)
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s"/>`, num(f.left+float64(i)*bw+0.4), num(Y(s)), num(math.Max(0.5, bw-0.8)), num(Y(0)-Y(s)))
	}
	b.WriteString("</g>\n")
	if vs { // the other terms: a step outline over the bars
		var d strings.Builder
		for i, c := range h.VS.Counts {
			y := Y(float64(c) / float64(h.VS.N))
			if i == 0 {
				fmt.Fprintf(&d, "M%s %sV%s", num(f.left), num(Y(0)), num(y))
			} else {
				fmt.Fprintf(&d, "V%s", num(y))
			}
			fmt.Fprintf(&d, "H%s", num(f.left+float64(i+1)*bw))
		}
		fmt.Fprintf(&d, "V%s", num(Y(0)))
		fmt.Fprintf(b, `<path class="vs" d="%s" fill="none" stroke="#111" stroke-width="1.5" stroke-linejoin="round"/>`+"\n", d.String())
	}
}

// writeXAxis writes the x axis in dollars, the zero line, and the marks
// of the mean and the percentiles (and of the other terms' mean).
func (h *HistogramChart) writeXAxis(b *bytes.Buffer, f frame, u usdScale, vs bool) {
	X := func(v float64) float64 { return f.sx(v, h.Lo, h.Hi) }
	fmt.Fprintf(b, `<path d="M%s %sH%s" stroke="#555"/>`, num(f.left), num(f.bottom()), num(f.right()))
	xt := niceTicks(h.Lo, h.Hi, 4)
	for _, t := range xt {
		if t < h.Lo-1e-9*math.Abs(h.Hi-h.Lo) || t > h.Hi+1e-9*math.Abs(h.Hi-h.Lo) {
			continue
		}
		fmt.Fprintf(b, `<path d="M%s %sv4" stroke="#555"/>`, num(X(t)), num(f.bottom()))
		text(b, "", X(t), f.bottom()+17, 12, "middle", "#333", "", u.tick(t, xt))
	}
	text(b, "", (f.left+f.right())/2, f.bottom()+33, 11.5, "middle", "#333", "", u.unit+", "+h.XLabel)
	// Zero, the mean and the percentiles.
	if h.Lo < 0 && h.Hi > 0 {
		fmt.Fprintf(b, `<path class="zero" d="M%s %sV%s" stroke="#111" stroke-width="1.2"/>`, num(X(0)), num(f.top-4), num(f.bottom()))
	}
	// Two rows of labels above the plot, so that the mean's does not
	// collide with a percentile's.
	mark := func(v float64, dash, label string, row float64) {
		if v < h.Lo || v > h.Hi || math.IsNaN(v) {
			return
		}
		top := f.top - 3 - 13*row
		fmt.Fprintf(b, `<path d="M%s %sV%s" stroke="#111" stroke-dasharray="%s" stroke-width="1.2"/>`, num(X(v)), num(top+2), num(f.bottom()), dash)
		anchor := "middle"
		if X(v) > f.right()-20 {
			anchor = "end"
		} else if X(v) < f.left+20 {
			anchor = "start"
		}
		text(b, "", X(v), top, 11, anchor, "#111", "", label)
	}
	mark(h.P5, "2 3", "P5", 0)
	mark(h.P95, "2 3", "P95", 0)
	mark(h.Mean, "6 3", "mean", 1)
	if vs && h.VS.Mean >= h.Lo && h.VS.Mean <= h.Hi {
		fmt.Fprintf(b, `<path class="vs-mean" d="M%s %sV%s" stroke="#111" stroke-width="2.5" stroke-opacity="0.6"/>`, num(X(h.VS.Mean)), num(f.top), num(f.bottom()))
	}
}

// FanChart is a quantity by year over Monte Carlo paths: the 5th–95th
// and 25th–75th percentile bands, the median and the mean, in US dollars
// a year.
type FanChart struct {
	ID       string
	Title    string
	Subtitle string
	YLabel   string // after the unit: "a year, undiscounted, real 2023-25 USD"
	Source   string
	Color    string
	Years    []int
	// One value per year.
	P5, P25, P50, P75, P95, Mean []float64
	// Recorded are figures from the ledger, drawn as points over the fan
	// (plan against actual); RecordedLabel names them in the legend.
	Recorded      []FanPoint
	RecordedLabel string
	// VS, when set, is other terms on the same paths and years: their
	// median and P5–P95 drawn as lines over the fan.
	VS *FanSeries
}

// FanSeries is a second quantity by year on a fan chart's years.
type FanSeries struct {
	Label        string // the terms' id
	P5, P50, P95 []float64
}

// FanPoint is one recorded figure: a year and a value in US dollars.
type FanPoint struct {
	Year  int
	Value float64
	Label string // for the point's title: what it is
}

// WriteSVG writes the fan chart as an SVG element for a page.
func (c *FanChart) WriteSVG(w io.Writer) error {
	var b bytes.Buffer
	const svgW = 400.0
	f := frame{left: 46, top: 76, width: svgW - 46 - 14, height: 170}
	foot := footLines(c.Source, svgW)
	bottom := 46 + float64(len(foot))*footSize*1.25
	n := len(c.Years)
	top := 0.0
	for i := 0; i < n; i++ {
		top = math.Max(top, math.Max(c.P95[i], c.Mean[i]))
	}
	vs := c.VS != nil && len(c.VS.P50) == n && len(c.VS.P5) == n && len(c.VS.P95) == n
	if vs {
		f.top += 18
		for i := 0; i < n; i++ {
			top = math.Max(top, c.VS.P95[i])
		}
	}
	svgH := f.bottom() + bottom
	var points []FanPoint // the recorded figures within the chart's years
	for _, p := range c.Recorded {
		if n > 0 && p.Year >= c.Years[0] && p.Year <= c.Years[n-1] {
			points = append(points, p)
			top = math.Max(top, p.Value)
		}
	}
	u := usdScaleFor(top)
	svgOpen(&b, svgRoot{id: c.ID, class: "fan", w: svgW, h: svgH, title: c.Title, desc: c.desc(u)})
	dealHeading(&b, c.Title, c.Subtitle)
	c.writeLegend(&b, len(points) > 0, vs)
	if n < 2 || !(top > 0) {
		text(&b, "", svgW/2, (f.top+f.bottom())/2, 13, "middle", "#444", "", "Nothing flows into the fund on any path")
		writeSources(&b, foot, f.bottom()+50, footSize, footSize*1.25, "#555")
		return svgClose(w, &b)
	}
	c.writeFan(&b, f, u, top, points, vs)
	writeSources(&b, foot, f.bottom()+50, footSize, footSize*1.25, "#555")
	return svgClose(w, &b)
}

// desc is the chart's description for screen readers: the subtitle, the
// years, and where the mean peaks.
func (c *FanChart) desc(u usdScale) string {
	n := len(c.Years)
	if n == 0 {
		return c.Subtitle
	}
	peak := 0
	for i := range c.P50 {
		if c.Mean[i] > c.Mean[peak] {
			peak = i
		}
	}
	return fmt.Sprintf("%s Fan chart of %d years, %d to %d. The mean peaks in %d at %s a year (median %s, P5–P95 %s to %s).",
		c.Subtitle, n, c.Years[0], c.Years[n-1], c.Years[peak], u.label(c.Mean[peak]), u.label(c.P50[peak]), u.label(c.P5[peak]), u.label(c.P95[peak]))
}

// writeLegend writes the legend in a row, and the other terms' in a
// second.
func (c *FanChart) writeLegend(b *bytes.Buffer, recorded, vs bool) {
	lx, ly := 8.0, 58.0
	legend := func(kind, label string) {
		switch kind {
		case "band90":
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="18" height="10" fill="%s" fill-opacity="0.22"/>`, num(lx), num(ly-9), esc(c.Color))
		case "band50":
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="18" height="10" fill="%s" fill-opacity="0.5"/>`, num(lx), num(ly-9), esc(c.Color))
		case "median":
			fmt.Fprintf(b, `<path d="M%s %sh18" stroke="%s" stroke-width="2.5"/>`, num(lx), num(ly-4), esc(c.Color))
		case "mean":
			fmt.Fprintf(b, `<path d="M%s %sh18" stroke="#111" stroke-width="1.5" stroke-dasharray="5 3"/>`, num(lx), num(ly-4))
		case "recorded":
			fmt.Fprintf(b, `<path d="%s" fill="#111"/>`, diamond(lx+9, ly-4, 5))
		case "vs-median":
			fmt.Fprintf(b, `<path d="M%s %sh18" stroke="#111" stroke-width="2.5"/>`, num(lx), num(ly-4))
		case "vs-band":
			fmt.Fprintf(b, `<path d="M%s %sh18" stroke="#111" stroke-width="1" stroke-dasharray="2 2"/>`, num(lx), num(ly-4))
		}
		text(b, "", lx+22, ly, 12, "", "#222", "", label)
		lx += 22 + textWidth(label, 12) + 10
	}
	legend("band90", "P5–P95")
	legend("band50", "P25–P75")
	legend("median", "median")
	legend("mean", "mean")
	if recorded {
		label := c.RecordedLabel
		if label == "" {
			label = "recorded"
		}
		legend("recorded", label)
	}
	if vs {
		lx, ly = 8, 76
		legend("vs-median", "vs "+c.VS.Label+": median")
		legend("vs-band", "P5 and P95")
	}
}

// writeFan writes the y axis up to top, the bands, the median and mean
// lines (and the other terms'), the recorded points, and the x axis of
// years.
func (c *FanChart) writeFan(b *bytes.Buffer, f frame, u usdScale, top float64, points []FanPoint, vs bool) {
	n := len(c.Years)
	yt := niceTicks(0, top, 4)
	ytop := math.Max(top, yt[len(yt)-1])
	x0, x1 := float64(c.Years[0]), float64(c.Years[n-1])
	X := func(i int) float64 { return f.sx(float64(c.Years[i]), x0, x1) }
	Y := func(v float64) float64 { return f.sy(math.Max(0, v), 0, ytop) }
	for _, t := range yt {
		fmt.Fprintf(b, `<path d="M%s %sH%s" stroke="#e3e3e3"/>`, num(f.left), num(Y(t)), num(f.right()))
		text(b, "", f.left-4, Y(t)+4, 12, "end", "#444", "", u.tick(t, yt))
	}
	fmt.Fprintf(b, `<text x="10" y="%s" font-size="11.5" fill="#444" transform="rotate(-90 10 %s)" text-anchor="middle" dy="4">%s</text>`+"\n",
		num((f.top+f.bottom())/2), num((f.top+f.bottom())/2), esc(u.unit))
	band := func(lo, hi []float64, op string) {
		var d strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&d, "%s%s %s", map[bool]string{true: "M", false: "L"}[i == 0], num(X(i)), num(Y(hi[i])))
		}
		for i := n - 1; i >= 0; i-- {
			fmt.Fprintf(&d, "L%s %s", num(X(i)), num(Y(lo[i])))
		}
		fmt.Fprintf(b, `<path d="%sZ" fill="%s" fill-opacity="%s"/>`+"\n", d.String(), esc(c.Color), op)
	}
	line := func(v []float64, attrs string) {
		var d strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&d, "%s%s %s", map[bool]string{true: "M", false: "L"}[i == 0], num(X(i)), num(Y(v[i])))
		}
		fmt.Fprintf(b, `<path d="%s" fill="none" %s/>`+"\n", d.String(), attrs)
	}
	band(c.P5, c.P95, "0.22")
	band(c.P25, c.P75, "0.5")
	line(c.P50, `stroke="`+esc(c.Color)+`" stroke-width="2.5" stroke-linejoin="round"`)
	line(c.Mean, `stroke="#111" stroke-width="1.5" stroke-dasharray="5 3"`)
	if vs {
		line(c.VS.P5, `class="vs" stroke="#111" stroke-width="1" stroke-dasharray="2 2"`)
		line(c.VS.P95, `class="vs" stroke="#111" stroke-width="1" stroke-dasharray="2 2"`)
		line(c.VS.P50, `class="vs vs-median" stroke="#111" stroke-width="2.5" stroke-linejoin="round"`)
	}
	for _, p := range points {
		x := f.sx(float64(p.Year), x0, x1)
		fmt.Fprintf(b, `<path class="recorded" d="%s" fill="#111" stroke="#fff" stroke-width="1"><title>%s</title></path>`+"\n",
			diamond(x, Y(p.Value), 5.5), esc(fmt.Sprintf("%d: %s, %s", p.Year, p.Label, u.label(p.Value))))
	}
	// X axis: years.
	fmt.Fprintf(b, `<path d="M%s %sH%s" stroke="#555"/>`, num(f.left), num(f.bottom()), num(f.right()))
	span := c.Years[n-1] - c.Years[0]
	step := 5
	if span > 60 {
		step = 10
	}
	for i := 0; i < n; i++ {
		if y := c.Years[i]; y%step == 0 || i == 0 && (c.Years[0]%step) > step/2 {
			fmt.Fprintf(b, `<path d="M%s %sv4" stroke="#555"/>`, num(X(i)), num(f.bottom()))
			text(b, "", X(i), f.bottom()+17, 12, "middle", "#333", "", strconv.Itoa(y))
		}
	}
	text(b, "", (f.left+f.right())/2, f.bottom()+33, 11.5, "middle", "#333", "", u.unit+" "+c.YLabel)
}

// diamond is the path of a diamond of half-width r centred on x, y.
func diamond(x, y, r float64) string {
	return fmt.Sprintf("M%s %sL%s %sL%s %sL%s %sZ", num(x), num(y-r), num(x+r), num(y), num(x), num(y+r), num(x-r), num(y))
}

// TornadoChart shows how far one outcome's mean moves when each input
// goes to its low and then its high end, largest swing first.
type TornadoChart struct {
	ID       string
	Title    string
	Subtitle string
	XLabel   string
	Source   string
	Base     float64 // the mean with no input moved
	Bars     []TornadoBar
	// LowLabel and HighLabel name the two ends in the legend.
	LowLabel, HighLabel string
}

// TornadoBar is one input: the outcome's mean with the input at its low
// and at its high end. Low and High describe the two settings.
type TornadoBar struct {
	Input     string
	Low, High string
	AtLow     float64
	AtHigh    float64
}

// WriteSVG writes the tornado as an SVG element for a page.
func (t *TornadoChart) WriteSVG(w io.Writer) error {
	var b bytes.Buffer
	rowH := 22.0
	labelW := 168.0
	const svgW = 400.0
	f := frame{left: labelW + 8, top: 76, width: svgW - (labelW + 8) - 16, height: rowH * float64(max(1, len(t.Bars)))}
	foot := footLines(t.Source, svgW)
	bottom := 46 + float64(len(foot))*footSize*1.25
	svgH := f.top + bottom + f.height
	lo, hi := t.Base, t.Base
	for _, r := range t.Bars {
		lo = math.Min(lo, math.Min(r.AtLow, r.AtHigh))
		hi = math.Max(hi, math.Max(r.AtLow, r.AtHigh))
	}
	if !(hi > lo) {
		lo, hi = t.Base-1, t.Base+1
	}
	pad := (hi - lo) * 0.04
	lo, hi = lo-pad, hi+pad
	u := usdScaleFor(math.Max(math.Abs(lo), math.Abs(hi)))
	var desc strings.Builder
	fmt.Fprintf(&desc, "%s Base %s.", t.Subtitle, u.label(t.Base))
	for i, r := range t.Bars {
		if i == 5 {
			break
		}
		fmt.Fprintf(&desc, " %s: %s at %s, %s at %s.", r.Input, u.label(r.AtLow), r.Low, u.label(r.AtHigh), r.High)
	}
	svgOpen(&b, svgRoot{id: t.ID, class: "tornado", w: svgW, h: svgH, title: t.Title, desc: desc.String()})
	dealHeading(&b, t.Title, t.Subtitle)
	lx := 8.0
	for _, it := range []struct{ color, label string }{{ColorLow, t.LowLabel}, {ColorHigh, t.HighLabel}} {
		fmt.Fprintf(&b, `<rect x="%s" y="49" width="14" height="11" fill="%s"/>`, num(lx), it.color)
		text(&b, "", lx+18, 58, 12, "", "#222", "", it.label)
		lx += 18 + textWidth(it.label, 12) + 12
	}
	fmt.Fprintf(&b, `<path d="M%s 54h18" stroke="#111" stroke-width="1.5"/>`, num(lx))
	text(&b, "", lx+22, 58, 12, "", "#222", "", "base "+u.label(t.Base))
	if len(t.Bars) == 0 {
		text(&b, "", svgW/2, f.top+14, 13, "middle", "#444", "", "No sensitivity runs")
		return svgClose(w, &b)
	}
	X := func(v float64) float64 { return f.sx(v, lo, hi) }
	xt := niceTicks(lo, hi, 4)
	for _, tk := range xt {
		if tk < lo || tk > hi {
			continue
		}
		fmt.Fprintf(&b, `<path d="M%s %sV%s" stroke="#e3e3e3"/>`, num(X(tk)), num(f.top), num(f.bottom()))
		text(&b, "", X(tk), f.bottom()+17, 12, "middle", "#333", "", u.tick(tk, xt))
	}
	for i, r := range t.Bars {
		y := f.top + float64(i)*rowH
		label := fitText(r.Input, 12, labelW)
		fmt.Fprintf(&b, `<g class="bar"><title>%s: %s at %s (%s), %s at %s (%s)</title>`, esc(r.Input), esc(u.label(r.AtLow)), esc(r.Low), esc(t.LowLabel), esc(u.label(r.AtHigh)), esc(r.High), esc(t.HighLabel))
		text(&b, "", f.left-6, y+rowH/2+4, 12, "end", "#222", "", label)
		for _, end := range []struct {
			v     float64
			color string
		}{{r.AtLow, ColorLow}, {r.AtHigh, ColorHigh}} {
			x0, x1 := X(t.Base), X(end.v)
			if x1 < x0 {
				x0, x1 = x1, x0
			}
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, num(x0), num(y+3), num(math.Max(0.8, x1-x0)), num(rowH-6), end.color)
		}
		b.WriteString("</g>\n")
	}
	fmt.Fprintf(&b, `<path d="M%s %sV%s" stroke="#111" stroke-width="1.5"/>`, num(X(t.Base)), num(f.top-2), num(f.bottom()))
	fmt.Fprintf(&b, `<path d="M%s %sH%s" stroke="#555"/>`, num(f.left), num(f.bottom()), num(f.right()))
	text(&b, "", svgW/2, f.bottom()+33, 11.5, "middle", "#333", "", u.unit+", "+t.XLabel)
	writeSources(&b, foot, f.bottom()+50, footSize, footSize*1.25, "#555")
	return svgClose(w, &b)
}

// usdScale is the unit an axis of dollars is labelled in.
type usdScale struct {
	div  float64
	unit string // "US$ bn"
	sfx  string // " bn"
}

// usdScaleFor picks billions from $1 bn, millions from $1 m, else
// dollars.
func usdScaleFor(maxAbs float64) usdScale {
	switch {
	case maxAbs >= 1e9:
		return usdScale{1e9, "US$ bn", " bn"}
	case maxAbs >= 1e6:
		return usdScale{1e6, "US$ m", " m"}
	}
	return usdScale{1, "US$", ""}
}

// label writes an amount in the scale's unit: "$0.21 bn", "-$13 m".
func (u usdScale) label(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	x := v / u.div
	sign := ""
	if x < 0 {
		sign, x = "-", -x
	}
	prec := 2
	switch {
	case x >= 100:
		prec = 0
	case x >= 10:
		prec = 1
	}
	return sign + "$" + strconv.FormatFloat(x, 'f', prec, 64) + u.sfx
}

// tick writes a tick value without the unit, with as many decimals as the
// ticks' step needs.
func (u usdScale) tick(v float64, ticks []float64) string {
	step := 1.0
	if len(ticks) > 1 {
		step = (ticks[1] - ticks[0]) / u.div
	}
	d := 0
	for s := step; s < 0.999 && d < 6; s *= 10 {
		d++
	}
	if math.Abs(step*math.Pow(10, float64(d))-math.Round(step*math.Pow(10, float64(d)))) > 1e-6 {
		d++ // steps of 2.5
	}
	x := v / u.div
	if math.Abs(x) < step*1e-9 {
		x = 0
	}
	return strconv.FormatFloat(x, 'f', d, 64)
}

// pctTick labels a share of paths.
func pctTick(v float64, ticks []float64) string {
	step := 1.0
	if len(ticks) > 1 {
		step = (ticks[1] - ticks[0]) * 100
	}
	d := 0
	if step < 1 {
		d = 1
	}
	return strconv.FormatFloat(v*100, 'f', d, 64) + "%"
}

// shareText writes k of n as a percentage.
func shareText(k, n int) string {
	if n == 0 {
		return "0%"
	}
	return strconv.FormatFloat(100*float64(k)/float64(n), 'f', 1, 64) + "%"
}

// dealHeading writes a deal chart's title and subtitle, a line each, in
// the slots above its legend: unlike writeHeading's, they do not wrap,
// and the charts' layout does not move for them.
func dealHeading(b *bytes.Buffer, title, subtitle string) {
	text(b, "", 8, 19, 15, "", "#111", "600", title)
	if subtitle != "" {
		text(b, "", 8, 37, 12, "", "#333", "", subtitle)
	}
}

// footSize is the font size of a deal chart's footnote.
const footSize = 10.5

// footLines wraps a deal chart's footnote to the chart's width.
func footLines(s string, svgW float64) []string { return wrap(s, svgW-16, footSize) }

func numfmtInt(n int) string { return numfmt.Thousands(float64(n)) }
