package claims_test

import (
	"math"
	"testing"

	"nadra"
	"nadra/claims"
	"nadra/geo"

	"github.com/paulmach/orb"
)

// pointSituation gives each point a fixed status; points not listed are
// controlled.
type pointSituation map[orb.Point][2]string

func (s pointSituation) Status(p orb.Point) (nadra.Status, string) {
	if v, ok := s[p]; ok {
		return nadra.Status(v[0]), v[1]
	}
	return nadra.StatusControlled, ""
}
func (pointSituation) HostileKm(orb.Point) float64        { return 100 }
func (pointSituation) ControlledKm(orb.Point) float64     { return 100 }
func (pointSituation) Describe() (string, bool, []string) { return "fixture", true, nil }
func fp(v float64) *float64                               { return &v }
func ip(v int) *int                                       { return &v }

// fixture: seven located deposits.
//
//	ti1  titanium 1,000 t TiO2 at 100 USD/t = 100,000 USD   occupied since 2022
//	au1  gold 2 t at 5,000 USD/t            =  10,000 USD   occupied before 2022
//	au2  gold 4 t                           =  20,000 USD   controlled
//	fe1  iron, no figure                                     occupied since 2022
//	fe2  iron, no figure                                     controlled
//	fe3  iron, no figure                                     controlled
//	u1   uranium (energy), 1 t U3O8 at 1,000 USD/t          occupied since 2022
//
// The deal model's net value: ti1 titanium 50,000 USD only.
func fixture() claims.Inputs {
	var deps []*nadra.Deposit
	sit := pointSituation{}
	add := func(id string, i float64, status, since string, comms ...string) {
		p := orb.Point{30 + i, 48}
		deps = append(deps, &nadra.Deposit{ID: id, Name: id, Oblast: "UA-12", Lat: fp(p[1]), Lon: fp(p[0]), PrecisionKm: fp(1), Commodities: comms})
		if status != "" {
			sit[p] = [2]string{status, since}
		}
	}
	occ := string(nadra.StatusOccupied)
	add("ti1", 1, occ, nadra.Since2022, "titanium")
	add("au1", 2, occ, nadra.SinceBefore, "gold")
	add("au2", 3, "", "", "gold")
	add("fe1", 4, occ, nadra.Since2022, "iron")
	add("fe2", 5, "", "", "iron")
	add("fe3", 6, "", "", "iron")
	add("u1", 7, occ, nadra.Since2022, "uranium")
	reg := geo.Registry{
		Commodities: []*nadra.Commodity{
			{Code: "titanium", Basis: "TiO2", PriceUSDPerT: fp(100), Class: nadra.ClassMetallic, EUCritical2023: true},
			{Code: "gold", Basis: "Au", PriceUSDPerT: fp(5000), Class: nadra.ClassMetallic},
			{Code: "iron", Basis: "Fe_ore", Class: nadra.ClassMetallic},
			{Code: "uranium", Basis: "U3O8", PriceUSDPerT: fp(1000), Class: nadra.ClassEnergy},
		},
		Deposits: deps,
		Estimates: []*nadra.Estimate{
			{DepositID: "ti1", Commodity: "titanium", ContainedT: fp(1000), Basis: "TiO2", Category: "C1", Year: ip(2020)},
			{DepositID: "au1", Commodity: "gold", ContainedT: fp(2), Basis: "Au", Category: "C1", Year: ip(2020)},
			{DepositID: "au2", Commodity: "gold", ContainedT: fp(4), Basis: "Au", Category: "C1", Year: ip(2020)},
			{DepositID: "u1", Commodity: "uranium", ContainedT: fp(1), Basis: "U3O8", Category: "C1", Year: ip(2020)},
		},
	}
	return claims.Inputs{
		Registry: reg,
		At: func(date string) (geo.Situation, string, error) {
			if date >= "2026-01-01" {
				return sit, "2026-08-22", nil
			}
			return sit, "2025-02-01", nil
		},
		Latest: "2026-08-22",
		Net:    map[string]map[string]float64{"ti1": {"titanium": 50000}},
		Supply: &nadra.SupplyData{
			Series: []*nadra.SupplySeries{{Commodity: "rare_earths", Stage: nadra.StageMine, Name: "REE", Unit: "t REO"}},
			Production: []*nadra.Production{
				{Commodity: "rare_earths", Stage: nadra.StageMine, Country: "CN", Year: 2024, Quantity: fp(60)},
				{Commodity: "rare_earths", Stage: nadra.StageMine, Country: "US", Year: 2024, Quantity: fp(40)},
			},
		},
	}
}

func claim(id string, kind nadra.ClaimKind, scope string, op nadra.ClaimOp, value, tol float64, pre string, methods ...nadra.ClaimMethod) *nadra.Claim {
	c := &nadra.Claim{ID: id, Date: "2025-02-11", Who: "w", Words: "w", Basis: "not stated", Kind: kind, Scope: scope, Op: op,
		Value: fp(value), Pre2022: pre, Methods: methods, Sources: []string{"s (2025)"}}
	if tol > 0 {
		c.Tolerance = fp(tol)
	}
	return c
}

type want struct {
	method     nadra.ClaimMethod
	line       string
	pre        bool
	value      float64 // NaN: none
	withFigure int
	located    int
	verdict    nadra.ClaimVerdict
}

func TestEvaluate(t *testing.T) {
	in := fixture()
	tests := []struct {
		claim   *nadra.Claim
		figures []want
		verdict nadra.ClaimVerdict
	}{
		{
			// Metallic universe: ti1, au1, au2, fe1, fe2, fe3 (u1 is energy).
			claim: claim("metal-40", nadra.ClaimOccupiedShare, "metallic", nadra.OpAbout, 0.40, 0.05, ""),
			figures: []want{
				// With pre-2022: inaccessible ti1, au1, fe1 = 3 of 6 = 50%,
				// outside 35–45%.
				{nadra.MethodCount, "claim date", true, 3.0 / 6, 6, 6, nadra.VerdictNotConsistent},
				// Valued ti1, au1, au2 = 3 of 6 located (50%, testable):
				// (100,000 + 10,000) / 130,000 = 84.6%.
				{nadra.MethodInSitu, "claim date", true, 110000.0 / 130000, 3, 6, nadra.VerdictNotConsistent},
				// Net: ti1 only, 1 deposit: not testable; 50,000 / 50,000.
				{nadra.MethodNet, "claim date", true, 1, 1, 6, nadra.VerdictNotTestable},
				// Without pre-2022 (au1 left out): ti1, fe1 of 5 = 40%.
				{nadra.MethodCount, "claim date", false, 2.0 / 5, 5, 5, nadra.VerdictConsistent},
				// Valued ti1, au2 = 2 < 3: not testable; 100,000 / 120,000.
				{nadra.MethodInSitu, "claim date", false, 100000.0 / 120000, 2, 5, nadra.VerdictNotTestable},
				{nadra.MethodNet, "claim date", false, 1, 1, 5, nadra.VerdictNotTestable},
			},
			verdict: nadra.VerdictConsistent, // by count without pre-2022
		},
		{
			// Pre-2022 included: only the "with" figures count; none fits.
			claim:   claim("metal-40-with", nadra.ClaimOccupiedShare, "metallic", nadra.OpAbout, 0.40, 0.05, nadra.Pre2022Included),
			verdict: nadra.VerdictNotConsistent,
		},
		{
			// Occupied value of metals with pre-2022: 110,000 USD, within
			// ±10% of 110,000.
			claim:   claim("value-ok", nadra.ClaimOccupiedValue, "metallic", nadra.OpAbout, 110000, 0.1, nadra.Pre2022Included, nadra.MethodInSitu),
			figures: []want{{nadra.MethodInSitu, "claim date", true, 110000, 3, 6, nadra.VerdictConsistent}},
			verdict: nadra.VerdictConsistent,
		},
		{
			// "More than 1,000,000": 110,000 is a lower bound, so not
			// testable rather than refuted.
			claim:   claim("value-big", nadra.ClaimOccupiedValue, "metallic", nadra.OpMore, 1e6, 0, nadra.Pre2022Included, nadra.MethodInSitu),
			verdict: nadra.VerdictNotTestable,
		},
		{
			// "About 50,000": nadra's 110,000 exceeds 55,000 even as a lower
			// bound: not consistent.
			claim:   claim("value-small", nadra.ClaimOccupiedValue, "metallic", nadra.OpAbout, 50000, 0.1, nadra.Pre2022Included, nadra.MethodInSitu),
			verdict: nadra.VerdictNotConsistent,
		},
		{
			// One commodity: gold has contained quantities. With pre-2022:
			// count 1 of 2 located, below the 5 needed.
			claim: claim("gold", nadra.ClaimOccupiedShare, "gold", nadra.OpAbout, 0.3, 0.05, nadra.Pre2022Included, nadra.MethodContained),
			figures: []want{
				{nadra.MethodCount, "claim date", true, 0.5, 2, 2, nadra.VerdictNotTestable},
				// 2 t of 6 t, but only 2 deposits carry it (< 3).
				{nadra.MethodContained, "claim date", true, 2.0 / 6, 2, 2, nadra.VerdictNotTestable},
			},
			verdict: nadra.VerdictNotTestable,
		},
		{
			// China 60 of 100 = 60%, within 61% ± 3 points.
			claim:   supplyClaim(0.61, 0.03),
			figures: []want{{nadra.MethodSupply, "2024", false, 0.6, 0, 0, nadra.VerdictConsistent}},
			verdict: nadra.VerdictConsistent,
		},
		{
			claim:   claim("target", nadra.ClaimTarget, "all", nadra.OpAbout, 500e9, 0.1, ""),
			verdict: nadra.VerdictNotTestable,
		},
	}
	for _, tt := range tests {
		t.Run(tt.claim.ID, func(t *testing.T) {
			if err := tt.claim.Validate(); err != nil {
				t.Fatalf("fixture claim: %v", err)
			}
			rep, err := claims.Evaluate([]*nadra.Claim{tt.claim}, in)
			if err != nil {
				t.Fatal(err)
			}
			r := rep.Claims[0]
			if r.Verdict != tt.verdict {
				t.Fatalf("verdict: got %v (%s), want %v", r.Verdict, r.Why, tt.verdict)
			}
			for _, w := range tt.figures {
				var f *nadra.ClaimFigure
				for i := range r.Figures {
					g := &r.Figures[i]
					if g.Method == w.method && g.Line == w.line && g.Pre2022 == w.pre {
						f = g
					}
				}
				if f == nil {
					t.Fatalf("no figure %s %s pre2022=%v in %+v", w.method, w.line, w.pre, r.Figures)
				}
				if f.Value == nil || math.Abs(*f.Value-w.value) > 1e-9 {
					t.Fatalf("%s %s pre2022=%v: got %v, want %v", w.method, w.line, w.pre, f.Value, w.value)
				}
				if f.Coverage.WithFigure != w.withFigure || f.Coverage.Located != w.located {
					t.Fatalf("%s pre2022=%v coverage: got %+v, want %d with the figure of %d located", w.method, w.pre, f.Coverage, w.withFigure, w.located)
				}
				if f.Verdict != w.verdict {
					t.Fatalf("%s pre2022=%v verdict: got %v (%s), want %v", w.method, w.pre, f.Verdict, f.Why, w.verdict)
				}
				if f.Why == "" {
					t.Fatalf("%s: no sentence why", w.method)
				}
			}
		})
	}
}

func supplyClaim(v, tol float64) *nadra.Claim {
	c := claim("china", nadra.ClaimSupplyShare, "rare_earths", nadra.OpAbout, v, tol, "", nadra.MethodSupply)
	c.Stage, c.Country = nadra.StageMine, "CN"
	return c
}

// TestEvaluate_Deposits: a share's figure names the inaccessible deposits
// carrying it, so the page can link them.
func TestEvaluate_Deposits(t *testing.T) {
	rep, err := claims.Evaluate([]*nadra.Claim{claim("m", nadra.ClaimOccupiedShare, "metallic", nadra.OpAbout, 0.4, 0.05, "")}, fixture())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Claims[0].Figures {
		if f.Method == nadra.MethodInSitu && f.Pre2022 && f.Line == "latest" {
			if got := f.Deposits; len(got) != 2 || got[0] != "au1" || got[1] != "ti1" {
				t.Fatalf("deposits: got %v, want [au1 ti1]", got)
			}
			return
		}
	}
	t.Fatal("no in-situ figure on the latest line")
}
