package deal_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"nadra"
	"nadra/deal"
)

func ptr(v float64) *float64 { return &v }

func TestOverrides_Apply(t *testing.T) {
	p := MustInputs(t).Params
	signed := MustTerms(t, "urif-2025")
	key := func(k string) string { return k }

	t.Run("OK", func(t *testing.T) {
		o := deal.Overrides{Discount: ptr(0.05), AidUSDPerYear: 1e9, AidYears: 3, HazardScale: ptr(2), PriceLevel: ptr(1.5),
			EndYear: 2045, UkraineShare: ptr(0.3)}
		s, terms, err := o.Apply(p, []*nadra.DealTerms{signed}, key)
		if err != nil {
			t.Fatal(err)
		}
		if s.Discount != 0.05 || s.AidUSDPerYear != 1e9 || s.AidYears != 3 || s.HazardScale != 2 || s.PriceLevel != 1.5 || s.EndYear != 2045 || s.StartYear != 2025 {
			t.Fatalf("settings %+v", s)
		}
		got := terms[0]
		if got == signed || got.UkraineShare != 0.3 || got.Term("ukraine_share").Value != 0.3 || len(got.Overrides) != 1 {
			t.Fatalf("overridden terms: share %g, overrides %v", got.UkraineShare, got.Overrides)
		}
		// The shipped terms are shared by every caller: never changed.
		if signed.UkraineShare != 0.5 || signed.Term("ukraine_share").Value != 0.5 || len(signed.Overrides) != 0 {
			t.Fatalf("the shipped terms changed: %g", signed.UkraineShare)
		}
	})

	t.Run("Defaults", func(t *testing.T) {
		s, terms, err := (&deal.Overrides{}).Apply(p, []*nadra.DealTerms{signed}, key)
		if err != nil {
			t.Fatal(err)
		}
		if s != deal.DefaultSettings(p) || terms[0] != signed {
			t.Fatalf("no overrides changed something: %+v", s)
		}
	})

	for _, tt := range []struct {
		name string
		o    deal.Overrides
		want string
	}{
		{"ErrDiscount", deal.Overrides{Discount: ptr(7)}, "discount 7: expected a fraction"},
		{"ErrPriceLevel", deal.Overrides{PriceLevel: ptr(0)}, "price_level 0: expected a factor above 0"},
		{"ErrHazard", deal.Overrides{HazardScale: ptr(-1)}, "hazard_scale -1"},
		{"ErrShare", deal.Overrides{UkraineShare: ptr(1.5)}, "ukraine_share 1.5: expected a share from 0 to 1"},
		{"ErrAid", deal.Overrides{AidUSDPerYear: -1}, "aid_usd_per_year -1"},
		{"ErrNominal", deal.Overrides{Nominal: true}, "nominal needs inflation"},
		{"ErrInflation", deal.Overrides{Inflation: ptr(0.02)}, "inflation is only used with nominal"},
		{"ErrEndYear", deal.Overrides{EndYear: 3000}, "end_year 3000"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := tt.o.Apply(p, []*nadra.DealTerms{signed}, key)
			if nadra.ErrorCode(err) != nadra.EINVALID || !strings.Contains(nadra.ErrorMessage(err), tt.want) {
				t.Fatalf("err %v, want EINVALID with %q", err, tt.want)
			}
		})
	}
	t.Run("ErrName", func(t *testing.T) {
		o := deal.Overrides{AidYears: 500}
		_, _, err := o.Apply(p, []*nadra.DealTerms{signed}, func(k string) string { return "--" + strings.ReplaceAll(k, "_", "-") })
		if !strings.Contains(nadra.ErrorMessage(err), "--aid-years 500") {
			t.Fatalf("err %v", err)
		}
	})
}

// The price level scales receipts: with no price volatility, doubling
// every price at least doubles the fund's receipts in the deterministic
// case (more projects pass the build decision, none fewer).
func TestSettings_PriceLevel(t *testing.T) {
	in := MustInputs(t)
	terms := []*nadra.DealTerms{MustTerms(t, "urif-2025")}
	det := func(level float64) float64 {
		in := in
		in.Settings.PriceLevel = level
		m, err := deal.Build(in)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := deal.Deterministic(m, []*deal.Fund{m.NewFund(terms[0])})
		if err != nil {
			t.Fatal(err)
		}
		return rows[0][deal.ColStatePV]
	}
	base, unset, double := det(1), det(0), det(2)
	if unset != base {
		t.Fatalf("price level 0 (unset) gives %g, 1 gives %g", unset, base)
	}
	if double < 2*base*0.999 {
		t.Fatalf("state receipts PV at twice the prices %g, at the parameters' %g", double, base)
	}
}

func TestResult_Histogram(t *testing.T) {
	in := MustInputs(t)
	res, err := deal.Simulate(context.Background(), in, []*nadra.DealTerms{MustTerms(t, "urif-2025")}, deal.Options{Paths: 2000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"fund_receipts_pv", "us_npv", "ukraine_npv"} {
		h := res.Histogram(0, key, 30)
		n := h.Below + h.Above
		for _, c := range h.Counts {
			n += c
		}
		if n != h.N || h.N != res.Terms[0].Metrics[key].N || len(h.Counts) != 30 || !(h.Lo < h.Hi) {
			t.Fatalf("%s: %d counted of %d, %d bins, [%g, %g]", key, n, h.N, len(h.Counts), h.Lo, h.Hi)
		}
		// The range is the 0.5th to 99.5th percentile: about 1% outside.
		if out := float64(h.Below+h.Above) / float64(h.N); out > 0.011 {
			t.Fatalf("%s: %.1f%% of paths outside the bins", key, out*100)
		}
	}
	if h := res.Histogram(0, "no_such_metric", 10); h.N != 0 {
		t.Fatalf("unknown metric: %+v", h)
	}
}

// TestResult_SharedHistograms checks two sets of terms' histograms on one
// range: the union of each one's own range, every path counted once.
func TestResult_SharedHistograms(t *testing.T) {
	in := MustInputs(t)
	res, err := deal.Simulate(context.Background(), in, []*nadra.DealTerms{MustTerms(t, "urif-2025"), MustTerms(t, "draft-2025-02")}, deal.Options{Paths: 1000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"fund_receipts_pv", "us_npv"} {
		own := []deal.Histogram{res.Histogram(0, key, 20), res.Histogram(1, key, 20)}
		hs := res.SharedHistograms(key, 20)
		if len(hs) != 2 || hs[0].Terms != "urif-2025" || hs[1].Terms != "draft-2025-02" {
			t.Fatalf("%s: %d histograms", key, len(hs))
		}
		lo, hi := math.Min(float64(own[0].Lo), float64(own[1].Lo)), math.Max(float64(own[0].Hi), float64(own[1].Hi))
		for k, h := range hs {
			if float64(h.Lo) != lo || float64(h.Hi) != hi {
				t.Fatalf("%s, %s: range [%g, %g], want the union [%g, %g]", key, h.Terms, h.Lo, h.Hi, lo, hi)
			}
			n := h.Below + h.Above
			for _, c := range h.Counts {
				n += c
			}
			if n != h.N || h.N != own[k].N {
				t.Fatalf("%s, %s: %d counted of %d paths", key, h.Terms, n, own[k].N)
			}
			// A wider range leaves no more paths outside it.
			if h.Below+h.Above > own[k].Below+own[k].Above {
				t.Fatalf("%s, %s: %d outside the shared range, %d outside its own", key, h.Terms, h.Below+h.Above, own[k].Below+own[k].Above)
			}
		}
	}
}

func TestConclusion(t *testing.T) {
	in := MustInputs(t)
	o := deal.Overrides{UkraineShare: ptr(0.25)}
	s, terms, err := o.Apply(in.Params, []*nadra.DealTerms{MustTerms(t, "urif-2025"), MustTerms(t, "draft-2025-02")}, func(k string) string { return k })
	if err != nil {
		t.Fatal(err)
	}
	in.Settings = s
	res, err := deal.Simulate(context.Background(), in, terms, deal.Options{Paths: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := deal.Conclusion(res, deal.Yardstick{USD: 500e9, Where: "the February draft"})
	for _, want := range []string{"Under the signed terms (urif-2025) with Ukraine's share set to 25% (the text: 50%), the fund's receipts",
		"real USD at 2023-25 prices, 7% discount", "of the $500 bn in the February draft", "On the same paths, draft-2025-02 changes"} {
		if !strings.Contains(c, want) {
			t.Errorf("conclusion lacks %q:\n%s", want, c)
		}
	}
	rep := deal.NewReport(res, "test", 0.1, deal.Yardstick{})
	if rep.Conclusion == c || len(rep.Terms) != 2 || rep.VS == nil || len(rep.Terms[0].Fan) != 31 || rep.Terms[0].Overrides == nil {
		t.Fatalf("report: %d terms, vs %v, %d fan years, overrides %v", len(rep.Terms), rep.VS, len(rep.Terms[0].Fan), rep.Terms[0].Overrides)
	}
	for _, y := range rep.Terms[0].Fan {
		if !(y.P5 <= y.P25 && y.P25 <= y.P50 && y.P50 <= y.P75 && y.P75 <= y.P95) {
			t.Fatalf("fan %d out of order: %+v", y.Year, y)
		}
	}
}
