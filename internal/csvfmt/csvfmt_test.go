package csvfmt

import (
	"testing"

	"nadra/internal/decimal"
)

// TestNeutralize: formula-like cells get one quote, numbers and other
// text none, and Unneutralize inverts Neutralize on every cell.
func TestNeutralize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"dobra", "dobra"},
		{"=1+1", "'=1+1"},
		{"+1+1", "'+1+1"},
		{"-1+1", "'-1+1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"-31.5", "-31.5"},
		{"+2", "+2"},
		{"-1e-05", "-1e-05"},
		{"-Inf", "'-Inf"},
		{"'=x", "''=x"},
		{"''@x", "'''@x"},
		{"'x", "'x"},
		{"'", "'"},
		{"''", "''"},
		{"'-1", "''-1"},
		{"a=b", "a=b"},
		{" =x", " =x"},
	}
	for _, tt := range tests {
		got := Neutralize(tt.in)
		if got != tt.want {
			t.Errorf("Neutralize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := Unneutralize(got); back != tt.in {
			t.Errorf("Unneutralize(Neutralize(%q)) = %q", tt.in, back)
		}
	}
}

// FuzzNeutralize: writing then reading a cell gives it back, and no
// written cell starts with a formula character unless it is a number.
func FuzzNeutralize(f *testing.F) {
	for _, s := range []string{"=1", "'=1", "-2", "-2-2", "'", "@", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w := Neutralize(s)
		if Unneutralize(w) != s {
			t.Fatalf("%q written as %q reads back as %q", s, w, Unneutralize(w))
		}
		if w != "" && formulaStart(w[0]) && !decimal.Valid(w) {
			t.Fatalf("%q written as %q starts a formula", s, w)
		}
	})
}
