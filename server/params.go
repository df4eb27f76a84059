package server

import "nadra/internal/decimal"

// parseNumber parses a decimal number as query parameters write them
// (internal/decimal): no NaN, Inf, hexadecimal or underscores, nothing
// that overflows to an infinity.
func parseNumber(s string) (float64, bool) { return decimal.Parse(s) }
