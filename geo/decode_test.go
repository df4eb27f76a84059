package geo_test

import (
	"reflect"
	"strings"
	"testing"

	"nadra/dataset"
	"nadra/geo"

	"github.com/paulmach/orb"
)

// fc wraps one geometry in a FeatureCollection.
func fc(geometry string) []byte {
	return []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"status":"occupied"},"geometry":` + geometry + `}]}`)
}

func TestDecodeFeatureCollection_Positions(t *testing.T) {
	tests := []struct {
		name, geometry string
		err            string // substring; "" for no error
	}{
		{"OK", `{"type":"Polygon","coordinates":[[[37,47],[38,47],[38,48],[37,48],[37,47]]]}`, ""},
		{"elevation ignored", `{"type":"Polygon","coordinates":[[[37,47,0],[38,47,0],[38,48,0],[37,48,0],[37,47,0]]]}`, ""},
		{"points and lines carry no area", `{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[36.5,47.8,0]},{"type":"LineString","coordinates":[[36,47],[37,48]]}]}`, ""},
		{"the date line itself", `{"type":"Polygon","coordinates":[[[179,60],[180,60],[180,61],[179,61],[179,60]]]}`, ""},
		{"one number", `{"type":"Polygon","coordinates":[[[37,47],[38,47],[38],[37,48],[37,47]]]}`, "polygon 0, ring 0, position 2: has 1 number"},
		{"no numbers", `{"type":"Polygon","coordinates":[[[37,47],[],[38,48],[37,48],[37,47]]]}`, "position 1: has 0 numbers"},
		{"four numbers", `{"type":"Polygon","coordinates":[[[37,47,0,1],[38,47],[38,48],[37,48],[37,47]]]}`, "position 0: has 4 numbers"},
		{"latitude over 90", `{"type":"Polygon","coordinates":[[[37,47],[38,47],[38,91],[37,48],[37,47]]]}`, "position 2: latitude 91 is outside [-90, 90]"},
		{"longitude under -180", `{"type":"Polygon","coordinates":[[[37,47],[-180.5,47],[38,48],[37,48],[37,47]]]}`, "position 1: longitude -180.5 is outside [-180, 180]"},
		{"metres, not degrees", `{"type":"Polygon","coordinates":[[[4185000,6097000],[4230000,6097000],[4230000,6140000],[4185000,6097000]]]}`, "longitude 4185000 is outside"},
		{"a string", `{"type":"Polygon","coordinates":[[[37,47],["38",47],[38,48],[37,48],[37,47]]]}`, `longitude "38" is not a number`},
		{"null", `{"type":"Polygon","coordinates":[[[37,47],[38,null],[38,48],[37,48],[37,47]]]}`, "latitude null is not a number"},
		{"too large for a float", `{"type":"Polygon","coordinates":[[[37,47],[38,47],[1e400,48],[37,48],[37,47]]]}`, "longitude 1e400 is not a finite number"},
		{"antimeridian", `{"type":"Polygon","coordinates":[[[170,60],[-170,60],[-170,65],[170,65],[170,60]]]}`, "positions 0-1: the edge from longitude 170 to -170 spans more than 180°"},
		{"second polygon named", `{"type":"MultiPolygon","coordinates":[[[[37,47],[38,47],[38,48],[37,47]]],[[[37,47],[38,47],[38,100],[37,47]]]]}`, "polygon 1, ring 0, position 2: latitude 100"},
		{"polygon with no rings", `{"type":"Polygon","coordinates":[]}`, "polygon 0 has no rings"},
		{"no coordinates", `{"type":"Polygon"}`, "coordinates: missing"},
		{"coordinates not an array", `{"type":"Polygon","coordinates":{"a":1}}`, "coordinates: not an array"},
		{"position not an array", `{"type":"Polygon","coordinates":[[37,47]]}`, "ring 0, position 0: not an array"},
		{"unknown type", `{"type":"Circle","coordinates":[37,47]}`, `type "Circle" is not a GeoJSON geometry type`},
		{"unclosed", `{"type":"Polygon","coordinates":[[[37,47],[38,47],[38,48],[37,48]]]}`, "ring 0 is not closed"},
		{"in a collection", `{"type":"GeometryCollection","geometries":[{"type":"Polygon","coordinates":[[[37,47],[38,47],[38,48],[37,48],[37,47]]]},{"type":"Polygon","coordinates":[[[37,47],[38,-91],[38,48],[37,47]]]}]}`, "geometries[1]: polygon 1, ring 0, position 1: latitude -91"},
		{"collections nested too deep", strings.Repeat(`{"type":"GeometryCollection","geometries":[`, 9) + `{"type":"Point","coordinates":[1,2]}` + strings.Repeat(`]}`, 9), "nested more than 8 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := geo.DecodeFeatureCollection(fc(tt.geometry))
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tt.err != "" && err == nil:
				t.Fatalf("got no error, want %q", tt.err)
			case err != nil && !strings.Contains(err.Error(), "feature 0: geometry: "+tt.err) && !strings.Contains(err.Error(), tt.err):
				t.Fatalf("got %v, want %q", err, tt.err)
			}
		})
	}
}

func TestDecodeFeatureCollection_Values(t *testing.T) {
	got, err := geo.DecodeFeatureCollection(fc(`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"MultiPolygon","coordinates":[[[[37.1,47.25,0],[38,47.25,0],[38,48,0],[37.1,47.25,0]]]]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := orb.MultiPolygon{{{{37.1, 47.25}, {38, 47.25}, {38, 48}, {37.1, 47.25}}}}
	if !reflect.DeepEqual(got.Features[0].Polygons, want) {
		t.Fatalf("got %v, want %v", got.Features[0].Polygons, want)
	}
}

func TestValidatePolygon_Holes(t *testing.T) {
	shell := square(0, 0, 0.1, 0.1) // about 11 km by 7 km at the equator's scale used
	tests := []struct {
		name string
		p    orb.Polygon
		err  string
	}{
		{"hole inside", orb.Polygon{shell, square(0.02, 0.02, 0.05, 0.05)}, ""},
		{"hole touching the shell", orb.Polygon{shell, square(0, 0.02, 0.05, 0.05)}, ""},
		{"hole outside", orb.Polygon{shell, square(0.2, 0.2, 0.25, 0.25)}, "ring 1 is a hole, but"},
		{"hole partly outside", orb.Polygon{shell, square(0.05, 0.05, 0.15, 0.15)}, "lies outside the polygon's outer ring"},
		{"rings in the wrong order", orb.Polygon{square(0.02, 0.02, 0.05, 0.05), shell}, "ring 1 is a hole, but"},
		// A sliver under geo.HoleSliverKm2 (1 ha), as in two DeepState
		// layers of 2022: 0.0005° × 0.0005° is about 0.003 km².
		{"sliver outside", orb.Polygon{shell, square(0.2, 0.2, 0.2005, 0.2005)}, ""},
		{"second hole outside", orb.Polygon{shell, square(0.02, 0.02, 0.05, 0.05), square(-0.2, 0, -0.1, 0.1)}, "ring 2 is a hole"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := geo.ValidatePolygon(tt.p)
			if (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("got %v, want %q", err, tt.err)
			}
		})
	}
}

// TestNormalize_Idempotent: normalising normalised layers changes nothing,
// vertex for vertex, whether they came from overlapping hand-drawn layers
// crossing the outline or from a real DeepState slice.
func TestNormalize_Idempotent(t *testing.T) {
	b, err := dataset.Boundaries()
	if err != nil {
		t.Fatal(err)
	}
	sq := func(x0, y0, x1, y1 float64) orb.MultiPolygon { return orb.MultiPolygon{{square(x0, y0, x1, y1)}} }
	// Layers that overlap each other and run over the Russian border
	// (about 40.2 E at 49.5 N) and into the Sea of Azov.
	drawn := geo.Layers{
		Occupied:  append(sq(37.3, 47.0, 40.5, 49.8), sq(39.9, 49.5, 40.9, 50.2)...),
		Pre2022:   sq(38.0, 47.2, 40.8, 48.4),
		Grey:      sq(37.0, 47.5, 37.6, 49.9),
		GreyKnown: true,
	}
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		l    geo.Layers
	}{
		{"drawn", drawn},
		{"embedded 2022-10-01", layersOf(t, ds, "2022-10-01")},
		{"embedded 2026-08-22", layersOf(t, ds, "2026-08-22")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			once, err := geo.Normalize(tt.l, b.Outline)
			if err != nil {
				t.Fatal(err)
			}
			twice, err := geo.Normalize(once, b.Outline)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range []struct {
				name      string
				got, want orb.MultiPolygon
			}{{"occupied", twice.Occupied, once.Occupied}, {"pre-2022", twice.Pre2022, once.Pre2022}, {"grey", twice.Grey, once.Grey}} {
				if !reflect.DeepEqual(l.got, l.want) {
					t.Errorf("%s: normalised again: %d vertices, %.6f km²; want %d vertices, %.6f km²", l.name,
						vertices(l.got), geo.Ukraine.AreaKm2(l.got), vertices(l.want), geo.Ukraine.AreaKm2(l.want))
				}
			}
		})
	}
	// The drawn layers were clipped and made disjoint on the first pass.
	once, _ := geo.Normalize(drawn, b.Outline)
	if got, all := geo.Ukraine.AreaKm2(once.Occupied)+geo.Ukraine.AreaKm2(once.Pre2022)+geo.Ukraine.AreaKm2(once.Grey), unionKm2(t, drawn); got >= all {
		t.Errorf("normalised drawn layers cover %.0f km², not less than their union %.0f km² (nothing clipped?)", got, all)
	}
	for _, pair := range [][2]orb.MultiPolygon{{once.Occupied, once.Pre2022}, {once.Occupied, once.Grey}, {once.Pre2022, once.Grey}} {
		i, err := geo.Intersection(pair[0], pair[1])
		if err != nil {
			t.Fatal(err)
		}
		if a := geo.Ukraine.AreaKm2(i); a > 1e-6 {
			t.Errorf("normalised layers overlap by %.6f km²", a)
		}
	}
}

func layersOf(t *testing.T, ds *dataset.Dataset, date string) geo.Layers {
	t.Helper()
	for _, s := range ds.Snapshots {
		if s.Date == date {
			return geo.Layers{Occupied: s.Occupied, Pre2022: s.Pre2022, Grey: s.Grey, GreyKnown: s.GreyKnown}
		}
	}
	t.Fatalf("no embedded snapshot of %s", date)
	return geo.Layers{}
}

func unionKm2(t *testing.T, l geo.Layers) float64 {
	t.Helper()
	u, err := geo.Union(l.Occupied, l.Pre2022, l.Grey)
	if err != nil {
		t.Fatal(err)
	}
	return geo.Ukraine.AreaKm2(u)
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
