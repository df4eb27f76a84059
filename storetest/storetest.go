// Package storetest is the conformance suite of nadra's stores: one set of
// tests, the behaviour contract, that every implementation of the root
// package's services runs (upspin's test/ does the same for its servers).
// A store's own tests call Run with an Opener that makes an empty,
// migrated store:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, now func() time.Time) *storetest.Store { … })
//	}
//
// The suite covers what callers rely on: imports are one transaction, all
// or nothing, and importing the same thing twice changes nothing; reads
// come back in a stated order (byte order of keys, whatever the database's
// locale); errors carry the stated codes; the ledger is append-only, down
// to a SQL client's UPDATE or DELETE; and the embedded dataset merges
// without overwriting user data. sqlite runs it always; postgres when
// NADRA_TEST_POSTGRES names a server.
package storetest

import (
	"context"
	"testing"
	"time"

	"nadra"
)

// Store is one database with every service on it.
type Store struct {
	Deposits    nadra.DepositService
	Snapshots   nadra.SnapshotService
	Commodities nadra.CommodityService
	Supply      nadra.SupplyService
	Licences    nadra.LicenceService
	Ledger      nadra.LedgerStore
	Seed        nadra.SeedService
	Control     nadra.ControlFileService
	// Tokens keeps API tokens; the token tests skip when it is nil.
	Tokens  nadra.TokenService
	Watches nadra.WatchService
	Catalog nadra.CatalogService
	Fetches nadra.FetchService
	// Exec runs one SQL statement on the database directly, as anyone
	// with a SQL client could. The tests that need it (the ledger's
	// append-only rules, a database from before the merge base) skip
	// when it is nil.
	Exec func(ctx context.Context, sql string) error
}

// Opener returns a new, empty, migrated store whose clock reads now. It
// closes the store when the test ends.
type Opener func(t *testing.T, now func() time.Time) *Store

// Now is the clock of the suite's stores.
var Now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func mustOpen(t *testing.T, open Opener) *Store {
	t.Helper()
	return open(t, func() time.Time { return Now })
}

// Run runs the whole suite against the stores open makes.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"DepositService_ImportDeposits", testDepositService_ImportDeposits},
		{"DepositService_ImportEstimates", testDepositService_ImportEstimates},
		{"DepositService_Order", testDepositService_Order},
		{"DepositService_AllOrNothing", testDepositService_AllOrNothing},
		{"CommodityService", testCommodityService},
		{"SnapshotService", testSnapshotService},
		{"SnapshotService_Geometry", testSnapshotService_Geometry},
		{"ImportControlFile_Check", testDB_ImportControlFile_Check},
		{"ControlFileSeen", testControlFileSeen},
		{"LicenceService_ImportLicences", testLicenceService_ImportLicences},
		{"SupplyService_ImportProduction", testSupplyService_ImportProduction},
		{"SupplyService_FindSupplyData", testSupplyService_FindSupplyData},
		{"Seed_Upgrade", testDB_ImportSeed_Upgrade},
		{"Seed_NoBase", testDB_ImportSeed_NoBase},
		{"Seed_UpgradeLicences", testDB_ImportSeed_UpgradeLicences},
		{"Seed_Embedded", testSeed_Embedded},
		{"CatalogService_Import", testCatalogService_Import},
		{"CatalogService_Seed", testCatalogService_Seed},
		{"WatchService_CreateWatch", testWatchService_CreateWatch},
		{"WatchService_Events", testWatchService_Events},
		{"FetchService", testFetchService},
		{"LedgerService_Append", testLedgerService_Append},
		{"LedgerService_AppendOnly", testLedgerService_AppendOnly},
		{"LedgerService_TreeAndCheckpoints", testLedgerService_TreeAndCheckpoints},
		{"LedgerService_FindRecords", testLedgerService_FindRecords},
		{"LedgerService_Corrections", testLedgerService_Corrections},
		{"LedgerService_FindCheckpoints", testLedgerService_FindCheckpoints},
		{"LedgerService_Keys", testLedgerService_Keys},
		{"Concurrent_Appends", testConcurrentAppends},
		{"Concurrent_Imports", testConcurrentImports},
		{"TokenService", testTokenService},
		{"Audit", testAudit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open) })
	}
}
