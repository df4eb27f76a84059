package server

import (
	"bytes"
	"context"
	"net/http"
	"sync"

	"nadra"
	"nadra/internal/flows"
	"nadra/ledger"

	"github.com/danielgtaylor/huma/v2"
)

// The ledger's accounting views over HTTP: balances, what is due against
// what was paid, the reconciliation and the flows export, over the log or
// the public journal. They are what nadra ledger balance|due|reconcile
// --json and export-flows print, computed by the same code (ledger.View,
// internal/flows). An entries file is a CLI journal only: the server reads
// no files.

// DefaultLedgerViewMax bounds the log the views are computed over: the
// server keeps its entries in memory (about a kilobyte each) and reads
// only the new ones on each request. Past it, the views of the log are
// for the CLI on the server's machine.
const DefaultLedgerViewMax = 100_000

// logTooLarge is the error of a log past the server's bound for the
// views: a 400 over the API (journal=public still works), a message in
// the Flows page, which is not the reader's fault.
type logTooLarge struct{ err *nadra.Error }

func (e *logTooLarge) Error() string { return e.err.Error() }
func (e *logTooLarge) Unwrap() error { return e.err }

// Journal names over HTTP.
const (
	journalLog    = "log"
	journalPublic = "public"
)

// LedgerBalancesInput is the balances' query.
type LedgerBalancesInput struct {
	Journal string `query:"journal" enum:"log,public" doc:"log: the signed entries; public: the public journal shipped with nadra (public figures, signed by neither party). Default: the log if it has entries, else public. Files are for the CLI only."`
	Party   string `query:"party" enum:"US,UA" doc:"One party's books (default both)."`
	AsOf    string `query:"as_of" doc:"The books as of this day, YYYY-MM-DD: entries dated on or before it. Not with period." example:"2026-03-31"`
	Period  string `query:"period" pattern:"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$" doc:"The books as of the end of this period (YYYY, YYYY-Qn or YYYY-MM). Without as_of or period: as of the end of each period of the journal, then of every entry." example:"2026-Q1"`
}

// LedgerDueInput is the due report's query.
type LedgerDueInput struct {
	Journal string `query:"journal" enum:"log,public" doc:"As for /ledger/balances."`
	Period  string `query:"period" pattern:"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$" doc:"Only the periods within this one; earlier arrears are brought forward." example:"2026"`
	Deal    string `query:"deal" default:"urif-2025" maxLength:"100" doc:"The deal terms, a shipped id (see /deals): their ukraine_share, revenue streams, cash schedules and which licences count. Terms files are for the CLI only." example:"urif-2025"`
}

// LedgerReconciliationInput is the reconciliation's query.
type LedgerReconciliationInput struct {
	Journal string `query:"journal" enum:"log,public" doc:"As for /ledger/balances."`
	Period  string `query:"period" pattern:"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$" doc:"Only the flows of periods within this one." example:"2026"`
	Rel     string `query:"rel" default:"0.01" maxLength:"16" doc:"The relative threshold: a fraction of the payee side's statement, a decimal from 0 to 1 (0.01 is 1%; no exponent, NaN or infinity). Default: USEITI's 1%." example:"0.01"`
	Floor   string `query:"floor" default:"100000.00" maxLength:"24" doc:"The absolute floor in US dollars, digits with at most two decimals. Default: USEITI's $100,000. A difference is a discrepancy only when it exceeds both." example:"100000.00"`
}

// LedgerFlowsInput is the flows export's query.
type LedgerFlowsInput struct {
	Journal string `query:"journal" enum:"log,public" doc:"As for /ledger/balances."`
	Format  string `query:"format" enum:"csv,xlsx" default:"csv" doc:"csv: one row per entry; xlsx adds a sheet of the postings and one saying which journal it is."`
}

func (s *Server) registerLedgerViewRoutes() {
	s.LedgerViewMax = DefaultLedgerViewMax
	tags := []string{"ledger"}
	register(s, s.api, huma.Operation{
		OperationID: "ledger-balances", Method: http.MethodGet, Path: "/ledger/balances", Tags: tags,
		Summary: "Each party's books",
		Description: "Each party's trial balance (the entries it posted, corrections applied): every account's debits less credits (a credit balance is negative) in USD, in UAH and in USD at each entry's own rate, " +
			"and the totals of the debit and credit lines, which are equal in each party's books. What nadra ledger balance --json prints. " +
			"Over the log the server computes the views for logs of at most 100,000 entries (by default).",
	}, s.handleLedgerBalances)
	register(s, s.api, huma.Operation{
		OperationID: "ledger-due", Method: http.MethodGet, Path: "/ledger/due", Tags: tags,
		Summary: "What is due to the fund against what was paid",
		Description: "The terms' ukraine_share of the state's receipts (UA's books) from eligible licences, whose eligibility the licence register decides under the terms, " +
			"against the transfers to the fund (paid per UA's books, received per the US books), per period and licence, with arrears carried forward; " +
			"receipts whose licence's eligibility is unknown are listed apart, in no total. Then each partner's capital against the terms' schedules and the commitments. " +
			"For the public journal, the flows no public source gives (not_public). What nadra ledger due --json prints.",
	}, s.handleLedgerDue)
	register(s, s.api, huma.Operation{
		OperationID: "ledger-reconciliation", Method: http.MethodGet, Path: "/ledger/reconciliation", Tags: tags,
		Summary: "The two parties' statements matched, the EITI way",
		Description: "The US statements of each flow against UA's: on the ref both quote, else summed per kind, payer, payee, licence, stream and period. " +
			"A difference is a discrepancy only when it exceeds both rel of the payee side's statement and floor US dollars (defaults: USEITI's 1% and $100,000). " +
			"Discrepancies, the flows one side stated and the other did not, and the matched flows. What nadra ledger reconcile --json prints.",
	}, s.handleLedgerReconciliation)
	register(s, s.api, huma.Operation{
		OperationID: "ledger-flows", Method: http.MethodGet, Path: "/ledger/flows", Tags: tags,
		Summary: "Every entry of a journal, as CSV or XLSX",
		Description: "Every entry, corrected ones included (in_force false, with the entry that replaced it), in the entries CSV columns plus its position, the original entry of its chain and its amount in USD at its own rate: " +
			"the columns of nadra ledger export-flows. For Excel: format=xlsx; for pandas: pd.read_csv(URL).",
		Responses: map[string]*huma.Response{
			"200": {Description: "The file, as an attachment.", Content: map[string]*huma.MediaType{
				"text/csv": {Schema: &huma.Schema{Type: "string"}},
				mediaXLSX:  {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			}},
		},
	}, s.handleLedgerFlows)
}

// handleLedgerBalances handles the "GET /api/v1/ledger/balances" route.
func (s *Server) handleLedgerBalances(ctx context.Context, in *LedgerBalancesInput) (*struct{ Body *ledger.BalancesReport }, error) {
	if _, err := parseDate("as_of", in.AsOf); err != nil {
		return nil, err
	}
	if in.AsOf != "" && in.Period != "" {
		return nil, nadra.Errorf(nadra.EINVALID, "as_of: give as_of or period, not both.")
	}
	v, err := s.ledgerView(ctx, in.Journal)
	if err != nil {
		return nil, err
	}
	var parties []string
	if in.Party != "" {
		parties = []string{in.Party}
	}
	rep, err := v.Balances(ledger.BalancesOptions{Parties: parties, AsOf: in.AsOf, Period: in.Period})
	if err != nil {
		return nil, err
	}
	return &struct{ Body *ledger.BalancesReport }{rep}, nil
}

// handleLedgerDue handles the "GET /api/v1/ledger/due" route.
func (s *Server) handleLedgerDue(ctx context.Context, in *LedgerDueInput) (*struct{ Body *ledger.DueView }, error) {
	terms, err := s.dealTerms(ctx, "deal", in.Deal)
	if err != nil {
		return nil, err
	}
	v, err := s.ledgerView(ctx, in.Journal)
	if err != nil {
		return nil, err
	}
	dv, err := s.ledgerDue(ctx, v, terms, in.Period)
	if err != nil {
		return nil, err
	}
	return &struct{ Body *ledger.DueView }{dv}, nil
}

// ledgerDue computes the due report, eligibility from the licence
// register.
func (s *Server) ledgerDue(ctx context.Context, v *ledger.View, terms *nadra.DealTerms, period string) (*ledger.DueView, error) {
	ls, deps, err := s.register(ctx)
	if err != nil {
		return nil, err
	}
	return v.Due(ledger.DueOptions{Terms: terms, Eligible: ledger.RegisterEligibility(terms, ls, deps), Period: period})
}

// register returns the licence register and the deposits, for
// eligibility. Without a licence service, the register is empty: every
// licence's eligibility is unknown.
func (s *Server) register(ctx context.Context) ([]*nadra.Licence, []*nadra.Deposit, error) {
	var ls []*nadra.Licence
	if s.Licences != nil {
		var err error
		if ls, err = s.Licences.FindLicences(ctx, nadra.LicenceFilter{}); err != nil {
			return nil, nil, err
		}
	}
	deps, _, err := s.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
	if err != nil {
		return nil, nil, err
	}
	return ls, deps, nil
}

// reconThresholds parses rel and floor.
func reconThresholds(rel, floor string) (ledger.Thresholds, error) {
	var th ledger.Thresholds
	var err error
	if th.Rel, err = ledger.ParseRel(rel); err != nil {
		return th, nadra.Errorf(nadra.EINVALID, "rel: %s.", nadra.ErrorMessage(err))
	}
	if th.Floor, err = ledger.ParseFloor(floor); err != nil {
		return th, nadra.Errorf(nadra.EINVALID, "floor: %s.", nadra.ErrorMessage(err))
	}
	return th, nil
}

// handleLedgerReconciliation handles the "GET
// /api/v1/ledger/reconciliation" route.
func (s *Server) handleLedgerReconciliation(ctx context.Context, in *LedgerReconciliationInput) (*struct{ Body *ledger.ReconciliationView }, error) {
	th, err := reconThresholds(in.Rel, in.Floor)
	if err != nil {
		return nil, err
	}
	v, err := s.ledgerView(ctx, in.Journal)
	if err != nil {
		return nil, err
	}
	rv, err := v.Reconcile(th, in.Period)
	if err != nil {
		return nil, err
	}
	return &struct{ Body *ledger.ReconciliationView }{rv}, nil
}

// handleLedgerFlows handles the "GET /api/v1/ledger/flows" route.
func (s *Server) handleLedgerFlows(ctx context.Context, in *LedgerFlowsInput) (*ExportOutput, error) {
	v, err := s.ledgerView(ctx, in.Journal)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	out := &ExportOutput{ContentDisposition: `attachment; filename="nadra-flows-` + v.Info.Name + `.` + in.Format + `"`}
	switch in.Format {
	case "xlsx":
		err, out.ContentType = flows.WriteXLSX(&buf, v), mediaXLSX
	default:
		err, out.ContentType = flows.WriteCSV(&buf, v), mediaCSV
	}
	if err != nil {
		return nil, err
	}
	out.Body = buf.Bytes()
	return out, nil
}

// ledgerView returns the journal a view runs on: "log", "public", or, for
// "", the log if it has entries and else the public journal (the CLI's
// default).
func (s *Server) ledgerView(ctx context.Context, name string) (*ledger.View, error) {
	switch name {
	case journalLog:
		return s.logView(ctx)
	case journalPublic:
		return s.publicView()
	case "":
		n, err := s.Ledger.Size(ctx)
		if err != nil {
			return nil, err
		}
		if n == 0 && s.PublicJournal != nil {
			return s.publicView()
		}
		return s.logView(ctx)
	}
	return nil, nadra.Errorf(nadra.EINVALID, "journal: %q: expected log or public (an entries file is a journal of the CLI only).", nadra.Truncate(name, 40))
}

// publicView returns the view of the public journal.
func (s *Server) publicView() (*ledger.View, error) {
	if s.PublicJournal == nil {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "journal: this server has no public journal.")
	}
	p, err := s.PublicJournal()
	if err != nil {
		return nil, err
	}
	return ledger.PublicView(p)
}

// logJournal holds the log's entries for the views, read once and then
// only from where it left off: the log only grows.
type logJournal struct {
	mu      sync.Mutex
	entries []*nadra.Entry
	indexes []int64      // entries[i]'s leaf index: audit records are leaves too
	leaves  int64        // the leaves read: the log's size when last read
	view    *ledger.View // of entries; nil until computed
}

// logReadBatch is how many records logView reads at a time.
const logReadBatch = 5000

// logView returns the view of the log, reading only the entries appended
// since the last call.
func (s *Server) logView(ctx context.Context) (*ledger.View, error) {
	c := &s.ledgerLog
	c.mu.Lock()
	defer c.mu.Unlock()
	n, err := s.Ledger.Size(ctx)
	if err != nil {
		return nil, err
	}
	if n > int64(s.LedgerViewMax) {
		return nil, &logTooLarge{nadra.Errorf(nadra.EINVALID, "journal: the log has %d entries, and this server computes the views over at most %d; run nadra ledger balance, due or reconcile on the server's machine, or ask for journal=public.", n, s.LedgerViewMax)}
	}
	have := c.leaves
	if have > n {
		have = 0 // another log under the same server: start again
	}
	if have > 0 && len(c.entries) > 0 {
		// The last entry held must still be there: else this is another
		// log, read it whole.
		last := c.indexes[len(c.indexes)-1]
		recs, err := s.Ledger.Records(ctx, last, last+1)
		if err != nil {
			return nil, err
		}
		if len(recs) != 1 || recs[0].Entry.ID != c.entries[len(c.entries)-1].ID {
			have = 0
		}
	}
	if have == 0 {
		c.entries, c.indexes = nil, nil
	}
	if have == n && c.view != nil {
		return c.view, nil
	}
	entries := c.entries[:len(c.entries):len(c.entries)]
	indexes := c.indexes[:len(c.indexes):len(c.indexes)]
	for i := have; i < n; i += logReadBatch {
		recs, err := s.Ledger.Records(ctx, i, min(i+logReadBatch, n))
		if err != nil {
			return nil, err
		}
		for j := range recs {
			e := recs[j].Entry
			entries = append(entries, &e)
			indexes = append(indexes, recs[j].Index)
		}
	}
	v, err := ledger.LogView(entries)
	if err != nil {
		return nil, err
	}
	c.entries, c.indexes, c.leaves, c.view = entries, indexes, n, v
	return v, nil
}
