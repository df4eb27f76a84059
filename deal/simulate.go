package deal

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"

	"nadra"
	"nadra/montecarlo"
)

// Options say how to run a simulation.
type Options struct {
	Paths   int
	Seed    uint64
	Workers int // 0: all cores
	// TornadoPaths is the number of paths of each sensitivity run; 0
	// skips the tornado.
	TornadoPaths int
	// Progress, if set, is told how many paths of the whole job (main run
	// and tornado) are done.
	Progress func(done, total int)
}

// Result is a simulation's outcome: one TermsResult per set of terms, the
// differences when there are two, and the tornado.
type Result struct {
	Paths   int            `json:"paths"`
	Seed    uint64         `json:"seed"`
	Model   *Model         `json:"model"`
	Terms   []*TermsResult `json:"terms"`
	VS      *Difference    `json:"vs,omitempty"`
	Tornado *Tornado       `json:"tornado,omitempty"`
	// Projects are the per-project results: eligibility under each set of
	// terms, start years, the state's receipts, the developer's NPV and
	// each project's part of the fund's receipts.
	Projects []ProjectResult     `json:"project_results"`
	Missing  []string            `json:"missing"`     // parameters not found, and what the model does instead
	Assumed  []Value             `json:"assumptions"` // parameters with status assumption or unverified
	Results  *montecarlo.Results `json:"-"`
}

// TermsResult summarises one set of terms over the paths. Amounts are US
// dollars in the run's basis; rates are fractions a year.
type TermsResult struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Status string  `json:"status"`
	Target float64 `json:"target_usd,omitempty"`
	// PriorUSAid is aid already given that the terms count as US capital.
	PriorUSAid float64                       `json:"prior_us_aid_usd,omitempty"`
	Metrics    map[string]montecarlo.Summary `json:"metrics"`
	// IRRKinds gives, per party, the share of paths whose flows have a
	// unique IRR, none, or several.
	IRRKinds map[string]map[string]float64 `json:"irr_kinds"`
	// RecoveryOfMeans is mean PV of distributions to the US over mean PV
	// of its contributions.
	RecoveryOfMeans float64            `json:"recovery_of_means"`
	Fan             []FanYear          `json:"fund_receipts_by_year"`
	Deterministic   map[string]float64 `json:"deterministic"`
	Notes           []string           `json:"notes,omitempty"`
	Overrides       []string           `json:"overrides,omitempty"` // terms the user changed, in words
	Base            []string           `json:"base"`                // projects whose receipts feed the fund
	Excluded        []string           `json:"excluded"`            // the others, with the reason
}

// FanYear is one year of the fan chart of the fund's receipts: the
// mean and the 5th, 25th, 50th, 75th and 95th percentiles over the paths.
type FanYear struct {
	Year int     `json:"year"`
	Mean float64 `json:"mean"`
	P5   float64 `json:"p5"`
	P25  float64 `json:"p25"`
	P50  float64 `json:"p50"`
	P75  float64 `json:"p75"`
	P95  float64 `json:"p95"`
}

// Metric names, the keys of TermsResult.Metrics, in report order.
var Metrics = []struct {
	Key, Label string
	Col        int
}{
	{"fund_receipts_pv", "fund receipts from Ukraine's revenue share, PV", ColFundPV},
	{"fund_receipts_sum", "fund receipts from Ukraine's revenue share, undiscounted", ColFundSum},
	{"us_npv", "US NPV (new flows)", ColUSNPV},
	{"ukraine_npv", "Ukraine NPV", ColUANPV},
	{"us_irr", "US IRR", ColUSIRR},
	{"ukraine_irr", "Ukraine IRR", ColUAIRR},
	{"us_recovery", "US recovery ratio, PV(distributions)/PV(contributions)", ColUSRecovery},
	{"us_distributions_pv", "PV of distributions to the US", ColUSDistPV},
	{"us_contributions_pv", "PV of US contributions as counted", ColUSContribPV},
	{"ukraine_contributions_pv", "PV of Ukraine's contributions", ColUAContribPV},
	{"ukraine_distributions_pv", "PV of distributions to Ukraine", ColUADistPV},
	{"us_years_to_first_distribution", "years to the first distribution to the US", ColUSFirst},
	{"ukraine_years_to_first_distribution", "years to the first distribution to Ukraine", ColUAFirst},
	{"state_receipts_pv", "all state receipts from the valued projects, PV", ColStatePV},
	{"projects_built", "projects built or producing", ColBuilt},
}

// Difference compares the second set of terms with the first on the
// same paths: per-path differences (second minus first).
type Difference struct {
	Base    string                        `json:"base"`
	Other   string                        `json:"other"`
	Metrics map[string]montecarlo.Summary `json:"metrics"`
}

// Simulate builds the model and runs the Monte Carlo for one or two sets
// of terms on the same paths, then the tornado for the first.
func Simulate(ctx context.Context, in Inputs, terms []*nadra.DealTerms, opt Options) (*Result, error) {
	if len(terms) == 0 || len(terms) > 2 {
		return nil, nadra.Errorf(nadra.EINVALID, "simulate one set of terms, or two to compare")
	}
	m, err := Build(in)
	if err != nil {
		return nil, err
	}
	funds := make([]*Fund, len(terms))
	for i, t := range terms {
		funds[i] = m.NewFund(t)
	}
	total := opt.Paths
	nTornado := 0
	if opt.TornadoPaths > 0 {
		nTornado = len(tornadoInputs(in, m))
		total += opt.TornadoPaths * (1 + 2*nTornado)
	}
	done := 0
	progress := func(n int) {
		if opt.Progress != nil {
			opt.Progress(done+n, total)
		}
	}
	res, runners, err := run(ctx, m, funds, opt.Paths, opt.Seed, opt.Workers, nil, progress, true)
	if err != nil {
		return nil, err
	}
	done += opt.Paths
	out := &Result{Paths: opt.Paths, Seed: opt.Seed, Model: m, Results: res}
	det, err := Deterministic(m, funds)
	if err != nil {
		return nil, err
	}
	w := m.Width()
	for k, f := range funds {
		tr := summarize(res, k*w, m, f, opt.Workers)
		tr.Deterministic = map[string]float64{}
		for _, mt := range Metrics {
			tr.Deterministic[mt.Key] = det[k][mt.Col]
		}
		out.Terms = append(out.Terms, tr)
	}
	if len(funds) == 2 {
		d := &Difference{Base: terms[0].ID, Other: terms[1].ID, Metrics: map[string]montecarlo.Summary{}}
		sums := montecarlo.SummarizeEach(len(Metrics), opt.Workers, func(k int, buf []float64) []float64 {
			buf = buf[:0]
			c := Metrics[k].Col
			for i := 0; i < res.Paths; i++ {
				row := res.Row(i)
				buf = append(buf, row[w+c]-row[c])
			}
			return buf
		})
		for k, mt := range Metrics {
			d.Metrics[mt.Key] = sums[k]
		}
		out.VS = d
	}
	if opt.TornadoPaths > 0 {
		tp := func(n int) { progress(n) }
		t, err := tornado(ctx, in, m, terms[0], opt, func(n int) { tp(n) }, &done)
		if err != nil {
			return nil, err
		}
		out.Tornado = t
	}
	out.Projects = projectResults(res, runners, m, funds, out.Terms, opt.Workers)
	out.Missing, out.Assumed = gaps(m)
	return out, nil
}

// run runs n paths of the model for the funds. fix, if set, changes each
// path's draws before evaluation. With track, each worker also sums the
// state's receipts from each project in each year, and run returns the
// workers.
func run(ctx context.Context, m *Model, funds []*Fund, n int, seed uint64, workers int, fix func(*Draws), progress func(int), track bool) (*montecarlo.Results, []*pathRunner, error) {
	w := m.Width() * len(funds)
	var mu sync.Mutex
	var runners []*pathRunner
	res, err := montecarlo.Run(ctx, montecarlo.Config{Paths: n, Seed: seed, Workers: workers, Progress: progress}, w, func() montecarlo.Path {
		r := &pathRunner{m: m, funds: funds, d: m.NewDraws(), s: m.NewScratch(), fix: fix}
		if track {
			r.stateCents = make([]int64, len(m.proj)*m.Years)
			mu.Lock()
			runners = append(runners, r)
			mu.Unlock()
		}
		return r
	})
	return res, runners, err
}

type pathRunner struct {
	m     *Model
	funds []*Fund
	d     *Draws
	s     *Scratch
	fix   func(*Draws)
	// stateCents sums the state's receipts from each project in each year
	// over this worker's paths, in cents: integer sums do not depend on
	// the order of the paths, so the means do not depend on the number
	// of workers.
	stateCents []int64
}

func (r *pathRunner) Run(_ int, rng *rand.Rand, out []float64) {
	r.m.Sample(rng, r.d)
	if r.fix != nil {
		r.fix(r.d)
	}
	r.m.Eval(r.d, r.s, r.funds, out)
	if r.stateCents != nil {
		Y := r.m.Years
		for i, x := range r.s.pst {
			r.stateCents[i] += int64(math.Round(x * r.m.infl[i%Y] * 100))
		}
	}
}

// Deterministic evaluates the funds once with every input at the centre
// of its distribution and no volatility, spread or conflict loss: the
// deterministic case the Monte Carlo mean converges to as the
// uncertainty goes to zero.
func Deterministic(m *Model, funds []*Fund) ([][]float64, error) {
	s := m.Settings
	s.VolScale, s.SpreadScale, s.HazardScale = 0, 0, 0
	dm, err := NewModel(m.Projects, m.Params, s)
	if err != nil {
		return nil, err
	}
	dfunds := make([]*Fund, len(funds))
	for i, f := range funds {
		dfunds[i] = dm.NewFund(f.Terms)
	}
	d := dm.NewDraws()
	dm.Central(d)
	out := make([]float64, dm.Width()*len(funds))
	dm.Eval(d, dm.NewScratch(), dfunds, out)
	var rows [][]float64
	for k := range funds {
		rows = append(rows, out[k*dm.Width():(k+1)*dm.Width()])
	}
	return rows, nil
}

func summarize(res *montecarlo.Results, off int, m *Model, f *Fund, workers int) *TermsResult {
	t := f.Terms
	tr := &TermsResult{ID: t.ID, Name: t.Name, Status: t.Status, Target: t.TargetUSD, PriorUSAid: t.PriorUSAidUSD, Metrics: map[string]montecarlo.Summary{},
		IRRKinds: map[string]map[string]float64{}, Notes: f.Notes, Overrides: t.Overrides, Base: f.Base, Excluded: f.Excluded}
	var cols []int
	for _, mt := range Metrics {
		cols = append(cols, off+mt.Col)
	}
	for y := 0; y < m.Years; y++ {
		cols = append(cols, off+ColYears+y)
	}
	sums := montecarlo.SummarizeColumns(res, cols, workers)
	for i, mt := range Metrics {
		tr.Metrics[mt.Key] = sums[i]
	}
	for y := 0; y < m.Years; y++ {
		s := sums[len(Metrics)+y]
		tr.Fan = append(tr.Fan, FanYear{Year: m.Settings.StartYear + y, Mean: s.Mean, P5: s.P5, P25: s.P25, P50: s.P50, P75: s.P75, P95: s.P95})
	}
	for party, c := range map[string]int{"us": ColUSIRRKind, "ukraine": ColUAIRRKind} {
		counts := map[string]float64{"unique": 0, "none": 0, "multiple": 0}
		for i := 0; i < res.Paths; i++ {
			counts[IRRKind(res.Data[i*res.Width+off+c]).String()]++
		}
		for k := range counts {
			counts[k] /= float64(res.Paths)
		}
		tr.IRRKinds[party] = counts
	}
	tr.RecoveryOfMeans = math.NaN()
	if c := tr.Metrics["us_contributions_pv"].Mean; c > 0 {
		tr.RecoveryOfMeans = tr.Metrics["us_distributions_pv"].Mean / c
	}
	return tr
}

// gaps lists what the model could not find and the assumptions it runs
// on.
func gaps(m *Model) (missing []string, assumed []Value) {
	used := map[string]bool{}
	for _, c := range m.Commodities {
		used[c] = true
	}
	for _, v := range m.Params.Values {
		if v.Status != StatusAssumption && v.Status != StatusUnverified {
			continue
		}
		if v.Scope != "" && !used[v.Scope] && !m.hasDeposit(v.Scope) {
			continue
		}
		assumed = append(assumed, v)
	}
	reasons := map[string][]string{}
	for _, nv := range m.NotValued {
		reasons[nv.Reason] = append(reasons[nv.Reason], nv.DepositID)
	}
	for _, p := range m.Projects {
		for _, n := range p.Notes {
			if len(n) > 12 && n[:12] == "not valued: " {
				reasons["part of a project "+n] = append(reasons["part of a project "+n], p.DepositID)
			}
		}
	}
	var keys []string
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		n := "1 deposit"
		if len(reasons[k]) != 1 {
			n = fmt.Sprintf("%d deposits", len(reasons[k]))
		}
		missing = append(missing, fmt.Sprintf("%s: %s: %s", k, n, strings.Join(reasons[k], ", ")))
	}
	return missing, assumed
}

func (m *Model) hasDeposit(id string) bool {
	for _, p := range m.Projects {
		if p.DepositID == id {
			return true
		}
	}
	return false
}
