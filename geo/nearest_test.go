package geo_test

import (
	"math"
	"testing"

	"nadra/geo"

	"github.com/paulmach/orb"
)

// TestRegion_NearestEdgeIndexed checks the indexed nearest-edge search
// against the scan of every edge, on every layer of every embedded
// snapshot, from points inside Ukraine and around it.
func TestRegion_NearestEdgeIndexed(t *testing.T) {
	ds, b := mustDefault(t)
	pts := geo.RandomPointsIn(b.Outline, 300, 7)
	// And points well outside the layers' boxes: west of Ukraine, in the
	// Black Sea, in Russia.
	pts = append(pts, orb.Point{14, 50}, orb.Point{33, 42}, orb.Point{45, 55}, orb.Point{22.1, 48.4})
	for i, s := range ds.Snapshots {
		if i%5 != 0 && i != len(ds.Snapshots)-1 {
			continue // every fifth snapshot keeps the test fast
		}
		for _, layer := range []struct {
			name string
			mp   orb.MultiPolygon
		}{{"occupied", s.Occupied}, {"pre2022", s.Pre2022}, {"grey", s.Grey}} {
			r := geo.NewRegion(layer.mp)
			for _, p := range pts {
				q1, d1, ok1 := r.NearestEdge(p)
				q2, d2, ok2 := r.NearestEdgeBrute(p)
				if ok1 != ok2 || math.Abs(d1-d2) > 1e-9 {
					t.Fatalf("%s %s from %v: indexed %v %.9f km (%v), scan %v %.9f km (%v)", s.Date, layer.name, p, q1, d1, ok1, q2, d2, ok2)
				}
			}
		}
	}
}

// TestLines_DistanceKm checks the prepared borders against the plain
// LineDistanceKm.
func TestLines_DistanceKm(t *testing.T) {
	_, b := mustDefault(t)
	var mls orb.MultiLineString
	for _, k := range []string{"RU", "BY"} {
		mls = append(mls, b.Borders[k]...)
	}
	ls := geo.NewLines(mls)
	for _, p := range append(geo.RandomPointsIn(b.Outline, 500, 9), orb.Point{10, 40}, orb.Point{50, 60}) {
		d1, ok1 := ls.DistanceKm(p)
		d2, ok2 := geo.LineDistanceKm(p, mls)
		if ok1 != ok2 || math.Abs(d1-d2) > 1e-9 {
			t.Fatalf("from %v: prepared %.9f (%v), plain %.9f (%v)", p, d1, ok1, d2, ok2)
		}
	}
	var empty *geo.Lines
	if _, ok := empty.DistanceKm(orb.Point{30, 50}); ok {
		t.Fatalf("nil lines have a distance")
	}
	if _, ok := geo.NewLines(nil).DistanceKm(orb.Point{30, 50}); ok {
		t.Fatalf("no lines have a distance")
	}
}
