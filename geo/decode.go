package geo

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/paulmach/orb"
)

// maxCollectionDepth bounds how deeply GeometryCollections may nest.
// RFC 7946 advises against nesting at all; DeepState uses one level.
const maxCollectionDepth = 8

// rawGeometry is a GeoJSON geometry before its coordinates are read.
type rawGeometry struct {
	Type        string            `json:"type"`
	Coordinates json.RawMessage   `json:"coordinates"`
	Geometries  []json.RawMessage `json:"geometries"`
}

// decodePolygons reads a GeoJSON geometry and returns its polygons, with
// every position checked: two or three numbers, finite, longitude in
// [-180, 180] and latitude in [-90, 90], and no edge spanning more than
// 180° of longitude (a ring crossing the antimeridian, which RFC 7946
// says to split). Points and lines are skipped: they carry no area.
// GeometryCollections are flattened. Errors name the polygon (counted
// over the flattened feature), the ring and the position, 0-based.
func decodePolygons(raw json.RawMessage) (orb.MultiPolygon, error) {
	var out orb.MultiPolygon
	if err := decodeInto(raw, &out, 0); err != nil {
		return nil, err
	}
	return out, nil
}

func decodeInto(raw json.RawMessage, out *orb.MultiPolygon, depth int) error {
	var g rawGeometry
	if err := json.Unmarshal(raw, &g); err != nil {
		return fmt.Errorf("not a GeoJSON geometry object: %v", err)
	}
	switch g.Type {
	case "Point", "MultiPoint", "LineString", "MultiLineString":
		return nil // no area: markers, arrows and labels
	case "GeometryCollection":
		if depth >= maxCollectionDepth {
			return fmt.Errorf("GeometryCollections nested more than %d deep", maxCollectionDepth)
		}
		for i, m := range g.Geometries {
			if err := decodeInto(m, out, depth+1); err != nil {
				return fmt.Errorf("geometries[%d]: %w", i, err)
			}
		}
		return nil
	case "Polygon":
		var rings []json.RawMessage
		if err := unmarshalArray(g.Coordinates, &rings); err != nil {
			return fmt.Errorf("polygon %d: coordinates: %v; expected an array of rings", len(*out), err)
		}
		p, err := decodePolygon(len(*out), rings)
		if err != nil {
			return err
		}
		*out = append(*out, p)
		return nil
	case "MultiPolygon":
		var polys []json.RawMessage
		if err := unmarshalArray(g.Coordinates, &polys); err != nil {
			return fmt.Errorf("polygon %d: coordinates: %v; expected an array of polygons", len(*out), err)
		}
		for _, pr := range polys {
			var rings []json.RawMessage
			if err := unmarshalArray(pr, &rings); err != nil {
				return fmt.Errorf("polygon %d: %v; expected an array of rings", len(*out), err)
			}
			p, err := decodePolygon(len(*out), rings)
			if err != nil {
				return err
			}
			*out = append(*out, p)
		}
		return nil
	case "":
		return fmt.Errorf("no \"type\"; expected Polygon, MultiPolygon or GeometryCollection")
	}
	return fmt.Errorf("type %q is not a GeoJSON geometry type", g.Type)
}

// unmarshalArray decodes a JSON array into dst, refusing null and
// non-arrays.
func unmarshalArray(raw json.RawMessage, dst *[]json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return fmt.Errorf("missing")
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("not an array")
	}
	return nil
}

// decodePolygon reads the rings of polygon n (its index, for errors).
func decodePolygon(n int, rings []json.RawMessage) (orb.Polygon, error) {
	if len(rings) == 0 {
		return nil, fmt.Errorf("polygon %d has no rings; a polygon needs an outer ring", n)
	}
	p := make(orb.Polygon, 0, len(rings))
	for i, rr := range rings {
		var pos []json.RawMessage
		if err := unmarshalArray(rr, &pos); err != nil {
			return nil, fmt.Errorf("polygon %d, ring %d: %v; expected an array of positions", n, i, err)
		}
		ring := make(orb.Ring, 0, len(pos))
		for j, pr := range pos {
			pt, err := decodePosition(pr)
			if err != nil {
				return nil, fmt.Errorf("polygon %d, ring %d, position %d: %v", n, i, j, err)
			}
			if j > 0 {
				if prev := ring[j-1]; math.Abs(pt[0]-prev[0]) > 180 {
					return nil, fmt.Errorf("polygon %d, ring %d, positions %d-%d: the edge from longitude %s to %s spans more than 180°, as a ring crossing the antimeridian does; split it at ±180° (RFC 7946, 3.1.9)",
						n, i, j-1, j, num(prev[0]), num(pt[0]))
				}
			}
			ring = append(ring, pt)
		}
		p = append(p, ring)
	}
	return p, nil
}

// decodePosition reads [lon, lat] or [lon, lat, elevation]; the elevation
// is ignored.
func decodePosition(raw json.RawMessage) (orb.Point, error) {
	var nums []json.RawMessage
	if err := unmarshalArray(raw, &nums); err != nil {
		return orb.Point{}, fmt.Errorf("%v; expected [longitude, latitude]", err)
	}
	if len(nums) < 2 || len(nums) > 3 {
		n := fmt.Sprintf("%d numbers", len(nums))
		if len(nums) == 1 {
			n = "1 number"
		}
		return orb.Point{}, fmt.Errorf("has %s; expected [longitude, latitude] or [longitude, latitude, elevation]", n)
	}
	var v [3]float64
	for k, n := range nums {
		f, err := parseJSONNumber(n)
		if err != nil {
			return orb.Point{}, fmt.Errorf("%s %s", [3]string{"longitude", "latitude", "elevation"}[k], err)
		}
		v[k] = f
	}
	lon, lat := v[0], v[1]
	if lon < -180 || lon > 180 {
		return orb.Point{}, fmt.Errorf("longitude %s is outside [-180, 180]; positions are [longitude, latitude] in WGS84 degrees", num(lon))
	}
	if lat < -90 || lat > 90 {
		return orb.Point{}, fmt.Errorf("latitude %s is outside [-90, 90]; positions are [longitude, latitude] in WGS84 degrees", num(lat))
	}
	return orb.Point{lon, lat}, nil
}

// parseJSONNumber parses a JSON number literal, refusing strings, null and
// numbers too large for a float64.
func parseJSONNumber(raw json.RawMessage) (float64, error) {
	s := string(raw)
	if s == "" || !(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) {
		if len(s) > 20 {
			s = s[:20] + "…"
		}
		return 0, fmt.Errorf("%s is not a number", s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		if len(s) > 20 {
			s = s[:20] + "…"
		}
		return 0, fmt.Errorf("%s is not a finite number", s)
	}
	return f, nil
}

// num formats a coordinate as written, without an exponent below 1e15.
func num(f float64) string {
	if math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
