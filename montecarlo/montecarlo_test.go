package montecarlo_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"nadra/montecarlo"
)

// sumPath writes a few draws of its stream, so results show any change in
// which stream a path gets.
type sumPath struct{}

func (sumPath) Run(i int, rng *rand.Rand, out []float64) {
	out[0] = rng.NormFloat64()
	out[1] = rng.Float64()
	out[2] = float64(i)
}

func TestRun_WorkerInvariance(t *testing.T) {
	run := func(workers int) *montecarlo.Results {
		r, err := montecarlo.Run(context.Background(), montecarlo.Config{Paths: 5000, Seed: 9, Workers: workers}, 3,
			func() montecarlo.Path { return sumPath{} })
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a := run(1)
	for _, w := range []int{2, 3, 8, 64} {
		b := run(w)
		for i := range a.Data {
			if math.Float64bits(a.Data[i]) != math.Float64bits(b.Data[i]) {
				t.Fatalf("%d workers: value %d differs", w, i)
			}
		}
	}
	for i := 0; i < a.Paths; i++ {
		if a.Row(i)[2] != float64(i) {
			t.Fatalf("row %d holds path %g", i, a.Row(i)[2])
		}
	}
	// Path i's row is its own stream's first draws, whatever ran it.
	rng := montecarlo.Stream(9, 1234)
	if a.Row(1234)[0] != rng.NormFloat64() {
		t.Error("path 1234 did not draw from Stream(9, 1234)")
	}
}

func TestRun_Cancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := montecarlo.Run(ctx, montecarlo.Config{Paths: 100000, Seed: 1}, 3, func() montecarlo.Path { return sumPath{} }); err == nil {
		t.Error("a cancelled run returned no error")
	}
}

// Streams of neighbouring paths and seeds are uncorrelated.
func TestStream_Independent(t *testing.T) {
	const n = 20000
	corr := func(a, b *rand.Rand) float64 {
		var sxy, sxx, syy float64
		for i := 0; i < n; i++ {
			x, y := a.NormFloat64(), b.NormFloat64()
			sxy += x * y
			sxx += x * x
			syy += y * y
		}
		return sxy / math.Sqrt(sxx*syy)
	}
	for _, pair := range [][4]uint64{{1, 0, 1, 1}, {1, 0, 2, 0}, {7, 99, 7, 100}} {
		c := corr(montecarlo.Stream(pair[0], int(pair[1])), montecarlo.Stream(pair[2], int(pair[3])))
		if math.Abs(c) > 4/math.Sqrt(n) {
			t.Errorf("streams %v correlate: %.4f", pair, c)
		}
	}
}

func TestNormInv(t *testing.T) {
	for _, p := range []float64{1e-10, 0.001, 0.02425, 0.1, 0.5, 0.9, 0.975, 0.999999} {
		x := montecarlo.NormInv(p)
		if got := montecarlo.NormCDF(x); math.Abs(got-p) > 1e-12*math.Max(1, 1/p) && math.Abs(got-p)/p > 1e-9 {
			t.Errorf("NormCDF(NormInv(%g)) = %g", p, got)
		}
	}
	if x := montecarlo.NormInv(0.975); math.Abs(x-1.959963984540054) > 1e-12 {
		t.Errorf("NormInv(0.975) = %.15f", x)
	}
}

func TestTriangular(t *testing.T) {
	lo, m, hi := 6.0, 10.0, 32.0
	if montecarlo.Triangular(0, lo, m, hi) != lo || montecarlo.Triangular(1, lo, m, hi) != hi {
		t.Error("ends")
	}
	// The CDF at the mode is (m-lo)/(hi-lo).
	if x := montecarlo.Triangular((m-lo)/(hi-lo), lo, m, hi); math.Abs(x-m) > 1e-12 {
		t.Errorf("quantile at the mode's probability = %g", x)
	}
	// Mean of the quantiles is (lo+m+hi)/3.
	var s float64
	const n = 100000
	for i := 0; i < n; i++ {
		s += montecarlo.Triangular((float64(i)+0.5)/n, lo, m, hi)
	}
	if got := s / n; math.Abs(got-(lo+m+hi)/3) > 1e-3 {
		t.Errorf("mean %g, want %g", got, (lo+m+hi)/3)
	}
}

// The capex overrun fit reproduces both published facts.
func TestLognormalMeanTail(t *testing.T) {
	mu, sigma, err := montecarlo.LognormalMeanTail(1.25, 2, 1.0/13)
	if err != nil {
		t.Fatal(err)
	}
	if mean := math.Exp(mu + sigma*sigma/2); math.Abs(mean-1.25) > 1e-12 {
		t.Errorf("mean %g", mean)
	}
	if p := 1 - montecarlo.NormCDF((math.Log(2)-mu)/sigma); math.Abs(p-1.0/13) > 1e-9 {
		t.Errorf("P(X >= 2) = %g", p)
	}
	if _, _, err := montecarlo.LognormalMeanTail(1.25, 2, 0.6); err == nil {
		t.Error("accepted a tail probability over 1/2")
	}
}

func TestCholesky(t *testing.T) {
	a := []float64{1, 0.5, 0.2, 0.5, 1, 0.3, 0.2, 0.3, 1}
	l, lambda, err := montecarlo.Cholesky(a, 3)
	if err != nil || lambda != 0 {
		t.Fatalf("err %v, lambda %g", err, lambda)
	}
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			var s float64
			for k := 0; k < 3; k++ {
				s += l[i*3+k] * l[j*3+k]
			}
			if math.Abs(s-a[i*3+j]) > 1e-12 {
				t.Errorf("LLt[%d,%d] = %g, want %g", i, j, s, a[i*3+j])
			}
		}
	}
	// Not positive definite: shrunk towards the identity.
	bad := []float64{1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1}
	if _, lambda, err := montecarlo.Cholesky(bad, 3); err != nil || lambda <= 0 {
		t.Errorf("inconsistent matrix: lambda %g, err %v", lambda, err)
	}
}

func TestSummarize(t *testing.T) {
	s := montecarlo.Summarize([]float64{3, math.NaN(), -1, 2, 0, 1})
	if s.N != 5 || s.Mean != 1 || s.P50 != 1 || s.Negative != 0.2 {
		t.Errorf("%+v", s)
	}
	if want := math.Sqrt(2.5 / 5); math.Abs(s.SE-want) > 1e-12 {
		t.Errorf("SE %g, want %g", s.SE, want)
	}
	if s := montecarlo.Summarize([]float64{math.NaN()}); s.N != 0 || !math.IsNaN(s.Mean) {
		t.Errorf("all NaN: %+v", s)
	}
}
