package deal_test

import (
	"context"
	"testing"

	"nadra"
	"nadra/deal"
)

// BenchmarkSimulate_10k times the dashboard's case: 10,000 paths of the
// signed terms, in process, without the tornado. Goal: under 100 ms.
func BenchmarkSimulate_10k(b *testing.B) { benchmarkSimulate(b, 10_000, "urif-2025") }

// BenchmarkSimulate_10k_VS compares two terms on the same 10,000 paths.
func BenchmarkSimulate_10k_VS(b *testing.B) {
	benchmarkSimulate(b, 10_000, "urif-2025", "draft-2025-02")
}

func benchmarkSimulate(b *testing.B, paths int, ids ...string) {
	in := MustInputs(b)
	var terms []*nadra.DealTerms
	for _, id := range ids {
		terms = append(terms, MustTerms(b, id))
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := deal.Simulate(ctx, in, terms, deal.Options{Paths: paths, Seed: uint64(i + 1)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEval times one path's evaluation (sampling included).
func BenchmarkEval(b *testing.B) {
	in := MustInputs(b)
	m, err := deal.Build(in)
	if err != nil {
		b.Fatal(err)
	}
	funds := []*deal.Fund{m.NewFund(MustTerms(b, "urif-2025"))}
	d, s := m.NewDraws(), m.NewScratch()
	out := make([]float64, m.Width())
	rng := newRNG(1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Sample(rng, d)
		m.Eval(d, s, funds, out)
	}
}

// BenchmarkSimulate_100k is the size bench/simulate.sh compares with
// numpy.
func BenchmarkSimulate_100k(b *testing.B) { benchmarkSimulate(b, 100_000, "urif-2025") }
