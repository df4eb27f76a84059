package deal

import (
	"fmt"
	"math"
	"strconv"

	"nadra"
)

// Overrides are the choices a user may make about one run on top of the
// parameters and the terms: the settings a run exposes and the share of
// receipts Ukraine pays in. The CLI's flags and the API's request body
// both fill them, and Apply is the one place they are checked and
// applied. Keys, in messages, are the API's JSON names
// ("aid_usd_per_year"); the CLI's flags are the same with hyphens.
// A nil pointer or a zero value means "as the parameters or the terms
// say".
type Overrides struct {
	// Discount is the parties' discount rate a year (default: the
	// parameters' discount_rate).
	Discount *float64
	// Nominal values flows in nominal dollars, inflated by Inflation,
	// which is then required.
	Nominal   bool
	Inflation *float64
	// Coinvest is the largest share of a project's capex the fund takes.
	Coinvest *float64
	// AidUSDPerYear is new US in-kind aid a year from the fund's start,
	// for AidYears years (0: to the end of the horizon).
	AidUSDPerYear float64
	AidYears      int
	// HazardScale multiplies the conflict hazard curve (default 1).
	HazardScale *float64
	// PriceLevel multiplies every commodity's starting price (default 1).
	PriceLevel *float64
	// EndYear is the last year of the horizon (default 2055).
	EndYear int
	// UkraineShare replaces the share of the base Ukraine pays into the
	// fund, in every set of terms.
	UkraineShare *float64
	// CeasefireYear is the ceasefire scenario's year (default: the
	// parameters' ceasefire_year); 0 is no ceasefire within the horizon.
	CeasefireYear *int
}

// Limits of the overrides, for messages and for the dashboard's sliders.
const (
	MaxAidUSDPerYear = 1e13
	MaxHazardScale   = 100.0
	MaxPriceLevel    = 10.0
	MinEndYear       = 2025
	MaxEndYear       = 2125
)

// Apply checks the overrides and returns the run's settings and the
// terms with the overridden terms changed (copies: the shipped terms are
// shared and never modified). The horizon starts at the earliest fund
// start of the terms. Errors are EINVALID and name the bad setting
// through name, which turns a key into what the user typed ("--aid-years"
// on the command line, "aid_years" in the API).
func (o *Overrides) Apply(p *Params, terms []*nadra.DealTerms, name func(key string) string) (Settings, []*nadra.DealTerms, error) {
	if err := o.check(name); err != nil {
		return Settings{}, nil, err
	}
	s := DefaultSettings(p)
	if o.EndYear != 0 {
		s.EndYear = o.EndYear
	}
	if o.Discount != nil {
		s.Discount = *o.Discount
	}
	if o.Coinvest != nil {
		s.Coinvest = *o.Coinvest
	}
	s.Nominal = o.Nominal
	if o.Nominal {
		s.Inflation = *o.Inflation
	}
	s.AidUSDPerYear, s.AidYears = o.AidUSDPerYear, o.AidYears
	if o.HazardScale != nil {
		s.HazardScale = *o.HazardScale
	}
	if o.PriceLevel != nil {
		s.PriceLevel = *o.PriceLevel
	}
	if o.CeasefireYear != nil {
		s.CeasefireYear = *o.CeasefireYear
	}
	out := make([]*nadra.DealTerms, len(terms))
	for i, t := range terms {
		if t.FundStartYear < s.StartYear {
			s.StartYear = t.FundStartYear
		}
		out[i] = o.terms(t)
	}
	if s.EndYear < s.StartYear {
		return Settings{}, nil, nadra.Errorf(nadra.EINVALID, "%s %d is before the fund starts (%d)", name("end_year"), s.EndYear, s.StartYear)
	}
	return s, out, nil
}

// check refuses values outside what the model can mean, with a message
// that says what is expected.
func (o *Overrides) check(name func(string) string) error {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	badp := func(p *float64, lo, hi float64) bool { return p != nil && (bad(*p) || *p < lo || *p > hi) }
	errf := func(key, format string, args ...any) error {
		return nadra.Errorf(nadra.EINVALID, "%s %s", name(key), fmt.Sprintf(format, args...))
	}
	switch {
	case bad(o.AidUSDPerYear) || o.AidUSDPerYear < 0 || o.AidUSDPerYear > MaxAidUSDPerYear:
		return errf("aid_usd_per_year", "%g: expected 0 to 1e13 dollars a year", o.AidUSDPerYear)
	case o.AidYears < 0 || o.AidYears > 100:
		return errf("aid_years", "%d: expected 0 to 100", o.AidYears)
	case o.AidYears > 0 && o.AidUSDPerYear == 0:
		return nadra.Errorf(nadra.EINVALID, "%s %d needs %s: the years of aid are the years of an amount a year, and none is given",
			name("aid_years"), o.AidYears, name("aid_usd_per_year"))
	case o.Discount != nil && (bad(*o.Discount) || *o.Discount <= -0.5 || *o.Discount >= 1):
		return errf("discount", "%s: expected a fraction a year such as 0.05, above -0.5 and below 1", fmtp(o.Discount))
	case badp(o.Coinvest, 0, 1):
		return errf("coinvest", "%s: expected a share from 0 to 1", fmtp(o.Coinvest))
	case badp(o.HazardScale, 0, MaxHazardScale):
		return errf("hazard_scale", "%s: expected 0 to 100", fmtp(o.HazardScale))
	case o.PriceLevel != nil && (bad(*o.PriceLevel) || *o.PriceLevel <= 0 || *o.PriceLevel > MaxPriceLevel):
		return errf("price_level", "%s: expected a factor above 0 and at most 10 (1 is the parameters' prices)", fmtp(o.PriceLevel))
	case o.EndYear != 0 && (o.EndYear < MinEndYear || o.EndYear > MaxEndYear):
		return errf("end_year", "%d: expected 2025 to 2125", o.EndYear)
	case o.CeasefireYear != nil && *o.CeasefireYear != 0 && (*o.CeasefireYear < MinEndYear || *o.CeasefireYear > MaxEndYear):
		return errf("ceasefire_year", "%d: expected a year from 2025 to 2125, or none", *o.CeasefireYear)
	case badp(o.UkraineShare, 0, 1):
		return errf("ukraine_share", "%s: expected a share from 0 to 1", fmtp(o.UkraineShare))
	case o.Nominal && o.Inflation == nil:
		return nadra.Errorf(nadra.EINVALID, "%s needs %s: nadra has no sourced inflation forecast, so give the rate you assume, e.g. %s 0.025",
			name("nominal"), name("inflation"), name("inflation"))
	case !o.Nominal && o.Inflation != nil:
		return nadra.Errorf(nadra.EINVALID, "%s is only used with %s", name("inflation"), name("nominal"))
	case o.Nominal && (bad(*o.Inflation) || *o.Inflation <= -0.5 || *o.Inflation >= 1):
		return errf("inflation", "%s: expected a fraction a year such as 0.025", fmtp(o.Inflation))
	}
	return nil
}

func fmtp(p *float64) string { return strconv.FormatFloat(*p, 'g', -1, 64) }

// terms returns t with the overridden terms changed, or t itself when
// nothing changes it.
func (o *Overrides) terms(t *nadra.DealTerms) *nadra.DealTerms {
	if o.UkraineShare == nil || *o.UkraineShare == t.UkraineShare {
		return t
	}
	c := *t
	c.Terms = append([]nadra.Term(nil), t.Terms...)
	c.Overrides = append(append([]string(nil), t.Overrides...),
		fmt.Sprintf("Ukraine's share set to %s (the text: %s)", pct(*o.UkraineShare), pct(t.UkraineShare)))
	c.UkraineShare = *o.UkraineShare
	if tm := c.Term("ukraine_share"); tm != nil {
		tm.Note = fmt.Sprintf("Set to %g for this run; the text says %g. %s", *o.UkraineShare, t.UkraineShare, tm.Note)
		tm.Value = *o.UkraineShare
	}
	return &c
}

func pct(v float64) string { return strconv.FormatFloat(v*100, 'g', 4, 64) + "%" }
