package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"nadra"
	"nadra/supply"
)

const supplyHelp = `Usage: nadra report supply [--commodity C] [--stage mine|refining] [--year Y]
                           [--add CC=Q ...] [--add-accessible EXPR] [--deposits ID,ID]
                           [--recovery F] [--json | --csv]

Who produces each mineral and how concentrated supply is: country shares,
the Herfindahl-Hirschman index (HHI, 0-10,000), China's and the top three
producers' shares, the governance-weighted HHI and the EU supply-risk
indicator, US net import reliance, and what Ukrainian supply would change.

Without --commodity: one row per commodity for the latest year (or --year):
China's share, HHI, the top producer, China's refining share where known,
US import reliance and the deposits Ukraine's registry holds.

With --commodity, the metrics of one commodity, stage and year, and with
additions the metrics before and after, and the change:
  --add CC=Q            add Q per year (in the table's unit) to country CC
                        (ISO 3166-1 alpha-2, e.g. UA=40000); repeatable
  --add-accessible EXPR add to Ukraine the potential annual output of the
                        registry's deposits that are accessible (controlled)
                        under the scenario EXPR ("latest" for the latest
                        snapshot, occupied@YYYY-MM-DD, ...)
  --deposits ID,ID      only these deposits; alone, they are added whatever
                        their status ("if they produced at capacity")
  --recovery F          fraction of contained metal recovered (default 1,
                        an upper bound)

A deposit's potential is its headline contained quantity divided by the
mine life that Taylor's rule gives for its ore tonnage (0.2 x tonnes^0.25
years). Every assumption is listed with the answer.

Examples:
  nadra report supply
  nadra report supply --commodity lithium --add UA=40000
  nadra report supply --commodity lithium --deposits dobra,polokhivske
  nadra report supply --commodity rare_earths --add-accessible latest --json`

// supplyFlags are the flags of report supply.
type supplyFlags struct {
	commodity, stage string
	year             int
	adds             multiFlag
	accessible       *string // nil when --add-accessible is not given
	deposits         string
	recovery         float64
	out              outputFlags
}

func (m *Main) runReportSupply(ctx context.Context, args []string) error {
	fs := m.flags("report supply", supplyHelp)
	var f supplyFlags
	fs.StringVar(&f.commodity, "commodity", "", "commodity code, e.g. lithium, rare_earths (default: the overview of all)")
	fs.StringVar(&f.stage, "stage", "", "mine or refining (default: mine where there is one)")
	fs.IntVar(&f.year, "year", 0, "year (default: the latest with data)")
	fs.Var(&f.adds, "add", "`CC=Q`: add Q per year, in the table's unit, to country CC (repeatable)")
	fs.Func("add-accessible", "add the potential of deposits accessible under scenario `EXPR` (\"latest\" for the latest snapshot)", func(s string) error {
		f.accessible = &s
		return nil
	})
	fs.StringVar(&f.deposits, "deposits", "", "comma-separated deposit `ids` whose potential to add")
	fs.Float64Var(&f.recovery, "recovery", 1, "fraction of contained metal recovered, more than 0 and at most 1")
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
	if !(f.recovery > 0 && f.recovery <= 1) {
		return usagef("--recovery %g: expected a fraction more than 0 and at most 1", f.recovery)
	}
	adds, err := parseAdds(f.adds)
	if err != nil {
		return err
	}
	if f.commodity == "" && (len(adds) > 0 || f.accessible != nil || f.deposits != "" || f.stage != "") {
		return usagef("--add, --add-accessible, --deposits and --stage need --commodity")
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	data, err := m.Supply.FindSupplyData(ctx)
	if err != nil {
		return err
	}
	if f.commodity == "" {
		rows, err := m.supplyOverview(ctx, data, f.year)
		if err != nil {
			return err
		}
		switch {
		case f.out.json:
			return writeJSON(m.Stdout, rows)
		case f.out.csv:
			return writeOverviewCSV(m.Stdout, rows)
		}
		printOverview(m.Stdout, rows, f.year, data.CountryName)
		return nil
	}
	rep, err := m.supplyReport(ctx, data, f, adds)
	if err != nil {
		return err
	}
	switch {
	case f.out.json:
		return writeJSON(m.Stdout, rep)
	case f.out.csv:
		return writeSupplyCSV(m.Stdout, rep)
	}
	printSupply(m.Stdout, rep)
	return nil
}

// parseAdds parses --add CC=Q flags.
func parseAdds(fl multiFlag) ([]supply.Producer, error) {
	var out []supply.Producer
	for _, kv := range fl {
		orig, v, ok := strings.Cut(kv, "=")
		k := strings.ToUpper(strings.TrimSpace(orig))
		if !ok || k == "" {
			return nil, usagef("--add %q: expected COUNTRY=QUANTITY, e.g. UA=40000", kv)
		}
		if !nadra.ValidCountry(k) || k == "WORLD" || k == "OTHER" {
			return nil, usagef("--add %q: %q is not an ISO 3166-1 alpha-2 country code such as UA or CN", kv, orig)
		}
		q, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(v), "_", ""), 64)
		switch {
		case err != nil || math.IsNaN(q) || math.IsInf(q, 0):
			return nil, usagef("--add %q: %q is not a number", kv, v)
		case q < 0:
			return nil, usagef("--add %q: the quantity must not be negative", kv)
		}
		out = append(out, supply.Producer{Country: k, Quantity: q})
	}
	return out, nil
}

// resolveSeries finds the series for a commodity and stage, naming the
// available ones when there is none.
func resolveSeries(d *nadra.SupplyData, commodity, stage string) (*nadra.SupplySeries, error) {
	commodity = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(commodity)), "-", "_")
	stages := map[string][]string{}
	var commodities []string
	for _, s := range d.Series {
		if len(stages[s.Commodity]) == 0 {
			commodities = append(commodities, s.Commodity)
		}
		stages[s.Commodity] = append(stages[s.Commodity], s.Stage)
	}
	sort.Strings(commodities)
	if len(stages[commodity]) == 0 {
		return nil, nadra.Errorf(nadra.EINVALID, "unknown commodity %q; available: %s", commodity, strings.Join(commodities, ", "))
	}
	if stage == "" {
		stage = stages[commodity][0]
		for _, s := range stages[commodity] {
			if s == nadra.StageMine {
				stage = s
			}
		}
	}
	for _, s := range d.Series {
		if s.Commodity == commodity && s.Stage == stage {
			return s, nil
		}
	}
	return nil, nadra.Errorf(nadra.EINVALID, "%s has no %q stage; available: %s", commodity, stage, strings.Join(stages[commodity], ", "))
}

// marketFor builds a series' market in year (0: the latest), with a
// message naming the available years when there is no data.
func marketFor(d *nadra.SupplyData, s *nadra.SupplySeries, year int) (*supply.Market, error) {
	ys := supply.Years(s, d.Production)
	if len(ys) == 0 {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no production data for %s %s", s.Commodity, s.Stage)
	}
	if year == 0 {
		year = ys[len(ys)-1]
	}
	mk, err := supply.NewMarket(s, d.Production, year)
	if errors.Is(err, supply.ErrNoRows) {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no %s %s production data for %d; years with data: %s", s.Commodity, s.Stage, year, supply.YearList(ys))
	}
	return mk, err
}

// SupplyReport is the report of one commodity, stage and year.
type SupplyReport struct {
	Commodity string `json:"commodity"`
	Stage     string `json:"stage"`
	Name      string `json:"name"`
	Year      int    `json:"year"`
	Unit      string `json:"unit"`
	Estimated bool   `json:"estimated"`
	ShareOnly bool   `json:"share_only"`
	// Headline is the answer in one sentence when supply was added.
	Headline   string              `json:"headline,omitempty"`
	Before     *supply.Market      `json:"before"`
	After      *supply.Market      `json:"after,omitempty"`
	Metrics    supply.Comparison   `json:"metrics"` // After equals Before when nothing was added
	RiskBefore *supply.Risk        `json:"supply_risk_before"`
	RiskAfter  *supply.Risk        `json:"supply_risk_after,omitempty"`
	EU         *nadra.EUAssessment `json:"eu"`
	// EUComparison compares this table with the EU's Table A.
	EUComparison string                `json:"eu_comparison,omitempty"`
	Reliance     *nadra.ImportReliance `json:"us_import_reliance"`
	Reserves     []*nadra.Reserve      `json:"reserves,omitempty"`
	Ukraine      UkraineSupply         `json:"ukraine"`
	Additions    []Addition            `json:"additions,omitempty"`
	Potentials   []PotentialRow        `json:"potentials,omitempty"`
	Assumptions  []string              `json:"assumptions,omitempty"`
	Notes        []string              `json:"notes,omitempty"`
	Sources      []string              `json:"sources"`

	names func(string) string
	wgi   map[string]float64
}

// Addition is one line of supply added in a what-if.
type Addition struct {
	Country  string  `json:"country"`
	Quantity float64 `json:"quantity"`
	From     string  `json:"from"` // "--add" or "deposit potential"
}

// PotentialRow is a deposit's potential with its control status.
type PotentialRow struct {
	supply.Potential
	Status     nadra.Status `json:"status"`
	Accessible bool         `json:"accessible"`
	Added      bool         `json:"added"`
}

// UkraineSupply is what the registry and the tables say about Ukraine.
type UkraineSupply struct {
	Deposits     int                         `json:"deposits"`      // registry deposits listing the commodity
	WithFigures  int                         `json:"with_figures"`  // of which with a published figure
	Production   []*nadra.Production         `json:"production"`    // Ukraine's rows in the series, all years
	National     []*nadra.NationalProduction `json:"national"`      // national figures for the commodity
	ReservesNote string                      `json:"reserves_note"` // Ukraine's reserves where published
}

func (m *Main) supplyReport(ctx context.Context, d *nadra.SupplyData, f supplyFlags, adds []supply.Producer) (*SupplyReport, error) {
	s, err := resolveSeries(d, f.commodity, f.stage)
	if err != nil {
		return nil, err
	}
	before, err := marketFor(d, s, f.year)
	if err != nil {
		return nil, err
	}
	wgi, wgiYears := supply.GovernanceScores(d.Governance, before.Year)
	rep := &SupplyReport{Commodity: s.Commodity, Stage: s.Stage, Name: s.Name, Year: before.Year, Unit: s.Unit,
		Estimated: before.Estimated, ShareOnly: before.ShareOnly, Before: before, Sources: before.Sources,
		names: d.CountryName, wgi: wgi}
	rep.Reliance = reliance(d, s, before.Year)
	for _, e := range d.EU {
		if e.Commodity == s.Commodity {
			rep.EU = e
		}
	}
	for _, r := range d.Reserves {
		if r.Commodity == s.Commodity {
			rep.Reserves = append(rep.Reserves, r)
		}
	}
	if err := m.ukraineSupply(ctx, d, s, rep); err != nil {
		return nil, err
	}

	// What to add.
	var all []supply.Producer
	for _, a := range adds {
		all = append(all, a)
		rep.Additions = append(rep.Additions, Addition{Country: a.Country, Quantity: a.Quantity, From: "--add"})
	}
	if f.accessible != nil || f.deposits != "" {
		pots, assumptions, err := m.potentials(ctx, s, f)
		if err != nil {
			return nil, err
		}
		rep.Potentials, rep.Assumptions = pots, assumptions
		total := 0.0
		for _, p := range pots {
			if p.Added {
				total += p.Annual
			}
		}
		all = append(all, supply.Producer{Country: "UA", Quantity: total})
		rep.Additions = append(rep.Additions, Addition{Country: "UA", Quantity: total, From: "deposit potential"})
	}
	var nonzero []supply.Producer
	for _, a := range all {
		if a.Quantity > 0 {
			nonzero = append(nonzero, a)
		}
	}
	if len(all) > 0 && len(nonzero) == 0 {
		rep.Headline = fmt.Sprintf("Nothing to add: no deposit considered is both accessible and has a potential by Taylor's rule, "+
			"so China's share of world %s, %d%s, stays %s.", strings.ToLower(s.Name), before.Year, estMark(before.Estimated), pct(nil))
	}
	all = nonzero
	after := before
	if len(all) > 0 {
		if after, err = before.With(all...); err != nil {
			if errors.Is(err, supply.ErrShareOnly) {
				return nil, nadra.Errorf(nadra.EINVALID, "%s %s %d is published as shares of world output only, so tonnes cannot be added to it", s.Commodity, s.Stage, before.Year)
			}
			return nil, nadra.Errorf(nadra.EINVALID, "%v", err)
		}
		rep.After = after
	}
	rep.Metrics = supply.Compare(before, after, wgi)

	// Supply risk, global-supply variant unless the EU inputs are known.
	in := supply.RiskInputs{}
	if rep.EU != nil {
		if rep.EU.EoLRIRPct != nil {
			v := *rep.EU.EoLRIRPct / 100
			in.EoLRIR = &v
		}
		in.SISR = rep.EU.SISR
	}
	if h := rep.Metrics.Before.HHIWGI; h != nil {
		r := supply.SupplyRisk(*h, in)
		rep.RiskBefore = &r
	}
	if h := rep.Metrics.After.HHIWGI; h != nil && rep.After != nil {
		r := supply.SupplyRisk(*h, in)
		rep.RiskAfter = &r
	}
	rep.EUComparison = euComparison(rep, d)

	if rep.After == nil && rep.Headline != "" {
		rep.Headline = strings.Replace(rep.Headline, "stays n/a", "stays "+pct(rep.Metrics.Before.China), 1)
	}
	if rep.After != nil {
		c := rep.Metrics.Change
		if c.China != nil {
			rep.Headline = fmt.Sprintf("China's share of world %s, %d%s: %s -> %s (%+.1f percentage points); %s added (%s of the new total).",
				strings.ToLower(s.Name), before.Year, estMark(before.Estimated), pct(rep.Metrics.Before.China), pct(rep.Metrics.After.China),
				*c.China*100, qtyUnit(sumAdds(all), s.Unit), pctv(c.AddedShare))
		}
	}

	// Notes that hold for every report.
	n := &rep.Notes
	*n = append(*n, "Shares are of the sum of the table's rows, 'other countries' included; the published world total is shown beside it.")
	if before.Other > 0 || rep.Metrics.Before.Unattributed > 0 {
		*n = append(*n, fmt.Sprintf("The HHI, HHI_WGI and supply risk count named producers only: lower bounds (other countries %s%s).",
			pctv(rep.Metrics.Before.OtherShare), unattributed(rep.Metrics.Before.Unattributed)))
	}
	if len(before.Withheld) > 0 {
		*n = append(*n, "Withheld or not available, so left out: "+strings.Join(nameList(before.Withheld, d.CountryName), ", ")+".")
	}
	if before.Estimated {
		*n = append(*n, fmt.Sprintf("%d figures are estimates in the source.", before.Year))
	}
	if len(rep.Metrics.Before.NoWGI) > 0 {
		*n = append(*n, fmt.Sprintf("No governance score for %s: left out of HHI_WGI (coverage %s of output).",
			strings.Join(nameList(rep.Metrics.Before.NoWGI, d.CountryName), ", "), pctv(rep.Metrics.Before.WGICoverage)))
	}
	years := map[int]bool{}
	for _, y := range wgiYears {
		years[y] = true
	}
	var ys []string
	for y := range years {
		ys = append(ys, strconv.Itoa(y))
	}
	sort.Strings(ys)
	*n = append(*n, "Governance: World Bank WGI "+strings.Join(ys, ", ")+", mean of six, rescaled to 0 (best) - 10 (worst) as (2.5 - WGI) x 2; "+supply.RiskSource+".")
	return rep, nil
}

func sumAdds(ps []supply.Producer) float64 {
	t := 0.0
	for _, p := range ps {
		t += p.Quantity
	}
	return t
}

func unattributed(u float64) string {
	if u <= 0 {
		return ""
	}
	return ", unattributed " + pctv(u)
}

// reliance picks the US import reliance for a series: the year itself, or
// the latest before it, or the earliest after it.
func reliance(d *nadra.SupplyData, s *nadra.SupplySeries, year int) *nadra.ImportReliance {
	var best *nadra.ImportReliance
	for _, r := range d.Reliance {
		if r.Commodity != s.Commodity || r.Stage != s.Stage {
			continue
		}
		switch {
		case best == nil:
			best = r
		case r.Year <= year && (best.Year > year || r.Year > best.Year):
			best = r
		case r.Year > year && best.Year > year && r.Year < best.Year:
			best = r
		}
	}
	return best
}

func euComparison(rep *SupplyReport, d *nadra.SupplyData) string {
	e := rep.EU
	if e == nil || e.MajorSupplierPct == nil || e.MajorSupplier == "" {
		return ""
	}
	s := fmt.Sprintf("EU CRM 2023 Table A names %s as the major global supplier at the %s stage with %g%%", d.CountryName(e.MajorSupplier),
		e.MajorSupplierStage, *e.MajorSupplierPct)
	if e.MajorSupplierStage == rep.Stage {
		for _, sh := range rep.Metrics.Before.Shares {
			if sh.Country == e.MajorSupplier {
				s += fmt.Sprintf("; this table gives %s %s in %d", d.CountryName(sh.Country), pctv(sh.Share), rep.Year)
			}
		}
	}
	if e.SR == nil {
		s += ". The EU's published supply-risk score was not found, so nadra's value cannot be checked against it"
	} else if rep.RiskBefore != nil {
		s += fmt.Sprintf(". EU SR %g; nadra %.2f (%s)", *e.SR, rep.RiskBefore.Value, rep.RiskBefore.Variant)
	}
	return s + "."
}

func (m *Main) ukraineSupply(ctx context.Context, d *nadra.SupplyData, s *nadra.SupplySeries, rep *SupplyReport) error {
	u := &rep.Ukraine
	if s.Registry != "" {
		deps, _, err := m.Deposits.FindDeposits(ctx, nadra.DepositFilter{Commodity: s.Registry})
		if err != nil {
			return err
		}
		ests, err := m.Deposits.FindEstimates(ctx, "")
		if err != nil {
			return err
		}
		with := map[string]bool{}
		for _, e := range ests {
			if e.Commodity == s.Registry {
				with[e.DepositID] = true
			}
		}
		u.Deposits = len(deps)
		for _, dep := range deps {
			if with[dep.ID] {
				u.WithFigures++
			}
		}
	}
	for _, p := range d.Production {
		if p.SeriesKey() == s.Key() && p.Country == "UA" {
			u.Production = append(u.Production, p)
		}
	}
	for _, n := range d.National {
		if n.Country == "UA" && n.Commodity == s.Commodity {
			u.National = append(u.National, n)
		}
	}
	var rs []string
	for _, r := range d.Reserves {
		if r.Commodity == s.Commodity && r.Country == "UA" && r.Quantity != nil {
			p := r.Product
			if p != "" {
				p += " "
			}
			rs = append(rs, fmt.Sprintf("%s%s %s (%d)", p, human(*r.Quantity), r.Unit, r.Year))
		}
	}
	u.ReservesNote = strings.Join(rs, "; ")
	return nil
}

// potentials returns the deposits whose potential the what-if adds, each
// with its status, and the assumptions behind the number.
func (m *Main) potentials(ctx context.Context, s *nadra.SupplySeries, f supplyFlags) ([]PotentialRow, []string, error) {
	if s.Registry == "" || s.Basis == "" || s.PerTonne == nil {
		return nil, nil, nadra.Errorf(nadra.EINVALID, "%s %s cannot take deposit potential: %s", s.Commodity, s.Stage,
			firstNonEmpty(s.Note, "the registry holds no deposits of it in a basis that converts into "+s.Unit))
	}
	deps, _, err := m.Deposits.FindDeposits(ctx, nadra.DepositFilter{Commodity: s.Registry})
	if err != nil {
		return nil, nil, err
	}
	byID := map[string]*nadra.Deposit{}
	var ids []string
	for _, d := range deps {
		byID[d.ID] = d
		ids = append(ids, d.ID)
	}
	var chosen []*nadra.Deposit
	if f.deposits != "" {
		for _, id := range strings.Split(f.deposits, ",") {
			id = strings.TrimSpace(id)
			if id == "" {
				continue
			}
			d := byID[id]
			if d == nil {
				return nil, nil, nadra.Errorf(nadra.EINVALID, "--deposits: %q is not a %s deposit in the registry; %s deposits: %s",
					id, s.Registry, s.Registry, strings.Join(ids, ", "))
			}
			chosen = append(chosen, d)
		}
	} else {
		chosen = deps
	}
	expr, scenario := "", "the latest control snapshot"
	if f.accessible != nil {
		expr = strings.TrimSpace(*f.accessible)
		if expr == "latest" || expr == "now" {
			expr = ""
		}
		if expr != "" {
			scenario = "scenario " + expr
		}
	}
	statuses := map[string]nadra.Status{}
	snapshot := ""
	rep, err := m.scenarioAccess(ctx, expr)
	switch {
	case err != nil && f.accessible != nil:
		return nil, nil, err
	case err == nil:
		snapshot = rep.Snapshot
		for _, d := range rep.Deposits {
			statuses[d.ID] = d.Status
		}
	}
	ests, err := m.Deposits.FindEstimates(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	var out []PotentialRow
	for _, d := range chosen {
		st, ok := statuses[d.ID]
		if !ok {
			st = nadra.StatusUnknown
		}
		p := PotentialRow{Potential: supply.DepositPotential(d, ests, s, f.recovery), Status: st, Accessible: st == nadra.StatusControlled}
		p.Added = p.Skipped == "" && (f.accessible == nil || p.Accessible)
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Annual > out[j].Annual })

	a := []string{
		"Potential annual output = headline contained quantity x recovery / mine life; mine life by Taylor's rule, " +
			fmt.Sprintf("%g x (ore tonnes)^%g years: ", supply.TaylorConstant, supply.TaylorExponent) + supply.TaylorSource + ". " +
			"The constant 0.2 is the commonly quoted form of the rule; nadra's sources confirm the three-quarter-power law (capacity ~ tonnage^0.75) but not the constant.",
		"Headline contained quantity: the most recent published figure per deposit (parts of one estimate added), converted to " +
			s.Basis + " by stoichiometry; figures are resources as published (often prognostic or unclassified), not reserves.",
		"Ore tonnage for Taylor's rule: the figure's own; else contained / the most recent published grade; else the most recent published ore tonnage (see each deposit's ore_note).",
		fmt.Sprintf("Recovery: %s of contained metal (100%% = no mining or processing losses, an upper bound; --recovery changes it).", pctv(f.recovery)),
		"Output at capacity from the start, added to Ukraine's production of the year; other countries' output unchanged (no price or demand response).",
	}
	if f.accessible != nil {
		a = append(a, fmt.Sprintf("Accessible = controlled under %s (control snapshot %s); occupied, grey and unlocated deposits are left out.", scenario, snapshot))
	} else if snapshot != "" {
		a = append(a, fmt.Sprintf("Deposits named with --deposits are added whatever their control status (status shown as of the control snapshot %s).", snapshot))
	}
	if f.deposits == "" {
		a = append(a, fmt.Sprintf("All %d registry deposits listing %s were considered.", len(deps), s.Registry))
	}
	return out, a, nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func estMark(e bool) string {
	if e {
		return "e"
	}
	return ""
}

func nameList(codes []string, name func(string) string) []string {
	var out []string
	for _, c := range codes {
		out = append(out, name(c))
	}
	return out
}

// pctv formats a fraction as a percentage.
func pctv(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }

// qtyUnit formats a quantity with thousands separators and its unit.
func qtyUnit(v float64, unit string) string {
	if unit == nadra.UnitShare {
		return strconv.FormatFloat(v, 'f', 1, 64) + "% of world"
	}
	return thousands(v) + " " + unit
}

// thousands formats a number with comma separators: 222,970; 0.5.
func thousands(v float64) string {
	if math.Abs(v) < 10 && v != math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func printSupply(w io.Writer, r *SupplyReport) {
	name := r.names
	fprintf(w, "%s, %d%s (%s)\n", r.Name, r.Year, estMark(r.Estimated), r.Unit)
	if r.Headline != "" {
		fprintf(w, "\n%s\n", wrap(r.Headline, 100, ""))
	}
	b, a, c := r.Metrics.Before, r.Metrics.After, r.Metrics.Change
	t := newTab(w)
	fprintf(t, "\n\tBEFORE")
	if r.After != nil {
		fprintf(t, "\tAFTER\tCHANGE")
	}
	fprintf(t, "\n")
	row := func(label, bv, av, cv string) {
		fprintf(t, "%s\t%s", label, bv)
		if r.After != nil {
			fprintf(t, "\t%s\t%s", av, cv)
		}
		fprintf(t, "\n")
	}
	world := "n/a"
	if r.Before.World != nil {
		world = thousands(*r.Before.World)
	}
	if r.ShareOnly {
		row("World", "shares only", "", "")
	} else {
		row("Total (sum of rows)", thousands(b.Total), thousands(a.Total), signed(a.Total-b.Total, thousands))
		row("Published world total", world, "", "")
	}
	row("China share", pct(b.China), pct(a.China), ppOpt(c.China))
	row("Top producer", topStr(b.Top, name), topStr(a.Top, name), "")
	row("Top-3 share", pctv(b.Top3), pctv(a.Top3), pp(c.Top3))
	row("HHI (0-10,000)", thousands(b.HHI), thousands(a.HHI), signed(c.HHI, thousands))
	row("HHI_WGI (0-10)", f2(b.HHIWGI), f2(a.HHIWGI), signedOpt(c.HHIWGI))
	if r.RiskBefore != nil {
		ra := ""
		if r.RiskAfter != nil {
			ra = fmt.Sprintf("%.2f", r.RiskAfter.Value)
		}
		row("EU supply risk ("+r.RiskBefore.Variant+")", fmt.Sprintf("%.2f", r.RiskBefore.Value), ra, "")
	}
	t.Flush()

	fprintf(w, "\nProducers:\n")
	t = newTab(w)
	fprintf(t, "  COUNTRY\tQUANTITY\tSHARE\tWGI (0-10, 10 worst)")
	if r.After != nil {
		fprintf(t, "\tAFTER\tSHARE AFTER")
	}
	fprintf(t, "\n")
	after := map[string]supply.Share{}
	for _, s := range a.Shares {
		after[s.Country] = s
	}
	seen := map[string]bool{}
	list := func(country string, q float64, sh float64) {
		g := "n/a"
		if v, ok := r.wgi[country]; ok {
			g = strconv.FormatFloat(v, 'f', 2, 64)
		}
		qs := thousands(q)
		if r.ShareOnly {
			qs = "-"
		}
		fprintf(t, "  %s\t%s\t%s\t%s", name(country), qs, pctv(sh), g)
		if r.After != nil {
			fprintf(t, "\t%s\t%s", thousands(r.After.Quantity(country)), pctv(after[country].Share))
		}
		fprintf(t, "\n")
	}
	for _, s := range b.Shares {
		seen[s.Country] = true
		list(s.Country, r.Before.Quantity(s.Country), s.Share)
	}
	for _, s := range a.Shares {
		if !seen[s.Country] {
			fprintf(t, "  %s (added)\t0\t0.0%%\t%s\t%s\t%s\n", name(s.Country), wgiStr(r.wgi, s.Country), thousands(r.After.Quantity(s.Country)), pctv(s.Share))
		}
	}
	if r.Before.Other > 0 || b.OtherShare > 0 {
		fprintf(t, "  Other countries\t%s\t%s\t\n", thousands(r.Before.Other), pctv(b.OtherShare))
	}
	if b.Unattributed > 0 {
		fprintf(t, "  Not attributed by the source\t-\t%s\t\n", pctv(b.Unattributed))
	}
	t.Flush()

	if len(r.Potentials) > 0 {
		fprintf(w, "\nUkrainian deposits (potential at capacity, %s per year):\n", r.Unit)
		t = newTab(w)
		fprintf(t, "  DEPOSIT\tSTATUS\tCONTAINED\tORE\tLIFE\tPER YEAR\tADDED\n")
		skipped := map[string][]string{}
		var reasons []string
		for _, p := range r.Potentials {
			if p.Skipped != "" {
				if len(skipped[p.Skipped]) == 0 {
					reasons = append(reasons, p.Skipped)
				}
				skipped[p.Skipped] = append(skipped[p.Skipped], p.DepositID+" ("+string(p.Status)+")")
				continue
			}
			added := "yes"
			if !p.Added {
				added = "no: not accessible"
			}
			fprintf(t, "  %s\t%s\t%s t %s\t%s Mt (%s)\t%.1f y\t%s\t%s\n", p.DepositID, p.Status, thousands(p.Contained), p.Basis,
				strconv.FormatFloat(p.OreTonnes/1e6, 'f', 1, 64), p.OreFrom, p.LifeYears, thousands(p.Annual), added)
		}
		t.Flush()
		for _, p := range r.Potentials {
			if p.Skipped == "" {
				fprintf(w, "  %s\n", wrap(fmt.Sprintf("%s: ore tonnage %s; contained quantity from the %s%s.", p.DepositID, p.OreNote,
					figureSources(p.Figures), conversion(p)), 96, "    "))
			}
		}
		for _, reason := range reasons {
			fprintf(w, "  %s\n", wrap(fmt.Sprintf("No potential, %s: %s.", reason, strings.Join(skipped[reason], ", ")), 96, "    "))
		}
	}
	if len(r.Additions) > 0 {
		fprintf(w, "\nAdded:\n")
		for _, a := range r.Additions {
			fprintf(w, "  %s: %s (%s)\n", name(a.Country), qtyUnit(a.Quantity, r.Unit), a.From)
		}
	}
	if len(r.Assumptions) > 0 {
		fprintf(w, "\nAssumptions:\n")
		for _, a := range r.Assumptions {
			fprintf(w, "  - %s\n", wrap(a, 96, "    "))
		}
	}

	fprintf(w, "\nUS net import reliance: %s", r.Reliance.String())
	if r.Reliance != nil {
		fprintf(w, " (%d", r.Reliance.Year)
		if r.Reliance.Note != "" {
			fprintf(w, "; %s", r.Reliance.Note)
		}
		fprintf(w, ")")
	}
	fprintf(w, "\n")
	if line := reservesLine(r); line != "" {
		fprintf(w, "%s\n", wrap(line, 100, "  "))
	}
	u := r.Ukraine
	fprintf(w, "Ukraine: %d registry deposits list this commodity, %d with a published figure", u.Deposits, u.WithFigures)
	if u.ReservesNote != "" {
		fprintf(w, "; USGS reserves %s", u.ReservesNote)
	}
	fprintf(w, ".\n")
	for _, p := range u.Production {
		q := "no figure"
		if p.Quantity != nil {
			q = qtyUnit(*p.Quantity, r.Unit)
		}
		prod := ""
		if p.Product != "" {
			prod = " " + p.Product
		}
		fprintf(w, "  Ukraine %d%s%s: %s\n", p.Year, prod, estMark(p.Estimated), q)
	}
	for _, n := range u.National {
		fprintf(w, "  Ukraine %d %s: %s %s (%s)\n", n.Year, n.Product, thousands(n.Quantity), n.Unit, n.Note)
	}
	if r.RiskBefore != nil {
		fprintf(w, "\nEU supply risk, %s variant: inputs missing or assumed:\n", r.RiskBefore.Variant)
		for _, s := range r.RiskBefore.Missing {
			fprintf(w, "  - %s\n", s)
		}
	}
	if r.EUComparison != "" {
		fprintf(w, "%s\n", wrap(r.EUComparison, 100, ""))
	}
	fprintf(w, "\nNotes:\n")
	for _, n := range r.Notes {
		fprintf(w, "  - %s\n", wrap(n, 96, "    "))
	}
	fprintf(w, "\nSources:\n")
	for _, s := range r.Sources {
		fprintf(w, "  - %s\n", wrap(s, 96, "    "))
	}
}

// reservesLine summarises the latest reserves table: world total and the
// three largest holders.
func reservesLine(r *SupplyReport) string {
	latest := 0
	for _, v := range r.Reserves {
		if v.Year > latest {
			latest = v.Year
		}
	}
	var world *nadra.Reserve
	var top []*nadra.Reserve
	unit := ""
	for _, v := range r.Reserves {
		if v.Year != latest || v.Quantity == nil {
			continue
		}
		unit = v.Unit
		switch v.Country {
		case nadra.CountryWorld:
			if world == nil {
				world = v
			}
		case nadra.CountryOther:
		default:
			top = append(top, v)
		}
	}
	if len(top) == 0 {
		return ""
	}
	sum := map[string]float64{}
	var cs []string
	for _, v := range top {
		if _, ok := sum[v.Country]; !ok {
			cs = append(cs, v.Country)
		}
		sum[v.Country] += *v.Quantity
	}
	sort.SliceStable(cs, func(i, j int) bool { return sum[cs[i]] > sum[cs[j]] })
	if len(cs) > 3 {
		cs = cs[:3]
	}
	var parts []string
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s %s", r.names(c), human(sum[c])))
	}
	s := fmt.Sprintf("Reserves (USGS, %d, %s): largest %s", latest, unit, strings.Join(parts, ", "))
	if world != nil && world.Product == "" {
		s += "; world " + human(*world.Quantity)
		if world.Note != "" {
			s += " (" + world.Note + ")"
		}
	}
	return s + "."
}

// conversion says how a potential's figures convert into its basis, e.g.
// " (1 t LCE = 0.1878 t Li)".
func conversion(p PotentialRow) string {
	seen := map[string]bool{}
	var parts []string
	for _, e := range p.Figures {
		if e.Basis == p.Basis || seen[e.Basis] {
			continue
		}
		seen[e.Basis] = true
		if f, ok := nadra.ConvertBasis(1, e.Basis, p.Basis); ok {
			parts = append(parts, fmt.Sprintf("1 t %s = %.4g t %s", e.Basis, f, p.Basis))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

func figureSources(es []*nadra.Estimate) string {
	var s []string
	for _, e := range es {
		y := "undated"
		if e.Year != nil {
			y = strconv.Itoa(*e.Year)
		}
		s = append(s, fmt.Sprintf("%s %s %s figure, %s", y, e.Category, e.Basis, strings.Join(e.Source, " | ")))
	}
	return strings.Join(s, "; ")
}

func wgiStr(w map[string]float64, c string) string {
	if v, ok := w[c]; ok {
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return "n/a"
}

func topStr(s supply.Share, name func(string) string) string {
	if s.Country == "" {
		return "n/a"
	}
	return name(s.Country) + " " + pctv(s.Share)
}

func f2(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*p, 'f', 2, 64)
}

// signed writes a difference with its sign, formatted by f.
func signed(v float64, f func(float64) string) string {
	if v > 0 {
		return "+" + f(v)
	}
	return f(v)
}

func signedOpt(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*p, 'f', 2, 64)
}

// pp formats a change of a fraction in percentage points.
func pp(v float64) string { return fmt.Sprintf("%+.1f pp", v*100) }

func ppOpt(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return pp(*p)
}

func writeSupplyCSV(w io.Writer, r *SupplyReport) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"commodity", "stage", "year", "section", "key", "before", "after", "change"})
	b, a, c := r.Metrics.Before, r.Metrics.After, r.Metrics.Change
	opt := func(p *float64) string { return csvFloat(p) }
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	metric := func(k, bv, av, cv string) {
		cw.Write([]string{r.Commodity, r.Stage, strconv.Itoa(r.Year), "metric", k, bv, av, cv})
	}
	metric("total", num(b.Total), num(a.Total), num(a.Total-b.Total))
	metric("china_share", opt(b.China), opt(a.China), opt(c.China))
	metric("top3_share", num(b.Top3), num(a.Top3), num(c.Top3))
	metric("hhi", num(b.HHI), num(a.HHI), num(c.HHI))
	metric("hhi_wgi", opt(b.HHIWGI), opt(a.HHIWGI), opt(c.HHIWGI))
	if r.RiskBefore != nil {
		ra := num(r.RiskBefore.Value)
		if r.RiskAfter != nil {
			ra = num(r.RiskAfter.Value)
		}
		metric("supply_risk_"+r.RiskBefore.Variant, num(r.RiskBefore.Value), ra, "")
	}
	after := map[string]float64{}
	for _, s := range a.Shares {
		after[s.Country] = s.Share
	}
	for _, s := range a.Shares {
		bs := 0.0
		for _, x := range b.Shares {
			if x.Country == s.Country {
				bs = x.Share
			}
		}
		cw.Write([]string{r.Commodity, r.Stage, strconv.Itoa(r.Year), "share", s.Country, num(bs), num(s.Share), num(s.Share - bs)})
	}
	cw.Write([]string{r.Commodity, r.Stage, strconv.Itoa(r.Year), "share", nadra.CountryOther, num(b.OtherShare), num(a.OtherShare), num(a.OtherShare - b.OtherShare)})
	cw.Flush()
	return cw.Error()
}

// OverviewRow is one commodity in the overview.
type OverviewRow struct {
	Commodity      string   `json:"commodity"`
	Stage          string   `json:"stage"`
	Year           int      `json:"year"`
	Estimated      bool     `json:"estimated"`
	ShareOnly      bool     `json:"share_only"`
	China          *float64 `json:"china_share"`
	HHI            float64  `json:"hhi"`
	HHILowerBound  bool     `json:"hhi_lower_bound"`
	Top            string   `json:"top_producer"`
	TopShare       float64  `json:"top_share"`
	Top3           float64  `json:"top3_share"`
	HHIWGI         *float64 `json:"hhi_wgi"`
	SupplyRisk     *float64 `json:"supply_risk_global"` // global-supply variant
	ChinaRefining  *float64 `json:"china_refining_share"`
	RefiningYear   int      `json:"refining_year,omitempty"`
	USReliance     string   `json:"us_import_reliance"`
	UkraineDeposit int      `json:"ukraine_deposits"`
	UkraineFigures int      `json:"ukraine_deposits_with_figures"`
	UkraineShare   *float64 `json:"ukraine_share"`
	Note           string   `json:"note,omitempty"`
}

func (m *Main) supplyOverview(ctx context.Context, d *nadra.SupplyData, year int) ([]OverviewRow, error) {
	deps, _, err := m.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
	if err != nil {
		return nil, err
	}
	ests, err := m.Deposits.FindEstimates(ctx, "")
	if err != nil {
		return nil, err
	}
	withFig := map[string]map[string]bool{}
	for _, e := range ests {
		if withFig[e.Commodity] == nil {
			withFig[e.Commodity] = map[string]bool{}
		}
		withFig[e.Commodity][e.DepositID] = true
	}
	byCommodity := map[string][]*nadra.SupplySeries{}
	var codes []string
	for _, s := range d.Series {
		if byCommodity[s.Commodity] == nil {
			codes = append(codes, s.Commodity)
		}
		byCommodity[s.Commodity] = append(byCommodity[s.Commodity], s)
	}
	sort.Strings(codes)
	var rows []OverviewRow
	var missing []string
	for _, c := range codes {
		s, err := resolveSeries(d, c, "")
		if err != nil {
			return nil, err
		}
		mk, err := marketFor(d, s, year)
		if err != nil {
			if nadra.ErrorCode(err) == nadra.ENOTFOUND {
				missing = append(missing, c)
				continue
			}
			return nil, err
		}
		wgi, _ := supply.GovernanceScores(d.Governance, mk.Year)
		ms := supply.Compute(mk, wgi)
		r := OverviewRow{Commodity: c, Stage: s.Stage, Year: mk.Year, Estimated: mk.Estimated, ShareOnly: mk.ShareOnly,
			China: ms.China, HHI: ms.HHI, HHILowerBound: ms.OtherShare > 0 || ms.Unattributed > 0,
			Top: ms.Top.Country, TopShare: ms.Top.Share, Top3: ms.Top3, HHIWGI: ms.HHIWGI}
		if ms.HHIWGI != nil {
			in := supply.RiskInputs{}
			for _, e := range d.EU {
				if e.Commodity == c && e.EoLRIRPct != nil {
					v := *e.EoLRIRPct / 100
					in.EoLRIR = &v
				}
			}
			v := supply.SupplyRisk(*ms.HHIWGI, in).Value
			r.SupplyRisk = &v
		}
		if rel := reliance(d, s, mk.Year); rel != nil {
			r.USReliance = rel.String()
			if rel.Bound == nadra.BoundExporter {
				r.USReliance = "E"
			}
		}
		if s.Stage == nadra.StageMine && r.USReliance != "" {
			if rel := reliance(d, &nadra.SupplySeries{Commodity: c, Stage: nadra.StageRefining}, mk.Year); rel != nil {
				r.USReliance += "; refined " + rel.String()
			}
		}
		if s.Stage == nadra.StageMine {
			for _, rs := range byCommodity[c] {
				if rs.Stage == nadra.StageRefining {
					if rm, err := marketFor(d, rs, 0); err == nil {
						rms := supply.Compute(rm, nil)
						r.ChinaRefining, r.RefiningYear = rms.China, rm.Year
					}
				}
			}
		}
		if mk.Quantity("UA") > 0 {
			for _, sh := range ms.Shares {
				if sh.Country == "UA" {
					v := sh.Share
					r.UkraineShare = &v
				}
			}
		}
		if s.Registry != "" {
			for _, dep := range deps {
				if dep.HasCommodity(s.Registry) {
					r.UkraineDeposit++
					if withFig[s.Registry][dep.ID] {
						r.UkraineFigures++
					}
				}
			}
		} else {
			r.Note = "not in the deposit registry"
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		var all []int
		seen := map[int]bool{}
		for _, p := range d.Production {
			if !seen[p.Year] {
				seen[p.Year] = true
				all = append(all, p.Year)
			}
		}
		sort.Ints(all)
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no production data for %d; years with data: %s", year, supply.YearList(all))
	}
	return rows, nil
}

func printOverview(w io.Writer, rows []OverviewRow, year int, names func(string) string) {
	when := "latest year with data per commodity"
	if year != 0 {
		when = strconv.Itoa(year)
	}
	fprintf(w, "World supply by commodity (%s; e = estimate)\n\n", when)
	t := newTab(w)
	fprintf(t, "COMMODITY\tSTAGE\tYEAR\tCHINA\tHHI\tTOP PRODUCER\tCHINA REFINING\tUS NIR\tUKRAINE\n")
	for _, r := range rows {
		hhi := thousands(r.HHI)
		if r.HHILowerBound {
			hhi = ">=" + hhi
		}
		top := "n/a"
		if r.Top != "" {
			top = fmt.Sprintf("%s %s", names(r.Top), pctv(r.TopShare))
		}
		ref := "n/a"
		if r.ChinaRefining != nil {
			ref = fmt.Sprintf("%s (%d)", pctv(*r.ChinaRefining), r.RefiningYear)
		}
		nir := r.USReliance
		if nir == "" {
			nir = "n/a"
		}
		ua := "no deposits"
		switch {
		case r.Note != "":
			ua = r.Note
		case r.UkraineDeposit > 0:
			ua = fmt.Sprintf("%d deposits, %d with figures", r.UkraineDeposit, r.UkraineFigures)
		}
		if r.UkraineShare != nil {
			sh := pctv(*r.UkraineShare)
			if *r.UkraineShare < 0.001 {
				sh = "<0.1%"
			}
			ua += "; produces " + sh
		}
		fprintf(t, "%s\t%s\t%d%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Commodity, r.Stage, r.Year, estMark(r.Estimated), pct(r.China), hhi, top, ref, nir, ua)
	}
	t.Flush()
	fprintf(w, "\nCHINA and HHI: share of the table's rows and Herfindahl-Hirschman index (0-10,000) of named producers;\n"+
		">= marks a lower bound (an 'other countries' row or a share-only table). CHINA REFINING: China's share of the\n"+
		"commodity's refining table, latest year; lithium, cobalt and graphite are approximate shares quoted from the IEA\n"+
		"by a weak source. US NIR: USGS net import reliance (E: net exporter). UKRAINE: registry deposits listing the\n"+
		"commodity, and Ukraine's share where the table lists it. Details: nadra report supply --commodity C.\n")
}

func writeOverviewCSV(w io.Writer, rows []OverviewRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"commodity", "stage", "year", "estimated", "china_share", "hhi", "hhi_lower_bound", "top_producer", "top_share",
		"top3_share", "hhi_wgi", "supply_risk_global", "china_refining_share", "us_import_reliance", "ukraine_deposits",
		"ukraine_deposits_with_figures", "ukraine_share"})
	for _, r := range rows {
		cw.Write([]string{r.Commodity, r.Stage, strconv.Itoa(r.Year), strconv.FormatBool(r.Estimated), csvFloat(r.China),
			strconv.FormatFloat(r.HHI, 'f', 1, 64), strconv.FormatBool(r.HHILowerBound), r.Top, strconv.FormatFloat(r.TopShare, 'g', -1, 64),
			strconv.FormatFloat(r.Top3, 'g', -1, 64), csvFloat(r.HHIWGI), csvFloat(r.SupplyRisk), csvFloat(r.ChinaRefining), r.USReliance,
			strconv.Itoa(r.UkraineDeposit), strconv.Itoa(r.UkraineFigures), csvFloat(r.UkraineShare)})
	}
	cw.Flush()
	return cw.Error()
}
