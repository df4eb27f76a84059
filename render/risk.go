package render

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"math"
)

// Band is a stretch of a panel's x axis shaded to show a state, such as
// the weeks a deposit was occupied.
type Band struct {
	X0, X1 float64
	Class  string // "occupied" or "grey"
	Title  string
}

// Panel is one small chart of a SmallMultiples: one series over the
// shared axes.
type Panel struct {
	ID        string // data-id of the panel, e.g. a deposit id
	Title     string
	Subtitle  string
	Href      string // the panel's title links here when not ""
	Highlight bool   // drawn first and outlined: the page's own subject
	Points    []XY   // a NaN Y is a gap
	Bands     []Band
}

// SmallMultiples is a grid of small line charts that share their x and y
// axes (Tufte's small multiples), so that panels compare at a glance:
// here, the front's distance to a deposit and to its neighbours over
// time, each with the weeks it was occupied or grey shaded.
type SmallMultiples struct {
	ID              string
	Title, Subtitle string
	Width           float64 // nominal pixels
	Columns         int
	PanelHeight     float64 // of each panel's plot area
	FontSize        float64 // default 13
	X, Y            Axis    // shared; Y.Label names the quantity and unit
	// Marker, when not NaN, draws a dashed vertical line at that x in
	// every panel (the page's date), labelled MarkerLabel.
	Marker      float64
	MarkerLabel string
	// Threshold, when not NaN, draws a dashed horizontal line at that y
	// (a watch's radius, say), labelled ThresholdLabel.
	Threshold      float64
	ThresholdLabel string
	Legend         []LegendItem
	Panels         []Panel
	Sources        []string
	Attrs          map[string]string
}

// Shading colours of bands: the map's occupied fill and grey-zone orange,
// light enough for the line to show through.
var bandFill = map[string]string{"occupied": "#f4a582", "grey": "#E69F00"}

// WriteSVG writes the grid as one SVG.
func (c *SmallMultiples) WriteSVG(w io.Writer) error {
	l := c.layout()
	fs := l.fs
	var b bytes.Buffer
	id := cmp.Or(c.ID, "multiples")
	svgOpen(&b, svgRoot{id: id, class: "multiples", w: c.Width, h: l.height, fs: fs, title: c.Title, desc: c.Subtitle, attrs: attrList(c.Attrs)})
	writeHeading(&b, l.titles, l.subs, fs)
	if l.legendH > 0 {
		x, y := 8.0, l.head+fs*1.1
		b.WriteString(`<g class="legend">`)
		for _, it := range c.Legend {
			stroke := it.Stroke
			if stroke == "" {
				stroke = "none"
			}
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="18" height="%s" fill="%s" stroke="%s"%s/>`, num(x), num(y-fs*0.8), num(fs), esc(it.Fill), esc(stroke), dashAttr(it.Dash))
			fmt.Fprintf(&b, `<text x="%s" y="%s" fill="#111">%s</text>`, num(x+24), num(y), esc(it.Label))
			x += 24 + textWidth(it.Label, fs) + 18
		}
		b.WriteString("</g>\n")
	}
	// The shared y axis's label, once, down the left edge.
	if l.ya.Label != "" {
		cx, cy := fs*0.8, l.gridTop+float64(l.rows)*(l.cellH+l.gap)/2
		fmt.Fprintf(&b, `<text class="axis-label" x="%s" y="%s" transform="rotate(-90 %s %s)" text-anchor="middle" fill="#111">%s</text>`+"\n", num(cx), num(cy), num(cx), num(cy), esc(l.ya.Label))
	}
	for i, p := range c.Panels {
		c.writePanel(&b, l, i, p)
	}
	writeSources(&b, c.Sources, l.height-l.srcH+fs*0.9-4, fs*0.85, fs*1.25, "#444")
	return svgClose(w, &b)
}

// multiplesLayout is where a grid's parts go: the shared axes with their
// ticks, the wrapped heading, the legend's height, and the cells.
type multiplesLayout struct {
	fs                float64
	xa, ya            Axis
	xTicks, yTicks    []Tick
	titles, subs      []string
	head, legendH     float64
	cols, rows        int
	gap, cellW, cellH float64
	plotLeft, plotW   float64 // within a cell
	titleH            float64
	gridTop, srcH     float64
	height            float64
}

// layout computes the shared axes' ranges from the panels where they are
// not set, and the cells.
func (c *SmallMultiples) layout() *multiplesLayout {
	fs := fontSize(c.FontSize)
	l := &multiplesLayout{fs: fs, xa: c.X, ya: c.Y, cols: max(1, c.Columns)}
	l.rows = (len(c.Panels) + l.cols - 1) / l.cols
	xa, ya := &l.xa, &l.ya
	xmin, xmax, ymax := math.Inf(1), math.Inf(-1), 0.0
	for _, p := range c.Panels {
		for _, pt := range p.Points {
			xmin, xmax = math.Min(xmin, pt.X), math.Max(xmax, pt.X)
			if !math.IsNaN(pt.Y) {
				ymax = math.Max(ymax, pt.Y)
			}
		}
	}
	if !math.IsNaN(c.Threshold) {
		ymax = math.Max(ymax, c.Threshold)
	}
	if xa.Max <= xa.Min {
		xa.Min, xa.Max = finite(xmin, 0), finite(xmax, 1)
		if xa.Max <= xa.Min {
			xa.Max = xa.Min + 1
		}
	}
	l.yTicks = ya.Ticks
	if ya.Max <= ya.Min {
		ya.Min, ya.Max, l.yTicks = niceRange(0, math.Max(ymax, 1), 3, ya.Format)
	}
	l.xTicks = xa.Ticks
	if l.xTicks == nil {
		l.xTicks = YearTicks(xa.Min, xa.Max, 5)
	}

	l.titles, l.subs, l.head = headingLines(c.Title, c.Subtitle, c.Width, fs)
	if len(c.Legend) > 0 {
		l.legendH = fs * 1.8
	}
	yLabelW := 0.0
	for _, t := range l.yTicks {
		yLabelW = math.Max(yLabelW, textWidth(t.Label, fs*0.9))
	}
	l.gap = fs * 1.2
	l.cellW = (c.Width - 8 - fs*1.6 - float64(l.cols-1)*l.gap) / float64(l.cols)
	l.plotLeft = yLabelW + 8
	l.plotW = l.cellW - l.plotLeft - 6
	l.titleH = fs * 2.7 // title and subtitle lines above each plot
	footH := fs * 1.6   // x tick labels
	l.cellH = l.titleH + c.PanelHeight + footH
	l.gridTop = l.head + l.legendH + 4
	l.srcH = float64(len(c.Sources)) * fs * 1.25
	l.height = l.gridTop + float64(l.rows)*(l.cellH+l.gap) + l.srcH + 6
	return l
}

// writePanel writes the i-th panel in its cell: its title, bands, axes,
// threshold, marker and line.
func (c *SmallMultiples) writePanel(b *bytes.Buffer, l *multiplesLayout, i int, p Panel) {
	fs, xa, ya := l.fs, l.xa, l.ya
	col, row := i%l.cols, i/l.cols
	ox := fs*1.6 + float64(col)*(l.cellW+l.gap)
	oy := l.gridTop + float64(row)*(l.cellH+l.gap)
	f := frame{left: ox + l.plotLeft, top: oy + l.titleH, width: l.plotW, height: c.PanelHeight}
	sx := func(x float64) float64 { return f.sx(x, xa.Min, xa.Max) }
	sy := func(y float64) float64 { return f.sy(math.Min(y, ya.Max), ya.Min, ya.Max) }
	class := "panel"
	if p.Highlight {
		class += " highlight"
	}
	fmt.Fprintf(b, `<g class="%s" data-id="%s">`, class, esc(p.ID))
	if p.Highlight {
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#f4f8fb" stroke="#0072B2" stroke-width="1.5" rx="4"/>`, num(ox), num(oy), num(l.cellW), num(l.cellH))
	}
	title := esc(p.Title)
	if p.Href != "" {
		title = fmt.Sprintf(`<a href="%s">%s</a>`, esc(p.Href), title)
	}
	fmt.Fprintf(b, `<text class="panel-title" x="%s" y="%s" font-weight="600" fill="#111">%s</text>`, num(ox+4), num(oy+fs*1.1), title)
	fmt.Fprintf(b, `<text class="panel-subtitle" x="%s" y="%s" font-size="%s" fill="#333">%s</text>`, num(ox+4), num(oy+fs*2.2), num(fs*0.9), esc(p.Subtitle))
	for _, bd := range p.Bands {
		x0, x1 := sx(math.Max(bd.X0, xa.Min)), sx(math.Min(bd.X1, xa.Max))
		fmt.Fprintf(b, `<rect class="band %s" x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="0.55"><title>%s</title></rect>`,
			esc(bd.Class), num(x0), num(f.top), num(math.Max(1, x1-x0)), num(f.height), bandFill[bd.Class], esc(bd.Title))
	}
	b.WriteString(`<g class="axis y-axis">`)
	for _, t := range l.yTicks {
		y := sy(t.V)
		fmt.Fprintf(b, `<path d="M%s %sh%s" stroke="#e3e3e3"/>`, num(f.left), num(y), num(f.width))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" font-size="%s" fill="#333">%s</text>`, num(f.left-4), num(y+fs*0.3), num(fs*0.9), esc(t.Label))
	}
	b.WriteString("</g>")
	b.WriteString(`<g class="axis x-axis">`)
	fmt.Fprintf(b, `<path d="M%s %sh%s" stroke="#333"/>`, num(f.left), num(f.bottom()), num(f.width))
	for _, t := range l.xTicks {
		if t.V < xa.Min || t.V > xa.Max {
			continue
		}
		x := sx(t.V)
		fmt.Fprintf(b, `<path d="M%s %sv4" stroke="#333"/><text x="%s" y="%s" text-anchor="middle" font-size="%s" fill="#333">%s</text>`,
			num(x), num(f.bottom()), num(x), num(f.bottom()+fs*1.2), num(fs*0.9), esc(t.Label))
	}
	b.WriteString("</g>")
	if !math.IsNaN(c.Threshold) && c.Threshold >= ya.Min && c.Threshold <= ya.Max {
		fmt.Fprintf(b, `<path class="threshold" d="M%s %sh%s" stroke="#CC79A7" stroke-width="1.5" stroke-dasharray="5 3"><title>%s</title></path>`,
			num(f.left), num(sy(c.Threshold)), num(f.width), esc(c.ThresholdLabel))
	}
	if !math.IsNaN(c.Marker) && c.Marker >= xa.Min && c.Marker <= xa.Max {
		fmt.Fprintf(b, `<path class="marker" d="M%s %sV%s" stroke="#333" stroke-width="1" stroke-dasharray="3 3"><title>%s</title></path>`,
			num(sx(c.Marker)), num(f.top), num(f.bottom()), esc(c.MarkerLabel))
	}
	color := Palette[0]
	width := 2.0
	if !p.Highlight {
		color, width = "#333333", 1.6
	}
	fmt.Fprintf(b, `<path class="series" d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"/>`, linePath(p.Points, sx, sy, false), color, num(width))
	for _, pt := range p.Points {
		if math.IsNaN(pt.Y) || pt.Title == "" {
			continue
		}
		fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="2" fill="%s"><title>%s</title></circle>`, num(sx(pt.X)), num(sy(pt.Y)), color, esc(pt.Title))
	}
	b.WriteString("</g>\n")
}
