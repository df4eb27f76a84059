package server

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"nadra"
	"nadra/ledger"
	"nadra/render"

	"github.com/paulmach/orb"
)

// The Flows page's accounting views: which journal is shown, each party's
// balances over time, due against paid, the reconciliation, and the
// licence register on the map. The journal (log or public), the deal
// terms and the reconciliation's thresholds are in the URL, as the
// entries' filters are; each form carries the other's state, so that any
// change keeps the whole page's.

// Defaults of the views' choices on the Flows page.
const (
	defaultDeal  = "urif-2025"
	defaultRel   = "0.01"
	defaultFloor = "100000.00"
)

// flowsViews is what the views section shows above its parts.
type flowsViews struct {
	// Journal, Deal, Rel and Floor are as asked, for the forms; "" when
	// not asked.
	Journal, Deal, Rel, Floor string
	// DealValue, RelValue and FloorValue are the values in effect, for
	// the form's fields.
	DealValue, RelValue, FloorValue string
	Deals                           []dealOption
	Error                           *ErrorResponse // a bad choice, shown in the page with its status
	// NotAsked is true when Error is not the reader's choice (the log
	// is past the server's bound and no journal was asked for): the page
	// is a 200.
	NotAsked bool

	Info    ledger.JournalInfo
	Missing []ledger.MissingFlow
	LogSize int64
	Terms   *nadra.DealTerms
	Th      ledger.Thresholds
	// API are the same views from the API, for this journal and these
	// choices.
	BalancesURL, DueURL, ReconURL, FlowsCSV, FlowsXLSX string
}

// dealOption is one set of shipped terms in the form.
type dealOption struct{ ID, Label string }

// viewQuery is the views' choices as asked, for URLs and the entries
// form.
func (v *flowsViews) viewQuery() url.Values {
	q := url.Values{}
	for k, x := range map[string]string{"journal": v.Journal, "deal": v.Deal, "rel": v.Rel, "floor": v.Floor} {
		if x != "" {
			q.Set(k, x)
		}
	}
	return q
}

// flowsViewsFor reads the views' choices from the query and computes the
// views; a bad choice is kept in Views.Error, and the parts are left out.
func (s *Server) flowsViewsFor(ctx context.Context, q url.Values, p *flowsPage) error {
	v := &flowsViews{Journal: strings.TrimSpace(q.Get("journal")), Deal: strings.TrimSpace(q.Get("deal")), Rel: strings.TrimSpace(q.Get("rel")), Floor: strings.TrimSpace(q.Get("floor"))}
	p.Views = v
	v.DealValue, v.RelValue, v.FloorValue = orDefault(v.Deal, defaultDeal), orDefault(v.Rel, defaultRel), orDefault(v.Floor, defaultFloor)
	deals, err := s.deals(ctx)
	if err != nil {
		return err
	}
	for _, d := range deals {
		v.Deals = append(v.Deals, dealOption{d.ID, d.ID + ": " + d.Name})
	}
	bad := func(err error) error {
		e := errorFor(err)
		if e.status >= 500 {
			return err
		}
		v.Error = e
		var tl *logTooLarge
		v.NotAsked = errors.As(err, &tl) && v.Journal == ""
		return nil
	}
	if len(v.Deal) > 100 {
		return bad(nadra.Errorf(nadra.EINVALID, "deal: %d characters; a deal id is at most 100.", len(v.Deal)))
	}
	if v.Terms, err = s.dealTerms(ctx, "deal", v.DealValue); err != nil {
		return bad(err)
	}
	if v.Th, err = reconThresholds(v.RelValue, v.FloorValue); err != nil {
		return bad(err)
	}
	if v.LogSize, err = s.Ledger.Size(ctx); err != nil {
		return err
	}
	view, err := s.ledgerView(ctx, v.Journal)
	if err != nil {
		return bad(err)
	}
	v.Info, v.Missing = view.Info, view.Missing
	api := func(path string, extra url.Values) string {
		u := url.Values{"journal": {view.Info.Name}}
		for k, x := range extra {
			u[k] = x
		}
		return APIPrefix + "/ledger/" + path + "?" + u.Encode()
	}
	v.BalancesURL = api("balances", nil)
	v.DueURL = api("due", url.Values{"deal": {v.Terms.ID}})
	v.ReconURL = api("reconciliation", url.Values{"rel": {v.RelValue}, "floor": {v.FloorValue}})
	v.FlowsCSV = api("flows", url.Values{"format": {"csv"}})
	v.FlowsXLSX = api("flows", url.Values{"format": {"xlsx"}})

	bal, err := view.Balances(ledger.BalancesOptions{})
	if err != nil {
		return bad(err)
	}
	p.Balances = flowsBalancesFor(bal)
	due, err := s.ledgerDue(ctx, view, v.Terms, "")
	if err != nil {
		return bad(err)
	}
	p.Due = flowsDueFor(due)
	rec, err := view.Reconcile(v.Th, "")
	if err != nil {
		return bad(err)
	}
	p.Reconciliation = flowsReconFor(rec)
	if p.Licences, err = s.flowsLicences(ctx, v.Terms); err != nil {
		return err
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// flowsBalances is the balances part: each party's capital account, the
// fund's cash and the commitments at each period end, as a chart per
// party's books, and every account's balance over all entries.
type flowsBalances struct {
	Charts   []balanceChart
	Accounts []accountRow
	Periods  int
	Empty    bool
}

// balanceChart is one party's books drawn wide and narrow.
type balanceChart struct {
	Party        string
	Wide, Narrow template.HTML
}

// accountRow is one account's balance in each party's books.
type accountRow struct {
	Account string
	US, UA  string // "-" when the party's books do not have it
}

// balanceLines are the accounts the chart draws, with the sign that makes
// the usual balance positive: capital and commitments are credit
// balances.
// balanceLines are the accounts the chart draws, with the sign that makes
// the usual balance positive: capital and commitments are credit
// balances. They are drawn in this order, each narrower than the one
// before, so that lines that coincide (three capital accounts at zero,
// two equal commitments) show one inside the other.
var balanceLines = []struct {
	account, name, class, color, dash string
	width, sign                       float64
}{
	{"fund:cash", "Fund cash", "fund-cash", render.ColorFund, "", 7, 1},
	{"us:capital", "US capital", "us-capital", render.ColorUS, "", 4.5, -1},
	{"ua:capital", "Ukraine capital", "ua-capital", render.ColorUkraine, "", 2, -1},
	{"us:committed", "US committed", "us-committed", render.ColorUS, "9 5", 5, -1},
	{"ua:committed", "Ukraine committed", "ua-committed", render.ColorUkraine, "9 5", 2, -1},
}

func flowsBalancesFor(rep *ledger.BalancesReport) *flowsBalances {
	fb := &flowsBalances{}
	var ends []*ledger.TrialBalance
	var all *ledger.TrialBalance
	for _, tb := range rep.Balances {
		if tb.AsOf == "" {
			all = tb
		} else {
			ends = append(ends, tb)
		}
	}
	fb.Periods = len(ends)
	fb.Empty = len(ends) == 0
	var ticks []render.Tick
	for _, tb := range ends {
		ticks = append(ticks, render.Tick{V: render.DateX(tb.AsOf), Label: tb.Periods[0]})
	}
	// One range for both parties' charts, so that they compare.
	lo, hi := 0.0, 0.0
	type line struct {
		party string
		s     render.Series
	}
	var lines []line
	for _, party := range []string{nadra.PartyUS, nadra.PartyUA} {
		for _, bl := range balanceLines {
			s := render.Series{Name: bl.name, Class: bl.class, Color: bl.color, Dash: bl.dash, Width: bl.width}
			for _, tb := range ends {
				a := accountOf(tb, party, bl.account)
				if bl.sign < 0 {
					a = ledger.Amounts{USD: -a.USD, UAH: -a.UAH, InUSD: -a.InUSD}
				}
				y := a.InUSD.Float() // for the chart only; the figures stay in minor units
				lo, hi = math.Min(lo, y), math.Max(hi, y)
				s.Points = append(s.Points, render.XY{X: render.DateX(tb.AsOf), Y: y,
					Title: bl.name + " in the " + booksName(party) + ", " + tb.String() + ": " + orZero(amountsText(a))})
			}
			lines = append(lines, line{party, s})
		}
	}
	for _, party := range []string{nadra.PartyUS, nadra.PartyUA} {
		var series []render.Series
		for _, l := range lines {
			if l.party == party {
				series = append(series, l.s)
			}
		}
		title := capitalise(booksName(party)) + ": capital, cash, commitments"
		sub := "Balances at the end of each period of the journal, in US dollars at each entry's own rate; capital and commitments are credit balances, drawn as positive."
		chart := func(width, fs float64) template.HTML {
			return chartHTML(&render.BalanceChart{ID: "bal-" + strings.ToLower(party) + "-" + strconv.Itoa(int(width)), Title: title, Subtitle: sub,
				Width: width, FontSize: fs, Series: series, Ticks: ticks, YMin: lo, YMax: hi, XLabel: "End of period", YLabel: "Balance",
				Source: "Source: the entries " + party + " posted, corrections applied (nadra ledger balance). Each UAH amount at its own entry's rate.",
				Attrs:  map[string]string{"data-party": party, "data-periods": strconv.Itoa(len(ends))}})
		}
		fb.Charts = append(fb.Charts, balanceChart{Party: party, Wide: chart(600, 13), Narrow: chart(380, 12)})
	}
	if all != nil {
		rows := map[string]*accountRow{}
		var names []string
		for _, b := range all.Books {
			for _, a := range b.Accounts {
				r := rows[a.Account]
				if r == nil {
					r = &accountRow{Account: a.Account, US: "-", UA: "-"}
					rows[a.Account] = r
					names = append(names, a.Account)
				}
				if b.Party == nadra.PartyUS {
					r.US = amountsText(a.Balance)
				} else {
					r.UA = amountsText(a.Balance)
				}
			}
		}
		sort.Strings(names)
		for _, n := range names {
			fb.Accounts = append(fb.Accounts, *rows[n])
		}
	}
	return fb
}

// accountOf returns an account's balance in a party's books.
func accountOf(tb *ledger.TrialBalance, party, account string) ledger.Amounts {
	for _, b := range tb.Books {
		if b.Party != party {
			continue
		}
		for _, a := range b.Accounts {
			if a.Account == account {
				return a.Balance
			}
		}
	}
	return ledger.Amounts{}
}

func booksName(party string) string {
	if party == nadra.PartyUS {
		return "US books"
	}
	return "UA books"
}

// amountsText writes Amounts with thousands separators: "UAH
// 31,700,000.00 = $733,117.48", "-$75,000,000.00"; "-" for none.
func amountsText(a ledger.Amounts) string {
	switch {
	case a.IsZero():
		return "-"
	case a.UAH == 0 && a.InUSD == a.USD:
		return usdMoney(a.USD)
	case a.USD == 0:
		return uahMoney(a.UAH) + " = " + usdMoney(a.InUSD)
	}
	return usdMoney(a.USD) + " + " + uahMoney(a.UAH) + " = " + usdMoney(a.InUSD)
}

func orZero(s string) string {
	if s == "-" {
		return "$0.00"
	}
	return s
}

// usdMoney writes US dollars: "$75,000,000.00", "-$1,000.00".
func usdMoney(m nadra.Money) string {
	if m < 0 {
		return "-$" + moneyText(-m)
	}
	return "$" + moneyText(m)
}

// uahMoney writes hryvnias: "UAH 31,700,000.00", "UAH -5.00".
func uahMoney(m nadra.Money) string { return "UAH " + moneyText(m) }

// flowsDue is the due part: what is due against what was paid per
// period, as columns, and the report's tables.
type flowsDue struct {
	Rep           *ledger.DueReport
	Share         string // "50%"
	Wide, Narrow  template.HTML
	Rows          []dueRow
	BroughtUA     string
	BroughtUS     string
	Unknown       []dueLine
	NotDue        []dueLine
	Capital       []capitalRow
	AnyIncomplete bool
}

// dueRow is one line of the due table: a licence in a period, a period's
// total or what it carries forward.
type dueRow struct {
	Period, Licence, Class                                           string
	Receipts, Due, Unknown, PaidUA, ReceivedUS, ArrearsUA, ArrearsUS string
	Incomplete                                                       bool
}

// dueLine is a group of receipts left out of the totals, and why.
type dueLine struct {
	Period, Licence, Receipts, Due, Reason string
	Entries                                []string
}

// capitalRow is one partner's capital for a year in one party's books.
type capitalRow struct {
	Partner, Books                                                         string
	Year                                                                   int
	Scheduled, Committed, Cash, InKind, Counted, OutSchedule, OutCommitted string
}

func dollars(m nadra.Money) string {
	if m == 0 {
		return "-"
	}
	return usdMoney(m)
}

func flowsDueFor(dv *ledger.DueView) *flowsDue {
	rep := dv.Due
	fd := &flowsDue{Rep: rep, Share: strconv.FormatFloat(rep.Share*100, 'f', -1, 64) + "%"}
	if rep.BroughtForwardIncomplete || !rep.BroughtForwardUA.IsZero() || !rep.BroughtForwardUS.IsZero() {
		fd.BroughtUA, fd.BroughtUS = amountsText(rep.BroughtForwardUA), amountsText(rep.BroughtForwardUS)
	}
	var groups []string
	series := []render.ColumnSeries{
		{Name: "Due to the fund", Class: "due", Color: render.ColorFund},
		{Name: "Due if eligible (eligibility unknown)", Class: "unknown", Color: render.ColorFund, Hatch: true, Stack: true},
		{Name: "Paid, UA's books", Class: "paid-ua", Color: render.ColorUkraine},
		{Name: "Received, US books", Class: "received-us", Color: render.ColorUS},
		{Name: "Arrears carried forward, UA's books", Class: "arrears-ua", Color: "#E69F00"},
		{Name: "Arrears carried forward, US books", Class: "arrears-us", Color: "#CC79A7"},
	}
	for _, p := range rep.Periods {
		groups = append(groups, p.Period)
		t := p.Total
		for i, a := range []ledger.Amounts{t.Due, t.Unknown, t.PaidUA, t.ReceivedUS, p.CarriedUA, p.CarriedUS} {
			v := a.InUSD.Float() // for the chart only
			title := series[i].Name + ", " + p.Period + ": " + amountsText(a)
			if a.IsZero() {
				title = series[i].Name + ", " + p.Period + ": none"
			}
			if i == 1 && a.IsZero() {
				v = math.NaN()
			}
			series[i].Values = append(series[i].Values, v)
			series[i].Titles = append(series[i].Titles, title)
		}
		for _, l := range p.Licences {
			lic := l.Licence
			if lic == "" {
				lic = "(no licence named)"
			}
			fd.Rows = append(fd.Rows, dueRowOf(p.Period, lic, "", l))
		}
		fd.Rows = append(fd.Rows, dueRowOf(p.Period, "total", "total", t))
		fd.Rows = append(fd.Rows, dueRow{Period: p.Period, Licence: "carried forward", Class: "carried", ArrearsUA: amountsText(p.CarriedUA), ArrearsUS: amountsText(p.CarriedUS), Incomplete: p.CarriedIncomplete})
		fd.AnyIncomplete = fd.AnyIncomplete || p.CarriedIncomplete
	}
	if len(rep.Periods) > 0 {
		chart := func(width, fs float64) template.HTML {
			return chartHTML(&render.ColumnChart{ID: "due-" + strconv.Itoa(int(width)), Width: width, FontSize: fs,
				Title:    "Due to the fund against what was paid, per period",
				Subtitle: "Due: " + fd.Share + " of the state's receipts from eligible licences (terms " + rep.Terms + "). Arrears are due less paid, carried forward; below zero, a surplus. US dollars at each entry's own rate.",
				Groups:   groups, Series: series, XLabel: "Period", YLabel: "Amount",
				Source: "Source: UA's receipts and transfers, the US statements of the transfers, the licence register's eligibility under " + rep.Terms + " (nadra ledger due).",
				Attrs:  map[string]string{"data-periods": strconv.Itoa(len(groups)), "data-terms": rep.Terms}})
		}
		fd.Wide, fd.Narrow = chart(1200, 14), chart(380, 12)
	}
	line := func(l ledger.DueLine) dueLine {
		d := dueLine{Period: l.Period, Licence: l.Licence, Receipts: amountsText(l.Receipts), Due: amountsText(l.Due), Reason: l.Reason}
		for _, id := range l.Entries {
			if orig, ok := l.Replaces[id]; ok {
				id += ", correcting " + orig
			}
			d.Entries = append(d.Entries, id)
		}
		return d
	}
	for _, l := range rep.Unknown {
		fd.Unknown = append(fd.Unknown, line(l))
	}
	for _, l := range rep.NotDue {
		fd.NotDue = append(fd.NotDue, line(l))
	}
	for _, r := range rep.Capital {
		fd.Capital = append(fd.Capital, capitalRow{Partner: r.Partner, Books: r.Books, Year: r.Year, Scheduled: dollars(r.Scheduled), Committed: dollars(r.Committed.InUSD),
			Cash: dollars(r.Cash.InUSD), InKind: dollars(r.InKind.InUSD), Counted: dollars(r.Counted), OutSchedule: dollars(r.OutstandingSchedule), OutCommitted: dollars(r.OutstandingCommitted)})
	}
	return fd
}

func dueRowOf(period, licence, class string, l ledger.DueLicence) dueRow {
	return dueRow{Period: period, Licence: licence, Class: class, Receipts: amountsText(l.Receipts), Due: amountsText(l.Due), Unknown: amountsText(l.Unknown),
		PaidUA: amountsText(l.PaidUA), ReceivedUS: amountsText(l.ReceivedUS), ArrearsUA: amountsText(l.ArrearsUA), ArrearsUS: amountsText(l.ArrearsUS), Incomplete: l.Incomplete}
}

// flowsRecon is the reconciliation part: every flow as the two parties
// stated it, discrepancies first.
type flowsRecon struct {
	Rep        *ledger.Reconciliation
	Thresholds string // "1% and $100,000.00"
	Rows       []reconRow
	Counts     string // "0 discrepancies, 1 stated by UA only, 2 matched"
}

// reconRow is one flow.
type reconRow struct {
	Status, StatusText, Flow, Basis string
	US, UA, Diff, Rel               string
	ExceedsRel, ExceedsFloor        string // yes, no, or "" for a one-sided flow
	Note                            string
	USEntries, UAEntries            []string
}

var reconStatusText = map[string]string{
	ledger.StatusDiscrepancy: "Discrepancy",
	ledger.StatusUSOnly:      "Stated by the US only",
	ledger.StatusUAOnly:      "Stated by UA only",
	ledger.StatusMatched:     "Matched",
}

func flowsReconFor(rv *ledger.ReconciliationView) *flowsRecon {
	rep := rv.Reconcile
	fr := &flowsRecon{Rep: rep, Thresholds: strconv.FormatFloat(rep.Thresholds.Rel*100, 'f', -1, 64) + "% and $" + moneyText(rep.Thresholds.Floor)}
	fr.Counts = countText(len(rep.Discrepancies), "discrepancy", "discrepancies") + ", " + strconv.Itoa(len(rep.USOnly)) + " stated by the US only, " +
		strconv.Itoa(len(rep.UAOnly)) + " stated by UA only, " + strconv.Itoa(len(rep.Matched)) + " matched"
	yesNo := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	side := func(s *ledger.Side) (string, []string) {
		if s == nil {
			return "-", nil
		}
		return amountsText(s.Amount), s.Entries
	}
	for _, it := range rep.Items() {
		r := reconRow{Status: it.Status, StatusText: reconStatusText[it.Status], Flow: it.Key(), Basis: it.Basis, Note: it.Note}
		r.US, r.USEntries = side(it.US)
		r.UA, r.UAEntries = side(it.UA)
		r.Diff, r.Rel = "-", "-"
		if it.US != nil && it.UA != nil {
			switch it.Currency {
			case nadra.CurrencyUAH:
				r.Diff = uahMoney(it.Diff) + " (" + usdMoney(it.DiffUSD) + ")"
			default:
				r.Diff = usdMoney(it.Diff)
			}
			r.Rel = strconv.FormatFloat(it.Rel*100, 'f', 2, 64) + "% of " + it.Base + "'s"
			r.ExceedsRel, r.ExceedsFloor = yesNo(it.ExceedsRel), yesNo(it.ExceedsFloor)
		}
		fr.Rows = append(fr.Rows, r)
	}
	return fr
}

func countText(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// flowsLicencesPart is the licences part: the licence register on the
// map of the latest control snapshot, each licence at its deposit's
// point, with its eligibility under the terms.
type flowsLicencesPart struct {
	Map      template.HTML
	Snapshot string
	Terms    string
	Rows     []licenceRow
	Flagged  int // on occupied or grey ground
	OnMap    int
	Counts   map[string]int // by verdict
}

// licenceRow is one licence in the table.
type licenceRow struct {
	*nadra.Licence
	DepositName string
	Front       string // occupied since …, grey zone, controlled, or unknown
	FrontClass  string // the status, for CSS: controlled, occupied, grey, unknown
	Flag        bool   // on occupied or grey ground
	Verdict     string
	VerdictText string
	Reason      string
	OnMap       bool
}

var verdictText = map[string]string{nadra.Eligible: "eligible", nadra.NotEligible: "not eligible", nadra.Undetermined: "undetermined"}

// Colours of the licences map's symbols (Okabe–Ito): the verdict is the
// fill, occupied or grey ground a ring.
const (
	colEligible     = "#009E73" // bluish green
	colNotEligible  = "#D55E00" // vermillion
	colUndetermined = "#56B4E9" // sky blue
)

func (s *Server) flowsLicences(ctx context.Context, terms *nadra.DealTerms) (*flowsLicencesPart, error) {
	ls, deps, err := s.register(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]*nadra.Deposit{}
	for _, d := range deps {
		byID[d.ID] = d
	}
	fl := &flowsLicencesPart{Terms: terms.ID, Counts: map[string]int{nadra.Eligible: 0, nadra.NotEligible: 0, nadra.Undetermined: 0}}
	v, err := s.accessAt(ctx, "")
	switch {
	case nadra.ErrorCode(err) == nadra.ENOTFOUND:
		v = nil // no control snapshot: the licences without their ground
	case err != nil:
		return nil, err
	}
	front := map[string]nadra.DepositAccess{}
	if v != nil {
		fl.Snapshot = v.Info.Date
		for _, d := range v.Report.Deposits {
			front[d.ID] = d
		}
	}
	for _, l := range ls {
		e := nadra.LicenceEligibility(terms, l, byID[l.DepositID])
		r := licenceRow{Licence: l, Verdict: e.Verdict, VerdictText: verdictText[e.Verdict], Reason: e.Reason, Front: "unknown", FrontClass: "unknown"}
		fl.Counts[e.Verdict]++
		if d, ok := byID[l.DepositID]; ok {
			r.DepositName = d.Name
		}
		if d, ok := front[l.DepositID]; ok {
			r.Front, r.FrontClass = statusText(&d), string(d.Status)
			r.Flag = d.Status == nadra.StatusOccupied || d.Status == nadra.StatusGrey
			r.OnMap = d.Lat != nil && d.Lon != nil
		}
		if r.Flag {
			fl.Flagged++
		}
		if r.OnMap {
			fl.OnMap++
		}
		fl.Rows = append(fl.Rows, r)
	}
	if v != nil {
		var buf bytes.Buffer
		if err := s.licenceMap(v, fl, front).WriteSVG(&buf); err != nil {
			return nil, err
		}
		fl.Map = template.HTML(buf.String())
	}
	return fl, nil
}

// licenceMap draws the licences on the map of the latest snapshot, as the
// Map page draws it.
func (s *Server) licenceMap(v *accessView, fl *flowsLicencesPart, front map[string]nadra.DepositAccess) *render.Map {
	mb := s.mapBase()
	sp := v.entry.snapshotPaths(mb)
	greyLabel := "Grey zone (contested)"
	if !v.Info.GreyKnown {
		greyLabel = "Grey zone: not in source"
	}
	m := &render.Map{
		Proj:  mb.proj,
		Title: "The licence register on the map, " + v.Info.Date,
		Subtitle: strconv.Itoa(len(fl.Rows)) + " licences, " + strconv.Itoa(fl.OnMap) + " located; " + strconv.Itoa(fl.Flagged) + " on occupied or grey ground. Eligibility under " + fl.Terms + ": " +
			strconv.Itoa(fl.Counts[nadra.Eligible]) + " eligible, " + strconv.Itoa(fl.Counts[nadra.NotEligible]) + " not, " + strconv.Itoa(fl.Counts[nadra.Undetermined]) + " undetermined.",
		Attrs: map[string]string{"data-snapshot": v.Info.Date, "data-licences": strconv.Itoa(len(fl.Rows)), "data-located": strconv.Itoa(fl.OnMap),
			"data-flagged": strconv.Itoa(fl.Flagged), "data-terms": fl.Terms, "class": "licence-map"},
		Layers: []render.Layer{mb.land, mb.sea,
			{Class: "occupied", D: sp.occupied, Fill: colOccupied, Title: "Occupied since 24 February 2022 (on " + v.Info.Date + ")"},
			{Class: "occupied-pre2022", D: sp.pre2022, Fill: colPre2022, Title: "Occupied before 2022 (Crimea, parts of Donetsk and Luhansk)"},
			{Class: "grey", D: sp.grey, Fill: colGrey, Title: "Grey zone: contested (on " + v.Info.Date + ")"},
		},
		Legend: []render.LegendItem{
			{Label: "Occupied since 2022", Fill: colOccupied},
			{Label: "Occupied before 2022", Fill: colPre2022},
			{Label: greyLabel, Fill: colGrey},
			{Label: "Licence: eligible", Fill: colEligible, Stroke: "#fff", Circle: true},
			{Label: "Licence: not eligible", Fill: colNotEligible, Stroke: "#fff", Circle: true},
			{Label: "Licence: undetermined", Fill: colUndetermined, Stroke: "#fff", Circle: true},
			{Label: "Ring: occupied ground", Fill: "#fff", Stroke: "#111", Circle: true, StrokeWidth: 3.5},
			{Label: "Dashed ring: grey zone", Fill: "#fff", Stroke: "#111", Circle: true, StrokeWidth: 3.5, Dash: "3 2"},
		},
		Sources: []string{
			"Control areas: DeepStateMap, snapshot of " + v.Info.Date + " (" + v.Info.Source + ").",
			"Licences: nadra's licence register, a source on every row; eligibility from its facts under the terms " + fl.Terms + " (dataset/deals).",
			"Boundaries © OpenStreetMap contributors (ODbL) via geoBoundaries.",
			"Lambert azimuthal equal-area projection centred 49°N 32°E. Licences of one deposit are drawn side by side around its point. nadra " + s.Version + ".",
		},
	}
	m.Layers = append(m.Layers, mb.oblasts...)
	m.Layers = append(m.Layers, mb.outline, mb.borders)
	// Licences of one deposit side by side around its point.
	byDeposit := map[string][]int{}
	for i, r := range fl.Rows {
		if r.OnMap {
			byDeposit[r.DepositID] = append(byDeposit[r.DepositID], i)
		}
	}
	for i, r := range fl.Rows {
		if !r.OnMap {
			continue
		}
		d := front[r.DepositID]
		x, y := mb.proj.XY(orb.Point{*d.Lon, *d.Lat})
		if same := byDeposit[r.DepositID]; len(same) > 1 {
			k := 0
			for j, idx := range same {
				if idx == i {
					k = j
				}
			}
			a := 2 * math.Pi * float64(k) / float64(len(same))
			x, y = x+9*math.Sin(a), y-9*math.Cos(a)
		}
		class := "lic v-" + r.Verdict + " f-" + r.FrontClass
		title := r.ID + " (" + r.Holder + "), " + depositLabel(r) + ": " + r.Front + "; " + r.VerdictText + " under " + fl.Terms + ": " + r.Reason
		m.Points = append(m.Points, render.Point{X: x, Y: y, R: 7, Class: class, Href: "#licence-" + r.ID, Title: title,
			Data: map[string]string{"id": r.ID, "verdict": r.Verdict, "front": r.FrontClass, "deposit": r.DepositID}})
	}
	return m
}

func depositLabel(r licenceRow) string {
	if r.DepositName != "" {
		return r.DepositName
	}
	return r.DepositID
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
