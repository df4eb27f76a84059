package server_test

import (
	"regexp"
	"testing"
)

// TestDepositPages_NoRawFloats: no deposit page prints a number in
// exponent form (1.5e+06, 7.6775991e+07) where people read it; figures
// are grouped by thousands (numfmt.Decimal). Attribute values that
// scripts read (data-*) and URLs may keep Go's form.
func TestDepositPages_NoRawFloats(t *testing.T) {
	s := MustOpenServer(t, nil)
	var deps struct{ Deposits []struct{ ID string } }
	s.Get(t, "/api/v1/deposits?limit=1000").JSON(t, &deps)
	exp := regexp.MustCompile(`\d(\.\d+)?e[+-]\d`)
	attr := regexp.MustCompile(`\s(data-[a-z-]+|href|d|points|transform|viewBox)="[^"]*"`)
	seenBig := false
	for _, d := range deps.Deposits {
		r := s.Get(t, "/deposits/"+d.ID)
		if r.Status != 200 {
			t.Fatalf("%s: %d", d.ID, r.Status)
		}
		page := attr.ReplaceAllString(string(r.Body), "")
		if m := exp.FindStringIndex(page); m != nil {
			t.Errorf("/deposits/%s prints %q: …%s…", d.ID, page[m[0]:m[1]], page[max(0, m[0]-80):min(len(page), m[1]+40)])
		}
		seenBig = seenBig || regexp.MustCompile(`>\d{1,3},\d{3},\d{3}<`).MatchString(page)
	}
	if !seenBig {
		t.Errorf("no page shows a figure of a million or more grouped by thousands; the check saw nothing")
	}
}
