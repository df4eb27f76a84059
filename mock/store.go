package mock

import (
	"context"

	"nadra"

	"golang.org/x/mod/sumdb/tlog"
)

// SupplyService is a mock nadra.SupplyService.
type SupplyService struct {
	FindSupplyDataFn   func(ctx context.Context) (*nadra.SupplyData, error)
	FindProductionFn   func(ctx context.Context, f nadra.ProductionFilter) ([]*nadra.Production, error)
	ImportProductionFn func(ctx context.Context, imp nadra.Import, rows []*nadra.Production) (nadra.ImportResult, error)
}

var _ nadra.SupplyService = (*SupplyService)(nil)

// FindSupplyData calls FindSupplyDataFn.
func (s *SupplyService) FindSupplyData(ctx context.Context) (*nadra.SupplyData, error) {
	return s.FindSupplyDataFn(ctx)
}

// FindProduction calls FindProductionFn.
func (s *SupplyService) FindProduction(ctx context.Context, f nadra.ProductionFilter) ([]*nadra.Production, error) {
	return s.FindProductionFn(ctx, f)
}

// ImportProduction calls ImportProductionFn.
func (s *SupplyService) ImportProduction(ctx context.Context, imp nadra.Import, rows []*nadra.Production) (nadra.ImportResult, error) {
	return s.ImportProductionFn(ctx, imp, rows)
}

// SeedService is a mock nadra.SeedService.
type SeedService struct {
	SeedVersionFn func(ctx context.Context) (string, error)
	ImportSeedFn  func(ctx context.Context, seed nadra.Seed) (*nadra.SeedResult, error)
	DiffSeedFn    func(ctx context.Context, seed nadra.Seed, all bool) ([]nadra.SeedRow, error)
	AcceptSeedFn  func(ctx context.Context, seed nadra.Seed, refs []string) (*nadra.SeedResult, error)
	KeepSeedFn    func(ctx context.Context, seed nadra.Seed, refs []string) (*nadra.SeedResult, error)
}

var _ nadra.SeedService = (*SeedService)(nil)

// SeedVersion calls SeedVersionFn.
func (s *SeedService) SeedVersion(ctx context.Context) (string, error) { return s.SeedVersionFn(ctx) }

// ImportSeed calls ImportSeedFn.
func (s *SeedService) ImportSeed(ctx context.Context, seed nadra.Seed) (*nadra.SeedResult, error) {
	return s.ImportSeedFn(ctx, seed)
}

// DiffSeed calls DiffSeedFn.
func (s *SeedService) DiffSeed(ctx context.Context, seed nadra.Seed, all bool) ([]nadra.SeedRow, error) {
	return s.DiffSeedFn(ctx, seed, all)
}

// AcceptSeed calls AcceptSeedFn.
func (s *SeedService) AcceptSeed(ctx context.Context, seed nadra.Seed, refs []string) (*nadra.SeedResult, error) {
	return s.AcceptSeedFn(ctx, seed, refs)
}

// KeepSeed calls KeepSeedFn.
func (s *SeedService) KeepSeed(ctx context.Context, seed nadra.Seed, refs []string) (*nadra.SeedResult, error) {
	return s.KeepSeedFn(ctx, seed, refs)
}

// ControlFileService is a mock nadra.ControlFileService.
type ControlFileService struct {
	ControlFileSeenFn   func(ctx context.Context, sha, source string) (bool, error)
	ImportControlFileFn func(ctx context.Context, imp nadra.Import, source string, sn *nadra.Snapshot, check nadra.SnapshotCheck) (nadra.ImportResult, error)
}

var _ nadra.ControlFileService = (*ControlFileService)(nil)

// ControlFileSeen calls ControlFileSeenFn.
func (s *ControlFileService) ControlFileSeen(ctx context.Context, sha, source string) (bool, error) {
	return s.ControlFileSeenFn(ctx, sha, source)
}

// ImportControlFile calls ImportControlFileFn.
func (s *ControlFileService) ImportControlFile(ctx context.Context, imp nadra.Import, source string, sn *nadra.Snapshot, check nadra.SnapshotCheck) (nadra.ImportResult, error) {
	return s.ImportControlFileFn(ctx, imp, source, sn, check)
}

// LedgerService is a mock nadra.LedgerStore.
type LedgerService struct {
	RegisterKeyFn      func(ctx context.Context, k nadra.LedgerKey) error
	KeysFn             func(ctx context.Context) ([]nadra.LedgerKey, error)
	AppendFn           func(ctx context.Context, notes [][]byte) ([]nadra.LedgerRecord, error)
	RecordsFn          func(ctx context.Context, from, to int64) ([]nadra.LedgerRecord, error)
	SizeFn             func(ctx context.Context) (int64, error)
	FindRecordsFn      func(ctx context.Context, f nadra.LedgerFilter) ([]nadra.LedgerRecord, int64, error)
	CorrectionsFn      func(ctx context.Context, from int64) (map[string]string, int64, error)
	IDIndexFn          func(ctx context.Context, id string) (int64, error)
	NotesFn            func(ctx context.Context, from, to int64, fn func(idx int64, note []byte) error) error
	CheckpointFn       func(ctx context.Context, origin string) (*nadra.LedgerCheckpoint, bool, error)
	CheckpointsFn      func(ctx context.Context) ([]*nadra.LedgerCheckpoint, error)
	FindCheckpointsFn  func(ctx context.Context, offset, limit int, newestFirst bool) ([]*nadra.LedgerCheckpoint, int64, error)
	AddCosignatureFn   func(ctx context.Context, msg []byte) (*nadra.LedgerCheckpoint, error)
	LastCosignedFn     func(ctx context.Context, name string) (*nadra.LedgerCheckpoint, error)
	ProveFn            func(ctx context.Context, n, t int64) (tlog.RecordProof, tlog.Hash, error)
	ProveConsistencyFn func(ctx context.Context, t, n int64) (tlog.TreeProof, tlog.Hash, tlog.Hash, error)
	HashReaderFn       func(ctx context.Context) (tlog.HashReader, func(), error)
}

var _ nadra.LedgerStore = (*LedgerService)(nil)

// RegisterKey calls RegisterKeyFn.
func (s *LedgerService) RegisterKey(ctx context.Context, k nadra.LedgerKey) error {
	return s.RegisterKeyFn(ctx, k)
}

// Keys calls KeysFn.
func (s *LedgerService) Keys(ctx context.Context) ([]nadra.LedgerKey, error) { return s.KeysFn(ctx) }

// Append calls AppendFn.
func (s *LedgerService) Append(ctx context.Context, notes [][]byte) ([]nadra.LedgerRecord, error) {
	return s.AppendFn(ctx, notes)
}

// Records calls RecordsFn.
func (s *LedgerService) Records(ctx context.Context, from, to int64) ([]nadra.LedgerRecord, error) {
	return s.RecordsFn(ctx, from, to)
}

// Size calls SizeFn.
func (s *LedgerService) Size(ctx context.Context) (int64, error) { return s.SizeFn(ctx) }

// FindRecords calls FindRecordsFn.
func (s *LedgerService) FindRecords(ctx context.Context, f nadra.LedgerFilter) ([]nadra.LedgerRecord, int64, error) {
	return s.FindRecordsFn(ctx, f)
}

// Corrections calls CorrectionsFn.
func (s *LedgerService) Corrections(ctx context.Context, from int64) (map[string]string, int64, error) {
	return s.CorrectionsFn(ctx, from)
}

// IDIndex calls IDIndexFn.
func (s *LedgerService) IDIndex(ctx context.Context, id string) (int64, error) {
	return s.IDIndexFn(ctx, id)
}

// Notes calls NotesFn.
func (s *LedgerService) Notes(ctx context.Context, from, to int64, fn func(idx int64, note []byte) error) error {
	return s.NotesFn(ctx, from, to, fn)
}

// Checkpoint calls CheckpointFn.
func (s *LedgerService) Checkpoint(ctx context.Context, origin string) (*nadra.LedgerCheckpoint, bool, error) {
	return s.CheckpointFn(ctx, origin)
}

// Checkpoints calls CheckpointsFn.
func (s *LedgerService) Checkpoints(ctx context.Context) ([]*nadra.LedgerCheckpoint, error) {
	return s.CheckpointsFn(ctx)
}

// FindCheckpoints calls FindCheckpointsFn.
func (s *LedgerService) FindCheckpoints(ctx context.Context, offset, limit int, newestFirst bool) ([]*nadra.LedgerCheckpoint, int64, error) {
	return s.FindCheckpointsFn(ctx, offset, limit, newestFirst)
}

// AddCosignature calls AddCosignatureFn.
func (s *LedgerService) AddCosignature(ctx context.Context, msg []byte) (*nadra.LedgerCheckpoint, error) {
	return s.AddCosignatureFn(ctx, msg)
}

// LastCosigned calls LastCosignedFn.
func (s *LedgerService) LastCosigned(ctx context.Context, name string) (*nadra.LedgerCheckpoint, error) {
	return s.LastCosignedFn(ctx, name)
}

// Prove calls ProveFn.
func (s *LedgerService) Prove(ctx context.Context, n, t int64) (tlog.RecordProof, tlog.Hash, error) {
	return s.ProveFn(ctx, n, t)
}

// ProveConsistency calls ProveConsistencyFn.
func (s *LedgerService) ProveConsistency(ctx context.Context, t, n int64) (tlog.TreeProof, tlog.Hash, tlog.Hash, error) {
	return s.ProveConsistencyFn(ctx, t, n)
}

// HashReader calls HashReaderFn.
func (s *LedgerService) HashReader(ctx context.Context) (tlog.HashReader, func(), error) {
	return s.HashReaderFn(ctx)
}
