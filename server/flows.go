package server

import (
	"context"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"nadra"
	"nadra/internal/numfmt"
	"nadra/render"
)

// flowsPageSize is how many entries the Flows page shows at a time.
const flowsPageSize = 50

func (s *Server) registerFlowsPageRoutes() {
	s.handle("GET /flows", "page", s.handleFlowsPage)
}

// flowsPage is the Flows page's data: what the log shows today (its
// entries, its checkpoints, how to verify it offline), and the places
// of the sections that the licence register and the accounting views
// fill in. Every state of the page is in its URL: the filters and the
// offset.
type flowsPage struct {
	Filter  nadra.LedgerFilter
	Parties []string
	Offset  string // as given, for the form
	Kinds   []flowKind
	Error   *ErrorResponse // a bad filter, shown in the page with its status
	List    *LedgerEntryList
	Rows    []flowRow
	First   int64 // 1-based number of the first row shown
	Last    int64
	Prev    string // the previous page's URL, "" on the first
	Next    string // the next page's URL, "" on the last
	JSONURL string // the same page from the API

	State          *ledgerState
	Chart, Narrow  template.HTML
	Keys           []nadra.LedgerKey
	ExportSummary  string // what the export holds: "5 entries, 1 checkpoint and 4 public keys"
	Uncovered      int64  // entries after the latest checkpoint
	PolicyParties  string // "US and UA"
	StatusClass    string // cosigned, waiting or none
	StatusHeadline string

	// Views is the accounting views' part of the page: which journal,
	// under which terms and thresholds (flowsviews.go). Its parts are
	// drawn by their templates in flows.html, each left out while nil
	// (a bad choice in the URL leaves them all out).
	Views *flowsViews
	// Balances: each party's balances over time (template
	// "flows-balances").
	Balances *flowsBalances
	// Due: what is due against what was paid, per period (template
	// "flows-due").
	Due *flowsDue
	// Reconciliation: the two parties' statements matched, discrepancies
	// highlighted (template "flows-reconciliation").
	Reconciliation *flowsRecon
	// Licences: the licence register on the map, licences on occupied or
	// grey ground flagged, with their eligibility (template
	// "flows-licences").
	Licences *flowsLicencesPart
	// ClearURL is the page without the entries' filters, keeping the
	// views' choices.
	ClearURL string
}

// flowKind is an entry kind in the filter.
type flowKind struct{ Value, Label string }

// kindLabels name the entry kinds for people.
var kindLabels = map[string]string{
	nadra.KindCommitment:         "commitment",
	nadra.KindContributionCash:   "cash contribution",
	nadra.KindContributionInKind: "in-kind contribution",
	nadra.KindReceipt:            "receipt from a licensee",
	nadra.KindTransfer:           "transfer to the fund",
	nadra.KindInvestment:         "investment",
	nadra.KindDistribution:       "distribution",
	nadra.KindExpense:            "expense",
}

// flowRow is one entry in the table.
type flowRow struct {
	LedgerEntry
	Kind     string
	Amount   string // with thousands separators, two decimals
	USDTitle string // a UAH amount in USD at the entry's rate, with the rate and its source
	Proved   bool   // the latest checkpoint covers it: its proof is there
}

// handleFlowsPage handles the "GET /flows" route: the ledger's entries,
// filtered by ?party=, ?kind=, ?period= and ?licence= and paged by
// ?offset=; the latest checkpoint's status; how to verify the log
// offline.
func (s *Server) handleFlowsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := &flowsPage{Offset: q.Get("offset"), Parties: []string{nadra.PartyUS, nadra.PartyUA}}
	p.Filter = nadra.LedgerFilter{Party: q.Get("party"), Kind: q.Get("kind"), Period: strings.TrimSpace(q.Get("period")),
		Licence: strings.TrimSpace(q.Get("licence")), Limit: flowsPageSize}
	for _, k := range nadra.EntryKinds {
		p.Kinds = append(p.Kinds, flowKind{k, kindLabels[k]})
	}
	ctx := r.Context()
	var err error
	if p.State, err = s.ledgerStatus(ctx); err != nil {
		s.pageError(w, r, err)
		return
	}
	if p.Keys, err = s.Ledger.Keys(ctx); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.flowsStatus(p)
	status := http.StatusOK
	if err := s.flowsViewsFor(ctx, q, p); err != nil {
		s.pageError(w, r, err)
		return
	}
	if p.Views.Error != nil && !p.Views.NotAsked {
		status = p.Views.Error.status
	}
	p.ClearURL = "/flows"
	if vq := p.Views.viewQuery(); len(vq) > 0 {
		p.ClearURL += "?" + vq.Encode()
	}
	if err := s.flowsEntries(ctx, p); err != nil {
		e := errorFor(err)
		if e.status >= 500 {
			s.pageError(w, r, err)
			return
		}
		p.Error, status = e, e.status
	}
	s.render(w, r, status, "flows", "Flows", p)
}

// flowsStatus describes the latest checkpoint and draws the log.
func (s *Server) flowsStatus(p *flowsPage) {
	st := p.State
	p.PolicyParties = strings.Join(ledgerPolicy.Parties, " and ")
	switch {
	case st.Latest == nil:
		p.StatusClass = "none"
		p.StatusHeadline = "No checkpoint yet: the log has " + entriesText(st.Size) + ", and nothing binds them until the log signs a checkpoint and both parties co-sign it."
	case st.Latest.Cosigned:
		p.StatusClass = "cosigned"
		p.StatusHeadline = "Co-signed by " + p.PolicyParties + " at size " + thousands64(st.Latest.Size) + "."
	default:
		p.StatusClass = "waiting"
		p.StatusHeadline = "The latest checkpoint is " + st.Latest.Status + "."
		if st.Cosigned != nil {
			p.StatusHeadline += " The latest co-signed by " + p.PolicyParties + " is at size " + thousands64(st.Cosigned.Size) + "."
		} else {
			p.StatusHeadline += " No checkpoint is co-signed by " + p.PolicyParties + " yet."
		}
	}
	p.ExportSummary = entriesText(st.Size) + ", " + plural(st.Total, "checkpoint") + " and " + plural(int64(len(p.Keys)), "public key")
	if st.Latest != nil {
		p.Uncovered = st.Size - st.Latest.Size
	}
	var cps []render.LogCheckpoint
	for _, c := range st.Recent {
		cps = append(cps, render.LogCheckpoint{Size: c.Size, Cosigned: c.Cosigned, Title: "Checkpoint " + strconv.FormatInt(c.ID, 10) + ": " + c.Status})
	}
	chart := func(width, fs float64) template.HTML {
		return chartHTML(&render.LogChart{ID: "log-" + strconv.Itoa(int(width)), Title: "The log and its checkpoints", Width: width, FontSize: fs,
			Size: st.Size, Checkpoints: cps, CosignedLabel: "co-signed by " + p.PolicyParties,
			Source: "Source: this server's ledger; every checkpoint's signatures checked against the registered keys. Verify offline: nadra ledger verify."})
	}
	p.Chart, p.Narrow = chart(1200, 14), chart(380, 12)
}

// flowsEntries reads the filtered page of entries.
func (s *Server) flowsEntries(ctx context.Context, p *flowsPage) error {
	f := &p.Filter
	if p.Offset != "" {
		off, err := strconv.ParseInt(p.Offset, 10, 64)
		if err != nil || off < 0 || off > 1e12 || strconv.FormatInt(off, 10) != p.Offset {
			return nadra.Errorf(nadra.EINVALID, "offset: %q: expected a whole number from 0", p.Offset)
		}
		f.Offset = int(off)
	}
	if err := f.Validate(); err != nil {
		return err
	}
	list, err := s.ledgerEntries(ctx, *f)
	if err != nil {
		return err
	}
	p.List = list
	var covered int64
	if p.State.Latest != nil {
		covered = p.State.Latest.Size
	}
	for _, e := range list.Entries {
		row := flowRow{LedgerEntry: e, Kind: kindLabels[e.Entry.Kind], Amount: moneyText(e.Entry.Amount), Proved: e.Index < covered}
		if e.Entry.Currency == nadra.CurrencyUAH {
			// For display only: sums stay in minor units of their currency.
			if usd := e.Entry.USD(); !math.IsNaN(usd) {
				row.USDTitle = "≈ $" + groupDigits(strconv.FormatFloat(usd, 'f', 2, 64)) + " at " + e.Entry.FXRate + " UAH per USD (" + e.Entry.FXSource + ")"
			}
		}
		p.Rows = append(p.Rows, row)
	}
	p.First, p.Last = int64(f.Offset)+1, int64(f.Offset)+int64(len(list.Entries))
	page := func(off int) string {
		v := flowsQuery(*f)
		for k, x := range p.Views.viewQuery() {
			v[k] = x
		}
		if off > 0 {
			v.Set("offset", strconv.Itoa(off))
		}
		if len(v) == 0 {
			return "/flows"
		}
		return "/flows?" + v.Encode()
	}
	if f.Offset > 0 {
		p.Prev = page(max(0, f.Offset-flowsPageSize))
	}
	if int64(f.Offset+flowsPageSize) < list.Total {
		p.Next = page(f.Offset + flowsPageSize)
	}
	v := flowsQuery(*f)
	v.Set("limit", strconv.Itoa(flowsPageSize))
	if f.Offset > 0 {
		v.Set("offset", strconv.Itoa(f.Offset))
	}
	p.JSONURL = APIPrefix + "/ledger/entries?" + v.Encode()
	return nil
}

// flowsQuery is a filter's query, without the offset.
func flowsQuery(f nadra.LedgerFilter) url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"party": f.Party, "kind": f.Kind, "period": f.Period, "licence": f.Licence} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// moneyText writes an amount with thousands separators and two decimals,
// from its minor units: 75,000,000.00.
func moneyText(m nadra.Money) string { return groupDigits(m.String()) }

// groupDigits puts thousands separators in a decimal number's whole part:
// "-1234567.50" is "-1,234,567.50".
func groupDigits(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, dot := strings.Cut(s, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if dot {
		whole += "." + frac
	}
	return sign + whole
}

func thousands64(n int64) string { return numfmt.Thousands(float64(n)) }

func entriesText(n int64) string {
	if n == 1 {
		return "1 entry"
	}
	return thousands64(n) + " entries"
}

// plural writes a count and a noun that takes an s: "1 checkpoint", "2
// checkpoints".
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands64(n) + " " + noun + "s"
}
