package render

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"math"
	"strconv"

	"nadra/internal/numfmt"
)

// Colours of the log chart: Okabe–Ito, as the other charts.
const (
	ColorCosigned  = "#009E73" // bluish green: covered by a checkpoint both parties co-signed
	ColorWaiting   = "#E69F00" // orange: covered by a checkpoint still waiting for a party
	ColorUncovered = "#999999" // grey: after the latest checkpoint
)

// LogCheckpoint is one checkpoint on a log chart.
type LogCheckpoint struct {
	Size     int64
	Cosigned bool   // by every party the policy needs
	Title    string // tooltip and accessible name, e.g. "co-signed by US and UA at size 12"
}

// LogChart draws the ledger's log as a bar of its entries, from index 0
// to its size, with each checkpoint marked at the size it covers: the
// entries a checkpoint co-signed by both parties covers, those only a
// checkpoint still waiting for a party covers, and those no checkpoint
// covers yet.
type LogChart struct {
	ID            string
	Title         string
	Width         float64 // nominal pixels; the height follows
	FontSize      float64 // default 13
	Size          int64   // entries in the log
	Checkpoints   []LogCheckpoint
	Source        string
	CosignedLabel string // legend of the co-signed part, e.g. "co-signed by US and UA"
}

// WriteSVG writes the chart.
func (c *LogChart) WriteSVG(w io.Writer) error {
	l := c.layout()
	var b bytes.Buffer
	desc := fmt.Sprintf("%d entries; %d checkpoints; entries 0 to %d covered by a checkpoint co-signed by both parties.", c.Size, len(c.Checkpoints), l.cosigned)
	if l.cosigned == 0 {
		desc = fmt.Sprintf("%d entries; %d checkpoints; none co-signed by both parties yet.", c.Size, len(c.Checkpoints))
	}
	svgOpen(&b, svgRoot{id: l.id, class: "log-chart", w: l.width, h: l.height, fs: l.fs, title: c.Title, desc: desc,
		attrs: []string{"data-size", strconv.FormatInt(c.Size, 10), "data-cosigned", strconv.FormatInt(l.cosigned, 10)}})
	fmt.Fprintf(&b, `<defs><pattern id="%s-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eee"/><path d="M0 0v6" stroke="%s" stroke-width="2.5"/></pattern></defs>`+"\n", esc(l.id), ColorUncovered)
	writeHeading(&b, l.titles, nil, l.fs)
	c.writeLegend(&b, l)
	c.writeBar(&b, l)
	c.writeCheckpoints(&b, l)
	c.writeAxis(&b, l)
	fs := l.fs
	writeSources(&b, l.sources, l.f.bottom()+fs*2.9+fs*1.3, fs*0.9, fs*1.15, "#555")
	return svgClose(w, &b)
}

// logLayout is where a log chart's parts go: the wrapped title, the
// legend's items, the bar's frame and the sources.
type logLayout struct {
	id                string
	fs, width, height float64
	cosigned, latest  int64
	n                 int64 // entries the bar spans: at least 1
	titles, sources   []string
	legend            []logLegendItem
	markH             float64
	f                 frame // the bar
}

// logLegendItem is a legend item of a log chart and where it goes.
type logLegendItem struct {
	label, fill string
	x, y        float64
}

func (l *logLayout) sx(v int64) float64 { return l.f.sx(float64(v), 0, float64(l.n)) }

// layout finds the checkpoints' extent and places the parts.
func (c *LogChart) layout() *logLayout {
	l := &logLayout{id: cmp.Or(c.ID, "log"), fs: fontSize(c.FontSize), width: cmp.Or(c.Width, 900)}
	fs := l.fs
	for _, cp := range c.Checkpoints {
		if cp.Cosigned && cp.Size > l.cosigned {
			l.cosigned = cp.Size
		}
		l.latest = max(l.latest, cp.Size)
	}
	l.n = max(c.Size, l.latest, 1)
	var head float64
	l.titles, _, head = headingLines(c.Title, "", l.width, fs)
	// The legend wraps on narrow charts.
	l.legend = []logLegendItem{{label: c.CosignedLabel, fill: ColorCosigned}, {label: "waiting for a co-signature", fill: ColorWaiting}, {label: "not yet in a checkpoint", fill: "url(#" + l.id + "-hatch)"}}
	widths := make([]float64, len(l.legend))
	for i, it := range l.legend {
		widths[i] = fs*1.4 + textWidth(it.label, fs) + fs*1.2
	}
	xs, ys, _ := flowLegend(widths, head+fs*1.05, fs, l.width)
	rows := 1
	for i := range l.legend {
		l.legend[i].x, l.legend[i].y = xs[i], ys[i]
		if i > 0 && ys[i] != ys[i-1] {
			rows++
		}
	}
	legendH := float64(rows) * fs * 1.5
	l.markH = fs * 1.6
	left, right := 12.0, 16.0
	l.f = frame{left: left, top: head + legendH + l.markH + 6, width: l.width - left - right, height: fs * 2.2}
	l.sources = wrap(c.Source, l.width-16, fs*0.9)
	l.height = l.f.bottom() + fs*1.6 + 6 + fs*1.4 + float64(len(l.sources))*fs*1.15 + 10
	return l
}

// writeLegend writes the legend: a swatch and a label for each part of
// the bar.
func (c *LogChart) writeLegend(b *bytes.Buffer, l *logLayout) {
	fs := l.fs
	b.WriteString(`<g class="legend">`)
	for _, it := range l.legend {
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#555" stroke-width="0.5"/>`, num(it.x), num(it.y-fs*0.8), num(fs), num(fs*0.9), esc(it.fill))
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="%s" fill="#111">%s</text>`, num(it.x+fs*1.4), num(it.y), num(fs), esc(it.label))
	}
	b.WriteString("</g>\n")
}

// writeBar writes the bar of the log's entries: co-signed, waiting,
// uncovered; an empty log's outline.
func (c *LogChart) writeBar(b *bytes.Buffer, l *logLayout) {
	f := l.f
	seg := func(from, to int64, fill, class, title string) {
		if to <= from {
			return
		}
		fmt.Fprintf(b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`+"\n",
			class, num(l.sx(from)), num(f.top), num(math.Max(l.sx(to)-l.sx(from), 1)), num(f.height), esc(fill), esc(title))
	}
	seg(0, l.cosigned, ColorCosigned, "cosigned", fmt.Sprintf("Entries 0 to %d: %s", l.cosigned-1, c.CosignedLabel))
	seg(l.cosigned, l.latest, ColorWaiting, "waiting", fmt.Sprintf("Entries %d to %d: in the latest checkpoint, waiting for a co-signature", l.cosigned, l.latest-1))
	seg(l.latest, c.Size, "url(#"+l.id+"-hatch)", "uncovered", fmt.Sprintf("Entries %d to %d: not yet in a checkpoint", l.latest, c.Size-1))
	if c.Size == 0 {
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#999" stroke-dasharray="4 3"/>`+"\n", num(f.left), num(f.top), num(f.width), num(f.height))
	}
}

// writeCheckpoints writes a marker above the bar at each checkpoint's
// size; the last 40 (the bar cannot show more apart).
func (c *LogChart) writeCheckpoints(b *bytes.Buffer, l *logLayout) {
	fs, barTop, barH := l.fs, l.f.top, l.f.height
	cps := c.Checkpoints
	if len(cps) > 40 {
		cps = cps[len(cps)-40:]
	}
	b.WriteString(`<g class="checkpoints">`)
	for _, cp := range cps {
		cx := l.sx(cp.Size)
		fill, stroke := ColorCosigned, "#00593f"
		if !cp.Cosigned {
			fill, stroke = "#fff", "#8a5a00"
		}
		fmt.Fprintf(b, `<g class="checkpoint" data-size="%d" tabindex="0" role="img" aria-label="%s"><title>%s</title>`, cp.Size, esc(cp.Title), esc(cp.Title))
		fmt.Fprintf(b, `<path d="M%s %sv%s" stroke="#111" stroke-width="1.5"/>`, num(cx), num(barTop-l.markH+fs*0.7), num(barH+l.markH-fs*0.7))
		fmt.Fprintf(b, `<path d="M%s %sl%s %sl%s %sz" fill="%s" stroke="%s" stroke-width="1.5"/>`, num(cx), num(barTop-fs*0.2),
			num(-fs*0.5), num(-fs*0.8), num(fs), num(0), fill, stroke)
		b.WriteString("</g>\n")
	}
	b.WriteString("</g>\n")
}

// writeAxis writes the axis under the bar: entries, at nice whole ticks.
func (c *LogChart) writeAxis(b *bytes.Buffer, l *logLayout) {
	fs, f := l.fs, l.f
	_, _, ticks := niceRange(0, float64(l.n), 6, func(v float64) string { return numfmt.Thousands(v) })
	b.WriteString(`<g class="axis x-axis">`)
	axisY := f.bottom()
	fmt.Fprintf(b, `<path d="M%s %sh%s" stroke="#333"/>`, num(f.left), num(axisY), num(f.width))
	for _, t := range ticks {
		if t.V < 0 || t.V > float64(l.n) || t.V != math.Trunc(t.V) {
			continue
		}
		tx := l.sx(int64(t.V))
		fmt.Fprintf(b, `<path d="M%s %sv5" stroke="#333"/>`, num(tx), num(axisY))
		anchor := "middle"
		switch {
		case tx < f.left+fs:
			anchor = "start"
		case tx > f.left+f.width-fs:
			anchor = "end"
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="%s" fill="#333">%s</text>`, num(tx), num(axisY+fs*1.4), anchor, esc(t.Label))
	}
	fmt.Fprintf(b, `<text class="axis-label" x="%s" y="%s" text-anchor="middle" fill="#111">%s</text>`, num(f.left+f.width/2), num(axisY+fs*2.9), "entries in the log, by index")
	b.WriteString("</g>\n")
}

// BalanceChart draws account balances over time: one line per account, a
// point at the end of each period, in US dollars. Small multiples (one
// chart per party's books) share a range through YMin and YMax. Lines
// are drawn in order: give the earlier ones a larger Width, and lines
// that coincide show one inside the other.
type BalanceChart struct {
	ID, Title, Subtitle string
	Width               float64 // nominal pixels; the height follows
	FontSize            float64 // default 13
	// Series are the accounts: Points' X are DateX days, Y US dollars,
	// and Title the point's tooltip.
	Series []Series
	// Ticks are the x ticks: the period ends, labelled with the periods.
	Ticks []Tick
	// YMin and YMax are the value range; when YMax <= YMin, the data's,
	// with 0.
	YMin, YMax float64
	XLabel     string
	YLabel     string // the quantity; the unit (US$ m, …) is added
	Source     string
	Attrs      map[string]string
}

// WriteSVG writes the chart.
func (c *BalanceChart) WriteSVG(w io.Writer) error {
	id := cmp.Or(c.ID, "balances")
	lo, hi := c.YMin, c.YMax
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, p := range s.Points {
			xmin, xmax = math.Min(xmin, p.X), math.Max(xmax, p.X)
			if c.YMax <= c.YMin && !math.IsNaN(p.Y) {
				lo, hi = math.Min(lo, p.Y), math.Max(hi, p.Y)
			}
		}
	}
	for _, t := range c.Ticks {
		xmin, xmax = math.Min(xmin, t.V), math.Max(xmax, t.V)
	}
	if math.IsInf(xmin, 0) {
		xmin, xmax = 0, 1
	}
	// A margin of a twentieth of the span (at least 30 days) on each side,
	// so that a single period end is not on the frame.
	pad := math.Max((xmax-xmin)/20, 30)
	xmin, xmax = xmin-pad, xmax+pad
	fs := fontSize(c.FontSize)
	legendW := make([]float64, len(c.Series))
	for i, s := range c.Series {
		legendW[i] = 30 + textWidth(s.Name, fs) + fs
	}
	l := newMoneyLayout(c.Title, c.Subtitle, c.Source, cmp.Or(c.Width, 600), fs, lo, hi, legendW, 140, 0.45)
	height := l.f.bottom() + fs*1.6 + fs*1.5 + float64(len(l.sources))*fs*1.15 + 10
	sx := func(x float64) float64 { return l.f.sx(x, xmin, xmax) }

	var b bytes.Buffer
	svgOpen(&b, svgRoot{id: id, class: "balance-chart", w: l.width, h: height, fs: fs, title: c.Title, desc: c.Subtitle, attrs: attrList(c.Attrs)})
	writeHeading(&b, l.titles, l.subs, fs)
	b.WriteString(`<g class="legend">`)
	for i, s := range c.Series {
		x, y := l.legendX[i], l.legendY[i]
		fmt.Fprintf(&b, `<path d="M%s %sh24" stroke="%s" stroke-width="%s" fill="none"%s/>`, num(x), num(y-fs*0.35), esc(s.Color), num(seriesWidth(s)), dashAttr(s.Dash))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s" fill="#111">%s</text>`, num(x+30), num(y), num(fs), esc(s.Name))
	}
	b.WriteString("</g>\n")
	// The y axis: gridlines, the zero line darker.
	fmt.Fprintf(&b, `<g class="axis y-axis" font-size="%s">`, num(fs))
	writeYAxis(&b, l.f, fs, l.ticks, l.sy, l.yLabel(c.YLabel), true)
	b.WriteString("</g>\n")
	c.writeXAxis(&b, l, sx)
	for _, s := range c.Series {
		class := "series"
		if s.Class != "" {
			class += " " + s.Class
		}
		fmt.Fprintf(&b, `<g class="%s" data-name="%s">`, esc(class), esc(s.Name))
		if d := linePath(s.Points, sx, l.sy, false); len(d) > 0 {
			fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"%s/>`, d, esc(s.Color), num(seriesWidth(s)), dashAttr(s.Dash))
		}
		for _, p := range s.Points {
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" fill="%s" data-value="%s"><title>%s</title></circle>`, num(sx(p.X)), num(l.sy(p.Y)), num(math.Max(fs*0.25, seriesWidth(s)*0.7)),
				esc(s.Color), strconv.FormatFloat(p.Y, 'f', 2, 64), esc(p.Title))
		}
		b.WriteString("</g>\n")
	}
	y := l.f.bottom() + fs*2.9 + fs*1.3
	if c.XLabel == "" {
		y -= fs * 1.2
	}
	writeSources(&b, l.sources, y, fs*0.85, fs*1.15, "#555")
	return svgClose(w, &b)
}

// writeXAxis writes the x axis: the period ends; a label that would
// overlap the one before is left out (its tick stays).
func (c *BalanceChart) writeXAxis(b *bytes.Buffer, l *moneyLayout, sx func(float64) float64) {
	fs, f := l.fs, l.f
	fmt.Fprintf(b, `<g class="axis x-axis" font-size="%s">`, num(fs))
	fmt.Fprintf(b, `<path d="M%s %sh%s" stroke="#333"/>`, num(f.left), num(f.bottom()), num(f.width))
	lastEnd := math.Inf(-1)
	for _, t := range c.Ticks {
		x := sx(t.V)
		fmt.Fprintf(b, `<path d="M%s %sv5" stroke="#333"/>`, num(x), num(f.bottom()))
		tw := textWidth(t.Label, fs)
		if x-tw/2 < lastEnd+4 {
			continue
		}
		anchor, start := "middle", x-tw/2
		switch {
		case x-tw/2 < 2:
			anchor, start = "start", x
		case x+tw/2 > l.width-2:
			anchor, start = "end", x-tw
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="%s" fill="#333">%s</text>`, num(x), num(f.bottom()+fs*1.4), anchor, esc(t.Label))
		lastEnd = start + tw
	}
	if c.XLabel != "" {
		fmt.Fprintf(b, `<text class="axis-label" x="%s" y="%s" text-anchor="middle" fill="#111">%s</text>`, num(f.left+f.width/2), num(f.bottom()+fs*2.9), esc(c.XLabel))
	}
	b.WriteString("</g>\n")
}

// moneyLayout is where the parts of a ledger chart of US dollars go: the
// wrapped heading, a legend in rows, a value axis in the scale's unit, the
// plot frame and the wrapped source.
type moneyLayout struct {
	fs, width        float64
	titles, subs     []string
	legendX, legendY []float64
	scale            usdScale
	ticks            []Tick
	lo, hi           float64
	f                frame
	sources          []string
}

func (l *moneyLayout) sy(v float64) float64 { return l.f.sy(v, l.lo, l.hi) }

// yLabel is the value axis's label: the quantity and the unit.
func (l *moneyLayout) yLabel(quantity string) string {
	if quantity == "" {
		return l.scale.unit
	}
	return quantity + " (" + l.scale.unit + ")"
}

// newMoneyLayout lays out a chart of width whose values span [lo, hi]
// (with 0), with legend items of the given widths: the plot is aspect
// times as high as wide, at least minH and at most 300.
func newMoneyLayout(title, subtitle, source string, width, fs, lo, hi float64, legendW []float64, minH, aspect float64) *moneyLayout {
	l := &moneyLayout{fs: fs, width: width}
	if hi == lo {
		hi = lo + 1e6 // nothing but zeros: a scale of millions, where the fund's figures are
	}
	l.scale = ledgerScale(math.Max(math.Abs(lo), math.Abs(hi)))
	vs := niceTicks(lo, hi, 4)
	l.lo, l.hi = math.Min(lo, vs[0]), math.Max(hi, vs[len(vs)-1])
	yLabelW := 0.0
	for _, v := range vs {
		t := Tick{V: v, Label: l.scale.tick(v, vs)}
		l.ticks = append(l.ticks, t)
		yLabelW = math.Max(yLabelW, textWidth(t.Label, fs))
	}
	var head, last float64
	l.titles, l.subs, head = headingLines(title, subtitle, l.width, fs)
	// The legend wraps on narrow charts.
	l.legendX, l.legendY, last = flowLegend(legendW, head+fs*1.05, fs, l.width)
	l.f = frame{left: yLabelW + 12 + fs*1.5, top: last + fs*1.4}
	l.f.width = l.width - l.f.left - 14
	l.f.height = math.Max(minH, math.Min(300, l.f.width*aspect))
	l.sources = wrap(source, l.width-16, fs*0.85)
	return l
}

// ledgerScale is the unit of a ledger chart's dollar axis: as
// usdScaleFor, but millions from $100,000, so that the fund's figures
// read in one unit ("0.4", US$ m).
func ledgerScale(maxAbs float64) usdScale {
	if maxAbs >= 1e5 && maxAbs < 1e6 {
		return usdScaleFor(1e6)
	}
	return usdScaleFor(maxAbs)
}

// ColumnSeries is one set of columns of a column chart: one value per
// group, in US dollars.
type ColumnSeries struct {
	Name, Class, Color string
	// Hatch draws the columns hatched in Color: a figure apart from the
	// totals.
	Hatch bool
	// Stack puts each column on top of the previous series' column in the
	// same group, in its slot, instead of in a slot of its own.
	Stack  bool
	Values []float64 // NaN: no column
	Titles []string  // tooltips, optional
}

// ColumnChart draws grouped columns, one group per label (a period), one
// column per series, in US dollars above and below a zero line.
type ColumnChart struct {
	ID, Title, Subtitle string
	Width               float64 // nominal pixels; the height follows
	FontSize            float64 // default 13
	Groups              []string
	Series              []ColumnSeries
	XLabel, YLabel      string // YLabel: the quantity; the unit is added
	Source              string
	Attrs               map[string]string
}

// WriteSVG writes the chart.
func (c *ColumnChart) WriteSVG(w io.Writer) error {
	id := cmp.Or(c.ID, "columns")
	cols, slots, lo, hi := c.columns()
	fs := fontSize(c.FontSize)
	legendW := make([]float64, len(c.Series))
	for i, s := range c.Series {
		legendW[i] = fs*1.6 + textWidth(s.Name, fs) + fs
	}
	l := newMoneyLayout(c.Title, c.Subtitle, c.Source, cmp.Or(c.Width, 900), fs, lo, hi, legendW, 150, 0.4)
	foot := fs * 1.6
	if c.XLabel != "" {
		foot += fs * 1.4
	}
	height := l.f.bottom() + foot + float64(len(l.sources))*fs*1.15 + 12
	left, plotW := l.f.left, l.f.width
	groupW := plotW / float64(max(1, len(c.Groups)))
	colW := math.Min(groupW*0.8/float64(max(1, slots)), fs*4)
	colX := func(g, slot int) float64 {
		x0 := left + groupW*float64(g) + (groupW-colW*float64(slots))/2
		return x0 + colW*float64(slot)
	}

	var b bytes.Buffer
	svgOpen(&b, svgRoot{id: id, class: "column-chart", w: l.width, h: height, fs: fs, title: c.Title, desc: c.Subtitle, attrs: attrList(c.Attrs)})
	fmt.Fprintf(&b, `<defs>`)
	for si, s := range c.Series {
		if s.Hatch {
			fmt.Fprintf(&b, `<pattern id="%s-hatch-%d" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><path d="M0 0v6" stroke="%s" stroke-width="2.5"/></pattern>`, esc(id), si, esc(s.Color))
		}
	}
	b.WriteString("</defs>\n")
	fill := func(si int) string {
		if c.Series[si].Hatch {
			return fmt.Sprintf("url(#%s-hatch-%d)", id, si)
		}
		return c.Series[si].Color
	}
	writeHeading(&b, l.titles, l.subs, fs)
	b.WriteString(`<g class="legend">`)
	for i, s := range c.Series {
		x, y := l.legendX[i], l.legendY[i]
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s"/>`, num(x), num(y-fs*0.85), num(fs), num(fs), esc(fill(i)), esc(s.Color))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s" fill="#111">%s</text>`, num(x+fs*1.6), num(y), num(fs), esc(s.Name))
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(&b, `<g class="axis y-axis" font-size="%s">`, num(fs))
	writeYAxis(&b, l.f, fs, l.ticks, l.sy, l.yLabel(c.YLabel), false)
	b.WriteString("</g>\n")
	fmt.Fprintf(&b, `<g class="axis x-axis" font-size="%s">`, num(fs))
	lastEnd := math.Inf(-1)
	for g, label := range c.Groups {
		x := left + groupW*(float64(g)+0.5)
		tw := textWidth(label, fs)
		if x-tw/2 < lastEnd+4 {
			continue
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="#333">%s</text>`, num(x), num(l.f.bottom()+fs*1.4), esc(label))
		lastEnd = x + tw/2
	}
	if c.XLabel != "" {
		fmt.Fprintf(&b, `<text class="axis-label" x="%s" y="%s" text-anchor="middle" fill="#111">%s</text>`, num(left+plotW/2), num(l.f.bottom()+fs*2.9), esc(c.XLabel))
	}
	b.WriteString("</g>\n")
	for _, k := range cols {
		s := c.Series[k.s]
		y0, y1 := l.sy(math.Max(k.base, k.top)), l.sy(math.Min(k.base, k.top))
		class := "column"
		if s.Class != "" {
			class += " " + s.Class
		}
		t := s.Name + ", " + c.Groups[k.group] + ": " + l.scale.label(k.top-k.base)
		if k.group < len(s.Titles) && s.Titles[k.group] != "" {
			t = s.Titles[k.group]
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s" stroke-width="0.8" data-group="%s" data-value="%s"><title>%s</title></rect>`+"\n",
			esc(class), num(colX(k.group, k.slot)+1), num(y0), num(math.Max(colW-2, 1)), num(math.Max(y1-y0, 0.5)), esc(fill(k.s)), esc(s.Color),
			esc(c.Groups[k.group]), strconv.FormatFloat(k.top-k.base, 'f', 2, 64), esc(t))
	}
	// The zero line over the columns.
	fmt.Fprintf(&b, `<path class="zero" d="M%s %sh%s" stroke="#333" stroke-width="1.2"/>`+"\n", num(left), num(l.sy(0)), num(plotW))
	writeSources(&b, l.sources, l.f.bottom()+foot+fs*0.9, fs*0.85, fs*1.15, "#555")
	return svgClose(w, &b)
}

// column is one column of a column chart: its group, its slot in the
// group, its series, and its base and top in US dollars.
type column struct {
	slot, group int
	base, top   float64
	s           int
}

// columns stacks the series' values into columns and returns them with
// the slots a group has and the range of the columns' ends (with 0).
func (c *ColumnChart) columns() (cols []column, slots int, lo, hi float64) {
	for si, s := range c.Series {
		if !s.Stack || si == 0 {
			slots++
		}
		for g := range c.Groups {
			if g >= len(s.Values) || math.IsNaN(s.Values[g]) {
				continue
			}
			base := 0.0
			if s.Stack && si > 0 {
				for j := len(cols) - 1; j >= 0; j-- {
					if cols[j].group == g && cols[j].slot == slots-1 {
						base = cols[j].top
						break
					}
				}
			}
			top := base + s.Values[g]
			cols = append(cols, column{slots - 1, g, base, top, si})
			lo, hi = math.Min(lo, math.Min(base, top)), math.Max(hi, math.Max(base, top))
		}
	}
	return cols, slots, lo, hi
}
