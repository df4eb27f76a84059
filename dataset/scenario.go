package dataset

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"nadra"
)

// Scenario is a named scenario shipped in dataset/scenarios/scenarios.csv:
// an expression with a source for the position it models.
type Scenario struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Expression string   `json:"expression"`
	Sources    []string `json:"sources"`
	Note       string   `json:"note"`
}

// Scenarios returns the shipped scenarios in file order.
func Scenarios() ([]Scenario, error) {
	data, err := files.ReadFile("scenarios/scenarios.csv")
	if err != nil {
		return nil, err
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("dataset/scenarios/scenarios.csv: %w", err)
	}
	var out []Scenario
	for i, r := range recs[1:] {
		if len(r) != 5 {
			return nil, fmt.Errorf("dataset/scenarios/scenarios.csv:%d: want 5 fields", i+2)
		}
		s := Scenario{ID: r[0], Name: r[1], Expression: r[2], Sources: splitSources(r[3]), Note: r[4]}
		for _, src := range s.Sources {
			if err := nadra.ValidateSource(src); err != nil {
				return nil, fmt.Errorf("dataset/scenarios/scenarios.csv:%d: %v", i+2, err)
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// ScenarioFile returns a shipped polygon file for file:NAME, from
// dataset/scenarios/NAME.geojson.
func ScenarioFile(name string) ([]byte, bool) {
	b, err := files.ReadFile("scenarios/" + strings.TrimSuffix(name, ".geojson") + ".geojson")
	return b, err == nil
}

// ScenarioFiles lists the shipped polygon files' names.
func ScenarioFiles() []string {
	names, _ := fs.Glob(files, "scenarios/*.geojson")
	var out []string
	for _, n := range names {
		out = append(out, strings.TrimSuffix(path.Base(n), ".geojson"))
	}
	sort.Strings(out)
	return out
}
