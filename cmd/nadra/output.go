package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"nadra"
)

// outputFlags are --json and --csv.
type outputFlags struct{ json, csv bool }

func (o *outputFlags) check() error {
	if o.json && o.csv {
		return usagef("--json and --csv cannot be used together")
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newTab(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

// pct formats a fraction as a percentage, "n/a" for nil.
func pct(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*p*100, 'f', 1, 64) + "%"
}

// qty formats a quantity with SI-style suffixes, "n/a" for nil.
func qty(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return human(*p)
}

func human(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e12:
		return strconv.FormatFloat(v/1e12, 'f', 2, 64) + "T"
	case a >= 1e9:
		return strconv.FormatFloat(v/1e9, 'f', 2, 64) + "bn"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 2, 64) + "M"
	case a >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', 1, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func usd(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return "$" + human(*p)
}

// csvFloat formats an optional number for CSV: empty for unknown.
func csvFloat(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}

func wrap(s string, width int, indent string) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Fields(s) {
		if i > 0 && line+1+len(w) > width {
			b.WriteString("\n" + indent)
			line = 0
		} else if i > 0 {
			b.WriteString(" ")
			line++
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}

func fprintf(w io.Writer, format string, args ...any) { fmt.Fprintf(w, format, args...) }

func estMark(e bool) string {
	if e {
		return "e"
	}
	return ""
}

// pctv formats a fraction as a percentage.
func pctv(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }

// qtyUnit formats a quantity with thousands separators and its unit.
func qtyUnit(v float64, unit string) string {
	if unit == nadra.UnitShare {
		return strconv.FormatFloat(v, 'f', 1, 64) + "% of world"
	}
	return thousands(v) + " " + unit
}

// thousands formats a number with comma separators: 222,970; 0.5.
func thousands(v float64) string {
	if math.Abs(v) < 10 && v != math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
