package dataset_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"nadra"
	"nadra/dataset"
)

func TestDeals_Shipped(t *testing.T) {
	ds, err := dataset.Deals()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"urif-2025": nadra.WaterfallProRata, "draft-2025-02": nadra.WaterfallFixed, "draft-2025-03": nadra.WaterfallPriority}
	if len(ds) != len(want) {
		t.Fatalf("got %d deals, want %d", len(ds), len(want))
	}
	for _, d := range ds {
		if want[d.ID] != d.Waterfall {
			t.Errorf("%s: waterfall %q, want %q", d.ID, d.Waterfall, want[d.ID])
		}
		for _, term := range d.Terms {
			if len(term.Source) == 0 {
				t.Errorf("%s: %s has no source", d.ID, term.Key)
			}
		}
	}
	u, _ := dataset.Deal("urif-2025")
	if u.UkraineShare != 0.5 || u.RevenueBase != nadra.BaseNew || !u.LicensedUndeveloped || u.ReinvestYears != 10 || !u.InKindAidCounts {
		t.Errorf("urif-2025 terms: %+v", u)
	}
	if u.InForce != "2025-05-23" || u.RenewalsCount {
		t.Errorf("urif-2025 eligibility terms: in_force %q, renewals_count %v; want 2025-05-23 and false", u.InForce, u.RenewalsCount)
	}
	if u.InScope("iron") || u.InScope("silver") || !u.InScope("lithium") {
		t.Error("urif-2025 scope should follow Annex A: lithium in, iron and silver out")
	}
	f, _ := dataset.Deal("draft-2025-02")
	if f.TargetUSD != 500e9 || f.RevenueBase != nadra.BaseAll || f.USShare != 1 || !f.InScope("iron") {
		t.Errorf("draft-2025-02 terms: %+v", f)
	}
	m, _ := dataset.Deal("draft-2025-03")
	if m.PriorityReturnRate != 0.04 || m.PriorUSAidUSD <= 0 {
		t.Errorf("draft-2025-03 terms: %+v", m)
	}
	if _, err := dataset.Deal("nope"); nadra.ErrorCode(err) != nadra.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
}

// minimalTerms is a valid terms file; tests break it one way at a time.
const minimalTerms = `id: test
name: Test terms
status: user
date: 2026-01-01
sources:
  - https://example.org/terms (2026-01-01)
terms:
  fund_start_year: {value: 2025, source: https://example.org/a (2025)}
  ukraine_share:
    value: 0.5
    source: https://example.org/b (2025)
  revenue_base: {value: new, source: https://example.org/c (2025)}
  revenue_streams: {value: [rent, psa_share], source: https://example.org/d (2025)}
  commodities: {value: [lithium, titanium], source: https://example.org/e (2025)}
  us_cash: {value: [{year: 2025, usd: 75e6}], source: https://example.org/f (2025)}
  ukraine_cash: {value: [], source: https://example.org/g (2025)}
  us_inkind_aid_counts: {value: true, source: https://example.org/h (2025)}
  reinvest_years: {value: 10, source: https://example.org/i (2025)}
  waterfall: {value: priority_return, source: https://example.org/j (2025)}
  priority_return_rate: {value: 0.04, source: https://example.org/k (2025)}
`

func TestParseTerms(t *testing.T) {
	known := map[string]bool{"lithium": true, "titanium": true}
	d, err := dataset.ParseTerms("t.yaml", []byte(minimalTerms), known)
	if err != nil {
		t.Fatalf("minimal terms: %v", err)
	}
	if d.USCash[0].USD != 75e6 || d.PriorityReturnRate != 0.04 || d.Commodities[1] != "titanium" {
		t.Errorf("parsed %+v", d)
	}
	tests := []struct {
		name        string
		from, to    string // replace from with to in minimalTerms
		line        int
		field, want string
	}{
		{"UnknownTopKey", "status: user", "status: user\nvalue_usd: 3", 4, "value_usd", "unknown key"},
		{"UnknownTerm", "  reinvest_years:", "  lockup_years: {value: 1, source: https://example.org/x (2025)}\n  reinvest_years:", 18, "terms.lockup_years", "unknown term"},
		{"UnknownTermKey", "    value: 0.5\n", "    value: 0.5\n    sauce: x\n", 11, "terms.ukraine_share.sauce", "unknown key"},
		{"ShareAboveOne", "    value: 0.5", "    value: 1.5", 10, "terms.ukraine_share.value", "outside [0, 1]"},
		{"ShareNegative", "    value: 0.5", "    value: -0.1", 10, "terms.ukraine_share.value", "outside [0, 1]"},
		{"NegativeRate", "{value: 0.04,", "{value: -0.04,", 20, "terms.priority_return_rate.value", "negative rate"},
		{"RateAsPercent", "{value: 0.04,", "{value: 4,", 20, "terms.priority_return_rate.value", "fractions"},
		{"NegativeCash", "usd: 75e6", "usd: -75e6", 15, "terms.us_cash.value.usd", "negative"},
		{"MissingSource", "    value: 0.5\n    source: https://example.org/b (2025)\n", "    value: 0.5\n", 9, "terms.ukraine_share.source", "required"},
		{"SourceWithoutDate", "https://example.org/c (2025)", "https://example.org/c", 12, "terms.revenue_base.source", "lacks a date"},
		{"UnknownCommodity", "[lithium, titanium]", "[lithium, unobtainium]", 14, "terms.commodities.value", "unknown commodity"},
		{"UnknownEnum", "{value: new,", "{value: newest,", 12, "terms.revenue_base.value", "unknown"},
		{"NotANumber", "    value: 0.5", "    value: half", 10, "terms.ukraine_share.value", "expected a number"},
		{"MissingTerm", "  ukraine_cash: {value: [], source: https://example.org/g (2025)}\n", "", 8, "terms.ukraine_cash", "required term missing"},
		{"RateNeededByWaterfall", "  priority_return_rate: {value: 0.04, source: https://example.org/k (2025)}\n", "", 8, "terms.waterfall", "priority_return_rate"},
		{"RepeatedTerm", "  reinvest_years:", "  waterfall: {value: pro_rata, source: https://example.org/x (2025)}\n  reinvest_years:", 20, "terms.waterfall", "repeated"},
		{"BadYAML", "terms:\n", "terms:\n  - [\n", 7, "", "not valid YAML"},
		// Issue 9, item 9: a second document was silently ignored.
		{"SecondDocument", "  priority_return_rate: {value: 0.04, source: https://example.org/k (2025)}\n",
			"  priority_return_rate: {value: 0.04, source: https://example.org/k (2025)}\n---\nukraine_share: 0.9\n", 22, "", "a second YAML document"},
		{"SecondEmptyDocument", "  priority_return_rate: {value: 0.04, source: https://example.org/k (2025)}\n",
			"  priority_return_rate: {value: 0.04, source: https://example.org/k (2025)}\n---\n# nothing\n---\n", 23, "", "a second YAML document"},
		{"SourceNotACalendarDate", "https://example.org/c (2025)", "https://example.org/c (2025-13-45)", 12, "terms.revenue_base.source", "not a calendar date"},
		{"TopSourceNotACalendarDate", "https://example.org/terms (2026-01-01)", "https://example.org/terms (2026-02-30)", 6, "sources", "not a calendar date"},
		{"DateFeb30", "date: 2026-01-01", "date: 2026-02-30", 4, "date", "not a calendar date"},
		{"DateMonth13", "date: 2026-01-01", "date: 2026-13-01", 4, "date", "not a date"},
		{"LongID", "id: test", "id: " + strings.Repeat("a", 5000), 1, "id", "at most 64"},
		{"LongName", "name: Test terms", "name: " + strings.Repeat("n", 201), 2, "name", "at most 200"},
		{"LongNote", "    value: 0.5\n", "    value: 0.5\n    note: " + strings.Repeat("n", 2001) + "\n", 11, "terms.ukraine_share.note", "at most 2000"},
		{"TooManySources", "    source: https://example.org/b (2025)\n", "    source: [" + strings.Repeat("x (2025), ", 20) + "x (2025)]\n", 11, "terms.ukraine_share.source", "at most 20"},
		// Numbers: decimal only, as in the CSV files.
		{"UnderscoreNumber", "usd: 75e6", "usd: 75_000_000", 15, "terms.us_cash.value.usd", "not a decimal number"},
		{"HexNumber", "usd: 75e6", "usd: 0x4786", 15, "terms.us_cash.value.usd", "not a decimal number"},
		{"OctalNumber", "usd: 75e6", "usd: 0o17", 15, "terms.us_cash.value.usd", "not a decimal number"},
		{"Infinity", "usd: 75e6", "usd: .inf", 15, "terms.us_cash.value.usd", "not a decimal number"},
		{"NaN", "usd: 75e6", "usd: .nan", 15, "terms.us_cash.value.usd", "not a decimal number"},
		{"TooLarge", "usd: 75e6", "usd: 1e400", 15, "terms.us_cash.value.usd", "expected a number"}, // YAML reads it as text
		{"UnderscoreYear", "{value: 2025, source: https://example.org/a (2025)}", "{value: 2_025, source: https://example.org/a (2025)}", 8, "terms.fund_start_year.value", "not a whole number"},
		{"HexYear", "{value: 2025, source: https://example.org/a (2025)}", "{value: 0x7E9, source: https://example.org/a (2025)}", 8, "terms.fund_start_year.value", "not a whole number"},
		// Eligibility terms (FORMAT.md, "Which licences count").
		{"InForceFeb30", "  reinvest_years:", "  in_force: {value: 2025-02-30, source: https://example.org/x (2025)}\n  reinvest_years:", 18, "terms.in_force.value", "not a calendar date"},
		{"InForceMonthOnly", "  reinvest_years:", "  in_force: {value: 2025-05, source: https://example.org/x (2025)}\n  reinvest_years:", 18, "terms.in_force.value", "not a calendar date"},
		{"InForceNumber", "  reinvest_years:", "  in_force: {value: 20250523, source: https://example.org/x (2025)}\n  reinvest_years:", 18, "terms.in_force.value", "expected a date"},
		{"InForceUndatedSource", "  reinvest_years:", "  in_force: {value: 2025-05-23, source: https://example.org/x}\n  reinvest_years:", 18, "terms.in_force.source", "lacks a date"},
		{"RenewalsCountYes", "  reinvest_years:", "  renewals_count: {value: yes, source: https://example.org/x (2025)}\n  reinvest_years:", 18, "terms.renewals_count.value", "expected true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(minimalTerms, tt.from, tt.to, 1)
			if src == minimalTerms {
				t.Fatalf("replacement %q not found", tt.from)
			}
			_, err := dataset.ParseTerms("t.yaml", []byte(src), known)
			var ie *nadra.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an InputError", err)
			}
			if ie.File != "t.yaml" || ie.Line != tt.line || ie.Field != tt.field || !strings.Contains(ie.Problem, tt.want) {
				t.Errorf("err = %q (line %d, field %q), want line %d, field %q, containing %q", err, ie.Line, ie.Field, tt.line, tt.field, tt.want)
			}
			if nadra.ErrorCode(err) != nadra.EINVALID {
				t.Errorf("code = %s", nadra.ErrorCode(err))
			}
		})
	}
}

// A user copies a shipped file, changes a term, and it still parses.
func TestParseTerms_EditedCopy(t *testing.T) {
	b, err := os.ReadFile("deals/urif-2025.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(b), "value: pro_rata", "value: priority_return", 1)
	src = strings.Replace(src, "  governance:", "  priority_return_rate:\n    value: 0.04\n    source: my reading of the draft (2026)\n  governance:", 1)
	ds, _ := dataset.Default()
	d, err := dataset.ParseTerms("my.yaml", []byte(src), dataset.CommodityCodes(ds.Commodities))
	if err != nil {
		t.Fatal(err)
	}
	if d.Waterfall != nadra.WaterfallPriority || d.PriorityReturnRate != 0.04 {
		t.Errorf("edited terms: %s %g", d.Waterfall, d.PriorityReturnRate)
	}
}

func TestModelParams(t *testing.T) {
	p, err := dataset.ModelParams()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"discount_rate", "cit_rate", "taylor_a", "taylor_b", "overrun_mean", "hazard_h0", "hazard_d0_km"} {
		if _, ok := p.Get(k, ""); !ok {
			t.Errorf("parameter %s missing", k)
		}
	}
	for _, c := range []string{"lithium", "titanium", "graphite", "uranium"} {
		for _, k := range []string{"price_usd_per_t", "volatility", "recovery", "rent_rate"} {
			if _, ok := p.Get(k, c); !ok {
				t.Errorf("parameter %s for %s missing", k, c)
			}
		}
		if _, ok := p.Product(c); !ok {
			t.Errorf("product of %s missing", c)
		}
	}
	// The uranium volatility nadra derived must match its price history.
	v, _ := p.Get("volatility", "uranium")
	var xs []float64
	for _, r := range p.LogReturns("uranium") {
		xs = append(xs, r)
	}
	if got := stdDev(xs); got < v.Value-0.001 || got > v.Value+0.001 {
		t.Errorf("uranium volatility %g, prices.csv gives %g", v.Value, got)
	}
	if len(p.Hazard) == 0 {
		t.Error("no hazard bins")
	}
}

func stdDev(xs []float64) float64 {
	var m float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	var s float64
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return sqrt(s / float64(len(xs)-1))
}

func sqrt(x float64) float64 {
	z := x
	for i := 0; i < 60; i++ {
		z = (z + x/z) / 2
	}
	return z
}

func TestParseParametersCSV_Strict(t *testing.T) {
	head := "key,scope,value,low,high,unit,status,source,note\n"
	tests := []struct{ name, row, want string }{
		{"NoSource", "x,,1,,,u,fact,,", "source: required"},
		{"NoDate", "x,,1,,,u,fact,https://example.org,", "lacks a date"},
		{"Negative", "x,,-1,,,u,fact,https://example.org (2025),", "negative"},
		{"OutsideRange", "x,,5,1,2,u,fact,https://example.org (2025),", "outside its range"},
		{"BadStatus", "x,,1,,,u,guess,https://example.org (2025),", "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dataset.ParseParametersCSV("p.csv", []byte(head+tt.row+"\n"))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "p.csv:2:") {
				t.Errorf("err = %v, want p.csv:2: … %s", err, tt.want)
			}
		})
	}
}

// TestParseTerms_Eligibility: in_force and renewals_count reach the typed
// fields; without them a file still parses, with no date and renewals
// not counted.
func TestParseTerms_Eligibility(t *testing.T) {
	known := map[string]bool{"lithium": true, "titanium": true}
	src := strings.Replace(minimalTerms, "  reinvest_years:", "  in_force: {value: 2025-05-23, source: https://example.org/x (2025-05-23)}\n"+
		"  renewals_count: {value: true, source: https://example.org/y (2025)}\n  reinvest_years:", 1)
	d, err := dataset.ParseTerms("t.yaml", []byte(src), known)
	if err != nil {
		t.Fatal(err)
	}
	if d.InForce != "2025-05-23" || !d.RenewalsCount {
		t.Fatalf("got in_force %q, renewals_count %v; want 2025-05-23, true", d.InForce, d.RenewalsCount)
	}
	if d, err = dataset.ParseTerms("t.yaml", []byte(minimalTerms), known); err != nil || d.InForce != "" || d.RenewalsCount {
		t.Fatalf("without the terms: %v, in_force %q, renewals_count %v; want \"\", false", err, d.InForce, d.RenewalsCount)
	}
}

// TestHazardApproachTable: the bands internal/mkhazard wrote are
// consistent (rate = lost / exposure), and their exposure adds up to the
// observations the approach parameters' source names.
func TestHazardApproachTable(t *testing.T) {
	data, err := os.ReadFile("model/hazard_approach.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "min_km,max_km,min_km_per_month,max_km_per_month,exposure,lost,rate,source" {
		t.Fatalf("columns %v", recs[0])
	}
	total := 0.0
	for _, r := range recs[1:] {
		e, _ := strconv.ParseFloat(r[4], 64)
		l, _ := strconv.ParseFloat(r[5], 64)
		rate, _ := strconv.ParseFloat(r[6], 64)
		if e > 0 && math.Abs(rate-l/e) > 1e-6 || !strings.Contains(r[7], "(2026)") {
			t.Fatalf("band %v", r)
		}
		total += e
	}
	p, err := dataset.ModelParams()
	if err != nil {
		t.Fatal(err)
	}
	v, ok := p.Get("hazard_approach_beta", "")
	if !ok || !strings.Contains(v.Source, strconv.FormatFloat(total, 'f', 0, 64)[:2]+","+strconv.FormatFloat(total, 'f', 0, 64)[2:]+" yearly observations") {
		t.Fatalf("the bands hold %.0f observations; the parameter's source says %q", total, v.Source)
	}
}
