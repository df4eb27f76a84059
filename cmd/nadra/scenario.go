package main

import (
	"context"
	"strings"

	"nadra"
)

// scenarioAccess returns the access report under a scenario expression:
// each deposit's status and distance as if the expression's area were the
// occupied ground. "" means the latest snapshot. It is the one place other
// commands (supply's --add-accessible, simulate's --scenario) get
// scenario-conditioned statuses from.
//
// Supported now: "" and "occupied@YYYY-MM-DD" (the snapshot in force on
// that date). The full expression language (oblast:, file:, grey@, and
// |, &, - with parentheses) is the control-history issue's.
func (m *Main) scenarioAccess(ctx context.Context, expr string) (*nadra.AccessReport, error) {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		return m.accessReport(ctx, "")
	}
	if date, ok := strings.CutPrefix(expr, "occupied@"); ok {
		if _, err := nadra.ParseDate(date); err != nil {
			return nil, err
		}
		return m.accessReport(ctx, date)
	}
	return nil, nadra.Errorf(nadra.EINVALID, "scenario %q: only occupied@YYYY-MM-DD is supported so far", expr)
}
