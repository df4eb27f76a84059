package geo_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"nadra/geo"

	"github.com/paulmach/orb"
)

func TestLAEA_Area(t *testing.T) {
	// A densified quadrangle's planar area in the equal-area projection
	// must equal the exact ellipsoidal area of the quadrangle.
	tests := []struct{ lat1, lat2, lon1, lon2 float64 }{
		{49, 50, 32, 33},
		{44.4, 45.5, 33, 36.5}, // Crimea
		{51, 52.3, 23, 25},     // far from the centre
		{46, 48, 37, 40},
	}
	for _, tt := range tests {
		var ring orb.Ring
		const n = 200
		for i := 0; i <= n; i++ {
			ring = append(ring, orb.Point{tt.lon1 + (tt.lon2-tt.lon1)*float64(i)/n, tt.lat1})
		}
		for i := 0; i <= n; i++ {
			ring = append(ring, orb.Point{tt.lon2, tt.lat1 + (tt.lat2-tt.lat1)*float64(i)/n})
		}
		for i := 0; i <= n; i++ {
			ring = append(ring, orb.Point{tt.lon2 - (tt.lon2-tt.lon1)*float64(i)/n, tt.lat2})
		}
		for i := 0; i <= n; i++ {
			ring = append(ring, orb.Point{tt.lon1, tt.lat2 - (tt.lat2-tt.lat1)*float64(i)/n})
		}
		got := geo.Ukraine.RingArea(ring)
		want := geo.ZoneArea(tt.lat1, tt.lat2, tt.lon2-tt.lon1)
		if rel := math.Abs(got-want) / want; rel > 1e-5 {
			t.Errorf("area of %v: %.1f km², want %.1f km² (rel err %.2g)", tt, got/1e6, want/1e6, rel)
		}
	}
}

func TestLAEA_Inverse(t *testing.T) {
	for _, pt := range []orb.Point{{32, 49}, {22.1, 48.4}, {40.2, 49.6}, {33.5, 44.4}, {30.5, 52.3}, {-10, 70}} {
		x, y := geo.Ukraine.Forward(pt)
		got := geo.Ukraine.Inverse(x, y)
		if math.Abs(got[0]-pt[0]) > 1e-8 || math.Abs(got[1]-pt[1]) > 1e-8 {
			t.Errorf("Inverse(Forward(%v)) = %v", pt, got)
		}
	}
}

func TestDistanceKm(t *testing.T) {
	tests := []struct {
		name string
		a, b orb.Point
		want float64 // km
		tol  float64
	}{
		{"same point", orb.Point{30, 50}, orb.Point{30, 50}, 0, 1e-9},
		// Vincenty (1975) test line: Flinders Peak to Buninyong, 54,972.271 m.
		{"Flinders Peak-Buninyong", orb.Point{144.42486788888889, -37.95103341666667}, orb.Point{143.92649552777777, -37.65282113888889}, 54.972271, 1e-6},
		// One degree of latitude at 49°N on WGS84 is 111.20 km (meridian arc).
		{"one degree of latitude at 49N", orb.Point{32, 48.5}, orb.Point{32, 49.5}, 111.2096, 2e-3},
	}
	for _, tt := range tests {
		got := geo.DistanceKm(tt.a, tt.b)
		if math.Abs(got-tt.want) > tt.tol {
			t.Errorf("%s: DistanceKm = %.6f, want %.6f", tt.name, got, tt.want)
		}
		if back := geo.DistanceKm(tt.b, tt.a); math.Abs(back-got) > 1e-9 {
			t.Errorf("%s: not symmetric: %g vs %g", tt.name, got, back)
		}
	}
}

func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func TestRegion_Contains(t *testing.T) {
	// A square with a hole, and a second square.
	mp := orb.MultiPolygon{
		{square(0, 0, 10, 10), square(4, 4, 6, 6)},
		{square(20, 0, 21, 1)},
	}
	r := geo.NewRegion(mp)
	tests := []struct {
		p    orb.Point
		want bool
	}{
		{orb.Point{1, 1}, true},
		{orb.Point{5, 5}, false},  // in the hole
		{orb.Point{4, 5}, true},   // on the hole's edge: the boundary counts as inside
		{orb.Point{0, 5}, true},   // on the outer edge
		{orb.Point{10, 10}, true}, // on a vertex
		{orb.Point{10.0001, 5}, false},
		{orb.Point{20.5, 0.5}, true},
		{orb.Point{15, 0.5}, false},
		{orb.Point{-1, -1}, false},
	}
	for _, tt := range tests {
		if got := r.Contains(tt.p); got != tt.want {
			t.Errorf("Contains(%v) = %v, want %v", tt.p, got, tt.want)
		}
		if got := r.ContainsBrute(tt.p); got != tt.want {
			t.Errorf("ContainsBrute(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if d, _ := r.DistanceKm(orb.Point{5, 5}); d <= 0 {
		t.Errorf("DistanceKm from the hole = %g, want > 0", d)
	}
	if d, _ := r.DistanceKm(orb.Point{1, 1}); d != 0 {
		t.Errorf("DistanceKm inside = %g, want 0", d)
	}
}

// TestRegion_ContainsEqualsBrute checks the indexed test against the plain
// one on random points and on every vertex and edge midpoint of a jagged
// polygon, with a fixed seed.
func TestRegion_ContainsEqualsBrute(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var ring orb.Ring
	for i := 0; i < 500; i++ {
		a := 2 * math.Pi * float64(i) / 500
		rad := 1 + 0.5*rng.Float64()
		ring = append(ring, orb.Point{30 + rad*math.Cos(a), 48 + rad*math.Sin(a)})
	}
	ring = append(ring, ring[0])
	r := geo.NewRegion(orb.MultiPolygon{{ring}})
	check := func(p orb.Point) {
		if a, b := r.Contains(p), r.ContainsBrute(p); a != b {
			t.Fatalf("Contains(%v) = %v, ContainsBrute = %v", p, a, b)
		}
	}
	for i := 0; i < 20000; i++ {
		check(orb.Point{28 + 4*rng.Float64(), 46 + 4*rng.Float64()})
	}
	for i := 0; i+1 < len(ring); i++ {
		check(ring[i])
		check(orb.Point{(ring[i][0] + ring[i+1][0]) / 2, (ring[i][1] + ring[i+1][1]) / 2})
		check(orb.Point{ring[i][0], ring[i+1][1]}) // same y as a vertex
	}
}

func TestSimplify(t *testing.T) {
	// A finely sampled circle keeps its area within 0.5% at 100 m (all of
	// RDP's chords cut inwards on a convex shape: the worst case).
	var ring orb.Ring
	for i := 0; i < 2000; i++ {
		a := 2 * math.Pi * float64(i) / 2000
		ring = append(ring, orb.Point{32 + math.Cos(a), 49 + 0.66*math.Sin(a)})
	}
	ring = append(ring, ring[0])
	mp := orb.MultiPolygon{{ring}}
	s, err := geo.Simplify(mp, 100, 5)
	if err != nil {
		t.Fatal(err)
	}
	a, b := geo.Ukraine.AreaKm2(mp), geo.Ukraine.AreaKm2(s)
	if math.Abs(a-b)/a > 5e-3 {
		t.Errorf("area %g -> %g km²", a, b)
	}
	if len(s[0][0]) >= len(ring) {
		t.Errorf("simplify kept %d of %d vertices", len(s[0][0]), len(ring))
	}
	for _, p := range s {
		if err := geo.ValidatePolygon(p); err != nil {
			t.Errorf("simplified polygon invalid: %v", err)
		}
	}
}

func TestValidatePolygon(t *testing.T) {
	tests := []struct {
		name string
		p    orb.Polygon
		err  string
	}{
		{"OK", orb.Polygon{square(0, 0, 1, 1)}, ""},
		{"unclosed", orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}, "not closed"},
		{"too short", orb.Polygon{{{0, 0}, {1, 0}, {0, 0}}}, "at least 4"},
		{"bow tie", orb.Polygon{{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}}, "intersects itself"},
		{"hole touching shell is repaired, not refused", orb.Polygon{square(0, 0, 4, 4), square(0, 1, 2, 2)}, ""},
	}
	for _, tt := range tests {
		err := geo.ValidatePolygon(tt.p)
		if (err == nil) != (tt.err == "") || (err != nil && !contains(err.Error(), tt.err)) {
			t.Errorf("%s: ValidatePolygon = %v, want %q", tt.name, err, tt.err)
		}
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestOverlay(t *testing.T) {
	a := orb.MultiPolygon{{square(0, 0, 2, 2)}}
	b := orb.MultiPolygon{{square(1, 0, 3, 2)}}
	area := func(mp orb.MultiPolygon) float64 {
		var s float64
		for _, p := range mp {
			for i, r := range p {
				v := math.Abs(ringArea(r))
				if i > 0 {
					v = -v
				}
				s += v
			}
		}
		return s
	}
	u, _ := geo.Union(a, b)
	i, _ := geo.Intersection(a, b)
	d, _ := geo.Difference(a, b)
	for _, tt := range []struct {
		name      string
		got, want float64
	}{{"union", area(u), 6}, {"intersection", area(i), 2}, {"difference", area(d), 2}} {
		if math.Abs(tt.got-tt.want) > 1e-9 {
			t.Errorf("%s area = %g, want %g", tt.name, tt.got, tt.want)
		}
	}
}

func ringArea(r orb.Ring) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}
