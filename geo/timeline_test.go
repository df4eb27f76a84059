package geo_test

import (
	"encoding/json"
	"testing"

	"nadra"
	"nadra/geo"
)

// TestScenario_Timeline: the default dataset's timeline has Shevchenkivske
// falling between the June and July 2025 snapshots.
func TestTimeline_Shevchenkivske(t *testing.T) {
	ds, b := mustDefault(t)
	reg := geo.Registry{Deposits: ds.Deposits, Estimates: ds.Estimates, Commodities: ds.Commodities}
	tl := geo.Timeline(ds.Snapshots, nil, b, reg, "lithium")
	found := false
	for _, e := range tl.Events {
		if e.DepositID == "shevchenkivske" {
			found = true
			if e.Text != "Shevchenkivske: controlled → occupied between 2025-06-01 and 2025-07-01" {
				t.Errorf("event: %q", e.Text)
			}
		}
		if e.DepositID == "dobra" || e.DepositID == "polokhivske" {
			t.Errorf("unexpected event %s", e.Text)
		}
	}
	if !found {
		t.Errorf("no Shevchenkivske event in %v", tl.Events)
	}
	if len(tl.Rows) != len(ds.Snapshots) || len(tl.Rows[0].Commodities) != 1 || tl.Rows[0].Commodities[0].Commodity != "lithium" {
		t.Fatalf("rows: %d, first %+v", len(tl.Rows), tl.Rows[0])
	}
	last := tl.Rows[len(tl.Rows)-1]
	if last.GreyKm2 != nil {
		t.Errorf("the latest snapshot has no grey zone, so grey_km2 must be null")
	}
	// The first row is the line of 2022-02-23 (areas occupied before 2022
	// only, about 43,000 km²); the second DeepState's first map.
	if tl.Rows[0].Date != "2022-02-23" || tl.Rows[0].OccupiedKm2 < 40000 || tl.Rows[0].OccupiedKm2 > 46000 {
		t.Errorf("occupied area on %s: %.0f km²", tl.Rows[0].Date, tl.Rows[0].OccupiedKm2)
	}
	if tl.Rows[1].OccupiedKm2 < 100000 || tl.Rows[1].OccupiedKm2 > 130000 {
		t.Errorf("occupied area on %s: %.0f km²", tl.Rows[1].Date, tl.Rows[1].OccupiedKm2)
	}
}

// TestSliceTimeline: a slice of the whole timeline is the timeline of the
// slice.
func TestSliceTimeline(t *testing.T) {
	ds, b := mustDefault(t)
	reg := geo.Registry{Deposits: ds.Deposits, Estimates: ds.Estimates, Commodities: ds.Commodities}
	// Around the two changes in the default data: Soledar early in 2023
	// and Shevchenkivske in mid-2025.
	snaps := append(append([]*nadra.Snapshot{}, ds.Snapshots[8:12]...), ds.Snapshots[37:41]...)
	all := geo.Timeline(snaps, nil, b, reg, "")
	if len(all.Events) < 2 {
		t.Fatalf("%d events from %s to %s: pick snapshots with more", len(all.Events), snaps[0].Date, snaps[len(snaps)-1].Date)
	}
	for _, tt := range []struct{ from, to, commodity string }{
		{"", "", ""},
		{snaps[2].Date, snaps[7].Date, ""},
		{snaps[1].Date, "", "lithium"},
		{"", snaps[5].Date, "titanium"},
	} {
		lo, hi := 0, len(snaps)
		for lo < hi && tt.from != "" && snaps[lo].Date < tt.from {
			lo++
		}
		for hi > lo && tt.to != "" && snaps[hi-1].Date > tt.to {
			hi--
		}
		want := geo.Timeline(snaps[lo:hi], nil, b, reg, tt.commodity)
		got := geo.SliceTimeline(all, reg, tt.from, tt.to, tt.commodity)
		wj, _ := json.Marshal(want)
		gj, _ := json.Marshal(got)
		if string(wj) != string(gj) {
			t.Errorf("%+v: slice differs\n got %s\nwant %s", tt, gj, wj)
		}
	}
}
