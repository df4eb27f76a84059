package nadra

import (
	"fmt"
	"strings"
)

// Revenue bases of a deal: which state receipts feed the fund. Persisted
// in terms files: append only.
const (
	BaseNew = "new" // receipts from new licences and PSAs only (the signed text)
	BaseAll = "all" // all receipts, existing production included (the February draft)
)

// Revenue streams the fund's share applies to. Persisted: append only.
const (
	StreamRent     = "rent"      // subsoil rent (royalty) on the value of output
	StreamPSAShare = "psa_share" // the state's share of production under a PSA
	StreamPermits  = "permits"   // fees for and sales of special subsoil-use permits
)

// Waterfalls: how the fund's distributions are split. Persisted: append
// only.
const (
	WaterfallProRata  = "pro_rata"        // by capital accounts
	WaterfallPriority = "priority_return" // the US recovers contributions plus a return first
	WaterfallFixed    = "fixed_shares"    // fixed financial interests
)

// Flow is a payment in one calendar year, in US dollars at the model's
// price level.
type Flow struct {
	Year int     `json:"year"`
	USD  float64 `json:"usd"`
}

// Term is one term of a deal as written in its terms file: its value, the
// sources it rests on and an optional note. Value holds a float64, int,
// bool, string, []string or []Flow, by the term's kind.
type Term struct {
	Key    string   `json:"key"`
	Value  any      `json:"value"`
	Source []string `json:"source"`
	Note   string   `json:"note,omitempty"`
	Line   int      `json:"line"` // line in the terms file, for messages
}

// DealTerms are the terms of one minerals-for-support deal. Every term
// carries its source; Terms keeps them in file order for display, and the
// typed fields below hold the values the model uses. A term the file does
// not give has its zero value and no entry in Terms.
type DealTerms struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Status  string   `json:"status"` // signed, draft or user
	Date    string   `json:"date"`   // of the text: YYYY, YYYY-MM or YYYY-MM-DD
	Summary string   `json:"summary"`
	Sources []string `json:"sources"`
	File    string   `json:"file"`
	Terms   []Term   `json:"terms"`

	FundStartYear       int      `json:"-"` // first year of the fund's flows
	UkraineShare        float64  `json:"-"` // share of the base paid into the fund
	RevenueBase         string   `json:"-"` // BaseNew or BaseAll
	LicensedUndeveloped bool     `json:"-"` // licensed before the start, not yet developed, counts as new
	InForce             string   `json:"-"` // YYYY-MM-DD the agreement came into force; "" when the file does not say
	RenewalsCount       bool     `json:"-"` // renewals and extensions of earlier licences count as new
	Streams             []string `json:"-"` // StreamRent, StreamPSAShare, StreamPermits
	Commodities         []string `json:"-"` // commodity codes in scope; nil means all
	USCash              []Flow   `json:"-"`
	UkraineCash         []Flow   `json:"-"`
	InKindAidCounts     bool     `json:"-"` // new US in-kind aid counts as US capital
	PriorUSAidUSD       float64  `json:"-"` // aid already given that counts as US capital at the start
	ReinvestYears       int      `json:"-"` // years from the start with no distributions
	Waterfall           string   `json:"-"`
	PriorityReturnRate  float64  `json:"-"` // a year, for WaterfallPriority
	USShare             float64  `json:"-"` // US financial interest, for WaterfallFixed
	TargetUSD           float64  `json:"-"` // a stated contribution target; 0 when none

	// Overrides lists, in words, the terms a user changed for one run
	// ("Ukraine's share set to 30% (the text: 50%)"); empty for terms as
	// written.
	Overrides []string `json:"overrides,omitempty"`
}

// Term returns the term with key k, or nil.
func (d *DealTerms) Term(k string) *Term {
	for i := range d.Terms {
		if d.Terms[i].Key == k {
			return &d.Terms[i]
		}
	}
	return nil
}

// InScope reports whether the fund's share applies to commodity c.
func (d *DealTerms) InScope(c string) bool {
	if d.Commodities == nil {
		return true
	}
	for _, x := range d.Commodities {
		if x == c {
			return true
		}
	}
	return false
}

// HasStream reports whether stream s is part of the base.
func (d *DealTerms) HasStream(s string) bool {
	for _, x := range d.Streams {
		if x == s {
			return true
		}
	}
	return false
}

// Validate checks the cross-term rules that a single term cannot: a
// priority-return waterfall needs its rate, fixed shares need the US
// share. It returns an EINVALID error.
func (d *DealTerms) Validate() error {
	switch d.Waterfall {
	case WaterfallPriority:
		if d.Term("priority_return_rate") == nil {
			return Errorf(EINVALID, "waterfall %s needs the term priority_return_rate", d.Waterfall)
		}
	case WaterfallFixed:
		if d.Term("us_share") == nil {
			return Errorf(EINVALID, "waterfall %s needs the term us_share", d.Waterfall)
		}
	case WaterfallProRata:
	default:
		return Errorf(EINVALID, "waterfall %q unknown", d.Waterfall)
	}
	if d.RevenueBase != BaseNew && d.RevenueBase != BaseAll {
		return Errorf(EINVALID, "revenue_base %q unknown", d.RevenueBase)
	}
	return nil
}

// FormatValue renders a term's value for people.
func (t *Term) FormatValue() string {
	switch v := t.Value.(type) {
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.6f", v), "0"), ".")
	case []string:
		return strings.Join(v, ", ")
	case []Flow:
		var s []string
		for _, f := range v {
			s = append(s, fmt.Sprintf("%d: $%s", f.Year, strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.0f", f.USD), "0"), ".")))
		}
		if len(s) == 0 {
			return "none"
		}
		return strings.Join(s, "; ")
	}
	return fmt.Sprint(t.Value)
}
