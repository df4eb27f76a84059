// Package numfmt formats numbers for people: thousands separators and
// percentages, the same way in the CLI, the server, the charts and the
// supply report.
package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// Thousands formats v rounded to a whole number with comma separators:
// 222,970; -1,500.
func Thousands(v float64) string {
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg && s != "0" {
		s = "-" + s
	}
	return s
}

// Decimal formats v as written, never in exponent form, with comma
// separators in the whole part: 76,775,991; 1,500,000; 47.4524; 0.53;
// -1,234.5. It keeps every decimal the value has (the shortest form that
// reads back the same), so a published figure shows as published.
func Decimal(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if frac != "" {
		whole += "." + frac
	}
	if neg {
		whole = "-" + whole
	}
	return whole
}

// Quantity is Thousands, except that small fractional values keep two
// decimals (0.53 rather than 1).
func Quantity(v float64) string {
	if math.Abs(v) < 10 && v != math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return Thousands(v)
}

// Pct formats a fraction as a percentage with one decimal: 0.215 is 21.5%.
func Pct(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }

// Human formats a quantity with SI-style suffixes: 1.20M, 35.0k, 2.53bn.
func Human(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e12:
		return strconv.FormatFloat(v/1e12, 'f', 2, 64) + "T"
	case a >= 1e9:
		return strconv.FormatFloat(v/1e9, 'f', 2, 64) + "bn"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 2, 64) + "M"
	case a >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', 1, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Dollars are formatted here and nowhere else. USD is the formatter;
// USDText and USDRound are its two variants for where they are shown.

// USD formats a dollar amount with Human's suffixes: $1.20M, $12.40T;
// a negative amount is "-$3.0k".
func USD(v float64) string { return usd(v, "-", Human) }

// USDText is USD for text a person reads in a terminal: a negative
// amount has the minus sign U+2212 (−$6.04bn).
func USDText(v float64) string { return usd(v, "−", Human) }

// USDRound is USD with fewer digits, for a map's tooltips: $1.2bn,
// $350M, $2.00tn, $900; a negative amount is "−$1.2bn".
func USDRound(v float64) string { return usd(v, "−", round) }

// usd writes v in dollars, its magnitude by f and a negative amount's
// sign as minus.
func usd(v float64, minus string, f func(float64) string) string {
	if v < 0 {
		return minus + "$" + f(-v)
	}
	return "$" + f(v)
}

// round writes a non-negative amount with one suffix and few digits:
// 2.00tn, 1.2bn, 350M, 900.
func round(v float64) string {
	switch {
	case v >= 1e12:
		return strconv.FormatFloat(v/1e12, 'f', 2, 64) + "tn"
	case v >= 1e9:
		return strconv.FormatFloat(v/1e9, 'f', 1, 64) + "bn"
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 0, 64) + "M"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// Tonnes writes a mass in tonnes for people: 850 t, 511.9 kt, 1.23 Mt,
// 2.50 bn t.
func Tonnes(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return strconv.FormatFloat(v/1e9, 'f', 2, 64) + " bn t"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 2, 64) + " Mt"
	case a >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', 1, 64) + " kt"
	}
	return strconv.FormatFloat(v, 'f', -1, 64) + " t"
}

// PctOf formats an optional fraction as a percentage with one decimal,
// "n/a" for nil.
func PctOf(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return Pct(*p)
}

// EstMark is "e" for a figure its source marks as an estimate, else "".
func EstMark(estimated bool) string {
	if estimated {
		return "e"
	}
	return ""
}

// Signed writes a difference formatted by f, with a plus sign when it
// is positive (f writes the minus).
func Signed(v float64, f func(float64) string) string {
	if v > 0 {
		return "+" + f(v)
	}
	return f(v)
}
