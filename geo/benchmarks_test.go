package geo_test

import (
	"math/rand/v2"
	"testing"

	"nadra"
	"nadra/geo"

	"github.com/paulmach/orb"
)

// RandomSites returns n points uniformly inside the outline, from seed.
func randomSites(tb testing.TB, b *nadra.Boundaries, n int, seed uint64) []orb.Point {
	tb.Helper()
	return geo.RandomPointsIn(b.Outline, n, seed)
}

func benchmarkEngine(b *testing.B, n int) {
	ds, bounds := mustDefault(b)
	sites := randomSites(b, bounds, n, 1)
	e := geo.NewEngine(ds.Snapshots)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.Count(sites, 0)
	}
	b.ReportMetric(float64(n*len(ds.Snapshots))*float64(b.N)/b.Elapsed().Seconds(), "tests/s")
}

// BenchmarkEngine_Count_100k classifies 100,000 sites against every
// embedded snapshot.
func BenchmarkEngine_Count_100k(b *testing.B) { benchmarkEngine(b, 100_000) }

// BenchmarkEngine_Count_10k is the same with 10,000 sites.
func BenchmarkEngine_Count_10k(b *testing.B) { benchmarkEngine(b, 10_000) }

// BenchmarkNewEngine prepares every embedded snapshot's index.
func BenchmarkNewEngine(b *testing.B) {
	ds, _ := mustDefault(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		geo.NewEngine(ds.Snapshots)
	}
}

// BenchmarkRegion_Contains compares the indexed test with the plain one on
// the latest snapshot's occupied area.
func BenchmarkRegion_Contains(b *testing.B) {
	ds, bounds := mustDefault(b)
	r := geo.NewRegion(ds.Snapshots[len(ds.Snapshots)-1].Occupied)
	sites := randomSites(b, bounds, 10_000, 2)
	b.Run("Indexed", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			r.Contains(sites[i%len(sites)])
		}
	})
	b.Run("Brute", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			r.ContainsBrute(sites[i%len(sites)])
		}
	})
}

// BenchmarkTimeline builds the timeline of the default dataset over every
// snapshot, in process (the dashboard's slider needs it well under 100
// ms), with the areas stored beside each snapshot as the CLI passes them.
func BenchmarkTimeline(b *testing.B) {
	ds, bounds := mustDefault(b)
	reg := geo.Registry{Deposits: ds.Deposits, Estimates: ds.Estimates, Commodities: ds.Commodities}
	areas := map[string][2]*float64{}
	for _, s := range ds.Snapshots {
		occ := geo.Ukraine.AreaKm2(s.Occupied) + geo.Ukraine.AreaKm2(s.Pre2022)
		areas[s.Date] = [2]*float64{&occ, nil}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		geo.Timeline(ds.Snapshots, areas, bounds, reg, "")
	}
}

func TestEngine_EqualsBrute(t *testing.T) {
	ds, bounds := mustDefault(t)
	rng := rand.New(rand.NewPCG(7, 7))
	// Random sites, plus every 50th vertex of the snapshots and points
	// nudged by a hair from them: the hardest cases for an index.
	sites := randomSites(t, bounds, 5000, 3)
	for _, s := range []*nadra.Snapshot{ds.Snapshots[0], ds.Snapshots[20], ds.Snapshots[len(ds.Snapshots)-1]} {
		for _, poly := range append(append(orb.MultiPolygon{}, s.Occupied...), s.Grey...) {
			for _, ring := range poly {
				for i := 0; i < len(ring); i += 50 {
					p := ring[i]
					sites = append(sites, p, orb.Point{p[0] + (rng.Float64()-0.5)*1e-9, p[1] + (rng.Float64()-0.5)*1e-9})
				}
			}
		}
	}
	e := geo.NewEngine(ds.Snapshots)
	got := e.Statuses(sites, 0)
	one := e.Statuses(sites, 1)
	for i, s := range ds.Snapshots {
		if i%6 != 0 && i != len(ds.Snapshots)-1 {
			continue // brute force is slow: every sixth snapshot and the last
		}
		occ, pre, grey := geo.NewRegion(s.Occupied), geo.NewRegion(s.Pre2022), geo.NewRegion(s.Grey)
		for j, p := range sites {
			want := geo.CodeControlled
			switch {
			case pre.ContainsBrute(p):
				want = geo.CodePre2022
			case occ.ContainsBrute(p):
				want = geo.CodeOccupied
			case grey.ContainsBrute(p):
				want = geo.CodeGrey
			}
			if got[i][j] != want {
				t.Fatalf("%s: site %d %v: indexed %d, brute force %d", s.Date, j, p, got[i][j], want)
			}
			if one[i][j] != got[i][j] {
				t.Fatalf("%s: result depends on worker count", s.Date)
			}
		}
	}
}

// BenchmarkRiskSeries measures every located deposit of the default
// dataset against every embedded snapshot (geo.RiskSeries), all cores.
func BenchmarkRiskSeries(b *testing.B) {
	ds, bounds := mustDefault(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		geo.RiskSeries(ds.Snapshots, bounds, ds.Deposits, 0)
	}
}
