package nadra_test

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"nadra"
)

func TestCheckOccupiedChange(t *testing.T) {
	info := func(date string, km float64) *nadra.SnapshotInfo {
		return &nadra.SnapshotInfo{Date: date, OccupiedKm: km}
	}
	tests := []struct {
		name       string
		s          *nadra.SnapshotInfo
		prev, next *nadra.SnapshotInfo
		err        string // substring; "" for no error
	}{
		{"no neighbours", info("2024-08-15", 1), nil, nil, ""},
		{"a month of real change", info("2024-09-01", 109808), info("2024-08-01", 109448), info("2024-10-01", 110213), ""},
		// 20,000 + 300 × 14 = 24,200 km² in the 14 days since 2024-08-01.
		{"just inside", info("2024-08-15", 109448-24_199), info("2024-08-01", 109448), nil, ""},
		{"just outside", info("2024-08-15", 109448-24_201), info("2024-08-01", 109448), nil, "at most 24,200 km²"},
		{"emptied, a month away", info("2025-06-01", 9993), info("2025-05-01", 112669), info("2025-07-01", 113666),
			"the occupied area of 2025-06-01, 9,993 km², is implausible beside the stored snapshot of 2025-05-01, 112,669 km²: a change of -102,676 km² in 31 days"},
		{"checked against the next one too", info("2025-06-30", 200000), info("2025-05-01", 180000), info("2025-07-01", 113666), "2025-07-01, 113,666 km²: a change of +86,334 km² in 1 day"},
		{"pre-2022 layer missing", info("2024-08-01", 109448-43950), info("2024-07-01", 109262), nil, "implausible"},
		// Before 3 April 2022: 30,000 + 3,000 × 23 = 99,000 km².
		{"the invasion's first 23 days", info("2022-03-18", 141072), info("2022-02-23", 42981), nil, ""},
		{"the invasion, too fast even then", info("2022-02-24", 80000), info("2022-02-23", 42981), nil, "at most 33,000 km²"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := nadra.CheckOccupiedChange(*tt.s, tt.prev, tt.next)
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tt.err != "" && err == nil:
				t.Fatalf("got no error, want %q", tt.err)
			case err != nil && (!strings.Contains(err.Error(), tt.err) || nadra.ErrorCode(err) != nadra.EINVALID):
				t.Fatalf("got %v (%s), want an EINVALID error containing %q", err, nadra.ErrorCode(err), tt.err)
			}
		})
	}
}

// TestMaxOccupiedChange_RealHistory checks the calibration: no pair of
// days in liveuamap's daily series, and no pair of the embedded dataset's
// snapshots, changes by more than the bound.
func TestMaxOccupiedChange_RealHistory(t *testing.T) {
	type day struct {
		t  time.Time
		km float64
	}
	read := func(path string, dateCol, kmCol int) []day {
		f, err := os.Open(path)
		if err != nil {
			t.Skipf("skipping: %v", err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var out []day
		for _, r := range recs[1:] {
			d, err := time.Parse("2006-01-02", r[dateCol][:10])
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			km, err := strconv.ParseFloat(r[kmCol], 64)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			out = append(out, day{d, km})
		}
		return out
	}
	series := map[string][]day{
		"dataset/snapshots.csv (full resolution)": read("dataset/snapshots.csv", 0, 3),
		"dataset/snapshots.csv (as embedded)":     read("dataset/snapshots.csv", 0, 4),
	}
	lua := filepath.Join("..", "shared", "data", "geo", "liveuamap_territory_area_km2.csv")
	if _, err := os.Stat(lua); err != nil {
		t.Logf("%s absent: checking the embedded dataset only", lua)
	} else {
		series["liveuamap"] = read(lua, 0, 1)
		if n := len(series["liveuamap"]); n < 1000 {
			t.Fatalf("liveuamap: %d days, want over 1,000", n)
		}
	}
	for name, days := range series {
		worst, at := 0.0, ""
		for i := range days {
			for j := i + 1; j < len(days); j++ {
				change := math.Abs(days[j].km - days[i].km)
				max := nadra.MaxOccupiedChangeKm2(days[i].t, days[j].t)
				if change > max {
					t.Errorf("%s: %s to %s changes by %.0f km², over the bound of %.0f", name, days[i].t.Format("2006-01-02"), days[j].t.Format("2006-01-02"), change, max)
				}
				if r := change / max; r > worst {
					worst, at = r, days[i].t.Format("2006-01-02")+" to "+days[j].t.Format("2006-01-02")
				}
			}
		}
		t.Logf("%s: %d dates; the closest call uses %.0f%% of the bound (%s)", name, len(days), 100*worst, at)
	}
}
