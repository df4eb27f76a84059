package deal

import (
	"fmt"
	"math"
	"strings"

	"nadra/internal/numfmt"
)

// Yardstick is an amount the plain-sentence summary compares the fund's
// receipts with when the terms set no target of their own: the February
// 2025 draft's $500 bn (dataset.Yardstick). Where names it in a sentence
// ("the February draft").
type Yardstick struct {
	USD   float64
	Where string
}

// Conclusion writes the plain sentences that close a report: per set of
// terms, what the fund's receipts are worth and against what, how much
// of its contribution the US recovers and when, and Ukraine's NPV; then
// the comparison of two terms on the same paths.
func Conclusion(r *Result, y Yardstick) string {
	s := r.Model.Settings
	var b strings.Builder
	for _, tr := range r.Terms {
		pv := tr.Metrics["fund_receipts_pv"]
		sum := tr.Metrics["fund_receipts_sum"]
		fmt.Fprintf(&b, "Under %s the fund's receipts from Ukraine's revenue share over %d–%d are worth %s today (P5–P95 %s; %s), %s undiscounted. ",
			termsPhrase(tr), s.StartYear, s.EndYear, Billions(pv.Mean), span(Billions(pv.P5), Billions(pv.P95)), BasisLabel(s), Billions(sum.Mean))
		switch {
		case tr.Target > 0:
			fmt.Fprintf(&b, "That is %s of the %s this text sets as Ukraine's target. ", pctShort(pv.Mean/tr.Target), Billions(tr.Target))
		case y.USD > 0:
			fmt.Fprintf(&b, "That is %s of the %s in %s. ", pctShort(pv.Mean/y.USD), Billions(y.USD), y.Where)
		}
		rec := tr.Metrics["us_recovery"]
		usNPV := tr.Metrics["us_npv"]
		contrib := tr.Metrics["us_contributions_pv"]
		prior := tr.PriorUSAid
		dist := tr.Metrics["us_distributions_pv"]
		switch {
		case rec.N == 0:
			fmt.Fprintf(&b, "The US puts nothing in under these terms, so it has no recovery ratio; it receives %s in present value. ", Billions(dist.Mean))
		case prior > 0:
			fmt.Fprintf(&b, "Counting the %s of aid already given as its contribution, as this text does, the US recovers %s it in present value (P5–P95 %s); it receives %s. ",
				Billions(prior), ratio(rec.Mean), ratioSpan(rec.Mean, rec.P5, rec.P95), Billions(dist.Mean))
		default:
			fmt.Fprintf(&b, "The US recovers %s what it puts in (%s), in present value (P5–P95 %s), and loses money on %s of paths. ",
				ratio(rec.Mean), Money(contrib.Mean), ratioSpan(rec.Mean, rec.P5, rec.P95), Percent(usNPV.Negative))
		}
		first := tr.Metrics["us_years_to_first_distribution"]
		switch {
		case first.N == 0:
			b.WriteString("The US receives no distribution within the horizon. ")
		case first.P50 == 0:
			fmt.Fprintf(&b, "Its first distribution comes in the first year (%d) at the median. ", s.StartYear)
		default:
			fmt.Fprintf(&b, "Its first distribution comes after %.0f years at the median (%d). ", first.P50, s.StartYear+int(first.P50))
		}
		ua := tr.Metrics["ukraine_npv"]
		fmt.Fprintf(&b, "Ukraine's NPV from the fund is %s (P5–P95 %s). ", Billions(ua.Mean), span(Billions(ua.P5), Billions(ua.P95)))
	}
	if r.VS != nil {
		d := r.VS.Metrics["fund_receipts_pv"]
		du := r.VS.Metrics["us_npv"]
		dua := r.VS.Metrics["ukraine_npv"]
		fmt.Fprintf(&b, "On the same paths, %s changes the fund's receipts by %s in present value against %s (P5–P95 %s), the US NPV by %s and Ukraine's NPV by %s.",
			r.VS.Other, numfmt.Signed(d.Mean, Billions), r.VS.Base, span(numfmt.Signed(d.P5, Billions), numfmt.Signed(d.P95, Billions)), numfmt.Signed(du.Mean, Billions), numfmt.Signed(dua.Mean, Billions))
	}
	return strings.TrimSpace(b.String())
}

// BasisLabel says what a run's amounts are: real or nominal dollars, and
// at what discount rate.
func BasisLabel(s Settings) string {
	if s.Nominal {
		return fmt.Sprintf("nominal USD, %.4g%% inflation, %.4g%% nominal discount", s.Inflation*100, s.Discount*100)
	}
	return fmt.Sprintf("real USD at 2023-25 prices, %.4g%% discount", s.Discount*100)
}

// Billions formats dollars as billions, the sign before the dollar sign:
// "$0.21 bn", "-$13.4 bn".
func Billions(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	sign, a := "", math.Abs(v)
	if v < 0 {
		sign = "-"
	}
	switch {
	case a >= 100e9:
		return fmt.Sprintf("%s$%.0f bn", sign, a/1e9)
	case a >= 10e9:
		return fmt.Sprintf("%s$%.1f bn", sign, a/1e9)
	}
	return fmt.Sprintf("%s$%.2f bn", sign, a/1e9)
}

// Money formats dollars with a unit and precision that suit the size:
// billions from $1 bn, else millions.
func Money(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	sign, a := "", math.Abs(v)
	if v < 0 {
		sign = "-"
	}
	switch {
	case a >= 1e9:
		return Billions(v)
	case a >= 10e6:
		return fmt.Sprintf("%s$%.0f m", sign, a/1e6)
	case a >= 1e5:
		return fmt.Sprintf("%s$%.1f m", sign, a/1e6)
	case a == 0:
		return "$0"
	}
	return fmt.Sprintf("%s$%.3f m", sign, a/1e6)
}

// Percent formats a fraction as a percentage with one decimal.
func Percent(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", v*100)
}

// termsPhrase names terms in a sentence, with any overrides.
func termsPhrase(tr *TermsResult) string {
	var p string
	switch tr.Status {
	case "signed":
		p = "the signed terms (" + tr.ID + ")"
	case "draft":
		p = "the " + strings.TrimSuffix(strings.TrimPrefix(tr.Name, "US "), " (not signed)") + " (" + tr.ID + ", never signed)"
	default:
		p = "the terms " + tr.ID
	}
	if len(tr.Overrides) > 0 {
		p += " with " + strings.Join(tr.Overrides, " and ") + ","
	}
	return p
}

// span writes a range; "from" and "to" keep signs readable.
func span(a, b string) string { return a + " to " + b }

// ratioSpan writes the range of a recovery ratio in the unit ratio uses
// for its mean.
func ratioSpan(mean, lo, hi float64) string {
	if mean >= 1 {
		return fmt.Sprintf("%.2f to %.2f times", lo, hi)
	}
	return pctShort(lo) + " to " + pctShort(hi)
}

// ratio writes a recovery ratio: "2.03 times" or "0.42% of".
func ratio(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case v >= 1:
		return fmt.Sprintf("%.2f times", v)
	}
	return pctShort(v) + " of"
}

func pctShort(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.Abs(v) >= 0.1:
		return fmt.Sprintf("%.0f%%", v*100)
	case math.Abs(v) >= 0.001:
		return fmt.Sprintf("%.2f%%", v*100)
	}
	return fmt.Sprintf("%.3f%%", v*100)
}
