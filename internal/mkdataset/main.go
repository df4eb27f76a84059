// Command mkdataset builds the geometry of nadra's embedded default dataset
// from the shared source files: Ukraine's outline and oblasts, the Russian
// and Belarusian borders, and one control snapshot per month.
//
//	go run ./internal/mkdataset -shared ../shared/data -out dataset
//
// It classifies DeepState polygons by fill, clips them to the outline at
// full resolution, makes the layers disjoint, simplifies them with nadra's
// own code (geo.Simplify), normalises the simplified layers again against
// the embedded outline (so that importing an exported snapshot changes
// nothing) and records the full-resolution and simplified areas in
// dataset/snapshots.csv, so the loss is visible and tested.
package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"nadra/deepstate"
	"nadra/geo"

	"github.com/paulmach/orb"
)

// Tolerances, stated in dataset/README.md.
const (
	snapshotTolM = 100 // meters, control areas
	outlineTolM  = 100 // meters, outline, oblasts and borders
	decimals     = 4   // ~11 m
)

// Published tripoints that bound the borders cut from the outline. Each
// is snapped to the nearest outline vertex.
var tripoints = map[string]orb.Point{
	"BY-RU-UA":   {31.7817, 52.1119},
	"BY-PL-UA":   {23.6175, 51.50812},
	"RU-UA-azov": {38.2298, 47.1193}, // land border meets the Sea of Azov
}

func main() {
	shared := flag.String("shared", "../shared/data", "shared data folder")
	out := flag.String("out", "dataset", "dataset folder to write")
	land := flag.String("land", "", "Natural Earth land-10m.json from the npm package world-atlas@2.0.2")
	slices := flag.String("slices", "", "only write box-clipped slices of real control files for tests to this folder")
	flag.Parse()
	log.SetFlags(0)
	if *slices != "" {
		b := &builder{shared: *shared}
		if err := b.writeSlices(*slices); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *land == "" {
		log.Fatal("mkdataset: -land is required (npm pack world-atlas@2.0.2; tar xzf; -land package/land-10m.json)")
	}
	b := &builder{shared: *shared, out: *out, land: *land}
	if err := b.run(); err != nil {
		log.Fatal(err)
	}
}

type builder struct {
	shared, out, land string
	outline           orb.MultiPolygon // full resolution
	embedded          orb.MultiPolygon // simplified, as written to geo/outline.geojson
}

func (b *builder) run() error {
	for _, d := range []string{"geo", "snapshots"} {
		if err := os.MkdirAll(filepath.Join(b.out, d), 0o755); err != nil {
			return err
		}
	}
	if err := b.boundaries(); err != nil {
		return err
	}
	return b.snapshots()
}

func readFC(path string) (*geo.FeatureCollection, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fc, err := geo.DecodeFeatureCollection(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return fc, nil
}

func (b *builder) boundaries() error {
	fc, err := readFC(filepath.Join(b.shared, "geo/boundaries/ukraine_adm0_dissolved_from_geoBoundaries_ADM1.geojson"))
	if err != nil {
		return err
	}
	for _, f := range fc.Features {
		b.outline = append(b.outline, f.Polygons...)
	}
	simple, err := geo.Simplify(b.outline, outlineTolM, decimals)
	if err != nil {
		return err
	}
	b.embedded = simple
	log.Printf("outline: %d -> %d vertices, %.0f -> %.0f km²", vertices(b.outline), vertices(simple), geo.Ukraine.AreaKm2(b.outline), geo.Ukraine.AreaKm2(simple))
	if err := writeFC(filepath.Join(b.out, "geo/outline.geojson"), nil, []feature{{props: map[string]any{"name": "Ukraine"}, geom: simple}}); err != nil {
		return err
	}

	adm1, err := readFC(filepath.Join(b.shared, "geo/boundaries/geoBoundaries-UKR-ADM1.geojson"))
	if err != nil {
		return err
	}
	var feats []feature
	for _, f := range adm1.Features {
		iso, _ := f.Properties["shapeISO"].(string)
		name, _ := f.Properties["shapeName"].(string)
		s, err := geo.Simplify(f.Polygons, outlineTolM, decimals)
		if err != nil {
			return fmt.Errorf("oblast %s: %w", iso, err)
		}
		feats = append(feats, feature{props: map[string]any{"iso": iso, "name": name}, geom: s})
	}
	sort.Slice(feats, func(i, j int) bool { return feats[i].props["iso"].(string) < feats[j].props["iso"].(string) })
	if err := writeFC(filepath.Join(b.out, "geo/oblasts.geojson"), nil, feats); err != nil {
		return err
	}
	log.Printf("oblasts: %d", len(feats))

	// Borders: cut the outline's exterior ring between tripoints.
	ring := longestRing(b.outline)
	ru := cut(ring, tripoints["BY-RU-UA"], tripoints["RU-UA-azov"])
	by := cut(ring, tripoints["BY-PL-UA"], tripoints["BY-RU-UA"])
	var lines []feature
	for _, l := range []struct {
		country string
		line    orb.LineString
	}{{"RU", ru}, {"BY", by}} {
		s := geo.SimplifyLines(orb.MultiLineString{l.line}, outlineTolM, decimals)
		lines = append(lines, feature{props: map[string]any{"country": l.country}, geom: s})
		log.Printf("border %s: %d -> %d vertices, %.0f km", l.country, len(l.line), len(s[0]), lineKm(l.line))
	}
	if err := writeFC(filepath.Join(b.out, "geo/borders.geojson"), nil, lines); err != nil {
		return err
	}
	return b.sea()
}

// sea writes the sea inside the outline: the outline, like the OSM
// boundaries it comes from, takes in the territorial sea and part of the
// Sea of Azov, and control layers stop at the coast. Distances to
// Ukrainian-controlled ground must not count the sea as ground.
func (b *builder) sea() error {
	bound := b.outline.Bound().Pad(0.5)
	land, err := readLand(b.land, bound)
	if err != nil {
		return err
	}
	if land, err = geo.Repair(land); err != nil {
		return fmt.Errorf("land: %w", err)
	}
	sea, err := geo.Difference(b.outline, land)
	if err != nil {
		return fmt.Errorf("sea: %w", err)
	}
	// Drop lakes and slivers under 5 km²: only open water matters here.
	var big orb.MultiPolygon
	for _, p := range sea {
		if geo.Ukraine.PolygonArea(p) > 5e6 {
			big = append(big, p)
		}
	}
	s, err := geo.Simplify(big, outlineTolM, decimals)
	if err != nil {
		return err
	}
	log.Printf("sea inside outline: %.0f km² in %d parts, %d vertices", geo.Ukraine.AreaKm2(s), len(s), vertices(s))
	return writeFC(filepath.Join(b.out, "geo/sea.geojson"), nil, []feature{{props: map[string]any{"name": "sea within the outline"}, geom: s}})
}

// cut returns the part of ring running from the vertex nearest a to the
// vertex nearest c, taking the shorter way round.
func cut(ring orb.Ring, a, c orb.Point) orb.LineString {
	ia, ic := nearestVertex(ring, a), nearestVertex(ring, c)
	n := len(ring) - 1 // closed ring: last == first
	fwd := func(i, j int) orb.LineString {
		var ls orb.LineString
		for k := i; ; k = (k + 1) % n {
			ls = append(ls, ring[k])
			if k == j {
				return ls
			}
		}
	}
	l1, l2 := fwd(ia, ic), fwd(ic, ia)
	if lineKm(l1) <= lineKm(l2) {
		return l1
	}
	// reverse l2 so the line runs from a to c
	for i, j := 0, len(l2)-1; i < j; i, j = i+1, j-1 {
		l2[i], l2[j] = l2[j], l2[i]
	}
	return l2
}

func nearestVertex(r orb.Ring, p orb.Point) int {
	best, bd := 0, math.Inf(1)
	for i, q := range r[:len(r)-1] {
		if d := geo.DistanceKm(p, q); d < bd {
			best, bd = i, d
		}
	}
	log.Printf("tripoint %v snapped to outline vertex %v (%.2f km)", p, r[best], bd)
	return best
}

func longestRing(mp orb.MultiPolygon) orb.Ring {
	var best orb.Ring
	for _, p := range mp {
		if len(p[0]) > len(best) {
			best = p[0]
		}
	}
	return best
}

func lineKm(ls orb.LineString) float64 {
	var d float64
	for i := 1; i < len(ls); i++ {
		d += geo.DistanceKm(ls[i-1], ls[i])
	}
	return d
}

func vertices(mp orb.MultiPolygon) int {
	n := 0
	for _, p := range mp {
		for _, r := range p {
			n += len(r)
		}
	}
	return n
}

type snapRow struct {
	date, kind, file, url, historyID string
	greyKnown                        bool
	occFull, occ, greyFull, grey     float64
	vertsFull, verts                 int
}

// The snapshot of the eve of the invasion, built from the first raw
// file's pre-2022 layer; its source says so.
const (
	prewarDate  = "2022-02-23"
	prewarLabel = "the line of 2022-02-23: only this file's layer of areas occupied before 2022"
)

var rawName = regexp.MustCompile(`^deepstate_(\d{4}-\d{2}-\d{2})_(\d+)\.geojson$`)
var unionName = regexp.MustCompile(`^deepstatemap_data_(\d{4})(\d{2})(\d{2})\.geojson$`)

func (b *builder) snapshots() error {
	var rows []snapRow
	var lastPre orb.MultiPolygon
	lastRaw := ""
	rawDir := filepath.Join(b.shared, "geo/deepstate_raw_monthly")
	entries, err := os.ReadDir(rawDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		m := rawName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		t0 := time.Now()
		fc, err := readFC(filepath.Join(rawDir, e.Name()))
		if err != nil {
			return err
		}
		full, err := geo.Normalize(deepstate.Classify(fc), b.outline)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
		url := "https://deepstatemap.live/api/history/" + m[2] + "/geojson"
		if lastRaw == "" {
			// The line of 2022-02-23, the eve of the full-scale invasion:
			// the first raw file's layer of areas occupied before 2022
			// (Crimea, Sevastopol, parts of Donetsk and Luhansk), with
			// nothing occupied since and the grey zone unknown.
			pre := snapRow{date: prewarDate, kind: "deepstate_raw_pre2022", file: "deepstate_raw_monthly/" + e.Name(),
				url: url + " (" + prewarLabel + ")", historyID: m[2]}
			if err := b.writeSnapshot(&pre, geo.Layers{Pre2022: full.Pre2022}); err != nil {
				return err
			}
			rows = append(rows, pre)
			log.Printf("%s pre-2022 layer of %s: occupied %.0f km² (simplified %.0f)", pre.date, m[1], pre.occFull, pre.occ)
		}
		row := snapRow{date: m[1], kind: "deepstate_raw", file: "deepstate_raw_monthly/" + e.Name(),
			url: url, historyID: m[2], greyKnown: true}
		if err := b.writeSnapshot(&row, full); err != nil {
			return err
		}
		rows = append(rows, row)
		lastPre, lastRaw = full.Pre2022, m[1]
		log.Printf("%s raw: occupied %.0f km² (simplified %.0f, %+.3f%%), grey %.0f km², %d -> %d vertices, %v",
			row.date, row.occFull, row.occ, 100*(row.occ-row.occFull)/row.occFull, row.greyFull, row.vertsFull, row.verts, time.Since(t0).Round(time.Millisecond))
	}

	// After the raw archive ends, use the occupied-only union: the first
	// file of each later month, and the latest file.
	uDir := filepath.Join(b.shared, "geo/deepstate_occupied_monthly")
	uEntries, err := os.ReadDir(uDir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range uEntries {
		if unionName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	months := map[string]bool{}
	for i, name := range names {
		m := unionName.FindStringSubmatch(name)
		date := m[1] + "-" + m[2] + "-" + m[3]
		month := date[:7]
		latest := i == len(names)-1
		if date <= lastRaw || (months[month] && !latest) {
			continue
		}
		months[month] = true
		fc, err := readFC(filepath.Join(uDir, name))
		if err != nil {
			return err
		}
		var union orb.MultiPolygon
		for _, f := range fc.Features {
			union = append(union, f.Polygons...)
		}
		full, err := geo.SplitPre2022(union, lastPre, b.outline)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		row := snapRow{date: date, kind: "deepstate_occupied_union", file: "deepstate_occupied_monthly/" + name,
			url: "https://github.com/cyterat/deepstate-map-data/blob/main/data/" + name}
		if err := b.writeSnapshot(&row, full); err != nil {
			return err
		}
		rows = append(rows, row)
		log.Printf("%s union: occupied %.0f km² (simplified %.0f, %+.3f%%), %d -> %d vertices",
			row.date, row.occFull, row.occ, 100*(row.occ-row.occFull)/row.occFull, row.vertsFull, row.verts)
	}
	return writeSnapshotIndex(filepath.Join(b.out, "snapshots.csv"), rows, lastRaw)
}

func (b *builder) writeSnapshot(row *snapRow, full geo.Layers) error {
	simp := geo.Layers{GreyKnown: full.GreyKnown}
	var err error
	if simp.Occupied, err = geo.Simplify(full.Occupied, snapshotTolM, decimals); err != nil {
		return err
	}
	if simp.Pre2022, err = geo.Simplify(full.Pre2022, snapshotTolM, decimals); err != nil {
		return err
	}
	if simp.Grey, err = geo.Simplify(full.Grey, snapshotTolM, decimals); err != nil {
		return err
	}
	// Simplified layers stray over the embedded outline and into each
	// other by up to the tolerance. Normalise them against the outline
	// nadra imports with, so that each snapshot is what importing it gives:
	// a snapshot exported and imported again is unchanged.
	if simp, err = geo.Normalize(simp, b.embedded); err != nil {
		return fmt.Errorf("%s: normalise the simplified layers: %w", row.date, err)
	}
	a := geo.Ukraine.AreaKm2
	row.occFull = a(full.Occupied) + a(full.Pre2022)
	row.occ = a(simp.Occupied) + a(simp.Pre2022)
	row.greyFull, row.grey = a(full.Grey), a(simp.Grey)
	row.vertsFull = vertices(full.Occupied) + vertices(full.Pre2022) + vertices(full.Grey)
	row.verts = vertices(simp.Occupied) + vertices(simp.Pre2022) + vertices(simp.Grey)
	feats := []feature{
		{props: map[string]any{"status": geo.AreaOccupied}, geom: simp.Occupied},
		{props: map[string]any{"status": geo.AreaPre2022}, geom: simp.Pre2022},
	}
	if simp.GreyKnown && len(simp.Grey) > 0 {
		feats = append(feats, feature{props: map[string]any{"status": geo.AreaGrey}, geom: simp.Grey})
	}
	top := map[string]any{"date": row.date, "grey_known": simp.GreyKnown, "source": row.url}
	return writeFC(filepath.Join(b.out, "snapshots", row.date+".geojson"), top, feats)
}

func writeSnapshotIndex(path string, rows []snapRow, lastRaw string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Write([]string{"date", "kind", "grey_known", "occupied_km2_full", "occupied_km2", "grey_km2_full", "grey_km2", "vertices_full", "vertices", "pre2022_from", "source"})
	for _, r := range rows {
		pre := r.date
		switch r.kind {
		case "deepstate_raw_pre2022":
			pre = filepath.Base(r.file)[len("deepstate_") : len("deepstate_")+10]
		case "deepstate_occupied_union":
			pre = lastRaw
		}
		grey, greyFull := fmt.Sprintf("%.1f", r.grey), fmt.Sprintf("%.1f", r.greyFull)
		if !r.greyKnown {
			grey, greyFull = "", ""
		}
		w.Write([]string{r.date, r.kind, strconv.FormatBool(r.greyKnown),
			fmt.Sprintf("%.1f", r.occFull), fmt.Sprintf("%.1f", r.occ), greyFull, grey,
			strconv.Itoa(r.vertsFull), strconv.Itoa(r.verts), pre, r.url})
	}
	w.Flush()
	return w.Error()
}

type feature struct {
	props map[string]any
	geom  any // orb.MultiPolygon or orb.MultiLineString
}

// writeFC writes a compact FeatureCollection, one feature per line.
func writeFC(path string, top map[string]any, feats []feature) error {
	var sb strings.Builder
	sb.WriteString(`{"type":"FeatureCollection"`)
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, _ := json.Marshal(top[k])
		fmt.Fprintf(&sb, ",%q:%s", k, v)
	}
	sb.WriteString(",\"features\":[\n")
	for i, f := range feats {
		props, _ := json.Marshal(f.props)
		var g string
		switch c := f.geom.(type) {
		case orb.MultiPolygon:
			g = `{"type":"MultiPolygon","coordinates":` + geo.CoordinatesJSON(c) + `}`
		case orb.MultiLineString:
			g = `{"type":"MultiLineString","coordinates":` + geo.CoordinatesJSON(c) + `}`
		}
		fmt.Fprintf(&sb, `{"type":"Feature","properties":%s,"geometry":%s}`, props, g)
		if i < len(feats)-1 {
			sb.WriteString(",")
		}
		sb.WriteString("\n")
	}
	sb.WriteString("]}\n")
	return os.WriteFile(path, []byte(sb.String()), 0o644)
}
