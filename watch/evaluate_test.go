package watch_test

import (
	"strings"
	"testing"

	"nadra"
	"nadra/watch"
)

func f(v float64) *float64 { return &v }

// pt is a series point; rate NaN-free: nil when r is nil.
func pt(date string, st nadra.Status, km float64, rate *float64) nadra.RiskPoint {
	return nadra.RiskPoint{Date: date, Status: st, GreyKnown: true, DistanceKm: km, PointKm: km, ApproachKmPerMonth: rate}
}

// series: dobra (lithium, Kirovohrad) approached over three snapshots;
// polokhivske (lithium) far and still; shev (Donetsk) overrun.
func testSeries() []nadra.DepositRisk {
	return []nadra.DepositRisk{
		{ID: "dobra", Name: "Dobra", Oblast: "UA-35", Commodities: []string{"lithium"}, Series: []nadra.RiskPoint{
			pt("2026-07-01", nadra.StatusControlled, 40, nil),
			pt("2026-08-01", nadra.StatusControlled, 30, f(10)),
			pt("2026-09-01", nadra.StatusControlled, 8, f(22)),
			pt("2026-10-01", nadra.StatusControlled, 5, f(3)),
		}},
		{ID: "polokhivske", Name: "Polokhivske", Oblast: "UA-35", Commodities: []string{"lithium", "tantalum"}, Series: []nadra.RiskPoint{
			pt("2026-07-01", nadra.StatusControlled, 120, nil),
			pt("2026-08-01", nadra.StatusControlled, 120, f(0)),
			pt("2026-09-01", nadra.StatusControlled, 119, f(1)),
			pt("2026-10-01", nadra.StatusControlled, 119, f(0)),
		}},
		{ID: "shev", Name: "Shevchenkivske", Oblast: "UA-14", Commodities: []string{"lithium"}, Series: []nadra.RiskPoint{
			pt("2026-07-01", nadra.StatusControlled, 3, nil),
			pt("2026-08-01", nadra.StatusOccupied, 0, f(4)),
			pt("2026-09-01", nadra.StatusOccupied, 0, nil),
			pt("2026-10-01", nadra.StatusOccupied, 0, nil),
		}},
	}
}

func TestEvaluate(t *testing.T) {
	licences := []*nadra.Licence{{ID: "dobra-psa", DepositID: "dobra"}, {ID: "orphan", DepositID: ""}}
	tests := []struct {
		name  string
		w     nadra.Watch
		want  []string // kind deposit date
		words []string // in the first message
	}{
		{"WithinFiresOnceOnCrossing", nadra.Watch{ID: 1, Kind: nadra.WatchDeposit, Target: "dobra", WithinKm: f(10), Since: "2026-07-01"},
			// 30 → 8 crosses 10 km on 2026-09-01; 8 → 5 stays within: no second event.
			[]string{"within dobra 2026-09-01"}, []string{"8 km", "Dobra", "2026-09-01", "30 km on 2026-08-01", "10 km"}},
		{"WithinAtTheRadius", nadra.Watch{ID: 1, Kind: nadra.WatchDeposit, Target: "dobra", WithinKm: f(30), Since: "2026-07-01"},
			// 40 → 30: at the radius counts as within.
			[]string{"within dobra 2026-08-01"}, nil},
		{"SinceHidesHistory", nadra.Watch{ID: 1, Kind: nadra.WatchDeposit, Target: "dobra", WithinKm: f(10), Since: "2026-09-01"},
			nil, nil},
		{"Approach", nadra.Watch{ID: 2, Kind: nadra.WatchDeposit, Target: "dobra", ApproachKmPerMonth: f(10), Since: "2026-07-01"},
			// 10 is not faster than 10; 22 is; 3 is not.
			[]string{"approach dobra 2026-09-01"}, []string{"22 km a month", "faster than the watch's 10 km a month"}},
		{"StatusByOblast", nadra.Watch{ID: 3, Kind: nadra.WatchOblast, Target: "UA-14", StatusChange: true, Since: "2026-07-01"},
			[]string{"status shev 2026-08-01"}, []string{"Shevchenkivske: controlled → occupied between the snapshots of 2026-07-01 and 2026-08-01"}},
		{"CommodityCoversEveryDeposit", nadra.Watch{ID: 4, Kind: nadra.WatchCommodity, Target: "lithium", WithinKm: f(10), StatusChange: true, Since: "2026-07-01"},
			// shev was within 10 km before the watch's snapshots start? Its
			// 2026-07-01 point is not after Since; 3 → 0 stays within.
			[]string{"status shev 2026-08-01", "within dobra 2026-09-01"}, nil},
		{"TantalumOnlyPolokhivske", nadra.Watch{ID: 5, Kind: nadra.WatchCommodity, Target: "tantalum", WithinKm: f(119.5), Since: "2026-07-01"},
			[]string{"within polokhivske 2026-09-01"}, nil},
		{"Licence", nadra.Watch{ID: 6, Kind: nadra.WatchLicence, Target: "dobra-psa", WithinKm: f(10), Since: "2026-07-01"},
			[]string{"within dobra 2026-09-01"}, []string{"licence dobra-psa (Dobra)"}},
		{"LicenceWithoutDeposit", nadra.Watch{ID: 7, Kind: nadra.WatchLicence, Target: "orphan", StatusChange: true}, nil, nil},
		{"UnknownDeposit", nadra.Watch{ID: 8, Kind: nadra.WatchDeposit, Target: "nowhere", StatusChange: true}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs := watch.Evaluate(&tt.w, testSeries(), licences)
			var got []string
			for _, e := range evs {
				got = append(got, e.Kind+" "+e.DepositID+" "+e.Date)
				if e.WatchID != tt.w.ID || e.Message == "" {
					t.Errorf("event %+v", e)
				}
			}
			if strings.Join(got, "; ") != strings.Join(tt.want, "; ") {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for _, w := range tt.words {
				if !strings.Contains(evs[0].Message, w) {
					t.Errorf("message %q lacks %q", evs[0].Message, w)
				}
			}
		})
	}
}

// TestEvaluate_FirstSnapshot: with no snapshot before, a deposit already
// within the radius fires; a status change needs a snapshot before.
func TestEvaluate_FirstSnapshot(t *testing.T) {
	s := []nadra.DepositRisk{{ID: "a", Name: "A", Series: []nadra.RiskPoint{pt("2026-01-01", nadra.StatusControlled, 2, nil)}}}
	evs := watch.Evaluate(&nadra.Watch{Kind: nadra.WatchDeposit, Target: "a", WithinKm: f(5), StatusChange: true}, s, nil)
	if len(evs) != 1 || evs[0].Kind != nadra.EventWithin || evs[0].Prev != "" {
		t.Fatalf("got %+v", evs)
	}
}
