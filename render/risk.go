package render

import (
	"bytes"
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
	fs := c.FontSize
	if fs == 0 {
		fs = 13
	}
	cols := max(1, c.Columns)
	rows := (len(c.Panels) + cols - 1) / cols
	xa, ya := c.X, c.Y
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
	yTicks := ya.Ticks
	if ya.Max <= ya.Min {
		ya.Min, ya.Max, yTicks = niceRange(0, math.Max(ymax, 1), 3, ya.Format)
	}
	xTicks := xa.Ticks
	if xTicks == nil {
		xTicks = YearTicks(xa.Min, xa.Max, 5)
	}

	titles, subs, head := headingLines(c.Title, c.Subtitle, c.Width, fs)
	legendH := 0.0
	if len(c.Legend) > 0 {
		legendH = fs * 1.8
	}
	yLabelW := 0.0
	for _, t := range yTicks {
		yLabelW = math.Max(yLabelW, textWidth(t.Label, fs*0.9))
	}
	gap := fs * 1.2
	cellW := (c.Width - 8 - fs*1.6 - float64(cols-1)*gap) / float64(cols)
	plotLeft := yLabelW + 8
	plotW := cellW - plotLeft - 6
	titleH := fs * 2.7 // title and subtitle lines above each plot
	footH := fs * 1.6  // x tick labels
	cellH := titleH + c.PanelHeight + footH
	gridTop := head + legendH + 4
	srcH := float64(len(c.Sources)) * fs * 1.25
	height := gridTop + float64(rows)*(cellH+gap) + srcH + 6

	var b bytes.Buffer
	id := c.ID
	if id == "" {
		id = "multiples"
	}
	svgOpen(&b, svgRoot{id: id, class: "multiples", w: c.Width, h: height, fs: fs, title: c.Title, desc: c.Subtitle, attrs: attrList(c.Attrs)})
	writeHeading(&b, titles, subs, fs)
	if legendH > 0 {
		x, y := 8.0, head+fs*1.1
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
	if ya.Label != "" {
		cx, cy := fs*0.8, gridTop+float64(rows)*(cellH+gap)/2
		fmt.Fprintf(&b, `<text class="axis-label" x="%s" y="%s" transform="rotate(-90 %s %s)" text-anchor="middle" fill="#111">%s</text>`+"\n", num(cx), num(cy), num(cx), num(cy), esc(ya.Label))
	}
	for i, p := range c.Panels {
		col, row := i%cols, i/cols
		ox := fs*1.6 + float64(col)*(cellW+gap)
		oy := gridTop + float64(row)*(cellH+gap)
		left, top := ox+plotLeft, oy+titleH
		sx := func(x float64) float64 { return left + (x-xa.Min)/(xa.Max-xa.Min)*plotW }
		sy := func(y float64) float64 {
			return top + c.PanelHeight - (math.Min(y, ya.Max)-ya.Min)/(ya.Max-ya.Min)*c.PanelHeight
		}
		class := "panel"
		if p.Highlight {
			class += " highlight"
		}
		fmt.Fprintf(&b, `<g class="%s" data-id="%s">`, class, esc(p.ID))
		if p.Highlight {
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#f4f8fb" stroke="#0072B2" stroke-width="1.5" rx="4"/>`, num(ox), num(oy), num(cellW), num(cellH))
		}
		title := esc(p.Title)
		if p.Href != "" {
			title = fmt.Sprintf(`<a href="%s">%s</a>`, esc(p.Href), title)
		}
		fmt.Fprintf(&b, `<text class="panel-title" x="%s" y="%s" font-weight="600" fill="#111">%s</text>`, num(ox+4), num(oy+fs*1.1), title)
		fmt.Fprintf(&b, `<text class="panel-subtitle" x="%s" y="%s" font-size="%s" fill="#333">%s</text>`, num(ox+4), num(oy+fs*2.2), num(fs*0.9), esc(p.Subtitle))
		for _, bd := range p.Bands {
			x0, x1 := sx(math.Max(bd.X0, xa.Min)), sx(math.Min(bd.X1, xa.Max))
			fmt.Fprintf(&b, `<rect class="band %s" x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="0.55"><title>%s</title></rect>`,
				esc(bd.Class), num(x0), num(top), num(math.Max(1, x1-x0)), num(c.PanelHeight), bandFill[bd.Class], esc(bd.Title))
		}
		b.WriteString(`<g class="axis y-axis">`)
		for _, t := range yTicks {
			y := sy(t.V)
			fmt.Fprintf(&b, `<path d="M%s %sh%s" stroke="#e3e3e3"/>`, num(left), num(y), num(plotW))
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" font-size="%s" fill="#333">%s</text>`, num(left-4), num(y+fs*0.3), num(fs*0.9), esc(t.Label))
		}
		b.WriteString("</g>")
		b.WriteString(`<g class="axis x-axis">`)
		fmt.Fprintf(&b, `<path d="M%s %sh%s" stroke="#333"/>`, num(left), num(top+c.PanelHeight), num(plotW))
		for _, t := range xTicks {
			if t.V < xa.Min || t.V > xa.Max {
				continue
			}
			x := sx(t.V)
			fmt.Fprintf(&b, `<path d="M%s %sv4" stroke="#333"/><text x="%s" y="%s" text-anchor="middle" font-size="%s" fill="#333">%s</text>`,
				num(x), num(top+c.PanelHeight), num(x), num(top+c.PanelHeight+fs*1.2), num(fs*0.9), esc(t.Label))
		}
		b.WriteString("</g>")
		if !math.IsNaN(c.Threshold) && c.Threshold >= ya.Min && c.Threshold <= ya.Max {
			fmt.Fprintf(&b, `<path class="threshold" d="M%s %sh%s" stroke="#CC79A7" stroke-width="1.5" stroke-dasharray="5 3"><title>%s</title></path>`,
				num(left), num(sy(c.Threshold)), num(plotW), esc(c.ThresholdLabel))
		}
		if !math.IsNaN(c.Marker) && c.Marker >= xa.Min && c.Marker <= xa.Max {
			fmt.Fprintf(&b, `<path class="marker" d="M%s %sV%s" stroke="#333" stroke-width="1" stroke-dasharray="3 3"><title>%s</title></path>`,
				num(sx(c.Marker)), num(top), num(top+c.PanelHeight), esc(c.MarkerLabel))
		}
		color := Palette[0]
		width := 2.0
		if !p.Highlight {
			color, width = "#333333", 1.6
		}
		var d []byte
		pen := false
		for _, pt := range p.Points {
			if math.IsNaN(pt.Y) {
				pen = false
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			d = fmt.Appendf(d, "%s%s %s", cmd, num(sx(pt.X)), num(sy(pt.Y)))
			pen = true
		}
		fmt.Fprintf(&b, `<path class="series" d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"/>`, d, color, num(width))
		for _, pt := range p.Points {
			if math.IsNaN(pt.Y) || pt.Title == "" {
				continue
			}
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="2" fill="%s"><title>%s</title></circle>`, num(sx(pt.X)), num(sy(pt.Y)), color, esc(pt.Title))
		}
		b.WriteString("</g>\n")
	}
	writeSources(&b, c.Sources, height-srcH+fs*0.9-4, fs*0.85, fs*1.25, "#444")
	return svgClose(w, &b)
}
