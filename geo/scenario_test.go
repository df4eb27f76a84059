package geo_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"nadra"
	"nadra/geo"

	"github.com/paulmach/orb"
)

func TestParseScenario(t *testing.T) {
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
		e, err := geo.ParseScenario(tt.expr)
		if tt.err == "" {
			if err != nil {
				t.Errorf("ParseScenario(%q): %v", tt.expr, err)
			} else if got := e.String(); got != tt.want {
				t.Errorf("ParseScenario(%q) = %s, want %s", tt.expr, got, tt.want)
			}
			continue
		}
		var pe *geo.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("ParseScenario(%q) error = %v, want a ParseError", tt.expr, err)
			continue
		}
		if pe.Col != tt.col || !strings.Contains(pe.Msg, tt.err) {
			t.Errorf("ParseScenario(%q) = column %d %q, want column %d %q", tt.expr, pe.Col, pe.Msg, tt.col, tt.err)
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
func squares(r geo.Ref) ([]orb.MultiPolygon, error) {
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
		e, err := geo.ParseScenario(tt.expr)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := geo.BindScenario(tt.expr, e, squares)
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
		area, err := sc.Area()
		if err != nil {
			t.Fatal(err)
		}
		var got float64
		for _, p := range area {
			for i, r := range p {
				a := math.Abs(ringArea(r))
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
	e, _ := geo.ParseScenario("file:a | file:nowhere")
	if _, err := geo.BindScenario("x", e, squares); err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("binding an unknown file: %v", err)
	}
}

// TestScenario_Timeline: the default dataset's timeline has Shevchenkivske
// falling between the June and July 2025 snapshots.
func TestTimeline_Shevchenkivske(t *testing.T) {
	ds, b := mustDefault(t)
	reg := geo.Registry{Deposits: ds.Deposits, Estimates: ds.Estimates, Commodities: ds.Commodities}
	tl := geo.Timeline(ds.Snapshots, nil, b, reg, "lithium")
	found := false
	for _, e := range tl.Events {
		if e.DepositID == "shevchenkivske" {
			found = true
			if e.Text != "Shevchenkivske: controlled → occupied between 2025-06-01 and 2025-07-01" {
				t.Errorf("event: %q", e.Text)
			}
		}
		if e.DepositID == "dobra" || e.DepositID == "polokhivske" {
			t.Errorf("unexpected event %s", e.Text)
		}
	}
	if !found {
		t.Errorf("no Shevchenkivske event in %v", tl.Events)
	}
	if len(tl.Rows) != len(ds.Snapshots) || len(tl.Rows[0].Commodities) != 1 || tl.Rows[0].Commodities[0].Commodity != "lithium" {
		t.Fatalf("rows: %d, first %+v", len(tl.Rows), tl.Rows[0])
	}
	last := tl.Rows[len(tl.Rows)-1]
	if last.GreyKm2 != nil {
		t.Errorf("the latest snapshot has no grey zone, so grey_km2 must be null")
	}
	if tl.Rows[0].OccupiedKm2 < 100000 || tl.Rows[0].OccupiedKm2 > 130000 {
		t.Errorf("occupied area on %s: %.0f km²", tl.Rows[0].Date, tl.Rows[0].OccupiedKm2)
	}
}
