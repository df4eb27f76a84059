package dataset_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"nadra"
	"nadra/dataset"
	"nadra/geo"

	"github.com/paulmach/orb"
)

// roundTrip writes s as nadra's snapshot GeoJSON and reads it back as
// `nadra import control` does.
func roundTrip(t *testing.T, s *nadra.Snapshot) (*nadra.Snapshot, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := geo.WriteSnapshotGeoJSON(&buf, s); err != nil {
		t.Fatal(err)
	}
	got, err := dataset.ParseSnapshot("export.geojson", bytes.NewReader(buf.Bytes()), dataset.SnapshotFormat{},
		mustBoundaries(t).Outline, nil, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("%s: reading the export back: %v", s.Date, err)
	}
	return got, buf.Bytes()
}

// sameSnapshot reports the first difference between two snapshots, or "".
func sameSnapshot(got, want *nadra.Snapshot) string {
	if got.Date != want.Date || got.Source != want.Source || got.GreyKnown != want.GreyKnown {
		return "metadata differs"
	}
	for _, l := range []struct {
		name      string
		got, want orb.MultiPolygon
	}{{"occupied", got.Occupied, want.Occupied}, {"pre-2022", got.Pre2022, want.Pre2022}, {"grey", got.Grey, want.Grey}} {
		if len(l.got) == 0 && len(l.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(l.got, l.want) {
			return l.name + " geometry differs: " + describe(l.got) + ", want " + describe(l.want)
		}
	}
	return ""
}

func describe(mp orb.MultiPolygon) string {
	n := 0
	for _, p := range mp {
		for _, r := range p {
			n += len(r)
		}
	}
	return fmt.Sprintf("%.6f km² in %d vertices", geo.Ukraine.AreaKm2(mp), n)
}

// TestSnapshot_ExportImportFixedPoint: importing an export of an embedded
// snapshot gives the same snapshot, vertex for vertex, and exporting that
// gives the same bytes. It checks a spread of the embedded snapshots, raw
// DeepState layers and occupied-only unions.
func TestSnapshot_ExportImportFixedPoint(t *testing.T) {
	ds := mustDefault(t)
	for i, s := range ds.Snapshots {
		if i%9 != 0 && i != len(ds.Snapshots)-1 {
			continue
		}
		t.Run(s.Date, func(t *testing.T) {
			got, exported := roundTrip(t, s)
			if d := sameSnapshot(got, s); d != "" {
				t.Fatalf("imported export of %s: %s", s.Date, d)
			}
			_, again := roundTrip(t, got)
			if !bytes.Equal(again, exported) {
				t.Fatalf("second export of %s: %d bytes, want the first's %d", s.Date, len(again), len(exported))
			}
		})
	}
}

// TestSnapshot_ImportedFixedPoint: a DeepState raw layer and an occupied-only
// union, once imported, export to a file that imports to the same snapshot.
func TestSnapshot_ImportedFixedPoint(t *testing.T) {
	b := mustBoundaries(t)
	ds := mustDefault(t)
	today := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		file string
		f    dataset.SnapshotFormat
	}{
		{"deepstate_2025-07-01_1751400934.geojson", dataset.SnapshotFormat{}},
		{"deepstatemap_data_20260822.geojson", dataset.SnapshotFormat{OccupiedUnion: true}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("..", "cmd", "nadra", "testdata", "control", tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := dataset.ParseSnapshot(path, bytes.NewReader(data), tt.f, b.Outline, ds.Snapshots[40].Pre2022, today)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := roundTrip(t, s)
			if d := sameSnapshot(got, s); d != "" {
				t.Fatalf("imported export: %s", d)
			}
		})
	}
}
