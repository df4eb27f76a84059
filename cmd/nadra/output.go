package main

import (
	"encoding/json"
	"fmt"
	"io"
	"nadra/internal/numfmt"
	"strconv"
	"strings"
	"text/tabwriter"
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
func pct(p *float64) string { return numfmt.PctOf(p) }

// qty formats a quantity with SI-style suffixes, "n/a" for nil.
func qty(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return numfmt.Human(*p)
}

// usd formats a dollar amount with SI-style suffixes, a negative one
// with a minus sign before the dollar sign (−$6.04bn), "n/a" for nil.
func usd(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return numfmt.USDText(*p)
}

// massText writes a mass in tonnes for people: 850 t, 511.9 kt, 1.23 Mt,
// 2.50 bn t.
func massText(v float64) string { return numfmt.Tonnes(v) }

// count writes n things: "1 deposit", "2 deposits", "0 deposits".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return numfmt.Thousands(float64(n)) + " " + many
}

// list joins a list of names for people, without Go's slice brackets.
func list(names []string) string { return strings.Join(names, ", ") }

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
