package decimal

import (
	"math"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0", 0, true},
		{"48.35", 48.35, true},
		{"-31.053", -31.053, true},
		{"+5", 5, true},
		{".5", 0.5, true},
		{"5.", 5, true},
		{"1e3", 1000, true},
		{"1E-3", 0.001, true},
		{"-2.5e+2", -250, true},
		{"1e-400", 0, true}, // underflows to zero, still a decimal number
		{"", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"0x1p-2", 0, false},
		{"0x10", 0, false},
		{"1_0", 0, false},
		{"1,5", 0, false},
		{"Inf", 0, false},
		{"+Inf", 0, false},
		{"infinity", 0, false},
		{"NaN", 0, false},
		{"1e400", 0, false},
		{"-1e400", 0, false},
		{".", 0, false},
		{"-", 0, false},
		{"e5", 0, false},
		{"1e", 0, false},
		{"1e+", 0, false},
		{"1.2.3", 0, false},
		{"--1", 0, false},
		{"١٢", 0, false}, // Arabic-Indic digits
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if ok != tt.ok || (ok && math.Abs(got-tt.want) > 1e-12) {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestWhole(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"2024", 2024, true},
		{"-3", -3, true},
		{"+7", 7, true},
		{"007", 7, true},
		{"", 0, false},
		{"2_024", 0, false},
		{"0x7E8", 0, false},
		{"0o17", 0, false},
		{"0b11", 0, false},
		{"2024.0", 0, false},
		{"2e3", 0, false},
		{"+", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, ok := Whole(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Whole(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
