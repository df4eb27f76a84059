package geo_test

import (
	"math"
	"testing"

	"nadra"
	"nadra/dataset"
	"nadra/geo"

	"github.com/paulmach/orb"
)

func mustDefault(tb testing.TB) (*dataset.Dataset, *nadra.Boundaries) {
	tb.Helper()
	ds, err := dataset.Default()
	if err != nil {
		tb.Fatal(err)
	}
	b, err := dataset.Boundaries()
	if err != nil {
		tb.Fatal(err)
	}
	return ds, b
}

func depositPoint(tb testing.TB, ds *dataset.Dataset, id string) orb.Point {
	tb.Helper()
	for _, d := range ds.Deposits {
		if d.ID == id {
			if !d.HasLocation() {
				tb.Fatalf("deposit %s has no location", id)
			}
			return orb.Point{*d.Lon, *d.Lat}
		}
	}
	tb.Fatalf("no deposit %s in the default dataset", id)
	return orb.Point{}
}

// TestClassify_KnownFacts checks classification against facts reported
// independently of DeepState, on every snapshot.
func TestClassify_KnownFacts(t *testing.T) {
	ds, b := mustDefault(t)
	always := map[string]nadra.Status{
		"kruta-balka": nadra.StatusOccupied, // under Russian control since early 2022
		"azovske":     nadra.StatusOccupied,
		"polokhivske": nadra.StatusControlled,
		"dobra":       nadra.StatusControlled,
	}
	for _, s := range ds.Snapshots {
		if s.Date < "2022-04-03" {
			// The line of 2022-02-23: before the invasion took Kruta
			// Balka; Bobrykivske (Luhansk oblast) was occupied in 2014.
			c := geo.NewClassifier(s, b)
			for id, want := range map[string]nadra.Status{"kruta-balka": nadra.StatusControlled, "bobrykivske": nadra.StatusOccupied} {
				if got, _ := c.Status(depositPoint(t, ds, id)); got != want {
					t.Errorf("%s on %s: %s, want %s", id, s.Date, got, want)
				}
			}
			continue
		}
		c := geo.NewClassifier(s, b)
		for id, want := range always {
			if got, _ := c.Status(depositPoint(t, ds, id)); got != want {
				t.Errorf("%s on %s: %s, want %s", id, s.Date, got, want)
			}
		}
	}
}

// TestClassify_Shevchenkivske: reported captured in late June 2025, so
// controlled in the 2025-06 snapshot and occupied in the 2025-07 one.
func TestClassify_Shevchenkivske(t *testing.T) {
	ds, b := mustDefault(t)
	p := depositPoint(t, ds, "shevchenkivske")
	want := map[string]nadra.Status{"2025-06-01": nadra.StatusControlled, "2025-07-01": nadra.StatusOccupied}
	for _, s := range ds.Snapshots {
		w, ok := want[s.Date]
		if !ok {
			continue
		}
		if got, since := geo.NewClassifier(s, b).Status(p); got != w {
			t.Errorf("shevchenkivske on %s: %s %s, want %s", s.Date, got, since, w)
		}
		delete(want, s.Date)
	}
	if len(want) > 0 {
		t.Errorf("snapshots missing from the default dataset: %v", want)
	}
}

func TestClassify_Distances(t *testing.T) {
	ds, b := mustDefault(t)
	latest := ds.Snapshots[len(ds.Snapshots)-1]
	c := geo.NewClassifier(latest, b)
	// Kyiv is about 90 km from the Belarusian border, which is the nearest
	// hostile ground.
	kyiv := orb.Point{30.5234, 50.4501}
	if got, _ := c.Status(kyiv); got != nadra.StatusControlled {
		t.Fatalf("Kyiv: %s", got)
	}
	if d := c.HostileKm(kyiv); d < 80 || d > 110 {
		t.Errorf("Kyiv to hostile ground: %.1f km, want 80–110 (the Belarusian border)", d)
	}
	// Kerch is occupied since 2014 and far from controlled ground: the
	// sea around Crimea must not count as ground.
	kerch := orb.Point{36.4754, 45.3568}
	st, since := c.Status(kerch)
	if st != nadra.StatusOccupied || since != nadra.SinceBefore {
		t.Fatalf("Kerch: %s %s", st, since)
	}
	if d := c.ControlledKm(kerch); d < 150 || math.IsInf(d, 0) {
		t.Errorf("Kerch to controlled ground: %.1f km, want > 150", d)
	}
	// From Lviv the nearest hostile ground is the Belarusian border, about
	// 1.7° of latitude to the north.
	if d := c.HostileKm(orb.Point{24.03, 49.84}); d < 170 || d > 200 {
		t.Errorf("Lviv to hostile ground: %.1f km, want 170–200", d)
	}
}

func TestAccess_Report(t *testing.T) {
	ds, b := mustDefault(t)
	var snap *nadra.Snapshot
	for _, s := range ds.Snapshots {
		if s.Date <= "2025-02-12" {
			snap = s
		}
	}
	rep := geo.Access("2025-02-12", geo.NewClassifier(snap, b), geo.Registry{Deposits: ds.Deposits, Estimates: ds.Estimates, Commodities: ds.Commodities}, geo.AccessOptions{})
	if rep.Snapshot != "2025-02-01" {
		t.Errorf("snapshot = %s, want 2025-02-01", rep.Snapshot)
	}
	if len(rep.Deposits) != len(ds.Deposits) {
		t.Fatalf("%d deposits in the report, %d in the registry", len(rep.Deposits), len(ds.Deposits))
	}
	for _, d := range rep.Deposits {
		switch {
		case d.Lat == nil && (d.Status != nadra.StatusUnknown || d.DistanceKm != nil):
			t.Errorf("%s has no location but status %s", d.ID, d.Status)
		case d.Lat != nil && d.DistanceKm == nil:
			t.Errorf("%s has no distance", d.ID)
		case d.Lat != nil && d.Uncertain != (*d.DistanceKm < *d.PrecisionKm):
			t.Errorf("%s: uncertain = %v with distance %.1f and precision %.1f", d.ID, d.Uncertain, *d.DistanceKm, *d.PrecisionKm)
		case d.Status == nadra.StatusOccupied && d.Since == nil:
			t.Errorf("%s occupied without since", d.ID)
		}
	}
	for _, r := range append(rep.ByCommodity, rep.Total) {
		if r.ShareCount != nil && (*r.ShareCount < 0 || *r.ShareCount > 1) {
			t.Errorf("%s share_count %g", r.Commodity, *r.ShareCount)
		}
		if r.Coverage.Located > r.Coverage.Deposits || r.Coverage.Valued > r.Coverage.Located || r.Coverage.Contained > r.Coverage.Located {
			t.Errorf("%s coverage inconsistent: %+v", r.Commodity, r.Coverage)
		}
		if (r.InSituUSD == nil) != (r.Coverage.Valued == 0) {
			t.Errorf("%s: in_situ_usd %v with %d valued deposits", r.Commodity, r.InSituUSD, r.Coverage.Valued)
		}
	}
	// Phosphate has a contained figure (Fedorivske's P2O5) but no price
	// per tonne of P2O5: value unknown, not 0.
	for _, r := range rep.ByCommodity {
		if r.Commodity == "phosphate" && (r.Contained == nil || r.InSituUSD != nil || r.ShareValue != nil) {
			t.Errorf("phosphate contained = %v, value = %v; want a contained quantity and an unknown value", r.Contained, r.InSituUSD)
		}
	}
	if rep.Total.Contained != nil {
		t.Errorf("total contained = %v, want null (mixed units)", *rep.Total.Contained)
	}
}
