package nadra_test

import (
	"math"
	"strings"
	"testing"

	"nadra"
)

func fp(v float64) *float64 { return &v }
func ip(v int) *int         { return &v }

func TestConvertBasis(t *testing.T) {
	tests := []struct {
		from, to string
		q, want  float64
		ok       bool
	}{
		{"Li2O", "LCE", 1, 2.4729, true}, // 73.89 / 29.88
		{"Li", "LCE", 1, 5.3233, true},   // 73.89 / (2 × 6.94)
		{"LCE", "Li2O", 2.4729, 1, true},
		{"U", "U3O8", 1, 1.1792, true}, // 842.08 / (3 × 238.03)
		{"zircon", "ZrO2", 1, 0.6722, true},
		{"TiO2", "ilmenite", 0.5266, 1, true}, // FeTiO3 is 52.66% TiO2
		{"Nb2O5", "Nb", 1, 0.6990, true},
		{"TREO", "TREO", 7, 7, true},
		{"Li2O", "TREO", 1, 0, false},
		{"Mn_ore", "Mn", 1, 0, false},
		{"Fe", "Fe", 3, 3, true},
		{"Fe_ore", "Fe", 1, 0, false}, // crude ore carries no Fe content of its own
		{"ore", "Li2O", 1, 0, false},
	}
	for _, tt := range tests {
		got, ok := nadra.ConvertBasis(tt.q, tt.from, tt.to)
		if ok != tt.ok || math.Abs(got-tt.want) > 5e-4*math.Max(1, tt.want) {
			t.Errorf("ConvertBasis(%g, %s, %s) = %.4f, %v; want %.4f, %v", tt.q, tt.from, tt.to, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCrosswalk(t *testing.T) {
	tests := []struct {
		category string
		want     nadra.Class
		err      string
	}{
		{"A", nadra.ClassMeasured, ""},
		{"B", nadra.ClassMeasured, ""},
		{"C1", nadra.ClassIndicated, ""},
		{"C2", nadra.ClassInferred, ""},
		{"P1", nadra.ClassPotential, ""},
		{"P3", nadra.ClassPotential, ""},
		{"B+C1", nadra.ClassIndicated, ""},
		{"B+C1+C2", nadra.ClassInferred, ""},
		{"measured+indicated", nadra.ClassIndicated, ""},
		{"inferred", nadra.ClassInferred, ""},
		{"unspecified", nadra.ClassUnspecified, ""},
		{"C3", "", `unknown category "C3"`},
		{"", "", "empty category"},
		{"C1+C1", "", "repeats"},
		{"C1+unspecified", "", "mixes unspecified"},
	}
	for _, tt := range tests {
		atoms, err := nadra.ParseCategory(tt.category)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseCategory(%q) error = %v, want %q", tt.category, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseCategory(%q): %v", tt.category, err)
			continue
		}
		if got := nadra.LeastConfidentClass(atoms); got != tt.want {
			t.Errorf("class of %q = %s, want %s", tt.category, got, tt.want)
		}
	}
	// Every atom's spread is wider for less confident classes.
	order := []nadra.Class{nadra.ClassMeasured, nadra.ClassIndicated, nadra.ClassInferred, nadra.ClassPotential}
	maxSpread := map[nadra.Class]float64{}
	minSpread := map[nadra.Class]float64{}
	for _, a := range nadra.Crosswalk {
		if a.Spread > maxSpread[a.Class] {
			maxSpread[a.Class] = a.Spread
		}
		if m, ok := minSpread[a.Class]; !ok || a.Spread < m {
			minSpread[a.Class] = a.Spread
		}
	}
	for i := 1; i < len(order); i++ {
		if minSpread[order[i]] <= maxSpread[order[i-1]] {
			t.Errorf("spread of %s (%g) not wider than %s (%g)", order[i], minSpread[order[i]], order[i-1], maxSpread[order[i-1]])
		}
	}
}

func TestEstimate_Contained(t *testing.T) {
	tests := []struct {
		name string
		e    nadra.Estimate
		want float64
		ok   bool
	}{
		{"contained given", nadra.Estimate{ContainedT: fp(207000), OreMt: fp(13.8), Grade: fp(1.1), GradeUnit: nadra.GradePct}, 207000, true},
		{"ore x pct", nadra.Estimate{OreMt: fp(56), Grade: fp(1.27), GradeUnit: nadra.GradePct}, 711200, true},
		{"ore x g/t", nadra.Estimate{OreMt: fp(10), Grade: fp(6.2), GradeUnit: nadra.GradeGPT}, 62, true},
		{"ore only", nadra.Estimate{OreMt: fp(37)}, 0, false},
		{"grade only", nadra.Estimate{Grade: fp(1.38), GradeUnit: nadra.GradePct}, 0, false},
		// An ore basis counts the ore itself: 32,000 Mt of iron ore is
		// 32e9 t of Fe_ore, whatever its grade.
		{"iron ore", nadra.Estimate{OreMt: fp(32000), Basis: "Fe_ore"}, 32e9, true},
		// 342 Mt of ore at 42% Fe: 143.64e6 t of Fe content.
		{"iron content", nadra.Estimate{OreMt: fp(342), Grade: fp(42), GradeUnit: nadra.GradePct, Basis: "Fe"}, 143.64e6, true},
		{"manganese ore with grade", nadra.Estimate{OreMt: fp(1700), Grade: fp(20), GradeUnit: nadra.GradePct, Basis: "Mn_ore"}, 1.7e9, true},
		{"unstated ore", nadra.Estimate{OreMt: fp(37), Basis: "ore"}, 0, false},
	}
	for _, tt := range tests {
		got, ok := tt.e.Contained()
		if ok != tt.ok || math.Abs(got-tt.want) > 1e-6*math.Max(1, tt.want) {
			t.Errorf("%s: Contained() = %g, %v; want %g, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestHeadlineContained(t *testing.T) {
	src := func(s string) []string { return []string{s + " (2020)"} }
	tests := []struct {
		name  string
		ests  []*nadra.Estimate
		basis string
		want  float64
		ok    bool
	}{
		{"none computable", []*nadra.Estimate{{OreMt: fp(5.67), Basis: "Li2O", Category: "C1", Source: src("a")}}, "LCE", 0, false},
		{"converted", []*nadra.Estimate{{ContainedT: fp(100), Basis: "Li2O", Category: "unspecified", Source: src("a")}}, "LCE", 247.29, true},
		{"most recent wins", []*nadra.Estimate{
			{ContainedT: fp(1000), Basis: "LCE", Category: "unspecified", Year: ip(2018), Source: src("a")},
			{ContainedT: fp(700), Basis: "LCE", Category: "unspecified", Year: ip(2025), Source: src("b")},
		}, "LCE", 700, true},
		{"undated ranks last", []*nadra.Estimate{
			{ContainedT: fp(1000), Basis: "Au", Category: "unspecified", Source: src("a")},
			{ContainedT: fp(55), Basis: "Au", Category: "unspecified", Year: ip(2018), Source: src("b")},
		}, "Au", 55, true},
		{"same year: largest", []*nadra.Estimate{
			{ContainedT: fp(93000), Basis: "U", Category: "unspecified", Year: ip(2021), Source: src("a")},
			{ContainedT: fp(100000), Basis: "U", Category: "unspecified", Year: ip(2021), Source: src("b")},
		}, "U", 100000, true},
		{"parts of one estimate add", []*nadra.Estimate{
			{ContainedT: fp(1302000), Basis: "C", Category: "B+C1", Source: src("a")},
			{ContainedT: fp(820000), Basis: "C", Category: "C2", Source: src("a")},
		}, "C", 2122000, true},
		{"overlapping categories do not add", []*nadra.Estimate{
			{ContainedT: fp(10), Basis: "C", Category: "C1", Source: src("a")},
			{ContainedT: fp(30), Basis: "C", Category: "C1+C2", Source: src("a")},
		}, "C", 30, true},
	}
	for _, tt := range tests {
		h, ok := nadra.HeadlineContained(tt.ests, tt.basis)
		if ok != tt.ok || math.Abs(h.Quantity-tt.want) > 1e-3*math.Max(1, tt.want) {
			t.Errorf("%s: HeadlineContained = %g, %v; want %g, %v", tt.name, h.Quantity, ok, tt.want, tt.ok)
		}
	}
}

func TestDeposit_Validate(t *testing.T) {
	known := map[string]bool{"lithium": true}
	ok := func() nadra.Deposit {
		return nadra.Deposit{ID: "dobra", Name: "Dobra", Oblast: "UA-35", Lat: fp(48.35), Lon: fp(31.05), PrecisionKm: fp(15),
			Commodities: []string{"lithium"}, CoordsNote: "licence map", Sources: []string{"https://example.org (2025-08-27)"}}
	}
	tests := []struct {
		name   string
		mutate func(d *nadra.Deposit)
		field  string
	}{
		{"OK", func(d *nadra.Deposit) {}, ""},
		{"ErrSlug", func(d *nadra.Deposit) { d.ID = "Dobra Site" }, "id"},
		{"ErrName", func(d *nadra.Deposit) { d.Name = " " }, "name"},
		{"ErrOblast", func(d *nadra.Deposit) { d.Oblast = "Kirovohrad" }, "oblast"},
		{"ErrLatRange", func(d *nadra.Deposit) { d.Lat = fp(91) }, "lat"},
		{"ErrLonRange", func(d *nadra.Deposit) { d.Lon = fp(-181) }, "lon"},
		{"ErrLatNaN", func(d *nadra.Deposit) { d.Lat = fp(math.NaN()) }, "lat"},
		{"ErrLonNaN", func(d *nadra.Deposit) { d.Lon = fp(math.NaN()) }, "lat"},
		{"ErrPrecisionNaN", func(d *nadra.Deposit) { d.PrecisionKm = fp(math.NaN()) }, "precision_km"},
		{"ErrHalfLocation", func(d *nadra.Deposit) { d.Lon = nil }, "lat"},
		{"ErrPrecisionMissing", func(d *nadra.Deposit) { d.PrecisionKm = nil }, "precision_km"},
		{"ErrCommodity", func(d *nadra.Deposit) { d.Commodities = []string{"unobtainium"} }, "commodities"},
		{"ErrStage", func(d *nadra.Deposit) { d.Stage = "dreaming" }, "stage"},
		{"ErrNoSource", func(d *nadra.Deposit) { d.Sources = nil }, "sources"},
		{"ErrUndatedSource", func(d *nadra.Deposit) { d.Sources = []string{"https://example.org"} }, "sources"},
		{"NoLocationOK", func(d *nadra.Deposit) { d.Lat, d.Lon, d.PrecisionKm = nil, nil, nil }, ""},
		{"ErrSourceNotADate", func(d *nadra.Deposit) { d.Sources = []string{"https://example.org (2025-13-45)"} }, "sources"},
		{"ErrSourceFeb30", func(d *nadra.Deposit) { d.Sources = []string{"https://example.org (2025-02-30)"} }, "sources"},
		{"ErrTooManySources", func(d *nadra.Deposit) { d.Sources = repeat("https://example.org (2025)", 21) }, "sources"},
		{"ManySourcesOK", func(d *nadra.Deposit) { d.Sources = repeat("https://example.org (2025)", 20) }, ""},
		{"ErrLongID", func(d *nadra.Deposit) { d.ID = strings.Repeat("a", 5000) }, "id"},
		{"LongestIDOK", func(d *nadra.Deposit) { d.ID = strings.Repeat("a", 64) }, ""},
		{"ErrLongName", func(d *nadra.Deposit) { d.Name = strings.Repeat("Д", 201) }, "name"},
		{"LongestNameOK", func(d *nadra.Deposit) { d.Name = strings.Repeat("Д", 200) }, ""},
		{"ErrLongNameUK", func(d *nadra.Deposit) { d.NameUK = strings.Repeat("x", 201) }, "name_uk"},
		{"ErrLongNote", func(d *nadra.Deposit) { d.Note = strings.Repeat("x", 2001) }, "note"},
		{"ErrLongCoordsNote", func(d *nadra.Deposit) { d.CoordsNote = strings.Repeat("x", 2001) }, "coords_note"},
		{"ErrLongSource", func(d *nadra.Deposit) { d.Sources = []string{strings.Repeat("x", 990) + " (2025-01-01)"} }, "sources"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ok()
			tt.mutate(&d)
			err := d.Validate(known)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.field+": ") {
				t.Fatalf("Validate error = %v, want one about %s", err, tt.field)
			}
			if nadra.ErrorCode(err) != nadra.EINVALID {
				t.Fatalf("code = %s, want %s", nadra.ErrorCode(err), nadra.EINVALID)
			}
		})
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestValidateSource(t *testing.T) {
	tests := []struct {
		in   string
		want string // substring of the error; "" for none
	}{
		{"https://example.org (2025)", ""},
		{"https://example.org (2025-06)", ""},
		{"https://example.org (2025-06-27)", ""},
		{"https://example.org (2024-02-29)", ""}, // a leap day
		{"Ministry report (n.d.)", ""},
		{"https://example.org (2025-06-27, archived copy)", ""},
		{"Crawford BFS, Molo FS and Arrow PFS (2017 to 2023)", ""},
		{"https://en.wikipedia.org/wiki/Foo_(bar) (2020)", ""},
		{"https://example.org", "lacks a date"},
		{"(2025)", "lacks a date"},
		{"https://example.org (2025-13-45)", "not a calendar date"},
		{"https://example.org (2025-13)", "not a calendar date"},
		{"https://example.org (2025-02-29)", "not a calendar date"}, // 2025 is not a leap year
		{"https://example.org (2025-04-31)", "not a calendar date"},
		{"https://example.org (2025-00)", "not a calendar date"},
		{"https://example.org (2025-6-7)", "expected YYYY, YYYY-MM or YYYY-MM-DD"},
		{"https://example.org (2017-2023)", "expected YYYY, YYYY-MM or YYYY-MM-DD"},
		{"https://example.org (June 2025)", "expected YYYY, YYYY-MM or YYYY-MM-DD"},
		{"https://example.org (0001)", "year before 1800"},
		{"https://example.org (nd)", "expected YYYY"},
		{strings.Repeat("x", 1000) + " (2025)", "at most 1000"},
	}
	for _, tt := range tests {
		err := nadra.ValidateSource(tt.in)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("ValidateSource(%q) = %v, want nil", tt.in, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("ValidateSource(%q) = %v, want an error containing %q", nadra.Truncate(tt.in, 50), err, tt.want)
		case err != nil && nadra.ErrorCode(err) != nadra.EINVALID:
			t.Errorf("ValidateSource(%q): code %s, want invalid", tt.in, nadra.ErrorCode(err))
		}
	}
}

func TestProduction_Validate_Limits(t *testing.T) {
	series := map[string]*nadra.SupplySeries{"lithium/mine": {Commodity: "lithium", Stage: "mine", Name: "Lithium", Unit: "t Li"}}
	ok := func() nadra.Production {
		return nadra.Production{Commodity: "lithium", Stage: "mine", Country: "CN", Year: 2024, Quantity: fp(41400),
			Source: []string{"https://pubs.usgs.gov (2026-02)"}}
	}
	tests := []struct {
		name   string
		mutate func(p *nadra.Production)
		field  string
	}{
		{"OK", func(p *nadra.Production) {}, ""},
		{"ErrHugeQuantity", func(p *nadra.Production) { p.Quantity = fp(1e300) }, "quantity"},
		{"ErrLongNote", func(p *nadra.Production) { p.Note = strings.Repeat("x", 2001) }, "note"},
		{"ErrLongProduct", func(p *nadra.Production) { p.Product = strings.Repeat("x", 201) }, "product"},
		{"ErrLongCommodity", func(p *nadra.Production) { p.Commodity = strings.Repeat("x", 5000) }, "commodity"},
		{"ErrSourceDate", func(p *nadra.Production) { p.Source = []string{"USGS (2025-13-45)"} }, "source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok()
			tt.mutate(&p)
			err := p.Validate(series)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.field+": ") {
				t.Fatalf("Validate error = %v, want one about %s", err, tt.field)
			}
		})
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in   string
		want nadra.Money
		ok   bool
	}{
		{"75000000.00", 7_500_000_000, true},
		{"1234.5", 123_450, true},
		{"0", 0, true},
		{"-20.00", -2000, true},
		{"9999999999999999.99", 999_999_999_999_999_999, false}, // over MaxMoney
		{"10000000000000.00", 1_000_000_000_000_000, true},      // MaxMoney itself
		{"1e6", 0, false},
		{"1,000", 0, false},
		{"0x10", 0, false},
		{"+5", 0, false},
		{"5.", 0, false},
		{".5", 0, false},
		{"1.234", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"NaN", 0, false},
		{"12345678901234567", 0, false},
	}
	for _, tt := range tests {
		got, err := nadra.ParseMoney(tt.in)
		if (err == nil) != tt.ok || tt.ok && got != tt.want {
			t.Errorf("ParseMoney(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok && got.String() != tt.in && tt.in != "1234.5" && tt.in != "0" {
			t.Errorf("ParseMoney(%q).String() = %q", tt.in, got.String())
		}
	}
}
