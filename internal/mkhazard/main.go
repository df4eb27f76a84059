// Command mkhazard calibrates the deal model's conflict hazard from the
// embedded control snapshots: how often Ukrainian-controlled ground at a
// given distance from hostile ground was occupied (or became grey) within
// a year.
//
//	go run ./internal/mkhazard -out dataset/model/hazard.csv
//
// It lays a grid of points over Ukraine's land, and for every snapshot
// that has one about a year later, takes each controlled point's distance
// to hostile ground (as the access report measures it: the nearest
// occupied or grey area, or the Russian or Belarusian border) and whether
// the point was lost a year on. It writes the loss rate by distance band
// and prints the maximum-likelihood fit of h(d) = h0·exp(-d/d0), which
// dataset/model/parameters.csv records as hazard_h0 and hazard_d0_km.
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
}
