package supply_test

import (
	"math"
	"testing"

	"nadra"
	"nadra/supply"
)

// crmaFixture: lithium mine production 2024, China 70 t and Australia
// 30 t; one registry deposit with 1 Mt of ore holding 632.455532 t Li.
// Taylor's rule gives it a life of 0.2 × (10^6)^0.25 = 6.32455532 years,
// so a potential of 632.455532 / 6.32455532 = 100 t a year.
func crmaFixture(status map[string]nadra.Status) supply.Inputs {
	fp := func(v float64) *float64 { return &v }
	y := 2020
	return supply.Inputs{
		Data: &nadra.SupplyData{
			Series: []*nadra.SupplySeries{{Commodity: "lithium", Stage: nadra.StageMine, Name: "Lithium mine production", Registry: "lithium",
				Unit: "t Li content", Basis: "Li", PerTonne: fp(1)}},
			Production: []*nadra.Production{
				{Commodity: "lithium", Stage: nadra.StageMine, Country: "CN", Year: 2024, Quantity: fp(70)},
				{Commodity: "lithium", Stage: nadra.StageMine, Country: "AU", Year: 2024, Quantity: fp(30)},
			},
		},
		Deposits: []*nadra.Deposit{{ID: "d1", Name: "d1", Oblast: "UA-35", Commodities: []string{"lithium"}}},
		Estimates: []*nadra.Estimate{{DepositID: "d1", Commodity: "lithium", OreMt: fp(1), ContainedT: fp(632.455532),
			Basis: "Li", Category: "C1", Year: &y}},
		Statuses: func(expr string) (map[string]nadra.Status, string, error) {
			if expr == "" {
				return map[string]nadra.Status{"d1": nadra.StatusControlled}, "2026-08-22", nil
			}
			return map[string]nadra.Status{"d1": status[expr]}, expr, nil
		},
	}
}

func TestCRMA(t *testing.T) {
	in := crmaFixture(map[string]nadra.Status{"lose-d1": nadra.StatusOccupied, "keep-d1": nadra.StatusControlled})
	tt, err := supply.CRMA(in, "lithium", "", 0, []supply.NamedScenario{{"lose", "d1 lost", "lose-d1"}, {"keep", "d1 kept", "keep-d1"}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Today: China 70 of 100 = 70% > 65%: fails.
	if tt.Today.Top != "CN" || math.Abs(tt.Today.Share-0.70) > 1e-12 || tt.Today.Pass {
		t.Fatalf("today: got %+v, want CN 70%% failing", tt.Today)
	}
	// With d1's 100 t the total is 200: Ukraine 100 (50%) is now the
	// largest, China 70 (35%): passes.
	if w := tt.WithUkraine; w == nil || w.Top != "UA" || math.Abs(w.Share-0.50) > 1e-6 || !w.Pass || math.Abs(w.UkraineAdded-100) > 1e-6 {
		t.Fatalf("with Ukraine: got %+v (%s), want UA 50%% passing with 100 t added", w, tt.UkraineNote)
	}
	if len(tt.Scenarios) != 2 {
		t.Fatalf("%d scenarios", len(tt.Scenarios))
	}
	// d1 occupied under "lose": nothing added, 70% still fails.
	if r := tt.Scenarios[0].Result; r == nil || r.Pass || math.Abs(r.Share-0.70) > 1e-12 || r.UkraineAdded != 0 {
		t.Fatalf("lose: got %+v", r)
	}
	if r := tt.Scenarios[1].Result; r == nil || !r.Pass || math.Abs(r.Share-0.50) > 1e-6 {
		t.Fatalf("keep: got %+v", r)
	}
	if tt.Threshold != 0.65 || tt.Simplification == "" || tt.Source == "" {
		t.Fatalf("threshold %v, simplification %q, source %q", tt.Threshold, tt.Simplification, tt.Source)
	}
}

// TestCRMA_Threshold: exactly 65% passes ("no more than 65%").
func TestCRMA_Threshold(t *testing.T) {
	in := crmaFixture(nil)
	q := func(v float64) *float64 { return &v }
	in.Data.Production[0].Quantity, in.Data.Production[1].Quantity = q(65), q(35)
	tt, err := supply.CRMA(in, "lithium", "", 0, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !tt.Today.Pass || math.Abs(tt.Today.Share-0.65) > 1e-12 {
		t.Fatalf("65%%: got %+v, want passing", tt.Today)
	}
}
