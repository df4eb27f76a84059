package scenario_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"nadra"
	"nadra/dataset"
	"nadra/geo"
	"nadra/scenario"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestParse(t *testing.T) {
	tests := []struct {
		expr string
		want string // fully parenthesised
		col  int    // error column, 0 for none
		err  string
	}{
		{"occupied@2025-02-12", "occupied@2025-02-12", 0, ""},
		{"occupied@latest | oblast:UA-14 | oblast:UA-09", "((occupied@latest | oblast:UA-14) | oblast:UA-09)", 0, ""},
		{"occupied@latest - file:swap & oblast:UA-23", "(occupied@latest - (file:swap & oblast:UA-23))", 0, ""},
		{"(occupied@latest - file:swap) & oblast:UA-23", "((occupied@latest - file:swap) & oblast:UA-23)", 0, ""},
		{"  grey@2024-08-01|occupied@2024-08-01 ", "(grey@2024-08-01 | occupied@2024-08-01)", 0, ""},
		{"file:drawn/line-1.geojson", "file:drawn/line-1.geojson", 0, ""},
		{"", "", 1, "empty expression"},
		{"occupied@2025-02-30", "", 10, "not a date"},
		{"occupied@latest |", "", 18, "unexpected end"},
		{"occupied@latest | | oblast:UA-14", "", 19, "expected a region"},
		{"(occupied@latest | oblast:UA-14", "", 32, "expected ) to close the ( at column 1"},
		{"occupied@latest oblast:UA-14", "", 17, "expected an operator"},
		{"oblast:UA-99", "", 8, "unknown oblast"},
		{"donbas", "", 1, "unknown region \"donbas\"; known regions: occupied@DATE"},
		{"occupied@latest-oblast:UA-14", "", 10, "not a date"},
		{"occupied@latest -oblast:UA-14", "", 17, "put spaces around the - operator"},
		{"occupied@latest # x", "", 17, "unexpected character"},
	}
	for _, tt := range tests {
		e, err := scenario.Parse(tt.expr)
		if tt.err == "" {
			if err != nil {
				t.Errorf("Parse(%q): %v", tt.expr, err)
			} else if got := e.String(); got != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.expr, got, tt.want)
			}
			continue
		}
		var pe *scenario.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) error = %v, want a ParseError", tt.expr, err)
			continue
		}
		if pe.Col != tt.col || !strings.Contains(pe.Msg, tt.err) {
			t.Errorf("Parse(%q) = column %d %q, want column %d %q", tt.expr, pe.Col, pe.Msg, tt.col, tt.err)
		}
		// The message shows the expression with a caret under the column.
		lines := strings.Split(pe.Error(), "\n")
		if len(lines) != 3 || strings.Index(lines[2], "^") != 2+pe.Col-1 || !strings.HasPrefix(lines[1], "  "+tt.expr) {
			t.Errorf("caret misplaced:\n%s", pe.Error())
		}
	}
}

// squares is a resolver over unit-square regions, for hand-checked cases:
// A = [0,2]x[0,2], B = [1,3]x[0,2], C = [0,3]x[1,2].
func squares(_ context.Context, r scenario.Ref) ([]orb.MultiPolygon, error) {
	sq := func(x0, y0, x1, y1 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
	}
	switch r.Arg {
	case "a":
		return []orb.MultiPolygon{sq(30, 48, 32, 50)}, nil
	case "b":
		// In two overlapping parts, as occupied@ comes (since 2022, before).
		return []orb.MultiPolygon{sq(31, 48, 33, 49.5), sq(31, 49, 33, 50)}, nil
	case "c":
		return []orb.MultiPolygon{sq(30, 49, 33, 50)}, nil
	}
	return nil, nadra.Errorf(nadra.EINVALID, "unknown file %q", r.Arg)
}

func TestScenario_Eval(t *testing.T) {
	tests := []struct {
		expr string
		in   []orb.Point
		out  []orb.Point
		area float64 // in degree-squares, for the overlay
	}{
		{"file:a | file:b", []orb.Point{{30.5, 48.5}, {32.5, 48.5}, {31.5, 49.25}}, []orb.Point{{33.5, 48.5}}, 6},
		{"file:a & file:b", []orb.Point{{31.5, 48.5}}, []orb.Point{{30.5, 48.5}, {32.5, 48.5}}, 2},
		{"file:a - file:b", []orb.Point{{30.5, 48.5}}, []orb.Point{{31.5, 48.5}, {31, 48.5}}, 2},            // b's edge is in b
		{"file:a | file:b - file:c", []orb.Point{{30.5, 48.5}, {32.5, 48.5}}, []orb.Point{{30.5, 49.5}}, 3}, // left-assoc
		{"file:a | (file:b - file:c)", []orb.Point{{30.5, 49.5}, {32.5, 48.5}}, []orb.Point{{32.5, 49.5}}, 5},
		{"(file:a | file:b) & file:c", []orb.Point{{32.9, 49.9}}, []orb.Point{{30.5, 48.5}}, 3},
	}
	for _, tt := range tests {
		e, err := scenario.Parse(tt.expr)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenario.Bind(context.Background(), tt.expr, e, squares)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range tt.in {
			if !sc.Contains(p) {
				t.Errorf("%s: %v should be in", tt.expr, p)
			}
		}
		for _, p := range tt.out {
			if sc.Contains(p) {
				t.Errorf("%s: %v should be out", tt.expr, p)
			}
		}
		area, err := sc.Area(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var got float64
		for _, p := range area {
			for i, r := range p {
				a := math.Abs(planar.Area(r))
				if i > 0 {
					a = -a
				}
				got += a
			}
		}
		if math.Abs(got-tt.area) > 1e-9 {
			t.Errorf("%s: area %g, want %g", tt.expr, got, tt.area)
		}
	}
	e, _ := scenario.Parse("file:a | file:nowhere")
	if _, err := scenario.Bind(context.Background(), "x", e, squares); err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("binding an unknown file: %v", err)
	}
}

// TestEvaluator evaluates a shipped scenario by its id against the latest
// line, the way the CLI and the server do.
func TestEvaluator(t *testing.T) {
	ds, b := defaultData(t)
	reg := geo.Registry{Deposits: ds.Deposits, Estimates: ds.Estimates, Commodities: ds.Commodities}
	ev := &scenario.Evaluator{
		SnapshotAt: func(date string) (*nadra.Snapshot, error) {
			if date == "latest" {
				return ds.Snapshots[len(ds.Snapshots)-1], nil
			}
			var in *nadra.Snapshot
			for _, s := range ds.Snapshots {
				if s.Date <= date {
					in = s
				}
			}
			if in == nil {
				return nil, nadra.Errorf(nadra.ENOTFOUND, "no snapshot on or before %s", date)
			}
			return in, nil
		},
		Boundaries: b,
		Named:      map[string]string{"freeze": "occupied@2025-02-12"},
	}
	ctx := context.Background()
	sc, err := ev.Bind(ctx, "freeze")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Source != "freeze (occupied@2025-02-12)" {
		t.Errorf("label %q", sc.Source)
	}
	base, err := ev.Bind(ctx, "occupied@latest")
	if err != nil {
		t.Fatal(err)
	}
	res, err := ev.Evaluate(ctx, sc, base, reg, "2026-01-01")
	if err != nil {
		t.Fatal(err)
	}
	d := res.Result.Diff
	// Shevchenkivske (taken in mid-2025) and the Pokrovsk coal district
	// (its town, the point, taken later) are back under Kyiv's control on
	// the line of 2025-02-12.
	var back []string
	for _, x := range d.ToControlled {
		back = append(back, x.ID)
	}
	sort.Strings(back)
	if strings.Join(back, ",") != "pokrovsk-coal,shevchenkivske" || len(d.ToOccupied) != 0 {
		t.Errorf("to controlled %+v, to occupied %+v", d.ToControlled, d.ToOccupied)
	}
	// The areas the map draws are the ones the km² are measured on.
	if got := geo.Ukraine.AreaKm2(res.ToControlled); math.Abs(got-d.ToControlledKm2) > 1e-6 || got < 3000 {
		t.Errorf("land to controlled %.0f km², diff says %.0f", got, d.ToControlledKm2)
	}
	// And they agree with Diff.
	want, err := geo.Diff(res.Result.Scenario, res.Baseline, reg, res.Area, res.BaselineArea, mustLand(t, b))
	if err != nil || math.Abs(want.NetKm2-d.NetKm2) > 1e-6 || len(want.ToControlled) != len(d.ToControlled) {
		t.Errorf("Diff: %+v, %v", want, err)
	}
	// Without File, file regions are refused, naming the column.
	if _, err := ev.Bind(ctx, "occupied@latest | file:x"); err == nil || !strings.Contains(err.Error(), "column 19") {
		t.Errorf("file region without File: %v", err)
	}
	var pe *scenario.ParseError
	if _, err := ev.Bind(ctx, "occupied@latest |"); !errors.As(err, &pe) || pe.Col != 18 {
		t.Errorf("syntax error: %v", err)
	}
}

func mustLand(tb testing.TB, b *nadra.Boundaries) orb.MultiPolygon {
	tb.Helper()
	land, err := geo.Land(b)
	if err != nil {
		tb.Fatal(err)
	}
	return land
}

// regionList joins n regions with op, cycling through four oblasts, and
// returns the expression and the 1-based column where each region starts.
func regionList(n int, op string) (string, []int) {
	codes := []string{"UA-14", "UA-09", "UA-23", "UA-65"}
	var b strings.Builder
	var cols []int
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(op)
		}
		cols = append(cols, b.Len()+1)
		b.WriteString("oblast:" + codes[i%len(codes)])
	}
	return b.String(), cols
}

// TestParse_Limits checks the bounds on an expression: its bytes,
// its regions and its nesting, each refused where it is passed and with
// the limit named; at the limit, an expression parses.
func TestParse_Limits(t *testing.T) {
	atRegions, _ := regionList(32, " | ")
	overRegions, cols := regionList(33, " | ")
	nest := func(n int) string {
		return strings.Repeat("(", n) + "oblast:UA-14" + strings.Repeat(")", n)
	}
	// 1,024 bytes: two regions padded with spaces; one more byte is over.
	pad := func(n int) string {
		e := "oblast:UA-14 | oblast:UA-09"
		return e + strings.Repeat(" ", n-len(e))
	}
	// The two expressions of the issue: 1.1 KB and 3,000 regions (45 KB).
	issue1k := strings.Repeat("occupied@2025-02-12 | oblast:UA-14 - oblast:UA-23 | ", 21) + "oblast:UA-09"
	issue45k, _ := regionList(3000, " | ")

	for _, tt := range []struct {
		name, expr string
		col        int    // a ParseError's column; 0: an EINVALID error without one; -1: no error
		err        string // in the message
	}{
		{"32 regions", atRegions, -1, ""},
		{"33 regions", overRegions, cols[32], "more than 32 regions; an expression may name at most 32"},
		{"33 regions of one kind", strings.Repeat("occupied@latest & ", 32) + "occupied@latest", 1 + 32*len("occupied@latest & "), "at most 32"},
		{"16 deep", nest(16), -1, ""},
		{"17 deep", nest(17), 17, "parentheses nested more than 16 deep"},
		{"17 deep, not at once", "(((((((( oblast:UA-14 | (((((((((oblast:UA-09)))))))))))))))))", len("(((((((( oblast:UA-14 | ") + 9, "nested more than 16 deep"},
		{"17 opened, never closed", strings.Repeat("(", 17), 17, "nested more than 16 deep"},
		{"1024 bytes", pad(1024), -1, ""},
		{"1025 bytes", pad(1025), 0, "1025 bytes long; at most 1024 bytes"},
		{"the issue's 1.1 KB", issue1k, 0, fmt.Sprintf("%d bytes long; at most 1024", len(issue1k))},
		{"the issue's 45 KB", issue45k, 0, fmt.Sprintf("%d bytes long; at most 1024", len(issue45k))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenario.Parse(tt.expr)
			var pe *scenario.ParseError
			switch {
			case tt.col < 0:
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
			case tt.col == 0:
				if errors.As(err, &pe) || nadra.ErrorCode(err) != nadra.EINVALID || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, want an EINVALID error containing %q", err, tt.err)
				}
			default:
				if !errors.As(err, &pe) || pe.Col != tt.col || !strings.Contains(pe.Msg, tt.err) {
					t.Fatalf("got %v, want column %d %q", err, tt.col, tt.err)
				}
			}
		})
	}
}

// ring returns a closed ring of n positions (n-1 corners) on a circle.
func ring(n int, cx, cy, r float64) [][2]float64 {
	out := make([][2]float64, 0, n)
	for i := 0; i < n-1; i++ {
		a := 2 * math.Pi * float64(i) / float64(n-1)
		out = append(out, [2]float64{cx + r*math.Cos(a), cy + r*math.Sin(a)})
	}
	return append(out, out[0])
}

func polygonFile(tb testing.TB, rings ...[][2]float64) []byte {
	tb.Helper()
	var feats []any
	for _, r := range rings {
		feats = append(feats, map[string]any{"type": "Feature", "properties": map[string]any{},
			"geometry": map[string]any{"type": "Polygon", "coordinates": [][][2]float64{r}}})
	}
	b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestPolygons_Vertices: a polygon file may have at most
// MaxVertices positions, counted over every ring of every polygon.
func TestPolygons_Vertices(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
		err  string
	}{
		{"one ring of 10,000", polygonFile(t, ring(10000, 31, 48, 1)), ""},
		{"one ring of 10,001", polygonFile(t, ring(10001, 31, 48, 1)), "10001 vertices; a scenario polygon file may have at most 10000"},
		{"two rings of 5,000 and 5,001", polygonFile(t, ring(5000, 31, 48, 1), ring(5001, 35, 48, 1)), "10001 vertices"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []func([]byte) (orb.MultiPolygon, error){scenario.Features, scenario.Polygons} {
				_, err := f(tt.data)
				if tt.err == "" && err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				if tt.err != "" && (nadra.ErrorCode(err) != nadra.EINVALID || !strings.Contains(err.Error(), tt.err)) {
					t.Fatalf("got %v, want an EINVALID error containing %q", err, tt.err)
				}
			}
		})
	}
}

// countdown is a context whose Err reports cancellation from its n+1st
// call on, and counts the calls after that: work that checks its context
// between steps must stop at the first "canceled".
type countdown struct {
	context.Context
	n, after int
}

func (c *countdown) Err() error {
	if c.n > 0 {
		c.n--
		return nil
	}
	c.after++
	return context.Canceled
}

// TestScenario_StopsWithContext: binding, the overlay and the evaluation
// check their context between steps and stop at the first step after it
// ends, with its error; the area is then computed afresh with a live
// context.
func TestScenario_StopsWithContext(t *testing.T) {
	e, err := scenario.Parse("file:a | file:b - file:c & file:a | file:c - file:b | file:a & file:b")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Bind(context.Background(), "x", e, squares)
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < 12; n++ {
		ctx := &countdown{Context: context.Background(), n: n}
		if _, err := sc.Area(ctx); err != nil {
			if !errors.Is(err, context.Canceled) || ctx.after != 1 {
				t.Fatalf("after %d steps: got %v and %d checks after the end, want context.Canceled and 1", n, err, ctx.after)
			}
			continue
		}
		// Enough steps to finish: the area is then kept.
		if n < 3 {
			t.Fatalf("the overlay of 7 regions finished within %d context checks", n)
		}
	}
	if _, err := sc.Area(context.Background()); err != nil {
		t.Fatalf("got %v after cancelled attempts, want the area", err)
	}

	// Binding: one check per region before resolving it.
	for n := 0; n < 3; n++ {
		ctx := &countdown{Context: context.Background(), n: n}
		calls := 0
		_, err := scenario.Bind(ctx, "x", e, func(ctx context.Context, r scenario.Ref) ([]orb.MultiPolygon, error) {
			calls++
			return squares(ctx, r)
		})
		if !errors.Is(err, context.Canceled) || calls != n || ctx.after != 1 {
			t.Fatalf("binding cancelled after %d checks: %v, %d regions resolved, want context.Canceled and %d", n, err, calls, n)
		}
	}

	// The evaluator: a cancelled context is the error, not an invalid
	// region, even when the snapshot lookup fails because of it.
	ds, b := defaultData(t)
	reg := geo.Registry{Deposits: ds.Deposits, Estimates: ds.Estimates, Commodities: ds.Commodities}
	ctx, cancel := context.WithCancel(context.Background())
	dbCtx := ctx // what the snapshot lookups run under, as a database query would
	ev := &scenario.Evaluator{
		SnapshotAt: func(date string) (*nadra.Snapshot, error) {
			if err := dbCtx.Err(); err != nil {
				return nil, err
			}
			return ds.Snapshots[len(ds.Snapshots)-1], nil
		},
		Boundaries: b,
	}
	sc, err = ev.Bind(ctx, "occupied@latest | oblast:UA-14")
	if err != nil {
		t.Fatal(err)
	}
	base, err := ev.Bind(ctx, "occupied@latest")
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := ev.Bind(ctx, "occupied@2025-01-01"); !errors.Is(err, context.Canceled) {
		t.Fatalf("binding with a cancelled context: got %v, want context.Canceled", err)
	}
	if _, err := ev.Evaluate(ctx, sc, base, reg, "2026-01-01"); !errors.Is(err, context.Canceled) {
		t.Fatalf("evaluating with a cancelled context: got %v, want context.Canceled", err)
	}
	dbCtx = context.Background()
	finished := false
	for n := 0; n < 40 && !finished; n++ {
		c := &countdown{Context: context.Background(), n: n}
		_, err := ev.Evaluate(c, sc, base, reg, "2026-01-01")
		switch {
		case err == nil:
			finished = true
		case !errors.Is(err, context.Canceled) || c.after != 1:
			t.Fatalf("evaluation cancelled after %d checks: got %v and %d checks after, want context.Canceled and 1", n, err, c.after)
		}
	}
	if !finished {
		t.Fatal("the evaluation never finished within 40 context checks")
	}
}

// defaultData returns the embedded dataset and its boundaries.
func defaultData(tb testing.TB) (*dataset.Dataset, *nadra.Boundaries) {
	tb.Helper()
	b, err := dataset.Boundaries()
	ds, err2 := dataset.Default()
	if err = errors.Join(err, err2); err != nil {
		tb.Fatal(err)
	}
	return ds, b
}
