package mock

import "nadra"

// The Wrap functions return mocks whose every function forwards to a real
// service: a test sets the one function it wants to change, and the rest
// behave as the store does. The conformance suite (storetest) runs on
// wrapped SQLite services, so that a mock that mixed up an argument or a
// result would fail it.

// WrapDeposits returns a mock that forwards to s.
func WrapDeposits(s nadra.DepositService) *DepositService {
	return &DepositService{FindDepositByIDFn: s.FindDepositByID, FindDepositsFn: s.FindDeposits, FindEstimatesFn: s.FindEstimates,
		ImportDepositsFn: s.ImportDeposits, ImportEstimatesFn: s.ImportEstimates}
}

// WrapSnapshots returns a mock that forwards to s.
func WrapSnapshots(s nadra.SnapshotService) *SnapshotService {
	return &SnapshotService{FindSnapshotsFn: s.FindSnapshots, FindSnapshotAtFn: s.FindSnapshotAt, FindSnapshotsInFn: s.FindSnapshotsIn,
		ImportSnapshotsFn: s.ImportSnapshots}
}

// WrapCommodities returns a mock that forwards to s.
func WrapCommodities(s nadra.CommodityService) *CommodityService {
	return &CommodityService{FindCommoditiesFn: s.FindCommodities}
}

// WrapLicences returns a mock that forwards to s.
func WrapLicences(s nadra.LicenceService) *LicenceService {
	return &LicenceService{FindLicenceByIDFn: s.FindLicenceByID, FindLicencesFn: s.FindLicences, ImportLicencesFn: s.ImportLicences}
}

// WrapSupply returns a mock that forwards to s.
func WrapSupply(s nadra.SupplyService) *SupplyService {
	return &SupplyService{FindSupplyDataFn: s.FindSupplyData, FindProductionFn: s.FindProduction, ImportProductionFn: s.ImportProduction}
}

// WrapSeed returns a mock that forwards to s.
func WrapSeed(s nadra.SeedService) *SeedService {
	return &SeedService{SeedVersionFn: s.SeedVersion, ImportSeedFn: s.ImportSeed, DiffSeedFn: s.DiffSeed, AcceptSeedFn: s.AcceptSeed, KeepSeedFn: s.KeepSeed}
}

// WrapControlFiles returns a mock that forwards to s.
func WrapControlFiles(s nadra.ControlFileService) *ControlFileService {
	return &ControlFileService{ControlFileSeenFn: s.ControlFileSeen, ImportControlFileFn: s.ImportControlFile}
}

// WrapWatches returns a mock that forwards to s.
func WrapWatches(s nadra.WatchService) *WatchService {
	return &WatchService{CreateWatchFn: s.CreateWatch, FindWatchesFn: s.FindWatches, DeleteWatchFn: s.DeleteWatch, AddEventsFn: s.AddEvents,
		FindEventsFn: s.FindEvents, DueDeliveriesFn: s.DueDeliveries, RecordAttemptFn: s.RecordAttempt, FindAttemptsFn: s.FindAttempts,
		FeedKeyFn: s.FeedKey}
}

// WrapFetches returns a mock that forwards to s.
func WrapFetches(s nadra.FetchService) *FetchService {
	return &FetchService{RecordFetchFn: s.RecordFetch, LastFetchesFn: s.LastFetches}
}

// WrapCatalog returns a mock that forwards to s.
func WrapCatalog(s nadra.CatalogService) *CatalogService {
	return &CatalogService{FindDealsFn: s.FindDeals, FindScenariosFn: s.FindScenarios, ImportDealsFn: s.ImportDeals, ImportScenariosFn: s.ImportScenarios}
}

// WrapLedger returns a mock that forwards to s.
func WrapLedger(s nadra.LedgerStore) *LedgerService {
	return &LedgerService{RegisterKeyFn: s.RegisterKey, KeysFn: s.Keys, AppendFn: s.Append, RecordsFn: s.Records, SizeFn: s.Size,
		FindRecordsFn: s.FindRecords, CorrectionsFn: s.Corrections, IDIndexFn: s.IDIndex, NotesFn: s.Notes,
		CheckpointFn: s.Checkpoint, CheckpointsFn: s.Checkpoints, FindCheckpointsFn: s.FindCheckpoints,
		AddCosignatureFn: s.AddCosignature, LastCosignedFn: s.LastCosigned, ProveFn: s.Prove,
		ProveConsistencyFn: s.ProveConsistency, HashReaderFn: s.HashReader}
}
