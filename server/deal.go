package server

import (
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"nadra"
	"nadra/deal"

	"github.com/danielgtaylor/huma/v2"
)

// Defaults for the simulation's limits.
const (
	// DefaultMaxSimulatePaths caps the paths of one request (and of each
	// tornado run at a tenth of it). Every path is kept for the
	// percentiles; nadra simulate goes to a million.
	DefaultMaxSimulatePaths = 100_000
	// DefaultSimulateBudget bounds one simulation request, waiting for a
	// free slot included.
	DefaultSimulateBudget = 10 * time.Second
)

// Simulation parameters' defaults and bounds that are not the model's.
const (
	defaultSimulatePaths = 10_000
	defaultBins          = 40
	maxBins              = 200
	simulateCacheSize    = 64
)

// SimulateRequest is the body of POST /api/v1/simulate: the terms, the
// Monte Carlo's size and the overrides of the model's settings. Every
// field may be left out; the CLI's nadra simulate has a flag of the same
// name with hyphens for each.
type SimulateRequest struct {
	Deal          string   `json:"deal,omitempty" doc:"Terms to value: urif-2025 (signed), draft-2025-02 or draft-2025-03 (see /deals). Default urif-2025." example:"urif-2025"`
	VS            string   `json:"vs,omitempty" doc:"Other terms to compare with on the same paths." example:"draft-2025-02"`
	Paths         int      `json:"paths,omitempty" doc:"Monte Carlo paths, 1 to the server's cap (100,000 by default). Default 10,000." example:"10000"`
	Seed          uint64   `json:"seed,omitempty" doc:"Random seed; results depend only on it and the inputs. Default 1."`
	TornadoPaths  int      `json:"tornado_paths,omitempty" doc:"Paths of each sensitivity run of the tornado: 0 (the default) skips it; at most a tenth of the paths cap. The tornado costs about 43 runs."`
	Scenario      string   `json:"scenario,omitempty" doc:"Scenario expression (or a shipped scenario's id) for the deposits' control status, such as occupied@2022-11-01; default the latest snapshot. file: regions are not available over HTTP." example:"occupied@2022-11-01"`
	Bins          int      `json:"bins,omitempty" doc:"Bins of each histogram, 1 to 200. Default 40."`
	UkraineShare  *float64 `json:"ukraine_share,omitempty" doc:"Replace the share of the base Ukraine pays into the fund (0 to 1) in every set of terms." example:"0.5"`
	AidUSDPerYear float64  `json:"aid_usd_per_year,omitempty" doc:"New US in-kind aid in USD a year from the fund's start, counted as US capital where the terms say so. 0 to 1e13." example:"2000000000"`
	AidYears      int      `json:"aid_years,omitempty" doc:"Years of that aid, 0 (the whole horizon) to 100."`
	Discount      *float64 `json:"discount,omitempty" doc:"The parties' discount rate a year, above -0.5 and below 1. Default the parameters' 0.07." example:"0.07"`
	PriceLevel    *float64 `json:"price_level,omitempty" doc:"Multiplies every commodity's starting price: above 0, at most 10. Default 1." example:"1"`
	HazardScale   *float64 `json:"hazard_scale,omitempty" doc:"Multiplies the conflict hazard curve, 0 to 100. Default 1." example:"1"`
	Coinvest      *float64 `json:"coinvest,omitempty" doc:"Largest share of a project's capex the fund takes, 0 to 1. Default the parameters' 0.5."`
	EndYear       int      `json:"end_year,omitempty" doc:"Last year of the horizon, 2025 to 2125. Default 2055."`
	Nominal       bool     `json:"nominal,omitempty" doc:"Nominal dollars: flows inflated by inflation, which is then required, and the discount rate read as nominal."`
	Inflation     *float64 `json:"inflation,omitempty" doc:"Inflation a year, with nominal only."`
	CeasefireYear *int     `json:"ceasefire_year,omitempty" doc:"Year of the ceasefire scenario, 2025 to 2125, or 0 for none within the horizon: projects whose developers condition the build on security start construction no earlier. Default the parameters' ceasefire_year (an assumption)." example:"2028"`
	Journal       string   `json:"journal,omitempty" doc:"The ledger journal whose recorded receipts to place beside the fan: log, public, or none. Default: the log if it has entries, else the public journal." enum:"log,public,none"`
}

// overrides returns the request's deal.Overrides.
func (q *SimulateRequest) overrides() deal.Overrides {
	return deal.Overrides{Discount: q.Discount, Nominal: q.Nominal, Inflation: q.Inflation, Coinvest: q.Coinvest,
		AidUSDPerYear: q.AidUSDPerYear, AidYears: q.AidYears, HazardScale: q.HazardScale, PriceLevel: q.PriceLevel,
		EndYear: q.EndYear, UkraineShare: q.UkraineShare, CeasefireYear: q.CeasefireYear}
}

// SimulateResult is a simulation: the report nadra simulate --json
// prints, with histograms, and whether it came from the server's cache.
type SimulateResult struct {
	deal.Report
	Cached bool `json:"cached" doc:"The same request was answered before; the numbers are identical, since they depend only on the inputs and the seed."`
}

// SimulateInput is the simulation request.
type SimulateInput struct {
	Body SimulateRequest
}

// SimulateOutput is the simulation result.
type SimulateOutput struct {
	Body *SimulateResult
}

// DealSummary is one set of shipped terms in the list.
type DealSummary struct {
	ID      string   `json:"id" example:"urif-2025"`
	Name    string   `json:"name"`
	Status  string   `json:"status" doc:"signed or draft"`
	Date    string   `json:"date"`
	Summary string   `json:"summary"`
	Sources []string `json:"sources"`
}

// DealsOutput lists the shipped terms.
type DealsOutput struct {
	Body struct {
		Deals []DealSummary `json:"deals"`
	}
}

// DealInput names one set of terms.
type DealInput struct {
	ID string `path:"id" doc:"Terms id, e.g. urif-2025."`
}

// DealOutput is one set of terms, term by term with sources.
type DealOutput struct {
	Body *nadra.DealTerms
}

func (s *Server) registerDealRoutes() {
	register(s, s.api, huma.Operation{
		OperationID: "list-deals",
		Method:      http.MethodGet,
		Path:        "/deals",
		Summary:     "Deal terms nadra ships",
		Description: "The signed US–Ukraine agreement of 30 April 2025 and the February and March 2025 US drafts, each with its sources.",
		Tags:        []string{"deal"},
	}, s.handleDealIndex)
	register(s, s.api, huma.Operation{
		OperationID: "get-deal",
		Method:      http.MethodGet,
		Path:        "/deals/{id}",
		Summary:     "One set of deal terms",
		Description: "Every term with its value, note and sources, in file order, and the file it comes from (dataset/deals).",
		Tags:        []string{"deal"},
	}, s.handleDealView)
	register(s, s.api, huma.Operation{
		OperationID: "simulate",
		Method:      http.MethodPost,
		Path:        "/simulate",
		Summary:     "Value a deal by Monte Carlo",
		Description: "Values the terms for each party: one project per deposit with a resource estimate, correlated commodity prices, lead times, capex overruns, grade uncertainty and a conflict hazard that falls with distance to hostile ground; occupied and grey deposits yield nothing. " +
			"Returns what nadra simulate --json prints (per-party NPV and IRR distributions, the US recovery ratio, the fund's receipts by year, the tornado when asked, the deterministic case, every assumption) with histograms and the plain-sentence summary. " +
			"Limits: a paths cap (100,000 by default) and a time budget (10 s by default, the scenario's evaluation and waiting included: 503 with Retry-After past it); the simulation stops when the client goes away. Identical requests are answered from a cache.",
		Tags: []string{"deal"},
	}, s.handleSimulate)
}

// handleDealIndex handles the "GET /api/v1/deals" route.
func (s *Server) handleDealIndex(ctx context.Context, _ *struct{}) (*DealsOutput, error) {
	all, err := s.deals(ctx)
	if err != nil {
		return nil, err
	}
	out := &DealsOutput{}
	out.Body.Deals = []DealSummary{}
	for _, d := range all {
		out.Body.Deals = append(out.Body.Deals, DealSummary{d.ID, d.Name, d.Status, d.Date, d.Summary, d.Sources})
	}
	return out, nil
}

// handleDealView handles the "GET /api/v1/deals/{id}" route.
func (s *Server) handleDealView(ctx context.Context, in *DealInput) (*DealOutput, error) {
	d, err := s.dealTerms(ctx, "id", in.ID)
	if err != nil {
		if nadra.ErrorCode(err) == nadra.EINVALID {
			err = nadra.Errorf(nadra.ENOTFOUND, "%s", nadra.ErrorMessage(err))
		}
		return nil, err
	}
	return &DealOutput{Body: d}, nil
}

// handleSimulate handles the "POST /api/v1/simulate" route.
func (s *Server) handleSimulate(ctx context.Context, in *SimulateInput) (*SimulateOutput, error) {
	res, err := s.simulate(ctx, &in.Body)
	if err != nil {
		return nil, err
	}
	return &SimulateOutput{Body: res}, nil
}

// simulator runs the server's simulations: a few at a time, each with
// all cores, and remembers recent results.
type simulator struct {
	slots chan struct{}

	mu    sync.Mutex
	cache map[string]*list.Element // of *cached
	order *list.List               // most recent first

	// Test hooks: start is called with the simulation's context before it
	// runs, done with its outcome.
	start func(ctx context.Context)
	done  func(err error)
}

type cached struct {
	key string
	res *SimulateResult
}

func newSimulator() *simulator {
	// Each simulation uses every core; a few at once keep the cores busy
	// between runs while bounding memory (every path is kept).
	n := min(max(1, runtime.GOMAXPROCS(0)), 4)
	return &simulator{slots: make(chan struct{}, n), cache: map[string]*list.Element{}, order: list.New()}
}

func (m *simulator) get(key string) *SimulateResult {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.cache[key]; ok {
		m.order.MoveToFront(e)
		return e.Value.(*cached).res
	}
	return nil
}

func (m *simulator) put(key string, res *SimulateResult) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.cache[key]; ok {
		return
	}
	m.cache[key] = m.order.PushFront(&cached{key, res})
	for m.order.Len() > simulateCacheSize {
		last := m.order.Back()
		m.order.Remove(last)
		delete(m.cache, last.Value.(*cached).key)
	}
}

// errBudget is the cause of a simulation's context ending at its time
// budget.
var errBudget = errors.New("simulation time budget exceeded")

// simulate checks a request, fills in its defaults, runs it (or finds it
// in the cache) and returns the result. Parameter errors are EINVALID
// naming the field.
func (s *Server) simulate(ctx context.Context, q *SimulateRequest) (*SimulateResult, error) {
	if err := s.normalize(q); err != nil {
		return nil, err
	}
	var terms []*nadra.DealTerms
	for _, p := range []struct{ param, id string }{{"deal", q.Deal}, {"vs", q.VS}} {
		if p.id == "" {
			continue
		}
		t, err := s.dealTerms(ctx, p.param, p.id)
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	params, err := s.modelParams()
	if err != nil {
		return nil, err
	}
	o := q.overrides()
	settings, terms, err := o.Apply(params, terms, func(k string) string { return k })
	if err != nil {
		return nil, err
	}
	if q.Scenario != "" {
		// Syntax and limits at once, before the budget: a 400, not a 503.
		if _, err := s.scenarioSyntax(ctx, q.Scenario, "scenario"); err != nil {
			return nil, err
		}
	}

	// The budget covers everything that takes time: the control status
	// (a scenario's evaluation), waiting for a slot and the Monte Carlo.
	ctx, cancel := context.WithTimeoutCause(ctx, s.SimulateBudget, errBudget)
	defer cancel()
	stopped := func(err error) error {
		if ctx.Err() != nil {
			return simulateStopped(ctx, s.SimulateBudget)
		}
		return err
	}
	var rep *nadra.AccessReport
	if q.Scenario != "" {
		if rep, err = s.scenarioAccess(ctx, q.Scenario); err != nil {
			return nil, stopped(err)
		}
	}
	view, err := s.accessAt(ctx, "")
	if err != nil {
		return nil, stopped(err)
	}
	_, regHash, _, err := s.access.load(ctx)
	if err != nil {
		return nil, stopped(err)
	}
	if rep == nil {
		rep = view.Report
	}
	control := deal.ControlLabel(q.Scenario, rep)
	lics, licKey, err := s.dealLicences(ctx)
	if err != nil {
		return nil, stopped(err)
	}
	recorded, journal, err := s.recorded(ctx, q.Journal, terms[0])
	if err != nil {
		return nil, stopped(err)
	}
	kb, _ := json.Marshal(q)
	rb, _ := json.Marshal(recorded)
	// The terms and the scenario's expression as stored: an import of
	// terms or scenarios changes them under the same ids.
	tb, _ := json.Marshal(terms)
	named, err := s.namedScenarios(ctx)
	if err != nil {
		return nil, stopped(err)
	}
	key := string(kb) + "|" + regHash + "|" + licKey + "|" + view.Info.Date + "#" + strconv.FormatInt(view.Info.ImportID, 10) + "|" + journal + string(rb) +
		"|" + string(tb) + "|" + expand(named, q.Scenario)
	if res := s.sim.get(key); res != nil {
		c := *res
		c.Cached = true
		return &c, nil
	}

	select {
	case s.sim.slots <- struct{}{}:
		defer func() { <-s.sim.slots }()
	case <-ctx.Done():
		return nil, simulateStopped(ctx, s.SimulateBudget)
	}
	if s.sim.start != nil {
		s.sim.start(ctx)
	}
	in := deal.Inputs{Registry: deal.Registry{Deposits: view.Registry.Deposits, Estimates: view.Registry.Estimates, Access: rep, Licences: lics},
		Params: params, Settings: settings}
	t0 := time.Now()
	res, err := deal.Simulate(ctx, in, terms, deal.Options{Paths: q.Paths, Seed: q.Seed, TornadoPaths: q.TornadoPaths})
	if s.sim.done != nil {
		s.sim.done(err)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, simulateStopped(ctx, s.SimulateBudget)
		}
		return nil, err
	}
	out := &SimulateResult{Report: *deal.NewReport(res, control, time.Since(t0).Seconds(), s.yardstick(ctx))}
	if journal != "" {
		out.PlanActual = &deal.PlanActualReport{Journal: journal, Terms: terms[0].ID, Years: res.PlaceRecorded(0, recorded),
			Assumptions: deal.PlanAssumptions(res.Model.Settings)}
	}
	// One histogram per metric, and with other terms (vs) theirs too, on
	// the same range as the first's so that they can be drawn together.
	for _, key := range []string{"fund_receipts_pv", "us_npv", "ukraine_npv"} {
		out.Histograms = append(out.Histograms, res.SharedHistograms(key, q.Bins)...)
	}
	s.sim.put(key, out)
	return out, nil
}

// recorded returns the ledger's recorded receipts of the fund by year,
// under terms, from the journal the request names (see
// SimulateRequest.Journal), and which journal it read; "" for none.
func (s *Server) recorded(ctx context.Context, name string, terms *nadra.DealTerms) ([]deal.Recorded, string, error) {
	if name == "none" || s.Ledger == nil {
		return nil, "", nil
	}
	v, err := s.ledgerView(ctx, name)
	var big *logTooLarge
	if errors.As(err, &big) {
		return nil, "", nil // the views refuse a log this large; the simulation goes on without them
	}
	if err != nil {
		return nil, "", err
	}
	dv, err := s.ledgerDue(ctx, v, terms, "")
	if err != nil {
		return nil, "", err
	}
	return deal.RecordedSeries(dv.Due.ByYear()), v.Info.Name, nil
}

// normalize fills in the defaults and checks what Overrides does not.
func (s *Server) normalize(q *SimulateRequest) error {
	if q.Deal == "" {
		q.Deal = "urif-2025"
	}
	if q.Paths == 0 {
		q.Paths = defaultSimulatePaths
	}
	if q.Seed == 0 {
		q.Seed = 1
	}
	if q.Bins == 0 {
		q.Bins = defaultBins
	}
	q.Scenario = strings.TrimSpace(q.Scenario)
	maxTornado := s.MaxSimulatePaths / 10
	switch {
	case q.Paths < 1:
		return nadra.Errorf(nadra.EINVALID, "paths %d: at least 1 path is needed", q.Paths)
	case q.Paths > s.MaxSimulatePaths:
		return nadra.Errorf(nadra.EINVALID, "paths %d is over this server's cap of %d paths a request; nadra simulate on the command line goes to 1,000,000", q.Paths, s.MaxSimulatePaths)
	case q.TornadoPaths < 0 || q.TornadoPaths > maxTornado:
		return nadra.Errorf(nadra.EINVALID, "tornado_paths %d: expected 0 (no tornado) to %d, the cap for each of its runs", q.TornadoPaths, maxTornado)
	case q.Bins < 1 || q.Bins > maxBins:
		return nadra.Errorf(nadra.EINVALID, "bins %d: expected 1 to %d", q.Bins, maxBins)
	}
	return nil
}

// simulateStopped is the error of a simulation whose context ended: at
// the time budget, or because the client went away (no one reads that
// answer, but the log shows it).
func simulateStopped(ctx context.Context, budget time.Duration) error {
	if errors.Is(context.Cause(ctx), errBudget) {
		return &ErrorResponse{Code: ETIMEOUT, status: http.StatusServiceUnavailable, retryAfter: budget,
			Message: fmt.Sprintf("The simulation did not finish within this server's time budget of %v (the server may be busy); ask for fewer paths or a smaller tornado, or try again.", budget)}
	}
	return &ErrorResponse{Code: ECANCELED, status: statusClientClosed, Message: "The client went away; the simulation was stopped."}
}

// scenarioAccess returns the access report under a scenario expression,
// through the scenario evaluation the scenarios page and API share (and
// cache per expression and database state). Errors name the scenario
// parameter.
func (s *Server) scenarioAccess(ctx context.Context, expr string) (*nadra.AccessReport, error) {
	v, err := s.evalScenario(ctx, scenarioQuery{expr: expr, exprParam: "scenario"})
	if err != nil {
		return nil, err
	}
	return v.ev.Result.Scenario, nil
}

// dealLicences returns the licence register for the deal model, and a
// key that changes when it does (for the cache): the server's licence
// service.
func (s *Server) dealLicences(ctx context.Context) ([]*nadra.Licence, string, error) {
	if s.Licences == nil {
		return nil, "", nadra.Errorf(nadra.EINTERNAL, "the server has no licence register")
	}
	ls, err := s.Licences.FindLicences(ctx, nadra.LicenceFilter{})
	if err != nil {
		return nil, "", err
	}
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l.ID + "@" + l.UpdatedAt.Format(time.RFC3339Nano) + ";")
	}
	return ls, strconv.Itoa(len(ls)) + ":" + strconv.FormatUint(fnv64(b.String()), 16), nil
}

func fnv64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
