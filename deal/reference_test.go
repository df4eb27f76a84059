package deal_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"nadra"
	"nadra/deal"
	"nadra/montecarlo"
)

// python returns a python3 that can import numpy, or "".
func python() string {
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if err := exec.Command(p, "-c", "import numpy").Run(); err == nil {
			return p
		}
	}
	return ""
}

// TestNumpyReference runs the independent numpy implementation
// (bench/reference_numpy.py) on the same compiled model and checks that
// its means agree with nadra's within Monte Carlo error: for each output,
// |mean_go - mean_numpy| < 4.5 standard errors of the difference. The
// two use different random numbers, so only sampling error separates
// them. CI installs python3-numpy, so the test runs there.
func TestNumpyReference(t *testing.T) {
	py := python()
	if py == "" {
		t.Skip("skipping the numpy cross-check: no python3 with numpy (install Debian's python3-numpy)")
	}
	in := MustInputs(t)
	for _, id := range []string{"urif-2025", "draft-2025-02", "draft-2025-03"} {
		t.Run(id, func(t *testing.T) {
			terms := MustTerms(t, id)
			const paths = 20000
			m, err := deal.Build(in)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(m.Export([]*deal.Fund{m.NewFund(terms)}))
			if err != nil {
				t.Fatal(err)
			}
			inputs := filepath.Join(t.TempDir(), "inputs.json")
			if err := os.WriteFile(inputs, b, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(py, "../bench/reference_numpy.py", inputs, "--paths", "20000", "--seed", "7").Output()
			if err != nil {
				t.Fatalf("reference_numpy.py: %v", err)
			}
			var ref struct {
				Metrics map[string]struct {
					N    int     `json:"n"`
					Mean float64 `json:"mean"`
					SE   float64 `json:"se"`
				} `json:"metrics"`
			}
			if err := json.Unmarshal(out, &ref); err != nil {
				t.Fatal(err)
			}
			r, err := deal.Simulate(context.Background(), in, []*nadra.DealTerms{terms}, deal.Options{Paths: paths, Seed: 8})
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			goMetric := func(key string) montecarlo.Summary {
				for _, p := range r.Projects {
					switch key {
					case "project:" + p.DepositID + ":state_receipts_pv":
						return p.StatePV
					case "project:" + p.DepositID + ":fund_receipts_pv":
						return p.Terms[0].FundPV
					case "project:" + p.DepositID + ":start_year":
						return p.Start
					}
				}
				return r.Terms[0].Metrics[key]
			}
			keys := []string{"fund_receipts_pv", "fund_receipts_sum", "us_npv", "ukraine_npv", "us_distributions_pv",
				"ukraine_distributions_pv", "ukraine_contributions_pv", "state_receipts_pv", "projects_built",
				"us_recovery", "us_years_to_first_distribution"}
			for _, p := range r.Projects {
				// Each project's own outputs, so a project that is wrong in
				// one implementation cannot hide behind the totals.
				for _, k := range []string{"state_receipts_pv", "fund_receipts_pv", "start_year"} {
					keys = append(keys, "project:"+p.DepositID+":"+k)
				}
			}
			for _, key := range keys {
				g, n := goMetric(key), ref.Metrics[key]
				if g.N == 0 && n.N == 0 {
					continue // undefined under these terms in both
				}
				if g.N == 0 || n.N == 0 {
					t.Errorf("%s: defined on %d paths in Go, %d in numpy", key, g.N, n.N)
					continue
				}
				se := math.Hypot(g.SE, n.SE)
				diff := g.Mean - n.Mean
				if se == 0 {
					if math.Abs(diff) > 1e-9*math.Max(1, math.Abs(g.Mean)) {
						t.Errorf("%s: Go %g, numpy %g, both without sampling error", key, g.Mean, n.Mean)
					}
					continue
				}
				z := diff / se
				t.Logf("%-32s Go %14.6g ± %-10.3g numpy %14.6g ± %-10.3g z %+.2f", key, g.Mean, g.SE, n.Mean, n.SE, z)
				if math.Abs(z) > 4.5 {
					t.Errorf("%s: Go %g ± %g, numpy %g ± %g: %.1f standard errors apart", key, g.Mean, g.SE, n.Mean, n.SE, z)
				}
				checked++
			}
			if checked < 5+len(r.Projects) {
				t.Errorf("only %d outputs compared", checked)
			}
		})
	}
}
