// Package csvfmt is how nadra writes its CSV files: the columns of the
// deposits and estimates tables, cells that are safe to open in a
// spreadsheet, several sources in one cell, optional numbers. The dataset
// package reads what it writes (dataset/FORMAT.md); the exports and the
// CLI's reports write through it.
package csvfmt

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"nadra/internal/decimal"
)

// SourceSep separates several sources in one field.
const SourceSep = " | "

// Float writes an optional number: "" for nil, else the shortest decimal
// that reads back as the same float64.
func Float(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

// Int writes an optional integer: "" for nil.
func Int(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// Writer writes CSV files that are safe to open in a spreadsheet: a
// cell that a spreadsheet would take for a formula (it starts with =, +,
// -, @, a tab or a carriage return, and is not a plain number) is written
// with a single quote before it, as OWASP recommends against CSV
// injection. A cell that starts with quotes followed by one of those
// characters gets one more quote, so that the importers, which take one
// leading quote off such cells, read back exactly what was written: an
// export then an import changes nothing. FORMAT.md, "Checks on every import".
type Writer struct {
	w *csv.Writer
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{csv.NewWriter(w)} }

// Write writes one record, neutralising formula-like cells.
func (c *Writer) Write(record []string) error {
	out := make([]string, len(record))
	for i, s := range record {
		out[i] = Neutralize(s)
	}
	return c.w.Write(out)
}

// Flush writes any buffered data.
func (c *Writer) Flush() { c.w.Flush() }

// Error reports any error of a previous Write or Flush.
func (c *Writer) Error() error { return c.w.Error() }

// formulaStart reports whether a spreadsheet may read a cell starting
// with b as a formula.
func formulaStart(b byte) bool {
	switch b {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// escaped reports whether s is quotes followed by a formula character:
// the form Neutralize writes and Unneutralize reads.
func escaped(s string) bool {
	t := strings.TrimLeft(s, "'")
	return len(t) < len(s) && len(t) > 0 && formulaStart(t[0])
}

// Neutralize returns the text of one CSV cell as nadra writes it: s, or s
// with a single quote before it when s starts with a formula character
// and is not a plain decimal number (a negative longitude stays a
// number), or when s is already quotes followed by a formula character.
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	if (formulaStart(s[0]) && !decimal.Valid(s)) || escaped(s) {
		return "'" + s
	}
	return s
}

// Unneutralize undoes Neutralize: it takes one quote off a cell that is
// quotes followed by a formula character. Other cells are left alone, so
// "'hello" stays "'hello".
func Unneutralize(s string) string {
	if escaped(s) {
		return s[1:]
	}
	return s
}
