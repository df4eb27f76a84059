package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"nadra/internal/numfmt"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"nadra"
	"nadra/internal/csvfmt"
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

Both forms end with the EU Critical Raw Materials Act benchmark (no more
than 65% of a strategic raw material from one country, at any stage): for
each commodity and stage, whether the largest producer's share passes
today, with the supply of the Ukrainian deposits accessible on the latest
line added, and under each shipped scenario. Simplification: world
production shares stand in for the EU's import shares, which nadra does
not have.

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
	var adds []supply.Producer
	for _, kv := range f.adds {
		a, err := supply.ParseAddition(kv)
		if err != nil {
			return usagef("--add %s", nadra.ErrorMessage(err))
		}
		adds = append(adds, a)
	}
	if f.commodity == "" && (len(adds) > 0 || f.accessible != nil || f.deposits != "" || f.stage != "") {
		return usagef("--add, --add-accessible, --deposits and --stage need --commodity")
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	in, err := m.supplyInputs(ctx)
	if err != nil {
		return err
	}
	scenarios, err := m.crmaScenarios(ctx)
	if err != nil {
		return err
	}
	if f.commodity == "" {
		rows, err := supply.Overview(in, f.year)
		if err != nil {
			return err
		}
		switch {
		case f.out.json:
			return writeJSON(m.Stdout, rows)
		case f.out.csv:
			return writeOverviewCSV(m.Stdout, rows)
		}
		printOverview(m.Stdout, rows, f.year, in.Data.CountryName)
		tests, err := supply.CRMAAll(in, f.year, scenarios, f.recovery)
		if err != nil {
			return err
		}
		printCRMA(m.Stdout, tests, in.Data.CountryName)
		return nil
	}
	q := supply.Query{Commodity: f.commodity, Stage: f.stage, Year: f.year, Add: adds, Accessible: f.accessible, Recovery: f.recovery}
	for _, id := range strings.Split(f.deposits, ",") {
		if id = strings.TrimSpace(id); id != "" {
			q.Deposits = append(q.Deposits, id)
		}
	}
	rep, err := supply.NewReport(in, q)
	var qe *supply.QueryError
	if errors.As(err, &qe) && nadra.ErrorCode(err) != nadra.EINTERNAL {
		flag := map[string]string{"accessible": "add-accessible"}[qe.Field]
		if flag == "" {
			flag = qe.Field
		}
		if se := (*syntaxError)(nil); errors.As(err, &se) {
			return &syntaxError{prefix: "--" + flag + ": ", pe: se.pe}
		}
		return nadra.Errorf(nadra.ErrorCode(err), "--%s: %s", flag, nadra.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	if rep.CRMA, err = supply.CRMA(in, rep.Commodity, rep.Stage, rep.Year, scenarios, f.recovery); err != nil {
		return err
	}
	switch {
	case f.out.json:
		return writeJSON(m.Stdout, rep)
	case f.out.csv:
		return writeSupplyCSV(m.Stdout, rep)
	}
	printSupply(m.Stdout, rep)
	printCRMA(m.Stdout, []*supply.CRMATest{rep.CRMA}, in.Data.CountryName)
	return nil
}

// crmaScenarios are the database's named scenarios, for the CRMA
// benchmark.
func (m *Main) crmaScenarios(ctx context.Context) ([]supply.NamedScenario, error) {
	sc, err := m.Catalog.FindScenarios(ctx)
	if err != nil {
		return nil, err
	}
	var out []supply.NamedScenario
	for _, s := range sc {
		out = append(out, supply.NamedScenario{ID: s.ID, Name: s.Name, Expression: s.Expression})
	}
	return out, nil
}

// printCRMA prints the EU CRMA 65% benchmark, one row per commodity and
// stage.
func printCRMA(w io.Writer, tests []*supply.CRMATest, names func(string) string) {
	if len(tests) == 0 {
		return
	}
	fprintf(w, "\nEU Critical Raw Materials Act benchmark: no more than %.0f%% from one country (pass / FAIL, largest producer and its share)\n", supply.CRMAThreshold*100)
	var scen []supply.CRMAScenario
	for _, c := range tests {
		if len(c.Scenarios) > len(scen) {
			scen = c.Scenarios
		}
	}
	t := newTab(w)
	head := "COMMODITY\tSTAGE\tYEAR\tTODAY\tWITH UKRAINE (latest line)"
	for _, s := range scen {
		head += "\t" + strings.ToUpper(s.ID)
	}
	fprintf(t, "%s\n", head)
	cell := func(r *supply.CRMAResult) string {
		if r == nil {
			return "n/a"
		}
		v := "pass"
		if !r.Pass {
			v = "FAIL"
		}
		return fmt.Sprintf("%s %s %s", v, r.Top, numfmt.Pct(r.Share))
	}
	byNote := map[string][]string{}
	var notes []string
	for _, c := range tests {
		line := fmt.Sprintf("%s\t%s\t%d\t%s\t%s", c.Commodity, c.Stage, c.Year, cell(c.Today), cell(c.WithUkraine))
		for i := range scen {
			var r *supply.CRMAResult
			if i < len(c.Scenarios) {
				r = c.Scenarios[i].Result
			}
			line += "\t" + cell(r)
		}
		fprintf(t, "%s\n", line)
		if c.UkraineNote != "" {
			if byNote[c.UkraineNote] == nil {
				notes = append(notes, c.UkraineNote)
			}
			byNote[c.UkraineNote] = append(byNote[c.UkraineNote], c.Commodity+" "+c.Stage)
		}
	}
	t.Flush()
	for _, n := range notes {
		fprintf(w, "  n/a for %s: %s\n", strings.Join(byNote[n], ", "), n)
	}
	fprintf(w, "  Ukrainian supply: the potential of the registry's deposits accessible on the line (Taylor's rule, as --add-accessible).\n")
	fprintf(w, "  Simplification: %s\n", wrap(tests[0].Simplification, 96, "    "))
	fprintf(w, "  Source: %s\n", wrap(tests[0].Source, 96, "    "))
}

// supplyInputs reads what supply reports need: the supply tables, the
// registry, and deposit statuses under a scenario from scenarioAccess.
func (m *Main) supplyInputs(ctx context.Context) (supply.Inputs, error) {
	data, err := m.Supply.FindSupplyData(ctx)
	if err != nil {
		return supply.Inputs{}, err
	}
	reg, err := m.registry(ctx)
	if err != nil {
		return supply.Inputs{}, err
	}
	return supply.Inputs{Data: data, Deposits: reg.Deposits, Estimates: reg.Estimates,
		Statuses: func(expr string) (map[string]nadra.Status, string, error) {
			rep, err := m.scenarioAccess(ctx, expr)
			if err != nil {
				return nil, "", err
			}
			st := map[string]nadra.Status{}
			for _, d := range rep.Deposits {
				st[d.ID] = d.Status
			}
			return st, rep.Snapshot, nil
		}}, nil
}

// printSupply prints one commodity's report: the headline, the metrics,
// the producers, what a what-if added, the context and the notes.
func printSupply(w io.Writer, r *supply.Report) {
	fprintf(w, "%s, %d%s (%s)\n", r.Name, r.Year, numfmt.EstMark(r.Estimated), r.Unit)
	if r.Headline != "" {
		fprintf(w, "\n%s\n", wrap(r.Headline, 100, ""))
	}
	printSupplyMetrics(w, r)
	printSupplyProducers(w, r)
	printSupplyAdditions(w, r)
	printSupplyContext(w, r)
	printSupplyNotes(w, r)
}

// printSupplyMetrics prints the metrics table: before, and with additions
// after and the change.
func printSupplyMetrics(w io.Writer, r *supply.Report) {
	name := r.Names
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
		world = numfmt.Quantity(*r.Before.World)
	}
	if r.ShareOnly {
		row("World", "shares only", "", "")
	} else {
		row("Total (sum of rows)", numfmt.Quantity(b.Total), numfmt.Quantity(a.Total), numfmt.Signed(a.Total-b.Total, numfmt.Quantity))
		row("Published world total", world, "", "")
	}
	row("China share", pct(b.China), pct(a.China), ppOpt(c.China))
	row("Top producer", topStr(b.Top, name), topStr(a.Top, name), "")
	row("Top-3 share", numfmt.Pct(b.Top3), numfmt.Pct(a.Top3), pp(c.Top3))
	row("HHI (0-10,000)", numfmt.Quantity(b.HHI), numfmt.Quantity(a.HHI), numfmt.Signed(c.HHI, numfmt.Quantity))
	row("HHI_WGI (0-10)", f2(b.HHIWGI), f2(a.HHIWGI), signedOpt(c.HHIWGI))
	if r.RiskBefore != nil {
		ra := ""
		if r.RiskAfter != nil {
			ra = fmt.Sprintf("%.2f", r.RiskAfter.Value)
		}
		row("EU supply risk ("+r.RiskBefore.Variant+")", fmt.Sprintf("%.2f", r.RiskBefore.Value), ra, "")
	}
	t.Flush()

}

// printSupplyProducers prints each producer's quantity, share and
// governance score, before and after.
func printSupplyProducers(w io.Writer, r *supply.Report) {
	name := r.Names
	b, a := r.Metrics.Before, r.Metrics.After
	var t *tabwriter.Writer
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
		if v, ok := r.WGI[country]; ok {
			g = strconv.FormatFloat(v, 'f', 2, 64)
		}
		qs := numfmt.Quantity(q)
		if r.ShareOnly {
			qs = "-"
		}
		fprintf(t, "  %s\t%s\t%s\t%s", name(country), qs, numfmt.Pct(sh), g)
		if r.After != nil {
			fprintf(t, "\t%s\t%s", numfmt.Quantity(r.After.Quantity(country)), numfmt.Pct(after[country].Share))
		}
		fprintf(t, "\n")
	}
	for _, s := range b.Shares {
		seen[s.Country] = true
		list(s.Country, r.Before.Quantity(s.Country), s.Share)
	}
	for _, s := range a.Shares {
		if !seen[s.Country] {
			fprintf(t, "  %s (added)\t0\t0.0%%\t%s\t%s\t%s\n", name(s.Country), wgiStr(r.WGI, s.Country), numfmt.Quantity(r.After.Quantity(s.Country)), numfmt.Pct(s.Share))
		}
	}
	if r.Before.Other > 0 || b.OtherShare > 0 {
		fprintf(t, "  Other countries\t%s\t%s\t\n", numfmt.Quantity(r.Before.Other), numfmt.Pct(b.OtherShare))
	}
	if b.Unattributed > 0 {
		fprintf(t, "  Not attributed by the source\t-\t%s\t\n", numfmt.Pct(b.Unattributed))
	}
	t.Flush()

}

// printSupplyAdditions prints the deposits' potential, what was added and
// the assumptions.
func printSupplyAdditions(w io.Writer, r *supply.Report) {
	name := r.Names
	var t *tabwriter.Writer
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
			fprintf(t, "  %s\t%s\t%s t %s\t%s Mt (%s)\t%.1f y\t%s\t%s\n", p.DepositID, p.Status, numfmt.Quantity(p.Contained), p.Basis,
				strconv.FormatFloat(p.OreTonnes/1e6, 'f', 1, 64), p.OreFrom, p.LifeYears, numfmt.Quantity(p.Annual), added)
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
			fprintf(w, "  %s: %s (%s)\n", name(a.Country), supply.QtyUnit(a.Quantity, r.Unit), a.From)
		}
	}
	if len(r.Assumptions) > 0 {
		fprintf(w, "\nAssumptions:\n")
		for _, a := range r.Assumptions {
			fprintf(w, "  - %s\n", wrap(a, 96, "    "))
		}
	}

}

// printSupplyContext prints US import reliance, reserves and what the
// tables say about Ukraine.
func printSupplyContext(w io.Writer, r *supply.Report) {
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
			q = supply.QtyUnit(*p.Quantity, r.Unit)
		}
		prod := ""
		if p.Product != "" {
			prod = " " + p.Product
		}
		fprintf(w, "  Ukraine %d%s%s: %s\n", p.Year, prod, numfmt.EstMark(p.Estimated), q)
	}
	for _, n := range u.National {
		fprintf(w, "  Ukraine %d %s: %s %s (%s)\n", n.Year, n.Product, numfmt.Quantity(n.Quantity), n.Unit, n.Note)
	}
}

// printSupplyNotes prints the supply-risk inputs missing, the comparison
// with the EU's table, the notes and the sources.
func printSupplyNotes(w io.Writer, r *supply.Report) {
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
func reservesLine(r *supply.Report) string {
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
		parts = append(parts, fmt.Sprintf("%s %s", r.Names(c), numfmt.Human(sum[c])))
	}
	s := fmt.Sprintf("Reserves (USGS, %d, %s): largest %s", latest, unit, strings.Join(parts, ", "))
	if world != nil && world.Product == "" {
		s += "; world " + numfmt.Human(*world.Quantity)
		if world.Note != "" {
			s += " (" + world.Note + ")"
		}
	}
	return s + "."
}

// conversion says how a potential's figures convert into its basis, e.g.
// " (1 t LCE = 0.1878 t Li)".
func conversion(p supply.PotentialRow) string {
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
	return name(s.Country) + " " + numfmt.Pct(s.Share)
}

func f2(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*p, 'f', 2, 64)
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

func writeSupplyCSV(w io.Writer, r *supply.Report) error {
	cw := csvfmt.NewWriter(w)
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
func printOverview(w io.Writer, rows []supply.OverviewRow, year int, names func(string) string) {
	when := "latest year with data per commodity"
	if year != 0 {
		when = strconv.Itoa(year)
	}
	fprintf(w, "World supply by commodity (%s; e = estimate)\n\n", when)
	t := newTab(w)
	fprintf(t, "COMMODITY\tSTAGE\tYEAR\tCHINA\tHHI\tTOP PRODUCER\tCHINA REFINING\tUS NIR\tUKRAINE\n")
	for _, r := range rows {
		hhi := numfmt.Quantity(r.HHI)
		if r.HHILowerBound {
			hhi = ">=" + hhi
		}
		top := "n/a"
		if r.Top != "" {
			top = fmt.Sprintf("%s %s", names(r.Top), numfmt.Pct(r.TopShare))
		}
		ref := "n/a"
		if r.ChinaRefining != nil {
			ref = fmt.Sprintf("%s (%d)", numfmt.Pct(*r.ChinaRefining), r.RefiningYear)
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
			sh := numfmt.Pct(*r.UkraineShare)
			if *r.UkraineShare < 0.001 {
				sh = "<0.1%"
			}
			ua += "; produces " + sh
		}
		fprintf(t, "%s\t%s\t%d%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Commodity, r.Stage, r.Year, numfmt.EstMark(r.Estimated), pct(r.China), hhi, top, ref, nir, ua)
	}
	t.Flush()
	fprintf(w, "\nCHINA and HHI: share of the table's rows and Herfindahl-Hirschman index (0-10,000) of named producers;\n"+
		">= marks a lower bound (an 'other countries' row or a share-only table). CHINA REFINING: China's share of the\n"+
		"commodity's refining table, latest year; lithium, cobalt and graphite are approximate shares quoted from the IEA\n"+
		"by a weak source. US NIR: USGS net import reliance (E: net exporter). UKRAINE: registry deposits listing the\n"+
		"commodity, and Ukraine's share where the table lists it. Details: nadra report supply --commodity C.\n")
}

func writeOverviewCSV(w io.Writer, rows []supply.OverviewRow) error {
	cw := csvfmt.NewWriter(w)
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
