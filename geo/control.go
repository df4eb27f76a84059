package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"unicode/utf8"

	"nadra"

	"github.com/paulmach/orb"
	sf "github.com/peterstace/simplefeatures/geom"
)

// Control statuses of an area in a snapshot. Persisted and sent over the
// wire: append only.
const (
	AreaOccupied = "occupied"         // occupied since 24 February 2022
	AreaPre2022  = "occupied_pre2022" // Crimea, parts of Donetsk and Luhansk, occupied 2014
	AreaGrey     = "grey"             // contested, status unknown
)

// Layers is what one control snapshot says: three disjoint areas.
type Layers struct {
	Occupied orb.MultiPolygon
	Pre2022  orb.MultiPolygon
	Grey     orb.MultiPolygon
	// GreyKnown is false when the source has no grey zone (then Grey is
	// empty and means "unknown", not "none").
	GreyKnown bool
}

// FeatureError is a problem with one feature of a GeoJSON file.
type FeatureError struct {
	Feature int    // 0-based index, -1 for the file as a whole
	Field   string // e.g. "geometry", "properties.status"
	Problem string
}

func (e *FeatureError) Error() string {
	if e.Feature < 0 {
		return e.Field + ": " + e.Problem
	}
	return fmt.Sprintf("feature %d: %s: %s", e.Feature, e.Field, e.Problem)
}

type rawFC struct {
	Type     string            `json:"type"`
	Date     string            `json:"date"`
	Source   string            `json:"source"`
	GreyKnw  *bool             `json:"grey_known"`
	Features []json.RawMessage `json:"features"`
}

type rawFeature struct {
	Type       string          `json:"type"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties map[string]any  `json:"properties"`
}

// FeatureCollection is a decoded GeoJSON FeatureCollection: each feature's
// polygons (points and lines dropped) and properties.
type FeatureCollection struct {
	Date      string // top-level "date" member, if any
	Source    string // top-level "source" member, if any
	GreyKnown *bool  // top-level "grey_known" member, if any
	Features  []Feature
}

// Feature is one decoded feature.
type Feature struct {
	Index      int
	Polygons   orb.MultiPolygon // nil for point or line features
	Properties map[string]any
}

// DecodeFeatureCollection decodes GeoJSON bytes. Positions may have a third
// value, which is ignored; fewer than two numbers, non-finite numbers,
// longitudes outside [-180, 180], latitudes outside [-90, 90] and edges
// crossing the antimeridian are refused. GeometryCollections are
// flattened. Every polygon is validated (see ValidatePolygon): rings
// closed, at least four positions, no self-intersection, holes inside
// their shell.
func DecodeFeatureCollection(data []byte) (*FeatureCollection, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &FeatureError{-1, "file", "empty; expected a GeoJSON FeatureCollection"}
	}
	if !utf8.Valid(data) {
		return nil, &FeatureError{-1, "file", "not UTF-8 text"}
	}
	var fc rawFC
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, &FeatureError{-1, "file", "not valid JSON: " + err.Error()}
	}
	if fc.Type != "FeatureCollection" {
		return nil, &FeatureError{-1, "type", fmt.Sprintf("%q; expected \"FeatureCollection\"", fc.Type)}
	}
	if len(fc.Features) == 0 {
		return nil, &FeatureError{-1, "features", "no features"}
	}
	out := &FeatureCollection{Date: fc.Date, Source: fc.Source, GreyKnown: fc.GreyKnw}
	for i, raw := range fc.Features {
		var f rawFeature
		if err := json.Unmarshal(raw, &f); err != nil {
			return nil, &FeatureError{i, "feature", "not a GeoJSON Feature: " + err.Error()}
		}
		if f.Type != "Feature" {
			return nil, &FeatureError{i, "type", fmt.Sprintf("%q; expected \"Feature\"", f.Type)}
		}
		if len(f.Geometry) == 0 || string(f.Geometry) == "null" {
			return nil, &FeatureError{i, "geometry", "missing"}
		}
		polys, err := decodePolygons(f.Geometry)
		if err != nil {
			return nil, &FeatureError{i, "geometry", err.Error()}
		}
		for j, p := range polys {
			if err := ValidatePolygon(p); err != nil {
				return nil, &FeatureError{i, "geometry", fmt.Sprintf("polygon %d: %v", j, err)}
			}
		}
		out.Features = append(out.Features, Feature{Index: i, Polygons: polys, Properties: f.Properties})
	}
	return out, nil
}

// ClassifyFeatures sorts a collection's polygons into control layers by
// the property field, through mapping (property value → AreaOccupied,
// AreaPre2022, AreaGrey or "" to ignore). Values missing from mapping are
// an error naming the feature, unless ignoreUnknown is set.
func ClassifyFeatures(fc *FeatureCollection, field string, mapping map[string]string, ignoreUnknown bool) (Layers, error) {
	var l Layers
	for _, f := range fc.Features {
		if len(f.Polygons) == 0 {
			continue
		}
		v, _ := f.Properties[field].(string)
		class, known := mapping[v]
		if !known && !ignoreUnknown {
			return Layers{}, &FeatureError{f.Index, "properties." + field, fmt.Sprintf("%q is not mapped to a status", v)}
		}
		switch class {
		case AreaOccupied:
			l.Occupied = append(l.Occupied, f.Polygons...)
		case AreaPre2022:
			l.Pre2022 = append(l.Pre2022, f.Polygons...)
		case AreaGrey:
			l.Grey = append(l.Grey, f.Polygons...)
			l.GreyKnown = true
		}
	}
	return l, nil
}

// Normalize clips the layers to the outline, dropping areas abroad, and
// makes them disjoint with precedence pre-2022 > occupied > grey, so that
// every point has one status and areas add up.
//
// Normalize is idempotent, vertex for vertex: a layer that is valid and
// that a union, a clip or a difference would leave with the same area (up
// to noopDeg2, float noise where boundaries coincide, as they do in a
// normalised snapshot) is kept as it is. So a snapshot exported and
// imported again is the same snapshot (WriteSnapshotGeoJSON writes
// every coordinate exactly).
func Normalize(l Layers, outline orb.MultiPolygon) (Layers, error) {
	clip := func(mp orb.MultiPolygon) (orb.MultiPolygon, error) {
		if len(mp) == 0 {
			return nil, nil
		}
		u, err := Repair(mp)
		if err != nil {
			return nil, err
		}
		if sameArea(mp, u) && sf.NewMultiPolygon(toPolys(mp)).Validate() == nil {
			u = mp // valid already: the union only re-noded it
		}
		c, err := Intersection(u, outline)
		if err != nil {
			return nil, err
		}
		return unlessNoop(u, c), nil
	}
	pre, err := clip(l.Pre2022)
	if err != nil {
		return Layers{}, fmt.Errorf("pre-2022 areas: %w", err)
	}
	occ, err := clip(l.Occupied)
	if err != nil {
		return Layers{}, fmt.Errorf("occupied areas: %w", err)
	}
	d, err := Difference(occ, pre)
	if err != nil {
		return Layers{}, fmt.Errorf("occupied areas: %w", err)
	}
	occ = unlessNoop(occ, d)
	grey, err := clip(l.Grey)
	if err != nil {
		return Layers{}, fmt.Errorf("grey zone: %w", err)
	}
	if len(grey) > 0 && len(pre)+len(occ) > 0 {
		hostile, err := Union(pre, occ)
		if err != nil {
			return Layers{}, fmt.Errorf("grey zone: %w", err)
		}
		d, err := Difference(grey, hostile)
		if err != nil {
			return Layers{}, fmt.Errorf("grey zone: %w", err)
		}
		grey = unlessNoop(grey, d)
	}
	return Layers{Occupied: occ, Pre2022: pre, Grey: grey, GreyKnown: l.GreyKnown}, nil
}

// noopDeg2 is the planar area, in square degrees, below which Normalize
// takes a union, a clip or a difference to have changed nothing: about
// 1 m² over Ukraine. The overlay works on lon/lat as a plane, so
// re-noding (a vertex added on a straight edge) leaves the planar area
// alone up to float noise (some 1e-12), while it moves an equal-area
// measure, where that edge is not straight, by up to a few hundred m².
const noopDeg2 = 1e-10

// unlessNoop returns r, the result of clipping a or cutting from it, or a
// itself when r has the same area: the cut removed nothing.
func unlessNoop(a, r orb.MultiPolygon) orb.MultiPolygon {
	if len(a) > 0 && sameArea(a, r) {
		return a
	}
	return r
}

// sameArea reports whether a and b have the same planar area up to
// noopDeg2.
func sameArea(a, b orb.MultiPolygon) bool {
	var o orb.Point // a common origin keeps the shoelace sums small
	switch {
	case len(a) > 0 && len(a[0]) > 0 && len(a[0][0]) > 0:
		o = a[0][0][0]
	case len(b) > 0 && len(b[0]) > 0 && len(b[0][0]) > 0:
		o = b[0][0][0]
	}
	return math.Abs(planarArea(a, o)-planarArea(b, o)) <= noopDeg2
}

// planarArea returns the area of mp in square degrees, lon/lat taken as a
// plane, shells less holes, computed relative to the origin o.
func planarArea(mp orb.MultiPolygon, o orb.Point) float64 {
	var sum float64
	for _, p := range mp {
		for i, r := range p {
			var s float64
			for j := 0; j+1 < len(r); j++ {
				x0, y0 := r[j][0]-o[0], r[j][1]-o[1]
				x1, y1 := r[j+1][0]-o[0], r[j+1][1]-o[1]
				s += x0*y1 - x1*y0
			}
			s = math.Abs(s) / 2
			if i > 0 {
				s = -s
			}
			sum += s
		}
	}
	return sum
}

// SplitPre2022 splits an occupied union that lacks the pre-2022 split (as
// in the derived occupied-only layer) using the pre-2022 areas of a
// reference snapshot: those areas did not move. Grey is unknown.
func SplitPre2022(union, refPre2022, outline orb.MultiPolygon) (Layers, error) {
	u, err := Repair(union)
	if err != nil {
		return Layers{}, err
	}
	if u, err = Intersection(u, outline); err != nil {
		return Layers{}, err
	}
	pre, err := Intersection(u, refPre2022)
	if err != nil {
		return Layers{}, err
	}
	occ, err := Difference(u, pre)
	if err != nil {
		return Layers{}, err
	}
	return Layers{Occupied: occ, Pre2022: pre}, nil
}

// WriteSnapshotGeoJSON writes a snapshot in nadra's own format, which
// ParseSnapshot reads back.
func WriteSnapshotGeoJSON(w io.Writer, s *nadra.Snapshot) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"type":"FeatureCollection","date":%q,"grey_known":%t,"source":%q,"features":[`, s.Date, s.GreyKnown, s.Source)
	parts := []struct {
		status string
		mp     orb.MultiPolygon
	}{{AreaOccupied, s.Occupied}, {AreaPre2022, s.Pre2022}, {AreaGrey, s.Grey}}
	first := true
	for _, p := range parts {
		if len(p.mp) == 0 {
			continue
		}
		if !first {
			b.WriteString(",")
		}
		first = false
		fmt.Fprintf(&b, "\n"+`{"type":"Feature","properties":{"status":%q},"geometry":{"type":"MultiPolygon","coordinates":%s}}`, p.status, CoordinatesJSON(p.mp))
	}
	b.WriteString("\n]}\n")
	_, err := w.Write(b.Bytes())
	return err
}
