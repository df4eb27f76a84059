package geo_test

import (
	"math"
	"testing"

	"nadra"
	"nadra/geo"

	"github.com/paulmach/orb"
)

// box returns the polygon lon0..lon1 × lat0..lat1.
func box(lon0, lon1, lat0, lat1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}}}}
}

// parallelKm is the length of dlon degrees of the parallel at lat on the
// WGS84 ellipsoid, N·cos(φ)·Δλ with N = a / sqrt(1 - e² sin²φ): within
// centimetres of the geodesic over a few tens of km.
func parallelKm(lat, dlon float64) float64 {
	const a, e2 = 6378.137, 0.00669437999014
	phi := lat * math.Pi / 180
	n := a / math.Sqrt(1-e2*math.Sin(phi)*math.Sin(phi))
	return n * math.Cos(phi) * dlon * math.Pi / 180
}

// TestRiskSeries_Synthetic follows one deposit at 29.5° E, 48.5° N, ±10
// km, as an occupied square edging west towards it: its edge at 30.0° E,
// then 29.8° E thirty days later, then over it, then still over it; the
// last snapshot has no grey zone.
func TestRiskSeries_Synthetic(t *testing.T) {
	b := &nadra.Boundaries{} // no borders: the square is the only hostile ground
	lat, lon, prec := 48.5, 29.5, 10.0
	dep := &nadra.Deposit{ID: "d", Name: "D", Oblast: "UA-05", Lat: &lat, Lon: &lon, PrecisionKm: &prec, Commodities: []string{"lithium"}}
	far := &nadra.Deposit{ID: "no-coords", Name: "N", Oblast: "UA-05", Commodities: []string{"lithium"}}
	snaps := []*nadra.Snapshot{
		{Date: "2025-01-01", GreyKnown: true, Occupied: box(30.0, 31, 48, 49)},
		{Date: "2025-01-31", GreyKnown: true, Occupied: box(29.8, 31, 48, 49)},
		{Date: "2025-03-02", GreyKnown: true, Occupied: box(29.0, 31, 48, 49)},
		{Date: "2025-04-01", GreyKnown: true, Occupied: box(29.0, 31, 48, 49)},
		{Date: "2025-05-01", GreyKnown: false, Occupied: box(30.0, 31, 48, 49)},
	}
	got := geo.RiskSeries(snaps, b, []*nadra.Deposit{dep, far}, 2)
	if len(got) != 1 {
		t.Fatalf("%d series, want 1 (the deposit without coordinates has none)", len(got))
	}
	s := got[0].Series
	// By hand: 0.5° of the parallel at 48.5° N is 36.95 km, 0.3° is
	// 22.17 km; the circle is 10 km less. 30 days are 30/30.4375 months.
	d0, d1 := math.Round(parallelKm(48.5, 0.5)*100)/100, math.Round(parallelKm(48.5, 0.3)*100)/100
	if d0 != 36.95 || d1 != 22.17 {
		t.Fatalf("hand figures %.2f and %.2f, want 36.95 and 22.17", d0, d1)
	}
	months := 30 / (365.25 / 12)
	want := []struct {
		status      nadra.Status
		point, dist float64
		rate        float64 // NaN: nil
	}{
		{nadra.StatusControlled, 36.95, 26.95, math.NaN()},
		{nadra.StatusControlled, 22.17, 12.17, (36.95 - 22.17) / months}, // 15.00 km a month
		{nadra.StatusOccupied, 0, 0, (22.17 - 0) / (30 / (365.25 / 12))}, // overrun: 22.49
		{nadra.StatusOccupied, 0, 0, math.NaN()},                         // on hostile ground both times
		{nadra.StatusControlled, 36.95, 26.95, math.NaN()},               // no grey zone: not comparable
	}
	for i, w := range want {
		p := s[i]
		if p.Status != w.status || math.Abs(p.PointKm-w.point) > 0.011 || math.Abs(p.DistanceKm-w.dist) > 0.011 {
			t.Errorf("%s: %s point %.2f circle %.2f, want %s %.2f %.2f", p.Date, p.Status, p.PointKm, p.DistanceKm, w.status, w.point, w.dist)
		}
		switch {
		case math.IsNaN(w.rate) && p.ApproachKmPerMonth != nil:
			t.Errorf("%s: rate %.2f, want none", p.Date, *p.ApproachKmPerMonth)
		case !math.IsNaN(w.rate) && (p.ApproachKmPerMonth == nil || math.Abs(*p.ApproachKmPerMonth-w.rate) > 0.011):
			t.Errorf("%s: rate %v, want %.2f", p.Date, p.ApproachKmPerMonth, w.rate)
		}
	}
	if got[0].ClosestKm != 0 || got[0].ClosestDate != "2025-03-02" || got[0].Latest.Date != "2025-05-01" {
		t.Errorf("closest %.2f on %s, latest %s", got[0].ClosestKm, got[0].ClosestDate, got[0].Latest.Date)
	}
}

// TestRiskSeries_AgreesWithAccess: on every embedded snapshot, every
// located deposit's status and point distance are those of the access
// report, and the circle distance is the point's less precision_km.
func TestRiskSeries_AgreesWithAccess(t *testing.T) {
	ds, b := mustDefault(t)
	series := geo.RiskSeries(ds.Snapshots, b, ds.Deposits, 0)
	located := 0
	for _, d := range ds.Deposits {
		if d.HasLocation() {
			located++
		}
	}
	if len(series) != located {
		t.Fatalf("%d series for %d located deposits", len(series), located)
	}
	byID := map[string]nadra.DepositRisk{}
	for _, s := range series {
		if len(s.Series) != len(ds.Snapshots) {
			t.Fatalf("%s: %d points for %d snapshots", s.ID, len(s.Series), len(ds.Snapshots))
		}
		byID[s.ID] = s
	}
	reg := geo.Registry{Deposits: ds.Deposits, Estimates: ds.Estimates, Commodities: ds.Commodities}
	for i, sn := range ds.Snapshots {
		if i%4 != 0 && i != len(ds.Snapshots)-1 {
			continue // the controlled-ground overlay is slow; a quarter of them suffices
		}
		rep := geo.Access(sn.Date, geo.NewClassifier(sn, b), reg, geo.AccessOptions{})
		for _, a := range rep.Deposits {
			s, ok := byID[a.ID]
			if a.Status == nadra.StatusUnknown {
				if ok {
					t.Fatalf("%s has no coordinates but a series", a.ID)
				}
				continue
			}
			p := s.Series[i]
			if p.Date != sn.Date || p.Status != a.Status {
				t.Fatalf("%s on %s: %s %s, access says %s", a.ID, sn.Date, p.Date, p.Status, a.Status)
			}
			if a.Status == nadra.StatusControlled {
				if p.PointKm != *a.DistanceKm {
					t.Fatalf("%s on %s: point %.2f km, access %.2f km", a.ID, sn.Date, p.PointKm, *a.DistanceKm)
				}
				if want := math.Max(0, math.Round((*a.DistanceKm-*a.PrecisionKm)*100)/100); math.Abs(p.DistanceKm-want) > 1e-9 {
					t.Fatalf("%s on %s: circle %.2f km, want %.2f − %.2f = %.2f", a.ID, sn.Date, p.DistanceKm, *a.DistanceKm, *a.PrecisionKm, want)
				}
				if p.DistanceKm == 0 && !a.Uncertain && *a.DistanceKm != *a.PrecisionKm {
					t.Fatalf("%s on %s: circle touches hostile ground but access does not call it uncertain", a.ID, sn.Date)
				}
			} else if p.PointKm != 0 || p.DistanceKm != 0 {
				t.Fatalf("%s on %s: %s at %.2f km", a.ID, sn.Date, a.Status, p.PointKm)
			}
		}
	}
	// Shevchenkivske: controlled on 2025-06-01, occupied on 2025-07-01;
	// the front came closer between them.
	sh := byID["shevchenkivske"]
	for _, p := range sh.Series {
		switch p.Date {
		case "2025-06-01":
			if p.Status != nadra.StatusControlled {
				t.Errorf("shevchenkivske on %s: %s", p.Date, p.Status)
			}
		case "2025-07-01":
			if p.Status != nadra.StatusOccupied || p.ApproachKmPerMonth == nil || *p.ApproachKmPerMonth <= 0 {
				t.Errorf("shevchenkivske on %s: %s, rate %v", p.Date, p.Status, p.ApproachKmPerMonth)
			}
		}
	}
}

// TestRiskSeries_Workers: the result does not depend on the workers.
func TestRiskSeries_Workers(t *testing.T) {
	ds, b := mustDefault(t)
	a := geo.RiskSeries(ds.Snapshots[:12], b, ds.Deposits, 1)
	c := geo.RiskSeries(ds.Snapshots[:12], b, ds.Deposits, 3)
	for i := range a {
		for j := range a[i].Series {
			x, y := a[i].Series[j], c[i].Series[j]
			if x.DistanceKm != y.DistanceKm || x.Status != y.Status || (x.ApproachKmPerMonth == nil) != (y.ApproachKmPerMonth == nil) {
				t.Fatalf("%s %s: %+v vs %+v", a[i].ID, x.Date, x, y)
			}
		}
	}
}
