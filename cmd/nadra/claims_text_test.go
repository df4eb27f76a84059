package main

import (
	"testing"

	"nadra"
)

// TestFigureText: a value claim's figure is a sum of USD even when the
// part is not the whole (the occupied part of a sum over all deposits);
// a share claim's is a percentage.
func TestFigureText(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		kind nadra.ClaimKind
		fig  nadra.ClaimFigure
		want string
	}{
		{nadra.ClaimOccupiedValue, nadra.ClaimFigure{Unit: "USD", Value: f(8.44e9), Part: f(8.44e9), Whole: f(3.77e12)}, "$8.44bn"},
		{nadra.ClaimTotalValue, nadra.ClaimFigure{Unit: "USD", Value: f(3.77e12), Part: f(3.77e12), Whole: f(3.77e12)}, "$3.77T"},
		{nadra.ClaimOccupiedShare, nadra.ClaimFigure{Unit: "USD", Value: f(0.25), Part: f(1e9), Whole: f(4e9)}, "25.0%"},
		{nadra.ClaimOccupiedShare, nadra.ClaimFigure{Unit: "deposits", Value: f(0.5), Part: f(1), Whole: f(2)}, "50.0%"},
		{nadra.ClaimOccupiedValue, nadra.ClaimFigure{Unit: "USD"}, "n/a"},
	}
	for _, tt := range tests {
		if got := figureText(tt.kind, tt.fig); got != tt.want {
			t.Errorf("figureText(%s, %+v): got %q, want %q", tt.kind, tt.fig, got, tt.want)
		}
	}
}
