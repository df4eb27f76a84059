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
	svgOpen(&b, id, "log-chart", width, height, c.Title, desc, "data-size", strconv.FormatInt(c.Size, 10), "data-cosigned", strconv.FormatInt(cosigned, 10))
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
	_, _, ticks := niceRange(0, float64(n), 6, func(v float64) string { return numfmt.Thousands(v) }, nil)
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
