package montecarlo_test

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"nadra/montecarlo"
)

func TestQuantiles_MatchSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 7, 16, 17, 100, 1001, 10000} {
		for trial := 0; trial < 20; trial++ {
			v := make([]float64, n)
			for i := range v {
				v[i] = math.Floor(rng.NormFloat64() * 5) // ties on purpose
			}
			s := append([]float64(nil), v...)
			sort.Float64s(s)
			qs := []float64{0, 0.05, 0.1, 0.5, 0.9, 0.95, 1}
			got := make([]float64, len(qs))
			montecarlo.Quantiles(v, qs, got)
			for i, q := range qs {
				h := q * float64(n-1)
				lo := int(h)
				want := s[min(lo, n-1)]
				if lo+1 < n {
					want += (h - float64(lo)) * (s[lo+1] - s[lo])
				}
				if math.Abs(got[i]-want) > 1e-12 {
					t.Fatalf("n=%d q=%g: got %g, want %g", n, q, got[i], want)
				}
			}
		}
	}
}
