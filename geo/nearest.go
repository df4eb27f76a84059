package geo

import (
	"math"
	"sync"

	"github.com/paulmach/orb"
)

// edgeIndex finds the segment of a set nearest to a point without
// scanning every segment: the segments are bucketed in a grid over their
// bounding box, and a query visits rings of cells around the point's cell
// until no unvisited cell can hold a nearer segment. It finds the same
// segment as the plain scan (nearestScan), measured the same way (the
// flat approximation around the query point, see local), up to ties
// between segments at exactly the same flat distance.
type edgeIndex struct {
	minX, minY, cw, ch float64
	gx, gy             int
	start              []int32   // cell c's segments are items[start[c]:start[c+1]]
	nonEmpty           []int32   // cells with segments
	items              []int32   // segment numbers
	seg                []float64 // ax, ay, bx, by per segment
}

// minIndexedEdges is the number of segments below which a plain scan is
// as fast as the index.
const minIndexedEdges = 64

// newEdgeIndex indexes the segments seg (ax, ay, bx, by, ...).
func newEdgeIndex(seg []float64) *edgeIndex {
	n := len(seg) / 4
	ix := &edgeIndex{seg: seg}
	if n == 0 {
		return ix
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := 0; i < len(seg); i += 2 {
		minX, maxX = math.Min(minX, seg[i]), math.Max(maxX, seg[i])
		minY, maxY = math.Min(minY, seg[i+1]), math.Max(maxY, seg[i+1])
	}
	// About four segments per cell on average.
	side := max(4, min(512, int(math.Sqrt(float64(n)/4))))
	ix.minX, ix.minY, ix.gx, ix.gy = minX, minY, side, side
	ix.cw, ix.ch = (maxX-minX)/float64(side), (maxY-minY)/float64(side)
	if ix.cw <= 0 {
		ix.cw, ix.gx = 1, 1
	}
	if ix.ch <= 0 {
		ix.ch, ix.gy = 1, 1
	}
	// Two passes (count, then fill) into one flat array.
	counts := make([]int32, ix.gx*ix.gy+1)
	ix.eachCell(func(c int, _ int32) { counts[c+1]++ })
	for c := 1; c < len(counts); c++ {
		counts[c] += counts[c-1]
	}
	ix.start = counts
	ix.items = make([]int32, counts[len(counts)-1])
	fill := append([]int32(nil), counts[:len(counts)-1]...)
	ix.eachCell(func(c int, e int32) {
		ix.items[fill[c]] = e
		fill[c]++
	})
	for c := 0; c+1 < len(counts); c++ {
		if counts[c+1] > counts[c] {
			ix.nonEmpty = append(ix.nonEmpty, int32(c))
		}
	}
	return ix
}

// eachCell calls f for every cell each segment's box touches, padded by a
// small fraction of a cell so that rounding cannot leave out a touch.
func (ix *edgeIndex) eachCell(f func(c int, e int32)) {
	padX, padY := ix.cw*1e-6, ix.ch*1e-6
	for i := 0; i+3 < len(ix.seg); i += 4 {
		ax, ay, bx, by := ix.seg[i], ix.seg[i+1], ix.seg[i+2], ix.seg[i+3]
		x0, x1 := ix.cellX(math.Min(ax, bx)-padX), ix.cellX(math.Max(ax, bx)+padX)
		y0, y1 := ix.cellY(math.Min(ay, by)-padY), ix.cellY(math.Max(ay, by)+padY)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				f(y*ix.gx+x, int32(i/4))
			}
		}
	}
}

func (ix *edgeIndex) cellX(x float64) int {
	return min(max(int(math.Floor((x-ix.minX)/ix.cw)), 0), ix.gx-1)
}

func (ix *edgeIndex) cellY(y float64) int {
	return min(max(int(math.Floor((y-ix.minY)/ix.ch)), 0), ix.gy-1)
}

// nearest returns the point of the indexed segments nearest to the origin
// of l, and its squared flat distance; ok is false when there are none.
// It scans the cell nearest to the point first, then every other cell
// whose rectangle is nearer than the best segment found so far.
func (ix *edgeIndex) nearest(l local) (orb.Point, float64, bool) {
	if len(ix.nonEmpty) == 0 {
		return orb.Point{}, 0, false
	}
	best, bestD := orb.Point{}, math.Inf(1)
	scan := func(c int32) {
		for _, e := range ix.items[ix.start[c]:ix.start[c+1]] {
			s := ix.seg[4*e : 4*e+4]
			q, d := l.nearestOnSegment(orb.Point{s[0], s[1]}, orb.Point{s[2], s[3]})
			if d < bestD {
				best, bestD = q, d
			}
		}
	}
	// The flat distance to a cell's rectangle (widened by more than the
	// padding of eachCell), squared: no segment of the cell is nearer.
	padX, padY := ix.cw*4e-6, ix.ch*4e-6
	rectD := func(c int32) float64 {
		x, y := float64(int(c)%ix.gx), float64(int(c)/ix.gx)
		x0, x1 := ix.minX+x*ix.cw-padX, ix.minX+(x+1)*ix.cw+padX
		y0, y1 := ix.minY+y*ix.ch-padY, ix.minY+(y+1)*ix.ch+padY
		dx, dy := 0.0, 0.0
		switch {
		case l.lon0 < x0:
			dx = x0 - l.lon0
		case l.lon0 > x1:
			dx = l.lon0 - x1
		}
		switch {
		case l.lat0 < y0:
			dy = y0 - l.lat0
		case l.lat0 > y1:
			dy = l.lat0 - y1
		}
		dx, dy = dx*l.kx, dy*l.ky
		return dx*dx + dy*dy
	}
	first, firstD := int32(-1), math.Inf(1)
	for _, c := range ix.nonEmpty {
		if d := rectD(c); d < firstD {
			first, firstD = c, d
		}
	}
	scan(first)
	for _, c := range ix.nonEmpty {
		if c != first && rectD(c) < bestD {
			scan(c)
		}
	}
	return best, bestD, !math.IsInf(bestD, 1)
}

// nearestScan is the plain scan over every segment: the reference the
// index must agree with.
func nearestScan(l local, seg []float64) (orb.Point, float64, bool) {
	best, bestD := orb.Point{}, math.Inf(1)
	for i := 0; i+3 < len(seg); i += 4 {
		q, d := l.nearestOnSegment(orb.Point{seg[i], seg[i+1]}, orb.Point{seg[i+2], seg[i+3]})
		if d < bestD {
			best, bestD = q, d
		}
	}
	return best, bestD, !math.IsInf(bestD, 1)
}

// segments flattens polygon rings or lines into ax, ay, bx, by, ...
func segmentsOf(lines [][]orb.Point) []float64 {
	var seg []float64
	for _, ls := range lines {
		for i := 0; i+1 < len(ls); i++ {
			seg = append(seg, ls[i][0], ls[i][1], ls[i+1][0], ls[i+1][1])
		}
	}
	return seg
}

// Lines is a set of lines prepared for distance queries, such as the
// hostile borders. Build it once with NewLines; it is safe for
// concurrent use.
type Lines struct {
	seg []float64
	ix  *edgeIndex
}

// NewLines prepares lines for DistanceKm.
func NewLines(mls orb.MultiLineString) *Lines {
	var ls [][]orb.Point
	for _, l := range mls {
		ls = append(ls, l)
	}
	seg := segmentsOf(ls)
	out := &Lines{seg: seg}
	if len(seg)/4 >= minIndexedEdges {
		out.ix = newEdgeIndex(seg)
	}
	return out
}

// DistanceKm is LineDistanceKm over the prepared lines.
// A nil *Lines has no lines.
func (ls *Lines) DistanceKm(p orb.Point) (float64, bool) {
	if ls == nil {
		return 0, false
	}
	l := newLocal(p)
	var q orb.Point
	var ok bool
	if ls.ix != nil {
		q, _, ok = ls.ix.nearest(l)
	} else {
		q, _, ok = nearestScan(l, ls.seg)
	}
	if !ok {
		return 0, false
	}
	return DistanceKm(p, q), true
}

// regionIndex is a Region's edge index, built on the first distance
// query.
type regionIndex struct {
	once sync.Once
	ix   *edgeIndex
}

func (r *Region) edgeIndex() *edgeIndex {
	r.nearIx.once.Do(func() {
		var rings [][]orb.Point
		for _, poly := range r.mp {
			for _, ring := range poly {
				rings = append(rings, ring)
			}
		}
		r.nearIx.ix = newEdgeIndex(segmentsOf(rings))
	})
	return r.nearIx.ix
}
