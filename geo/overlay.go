package geo

import (
	"fmt"
	"math"
	"strconv"

	"github.com/paulmach/orb"
	sf "github.com/peterstace/simplefeatures/geom"
)

// Overlay operations on multipolygons, by simplefeatures' DCEL overlay.
// Results are valid and their polygons never overlap.

// Union returns the union of the given multipolygons.
func Union(mps ...orb.MultiPolygon) (orb.MultiPolygon, error) {
	var gs []sf.Geometry
	for _, mp := range mps {
		if len(mp) > 0 {
			gs = append(gs, toSF(mp))
		}
	}
	if len(gs) == 0 {
		return nil, nil
	}
	g, err := sf.UnionMany(gs)
	if err != nil {
		return nil, fmt.Errorf("union: %w", err)
	}
	return fromSF(g), nil
}

// Intersection returns the part of a inside b.
func Intersection(a, b orb.MultiPolygon) (orb.MultiPolygon, error) {
	if len(a) == 0 || len(b) == 0 {
		return nil, nil
	}
	g, err := sf.Intersection(toSF(a), toSF(b))
	if err != nil {
		return nil, fmt.Errorf("intersection: %w", err)
	}
	return fromSF(g), nil
}

// Difference returns the part of a outside b.
func Difference(a, b orb.MultiPolygon) (orb.MultiPolygon, error) {
	if len(a) == 0 {
		return nil, nil
	}
	if len(b) == 0 {
		return Union(a)
	}
	g, err := sf.Difference(toSF(a), toSF(b))
	if err != nil {
		return nil, fmt.Errorf("difference: %w", err)
	}
	return fromSF(g), nil
}

// HoleSliverKm2 is how much of a hole may lie outside its polygon's outer
// ring before ValidatePolygon refuses it: 0.01 km² (1 ha). Two DeepState
// layers of 2022 have such slivers (0.001 km² and less), digitising
// artefacts that cut nothing from the area.
const HoleSliverKm2 = 0.01

// ValidatePolygon checks that every ring is closed, has at least four
// positions and does not cross or touch itself, and that every hole lies
// inside the outer ring (up to HoleSliverKm2). Rings that touch each
// other (a hole touching the shell, as in many hand-drawn layers) are
// accepted: overlay operations repair them.
func ValidatePolygon(p orb.Polygon) error {
	if err := validateRings(p); err != nil {
		return err
	}
	if len(p) < 2 {
		return nil
	}
	shell := sf.NewPolygon(polyRings(p[:1])).AsGeometry()
	sb := p[0].Bound()
	for i, h := range p[1:] {
		hole := sf.NewPolygon(polyRings(orb.Polygon{h})).AsGeometry()
		if hb := h.Bound(); sb.Contains(hb.Min) && sb.Contains(hb.Max) {
			if ok, err := sf.Covers(shell, hole); err == nil && ok {
				continue
			}
		}
		outside, err := sf.Difference(hole, shell)
		if err != nil {
			return fmt.Errorf("ring %d (a hole): cannot check that it lies inside ring 0: %v", i+1, err)
		}
		if km2 := Ukraine.AreaKm2(fromSF(outside)); km2 > HoleSliverKm2 {
			return fmt.Errorf("ring %d is a hole, but %s km² of it lies outside the polygon's outer ring (ring 0); a hole must lie inside it (is the ring order wrong, or is the hole meant as a polygon of its own?)", i+1, strconv.FormatFloat(km2, 'f', 2, 64))
		}
	}
	return nil
}

// validateRings checks each ring on its own.
func validateRings(p orb.Polygon) error {
	for i, r := range p {
		if len(r) < 4 {
			return fmt.Errorf("ring %d has %d positions; a closed ring needs at least 4", i, len(r))
		}
		if r[0] != r[len(r)-1] {
			return fmt.Errorf("ring %d is not closed: first position %v differs from last %v", i, r[0], r[len(r)-1])
		}
		for _, pt := range r {
			if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.IsInf(pt[0], 0) || math.IsInf(pt[1], 0) {
				return fmt.Errorf("ring %d has a non-finite position", i)
			}
		}
		if !polyRings(orb.Polygon{r})[0].IsSimple() {
			return fmt.Errorf("ring %d intersects itself", i)
		}
	}
	return nil
}

func polyRings(p orb.Polygon) []sf.LineString {
	rings := make([]sf.LineString, len(p))
	for i, r := range p {
		flat := make([]float64, 0, 2*len(r))
		for _, pt := range r {
			flat = append(flat, pt[0], pt[1])
		}
		rings[i] = sf.NewLineString(sf.NewSequence(flat, sf.DimXY))
	}
	return rings
}

func toSF(mp orb.MultiPolygon) sf.Geometry {
	polys := make([]sf.Polygon, len(mp))
	for i, p := range mp {
		polys[i] = sf.NewPolygon(polyRings(p))
	}
	return sf.NewMultiPolygon(polys).AsGeometry()
}

func fromSF(g sf.Geometry) orb.MultiPolygon {
	var out orb.MultiPolygon
	var add func(g sf.Geometry)
	add = func(g sf.Geometry) {
		switch g.Type() {
		case sf.TypePolygon:
			if p := polyFromSF(g.MustAsPolygon()); p != nil {
				out = append(out, p)
			}
		case sf.TypeMultiPolygon:
			mp := g.MustAsMultiPolygon()
			for i := 0; i < mp.NumPolygons(); i++ {
				if p := polyFromSF(mp.PolygonN(i)); p != nil {
					out = append(out, p)
				}
			}
		case sf.TypeGeometryCollection:
			gc := g.MustAsGeometryCollection()
			for i := 0; i < gc.NumGeometries(); i++ {
				add(gc.GeometryN(i))
			}
		}
		// Points and lines left by an overlay have no area: dropped.
	}
	add(g)
	return out
}

func polyFromSF(p sf.Polygon) orb.Polygon {
	if p.IsEmpty() {
		return nil
	}
	ring := func(ls sf.LineString) orb.Ring {
		seq := ls.Coordinates()
		r := make(orb.Ring, seq.Length())
		for i := range r {
			xy := seq.GetXY(i)
			r[i] = orb.Point{xy.X, xy.Y}
		}
		return r
	}
	out := orb.Polygon{ring(p.ExteriorRing())}
	for i := 0; i < p.NumInteriorRings(); i++ {
		out = append(out, ring(p.InteriorRingN(i)))
	}
	return out
}

// Repair turns polygons with simple rings into a valid multipolygon. A
// polygon whose rings interact in ways the OGC rules forbid (a hole
// touching its shell along a line, holes that split the interior, a hole
// outside its shell) becomes its shell less its holes, which is what a
// drawing tool meant. Valid polygons pass unchanged. The result is unioned,
// so overlapping input polygons merge.
func Repair(mp orb.MultiPolygon) (orb.MultiPolygon, error) {
	var parts []sf.Geometry
	for _, p := range mp {
		if len(p) == 0 {
			continue
		}
		sp := sf.NewPolygon(polyRings(p))
		if sp.Validate() == nil {
			parts = append(parts, sp.AsGeometry())
			continue
		}
		shell := sf.NewPolygon(polyRings(p[:1]))
		if err := shell.Validate(); err != nil {
			return nil, fmt.Errorf("repair: shell: %v", err)
		}
		if len(p) == 1 {
			parts = append(parts, shell.AsGeometry())
			continue
		}
		holes := make([]sf.Geometry, 0, len(p)-1)
		for _, h := range p[1:] {
			holes = append(holes, sf.NewPolygon(polyRings(orb.Polygon{h})).AsGeometry())
		}
		hu, err := sf.UnionMany(holes)
		if err != nil {
			return nil, fmt.Errorf("repair: holes: %w", err)
		}
		d, err := sf.Difference(shell.AsGeometry(), hu)
		if err != nil {
			return nil, fmt.Errorf("repair: %w", err)
		}
		parts = append(parts, d)
	}
	if len(parts) == 0 {
		return nil, nil
	}
	u, err := sf.UnionMany(parts)
	if err != nil {
		return nil, fmt.Errorf("repair: union: %w", err)
	}
	return fromSF(u), nil
}
