package storetest

import (
	"context"
	"strings"
	"testing"

	"nadra"
)

func seedSupply(tb testing.TB, db *Store, version string, d *nadra.SupplyData) {
	tb.Helper()
	_, err := db.Seed.ImportSeed(context.Background(), nadra.Seed{Version: version,
		Commodities: []*nadra.Commodity{{Code: "lithium", Name: "Lithium", Basis: "LCE", ListsSource: "x (2025)", Class: nadra.ClassMetallic}},
		Supply:      d})
	if err != nil {
		tb.Fatal(err)
	}
}

func testSupplyData() *nadra.SupplyData {
	src := []string{"USGS (2026-02)"}
	return &nadra.SupplyData{
		Series: []*nadra.SupplySeries{
			{Commodity: "lithium", Stage: "mine", Name: "Lithium", Registry: "lithium", Unit: "t Li content", Basis: "Li", PerTonne: fp(1)},
			{Commodity: "germanium", Stage: "refining", Name: "Germanium", Unit: nadra.UnitShare},
		},
		Production: []*nadra.Production{
			{Commodity: "lithium", Stage: "mine", Country: "CN", Year: 2024, Quantity: fp(41400), Source: src},
			{Commodity: "lithium", Stage: "mine", Country: "AU", Year: 2024, Quantity: fp(82700), Source: src},
			{Commodity: "lithium", Stage: "mine", Country: "world", Year: 2024, Quantity: fp(222000), Source: src},
			{Commodity: "germanium", Stage: "refining", Country: "CN", Year: 2023, SharePct: fp(83), Source: src},
		},
		Reserves:   []*nadra.Reserve{{Commodity: "lithium", Country: "CN", Year: 2025, Quantity: fp(4.6e6), Unit: "t Li content", Source: src}},
		Reliance:   []*nadra.ImportReliance{{Commodity: "lithium", Stage: "mine", Year: 2024, Percent: fp(50), Bound: ">", Source: src}},
		Governance: []*nadra.Governance{{Country: "CN", Year: 2023, Voice: -1.5, Source: src}},
		EU:         []*nadra.EUAssessment{{Commodity: "lithium", EoLRIRPct: fp(0), MajorSupplier: "AU", MajorSupplierStage: "refining", MajorSupplierPct: fp(53), Source: src}},
		Countries:  []*nadra.Country{{Code: "CN", Name: "China"}, {Code: "AU", Name: "Australia"}},
		National:   []*nadra.NationalProduction{{Country: "UA", Commodity: "manganese", Product: "concentrate", Year: 2021, Quantity: 1.76e6, Unit: "t", Source: src}},
	}
}

func testSupplyService_ImportProduction(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	seedSupply(t, db, "v1", testSupplyData())
	s := db.Supply
	imp := nadra.Import{Kind: "production", File: "mine.csv", SHA256: "x"}
	src := []string{"my study (2026)"}

	t.Run("OK", func(t *testing.T) {
		rows := []*nadra.Production{
			{Commodity: "lithium", Stage: "mine", Country: "UA", Year: 2024, Quantity: fp(10000), Source: src},
			{Commodity: "lithium", Stage: "mine", Country: "CN", Year: 2024, Quantity: fp(41400), Source: []string{"USGS (2026-02)"}},
		}
		res, err := s.ImportProduction(ctx, imp, rows)
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 1 || res.Unchanged != 1 || res.ImportID == 0 {
			t.Fatalf("%+v", res)
		}
		res, err = s.ImportProduction(ctx, imp, rows)
		if err != nil || res.Unchanged != 2 || res.ImportID != 0 {
			t.Fatalf("second import changed something: %+v %v", res, err)
		}
		got, err := s.FindProduction(ctx, nadra.ProductionFilter{Commodity: "lithium", Year: 2024})
		if err != nil || len(got) != 4 {
			t.Fatalf("%d rows, %v", len(got), err)
		}
		if got[len(got)-1].Country != "world" || got[0].Origin != "dataset" {
			t.Errorf("order or origin: first %s (%s), last %s", got[0].Country, got[0].Origin, got[len(got)-1].Country)
		}
		for _, p := range got {
			if p.Country == "UA" && p.Origin != "mine.csv" {
				t.Errorf("origin %q", p.Origin)
			}
		}
	})

	t.Run("ErrSharesOver100", func(t *testing.T) {
		// 83% stored plus 20% imported: refused, naming both rows.
		rows := []*nadra.Production{{Commodity: "germanium", Stage: "refining", Country: "RU", Year: 2023, SharePct: fp(20), Source: src}}
		_, err := s.ImportProduction(ctx, imp, rows)
		if nadra.ErrorCode(err) != nadra.EINVALID || !strings.Contains(err.Error(), "103.0%") ||
			!strings.Contains(err.Error(), "CN (stored, from dataset)") || !strings.Contains(err.Error(), "RU") {
			t.Fatalf("%v", err)
		}
		got, _ := s.FindProduction(ctx, nadra.ProductionFilter{Commodity: "germanium"})
		if len(got) != 1 {
			t.Errorf("a refused import left %d rows", len(got))
		}
	})

	t.Run("ErrQuantitiesOverWorld", func(t *testing.T) {
		rows := []*nadra.Production{{Commodity: "lithium", Stage: "mine", Country: "CL", Year: 2024, Quantity: fp(200000), Source: src}}
		if _, err := s.ImportProduction(ctx, imp, rows); nadra.ErrorCode(err) != nadra.EINVALID || !strings.Contains(err.Error(), "world total") {
			t.Fatalf("%v", err)
		}
	})

	t.Run("ErrUnknownSeries", func(t *testing.T) {
		rows := []*nadra.Production{{Commodity: "copper", Stage: "mine", Country: "CL", Year: 2024, Quantity: fp(5), Source: src}}
		if _, err := s.ImportProduction(ctx, imp, rows); nadra.ErrorCode(err) != nadra.EINVALID || !strings.Contains(err.Error(), "germanium/refining, lithium/mine") {
			t.Fatalf("%v", err)
		}
	})
}

func testSupplyService_FindSupplyData(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	seedSupply(t, db, "v1", testSupplyData())
	s := db.Supply
	d, err := s.FindSupplyData(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Series) != 2 || len(d.Production) != 4 || len(d.Reserves) != 1 || len(d.Reliance) != 1 || len(d.Governance) != 1 ||
		len(d.EU) != 1 || len(d.Countries) != 2 || len(d.National) != 1 {
		t.Fatalf("%+v", d)
	}
	if d.Reliance[0].String() != ">50%" || d.CountryName("AU") != "Australia" || *d.EU[0].MajorSupplierPct != 53 {
		t.Errorf("reliance %s, EU %+v", d.Reliance[0], d.EU[0])
	}

	t.Run("ReseedReplacesDatasetRows", func(t *testing.T) {
		if _, err := s.ImportProduction(ctx, nadra.Import{Kind: "production", File: "u.csv"},
			[]*nadra.Production{{Commodity: "lithium", Stage: "mine", Country: "UA", Year: 2030, Quantity: fp(1), Source: []string{"u (2026)"}}}); err != nil {
			t.Fatal(err)
		}
		d2 := testSupplyData()
		d2.Production = d2.Production[:1] // AU, world and germanium removed from the dataset
		seedSupply(t, db, "v2", d2)
		got, _ := s.FindProduction(ctx, nadra.ProductionFilter{})
		if len(got) != 2 {
			t.Fatalf("%d rows after reseed, want CN (dataset) and UA (user)", len(got))
		}
	})
}
