package server

import (
	"context"
	"strings"

	"nadra"
	"nadra/deal"
	"nadra/scenario"
)

// The catalog (deal terms, named scenarios) comes from the store through
// s.Catalog, and the model's parameters through s.ModelParams, both set
// by cmd/nadra: the server does not read them from the embedded dataset.

// deals returns every deal's terms, ordered by id.
func (s *Server) deals(ctx context.Context) ([]*nadra.DealTerms, error) {
	if s.Catalog == nil {
		return nil, nadra.Errorf(nadra.EINTERNAL, "the server has no catalog")
	}
	return s.Catalog.FindDeals(ctx)
}

// dealTerms returns terms by id; over HTTP there are no terms files. An
// unknown id is EINVALID naming param and the known ids.
func (s *Server) dealTerms(ctx context.Context, param, id string) (*nadra.DealTerms, error) {
	all, err := s.deals(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, d := range all {
		if d.ID == id {
			return d, nil
		}
		ids = append(ids, d.ID)
	}
	return nil, nadra.Errorf(nadra.EINVALID, "%s: no deal terms %q; nadra ships %s.", param, id, strings.Join(ids, ", "))
}

// scenarioList returns the named scenarios in their order.
func (s *Server) scenarioList(ctx context.Context) ([]nadra.Scenario, error) {
	if s.Catalog == nil {
		return nil, nadra.Errorf(nadra.EINTERNAL, "the server has no catalog")
	}
	return s.Catalog.FindScenarios(ctx)
}

// namedScenarios maps the named scenarios' ids to their expressions.
func (s *Server) namedScenarios(ctx context.Context) (map[string]string, error) {
	list, err := s.scenarioList(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(list))
	for _, sc := range list {
		m[sc.ID] = sc.Expression
	}
	return m, nil
}

// expand returns expr with a named scenario's id replaced by its
// expression, for cache keys.
func expand(named map[string]string, expr string) string {
	x, _ := (&scenario.Evaluator{Named: named}).Expand(expr)
	return x
}

// modelParams returns the deal model's parameters.
func (s *Server) modelParams() (*deal.Params, error) {
	if s.ModelParams == nil {
		return nil, nadra.Errorf(nadra.EINTERNAL, "the server has no model parameters")
	}
	return s.ModelParams()
}

// yardstick is what the summary of a simulation compares the fund's
// receipts with: the February 2025 draft's $500 bn target; zero when the
// catalog has no such draft.
func (s *Server) yardstick(ctx context.Context) deal.Yardstick {
	d, err := s.dealTerms(ctx, "deal", "draft-2025-02")
	if err != nil {
		return deal.Yardstick{}
	}
	return deal.Yardstick{USD: d.TargetUSD, Where: "the February draft"}
}
