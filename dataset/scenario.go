package dataset

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"strings"

	"nadra"
)

// Scenario is a named scenario (nadra.Scenario), as shipped in
// dataset/scenarios/scenarios.csv.
type Scenario = nadra.Scenario

// ScenarioColumns are the columns of a scenarios file (FORMAT.md,
// "Scenarios").
var ScenarioColumns = []string{"id", "name", "expression", "source", "note"}

// Scenarios returns the shipped scenarios in file order.
func Scenarios() ([]Scenario, error) {
	data, err := files.ReadFile("scenarios/scenarios.csv")
	if err != nil {
		return nil, err
	}
	return ParseScenariosCSV("dataset/scenarios/scenarios.csv", bytes.NewReader(data), nil)
}

// ParseScenariosCSV reads a scenarios file: every row validated
// (nadra.Scenario.Validate), ids unique in the file. The first problem is
// a *nadra.InputError naming the file, line and field. It does not parse
// the expressions itself: checkExpr, if not nil, does (with the scenario
// language, package geo), and its error is the expression field's.
func ParseScenariosCSV(file string, r io.Reader, checkExpr func(expr string) error) ([]Scenario, error) {
	return parseRows(file, r, ScenarioColumns, func(t *table) (Scenario, string, error) {
		s := Scenario{ID: t.str("id"), Name: t.str("name"), Expression: t.str("expression"), Sources: splitSources(t.str("source")), Note: t.str("note")}
		if err := s.Validate(); err != nil {
			return s, "", t.fieldErr(err)
		}
		if checkExpr != nil {
			if err := checkExpr(s.Expression); err != nil {
				msg := err.Error()
				var pe *nadra.Error
				if errors.As(err, &pe) {
					msg = pe.Message
				}
				return s, "", t.errf("expression", "%s", strings.Join(strings.Fields(msg), " "))
			}
		}
		return s, s.ID, nil
	}, func(t *table, id string, first int) error {
		return t.errf("id", "%q already appears on line %d; ids must be unique in a file", id, first)
	})
}

// ScenarioFS returns the shipped polygon files for file:NAME
// (dataset/scenarios/NAME.geojson), NAME.geojson at its root; read them
// with scenario.ShippedFile.
func ScenarioFS() (fs.FS, error) {
	return fs.Sub(files, "scenarios")
}
