package geo

import (
	"fmt"
	"math"
	"sync"

	"nadra"

	"github.com/paulmach/orb"
)

// MinControlledKm2 is the smallest part of controlled ground that counts
// when nadra measures an occupied deposit's distance to it. DeepState's
// polygons stop at the coast but leave out spits (Kinburn, Tendra),
// Crimean salt lakes, islets and slivers that Natural Earth's coastline has
// as land, and simplification leaves slivers between layers: parts of up
// to about 80 km² in the default data, none of them ground that Ukraine
// holds. Ukraine's controlled ground is one part of over 480,000 km².
const MinControlledKm2 = 1000.0

// Classifier classifies points against one snapshot. Build it with
// NewClassifier; it is safe for concurrent use.
type Classifier struct {
	snap           *nadra.Snapshot
	occ, pre, grey *Region
	borders        *Lines
	bounds         *nadra.Boundaries

	once          sync.Once
	controlled    *Region
	controlledErr error
}

// NewClassifier prepares a snapshot and the fixed boundaries for queries.
func NewClassifier(s *nadra.Snapshot, b *nadra.Boundaries) *Classifier {
	c := &Classifier{
		snap:    s,
		occ:     NewRegion(s.Occupied),
		pre:     NewRegion(s.Pre2022),
		grey:    NewRegion(s.Grey),
		bounds:  b,
		borders: HostileBorders(b),
	}
	return c
}

// HostileBorders returns the Russian and Belarusian land borders prepared
// for distance queries, built once per Boundaries value.
func HostileBorders(b *nadra.Boundaries) *Lines {
	bordersMu.Lock()
	defer bordersMu.Unlock()
	if l, ok := bordersCache[b]; ok {
		return l
	}
	var mls orb.MultiLineString
	for _, k := range []string{"RU", "BY"} {
		mls = append(mls, b.Borders[k]...)
	}
	l := NewLines(mls)
	bordersCache[b] = l
	return l
}

var (
	bordersMu    sync.Mutex
	bordersCache = map[*nadra.Boundaries]*Lines{}
)

// Snapshot returns the snapshot the classifier was built for.
func (c *Classifier) Snapshot() *nadra.Snapshot { return c.snap }

// Describe implements Situation.
func (c *Classifier) Describe() (string, bool, []string) {
	var notes []string
	if !c.snap.GreyKnown {
		notes = append(notes, fmt.Sprintf("The snapshot of %s has no grey zone: contested areas are unknown, not absent, and count as controlled here.", c.snap.Date))
	}
	return c.snap.Date, c.snap.GreyKnown, notes
}

// Status returns the control status of p and, when occupied, since when.
// Precedence follows the layers: occupied before 2022, then since 2022,
// then grey. A point on an area's edge counts as inside it.
func (c *Classifier) Status(p orb.Point) (nadra.Status, string) {
	switch {
	case c.pre.Contains(p):
		return nadra.StatusOccupied, nadra.SinceBefore
	case c.occ.Contains(p):
		return nadra.StatusOccupied, nadra.Since2022
	case c.grey.Contains(p):
		return nadra.StatusGrey, ""
	}
	return nadra.StatusControlled, ""
}

// HostileKm returns the geodesic distance in km from a controlled point to
// hostile ground: the nearest occupied or grey area, or the Russian or
// Belarusian border.
func (c *Classifier) HostileKm(p orb.Point) float64 {
	return NearestKm(p, c.borders, c.pre, c.occ, c.grey)
}

// ControlledKm returns the geodesic distance in km from an occupied or
// grey point to Ukrainian-controlled ground: land (the outline less the
// sea) outside every hostile area, in parts of at least MinControlledKm2.
// The controlled area is built by an overlay on first use. It returns
// +Inf when there is none.
func (c *Classifier) ControlledKm(p orb.Point) float64 {
	c.once.Do(func() {
		c.controlled, c.controlledErr = ControlledGround(c.bounds, c.snap.Pre2022, c.snap.Occupied, c.snap.Grey)
	})
	return DistanceOrInf(c.controlled, p)
}

// Controlled returns Ukrainian-controlled ground as ControlledKm uses it,
// or an error if the overlay failed.
func (c *Classifier) Controlled() (orb.MultiPolygon, error) {
	c.ControlledKm(orb.Point{})
	return c.controlled.MultiPolygon(), c.controlledErr
}

// NearestKm is the distance from p to the nearest of the regions or lines
// (borders may be nil), +Inf when all are empty.
func NearestKm(p orb.Point, borders *Lines, regions ...*Region) float64 {
	best := math.Inf(1)
	for _, r := range regions {
		if d, ok := r.DistanceKm(p); ok && d < best {
			best = d
		}
	}
	if d, ok := borders.DistanceKm(p); ok && d < best {
		best = d
	}
	return best
}

// DistanceOrInf is the distance from p to r, +Inf for an empty region.
func DistanceOrInf(r *Region, p orb.Point) float64 {
	if r.Empty() {
		return math.Inf(1)
	}
	d, _ := r.DistanceKm(p)
	return d
}

// ControlledGround is land (outline less sea) outside the hostile areas,
// keeping parts of at least MinControlledKm2. It never returns nil.
func ControlledGround(b *nadra.Boundaries, hostile ...orb.MultiPolygon) (*Region, error) {
	ctl, err := Land(b)
	if err != nil {
		return NewRegion(nil), err
	}
	for _, h := range hostile {
		if ctl, err = Difference(ctl, h); err != nil {
			return NewRegion(nil), err
		}
	}
	return NewRegion(largeParts(ctl, MinControlledKm2)), nil
}

// Land returns the outline less the sea inside it, computed once per
// Boundaries value.
func Land(b *nadra.Boundaries) (orb.MultiPolygon, error) {
	landMu.Lock()
	defer landMu.Unlock()
	if v, ok := landCache[b]; ok {
		return v, nil
	}
	land, err := Difference(b.Outline, b.Sea)
	if err != nil {
		return nil, err
	}
	landCache[b] = land
	return land, nil
}

var (
	landMu    sync.Mutex
	landCache = map[*nadra.Boundaries]orb.MultiPolygon{}
)

// largeParts keeps the polygons of at least minKm2.
func largeParts(mp orb.MultiPolygon, minKm2 float64) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, p := range mp {
		if Ukraine.PolygonArea(p) >= minKm2*1e6 {
			out = append(out, p)
		}
	}
	return out
}
