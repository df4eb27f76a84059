package geo_test

import (
	"math"
	"testing"

	"nadra"
	"nadra/geo"

	"github.com/paulmach/orb"
)

// pointSituation gives each point a fixed status: a fixture without
// geometry. Points not listed are controlled.
type pointSituation map[orb.Point][2]string

func (s pointSituation) Status(p orb.Point) (nadra.Status, string) {
	if v, ok := s[p]; ok {
		return nadra.Status(v[0]), v[1]
	}
	return nadra.StatusControlled, ""
}
func (pointSituation) HostileKm(orb.Point) float64    { return 100 }
func (pointSituation) ControlledKm(orb.Point) float64 { return 100 }
func (pointSituation) Describe() (string, bool, []string) {
	return "fixture", true, nil
}

func fp(v float64) *float64 { return &v }
func ip(v int) *int         { return &v }

// classFixture: four deposits.
//   - ti-p, occupied since 2022: titanium 1,000 t TiO2 and phosphate
//     (no price);
//   - u, controlled: uranium 10 t U3O8;
//   - au, occupied before 2022: gold 2 t;
//   - fe, controlled: iron, no figure.
//
// Prices: TiO2-based titanium at 100 USD/t TiO2, uranium 1,000 USD/t
// U3O8, gold 5,000 USD/t.
func classFixture() (geo.Registry, pointSituation) {
	pt := func(i float64) (*float64, *float64) { return fp(48), fp(30 + i) }
	dep := func(id string, i float64, comms ...string) *nadra.Deposit {
		lat, lon := pt(i)
		return &nadra.Deposit{ID: id, Name: id, Oblast: "UA-12", Lat: lat, Lon: lon, PrecisionKm: fp(1), Commodities: comms}
	}
	reg := geo.Registry{
		Commodities: []*nadra.Commodity{
			{Code: "titanium", Basis: "TiO2", PriceUSDPerT: fp(100), Class: nadra.ClassMetallic},
			{Code: "phosphate", Basis: "P2O5", Class: nadra.ClassIndustrial},
			{Code: "uranium", Basis: "U3O8", PriceUSDPerT: fp(1000), Class: nadra.ClassEnergy},
			{Code: "gold", Basis: "Au", PriceUSDPerT: fp(5000), Class: nadra.ClassMetallic},
			{Code: "iron", Basis: "Fe_ore", Class: nadra.ClassMetallic},
		},
		Deposits: []*nadra.Deposit{
			dep("ti-p", 1, "titanium", "phosphate"),
			dep("u", 2, "uranium"),
			dep("au", 3, "gold"),
			dep("fe", 4, "iron"),
		},
		Estimates: []*nadra.Estimate{
			{DepositID: "ti-p", Commodity: "titanium", ContainedT: fp(1000), Basis: "TiO2", Category: "C1", Year: ip(2020)},
			{DepositID: "ti-p", Commodity: "phosphate", ContainedT: fp(50), Basis: "P2O5", Category: "C1", Year: ip(2020)},
			{DepositID: "u", Commodity: "uranium", ContainedT: fp(10), Basis: "U3O8", Category: "C1", Year: ip(2020)},
			{DepositID: "au", Commodity: "gold", ContainedT: fp(2), Basis: "Au", Category: "C1", Year: ip(2020)},
		},
	}
	sit := pointSituation{
		{31, 48}: {string(nadra.StatusOccupied), nadra.Since2022},
		{33, 48}: {string(nadra.StatusOccupied), nadra.SinceBefore},
	}
	return reg, sit
}

func TestRegistry_OfClass(t *testing.T) {
	reg, sit := classFixture()
	tests := []struct {
		class     nadra.CommodityClass
		deposits  int
		inacc     int
		valueUSD  float64 // total in-situ value of the class
		inaccUSD  float64
		shareCnt  float64
		shareVal  float64
		commodity []string
	}{
		// metallic: ti-p (titanium only), au, fe. Value 1,000 × 100 = 100,000
		// (occupied) + 2 × 5,000 = 10,000 (occupied) = 110,000, all
		// inaccessible; count 2 of 3.
		{nadra.ClassMetallic, 3, 2, 110000, 110000, 2.0 / 3, 1, []string{"gold", "iron", "titanium"}},
		// energy: u only, 10 × 1,000 = 10,000 USD, controlled.
		{nadra.ClassEnergy, 1, 0, 10000, 0, 0, 0, []string{"uranium"}},
		// industrial: ti-p with phosphate only, no price: no value.
		{nadra.ClassIndustrial, 1, 1, -1, -1, 1, -1, []string{"phosphate"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.class), func(t *testing.T) {
			r := reg.OfClass(tt.class)
			rep := geo.Access("2025-01-01", sit, r, geo.AccessOptions{})
			if got := rep.Total.Deposits; got != tt.deposits {
				t.Fatalf("deposits: got %v, want %v", got, tt.deposits)
			}
			if got := rep.Total.InaccessibleDeposits; got != tt.inacc {
				t.Fatalf("inaccessible: got %v, want %v", got, tt.inacc)
			}
			if got := *rep.Total.ShareCount; math.Abs(got-tt.shareCnt) > 1e-12 {
				t.Fatalf("share by count: got %v, want %v", got, tt.shareCnt)
			}
			var codes []string
			for _, c := range rep.ByCommodity {
				codes = append(codes, c.Commodity)
			}
			if len(codes) != len(tt.commodity) {
				t.Fatalf("commodities: got %v, want %v", codes, tt.commodity)
			}
			for i := range codes {
				if codes[i] != tt.commodity[i] {
					t.Fatalf("commodities: got %v, want %v", codes, tt.commodity)
				}
			}
			if tt.valueUSD < 0 {
				if rep.Total.InSituUSD != nil {
					t.Fatalf("value: got %v, want none", *rep.Total.InSituUSD)
				}
				return
			}
			if got := *rep.Total.InSituUSD; math.Abs(got-tt.valueUSD) > 1e-6 {
				t.Fatalf("value: got %v, want %v", got, tt.valueUSD)
			}
			if got := *rep.Total.InaccessibleInSituUSD; math.Abs(got-tt.inaccUSD) > 1e-6 {
				t.Fatalf("inaccessible value: got %v, want %v", got, tt.inaccUSD)
			}
			if got := *rep.Total.ShareValue; math.Abs(got-tt.shareVal) > 1e-12 {
				t.Fatalf("share by value: got %v, want %v", got, tt.shareVal)
			}
		})
	}
	// The original registry is untouched.
	if got := len(reg.Deposits[0].Commodities); got != 2 {
		t.Fatalf("ti-p commodities after OfClass: got %v, want 2", got)
	}
}
