package server_test

import (
	"strings"
	"testing"
)

// TestTimeline_Start: the timeline says what its first snapshot is and
// what it cannot see before it. The deposits it names are those the
// access report finds occupied or grey on that date, asked separately;
// a slice from a later date starts there instead.
func TestTimeline_Start(t *testing.T) {
	s := MustOpenServer(t, nil)
	var snaps struct {
		Snapshots []struct{ Date, Source string }
	}
	s.Get(t, "/api/v1/snapshots").JSON(t, &snaps)
	first := snaps.Snapshots[0]
	for _, tt := range []struct{ query, date, next string }{
		{"", first.Date, snaps.Snapshots[1].Date},
		{"?from=" + snaps.Snapshots[5].Date, snaps.Snapshots[5].Date, snaps.Snapshots[6].Date},
	} {
		var tl struct {
			Start struct {
				Date, Source, Next, Text string
				Inaccessible             []struct{ ID, Status string }
			}
		}
		s.Get(t, "/api/v1/timeline"+tt.query).JSON(t, &tl)
		var acc struct {
			Deposits []struct{ ID, Status string }
		}
		s.Get(t, "/api/v1/access?date="+tt.date).JSON(t, &acc)
		want := map[string]string{}
		for _, d := range acc.Deposits {
			if d.Status == "occupied" || d.Status == "grey" {
				want[d.ID] = d.Status
			}
		}
		got := map[string]string{}
		for _, d := range tl.Start.Inaccessible {
			got[d.ID] = d.Status
		}
		if tl.Start.Date != tt.date || tl.Start.Next != tt.next || len(got) != len(want) || len(want) == 0 {
			t.Fatalf("%s: start %+v, want %s then %s and the %d deposits %v", tt.query, tl.Start, tt.date, tt.next, len(want), want)
		}
		for id, st := range want {
			if got[id] != st {
				t.Errorf("%s: %s is %q at the start, want %q", tt.query, id, got[id], st)
			}
		}
		for _, w := range []string{"first snapshot is the line of " + tt.date, "taken before that date, which this timeline cannot see", "the first is " + tt.date + " to " + tt.next} {
			if !strings.Contains(tl.Start.Text, w) {
				t.Errorf("%s: text %q lacks %q", tt.query, tl.Start.Text, w)
			}
		}
	}
	if first.Date != "2022-02-23" {
		t.Logf("the first snapshot is %s (the dataset's line of 2022-02-23 expected)", first.Date)
	}
	page := string(s.Get(t, "/timeline").Body)
	if !strings.Contains(page, `id="timeline-start"`) || !strings.Contains(page, "first snapshot is the line of "+first.Date) {
		t.Errorf("the Timeline page does not say where it starts")
	}
}
