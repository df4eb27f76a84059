package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// WGS84 ellipsoid.
const (
	WGS84A  = 6378137.0             // semi-major axis, meters
	WGS84F  = 1 / 298.257223563     // flattening
	wgs84E2 = WGS84F * (2 - WGS84F) // first eccentricity squared
)

// LAEA is a Lambert azimuthal equal-area projection on the WGS84
// ellipsoid (Snyder 1987, "Map Projections: A Working Manual", USGS
// Professional Paper 1395, pp. 187–190). Areas measured in its plane are
// true areas on the ellipsoid, which is why nadra measures km² with it.
type LAEA struct {
	lon0, sinB1, cosB1, rq, d, qp float64
}

// Ukraine is the projection nadra uses for areas: LAEA centred at
// 49°N 32°E, the centre of Ukraine.
var Ukraine = NewLAEA(49, 32)

// NewLAEA returns the projection centred at lat0, lon0 (degrees).
func NewLAEA(lat0, lon0 float64) *LAEA {
	e := math.Sqrt(wgs84E2)
	qp := authalicQ(math.Pi/2, e)
	phi1 := lat0 * math.Pi / 180
	q1 := authalicQ(phi1, e)
	b1 := math.Asin(q1 / qp)
	rq := WGS84A * math.Sqrt(qp/2)
	sinP := math.Sin(phi1)
	m1 := math.Cos(phi1) / math.Sqrt(1-wgs84E2*sinP*sinP)
	d := WGS84A * m1 / (rq * math.Cos(b1))
	return &LAEA{lon0: lon0 * math.Pi / 180, sinB1: math.Sin(b1), cosB1: math.Cos(b1), rq: rq, d: d, qp: qp}
}

// authalicQ is Snyder's q (eq. 3-12).
func authalicQ(phi, e float64) float64 {
	s := math.Sin(phi)
	return (1 - wgs84E2) * (s/(1-wgs84E2*s*s) - 1/(2*e)*math.Log((1-e*s)/(1+e*s)))
}

// Forward projects a [lon, lat] point to plane coordinates in meters.
func (p *LAEA) Forward(pt orb.Point) (x, y float64) {
	e := math.Sqrt(wgs84E2)
	phi := pt[1] * math.Pi / 180
	lam := pt[0]*math.Pi/180 - p.lon0
	beta := math.Asin(authalicQ(phi, e) / p.qp)
	sinB, cosB := math.Sincos(beta)
	sinL, cosL := math.Sincos(lam)
	b := p.rq * math.Sqrt(2/(1+p.sinB1*sinB+p.cosB1*cosB*cosL))
	return b * p.d * cosB * sinL, (b / p.d) * (p.cosB1*sinB - p.sinB1*cosB*cosL)
}

// Inverse returns the [lon, lat] point of plane coordinates in meters:
// Snyder's eqs. 24-28 and 24-29 for the authalic latitude, then the
// series 3-18 back to the geodetic one (error below 1e-9 degrees).
func (p *LAEA) Inverse(x, y float64) orb.Point {
	rho := math.Hypot(x/p.d, p.d*y)
	beta, lam := math.Asin(p.sinB1), 0.0 // the centre
	if rho > 1e-9 {
		ce := 2 * math.Asin(math.Min(1, rho/(2*p.rq)))
		sinC, cosC := math.Sincos(ce)
		beta = math.Asin(math.Max(-1, math.Min(1, cosC*p.sinB1+p.d*y*sinC*p.cosB1/rho)))
		lam = math.Atan2(x*sinC, p.d*rho*p.cosB1*cosC-p.d*p.d*y*p.sinB1*sinC)
	}
	e2 := wgs84E2
	e4, e6 := e2*e2, e2*e2*e2
	phi := beta + (e2/3+31*e4/180+517*e6/5040)*math.Sin(2*beta) +
		(23*e4/360+251*e6/3780)*math.Sin(4*beta) + (761*e6/45360)*math.Sin(6*beta)
	return orb.Point{(p.lon0 + lam) * 180 / math.Pi, phi * 180 / math.Pi}
}

// RingArea returns the unsigned area of a ring in m².
func (p *LAEA) RingArea(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	var sum float64
	x0, y0 := p.Forward(r[len(r)-1])
	for _, pt := range r {
		x1, y1 := p.Forward(pt)
		sum += x0*y1 - x1*y0
		x0, y0 = x1, y1
	}
	return math.Abs(sum) / 2
}

// PolygonArea returns a polygon's area in m²: its outer ring less its holes.
func (p *LAEA) PolygonArea(poly orb.Polygon) float64 {
	var a float64
	for i, r := range poly {
		if i == 0 {
			a += p.RingArea(r)
		} else {
			a -= p.RingArea(r)
		}
	}
	return a
}

// AreaKm2 returns the area of a multipolygon in km². Its polygons must not
// overlap (overlay results never do).
func (p *LAEA) AreaKm2(mp orb.MultiPolygon) float64 {
	var a float64
	for _, poly := range mp {
		a += p.PolygonArea(poly)
	}
	return a / 1e6
}

// ZoneArea returns the exact ellipsoidal area in m² of the quadrangle
// between latitudes lat1 < lat2 spanning dlon degrees. Tests use it to
// check the projection.
func ZoneArea(lat1, lat2, dlon float64) float64 {
	e := math.Sqrt(wgs84E2)
	q1 := authalicQ(lat1*math.Pi/180, e)
	q2 := authalicQ(lat2*math.Pi/180, e)
	return dlon * math.Pi / 180 * WGS84A * WGS84A * (q2 - q1) / 2
}
