package render

import (
	"bytes"
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
	fs := c.FontSize
	if fs == 0 {
		fs = 13
	}
	width := c.Width
	if width == 0 {
		width = 900
	}
	id := c.ID
	if id == "" {
		id = "log"
	}
	var cosigned, latest int64
	for _, cp := range c.Checkpoints {
		if cp.Cosigned && cp.Size > cosigned {
			cosigned = cp.Size
		}
		latest = max(latest, cp.Size)
	}
	n := max(c.Size, latest, 1)
	titles := wrap(c.Title, width-16, fs*1.25)
	head := 10 + fs*1.5*float64(len(titles))
	legend := []struct{ label, color string }{{c.CosignedLabel, ColorCosigned}, {"waiting for a co-signature", ColorWaiting}, {"not yet in a checkpoint", ColorUncovered}}
	// The legend wraps on narrow charts.
	legendRows, x := 1, 8.0
	for _, l := range legend {
		lw := fs*1.4 + textWidth(l.label, fs) + fs*1.2
		if x+lw > width-8 && x > 8 {
			legendRows++
			x = 8
		}
		x += lw
	}
	legendH := float64(legendRows) * fs * 1.5
	markH := fs * 1.6
	barTop := head + legendH + markH + 6
	barH := fs * 2.2
	left, right := 12.0, 16.0
	barW := width - left - right
	sources := wrap(c.Source, width-16, fs*0.9)
	height := barTop + barH + fs*1.6 + 6 + fs*1.4 + float64(len(sources))*fs*1.15 + 10
	sx := func(v int64) float64 { return left + float64(v)/float64(n)*barW }

	var b bytes.Buffer
	desc := fmt.Sprintf("%d entries; %d checkpoints; entries 0 to %d covered by a checkpoint co-signed by both parties.", c.Size, len(c.Checkpoints), cosigned)
	if cosigned == 0 {
		desc = fmt.Sprintf("%d entries; %d checkpoints; none co-signed by both parties yet.", c.Size, len(c.Checkpoints))
	}
	svgOpen(&b, svgRoot{id: id, class: "log-chart", w: width, h: height, fs: fs, title: c.Title, desc: desc,
		attrs: []string{"data-size", strconv.FormatInt(c.Size, 10), "data-cosigned", strconv.FormatInt(cosigned, 10)}})
	fmt.Fprintf(&b, `<defs><pattern id="%s-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eee"/><path d="M0 0v6" stroke="%s" stroke-width="2.5"/></pattern></defs>`+"\n", esc(id), ColorUncovered)
	writeHeading(&b, titles, nil, fs)
	// Legend.
	b.WriteString(`<g class="legend">`)
	x, y := 8.0, head+fs*1.05
	for i, l := range legend {
		lw := fs*1.4 + textWidth(l.label, fs) + fs*1.2
		if x+lw > width-8 && x > 8 {
			x, y = 8, y+fs*1.5
		}
		fill := l.color
		if i == 2 {
			fill = "url(#" + id + "-hatch)"
		}
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#555" stroke-width="0.5"/>`, num(x), num(y-fs*0.8), num(fs), num(fs*0.9), esc(fill))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s" fill="#111">%s</text>`, num(x+fs*1.4), num(y), num(fs), esc(l.label))
		x += lw
	}
	b.WriteString("</g>\n")
	// The bar: co-signed, waiting, uncovered.
	seg := func(from, to int64, fill, class, title string) {
		if to <= from {
			return
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`+"\n",
			class, num(sx(from)), num(barTop), num(math.Max(sx(to)-sx(from), 1)), num(barH), esc(fill), esc(title))
	}
	seg(0, cosigned, ColorCosigned, "cosigned", fmt.Sprintf("Entries 0 to %d: %s", cosigned-1, c.CosignedLabel))
	seg(cosigned, latest, ColorWaiting, "waiting", fmt.Sprintf("Entries %d to %d: in the latest checkpoint, waiting for a co-signature", cosigned, latest-1))
	seg(latest, c.Size, "url(#"+id+"-hatch)", "uncovered", fmt.Sprintf("Entries %d to %d: not yet in a checkpoint", latest, c.Size-1))
	if c.Size == 0 {
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#999" stroke-dasharray="4 3"/>`+"\n", num(left), num(barTop), num(barW), num(barH))
	}
	// Checkpoints: a marker above the bar at each size; the last 40 (the
	// bar cannot show more apart).
	cps := c.Checkpoints
	if len(cps) > 40 {
		cps = cps[len(cps)-40:]
	}
	b.WriteString(`<g class="checkpoints">`)
	for _, cp := range cps {
		cx := sx(cp.Size)
		fill, stroke := ColorCosigned, "#00593f"
		if !cp.Cosigned {
			fill, stroke = "#fff", "#8a5a00"
		}
		fmt.Fprintf(&b, `<g class="checkpoint" data-size="%d" tabindex="0" role="img" aria-label="%s"><title>%s</title>`, cp.Size, esc(cp.Title), esc(cp.Title))
		fmt.Fprintf(&b, `<path d="M%s %sv%s" stroke="#111" stroke-width="1.5"/>`, num(cx), num(barTop-markH+fs*0.7), num(barH+markH-fs*0.7))
		fmt.Fprintf(&b, `<path d="M%s %sl%s %sl%s %sz" fill="%s" stroke="%s" stroke-width="1.5"/>`, num(cx), num(barTop-fs*0.2),
			num(-fs*0.5), num(-fs*0.8), num(fs), num(0), fill, stroke)
		b.WriteString("</g>\n")
	}
	b.WriteString("</g>\n")
	// The axis: entries, with nice ticks.
	_, _, ticks := niceRange(0, float64(n), 6, func(v float64) string { return numfmt.Thousands(v) })
	b.WriteString(`<g class="axis x-axis">`)
	axisY := barTop + barH
	fmt.Fprintf(&b, `<path d="M%s %sh%s" stroke="#333"/>`, num(left), num(axisY), num(barW))
	for _, t := range ticks {
		if t.V < 0 || t.V > float64(n) || t.V != math.Trunc(t.V) {
			continue
		}
		tx := sx(int64(t.V))
		fmt.Fprintf(&b, `<path d="M%s %sv5" stroke="#333"/>`, num(tx), num(axisY))
		anchor := "middle"
		switch {
		case tx < left+fs:
			anchor = "start"
		case tx > left+barW-fs:
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="%s" fill="#333">%s</text>`, num(tx), num(axisY+fs*1.4), anchor, esc(t.Label))
	}
	fmt.Fprintf(&b, `<text class="axis-label" x="%s" y="%s" text-anchor="middle" fill="#111">%s</text>`, num(left+barW/2), num(axisY+fs*2.9), "entries in the log, by index")
	b.WriteString("</g>\n")
	y = axisY + fs*2.9 + fs*1.3
	for _, s := range sources {
		fmt.Fprintf(&b, `<text class="source" x="8" y="%s" font-size="%s" fill="#555">%s</text>`+"\n", num(y), num(fs*0.9), esc(s))
		y += fs * 1.15
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
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
	fs := c.FontSize
	if fs == 0 {
		fs = 13
	}
	width := c.Width
	if width == 0 {
		width = 600
	}
	id := c.ID
	if id == "" {
		id = "balances"
	}
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
	if hi == lo {
		hi = lo + 1e6 // nothing but zeros: a scale of millions, where the fund's figures are
	}
	scale := ledgerScale(math.Max(math.Abs(lo), math.Abs(hi)))
	ticks := niceTicks(lo, hi, 4)
	lo, hi = math.Min(lo, ticks[0]), math.Max(hi, ticks[len(ticks)-1])

	titles := wrap(c.Title, width-16, fs*1.25)
	subs := wrap(c.Subtitle, width-16, fs)
	head := 10 + fs*1.5*float64(len(titles)) + fs*1.35*float64(len(subs))
	// The legend wraps on narrow charts.
	type item struct {
		s    Series
		x, y float64
	}
	var items []item
	lx, ly := 8.0, head+fs*1.05
	for _, s := range c.Series {
		iw := 30 + textWidth(s.Name, fs) + fs
		if lx+iw > width-8 && lx > 8 {
			lx, ly = 8, ly+fs*1.5
		}
		items = append(items, item{s, lx, ly})
		lx += iw
	}
	top := ly + fs*1.4
	yLabelW := 0.0
	for _, t := range ticks {
		yLabelW = math.Max(yLabelW, textWidth(scale.tick(t, ticks), fs))
	}
	left := yLabelW + 12 + fs*1.5
	right := 14.0
	plotW := width - left - right
	plotH := math.Max(140, math.Min(300, plotW*0.45))
	sources := wrap(c.Source, width-16, fs*0.85)
	height := top + plotH + fs*1.6 + fs*1.5 + float64(len(sources))*fs*1.15 + 10
	sx := func(x float64) float64 { return left + (x-xmin)/(xmax-xmin)*plotW }
	sy := func(y float64) float64 { return top + plotH - (y-lo)/(hi-lo)*plotH }

	var b bytes.Buffer
	desc := c.Subtitle
	svgOpen(&b, svgRoot{id: id, class: "balance-chart", w: width, h: height, fs: fs, title: c.Title, desc: desc, attrs: attrList(c.Attrs)})
	writeHeading(&b, titles, subs, fs)
	b.WriteString(`<g class="legend">`)
	for _, it := range items {
		fmt.Fprintf(&b, `<path d="M%s %sh24" stroke="%s" stroke-width="%s" fill="none"%s/>`, num(it.x), num(it.y-fs*0.35), esc(it.s.Color), num(seriesWidth(it.s)), dashAttr(it.s.Dash))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s" fill="#111">%s</text>`, num(it.x+30), num(it.y), num(fs), esc(it.s.Name))
	}
	b.WriteString("</g>\n")
	// The y axis: gridlines, the zero line darker.
	fmt.Fprintf(&b, `<g class="axis y-axis" font-size="%s">`, num(fs))
	for _, t := range ticks {
		y := sy(t)
		stroke := "#e3e3e3"
		if t == 0 {
			stroke = "#555"
		}
		fmt.Fprintf(&b, `<path d="M%s %sh%s" stroke="%s"/>`, num(left), num(y), num(plotW), stroke)
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" fill="#333">%s</text>`, num(left-6), num(y+fs*0.35), esc(scale.tick(t, ticks)))
	}
	cx, cy := fs*0.9+2, top+plotH/2
	ylabel := scale.unit
	if c.YLabel != "" {
		ylabel = c.YLabel + " (" + scale.unit + ")"
	}
	fmt.Fprintf(&b, `<text class="axis-label" x="%s" y="%s" transform="rotate(-90 %s %s)" text-anchor="middle" fill="#111">%s</text>`, num(cx), num(cy), num(cx), num(cy), esc(ylabel))
	b.WriteString("</g>\n")
	// The x axis: the period ends; a label that would overlap the one
	// before is left out (its tick stays).
	fmt.Fprintf(&b, `<g class="axis x-axis" font-size="%s">`, num(fs))
	fmt.Fprintf(&b, `<path d="M%s %sh%s" stroke="#333"/>`, num(left), num(top+plotH), num(plotW))
	lastEnd := math.Inf(-1)
	for _, t := range c.Ticks {
		x := sx(t.V)
		fmt.Fprintf(&b, `<path d="M%s %sv5" stroke="#333"/>`, num(x), num(top+plotH))
		tw := textWidth(t.Label, fs)
		if x-tw/2 < lastEnd+4 {
			continue
		}
		anchor, start := "middle", x-tw/2
		switch {
		case x-tw/2 < 2:
			anchor, start = "start", x
		case x+tw/2 > width-2:
			anchor, start = "end", x-tw
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="%s" fill="#333">%s</text>`, num(x), num(top+plotH+fs*1.4), anchor, esc(t.Label))
		lastEnd = start + tw
	}
	if c.XLabel != "" {
		fmt.Fprintf(&b, `<text class="axis-label" x="%s" y="%s" text-anchor="middle" fill="#111">%s</text>`, num(left+plotW/2), num(top+plotH+fs*2.9), esc(c.XLabel))
	}
	b.WriteString("</g>\n")
	for _, s := range c.Series {
		class := "series"
		if s.Class != "" {
			class += " " + s.Class
		}
		fmt.Fprintf(&b, `<g class="%s" data-name="%s">`, esc(class), esc(s.Name))
		var d []byte
		for i, p := range s.Points {
			if i == 0 {
				d = fmt.Appendf(d, "M%s %s", num(sx(p.X)), num(sy(p.Y)))
			} else {
				d = fmt.Appendf(d, "L%s %s", num(sx(p.X)), num(sy(p.Y)))
			}
		}
		if len(d) > 0 {
			fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"%s/>`, d, esc(s.Color), num(seriesWidth(s)), dashAttr(s.Dash))
		}
		for _, p := range s.Points {
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" fill="%s" data-value="%s"><title>%s</title></circle>`, num(sx(p.X)), num(sy(p.Y)), num(math.Max(fs*0.25, seriesWidth(s)*0.7)),
				esc(s.Color), strconv.FormatFloat(p.Y, 'f', 2, 64), esc(p.Title))
		}
		b.WriteString("</g>\n")
	}
	y := top + plotH + fs*2.9 + fs*1.3
	if c.XLabel == "" {
		y -= fs * 1.2
	}
	for _, s := range sources {
		fmt.Fprintf(&b, `<text class="source" x="8" y="%s" font-size="%s" fill="#555">%s</text>`+"\n", num(y), num(fs*0.85), esc(s))
		y += fs * 1.15
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
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
	fs := c.FontSize
	if fs == 0 {
		fs = 13
	}
	width := c.Width
	if width == 0 {
		width = 900
	}
	id := c.ID
	if id == "" {
		id = "columns"
	}
	// Each column's base and top, and the range.
	type col struct {
		slot, group int
		base, top   float64
		s           int
	}
	var cols []col
	lo, hi := 0.0, 0.0
	slots := 0
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
			cols = append(cols, col{slots - 1, g, base, top, si})
			lo, hi = math.Min(lo, math.Min(base, top)), math.Max(hi, math.Max(base, top))
		}
	}
	if hi == lo {
		hi = lo + 1e6
	}
	scale := ledgerScale(math.Max(math.Abs(lo), math.Abs(hi)))
	ticks := niceTicks(lo, hi, 4)
	lo, hi = math.Min(lo, ticks[0]), math.Max(hi, ticks[len(ticks)-1])

	titles := wrap(c.Title, width-16, fs*1.25)
	subs := wrap(c.Subtitle, width-16, fs)
	head := 10 + fs*1.5*float64(len(titles)) + fs*1.35*float64(len(subs))
	type item struct {
		s    ColumnSeries
		x, y float64
	}
	var items []item
	lx, ly := 8.0, head+fs*1.05
	for _, s := range c.Series {
		iw := fs*1.6 + textWidth(s.Name, fs) + fs
		if lx+iw > width-8 && lx > 8 {
			lx, ly = 8, ly+fs*1.5
		}
		items = append(items, item{s, lx, ly})
		lx += iw
	}
	top := ly + fs*1.4
	yLabelW := 0.0
	for _, t := range ticks {
		yLabelW = math.Max(yLabelW, textWidth(scale.tick(t, ticks), fs))
	}
	left := yLabelW + 12 + fs*1.5
	plotW := width - left - 14
	plotH := math.Max(150, math.Min(300, plotW*0.4))
	sources := wrap(c.Source, width-16, fs*0.85)
	foot := fs * 1.6
	if c.XLabel != "" {
		foot += fs * 1.4
	}
	height := top + plotH + foot + float64(len(sources))*fs*1.15 + 12
	sy := func(v float64) float64 { return top + plotH - (v-lo)/(hi-lo)*plotH }
	groupW := plotW / float64(max(1, len(c.Groups)))
	colW := math.Min(groupW*0.8/float64(max(1, slots)), fs*4)
	colX := func(g, slot int) float64 {
		x0 := left + groupW*float64(g) + (groupW-colW*float64(slots))/2
		return x0 + colW*float64(slot)
	}

	var b bytes.Buffer
	svgOpen(&b, svgRoot{id: id, class: "column-chart", w: width, h: height, fs: fs, title: c.Title, desc: c.Subtitle, attrs: attrList(c.Attrs)})
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
	writeHeading(&b, titles, subs, fs)
	b.WriteString(`<g class="legend">`)
	for i, it := range items {
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s"/>`, num(it.x), num(it.y-fs*0.85), num(fs), num(fs), esc(fill(i)), esc(it.s.Color))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s" fill="#111">%s</text>`, num(it.x+fs*1.6), num(it.y), num(fs), esc(it.s.Name))
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(&b, `<g class="axis y-axis" font-size="%s">`, num(fs))
	for _, t := range ticks {
		y := sy(t)
		fmt.Fprintf(&b, `<path d="M%s %sh%s" stroke="#e3e3e3"/>`, num(left), num(y), num(plotW))
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" fill="#333">%s</text>`, num(left-6), num(y+fs*0.35), esc(scale.tick(t, ticks)))
	}
	cx, cy := fs*0.9+2, top+plotH/2
	ylabel := scale.unit
	if c.YLabel != "" {
		ylabel = c.YLabel + " (" + scale.unit + ")"
	}
	fmt.Fprintf(&b, `<text class="axis-label" x="%s" y="%s" transform="rotate(-90 %s %s)" text-anchor="middle" fill="#111">%s</text>`, num(cx), num(cy), num(cx), num(cy), esc(ylabel))
	b.WriteString("</g>\n")
	fmt.Fprintf(&b, `<g class="axis x-axis" font-size="%s">`, num(fs))
	lastEnd := math.Inf(-1)
	for g, l := range c.Groups {
		x := left + groupW*(float64(g)+0.5)
		tw := textWidth(l, fs)
		if x-tw/2 < lastEnd+4 {
			continue
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="#333">%s</text>`, num(x), num(top+plotH+fs*1.4), esc(l))
		lastEnd = x + tw/2
	}
	if c.XLabel != "" {
		fmt.Fprintf(&b, `<text class="axis-label" x="%s" y="%s" text-anchor="middle" fill="#111">%s</text>`, num(left+plotW/2), num(top+plotH+fs*2.9), esc(c.XLabel))
	}
	b.WriteString("</g>\n")
	for _, k := range cols {
		s := c.Series[k.s]
		y0, y1 := sy(math.Max(k.base, k.top)), sy(math.Min(k.base, k.top))
		class := "column"
		if s.Class != "" {
			class += " " + s.Class
		}
		t := s.Name + ", " + c.Groups[k.group] + ": " + scale.label(k.top-k.base)
		if k.group < len(s.Titles) && s.Titles[k.group] != "" {
			t = s.Titles[k.group]
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s" stroke-width="0.8" data-group="%s" data-value="%s"><title>%s</title></rect>`+"\n",
			esc(class), num(colX(k.group, k.slot)+1), num(y0), num(math.Max(colW-2, 1)), num(math.Max(y1-y0, 0.5)), esc(fill(k.s)), esc(s.Color),
			esc(c.Groups[k.group]), strconv.FormatFloat(k.top-k.base, 'f', 2, 64), esc(t))
	}
	// The zero line over the columns.
	fmt.Fprintf(&b, `<path class="zero" d="M%s %sh%s" stroke="#333" stroke-width="1.2"/>`+"\n", num(left), num(sy(0)), num(plotW))
	y := top + plotH + foot + fs*0.9
	for _, s := range sources {
		fmt.Fprintf(&b, `<text class="source" x="8" y="%s" font-size="%s" fill="#555">%s</text>`+"\n", num(y), num(fs*0.85), esc(s))
		y += fs * 1.15
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}
