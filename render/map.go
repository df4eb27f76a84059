package render

import (
	"bytes"
	"fmt"
	"io"
	"sort"
)

// Map is a map to draw: layers of areas and lines, point symbols, a
// legend, a scale bar, and the sources, in one self-contained SVG.
type Map struct {
	Proj     *Projection
	Title    string
	Subtitle string
	// Attrs are extra attributes of the root element (data-* for the
	// page's script), written in sorted order.
	Attrs  map[string]string
	Layers []Layer
	Points []Point
	Legend []LegendItem
	// SizeLegend explains symbol sizes: labels at radii in units.
	SizeLegend      []SizeItem
	SizeLegendTitle string
	Sources         []string // lines at the foot
	// Style is CSS for the document's own <style>, so that a downloaded
	// file looks like the page.
	Style string
}

// Layer is one path: areas (Fill) or lines (no fill).
type Layer struct {
	Class, D    string
	Fill        string // colour, url(#pattern) or "none"
	Stroke      string
	StrokeWidth float64 // in screen pixels (non-scaling)
	Dash        string
	Title       string // tooltip and accessible name
}

// Point is a symbol linked to a page.
type Point struct {
	X, Y, R     float64 // units
	Class, Href string
	Title       string            // tooltip and accessible name
	Data        map[string]string // data-* attributes
}

// LegendItem is a swatch and its label.
type LegendItem struct {
	Label  string
	Fill   string
	Stroke string
	Circle bool // a point symbol rather than an area
	Dash   string
	// StrokeWidth is the outline's width; default 1.5.
	StrokeWidth float64
}

// SizeItem is one circle of the size legend.
type SizeItem struct {
	R     float64
	Label string
}

// Patterns referenced by layers: url(#hatch-grey), url(#hatch-pre2022),
// and for scenarios the land changing hands, url(#hatch-gain) (to
// occupied) and url(#hatch-loss) (to controlled).
const defs = `<defs>` +
	`<pattern id="hatch-grey" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#d9d9d9"/><line x1="0" y1="0" x2="0" y2="8" stroke="#737373" stroke-width="3"/></pattern>` +
	`<pattern id="hatch-pre2022" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="7" height="7" fill="#f4a582"/><line x1="0" y1="0" x2="0" y2="7" stroke="#b2182b" stroke-width="1.6"/></pattern>` +
	`<pattern id="hatch-gain" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4a582"/><line x1="0" y1="0" x2="0" y2="6" stroke="#D55E00" stroke-width="2.5"/></pattern>` +
	`<pattern id="hatch-loss" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="#cfe3f2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#0072B2" stroke-width="2.5"/></pattern>` +
	`</defs>`

// WriteSVG writes the map as a standalone SVG document.
func (m *Map) WriteSVG(w io.Writer) error {
	var b bytes.Buffer
	W, H := m.Proj.Width(), m.Proj.Height()
	foot := 15.0*float64(len(m.Sources)) + 8
	total := H + foot
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="map-title map-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"`,
		num(W), num(total), num(W), num(total))
	writeAttrs(&b, attrList(m.Attrs)...)
	b.WriteString(">\n")
	fmt.Fprintf(&b, "<title id=\"map-title\">%s</title>\n<desc id=\"map-desc\">%s</desc>\n", esc(m.Title), esc(m.Subtitle))
	b.WriteString(defs + "\n")
	if m.Style != "" {
		fmt.Fprintf(&b, "<style>%s</style>\n", m.Style)
	}
	fmt.Fprintf(&b, `<rect class="bg" width="%s" height="%s" fill="#fafafa"/>`+"\n", num(W), num(total))
	for _, l := range m.Layers {
		if l.D == "" {
			continue
		}
		fill := l.Fill
		if fill == "" {
			fill = "none"
		}
		fmt.Fprintf(&b, `<path class="%s" fill="%s" fill-rule="evenodd"`, esc(l.Class), esc(fill))
		if l.Stroke != "" {
			fmt.Fprintf(&b, ` stroke="%s" stroke-width="%s" vector-effect="non-scaling-stroke" stroke-linejoin="round"`, esc(l.Stroke), num(l.StrokeWidth))
			if l.Dash != "" {
				fmt.Fprintf(&b, ` stroke-dasharray="%s"`, esc(l.Dash))
			}
		}
		fmt.Fprintf(&b, ` d="%s">`, l.D)
		if l.Title != "" {
			fmt.Fprintf(&b, `<title>%s</title>`, esc(l.Title))
		}
		b.WriteString("</path>\n")
	}
	b.WriteString(`<g class="points">` + "\n")
	for _, p := range m.Points {
		if p.Href != "" {
			fmt.Fprintf(&b, `<a href="%s" class="%s"`, esc(p.Href), esc(p.Class))
		} else {
			fmt.Fprintf(&b, `<g class="%s" tabindex="0"`, esc(p.Class))
		}
		dk := make([]string, 0, len(p.Data))
		for k := range p.Data {
			dk = append(dk, k)
		}
		sort.Strings(dk)
		for _, k := range dk {
			fmt.Fprintf(&b, ` data-%s="%s"`, k, esc(p.Data[k]))
		}
		fmt.Fprintf(&b, `><circle cx="%s" cy="%s" r="%s"/><title>%s</title>`, num(p.X), num(p.Y), num(p.R), esc(p.Title))
		if p.Href != "" {
			b.WriteString("</a>\n")
		} else {
			b.WriteString("</g>\n")
		}
	}
	b.WriteString("</g>\n")
	m.writeTitle(&b)
	m.writeLegend(&b, W, H)
	m.writeScale(&b, W, H)
	y := H + 14
	for _, s := range m.Sources {
		fmt.Fprintf(&b, `<text class="source" x="8" y="%s" font-size="12" fill="#444">%s</text>`+"\n", num(y), esc(s))
		y += 15
	}
	return svgClose(w, &b)
}

func (m *Map) writeTitle(b *bytes.Buffer) {
	fmt.Fprintf(b, `<g class="map-heading"><text x="12" y="26" font-size="22" font-weight="600" fill="#111">%s</text>`, esc(m.Title))
	if m.Subtitle != "" {
		fmt.Fprintf(b, `<text x="12" y="48" font-size="15" fill="#333">%s</text>`, esc(m.Subtitle))
	}
	b.WriteString("</g>\n")
}

// writeLegend draws the legend in the bottom-left corner, over the sea
// and the neighbours west of Odesa, where Ukraine has no land.
func (m *Map) writeLegend(b *bytes.Buffer, W, H float64) {
	lh := 21.0
	h := float64(len(m.Legend))*lh + 14
	rmax := 0.0
	for _, s := range m.SizeLegend {
		rmax = max(rmax, s.R)
	}
	if len(m.SizeLegend) > 0 {
		h += lh + 2*rmax + 10
	}
	x0, y0 := 8.0, H-h-8
	fmt.Fprintf(b, `<g class="legend"><rect x="%s" y="%s" width="262" height="%s" fill="#fff" fill-opacity="0.92" stroke="#bbb"/>`, num(x0), num(y0), num(h))
	y := y0 + 18
	for _, it := range m.Legend {
		stroke := it.Stroke
		if stroke == "" {
			stroke = "none"
		}
		sw := it.StrokeWidth
		if sw == 0 {
			sw = 1.5
		}
		if it.Circle {
			fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="6" fill="%s" stroke="%s" stroke-width="%s"`, num(x0+18), num(y-5), esc(it.Fill), esc(stroke), num(sw))
		} else {
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="22" height="13" fill="%s" stroke="%s" stroke-width="%s"`, num(x0+7), num(y-12), esc(it.Fill), esc(stroke), num(sw))
		}
		if it.Dash != "" {
			fmt.Fprintf(b, ` stroke-dasharray="%s"`, esc(it.Dash))
		}
		b.WriteString("/>")
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="15" fill="#111">%s</text>`, num(x0+36), num(y), esc(it.Label))
		y += lh
	}
	if len(m.SizeLegend) > 0 {
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="15" fill="#111">%s</text>`, num(x0+8), num(y), esc(m.SizeLegendTitle))
		base := y + 8 + 2*rmax // circles stand on one line
		x := x0 + 12
		for _, s := range m.SizeLegend {
			fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="%s" fill="none" stroke="#333"/>`, num(x+s.R), num(base-s.R), num(s.R))
			fmt.Fprintf(b, `<text x="%s" y="%s" font-size="14" fill="#111">%s</text>`, num(x+2*s.R+3), num(base), esc(s.Label))
			x += 2*s.R + 14 + 8*float64(len(s.Label))
		}
	}
	b.WriteString("</g>\n")
}

// writeScale draws a 200 km scale bar in the bottom-right corner. The
// projection is equal-area, so the scale holds to within a few percent
// over Ukraine.
func (m *Map) writeScale(b *bytes.Buffer, W, H float64) {
	u := m.Proj.Units(100)
	x1, y := W-40, H-26
	x0 := x1 - 2*u
	fmt.Fprintf(b, `<g class="scale" font-size="14"><path d="M%s %sv6h%sv-6M%s %sv6" fill="none" stroke="#111" stroke-width="1.5"/>`, num(x0), num(y-6), num(2*u), num(x0+u), num(y))
	fmt.Fprintf(b, `<text x="%s" y="%s" fill="#111" text-anchor="middle">0</text><text x="%s" y="%s" fill="#111" text-anchor="middle">100</text><text x="%s" y="%s" fill="#111" text-anchor="middle">200 km</text></g>`+"\n",
		num(x0), num(y+16), num(x0+u), num(y+16), num(x1+8), num(y+16))
	// The label for a narrow screen, where the map is drawn at about a
	// third of its size and 14 units would be 5 px: one label, larger,
	// centred above the whole bar, on a white halo. Hidden here; the
	// page's CSS shows it on a phone instead of the others.
	fmt.Fprintf(b, `<g class="scale-narrow" display="none" font-size="%s" font-weight="600" fill="#111" stroke="#fff" stroke-width="6" stroke-linejoin="round" paint-order="stroke">`+
		`<text x="%s" y="%s" text-anchor="middle">200 km</text></g>`+"\n",
		num(ScaleNarrowFont), num(x0+u), num(y-12))
}

// ScaleNarrowFont is the font size, in the map's units, of the scale
// bar's labels on a narrow screen.
const ScaleNarrowFont = 34.0
