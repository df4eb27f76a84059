package render

import (
	"math"
	"strconv"

	"nadra/geo"

	"github.com/paulmach/orb"
)

// Projection maps WGS84 longitude and latitude to SVG user units east and
// south of the map's top-left corner in geo.Ukraine's equal-area plane,
// scaled so that the map is a chosen number of units wide. Units are
// nominal pixels: text sizes are set in them.
type Projection struct {
	minX, maxY    float64 // km in the LAEA plane
	width, height float64 // units
	scale         float64 // units per km
	top           float64 // units left free above the map
}

// NewProjection returns a projection framing the area mp covers with a
// margin in km on every side, widthUnits wide, leaving topUnits free above
// the map for a heading.
func NewProjection(mp orb.MultiPolygon, marginKm, widthUnits, topUnits float64) *Projection {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, poly := range mp {
		if len(poly) == 0 {
			continue
		}
		for _, p := range poly[0] {
			x, y := geo.Ukraine.Forward(p)
			x, y = x/1000, y/1000
			minX, maxX = math.Min(minX, x), math.Max(maxX, x)
			minY, maxY = math.Min(minY, y), math.Max(maxY, y)
		}
	}
	wkm := maxX - minX + 2*marginKm
	scale := widthUnits / wkm
	return &Projection{minX: minX - marginKm, maxY: maxY + marginKm, scale: scale, top: topUnits,
		width: widthUnits, height: (maxY-minY+2*marginKm)*scale + topUnits}
}

// XY returns the SVG coordinates of a point.
func (p *Projection) XY(pt orb.Point) (x, y float64) {
	x, y = geo.Ukraine.Forward(pt)
	return (x/1000 - p.minX) * p.scale, (p.maxY-y/1000)*p.scale + p.top
}

// Width returns the map's width in units.
func (p *Projection) Width() float64 { return p.width }

// Height returns the map's height in units, the heading's band included.
func (p *Projection) Height() float64 { return p.height }

// Units converts km to units: the projection is equal-area, so lengths
// hold to within a few percent over Ukraine.
func (p *Projection) Units(km float64) float64 { return km * p.scale }

// PolygonPath returns SVG path data for a multipolygon, simplified with a
// tolerance of tol units (Ramer–Douglas–Peucker in the projected plane) and
// rounded to 0.1 unit. Rings that shrink below the tolerance are dropped.
// Use fill-rule evenodd: holes are drawn as rings.
func (p *Projection) PolygonPath(mp orb.MultiPolygon, tol float64) string {
	var b []byte
	for _, poly := range mp {
		for _, ring := range poly {
			pts := p.simplify(ring, tol, true)
			if len(pts) < 3 || math.Abs(ringArea(pts)) < tol*tol {
				continue
			}
			b = appendPath(b, pts, true)
		}
	}
	return string(b)
}

// LinePath returns SVG path data for lines, simplified like PolygonPath.
func (p *Projection) LinePath(ml orb.MultiLineString, tol float64) string {
	var b []byte
	for _, ls := range ml {
		pts := p.simplify(ls, tol, false)
		if len(pts) < 2 {
			continue
		}
		b = appendPath(b, pts, false)
	}
	return string(b)
}

// pt is a point in tenths of a unit.
type pt struct{ x, y int }

func (p *Projection) simplify(line []orb.Point, tol float64, closed bool) []pt {
	if len(line) == 0 {
		return nil
	}
	xs := make([][2]float64, len(line))
	for i, q := range line {
		x, y := p.XY(q)
		xs[i] = [2]float64{x, y}
	}
	keep := make([]bool, len(xs))
	keep[0], keep[len(xs)-1] = true, true
	if closed && len(xs) > 3 {
		// Split the ring at its farthest point from the start, so that
		// both halves simplify as open lines.
		far, best := 0, -1.0
		for i := range xs {
			if d := dist2(xs[0], xs[i]); d > best {
				far, best = i, d
			}
		}
		keep[far] = true
		rdp(xs, 0, far, tol*tol, keep)
		rdp(xs, far, len(xs)-1, tol*tol, keep)
	} else {
		rdp(xs, 0, len(xs)-1, tol*tol, keep)
	}
	out := make([]pt, 0, len(xs)/4+2)
	for i, k := range keep {
		if !k {
			continue
		}
		q := pt{int(math.Round(xs[i][0] * 10)), int(math.Round(xs[i][1] * 10))}
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
	}
	if closed && len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}

// rdp marks the points to keep between i and j (both kept) by
// Ramer–Douglas–Peucker with squared tolerance tol2. It uses an explicit
// stack: rings have thousands of points.
func rdp(xs [][2]float64, i, j int, tol2 float64, keep []bool) {
	stack := [][2]int{{i, j}}
	for len(stack) > 0 {
		a, b := stack[len(stack)-1][0], stack[len(stack)-1][1]
		stack = stack[:len(stack)-1]
		if b-a < 2 {
			continue
		}
		best, idx := -1.0, -1
		for k := a + 1; k < b; k++ {
			if d := segDist2(xs[k], xs[a], xs[b]); d > best {
				best, idx = d, k
			}
		}
		if best > tol2 {
			keep[idx] = true
			stack = append(stack, [2]int{a, idx}, [2]int{idx, b})
		}
	}
}

func dist2(a, b [2]float64) float64 {
	dx, dy := a[0]-b[0], a[1]-b[1]
	return dx*dx + dy*dy
}

func segDist2(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return dist2(p, a)
	}
	t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
	t = math.Max(0, math.Min(1, t))
	return dist2(p, [2]float64{a[0] + t*dx, a[1] + t*dy})
}

// ringArea is the shoelace area in units squared.
func ringArea(r []pt) float64 {
	var s float64
	for i := range r {
		j := (i + 1) % len(r)
		s += float64(r[i].x*r[j].y - r[j].x*r[i].y)
	}
	return s / 2 / 100
}

// appendPath writes "M x y l dx dy … z" with numbers to one
// decimal, relative after the first point to keep the file small.
func appendPath(b []byte, pts []pt, closed bool) []byte {
	b = append(b, 'M')
	b = appendTenths(b, pts[0].x)
	b = append(b, ' ')
	b = appendTenths(b, pts[0].y)
	b = append(b, 'l')
	for i := 1; i < len(pts); i++ {
		dx, dy := pts[i].x-pts[i-1].x, pts[i].y-pts[i-1].y
		if i > 1 && dx >= 0 {
			b = append(b, ' ')
		}
		b = appendTenths(b, dx)
		if dy >= 0 {
			b = append(b, ' ')
		}
		b = appendTenths(b, dy)
	}
	if closed {
		b = append(b, 'z')
	}
	return b
}

// appendTenths writes v/10 in the shortest form SVG accepts: "12", "1.5",
// ".5", "-.5".
func appendTenths(b []byte, v int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	whole, frac := v/10, v%10
	if whole > 0 || frac == 0 {
		b = strconv.AppendInt(b, int64(whole), 10)
	}
	if frac > 0 {
		b = append(b, '.', byte('0'+frac))
	}
	return b
}

// LonLat returns the WGS84 [lon, lat] point at SVG coordinates x, y: the
// inverse of XY, for shapes drawn on a map.
func (p *Projection) LonLat(x, y float64) orb.Point {
	return geo.Ukraine.Inverse((x/p.scale+p.minX)*1000, (p.maxY-(y-p.top)/p.scale)*1000)
}
