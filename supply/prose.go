package supply

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"nadra"
	"nadra/internal/numfmt"
)

// This file writes a Report's prose: the headline, the comparison with
// the EU's table and the notes. NewReport computes the figures first and
// calls describe last, so that no sentence is written before the figure
// it states, and the words are in one place apart from the arithmetic.

// describe writes rep's headline, EU comparison and notes from its
// figures. added is the total supply added; nothingAdded says a what-if
// was asked and found nothing to add; wgiYears are the years of the
// governance scores used.
func (rep *Report) describe(d *nadra.SupplyData, s *nadra.SupplySeries, added float64, nothingAdded bool, wgiYears map[string]int) {
	before := rep.Before
	rep.EUComparison = euComparison(rep, d)

	if nothingAdded {
		rep.Headline = fmt.Sprintf("Nothing to add: no deposit considered is both accessible and has a potential by Taylor's rule, "+
			"so China's share of world %s, %d%s, stays %s.", strings.ToLower(s.Name), before.Year, numfmt.EstMark(before.Estimated), numfmt.PctOf(rep.Metrics.Before.China))
	}
	if rep.After != nil {
		c := rep.Metrics.Change
		if c.China != nil {
			rep.Headline = fmt.Sprintf("China's share of world %s, %d%s: %s -> %s (%+.1f percentage points); %s added (%s of the new total).",
				strings.ToLower(s.Name), before.Year, numfmt.EstMark(before.Estimated), numfmt.PctOf(rep.Metrics.Before.China), numfmt.PctOf(rep.Metrics.After.China),
				*c.China*100, QtyUnit(added, s.Unit), numfmt.Pct(c.AddedShare))
		}
	}

	// Notes that hold for every report.
	n := &rep.Notes
	*n = append(*n, "Shares are of the sum of the table's rows, 'other countries' included; the published world total is shown beside it.")
	if before.Other > 0 || rep.Metrics.Before.Unattributed > 0 {
		*n = append(*n, fmt.Sprintf("The HHI, HHI_WGI and supply risk count named producers only: lower bounds (other countries %s%s).",
			numfmt.Pct(rep.Metrics.Before.OtherShare), unattributed(rep.Metrics.Before.Unattributed)))
	}
	if len(before.Withheld) > 0 {
		*n = append(*n, "Withheld or not available, so left out: "+strings.Join(nameList(before.Withheld, d.CountryName), ", ")+".")
	}
	if before.Estimated {
		*n = append(*n, fmt.Sprintf("%d figures are estimates in the source.", before.Year))
	}
	if len(rep.Metrics.Before.NoWGI) > 0 {
		*n = append(*n, fmt.Sprintf("No governance score for %s: left out of HHI_WGI (coverage %s of output).",
			strings.Join(nameList(rep.Metrics.Before.NoWGI, d.CountryName), ", "), numfmt.Pct(rep.Metrics.Before.WGICoverage)))
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
	*n = append(*n, "Governance: World Bank WGI "+strings.Join(ys, ", ")+", mean of six, rescaled to 0 (best) - 10 (worst) as (2.5 - WGI) x 2; "+RiskSource+".")
}

func euComparison(rep *Report, d *nadra.SupplyData) string {
	e := rep.EU
	if e == nil || e.MajorSupplierPct == nil || e.MajorSupplier == "" {
		return ""
	}
	s := fmt.Sprintf("EU CRM 2023 Table A names %s as the major global supplier at the %s stage with %g%%", d.CountryName(e.MajorSupplier),
		e.MajorSupplierStage, *e.MajorSupplierPct)
	if e.MajorSupplierStage == rep.Stage {
		for _, sh := range rep.Metrics.Before.Shares {
			if sh.Country == e.MajorSupplier {
				s += fmt.Sprintf("; this table gives %s %s in %d", d.CountryName(sh.Country), numfmt.Pct(sh.Share), rep.Year)
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

func unattributed(u float64) string {
	if u <= 0 {
		return ""
	}
	return ", unattributed " + numfmt.Pct(u)
}
