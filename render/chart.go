package render

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Palette is the Okabe–Ito palette (Okabe and Ito 2008, "Color Universal
// Design"), distinguishable under the common kinds of colour blindness.
// The map uses the same colours for its symbols.
var Palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"}

// Axis is a chart axis: a label that names the quantity and its unit,
// a range, and ticks.
type Axis struct {
	Label string
	// Min and Max are the range; when Max <= Min the range is the data's,
	// widened to nice ticks (and to include 0 when ZeroBased).
	Min, Max  float64
	ZeroBased bool
	// Ticks, when set, are the ticks to draw; otherwise about five nice
	// ones, labelled by Format (or %g).
	Ticks  []Tick
	Format func(float64) string
}

// Tick is a labelled position on an axis.
type Tick struct {
	V     float64
	Label string
}

// XY is a point of a series, with its tooltip. A NaN Y is a gap.
type XY struct {
	X, Y  float64
	Title string
}

// Series is one line of a line chart.
type Series struct {
	Name  string
	Class string
	Color string
	Dash  string
	Width float64 // px; default 2.5
	// Step draws the value as holding until the next point (a state
	// observed at dates), not as a slope between them.
	Step   bool
	Points []XY
	// NoDots leaves out the point symbols.
	NoDots bool
}

// Mark is a numbered vertical marker on a line chart's x axis, for events.
type Mark struct {
	X     float64
	Label string // short, drawn in a badge: "1"
	Title string // tooltip and accessible name
	Href  string // optional link, e.g. to the event in a list
}

// LineChart is a line chart with axes, a legend, event marks and its
// sources, as one self-contained SVG.
type LineChart struct {
	ID              string // prefix of element ids: unique on the page
	Title, Subtitle string
	Width, Height   float64 // nominal pixels, margins included
	FontSize        float64 // base text size in px; default 13
	X, Y            Axis
	Series          []Series
	Marks           []Mark
	Sources         []string
	Attrs           map[string]string // extra root attributes (data-*)
}

// WriteSVG writes the chart: its axes' ranges and the layout first, then
// the heading, legend, axes, marks, lines and sources in that order.
func (c *LineChart) WriteSVG(w io.Writer) error {
	l := c.layout()
	var b bytes.Buffer
	id := cmp.Or(c.ID, "chart")
	fs := l.fs
	svgOpen(&b, svgRoot{id: id, w: c.Width, h: c.Height, fs: fs, title: c.Title, desc: c.Subtitle, attrs: attrList(c.Attrs)})
	writeHeading(&b, l.titles, l.subs, fs)
	c.writeLegend(&b, l)
	c.writeAxes(&b, l)
	c.writeMarks(&b, l) // under the lines
	c.writeSeries(&b, l)
	writeSources(&b, c.Sources, c.Height-l.srcH+fs*0.9-4, fs*0.85, fs*1.25, "#444")
	return svgClose(w, &b)
}

// lineLayout is where a line chart's parts go: the axes with their
// ranges and ticks, the wrapped heading, the heights of the legend, the
// marks' band and the sources, and the plot frame.
type lineLayout struct {
	xa, ya               Axis
	xTicks, yTicks       []Tick
	titles, subs         []string
	head, legendH, markH float64
	srcH                 float64
	f                    frame
	fs                   float64
}

// sx and sy map data to SVG coordinates.
func (l *lineLayout) sx(x float64) float64 { return l.f.sx(x, l.xa.Min, l.xa.Max) }
func (l *lineLayout) sy(y float64) float64 { return l.f.sy(y, l.ya.Min, l.ya.Max) }

// layout computes the axes' ranges from the data where they are not set,
// and the frame.
func (c *LineChart) layout() *lineLayout {
	fs := fontSize(c.FontSize)
	xmin, xmax, ymin, ymax := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, p := range s.Points {
			xmin, xmax = math.Min(xmin, p.X), math.Max(xmax, p.X)
			if !math.IsNaN(p.Y) {
				ymin, ymax = math.Min(ymin, p.Y), math.Max(ymax, p.Y)
			}
		}
	}
	for _, m := range c.Marks {
		xmin, xmax = math.Min(xmin, m.X), math.Max(xmax, m.X)
	}
	l := &lineLayout{xa: c.X, ya: c.Y}
	xa, ya := &l.xa, &l.ya
	if xa.Max <= xa.Min {
		xa.Min, xa.Max = finite(xmin, 0), finite(xmax, 1)
		if xa.Max == xa.Min {
			xa.Max = xa.Min + 1
		}
	}
	l.yTicks = ya.Ticks
	if ya.Max <= ya.Min {
		lo, hi := finite(ymin, 0), finite(ymax, 1)
		if ya.ZeroBased {
			lo, hi = math.Min(lo, 0), math.Max(hi, 0)
		}
		var ticks []Tick
		ya.Min, ya.Max, ticks = niceRange(lo, hi, 5, ya.Format)
		if l.yTicks == nil {
			l.yTicks = ticks
		}
	} else if l.yTicks == nil {
		_, _, l.yTicks = niceRange(ya.Min, ya.Max, 5, ya.Format)
	}
	l.xTicks = xa.Ticks
	if l.xTicks == nil {
		_, _, l.xTicks = niceRange(xa.Min, xa.Max, 6, xa.Format)
	}

	l.fs = fs
	l.titles, l.subs, l.head = headingLines(c.Title, c.Subtitle, c.Width, fs)
	if len(c.Series) > 1 {
		l.legendH = fs * 1.8
	}
	yLabelW := 0.0
	for _, t := range l.yTicks {
		yLabelW = math.Max(yLabelW, textWidth(t.Label, fs))
	}
	f := frame{left: yLabelW + 14, top: l.head + l.legendH + fs*1.6}
	if c.Y.Label != "" {
		f.left += fs * 1.4
	}
	if len(c.Marks) > 0 {
		l.markH = fs * 1.4
		f.top += l.markH
	}
	foot := fs*1.4 + 6 // x tick labels
	if c.X.Label != "" {
		foot += fs * 1.4
	}
	l.srcH = float64(len(c.Sources)) * fs * 1.25
	f.width = c.Width - f.left - 12
	f.height = c.Height - f.top - foot - l.srcH - 8
	l.f = f
	return l
}

// writeLegend writes the series' legend, when there is more than one.
func (c *LineChart) writeLegend(b *bytes.Buffer, l *lineLayout) {
	if l.legendH == 0 {
		return
	}
	fs := l.fs
	x := 8.0
	y := l.head + fs*1.1
	b.WriteString(`<g class="legend">`)
	for _, s := range c.Series {
		fmt.Fprintf(b, `<path d="M%s %sh24" stroke="%s" stroke-width="%s" fill="none"%s/>`, num(x), num(y-fs*0.35), esc(s.Color), num(seriesWidth(s)), dashAttr(s.Dash))
		fmt.Fprintf(b, `<text x="%s" y="%s" fill="#111">%s</text>`, num(x+30), num(y), esc(s.Name))
		x += 30 + textWidth(s.Name, fs) + 18
	}
	b.WriteString("</g>\n")
}

// writeAxes writes the grid, the axes, their ticks and labels.
func (c *LineChart) writeAxes(b *bytes.Buffer, l *lineLayout) {
	f, fs := l.f, l.fs
	b.WriteString(`<g class="axis y-axis">`)
	writeYAxis(b, f, fs, l.yTicks, l.sy, c.Y.Label, false)
	b.WriteString("</g>\n")
	b.WriteString(`<g class="axis x-axis">`)
	fmt.Fprintf(b, `<path d="M%s %sh%s" stroke="#333"/>`, num(f.left), num(f.top+f.height), num(f.width))
	for _, t := range l.xTicks {
		if t.V < l.xa.Min || t.V > l.xa.Max {
			continue
		}
		x := l.sx(t.V)
		fmt.Fprintf(b, `<path d="M%s %sv5" stroke="#333"/>`, num(x), num(f.top+f.height))
		anchor := "middle"
		if x-textWidth(t.Label, fs)/2 < 2 {
			anchor = "start"
		} else if x+textWidth(t.Label, fs)/2 > c.Width-2 {
			anchor = "end"
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="%s" fill="#333">%s</text>`, num(x), num(f.top+f.height+fs*1.4), anchor, esc(t.Label))
	}
	if c.X.Label != "" {
		fmt.Fprintf(b, `<text class="axis-label" x="%s" y="%s" text-anchor="middle" fill="#111">%s</text>`, num(f.left+f.width/2), num(f.top+f.height+fs*2.8), esc(c.X.Label))
	}
	b.WriteString("</g>\n")
}

// writeMarks writes the numbered event marks above the plot, each with a
// dashed line down through it.
func (c *LineChart) writeMarks(b *bytes.Buffer, l *lineLayout) {
	if len(c.Marks) == 0 {
		return
	}
	f, fs := l.f, l.fs
	b.WriteString(`<g class="marks">`)
	for _, m := range c.Marks {
		x := l.sx(m.X)
		if m.Href != "" {
			fmt.Fprintf(b, `<a class="mark" href="%s">`, esc(m.Href))
		} else {
			b.WriteString(`<g class="mark" tabindex="0">`)
		}
		r := fs * 0.7
		fmt.Fprintf(b, `<path d="M%s %sV%s" stroke="#D55E00" stroke-width="1.5" stroke-dasharray="4 3"/>`, num(x), num(f.top-l.markH+2*r), num(f.top+f.height))
		fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="%s" fill="#D55E00"/>`, num(x), num(f.top-l.markH+r), num(r))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" font-size="%s" font-weight="700" fill="#fff">%s</text>`, num(x), num(f.top-l.markH+r+fs*0.3), num(fs*0.85), esc(m.Label))
		fmt.Fprintf(b, `<title>%s</title>`, esc(m.Title))
		if m.Href != "" {
			b.WriteString("</a>")
		} else {
			b.WriteString("</g>")
		}
	}
	b.WriteString("</g>\n")
}

// writeSeries writes each series' line (a gap at each NaN) and its dots.
func (c *LineChart) writeSeries(b *bytes.Buffer, l *lineLayout) {
	for _, s := range c.Series {
		class := "series"
		if s.Class != "" {
			class += " " + s.Class
		}
		fmt.Fprintf(b, `<g class="%s" data-name="%s">`, esc(class), esc(s.Name))
		d := linePath(s.Points, l.sx, l.sy, s.Step)
		fmt.Fprintf(b, `<path d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"%s/>`, d, esc(s.Color), num(seriesWidth(s)), dashAttr(s.Dash))
		if !s.NoDots {
			for _, p := range s.Points {
				if math.IsNaN(p.Y) {
					continue
				}
				fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="3" fill="%s"><title>%s</title></circle>`, num(l.sx(p.X)), num(l.sy(p.Y)), esc(s.Color), esc(p.Title))
			}
		}
		b.WriteString("</g>\n")
	}
}

// BarSeries is one set of bars of a bar chart: one value per label.
type BarSeries struct {
	Name   string
	Color  string
	Class  string
	Values []float64 // NaN: no bar
	Titles []string  // tooltips, optional
}

// BarChart is a horizontal bar chart: one row per label, one bar per
// series in each row, the value written at the end of each bar.
type BarChart struct {
	ID              string
	Title, Subtitle string
	Width           float64
	FontSize        float64 // default 13
	Labels          []string
	Series          []BarSeries
	X               Axis // the value axis
	// ValueFormat labels the bars; default X.Format.
	ValueFormat func(float64) string
	Sources     []string
	Attrs       map[string]string
}

// WriteSVG writes the chart. Its height follows from the rows.
func (c *BarChart) WriteSVG(w io.Writer) error {
	l := c.layout()
	id := cmp.Or(c.ID, "bars")
	fs := l.fs
	var b bytes.Buffer
	svgOpen(&b, svgRoot{id: id, w: c.Width, h: l.height, fs: fs, title: c.Title, desc: c.Subtitle, attrs: attrList(c.Attrs)})
	writeHeading(&b, l.titles, l.subs, fs)
	if l.legendH > 0 {
		x, y := 8.0, l.head+fs*1.1
		b.WriteString(`<g class="legend">`)
		for _, s := range c.Series {
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="16" height="%s" fill="%s"/>`, num(x), num(y-fs*0.85), num(fs), esc(s.Color))
			fmt.Fprintf(&b, `<text x="%s" y="%s" fill="#111">%s</text>`, num(x+22), num(y), esc(s.Name))
			x += 22 + textWidth(s.Name, fs) + 18
		}
		b.WriteString("</g>\n")
	}
	c.writeAxis(&b, l)
	c.writeRows(&b, l)
	writeSources(&b, c.Sources, l.height-l.srcH+fs*0.9-4, fs*0.85, fs*1.25, "#444")
	return svgClose(w, &b)
}

// barLayout is where a bar chart's parts go: the value axis with its
// range and ticks, the wrapped heading, the legend's height, the rows and
// the plot frame.
type barLayout struct {
	fs            float64
	xa            Axis
	ticks         []Tick
	valueFormat   func(float64) string
	titles, subs  []string
	head, legendH float64
	barH, rowH    float64
	srcH, height  float64
	f             frame
}

func (l *barLayout) sx(v float64) float64 { return l.f.sx(v, l.xa.Min, l.xa.Max) }

// layout computes the value axis's range from the data where it is not
// set, the frame, and the chart's height.
func (c *BarChart) layout() *barLayout {
	fs := fontSize(c.FontSize)
	l := &barLayout{fs: fs, xa: c.X}
	format := c.X.Format
	if format == nil {
		format = func(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }
	}
	l.valueFormat = c.ValueFormat
	if l.valueFormat == nil {
		l.valueFormat = format
	}
	hi := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				hi = math.Max(hi, v)
			}
		}
	}
	l.ticks = l.xa.Ticks
	if l.xa.Max <= l.xa.Min {
		var ticks []Tick
		l.xa.Min, l.xa.Max, ticks = niceRange(0, math.Max(hi, 1e-9), 4, format)
		if l.ticks == nil {
			l.ticks = ticks
		}
	} else if l.ticks == nil {
		_, _, l.ticks = niceRange(l.xa.Min, l.xa.Max, 4, format)
	}
	labelW := 0.0
	for _, s := range c.Labels {
		labelW = math.Max(labelW, textWidth(s, fs))
	}
	l.barH = fs * 1.15
	l.rowH = l.barH*float64(max(1, len(c.Series))) + fs*0.7
	l.titles, l.subs, l.head = headingLines(c.Title, c.Subtitle, c.Width, fs)
	if len(c.Series) > 1 {
		l.legendH = fs * 1.8
	}
	l.f = frame{left: labelW + 16, top: l.head + l.legendH + 4}
	valueW := textWidth(l.valueFormat(hi), fs) + 10
	l.f.width = c.Width - l.f.left - valueW - 8
	l.f.height = l.rowH * float64(len(c.Labels))
	axisH := fs * 1.6
	if c.X.Label != "" {
		axisH += fs * 1.4
	}
	l.srcH = float64(len(c.Sources)) * fs * 1.25
	l.height = l.f.top + l.f.height + axisH + l.srcH + 8
	return l
}

// writeAxis writes the value axis: gridlines, ticks and the label.
func (c *BarChart) writeAxis(b *bytes.Buffer, l *barLayout) {
	f, fs := l.f, l.fs
	b.WriteString(`<g class="axis x-axis">`)
	for _, t := range l.ticks {
		x := l.sx(t.V)
		fmt.Fprintf(b, `<path d="M%s %sV%s" stroke="#e3e3e3"/>`, num(x), num(f.top), num(f.bottom()))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" fill="#333">%s</text>`, num(x), num(f.bottom()+fs*1.3), esc(t.Label))
	}
	fmt.Fprintf(b, `<path d="M%s %sV%s" stroke="#333"/>`, num(f.left), num(f.top), num(f.bottom()))
	if c.X.Label != "" {
		fmt.Fprintf(b, `<text class="axis-label" x="%s" y="%s" text-anchor="middle" fill="#111">%s</text>`, num(f.left+f.width/2), num(f.bottom()+fs*2.7), esc(c.X.Label))
	}
	b.WriteString("</g>\n")
}

// writeRows writes a row a label: the label, and a bar a series with its
// value at its end.
func (c *BarChart) writeRows(b *bytes.Buffer, l *barLayout) {
	fs, left, barH, rowH := l.fs, l.f.left, l.barH, l.rowH
	for i, label := range c.Labels {
		y0 := l.f.top + float64(i)*rowH + fs*0.35
		fmt.Fprintf(b, `<g class="row" data-label="%s"><text class="label" x="%s" y="%s" text-anchor="end" fill="#111">%s</text>`,
			esc(label), num(left-6), num(y0+rowH/2-fs*0.05), esc(label))
		for j, s := range c.Series {
			if i >= len(s.Values) || math.IsNaN(s.Values[i]) {
				continue
			}
			v := s.Values[i]
			y := y0 + float64(j)*barH
			class := "bar"
			if s.Class != "" {
				class += " " + s.Class
			}
			fmt.Fprintf(b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" fill="%s" data-value="%s">`,
				esc(class), num(left), num(y), num(math.Max(0, l.sx(v)-left)), num(barH-2), esc(s.Color), strconv.FormatFloat(v, 'g', 6, 64))
			t := s.Name + ", " + label + ": " + l.valueFormat(v)
			if i < len(s.Titles) && s.Titles[i] != "" {
				t = s.Titles[i]
			}
			fmt.Fprintf(b, `<title>%s</title></rect>`, esc(t))
			fmt.Fprintf(b, `<text class="value" x="%s" y="%s" font-size="%s" fill="#222">%s</text>`, num(l.sx(v)+4), num(y+barH*0.72), num(fs*0.92), esc(l.valueFormat(v)))
		}
		b.WriteString("</g>\n")
	}
}

func finite(v, def float64) float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return def
	}
	return v
}

func seriesWidth(s Series) float64 {
	if s.Width > 0 {
		return s.Width
	}
	return 2.5
}

func dashAttr(d string) string {
	if d == "" {
		return ""
	}
	return ` stroke-dasharray="` + esc(d) + `"`
}
