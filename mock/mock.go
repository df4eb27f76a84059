// Package mock has function-field mocks of nadra's services for tests: set
// the fields a test needs; calling one left nil panics with its name.
package mock

import (
	"context"

	"nadra"
)

// DepositService is a mock nadra.DepositService.
type DepositService struct {
	FindDepositByIDFn func(ctx context.Context, id string) (*nadra.Deposit, error)
	FindDepositsFn    func(ctx context.Context, f nadra.DepositFilter) ([]*nadra.Deposit, int, error)
	FindEstimatesFn   func(ctx context.Context, depositID string) ([]*nadra.Estimate, error)
	ImportDepositsFn  func(ctx context.Context, imp nadra.Import, deposits []*nadra.Deposit) (nadra.ImportResult, error)
	ImportEstimatesFn func(ctx context.Context, imp nadra.Import, estimates []*nadra.Estimate) (nadra.ImportResult, error)
}

var _ nadra.DepositService = (*DepositService)(nil)

// FindDepositByID calls FindDepositByIDFn.
func (s *DepositService) FindDepositByID(ctx context.Context, id string) (*nadra.Deposit, error) {
	return s.FindDepositByIDFn(ctx, id)
}

// FindDeposits calls FindDepositsFn.
func (s *DepositService) FindDeposits(ctx context.Context, f nadra.DepositFilter) ([]*nadra.Deposit, int, error) {
	return s.FindDepositsFn(ctx, f)
}

// FindEstimates calls FindEstimatesFn.
func (s *DepositService) FindEstimates(ctx context.Context, depositID string) ([]*nadra.Estimate, error) {
	return s.FindEstimatesFn(ctx, depositID)
}

// ImportDeposits calls ImportDepositsFn.
func (s *DepositService) ImportDeposits(ctx context.Context, imp nadra.Import, deposits []*nadra.Deposit) (nadra.ImportResult, error) {
	return s.ImportDepositsFn(ctx, imp, deposits)
}

// ImportEstimates calls ImportEstimatesFn.
func (s *DepositService) ImportEstimates(ctx context.Context, imp nadra.Import, estimates []*nadra.Estimate) (nadra.ImportResult, error) {
	return s.ImportEstimatesFn(ctx, imp, estimates)
}

// SnapshotService is a mock nadra.SnapshotService.
type SnapshotService struct {
	FindSnapshotsFn   func(ctx context.Context) ([]nadra.SnapshotInfo, error)
	FindSnapshotAtFn  func(ctx context.Context, date string) (*nadra.Snapshot, error)
	FindSnapshotsInFn func(ctx context.Context, from, to string) ([]*nadra.Snapshot, error)
	ImportSnapshotsFn func(ctx context.Context, imp nadra.Import, snaps []*nadra.Snapshot) (nadra.ImportResult, error)
}

var _ nadra.SnapshotService = (*SnapshotService)(nil)

// FindSnapshotsIn calls FindSnapshotsInFn.
func (s *SnapshotService) FindSnapshotsIn(ctx context.Context, from, to string) ([]*nadra.Snapshot, error) {
	return s.FindSnapshotsInFn(ctx, from, to)
}

// FindSnapshots calls FindSnapshotsFn.
func (s *SnapshotService) FindSnapshots(ctx context.Context) ([]nadra.SnapshotInfo, error) {
	return s.FindSnapshotsFn(ctx)
}

// FindSnapshotAt calls FindSnapshotAtFn.
func (s *SnapshotService) FindSnapshotAt(ctx context.Context, date string) (*nadra.Snapshot, error) {
	return s.FindSnapshotAtFn(ctx, date)
}

// ImportSnapshots calls ImportSnapshotsFn.
func (s *SnapshotService) ImportSnapshots(ctx context.Context, imp nadra.Import, snaps []*nadra.Snapshot) (nadra.ImportResult, error) {
	return s.ImportSnapshotsFn(ctx, imp, snaps)
}

// CommodityService is a mock nadra.CommodityService.
type CommodityService struct {
	FindCommoditiesFn func(ctx context.Context) ([]*nadra.Commodity, error)
}

var _ nadra.CommodityService = (*CommodityService)(nil)

// FindCommodities calls FindCommoditiesFn.
func (s *CommodityService) FindCommodities(ctx context.Context) ([]*nadra.Commodity, error) {
	return s.FindCommoditiesFn(ctx)
}

// LicenceService is a mock nadra.LicenceService.
type LicenceService struct {
	FindLicenceByIDFn func(ctx context.Context, id string) (*nadra.Licence, error)
	FindLicencesFn    func(ctx context.Context, f nadra.LicenceFilter) ([]*nadra.Licence, error)
	ImportLicencesFn  func(ctx context.Context, imp nadra.Import, licences []*nadra.Licence) (nadra.ImportResult, error)
}

var _ nadra.LicenceService = (*LicenceService)(nil)

// FindLicenceByID calls FindLicenceByIDFn.
func (s *LicenceService) FindLicenceByID(ctx context.Context, id string) (*nadra.Licence, error) {
	return s.FindLicenceByIDFn(ctx, id)
}

// FindLicences calls FindLicencesFn.
func (s *LicenceService) FindLicences(ctx context.Context, f nadra.LicenceFilter) ([]*nadra.Licence, error) {
	return s.FindLicencesFn(ctx, f)
}

// ImportLicences calls ImportLicencesFn.
func (s *LicenceService) ImportLicences(ctx context.Context, imp nadra.Import, licences []*nadra.Licence) (nadra.ImportResult, error) {
	return s.ImportLicencesFn(ctx, imp, licences)
}
