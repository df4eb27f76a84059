package ledger

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"nadra"
)

// Eligibility decides whether the state's receipts under a licence count
// toward what Ukraine owes the fund: eligible or not, and why. known is
// false when it cannot tell (a licence the register does not hold, or
// whose facts do not decide it); such receipts are never counted, as zero or otherwise: the due
// report lists them apart.
type Eligibility func(licenceID string) (eligible bool, reason string, known bool)

// RegisterEligibility returns the eligibility rule of the licence
// register: nadra.LicenceEligibility under terms for each licence and its
// deposit. A licence the register does not hold, or whose facts do not
// decide it ("undetermined"), is unknown (known false), with the reason.
func RegisterEligibility(terms *nadra.DealTerms, licences []*nadra.Licence, deposits []*nadra.Deposit) Eligibility {
	byID := map[string]*nadra.Deposit{}
	for _, d := range deposits {
		byID[d.ID] = d
	}
	verdict := map[string]nadra.Eligibility{}
	for _, l := range licences {
		verdict[l.ID] = nadra.LicenceEligibility(terms, l, byID[l.DepositID])
	}
	return func(id string) (bool, string, bool) {
		v, ok := verdict[id]
		switch {
		case !ok:
			return false, fmt.Sprintf("eligibility unknown: licence %q is not in the licence register (nadra licences; add it with nadra import licences)", id), false
		case v.Verdict == nadra.Undetermined:
			return false, "eligibility unknown: " + v.Reason, false
		}
		return v.Counts(), v.Reason, true
	}
}

// TermsStream returns the deal terms' revenue stream (nadra.StreamRent,
// StreamPermits, StreamPSAShare) that a receipt's stream belongs to: rent
// and royalty are subsoil rent (the Budget Code's "rent payments
// (royalties)"), a fee is a special permit's fee or sale price.
func TermsStream(stream string) string {
	switch stream {
	case nadra.ReceiptRent, nadra.ReceiptRoyalty:
		return nadra.StreamRent
	case nadra.ReceiptFee:
		return nadra.StreamPermits
	case nadra.ReceiptPSAShare:
		return nadra.StreamPSAShare
	}
	return ""
}

// DueOptions configures Due.
type DueOptions struct {
	Terms    *nadra.DealTerms
	Eligible Eligibility // nil: every licence's eligibility is unknown
	// Period limits the report to the periods within it ("": every
	// period). What is carried forward still counts every earlier period:
	// it is reported as brought forward.
	Period string
}

// DueLicence is what is due under one licence in one period, against what
// was transferred: the transfers that name the licence. Licence "" holds
// the transfers that name none.
type DueLicence struct {
	Licence string `json:"licence"`
	// Eligibility is the reason the eligibility function gave, or why the
	// receipts were left out.
	Eligibility string  `json:"eligibility,omitempty"`
	Receipts    Amounts `json:"receipts"` // eligible receipts in UA's books
	Due         Amounts `json:"due"`      // the terms' share of Receipts
	// Unknown is what would be due on receipts whose licence's
	// eligibility is unknown: left out of Due and of every total.
	Unknown    Amounts `json:"unknown_due"`
	PaidUA     Amounts `json:"paid_per_ua"`     // transfers in UA's books
	ReceivedUS Amounts `json:"received_per_us"` // transfers in the US books
	ArrearsUA  Amounts `json:"arrears_per_ua"`  // Due − PaidUA; negative: a surplus
	ArrearsUS  Amounts `json:"arrears_per_us"`  // Due − ReceivedUS
	// Incomplete is true when the arrears leave out Unknown: if those
	// receipts are eligible, the arrears are that much higher.
	Incomplete bool `json:"arrears_incomplete,omitempty"`
}

// DuePeriod is one period's due against paid, by licence and in total,
// with the arrears carried forward to its end.
type DuePeriod struct {
	Period   string       `json:"period"`
	End      string       `json:"end"`
	Licences []DueLicence `json:"licences"`
	Total    DueLicence   `json:"total"`
	// CarriedUA and CarriedUS are the arrears (negative: surplus) from
	// the first period to the end of this one, per each party's books.
	CarriedUA Amounts `json:"carried_per_ua"`
	CarriedUS Amounts `json:"carried_per_us"`
	// CarriedIncomplete is true when a period to this one left out due
	// of unknown eligibility.
	CarriedIncomplete bool `json:"carried_incomplete,omitempty"`
}

// DueLine is a group of receipts (one period, one licence) whose due is
// not in the totals: their licence's eligibility is unknown, or they are
// not due at all (an ineligible licence, a stream outside the terms, a
// receipt in the US books).
type DueLine struct {
	Period   string   `json:"period"`
	Licence  string   `json:"licence"`
	Receipts Amounts  `json:"receipts"`
	Due      Amounts  `json:"due"` // what the terms' share would be
	Reason   string   `json:"reason"`
	Entries  []string `json:"entries"`
	// Replaces maps each of Entries that is a correction to the original
	// entry it replaces.
	Replaces map[string]string `json:"replaces,omitempty"`
}

// CapitalRow is one partner's capital for one year, in one party's books:
// the terms' cash schedule, the commitments and the contributions posted.
// US dollar figures at each entry's own rate.
type CapitalRow struct {
	Partner   string      `json:"partner"` // whose capital: US or UA
	Year      int         `json:"year"`
	Books     string      `json:"books"`         // whose statements: US or UA
	Scheduled nadra.Money `json:"scheduled_usd"` // the terms' us_cash or ukraine_cash for the year
	Committed Amounts     `json:"committed"`     // commitment entries
	Cash      Amounts     `json:"cash"`          // contribution_cash entries
	InKind    Amounts     `json:"inkind"`        // contribution_inkind entries (US only)
	// Counted is the capital paid in, in US dollars: cash, plus in-kind
	// aid when the terms count it as US capital.
	Counted nadra.Money `json:"counted_usd"`
	// OutstandingSchedule and OutstandingCommitted are, to the end of the
	// year, what was scheduled (committed) less what was counted;
	// negative: more was paid in.
	OutstandingSchedule  nadra.Money `json:"outstanding_vs_schedule_usd"`
	OutstandingCommitted nadra.Money `json:"outstanding_vs_committed_usd"`
}

// DueReport is what is due to the fund against what was paid, per period,
// licence and party, and each partner's capital against the terms.
type DueReport struct {
	Terms   string   `json:"terms"`
	Share   float64  `json:"ukraine_share"`
	Streams []string `json:"revenue_streams"`
	Period  string   `json:"period,omitempty"`
	// BroughtForwardUA and BroughtForwardUS are the arrears of the
	// periods before Period, per each party's books.
	BroughtForwardUA Amounts `json:"brought_forward_per_ua"`
	BroughtForwardUS Amounts `json:"brought_forward_per_us"`
	// BroughtForwardIncomplete is true when those arrears leave out due
	// of unknown eligibility.
	BroughtForwardIncomplete bool        `json:"brought_forward_incomplete,omitempty"`
	Periods                  []DuePeriod `json:"periods"`
	Total                    DueLicence  `json:"total"` // over the periods reported
	// Unknown lists the receipts whose licence's eligibility is unknown:
	// their due is in no total.
	Unknown []DueLine `json:"eligibility_unknown"`
	// NotDue lists the receipts that owe nothing to the fund, and why.
	NotDue       []DueLine    `json:"not_due"`
	InKindCounts bool         `json:"us_inkind_aid_counts"`
	Capital      []CapitalRow `json:"capital"`
}

type dueKey struct{ period, licence string }

// Due computes what Ukraine owes the fund, the terms' ukraine_share of the
// state's receipts from eligible licences in UA's books, against the
// transfers to the fund (paid, per UA's books; received, per the US
// books), per period and licence, with arrears or surplus carried forward;
// and each partner's capital: the terms' us_cash and ukraine_cash
// schedules and the commitments, against the cash contributions and, as
// the terms say, US in-kind aid.
func Due(eff []Effective, o DueOptions) (*DueReport, error) {
	t := o.Terms
	if t == nil {
		return nil, nadra.Errorf(nadra.EINVALID, "due: no deal terms")
	}
	if o.Period != "" {
		if err := CheckPeriod(o.Period); err != nil {
			return nil, err
		}
	}
	if !(t.UkraineShare >= 0 && t.UkraineShare <= 1) {
		return nil, nadra.Errorf(nadra.EINVALID, "due: the terms' ukraine_share %v is not between 0 and 1", t.UkraineShare)
	}
	share := int64(math.Round(t.UkraineShare * 1e6)) // millionths
	rep := &DueReport{Terms: t.ID, Share: t.UkraineShare, Streams: t.Streams, Period: o.Period,
		InKindCounts: t.InKindAidCounts, Periods: []DuePeriod{}, Unknown: []DueLine{}, NotDue: []DueLine{}, Capital: []CapitalRow{}}
	var ad adder
	rows := map[dueKey]*DueLicence{}
	row := func(k dueKey) *DueLicence {
		r := rows[k]
		if r == nil {
			r = &DueLicence{Licence: k.licence}
			rows[k] = r
		}
		return r
	}
	type lineKey struct{ period, licence, reason string }
	var unknown, notDue []*DueLine
	lines := map[lineKey]*DueLine{}
	addLine := func(list *[]*DueLine, ef Effective, a Amounts, reason string) {
		e := ef.Entry
		k := lineKey{e.Period, e.Licence, reason}
		l := lines[k]
		if l == nil {
			l = &DueLine{Period: e.Period, Licence: e.Licence, Reason: reason}
			lines[k] = l
			*list = append(*list, l)
		}
		l.Receipts = ad.addAmounts(l.Receipts, a)
		l.Entries = append(l.Entries, e.ID)
		if ef.Corrected() {
			if l.Replaces == nil {
				l.Replaces = map[string]string{}
			}
			l.Replaces[e.ID] = ef.Original
		}
	}
	for _, ef := range eff {
		e := ef.Entry
		if e.Kind != nadra.KindReceipt && e.Kind != nadra.KindTransfer {
			continue
		}
		usd, err := EntryUSD(e)
		if err != nil {
			return nil, nadra.Errorf(nadra.EINVALID, "entry %d (%s): %s", ef.Position, e.ID, nadra.ErrorMessage(err))
		}
		a := amounts(e.Amount, e.Currency, usd)
		k := dueKey{e.Period, e.Licence}
		if e.Kind == nadra.KindTransfer {
			if e.Party == nadra.PartyUA {
				row(k).PaidUA = ad.addAmounts(row(k).PaidUA, a)
			} else {
				row(k).ReceivedUS = ad.addAmounts(row(k).ReceivedUS, a)
			}
			continue
		}
		if e.Party != nadra.PartyUA {
			addLine(&notDue, ef, a, "a receipt in the US books; what is due is computed from UA's books, the state's own receipts")
			continue
		}
		if s := TermsStream(e.Stream); !t.HasStream(s) {
			addLine(&notDue, ef, a, "the terms' revenue streams do not include "+s+" (a receipt's "+e.Stream+")")
			continue
		}
		eligible, reason, known := false, "eligibility unknown: no eligibility rule given", false
		if o.Eligible != nil {
			eligible, reason, known = o.Eligible(e.Licence)
		}
		switch {
		case !known:
			addLine(&unknown, ef, a, reason)
			row(k).Unknown = ad.addAmounts(row(k).Unknown, a) // receipts for now; the share is taken below
			row(k).Eligibility = reason
		case !eligible:
			addLine(&notDue, ef, a, "licence not eligible: "+reason)
		default:
			row(k).Receipts = ad.addAmounts(row(k).Receipts, a)
			row(k).Eligibility = reason
		}
	}
	// shareOf returns the terms' share of each figure, rounded half away
	// from zero to the minor unit.
	shareOf := func(a Amounts) Amounts {
		part := func(m nadra.Money) nadra.Money {
			v, ok := mulDiv(int64(m), share, 1_000_000)
			if !ok {
				ad.over = true
			}
			return nadra.Money(v)
		}
		return Amounts{part(a.USD), part(a.UAH), part(a.InUSD)}
	}
	for _, list := range [][]*DueLine{unknown, notDue} {
		for _, l := range list {
			l.Due = shareOf(l.Receipts)
		}
	}
	for _, l := range unknown {
		rep.Unknown = append(rep.Unknown, *l)
	}
	for _, l := range notDue {
		rep.NotDue = append(rep.NotDue, *l)
	}

	// Periods in order; within each, licences by name, "" (transfers
	// naming no licence) last.
	byPeriod := map[string][]*DueLicence{}
	var periods []string
	for k, r := range rows {
		if _, ok := byPeriod[k.period]; !ok {
			periods = append(periods, k.period)
		}
		r.Due = shareOf(r.Receipts)
		r.Unknown = shareOf(r.Unknown)
		r.Incomplete = !r.Unknown.IsZero()
		r.ArrearsUA = ad.subAmounts(r.Due, r.PaidUA)
		r.ArrearsUS = ad.subAmounts(r.Due, r.ReceivedUS)
		byPeriod[k.period] = append(byPeriod[k.period], r)
	}
	sortPeriods(periods)
	var carriedUA, carriedUS Amounts
	incomplete := false
	for _, p := range periods {
		ls := byPeriod[p]
		sort.Slice(ls, func(i, j int) bool {
			if (ls[i].Licence == "") != (ls[j].Licence == "") {
				return ls[j].Licence == ""
			}
			return ls[i].Licence < ls[j].Licence
		})
		_, end, _ := PeriodBounds(p)
		dp := DuePeriod{Period: p, End: end}
		for _, r := range ls {
			dp.Licences = append(dp.Licences, *r)
			dp.Total = sumDue(&ad, dp.Total, *r)
		}
		carriedUA = ad.addAmounts(carriedUA, dp.Total.ArrearsUA)
		carriedUS = ad.addAmounts(carriedUS, dp.Total.ArrearsUS)
		incomplete = incomplete || dp.Total.Incomplete
		dp.CarriedUA, dp.CarriedUS, dp.CarriedIncomplete = carriedUA, carriedUS, incomplete
		if o.Period != "" && !PeriodWithin(p, o.Period) {
			if start, _, _ := PeriodBounds(o.Period); end < start {
				rep.BroughtForwardUA, rep.BroughtForwardUS, rep.BroughtForwardIncomplete = carriedUA, carriedUS, incomplete
			}
			continue
		}
		rep.Periods = append(rep.Periods, dp)
		rep.Total = sumDue(&ad, rep.Total, dp.Total)
	}
	if o.Period != "" {
		rep.Unknown = filterLines(rep.Unknown, o.Period)
		rep.NotDue = filterLines(rep.NotDue, o.Period)
	}
	capital, err := capitalRows(eff, t, o.Period, &ad)
	if err != nil {
		return nil, err
	}
	rep.Capital = capital
	if err := ad.err(); err != nil {
		return nil, err
	}
	return rep, nil
}

// sumDue adds r's figures to t's.
func sumDue(ad *adder, t, r DueLicence) DueLicence {
	t.Receipts = ad.addAmounts(t.Receipts, r.Receipts)
	t.Due = ad.addAmounts(t.Due, r.Due)
	t.Unknown = ad.addAmounts(t.Unknown, r.Unknown)
	t.PaidUA = ad.addAmounts(t.PaidUA, r.PaidUA)
	t.ReceivedUS = ad.addAmounts(t.ReceivedUS, r.ReceivedUS)
	t.ArrearsUA = ad.addAmounts(t.ArrearsUA, r.ArrearsUA)
	t.ArrearsUS = ad.addAmounts(t.ArrearsUS, r.ArrearsUS)
	t.Incomplete = t.Incomplete || r.Incomplete
	return t
}

func filterLines(ls []DueLine, period string) []DueLine {
	out := []DueLine{}
	for _, l := range ls {
		if PeriodWithin(l.Period, period) {
			out = append(out, l)
		}
	}
	return out
}

// capitalRows sets each partner's cash schedule and commitments against
// its contributions, year by year, in each party's books.
func capitalRows(eff []Effective, t *nadra.DealTerms, period string, ad *adder) ([]CapitalRow, error) {
	type key struct {
		partner, books string
		year           int
	}
	rows := map[key]*CapitalRow{}
	years := map[string]map[int]bool{nadra.PartyUS: {}, nadra.PartyUA: {}}
	sched := map[string]map[int]nadra.Money{nadra.PartyUS: {}, nadra.PartyUA: {}}
	for partner, flows := range map[string][]nadra.Flow{nadra.PartyUS: t.USCash, nadra.PartyUA: t.UkraineCash} {
		for _, f := range flows {
			c := math.Round(f.USD * 100)
			if !(c >= 0 && c <= float64(nadra.MaxMoney)) {
				return nil, nadra.Errorf(nadra.EINVALID, "the terms' cash schedule for %s in %d, %v USD, is out of range", partner, f.Year, f.USD)
			}
			sched[partner][f.Year] = ad.add(sched[partner][f.Year], nadra.Money(c))
			years[partner][f.Year] = true
		}
	}
	get := func(partner, books string, year int) *CapitalRow {
		k := key{partner, books, year}
		if rows[k] == nil {
			rows[k] = &CapitalRow{Partner: partner, Books: books, Year: year}
		}
		return rows[k]
	}
	for _, ef := range eff {
		e := ef.Entry
		var partner string
		switch e.Kind {
		case nadra.KindCommitment, nadra.KindContributionCash:
			partner = e.From
		case nadra.KindContributionInKind:
			partner = nadra.PartyUS
		default:
			continue
		}
		usd, err := EntryUSD(e)
		if err != nil {
			return nil, nadra.Errorf(nadra.EINVALID, "entry %d (%s): %s", ef.Position, e.ID, nadra.ErrorMessage(err))
		}
		a := amounts(e.Amount, e.Currency, usd)
		y := periodYear(e.Period)
		years[partner][y] = true
		r := get(partner, e.Party, y)
		switch e.Kind {
		case nadra.KindCommitment:
			r.Committed = ad.addAmounts(r.Committed, a)
		case nadra.KindContributionCash:
			r.Cash = ad.addAmounts(r.Cash, a)
		default:
			r.InKind = ad.addAmounts(r.InKind, a)
		}
	}
	out := []CapitalRow{}
	for _, partner := range []string{nadra.PartyUS, nadra.PartyUA} {
		var ys []int
		for y := range years[partner] {
			ys = append(ys, y)
		}
		sort.Ints(ys)
		for _, books := range []string{nadra.PartyUS, nadra.PartyUA} {
			var sumSched, sumCommitted, sumCounted nadra.Money
			for _, y := range ys {
				r := get(partner, books, y)
				r.Scheduled = sched[partner][y]
				r.Counted = r.Cash.InUSD
				if t.InKindAidCounts {
					r.Counted = ad.add(r.Counted, r.InKind.InUSD)
				}
				sumSched = ad.add(sumSched, r.Scheduled)
				sumCommitted = ad.add(sumCommitted, r.Committed.InUSD)
				sumCounted = ad.add(sumCounted, r.Counted)
				r.OutstandingSchedule = ad.add(sumSched, -sumCounted)
				r.OutstandingCommitted = ad.add(sumCommitted, -sumCounted)
				if period != "" && periodYear(period) != y {
					continue
				}
				out = append(out, *r)
			}
		}
	}
	return out, nil
}

// ByYear sums the report's periods by calendar year: what the recorded
// receipts make due, what UA's books show paid, and what the US books show
// received, in US dollars at the entries' own rates (InUSD). A year is in
// a series only when some entry adds to it: no record is not a zero.
func (r *DueReport) ByYear() (due, paid, received map[int]nadra.Money) {
	due, paid, received = map[int]nadra.Money{}, map[int]nadra.Money{}, map[int]nadra.Money{}
	for _, p := range r.Periods {
		y, err := strconv.Atoi(p.Period[:4])
		if err != nil {
			continue // periods are validated: YYYY first
		}
		if !p.Total.Receipts.IsZero() {
			due[y] += p.Total.Due.InUSD
		}
		if !p.Total.PaidUA.IsZero() {
			paid[y] += p.Total.PaidUA.InUSD
		}
		if !p.Total.ReceivedUS.IsZero() {
			received[y] += p.Total.ReceivedUS.InUSD
		}
	}
	return due, paid, received
}
