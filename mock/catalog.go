package mock

import (
	"context"

	"nadra"
)

// CatalogService is a mock nadra.CatalogService.
type CatalogService struct {
	FindDealsFn       func(ctx context.Context) ([]*nadra.DealTerms, error)
	FindScenariosFn   func(ctx context.Context) ([]nadra.Scenario, error)
	ImportDealsFn     func(ctx context.Context, imp nadra.Import, ds []*nadra.DealTerms) (nadra.ImportResult, error)
	ImportScenariosFn func(ctx context.Context, imp nadra.Import, ss []nadra.Scenario) (nadra.ImportResult, error)
}

var _ nadra.CatalogService = (*CatalogService)(nil)

// FindDeals calls FindDealsFn.
func (s *CatalogService) FindDeals(ctx context.Context) ([]*nadra.DealTerms, error) {
	return s.FindDealsFn(ctx)
}

// FindScenarios calls FindScenariosFn.
func (s *CatalogService) FindScenarios(ctx context.Context) ([]nadra.Scenario, error) {
	return s.FindScenariosFn(ctx)
}

// ImportDeals calls ImportDealsFn.
func (s *CatalogService) ImportDeals(ctx context.Context, imp nadra.Import, ds []*nadra.DealTerms) (nadra.ImportResult, error) {
	return s.ImportDealsFn(ctx, imp, ds)
}

// ImportScenarios calls ImportScenariosFn.
func (s *CatalogService) ImportScenarios(ctx context.Context, imp nadra.Import, ss []nadra.Scenario) (nadra.ImportResult, error) {
	return s.ImportScenariosFn(ctx, imp, ss)
}
