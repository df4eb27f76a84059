package supply

import (
	"fmt"
	"strings"

	"nadra"
)

// CRMAThreshold is the EU Critical Raw Materials Act's benchmark: no more
// than 65% of the Union's annual consumption of each strategic raw
// material, at any relevant stage of processing, from a single third
// country (Regulation (EU) 2024/1252, Article 5(1)(d)).
const CRMAThreshold = 0.65

// CRMASource cites the benchmark.
const CRMASource = "Regulation (EU) 2024/1252 (Critical Raw Materials Act), Article 5(1)(d): \"the Union's annual consumption of each strategic raw material at any relevant stage of processing\" should not rely on \"more than 65 %\" from \"a single third country\", http://data.europa.eu/eli/reg/2024/1252/oj (2024-05-03)"

// CRMASimplification is how nadra applies the benchmark, said wherever
// the test is shown.
const CRMASimplification = "World production shares stand in for the EU's import shares, which nadra does not have: the test asks whether one country supplies more than 65% of world output at the stage, not of EU consumption. A country counts whether or not it is in the EU."

// CRMAResult is the benchmark on one market: its largest producer's share
// against the 65% threshold.
type CRMAResult struct {
	Top   string  `json:"top"`   // largest producer's country code
	Share float64 `json:"share"` // its share of the market
	Pass  bool    `json:"pass"`  // Share ≤ CRMAThreshold
	// UkraineAdded is what Ukraine's accessible deposits add, in the
	// series' unit; 0 for today's market.
	UkraineAdded float64 `json:"ukraine_added"`
	Note         string  `json:"note,omitempty"`
}

// CRMAScenario is the benchmark with the supply of the deposits
// accessible under one scenario added.
type CRMAScenario struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Expression string      `json:"expression"`
	Result     *CRMAResult `json:"result"` // nil when it cannot be computed; Note says why
	Note       string      `json:"note,omitempty"`
}

// CRMATest is the benchmark for one commodity and stage: today, with the
// Ukrainian supply accessible on the latest line added, and under each
// scenario.
type CRMATest struct {
	Commodity      string         `json:"commodity"`
	Stage          string         `json:"stage"`
	Year           int            `json:"year"`
	Threshold      float64        `json:"threshold"`
	Today          *CRMAResult    `json:"today"`
	WithUkraine    *CRMAResult    `json:"with_ukraine"` // accessible on the latest line; nil when it cannot be computed
	UkraineNote    string         `json:"ukraine_note,omitempty"`
	Scenarios      []CRMAScenario `json:"scenarios"`
	Simplification string         `json:"simplification"`
	Source         string         `json:"source"`
}

// NamedScenario is a scenario the test runs: an id, a name and an
// expression.
type NamedScenario struct{ ID, Name, Expression string }

func crmaResult(ms Metrics, added float64) *CRMAResult {
	r := &CRMAResult{Top: ms.Top.Country, Share: ms.Top.Share, Pass: ms.Top.Share <= CRMAThreshold, UkraineAdded: added}
	if ms.Unattributed > 0 {
		r.Note = fmt.Sprintf("a share-only table: %.0f%% of world output is unattributed", ms.Unattributed*100)
	}
	return r
}

// CRMA runs the benchmark on one commodity and stage in year (0: the
// latest with data). Ukrainian supply is the potential of the registry's
// deposits accessible under each expression ("latest" for the latest
// line), as NewReport's --add-accessible computes it, at recovery. It
// returns EINVALID or ENOTFOUND as NewReport does for the series.
func CRMA(in Inputs, commodity, stage string, year int, scenarios []NamedScenario, recovery float64) (*CRMATest, error) {
	s, err := FindSeries(in.Data, commodity, stage)
	if err != nil {
		return nil, err
	}
	mk, err := marketFor(in.Data, s, year)
	if err != nil {
		return nil, err
	}
	t := &CRMATest{Commodity: s.Commodity, Stage: s.Stage, Year: mk.Year, Threshold: CRMAThreshold,
		Today: crmaResult(Compute(mk, nil), 0), Scenarios: []CRMAScenario{}, Simplification: CRMASimplification, Source: CRMASource}
	with := func(expr string) (*CRMAResult, string) {
		e := expr
		rep, err := NewReport(in, Query{Commodity: s.Commodity, Stage: s.Stage, Year: mk.Year, Accessible: &e, Recovery: recovery})
		if err != nil {
			return nil, nadra.ErrorMessage(err)
		}
		added := 0.0
		for _, a := range rep.Additions {
			added += a.Quantity
		}
		if rep.After == nil {
			r := crmaResult(rep.Metrics.Before, 0)
			r.Note = strings.TrimSpace(r.Note + " no accessible deposit has a potential to add")
			return r, ""
		}
		return crmaResult(rep.Metrics.After, added), ""
	}
	if s.Registry == "" || s.Basis == "" {
		t.UkraineNote = "the registry's deposits do not convert into this table's unit, so no Ukrainian supply can be added"
		return t, nil
	}
	if mk.ShareOnly {
		t.UkraineNote = "the table is published as shares of world output only, so tonnes cannot be added to it"
		return t, nil
	}
	t.WithUkraine, t.UkraineNote = with("latest")
	for _, sc := range scenarios {
		r, note := with(sc.Expression)
		t.Scenarios = append(t.Scenarios, CRMAScenario{ID: sc.ID, Name: sc.Name, Expression: sc.Expression, Result: r, Note: note})
	}
	return t, nil
}

// CRMAAll runs the benchmark on every commodity and stage with data,
// memoising deposit statuses per expression so that each scenario is
// evaluated once.
func CRMAAll(in Inputs, year int, scenarios []NamedScenario, recovery float64) ([]*CRMATest, error) {
	if in.Statuses != nil {
		type st struct {
			m     map[string]nadra.Status
			label string
			err   error
		}
		memo := map[string]st{}
		inner := in.Statuses
		in.Statuses = func(expr string) (map[string]nadra.Status, string, error) {
			if v, ok := memo[expr]; ok {
				return v.m, v.label, v.err
			}
			m, label, err := inner(expr)
			memo[expr] = st{m, label, err}
			return m, label, err
		}
	}
	var out []*CRMATest
	for _, s := range in.Data.Series {
		t, err := CRMA(in, s.Commodity, s.Stage, year, scenarios, recovery)
		if nadra.ErrorCode(err) == nadra.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
