package server_test

import (
	"context"
	"strings"
	"testing"

	"nadra"
	"nadra/mock"
	"nadra/server"
)

// TestAPIPage_Licences: the Data & API page lists what the binary
// carries and under which licence, like nadra version --licences.
func TestAPIPage_Licences(t *testing.T) {
	s := MustOpenServer(t, nil)
	r := s.Get(t, "/api")
	body := string(r.Body)
	for _, want := range []string{`id="licences"`, "Control snapshots: embedded.", "© DeepStateMap: non-commercial and defence use only",
		"GPL-3.0", "ODbL-1.0", "Natural Earth public domain", "Apache-2.0", "Go standard library and runtime"} {
		if r.Status != 200 || !strings.Contains(body, want) {
			t.Fatalf("/api: status %d; want %q on the page", r.Status, want)
		}
	}
	if strings.Contains(body, "No control data is loaded") {
		t.Fatalf("/api: says no control data is loaded, though the store has snapshots")
	}
}

// TestPages_NoControlData: with no control snapshot in the store (a
// nosnapshots build before the user imports one), every page says so.
func TestPages_NoControlData(t *testing.T) {
	s := MustOpenServer(t, func(s *server.Server) {
		snaps := mock.WrapSnapshots(s.Snapshots)
		snaps.FindSnapshotsFn = func(context.Context) ([]nadra.SnapshotInfo, error) { return nil, nil }
		s.Snapshots = snaps
	})
	for _, p := range []string{"/supply", "/api", "/map"} {
		r := s.Get(t, p)
		if !strings.Contains(string(r.Body), "No control data is loaded.") || !strings.Contains(string(r.Body), "nadra import control") {
			t.Fatalf("%s: status %d; want the page to say no control data is loaded and how to load it", p, r.Status)
		}
	}
}
