// Package dataset holds nadra's embedded default dataset and reads and
// writes nadra's file formats (FORMAT.md): deposits, estimates and
// commodities as CSV or GeoJSON, and control snapshots as GeoJSON.
//
// The default dataset is curated: facts re-keyed from their sources, each
// row with its source, and geometry built by internal/mkdataset. See
// README.md in this folder for origins, licences and attribution.
package dataset

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"nadra"
	"nadra/geo"

	"github.com/paulmach/orb"
)

//go:embed deposits.csv estimates.csv commodities.csv claims.csv licences.csv snapshots.csv geo/*.geojson scenarios supply/*.csv
var files embed.FS

// The control snapshots (snapshots/*.geojson) are embedded apart, in
// snapshotFiles, so that a build with -tags nosnapshots leaves them out:
// they are DeepStateMap's data (non-commercial and defence use) or derived
// from it under GPL-3.0 (README.md, "Licences in one place").
// snapshots_embed.go and snapshots_none.go define it.

// Dataset is the embedded default dataset.
type Dataset struct {
	Commodities []*nadra.Commodity
	Deposits    []*nadra.Deposit
	Estimates   []*nadra.Estimate
	Licences    []*nadra.Licence
	Snapshots   []*nadra.Snapshot // ordered by date
	// Version identifies this version of the dataset (see Version: the
	// first 16 hex digits of a SHA-256 over its files): a store seeded
	// from another version re-imports it.
	Version string
}

// Default parses the embedded dataset. It is parsed once per process.
func Default() (*Dataset, error) {
	defaultOnce.Do(func() { defaultDS, defaultErr = load() })
	return defaultDS, defaultErr
}

var (
	defaultOnce sync.Once
	defaultDS   *Dataset
	defaultErr  error
)

func load() (*Dataset, error) {
	ds := &Dataset{}
	read := func(name string) []byte {
		b, err := files.ReadFile(name)
		if err != nil {
			panic(err) // embedded: cannot fail
		}
		return b
	}
	var err error
	if ds.Commodities, err = ParseCommoditiesCSV("dataset/commodities.csv", bytes.NewReader(read("commodities.csv"))); err != nil {
		return nil, err
	}
	known := CommodityCodes(ds.Commodities)
	if ds.Deposits, err = ParseDepositsCSV("dataset/deposits.csv", bytes.NewReader(read("deposits.csv")), known); err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, d := range ds.Deposits {
		ids[d.ID] = true
	}
	if ds.Estimates, err = ParseEstimatesCSV("dataset/estimates.csv", bytes.NewReader(read("estimates.csv")), known, ids); err != nil {
		return nil, err
	}
	refs := LicenceRefs{Commodities: known, Deposits: ids, Today: time.Now().UTC().Format(nadra.DateLayout)}
	if ds.Licences, err = ParseLicencesCSV("dataset/licences.csv", bytes.NewReader(read("licences.csv")), refs); err != nil {
		return nil, err
	}
	names, _ := fs.Glob(snapshotFiles, "snapshots/*.geojson")
	sort.Strings(names)
	for _, name := range names {
		b, err := snapshotFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		s, err := readOwnSnapshot(name, b)
		if err != nil {
			return nil, err
		}
		ds.Snapshots = append(ds.Snapshots, s)
	}
	if ds.Version, err = Version(); err != nil {
		return nil, err
	}
	return ds, nil
}

// Version returns the first 16 hex digits of a SHA-256 over every
// embedded file (names, lengths and bytes): it changes whenever the
// default dataset does. Cheap beside Default, which parses.
func Version() (string, error) {
	versionOnce.Do(func() {
		names, err := fs.Glob(files, "*.csv")
		if err != nil {
			versionErr = err
			return
		}
		for _, pat := range []string{"geo/*.geojson", "scenarios/*", "supply/*.csv"} {
			more, _ := fs.Glob(files, pat)
			names = append(names, more...)
		}
		snaps, _ := fs.Glob(snapshotFiles, "snapshots/*.geojson")
		names = append(names, snaps...)
		sort.Strings(names)
		h := sha256.New()
		for _, name := range names {
			src := files
			if strings.HasPrefix(name, "snapshots/") {
				src = snapshotFiles
			}
			b, err := src.ReadFile(name)
			if err != nil {
				versionErr = err
				return
			}
			fmt.Fprintf(h, "%s %d\n", name, len(b))
			h.Write(b)
		}
		// The deal terms are seeded too (the catalog).
		deals, _ := fs.Glob(dealFiles, "deals/*.yaml")
		sort.Strings(deals)
		for _, name := range deals {
			b, _ := dealFiles.ReadFile(name)
			fmt.Fprintf(h, "%s %d\n", name, len(b))
			h.Write(b)
		}
		version = hex.EncodeToString(h.Sum(nil))[:16]
	})
	return version, versionErr
}

var (
	versionOnce sync.Once
	version     string
	versionErr  error
)

// readOwnSnapshot reads a snapshot written by internal/mkdataset: already
// clipped and disjoint, so it is classified but not overlaid again.
func readOwnSnapshot(name string, data []byte) (*nadra.Snapshot, error) {
	fc, err := geo.DecodeFeatureCollection(data)
	if err != nil {
		return nil, featureErr("dataset/"+name, err)
	}
	l, err := geo.ClassifyFeatures(fc, "status", map[string]string{
		geo.AreaOccupied: geo.AreaOccupied, geo.AreaPre2022: geo.AreaPre2022, geo.AreaGrey: geo.AreaGrey}, false)
	if err != nil {
		return nil, featureErr("dataset/"+name, err)
	}
	date := strings.TrimSuffix(path.Base(name), ".geojson")
	if fc.Date != date {
		return nil, fmt.Errorf("dataset/%s: date member %q does not match the file name", name, fc.Date)
	}
	s := &nadra.Snapshot{Date: date, Source: fc.Source, Occupied: l.Occupied, Pre2022: l.Pre2022, Grey: l.Grey}
	if fc.GreyKnown != nil {
		s.GreyKnown = *fc.GreyKnown
	}
	return s, nil
}

// CommodityCodes returns the set of codes.
func CommodityCodes(cs []*nadra.Commodity) map[string]bool {
	m := make(map[string]bool, len(cs))
	for _, c := range cs {
		m[c.Code] = true
	}
	return m
}

// Boundaries returns Ukraine's outline, the sea inside it, the oblasts and
// the Russian and Belarusian borders from the embedded dataset. They are
// parsed once per process.
func Boundaries() (*nadra.Boundaries, error) {
	boundsOnce.Do(func() { bounds, boundsErr = loadBoundaries() })
	return bounds, boundsErr
}

var (
	boundsOnce sync.Once
	bounds     *nadra.Boundaries
	boundsErr  error
)

func loadBoundaries() (*nadra.Boundaries, error) {
	b := &nadra.Boundaries{Oblasts: map[string]orb.MultiPolygon{}, Borders: map[string]orb.MultiLineString{}}
	decode := func(name string) (*geo.FeatureCollection, error) {
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		fc, err := geo.DecodeFeatureCollection(data)
		if err != nil {
			return nil, featureErr("dataset/"+name, err)
		}
		return fc, nil
	}
	for _, part := range []struct {
		name string
		dst  *orb.MultiPolygon
	}{{"geo/outline.geojson", &b.Outline}, {"geo/sea.geojson", &b.Sea}} {
		fc, err := decode(part.name)
		if err != nil {
			return nil, err
		}
		for _, f := range fc.Features {
			*part.dst = append(*part.dst, f.Polygons...)
		}
	}
	fc, err := decode("geo/oblasts.geojson")
	if err != nil {
		return nil, err
	}
	for _, f := range fc.Features {
		iso, _ := f.Properties["iso"].(string)
		b.Oblasts[iso] = f.Polygons
	}
	data, err := files.ReadFile("geo/borders.geojson")
	if err != nil {
		return nil, err
	}
	lines, err := geo.DecodeLines(data)
	if err != nil {
		return nil, fmt.Errorf("dataset/geo/borders.geojson: %w", err)
	}
	for k, v := range lines {
		b.Borders[k] = v
	}
	return b, nil
}

// File returns the bytes of one embedded file, for exports of the
// boundaries.
func File(name string) ([]byte, error) { return files.ReadFile(name) }
