package scenario

import (
	"context"
	"strings"
	"sync"

	"nadra"
	"nadra/geo"

	"github.com/paulmach/orb"
)

// Evaluator binds scenario expressions to geometry and evaluates them
// against a registry. The CLI and the server share it and differ only in
// where snapshots and polygon files come from: the CLI reads files from
// disk, the server accepts only shipped files and a polygon posted with
// the request.
type Evaluator struct {
	// SnapshotAt returns the snapshot in force on date (YYYY-MM-DD, or
	// "latest" for the last one). Its errors should say which snapshots
	// exist.
	SnapshotAt func(date string) (*nadra.Snapshot, error)
	// Boundaries are the outline, oblasts, sea and borders.
	Boundaries *nadra.Boundaries
	// File returns the GeoJSON of file:NAME and a name for messages. Its
	// error message is shown after the region and its column. nil refuses
	// file regions.
	File func(name string) (data []byte, source string, err error)
	// Named maps a shipped scenario's id to its expression, so that an id
	// may stand for the expression.
	Named map[string]string

	mu    sync.Mutex
	files map[string]orb.MultiPolygon // file regions read and repaired, by name
}

// Expand replaces a shipped scenario's id by its expression, returning
// the expression and a label for reports: "id (expression)", or the
// expression itself.
func (e *Evaluator) Expand(expr string) (string, string) {
	expr = strings.TrimSpace(expr)
	if x, ok := e.Named[expr]; ok {
		return x, expr + " (" + x + ")"
	}
	return expr, expr
}

// Bind expands, parses and binds an expression. Syntax errors are
// *ParseError (with the column); an expression over the limits is
// EINVALID (see MaxExprBytes); regions that do not resolve are EINVALID
// errors naming the region and its column. It stops with ctx's error when
// ctx ends.
func (e *Evaluator) Bind(ctx context.Context, expr string) (*Bound, error) {
	x, label := e.Expand(expr)
	parsed, err := Parse(x)
	if err != nil {
		return nil, err
	}
	return Bind(ctx, label, parsed, e.Resolve)
}

// Resolve is the Resolver of the regions an expression may name. A file
// region is read and repaired once per Evaluator.
func (e *Evaluator) Resolve(ctx context.Context, r Ref) ([]orb.MultiPolygon, error) {
	switch r.Kind {
	case "occupied", "grey":
		s, err := e.SnapshotAt(r.Arg)
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return nil, cerr // not the region's fault
			}
			return nil, nadra.Errorf(nadra.EINVALID, "%s (column %d): %s", r, r.Col, nadra.ErrorMessage(err))
		}
		if r.Kind == "grey" {
			if !s.GreyKnown {
				return nil, nadra.Errorf(nadra.EINVALID, "%s (column %d): the snapshot of %s has no grey zone (its source does not say); use a date with one", r, r.Col, s.Date)
			}
			return []orb.MultiPolygon{s.Grey}, nil
		}
		return []orb.MultiPolygon{s.Occupied, s.Pre2022}, nil
	case "oblast":
		mp, ok := e.Boundaries.Oblasts[r.Arg]
		if !ok {
			return nil, nadra.Errorf(nadra.EINVALID, "%s (column %d): no such oblast in the boundaries", r, r.Col)
		}
		return []orb.MultiPolygon{mp}, nil
	case "file":
		if e.File == nil {
			return nil, nadra.Errorf(nadra.EINVALID, "%s (column %d): file regions are not available here", r, r.Col)
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		if mp, ok := e.files[r.Arg]; ok {
			return []orb.MultiPolygon{mp}, nil
		}
		data, source, err := e.File(r.Arg)
		if err != nil {
			return nil, nadra.Errorf(nadra.EINVALID, "%s (column %d): %s", r, r.Col, nadra.ErrorMessage(err))
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		mp, err := Polygons(data)
		if err != nil {
			return nil, nadra.Errorf(nadra.EINVALID, "%s: %s", source, nadra.ErrorMessage(err))
		}
		if e.files == nil {
			e.files = map[string]orb.MultiPolygon{}
		}
		e.files[r.Arg] = mp
		return []orb.MultiPolygon{mp}, nil
	}
	return nil, nadra.Errorf(nadra.EINVALID, "unknown region %s; known regions: %s", r, RegionHelp)
}

// Polygons decodes a GeoJSON FeatureCollection drawn for a
// scenario and returns its polygons repaired and unioned into one area.
// Errors are EINVALID.
func Polygons(data []byte) (orb.MultiPolygon, error) {
	mp, err := Features(data)
	if err != nil {
		return nil, err
	}
	u, err := geo.Repair(mp)
	if err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "%v", err)
	}
	return u, nil
}

// Features decodes a GeoJSON FeatureCollection drawn for a
// scenario and returns its polygons as drawn, checked (closed simple
// rings, at least one polygon, at most MaxVertices vertices) but
// not yet repaired: the cheap part of Polygons. Errors are
// EINVALID.
func Features(data []byte) (orb.MultiPolygon, error) {
	fc, err := geo.DecodeFeatureCollection(data)
	if err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "%s", err.Error())
	}
	var mp orb.MultiPolygon
	n := 0
	for _, f := range fc.Features {
		mp = append(mp, f.Polygons...)
		for _, p := range f.Polygons {
			for _, r := range p {
				n += len(r)
			}
		}
	}
	if len(mp) == 0 {
		return nil, nadra.Errorf(nadra.EINVALID, "no polygons; a scenario file needs at least one")
	}
	if n > MaxVertices {
		return nil, nadra.Errorf(nadra.EINVALID, "%d vertices; a scenario polygon file may have at most %d (simplify it, e.g. ogr2ogr -simplify 0.001)", n, MaxVertices)
	}
	return mp, nil
}

// Situation returns what sc says is occupied. Deposits in the latest
// snapshot's pre-2022 area are occupied "before 2022". Building it is an
// overlay that stops with ctx's error when ctx ends.
func (e *Evaluator) Situation(ctx context.Context, sc *Bound) (*Situation, error) {
	latest, err := e.SnapshotAt("latest")
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		return nil, err
	}
	return NewSituation(ctx, sc, latest.Pre2022, e.Boundaries)
}

// Access returns the access report on date as if sc's area were the
// occupied ground. It stops with ctx's error when ctx ends.
func (e *Evaluator) Access(ctx context.Context, sc *Bound, reg geo.Registry, date string) (*nadra.AccessReport, error) {
	sit, err := e.Situation(ctx, sc)
	if err != nil {
		return nil, err
	}
	return geo.Access(date, sit, reg, geo.AccessOptions{}), nil
}

// Evaluation is a scenario evaluated against a baseline: the report and
// diff users see, and the geometry a map of it needs.
type Evaluation struct {
	Result   *nadra.ScenarioResult
	Baseline *nadra.AccessReport
	// Area and BaselineArea are the occupied areas under the scenario and
	// the baseline; ToOccupied and ToControlled the land changing hands.
	Area, BaselineArea       orb.MultiPolygon
	ToOccupied, ToControlled orb.MultiPolygon
}

// Evaluate reports on date under sc and what changes hands against base.
// It checks ctx between the steps of its overlays and stops with ctx's
// error when ctx ends.
func (e *Evaluator) Evaluate(ctx context.Context, sc, base *Bound, reg geo.Registry, date string) (*Evaluation, error) {
	rep, err := e.Access(ctx, sc, reg, date)
	if err != nil {
		return nil, err
	}
	brep, err := e.Access(ctx, base, reg, date)
	if err != nil {
		return nil, err
	}
	area, err := sc.Area(ctx)
	if err != nil {
		return nil, err
	}
	barea, err := base.Area(ctx)
	if err != nil {
		return nil, err
	}
	land, err := geo.Land(e.Boundaries)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	gain, loss, err := geo.ChangingHandsContext(ctx, area, barea, land)
	if err != nil {
		return nil, err
	}
	diff := geo.DiffDeposits(rep, brep, reg)
	diff.ToOccupiedKm2 = geo.Ukraine.AreaKm2(gain)
	diff.ToControlledKm2 = geo.Ukraine.AreaKm2(loss)
	diff.NetKm2 = diff.ToOccupiedKm2 - diff.ToControlledKm2
	return &Evaluation{Result: &nadra.ScenarioResult{Scenario: rep, Diff: diff}, Baseline: brep,
		Area: area, BaselineArea: barea, ToOccupied: gain, ToControlled: loss}, nil
}
