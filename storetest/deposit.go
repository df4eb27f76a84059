package storetest

import (
	"context"
	"testing"

	"nadra"

	"github.com/paulmach/orb"
)

func fp(v float64) *float64 { return &v }

func seed(tb testing.TB, db *Store) {
	tb.Helper()
	_, err := db.Seed.ImportSeed(context.Background(), nadra.Seed{
		Version: "test",
		Commodities: []*nadra.Commodity{{Code: "lithium", Name: "Lithium", Basis: "LCE", ListsSource: "x (2025)", Class: nadra.ClassMetallic},
			{Code: "titanium", Name: "Titanium", Basis: "TiO2", ListsSource: "x (2025)", Class: nadra.ClassMetallic}},
		Deposits: []*nadra.Deposit{
			{ID: "dobra", Name: "Dobra", Oblast: "UA-35", Lat: fp(48.35), Lon: fp(31.05), PrecisionKm: fp(15), Commodities: []string{"lithium"}, Sources: []string{"a (2025)"}},
			{ID: "nowhere", Name: "Nowhere", Oblast: "UA-18", Commodities: []string{"titanium"}, Sources: []string{"b (n.d.)"}},
		},
		Estimates: []*nadra.Estimate{{DepositID: "dobra", Commodity: "lithium", ContainedT: fp(1.26e6), Basis: "LCE", Category: "unspecified", Source: []string{"c (2026-01-12)"}}},
		Snapshots: []*nadra.Snapshot{
			{Date: "2025-01-01", Source: "test", GreyKnown: true, Occupied: orb.MultiPolygon{{{{37, 47}, {38, 47}, {38, 48}, {37, 48}, {37, 47}}}}},
			{Date: "2025-02-01", Source: "test", Occupied: orb.MultiPolygon{{{{37, 47}, {39, 47}, {39, 48}, {37, 48}, {37, 47}}}}},
		},
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func testDepositService_ImportDeposits(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	seed(t, db)
	s := db.Deposits
	imp := nadra.Import{Kind: "deposits", File: "mine.csv", SHA256: "x"}
	newDep := func() []*nadra.Deposit {
		return []*nadra.Deposit{
			{ID: "dobra", Name: "Dobra (site)", Oblast: "UA-35", Lat: fp(48.35), Lon: fp(31.05), PrecisionKm: fp(2), Commodities: []string{"lithium"}, Sources: []string{"a (2025)"}},
			{ID: "new-one", Name: "New", Oblast: "UA-14", Commodities: []string{"titanium", "lithium"}, Sources: []string{"d (2026)"}},
		}
	}

	t.Run("OK", func(t *testing.T) {
		res, err := s.ImportDeposits(ctx, imp, newDep())
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 1 || res.Updated != 1 || res.Unchanged != 0 || res.ImportID == 0 {
			t.Fatalf("result %+v", res)
		}
		d, err := s.FindDepositByID(ctx, "dobra")
		if err != nil {
			t.Fatal(err)
		}
		if *d.PrecisionKm != 2 || d.Origin != "mine.csv" || d.Name != "Dobra (site)" {
			t.Fatalf("dobra after import: %+v", d)
		}
	})
	t.Run("TwiceChangesNothing", func(t *testing.T) {
		res, err := s.ImportDeposits(ctx, imp, newDep())
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 0 || res.Updated != 0 || res.Unchanged != 2 || res.ImportID != 0 {
			t.Fatalf("second import: %+v", res)
		}
	})
	t.Run("ErrBadRowChangesNothing", func(t *testing.T) {
		bad := newDep()
		bad[0].Name = "Changed"
		bad[1].Commodities = []string{"unobtainium"}
		if _, err := s.ImportDeposits(ctx, imp, bad); nadra.ErrorCode(err) != nadra.EINVALID {
			t.Fatalf("error %v, want invalid", err)
		}
		d, _ := s.FindDepositByID(ctx, "dobra")
		if d.Name != "Dobra (site)" {
			t.Fatalf("a refused import changed dobra to %q", d.Name)
		}
	})
	t.Run("Filter", func(t *testing.T) {
		ds, n, err := s.FindDeposits(ctx, nadra.DepositFilter{Commodity: "lithium"})
		if err != nil || n != 2 || len(ds) != 2 {
			t.Fatalf("lithium: %d %d %v", len(ds), n, err)
		}
		ds, n, _ = s.FindDeposits(ctx, nadra.DepositFilter{Query: "NEW"})
		if n != 1 || ds[0].ID != "new-one" {
			t.Fatalf("query: %d", n)
		}
		ds, n, _ = s.FindDeposits(ctx, nadra.DepositFilter{Limit: 1, Offset: 1})
		if n != 3 || len(ds) != 1 || ds[0].ID != "new-one" {
			t.Fatalf("paging: n=%d %v", n, ds)
		}
		if _, err := s.FindDepositByID(ctx, "missing"); nadra.ErrorCode(err) != nadra.ENOTFOUND {
			t.Fatalf("missing: %v", err)
		}
	})
}

func testDepositService_ImportEstimates(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	seed(t, db)
	s := db.Deposits
	e := &nadra.Estimate{DepositID: "dobra", Commodity: "lithium", ContainedT: fp(1.3e6), Basis: "LCE", Category: "unspecified", Source: []string{"c (2026-01-12)"}}
	res, err := s.ImportEstimates(ctx, nadra.Import{Kind: "estimates", File: "e.csv"}, []*nadra.Estimate{e})
	if err != nil || res.Updated != 1 {
		t.Fatalf("update by key: %+v %v", res, err)
	}
	ests, _ := s.FindEstimates(ctx, "dobra")
	if len(ests) != 1 || *ests[0].ContainedT != 1.3e6 {
		t.Fatalf("estimates: %+v", ests)
	}
	bad := *e
	bad.DepositID = "nowhere-else"
	if _, err := s.ImportEstimates(ctx, nadra.Import{Kind: "estimates", File: "e.csv"}, []*nadra.Estimate{e, &bad}); nadra.ErrorCode(err) != nadra.EINVALID {
		t.Fatalf("unknown deposit: %v", err)
	}
}

func testSnapshotService(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	seed(t, db)
	s := db.Snapshots
	infos, err := s.FindSnapshots(ctx)
	if err != nil || len(infos) != 2 {
		t.Fatalf("%v %v", infos, err)
	}
	if infos[0].GreyKm == nil || infos[1].GreyKm != nil {
		t.Errorf("grey_km2 must be set only where the grey zone is known: %+v", infos)
	}
	for _, tt := range []struct{ date, want, err string }{
		{"2025-01-01", "2025-01-01", ""},
		{"2025-01-31", "2025-01-01", ""},
		{"2030-01-01", "2025-02-01", ""},
		{"2024-12-31", "", nadra.ENOTFOUND},
		{"2025-13-01", "", nadra.EINVALID},
	} {
		sn, err := s.FindSnapshotAt(ctx, tt.date)
		if tt.err != "" {
			if nadra.ErrorCode(err) != tt.err {
				t.Errorf("%s: error %v, want %s", tt.date, err, tt.err)
			}
			continue
		}
		if err != nil || sn.Date != tt.want || len(sn.Occupied) != 1 {
			t.Errorf("%s: got %v %v, want %s", tt.date, sn, err, tt.want)
		}
	}
	// Re-importing the same snapshot changes nothing.
	sn, _ := s.FindSnapshotAt(ctx, "2025-02-01")
	res, err := s.ImportSnapshots(ctx, nadra.Import{Kind: "control", File: "x"}, []*nadra.Snapshot{sn})
	if err != nil || res.Unchanged != 1 || res.ImportID != 0 {
		t.Fatalf("re-import: %+v %v", res, err)
	}
}
