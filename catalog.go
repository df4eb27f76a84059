package nadra

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// The catalog is the reference material the deal model and the scenario
// tools read besides the registry: the deal terms (one per agreement or
// draft) and the named scenarios. Stores keep it like the other seeded
// tables: seeded from the embedded dataset, never overwriting what a user
// imported (`nadra import terms`, `nadra import scenarios`).

// Scenario is a named scenario: an expression in the scenario language
// with a source for the position it models.
type Scenario struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Expression string   `json:"expression"`
	Sources    []string `json:"sources"`
	Note       string   `json:"note"`
}

// Validate returns an EINVALID error "field: problem" for the first bad
// field. It does not parse the expression (package geo does).
func (s *Scenario) Validate() error {
	switch {
	case s.ID == "":
		return Errorf(EINVALID, "id: required")
	case len(s.ID) > MaxIDLen || !slugRE.MatchString(s.ID):
		return Errorf(EINVALID, "id: %q is not a slug of at most %d characters; expected lowercase letters, digits and single hyphens", Truncate(s.ID, 80), MaxIDLen)
	case strings.TrimSpace(s.Name) == "":
		return Errorf(EINVALID, "name: required")
	case strings.TrimSpace(s.Expression) == "":
		return Errorf(EINVALID, "expression: required")
	case len(s.Sources) == 0:
		return Errorf(EINVALID, "source: required; give a URL or document with its date, as in https://example.org/page (2025-02-11)")
	case len(s.Sources) > MaxSources:
		return Errorf(EINVALID, "source: %d sources; at most %d allowed", len(s.Sources), MaxSources)
	}
	if err := checkLen("name", s.Name, MaxNameLen); err != nil {
		return err
	}
	if err := checkLen("expression", s.Expression, MaxNoteLen); err != nil {
		return err
	}
	if err := checkLen("note", s.Note, MaxNoteLen); err != nil {
		return err
	}
	for _, src := range s.Sources {
		if err := ValidateSource(src); err != nil {
			return Errorf(EINVALID, "source: %s", ErrorMessage(err))
		}
	}
	return nil
}

// CatalogService keeps the catalog. Implemented by sqlite, postgres and
// mock.
type CatalogService interface {
	// FindDeals returns every deal's terms, ordered by id.
	FindDeals(ctx context.Context) ([]*DealTerms, error)
	// FindScenarios returns the named scenarios in their order: the
	// dataset's file order, then the user's in the order first imported.
	FindScenarios(ctx context.Context) ([]Scenario, error)
	// ImportDeals stores terms by id in one transaction, as one import:
	// all or nothing; the same terms again change nothing. EINVALID for
	// terms that fail Validate.
	ImportDeals(ctx context.Context, imp Import, ds []*DealTerms) (ImportResult, error)
	// ImportScenarios stores scenarios by id in one transaction, as one
	// import; a new id goes after the stored ones.
	ImportScenarios(ctx context.Context, imp Import, ss []Scenario) (ImportResult, error)
}

// storedTerms is DealTerms as stores keep it: every field, the typed ones
// too, in one JSON document.
type storedTerms struct {
	ID                  string       `json:"id"`
	Name                string       `json:"name"`
	Status              string       `json:"status"`
	Date                string       `json:"date"`
	Summary             string       `json:"summary"`
	Sources             []string     `json:"sources"`
	File                string       `json:"file"`
	Terms               []storedTerm `json:"terms"`
	FundStartYear       int          `json:"fund_start_year"`
	UkraineShare        float64      `json:"ukraine_share"`
	RevenueBase         string       `json:"revenue_base"`
	LicensedUndeveloped bool         `json:"licensed_undeveloped"`
	InForce             string       `json:"in_force"`
	RenewalsCount       bool         `json:"renewals_count"`
	Streams             []string     `json:"streams"`
	Commodities         []string     `json:"commodities"`
	USCash              []Flow       `json:"us_cash"`
	UkraineCash         []Flow       `json:"ukraine_cash"`
	InKindAidCounts     bool         `json:"inkind_aid_counts"`
	PriorUSAidUSD       float64      `json:"prior_us_aid_usd"`
	ReinvestYears       int          `json:"reinvest_years"`
	Waterfall           string       `json:"waterfall"`
	PriorityReturnRate  float64      `json:"priority_return_rate"`
	USShare             float64      `json:"us_share"`
	TargetUSD           float64      `json:"target_usd"`
}

type storedTerm struct {
	Key    string          `json:"key"`
	Kind   string          `json:"kind"` // the Go type of Value: int, float, bool, string, strings, flows
	Value  json.RawMessage `json:"value"`
	Source []string        `json:"source"`
	Note   string          `json:"note,omitempty"`
	Line   int             `json:"line"`
}

// EncodeTerms returns terms as stores keep them: a JSON document that
// DecodeTerms turns back into equal terms, term values of the same Go
// types included. Overrides are per run, not stored.
func EncodeTerms(d *DealTerms) ([]byte, error) {
	s := storedTerms{ID: d.ID, Name: d.Name, Status: d.Status, Date: d.Date, Summary: d.Summary, Sources: d.Sources, File: d.File,
		FundStartYear: d.FundStartYear, UkraineShare: d.UkraineShare, RevenueBase: d.RevenueBase, LicensedUndeveloped: d.LicensedUndeveloped,
		InForce: d.InForce, RenewalsCount: d.RenewalsCount, Streams: d.Streams, Commodities: d.Commodities, USCash: d.USCash,
		UkraineCash: d.UkraineCash, InKindAidCounts: d.InKindAidCounts, PriorUSAidUSD: d.PriorUSAidUSD, ReinvestYears: d.ReinvestYears,
		Waterfall: d.Waterfall, PriorityReturnRate: d.PriorityReturnRate, USShare: d.USShare, TargetUSD: d.TargetUSD}
	for _, t := range d.Terms {
		var kind string
		switch t.Value.(type) {
		case int:
			kind = "int"
		case float64:
			kind = "float"
		case bool:
			kind = "bool"
		case string:
			kind = "string"
		case []string:
			kind = "strings"
		case []Flow:
			kind = "flows"
		default:
			return nil, fmt.Errorf("terms %s: term %s: cannot store a %T", d.ID, t.Key, t.Value)
		}
		v, err := json.Marshal(t.Value)
		if err != nil {
			return nil, err
		}
		s.Terms = append(s.Terms, storedTerm{Key: t.Key, Kind: kind, Value: v, Source: t.Source, Note: t.Note, Line: t.Line})
	}
	return json.Marshal(s)
}

// DecodeTerms reads terms EncodeTerms wrote.
func DecodeTerms(b []byte) (*DealTerms, error) {
	var s storedTerms
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("stored terms: %w", err)
	}
	d := &DealTerms{ID: s.ID, Name: s.Name, Status: s.Status, Date: s.Date, Summary: s.Summary, Sources: s.Sources, File: s.File,
		FundStartYear: s.FundStartYear, UkraineShare: s.UkraineShare, RevenueBase: s.RevenueBase, LicensedUndeveloped: s.LicensedUndeveloped,
		InForce: s.InForce, RenewalsCount: s.RenewalsCount, Streams: s.Streams, Commodities: s.Commodities, USCash: s.USCash,
		UkraineCash: s.UkraineCash, InKindAidCounts: s.InKindAidCounts, PriorUSAidUSD: s.PriorUSAidUSD, ReinvestYears: s.ReinvestYears,
		Waterfall: s.Waterfall, PriorityReturnRate: s.PriorityReturnRate, USShare: s.USShare, TargetUSD: s.TargetUSD}
	for _, t := range s.Terms {
		var v any
		var err error
		switch t.Kind {
		case "int":
			var x int
			err = json.Unmarshal(t.Value, &x)
			v = x
		case "float":
			var x float64
			err = json.Unmarshal(t.Value, &x)
			v = x
		case "bool":
			var x bool
			err = json.Unmarshal(t.Value, &x)
			v = x
		case "string":
			var x string
			err = json.Unmarshal(t.Value, &x)
			v = x
		case "strings":
			var x []string
			err = json.Unmarshal(t.Value, &x)
			v = x
		case "flows":
			var x []Flow
			err = json.Unmarshal(t.Value, &x)
			v = x
		default:
			err = fmt.Errorf("unknown kind %q", t.Kind)
		}
		if err != nil {
			return nil, fmt.Errorf("stored terms %s: term %s: %w", s.ID, t.Key, err)
		}
		d.Terms = append(d.Terms, Term{Key: t.Key, Value: v, Source: t.Source, Note: t.Note, Line: t.Line})
	}
	return d, nil
}
