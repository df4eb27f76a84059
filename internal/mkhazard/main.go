// Command mkhazard calibrates the deal model's conflict hazard from the
// embedded control snapshots: how often Ukrainian-controlled ground at a
// given distance from hostile ground was occupied (or became grey) within
// a year.
//
//	go run ./internal/mkhazard -out dataset/model/hazard.csv -approach-out dataset/model/hazard_approach.csv
//
// It lays a grid of points over Ukraine's land, and for every snapshot
// that has one about a year later, takes each controlled point's distance
// to hostile ground (as the access report measures it: the nearest
// occupied or grey area, or the Russian or Belarusian border) and whether
// the point was lost a year on. It writes the loss rate by distance band
// and prints the maximum-likelihood fit of h(d) = h0·exp(-d/d0), which
// dataset/model/parameters.csv records as hazard_h0 and hazard_d0_km.
//
// It then fits the approach hazard h(d, v) = h0·exp(-d/d0 + beta·v), where
// v is how fast the front approached the point over the 91 days before
// (nadra.DepositRisk.ApproachOver, in km a month; negative when it moved
// away), on the observations that have such a rate, and, on the same
// observations, the distance-only curve again, so that the two compare.
// It writes the loss rate by distance and approach band to -approach-out
// and prints both fits, which parameters.csv records as
// hazard_approach_h0, hazard_approach_d0_km and hazard_approach_beta.
//
// Loss here is occupation: damage without occupation is not in the
// snapshots, so the hazard is a lower bound on the risk to a mine.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"runtime"
	"sync"
	"time"

	"nadra"
	"nadra/dataset"
	"nadra/geo"

	"github.com/paulmach/orb"
)

func main() {
	out := flag.String("out", "dataset/model/hazard.csv", "file to write")
	approachOut := flag.String("approach-out", "dataset/model/hazard_approach.csv", "file to write the approach bands to")
	step := flag.Float64("step", 0.15, "grid step in degrees of latitude (longitude step is scaled to keep cells square)")
	flag.Parse()
	ds, err := dataset.Default()
	if err != nil {
		log.Fatal(err)
	}
	b, err := dataset.Boundaries()
	if err != nil {
		log.Fatal(err)
	}
	land := geo.NewRegion(b.Outline)
	sea := geo.NewRegion(b.Sea)
	var pts []orb.Point
	for lat := 44.3; lat <= 52.4; lat += *step {
		dlon := *step / math.Cos(lat*math.Pi/180)
		for lon := 22.1; lon <= 40.3; lon += dlon {
			p := orb.Point{lon, lat}
			if land.Contains(p) && !sea.Contains(p) {
				pts = append(pts, p)
			}
		}
	}
	snaps := ds.Snapshots
	classifiers := make([]*geo.Classifier, len(snaps))
	for i, s := range snaps {
		classifiers[i] = geo.NewClassifier(s, b)
	}
	type obs struct {
		d    float64
		lost bool
	}
	var all []obs
	var first, last string
	for i, s := range snaps {
		if s.Date < "2022-04-03" {
			// The line of 2022-02-23 is not a map of the war: a year
			// from it spans the invasion's opening weeks, which the
			// fitted hazard of a front line does not describe. The fit
			// starts with DeepState's first map, as it always has.
			continue
		}
		t0, _ := nadra.ParseDate(s.Date)
		target := t0.AddDate(1, 0, 0)
		// The snapshot in force a year on: the latest on or before the
		// target, and at least 11 months after the start.
		j := -1
		for k := i + 1; k < len(snaps); k++ {
			tk, _ := nadra.ParseDate(snaps[k].Date)
			if !tk.After(target) {
				j = k
			}
		}
		if j < 0 {
			continue
		}
		tj, _ := nadra.ParseDate(snaps[j].Date)
		if tj.Sub(t0) < 330*24*time.Hour {
			continue
		}
		if first == "" {
			first = s.Date
		}
		last = s.Date
		res := make([]obs, len(pts))
		ok := make([]bool, len(pts))
		var wg sync.WaitGroup
		n := runtime.GOMAXPROCS(0)
		for w := 0; w < n; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for k := w; k < len(pts); k += n {
					st, _ := classifiers[i].Status(pts[k])
					if st != nadra.StatusControlled {
						continue
					}
					later, _ := classifiers[j].Status(pts[k])
					res[k] = obs{d: classifiers[i].HostileKm(pts[k]), lost: later.Inaccessible()}
					ok[k] = true
				}
			}(w)
		}
		wg.Wait()
		for k := range res {
			if ok[k] {
				all = append(all, res[k])
			}
		}
		log.Printf("%s -> %s: %d points", s.Date, snaps[j].Date, len(all))
	}
	edges := []float64{0, 5, 10, 20, 40, 80, 160, 1e9}
	src := fmt.Sprintf("nadra internal/mkhazard: %d grid points, %.2f-degree grid, yearly windows from the embedded control snapshots %s to %s (DeepStateMap via dataset/snapshots) (2026)", len(pts), *step, first, last)
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"min_km", "max_km", "exposure", "lost", "rate", "source"})
	for k := 0; k+1 < len(edges); k++ {
		var e, l float64
		for _, o := range all {
			if o.d >= edges[k] && o.d < edges[k+1] {
				e++
				if o.lost {
					l++
				}
			}
		}
		rate := 0.0
		if e > 0 {
			rate = l / e
		}
		hi := fmt.Sprint(edges[k+1])
		if edges[k+1] >= 1e9 {
			hi = "2000"
		}
		w.Write([]string{fmt.Sprint(edges[k]), hi, fmt.Sprint(e), fmt.Sprint(l), fmt.Sprintf("%.6f", rate), src})
	}
	w.Flush()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	// Maximum-likelihood fit of h(d) = h0 exp(-d/d0), on the observations
	// aggregated in 0.5 km bins.
	type agg struct{ d, n, lost float64 }
	bins := map[int]*agg{}
	for _, o := range all {
		k := int(o.d / 0.5)
		a := bins[k]
		if a == nil {
			a = &agg{d: (float64(k) + 0.5) * 0.5}
			bins[k] = a
		}
		a.n++
		if o.lost {
			a.lost++
		}
	}
	bestLL, bestH, bestD := math.Inf(-1), 0.0, 0.0
	for h0 := 0.005; h0 <= 0.9; h0 *= 1.01 {
		for d0 := 1.0; d0 <= 300; d0 *= 1.01 {
			var ll float64
			for _, a := range bins {
				h := h0 * math.Exp(-a.d/d0)
				ll += a.lost*math.Log(h) + (a.n-a.lost)*math.Log1p(-h)
			}
			if ll > bestLL {
				bestLL, bestH, bestD = ll, h0, d0
			}
		}
	}
	fmt.Printf("observations %d; fit h0 = %.4f a year, d0 = %.2f km (log-likelihood %.1f)\n", len(all), bestH, bestD, bestLL)
	fitApproach(ds.Snapshots, b, pts, *step, *approachOut)
}

// approachWindowDays is the window of the rate of approach.
const approachWindowDays = nadra.ApproachWindowDays

// fitApproach fits the approach hazard; see the package comment.
func fitApproach(snaps []*nadra.Snapshot, b *nadra.Boundaries, pts []orb.Point, step float64, out string) {
	// Each grid point as a deposit with an exact position: its series is
	// the point's status and distance on every snapshot.
	deps := make([]*nadra.Deposit, len(pts))
	tiny := 1e-9
	for k, p := range pts {
		lat, lon := p[1], p[0]
		deps[k] = &nadra.Deposit{ID: fmt.Sprintf("p%d", k), Lat: &lat, Lon: &lon, PrecisionKm: &tiny}
	}
	series := geo.RiskSeries(snaps, b, deps, 0)
	type obs struct {
		d, v float64
		lost bool
	}
	var all []obs
	var first, last string
	for i, s := range snaps {
		t0, _ := nadra.ParseDate(s.Date)
		j := -1
		for k := i + 1; k < len(snaps); k++ {
			if tk, _ := nadra.ParseDate(snaps[k].Date); !tk.After(t0.AddDate(1, 0, 0)) {
				j = k
			}
		}
		if j < 0 {
			continue
		}
		if tj, _ := nadra.ParseDate(snaps[j].Date); tj.Sub(t0) < 330*24*time.Hour {
			continue
		}
		n := 0
		for k := range series {
			sr := &series[k]
			if sr.Series[i].Status != nadra.StatusControlled {
				continue
			}
			v, _, ok := sr.ApproachOver(i, approachWindowDays)
			if !ok {
				continue
			}
			all = append(all, obs{d: sr.Series[i].PointKm, v: v, lost: sr.Series[j].Status.Inaccessible()})
			n++
		}
		if n > 0 {
			if first == "" {
				first = s.Date
			}
			last = s.Date
		}
	}
	// Aggregate in 0.5 km × 0.1 km/month cells.
	type cell struct{ d, v, n, lost float64 }
	cells := map[[2]int]*cell{}
	for _, o := range all {
		key := [2]int{int(math.Floor(o.d / 0.5)), int(math.Floor(o.v / 0.1))}
		c := cells[key]
		if c == nil {
			c = &cell{d: (float64(key[0]) + 0.5) * 0.5, v: (float64(key[1]) + 0.5) * 0.1}
			cells[key] = c
		}
		c.n++
		if o.lost {
			c.lost++
		}
	}
	ll := func(h0, d0, beta float64) float64 {
		var sum float64
		for _, c := range cells {
			h := math.Min(0.999, h0*math.Exp(-c.d/d0+beta*c.v))
			sum += c.lost*math.Log(h) + (c.n-c.lost)*math.Log1p(-h)
		}
		return sum
	}
	// Pattern search over (ln h0, ln d0, beta), from the distance-only fit.
	fit := func(withBeta bool) (h0, d0, beta, best float64) {
		x := []float64{math.Log(0.15), math.Log(7.5), 0}
		f := func(x []float64) float64 {
			if !withBeta {
				x[2] = 0
			}
			return ll(math.Exp(x[0]), math.Exp(x[1]), x[2])
		}
		best = f(x)
		steps := []float64{0.5, 0.5, 0.5}
		for iter := 0; iter < 10000 && steps[0] > 1e-7; iter++ {
			moved := false
			for d := 0; d < 3; d++ {
				if d == 2 && !withBeta {
					continue
				}
				for _, sg := range []float64{1, -1} {
					y := append([]float64(nil), x...)
					y[d] += sg * steps[d]
					if v := f(y); v > best {
						x, best, moved = y, v, true
					}
				}
			}
			if !moved {
				for d := range steps {
					steps[d] /= 2
				}
			}
		}
		return math.Exp(x[0]), math.Exp(x[1]), x[2], best
	}
	h0a, d0a, beta, lla := fit(true)
	h0d, d0d, _, lld := fit(false)
	// The bands: loss rate by distance and approach.
	dEdges := []float64{0, 10, 20, 40, 1e9}
	vEdges := []float64{-1e9, -0.5, 0.5, 2, 1e9}
	src := fmt.Sprintf("nadra internal/mkhazard: %d grid points, %.2f-degree grid, yearly windows from the embedded control snapshots %s to %s, rate of approach over the %d days before (DeepStateMap via dataset/snapshots) (2026)", len(pts), step, first, last, approachWindowDays)
	f, err := os.Create(out)
	if err != nil {
		log.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"min_km", "max_km", "min_km_per_month", "max_km_per_month", "exposure", "lost", "rate", "source"})
	label := func(v float64) string {
		switch {
		case v <= -1e9:
			return "-1000"
		case v >= 1e9:
			return "1000"
		}
		return fmt.Sprint(v)
	}
	for a := 0; a+1 < len(dEdges); a++ {
		for c := 0; c+1 < len(vEdges); c++ {
			var e, l float64
			for _, o := range all {
				if o.d >= dEdges[a] && o.d < dEdges[a+1] && o.v >= vEdges[c] && o.v < vEdges[c+1] {
					e++
					if o.lost {
						l++
					}
				}
			}
			rate := 0.0
			if e > 0 {
				rate = l / e
			}
			hi := fmt.Sprint(dEdges[a+1])
			if dEdges[a+1] >= 1e9 {
				hi = "2000"
			}
			w.Write([]string{fmt.Sprint(dEdges[a]), hi, label(vEdges[c]), label(vEdges[c+1]), fmt.Sprint(e), fmt.Sprint(l), fmt.Sprintf("%.6f", rate), src})
		}
	}
	w.Flush()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("approach: %d observations with a %d-day rate, %s to %s\n", len(all), approachWindowDays, first, last)
	fmt.Printf("  distance only, same observations: h0 = %.4f a year, d0 = %.2f km (log-likelihood %.1f)\n", h0d, d0d, lld)
	fmt.Printf("  with the approach: h0 = %.4f a year, d0 = %.2f km, beta = %.4f per km/month (log-likelihood %.1f; likelihood-ratio statistic %.1f on 1 degree of freedom)\n",
		h0a, d0a, beta, lla, 2*(lla-lld))
}
