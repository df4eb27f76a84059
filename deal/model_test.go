package deal_test

import (
	"context"
	"math"
	"testing"

	"nadra"
	"nadra/deal"
)

// testParams are the global parameters of the hand-checked cases: 20%
// tax, no ramp-up, one year of construction, no conflict hazard.
func testParams() *deal.Params {
	v := func(key, scope string, x float64) deal.Value {
		return deal.Value{Key: key, Scope: scope, Value: x, Low: math.NaN(), High: math.NaN(), Status: deal.StatusFact, Source: "test (2026)"}
	}
	return &deal.Params{Values: []deal.Value{
		v("cit_rate", "", 0.2), v("ramp_years", "", 1), v("construction_years", "", 1),
		v("overrun_mean", "", 1.25), v("overrun_p_double", "", 0.077),
		v("hazard_h0", "", 0), v("hazard_d0_km", "", 10),
		v("volatility", "ore", 0.3),
	}}
}

// testProject is a mine selling 100 t a year of "ore" at $10/t for three
// years, with opex $2/t and a 10% rent.
func testProject(existing bool, capex float64, lead float64) deal.Project {
	return deal.Project{DepositID: "test", Existing: existing, LifeYears: 3, CapexUSD: capex, Status: nadra.StatusControlled, DistanceKm: 100,
		Lead:  deal.LeadTime{Min: lead, Mode: lead, Max: lead},
		Lines: []deal.Line{{Commodity: "ore", CapacityTPA: 100, PriceUSD: 10, OpexUSD: 2, RentRate: 0.1}}}
}

func testTerms(waterfall string) *nadra.DealTerms {
	return &nadra.DealTerms{ID: "test", FundStartYear: 2025, UkraineShare: 0.5, RevenueBase: nadra.BaseNew, InForce: "2025-05-23",
		Streams: []string{nadra.StreamRent}, Waterfall: waterfall, USShare: 1}
}

// deterministic evaluates projects under terms with every scale at zero.
func deterministic(t *testing.T, projects []deal.Project, terms *nadra.DealTerms, s deal.Settings) []float64 {
	t.Helper()
	m, err := deal.NewModel(projects, testParams(), s)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := deal.Deterministic(m, []*deal.Fund{m.NewFund(terms)})
	if err != nil {
		t.Fatal(err)
	}
	return rows[0]
}

func near(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.10g, want %.10g", name, got, want)
	}
}

// One producing mine, all of Ukraine's receipts under an all-revenues
// base, fixed 100% US interest, distributions every year.
func TestModel_ExistingMineByHand(t *testing.T) {
	terms := testTerms(nadra.WaterfallFixed)
	terms.RevenueBase = nadra.BaseAll
	s := deal.Settings{StartYear: 2025, EndYear: 2027, Discount: 0.1, Hurdle: 0.1, Coinvest: 0.5}
	out := deterministic(t, []deal.Project{testProject(true, 0, 0)}, terms, s)
	// Revenue 1000 a year, rent 100, opex 200, tax 0.2·700 = 140.
	// The fund gets half the rent, 50 a year, and pays it all to the US.
	annuity := 1 + 1/1.1 + 1/1.21
	near(t, "fund receipts PV", out[deal.ColFundPV], 50*annuity)
	near(t, "fund receipts sum", out[deal.ColFundSum], 150)
	near(t, "US NPV", out[deal.ColUSNPV], 50*annuity)
	near(t, "Ukraine NPV", out[deal.ColUANPV], -50*annuity)
	near(t, "state receipts PV", out[deal.ColStatePV], 240*annuity)
	near(t, "first distribution to the US", out[deal.ColUSFirst], 0)
	if !math.IsNaN(out[deal.ColUAFirst]) {
		t.Errorf("Ukraine's first distribution = %g, want never", out[deal.ColUAFirst])
	}
	if !math.IsNaN(out[deal.ColUSRecovery]) {
		t.Errorf("recovery with no US contribution = %g, want undefined", out[deal.ColUSRecovery])
	}
	// The US only receives: no IRR. Ukraine only pays: no IRR.
	if k := deal.IRRKind(out[deal.ColUSIRRKind]); k != deal.IRRNone {
		t.Errorf("US IRR kind = %v, want none", k)
	}
	// Under the signed base, an existing mine is excluded.
	terms.RevenueBase = nadra.BaseNew
	out = deterministic(t, []deal.Project{testProject(true, 0, 0)}, terms, s)
	near(t, "fund receipts PV, new base", out[deal.ColFundPV], 0)
	near(t, "state receipts PV, new base", out[deal.ColStatePV], 240*annuity)
}

// A new mine with capex, a build decision, a co-investment by the fund
// and a two-year lock-up, checked line by line.
func TestModel_NewMineByHand(t *testing.T) {
	terms := testTerms(nadra.WaterfallFixed)
	terms.USCash = []nadra.Flow{{Year: 2025, USD: 100}}
	terms.ReinvestYears = 2
	s := deal.Settings{StartYear: 2025, EndYear: 2029, Discount: 0.1, Hurdle: 0.1, Coinvest: 0.5}
	out := deterministic(t, []deal.Project{testProject(false, 300, 2)}, terms, s)
	// First production in 2027 (lead 2), construction in 2026 with capex
	// 300 x the mean overrun 1.25 = 375. Depreciation 125 a year over the
	// three years of production: tax 0.2·(1000-200-100-125) = 115,
	// operating cash 585. The decision in 2026, at prices then and capex
	// as estimated: (720-160)·2.7355/1.1 - 300 + 0.2·100·2.7355/1.1 > 0.
	// The fund holds 100 in 2026: stake min(0.5, 100/300) = 1/3, pays
	// 125 of capex, so cash is -25. 2027: -25 + 50 rent share + 195
	// stake income = 220, distributed (lock-up over); 2028 and 2029: 245
	// each.
	if out[deal.ColBuilt] != 1 {
		t.Fatalf("built = %g, want 1", out[deal.ColBuilt])
	}
	d := func(t int) float64 { return math.Pow(1.1, -float64(t)) }
	near(t, "fund receipts PV", out[deal.ColFundPV], 50*(d(2)+d(3)+d(4)))
	near(t, "US distributions PV", out[deal.ColUSDistPV], 220*d(2)+245*d(3)+245*d(4))
	near(t, "US contributions PV", out[deal.ColUSContribPV], 100)
	near(t, "US NPV", out[deal.ColUSNPV], -100+220*d(2)+245*d(3)+245*d(4))
	near(t, "US first distribution", out[deal.ColUSFirst], 2)
	// The US flows change sign once: a unique IRR that zeroes their NPV.
	flows := []float64{-100, 0, 220, 245, 245}
	roots, kind := deal.IRR(flows)
	if kind != deal.IRRUnique || deal.IRRKind(out[deal.ColUSIRRKind]) != deal.IRRUnique {
		t.Fatalf("IRR kind = %v / %v, want unique", kind, deal.IRRKind(out[deal.ColUSIRRKind]))
	}
	near(t, "US IRR", out[deal.ColUSIRR], roots[0])
	near(t, "state receipts PV", out[deal.ColStatePV], (100+115)*(d(2)+d(3)+d(4)))
}

func TestModel_BuildDecision(t *testing.T) {
	terms := testTerms(nadra.WaterfallProRata)
	s := deal.Settings{StartYear: 2025, EndYear: 2029, Discount: 0.1, Hurdle: 0.1, Coinvest: 0.5}
	// Decision value at the 10% hurdle, production starting one year on:
	// 560·2.735537/1.1 - capex + 0.2·(capex/3)·2.735537/1.1
	// = 1392.64 - 0.83421·capex, positive below capex 1669.4.
	for _, tt := range []struct {
		capex float64
		built float64
	}{{1650, 1}, {1700, 0}} {
		out := deterministic(t, []deal.Project{testProject(false, tt.capex, 2)}, terms, s)
		if out[deal.ColBuilt] != tt.built {
			t.Errorf("capex %g: built = %g, want %g", tt.capex, out[deal.ColBuilt], tt.built)
		}
		if tt.built == 0 && out[deal.ColFundPV] != 0 {
			t.Errorf("an unbuilt mine pays rent: %g", out[deal.ColFundPV])
		}
	}
}

// With every volatility, spread and hazard at zero, all paths are the
// deterministic case, so the mean equals it exactly; with small price
// volatility the mean approaches it as the volatility shrinks.
func TestSimulate_ConvergesToDeterministic(t *testing.T) {
	in := MustInputs(t)
	terms := []*nadra.DealTerms{MustTerms(t, "urif-2025")}
	in.Settings.VolScale, in.Settings.SpreadScale, in.Settings.HazardScale = 0, 0, 0
	r, err := deal.Simulate(context.Background(), in, terms, deal.Options{Paths: 500, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"fund_receipts_pv", "us_npv", "ukraine_npv", "state_receipts_pv"} {
		s := r.Terms[0].Metrics[k]
		if s.Mean != r.Terms[0].Deterministic[k] || s.SD != 0 {
			t.Errorf("%s at zero scales: mean %v (sd %v), deterministic %v", k, s.Mean, s.SD, r.Terms[0].Deterministic[k])
		}
	}
	// Only prices random, at shrinking volatility. Receipts are linear in
	// price, and E[price] is the starting price, so the gap closes.
	in.Settings.SpreadScale, in.Settings.HazardScale = 0, 0
	prev := math.Inf(1)
	for _, vol := range []float64{0.4, 0.1, 0.02} {
		in.Settings.VolScale = vol
		r, err := deal.Simulate(context.Background(), in, terms, deal.Options{Paths: 4000, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		s := r.Terms[0].Metrics["state_receipts_pv"]
		det := r.Terms[0].Deterministic["state_receipts_pv"]
		gap := math.Abs(s.Mean-det) / det
		t.Logf("vol x%g: mean %.6g, deterministic %.6g, relative gap %.2g, SE %.2g", vol, s.Mean, det, gap, s.SE/det)
		if gap > prev {
			t.Errorf("vol x%g: relative gap %g grew from %g", vol, gap, prev)
		}
		prev = gap
	}
	if prev > 2e-3 {
		t.Errorf("at 2%% of the volatility the mean is still %.2g away from the deterministic value", prev)
	}
}

// The standard error of the mean shrinks as 1/sqrt(n): 16 times the
// paths, a quarter of the error. One seed's ratio is itself noisy (the
// receipts are heavy-tailed: 2.5 to 4.9 over seeds 1-12), so the test
// takes the geometric mean of the ratio over eight seeds.
func TestSimulate_StandardErrorShrinks(t *testing.T) {
	in := MustInputs(t)
	terms := []*nadra.DealTerms{MustTerms(t, "urif-2025")}
	logSum := 0.0
	const seeds = 8
	for seed := uint64(1); seed <= seeds; seed++ {
		se := func(n int) float64 {
			r, err := deal.Simulate(context.Background(), in, terms, deal.Options{Paths: n, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			return r.Terms[0].Metrics["fund_receipts_pv"].SE
		}
		logSum += math.Log(se(1000) / se(16000))
	}
	if ratio := math.Exp(logSum / seeds); ratio < 3.4 || ratio > 4.6 {
		t.Errorf("SE(1000)/SE(16000) = %.2f (geometric mean over %d seeds), want about 4", ratio, seeds)
	}
}

// Results depend on the seed and inputs only: one worker and eight give
// the same bits, path by path and in every summary.
func TestSimulate_WorkerInvariance(t *testing.T) {
	in := MustInputs(t)
	terms := []*nadra.DealTerms{MustTerms(t, "urif-2025"), MustTerms(t, "draft-2025-03")}
	runWith := func(workers int) *deal.Result {
		r, err := deal.Simulate(context.Background(), in, terms, deal.Options{Paths: 3000, Seed: 42, Workers: workers, TornadoPaths: 300})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b := runWith(1), runWith(8)
	for i, x := range a.Results.Data {
		y := b.Results.Data[i]
		if math.Float64bits(x) != math.Float64bits(y) {
			t.Fatalf("value %d differs: %v (1 worker) vs %v (8 workers)", i, x, y)
		}
	}
	for k, tr := range a.Terms {
		for key, s := range tr.Metrics {
			u := b.Terms[k].Metrics[key]
			if math.Float64bits(s.Mean) != math.Float64bits(u.Mean) || math.Float64bits(s.P95) != math.Float64bits(u.P95) {
				t.Errorf("%s %s differs: %+v vs %+v", tr.ID, key, s, u)
			}
		}
	}
	for i, row := range a.Tornado.Rows {
		if row != b.Tornado.Rows[i] {
			t.Errorf("tornado row %d differs: %+v vs %+v", i, row, b.Tornado.Rows[i])
		}
	}
	c, err := deal.Simulate(context.Background(), in, terms, deal.Options{Paths: 3000, Seed: 43, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if c.Terms[0].Metrics["fund_receipts_pv"].Mean == a.Terms[0].Metrics["fund_receipts_pv"].Mean {
		t.Error("seeds 42 and 43 gave the same mean")
	}
}

// --vs runs both terms on the same paths: the same terms twice differ by
// exactly zero on every path.
func TestSimulate_VSSamePaths(t *testing.T) {
	in := MustInputs(t)
	u := MustTerms(t, "urif-2025")
	r, err := deal.Simulate(context.Background(), in, []*nadra.DealTerms{u, u}, deal.Options{Paths: 500, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	for k, s := range r.VS.Metrics {
		if s.N > 0 && (s.Mean != 0 || s.SD != 0) {
			t.Errorf("%s: difference of identical terms %+v", k, s)
		}
	}
	r, err = deal.Simulate(context.Background(), in, []*nadra.DealTerms{u, MustTerms(t, "draft-2025-02")}, deal.Options{Paths: 2000, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	// The February draft adds producing mines to the base: never less.
	if s := r.VS.Metrics["fund_receipts_pv"]; s.P5 < 0 {
		t.Errorf("February draft gives the fund less than the signed text on some paths: %+v", s)
	}
	// The difference's SE is smaller than either mean's SE: common random
	// numbers at work.
	if d, a := r.VS.Metrics["fund_receipts_pv"].SE, r.Terms[0].Metrics["fund_receipts_pv"].SE; d >= a {
		t.Errorf("SE of the difference %g is not below the SE of a mean %g", d, a)
	}
}

// Occupied deposits yield nothing and deposits without estimates are
// listed, never valued at zero.
func TestProjects_NotValuedListed(t *testing.T) {
	in := MustInputs(t)
	m, err := deal.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, p := range m.Projects {
		seen[p.DepositID] = "valued"
		if p.Status != nadra.StatusControlled {
			t.Errorf("%s valued with status %s", p.DepositID, p.Status)
		}
	}
	for _, l := range m.Lost {
		seen[l.DepositID] = "lost"
	}
	for _, n := range m.NotValued {
		if n.Reason == "" {
			t.Errorf("%s not valued without a reason", n.DepositID)
		}
		seen[n.DepositID] = "not valued"
	}
	for _, d := range in.Registry.Deposits {
		if seen[d.ID] == "" {
			t.Errorf("deposit %s is neither valued, lost nor listed as not valued", d.ID)
		}
	}
	if seen["shevchenkivske"] != "lost" || seen["dobra"] != "valued" || seen["anadolske"] != "not valued" {
		t.Errorf("shevchenkivske %s, dobra %s, anadolske %s", seen["shevchenkivske"], seen["dobra"], seen["anadolske"])
	}
}

func TestTornado_SortedWithCommonRandomNumbers(t *testing.T) {
	in := MustInputs(t)
	r, err := deal.Simulate(context.Background(), in, []*nadra.DealTerms{MustTerms(t, "urif-2025")}, deal.Options{Paths: 200, Seed: 1, TornadoPaths: 400})
	if err != nil {
		t.Fatal(err)
	}
	rows := r.Tornado.Rows
	if len(rows) < 10 {
		t.Fatalf("%d tornado rows", len(rows))
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].Swing > rows[i-1].Swing {
			t.Errorf("rows not sorted by swing at %d", i)
		}
	}
	for _, row := range rows {
		// The discount rate moves only discounting: a higher rate can
		// only lower the PV of non-negative receipts.
		if row.Input == "discount_rate" && row.FundPVHigh > row.FundPVLow {
			t.Errorf("discount at 10%% gives more PV (%g) than at 3%% (%g)", row.FundPVHigh, row.FundPVLow)
		}
	}
}

// TestModel_PSACostRecovery follows a PSA mine by hand: $1,000 of capex
// (1,250 as built, at the mean overrun) in 2025, then three years of
// $1,000 of output and $200 of opex. The investor recovers its costs from
// at most 70% of output, the state taking 4% of the other 30% meanwhile
// and 15% of output afterwards:
//
//	2026: costs to recover 1,250 + 200 = 1,450 > 700: take 0.04·300 = 12, 750 left
//	2027: 750 + 200 = 950 > 700: take 12, 250 left
//	2028: 250 + 200 = 450 ≤ 700: recovered, take 0.15·1,000 = 150
//
// CIT is 20% of output less opex, take and depreciation 1,250/3.
func TestModel_PSACostRecovery(t *testing.T) {
	terms := testTerms(nadra.WaterfallProRata)
	terms.Streams = []string{nadra.StreamPSAShare}
	s := deal.Settings{StartYear: 2025, EndYear: 2029, Discount: 0.1, Hurdle: 0.1, Coinvest: 0}
	p := testProject(false, 1000, 1)
	p.PSA = &deal.PSATerms{CostRecoveryCap: 0.7, RecoveryShare: 0.04, Share: 0.15}
	out := deterministic(t, []deal.Project{p}, terms, s)
	m, _ := deal.NewModel([]deal.Project{p}, testParams(), s)
	d := func(t int) float64 { return math.Pow(1.1, -float64(t)) }
	dep := 1250.0 / 3
	tax := func(take float64) float64 { return 0.2 * (1000 - 200 - take - dep) }
	near(t, "fund receipts PV", out[deal.ColFundPV], 0.5*(12*d(1)+12*d(2)+150*d(3)))
	state := (12+tax(12))*d(1) + (12+tax(12))*d(2) + (150+tax(150))*d(3)
	near(t, "state receipts PV", out[deal.ColStatePV], state)
	near(t, "project's state receipts PV", out[m.ProjCol(0, deal.ProjState)], state)
	near(t, "project's part of the fund", out[m.ProjCol(0, deal.ProjFund)], out[deal.ColFundPV])
	// The developer: -1,250 in 2025, then output less opex, take and tax.
	dev := -1250 + (800-12-tax(12))*d(1) + (800-12-tax(12))*d(2) + (800-150-tax(150))*d(3)
	near(t, "developer NPV", out[m.ProjCol(0, deal.ProjDev)], dev)
	near(t, "first production", out[m.ProjCol(0, deal.ProjStart)], 2026)
}

// TestModel_CeasefireGate: a mine whose build waits on the ceasefire
// starts construction in the ceasefire year, not before, and is never
// built without one; its own two years of construction then put first
// output two years after the ceasefire, though its lead time is one year.
func TestModel_CeasefireGate(t *testing.T) {
	terms := testTerms(nadra.WaterfallProRata)
	p := testProject(false, 300, 1)
	p.WaitsForCeasefire, p.Construction = true, 2
	for _, tt := range []struct {
		ceasefire int
		start     float64 // NaN: never built
	}{
		{2027, 2027 + 2},
		{2025, 2025 + 2}, // lead 1 < 0 + 2 years of construction
		{2030, 2030 + 2}, // beyond the horizon's 2031: built, producing nothing within it
		{0, math.NaN()},
	} {
		s := deal.Settings{StartYear: 2025, EndYear: 2031, Discount: 0.1, Hurdle: 0.1, CeasefireYear: tt.ceasefire}
		m, err := deal.NewModel([]deal.Project{p}, testParams(), s)
		if err != nil {
			t.Fatal(err)
		}
		out := deterministic(t, []deal.Project{p}, terms, s)
		got := out[m.ProjCol(0, deal.ProjStart)]
		if math.IsNaN(tt.start) != math.IsNaN(got) || !math.IsNaN(got) && got != tt.start {
			t.Errorf("ceasefire %d: first production %v, want %v", tt.ceasefire, got, tt.start)
		}
		if tt.ceasefire == 0 && out[deal.ColBuilt] != 0 {
			t.Errorf("no ceasefire: built %v, want 0", out[deal.ColBuilt])
		}
	}
}
