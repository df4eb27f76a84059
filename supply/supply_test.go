package supply_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"testing/quick"

	"nadra"
	"nadra/dataset"
	"nadra/supply"
)

func fp(v float64) *float64 { return &v }
func ip(v int) *int         { return &v }

func mustSupply(tb testing.TB) *nadra.SupplyData {
	tb.Helper()
	d, err := dataset.Supply()
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func mustMarket(tb testing.TB, d *nadra.SupplyData, commodity, stage string, year int) *supply.Market {
	tb.Helper()
	s := d.SeriesMap()[commodity+"/"+stage]
	if s == nil {
		tb.Fatalf("no series %s/%s", commodity, stage)
	}
	m, err := supply.NewMarket(s, d.Production, year)
	if err != nil {
		tb.Fatalf("%s/%s %d: %v", commodity, stage, year, err)
	}
	return m
}

func share(ms supply.Metrics, country string) float64 {
	for _, s := range ms.Shares {
		if s.Country == country {
			return s.Share
		}
	}
	return 0
}

// TestPublishedShares reproduces shares that the sources state in words,
// from the embedded tables.
func TestPublishedShares(t *testing.T) {
	d := mustSupply(t)
	tests := []struct {
		name             string
		commodity, stage string
		year             int
		country          string
		wantPct          float64 // as published, rounded
		tolerancePct     float64
		publishedIn      string
	}{
		{"China rare-earth mining 2024", "rare_earths", "mine", 2024, "CN", 69, 0.5, "USGS MCS 2025: China 69%"},
		{"DR Congo cobalt mining 2025", "cobalt", "mine", 2025, "CD", 73, 0.5, "USGS MCS 2026: Congo (Kinshasa) an estimated 73%"},
		{"Indonesia cobalt mining 2025", "cobalt", "mine", 2025, "ID", 14, 0.5, "USGS MCS 2026: Indonesia 14%"},
		{"China low-purity gallium 2024", "gallium", "refining", 2024, "CN", 99, 0.5, "USGS MCS 2026: China about 99%"},
		{"China germanium processing", "germanium", "refining", 2023, "CN", 83, 0.01, "EU CRM 2023 Table A: China 83%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := supply.Compute(mustMarket(t, d, tt.commodity, tt.stage, tt.year), nil)
			got := share(ms, tt.country) * 100
			if math.Abs(got-tt.wantPct) > tt.tolerancePct {
				t.Errorf("%s share = %.2f%%, want %.0f%% (%s)", tt.country, got, tt.wantPct, tt.publishedIn)
			}
		})
	}
}

func TestCompute(t *testing.T) {
	d := mustSupply(t)
	t.Run("RareEarths2024", func(t *testing.T) {
		ms := supply.Compute(mustMarket(t, d, "rare_earths", "mine", 2024), nil)
		if ms.Top.Country != "CN" || ms.China == nil || math.Round(*ms.China*100) != 69 {
			t.Fatalf("top %v china %v", ms.Top, ms.China)
		}
		// China 270,000 of 393,950 t REO alone gives 4,697; the US
		// (11.4%), Burma (7.9%) and three producers of 3.3% add about 225.
		if ms.HHI < 4900 || ms.HHI > 4950 {
			t.Errorf("HHI = %.0f, want 4,900 to 4,950", ms.HHI)
		}
		if ms.Top3 < 0.85 || ms.Top3 > 0.90 {
			t.Errorf("top-3 share = %.3f", ms.Top3)
		}
	})
	t.Run("ShareOnlyChinaUnknown", func(t *testing.T) {
		m := &supply.Market{ShareOnly: true, Producers: []supply.Producer{{"AU", 53}}}
		ms := supply.Compute(m, nil)
		if ms.China != nil {
			t.Errorf("China share %v, want unknown", *ms.China)
		}
		if math.Abs(ms.Unattributed-0.47) > 1e-9 {
			t.Errorf("unattributed %g", ms.Unattributed)
		}
	})
	t.Run("OtherBucketNotInHHI", func(t *testing.T) {
		m := &supply.Market{Producers: []supply.Producer{{"CN", 50}}, Other: 50}
		ms := supply.Compute(m, nil)
		if ms.HHI != 2500 || ms.OtherShare != 0.5 {
			t.Errorf("HHI %g other %g", ms.HHI, ms.OtherShare)
		}
	})
	t.Run("Governance", func(t *testing.T) {
		m := &supply.Market{Producers: []supply.Producer{{"CN", 60}, {"AU", 30}, {"XX", 10}}}
		ms := supply.Compute(m, map[string]float64{"CN": 5.58, "AU": 1.914})
		want := 0.36*5.58 + 0.09*1.914
		if ms.HHIWGI == nil || math.Abs(*ms.HHIWGI-want) > 1e-9 {
			t.Fatalf("HHI_WGI %v, want %g", ms.HHIWGI, want)
		}
		if math.Abs(ms.WGICoverage-0.9) > 1e-9 || len(ms.NoWGI) != 1 || ms.NoWGI[0] != "XX" {
			t.Errorf("coverage %g, no WGI %v", ms.WGICoverage, ms.NoWGI)
		}
	})
}

func TestScaleWGI(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{{2.5, 0}, {-2.5, 10}, {0, 5}, {-0.29, 5.58}, {3, 0}, {-3, 10}} {
		if got := supply.ScaleWGI(tt.in); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("ScaleWGI(%g) = %g, want %g", tt.in, got, tt.want)
		}
	}
}

func TestGovernanceScores(t *testing.T) {
	gs := []*nadra.Governance{
		{Country: "CN", Year: 2023, Voice: -1.5, Stability: -0.51, Effectiveness: 0.68, Regulatory: -0.36, RuleOfLaw: -0.04, Corruption: -0.01},
		{Country: "CN", Year: 2020},
		{Country: "AU", Year: 2026},
	}
	s, used := supply.GovernanceScores(gs, 2024)
	// China's 2023 mean is -0.29; rescaled, 5.58.
	if math.Abs(s["CN"]-5.58) > 1e-9 || used["CN"] != 2023 {
		t.Errorf("CN %g (%d)", s["CN"], used["CN"])
	}
	if used["AU"] != 2026 {
		t.Errorf("AU falls back to the only year: %d", used["AU"])
	}
}

func TestNewRisk(t *testing.T) {
	t.Run("GlobalVariant", func(t *testing.T) {
		r := supply.NewRisk(2.5, supply.RiskInputs{EoLRIR: fp(0.2)})
		if r.Variant != supply.VariantGlobal || math.Abs(r.Value-2.0) > 1e-12 {
			t.Fatalf("%+v", r)
		}
		if len(r.Missing) != 4 { // SI, EU sourcing, IR, t
			t.Errorf("missing %q", r.Missing)
		}
	})
	t.Run("Full", func(t *testing.T) {
		// [2 × 0.8/2 + 4 × (1 − 0.8/2)] × (1 − 0.5) × 0.9 = (0.8 + 2.4) × 0.45 = 1.44
		r := supply.NewRisk(2, supply.RiskInputs{EUSourcingHHIWGI: fp(4), ImportReliance: fp(0.8), EoLRIR: fp(0.5), SISR: fp(0.9)})
		if r.Variant != supply.VariantFull || math.Abs(r.Value-1.44) > 1e-12 || len(r.Missing) != 1 {
			t.Fatalf("%+v", r)
		}
	})
}

func TestMarket_With(t *testing.T) {
	d := mustSupply(t)
	m := mustMarket(t, d, "lithium", "mine", 2024)
	t.Run("OK", func(t *testing.T) {
		after, err := m.With(supply.Producer{Country: "UA", Quantity: 40000})
		if err != nil {
			t.Fatal(err)
		}
		c := supply.Compare(m, after, nil)
		// China 41,400 of 222,970 t Li, then of 262,970.
		if math.Abs(*c.Before.China-41400.0/222970) > 1e-12 || math.Abs(*c.After.China-41400.0/262970) > 1e-12 {
			t.Errorf("China %g → %g", *c.Before.China, *c.After.China)
		}
		if *c.Change.China >= 0 || c.Change.AddedShare <= 0.15 || c.Change.AddedShare >= 0.16 {
			t.Errorf("change %+v", c.Change)
		}
		if m.Quantity("UA") != 0 || after.Quantity("UA") != 40000 {
			t.Error("With changed the original market")
		}
	})
	t.Run("ErrBadAddition", func(t *testing.T) {
		for _, a := range []supply.Producer{{"UA", -1}, {"UA", math.NaN()}, {"UA", math.Inf(1)}, {"ukraine", 1}, {"world", 1}} {
			if _, err := m.With(a); !errors.Is(err, supply.ErrBadAddition) {
				t.Errorf("%v: %v", a, err)
			}
		}
	})
	t.Run("ErrShareOnly", func(t *testing.T) {
		g := mustMarket(t, d, "germanium", "refining", 2023)
		if _, err := g.With(supply.Producer{Country: "UA", Quantity: 1}); !errors.Is(err, supply.ErrShareOnly) {
			t.Errorf("%v", err)
		}
	})
	t.Run("ErrNoRows", func(t *testing.T) {
		if _, err := supply.NewMarket(d.SeriesMap()["lithium/mine"], d.Production, 1990); !errors.Is(err, supply.ErrNoRows) {
			t.Errorf("%v", err)
		}
	})
}

func TestNewMarket_Products(t *testing.T) {
	d := mustSupply(t)
	m := mustMarket(t, d, "titanium", "mine", 2021)
	// Ukraine 2021: 316 kt ilmenite + 95 kt rutile, TiO2 content.
	if got := m.Quantity("UA"); got != 411 {
		t.Errorf("Ukraine 2021 = %g kt TiO2, want 411", got)
	}
	if m.World == nil || *m.World != 8900+618 {
		t.Errorf("world %v", m.World)
	}
}

func TestTaylorLife(t *testing.T) {
	for _, tt := range []struct{ ore, want float64 }{{1e4, 2}, {1e8, 20}, {80e6, 18.91}} {
		if got := supply.TaylorLife(tt.ore); math.Abs(got-tt.want) > 0.01 {
			t.Errorf("TaylorLife(%g) = %.3f, want %g", tt.ore, got, tt.want)
		}
	}
}

func TestDepositPotential(t *testing.T) {
	lith := &nadra.SupplySeries{Commodity: "lithium", Stage: "mine", Name: "Li", Registry: "lithium", Unit: "t Li content", Basis: "Li", PerTonne: fp(1)}
	dep := &nadra.Deposit{ID: "d", Name: "D"}
	src := []string{"x (2020)"}
	tests := []struct {
		name    string
		ests    []*nadra.Estimate
		oreFrom string
		ore     float64 // tonnes
		annual  float64 // t Li / yr
	}{
		{"OwnOre", []*nadra.Estimate{{DepositID: "d", Commodity: "lithium", OreMt: fp(16), Grade: fp(1), GradeUnit: nadra.GradePct, Basis: "Li", Category: "C1", Source: src}},
			supply.OreFromFigure, 16e6, 160000 / 12.649},
		{"Grade", []*nadra.Estimate{
			{DepositID: "d", Commodity: "lithium", ContainedT: fp(100000), Basis: "Li", Category: "unspecified", Year: ip(2025), Source: src},
			{DepositID: "d", Commodity: "lithium", Grade: fp(0.5), GradeUnit: nadra.GradePct, Basis: "Li", Category: "unspecified", Year: ip(2021), Source: src},
		}, supply.OreFromGrade, 20e6, 100000 / supply.TaylorLife(20e6)},
		{"OtherOre", []*nadra.Estimate{
			{DepositID: "d", Commodity: "lithium", ContainedT: fp(100000), Basis: "Li", Category: "unspecified", Year: ip(2025), Source: src},
			{DepositID: "d", Commodity: "lithium", OreMt: fp(1e2), Basis: "Li", Category: "unspecified", Year: ip(2019), Source: src},
		}, supply.OreFromOther, 100e6, 100000 / 20.0},
		{"NoOre", []*nadra.Estimate{{DepositID: "d", Commodity: "lithium", ContainedT: fp(1), Basis: "Li", Category: "A", Source: src}},
			supply.OreUnavailable, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := supply.DepositPotential(dep, tt.ests, lith, 1)
			if p.OreFrom != tt.oreFrom || math.Abs(p.OreTonnes-tt.ore) > 1 || math.Abs(p.Annual-tt.annual) > 1 {
				t.Errorf("%+v", p)
			}
			if (tt.oreFrom == supply.OreUnavailable) != (p.Skipped != "") {
				t.Errorf("skipped %q", p.Skipped)
			}
		})
	}
}

// randomMarket returns a market of up to 12 producers with positive
// output and, sometimes, an "other countries" bucket.
func randomMarket(r *rand.Rand) *supply.Market {
	m := &supply.Market{}
	n := 1 + r.IntN(12)
	for i := 0; i < n; i++ {
		m.Producers = append(m.Producers, supply.Producer{Country: string(rune('A'+i)) + "X", Quantity: 1 + r.Float64()*1e6})
	}
	if r.IntN(2) == 0 {
		m.Other = r.Float64() * 1e5
	}
	return m
}

func TestProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cfg := &quick.Config{MaxCount: 300, Rand: nil}
	t.Run("SharesSumToOne", func(t *testing.T) {
		for i := 0; i < 300; i++ {
			m := randomMarket(r)
			ms := supply.Compute(m, nil)
			sum := ms.OtherShare
			for _, s := range ms.Shares {
				sum += s.Share
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Fatalf("shares sum to %g for %+v", sum, m)
			}
		}
	})
	t.Run("MonopolyIs10000", func(t *testing.T) {
		f := func(q float64) bool {
			q = math.Abs(q) + 1e-9
			if math.IsInf(q, 0) || math.IsNaN(q) {
				return true
			}
			ms := supply.Compute(&supply.Market{Producers: []supply.Producer{{"CN", q}}}, nil)
			return math.Abs(ms.HHI-10000) < 1e-6 && *ms.China == 1
		}
		if err := quick.Check(f, cfg); err != nil {
			t.Error(err)
		}
	})
	t.Run("HHIIndependentOfRowOrder", func(t *testing.T) {
		for i := 0; i < 300; i++ {
			m := randomMarket(r)
			a := supply.Compute(m, nil)
			p := *m
			p.Producers = append([]supply.Producer(nil), m.Producers...)
			r.Shuffle(len(p.Producers), func(i, j int) { p.Producers[i], p.Producers[j] = p.Producers[j], p.Producers[i] })
			b := supply.Compute(&p, nil)
			if math.Abs(a.HHI-b.HHI) > 1e-6 || math.Abs(a.Top3-b.Top3) > 1e-12 {
				t.Fatalf("order changed HHI %g → %g", a.HHI, b.HHI)
			}
		}
	})
	t.Run("HHIBounds", func(t *testing.T) {
		for i := 0; i < 300; i++ {
			m := randomMarket(r)
			m.Other = 0
			ms := supply.Compute(m, nil)
			n := float64(len(m.Producers))
			if ms.HHI < 10000/n-1e-6 || ms.HHI > 10000+1e-6 {
				t.Fatalf("HHI %g outside [10000/%g, 10000]", ms.HHI, n)
			}
		}
	})
	t.Run("RowOrderOfProductionTable", func(t *testing.T) {
		d := mustSupply(t)
		s := d.SeriesMap()["graphite/mine"]
		a, _ := supply.NewMarket(s, d.Production, 2024)
		rows := append([]*nadra.Production(nil), d.Production...)
		r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		b, _ := supply.NewMarket(s, rows, 2024)
		if x, y := supply.Compute(a, nil), supply.Compute(b, nil); x.HHI != y.HHI || *x.China != *y.China {
			t.Errorf("HHI %g vs %g", x.HHI, y.HHI)
		}
	})
	t.Run("AddingToOthersLowersChinaShare", func(t *testing.T) {
		f := func(seed uint64, add float64) bool {
			add = math.Mod(math.Abs(add), 1e6) + 1
			m := randomMarket(rand.New(rand.NewPCG(seed, 7)))
			m.Producers = append(m.Producers, supply.Producer{Country: "CN", Quantity: 5e5})
			after, err := m.With(supply.Producer{Country: "UA", Quantity: add})
			if err != nil {
				return false
			}
			c := supply.Compare(m, after, nil)
			return *c.Change.China < 0 && math.Abs(after.Total()-m.Total()-add) < 1e-6*after.Total()
		}
		if err := quick.Check(f, cfg); err != nil {
			t.Error(err)
		}
	})
}

func TestCheckShares(t *testing.T) {
	src := []string{"x (2020)"}
	rows := []*nadra.Production{
		{Commodity: "g", Stage: "refining", Country: "CN", Year: 2024, SharePct: fp(83), Source: src},
		{Commodity: "g", Stage: "refining", Country: "RU", Year: 2024, SharePct: fp(20), Source: src},
		{Commodity: "l", Stage: "mine", Country: "CN", Year: 2024, Quantity: fp(60), Source: src},
		{Commodity: "l", Stage: "mine", Country: "AU", Year: 2024, Quantity: fp(50), Source: src},
		{Commodity: "l", Stage: "mine", Country: "world", Year: 2024, Quantity: fp(100), Source: src},
		{Commodity: "l", Stage: "mine", Country: "CN", Year: 2023, Quantity: fp(60), Source: src},
		{Commodity: "l", Stage: "mine", Country: "world", Year: 2023, Quantity: fp(58), Source: src}, // 3.4% over: rounding
	}
	probs := nadra.CheckShares(rows)
	if len(probs) != 2 || len(probs[0].Rows) != 2 || len(probs[1].Rows) != 2 || probs[1].Year != 2024 {
		t.Fatalf("%+v", probs)
	}
	d := mustSupply(t)
	if probs := nadra.CheckShares(d.Production); len(probs) != 0 {
		t.Errorf("the embedded table fails its own check: %+v", probs[0])
	}
}
