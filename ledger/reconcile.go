package ledger

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"nadra"
)

// Reconciliation, the EITI way. EITI reconciles what companies say they
// paid with what government agencies say they received, per company,
// revenue stream and period; an Independent Administrator investigates a
// difference only above a "margin of variance" agreed in advance. nadra
// does the same with the two parties' statements of each flow: the
// payer's side and the payee's side, each posted by its party.
//
// The default margin is the USEITI one for its largest streams (ONRR
// royalties and corporate income taxes): a variance is investigated when
// it exceeds both 1% of the amount the government (the payee) reported
// and a floor of $100,000. Source: USEITI, "Reconciliation" (Margin of
// variance thresholds), in github.com/DOI-ONRR/doi-extractives-data,
// _downloads/reconciliation.md, for the 2015 and 2016 USEITI Reports
// (CY 2013 and 2015). Other streams there had 2–3% and $0–$100,000. The
// EITI Standard leaves the margin to each country's multi-stakeholder
// group (EITI, Standard Terms of Reference for Independent
// Administrators, endorsed 2020-01-16); USEITI's is a published margin
// with both tests.

// Thresholds decide when a difference between the two statements of a
// flow is a discrepancy: only when it exceeds both.
type Thresholds struct {
	// Rel is a fraction of the payee side's amount (0.01 is 1%).
	Rel float64 `json:"relative"`
	// Floor is an amount in US cents.
	Floor nadra.Money `json:"floor_usd"`
}

// DefaultThresholds are USEITI's margin of variance for royalties and
// taxes: 1% and $100,000.
var DefaultThresholds = Thresholds{Rel: 0.01, Floor: 100_000_00}

// ThresholdsSource cites where DefaultThresholds come from.
const ThresholdsSource = "USEITI margin of variance for royalties and taxes, 2015 and 2016 USEITI Reports: https://github.com/DOI-ONRR/doi-extractives-data/blob/master/_downloads/reconciliation.md (2016-11)"

// String formats the thresholds: "1% and $100000.00".
func (t Thresholds) String() string {
	return strconv.FormatFloat(t.Rel*100, 'f', -1, 64) + "% and $" + t.Floor.String()
}

// Statuses of a reconciliation item. Persisted in JSON output: append
// only.
const (
	StatusMatched     = "matched"     // both sides stated it; any difference within the thresholds
	StatusDiscrepancy = "discrepancy" // the difference exceeds both thresholds
	StatusUSOnly      = "us_only"     // only the US stated it
	StatusUAOnly      = "ua_only"     // only UA stated it
)

// Matching bases.
const (
	BasisRef       = "ref"       // both sides quote the same ref
	BasisAggregate = "aggregate" // refs absent or not shared: summed per kind, payer, payee, licence, stream and period
)

// Side is one party's statement of a flow: the sum of its entries.
type Side struct {
	Amount  Amounts  `json:"amount"`
	Entries []string `json:"entries"`
	Refs    []string `json:"refs,omitempty"`
	// Replaces maps each of Entries that is a correction to the original
	// entry it replaces.
	Replaces map[string]string `json:"replaces,omitempty"`
}

// ReconItem is one flow as the two parties stated it.
type ReconItem struct {
	Status  string `json:"status"`
	Basis   string `json:"basis"`
	Kind    string `json:"kind"`
	From    string `json:"from"`
	To      string `json:"to"`
	Licence string `json:"licence,omitempty"`
	Stream  string `json:"stream,omitempty"`
	Period  string `json:"period"`
	Ref     string `json:"ref,omitempty"` // BasisRef only
	US      *Side  `json:"us"`
	UA      *Side  `json:"ua"`
	// Currency is what the two sides were compared in: USD or UAH when
	// both stated the flow in that currency alone, else "in_usd" (each
	// side at its entries' own rates). Empty for a one-sided item.
	Currency string `json:"currency,omitempty"`
	// Diff is the US statement less UA's, in Currency; DiffUSD its size
	// in US dollars (at the payee side's own rate when compared in UAH).
	Diff    nadra.Money `json:"difference"`
	DiffUSD nadra.Money `json:"difference_usd"`
	// Base is the party whose statement the relative difference is
	// taken of: the payee side (see Reconcile).
	Base         string  `json:"relative_to,omitempty"`
	Rel          float64 `json:"relative"`
	ExceedsRel   bool    `json:"exceeds_relative"`
	ExceedsFloor bool    `json:"exceeds_floor"`
	// Note says in words which thresholds the difference passed.
	Note string `json:"note"`
}

// Reconciliation is the report: items matched, discrepancies, and items
// one side stated and the other did not.
type Reconciliation struct {
	Thresholds    Thresholds  `json:"thresholds"`
	Source        string      `json:"thresholds_source"`
	Period        string      `json:"period,omitempty"`
	Matched       []ReconItem `json:"matched"`
	Discrepancies []ReconItem `json:"discrepancies"`
	USOnly        []ReconItem `json:"us_only"`
	UAOnly        []ReconItem `json:"ua_only"`
}

// Items returns every item: discrepancies, one-sided items, then matched.
func (r *Reconciliation) Items() []ReconItem {
	var out []ReconItem
	for _, l := range [][]ReconItem{r.Discrepancies, r.USOnly, r.UAOnly, r.Matched} {
		out = append(out, l...)
	}
	return out
}

// payeeSide returns the party whose statement is the payee's side of a
// flow: the payee itself when it is a party (in-kind aid and receipts to
// UA, a distribution), else the other party when the payer is a party (a
// commitment, a cash contribution or a transfer to the fund: the payer's
// partner sees what the fund received). It is "" for a flow from the fund
// to a project or a supplier, where neither party is the payee.
func payeeSide(from, to string) string {
	switch {
	case to == nadra.PartyUS || to == nadra.PartyUA:
		return to
	case from == nadra.PartyUS:
		return nadra.PartyUA
	case from == nadra.PartyUA:
		return nadra.PartyUS
	}
	return ""
}

type reconKey struct{ kind, from, to, licence, period, x string }

// Reconcile matches the US statements against UA's. First, entries that
// quote a ref are matched on kind, from, to, licence, period and ref.
// Then every entry left (no ref, or a ref the other side does not quote)
// is summed per kind, from, to, licence, stream and period, the way EITI
// reconciles per company, revenue stream and period, and the sums are
// matched. A difference is a discrepancy only when it exceeds both
// thresholds: Rel of the payee side's amount (the larger of the two when
// neither party is the payee) and Floor in US dollars. period limits the
// report to the flows of the periods within it ("": all).
func Reconcile(eff []Effective, th Thresholds, period string) (*Reconciliation, error) {
	if !(th.Rel >= 0 && th.Rel <= 1e6) || th.Floor < 0 {
		return nil, nadra.Errorf(nadra.EINVALID, "reconcile: thresholds must not be negative")
	}
	if period != "" {
		if err := CheckPeriod(period); err != nil {
			return nil, err
		}
	}
	rep := &Reconciliation{Thresholds: th, Source: ThresholdsSource, Period: period,
		Matched: []ReconItem{}, Discrepancies: []ReconItem{}, USOnly: []ReconItem{}, UAOnly: []ReconItem{}}
	type stmt struct {
		e    *nadra.Entry
		usd  nadra.Money
		orig string // the original it replaces, if a correction
	}
	var all []stmt
	for _, ef := range eff {
		e := ef.Entry
		if period != "" && !PeriodWithin(e.Period, period) {
			continue
		}
		usd, err := EntryUSD(e)
		if err != nil {
			return nil, nadra.Errorf(nadra.EINVALID, "entry %d (%s): %s", ef.Position, e.ID, nadra.ErrorMessage(err))
		}
		orig := ""
		if ef.Corrected() {
			orig = ef.Original
		}
		all = append(all, stmt{e, usd, orig})
	}
	var ad adder
	group := func(ss []stmt, key func(*nadra.Entry) (reconKey, bool)) map[reconKey]map[string]*Side {
		g := map[reconKey]map[string]*Side{}
		for _, s := range ss {
			k, ok := key(s.e)
			if !ok {
				continue
			}
			if g[k] == nil {
				g[k] = map[string]*Side{}
			}
			sd := g[k][s.e.Party]
			if sd == nil {
				sd = &Side{}
				g[k][s.e.Party] = sd
			}
			sd.Amount = ad.addAmounts(sd.Amount, amounts(s.e.Amount, s.e.Currency, s.usd))
			sd.Entries = append(sd.Entries, s.e.ID)
			if s.orig != "" {
				if sd.Replaces == nil {
					sd.Replaces = map[string]string{}
				}
				sd.Replaces[s.e.ID] = s.orig
			}
			if s.e.Ref != "" && !contains(sd.Refs, s.e.Ref) {
				sd.Refs = append(sd.Refs, s.e.Ref)
			}
		}
		return g
	}
	byRef := group(all, func(e *nadra.Entry) (reconKey, bool) {
		return reconKey{e.Kind, e.From, e.To, e.Licence, e.Period, e.Ref}, e.Ref != ""
	})
	used := map[string]bool{}
	var items []ReconItem
	for k, sides := range byRef {
		if sides[nadra.PartyUS] == nil || sides[nadra.PartyUA] == nil {
			continue
		}
		for _, s := range sides {
			for _, id := range s.Entries {
				used[id] = true
			}
		}
		items = append(items, compare(ReconItem{Basis: BasisRef, Kind: k.kind, From: k.from, To: k.to, Licence: k.licence,
			Period: k.period, Ref: k.x, US: sides[nadra.PartyUS], UA: sides[nadra.PartyUA]}, th))
	}
	var left []stmt
	for _, s := range all {
		if !used[s.e.ID] {
			left = append(left, s)
		}
	}
	byAgg := group(left, func(e *nadra.Entry) (reconKey, bool) {
		return reconKey{e.Kind, e.From, e.To, e.Licence, e.Period, e.Stream}, true
	})
	for k, sides := range byAgg {
		items = append(items, compare(ReconItem{Basis: BasisAggregate, Kind: k.kind, From: k.from, To: k.to, Licence: k.licence,
			Period: k.period, Stream: k.x, US: sides[nadra.PartyUS], UA: sides[nadra.PartyUA]}, th))
	}
	if err := ad.err(); err != nil {
		return nil, err
	}
	sort.Slice(items, func(i, j int) bool { return itemLess(&items[i], &items[j]) })
	for _, it := range items {
		switch it.Status {
		case StatusMatched:
			rep.Matched = append(rep.Matched, it)
		case StatusDiscrepancy:
			rep.Discrepancies = append(rep.Discrepancies, it)
		case StatusUSOnly:
			rep.USOnly = append(rep.USOnly, it)
		default:
			rep.UAOnly = append(rep.UAOnly, it)
		}
	}
	return rep, nil
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

var kindOrder = func() map[string]int {
	m := map[string]int{}
	for i, k := range nadra.EntryKinds {
		m[k] = i
	}
	return m
}()

func itemLess(a, b *ReconItem) bool {
	if a.Period != b.Period {
		return periodLess(a.Period, b.Period)
	}
	if a.Kind != b.Kind {
		return kindOrder[a.Kind] < kindOrder[b.Kind]
	}
	for _, p := range [][2]string{{a.From, b.From}, {a.To, b.To}, {a.Licence, b.Licence}, {a.Stream, b.Stream}, {a.Basis, b.Basis}, {a.Ref, b.Ref}} {
		if p[0] != p[1] {
			return p[0] < p[1]
		}
	}
	return false
}

// only returns the currency an amount is in alone, or "" when it mixes
// both.
func only(a Amounts) string {
	switch {
	case a.UAH == 0:
		return nadra.CurrencyUSD
	case a.USD == 0:
		return nadra.CurrencyUAH
	}
	return ""
}

func abs(m nadra.Money) nadra.Money {
	if m < 0 {
		return -m
	}
	return m
}

// compare fills in an item's difference, status and note.
func compare(it ReconItem, th Thresholds) ReconItem {
	it = compareAmounts(it, th)
	for _, sd := range []struct {
		party string
		s     *Side
	}{{nadra.PartyUS, it.US}, {nadra.PartyUA, it.UA}} {
		if sd.s == nil {
			continue
		}
		for _, id := range sd.s.Entries {
			if orig, ok := sd.s.Replaces[id]; ok {
				it.Note += fmt.Sprintf("; %s's %s corrects %s", sd.party, id, orig)
			}
		}
	}
	return it
}

// compareAmounts compares the two sides' amounts.
func compareAmounts(it ReconItem, th Thresholds) ReconItem {
	switch {
	case it.UA == nil:
		it.Status, it.Note = StatusUSOnly, "stated by the US only: "+it.US.Amount.String()
		return it
	case it.US == nil:
		it.Status, it.Note = StatusUAOnly, "stated by UA only: "+it.UA.Amount.String()
		return it
	}
	it.Base = payeeSide(it.From, it.To)
	sides := map[string]Amounts{nadra.PartyUS: it.US.Amount, nadra.PartyUA: it.UA.Amount}
	var us, ua, base nadra.Money
	cur := only(it.US.Amount)
	if cur != "" && cur == only(it.UA.Amount) {
		it.Currency = cur
		pick := func(a Amounts) nadra.Money {
			if cur == nadra.CurrencyUSD {
				return a.USD
			}
			return a.UAH
		}
		us, ua = pick(it.US.Amount), pick(it.UA.Amount)
		if it.Base == "" {
			it.Base = larger(us, ua)
		}
		base = pick(sides[it.Base])
		it.Diff = us - ua
		it.DiffUSD = abs(it.Diff)
		if cur == nadra.CurrencyUAH {
			// The difference in hryvnias, at the payee side's own rate.
			b := sides[it.Base]
			v, _ := mulDiv(int64(abs(it.Diff)), int64(b.InUSD), int64(b.UAH))
			it.DiffUSD = nadra.Money(v)
		}
	} else {
		it.Currency = "in_usd"
		us, ua = it.US.Amount.InUSD, it.UA.Amount.InUSD
		if it.Base == "" {
			it.Base = larger(us, ua)
		}
		base = sides[it.Base].InUSD
		it.Diff = us - ua
		it.DiffUSD = abs(it.Diff)
	}
	if base > 0 {
		it.Rel = float64(abs(it.Diff)) / float64(base)
	}
	it.ExceedsRel = it.Rel > th.Rel
	it.ExceedsFloor = it.DiffUSD > th.Floor
	rel := strconv.FormatFloat(th.Rel*100, 'f', -1, 64) + "%"
	floor := "$" + th.Floor.String()
	pct := strconv.FormatFloat(it.Rel*100, 'f', 2, 64) + "% of " + it.Base + "'s"
	switch {
	case it.Diff == 0:
		it.Status, it.Note = StatusMatched, "the two statements agree"
	case it.ExceedsRel && it.ExceedsFloor:
		it.Status = StatusDiscrepancy
		it.Note = fmt.Sprintf("discrepancy: the difference, $%s (%s), exceeds both %s and %s", it.DiffUSD, pct, rel, floor)
	case it.ExceedsRel:
		it.Status = StatusMatched
		it.Note = fmt.Sprintf("within the margin: the difference, $%s (%s), exceeds %s but not the %s floor", it.DiffUSD, pct, rel, floor)
	case it.ExceedsFloor:
		it.Status = StatusMatched
		it.Note = fmt.Sprintf("within the margin: the difference, $%s (%s), exceeds the %s floor but not %s", it.DiffUSD, pct, floor, rel)
	default:
		it.Status = StatusMatched
		it.Note = fmt.Sprintf("within the margin: the difference, $%s (%s), exceeds neither %s nor %s", it.DiffUSD, pct, rel, floor)
	}
	return it
}

// larger returns the party whose amount is larger (US on a tie).
func larger(us, ua nadra.Money) string {
	if ua > us {
		return nadra.PartyUA
	}
	return nadra.PartyUS
}

// Key returns the item's matching key for people: "commitment US→fund
// 2025", with the licence, stream and ref when there are.
func (it *ReconItem) Key() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s→%s %s", it.Kind, it.From, it.To, it.Period)
	if it.Licence != "" {
		b.WriteString(" licence " + it.Licence)
	}
	if it.Stream != "" {
		b.WriteString(" " + it.Stream)
	}
	if it.Ref != "" {
		b.WriteString(" ref " + it.Ref)
	}
	return b.String()
}
