package storetest

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"nadra"
)

// sc is a valid scenario.
func sc(id, expr string) nadra.Scenario {
	return nadra.Scenario{ID: id, Name: "Scenario " + id, Expression: expr, Sources: []string{"https://example.org/" + id + " (2025-02-11)"}, Note: "n"}
}

// terms are valid deal terms with a term of every kind of value.
func terms(id string, share float64) *nadra.DealTerms {
	src := []string{"https://example.org/" + id + " (2025-04-30)"}
	return &nadra.DealTerms{ID: id, Name: "Terms " + id, Status: "user", Date: "2025-04", Summary: "s", Sources: src, File: id + ".yaml",
		Terms: []nadra.Term{
			{Key: "fund_start_year", Value: 2026, Source: src, Line: 8},
			{Key: "ukraine_share", Value: share, Source: src, Note: "half", Line: 9},
			{Key: "revenue_base", Value: nadra.BaseNew, Source: src, Line: 10},
			{Key: "licensed_undeveloped", Value: true, Source: src, Line: 11},
			{Key: "revenue_streams", Value: []string{nadra.StreamRent, nadra.StreamPermits}, Source: src, Line: 12},
			{Key: "us_cash", Value: []nadra.Flow{{Year: 2026, USD: 75e6}, {Year: 2027, USD: 0.5}}, Source: src, Line: 13},
			{Key: "waterfall", Value: nadra.WaterfallProRata, Source: src, Line: 14},
		},
		FundStartYear: 2026, UkraineShare: share, RevenueBase: nadra.BaseNew, LicensedUndeveloped: true,
		Streams: []string{nadra.StreamRent, nadra.StreamPermits}, USCash: []nadra.Flow{{Year: 2026, USD: 75e6}, {Year: 2027, USD: 0.5}},
		Waterfall: nadra.WaterfallProRata}
}

func scenarioIDs(t *testing.T, db *Store) string {
	t.Helper()
	ss, err := db.Catalog.FindScenarios(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range ss {
		ids = append(ids, s.ID+"="+s.Expression)
	}
	return strings.Join(ids, " ")
}

// testCatalogService_Import: imports store by id, all or nothing; the
// same rows again change nothing; a new scenario goes last and a changed
// one keeps its place; terms come back equal, term values of the same Go
// types.
func testCatalogService_Import(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	if ds, err := db.Catalog.FindDeals(ctx); err != nil || len(ds) != 0 {
		t.Fatalf("empty store: %d deals, %v", len(ds), err)
	}
	if ss, err := db.Catalog.FindScenarios(ctx); err != nil || ss == nil || len(ss) != 0 {
		t.Fatalf("empty store: scenarios %#v, %v; want an empty list", ss, err)
	}
	imp := nadra.Import{Kind: "scenarios", File: "mine.csv", SHA256: "x"}
	res, err := db.Catalog.ImportScenarios(ctx, imp, []nadra.Scenario{sc("zeta", "occupied@latest"), sc("alpha", "oblast:UA-14")})
	if err != nil || res.Inserted != 2 || res.ImportID == 0 {
		t.Fatalf("first import: %+v, %v; want 2 inserted", res, err)
	}
	// File order, not id order.
	if got, want := scenarioIDs(t, db), "zeta=occupied@latest alpha=oblast:UA-14"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	res, err = db.Catalog.ImportScenarios(ctx, imp, []nadra.Scenario{sc("zeta", "occupied@latest"), sc("alpha", "oblast:UA-14")})
	if err != nil || res.Unchanged != 2 || res.Inserted+res.Updated != 0 || res.ImportID != 0 {
		t.Fatalf("again: %+v, %v; want 2 unchanged and no import recorded", res, err)
	}
	res, err = db.Catalog.ImportScenarios(ctx, imp, []nadra.Scenario{sc("beta", "grey@latest"), sc("zeta", "occupied@2025-02-12")})
	if err != nil || res.Inserted != 1 || res.Updated != 1 {
		t.Fatalf("third import: %+v, %v; want 1 inserted, 1 updated", res, err)
	}
	if got, want := scenarioIDs(t, db), "zeta=occupied@2025-02-12 alpha=oblast:UA-14 beta=grey@latest"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	for _, tt := range []struct {
		name string
		ss   []nadra.Scenario
		want string
	}{
		{"ErrNoSource", []nadra.Scenario{sc("gamma", "grey@latest"), {ID: "delta", Name: "D", Expression: "grey@latest"}}, "scenario 2 (delta): source: required"},
		{"ErrBadID", []nadra.Scenario{sc("Gamma Ray", "grey@latest")}, `id: "Gamma Ray" is not a slug`},
		{"ErrTwice", []nadra.Scenario{sc("gamma", "grey@latest"), sc("gamma", "occupied@latest")}, `row 2: id: "gamma" already given in row 1`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.Catalog.ImportScenarios(ctx, imp, tt.ss)
			if nadra.ErrorCode(err) != nadra.EINVALID || !strings.Contains(nadra.ErrorMessage(err), tt.want) {
				t.Fatalf("got %v, want EINVALID %q", err, tt.want)
			}
			if got, want := scenarioIDs(t, db), "zeta=occupied@2025-02-12 alpha=oblast:UA-14 beta=grey@latest"; got != want {
				t.Fatalf("a refused import changed the scenarios: %q, want %q", got, want)
			}
		})
	}

	timp := nadra.Import{Kind: "terms", File: "t.yaml", SHA256: "y"}
	a, b := terms("mine-b", 0.5), terms("mine-a", 0.25)
	if res, err := db.Catalog.ImportDeals(ctx, timp, []*nadra.DealTerms{a, b}); err != nil || res.Inserted != 2 {
		t.Fatalf("terms: %+v, %v", res, err)
	}
	got, err := db.Catalog.FindDeals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []*nadra.DealTerms{b, a}; !reflect.DeepEqual(got, want) { // by id
		t.Fatalf("terms came back as %#v,\nwant %#v", got, want)
	}
	if res, err := db.Catalog.ImportDeals(ctx, timp, []*nadra.DealTerms{terms("mine-a", 0.25)}); err != nil || res.Unchanged != 1 {
		t.Fatalf("terms again: %+v, %v; want unchanged", res, err)
	}
	bad := terms("mine-c", 0.5)
	bad.Waterfall = "winner_takes_all"
	if _, err := db.Catalog.ImportDeals(ctx, timp, []*nadra.DealTerms{terms("mine-a", 0.75), bad}); nadra.ErrorCode(err) != nadra.EINVALID ||
		!strings.Contains(nadra.ErrorMessage(err), `terms 2 (mine-c): waterfall "winner_takes_all" unknown`) {
		t.Fatalf("bad terms: %v", err)
	}
	if got, _ := db.Catalog.FindDeals(ctx); len(got) != 2 || got[0].UkraineShare != 0.25 {
		t.Fatalf("a refused import changed the terms: %d, share %v", len(got), got[0].UkraineShare)
	}
}

// testCatalogService_Seed: the catalog merges as the registry does: a
// scenario the user changed stays through a dataset upgrade and is listed
// by DiffSeed; one the dataset withdraws and no one changed goes.
func testCatalogService_Seed(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	seed := func(version string, ss ...nadra.Scenario) *nadra.SeedResult {
		t.Helper()
		res, err := db.Seed.ImportSeed(ctx, nadra.Seed{Version: version, Scenarios: ss, Deals: []*nadra.DealTerms{terms("shipped", 0.5)}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := seed("v1", sc("a", "occupied@latest"), sc("b", "grey@latest")); res.Inserted != 3 {
		t.Fatalf("v1: %+v; want 2 scenarios and 1 terms inserted", res)
	}
	if _, err := db.Catalog.ImportScenarios(ctx, nadra.Import{Kind: "scenarios", File: "mine.csv"}, []nadra.Scenario{sc("a", "oblast:UA-14")}); err != nil {
		t.Fatal(err)
	}
	res := seed("v2", sc("a", "occupied@latest"), sc("c", "oblast:UA-09"))
	if res.Inserted != 1 || res.Removed != 1 || len(res.Kept) != 1 || res.Kept[0].Ref != "scenario:a" || res.Kept[0].State != nadra.SeedEdited {
		t.Fatalf("v2: %+v; want c inserted, b removed, a kept as edited", res)
	}
	if got, want := scenarioIDs(t, db), "a=oblast:UA-14 c=oblast:UA-09"; got != want {
		t.Fatalf("after v2: %q, want %q (the user's a stays)", got, want)
	}
	rows, err := db.Seed.DiffSeed(ctx, nadra.Seed{Version: "v2", Scenarios: []nadra.Scenario{sc("a", "occupied@latest"), sc("c", "oblast:UA-09")},
		Deals: []*nadra.DealTerms{terms("shipped", 0.5)}}, false)
	if err != nil || len(rows) != 1 || rows[0].Ref != "scenario:a" || rows[0].Kind != "scenario" {
		t.Fatalf("diff: %+v, %v; want scenario:a", rows, err)
	}
	// Accepting the dataset's value puts it back.
	if _, err := db.Seed.AcceptSeed(ctx, nadra.Seed{Version: "v2", Scenarios: []nadra.Scenario{sc("a", "occupied@latest"), sc("c", "oblast:UA-09")},
		Deals: []*nadra.DealTerms{terms("shipped", 0.5)}}, []string{"scenario:a"}); err != nil {
		t.Fatal(err)
	}
	if got, want := scenarioIDs(t, db), "a=occupied@latest c=oblast:UA-09"; got != want {
		t.Fatalf("after accept: %q, want %q", got, want)
	}
}
