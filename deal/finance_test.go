package deal_test

import (
	"math"
	"testing"

	"nadra"
	"nadra/deal"
)

func TestNPV(t *testing.T) {
	tests := []struct {
		name  string
		r     float64
		flows []float64
		want  float64 // by hand
	}{
		{"one year", 0.1, []float64{-100}, -100},
		{"two years at 10%", 0.1, []float64{-100, 60, 60}, -100 + 60/1.1 + 60/1.21},
		{"zero rate sums", 0, []float64{-100, 60, 60}, 20},
		{"flat perpetuity-like", 0.05, []float64{0, 105}, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := deal.NPV(tt.r, tt.flows); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("NPV = %.10f, want %.10f", got, tt.want)
			}
		})
	}
}

func TestIRR(t *testing.T) {
	tests := []struct {
		name  string
		flows []float64
		kind  deal.IRRKind
		want  []float64
	}{
		// 60x^2 + 60x - 100 = 0 with x = 1/(1+r): x = (-60 + sqrt(27600))/120.
		{"conventional", []float64{-100, 60, 60}, deal.IRRUnique, []float64{120/(math.Sqrt(27600)-60) - 1}},
		{"break-even is zero", []float64{-100, 50, 50}, deal.IRRUnique, []float64{0}},
		{"negative return", []float64{-100, 40, 40}, deal.IRRUnique, []float64{80/(math.Sqrt(17600)-40) - 1}},
		{"leading and trailing zeros", []float64{0, 0, -100, 110, 0}, deal.IRRUnique, []float64{0.1}},
		{"no sign change", []float64{100, 50, 25}, deal.IRRNone, nil},
		{"all negative", []float64{-100, -50}, deal.IRRNone, nil},
		{"all zero", []float64{0, 0, 0}, deal.IRRNone, nil},
		{"root below -95%", []float64{-100, 1}, deal.IRRNone, nil},
		// -100 + 230x - 132x^2 = -(1.1x - 1)(1.2x - 1)·100: roots 10% and 20%.
		{"two roots", []float64{-100, 230, -132}, deal.IRRMultiple, []float64{0.2, 0.1}},
		// Sign changes twice but NPV < 0 everywhere: no root.
		{"two changes, no root", []float64{-100, 50, -10}, deal.IRRNone, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, kind := deal.IRR(tt.flows)
			if kind != tt.kind {
				t.Fatalf("kind = %v (roots %v), want %v", kind, got, tt.kind)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("roots = %v, want %v", got, tt.want)
			}
			for i := range got {
				if math.Abs(got[i]-tt.want[i]) > 1e-9 {
					t.Errorf("root %d = %.12f, want %.12f", i, got[i], tt.want[i])
				}
				if npv := deal.NPV(got[i], tt.flows); math.Abs(npv) > 1e-7 {
					t.Errorf("NPV at root %g = %g", got[i], npv)
				}
			}
		})
	}
}

func TestWaterfall_Split(t *testing.T) {
	t.Run("ProRata", func(t *testing.T) {
		w := deal.Waterfall{Kind: nadra.WaterfallProRata}
		var a deal.Accounts
		w.Accrue(&a, 75, 225) // US 75, Ukraine 225: one quarter to the US
		us, ua := w.Split(&a, 100)
		if us != 25 || ua != 75 {
			t.Errorf("split = %g, %g; want 25, 75", us, ua)
		}
	})
	t.Run("ProRataEmpty", func(t *testing.T) {
		w := deal.Waterfall{Kind: nadra.WaterfallProRata}
		us, ua := w.Split(&deal.Accounts{}, 10)
		if us != 5 || ua != 5 {
			t.Errorf("split = %g, %g; want 5, 5", us, ua)
		}
	})
	t.Run("Fixed", func(t *testing.T) {
		w := deal.Waterfall{Kind: nadra.WaterfallFixed, US: 1}
		var a deal.Accounts
		w.Accrue(&a, 0, 500)
		us, ua := w.Split(&a, 40)
		if us != 40 || ua != 0 {
			t.Errorf("split = %g, %g; want 40, 0", us, ua)
		}
	})
	t.Run("Priority", func(t *testing.T) {
		w := deal.Waterfall{Kind: nadra.WaterfallPriority, Rate: 0.04}
		var a deal.Accounts
		w.Accrue(&a, 100, 100) // year 0: owed 100
		w.Accrue(&a, 0, 0)     // year 1: owed 104
		if math.Abs(a.OwedUS-104) > 1e-12 {
			t.Fatalf("owed = %g, want 104", a.OwedUS)
		}
		// 60 is all owed to the US: nothing to Ukraine yet.
		us, ua := w.Split(&a, 60)
		if us != 60 || ua != 0 {
			t.Errorf("first split = %g, %g; want 60, 0", us, ua)
		}
		// Owed 44 more; of 144, 44 to the US first, then 100 pro rata
		// (capital 100:100).
		us, ua = w.Split(&a, 144)
		if math.Abs(us-94) > 1e-9 || math.Abs(ua-50) > 1e-9 {
			t.Errorf("second split = %g, %g; want 94, 50", us, ua)
		}
		if a.OwedUS != 0 {
			t.Errorf("owed after recovery = %g, want 0", a.OwedUS)
		}
	})
	t.Run("Nothing", func(t *testing.T) {
		w := deal.Waterfall{Kind: nadra.WaterfallPriority, Rate: 0.04}
		a := deal.Accounts{OwedUS: 10}
		if us, ua := w.Split(&a, 0); us != 0 || ua != 0 || a.OwedUS != 10 {
			t.Errorf("split of 0 = %g, %g, owed %g", us, ua, a.OwedUS)
		}
	})
}

// A 31-year stream is a polynomial of degree 30 in x = 1/(1+r): at
// r = -95% it is of order 20^30, which stalls plain false position.
func TestIRR_LongStream(t *testing.T) {
	flows := make([]float64, 31)
	flows[0] = -75e6
	for i := 10; i < 31; i++ {
		flows[i] = 20e6
	}
	roots, kind := deal.IRR(flows)
	if kind != deal.IRRUnique {
		t.Fatalf("kind %v", kind)
	}
	if npv := deal.NPV(roots[0], flows); math.Abs(npv) > 1e-3 {
		t.Errorf("IRR %g leaves NPV %g", roots[0], npv)
	}
	if roots[0] < 0.05 || roots[0] > 0.2 {
		t.Errorf("IRR %g out of plausible range", roots[0])
	}
}

// Any root IRR reports zeroes the NPV, on random 31-year streams of the
// shapes the fund produces: payments first, receipts later.
func TestIRR_RandomStreams(t *testing.T) {
	rng := newRNG(7)
	for trial := 0; trial < 2000; trial++ {
		flows := make([]float64, 31)
		start := rng.IntN(12)
		for i := 0; i < 31; i++ {
			switch {
			case i < start:
				flows[i] = -rng.Float64() * 1e8
			case rng.Float64() < 0.2:
				flows[i] = 0
			default:
				flows[i] = (rng.Float64() - 0.1) * 5e7
			}
		}
		roots, kind := deal.IRR(flows)
		scale := 0.0
		for _, f := range flows {
			scale = math.Max(scale, math.Abs(f))
		}
		for _, r := range roots {
			if npv := deal.NPV(r, flows); math.Abs(npv) > 1e-6*scale*math.Pow(1+r, -31)+1e-6*scale {
				t.Fatalf("trial %d (%v): root %g leaves NPV %g", trial, kind, r, npv)
			}
		}
	}
}
