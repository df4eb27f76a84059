package main_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestE2E_Claims: `nadra claims --json` lists every claim of the register
// with its figures, coverage and verdict, and the 40% is among them.
func TestE2E_Claims(t *testing.T) {
	home := t.TempDir()
	r := run(t, home, "claims", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rep struct {
		Latest string
		Claims []struct {
			Claim struct {
				ID, Words, Basis string
				Sources          []string
			}
			Verdict, Why string
			Figures      []struct {
				Method, Line, Verdict, Why string
				Coverage                   struct {
					Located int `json:"located"`
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Claims) < 10 || rep.Latest == "" {
		t.Fatalf("%d claims, latest %q", len(rep.Claims), rep.Latest)
	}
	verdicts := map[string]bool{"consistent": true, "not consistent": true, "not testable with this data": true}
	seen := map[string]bool{}
	for _, c := range rep.Claims {
		seen[c.Claim.ID] = true
		if c.Claim.Words == "" || c.Claim.Basis == "" || len(c.Claim.Sources) == 0 {
			t.Errorf("%s: words, basis and sources required", c.Claim.ID)
		}
		if !verdicts[c.Verdict] || c.Why == "" || len(c.Figures) == 0 {
			t.Errorf("%s: verdict %q, why %q, %d figures", c.Claim.ID, c.Verdict, c.Why, len(c.Figures))
		}
		for _, f := range c.Figures {
			if !verdicts[f.Verdict] || f.Why == "" {
				t.Errorf("%s %s %s: verdict %q why %q", c.Claim.ID, f.Method, f.Line, f.Verdict, f.Why)
			}
		}
	}
	for _, id := range []string{"metallic-40pct", "secdev-metals-42pct", "secdev-12-4tn", "zelensky-lt-20pct", "svyrydenko-350bn", "hrynchuk-half", "draft-500bn", "iea-china-ree-mining-61pct"} {
		if !seen[id] {
			t.Errorf("claim %s missing", id)
		}
	}
	if r := run(t, home, "claims"); r.code != 0 || !strings.Contains(r.stdout, "metallic-40pct") || !strings.Contains(r.stdout, "net_value") {
		t.Fatalf("text: exit %d %s", r.code, r.stderr)
	}
}

// TestE2E_ReportAccessClass: --class limits the report to a class.
func TestE2E_ReportAccessClass(t *testing.T) {
	home := t.TempDir()
	type rep struct {
		Class       string
		Total       struct{ Deposits int }
		ByCommodity []struct{ Commodity string } `json:"by_commodity"`
	}
	var all, metal rep
	for _, x := range []struct {
		args []string
		dst  *rep
	}{{[]string{"report", "access", "--date", "2025-02-12", "--json"}, &all}, {[]string{"report", "access", "--date", "2025-02-12", "--class", "metallic", "--json"}, &metal}} {
		r := run(t, home, x.args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d %s", x.args, r.code, r.stderr)
		}
		if err := json.Unmarshal([]byte(r.stdout), x.dst); err != nil {
			t.Fatal(err)
		}
	}
	if metal.Class != "metallic" || metal.Total.Deposits == 0 || metal.Total.Deposits >= all.Total.Deposits {
		t.Fatalf("metallic: class %q, %d deposits of %d", metal.Class, metal.Total.Deposits, all.Total.Deposits)
	}
	for _, c := range metal.ByCommodity {
		if c.Commodity == "uranium" || c.Commodity == "graphite" {
			t.Fatalf("%s in the metallic report", c.Commodity)
		}
	}
	if r := run(t, home, "report", "access", "--class", "fuel"); r.code != 2 || !strings.Contains(r.stderr, "metallic, energy or industrial") {
		t.Fatalf("bad class: exit %d %q", r.code, r.stderr)
	}
}

// TestE2E_SupplyCRMA: report supply ends with the EU CRMA 65% benchmark
// and its stated simplification; --json of one commodity carries it.
func TestE2E_SupplyCRMA(t *testing.T) {
	home := t.TempDir()
	r := run(t, home, "report", "supply")
	if r.code != 0 || !strings.Contains(r.stdout, "Critical Raw Materials Act benchmark") || !strings.Contains(r.stdout, "World production shares stand in for the EU's import shares") {
		t.Fatalf("overview: exit %d %s", r.code, r.stderr)
	}
	r = run(t, home, "report", "supply", "--commodity", "rare_earths", "--json")
	var rep struct {
		CRMA struct {
			Threshold float64
			Today     struct {
				Top   string
				Share float64
				Pass  bool
			}
			Scenarios []struct{ ID string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v: %s", err, r.stderr)
	}
	// USGS MCS 2025: China 270,000 t of the table's rows, over 65%.
	if rep.CRMA.Threshold != 0.65 || rep.CRMA.Today.Top != "CN" || rep.CRMA.Today.Pass || rep.CRMA.Today.Share < 0.65 || len(rep.CRMA.Scenarios) == 0 {
		t.Fatalf("rare earths CRMA: %+v", rep.CRMA)
	}
}
