package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"nadra"
	"nadra/internal/csvfmt"
	"nadra/internal/decimal"
)

// table reads a CSV file with a header row and a fixed set of columns.
type table struct {
	file   string
	r      *csv.Reader
	col    map[string]int
	width  int // fields in the header, ignored columns included
	record []string
	line   int
}

// maxFileBytes bounds what an import reads: a registry file is far smaller.
const maxFileBytes = 256 << 20

// readAll reads a whole input, checking that it is non-empty UTF-8.
func readAll(file string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if len(data) > maxFileBytes {
		return nil, &nadra.InputError{File: file, Feature: -1, Problem: fmt.Sprintf("larger than %d MB", maxFileBytes>>20)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &nadra.InputError{File: file, Feature: -1, Problem: "the file is empty"}
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalidUTF8(data)], []byte("\n"))
		return nil, &nadra.InputError{File: file, Line: line, Feature: -1, Problem: "not UTF-8 text; save the file as UTF-8"}
	}
	return bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), nil // a BOM is harmless
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// newTable checks the header against the expected columns: all present,
// none unknown, none repeated.
func newTable(file string, data []byte, columns []string, ignore ...string) (*table, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, csvError(file, err)
	}
	t := &table{file: file, r: r, col: map[string]int{}, width: len(header)}
	want := map[string]bool{}
	for _, c := range columns {
		want[c] = true
	}
	skip := map[string]bool{}
	for _, c := range ignore {
		skip[c] = true
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if skip[h] {
			continue // derived columns an export adds; not data
		}
		if !want[h] {
			return nil, &nadra.InputError{File: file, Line: 1, Feature: -1, Field: nadra.Truncate(h, 40),
				Problem: fmt.Sprintf("unknown column; expected the columns %s", strings.Join(columns, ", "))}
		}
		if _, dup := t.col[h]; dup {
			return nil, &nadra.InputError{File: file, Line: 1, Feature: -1, Field: h, Problem: "column appears twice"}
		}
		t.col[h] = i
	}
	var missing []string
	for _, c := range columns {
		if _, ok := t.col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, &nadra.InputError{File: file, Line: 1, Feature: -1, Field: strings.Join(missing, ", "),
			Problem: "missing column"}
	}
	return t, nil
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &nadra.InputError{File: file, Line: pe.Line, Feature: -1, Problem: "malformed CSV: " + pe.Err.Error()}
	}
	if err == io.EOF {
		return &nadra.InputError{File: file, Feature: -1, Problem: "the file is empty"}
	}
	return &nadra.InputError{File: file, Feature: -1, Problem: "malformed CSV: " + err.Error()}
}

// each calls fn for every record, in order, until the end or an error.
func (t *table) each(fn func() error) error {
	for {
		ok, err := t.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if err := fn(); err != nil {
			return err
		}
	}
}

// next reads the next record; it returns false at the end of the file.
func (t *table) next() (bool, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, csvError(t.file, err)
	}
	t.line, _ = t.r.FieldPos(0)
	if len(rec) != t.width {
		return false, t.errf("", "has %d fields; the header has %d", len(rec), t.width)
	}
	for i, cell := range rec {
		if len(cell) > maxCellBytes {
			return false, t.errf(t.name(i), "%d bytes; a cell may hold at most %d", len(cell), maxCellBytes)
		}
	}
	t.record = rec
	return true, nil
}

// maxCellBytes bounds one CSV cell, whatever its column; columns of text
// have tighter limits in characters (FORMAT.md, "Checks on every import").
const maxCellBytes = 64 << 10

// name returns the name of column i.
func (t *table) name(i int) string {
	for c, j := range t.col {
		if j == i {
			return c
		}
	}
	return ""
}

func (t *table) errf(field, format string, args ...any) error {
	return &nadra.InputError{File: t.file, Line: t.line, Feature: -1, Field: field, Problem: fmt.Sprintf(format, args...)}
}

// fieldErr turns a domain validation error "field: problem" into an
// InputError at the current line.
func (t *table) fieldErr(err error) error {
	msg := nadra.ErrorMessage(err)
	field, problem, ok := strings.Cut(msg, ": ")
	if !ok {
		return t.errf("", "%s", msg)
	}
	return t.errf(field, "%s", problem)
}

// str returns a cell, trimmed, with the quote that the CSV writer puts
// before formula-like text taken off (see csvfmt.Writer).
func (t *table) str(c string) string {
	return csvfmt.Unneutralize(strings.TrimSpace(t.record[t.col[c]]))
}

// float parses an optional number (decimal.Parse); "" gives nil.
func (t *table) float(c string) (*float64, error) {
	s := t.str(c)
	if s == "" {
		return nil, nil
	}
	v, ok := decimal.Parse(s)
	if !ok {
		return nil, t.errf(c, "%q is not a number; expected a decimal number such as 48.35 or -1.5e3", nadra.Truncate(s, 40))
	}
	return &v, nil
}

// integer parses an optional whole number; "" gives nil.
func (t *table) integer(c string) (*int, error) {
	s := t.str(c)
	if s == "" {
		return nil, nil
	}
	v, ok := decimal.Whole(s)
	if !ok {
		return nil, t.errf(c, "%q is not a whole number", nadra.Truncate(s, 40))
	}
	return &v, nil
}

func (t *table) boolean(c string) (bool, error) {
	switch strings.ToLower(t.str(c)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, t.errf(c, "%q: expected true or false", t.str(c))
}

func splitSources(s string) []string {
	var out []string
	for _, p := range strings.Split(s, csvfmt.SourceSep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseRows reads a CSV file of the given columns, one value per row by
// row, which returns the value and its key; a key seen before is refused
// by dup, given the line it first appeared on. The first problem is
// returned as a *nadra.InputError.
func parseRows[T any](file string, r io.Reader, columns []string, row func(t *table) (T, string, error), dup func(t *table, key string, first int) error) ([]T, error) {
	return parseRowsIgnoring(file, r, columns, nil, row, dup)
}

// parseRowsIgnoring is parseRows where the columns in ignore may also be
// present, and are not read.
func parseRowsIgnoring[T any](file string, r io.Reader, columns, ignore []string, row func(t *table) (T, string, error), dup func(t *table, key string, first int) error) ([]T, error) {
	data, err := readAll(file, r)
	if err != nil {
		return nil, err
	}
	t, err := newTable(file, data, columns, ignore...)
	if err != nil {
		return nil, err
	}
	var out []T
	seen := map[string]int{}
	err = t.each(func() error {
		v, key, err := row(t)
		if err != nil {
			return err
		}
		if first, ok := seen[key]; ok {
			return dup(t, key, first)
		}
		seen[key] = t.line
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &nadra.InputError{File: file, Feature: -1, Problem: "no rows after the header"}
	}
	return out, nil
}
