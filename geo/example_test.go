package geo_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"nadra/geo"
)

// DistanceKm is the geodesic distance on the WGS84 ellipsoid: one degree
// of latitude at 48°N is about 111.2 km.
func ExampleDistanceKm() {
	fmt.Printf("%.1f km\n", geo.DistanceKm(orb.Point{37, 47.5}, orb.Point{37, 48.5}))
	// Output: 111.2 km
}

// The equal-area projection centred on Ukraine measures areas: a
// one-degree square at 48°N is about 111.2 km × 74.6 km = 8,296 km².
func ExampleLAEA_AreaKm2() {
	fmt.Printf("%.0f km²\n", geo.Ukraine.AreaKm2(box(37, 38, 47.5, 48.5)))
	// Output: 8297 km²
}

// A Region answers point-in-polygon and distance questions quickly.
func ExampleRegion() {
	r := geo.NewRegion(box(37, 38, 47.5, 48.5))
	in, out := orb.Point{37.5, 48}, orb.Point{36, 48}
	km, _ := r.DistanceKm(out)
	fmt.Println(r.Contains(in), r.Contains(out))
	fmt.Printf("%.1f km to the edge\n", km)
	// Output:
	// true false
	// 74.6 km to the edge
}

// Overlays: the difference of two overlapping squares is the part of the
// first outside the second.
func ExampleDifference() {
	d, err := geo.Difference(box(37, 38, 47.5, 48.5), box(37.5, 38.5, 47.5, 48.5))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d polygon, %.0f km²\n", len(d), geo.Ukraine.AreaKm2(d))
	// Output: 1 polygon, 4149 km²
}

func ExampleUnion() {
	u, err := geo.Union(box(37, 38, 47.5, 48.5), box(37.5, 38.5, 47.5, 48.5))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d polygon, %.0f km²\n", len(u), geo.Ukraine.AreaKm2(u))
	// Output: 1 polygon, 12446 km²
}

// DecodeFeatureCollection reads GeoJSON polygons with every position
// checked; points and lines carry no area and are skipped.
func ExampleDecodeFeatureCollection() {
	fc, err := geo.DecodeFeatureCollection([]byte(`{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"status":"occupied"},"geometry":{"type":"Polygon","coordinates":[[[37,47.5],[38,47.5],[38,48.5],[37,48.5],[37,47.5]]]}},
		{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[30,50]}}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(fc.Features), len(fc.Features[0].Polygons), fc.Features[0].Properties["status"])
	_, err = geo.DecodeFeatureCollection([]byte(`{"type":"FeatureCollection","features":[
		{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[37,95],[38,47.5],[38,48.5],[37,95]]]}}]}`))
	fmt.Println(err != nil)
	// Output:
	// 2 1 occupied
	// true
}
