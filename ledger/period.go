package ledger

import (
	"regexp"
	"sort"
	"strconv"
	"time"

	"nadra"
)

var periodRE = regexp.MustCompile(`^([0-9]{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$`)

// PeriodBounds returns the first and last day (YYYY-MM-DD) of a period:
// a year "2025", a quarter "2025-Q3" or a month "2025-09".
func PeriodBounds(p string) (start, end string, err error) {
	m := periodRE.FindStringSubmatch(p)
	if m == nil {
		return "", "", nadra.Errorf(nadra.EINVALID, "period %q: expected YYYY, YYYY-Qn or YYYY-MM", p)
	}
	y, _ := strconv.Atoi(m[1])
	first, months := 1, 12
	switch {
	case m[2] != "":
		q, _ := strconv.Atoi(m[2])
		first, months = 3*q-2, 3
	case m[3] != "":
		first, _ = strconv.Atoi(m[3])
		months = 1
	}
	s := time.Date(y, time.Month(first), 1, 0, 0, 0, 0, time.UTC)
	e := s.AddDate(0, months, -1)
	return s.Format(nadra.DateLayout), e.Format(nadra.DateLayout), nil
}

// PeriodWithin reports whether period p lies within period outer: the
// quarter 2026-Q1 and the month 2026-02 lie within 2026, and every
// period lies within itself. Invalid periods lie within nothing.
func PeriodWithin(p, outer string) bool {
	ps, pe, err := PeriodBounds(p)
	if err != nil {
		return false
	}
	qs, qe, err := PeriodBounds(outer)
	if err != nil {
		return false
	}
	return qs <= ps && pe <= qe
}

// PeriodEnd is a day on which one or more of a journal's periods end.
type PeriodEnd struct {
	Date    string   `json:"date"`
	Periods []string `json:"periods"` // the periods ending that day, longest first
}

// periodLess orders periods by their last day, then the longer first (the
// year before the quarter and the month ending the same day), then by
// name.
func periodLess(a, b string) bool {
	as, ae, _ := PeriodBounds(a)
	bs, be, _ := PeriodBounds(b)
	if ae != be {
		return ae < be
	}
	if as != bs {
		return as < bs
	}
	return a < b
}

// sortPeriods sorts periods by periodLess.
func sortPeriods(ps []string) {
	sort.Slice(ps, func(i, j int) bool { return periodLess(ps[i], ps[j]) })
}

// PeriodEnds returns the days on which the effective entries' periods
// end, in order.
func PeriodEnds(eff []Effective) []PeriodEnd {
	seen := map[string]bool{}
	var ps []string
	for _, e := range eff {
		if p := e.Entry.Period; !seen[p] {
			seen[p] = true
			ps = append(ps, p)
		}
	}
	sortPeriods(ps)
	var out []PeriodEnd
	for _, p := range ps {
		_, end, err := PeriodBounds(p)
		if err != nil {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Date == end {
			out[n-1].Periods = append(out[n-1].Periods, p)
			continue
		}
		out = append(out, PeriodEnd{Date: end, Periods: []string{p}})
	}
	return out
}

// periodYear returns the calendar year a period belongs to.
func periodYear(p string) int {
	y, _ := strconv.Atoi(p[:4])
	return y
}

// CheckPeriod returns an EINVALID error unless p is a period.
func CheckPeriod(p string) error {
	_, _, err := PeriodBounds(p)
	return err
}
