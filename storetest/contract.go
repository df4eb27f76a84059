package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"nadra"
	"nadra/dataset"
	"nadra/ledger"

	"github.com/paulmach/orb"
)

// twoCommodities seeds lithium and titanium and nothing else.
func twoCommodities(t *testing.T, db *Store) {
	t.Helper()
	_, err := db.Seed.ImportSeed(context.Background(), nadra.Seed{Version: "c",
		Commodities: []*nadra.Commodity{{Code: "lithium", Name: "Lithium", Basis: "LCE", ListsSource: "x (2025)", Class: nadra.ClassMetallic},
			{Code: "titanium", Name: "Titanium", Basis: "TiO2", ListsSource: "x (2025)", Class: nadra.ClassMetallic}}})
	if err != nil {
		t.Fatal(err)
	}
}

func ids(ds []*nadra.Deposit) string {
	var s []string
	for _, d := range ds {
		s = append(s, d.ID)
	}
	return strings.Join(s, " ")
}

// testDepositService_Order: deposits come back in byte order of their ids
// (a hyphen, 0x2d, before a digit, 0x31, before a letter), whatever the
// database's locale would say; estimates by deposit, then in the order
// they were first imported.
func testDepositService_Order(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	twoCommodities(t, db)
	dep := func(id, name string) *nadra.Deposit {
		return &nadra.Deposit{ID: id, Name: name, Oblast: "UA-14", Commodities: []string{"lithium"}, Sources: []string{"s (2025)"}}
	}
	_, err := db.Deposits.ImportDeposits(ctx, nadra.Import{Kind: "deposits", File: "d.csv"},
		[]*nadra.Deposit{dep("b", "Bravo"), dep("ab", "Alpha Bravo"), dep("a1", "Alpha One"), dep("a-c", "Alpha Charlie"), dep("a-b", "ALPHA bravo")})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		f     nadra.DepositFilter
		want  string
		total int
	}{
		{"All", nadra.DepositFilter{}, "a-b a-c a1 ab b", 5},
		{"Page", nadra.DepositFilter{Offset: 1, Limit: 2}, "a-c a1", 5},
		{"LastPage", nadra.DepositFilter{Offset: 4, Limit: 2}, "b", 5},
		{"PastTheEnd", nadra.DepositFilter{Offset: 9, Limit: 2}, "", 5},
		// "bravo" in any ASCII case, in a name or an id.
		{"Query", nadra.DepositFilter{Query: "BRAVO"}, "a-b ab b", 3},
		{"QueryID", nadra.DepositFilter{Query: "A-C"}, "a-c", 1},
		{"QueryPage", nadra.DepositFilter{Query: "bravo", Offset: 1, Limit: 1}, "ab", 3},
		{"Oblast", nadra.DepositFilter{Oblast: "UA-35"}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, n, err := db.Deposits.FindDeposits(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(ds); got != tt.want || n != tt.total {
				t.Fatalf("got %q (total %d), want %q (total %d)", got, n, tt.want, tt.total)
			}
		})
	}
	t.Run("Estimates", func(t *testing.T) {
		est := func(dep string, mt float64, source string) *nadra.Estimate {
			return &nadra.Estimate{DepositID: dep, Commodity: "lithium", OreMt: fp(mt), Basis: "Li2O", Category: "C1", Source: []string{source}}
		}
		// ab's two figures, then a-b's: stored by deposit, ab's in the
		// order given (z before y). Re-importing z with a new tonnage
		// keeps its place.
		if _, err := db.Deposits.ImportEstimates(ctx, nadra.Import{Kind: "estimates", File: "e.csv"},
			[]*nadra.Estimate{est("ab", 1, "z (2020)"), est("ab", 2, "y (2020)"), est("a-b", 3, "x (2020)")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Deposits.ImportEstimates(ctx, nadra.Import{Kind: "estimates", File: "e2.csv"},
			[]*nadra.Estimate{est("ab", 1.5, "z (2020)")}); err != nil {
			t.Fatal(err)
		}
		es, err := db.Deposits.FindEstimates(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range es {
			got = append(got, fmt.Sprintf("%s:%g", e.DepositID, *e.OreMt))
		}
		if want := "a-b:3 ab:1.5 ab:2"; strings.Join(got, " ") != want {
			t.Fatalf("estimates %v, want %s", got, want)
		}
	})
}

// testDepositService_AllOrNothing: an import that fails part-way, after
// some of its rows were written in its transaction, leaves nothing.
func testDepositService_AllOrNothing(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	seed(t, db)
	before, err := db.Deposits.FindEstimates(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("Estimates", func(t *testing.T) {
		// The first figure is new and is written before the second is
		// found to name no deposit.
		good := &nadra.Estimate{DepositID: "dobra", Commodity: "lithium", ContainedT: fp(9), Basis: "LCE", Category: "C2", Source: []string{"n (2026)"}}
		bad := &nadra.Estimate{DepositID: "atlantis", Commodity: "lithium", ContainedT: fp(9), Basis: "LCE", Category: "C2", Source: []string{"n (2026)"}}
		_, err := db.Deposits.ImportEstimates(ctx, nadra.Import{Kind: "estimates", File: "e.csv"}, []*nadra.Estimate{good, bad})
		if nadra.ErrorCode(err) != nadra.EINVALID || !strings.Contains(nadra.ErrorMessage(err), `estimate 2: deposit_id: "atlantis"`) {
			t.Fatalf("got %v, want invalid naming estimate 2", err)
		}
		after, _ := db.Deposits.FindEstimates(ctx, "")
		if !reflect.DeepEqual(before, after) {
			t.Fatalf("a refused import changed the estimates: %d before, %d after", len(before), len(after))
		}
	})
	t.Run("Snapshots", func(t *testing.T) {
		good := &nadra.Snapshot{Date: "2025-03-01", Source: "s", Occupied: square(37, 47)}
		bad := &nadra.Snapshot{Date: "2025-02-30", Source: "s", Occupied: square(37, 47)}
		if _, err := db.Snapshots.ImportSnapshots(ctx, nadra.Import{Kind: "control", File: "c"}, []*nadra.Snapshot{good, bad}); nadra.ErrorCode(err) != nadra.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
		infos, _ := db.Snapshots.FindSnapshots(ctx)
		if len(infos) != 2 {
			t.Fatalf("%d snapshots after a refused import, want the 2 seeded", len(infos))
		}
	})
	t.Run("CancelledContext", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		d := &nadra.Deposit{ID: "late", Name: "Late", Oblast: "UA-14", Commodities: []string{"lithium"}, Sources: []string{"s (2025)"}}
		if _, err := db.Deposits.ImportDeposits(cctx, nadra.Import{Kind: "deposits", File: "d.csv"}, []*nadra.Deposit{d}); err == nil {
			t.Fatalf("an import under a cancelled context succeeded")
		}
		if _, err := db.Deposits.FindDepositByID(ctx, "late"); nadra.ErrorCode(err) != nadra.ENOTFOUND {
			t.Fatalf("after a cancelled import: %v, want not found", err)
		}
	})
}

// testCommodityService: commodities by code in byte order, unknown prices
// as nil, never 0.
func testCommodityService(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	y := 2024
	in := []*nadra.Commodity{
		{Code: "rare_earths", Name: "Rare earths", Basis: "TREO", ListsSource: "x (2025)", Class: nadra.ClassMetallic, USCritical2025: true},
		{Code: "rare", Name: "Rare", Basis: "ore", ListsSource: "x (2025)", Class: nadra.ClassIndustrial},
		{Code: "lithium", Name: "Lithium", Basis: "LCE", PriceUSDPerT: fp(10250.5), PriceYear: &y, PriceSource: "p (2024)", ListsSource: "x (2025)", Class: nadra.ClassMetallic, EUCritical2023: true},
	}
	if _, err := db.Seed.ImportSeed(ctx, nadra.Seed{Version: "c", Commodities: in}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Commodities.FindCommodities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []*nadra.Commodity{in[2], in[1], in[0]}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v,\nwant %+v", got, want)
	}
}

// testSnapshotService_Geometry: a snapshot's layers come back exactly as
// imported (holes, several polygons, coordinates to the last bit), empty
// layers come back empty, and dates select inclusively.
func testSnapshotService_Geometry(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	holed := orb.Polygon{
		{{36.123456789012345, 47}, {38.000000000000007, 47}, {38, 48.987654321098765}, {36.123456789012345, 48.987654321098765}, {36.123456789012345, 47}},
		{{37, 47.5}, {37, 48}, {37.5, 48}, {37.5, 47.5}, {37, 47.5}},
	}
	sn := &nadra.Snapshot{Date: "2025-05-01", Source: "test", GreyKnown: true,
		Occupied: orb.MultiPolygon{holed, {{{39, 47}, {40, 47}, {40, 48}, {39, 47}}}},
		Pre2022:  orb.MultiPolygon{{{{33, 44.5}, {34, 44.5}, {34, 45.5}, {33, 44.5}}}},
	}
	other := &nadra.Snapshot{Date: "2025-06-01", Source: "test", Occupied: square(37, 47)}
	res, err := db.Snapshots.ImportSnapshots(ctx, nadra.Import{Kind: "control", File: "c"}, []*nadra.Snapshot{sn, other})
	if err != nil || res.Inserted != 2 {
		t.Fatalf("import: %+v %v", res, err)
	}
	got, err := db.Snapshots.FindSnapshotAt(ctx, "2025-05-31")
	if err != nil {
		t.Fatal(err)
	}
	if got.Date != sn.Date || got.Source != sn.Source || !got.GreyKnown {
		t.Fatalf("got %s %s %v", got.Date, got.Source, got.GreyKnown)
	}
	if !reflect.DeepEqual(got.Occupied, sn.Occupied) || !reflect.DeepEqual(got.Pre2022, sn.Pre2022) || len(got.Grey) != 0 {
		t.Fatalf("geometry changed on the way through the store:\n got %v\nwant %v", got.Occupied, sn.Occupied)
	}
	// Re-importing what was read changes nothing: the hash is of the
	// geometry as stored.
	if res, err := db.Snapshots.ImportSnapshots(ctx, nadra.Import{Kind: "control", File: "c2"}, []*nadra.Snapshot{got}); err != nil || res.Unchanged != 1 {
		t.Fatalf("re-import of what was read: %+v %v", res, err)
	}
	infos, err := db.Snapshots.FindSnapshots(ctx)
	if err != nil || len(infos) != 2 {
		t.Fatalf("infos %v %v", infos, err)
	}
	if infos[0].GreyKm == nil || *infos[0].GreyKm != 0 || infos[1].GreyKm != nil || !(infos[0].OccupiedKm > infos[1].OccupiedKm) {
		t.Fatalf("areas: %+v", infos)
	}
	for _, tt := range []struct{ from, to, want string }{
		{"", "", "2025-05-01 2025-06-01"},
		{"2025-05-01", "2025-05-01", "2025-05-01"},
		{"2025-05-02", "", "2025-06-01"},
		{"", "2025-05-31", "2025-05-01"},
		{"2025-07-01", "", ""},
	} {
		snaps, err := db.Snapshots.FindSnapshotsIn(ctx, tt.from, tt.to)
		if err != nil {
			t.Fatal(err)
		}
		var dates []string
		for _, s := range snaps {
			dates = append(dates, s.Date)
		}
		if strings.Join(dates, " ") != tt.want {
			t.Errorf("FindSnapshotsIn(%q, %q) = %v, want %s", tt.from, tt.to, dates, tt.want)
		}
	}
	if _, err := db.Snapshots.FindSnapshotsIn(ctx, "2025-13-01", ""); nadra.ErrorCode(err) != nadra.EINVALID {
		t.Errorf("a bad date: %v, want invalid", err)
	}
	if _, err := db.Snapshots.FindSnapshotAt(ctx, "yesterday"); nadra.ErrorCode(err) != nadra.EINVALID {
		t.Errorf("a bad date: %v, want invalid", err)
	}
}

// testControlFileSeen: a file is known by its hash, and a fetched file by
// its URL too, once imported, even when it changed nothing.
func testControlFileSeen(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	sn := &nadra.Snapshot{Date: "2025-01-01", Source: "s", Occupied: square(37, 47)}
	url := "https://example.org/history/1735689600"
	if _, err := db.Control.ImportControlFile(ctx, nadra.Import{Kind: "control", File: "a.geojson", SHA256: "aaa"}, url, sn, nil); err != nil {
		t.Fatal(err)
	}
	// The same snapshot in another file: unchanged, but the file is seen.
	res, err := db.Control.ImportControlFile(ctx, nadra.Import{Kind: "control", File: "b.geojson", SHA256: "bbb"}, "", sn, nil)
	if err != nil || res.Unchanged != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	for _, tt := range []struct {
		sha, source string
		want        bool
	}{{"aaa", "", true}, {"bbb", "", true}, {"ccc", "", false}, {"ccc", url, true}, {"ccc", "https://example.org/other", false}} {
		got, err := db.Control.ControlFileSeen(ctx, tt.sha, tt.source)
		if err != nil || got != tt.want {
			t.Errorf("ControlFileSeen(%q, %q) = %v, %v; want %v", tt.sha, tt.source, got, err, tt.want)
		}
	}
}

// embeddedSeed is the embedded dataset as a seed (dataset.Seed), under
// the version "embedded".
func embeddedSeed(t *testing.T) nadra.Seed {
	t.Helper()
	sd, err := dataset.Seed()
	if err != nil {
		t.Fatal(err)
	}
	sd.Version = "embedded"
	return sd
}

// testSeed_Embedded seeds the whole embedded dataset and reads it back:
// every deposit, figure, licence, snapshot (geometry included) and supply
// table as shipped; a second seed changes nothing and leaves no diff.
func testSeed_Embedded(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	sd := embeddedSeed(t)
	res, err := db.Seed.ImportSeed(ctx, sd)
	if err != nil {
		t.Fatal(err)
	}
	nSup := len(sd.Supply.Production)
	if want := len(sd.Deposits) + len(sd.Estimates) + len(sd.Licences) + len(sd.Snapshots) + nSup + len(sd.Deals) + len(sd.Scenarios); res.Inserted != want || len(res.Kept) != 0 {
		t.Fatalf("first seed: %d inserted, %d kept; want %d inserted", res.Inserted, len(res.Kept), want)
	}
	t.Run("Deposits", func(t *testing.T) {
		got, n, err := db.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
		if err != nil || n != len(sd.Deposits) {
			t.Fatalf("%d deposits, %v; want %d", n, err, len(sd.Deposits))
		}
		want := append([]*nadra.Deposit(nil), sd.Deposits...)
		sort.Slice(want, func(i, j int) bool { return want[i].ID < want[j].ID })
		for i, d := range got {
			x := *d
			if x.Origin != "dataset" || !x.UpdatedAt.Equal(Now) {
				t.Errorf("%s: origin %q, updated %v", x.ID, x.Origin, x.UpdatedAt)
			}
			x.Origin, x.UpdatedAt = "", time.Time{}
			if !reflect.DeepEqual(&x, want[i]) {
				t.Errorf("deposit %d: got %+v,\nwant %+v", i, x, *want[i])
			}
		}
	})
	t.Run("Estimates", func(t *testing.T) {
		got, err := db.Deposits.FindEstimates(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		// By deposit, then in the dataset's order.
		want := append([]*nadra.Estimate(nil), sd.Estimates...)
		sort.SliceStable(want, func(i, j int) bool { return want[i].DepositID < want[j].DepositID })
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("estimates differ: %d stored, %d shipped", len(got), len(want))
		}
	})
	t.Run("Licences", func(t *testing.T) {
		got, err := db.Licences.FindLicences(ctx, nadra.LicenceFilter{})
		if err != nil || len(got) != len(sd.Licences) {
			t.Fatalf("%d licences, %v", len(got), err)
		}
		want := append([]*nadra.Licence(nil), sd.Licences...)
		sort.Slice(want, func(i, j int) bool { return want[i].ID < want[j].ID })
		for i, l := range got {
			x := *l
			x.Origin, x.UpdatedAt = "", time.Time{}
			if !reflect.DeepEqual(&x, want[i]) {
				t.Errorf("licence %d: got %+v,\nwant %+v", i, x, *want[i])
			}
		}
	})
	t.Run("Snapshots", func(t *testing.T) {
		got, err := db.Snapshots.FindSnapshotsIn(ctx, "", "")
		if err != nil || len(got) != len(sd.Snapshots) {
			t.Fatalf("%d snapshots, %v", len(got), err)
		}
		byDate := map[string]*nadra.Snapshot{}
		for _, s := range sd.Snapshots {
			byDate[s.Date] = s
		}
		for _, g := range got {
			w := byDate[g.Date]
			for _, l := range []struct {
				name      string
				got, want orb.MultiPolygon
			}{{"occupied", g.Occupied, w.Occupied}, {"pre2022", g.Pre2022, w.Pre2022}, {"grey", g.Grey, w.Grey}} {
				if len(l.want) == 0 && len(l.got) == 0 {
					continue
				}
				if !reflect.DeepEqual(l.got, l.want) {
					t.Errorf("%s %s: the geometry changed on the way through the store", g.Date, l.name)
				}
			}
			if g.Source != w.Source || g.GreyKnown != w.GreyKnown {
				t.Errorf("%s: %s %v, want %s %v", g.Date, g.Source, g.GreyKnown, w.Source, w.GreyKnown)
			}
		}
	})
	t.Run("Supply", func(t *testing.T) {
		got, err := db.Supply.FindSupplyData(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Production) != nSup || len(got.Series) != len(sd.Supply.Series) || len(got.Reserves) != len(sd.Supply.Reserves) ||
			len(got.Reliance) != len(sd.Supply.Reliance) || len(got.Governance) != len(sd.Supply.Governance) ||
			len(got.EU) != len(sd.Supply.EU) || len(got.Countries) != len(sd.Supply.Countries) || len(got.National) != len(sd.Supply.National) {
			t.Fatalf("supply tables differ in size")
		}
		// Reserves and national figures keep the dataset's order.
		if !reflect.DeepEqual(got.Reserves, sd.Supply.Reserves) || !reflect.DeepEqual(got.National, sd.Supply.National) {
			t.Errorf("reserves or national figures differ")
		}
	})
	t.Run("Catalog", func(t *testing.T) {
		// Deal terms by id (the shipped files are named by id), every
		// term's value of the Go type the parser gave it.
		deals, err := db.Catalog.FindDeals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(deals, sd.Deals) {
			t.Errorf("deal terms differ on the way through the store: got %d, want %d", len(deals), len(sd.Deals))
		}
		scs, err := db.Catalog.FindScenarios(ctx)
		if err != nil || !reflect.DeepEqual(scs, sd.Scenarios) {
			t.Errorf("scenarios differ on the way through the store (%v): got %d, want %d in file order", err, len(scs), len(sd.Scenarios))
		}
	})
	t.Run("AgainChangesNothing", func(t *testing.T) {
		again, err := db.Seed.ImportSeed(ctx, sd)
		if err != nil {
			t.Fatal(err)
		}
		if again.Inserted+again.Updated+again.Removed != 0 || len(again.Kept) != 0 {
			t.Fatalf("second seed: %+v", again)
		}
		diff, err := db.Seed.DiffSeed(ctx, sd, true)
		if err != nil || len(diff) != 0 {
			t.Fatalf("diff after seeding: %v %v", diff, err)
		}
		if v, err := db.Seed.SeedVersion(ctx); err != nil || v != "embedded" {
			t.Fatalf("version %q %v", v, err)
		}
	})
}

// testLedgerService_AppendOnly: whoever reaches the database with SQL
// cannot change or delete what the ledger holds.
func testLedgerService_AppendOnly(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newLedger(t, open)
	if f.db.Exec == nil {
		t.Skip("the store has no SQL")
	}
	if _, err := f.s.Append(ctx, [][]byte{f.sign(t, cashEntry("US", "us-1", 100)), f.sign(t, cashEntry("UA", "ua-1", 50))}); err != nil {
		t.Fatal(err)
	}
	cp, _, err := f.s.Checkpoint(ctx, "nadra.test/log")
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := f.s.Keys(ctx)
	ring, err := ledger.NewKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := ring.Cosign(cp.Note, f.us)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddCosignature(ctx, msg); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE ledger_entries SET party = 'UA'`, `DELETE FROM ledger_entries`, `DELETE FROM ledger_entries WHERE idx = 1`,
		`UPDATE ledger_hashes SET hash = hash`, `DELETE FROM ledger_hashes`,
		`UPDATE ledger_keys SET key = 'x'`, `DELETE FROM ledger_keys WHERE role = 'party'`,
		`UPDATE ledger_log_key SET private_key = 'x'`, `DELETE FROM ledger_log_key`,
		`UPDATE ledger_checkpoints SET size = 1`, `DELETE FROM ledger_checkpoints`,
		`UPDATE ledger_cosignatures SET line = 'x'`, `DELETE FROM ledger_cosignatures`,
	} {
		err := f.db.Exec(ctx, q)
		if err == nil || !strings.Contains(err.Error(), "never") && !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused", q, err)
		}
	}
	recs, err := f.s.Records(ctx, 0, 10)
	if err != nil || len(recs) != 2 || recs[1].Entry.Party != "UA" {
		t.Fatalf("after the refused statements: %v %v", recs, err)
	}
	cps, err := f.s.Checkpoints(ctx)
	if err != nil || len(cps) != 1 || strings.Join(cps[0].SignedBy, ",") != "nadra.test/log,US" {
		t.Fatalf("checkpoints after the refused statements: %v %v", cps, err)
	}
}

// testLedgerService_Keys: a name holds one key for good; the log has one
// key; keys list the log's first, then by role and name.
func testLedgerService_Keys(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newLedger(t, open)
	_, usPub := testKey(t, 2, "US")
	_, otherUS := testKey(t, 7, "US")
	_, audPub := testKey(t, 5, "audit.example")
	_, logPub := testKey(t, 6, "nadra.test/other")
	for _, tt := range []struct {
		name string
		k    nadra.LedgerKey
		code string
	}{
		{"SameAgain", nadra.LedgerKey{Name: "US", Role: nadra.RoleParty, Key: usPub}, ""},
		{"OtherKeySameName", nadra.LedgerKey{Name: "US", Role: nadra.RoleParty, Key: otherUS}, nadra.ECONFLICT},
		{"Auditor", nadra.LedgerKey{Name: "audit.example", Role: nadra.RoleAuditor, Key: audPub}, ""},
		{"NotAKey", nadra.LedgerKey{Name: "EU", Role: nadra.RoleParty, Key: "hello"}, nadra.EINVALID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := f.s.RegisterKey(ctx, tt.k); nadra.ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want %q", err, tt.code)
			}
		})
	}
	if _, err := f.s.Append(ctx, [][]byte{f.sign(t, cashEntry("US", "us-1", 1))}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.Checkpoint(ctx, "nadra.test/log"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RegisterKey(ctx, nadra.LedgerKey{Name: "nadra.test/other", Role: nadra.RoleLog, Key: logPub}); nadra.ErrorCode(err) != nadra.ECONFLICT {
		t.Fatalf("a second log key: %v, want conflict", err)
	}
	keys, err := f.s.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range keys {
		got = append(got, k.Role+":"+k.Name)
	}
	if want := "log:nadra.test/log auditor:audit.example party:UA party:US"; strings.Join(got, " ") != want {
		t.Fatalf("keys %v, want %s", got, want)
	}
}

// testConcurrentAppends: appends from several goroutines (connections, in
// a server) run one at a time: every entry lands once, indexes run without
// a gap, and the stored tree is the tree of the entries in index order.
func testConcurrentAppends(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newLedger(t, open)
	const writers, batches, per = 4, 5, 6
	notes := make([][][][]byte, writers)
	for w := range writers {
		for b := range batches {
			var batch [][]byte
			for i := range per {
				party := []string{"US", "UA"}[(w+i)%2]
				batch = append(batch, f.sign(t, cashEntry(party, fmt.Sprintf("w%d-b%d-%d", w, b, i), nadra.Money(1+w*100+b*10+i))))
			}
			notes[w] = append(notes[w], batch)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers*batches)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for _, batch := range notes[w] {
				time.Sleep(time.Duration(r.IntN(3)) * time.Millisecond)
				if _, err := f.s.Append(ctx, batch); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("a concurrent append failed: %v", err)
	}
	n, err := f.s.Size(ctx)
	if err != nil || n != writers*batches*per {
		t.Fatalf("size %d, %v; want %d", n, err, writers*batches*per)
	}
	recs, err := f.s.Records(ctx, 0, n)
	if err != nil {
		t.Fatal(err)
	}
	mem := &ledger.Hashes{}
	seen := map[string]bool{}
	for i, r := range recs {
		if r.Index != int64(i) || seen[r.Entry.ID] {
			t.Fatalf("record %d has index %d, id %s (seen: %v)", i, r.Index, r.Entry.ID, seen[r.Entry.ID])
		}
		seen[r.Entry.ID] = true
		mem.Append(r.Note)
	}
	cp, _, err := f.s.Checkpoint(ctx, "nadra.test/log")
	if err != nil {
		t.Fatal(err)
	}
	if root, _ := mem.Root(mem.Size()); cp.Root != root.String() {
		t.Fatalf("stored root %s, root of the entries in index order %s", cp.Root, root)
	}
}

// testConcurrentImports: two imports of the same file at once run one
// after the other: one inserts, the other finds every row unchanged.
func testConcurrentImports(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	twoCommodities(t, db)
	var deps []*nadra.Deposit
	for i := range 40 {
		deps = append(deps, &nadra.Deposit{ID: fmt.Sprintf("d%02d", i), Name: "D", Oblast: "UA-14", Commodities: []string{"lithium"}, Sources: []string{"s (2025)"}})
	}
	results := make([]nadra.ImportResult, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = db.Deposits.ImportDeposits(ctx, nadra.Import{Kind: "deposits", File: fmt.Sprintf("%d.csv", i)}, deps)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ins := results[0].Inserted + results[1].Inserted
	unch := results[0].Unchanged + results[1].Unchanged
	if ins != 40 || unch != 40 {
		t.Fatalf("results %+v and %+v; want 40 inserted by one and 40 unchanged by the other", results[0], results[1])
	}
	if _, n, _ := db.Deposits.FindDeposits(ctx, nadra.DepositFilter{}); n != 40 {
		t.Fatalf("%d deposits, want 40", n)
	}
}
