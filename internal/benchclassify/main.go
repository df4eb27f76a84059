// Command benchclassify prepares and times nadra's side of the PostGIS
// comparison (bench/postgis.sh): classify N sites, drawn uniformly inside
// Ukraine's outline from a fixed seed, against the 41 raw monthly DeepState
// snapshots at full resolution.
//
//	go run ./internal/benchclassify -shared ../shared/data -out /tmp/bench
//
// It imports each raw snapshot through nadra's own importer (classify by
// fill, clip to the outline, make layers disjoint), writes sites.csv
// (id,lon,lat) and layers.csv (date,class,hex WKB) for PostGIS, then times
// nadra building its index and classifying every site against every
// snapshot, and writes nadra.json with the per-snapshot counts and times.
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"time"

	"nadra"
	"nadra/dataset"
	"nadra/geo"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

func main() {
	shared := flag.String("shared", "../shared/data", "shared data folder (for the raw DeepState files)")
	out := flag.String("out", "bench-out", "folder to write sites.csv, layers.csv and nadra.json")
	n := flag.Int("n", 100_000, "number of sites")
	seed := flag.Uint64("seed", 1, "seed for the sites")
	runs := flag.Int("runs", 5, "timed runs; the best is reported")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*shared, *out, *n, *seed, *runs); err != nil {
		log.Fatal(err)
	}
}

type result struct {
	Sites      int          `json:"sites"`
	Snapshots  int          `json:"snapshots"`
	Seed       uint64       `json:"seed"`
	CPUs       int          `json:"cpus"`
	BuildMS    float64      `json:"build_ms"`    // preparing the indexes
	ClassifyMS float64      `json:"classify_ms"` // classifying every site against every snapshot
	TotalMS    float64      `json:"total_ms"`
	Counts     []geo.Counts `json:"counts"`
}

func run(shared, out string, n int, seed uint64, runs int) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	b, err := dataset.Boundaries()
	if err != nil {
		return err
	}
	files, _ := filepath.Glob(filepath.Join(shared, "geo", "deepstate_raw_monthly", "deepstate_*.geojson"))
	sort.Strings(files)
	if len(files) == 0 {
		return fmt.Errorf("no raw DeepState files under %s", shared)
	}
	var snaps []*nadra.Snapshot
	t0 := time.Now()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		s, err := dataset.ParseSnapshot(f, bytes.NewReader(data), dataset.SnapshotFormat{}, b.Outline, nil, time.Now())
		if err != nil {
			return err
		}
		snaps = append(snaps, s)
	}
	log.Printf("imported %d raw snapshots at full resolution in %v", len(snaps), time.Since(t0).Round(time.Millisecond))

	sites := geo.RandomPointsIn(b.Outline, n, seed)
	if err := writeSites(filepath.Join(out, "sites.csv"), sites); err != nil {
		return err
	}
	if err := writeLayers(filepath.Join(out, "layers.csv"), snaps); err != nil {
		return err
	}

	res := result{Sites: n, Snapshots: len(snaps), Seed: seed, CPUs: runtime.GOMAXPROCS(0)}
	for r := 0; r < runs; r++ {
		t1 := time.Now()
		e := geo.NewEngine(snaps)
		t2 := time.Now()
		counts := e.Count(sites, 0)
		t3 := time.Now()
		build, classify := ms(t2.Sub(t1)), ms(t3.Sub(t2))
		if r == 0 || build+classify < res.TotalMS {
			res.BuildMS, res.ClassifyMS, res.TotalMS, res.Counts = build, classify, build+classify, counts
		}
	}
	f, err := os.Create(filepath.Join(out, "nadra.json"))
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return err
	}
	log.Printf("nadra: %d sites × %d snapshots: index %.1f ms + classify %.1f ms = %.1f ms (best of %d, %d CPUs)",
		n, len(snaps), res.BuildMS, res.ClassifyMS, res.TotalMS, runs, res.CPUs)
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func writeSites(path string, sites []orb.Point) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	for i, p := range sites {
		w.Write([]string{strconv.Itoa(i), strconv.FormatFloat(p[0], 'g', -1, 64), strconv.FormatFloat(p[1], 'g', -1, 64)})
	}
	w.Flush()
	return w.Error()
}

// writeLayers writes each snapshot's layers as hex WKB, which PostGIS
// reads exactly: both sides test the same coordinates.
func writeLayers(path string, snaps []*nadra.Snapshot) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	for _, s := range snaps {
		for _, l := range []struct {
			class string
			mp    orb.MultiPolygon
		}{{geo.AreaPre2022, s.Pre2022}, {geo.AreaOccupied, s.Occupied}, {geo.AreaGrey, s.Grey}} {
			if len(l.mp) == 0 {
				continue
			}
			b, err := wkb.Marshal(l.mp)
			if err != nil {
				return err
			}
			w.Write([]string{s.Date, l.class, hex.EncodeToString(b)})
		}
	}
	w.Flush()
	return w.Error()
}
