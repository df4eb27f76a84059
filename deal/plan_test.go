package deal_test

import (
	"math"
	"testing"

	"nadra/deal"
	"nadra/montecarlo"
)

// TestPlaceRecorded places recorded figures among four hand-made paths:
// the fund's receipts in 2026 are 0, 10, 10 and 30 on the four paths.
func TestPlaceRecorded(t *testing.T) {
	s := deal.Settings{StartYear: 2025, EndYear: 2027, VolScale: 1, SpreadScale: 1, HazardScale: 1, PriceLevel: 1}
	m, err := deal.NewModel(nil, testParams(), s)
	if err != nil {
		t.Fatal(err)
	}
	w := m.Width()
	res := &montecarlo.Results{Paths: 4, Width: w, Data: make([]float64, 4*w)}
	for i, v := range []float64{0, 10, 10, 30} {
		res.Data[i*w+deal.ColYears+1] = v // 2026 is year 1
	}
	r := &deal.Result{Model: m, Results: res}
	got := r.PlaceRecorded(0, []deal.Recorded{
		{Year: 2026, Series: deal.SeriesDue, USD: 10},  // 1 below, 2 equal: (1 + 2/2) / 4 = 0.5
		{Year: 2026, Series: deal.SeriesPaid, USD: 40}, // all 4 below: 1
		{Year: 2026, Series: deal.SeriesPaid, USD: 0},  // none below, 1 equal: 0.5 / 4 = 0.125
		{Year: 2024, Series: deal.SeriesDue, USD: 1},   // before the horizon
		{Year: 2028, Series: deal.SeriesDue, USD: 1},   // after it
	})
	want := []struct {
		in           bool
		pct          float64
		below, equal int
	}{{true, 0.5, 1, 2}, {true, 1, 4, 0}, {true, 0.125, 0, 1}, {false, 0, 0, 0}, {false, 0, 0, 0}}
	for i, g := range got {
		if g.InModel != want[i].in || g.Percentile != want[i].pct || g.Below != want[i].below || g.Equal != want[i].equal {
			t.Errorf("figure %d (%d %s %g): %+v, want %+v", i, g.Year, g.Series, g.Recorded, g, want[i])
		}
	}
	// Type-7 quantiles of 0, 10, 10, 30: P5 = 0 + 0.15·10 = 1.5,
	// P50 = 10, P95 = 10 + 0.85·20 = 27.
	if g := got[0]; math.Abs(g.P5-1.5) > 1e-9 || g.P50 != 10 || math.Abs(g.P95-27) > 1e-9 || g.Paths != 4 {
		t.Errorf("quantiles %+v, want P5 1.5, P50 10, P95 27", g)
	}
}
