package server

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"math"
	"nadra/internal/numfmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"nadra"
	"nadra/deal"
	"nadra/render"
)

// The deal page's Monte Carlo: a modest number of paths so that a slider
// move recomputes in about a tenth of a second, and a tornado of a
// twenty-fifth of them per run (common random numbers keep its ranking
// steady at that size).
const (
	dealPagePaths      = 5_000
	dealPageMinTornado = 100
	dealPageMaxTornado = 1_000
)

// dealPagePathSteps are the paths slider's stops.
var dealPagePathSteps = []int{1_000, 2_000, 5_000, 10_000, 20_000, 50_000}

func (s *Server) registerDealPageRoutes() {
	s.handle("GET /deal", "page", s.handleDealPage)
	s.handle("GET /deal/results", "", s.handleDealResults)
}

// dealPage is the deal page's data.
type dealPage struct {
	Deals      []*nadra.DealTerms
	Scenarios  []nadra.Scenario
	Q          SimulateRequest // as run, defaults filled in
	Terms      *nadra.DealTerms
	Share      float64 // Ukraine's share on the slider
	AidBn      float64
	DiscPct    float64
	PriceLevel float64
	Hazard     float64
	PathsIndex int
	PathSteps  string // JSON
	MaxPathsIx int
	SharePct   string
	PathsText  string
	Results    *dealResults
	// Ceasefire years on offer, and the table's orders.
	CeasefireYears []int
	Ceasefire      int // as run; 0 none
	Sorts          []dealSort
}

// dealSort is one order of the projects table.
type dealSort struct{ Key, Label string }

// dealSorts are the projects table's orders; the first is the default.
var dealSorts = []dealSort{{"fund", "share of the fund's receipts"}, {"state", "the state's receipts"}, {"start", "first output"}, {"name", "name"}}

// dealResults is the part of the page a slider move replaces.
type dealResults struct {
	Res                  *SimulateResult
	Terms                *nadra.DealTerms
	Query                string // the page's query for these results
	Stats                []dealStat
	Receipts, US, UA     template.HTML
	Fan, Tornado         template.HTML
	FanRows              []fanRow
	Plan                 *planView // the ledger's recorded receipts beside the fan; nil when none
	Meta                 string
	Basis                string
	AssumptionCount      int
	ComputedMs, SourceID string
	FundMean             string // for the page's script and tests
	Projects             []projectRow
	ProjectsCaption      string
	Sort                 string
	VS                   string // the other terms' id, when compared
}

// projectRow is one row of the deal page's projects table.
type projectRow struct {
	ID, Name, Verdict, Reason          string
	InBase                             bool
	Products                           []sourcedCell
	Capacity                           []sourcedCell
	Capex, Life, Start                 sourcedCell
	StatePV, DevNPV, FundPV, FundShare string
	ByYear                             string
	start, state, fund                 float64
}

// sourcedCell is a value with where it comes from: "published" (or
// derived from published figures) or "model fallback", and the source.
type sourcedCell struct {
	Value, Basis, Source, Class string
}

type dealStat struct {
	Label, Value, Detail, Class string
	VSValue, VSDetail           string // the same figure under the other terms (vs), if any
}

// headlineStats are the deal page's headline figures for one set of
// terms: the fund's receipts, the US recovery ratio and NPV, Ukraine's
// NPV and the first payout to the US.
func headlineStats(res *SimulateResult, tr deal.TermsReport) []dealStat {
	m := tr.Metrics
	rng := func(sm deal.SummaryReport) string {
		return "P5–P95 " + deal.Money(float64(sm.P5)) + " to " + deal.Money(float64(sm.P95))
	}
	fund := m["fund_receipts_pv"]
	out := []dealStat{{Label: "Fund receipts, PV", Value: deal.Billions(float64(fund.Mean)), Detail: rng(fund), Class: "fund"}}
	if rec := m["us_recovery"]; rec.N > 0 {
		out = append(out, dealStat{Label: "US recovery ratio", Value: ratioText(float64(rec.Mean)),
			Detail: "PV out over PV in; a loss on " + deal.Percent(float64(m["us_npv"].Negative)) + " of paths", Class: "us"})
	} else {
		out = append(out, dealStat{Label: "US recovery ratio", Value: "n/a", Detail: "the US puts nothing in under these terms", Class: "us"})
	}
	out = append(out, dealStat{Label: "US NPV", Value: deal.Money(float64(m["us_npv"].Mean)), Detail: rng(m["us_npv"]), Class: "us"})
	out = append(out, dealStat{Label: "Ukraine NPV", Value: deal.Money(float64(m["ukraine_npv"].Mean)), Detail: rng(m["ukraine_npv"]), Class: "ukraine"})
	if first := m["us_years_to_first_distribution"]; first.N > 0 {
		out = append(out, dealStat{Label: "First payout to the US", Value: strconv.Itoa(res.Settings.StartYear + int(float64(first.P50))),
			Detail: "median; none by " + strconv.Itoa(res.Settings.EndYear) + " on " + deal.Percent(1-float64(first.N)/float64(res.Paths)) + " of paths", Class: "us"})
	} else {
		out = append(out, dealStat{Label: "First payout to the US", Value: "never", Detail: "within the horizon, on every path", Class: "us"})
	}
	return out
}

// planView is plan against actual on the page: the recorded figures,
// each placed among the simulated paths of its year.
type planView struct {
	Journal     string
	Rows        []planRow
	Assumptions []string
}

type planRow struct {
	Year                                       int
	Series, Recorded, P5, P50, P95, Percentile string
	Detail                                     string
	Outside                                    bool // above every path or below every path
}

type fanRow struct {
	Year                         int
	P5, P25, P50, P75, P95, Mean string
}

// seriesLabel names a recorded series for people.
func seriesLabel(s string) string {
	switch s {
	case deal.SeriesDue:
		return "due to the fund"
	case deal.SeriesPaid:
		return "paid in, per UA"
	case deal.SeriesReceived:
		return "received, per the US"
	}
	return s
}

// handleDealPage handles the "GET /deal" route: the deal simulator, with
// the terms, sliders and the results of the query's parameters.
func (s *Server) handleDealPage(w http.ResponseWriter, r *http.Request) {
	q, err := dealQuery(r.URL.Query())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	order, err := dealSortParam(r.URL.Query())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	res, err := s.dealResults(r.Context(), &q, order)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	deals, err := s.deals(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := &dealPage{Deals: deals, Q: q, Terms: res.Terms, Results: res}
	if p.Scenarios, err = s.scenarioList(r.Context()); err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Share = res.Terms.UkraineShare
	if q.UkraineShare != nil {
		p.Share = *q.UkraineShare
	}
	p.SharePct = strconv.FormatFloat(p.Share*100, 'f', 0, 64) + "%"
	p.PathsText = thousandsInt(q.Paths)
	p.AidBn = q.AidUSDPerYear / 1e9
	p.DiscPct = res.Res.Settings.Discount * 100
	p.PriceLevel = res.Res.Settings.PriceLevel
	p.Hazard = res.Res.Settings.HazardScale
	var steps []string
	for i, n := range dealPagePathSteps {
		steps = append(steps, strconv.Itoa(n))
		if n <= res.Res.Paths {
			p.PathsIndex = i
		}
	}
	p.PathSteps = "[" + strings.Join(steps, ",") + "]"
	p.MaxPathsIx = len(dealPagePathSteps) - 1
	p.Ceasefire = res.Res.Settings.CeasefireYear
	for y := res.Res.Settings.StartYear; y <= min(res.Res.Settings.EndYear, res.Res.Settings.StartYear+15); y++ {
		p.CeasefireYears = append(p.CeasefireYears, y)
	}
	p.Sorts = dealSorts
	s.render(w, r, http.StatusOK, "deal", "Deal", p)
}

// handleDealResults handles the "GET /deal/results" route: the results
// part of the deal page as an HTML fragment, for the page's script.
// Errors are JSON.
func (s *Server) handleDealResults(w http.ResponseWriter, r *http.Request) {
	q, err := dealQuery(r.URL.Query())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	order, err := dealSortParam(r.URL.Query())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	res, err := s.dealResults(r.Context(), &q, order)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := s.web.templates["deal"].ExecuteTemplate(&buf, "results", res); err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// dealQuery reads the page's parameters, which have the API's names.
// Errors are EINVALID naming the parameter.
func dealQuery(v url.Values) (SimulateRequest, error) {
	q := SimulateRequest{Deal: v.Get("deal"), VS: v.Get("vs"), Scenario: v.Get("scenario"), Paths: dealPagePaths}
	var err error
	fl := func(key string, dst **float64) {
		if err != nil || v.Get(key) == "" {
			return
		}
		x, perr := strconv.ParseFloat(v.Get(key), 64)
		if perr != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			err = nadra.Errorf(nadra.EINVALID, "%s: %q is not a number", key, v.Get(key))
			return
		}
		*dst = &x
	}
	in := func(key string, dst *int) {
		if err != nil || v.Get(key) == "" {
			return
		}
		x, perr := strconv.Atoi(v.Get(key))
		if perr != nil {
			err = nadra.Errorf(nadra.EINVALID, "%s: %q is not a whole number", key, v.Get(key))
			return
		}
		*dst = x
	}
	var aid *float64
	fl("aid_usd_per_year", &aid)
	if aid != nil {
		q.AidUSDPerYear = *aid
	}
	fl("discount", &q.Discount)
	fl("price_level", &q.PriceLevel)
	fl("hazard_scale", &q.HazardScale)
	fl("ukraine_share", &q.UkraineShare)
	in("paths", &q.Paths)
	in("aid_years", &q.AidYears)
	switch c := v.Get("ceasefire_year"); c {
	case "":
	case "none":
		y := 0
		q.CeasefireYear = &y
	default:
		y, perr := strconv.Atoi(c)
		if perr != nil && err == nil {
			err = nadra.Errorf(nadra.EINVALID, "ceasefire_year: %q is not a year or none", c)
		}
		q.CeasefireYear = &y
	}
	if v.Get("seed") != "" && err == nil {
		x, perr := strconv.ParseUint(v.Get("seed"), 10, 64)
		if perr != nil {
			return q, nadra.Errorf(nadra.EINVALID, "seed: %q is not a whole number from 1", v.Get("seed"))
		}
		q.Seed = x
	}
	q.TornadoPaths = min(max(q.Paths/25, dealPageMinTornado), dealPageMaxTornado)
	return q, err
}

// dealSortParam reads the projects table's order.
func dealSortParam(v url.Values) (string, error) {
	k := v.Get("projects_sort")
	if k == "" {
		return dealSorts[0].Key, nil
	}
	var keys []string
	for _, s := range dealSorts {
		if s.Key == k {
			return k, nil
		}
		keys = append(keys, s.Key)
	}
	return "", nadra.Errorf(nadra.EINVALID, "projects_sort: %q unknown; expected %s", nadra.Truncate(k, 40), strings.Join(keys, ", "))
}

// dealResults runs the page's simulation and draws its charts.
func (s *Server) dealResults(ctx context.Context, q *SimulateRequest, order string) (*dealResults, error) {
	if q.TornadoPaths > s.MaxSimulatePaths/10 {
		q.TornadoPaths = s.MaxSimulatePaths / 10
	}
	res, err := s.simulate(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(res.Terms) == 0 {
		return nil, nadra.Errorf(nadra.EINTERNAL, "simulation without terms")
	}
	tr := res.Terms[0]
	terms, err := s.dealTerms(ctx, "deal", tr.ID)
	if err != nil {
		return nil, err
	}
	out := &dealResults{Res: res, Terms: terms, Basis: deal.BasisLabel(res.Settings), AssumptionCount: len(res.Assumptions), SourceID: tr.ID}
	out.Query = pageQuery(*q)
	if order != dealSorts[0].Key {
		out.Query = joinQuery(out.Query, "projects_sort="+url.QueryEscape(order))
	}
	out.Sort = order
	out.Projects = projectRows(res, order)
	cf := "no ceasefire within the horizon"
	if y := res.Settings.CeasefireYear; y != 0 {
		cf = "a ceasefire in " + strconv.Itoa(y)
	}
	out.ProjectsCaption = fmt.Sprintf("Projects behind the fund under %s, with %s; means over %s paths, PV at %.4g%%", tr.ID, cf, thousandsInt(res.Paths), res.Settings.Discount*100)
	out.ComputedMs = strconv.FormatFloat(res.Seconds*1000, 'f', 0, 64)
	source := fmt.Sprintf("Source: nadra Monte Carlo, %s paths, seed %d, on dataset/deals/%s.yaml and dataset/model.",
		thousandsInt(res.Paths), res.Seed, tr.ID)
	// Headline figures, for the terms and, with vs, the other terms on
	// the same paths beside each.
	out.Stats = headlineStats(res, tr)
	if len(res.Terms) > 1 {
		out.VS = res.Terms[1].ID
		for i, st := range headlineStats(res, res.Terms[1]) {
			out.Stats[i].VSValue, out.Stats[i].VSDetail = st.Value, st.Detail
		}
	}
	out.FundMean = strconv.FormatFloat(float64(tr.Metrics["fund_receipts_pv"].Mean), 'g', 8, 64)
	// Charts.
	pv := "PV, " + shortBasis(res.Settings)
	colors := map[string]string{"fund_receipts_pv": render.ColorFund, "us_npv": render.ColorUS, "ukraine_npv": render.ColorUkraine}
	titles := map[string]string{"fund_receipts_pv": "Fund receipts from Ukraine's share", "us_npv": "US NPV", "ukraine_npv": "Ukraine's NPV"}
	vsHist := map[string]deal.Histogram{}
	for _, h := range res.Histograms {
		if out.VS != "" && h.Terms == out.VS && h.Terms != tr.ID {
			vsHist[h.Metric] = h
		}
	}
	for _, h := range res.Histograms {
		if h.Terms != tr.ID && h.Terms != "" {
			continue
		}
		c := &render.HistogramChart{ID: "hist-" + h.Metric, Title: titles[h.Metric], XLabel: pv, Source: source, Color: colors[h.Metric],
			Lo: float64(h.Lo), Hi: float64(h.Hi), Counts: h.Counts, Below: h.Below, Above: h.Above, N: h.N,
			Mean: float64(h.Mean), P5: float64(h.P5), P50: float64(h.P50), P95: float64(h.P95)}
		if v, ok := vsHist[h.Metric]; ok && v.Lo == h.Lo && v.Hi == h.Hi {
			c.VS = &render.HistogramSeries{Label: v.Terms, Counts: v.Counts, N: v.N, Mean: float64(v.Mean)}
		}
		svg, err := svgString(c.WriteSVG)
		if err != nil {
			return nil, err
		}
		switch h.Metric {
		case "fund_receipts_pv":
			out.Receipts = svg
		case "us_npv":
			out.US = svg
		case "ukraine_npv":
			out.UA = svg
		}
	}
	fan := &render.FanChart{ID: "fan", Title: "Fund receipts by year", Color: render.ColorFund, Source: source,
		Subtitle: "From Ukraine's share of the state's receipts.", YLabel: "a year, undiscounted, " + unitBasis(res.Settings)}
	for _, y := range tr.Fan {
		fan.Years = append(fan.Years, y.Year)
		fan.P5, fan.P25, fan.P50 = append(fan.P5, float64(y.P5)), append(fan.P25, float64(y.P25)), append(fan.P50, float64(y.P50))
		fan.P75, fan.P95, fan.Mean = append(fan.P75, float64(y.P75)), append(fan.P95, float64(y.P95)), append(fan.Mean, float64(y.Mean))
		out.FanRows = append(out.FanRows, fanRow{y.Year, deal.Money(float64(y.P5)), deal.Money(float64(y.P25)), deal.Money(float64(y.P50)),
			deal.Money(float64(y.P75)), deal.Money(float64(y.P95)), deal.Money(float64(y.Mean))})
	}
	if len(res.Terms) > 1 && out.VS != tr.ID && len(res.Terms[1].Fan) == len(tr.Fan) {
		vs := &render.FanSeries{Label: out.VS}
		for i, y := range res.Terms[1].Fan {
			if y.Year != tr.Fan[i].Year {
				vs = nil
				break
			}
			vs.P5, vs.P50, vs.P95 = append(vs.P5, float64(y.P5)), append(vs.P50, float64(y.P50)), append(vs.P95, float64(y.P95))
		}
		fan.VS = vs
	}
	if p := res.PlanActual; p != nil {
		out.Plan = &planView{Journal: p.Journal, Assumptions: p.Assumptions}
		fan.RecordedLabel = "recorded, " + p.Journal + " journal"
		for _, y := range p.Years {
			fan.Recorded = append(fan.Recorded, render.FanPoint{Year: y.Year, Value: y.Recorded, Label: seriesLabel(y.Series)})
			row := planRow{Year: y.Year, Series: seriesLabel(y.Series), Recorded: deal.Money(y.Recorded)}
			if y.InModel {
				row.P5, row.P50, row.P95 = deal.Money(y.P5), deal.Money(y.P50), deal.Money(y.P95)
				row.Percentile = fmt.Sprintf("%.1f%%", 100*y.Percentile)
				row.Detail = fmt.Sprintf("%s of %s paths below, %s equal", thousandsInt(y.Below), thousandsInt(y.Paths), thousandsInt(y.Equal))
				row.Outside = y.Below == y.Paths || y.Below+y.Equal == 0
			} else {
				row.Detail = "outside the model's years"
			}
			out.Plan.Rows = append(out.Plan.Rows, row)
		}
	}
	if out.Fan, err = svgString(fan.WriteSVG); err != nil {
		return nil, err
	}
	tor := &render.TornadoChart{ID: "tornado", Title: "What moves the fund's receipts", XLabel: "mean " + pv,
		LowLabel: "P10 / low", HighLabel: "P90 / high"}
	if t := res.Tornado; t != nil {
		tor.Subtitle = fmt.Sprintf("Mean PV with each input at its P10 and P90; %s paths a run.", thousandsInt(t.Paths))
		tor.Base = t.Base["fund_receipts_pv"]
		tor.Source = fmt.Sprintf("Source: nadra Monte Carlo, common random numbers, seed %d; ranges from dataset/model.", res.Seed)
		for i, row := range t.Rows {
			if i == 10 {
				break
			}
			tor.Bars = append(tor.Bars, render.TornadoBar{Input: row.Input, Low: row.Low, High: row.High, AtLow: row.FundPVLow, AtHigh: row.FundPVHigh})
		}
	}
	if out.Tornado, err = svgString(tor.WriteSVG); err != nil {
		return nil, err
	}
	cached := ""
	if res.Cached {
		cached = ", from the cache"
	}
	out.Meta = fmt.Sprintf("%s paths, seed %d, %s; control status from the %s. Computed in %s ms%s.",
		thousandsInt(res.Paths), res.Seed, out.Basis, res.Control, out.ComputedMs, cached)
	return out, nil
}

// ratioText writes a recovery ratio: "2.04×", or under a tenth as a
// percentage ("0.30%"), which "0.00×" would hide.
func ratioText(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case v >= 0.1:
		return strconv.FormatFloat(v, 'f', 2, 64) + "×"
	case v >= 0.001:
		return strconv.FormatFloat(v*100, 'f', 2, 64) + "%"
	}
	return strconv.FormatFloat(v*100, 'f', 3, 64) + "%"
}

// shortBasis is the run's basis for an axis label.
func shortBasis(s deal.Settings) string {
	return fmt.Sprintf("%s, %.4g%% discount", unitBasis(s), s.Discount*100)
}

// unitBasis says what a dollar is in a run.
func unitBasis(s deal.Settings) string {
	if s.Nominal {
		return "nominal USD"
	}
	return "real 2023-25 USD"
}

// pageQuery is the page's query string for a request, only the values
// that differ from the defaults.
func pageQuery(q SimulateRequest) string {
	v := url.Values{}
	if q.Deal != "" && q.Deal != "urif-2025" {
		v.Set("deal", q.Deal)
	}
	if q.VS != "" {
		v.Set("vs", q.VS)
	}
	if q.Paths != dealPagePaths {
		v.Set("paths", strconv.Itoa(q.Paths))
	}
	if q.Seed > 1 {
		v.Set("seed", strconv.FormatUint(q.Seed, 10))
	}
	if q.Scenario != "" {
		v.Set("scenario", q.Scenario)
	}
	f := func(k string, p *float64) {
		if p != nil {
			v.Set(k, strconv.FormatFloat(*p, 'g', -1, 64))
		}
	}
	if q.AidUSDPerYear != 0 {
		v.Set("aid_usd_per_year", strconv.FormatFloat(q.AidUSDPerYear, 'g', -1, 64))
	}
	if q.AidYears != 0 {
		v.Set("aid_years", strconv.Itoa(q.AidYears))
	}
	f("discount", q.Discount)
	f("price_level", q.PriceLevel)
	f("hazard_scale", q.HazardScale)
	f("ukraine_share", q.UkraineShare)
	if q.CeasefireYear != nil {
		if *q.CeasefireYear == 0 {
			v.Set("ceasefire_year", "none")
		} else {
			v.Set("ceasefire_year", strconv.Itoa(*q.CeasefireYear))
		}
	}
	return v.Encode()
}

func joinQuery(a, b string) string {
	if a == "" {
		return b
	}
	return a + "&" + b
}

// projectRows builds the projects table from a simulation, in the order
// asked.
func projectRows(res *SimulateResult, order string) []projectRow {
	results := map[string]deal.ProjectReport{}
	for _, r := range res.ProjectResults {
		results[r.DepositID] = r
	}
	cell := func(p deal.Project, input, commodity, value string) sourcedCell {
		for _, c := range p.Calibration {
			if c.Input == input && (commodity == "" || c.Commodity == commodity) {
				class, basis := "model", "model fallback"
				if c.Basis == deal.BasisPublished || c.Basis == deal.BasisDerived {
					class, basis = "published", c.Basis
				}
				src := c.Source
				if c.Note != "" {
					src += ". " + c.Note
				}
				return sourcedCell{Value: value, Basis: basis, Source: src, Class: class}
			}
		}
		return sourcedCell{Value: value}
	}
	var rows []projectRow
	for _, p := range res.Projects {
		r := results[p.DepositID]
		row := projectRow{ID: p.DepositID, Name: p.Name, StatePV: deal.Money(float64(r.StatePV.Mean)), DevNPV: deal.Money(float64(r.DeveloperNPV.Mean)),
			state: float64(r.StatePV.Mean), start: math.Inf(1)}
		if len(r.Terms) > 0 {
			t := r.Terms[0]
			row.Verdict, row.Reason, row.InBase = strings.ReplaceAll(t.Eligibility.Verdict, "_", " "), t.Eligibility.Reason, t.InBase
			row.FundPV, row.FundShare, row.fund = deal.Money(float64(t.FundPV.Mean)), deal.Percent(float64(t.FundShare)), float64(t.FundPV.Mean)
			if math.IsNaN(row.fund) {
				row.fund = 0
			}
		}
		for _, l := range p.Lines {
			row.Products = append(row.Products, cell(p, "product", l.Commodity, l.Product))
			row.Capacity = append(row.Capacity, cell(p, deal.InputCapacity, l.Commodity, numfmt.Human(l.CapacityTPA)+" t"))
		}
		if p.Existing {
			row.Capex = sourcedCell{Value: "producing", Basis: "no capex", Class: "published", Source: "producing at the start"}
			row.Start = cell(p, deal.InputExisting, "", "producing")
		} else {
			row.Capex = cell(p, deal.InputCapex, "", deal.Money(p.CapexUSD))
			start := "never"
			if r.StartYear.N > 0 {
				start = fmt.Sprintf("%.0f–%.0f, median %.0f; built on %s", float64(r.StartYear.P5), float64(r.StartYear.P95), float64(r.StartYear.P50), deal.Percent(float64(r.BuiltShare)))
				row.start = float64(r.StartYear.P50)
			}
			if p.WaitsForCeasefire {
				start += "; waits on the ceasefire"
			}
			row.Start = cell(p, deal.InputLead, "", start)
		}
		row.Life = cell(p, "life_years", "", strconv.FormatFloat(p.LifeYears, 'f', 1, 64)+" years")
		var years []string
		for i, x := range r.StateByYear {
			if float64(x) > 0 {
				years = append(years, strconv.Itoa(res.Settings.StartYear+i)+": "+deal.Money(float64(x)))
			}
		}
		row.ByYear = strings.Join(years, ", ")
		if row.ByYear == "" {
			row.ByYear = "none within the horizon"
		}
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		switch order {
		case "state":
			return a.state > b.state
		case "start":
			return a.start < b.start
		case "name":
			return a.Name < b.Name
		}
		return a.fund > b.fund || a.fund == b.fund && a.state > b.state
	})
	return rows
}

func svgString(write func(io.Writer) error) (template.HTML, error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// thousandsInt writes n with comma separators.
func thousandsInt(n int) string { return numfmt.Thousands(float64(n)) }
