package storetest

import (
	"context"
	"reflect"
	"sort"
	"testing"

	"nadra"

	"github.com/paulmach/orb"
)

// square is a one-degree square snapshot area with its south-west corner
// at lon, lat.
func square(lon, lat float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{lon, lat}, {lon + 1, lat}, {lon + 1, lat + 1}, {lon, lat + 1}, {lon, lat}}}}
}

// datasetA is the first version of a small dataset, built here so that the
// test does not depend on the embedded one.
func datasetA() nadra.Seed {
	src := []string{"a (2025)"}
	usgs := []string{"USGS (2026-02)"}
	return nadra.Seed{
		Version: "A",
		Commodities: []*nadra.Commodity{{Code: "lithium", Name: "Lithium", Basis: "LCE", ListsSource: "x (2025)", Class: nadra.ClassMetallic},
			{Code: "graphite", Name: "Graphite", Basis: "C", ListsSource: "x (2025)", Class: nadra.ClassIndustrial}},
		Deposits: []*nadra.Deposit{
			{ID: "dobra", Name: "Dobra", Oblast: "UA-35", Lat: fp(48.35), Lon: fp(31.05), PrecisionKm: fp(15), CoordsNote: "n", Commodities: []string{"lithium"}, Sources: src},
			{ID: "kal", Name: "Kal", Oblast: "UA-35", Commodities: []string{"graphite"}, Sources: src},
			{ID: "polo", Name: "Polo", Oblast: "UA-35", Commodities: []string{"lithium"}, Sources: src},
			{ID: "shev", Name: "Shev", Oblast: "UA-14", Lat: fp(48.1), Lon: fp(37.4), PrecisionKm: fp(5), CoordsNote: "n", Commodities: []string{"lithium"}, Sources: src},
			{ID: "zav", Name: "Zav", Oblast: "UA-35", Commodities: []string{"graphite"}, Sources: src},
		},
		Estimates: []*nadra.Estimate{
			{DepositID: "dobra", Commodity: "lithium", ContainedT: fp(1.26e6), Basis: "LCE", Category: "unspecified", Source: []string{"e1 (2026)"}},
			{DepositID: "kal", Commodity: "graphite", OreMt: fp(100), Basis: "C", Category: "C1", Source: []string{"e3 (2020)"}},
			{DepositID: "polo", Commodity: "lithium", OreMt: fp(10), Basis: "Li2O", Category: "C1", Source: []string{"e2 (2020)"}},
		},
		Snapshots: []*nadra.Snapshot{
			{Date: "2025-01-01", Source: "A", GreyKnown: true, Occupied: square(37, 47)},
			{Date: "2025-02-01", Source: "A", Occupied: square(37, 47)},
		},
		Supply: &nadra.SupplyData{
			Series: []*nadra.SupplySeries{{Commodity: "lithium", Stage: "mine", Name: "Lithium", Registry: "lithium", Unit: "t Li content", Basis: "Li", PerTonne: fp(1)}},
			Production: []*nadra.Production{
				{Commodity: "lithium", Stage: "mine", Country: "AU", Year: 2024, Quantity: fp(82700), Source: usgs},
				{Commodity: "lithium", Stage: "mine", Country: "CN", Year: 2024, Quantity: fp(41400), Source: usgs},
			},
			Countries: []*nadra.Country{{Code: "CN", Name: "China"}, {Code: "AU", Name: "Australia"}},
		},
	}
}

// datasetB is the next version: it changes some rows, adds some and
// withdraws some, including rows the user has changed.
func datasetB() nadra.Seed {
	s := datasetA()
	s.Version = "B"
	byID := map[string]*nadra.Deposit{}
	for _, d := range s.Deposits {
		byID[d.ID] = d
	}
	byID["dobra"].Name = "Dobra (corrected)"                                // the user changed dobra too: a conflict
	byID["shev"].PrecisionKm = fp(2)                                        // untouched: updated
	s.Deposits = []*nadra.Deposit{byID["dobra"], byID["kal"], byID["shev"], // polo and zav withdrawn
		{ID: "new-b", Name: "New B", Oblast: "UA-18", Commodities: []string{"graphite"}, Sources: []string{"b (2026)"}}}
	s.Estimates = s.Estimates[:2] // polo's figure withdrawn with polo
	s.Snapshots = []*nadra.Snapshot{
		{Date: "2025-01-01", Source: "B", GreyKnown: true, Occupied: square(37.5, 47)}, // the user replaced it: a conflict
		{Date: "2025-02-01", Source: "B", Occupied: square(37.5, 47)},                  // untouched: updated
		{Date: "2025-03-01", Source: "B", Occupied: square(37.5, 47)},                  // new
	}
	s.Supply.Production = []*nadra.Production{
		s.Supply.Production[0], // AU, which the user changed: unchanged in the dataset, so an edit, not a conflict
		{Commodity: "lithium", Stage: "mine", Country: "CN", Year: 2024, Quantity: fp(48000), Source: []string{"USGS (2026-02)"}},
	}
	return s
}

// userEdits plays a user: it corrects dobra's coordinates, adds a deposit,
// changes kal's and polo's figures, replaces a snapshot and a production
// row, each by a normal import.
func userEdits(t *testing.T, db *Store) {
	t.Helper()
	ctx := context.Background()
	ds := db.Deposits
	a := datasetA()
	dobra := *a.Deposits[0]
	dobra.Lat, dobra.PrecisionKm = fp(48.36), fp(1)
	if _, err := ds.ImportDeposits(ctx, nadra.Import{Kind: "deposits", File: "fix.csv"}, []*nadra.Deposit{&dobra,
		{ID: "mine-1", Name: "Mine", Oblast: "UA-35", Commodities: []string{"lithium"}, Sources: []string{"me (2026)"}}}); err != nil {
		t.Fatal(err)
	}
	kal, polo := *a.Estimates[1], *a.Estimates[2]
	kal.OreMt, polo.OreMt = fp(120), fp(12)
	if _, err := ds.ImportEstimates(ctx, nadra.Import{Kind: "estimates", File: "e.csv"}, []*nadra.Estimate{&kal, &polo}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Snapshots.ImportSnapshots(ctx, nadra.Import{Kind: "control", File: "jan.geojson"},
		[]*nadra.Snapshot{{Date: "2025-01-01", Source: "mine", GreyKnown: true, Occupied: square(36, 47)}}); err != nil {
		t.Fatal(err)
	}
	au := *a.Supply.Production[0]
	au.Quantity = fp(80000)
	if _, err := db.Supply.ImportProduction(ctx, nadra.Import{Kind: "production", File: "p.csv"}, []*nadra.Production{&au}); err != nil {
		t.Fatal(err)
	}
}

func states(rows []nadra.SeedRow) map[string]nadra.SeedState {
	out := map[string]nadra.SeedState{}
	for _, r := range rows {
		out[r.Ref] = r.State
	}
	return out
}

func refOf(t *testing.T, rows []nadra.SeedRow, label string) string {
	t.Helper()
	for _, r := range rows {
		if r.Label == label {
			return r.Ref
		}
	}
	t.Fatalf("no row labelled %q in %+v", label, rows)
	return ""
}

// TestDB_ImportSeed_Upgrade plays an upgrade across two dataset versions:
// nothing the user imported or changed is overwritten, deleted or
// reordered; the dataset's other changes apply; conflicts are listed with
// both values and settle as the user decides.
func testDB_ImportSeed_Upgrade(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	if _, err := db.Seed.ImportSeed(ctx, datasetA()); err != nil {
		t.Fatal(err)
	}
	userEdits(t, db)
	deps := db.Deposits
	estOrder := func() []string {
		es, err := deps.FindEstimates(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.DepositID)
		}
		return out
	}

	res, err := db.Seed.ImportSeed(ctx, datasetB())
	if err != nil {
		t.Fatal(err)
	}

	t.Run("UserRowsUntouched", func(t *testing.T) {
		d, err := deps.FindDepositByID(ctx, "dobra")
		if err != nil {
			t.Fatal(err)
		}
		if *d.Lat != 48.36 || *d.PrecisionKm != 1 || d.Name != "Dobra" || d.Origin != "fix.csv" {
			t.Errorf("dobra = %s %v %v %s, want the user's Dobra 48.36 1 from fix.csv", d.Name, *d.Lat, *d.PrecisionKm, d.Origin)
		}
		if _, err := deps.FindDepositByID(ctx, "mine-1"); err != nil {
			t.Errorf("the user's deposit: %v", err)
		}
		ests, _ := deps.FindEstimates(ctx, "kal")
		if len(ests) != 1 || *ests[0].OreMt != 120 {
			t.Errorf("kal's figure = %+v, want the user's 120 Mt", ests)
		}
		ests, _ = deps.FindEstimates(ctx, "polo")
		if len(ests) != 1 || *ests[0].OreMt != 12 {
			t.Errorf("polo's figure, withdrawn by the dataset but changed by the user = %+v, want kept at 12 Mt", ests)
		}
		if _, err := deps.FindDepositByID(ctx, "polo"); err != nil {
			t.Errorf("polo, which the user's figure refers to, was removed: %v", err)
		}
		sn, err := db.Snapshots.FindSnapshotAt(ctx, "2025-01-01")
		if err != nil || sn.Source != "mine" || sn.Occupied[0][0][0] != (orb.Point{36, 47}) {
			t.Errorf("the user's snapshot of 2025-01-01 = %v %v", sn, err)
		}
		ps, _ := db.Supply.FindProduction(ctx, nadra.ProductionFilter{Commodity: "lithium"})
		for _, p := range ps {
			if p.Country == "AU" && (*p.Quantity != 80000 || p.Origin != "p.csv") {
				t.Errorf("AU = %v from %s, want the user's 80000 from p.csv", *p.Quantity, p.Origin)
			}
		}
	})
	t.Run("DatasetChangesApplied", func(t *testing.T) {
		d, err := deps.FindDepositByID(ctx, "shev")
		if err != nil || *d.PrecisionKm != 2 || d.Origin != "dataset" {
			t.Errorf("shev = %+v %v, want precision 2 from the dataset", d, err)
		}
		if _, err := deps.FindDepositByID(ctx, "new-b"); err != nil {
			t.Errorf("new-b: %v", err)
		}
		if _, err := deps.FindDepositByID(ctx, "zav"); nadra.ErrorCode(err) != nadra.ENOTFOUND {
			t.Errorf("zav, withdrawn and untouched: %v, want removed", err)
		}
		infos, _ := db.Snapshots.FindSnapshots(ctx)
		got := map[string]string{}
		for _, i := range infos {
			got[i.Date] = i.Source
		}
		if want := map[string]string{"2025-01-01": "mine", "2025-02-01": "B", "2025-03-01": "B"}; !reflect.DeepEqual(got, want) {
			t.Errorf("snapshots %v, want %v", got, want)
		}
		ps, _ := db.Supply.FindProduction(ctx, nadra.ProductionFilter{Commodity: "lithium"})
		for _, p := range ps {
			if p.Country == "CN" && *p.Quantity != 48000 {
				t.Errorf("CN = %v, want the dataset's 48000", *p.Quantity)
			}
		}
		if res.Inserted != 2 || res.Updated != 3 || res.Removed != 1 {
			t.Errorf("result %+v, want 2 inserted (new-b, 2025-03-01), 3 updated (shev, 2025-02-01, CN), 1 removed (zav)", res)
		}
	})
	t.Run("KeptListed", func(t *testing.T) {
		got := states(res.Kept)
		want := map[string]nadra.SeedState{
			"deposit:dobra":                            nadra.SeedConflict,
			"deposit:polo":                             nadra.SeedWithdrawn,
			"snapshot:2025-01-01":                      nadra.SeedConflict,
			refOf(t, res.Kept, "kal graphite C C1"):    nadra.SeedEdited,
			refOf(t, res.Kept, "polo lithium Li2O C1"): nadra.SeedWithdrawn,
			refOf(t, res.Kept, "lithium mine AU 2024"): nadra.SeedEdited,
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("kept %v,\nwant %v", got, want)
		}
		for _, r := range res.Kept {
			if r.Ref != "deposit:dobra" {
				continue
			}
			fields := map[string][2]any{}
			for _, f := range r.Fields {
				fields[f.Field] = [2]any{f.Dataset, f.Stored}
			}
			want := map[string][2]any{"name": {"Dobra (corrected)", "Dobra"}, "lat": {48.35, 48.36}, "precision_km": {15.0, 1.0}}
			if !reflect.DeepEqual(fields, want) {
				t.Errorf("dobra's fields %v, want %v", fields, want)
			}
			if r.Origin == "" {
				t.Errorf("dobra has no origin")
			}
		}
	})
	t.Run("Diff", func(t *testing.T) {
		rows, err := db.Seed.DiffSeed(ctx, datasetB(), false)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := states(rows), states(res.Kept); !reflect.DeepEqual(got, want) {
			t.Errorf("diff %v, want what the import kept %v", got, want)
		}
		// A withdrawn row says why it is still there, as the import did.
		notes := map[string]string{}
		for _, r := range rows {
			notes[r.Ref] = r.Note
		}
		for ref, want := range map[string]string{
			"deposit:polo":                         "kept: 1 resource figures in the database refer to it",
			refOf(t, rows, "polo lithium Li2O C1"): "kept: you imported or changed it",
		} {
			if notes[ref] != want {
				t.Errorf("diff: %s: note %q, want %q", ref, notes[ref], want)
			}
		}
		rows, _ = db.Seed.DiffSeed(ctx, datasetB(), true)
		if states(rows)["deposit:mine-1"] != nadra.SeedAdded {
			t.Errorf("diff --all: mine-1 is %q, want added", states(rows)["deposit:mine-1"])
		}
	})
	t.Run("SameVersionAgainChangesNothing", func(t *testing.T) {
		before := estOrder()
		again, err := db.Seed.ImportSeed(ctx, datasetB())
		if err != nil {
			t.Fatal(err)
		}
		if again.Inserted+again.Updated+again.Removed != 0 {
			t.Errorf("a second import of B changed rows: %+v", again)
		}
		if after := estOrder(); !reflect.DeepEqual(before, after) {
			t.Errorf("estimates reordered: %v, then %v", before, after)
		}
	})
	t.Run("Settle", func(t *testing.T) {
		if _, err := db.Seed.KeepSeed(ctx, datasetB(), []string{"deposit:dobra"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Seed.AcceptSeed(ctx, datasetB(), []string{"snapshot:2025-01-01"}); err != nil {
			t.Fatal(err)
		}
		rows, _ := db.Seed.DiffSeed(ctx, datasetB(), false)
		st := states(rows)
		if st["deposit:dobra"] != nadra.SeedEdited || st["snapshot:2025-01-01"] != "" {
			t.Errorf("after keep dobra and accept the snapshot: %v", st)
		}
		sn, _ := db.Snapshots.FindSnapshotAt(ctx, "2025-01-01")
		if sn.Source != "B" {
			t.Errorf("accepted snapshot source %q, want B", sn.Source)
		}
		// Accepting polo's withdrawal is refused while the user's figure
		// refers to it, and changes nothing.
		if _, err := db.Seed.AcceptSeed(ctx, datasetB(), []string{"deposit:polo"}); nadra.ErrorCode(err) != nadra.ECONFLICT {
			t.Errorf("accept polo: %v, want conflict", err)
		}
		if _, err := db.Seed.AcceptSeed(ctx, datasetB(), []string{"deposit:dobra", "deposit:nope"}); nadra.ErrorCode(err) != nadra.ENOTFOUND {
			t.Errorf("unknown ref: %v, want not_found", err)
		}
		if d, _ := deps.FindDepositByID(ctx, "dobra"); d.Name != "Dobra" {
			t.Errorf("a refused accept changed dobra to %q", d.Name)
		}
		// Withdrawing the figure, then the deposit, works in one go.
		polo := refOf(t, rows, "polo lithium Li2O C1")
		if _, err := db.Seed.AcceptSeed(ctx, datasetB(), []string{"deposit:polo", polo}); err != nil {
			t.Errorf("accept polo with its figure: %v", err)
		}
		if _, err := deps.FindDepositByID(ctx, "polo"); nadra.ErrorCode(err) != nadra.ENOTFOUND {
			t.Errorf("polo after accepting its withdrawal: %v", err)
		}
	})
	t.Run("NextVersionConflictsAgain", func(t *testing.T) {
		c := datasetB()
		c.Version = "C"
		c.Deposits[0].Name = "Dobra (again)"
		res, err := db.Seed.ImportSeed(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if st := states(res.Kept)["deposit:dobra"]; st != nadra.SeedConflict {
			t.Errorf("dobra after C: %q, want conflict", st)
		}
		if d, _ := deps.FindDepositByID(ctx, "dobra"); d.Name != "Dobra" {
			t.Errorf("C overwrote the user's dobra: %q", d.Name)
		}
	})
}

// TestDB_ImportSeed_NoBase: a database from before nadra recorded the
// dataset's values has no merge base; a row the user changed is then
// reported as a conflict, never overwritten.
func testDB_ImportSeed_NoBase(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	if db.Exec == nil {
		t.Skip("the store has no SQL to forget the merge base with")
	}
	if _, err := db.Seed.ImportSeed(ctx, datasetA()); err != nil {
		t.Fatal(err)
	}
	userEdits(t, db)
	if err := db.Exec(ctx, `DELETE FROM dataset_rows`); err != nil {
		t.Fatal(err)
	}
	b := datasetA()
	b.Version = "B"
	b.Deposits[3].PrecisionKm = fp(2) // shev, untouched
	res, err := db.Seed.ImportSeed(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	var conflicts []string
	for _, r := range res.Conflicts() {
		conflicts = append(conflicts, r.Ref)
	}
	sort.Strings(conflicts)
	if len(conflicts) != 5 || conflicts[0] != "deposit:dobra" || conflicts[len(conflicts)-1] != "snapshot:2025-01-01" {
		t.Errorf("conflicts %v, want every user row that differs (dobra, two figures, AU, the snapshot)", conflicts)
	}
	d, _ := db.Deposits.FindDepositByID(ctx, "dobra")
	if *d.Lat != 48.36 {
		t.Errorf("dobra overwritten: lat %v", *d.Lat)
	}
	if d, _ := db.Deposits.FindDepositByID(ctx, "shev"); *d.PrecisionKm != 2 {
		t.Errorf("shev not updated: %v", *d.PrecisionKm)
	}
}
