package render

// The chart toolkit. Every chart in this package is drawn with these
// pieces, so that all charts measure, wrap, tick and frame alike:
//
//   - textWidth, the one estimate of a text's width; wrap and fitText,
//     which break and shorten text by it; flowLegend, which places legend
//     items in rows by it;
//   - niceTicks, the one generator of round ticks (niceRange labels them),
//     and YearTicks for a time axis;
//   - frame, a plot area, which maps data to SVG coordinates; writeYAxis
//     and linePath, drawn in it;
//   - svgOpen and svgClose, the root element with its accessible title;
//     headingLines and writeHeading, a chart's wrapped title and
//     subtitle; writeSources, lines of sources and footnotes; text, the
//     one writer of a text element on a line of its own; writeAttrs and
//     attrList, attributes in a stable order;
//   - num and esc, which write numbers and text into SVG, and fontSize,
//     a chart's base font size.

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// chartFont is the charts' font stack, as the page's.
const chartFont = `system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif`

func esc(s string) string { return html.EscapeString(s) }

// num formats a length to one decimal without trailing zeros.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s
}

// fontSize is a chart's base font size: 13 by default.
func fontSize(fs float64) float64 {
	if fs == 0 {
		return 13
	}
	return fs
}

// textWidth estimates the width of text at font size fs: 0.56 em a
// character. Measured in Chromium with DejaVu Sans (a wide face; system-ui
// on Linux), labels average 0.52 em a character and short labels with
// digits ("2024", "40%") 0.6 to 0.75, so the estimate errs wide. (The
// product is divided by 100 last, so that 25 characters at 12 are 168,
// not 168.00000000000003.)
func textWidth(s string, fs float64) float64 {
	return float64(len([]rune(s))) * fs * 56 / 100
}

// wrap breaks s into lines of at most width at font size fs, by the
// estimated text width. A word wider than width has a line of its own.
func wrap(s string, width, fs float64) []string {
	if s == "" {
		return nil
	}
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && textWidth(line+" "+w, fs) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// niceTicks returns round values spanning [lo, hi] in about steps steps:
// steps of 1, 2, 2.5 or 5 times a power of ten, from the last multiple at
// or below lo to the first at or above hi. When hi <= lo the span is
// [lo, lo+1]; when either is not finite, [0, 1].
func niceTicks(lo, hi float64, steps int) []float64 {
	if math.IsNaN(lo) || math.IsInf(lo, 0) || math.IsNaN(hi) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	if !(hi > lo) {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / float64(max(1, steps)))
	first := math.Floor(lo/step + 1e-9)
	last := math.Ceil(hi/step - 1e-9)
	var out []float64
	for k := first; k <= last; k++ {
		out = append(out, roundTick(k*step, step))
	}
	return out
}

// roundTick cleans a tick of floating-point noise: 12 significant digits
// (0.15, not 0.15000000000000002), and 0 for what is 0 at the step's
// scale.
func roundTick(v, step float64) float64 {
	if math.Abs(v) < step*1e-9 {
		return 0
	}
	x, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return x
}

// niceStep is the smallest of 1, 2, 2.5, 5 and 10 times a power of ten
// that is at least raw.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// niceRange widens [lo, hi] to niceTicks in about n-1 steps and labels
// them with format (or %g to 4 digits).
func niceRange(lo, hi float64, n int, format func(float64) string) (float64, float64, []Tick) {
	if format == nil {
		format = func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }
	}
	vs := niceTicks(lo, hi, n-1)
	ticks := make([]Tick, len(vs))
	for i, v := range vs {
		ticks[i] = Tick{V: v, Label: format(v)}
	}
	return vs[0], vs[len(vs)-1], ticks
}

// DateX returns a YYYY-MM-DD date as a chart x value: days since
// 1970-01-01. Unparseable dates give NaN.
func DateX(date string) float64 {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return math.NaN()
	}
	return float64(t.Unix()) / 86400
}

// YearTicks returns a tick at each 1 January between two DateX values,
// labelled with the year; every other year when there are more than
// maxTicks.
func YearTicks(from, to float64, maxTicks int) []Tick {
	first := time.Unix(int64(from*86400), 0).UTC().Year()
	last := time.Unix(int64(to*86400), 0).UTC().Year()
	step := 1
	for (last-first)/step+1 > maxTicks {
		step++
	}
	var out []Tick
	for y := first; y <= last+1; y += step {
		x := float64(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Unix()) / 86400
		if x >= from && x <= to {
			out = append(out, Tick{V: x, Label: strconv.Itoa(y)})
		}
	}
	return out
}

// frame is a plot area: its top left corner and its size.
type frame struct {
	left, top, width, height float64
}

func (f frame) right() float64  { return f.left + f.width }
func (f frame) bottom() float64 { return f.top + f.height }

// sx maps v on a range [lo, hi] to x across the frame, left to right.
func (f frame) sx(v, lo, hi float64) float64 { return f.left + (v-lo)/(hi-lo)*f.width }

// sy maps v on a range [lo, hi] to y up the frame, bottom to top.
func (f frame) sy(v, lo, hi float64) float64 { return f.top + f.height - (v-lo)/(hi-lo)*f.height }

// writeHeading writes a chart's title and subtitle lines, wrapped by
// headingLines.
func writeHeading(b *bytes.Buffer, titles, subs []string, fs float64) {
	y := 8 + fs*1.2
	for _, t := range titles {
		text(b, "chart-title", 8, y, fs*1.25, "", "#111", "600", t)
		y += fs * 1.5
	}
	y -= fs * 0.1
	for _, t := range subs {
		text(b, "chart-subtitle", 8, y, 0, "", "#333", "", t)
		y += fs * 1.35
	}
}

// headingLines wraps a title and a subtitle to a chart's width and
// returns them with the height writeHeading takes for them.
func headingLines(title, subtitle string, width, fs float64) (titles, subs []string, height float64) {
	titles = wrap(title, width-16, fs*1.25)
	subs = wrap(subtitle, width-16, fs)
	return titles, subs, 10 + fs*1.5*float64(len(titles)) + fs*1.35*float64(len(subs))
}

// writeSources writes lines of sources from x = 8, the first baseline at
// y, in text of size fs, lineH apart.
func writeSources(b *bytes.Buffer, lines []string, y, fs, lineH float64, fill string) {
	for _, s := range lines {
		text(b, "source", 8, y, fs, "", fill, "", s)
		y += lineH
	}
}

// text writes one text element and a line break. An empty class, anchor
// or weight, or a zero size, is left out (the size is then the
// parent's).
func text(b *bytes.Buffer, class string, x, y, size float64, anchor, fill, weight, s string) {
	b.WriteString("<text")
	if class != "" {
		fmt.Fprintf(b, ` class="%s"`, class)
	}
	fmt.Fprintf(b, ` x="%s" y="%s"`, num(x), num(y))
	if size > 0 {
		fmt.Fprintf(b, ` font-size="%s"`, num(size))
	}
	if anchor != "" && anchor != "start" {
		fmt.Fprintf(b, ` text-anchor="%s"`, anchor)
	}
	if weight != "" {
		fmt.Fprintf(b, ` font-weight="%s"`, weight)
	}
	fmt.Fprintf(b, ` fill="%s">%s</text>`+"\n", fill, esc(s))
}

// fitText shortens s with an ellipsis to fit width at font size fs.
func fitText(s string, fs, width float64) string {
	r := []rune(s)
	if textWidth(s, fs) <= width {
		return s
	}
	for len(r) > 4 && textWidth(string(r)+"…", fs) > width {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " :") + "…"
}

// writeYAxis writes the inside of a y axis along the frame's left edge:
// at each tick a gridline across the frame (at 0 darker, as a baseline,
// when darkZero) and its label, and the axis's label, when not "", up
// the chart's left edge.
func writeYAxis(b *bytes.Buffer, f frame, fs float64, ticks []Tick, sy func(float64) float64, label string, darkZero bool) {
	for _, t := range ticks {
		y := sy(t.V)
		stroke := "#e3e3e3"
		if darkZero && t.V == 0 {
			stroke = "#555"
		}
		fmt.Fprintf(b, `<path d="M%s %sh%s" stroke="%s"/>`, num(f.left), num(y), num(f.width), stroke)
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" fill="#333">%s</text>`, num(f.left-6), num(y+fs*0.35), esc(t.Label))
	}
	if label != "" {
		cx, cy := fs*0.9+2, f.top+f.height/2
		fmt.Fprintf(b, `<text class="axis-label" x="%s" y="%s" transform="rotate(-90 %s %s)" text-anchor="middle" fill="#111">%s</text>`, num(cx), num(cy), num(cx), num(cy), esc(label))
	}
}

// linePath is the path of a line through points, mapped by sx and sy:
// a gap at each NaN y; with step, each value holds until the next point.
func linePath(pts []XY, sx, sy func(float64) float64, step bool) []byte {
	var d []byte
	pen := false
	for _, p := range pts {
		if math.IsNaN(p.Y) {
			pen = false
			continue
		}
		x, y := sx(p.X), sy(p.Y)
		switch {
		case !pen:
			d = fmt.Appendf(d, "M%s %s", num(x), num(y))
		case step:
			d = fmt.Appendf(d, "H%sV%s", num(x), num(y))
		default:
			d = fmt.Appendf(d, "L%s %s", num(x), num(y))
		}
		pen = true
	}
	return d
}

// flowLegend places legend items of the given widths in rows from x = 8,
// the first row's baseline at y: an item that would pass 8 short of the
// chart's width starts a new row, fs*1.5 lower. It returns each item's
// place and the last row's baseline.
func flowLegend(widths []float64, y, fs, chartW float64) (xs, ys []float64, last float64) {
	x := 8.0
	for _, w := range widths {
		if x+w > chartW-8 && x > 8 {
			x, y = 8, y+fs*1.5
		}
		xs, ys = append(xs, x), append(ys, y)
		x += w
	}
	return xs, ys, y
}

// writeAttrs writes attributes given as name, value pairs.
func writeAttrs(b *bytes.Buffer, pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		fmt.Fprintf(b, ` %s="%s"`, pairs[i], esc(pairs[i+1]))
	}
}

// attrList returns attributes as name, value pairs in name order.
func attrList(attrs map[string]string) []string {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		out = append(out, k, attrs[k])
	}
	return out
}

// svgRoot is a chart's root element: its size, its base font size (0
// leaves the size to each text), its accessible title and description,
// and extra attributes as name, value pairs.
type svgRoot struct {
	id, class   string // class is added to "chart"
	w, h, fs    float64
	title, desc string
	attrs       []string
}

// svgOpen writes the root element, its title and description for screen
// readers, and the white background.
func svgOpen(b *bytes.Buffer, r svgRoot) {
	class := "chart"
	if r.class != "" {
		class += " " + r.class
	}
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="%s" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-title %s-desc" font-family="%s"`,
		esc(class), num(r.w), num(r.h), num(r.w), num(r.h), esc(r.id), esc(r.id), chartFont)
	if r.fs > 0 {
		fmt.Fprintf(b, ` font-size="%s"`, num(r.fs))
	}
	writeAttrs(b, r.attrs...)
	b.WriteString(">\n")
	fmt.Fprintf(b, "<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n", esc(r.id), esc(r.title), esc(r.id), esc(r.desc))
	fmt.Fprintf(b, `<rect class="bg" width="%s" height="%s" fill="#fff"/>`+"\n", num(r.w), num(r.h))
}

// svgClose ends the root element and writes the chart out.
func svgClose(w io.Writer, b *bytes.Buffer) error {
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}
