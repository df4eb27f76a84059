package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"nadra/deepstate"
	"nadra/geo"

	"github.com/paulmach/orb"
)

// sliceBox is the area of the test slices: the front south-west of
// Donetsk, around Shevchenkivske (47.91 N 36.71 E), which changed hands
// between the 2025-06 and 2025-07 snapshots.
var sliceBox = orb.Bound{Min: orb.Point{36.0, 47.3}, Max: orb.Point{37.8, 48.3}}

// writeSlices writes small, box-clipped slices of real shared files for
// the control-import tests, keeping each file's own format: DeepState raw
// layers (3-element positions, properties, one polygon wrapped in a
// GeometryCollection, a point and an area abroad kept) and an
// occupied-only union.
func (b *builder) writeSlices(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	box := orb.MultiPolygon{{orb.Ring{sliceBox.Min, {sliceBox.Max[0], sliceBox.Min[1]}, sliceBox.Max, {sliceBox.Min[0], sliceBox.Max[1]}, sliceBox.Min}}}
	for _, name := range []string{"deepstate_2025-06-01_1748806839.geojson", "deepstate_2025-07-01_1751400934.geojson"} {
		fc, err := readFC(filepath.Join(b.shared, "geo/deepstate_raw_monthly", name))
		if err != nil {
			return err
		}
		var feats []string
		wrapped, abroad, points := false, false, 0
		for _, f := range fc.Features {
			props, _ := json.Marshal(f.Properties)
			if len(f.Polygons) == 0 {
				if points < 2 {
					points++
					feats = append(feats, fmt.Sprintf(`{"type":"Feature","properties":%s,"geometry":{"type":"Point","coordinates":[36.5,47.8,0]}}`, props))
				}
				continue
			}
			fill, _ := f.Properties["fill"].(string)
			if fill == "#ff5252" && !abroad { // an area abroad, kept whole: clipping must drop it
				abroad = true
				feats = append(feats, fmt.Sprintf(`{"type":"Feature","properties":%s,"geometry":{"type":"MultiPolygon","coordinates":%s}}`, props, coords3(f.Polygons)))
				continue
			}
			if !f.Polygons.Bound().Intersects(sliceBox) {
				continue
			}
			part, err := geo.Repair(f.Polygons)
			if err != nil {
				return err
			}
			if part, err = geo.Intersection(part, box); err != nil || len(part) == 0 {
				continue
			}
			g := fmt.Sprintf(`{"type":"MultiPolygon","coordinates":%s}`, coords3(part))
			if !wrapped && deepstate.Fill(fill) == geo.AreaOccupied {
				wrapped = true
				g = `{"type":"GeometryCollection","geometries":[` + g + `]}`
			}
			feats = append(feats, fmt.Sprintf(`{"type":"Feature","properties":%s,"geometry":%s}`, props, g))
		}
		out := `{"type":"FeatureCollection","features":[` + "\n" + strings.Join(feats, ",\n") + "\n]}\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(out), 0o644); err != nil {
			return err
		}
	}
	fc, err := readFC(filepath.Join(b.shared, "geo/deepstate_occupied_monthly/deepstatemap_data_20260822.geojson"))
	if err != nil {
		return err
	}
	var union orb.MultiPolygon
	for _, f := range fc.Features {
		union = append(union, f.Polygons...)
	}
	part, err := geo.Repair(union)
	if err != nil {
		return err
	}
	if part, err = geo.Intersection(part, box); err != nil {
		return err
	}
	out := `{"type":"FeatureCollection","name":"deepstatemap_data_20260822","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[` +
		"\n" + fmt.Sprintf(`{"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":%s}}`, geo.CoordinatesJSON(part)) + "\n]}\n"
	return os.WriteFile(filepath.Join(dir, "deepstatemap_data_20260822.geojson"), []byte(out), 0o644)
}

// coords3 writes MultiPolygon coordinates with DeepState's [lon,lat,0]
// positions, rounded to 6 decimals.
func coords3(mp orb.MultiPolygon) string {
	var sb strings.Builder
	sb.WriteString("[")
	for i, p := range mp {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString("[")
		for j, r := range p {
			if j > 0 {
				sb.WriteString(",")
			}
			sb.WriteString("[")
			for k, pt := range r {
				if k > 0 {
					sb.WriteString(",")
				}
				fmt.Fprintf(&sb, "[%.6f,%.6f,0]", pt[0], pt[1])
			}
			sb.WriteString("]")
		}
		sb.WriteString("]")
	}
	sb.WriteString("]")
	return sb.String()
}
