package montecarlo_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"nadra/montecarlo"
)

// BenchmarkRun_Overhead measures the engine alone: 100,000 paths that
// draw 120 normals each.
func BenchmarkRun_Overhead(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := montecarlo.Run(context.Background(), montecarlo.Config{Paths: 100000, Seed: uint64(i)}, 1,
			func() montecarlo.Path { return normals{} }); err != nil {
			b.Fatal(err)
		}
	}
}

type normals struct{}

func (normals) Run(_ int, rng *rand.Rand, out []float64) {
	var s float64
	for k := 0; k < 120; k++ {
		s += rng.NormFloat64()
	}
	out[0] = s
}

func BenchmarkSummarize_100k(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 100000)
	for i := range xs {
		xs[i] = rng.NormFloat64()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		montecarlo.Summarize(xs)
	}
}
