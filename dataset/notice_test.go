package dataset

import (
	"strings"
	"testing"
)

// TestParts_CoverEveryEmbeddedFile: every file the build embeds has
// exactly one part, so a new file cannot ship without a licence.
func TestParts_CoverEveryEmbeddedFile(t *testing.T) {
	names, err := embeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 30 {
		t.Fatalf("got %d embedded files, want the whole dataset (at least 30)", len(names))
	}
	snaps := 0
	for _, n := range names {
		var hit []string
		for _, p := range Parts() {
			if p.Matches(n) {
				hit = append(hit, p.Files)
			}
		}
		if len(hit) != 1 {
			t.Fatalf("%s: got %d parts %q, want exactly one", n, len(hit), hit)
		}
		if strings.HasPrefix(n, "snapshots/") {
			snaps++
		}
	}
	ds, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if snaps != len(ds.Snapshots) {
		t.Fatalf("got %d snapshot files, want %d, one per loaded snapshot", snaps, len(ds.Snapshots))
	}
	if SnapshotsEmbedded != (snaps > 0) {
		t.Fatalf("SnapshotsEmbedded is %v with %d snapshot files", SnapshotsEmbedded, snaps)
	}
	for _, p := range Parts() {
		if p.Licence == "" || p.Attribution == "" || p.What == "" {
			t.Fatalf("part %q: licence, attribution and what must all be given", p.Files)
		}
	}
}

// TestParts_RestrictedAreTheDeepStateSnapshots: the parts a nosnapshots
// build leaves out are the DeepState-derived snapshots, and no others.
func TestParts_RestrictedAreTheDeepStateSnapshots(t *testing.T) {
	for _, p := range parts {
		isSnap := strings.HasPrefix(p.Files, "snapshots/")
		if p.Restricted != isSnap {
			t.Fatalf("part %q: restricted %v, want %v", p.Files, p.Restricted, isSnap)
		}
		if isSnap && !strings.Contains(p.Attribution, "DeepStateMap") {
			t.Fatalf("part %q: attribution %q, want DeepStateMap credited", p.Files, p.Attribution)
		}
	}
}
