package main_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestE2E_Deal(t *testing.T) {
	dir := t.TempDir()
	r := run(t, dir, "deal", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "urif-2025") || !strings.Contains(r.stdout, "draft-2025-03") {
		t.Fatalf("deal list: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, dir, "deal", "show", "urif-2025")
	if r.code != 0 {
		t.Fatalf("deal show: exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"ukraine_share: 0.5 (50%)", "reinvest_years: 10", "source: https://", "us_cash: $75.00M in 2025"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("deal show lacks %q:\n%s", want, r.stdout)
		}
	}
	r = run(t, dir, "deal", "show", "draft-2025-02", "--json")
	var d struct {
		ID    string `json:"id"`
		Terms []struct {
			Key    string   `json:"key"`
			Source []string `json:"source"`
		} `json:"terms"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || d.ID != "draft-2025-02" || len(d.Terms) == 0 {
		t.Fatalf("deal show --json: %v\n%s", err, r.stdout)
	}
	// A bad terms file names file, line and key.
	bad := filepath.Join(dir, "bad.yaml")
	b, err := os.ReadFile("../../dataset/deals/urif-2025.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(bad, []byte(strings.Replace(string(b), "    value: 0.5\n", "    value: 5\n", 1)), 0o644)
	r = run(t, dir, "deal", "show", bad)
	if r.code != 1 || !strings.Contains(r.stderr, "bad.yaml:26: terms.ukraine_share.value: share 5 outside [0, 1]") {
		t.Errorf("bad file: exit %d, stderr %q", r.code, r.stderr)
	}
	r = run(t, dir, "deal", "show", "no-such-deal")
	if r.code != 1 || !strings.Contains(r.stderr, "no deal terms") {
		t.Errorf("unknown id: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestE2E_SimulateRefusesBadFlags(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--paths", "0"}, "at least 1 path"},
		{[]string{"--paths", "-5"}, "at least 1 path"},
		{[]string{"--paths", "5000000"}, "more than 1000000"},
		{[]string{"--nominal"}, "--nominal needs --inflation"},
		{[]string{"--discount", "7"}, "expected a fraction"},
		{[]string{"--coinvest", "2"}, "share from 0 to 1"},
		{[]string{"--aid-usd-per-year", "-1"}, "expected 0 to 1e13"},
		{[]string{"--price-level", "0"}, "--price-level 0: expected a factor above 0"},
		{[]string{"--ukraine-share", "2"}, "--ukraine-share 2: expected a share from 0 to 1"},
		{[]string{"--hazard-scale", "x"}, "is not a number"},
		{[]string{"--json", "--csv"}, "cannot be used together"},
	} {
		r := run(t, dir, append([]string{"simulate"}, tt.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("simulate %v: exit %d, stderr %q; want exit 2 with %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}

func TestE2E_Simulate(t *testing.T) {
	dir := t.TempDir()
	r := run(t, dir, "simulate", "--paths", "3000", "--tornado-paths", "300")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"Under the signed terms (urif-2025) the fund's receipts", "of the $500 bn in the February draft",
		"Not valued (listed, never counted as zero)", "Tornado for urif-2025", "rent_rate (lithium)", "dobra"} {
		if !strings.Contains(strings.Join(strings.Fields(r.stdout), " "), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(r.stderr, "simulating") {
		t.Error("progress written when stderr is not a terminal")
	}
	// Same seed, same numbers; JSON with both terms and the comparison.
	r = run(t, dir, "simulate", "--paths", "2000", "--tornado-paths", "0", "--vs", "draft-2025-02", "--json")
	if r.code != 0 {
		t.Fatalf("--vs --json: exit %d: %s", r.code, r.stderr)
	}
	var out struct {
		Terms []struct {
			ID      string `json:"id"`
			Metrics map[string]struct {
				Mean *float64 `json:"mean"`
				SE   *float64 `json:"se"`
			} `json:"metrics"`
			Fan []map[string]any `json:"fund_receipts_by_year"`
		} `json:"terms"`
		VS *struct {
			Other string `json:"other"`
		} `json:"vs"`
		NotValued  []map[string]any `json:"not_valued"`
		Conclusion string           `json:"conclusion"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	if len(out.Terms) != 2 || out.VS == nil || out.VS.Other != "draft-2025-02" || len(out.Terms[0].Fan) != 31 || len(out.NotValued) == 0 {
		t.Fatalf("JSON shape: %d terms, vs %+v, %d fan years, %d not valued", len(out.Terms), out.VS, len(out.Terms[0].Fan), len(out.NotValued))
	}
	if m := out.Terms[0].Metrics["fund_receipts_pv"]; m.Mean == nil || *m.Mean <= 0 || m.SE == nil {
		t.Errorf("fund receipts: %+v", m)
	}
	r2 := run(t, dir, "simulate", "--paths", "2000", "--tornado-paths", "0", "--vs", "draft-2025-02", "--json", "--workers", "1")
	var out2 struct {
		Conclusion string `json:"conclusion"`
	}
	json.Unmarshal([]byte(r2.stdout), &out2)
	if out2.Conclusion != out.Conclusion {
		t.Errorf("1 worker and all cores disagree:\n%s\n%s", out.Conclusion, out2.Conclusion)
	}
	r = run(t, dir, "simulate", "--paths", "500", "--tornado-paths", "0", "--csv")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "terms,section,key,stat,value\n") || !strings.Contains(r.stdout, "urif-2025,fan,2040,p95,") {
		t.Errorf("--csv: exit %d\n%.300s", r.code, r.stdout)
	}
	// A scenario: control as in November 2022.
	r = run(t, dir, "simulate", "--paths", "500", "--tornado-paths", "0", "--scenario", "occupied@2022-11-01")
	if r.code != 0 || !strings.Contains(r.stdout, "scenario occupied@2022-11-01") {
		t.Errorf("--scenario: exit %d: %s", r.code, r.stderr)
	}
	r = run(t, dir, "simulate", "--paths", "500", "--scenario", "martian@2022")
	if r.code != 1 {
		t.Errorf("bad scenario: exit %d", r.code)
	}
	// A user's copy of the terms with one term changed.
	b, _ := os.ReadFile("../../dataset/deals/urif-2025.yaml")
	mine := filepath.Join(dir, "mine.yaml")
	os.WriteFile(mine, []byte(strings.Replace(string(b), "    value: 10\n", "    value: 0\n", 1)), 0o644)
	r = run(t, dir, "simulate", "--paths", "500", "--tornado-paths", "0", "--deal", mine)
	if r.code != 0 || !strings.Contains(strings.Join(strings.Fields(r.stdout), " "), "Its first distribution comes in the first year (2025)") {
		t.Errorf("edited terms: exit %d: %s\n%s", r.code, r.stderr, r.stdout[max(0, len(r.stdout)-600):])
	}
}

// TestE2E_SimulatePlanActual: simulate sets the public journal's recorded
// receipts beside the fan: the Maidanska permit's UAH 31,700,000.00 at
// 43.24 makes UAH 15,850,000.00, $366,558.74, due to the fund in 2026.
func TestE2E_SimulatePlanActual(t *testing.T) {
	dir := t.TempDir()
	r := mustRun(t, dir, "simulate", "--paths", "300", "--tornado-paths", "0", "--json")
	var rep struct {
		Plan struct {
			Journal string `json:"journal"`
			Terms   string `json:"terms"`
			Years   []struct {
				Year       int     `json:"year"`
				Series     string  `json:"series"`
				Recorded   float64 `json:"recorded_usd"`
				InModel    bool    `json:"in_model"`
				Percentile float64 `json:"percentile"`
				Below      int     `json:"paths_below"`
				Equal      int     `json:"paths_equal"`
				Paths      int     `json:"paths"`
			} `json:"years"`
			Assumptions []string `json:"assumptions"`
		} `json:"plan_against_actual"`
	}
	mustJSON(t, r, &rep)
	p := rep.Plan
	if p.Journal != "public" || p.Terms != "urif-2025" || len(p.Years) != 1 || len(p.Assumptions) == 0 {
		t.Fatalf("plan against actual: %+v", p)
	}
	y := p.Years[0]
	if y.Year != 2026 || y.Series != "due" || y.Recorded != 366558.74 || !y.InModel || y.Paths != 300 ||
		y.Below+y.Equal > 300 || y.Percentile != (float64(y.Below)+float64(y.Equal)/2)/300 {
		t.Fatalf("2026: %+v", y)
	}
	if r := mustRun(t, dir, "simulate", "--paths", "100", "--tornado-paths", "0", "--journal", "none", "--json"); strings.Contains(r.stdout, "plan_against_actual") {
		t.Errorf("--journal none still places the journal")
	}
	if r := mustRun(t, dir, "simulate", "--paths", "100", "--tornado-paths", "0"); !strings.Contains(r.stdout, "Plan against actual: the public journal") {
		t.Errorf("the human output lacks the plan against actual:\n%s", r.stdout)
	}
}

// TestE2E_SimulateProjects: --projects --json lists every project with
// its inputs' sources, its eligibility with the reason, and its results;
// the fund's receipts by commodity add up to the headline.
func TestE2E_SimulateProjects(t *testing.T) {
	dir := t.TempDir()
	r := run(t, dir, "simulate", "--paths", "500", "--tornado-paths", "0", "--projects", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var out struct {
		Headline []struct {
			FundReceiptsPV struct{ Mean float64 } `json:"fund_receipts_pv"`
			ByCommodity    []struct {
				Commodity string
				FundPV    float64 `json:"fund_receipts_pv"`
			} `json:"by_commodity"`
		}
		Projects []struct {
			DepositID   string `json:"deposit_id"`
			Calibration []struct{ Input, Basis, Source string }
			Results     struct {
				Terms []struct {
					Eligibility struct{ Verdict, Reason string }
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Projects) < 10 {
		t.Fatalf("%d projects", len(out.Projects))
	}
	for _, p := range out.Projects {
		if len(p.Calibration) < 2 {
			t.Errorf("%s: %d calibration rows", p.DepositID, len(p.Calibration))
		}
		for _, c := range p.Calibration {
			if c.Source == "" || c.Basis == "" {
				t.Errorf("%s %s: basis %q source %q", p.DepositID, c.Input, c.Basis, c.Source)
			}
		}
		if len(p.Results.Terms) != 1 || p.Results.Terms[0].Eligibility.Reason == "" {
			t.Errorf("%s: eligibility %+v", p.DepositID, p.Results.Terms)
		}
	}
	var sum float64
	for _, c := range out.Headline[0].ByCommodity {
		sum += c.FundPV
	}
	if h := out.Headline[0].FundReceiptsPV.Mean; math.Abs(sum-h) > 1e-6*h {
		t.Fatalf("by commodity %g, headline %g", sum, h)
	}
	r = run(t, dir, "simulate", "--paths", "200", "--tornado-paths", "0", "--projects", "--ceasefire-year", "none")
	if r.code != 0 || !strings.Contains(r.stdout, "ceasefire scenario: none within the horizon") || !strings.Contains(r.stdout, "Calibration:") {
		t.Fatalf("exit %d: %s", r.code, r.stdout)
	}
	if r = run(t, dir, "simulate", "--ceasefire-year", "soon"); r.code == 0 || !strings.Contains(r.stderr, "--ceasefire-year") {
		t.Fatalf("--ceasefire-year soon: exit %d: %s", r.code, r.stderr)
	}
}
