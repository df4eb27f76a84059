package server

import (
	"context"
	"errors"
	"html/template"
	"math"
	"nadra/internal/numfmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"nadra"
	"nadra/render"
	"nadra/supply"

	"github.com/danielgtaylor/huma/v2"
)

// SupplyOverviewInput is the supply overview's query.
type SupplyOverviewInput struct {
	Year int `query:"year" minimum:"0" maximum:"9999" doc:"Year; default the latest with data, per commodity." example:"2024"`
}

// SupplyOverviewOutput is one row per commodity.
type SupplyOverviewOutput struct {
	Body struct {
		Commodities []supply.OverviewRow `json:"commodities"`
		Notes       []string             `json:"notes"`
	}
}

// SupplyInput is one commodity's supply report and what-if.
type SupplyInput struct {
	Commodity     string   `path:"commodity" doc:"Supply commodity code, e.g. lithium, rare_earths (see /supply)." example:"lithium"`
	Stage         string   `query:"stage" doc:"mine or refining. Default: mine where there is one."`
	Year          int      `query:"year" minimum:"0" maximum:"9999" doc:"Year. Default: the latest with data."`
	Add           []string `query:"add,explode" doc:"What-if: add Q per year, in the table's unit, to country CC (ISO 3166-1 alpha-2), as CC:Q; repeat the parameter or separate with commas (no thousands separators). Together at most 100 times the table's world production." example:"UA:40000"`
	AddAccessible string   `query:"add_accessible" doc:"What-if: add to Ukraine the potential annual output (Taylor's rule) of the registry's deposits that are controlled under this scenario expression or shipped id; latest for the latest control snapshot." example:"ceasefire-latest"`
	Deposits      string   `query:"deposits" doc:"Comma-separated deposit ids: only these deposits' potential; without add_accessible they are added whatever their status." example:"dobra,polokhivske"`
	Recovery      float64  `query:"recovery" default:"1" exclusiveMinimum:"0" maximum:"1" doc:"Fraction of contained metal recovered (1: no losses, an upper bound)."`
}

// SupplyOutput is the report.
type SupplyOutput struct {
	Body *supply.Report
}

func (s *Server) registerSupplyRoutes() {
	register(s, s.api, huma.Operation{
		OperationID: "get-supply-overview",
		Method:      http.MethodGet,
		Path:        "/supply",
		Summary:     "World supply by commodity",
		Description: "One row per commodity: China's share of world production, the Herfindahl-Hirschman index (0-10,000), the top producer, China's refining share where known, US net import reliance, and the deposits Ukraine's registry holds. Every figure's table is in the sources of GET /supply/{commodity}.",
		Tags:        []string{"supply"},
	}, s.handleSupplyIndex)
	register(s, s.api, huma.Operation{
		OperationID: "get-supply",
		Method:      http.MethodGet,
		Path:        "/supply/{commodity}",
		Summary:     "One commodity's supply and a what-if",
		Description: "Country shares, HHI, China's and the top three producers' shares, the governance-weighted HHI, the EU supply-risk indicator and US import reliance for one commodity, stage and year; with add, add_accessible or deposits, the same before and after adding supply, the change, and every assumption.",
		Tags:        []string{"supply"},
	}, s.handleSupplyView)
}

// supplyNotes explain the overview's columns.
var supplyNotes = []string{
	"china_share and hhi are shares of the sum of the table's rows and the Herfindahl-Hirschman index (0-10,000) of named producers; hhi_lower_bound marks an 'other countries' row or a share-only table.",
	"china_refining_share is China's share of the commodity's refining table, latest year; lithium, cobalt and graphite are approximate shares quoted from the IEA by a weak source.",
	"us_import_reliance is USGS net import reliance (E: net exporter).",
}

// handleSupplyIndex handles the "GET /api/v1/supply" route.
func (s *Server) handleSupplyIndex(ctx context.Context, in *SupplyOverviewInput) (*SupplyOverviewOutput, error) {
	inputs, err := s.supplyInputs(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := supply.Overview(inputs, in.Year)
	if err != nil {
		return nil, err
	}
	out := &SupplyOverviewOutput{}
	out.Body.Commodities, out.Body.Notes = rows, supplyNotes
	return out, nil
}

// handleSupplyView handles the "GET /api/v1/supply/{commodity}" route.
func (s *Server) handleSupplyView(ctx context.Context, in *SupplyInput) (*SupplyOutput, error) {
	q, err := supplyQuery(in)
	if err != nil {
		return nil, err
	}
	inputs, err := s.supplyInputs(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := supply.NewReport(inputs, q)
	if err != nil {
		return nil, supplyError(err)
	}
	if rep.CRMA, err = s.crma(ctx, inputs, rep, q.Recovery); err != nil {
		return nil, err
	}
	return &SupplyOutput{Body: rep}, nil
}

// crma runs the EU CRMA 65% benchmark on a report's series: today, with
// the Ukrainian supply accessible on the latest line, and under each
// shipped scenario.
func (s *Server) crma(ctx context.Context, in supply.Inputs, rep *supply.Report, recovery float64) (*supply.CRMATest, error) {
	sc, err := s.scenarioList(ctx)
	if err != nil {
		return nil, err
	}
	var named []supply.NamedScenario
	for _, x := range sc {
		named = append(named, supply.NamedScenario{ID: x.ID, Name: x.Name, Expression: x.Expression})
	}
	return supply.CRMA(in, rep.Commodity, rep.Stage, rep.Year, named, recovery)
}

// supplyQuery checks the parameters, naming the bad one.
func supplyQuery(in *SupplyInput) (supply.Query, error) {
	q := supply.Query{Commodity: in.Commodity, Stage: strings.TrimSpace(in.Stage), Year: in.Year, Recovery: in.Recovery}
	if q.Recovery == 0 {
		q.Recovery = 1
	}
	if q.Stage != "" && !nadra.ValidSupplyStage(q.Stage) {
		return q, nadra.Errorf(nadra.EINVALID, "stage: %q; expected mine or refining.", q.Stage)
	}
	for _, v := range in.Add {
		for _, kv := range strings.Split(v, ",") {
			if strings.TrimSpace(kv) == "" {
				continue
			}
			p, err := supply.ParseAddition(kv)
			if err != nil {
				return q, nadra.Errorf(nadra.EINVALID, "add: %s", nadra.ErrorMessage(err))
			}
			q.Add = append(q.Add, p)
		}
	}
	if x := strings.TrimSpace(in.AddAccessible); x != "" {
		q.Accessible = &x
	}
	for _, id := range strings.Split(in.Deposits, ",") {
		if id = strings.TrimSpace(id); id != "" {
			q.Deposits = append(q.Deposits, id)
		}
	}
	return q, nil
}

// supplyError names the parameter a report's error is about.
func supplyError(err error) error {
	var qe *supply.QueryError
	code := nadra.ErrorCode(err)
	if !errors.As(err, &qe) || code == nadra.EINTERNAL {
		return err
	}
	param := qe.Field
	if param == "accessible" {
		param = "add_accessible"
	}
	msg := nadra.ErrorMessage(err)
	if !strings.HasPrefix(msg, param+":") {
		msg = param + ": " + msg
	}
	return nadra.Errorf(code, "%s", msg)
}

// supplyInputs returns the supply tables (re-read at most every
// registryTTL), the registry, and statuses under a scenario from the
// scenario cache.
func (s *Server) supplyInputs(ctx context.Context) (supply.Inputs, error) {
	data, err := s.supplyData(ctx)
	if err != nil {
		return supply.Inputs{}, err
	}
	reg, _, _, err := s.access.state(ctx)
	if err != nil {
		return supply.Inputs{}, err
	}
	return supply.Inputs{Data: data, Deposits: reg.Deposits, Estimates: reg.Estimates,
		Statuses: func(expr string) (map[string]nadra.Status, string, error) {
			return s.scenarioStatuses(ctx, "add_accessible", expr)
		}}, nil
}

// supplyCache holds the supply tables for registryTTL.
type supplyCache struct {
	mu   sync.Mutex
	at   time.Time
	data *nadra.SupplyData
}

func (s *Server) supplyData(ctx context.Context) (*nadra.SupplyData, error) {
	c := &s.supplyTables
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data != nil && time.Since(c.at) < s.cacheTTL() {
		return c.data, nil
	}
	d, err := s.Supply.FindSupplyData(ctx)
	if err != nil {
		return nil, err
	}
	c.data, c.at = d, time.Now()
	return d, nil
}

// supplyPage is the supply page's data.
type supplyPage struct {
	Overview  []overviewItem
	Commodity string
	Stage     string
	Stages    []string
	Year      int
	Years     []int
	Report    *supply.Report
	Countries []*nadra.Country
	Scenarios []nadra.Scenario
	// The what-if as asked.
	AddCountry, AddQty, Accessible, Deposits string
	WhatIf                                   bool
	Error                                    *ErrorResponse
	Chart, ChartNarrow                       template.HTML
	Producers                                []producerRow
	Metrics                                  []metricRow
}

type overviewItem struct {
	supply.OverviewRow
	TopName  string
	Selected bool
}

type producerRow struct {
	Country, Name         string
	Before, After         float64 // shares
	QtyBefore, QtyAfter   float64
	Change                float64
	HasAfter, Added, Gone bool
}

type metricRow struct {
	Name, Before, After, Change, Title string
	Key                                string
}

// handleSupplyPage handles the "GET /supply" route: every commodity's
// supply concentration; for ?commodity= the country shares as bars, HHI
// and China's share, and a what-if (?add_country=, ?add_qty=,
// ?add_accessible=) shown before and after.
func (s *Server) handleSupplyPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	inputs, err := s.supplyInputs(ctx)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := &supplyPage{Commodity: q.Get("commodity"), Stage: q.Get("stage"), AddCountry: strings.ToUpper(strings.TrimSpace(q.Get("add_country"))),
		AddQty: strings.TrimSpace(q.Get("add_qty")), Accessible: strings.TrimSpace(q.Get("add_accessible")), Deposits: strings.TrimSpace(q.Get("deposits")),
		Countries: inputs.Data.Countries}
	if p.Commodity == "" {
		p.Commodity = "lithium"
	}
	if p.Scenarios, err = s.scenarioList(ctx); err != nil {
		s.pageError(w, r, err)
		return
	}
	rows, err := supply.Overview(inputs, 0)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	for _, row := range rows {
		p.Overview = append(p.Overview, overviewItem{OverviewRow: row, TopName: inputs.Data.CountryName(row.Top), Selected: row.Commodity == p.Commodity})
	}
	for _, sr := range inputs.Data.Series {
		if sr.Commodity == p.Commodity {
			p.Stages = append(p.Stages, sr.Stage)
		}
	}
	in := &SupplyInput{Commodity: p.Commodity, Stage: p.Stage, AddAccessible: p.Accessible, Deposits: p.Deposits, Recovery: 1}
	if y := q.Get("year"); y != "" {
		if in.Year, err = strconv.Atoi(y); err != nil || in.Year < 0 || in.Year > 9999 {
			s.supplyPageError(w, r, p, nadra.Errorf(nadra.EINVALID, "year: %q is not a year.", y))
			return
		}
	}
	switch {
	case p.AddCountry != "" && p.AddQty != "":
		in.Add = []string{p.AddCountry + ":" + strings.ReplaceAll(p.AddQty, ",", "")}
	case p.AddQty != "":
		s.supplyPageError(w, r, p, nadra.Errorf(nadra.EINVALID, "add_country: choose the country that adds %s.", p.AddQty))
		return
	}
	sq, err := supplyQuery(in)
	if err != nil {
		s.supplyPageError(w, r, p, err)
		return
	}
	rep, err := supply.NewReport(inputs, sq)
	if err != nil {
		s.supplyPageError(w, r, p, supplyError(err))
		return
	}
	if rep.CRMA, err = s.crma(ctx, inputs, rep, sq.Recovery); err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Report, p.Stage, p.Year, p.WhatIf = rep, rep.Stage, rep.Year, rep.After != nil
	if s := findSeries(inputs.Data, rep.Commodity, rep.Stage); s != nil {
		p.Years = supply.Years(s, inputs.Data.Production)
	}
	p.Producers = producerRows(rep)
	p.Metrics = metricRows(rep)
	p.Chart = chartHTML(shareBars(p, 860, 14))
	p.ChartNarrow = chartHTML(shareBars(p, 380, 12))
	s.render(w, r, http.StatusOK, "supply", "Supply", p)
}

func findSeries(d *nadra.SupplyData, commodity, stage string) *nadra.SupplySeries {
	for _, s := range d.Series {
		if s.Commodity == commodity && s.Stage == stage {
			return s
		}
	}
	return nil
}

// supplyPageError shows the page with the error at the what-if form.
func (s *Server) supplyPageError(w http.ResponseWriter, r *http.Request, p *supplyPage, err error) {
	e := errorFor(err)
	if e.status >= 500 {
		s.pageError(w, r, err)
		return
	}
	s.logError(r, e, err)
	p.Error = e
	s.render(w, r, e.status, "supply", "Supply", p)
}

// maxBars is how many producers the bar chart shows; the rest are summed
// into one bar.
const maxBars = 10

// producerRows lists the producers by share before, then those added.
func producerRows(rep *supply.Report) []producerRow {
	b, a := rep.Metrics.Before, rep.Metrics.After
	after := map[string]float64{}
	for _, sh := range a.Shares {
		after[sh.Country] = sh.Share
	}
	var rows []producerRow
	seen := map[string]bool{}
	for _, sh := range b.Shares {
		seen[sh.Country] = true
		row := producerRow{Country: sh.Country, Name: rep.Names(sh.Country), Before: sh.Share, QtyBefore: rep.Before.Quantity(sh.Country)}
		if rep.After != nil {
			row.HasAfter, row.After, row.QtyAfter = true, after[sh.Country], rep.After.Quantity(sh.Country)
			row.Change = row.After - row.Before
			row.Added = row.QtyAfter > row.QtyBefore
		}
		rows = append(rows, row)
	}
	for _, sh := range a.Shares {
		if !seen[sh.Country] && rep.After != nil {
			rows = append(rows, producerRow{Country: sh.Country, Name: rep.Names(sh.Country), After: sh.Share, QtyAfter: rep.After.Quantity(sh.Country),
				HasAfter: true, Added: true, Change: sh.Share})
		}
	}
	return rows
}

func metricRows(rep *supply.Report) []metricRow {
	b, a, c := rep.Metrics.Before, rep.Metrics.After, rep.Metrics.Change
	pp := func(p *float64) string {
		if p == nil {
			return "n/a"
		}
		return strconv.FormatFloat(*p*100, 'f', 1, 64) + " pp"
	}
	p1 := func(p *float64) string {
		if p == nil {
			return "n/a"
		}
		return strconv.FormatFloat(*p*100, 'f', 1, 64) + "%"
	}
	f2 := func(p *float64) string {
		if p == nil {
			return "n/a"
		}
		return strconv.FormatFloat(*p, 'f', 2, 64)
	}
	top3b, top3a, top3c := b.Top3, a.Top3, c.Top3
	hhiC := c.HHI
	rows := []metricRow{
		{Key: "china", Name: "China's share", Before: p1(b.China), After: p1(a.China), Change: pp(c.China), Title: "China's share of the sum of the table's rows."},
		{Key: "hhi", Name: "HHI (0–10,000)", Before: numfmt.Thousands(b.HHI), After: numfmt.Thousands(a.HHI), Change: signedThousands(hhiC),
			Title: "Herfindahl-Hirschman index of named producers: the sum of squared shares in percent. Over 2,500 is highly concentrated (US DOJ/FTC 2023 Merger Guidelines)."},
		{Key: "top3", Name: "Top-3 share", Before: p1(&top3b), After: p1(&top3a), Change: pp(&top3c), Title: "Share of the three largest producers."},
		{Key: "hhiwgi", Name: "HHI_WGI (0–10)", Before: f2(b.HHIWGI), After: f2(a.HHIWGI), Change: f2(c.HHIWGI), Title: "HHI weighted by each producer's governance (World Bank WGI, rescaled 0 best to 10 worst), as the EU's supply-risk method."},
	}
	if rep.After == nil {
		for i := range rows {
			rows[i].After, rows[i].Change = "", ""
		}
	}
	return rows
}

// shareBars draws the country shares before (and after) as bars: the
// largest producers, the rest summed.
func shareBars(p *supplyPage, w, fs float64) *render.BarChart {
	rep := p.Report
	rows := p.Producers
	var labels []string
	var before, after []float64
	var restB, restA float64
	for i, r := range rows {
		if i >= maxBars && !r.Added {
			restB += r.Before
			restA += r.After
			continue
		}
		labels = append(labels, r.Name)
		before = append(before, nanIf(r.Before, !r.HasAfter || r.QtyBefore > 0 || r.Before > 0))
		after = append(after, r.After)
	}
	restB += rep.Metrics.Before.OtherShare
	restA += rep.Metrics.After.OtherShare
	if restB > 0 || restA > 0 {
		labels = append(labels, "Other countries")
		before, after = append(before, restB), append(after, restA)
	}
	year := strconv.Itoa(rep.Year)
	if rep.Estimated {
		year += " (estimates)"
	}
	c := &render.BarChart{ID: "shares-" + strconv.Itoa(int(w)), Width: w, FontSize: fs,
		Title:       rep.Name + ", " + year + ": share of world production by country",
		Subtitle:    "Share of the sum of the table's rows; unit " + rep.Unit + ".",
		Labels:      labels,
		Series:      []render.BarSeries{{Name: "before", Class: "before", Color: render.Palette[0], Values: before}},
		X:           render.Axis{Label: "Share of world production (%)", Format: pctTick},
		ValueFormat: func(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" },
		Attrs:       map[string]string{"data-commodity": rep.Commodity, "data-china-before": floatAttr(rep.Metrics.Before.China), "data-hhi-before": strconv.FormatFloat(rep.Metrics.Before.HHI, 'f', 0, 64)},
	}
	if rep.After != nil {
		c.Series[0].Name = "before the what-if"
		c.Series = append(c.Series, render.BarSeries{Name: "after the what-if", Class: "after", Color: render.Palette[1], Values: after})
		c.Attrs["data-china-after"] = floatAttr(rep.Metrics.After.China)
		c.Attrs["data-hhi-after"] = strconv.FormatFloat(rep.Metrics.After.HHI, 'f', 0, 64)
	}
	for _, src := range rep.Sources {
		c.Sources = append(c.Sources, "Source: "+shorten(src, int(w/fs*1.6)))
	}
	return c
}

func nanIf(v float64, ok bool) float64 {
	if !ok {
		return math.NaN()
	}
	return v
}

// shorten cuts s to about n characters at a space, for a chart's foot;
// the page lists the sources in full.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if i := strings.LastIndex(s[:n], " "); i > n/2 {
		return s[:i] + " …"
	}
	return s[:n] + "…"
}
