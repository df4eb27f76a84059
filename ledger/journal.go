package ledger

import (
	"fmt"
	"math"
	"regexp"
	"strconv"

	"nadra"
)

// A report over a journal says which journal it is, and the views'
// reports are the same whoever asks: nadra ledger balance|due|reconcile
// --json prints them, GET /api/v1/ledger/balances|due|reconciliation
// returns them. This file holds what both need: the journal read as a
// View, and the reports' envelopes.

// JournalInfo says which journal a report used and what it is: every
// report carries it, as "journal".
type JournalInfo struct {
	Name      string `json:"name" doc:"log (the signed entries), public (the public journal shipped with nadra) or an entries file's name."`
	Signed    bool   `json:"signed" doc:"Each entry is signed by the party that posted it: true for the log only."`
	Public    bool   `json:"public" doc:"Every entry is a public figure (its docs), not a party's own books."`
	Entries   int    `json:"entries"`
	InForce   int    `json:"in_force" doc:"Entries in force: the latest of each correction chain."`
	Corrected int    `json:"corrected" doc:"Entries in force that correct another."`
	Note      string `json:"note" doc:"What the journal is, in a sentence."`
	USD       string `json:"usd_method" doc:"How US dollar figures are obtained."`
}

// MissingFlow is a flow the public journal has no entry for, because no
// public source gives its amount: an absence, not a zero.
type MissingFlow struct {
	Flow    string   `json:"flow"`
	Kind    string   `json:"kind"`
	Party   string   `json:"party"`
	Period  string   `json:"period"`
	Why     string   `json:"why"`
	Sources []string `json:"sources"`
}

// PublicJournal is the public journal shipped with nadra: public figures
// of the fund's flows re-keyed as entries, signed by neither party, and
// the flows no public source gives an amount for.
type PublicJournal struct {
	File    string // where it comes from, for people: dataset/ledger/public.csv
	Entries []*nadra.Entry
	Missing []MissingFlow
}

// View is a journal read for the views: its entries in force, what it is,
// and, for the public journal, the flows it lacks.
type View struct {
	Journal   *Journal
	Effective []Effective
	Info      JournalInfo
	Missing   []MissingFlow // the public journal's; nil for the others
}

// LogView returns the view of the log's entries, in index order: each
// signed by the party that posted it.
func LogView(entries []*nadra.Entry) (*View, error) {
	j := &Journal{Name: "log", Signed: true, Entries: entries}
	return newView(j, func(public int) string {
		note := "the log: each entry signed by the party that posted it"
		if public > 0 {
			note += fmt.Sprintf("; %d of them public figures (their docs), not the party's own books", public)
		}
		return note
	})
}

// PublicView returns the view of the public journal.
func PublicView(p *PublicJournal) (*View, error) {
	j := &Journal{Name: "public", Entries: p.Entries}
	v, err := newView(j, func(int) string {
		return "the public journal (" + p.File + "): public figures from official statements and the press, each with its sources; signed by neither party, and not the parties' own books"
	})
	if err != nil {
		return nil, err
	}
	v.Missing = append([]MissingFlow{}, p.Missing...)
	return v, nil
}

// FileView returns the view of an entries file, signed by no one.
func FileView(name string, entries []*nadra.Entry) (*View, error) {
	j := &Journal{Name: name, Entries: entries}
	return newView(j, func(public int) string {
		note := "an entries file, signed by no one"
		if public > 0 {
			note += fmt.Sprintf("; %d of its entries public figures (their docs), unsigned by either party", public)
		}
		return note
	})
}

// newView computes the journal's entries in force and describes it; note
// is given how many of its entries are public figures.
func newView(j *Journal, note func(public int) string) (*View, error) {
	j.Public = len(j.Entries) > 0
	public := 0
	for _, e := range j.Entries {
		if e != nil && e.Public {
			public++
		} else {
			j.Public = false
		}
	}
	eff, err := j.Effective()
	if err != nil {
		return nil, err
	}
	v := &View{Journal: j, Effective: eff}
	v.Info = JournalInfo{Name: j.Name, Signed: j.Signed, Public: j.Public, Entries: len(j.Entries), InForce: len(eff), Note: note(public), USD: USDMethod}
	for _, e := range eff {
		if e.Corrected() {
			v.Info.Corrected++
		}
	}
	return v, nil
}

// fail names the journal in an error about one of its entries.
func (v *View) fail(err error) error {
	if nadra.ErrorCode(err) != nadra.EINVALID {
		return err
	}
	return nadra.Errorf(nadra.EINVALID, "%s: %s", v.Info.Name, nadra.ErrorMessage(err))
}

// BalancesReport is each party's books over a journal: nadra ledger
// balance --json, GET /api/v1/ledger/balances.
type BalancesReport struct {
	Journal  JournalInfo     `json:"journal"`
	Balances []*TrialBalance `json:"balances" doc:"The trial balance as of the day asked, or as of the end of each period of the journal and then of every entry."`
}

// BalancesOptions chooses the books and the day.
type BalancesOptions struct {
	Parties []string // nil: US then UA
	AsOf    string   // YYYY-MM-DD: entries dated on or before it
	Period  string   // as of the end of this period; not with AsOf
}

// Balances returns each party's books as of o.AsOf or the end of
// o.Period, or, with neither, as of the end of each period of the journal
// and then of every entry.
func (v *View) Balances(o BalancesOptions) (*BalancesReport, error) {
	if o.AsOf != "" && o.Period != "" {
		return nil, nadra.Errorf(nadra.EINVALID, "give a day (as of) or a period, not both")
	}
	asOf := o.AsOf
	if asOf != "" {
		if _, err := nadra.ParseDate(asOf); err != nil {
			return nil, err
		}
	}
	if o.Period != "" {
		_, end, err := PeriodBounds(o.Period)
		if err != nil {
			return nil, err
		}
		asOf = end
	}
	var tbs []*TrialBalance
	if asOf != "" {
		tb, err := Balances(v.Effective, asOf, o.Parties)
		if err != nil {
			return nil, v.fail(err)
		}
		if o.Period != "" {
			tb.Periods = []string{o.Period}
		}
		tbs = []*TrialBalance{tb}
	} else {
		var err error
		if tbs, err = BalancesByPeriod(v.Effective, o.Parties); err != nil {
			return nil, v.fail(err)
		}
	}
	return &BalancesReport{Journal: v.Info, Balances: tbs}, nil
}

// DueView is what is due against what was paid over a journal: nadra
// ledger due --json, GET /api/v1/ledger/due.
type DueView struct {
	Journal JournalInfo `json:"journal"`
	Due     *DueReport  `json:"due"`
	// Missing is, for the public journal, what it lacks.
	Missing []MissingFlow `json:"not_public,omitempty" doc:"For the public journal: the flows no public source gives an amount for, and why (an absence, not a zero)."`
}

// Due computes what is due against what was paid (see Due).
func (v *View) Due(o DueOptions) (*DueView, error) {
	rep, err := Due(v.Effective, o)
	if err != nil {
		return nil, v.fail(err)
	}
	return &DueView{Journal: v.Info, Due: rep, Missing: v.Missing}, nil
}

// ReconciliationView is the two parties' statements matched over a
// journal: nadra ledger reconcile --json, GET
// /api/v1/ledger/reconciliation.
type ReconciliationView struct {
	Journal   JournalInfo     `json:"journal"`
	Reconcile *Reconciliation `json:"reconciliation"`
}

// Reconcile matches the two parties' statements (see Reconcile).
func (v *View) Reconcile(th Thresholds, period string) (*ReconciliationView, error) {
	rep, err := Reconcile(v.Effective, th, period)
	if err != nil {
		return nil, v.fail(err)
	}
	return &ReconciliationView{Journal: v.Info, Reconcile: rep}, nil
}

// fractionRE is a strict decimal fraction: digits, an optional point and
// digits; no sign, exponent, separator or hex.
var fractionRE = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{1,9})?$`)

// ParseRel parses a relative threshold: a strict decimal fraction from 0
// to 1 (0.01 is 1%), never NaN, an infinity, an exponent or hex. The
// error's message starts with the value, for the caller to name its
// parameter before it.
func ParseRel(s string) (float64, error) {
	r, err := strconv.ParseFloat(s, 64)
	if !fractionRE.MatchString(s) || err != nil || !(r >= 0 && r <= 1) || math.IsInf(r, 0) {
		return 0, nadra.Errorf(nadra.EINVALID, "%q: expected a fraction from 0 to 1, e.g. 0.01 for 1%%", nadra.Truncate(s, 40))
	}
	return r, nil
}

// ParseFloor parses an absolute floor in US dollars: digits with at most
// two decimals, not negative, at most nadra.MaxMoney minor units. The
// error's message starts with the value.
func ParseFloor(s string) (nadra.Money, error) {
	m, err := nadra.ParseMoney(s)
	if err != nil || m < 0 {
		return 0, nadra.Errorf(nadra.EINVALID, "%q: expected an amount of US dollars, e.g. 100000 or 100000.00", nadra.Truncate(s, 40))
	}
	return m, nil
}
