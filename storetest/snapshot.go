package storetest

import (
	"context"
	"errors"
	"testing"

	"nadra"

	"github.com/paulmach/orb"
)

// TestDB_ImportControlFile_Check: the check sees the snapshot as it would
// be stored and its stored neighbours, inside the import's transaction; a
// refusal leaves the snapshot and the list of imported files as they were.
func testDB_ImportControlFile_Check(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	box := func(x1 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{37, 47}, {x1, 47}, {x1, 48}, {37, 48}, {37, 47}}}}
	}
	imp := func(sha string) nadra.Import {
		return nadra.Import{Kind: "control", File: sha + ".geojson", SHA256: sha}
	}
	for _, sn := range []*nadra.Snapshot{
		{Date: "2025-01-01", Source: "test", Occupied: box(38)},
		{Date: "2025-03-01", Source: "test", Occupied: box(39)},
	} {
		if _, err := db.Control.ImportControlFile(ctx, imp(sn.Date), "", sn, nil); err != nil {
			t.Fatal(err)
		}
	}

	var seen []string
	refuse := errors.New("refused")
	check := func(s nadra.SnapshotInfo, prev, next *nadra.SnapshotInfo) error {
		seen = append(seen, s.Date, prev.Date, next.Date)
		if s.OccupiedKm <= prev.OccupiedKm || s.OccupiedKm >= next.OccupiedKm {
			t.Errorf("the check got %.0f km² between %.0f and %.0f; want the new snapshot's area in between", s.OccupiedKm, prev.OccupiedKm, next.OccupiedKm)
		}
		return refuse
	}
	res, err := db.Control.ImportControlFile(ctx, imp("feb"), "", &nadra.Snapshot{Date: "2025-02-01", Source: "test", Occupied: box(38.5)}, check)
	if !errors.Is(err, refuse) || res.Inserted != 0 {
		t.Fatalf("got %+v, %v; want the check's error", res, err)
	}
	if want := []string{"2025-02-01", "2025-01-01", "2025-03-01"}; len(seen) != 3 || seen[0] != want[0] || seen[1] != want[1] || seen[2] != want[2] {
		t.Fatalf("the check saw %v, want %v", seen, want)
	}
	infos, err := db.Snapshots.FindSnapshotsIn(ctx, "", "")
	if err != nil || len(infos) != 2 {
		t.Fatalf("after a refusal: %d snapshots, %v; want the 2 stored before", len(infos), err)
	}
	if ok, err := db.Control.ControlFileSeen(ctx, "feb", ""); ok || err != nil {
		t.Fatalf("a refused file is recorded as imported (%v)", err)
	}

	// An unchanged snapshot is not checked: nothing would change.
	seen = nil
	res, err = db.Control.ImportControlFile(ctx, imp("jan-again"), "", &nadra.Snapshot{Date: "2025-01-01", Source: "test", Occupied: box(38)}, check)
	if err != nil || res.Unchanged != 1 || len(seen) != 0 {
		t.Fatalf("re-import: %+v, %v, checked %v; want unchanged and not checked", res, err, seen)
	}
}
