// Package decimal parses numbers as nadra's files and query parameters
// write them: plain decimals, never hexadecimal, digit separators, Inf or
// NaN (issue 9). One parser for the importers, the server and the CLI.
package decimal

import (
	"math"
	"strconv"
)

// Parse parses a number as nadra's files write it: an optional
// sign, decimal digits with at most one decimal point, and an optional
// decimal exponent ("-12.5", ".5", "3e-05"). It refuses what
// strconv.ParseFloat would otherwise take: hexadecimal ("0x1p-2"), digit
// separators ("1_0"), "Inf", "NaN", and numbers beyond float64 ("1e400").
// Every importer parses numbers with it (FORMAT.md, "Checks on every import").
func Parse(s string) (float64, bool) {
	if !Valid(s) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// Whole parses a whole number: an optional sign and decimal digits,
// within the range of int.
func Whole(s string) (int, bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i == len(s) || !allDigits(s[i:]) {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, false
	}
	return v, true
}

// Valid reports whether s has the form of a decimal number:
// [+-] (digits [. digits?] | . digits) ([eE] [+-] digits)?.
func Valid(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	int0 := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	digits := i - int0
	if i < len(s) && s[i] == '.' {
		i++
		frac0 := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		digits += i - frac0
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp0 := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == exp0 {
			return false
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
