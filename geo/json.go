package geo

import (
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// CoordinatesJSON returns the GeoJSON "coordinates" array of a
// MultiPolygon, MultiLineString, LineString or Point, with the shortest
// decimal form of each number.
func CoordinatesJSON(g orb.Geometry) string {
	var sb strings.Builder
	pt := func(p orb.Point) {
		sb.WriteByte('[')
		sb.WriteString(strconv.FormatFloat(p[0], 'f', -1, 64))
		sb.WriteByte(',')
		sb.WriteString(strconv.FormatFloat(p[1], 'f', -1, 64))
		sb.WriteByte(']')
	}
	list := func(n int, f func(i int)) {
		sb.WriteByte('[')
		for i := 0; i < n; i++ {
			if i > 0 {
				sb.WriteByte(',')
			}
			f(i)
		}
		sb.WriteByte(']')
	}
	switch c := g.(type) {
	case orb.Point:
		pt(c)
	case orb.LineString:
		list(len(c), func(i int) { pt(c[i]) })
	case orb.MultiLineString:
		list(len(c), func(i int) { list(len(c[i]), func(j int) { pt(c[i][j]) }) })
	case orb.Polygon:
		list(len(c), func(i int) { list(len(c[i]), func(j int) { pt(c[i][j]) }) })
	case orb.MultiPolygon:
		list(len(c), func(i int) {
			list(len(c[i]), func(j int) { list(len(c[i][j]), func(k int) { pt(c[i][j][k]) }) })
		})
	}
	return sb.String()
}

// DecodeLines reads a FeatureCollection of LineString or MultiLineString
// features keyed by their "country" property.
func DecodeLines(data []byte) (map[string]orb.MultiLineString, error) {
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, err
	}
	out := map[string]orb.MultiLineString{}
	for _, f := range fc.Features {
		k, _ := f.Properties["country"].(string)
		switch g := f.Geometry.(type) {
		case orb.LineString:
			out[k] = append(out[k], g)
		case orb.MultiLineString:
			out[k] = append(out[k], g...)
		}
	}
	return out, nil
}
