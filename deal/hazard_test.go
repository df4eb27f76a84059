package deal_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"nadra"
	"nadra/deal"
)

// TestHazardApproach: with Settings.HazardApproach each project's hazard
// is h0·exp(−d/d0 + beta·v) with the hazard_approach_* parameters; a
// project without an observed rate is taken at v = 0 and says so.
func TestHazardApproach(t *testing.T) {
	in := MustInputs(t)
	get := func(k string) float64 {
		v, ok := in.Params.Get(k, "")
		if !ok {
			t.Fatalf("parameter %s missing", k)
		}
		return v.Value
	}
	h0, d0, beta := get("hazard_approach_h0"), get("hazard_approach_d0_km"), get("hazard_approach_beta")
	base, err := deal.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	in.Settings.HazardApproach = true
	in.Registry.Approach = map[string]float64{"dobra": 3, "polokhivske": -1}
	m, err := deal.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Projects) != len(base.Projects) || len(m.Projects) < 3 {
		t.Fatalf("%d projects, %d without the approach", len(m.Projects), len(base.Projects))
	}
	for i, p := range m.Projects {
		v := 0.0
		if p.ApproachKmPerMonth != nil {
			v = *p.ApproachKmPerMonth
		}
		// By hand, from the parameters.
		want := math.Min(0.999, h0*math.Exp(-p.DistanceKm/d0+beta*v))
		if math.Abs(p.HazardPY-want) > 1e-15 {
			t.Errorf("%s at %.1f km, %.1f km/month: hazard %g, want %g", p.DepositID, p.DistanceKm, v, p.HazardPY, want)
		}
		noted := strings.Contains(strings.Join(p.Notes, " "), "no observed rate of approach")
		switch p.DepositID {
		case "dobra", "polokhivske":
			if p.ApproachKmPerMonth == nil || noted {
				t.Errorf("%s: rate %v, noted %v", p.DepositID, p.ApproachKmPerMonth, noted)
			}
		default:
			if p.ApproachKmPerMonth != nil || !noted {
				t.Errorf("%s: rate %v, noted %v", p.DepositID, p.ApproachKmPerMonth, noted)
			}
		}
		// The distance-only model keeps h0·exp(−d/d0).
		if bp := base.Projects[i]; math.Abs(bp.HazardPY-math.Min(0.999, get("hazard_h0")*math.Exp(-bp.DistanceKm/get("hazard_d0_km")))) > 1e-15 {
			t.Errorf("%s: distance-only hazard %g changed", bp.DepositID, bp.HazardPY)
		}
	}
	// 3 km a month closer multiplies the hazard by exp(3·beta) against a
	// still front at the same distance.
	if r := m.HazardApproachAt(20, 3) / m.HazardApproachAt(20, 0); math.Abs(r-math.Exp(3*beta)) > 1e-12 {
		t.Errorf("ratio %g, want exp(3·%g) = %g", r, beta, math.Exp(3*beta))
	}
}

// TestCompareHazard: on the same paths, a faster approach to every
// project can only lower the fund's receipts, and the comparison lists
// each project's two hazards.
func TestCompareHazard(t *testing.T) {
	in := MustInputs(t)
	terms := MustTerms(t, "urif-2025")
	opt := deal.Options{Paths: 400, Seed: 3}
	dist, err := deal.Simulate(context.Background(), in, []*nadra.DealTerms{terms}, opt)
	if err != nil {
		t.Fatal(err)
	}
	in.Settings.HazardApproach = true
	in.Registry.Approach = map[string]float64{}
	for _, d := range in.Registry.Deposits {
		in.Registry.Approach[d.ID] = 40 // a front racing in: every hazard near its cap
	}
	appr, err := deal.Simulate(context.Background(), in, []*nadra.DealTerms{terms}, opt)
	if err != nil {
		t.Fatal(err)
	}
	c := deal.CompareHazard(appr, dist)
	if c.Terms != "urif-2025" || len(c.Projects) != len(appr.Model.Projects) || c.ChangeUSD >= 0 || c.Approach.Mean >= c.DistanceOnly.Mean {
		t.Fatalf("comparison %+v", c)
	}
	if want := (c.Approach.Mean - c.DistanceOnly.Mean) / c.DistanceOnly.Mean; math.Abs(float64(c.ChangeShare-want)) > 1e-12 {
		t.Fatalf("share %g, want %g", c.ChangeShare, want)
	}
	for _, p := range c.Projects {
		if p.HazardApproach < p.HazardDistanceOnly {
			t.Fatalf("%s: %g with the approach, %g without", p.DepositID, p.HazardApproach, p.HazardDistanceOnly)
		}
	}
}
