package geo

import (
	"runtime"
	"sync"

	"nadra"

	"github.com/paulmach/orb"
)

// Engine classifies many sites against many snapshots: a registry of
// 300,000 sites against every monthly snapshot, say. Each snapshot's layers
// are prepared once as indexed Regions; results equal the plain
// point-in-polygon test exactly (see Region).
type Engine struct {
	snaps []engineSnap
}

type engineSnap struct {
	date           string
	occ, pre, grey *Region
}

// NewEngine prepares the snapshots, in parallel.
func NewEngine(snaps []*nadra.Snapshot) *Engine {
	e := &Engine{snaps: make([]engineSnap, len(snaps))}
	parallel(len(snaps), 0, func(i int) {
		s := snaps[i]
		e.snaps[i] = engineSnap{s.Date, NewRegion(s.Occupied), NewRegion(s.Pre2022), NewRegion(s.Grey)}
	})
	return e
}

// Status codes of Engine.Statuses.
const (
	CodeControlled uint8 = iota
	CodeOccupied         // since 2022
	CodePre2022          // occupied before 2022
	CodeGrey
)

// Statuses returns, per snapshot, one status code per point, with the same
// precedence as Classifier.Status. workers <= 0 uses every CPU; the result
// does not depend on it.
func (e *Engine) Statuses(points []orb.Point, workers int) [][]uint8 {
	out := make([][]uint8, len(e.snaps))
	parallel(len(e.snaps), workers, func(i int) {
		s := e.snaps[i]
		codes := make([]uint8, len(points))
		for j, p := range points {
			switch {
			case s.pre.Contains(p):
				codes[j] = CodePre2022
			case s.occ.Contains(p):
				codes[j] = CodeOccupied
			case s.grey.Contains(p):
				codes[j] = CodeGrey
			}
		}
		out[i] = codes
	})
	return out
}

// Counts is how many points each snapshot puts in each class.
type Counts struct {
	Date     string `json:"date"`
	Occupied int    `json:"occupied"` // since 2022 or before
	Grey     int    `json:"grey"`
}

// Count classifies every point against every snapshot and counts.
func (e *Engine) Count(points []orb.Point, workers int) []Counts {
	st := e.Statuses(points, workers)
	out := make([]Counts, len(e.snaps))
	for i, codes := range st {
		c := Counts{Date: e.snaps[i].date}
		for _, v := range codes {
			switch v {
			case CodeOccupied, CodePre2022:
				c.Occupied++
			case CodeGrey:
				c.Grey++
			}
		}
		out[i] = c
	}
	return out
}

// parallel runs f(0..n-1) on workers goroutines (every CPU if <= 0).
func parallel(n, workers int, f func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
