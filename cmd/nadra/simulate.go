package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"nadra/internal/numfmt"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"nadra"
	"nadra/dataset"
	"nadra/deal"
	"nadra/internal/csvfmt"
	"nadra/internal/progress"
	"nadra/ledger"
	"nadra/montecarlo"
)

// Limits on --paths. Each path keeps (17 + years + 4 per project) numbers
// per set of terms for the percentiles: a million paths of two terms over
// 31 years with 11 projects take about 1.5 GB.
const (
	maxPaths     = 1_000_000
	defaultPaths = 100_000
)

const simulateHelp = `Usage: nadra simulate [--deal TERMS] [--vs TERMS] [--paths N] [--seed S]
                      [--scenario EXPR] [--aid-usd-per-year X] [--discount R]
                      [--price-level K] [--hazard-scale K] [--hazard distance|approach]
                      [--ukraine-share S] [--ceasefire-year YEAR|none] [--projects] [--json | --csv]

Values a minerals-for-support deal for each party by Monte Carlo: one
project per deposit with a resource estimate or a published capacity, at
the capacity, capex, product and schedule its developer has published
(dataset/model/projects.csv) and, where none is published, at the capacity
Taylor's rule gives, costed from published feasibility studies, each input
labelled with its source or "model fallback"; correlated commodity
prices (GBM in log space, volatilities and correlations from published
price history); lead times by development stage; capex overruns; grade
uncertainty by resource category; and an annual conflict hazard that falls
with distance to hostile ground. Occupied and grey deposits yield nothing.
--hazard approach takes each project's observed rate of approach into its
hazard too, h0·exp(−d/d0 + beta·v), v the km a month by which the front
came closer over the quarter before the latest snapshot (nadra report
risk), and prints the fund's value under both hazards on the same paths.
Ukraine pays its share of the state's receipts into the fund, the US its
cash and (where the terms count it) in-kind aid; the fund co-invests,
reinvests, and distributes by the terms' waterfall.

Every figure is real US dollars at 2023-25 prices unless --nominal is
given, discounted at --discount (default: the parameters' 7% a year).
Parameters and their sources are in dataset/model; terms in dataset/deals.
Results depend only on the seed and the inputs, not on the number of
workers. Deposits without estimates are listed as not valued, never
counted as zero.

TERMS is a shipped id (nadra deal list) or the path of a terms file.
EXPR is a scenario expression for the deposits' control status (today:
occupied@YYYY-MM-DD); by default, the latest snapshot.

Which projects' receipts count in the fund's base follows the licence
register (nadra licences) and the terms: producing projects and licences
granted before the agreement count only where the terms say so.
Projects whose developers condition the build on security start
construction no earlier than --ceasefire-year (default: the parameters'
ceasefire_year, an assumption; none: never within the horizon).

--projects prints one row per project instead of the fund's report: its
eligibility and why, product, capacity, capex, start years and life, each
with its source or "model fallback", the state's receipts, the project's
NPV to its developer and to the state, and its share of the fund's
receipts, then every input beside its published figure (the calibration
table).

Examples:
  nadra simulate
  nadra simulate --deal urif-2025 --vs draft-2025-02
  nadra simulate --aid-usd-per-year 5e9 --aid-years 4
  nadra simulate --price-level 1.5 --hazard-scale 2 --ukraine-share 0.3
  nadra simulate --scenario occupied@2022-11-01 --paths 20000 --json
  nadra simulate --projects --ceasefire-year 2030`

// simulateFlags are the flags of nadra simulate. The model's settings
// are deal.Overrides, shared with the API, whose keys are the flags'
// names with underscores.
type simulateFlags struct {
	deal, vs, scenario, dumpInputs, journal string
	ceasefire                               string
	projects                                bool
	hazard                                  string
	paths, workers, tornadoPaths            int
	seed                                    uint64
	discount, inflation, coinvest           optFloat
	hazardScale, priceLevel, share          optFloat
	over                                    deal.Overrides
	out                                     outputFlags
}

// flagName is a deal.Overrides key as the flag the user typed.
func flagName(key string) string { return "--" + strings.ReplaceAll(key, "_", "-") }

func (m *Main) runSimulate(ctx context.Context, args []string) error {
	fs := m.flags("simulate", simulateHelp)
	var f simulateFlags
	fs.StringVar(&f.deal, "deal", "urif-2025", "deal `TERMS` to value: a shipped id or a terms file")
	fs.StringVar(&f.vs, "vs", "", "compare with other `TERMS` on the same paths")
	fs.IntVar(&f.paths, "paths", defaultPaths, "Monte Carlo `paths` (1 to 1,000,000)")
	fs.Uint64Var(&f.seed, "seed", 1, "random `seed`")
	fs.IntVar(&f.workers, "workers", 0, "`N` worker goroutines (default: one per core); results do not depend on it")
	fs.StringVar(&f.scenario, "scenario", "", "scenario `EXPR` for control status (default: the latest snapshot)")
	fs.Float64Var(&f.over.AidUSDPerYear, "aid-usd-per-year", 0, "new US in-kind aid in `USD` a year from the fund's start, counted as US capital where the terms say so")
	fs.IntVar(&f.over.AidYears, "aid-years", 0, "`years` of that aid (default: to the end of the horizon)")
	fs.Var(&f.discount, "discount", "the parties' discount `rate` a year, e.g. 0.05 (default: dataset/model, 0.07)")
	fs.BoolVar(&f.over.Nominal, "nominal", false, "nominal dollars: inflate flows by --inflation and read --discount as nominal")
	fs.Var(&f.inflation, "inflation", "inflation `rate` a year, required with --nominal")
	fs.Var(&f.coinvest, "coinvest", "largest `share` of a project's capex the fund takes (default: dataset/model, 0.5, an assumption)")
	fs.Var(&f.hazardScale, "hazard-scale", "multiply the conflict hazard curve by `k` (default 1)")
	fs.StringVar(&f.hazard, "hazard", "distance", "conflict hazard `by`: distance (one curve of the distance for every project) or approach (each project's observed distance and rate of approach)")
	fs.Var(&f.priceLevel, "price-level", "multiply every commodity's starting price by `k` (default 1: the parameters' prices)")
	fs.Var(&f.share, "ukraine-share", "replace the `share` of the base Ukraine pays into the fund, in every set of terms")
	fs.IntVar(&f.over.EndYear, "end-year", 2055, "last `year` of the horizon")
	fs.StringVar(&f.ceasefire, "ceasefire-year", "", "`YEAR` of the ceasefire scenario, or none (default: dataset/model, an assumption)")
	fs.BoolVar(&f.projects, "projects", false, "print the per-project view: inputs with their sources, eligibility, and results")
	fs.IntVar(&f.tornadoPaths, "tornado-paths", -1, "`N` paths per sensitivity run of the tornado (default: min(paths, 10000); 0 skips the tornado)")
	fs.StringVar(&f.journal, "journal", "", "the ledger `JOURNAL` whose recorded receipts to set beside the fan: log, public or an entries file (default: the log if it has entries, else public; none: skip)")
	fs.StringVar(&f.dumpInputs, "dump-inputs", "", "write the compiled model as JSON to `file` (for bench/reference_numpy.py) and exit")
	fs.BoolVar(&f.out.json, "json", false, "print JSON")
	fs.BoolVar(&f.out.csv, "csv", false, "print CSV")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if err := f.out.check(); err != nil {
		return err
	}
	if err := f.check(); err != nil {
		return err
	}
	if f.dumpInputs != "" {
		// Refuse a path -o may not write before the work, not after it.
		if err := m.open(ctx); err != nil {
			return err
		}
		if _, _, err := m.checkOutput(f.dumpInputs); err != nil {
			return err
		}
	}
	terms := []*nadra.DealTerms{}
	for _, id := range []string{f.deal, f.vs} {
		if id == "" {
			continue
		}
		t, err := m.loadTerms(ctx, id)
		if err != nil {
			return err
		}
		terms = append(terms, t)
	}
	params, err := dataset.ModelParams()
	if err != nil {
		return err
	}
	s, terms, err := f.over.Apply(params, terms, flagName)
	if err != nil {
		return usagef("%s", nadra.ErrorMessage(err))
	}
	rep, err := m.scenarioAccess(ctx, f.scenario)
	if err != nil {
		return err
	}
	reg, err := m.registry(ctx)
	if err != nil {
		return err
	}
	lics, err := m.Licences.FindLicences(ctx, nadra.LicenceFilter{})
	if err != nil {
		return err
	}
	in := deal.Inputs{Registry: deal.Registry{Deposits: reg.Deposits, Estimates: reg.Estimates, Access: rep, Licences: lics}, Params: params, Settings: s}
	if f.hazard == "approach" {
		if in.Registry.Approach, err = m.observedApproach(ctx, f.scenario); err != nil {
			return err
		}
		in.Settings.HazardApproach = true
	}
	if f.dumpInputs != "" {
		b, err := dumpInputs(in, terms)
		if err != nil {
			return err
		}
		return m.writeOutput(f.dumpInputs, b)
	}
	opt := deal.Options{Paths: f.paths, Seed: f.seed, Workers: f.workers, TornadoPaths: f.tornadoPaths}
	if opt.TornadoPaths < 0 {
		opt.TornadoPaths = min(f.paths, 10000)
	}
	// Simulate knows the whole job's paths (main run and tornado); it
	// calls Progress from one goroutine at a time, so the bar is made on
	// the first call.
	var bar *progress.Bar
	opt.Progress = func(done, total int) {
		if bar == nil {
			bar = m.progressBar(total, "simulating paths")
		}
		bar.Set(int64(done))
	}
	t0 := time.Now()
	res, err := deal.Simulate(ctx, in, terms, opt)
	bar.Done()
	if err != nil {
		if ctx.Err() != nil {
			return nadra.Errorf(nadra.EINVALID, "interrupted")
		}
		return err
	}
	elapsed := time.Since(t0)
	var cmp *deal.HazardComparison
	if in.Settings.HazardApproach {
		// The same paths under the distance-only hazard: the change is the
		// hazards', not the draws'.
		base := in
		base.Settings.HazardApproach = false
		res0, err := deal.Simulate(ctx, base, terms[:1], deal.Options{Paths: f.paths, Seed: f.seed, Workers: f.workers})
		if err != nil {
			if ctx.Err() != nil {
				return nadra.Errorf(nadra.EINVALID, "interrupted")
			}
			return err
		}
		cmp = deal.CompareHazard(res, res0)
	}
	snap := deal.ControlLabel(f.scenario, rep)
	if f.projects {
		pr := deal.NewProjectsReport(res, snap)
		if f.out.json {
			return writeJSON(m.Stdout, pr)
		}
		printProjects(m.Stdout, pr)
		return nil
	}
	var plan *deal.PlanActualReport
	if f.journal != "none" {
		if plan, err = m.planActual(ctx, f.journal, res, terms[0]); err != nil {
			return err
		}
	}
	switch {
	case f.out.json:
		r := deal.NewReport(res, snap, elapsed.Seconds(), dataset.Yardstick())
		r.PlanActual = plan
		r.HazardComparison = cmp
		return writeJSON(m.Stdout, r)
	case f.out.csv:
		return writeSimulateCSV(m.Stdout, res)
	}
	printSimulate(m.Stdout, res, snap, elapsed, f.workers)
	printPlanActual(m.Stdout, plan)
	printHazardComparison(m.Stdout, cmp)
	return nil
}

// observedApproach returns each located deposit's rate of approach over
// the quarter before the snapshot the control status comes from, in km a
// month, as the approach hazard was fitted (nadra.DepositRisk.ApproachOver):
// the snapshot in force on DATE for a scenario occupied@DATE, else the
// latest. Deposits without a rate are left out.
func (m *Main) observedApproach(ctx context.Context, scenario string) (map[string]float64, error) {
	series, _, err := m.riskSeries(ctx, "")
	if err != nil {
		return nil, err
	}
	date := ""
	if mt := occupiedAtRE.FindStringSubmatch(strings.TrimSpace(scenario)); mt != nil {
		date = mt[1]
	}
	out := map[string]float64{}
	for i := range series {
		at := len(series[i].Series) - 1
		if date != "" {
			at = sort.Search(len(series[i].Series), func(k int) bool { return series[i].Series[k].Date > date }) - 1
		}
		if v, _, ok := series[i].ApproachOver(at, nadra.ApproachWindowDays); ok && at >= 0 {
			out[series[i].ID] = v
		}
	}
	return out, nil
}

var occupiedAtRE = regexp.MustCompile(`^occupied@([0-9]{4}-[0-9]{2}-[0-9]{2})$`)

// printHazardComparison prints the fund's value under both hazards.
func printHazardComparison(w io.Writer, c *deal.HazardComparison) {
	if c == nil {
		return
	}
	fprintf(w, "\nConflict hazard by each project's observed distance and rate of approach, against the distance-only hazard, on the same paths (%s):\n", c.Terms)
	t := newTab(w)
	fprintf(t, "  DEPOSIT\tKM TO HOSTILE\tAPPROACH KM/MONTH\tHAZARD/YR DISTANCE ONLY\tHAZARD/YR WITH APPROACH\n")
	for _, p := range c.Projects {
		v := "-"
		if p.ApproachKmPerMonth != nil {
			v = fmt.Sprintf("%.2f", *p.ApproachKmPerMonth)
		}
		fprintf(t, "  %s\t%.0f\t%s\t%s\t%s\n", p.DepositID, p.DistanceKm, v, hazardPct(p.HazardDistanceOnly), hazardPct(p.HazardApproach))
	}
	t.Flush()
	f := func(n deal.Num) float64 { return float64(n) }
	change, share := f(c.ChangeUSD), f(c.ChangeShare)
	shareText := "no base to compare with"
	if !math.IsNaN(share) {
		shareText = fmt.Sprintf("%s%.2f%%", signStr(share), 100*math.Abs(share))
	}
	fprintf(w, "  Fund receipts from Ukraine's revenue share, PV: %s with the approach (P5–P95 %s to %s), %s with the distance only (P5–P95 %s to %s): %s%s, %s.\n",
		money(f(c.Approach.Mean)), money(f(c.Approach.P5)), money(f(c.Approach.P95)), money(f(c.DistanceOnly.Mean)), money(f(c.DistanceOnly.P5)), money(f(c.DistanceOnly.P95)),
		signStr(change), money(math.Abs(change)), shareText)
	ratio := func(n deal.Num) string {
		if math.IsNaN(float64(n)) {
			return "n/a (no US contribution)"
		}
		return fmt.Sprintf("%.4f", float64(n))
	}
	fprintf(w, "  US recovery ratio (mean): %s with the approach, %s with the distance only.\n", ratio(c.USRecoveryApproach), ratio(c.USRecoveryDistanceOnly))
}

func signStr(v float64) string {
	if v < 0 {
		return "−"
	}
	return "+"
}

// planActual sets the ledger's recorded receipts of the fund, year by
// year, beside the simulated fan of the first terms.
func (m *Main) planActual(ctx context.Context, journal string, res *deal.Result, terms *nadra.DealTerms) (*deal.PlanActualReport, error) {
	v, err := m.loadJournal(ctx, journal)
	if err != nil {
		return nil, err
	}
	elig, err := m.licenceEligibility(ctx, terms)
	if err != nil {
		return nil, err
	}
	dv, err := v.Due(ledger.DueOptions{Terms: terms, Eligible: elig})
	if err != nil {
		return nil, err
	}
	due := dv.Due
	rec := deal.RecordedSeries(due.ByYear())
	return &deal.PlanActualReport{Journal: v.Info.Name, Terms: terms.ID, Years: res.PlaceRecorded(0, rec),
		Assumptions: deal.PlanAssumptions(res.Model.Settings)}, nil
}

// printPlanActual prints the recorded receipts beside the fan.
func printPlanActual(w io.Writer, p *deal.PlanActualReport) {
	if p == nil {
		return
	}
	fprintf(w, "\nPlan against actual: the %s journal's recorded receipts of the fund beside the fan of %s\n", p.Journal, p.Terms)
	if len(p.Years) == 0 {
		fprintf(w, "  The journal records no receipt due to the fund and no transfer into it yet.\n")
	} else {
		t := newTab(w)
		fprintf(t, "  YEAR\tSERIES\tRECORDED\tSIMULATED P5\tP50\tP95\tPERCENTILE\t\n")
		for _, y := range p.Years {
			if !y.InModel {
				fprintf(t, "  %d\t%s\t%s\toutside the model's years\t\t\t\t\n", y.Year, y.Series, money(y.Recorded))
				continue
			}
			fprintf(t, "  %d\t%s\t%s\t%s\t%s\t%s\t%s\t(%d of %d paths below, %d equal)\n", y.Year, y.Series, money(y.Recorded),
				money(y.P5), money(y.P50), money(y.P95), pctf(y.Percentile), y.Below, y.Paths, y.Equal)
		}
		t.Flush()
	}
	for _, a := range p.Assumptions {
		fprintf(w, "  - %s\n", wrap(a, 94, "    "))
	}
}

// check refuses absurd flag values with a message that says why, and
// moves the optional flags into the overrides, which Apply checks.
func (f *simulateFlags) check() error {
	switch {
	case f.paths < 1:
		return usagef("--paths %d: at least 1 path is needed (100,000 gives standard errors under 1%% of the means)", f.paths)
	case f.paths > maxPaths:
		return usagef("--paths %d is more than %d: every path is kept for the percentiles, so that many would need about %.1f GB of memory, and the standard error at %d paths is already about 0.1%% of the mean",
			f.paths, maxPaths, float64(f.paths)*184*8/1e9, maxPaths)
	case f.workers < 0 || f.workers > 1024:
		return usagef("--workers %d: expected 0 (all cores) to 1024", f.workers)
	case f.tornadoPaths > maxPaths:
		return usagef("--tornado-paths %d is more than %d", f.tornadoPaths, maxPaths)
	case f.hazard != "distance" && f.hazard != "approach":
		return usagef("--hazard %q: expected distance or approach", nadra.Truncate(f.hazard, 40))
	}
	f.over.Discount, f.over.Inflation, f.over.Coinvest = f.discount.ptr(), f.inflation.ptr(), f.coinvest.ptr()
	f.over.HazardScale, f.over.PriceLevel, f.over.UkraineShare = f.hazardScale.ptr(), f.priceLevel.ptr(), f.share.ptr()
	switch f.ceasefire {
	case "":
	case "none":
		y := 0
		f.over.CeasefireYear = &y
	default:
		y, err := strconv.Atoi(f.ceasefire)
		if err != nil {
			return usagef("--ceasefire-year %q: expected a year such as 2028, or none", f.ceasefire)
		}
		f.over.CeasefireYear = &y
	}
	if f.projects && f.out.csv {
		return usagef("--projects prints a table or, with --json, JSON; --csv is not available for it")
	}
	return nil
}

// optFloat is a float flag that knows whether it was given.
type optFloat struct {
	v   float64
	set bool
}

func (o *optFloat) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.FormatFloat(o.v, 'g', -1, 64)
}

// ptr returns the value, or nil when the flag was not given.
func (o *optFloat) ptr() *float64 {
	if !o.set {
		return nil
	}
	return &o.v
}

func (o *optFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%q is not a number", s)
	}
	o.v, o.set = v, true
	return nil
}

// dumpInputs returns the compiled model as JSON.
func dumpInputs(in deal.Inputs, terms []*nadra.DealTerms) ([]byte, error) {
	mdl, err := deal.Build(in)
	if err != nil {
		return nil, err
	}
	var funds []*deal.Fund
	for _, t := range terms {
		funds = append(funds, mdl.NewFund(t))
	}
	var b bytes.Buffer
	if err := writeJSON(&b, mdl.Export(funds)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Formats shared with the API's plain-sentence summary.
var (
	bn    = deal.Billions
	money = deal.Money
	pctf  = deal.Percent
)

// tonnes formats a quantity in tonnes without spurious digits.
func tonnes(v float64) string {
	if math.Abs(v) < 1000 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return numfmt.Human(v)
}

// workersText says what a run ran on: "with 2 workers, one per core",
// "with 1 worker (of 2 cores)". workers is --workers, 0 for one per core.
func workersText(workers, cores int) string {
	if workers == 0 {
		workers = cores
	}
	w := count(workers, "worker", "workers")
	switch {
	case workers == cores:
		return "with " + w + ", one per core"
	case cores == 1:
		return "with " + w + " on 1 core"
	}
	return fmt.Sprintf("with %s (the machine has %d cores)", w, cores)
}

// hazardPct formats an annual hazard.
func hazardPct(h float64) string {
	if h < 0.00005 {
		return "<0.01%"
	}
	return fmt.Sprintf("%.2f%%", h*100)
}

// metricFormat formats a metric's values by what it measures.
func metricFormat(key string) func(float64) string {
	switch {
	case strings.HasSuffix(key, "_irr"):
		return pctf
	case key == "us_recovery":
		return func(v float64) string {
			if math.IsNaN(v) {
				return "n/a"
			}
			return fmt.Sprintf("%.2f", v)
		}
	case strings.Contains(key, "years"), key == "projects_built":
		return func(v float64) string {
			if math.IsNaN(v) {
				return "never"
			}
			return fmt.Sprintf("%.1f", v)
		}
	}
	return money
}

func printSimulate(w io.Writer, r *deal.Result, snap string, elapsed time.Duration, workers int) {
	m := r.Model
	s := m.Settings
	fprintf(w, "Deal valuation, %d-%d: %d paths, seed %d, %s; control status from the %s.\n",
		s.StartYear, s.EndYear, r.Paths, r.Seed, deal.BasisLabel(s), snap)
	fprintf(w, "Computed in %.2f s %s.\n\n", elapsed.Seconds(), workersText(workers, runtime.GOMAXPROCS(0)))

	fprintf(w, "Projects valued (one per deposit with a resource estimate and a priced, costed product):\n")
	t := newTab(w)
	fprintf(t, "  DEPOSIT\tSTAGE\tKM TO HOSTILE\tHAZARD/YR\tPRODUCT\tCONTAINED\tCAPACITY T/YR\tLIFE YRS\tCAPEX\tLEAD YRS min/mode/max\tCATEGORY\n")
	for _, p := range m.Projects {
		stage := string(p.Stage)
		if stage == "" {
			stage = "unknown"
		}
		for i, l := range p.Lines {
			name, st, km, hz, life, capex, lead, cat := p.DepositID, stage, fmt.Sprintf("%.0f", p.DistanceKm), hazardPct(p.HazardPY),
				fmt.Sprintf("%.1f", p.LifeYears), money(p.CapexUSD), fmt.Sprintf("%g/%g/%g", p.Lead.Min, p.Lead.Mode, p.Lead.Max), p.Category
			if p.Existing {
				lead, capex = "producing", "sunk"
			}
			if i > 0 {
				name, st, km, hz, life, capex, lead, cat = "", "", "", "", "", "", "", ""
			}
			fprintf(t, "  %s\t%s\t%s\t%s\t%s\t%s t %s\t%s\t%s\t%s\t%s\t%s\n", name, st, km, hz, l.Product,
				contained(l), l.Basis, tonnes(l.CapacityTPA), life, capex, lead, cat)
		}
	}
	t.Flush()
	for _, p := range m.Projects {
		for _, n := range p.Notes {
			fprintf(w, "  %s: %s\n", p.DepositID, n)
		}
	}
	if len(m.Lost) > 0 {
		var ids []string
		for _, l := range m.Lost {
			ids = append(ids, l.DepositID)
		}
		fprintf(w, "\nOccupied or grey, so nothing to the fund (%d): %s\n", len(ids), wrap(strings.Join(ids, ", "), 96, "  "))
	}
	fprintf(w, "\nNot valued (listed, never counted as zero):\n")
	for _, s := range r.Missing {
		fprintf(w, "  - %s\n", wrap(s, 96, "    "))
	}

	for _, tr := range r.Terms {
		fprintf(w, "\n%s: %s\n", tr.ID, tr.Name)
		fprintf(w, "  Receipts in the fund's base: %s.\n", listOr(tr.Base, "none"))
		if len(tr.Excluded) > 0 {
			fprintf(w, "  Valued but outside the base: %s.\n", strings.Join(tr.Excluded, ", "))
		}
		t := newTab(w)
		fprintf(t, "  METRIC\tMEAN\t± SE\tP5\tP50\tP95\tP(<0)\tDETERMINISTIC\n")
		for _, mt := range deal.Metrics {
			sm := tr.Metrics[mt.Key]
			f := metricFormat(mt.Key)
			neg := pctf(sm.Negative)
			if strings.Contains(mt.Key, "years") || mt.Key == "projects_built" || strings.HasSuffix(mt.Key, "_pv") && !strings.Contains(mt.Key, "fund") {
				neg = ""
			}
			fprintf(t, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", mt.Label, f(sm.Mean), f(sm.SE), f(sm.P5), f(sm.P50), f(sm.P95), neg, f(tr.Deterministic[mt.Key]))
		}
		t.Flush()
		for _, party := range []string{"us", "ukraine"} {
			sm := tr.Metrics[party+"_years_to_first_distribution"]
			if sm.N < r.Paths {
				fprintf(w, "  %s receives no distribution within the horizon on %s of paths; its years-to-first figures are over the rest.\n",
					strings.TrimSuffix(partyName(party), "'s"), pctf(1-float64(sm.N)/float64(r.Paths)))
			}
		}
		for _, party := range []string{"us", "ukraine"} {
			k := tr.IRRKinds[party]
			fprintf(w, "  IRR of %s flows: unique on %s of paths, no root on %s, several roots (IRR undefined) on %s.\n",
				partyName(party), pctf(k["unique"]), pctf(k["none"]), pctf(k["multiple"]))
		}
		for _, n := range tr.Notes {
			fprintf(w, "  Note: %s\n", wrap(n, 94, "        "))
		}
		fprintf(w, "\n  Fund receipts from Ukraine's revenue share by year (undiscounted; fan chart P5-P95):\n")
		top := 0.0
		for _, y := range tr.Fan {
			top = math.Max(top, y.P95)
		}
		t = newTab(w)
		fprintf(t, "  YEAR\tP5\tP50\tP95\tMEAN\t\n")
		for _, y := range tr.Fan {
			fprintf(t, "  %d\t%s\t%s\t%s\t%s\t%s\n", y.Year, money(y.P5), money(y.P50), money(y.P95), money(y.Mean), fan(y, top, 40))
		}
		t.Flush()
	}
	if r.VS != nil {
		fprintf(w, "\nComparison on the same paths: %s minus %s\n", r.VS.Other, r.VS.Base)
		t := newTab(w)
		fprintf(t, "  METRIC\tMEAN DIFFERENCE\t± SE\tP5\tP50\tP95\tP(<0)\n")
		for _, mt := range deal.Metrics {
			sm := r.VS.Metrics[mt.Key]
			if sm.N == 0 {
				continue
			}
			f := metricFormat(mt.Key)
			fprintf(t, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", mt.Label, f(sm.Mean), f(sm.SE), f(sm.P5), f(sm.P50), f(sm.P95), pctf(sm.Negative))
		}
		t.Flush()
	}
	if tor := r.Tornado; tor != nil {
		fprintf(w, "\nTornado for %s (%d paths per run, common random numbers): mean outcomes with each input at its P10 and P90\n", tor.Terms, tor.Paths)
		fprintf(w, "(parameters with a sourced range at its low and high end). Base: fund receipts %s, US NPV %s, Ukraine NPV %s.\n",
			money(tor.Base["fund_receipts_pv"]), money(tor.Base["us_npv"]), money(tor.Base["ukraine_npv"]))
		t := newTab(w)
		fprintf(t, "  INPUT\tLOW / HIGH\tFUND RECEIPTS PV\tSWING\tUS NPV\tUKRAINE NPV\n")
		for i, row := range tor.Rows {
			if i == 12 {
				fprintf(t, "  (%d more in --json)\t\t\t\t\t\n", len(tor.Rows)-12)
				break
			}
			fprintf(t, "  %s\t%s / %s\t%s .. %s\t%s\t%s .. %s\t%s .. %s\n", row.Input, row.Low, row.High, money(row.FundPVLow), money(row.FundPVHigh),
				money(row.Swing), money(row.USNPVLow), money(row.USNPVHigh), money(row.UANPVLow), money(row.UANPVHigh))
		}
		t.Flush()
	}
	fprintf(w, "\nAssumptions (parameters without a verified source; change them in dataset/model/parameters.csv or by flag):\n")
	for _, v := range r.Assumed {
		scope := ""
		if v.Scope != "" {
			scope = " (" + v.Scope + ")"
		}
		fprintf(w, "  - %s%s = %g %s [%s]\n    %s\n", v.Key, scope, v.Value, v.Unit, v.Status, wrap(v.Note, 94, "    "))
	}
	fprintf(w, "\n%s\n", wrap(deal.Conclusion(r, dataset.Yardstick()), 100, ""))
}

// fan draws one year of the fan chart: the P5-P95 band as dashes and the
// median as a bar, scaled to top.
func fan(y deal.FanYear, top float64, width int) string {
	if top <= 0 {
		return ""
	}
	pos := func(v float64) int { return int(math.Round(v / top * float64(width))) }
	b := []byte(strings.Repeat(" ", width+1))
	for i := pos(y.P5); i <= pos(y.P95) && i <= width; i++ {
		b[i] = '-'
	}
	if p := pos(y.P50); p <= width {
		b[p] = '|'
	}
	return strings.TrimRight("["+string(b), " ")
}

func listOr(l []string, none string) string {
	if len(l) == 0 {
		return none
	}
	return strings.Join(l, ", ")
}

func partyName(p string) string {
	if p == "us" {
		return "US"
	}
	return "Ukraine's"
}

// writeSimulateCSV writes one row per number: terms, section, key, stat,
// value. Sections: metric, deterministic, fan, vs, tornado.
func writeSimulateCSV(w io.Writer, r *deal.Result) error {
	cw := csvfmt.NewWriter(w)
	cw.Write([]string{"terms", "section", "key", "stat", "value"})
	f := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	stats := func(terms, section, key string, s montecarlo.Summary) {
		for _, kv := range []struct {
			k string
			v float64
		}{{"mean", s.Mean}, {"se", s.SE}, {"p5", s.P5}, {"p10", s.P10}, {"p50", s.P50}, {"p90", s.P90}, {"p95", s.P95}, {"p_negative", s.Negative}, {"n", float64(s.N)}} {
			cw.Write([]string{terms, section, key, kv.k, f(kv.v)})
		}
	}
	for _, tr := range r.Terms {
		for _, mt := range deal.Metrics {
			stats(tr.ID, "metric", mt.Key, tr.Metrics[mt.Key])
			cw.Write([]string{tr.ID, "deterministic", mt.Key, "value", f(tr.Deterministic[mt.Key])})
		}
		for _, y := range tr.Fan {
			for _, kv := range []struct {
				k string
				v float64
			}{{"mean", y.Mean}, {"p5", y.P5}, {"p50", y.P50}, {"p95", y.P95}} {
				cw.Write([]string{tr.ID, "fan", strconv.Itoa(y.Year), kv.k, f(kv.v)})
			}
		}
	}
	if r.VS != nil {
		keys := make([]string, 0, len(r.VS.Metrics))
		for k := range r.VS.Metrics {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			stats(r.VS.Other+"-"+r.VS.Base, "vs", k, r.VS.Metrics[k])
		}
	}
	if t := r.Tornado; t != nil {
		for _, row := range t.Rows {
			for _, kv := range []struct {
				k string
				v float64
			}{{"fund_receipts_pv_low", row.FundPVLow}, {"fund_receipts_pv_high", row.FundPVHigh}, {"us_npv_low", row.USNPVLow},
				{"us_npv_high", row.USNPVHigh}, {"ukraine_npv_low", row.UANPVLow}, {"ukraine_npv_high", row.UANPVHigh}, {"swing", row.Swing}} {
				cw.Write([]string{t.Terms, "tornado", row.Input, kv.k, f(kv.v)})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
