package geo

import (
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
)

// Region is a polygonal area prepared for fast point queries. Build it
// once with NewRegion and query it from many goroutines.
//
// Containment is closed: a point on an edge or vertex counts as inside.
// Holes are honoured and polygons of a MultiPolygon must not overlap, which
// overlay results and validated imports guarantee.
//
// Contains gives exactly the result of ContainsBrute, the plain crossing
// test over every edge: the index only skips edges whose latitude range
// excludes the point's, and both tests ignore such edges anyway.
type Region struct {
	mp     orb.MultiPolygon
	bound  orb.Bound
	edges  int
	minY   float64
	height float64     // strip height in degrees
	strips [][]float64 // per strip: ax, ay, bx, by, ...

	// A grid over the bound: cells no edge's box touches are wholly in or
	// out, decided once from one point of the cell; only points in cells
	// that edges touch are tested against the edges.
	gx, gy int
	cw, ch float64
	cells  []uint8 // cellEdge, cellIn or cellOut

	nearIx regionIndex // for NearestEdge, built on first use
}

const (
	cellEdge uint8 = iota // an edge's box touches the cell: test the edges
	cellIn
	cellOut
)

// NewRegion prepares mp for point queries.
func NewRegion(mp orb.MultiPolygon) *Region {
	r := &Region{mp: mp}
	if len(mp) == 0 {
		return r
	}
	r.bound = mp.Bound()
	for _, poly := range mp {
		for _, ring := range poly {
			if len(ring) > 1 {
				r.edges += len(ring) - 1
			}
		}
	}
	n := r.edges / 16
	if n < 1 {
		n = 1
	}
	if n > 1<<14 {
		n = 1 << 14
	}
	r.minY = r.bound.Min[1]
	r.height = (r.bound.Max[1] - r.bound.Min[1]) / float64(n)
	if r.height <= 0 {
		r.height = 1
		n = 1
	}
	r.strips = make([][]float64, n)
	for _, poly := range mp {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				a, b := ring[i], ring[i+1]
				lo, hi := r.strip(math.Min(a[1], b[1])), r.strip(math.Max(a[1], b[1]))
				for s := lo; s <= hi; s++ {
					r.strips[s] = append(r.strips[s], a[0], a[1], b[0], b[1])
				}
			}
		}
	}
	r.buildGrid()
	return r
}

// buildGrid marks the cells that edges' boxes touch (padded by a cell
// fraction, so floating-point rounding cannot hide a touch), then decides
// every other cell by testing one point of it: a cell no edge reaches lies
// wholly inside or wholly outside. Along each row, a run of untouched cells
// between touched ones shares one answer, so one test per run suffices.
func (r *Region) buildGrid() {
	side := int(math.Sqrt(float64(r.edges)) * 2)
	side = max(16, min(side, 1024))
	r.gx, r.gy = side, side
	r.cw = (r.bound.Max[0] - r.bound.Min[0]) / float64(r.gx)
	r.ch = (r.bound.Max[1] - r.bound.Min[1]) / float64(r.gy)
	if r.cw <= 0 || r.ch <= 0 {
		r.gx, r.gy = 0, 0
		return
	}
	r.cells = make([]uint8, r.gx*r.gy)
	for i := range r.cells {
		r.cells[i] = cellOut + 1 // undecided
	}
	padX, padY := r.cw*1e-6, r.ch*1e-6
	for _, poly := range r.mp {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				a, b := ring[i], ring[i+1]
				x0, x1 := r.cellX(math.Min(a[0], b[0])-padX), r.cellX(math.Max(a[0], b[0])+padX)
				y0, y1 := r.cellY(math.Min(a[1], b[1])-padY), r.cellY(math.Max(a[1], b[1])+padY)
				for y := y0; y <= y1; y++ {
					for x := x0; x <= x1; x++ {
						r.cells[y*r.gx+x] = cellEdge
					}
				}
			}
		}
	}
	for y := 0; y < r.gy; y++ {
		row := r.cells[y*r.gx : (y+1)*r.gx]
		for x := 0; x < r.gx; {
			if row[x] == cellEdge {
				x++
				continue
			}
			// A run of untouched cells: test the first cell's centre.
			c := orb.Point{r.bound.Min[0] + (float64(x)+0.5)*r.cw, r.bound.Min[1] + (float64(y)+0.5)*r.ch}
			v := cellOut
			if r.containsEdges(c) {
				v = cellIn
			}
			for ; x < r.gx && row[x] != cellEdge; x++ {
				row[x] = v
			}
		}
	}
}

func (r *Region) cellX(x float64) int {
	return min(max(int((x-r.bound.Min[0])/r.cw), 0), r.gx-1)
}

func (r *Region) cellY(y float64) int {
	return min(max(int((y-r.bound.Min[1])/r.ch), 0), r.gy-1)
}

func (r *Region) strip(y float64) int {
	s := int((y - r.minY) / r.height)
	if s < 0 {
		return 0
	}
	if s >= len(r.strips) {
		return len(r.strips) - 1
	}
	return s
}

// MultiPolygon returns the region's geometry.
func (r *Region) MultiPolygon() orb.MultiPolygon { return r.mp }

// Bound returns the region's bounding box.
func (r *Region) Bound() orb.Bound { return r.bound }

// Empty reports whether the region has no area.
func (r *Region) Empty() bool { return r == nil || r.edges == 0 }

// Edges returns the number of edges in the region.
func (r *Region) Edges() int { return r.edges }

// Contains reports whether p is inside the region or on its boundary.
func (r *Region) Contains(p orb.Point) bool {
	if r.Empty() || !r.bound.Contains(p) {
		return false
	}
	if r.gx > 0 {
		switch r.cells[r.cellY(p[1])*r.gx+r.cellX(p[0])] {
		case cellIn:
			return true
		case cellOut:
			return false
		}
	}
	return r.containsEdges(p)
}

// containsEdges is the crossing test over the edges of p's strip.
func (r *Region) containsEdges(p orb.Point) bool {
	e := r.strips[r.strip(p[1])]
	inside := false
	for i := 0; i < len(e); i += 4 {
		on, cross := edgeTest(p, e[i], e[i+1], e[i+2], e[i+3])
		if on {
			return true
		}
		if cross {
			inside = !inside
		}
	}
	return inside
}

// ContainsBrute is the plain point-in-polygon test over every edge: the
// reference that Contains must equal.
func (r *Region) ContainsBrute(p orb.Point) bool {
	inside := false
	for _, poly := range r.mp {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				on, cross := edgeTest(p, ring[i][0], ring[i][1], ring[i+1][0], ring[i+1][1])
				if on {
					return true
				}
				if cross {
					inside = !inside
				}
			}
		}
	}
	return inside
}

// edgeTest reports whether p lies on the edge (ax,ay)-(bx,by), and whether
// a ray from p towards +x crosses it (half-open in y, so a vertex on the
// ray is counted once).
func edgeTest(p orb.Point, ax, ay, bx, by float64) (on, cross bool) {
	px, py := p[0], p[1]
	if (ay > py) != (by > py) {
		x := ax + (py-ay)*(bx-ax)/(by-ay)
		if px == x {
			return true, false
		}
		cross = px < x
	}
	// On-edge test, only needed when p is within the edge's box.
	if py >= math.Min(ay, by) && py <= math.Max(ay, by) && px >= math.Min(ax, bx) && px <= math.Max(ax, bx) {
		if (bx-ax)*(py-ay)-(by-ay)*(px-ax) == 0 {
			return true, false
		}
	}
	return false, cross
}

// NearestEdge returns the point of the region's boundary nearest to p and
// its geodesic distance in km. ok is false for an empty region.
func (r *Region) NearestEdge(p orb.Point) (q orb.Point, km float64, ok bool) {
	if r.edges < minIndexedEdges {
		return nearest(p, r.mp, func(orb.Point, orb.Point) bool { return true })
	}
	q, _, ok = r.edgeIndex().nearest(newLocal(p))
	if !ok {
		return orb.Point{}, 0, false
	}
	return q, DistanceKm(p, q), true
}

// NearestEdgeBrute is NearestEdge by a scan of every edge: the reference
// the index must agree with.
func (r *Region) NearestEdgeBrute(p orb.Point) (q orb.Point, km float64, ok bool) {
	return nearest(p, r.mp, func(orb.Point, orb.Point) bool { return true })
}

// DistanceKm returns 0 if p is in the region, otherwise the geodesic
// distance in km to its nearest boundary point. ok is false for an empty
// region.
func (r *Region) DistanceKm(p orb.Point) (km float64, ok bool) {
	if r.Empty() {
		return 0, false
	}
	if r.Contains(p) {
		return 0, true
	}
	_, km, ok = r.NearestEdge(p)
	return km, ok
}

// nearest scans every edge of mp that keep accepts and returns the
// nearest point to p, with its geodesic distance.
func nearest(p orb.Point, mp orb.MultiPolygon, keep func(a, b orb.Point) bool) (orb.Point, float64, bool) {
	l := newLocal(p)
	best, bestD := orb.Point{}, math.Inf(1)
	for _, poly := range mp {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				q, d := l.nearestOnSegment(ring[i], ring[i+1])
				if d < bestD && keep(ring[i], ring[i+1]) {
					best, bestD = q, d
				}
			}
		}
	}
	if math.IsInf(bestD, 1) {
		return orb.Point{}, 0, false
	}
	return best, DistanceKm(p, best), true
}

// LineDistanceKm returns the geodesic distance in km from p to the nearest
// point of a set of lines, and false when there are none.
func LineDistanceKm(p orb.Point, lines orb.MultiLineString) (float64, bool) {
	l := newLocal(p)
	best, bestD := orb.Point{}, math.Inf(1)
	for _, ls := range lines {
		for i := 0; i+1 < len(ls); i++ {
			q, d := l.nearestOnSegment(ls[i], ls[i+1])
			if d < bestD {
				best, bestD = q, d
			}
		}
	}
	if math.IsInf(bestD, 1) {
		return 0, false
	}
	return DistanceKm(p, best), true
}

// RandomPointsIn returns n points uniformly distributed (in longitude and
// latitude) inside mp, drawn by rejection from its bounding box with a PCG
// generator seeded by seed: the same seed gives the same points.
func RandomPointsIn(mp orb.MultiPolygon, n int, seed uint64) []orb.Point {
	r := NewRegion(mp)
	rng := rand.New(rand.NewPCG(seed, 0x6e61647261)) // "nadra"
	b := r.Bound()
	out := make([]orb.Point, 0, n)
	for len(out) < n {
		p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		if r.Contains(p) {
			out = append(out, p)
		}
	}
	return out
}
