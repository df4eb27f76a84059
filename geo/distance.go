package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// DistanceKm returns the geodesic distance in km between two points on the
// WGS84 ellipsoid, by Vincenty's inverse formula (T. Vincenty, "Direct and
// inverse solutions of geodesics on the ellipsoid", Survey Review 23(176),
// 1975). It is accurate to well under a meter. For nearly antipodal points,
// where the iteration may not converge, it falls back to the great-circle
// distance on the authalic sphere, which never happens within Ukraine.
func DistanceKm(a, b orb.Point) float64 {
	const (
		aa = WGS84A
		f  = WGS84F
	)
	bb := aa * (1 - f)
	L := (b[0] - a[0]) * math.Pi / 180
	U1 := math.Atan((1 - f) * math.Tan(a[1]*math.Pi/180))
	U2 := math.Atan((1 - f) * math.Tan(b[1]*math.Pi/180))
	sinU1, cosU1 := math.Sincos(U1)
	sinU2, cosU2 := math.Sincos(U2)
	lambda := L
	var sinSigma, cosSigma, sigma, cos2Alpha, cos2SigmaM float64
	for i := 0; i < 200; i++ {
		sinL, cosL := math.Sincos(lambda)
		t1 := cosU2 * sinL
		t2 := cosU1*sinU2 - sinU1*cosU2*cosL
		sinSigma = math.Sqrt(t1*t1 + t2*t2)
		if sinSigma == 0 {
			return 0 // coincident points
		}
		cosSigma = sinU1*sinU2 + cosU1*cosU2*cosL
		sigma = math.Atan2(sinSigma, cosSigma)
		sinAlpha := cosU1 * cosU2 * sinL / sinSigma
		cos2Alpha = 1 - sinAlpha*sinAlpha
		if cos2Alpha != 0 {
			cos2SigmaM = cosSigma - 2*sinU1*sinU2/cos2Alpha
		} else {
			cos2SigmaM = 0 // equatorial line
		}
		C := f / 16 * cos2Alpha * (4 + f*(4-3*cos2Alpha))
		prev := lambda
		lambda = L + (1-C)*f*sinAlpha*(sigma+C*sinSigma*(cos2SigmaM+C*cosSigma*(-1+2*cos2SigmaM*cos2SigmaM)))
		if math.Abs(lambda-prev) < 1e-12 {
			u2 := cos2Alpha * (aa*aa - bb*bb) / (bb * bb)
			A := 1 + u2/16384*(4096+u2*(-768+u2*(320-175*u2)))
			B := u2 / 1024 * (256 + u2*(-128+u2*(74-47*u2)))
			dSigma := B * sinSigma * (cos2SigmaM + B/4*(cosSigma*(-1+2*cos2SigmaM*cos2SigmaM)-
				B/6*cos2SigmaM*(-3+4*sinSigma*sinSigma)*(-3+4*cos2SigmaM*cos2SigmaM)))
			return bb * A * (sigma - dSigma) / 1000
		}
	}
	return haversineKm(a, b)
}

// haversineKm is the great-circle distance on a sphere of the WGS84
// authalic radius.
func haversineKm(a, b orb.Point) float64 {
	const r = 6371.0072
	la1, la2 := a[1]*math.Pi/180, b[1]*math.Pi/180
	dla := la2 - la1
	dlo := (b[0] - a[0]) * math.Pi / 180
	h := math.Sin(dla/2)*math.Sin(dla/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dlo/2)*math.Sin(dlo/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// local is a flat approximation around a query point, used only to find
// which point of a segment is nearest; the distance itself is then taken
// geodesically. Within a few hundred km the chosen point is off by meters.
type local struct {
	lon0, lat0, kx, ky float64 // km per degree
}

func newLocal(p orb.Point) local {
	lat := p[1] * math.Pi / 180
	// Meridional and prime-vertical radii of curvature of WGS84, in km.
	s := math.Sin(lat)
	w := math.Sqrt(1 - wgs84E2*s*s)
	m := WGS84A * (1 - wgs84E2) / (w * w * w) / 1000
	n := WGS84A / w / 1000
	return local{p[0], p[1], n * math.Cos(lat) * math.Pi / 180, m * math.Pi / 180}
}

func (l local) xy(p orb.Point) (float64, float64) {
	return (p[0] - l.lon0) * l.kx, (p[1] - l.lat0) * l.ky
}

// nearestOnSegment returns the point of segment ab nearest to the origin
// of l (the query point), and the squared flat distance to it in km².
func (l local) nearestOnSegment(a, b orb.Point) (orb.Point, float64) {
	ax, ay := l.xy(a)
	bx, by := l.xy(b)
	dx, dy := bx-ax, by-ay
	t := 0.0
	if den := dx*dx + dy*dy; den > 0 {
		t = -(ax*dx + ay*dy) / den
		t = math.Max(0, math.Min(1, t))
	}
	x, y := ax+t*dx, ay+t*dy
	return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}, x*x + y*y
}
