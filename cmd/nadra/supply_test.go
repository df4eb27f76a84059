package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type overviewJSON []struct {
	Commodity  string   `json:"commodity"`
	Stage      string   `json:"stage"`
	Year       int      `json:"year"`
	China      *float64 `json:"china_share"`
	HHI        float64  `json:"hhi"`
	Top        string   `json:"top_producer"`
	USReliance string   `json:"us_import_reliance"`
	Deposits   int      `json:"ukraine_deposits"`
}

type supplyJSON struct {
	Commodity string `json:"commodity"`
	Year      int    `json:"year"`
	Headline  string `json:"headline"`
	Metrics   struct {
		Before struct {
			China *float64 `json:"china_share"`
			HHI   float64  `json:"hhi"`
		} `json:"before"`
		After struct {
			China *float64 `json:"china_share"`
		} `json:"after"`
		Change struct {
			China *float64 `json:"china_share"`
			HHI   float64  `json:"hhi"`
		} `json:"change"`
	} `json:"metrics"`
	Risk *struct {
		Variant string   `json:"variant"`
		Missing []string `json:"missing"`
	} `json:"supply_risk_before"`
	Potentials []struct {
		DepositID string  `json:"deposit_id"`
		Status    string  `json:"status"`
		Annual    float64 `json:"annual"`
		Added     bool    `json:"added"`
	} `json:"potentials"`
	Assumptions []string `json:"assumptions"`
	Sources     []string `json:"sources"`
}

func TestE2E_ReportSupply(t *testing.T) {
	dir := t.TempDir()

	// The overview: one row per commodity of the issue.
	r := run(t, dir, "report", "supply", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var ov overviewJSON
	if err := json.Unmarshal([]byte(r.stdout), &ov); err != nil {
		t.Fatalf("overview JSON: %v\n%s", err, r.stdout)
	}
	seen := map[string]bool{}
	for _, row := range ov {
		seen[row.Commodity] = true
		if row.Commodity == "rare_earths" {
			if row.Year != 2024 || row.China == nil || int(*row.China*100+0.5) != 69 || row.Top != "CN" || row.Deposits == 0 {
				t.Errorf("rare earths: %+v", row)
			}
		}
	}
	for _, c := range []string{"rare_earths", "lithium", "graphite", "titanium", "uranium", "manganese", "gallium", "germanium",
		"nickel", "cobalt", "beryllium", "zirconium", "tantalum", "niobium"} {
		if !seen[c] {
			t.Errorf("overview lacks %s", c)
		}
	}
	// The overview table, then the CRMA benchmark: each fits a screen.
	r = run(t, dir, "report", "supply")
	ovText, crma, _ := strings.Cut(r.stdout, "EU Critical Raw Materials Act benchmark")
	if r.code != 0 || !strings.Contains(ovText, "TOP PRODUCER") || strings.Count(ovText, "\n") > 30 || crma == "" || strings.Count(crma, "\n") > 30 {
		t.Errorf("overview table: exit %d, %d + %d lines\n%s", r.code, strings.Count(ovText, "\n"), strings.Count(crma, "\n"), r.stdout)
	}
	if r = run(t, dir, "report", "supply", "--csv"); r.code != 0 || !strings.HasPrefix(r.stdout, "commodity,stage,year,") {
		t.Errorf("overview csv: %s", r.stdout)
	}

	// "If Dobra and Polokhivske produced at capacity, how much would
	// China's share of lithium fall?"
	r = run(t, dir, "report", "supply", "--commodity", "lithium", "--year", "2024", "--deposits", "dobra,polokhivske", "--json")
	if r.code != 0 {
		t.Fatalf("lithium what-if: exit %d: %s", r.code, r.stderr)
	}
	var li supplyJSON
	if err := json.Unmarshal([]byte(r.stdout), &li); err != nil {
		t.Fatal(err)
	}
	if li.Metrics.Change.China == nil || *li.Metrics.Change.China >= 0 || *li.Metrics.Change.China < -0.05 {
		t.Errorf("China's share change %v", li.Metrics.Change.China)
	}
	if !strings.Contains(li.Headline, "percentage points") || len(li.Assumptions) < 4 || len(li.Potentials) != 2 {
		t.Errorf("headline %q, %d assumptions, %d potentials", li.Headline, len(li.Assumptions), len(li.Potentials))
	}
	for _, p := range li.Potentials {
		if !p.Added || p.Annual <= 0 {
			t.Errorf("potential %+v", p)
		}
	}
	if li.Risk == nil || li.Risk.Variant != "global-supply" || len(li.Risk.Missing) == 0 {
		t.Errorf("supply risk %+v", li.Risk)
	}

	// Rare earths: the one deposit with a figure, Azovske, is occupied.
	r = run(t, dir, "report", "supply", "--commodity", "rare_earths", "--add-accessible", "latest", "--json")
	var re supplyJSON
	if err := json.Unmarshal([]byte(r.stdout), &re); err != nil || r.code != 0 {
		t.Fatalf("rare earths: %v %s", err, r.stderr)
	}
	for _, p := range re.Potentials {
		if p.DepositID == "azovske" && (p.Status != "occupied" || p.Added) {
			t.Errorf("azovske %+v", p)
		}
	}
	if !strings.Contains(re.Headline, "Nothing to add") {
		t.Errorf("headline %q", re.Headline)
	}

	// A plain tonnage, as a table and as CSV.
	r = run(t, dir, "report", "supply", "--commodity", "lithium", "--add", "UA=40000")
	if r.code != 0 || !strings.Contains(r.stdout, "China share") || !strings.Contains(r.stdout, "AFTER") {
		t.Errorf("table: %d\n%s", r.code, r.stdout)
	}
	r = run(t, dir, "report", "supply", "--commodity", "lithium", "--add", "UA=40000", "--csv")
	if r.code != 0 || !strings.Contains(r.stdout, "lithium,mine,2025,metric,china_share,") {
		t.Errorf("csv: %s", r.stdout)
	}
}

func TestE2E_ReportSupply_BadInput(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"report", "supply", "--help"}, 0, ""},
		{[]string{"report", "supply", "--commodity", "copper"}, 1, "available: beryllium, cobalt"},
		{[]string{"report", "supply", "--commodity", "lithium", "--stage", "smelting"}, 1, "available: mine, refining"},
		{[]string{"report", "supply", "--commodity", "lithium", "--year", "1999"}, 1, "no lithium mine production data for 1999; years with data: 2024, 2025"},
		{[]string{"report", "supply", "--year", "1999"}, 1, "no production data for 1999; years with data: 2021"},
		{[]string{"report", "supply", "--commodity", "lithium", "--add", "UA=-40000"}, 2, "must not be negative"},
		{[]string{"report", "supply", "--commodity", "lithium", "--add", "UA=forty"}, 2, "is not a number"},
		{[]string{"report", "supply", "--commodity", "lithium", "--add", "40000"}, 2, "expected COUNTRY=QUANTITY"},
		{[]string{"report", "supply", "--commodity", "lithium", "--add", "Ukraine=1"}, 2, "ISO 3166-1"},
		{[]string{"report", "supply", "--commodity", "germanium", "--add", "UA=1"}, 1, "shares of world output only"},
		// Issue 9, item 9: an unknown country was accepted without a word.
		{[]string{"report", "supply", "--commodity", "lithium", "--add", "XX=40000"}, 1, `--add: "XX" is not a country of the supply tables; known codes: AR, AT,`},
		{[]string{"report", "supply", "--commodity", "lithium", "--add", "UA=1", "--add", "zz:5"}, 1, `"ZZ" is not a country`},
		{[]string{"report", "supply", "--commodity", "lithium", "--deposits", "atlantis"}, 1, "lithium deposits: dobra"},
		{[]string{"report", "supply", "--commodity", "lithium", "--recovery", "1.5"}, 2, "--recovery"},
		{[]string{"report", "supply", "--add", "UA=1"}, 2, "need --commodity"},
		{[]string{"report", "supply", "--json", "--csv"}, 2, "cannot be used together"},
	}
	for _, tt := range tests {
		r := run(t, dir, tt.args...)
		if r.code != tt.code {
			t.Errorf("nadra %v: exit %d, want %d (stderr %q)", tt.args, r.code, tt.code, r.stderr)
		}
		if tt.err != "" && !strings.Contains(r.stderr, tt.err) {
			t.Errorf("nadra %v: stderr %q lacks %q", tt.args, r.stderr, tt.err)
		}
	}
}

func TestE2E_ImportProduction(t *testing.T) {
	dir := t.TempDir()
	head := "commodity,stage,product,country,year,quantity,share_pct,estimated,note,source\n"
	good := head + "lithium,mine,,UA,2024,10000,,false,what-if input,https://example.org/plan (2026-01-01)\n"
	os.WriteFile(filepath.Join(dir, "good.csv"), []byte(good), 0o644)
	r := run(t, dir, "import", "production", "good.csv")
	if r.code != 0 || !strings.Contains(r.stdout, "1 added") {
		t.Fatalf("import: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r = run(t, dir, "import", "production", "good.csv", "--json"); !strings.Contains(r.stdout, `"unchanged": 1`) {
		t.Errorf("second import: %s", r.stdout)
	}
	r = run(t, dir, "report", "supply", "--commodity", "lithium", "--year", "2024", "--json")
	var rep struct {
		Before struct {
			Producers []struct {
				Country  string  `json:"country"`
				Quantity float64 `json:"quantity"`
			} `json:"producers"`
		} `json:"before"`
	}
	json.Unmarshal([]byte(r.stdout), &rep)
	found := false
	for _, p := range rep.Before.Producers {
		found = found || (p.Country == "UA" && p.Quantity == 10000)
	}
	if !found {
		t.Errorf("imported row not in the report: %s", r.stdout)
	}

	// Shares over 100% for germanium refining (83% stored): refused, the
	// rows named, nothing changed.
	bad := head + "germanium,refining,,RU,2023,,10,false,,https://example.org/a (2026)\n" +
		"germanium,refining,,JP,2023,,10,false,,https://example.org/b (2026)\n"
	os.WriteFile(filepath.Join(dir, "bad.csv"), []byte(bad), 0o644)
	r = run(t, dir, "import", "production", "bad.csv")
	if r.code != 1 || !strings.Contains(r.stderr, "at most 100.5% is allowed") || !strings.Contains(r.stderr, "RU") ||
		!strings.Contains(r.stderr, "JP") || !strings.Contains(r.stderr, "CN (stored, from dataset)") {
		t.Errorf("over 100%%: exit %d, %q", r.code, r.stderr)
	}
	within := head + "germanium,refining,,RU,2023,,60,false,,x (2026)\ngermanium,refining,,JP,2023,,60,false,,x (2026)\n"
	os.WriteFile(filepath.Join(dir, "within.csv"), []byte(within), 0o644)
	if r = run(t, dir, "import", "production", "within.csv"); r.code != 1 || !strings.Contains(r.stderr, "within.csv:2: share_pct:") ||
		!strings.Contains(r.stderr, "(lines 2, 3)") {
		t.Errorf("file over 100%%: exit %d, %q", r.code, r.stderr)
	}
	r = run(t, dir, "report", "supply", "--commodity", "germanium", "--json")
	if strings.Contains(r.stdout, `"RU"`) {
		t.Errorf("a refused import changed the database")
	}
	// Unknown countries and years after the current one (issue 9, item 9).
	for name, body := range map[string]string{
		"zz.csv":     "lithium,mine,,ZZ,2024,100,,false,,x (2026)\n",
		"future.csv": "lithium,mine,,UA,2100,100,,false,plan,x (2026)\n",
	} {
		os.WriteFile(filepath.Join(dir, name), []byte(head+body), 0o644)
		want := map[string]string{"zz.csv": `zz.csv:2: country: "ZZ" is not a country`, "future.csv": "future.csv:2: year: 2100 is in the future"}[name]
		if r = run(t, dir, "import", "production", name); r.code != 1 || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: exit %d, %q, want %q", name, r.code, r.stderr, want)
		}
	}
	os.WriteFile(filepath.Join(dir, "neg.csv"), []byte(head+"lithium,mine,,UA,2024,-1,,false,,x (2026)\n"), 0o644)
	if r = run(t, dir, "import", "production", "neg.csv"); r.code != 1 || !strings.Contains(r.stderr, "neg.csv:2: quantity:") {
		t.Errorf("negative: %d %q", r.code, r.stderr)
	}
}
