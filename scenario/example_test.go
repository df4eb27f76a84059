package scenario_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/paulmach/orb"

	"nadra/scenario"
)

// Parse reads an expression; & binds tighter than | and -.
func ExampleParse() {
	e, err := scenario.Parse("occupied@latest | oblast:UA-14 & grey@2025-02-12")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e)
	for _, r := range e.Refs() {
		fmt.Println(r.Kind, r.Arg, "at column", r.Col)
	}
	// Output:
	// (occupied@latest | (oblast:UA-14 & grey@2025-02-12))
	// occupied latest at column 1
	// oblast UA-14 at column 19
	// grey 2025-02-12 at column 34
}

// A mistake is a *ParseError that names the column.
func ExampleParse_error() {
	_, err := scenario.Parse("occupied@latest | country:RU")
	var pe *scenario.ParseError
	fmt.Println(errors.As(err, &pe), pe.Col)
	// Output: true 19
}

// Bind resolves each region to geometry; the bound scenario then says
// which points it covers and what area it makes.
func ExampleBind() {
	sq := func(w, s float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{w, s}, {w + 1, s}, {w + 1, s + 1}, {w, s + 1}, {w, s}}}}
	}
	resolve := func(_ context.Context, r scenario.Ref) ([]orb.MultiPolygon, error) {
		switch r.Arg {
		case "a.geojson":
			return []orb.MultiPolygon{sq(37, 47)}, nil
		case "b.geojson":
			return []orb.MultiPolygon{sq(37.5, 47)}, nil
		}
		return nil, fmt.Errorf("no file %s", r.Arg)
	}
	e, _ := scenario.Parse("file:a.geojson - file:b.geojson")
	b, err := scenario.Bind(context.Background(), "example", e, resolve)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b.Contains(orb.Point{37.2, 47.5}), b.Contains(orb.Point{37.7, 47.5}))
	// Output: true false
}
