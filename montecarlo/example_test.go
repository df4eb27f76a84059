package montecarlo_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"nadra/montecarlo"
)

// die is a Path: each path throws two dice and writes their sum.
type die struct{}

func (die) Run(_ int, rng *rand.Rand, out []float64) {
	out[0] = float64(rng.IntN(6) + 1 + rng.IntN(6) + 1)
}

// Run gives the same results for a seed whatever the number of workers:
// each path draws from its own stream.
func ExampleRun() {
	var sums [2]float64
	for i, workers := range []int{1, 4} {
		res, err := montecarlo.Run(context.Background(), montecarlo.Config{Paths: 10000, Seed: 42, Workers: workers}, 1,
			func() montecarlo.Path { return die{} })
		if err != nil {
			fmt.Println(err)
			return
		}
		s := montecarlo.Summarize(res.Column(0))
		sums[i] = s.Mean
	}
	fmt.Println(sums[0] == sums[1], sums[0] > 6.9 && sums[0] < 7.1)
	// Output: true true
}

func ExampleSummarize() {
	s := montecarlo.Summarize([]float64{-2, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	fmt.Printf("n=%d mean=%.1f median=%.1f below zero=%.0f%%\n", s.N, s.Mean, s.P50, s.Negative*100)
	// Output: n=10 mean=4.3 median=4.5 below zero=10%
}

// NormInv is the standard normal quantile: 97.5% of the mass lies below
// 1.96.
func ExampleNormInv() {
	fmt.Printf("%.4f %.4f\n", montecarlo.NormInv(0.975), montecarlo.NormCDF(1.959964))
	// Output: 1.9600 0.9750
}

// Triangular maps a uniform draw u to a triangular distribution on
// [lo, hi] with mode m: u = 0.5 gives the median.
func ExampleTriangular() {
	fmt.Printf("%.1f %.1f %.3f\n", montecarlo.Triangular(0, 2, 5, 10), montecarlo.Triangular(1, 2, 5, 10), montecarlo.Triangular(0.5, 0, 5, 10))
	// Output: 2.0 10.0 5.000
}

// Stream returns the random stream of one path: the same seed and index
// give the same draws.
func ExampleStream() {
	a, b := montecarlo.Stream(7, 3), montecarlo.Stream(7, 3)
	fmt.Println(a.Uint64() == b.Uint64(), montecarlo.Stream(7, 4).Uint64() != montecarlo.Stream(7, 3).Uint64())
	// Output: true true
}
