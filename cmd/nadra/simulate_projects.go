package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	"nadra"
	"nadra/deal"
)

// contained writes a line's contained quantity, or "published capacity"
// for a project valued without a resource estimate.
func contained(l deal.Line) string {
	if math.IsNaN(float64(l.Contained)) {
		return "no estimate:"
	}
	return tonnes(float64(l.Contained))
}

// printProjects prints the per-project view: one row per project, then
// each project's eligibility, inputs and sources, then the calibration
// table and the fund's receipts by commodity.
func printProjects(w io.Writer, r *deal.ProjectsReport) {
	s := r.Settings
	ceasefire := "none within the horizon"
	if s.CeasefireYear != 0 {
		ceasefire = fmt.Sprint(s.CeasefireYear)
	}
	fprintf(w, "Projects, %d-%d: %d paths, seed %d, %s; control status from the %s; ceasefire scenario: %s.\n",
		s.StartYear, s.EndYear, r.Paths, r.Seed, deal.BasisLabel(s), r.Control, ceasefire)
	terms := ""
	if len(r.Headline) > 0 {
		terms = r.Headline[0].Terms
	}
	fprintf(w, "Eligibility and fund share under %s. Amounts are means over the paths; PV and NPV at the run's discount rate.\n\n", terms)
	t := newTab(w)
	fprintf(t, "  DEPOSIT\tELIGIBLE\tPRODUCT\tCAPACITY T/YR\tCAPEX\tFIRST OUTPUT P5/P50/P95 (BUILT)\tLIFE YRS\tSTATE PV\tDEVELOPER NPV\tFUND PV\tFUND SHARE\n")
	for _, p := range r.Projects {
		res := p.Results
		elig, fundPV, share := "", "", ""
		if len(res.Terms) > 0 {
			pt := res.Terms[0]
			elig = pt.Eligibility.Verdict
			fundPV, share = money(float64(pt.FundPV.Mean)), pctf(float64(pt.FundShare))
		}
		start := "never"
		if res.StartYear.N > 0 {
			start = fmt.Sprintf("%.0f/%.0f/%.0f (%s)", float64(res.StartYear.P5), float64(res.StartYear.P50), float64(res.StartYear.P95), pctf(float64(res.BuiltShare)))
		}
		capex := money(p.CapexUSD) + mark(p, deal.InputCapex, "")
		if p.Existing {
			capex = "producing"
		}
		for i, l := range p.Lines {
			if i == 0 {
				fprintf(t, "  %s\t%s\t%s\t%s%s\t%s%s\t%s\t%.1f%s\t%s\t%s\t%s\t%s\n", p.DepositID, elig, l.Product, tonnes(l.CapacityTPA), mark(p, deal.InputCapacity, l.Commodity),
					capex, "", start, p.LifeYears, mark(p, "life_years", ""), money(float64(res.StatePV.Mean)), money(float64(res.DeveloperNPV.Mean)), fundPV, share)
				continue
			}
			fprintf(t, "  \t\t%s\t%s%s\t\t\t\t\t\t\t\n", l.Product, tonnes(l.CapacityTPA), mark(p, deal.InputCapacity, l.Commodity))
		}
	}
	t.Flush()
	fprintf(w, "  * published figure or derived from published figures; m: model fallback (Taylor's rule, the cost curves or the stage's lead time).\n")
	for _, h := range r.Headline {
		var parts []string
		for _, c := range h.ByCommodity {
			parts = append(parts, fmt.Sprintf("%s %s (%s)", c.Commodity, money(float64(c.FundPV)), pctf(float64(c.Share))))
		}
		fprintf(w, "\n  Fund receipts under %s: %s PV (P5-P95 %s to %s); by commodity: %s.\n", h.Terms, money(float64(h.FundReceiptsPV.Mean)),
			money(float64(h.FundReceiptsPV.P5)), money(float64(h.FundReceiptsPV.P95)), listOr(parts, "none"))
	}

	for _, p := range r.Projects {
		fprintf(w, "\n%s (%s, %s)\n", p.Name, p.DepositID, stageName(p.Stage))
		for _, pt := range p.Results.Terms {
			in := "not in the base"
			if pt.InBase {
				in = "in the base"
			}
			fprintf(w, "  %s: %s, %s: %s\n", pt.Terms, pt.Eligibility.Verdict, in, wrap(pt.Eligibility.Reason, 92, "    "))
		}
		lead := "producing at the start"
		if !p.Existing {
			lead = fmt.Sprintf("lead %g/%g/%g years (min/mode/max)", p.Lead.Min, p.Lead.Mode, p.Lead.Max)
			if p.WaitsForCeasefire {
				lead += ", construction waits on the ceasefire"
			}
		}
		fprintf(w, "  %s; life %.1f years (%s)\n", lead, p.LifeYears, p.LifeMethod)
		for _, n := range p.Notes {
			fprintf(w, "  note: %s\n", wrap(n, 92, "    "))
		}
		fprintf(w, "  state's receipts by year (mean): %s\n", wrap(yearsLine(s.StartYear, p.Results.StateByYear), 92, "    "))
	}

	fprintf(w, "\nCalibration: every per-project input beside its published figure (model / published = ratio).\n")
	t = newTab(w)
	fprintf(t, "  DEPOSIT\tINPUT\tMODEL\tPUBLISHED\tRATIO\tUSED\tBASIS\tSOURCE\n")
	for _, c := range r.Calibration {
		in := c.Input
		if c.Commodity != "" {
			in += " (" + c.Commodity + ")"
		}
		used := num(c.Used)
		if c.Text != "" {
			used = c.Text + " at $" + num(c.Used) + "/t"
		}
		fprintf(t, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.DepositID, in, num(c.Model), num(c.Published), ratioText(c.Ratio), used, c.Basis, firstSource(c.Source))
	}
	t.Flush()
	if len(r.NotValued) > 0 {
		fprintf(w, "\nLeft out or not valued (listed, never counted as zero):\n")
		for _, n := range r.NotValued {
			if strings.HasPrefix(n.Reason, "no resource estimate") {
				continue
			}
			fprintf(w, "  - %s: %s\n", n.DepositID, wrap(n.Reason, 92, "    "))
		}
		fprintf(w, "  - and %d deposits without a resource estimate or a published capacity\n", countPrefix(r.NotValued, "no resource estimate"))
	}
}

// mark flags an input as published (*) or model fallback (m).
func mark(p deal.ProjectView, input, commodity string) string {
	for _, c := range p.Calibration {
		if c.Input == input && (commodity == "" || c.Commodity == commodity) {
			if c.Basis == deal.BasisPublished || c.Basis == deal.BasisDerived {
				return "*"
			}
			return "m"
		}
	}
	return ""
}

func stageName(s nadra.Stage) string {
	if s == "" {
		return "stage not recorded"
	}
	return string(s)
}

func yearsLine(start int, v []deal.Num) string {
	var parts []string
	for i, x := range v {
		if float64(x) == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%d %s", start+i, money(float64(x))))
	}
	return listOr(parts, "none within the horizon")
}

func num(v deal.Num) string {
	f := float64(v)
	switch {
	case math.IsNaN(f):
		return "-"
	case math.Abs(f) >= 1000:
		return tonnes(f)
	}
	return fmt.Sprintf("%.4g", f)
}

func ratioText(v deal.Num) string {
	if math.IsNaN(float64(v)) {
		return "-"
	}
	return fmt.Sprintf("%.2f", float64(v))
}

// firstSource shortens a list of sources to its first, for the table.
func firstSource(s string) string {
	if i := strings.Index(s, " | "); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

func countPrefix(ns []deal.NotValued, prefix string) int {
	n := 0
	for _, x := range ns {
		if strings.HasPrefix(x.Reason, prefix) {
			n++
		}
	}
	return n
}
