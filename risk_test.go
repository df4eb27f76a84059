package nadra_test

import (
	"math"
	"strings"
	"testing"

	"nadra"
)

func rp(date string, st nadra.Status, km float64) nadra.RiskPoint {
	return nadra.RiskPoint{Date: date, Status: st, GreyKnown: true, PointKm: km, DistanceKm: math.Max(0, km-5)}
}

func TestApproachRate(t *testing.T) {
	tests := []struct {
		prev, cur         string
		prevKm, curKm, km float64 // km: want, per month
		err               bool
	}{
		// 30.4375 days is one month: 10 km closer in a month.
		{"2025-01-01", "2025-01-31", 20, 10, 10 / (30.0 / 30.4375), false},
		// Moving away: negative. 365 days are 11.992 months.
		{"2025-01-01", "2026-01-01", 10, 22, -12 / (365 / 30.4375), false},
		// Distances are rounded to 0.01 km first: 10.004 → 10.00.
		{"2025-01-01", "2025-01-31", 10.004, 10, 0, false},
		{"2025-01-31", "2025-01-01", 10, 10, 0, true},
		{"2025-01-01", "2025-02-30", 10, 10, 0, true},
	}
	for _, tt := range tests {
		got, err := nadra.ApproachRate(tt.prev, tt.cur, tt.prevKm, tt.curKm)
		if (err != nil) != tt.err {
			t.Fatalf("%s→%s: err %v", tt.prev, tt.cur, err)
		}
		if !tt.err && math.Abs(got-math.Round(tt.km*100)/100) > 1e-9 {
			t.Fatalf("%s→%s: got %v, want %.2f", tt.prev, tt.cur, got, tt.km)
		}
	}
}

func TestDepositRisk_ApproachOver(t *testing.T) {
	d := nadra.DepositRisk{Series: []nadra.RiskPoint{
		rp("2025-01-01", nadra.StatusControlled, 40),
		rp("2025-02-01", nadra.StatusControlled, 35),
		rp("2025-03-01", nadra.StatusControlled, 30),
		rp("2025-04-01", nadra.StatusControlled, 25),
		rp("2025-05-01", nadra.StatusControlled, 21),
	}}
	// 91 days before 2025-05-01 is 2025-01-30; the nearest snapshot is
	// 2025-02-01 (89 days before): (35 − 21) / (89 / 30.4375) = 4.79.
	v, from, ok := d.ApproachOver(-1, 91)
	if !ok || from != "2025-02-01" || math.Abs(v-math.Round(14/(89/30.4375)*100)/100) > 1e-9 {
		t.Fatalf("got %v %s %v", v, from, ok)
	}
	// No snapshot between 45 and 182 days before the first: none.
	if _, _, ok := d.ApproachOver(0, 91); ok {
		t.Fatalf("a rate on the first snapshot")
	}
	// On hostile ground at either end: none.
	d.Series[1].Status = nadra.StatusGrey
	if _, _, ok := d.ApproachOver(-1, 91); ok {
		t.Fatalf("a rate from a grey point")
	}
	// One snapshot with a grey zone, the other without: none.
	d.Series[1].Status, d.Series[4].GreyKnown = nadra.StatusControlled, false
	if _, _, ok := d.ApproachOver(-1, 91); ok {
		t.Fatalf("a rate across a change of source")
	}
}

func TestBuildRiskReport(t *testing.T) {
	series := []nadra.DepositRisk{
		{ID: "far", Latest: rp("2025-01-01", nadra.StatusControlled, 90), Series: []nadra.RiskPoint{rp("2025-01-01", nadra.StatusControlled, 90)}},
		{ID: "lost", Latest: nadra.RiskPoint{Date: "2025-01-01", Status: nadra.StatusOccupied}, Series: []nadra.RiskPoint{{Date: "2025-01-01", Status: nadra.StatusOccupied}}},
		{ID: "touching", Latest: rp("2025-01-01", nadra.StatusControlled, 3), Series: []nadra.RiskPoint{rp("2025-01-01", nadra.StatusControlled, 3)}},
		{ID: "near", Latest: rp("2025-01-01", nadra.StatusControlled, 12), Series: []nadra.RiskPoint{rp("2025-01-01", nadra.StatusControlled, 12)}},
	}
	lic := []*nadra.Licence{{ID: "l-near", DepositID: "near"}, {ID: "l-none"}, {ID: "l-unloc", DepositID: "nocoords"}, {ID: "l-far", DepositID: "far"}}
	rep, err := nadra.BuildRiskReport(series, lic, []string{"nocoords"}, nadra.RiskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range rep.Deposits {
		ids = append(ids, d.ID)
	}
	// Circle distances 0 (touching, controlled), 0 (occupied), 7, 85.
	if got := strings.Join(ids, ","); got != "touching,lost,near,far" {
		t.Fatalf("order %s", got)
	}
	if rep.Deposits[2].Licences[0] != "l-near" || rep.Licences[0].ID != "l-near" || rep.Licences[1].ID != "l-far" ||
		rep.Licences[2].Note != "its site is not in the registry" || rep.Licences[3].Note != "its deposit nocoords has no coordinates" {
		t.Fatalf("licences %+v", rep.Licences)
	}
	ten := 10.0
	rep, _ = nadra.BuildRiskReport(series, lic, []string{"nocoords"}, nadra.RiskOptions{WithinKm: &ten})
	if len(rep.Deposits) != 3 || len(rep.Licences) != 1 || len(rep.Unlocated) != 1 {
		t.Fatalf("within 10 km: %d deposits, %d licences", len(rep.Deposits), len(rep.Licences))
	}
	if _, err := nadra.BuildRiskReport(series, lic, []string{"nocoords"}, nadra.RiskOptions{DepositID: "nocoords"}); nadra.ErrorCode(err) != nadra.EINVALID {
		t.Fatalf("no coordinates: %v", err)
	}
	if _, err := nadra.BuildRiskReport(series, lic, nil, nadra.RiskOptions{DepositID: "nope"}); nadra.ErrorCode(err) != nadra.ENOTFOUND {
		t.Fatalf("unknown: %v", err)
	}
}
