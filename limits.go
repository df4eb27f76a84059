package nadra

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Length limits on the text of imported rows, in characters. They are far
// above anything the embedded dataset needs and bound what one row can
// hold. FORMAT.md, "Checks on every import", documents them.
const (
	MaxIDLen     = 64   // ids and slugs
	MaxNameLen   = 200  // names, products, units
	MaxNoteLen   = 2000 // notes and coords_note
	MaxSourceLen = 1000 // one source
	MaxSources   = 20   // sources in one field
)

// checkLen returns an EINVALID error "field: ..." when s has more than max
// characters.
func checkLen(field, s string, max int) error {
	if n := utf8.RuneCountInString(s); n > max {
		return Errorf(EINVALID, "%s: %d characters; at most %d allowed", field, n, max)
	}
	return nil
}

// Truncate returns s cut to at most n characters, for quoting long input
// in error messages.
func Truncate(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// MinSourceYear is the earliest year a source or document date may have:
// an earlier one is taken for a typo.
const MinSourceYear = 1800

// ValidatePartialDate checks a date written YYYY, YYYY-MM or YYYY-MM-DD:
// the month and the day must exist in the calendar (no 2025-13 or
// 2025-02-30) and the year be at least MinSourceYear.
func ValidatePartialDate(s string) error {
	layout := ""
	switch len(s) {
	case 4:
		layout = "2006"
	case 7:
		layout = "2006-01"
	case 10:
		layout = DateLayout
	}
	if layout == "" || !digitsAndHyphens(s) {
		return Errorf(EINVALID, "%q is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return Errorf(EINVALID, "%q is not a calendar date (YYYY, YYYY-MM or YYYY-MM-DD with a real month and day)", s)
	}
	if t.Year() < MinSourceYear {
		return Errorf(EINVALID, "%q: year before %d", s, MinSourceYear)
	}
	return nil
}

func digitsAndHyphens(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '-' {
			return false
		}
	}
	return true
}

// ValidateSource checks one source entry: a URL or document followed by
// its date in parentheses, e.g. "https://example.org (2025-06-27)". The
// date is YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date, or n.d.; a
// comment may follow it after a space, comma, semicolon or colon:
// "(2025-06-27, archived copy)".
func ValidateSource(s string) error {
	s = strings.TrimSpace(s)
	if err := checkLen("source", s, MaxSourceLen); err != nil {
		return Errorf(EINVALID, "%q… has %s", Truncate(s, 40), strings.TrimPrefix(err.(*Error).Message, "source: "))
	}
	open := strings.LastIndexByte(s, '(')
	if !strings.HasSuffix(s, ")") || open < 1 || strings.TrimSpace(s[:open]) == "" {
		return Errorf(EINVALID, "%q lacks a date; expected \"URL or document (YYYY[-MM[-DD]] or n.d.)\"", s)
	}
	inner := s[open+1 : len(s)-1]
	date := inner
	if i := strings.IndexAny(inner, " ,;:"); i >= 0 {
		date = inner[:i]
	}
	if date == "n.d." {
		return nil
	}
	if err := ValidatePartialDate(date); err != nil {
		return Errorf(EINVALID, "%q: the date %s", s, err.(*Error).Message)
	}
	return nil
}

// validateSources checks a field's list of sources: at least one, at most
// MaxSources, each dated. Errors are "field: problem".
func validateSources(field string, list []string) error {
	switch {
	case len(list) == 0:
		return Errorf(EINVALID, "%s: at least one source required", field)
	case len(list) > MaxSources:
		return Errorf(EINVALID, "%s: %d sources; at most %d allowed", field, len(list), MaxSources)
	}
	for _, s := range list {
		if err := ValidateSource(s); err != nil {
			return Errorf(EINVALID, "%s: %s", field, err.(*Error).Message)
		}
	}
	return nil
}
