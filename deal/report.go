package deal

import (
	"math"
	"strconv"
	"strings"

	"nadra"
	"nadra/montecarlo"
)

// Report is a simulation as plain data: what "nadra simulate --json"
// prints and what POST /api/v1/simulate returns. Amounts are US dollars
// in the run's basis (Settings), rates are fractions, and values that do
// not exist (an IRR without a root, the mean of no paths) are null.
type Report struct {
	Paths       int               `json:"paths"`
	Seed        uint64            `json:"seed"`
	Control     string            `json:"control_status" doc:"Where the deposits' control status comes from: the latest snapshot or a scenario."`
	Seconds     float64           `json:"seconds" doc:"Time the simulation took."`
	Settings    Settings          `json:"settings"`
	Projects    []Project         `json:"projects" doc:"One per deposit with a resource estimate and a priced, costed product, with the assumptions behind it."`
	Lost        []NotValued       `json:"occupied_or_grey" doc:"Deposits that yield nothing to the fund because they are occupied or in the grey zone."`
	NotValued   []NotValued       `json:"not_valued" doc:"Deposits left out, with the reason: listed, never counted as zero."`
	Commodities []string          `json:"commodities"`
	Volatility  []float64         `json:"volatility"`
	Correlation []float64         `json:"correlation"`
	Terms       []TermsReport     `json:"terms"`
	VS          *VSReport         `json:"vs,omitempty" doc:"The second terms minus the first, path by path, when two are compared."`
	Tornado     *Tornado          `json:"tornado,omitempty"`
	Missing     []string          `json:"missing" doc:"Parameters the model could not find, and what it does instead."`
	Assumptions []ValueReport     `json:"assumptions" doc:"Parameters without a verified source that the run rests on."`
	Conclusion  string            `json:"conclusion" doc:"The plain-sentence summary."`
	Histograms  []Histogram       `json:"histograms,omitempty" doc:"Distributions over the paths of the fund's receipts (PV) and each party's NPV, for each set of terms (the first, and vs if asked), by metric then terms; with vs, both on one range so that they can be overlaid."`
	PlanActual  *PlanActualReport `json:"plan_against_actual,omitempty" doc:"The ledger's recorded receipts beside the fan: where the real path falls among the simulated ones, by year."`
	// HazardComparison, with nadra simulate --hazard approach, sets the
	// fund's value under the approach hazard beside the distance-only one.
	HazardComparison *HazardComparison `json:"hazard_comparison,omitempty"`
	ProjectResults   []ProjectReport   `json:"project_results" doc:"Per project: eligibility under each set of terms and why, the start-year distribution, the state's receipts (PV and by year), the developer's NPV and the project's share of the fund's receipts. Inputs and their sources are in projects[].calibration."`
}

// ProjectReport is a ProjectResult with null for values that do not
// exist.
type ProjectReport struct {
	DepositID    string               `json:"deposit_id"`
	Name         string               `json:"name"`
	Commodities  []string             `json:"commodities"`
	BuiltShare   Num                  `json:"built_share" doc:"Share of paths on which the project produces within the horizon."`
	StartYear    SummaryReport        `json:"start_year" doc:"Year of first production, over the paths on which it produces."`
	StatePV      SummaryReport        `json:"state_receipts_pv" doc:"PV of the state's receipts from the project: its take (rent or PSA share) and CIT."`
	DeveloperNPV SummaryReport        `json:"developer_npv" doc:"NPV of the developer's cash after take, tax and capex, at the run's discount rate."`
	StateByYear  []Num                `json:"state_receipts_by_year" doc:"Mean of the state's receipts from the project by year, undiscounted, from the first year of the horizon."`
	Terms        []ProjectTermsReport `json:"terms"`
}

// ProjectTermsReport is a project under one set of terms.
type ProjectTermsReport struct {
	Terms       string            `json:"terms"`
	Eligibility nadra.Eligibility `json:"eligibility"`
	InBase      bool              `json:"in_base"`
	FundPV      SummaryReport     `json:"fund_receipts_pv"`
	FundShare   Num               `json:"fund_share" doc:"Mean PV of the fund's receipts from the project over the mean PV of all its receipts."`
}

// ProjectReports converts per-project results for a report.
func ProjectReports(rs []ProjectResult) []ProjectReport {
	out := []ProjectReport{}
	for _, r := range rs {
		pr := ProjectReport{DepositID: r.DepositID, Name: r.Name, Commodities: r.Commodities, BuiltShare: Num(r.Built),
			StartYear: Summary(r.Start), StatePV: Summary(r.StatePV), DeveloperNPV: Summary(r.DeveloperNPV)}
		for _, x := range r.StateByYear {
			pr.StateByYear = append(pr.StateByYear, Num(x))
		}
		for _, t := range r.Terms {
			pr.Terms = append(pr.Terms, ProjectTermsReport{t.Terms, t.Eligibility, t.InBase, Summary(t.FundPV), Num(t.FundShare)})
		}
		out = append(out, pr)
	}
	return out
}

// TermsReport is one set of terms' results.
type TermsReport struct {
	ID              string                        `json:"id"`
	Name            string                        `json:"name"`
	Status          string                        `json:"status"`
	Overrides       []string                      `json:"overrides,omitempty"`
	Metrics         map[string]SummaryReport      `json:"metrics"`
	Deterministic   map[string]Num                `json:"deterministic"`
	IRRKinds        map[string]map[string]float64 `json:"irr_kinds"`
	RecoveryOfMeans Num                           `json:"us_recovery_of_means"`
	Fan             []FanReport                   `json:"fund_receipts_by_year"`
	Notes           []string                      `json:"notes"`
	Base            []string                      `json:"base"`
	Excluded        []string                      `json:"excluded"`
}

// SummaryReport is a montecarlo.Summary with null for values that do not
// exist.
type SummaryReport struct {
	N        int `json:"n"`
	Mean     Num `json:"mean"`
	SE       Num `json:"se"`
	SD       Num `json:"sd"`
	P5       Num `json:"p5"`
	P10      Num `json:"p10"`
	P25      Num `json:"p25"`
	P50      Num `json:"p50"`
	P75      Num `json:"p75"`
	P90      Num `json:"p90"`
	P95      Num `json:"p95"`
	Negative Num `json:"p_negative"`
}

// FanReport is one year of the fund's receipts.
type FanReport struct {
	Year int `json:"year"`
	Mean Num `json:"mean"`
	P5   Num `json:"p5"`
	P25  Num `json:"p25"`
	P50  Num `json:"p50"`
	P75  Num `json:"p75"`
	P95  Num `json:"p95"`
}

// VSReport is the comparison of two terms on the same paths.
type VSReport struct {
	Base    string                   `json:"base"`
	Other   string                   `json:"other"`
	Metrics map[string]SummaryReport `json:"metrics"`
}

// ValueReport is a model parameter as reported, null where it has no
// range.
type ValueReport struct {
	Key    string
	Scope  string
	Unit   string
	Status string
	Source string
	Note   string
	Value  Num
	Low    Num
	High   Num
}

// Num is a JSON number that is null when it is not finite.
type Num float64

// MarshalJSON implements json.Marshaler.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

// Summary converts a summary for a report.
func Summary(s montecarlo.Summary) SummaryReport {
	return SummaryReport{s.N, Num(s.Mean), Num(s.SE), Num(s.SD), Num(s.P5), Num(s.P10), Num(s.P25), Num(s.P50), Num(s.P75), Num(s.P90), Num(s.P95), Num(s.Negative)}
}

// ControlLabel says where a run's control statuses come from, for
// reports: "latest control snapshot 2026-08-22", or "scenario
// four-oblasts (occupied@latest | ...)" for the scenario expression the
// access report rep was evaluated under.
func ControlLabel(scenario string, rep *nadra.AccessReport) string {
	if strings.TrimSpace(scenario) == "" {
		return "latest control snapshot " + rep.Snapshot
	}
	if label, ok := strings.CutPrefix(rep.Snapshot, "scenario: "); ok {
		return "scenario " + label
	}
	return "scenario " + scenario + " (snapshot " + rep.Snapshot + ")"
}

// NewReport turns a result into a report. control says where the control
// status came from, seconds how long the run took; the conclusion is
// written against the yardstick.
func NewReport(r *Result, control string, seconds float64, y Yardstick) *Report {
	out := &Report{Paths: r.Paths, Seed: r.Seed, Control: control, Seconds: seconds, Settings: r.Model.Settings, Projects: r.Model.Projects,
		Lost: r.Model.Lost, NotValued: r.Model.NotValued, Commodities: r.Model.Commodities, Volatility: r.Model.Vol, Correlation: r.Model.Corr,
		Tornado: r.Tornado, Missing: r.Missing, Conclusion: Conclusion(r, y), ProjectResults: ProjectReports(r.Projects)}
	for _, tr := range r.Terms {
		tv := TermsReport{ID: tr.ID, Name: tr.Name, Status: tr.Status, Overrides: tr.Overrides, Metrics: map[string]SummaryReport{}, Deterministic: map[string]Num{},
			IRRKinds: tr.IRRKinds, RecoveryOfMeans: Num(tr.RecoveryOfMeans), Notes: tr.Notes, Base: tr.Base, Excluded: tr.Excluded}
		for k, v := range tr.Metrics {
			tv.Metrics[k] = Summary(v)
		}
		for k, v := range tr.Deterministic {
			tv.Deterministic[k] = Num(v)
		}
		for _, y := range tr.Fan {
			tv.Fan = append(tv.Fan, FanReport{y.Year, Num(y.Mean), Num(y.P5), Num(y.P25), Num(y.P50), Num(y.P75), Num(y.P95)})
		}
		out.Terms = append(out.Terms, tv)
	}
	if r.VS != nil {
		v := &VSReport{Base: r.VS.Base, Other: r.VS.Other, Metrics: map[string]SummaryReport{}}
		for k, s := range r.VS.Metrics {
			v.Metrics[k] = Summary(s)
		}
		out.VS = v
	}
	for _, v := range r.Assumed {
		out.Assumptions = append(out.Assumptions, ValueReport{v.Key, v.Scope, v.Unit, v.Status, v.Source, v.Note, Num(v.Value), Num(v.Low), Num(v.High)})
	}
	return out
}

// Histogram counts one metric's values over the paths in bins of equal
// width between Lo and Hi, the 0.5th and 99.5th percentiles: the few
// paths beyond are counted in Below and Above rather than stretching the
// axis.
type Histogram struct {
	Metric string `json:"metric"`
	Label  string `json:"label"`
	Terms  string `json:"terms"`
	Lo     Num    `json:"lo"`
	Hi     Num    `json:"hi"`
	Counts []int  `json:"counts"`
	Below  int    `json:"below"`
	Above  int    `json:"above"`
	N      int    `json:"n" doc:"Paths with a value."`
	Mean   Num    `json:"mean"`
	P5     Num    `json:"p5"`
	P50    Num    `json:"p50"`
	P95    Num    `json:"p95"`
}

// Histogram returns the histogram of metric key (a key of Metrics) for
// the k-th set of terms, in bins bins.
func (r *Result) Histogram(k int, key string, bins int) Histogram {
	return r.histogram(k, key, bins, math.NaN(), math.NaN())
}

// SharedHistograms returns the histograms of metric key for every set of
// terms on one range, the widest of each set's own (its paths' 0.5th to
// 99.5th percentiles), so that they can be drawn over each other.
func (r *Result) SharedHistograms(key string, bins int) []Histogram {
	var out []Histogram
	lo, hi := math.Inf(1), math.Inf(-1)
	for k := range r.Terms {
		h := r.Histogram(k, key, bins)
		if !math.IsNaN(float64(h.Lo)) {
			lo, hi = math.Min(lo, float64(h.Lo)), math.Max(hi, float64(h.Hi))
		}
		out = append(out, h)
	}
	if len(out) < 2 || math.IsInf(lo, 0) {
		return out
	}
	for k := range out {
		if !math.IsNaN(float64(out[k].Lo)) {
			out[k] = r.histogram(k, key, bins, lo, hi)
		}
	}
	return out
}

// histogram is Histogram on the range lo to hi, or on the paths' own
// (0.5th to 99.5th percentile) when they are NaN.
func (r *Result) histogram(k int, key string, bins int, lo, hi float64) Histogram {
	col := -1
	label := key
	for _, mt := range Metrics {
		if mt.Key == key {
			col, label = mt.Col, mt.Label
		}
	}
	h := Histogram{Metric: key, Label: label, Counts: make([]int, max(1, bins))}
	if k < len(r.Terms) {
		h.Terms = r.Terms[k].ID
	}
	if col < 0 || r.Results == nil || k >= len(r.Terms) {
		h.Lo, h.Hi, h.Mean, h.P5, h.P50, h.P95 = Num(math.NaN()), Num(math.NaN()), Num(math.NaN()), Num(math.NaN()), Num(math.NaN()), Num(math.NaN())
		return h
	}
	res := r.Results
	off := k*r.Model.Width() + col
	xs := make([]float64, 0, res.Paths)
	for i := 0; i < res.Paths; i++ {
		if x := res.Data[i*res.Width+off]; !math.IsNaN(x) {
			xs = append(xs, x)
		}
	}
	s := r.Terms[k].Metrics[key]
	h.N, h.Mean, h.P5, h.P50, h.P95 = len(xs), Num(s.Mean), Num(s.P5), Num(s.P50), Num(s.P95)
	if len(xs) == 0 {
		h.Lo, h.Hi = Num(math.NaN()), Num(math.NaN())
		return h
	}
	if math.IsNaN(lo) || math.IsNaN(hi) {
		q := make([]float64, 2)
		montecarlo.Quantiles(append([]float64(nil), xs...), []float64{0.005, 0.995}, q)
		lo, hi = q[0], q[1]
	}
	if hi <= lo { // every path the same: a bin around it
		d := math.Max(math.Abs(lo)*0.05, 1)
		lo, hi = lo-d, hi+d
	}
	h.Lo, h.Hi = Num(lo), Num(hi)
	w := (hi - lo) / float64(len(h.Counts))
	for _, x := range xs {
		switch {
		case x < lo:
			h.Below++
		case x > hi:
			h.Above++
		default:
			h.Counts[min(len(h.Counts)-1, int((x-lo)/w))]++
		}
	}
	return h
}
