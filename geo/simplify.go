package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	sf "github.com/peterstace/simplefeatures/geom"
)

// simplifyLat is the latitude whose scale nadra's simplification uses:
// longitudes are multiplied by cos(49°) so that a tolerance in degrees of
// latitude is about the same distance in every direction over Ukraine.
const simplifyLat = 49.0

const metersPerDegreeLat = 111_200.0 // mean over Ukraine's latitudes

// Simplify returns mp simplified by the Ramer–Douglas–Peucker algorithm with
// a tolerance of about tolM meters, keeping every polygon valid: where a
// polygon would become invalid at tolM it is retried at half the tolerance,
// down to leaving it as it was. Overlaps between simplified polygons are
// resolved by a union. Coordinates are then rounded to decimals places.
func Simplify(mp orb.MultiPolygon, tolM float64, decimals int) (orb.MultiPolygon, error) {
	k := math.Cos(simplifyLat * math.Pi / 180)
	tol := tolM / metersPerDegreeLat
	var out orb.MultiPolygon
	for _, p := range mp {
		scaled := scalePolygon(p, k)
		var got orb.Polygon
		for t := tol; ; t /= 2 {
			if t < tol/64 {
				got = p // give up simplifying this one
				break
			}
			s, err := sf.NewPolygon(polyRings(scaled)).Simplify(t)
			if err != nil {
				continue
			}
			cand := roundPolygon(scalePolygon(polyFromSF(s), 1/k), decimals)
			if len(cand) == 0 {
				break // collapsed: a sliver below the tolerance
			}
			if ValidatePolygon(cand) == nil {
				got = cand
				break
			}
		}
		if len(got) > 0 {
			out = append(out, got)
		}
	}
	if err := sf.NewMultiPolygon(toPolys(out)).Validate(); err != nil {
		u, err := Union(out)
		if err != nil {
			return nil, fmt.Errorf("simplify: resolve overlaps: %w", err)
		}
		out = u
	}
	return out, nil
}

// SimplifyLines simplifies lines with the same tolerance rule as Simplify.
func SimplifyLines(ml orb.MultiLineString, tolM float64, decimals int) orb.MultiLineString {
	k := math.Cos(simplifyLat * math.Pi / 180)
	tol := tolM / metersPerDegreeLat
	var out orb.MultiLineString
	for _, ls := range ml {
		flat := make([]float64, 0, 2*len(ls))
		for _, p := range ls {
			flat = append(flat, p[0]*k, p[1])
		}
		s := sf.NewLineString(sf.NewSequence(flat, sf.DimXY)).Simplify(tol)
		seq := s.Coordinates()
		line := make(orb.LineString, seq.Length())
		for i := range line {
			xy := seq.GetXY(i)
			line[i] = roundPoint(orb.Point{xy.X / k, xy.Y}, decimals)
		}
		out = append(out, line)
	}
	return out
}

func toPolys(mp orb.MultiPolygon) []sf.Polygon {
	ps := make([]sf.Polygon, len(mp))
	for i, p := range mp {
		ps[i] = sf.NewPolygon(polyRings(p))
	}
	return ps
}

func scalePolygon(p orb.Polygon, k float64) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		nr := make(orb.Ring, len(r))
		for j, pt := range r {
			nr[j] = orb.Point{pt[0] * k, pt[1]}
		}
		out[i] = nr
	}
	return out
}

func roundPoint(p orb.Point, decimals int) orb.Point {
	m := math.Pow(10, float64(decimals))
	return orb.Point{math.Round(p[0]*m) / m, math.Round(p[1]*m) / m}
}

// roundPolygon rounds coordinates and drops repeated positions and rings
// that collapse.
func roundPolygon(p orb.Polygon, decimals int) orb.Polygon {
	var out orb.Polygon
	for i, r := range p {
		var nr orb.Ring
		for _, pt := range r {
			q := roundPoint(pt, decimals)
			if len(nr) == 0 || nr[len(nr)-1] != q {
				nr = append(nr, q)
			}
		}
		if len(nr) < 4 {
			if i == 0 {
				return nil
			}
			continue
		}
		out = append(out, nr)
	}
	return out
}
