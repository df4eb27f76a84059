package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nadra"
	"nadra/dataset"
)

// runMain runs one command line on a fresh Main and fails the test on a
// non-zero exit.
func runMain(t *testing.T, path string, setup func(*Main), args ...string) (string, string) {
	t.Helper()
	m, out, errb := newTestMain(path)
	if setup != nil {
		setup(m)
	}
	if code := m.Run(context.Background(), args); code != 0 {
		t.Fatalf("nadra %s: exit %d\n%s", strings.Join(args, " "), code, errb)
	}
	return out.String(), errb.String()
}

// TestUpgrade_KeepsUserEdits reproduces issue 9's first finding: a user
// corrects a deposit's coordinates and imports a control snapshot for an
// existing date; then a nadra whose embedded dataset differs, in another
// row and in the corrected one, runs. The edits must survive, the other
// change apply, and the disagreement be listed for the user to settle.
func TestUpgrade_KeepsUserEdits(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "nadra.db")

	// The user's corrections, through the normal commands.
	csvOut, _ := runMain(t, db, nil, "export", "deposits")
	lines := strings.Split(csvOut, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "dobra,") {
			lines[i] = strings.Replace(l, ",48.35,31.053,15,", ",48.3612,31.0544,0.5,", 1)
		}
	}
	fix := filepath.Join(dir, "fix.csv")
	if err := os.WriteFile(fix, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := runMain(t, db, nil, "import", "deposits", fix)
	if !strings.Contains(out, "1 updated") {
		t.Fatalf("import of the correction: %s", out)
	}
	march := filepath.Join(dir, "march.geojson")
	runMain(t, db, nil, "export", "control", "--date", "2025-03-01", "-o", march)
	runMain(t, db, nil, "import", "control", march, "--date", "2025-02-01")
	febUser, _ := runMain(t, db, nil, "export", "control", "--date", "2025-02-01")

	// The next nadra: its dataset changes another deposit's note, and
	// corrects dobra's name.
	next := func(m *Main) {
		m.DatasetVersion = func() (string, error) { return "next", nil }
		m.Dataset = func() (nadra.Seed, error) {
			s, err := dataset.Seed()
			if err != nil {
				return s, err
			}
			s.Version = "next"
			for _, d := range s.Deposits {
				switch d.ID {
				case "polokhivske":
					d.Note += " (revised)"
				case "dobra":
					d.Name = "Dobra (PSA area)"
				}
			}
			return s, nil
		}
	}
	_, stderr := runMain(t, db, next, "report", "access")
	if !strings.Contains(stderr, "updating") || !strings.Contains(stderr, "kept 2 rows") || !strings.Contains(stderr, "1 conflicts") {
		t.Errorf("the upgrade did not say what it kept: %s", stderr)
	}

	type deposit struct {
		ID          string  `json:"id"`
		Name        string  `json:"name"`
		Lat         float64 `json:"lat"`
		PrecisionKm float64 `json:"precision_km"`
		Note        string  `json:"note"`
	}
	var deps []deposit
	geo, _ := runMain(t, db, next, "export", "deposits", "--format", "geojson")
	var fc struct {
		Features []struct {
			Geometry struct {
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties json.RawMessage `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(geo), &fc); err != nil {
		t.Fatal(err)
	}
	for _, f := range fc.Features {
		var d deposit
		json.Unmarshal(f.Properties, &d)
		if len(f.Geometry.Coordinates) == 2 {
			d.Lat = f.Geometry.Coordinates[1]
		}
		deps = append(deps, d)
	}
	found := 0
	for _, d := range deps {
		switch d.ID {
		case "dobra":
			found++
			if d.Lat != 48.3612 || d.PrecisionKm != 0.5 || d.Name != "Dobra (site)" {
				t.Errorf("dobra after the upgrade: %+v, want the user's 48.3612, 0.5 km, Dobra (site)", d)
			}
		case "polokhivske":
			found++
			if !strings.HasSuffix(d.Note, "(revised)") {
				t.Errorf("polokhivske's note was not updated from the dataset: %q", d.Note)
			}
		}
	}
	if found != 2 {
		t.Fatalf("dobra or polokhivske missing from the export")
	}
	if feb, _ := runMain(t, db, next, "export", "control", "--date", "2025-02-01"); feb != febUser {
		t.Errorf("the user's snapshot of 2025-02-01 was replaced by the upgrade")
	}

	// The user sees both values and settles.
	status, _ := runMain(t, db, next, "dataset", "status", "--json")
	var st struct {
		Counts map[string]map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(status), &st); err != nil {
		t.Fatal(err)
	}
	if st.Counts["deposit"]["conflict"] != 1 || st.Counts["snapshot"]["edited"] != 1 {
		t.Errorf("status counts %v, want 1 deposit conflict and 1 snapshot edit", st.Counts)
	}
	diff, _ := runMain(t, db, next, "dataset", "diff", "deposit:dobra")
	for _, want := range []string{"conflict", "Dobra (PSA area)", "Dobra (site)", "48.3612", "fix.csv"} {
		if !strings.Contains(diff, want) {
			t.Errorf("diff lacks %q:\n%s", want, diff)
		}
	}
	runMain(t, db, next, "dataset", "accept", "deposit:dobra")
	geo, _ = runMain(t, db, next, "export", "deposits", "--format", "geojson")
	if !strings.Contains(geo, "Dobra (PSA area)") {
		t.Errorf("accept did not take the dataset's dobra")
	}
	runMain(t, db, next, "dataset", "keep", "snapshot:2025-02-01")
	status, _ = runMain(t, db, next, "dataset", "status", "--json")
	json.Unmarshal([]byte(status), &st)
	if st.Counts["deposit"]["conflict"] != 0 || st.Counts["snapshot"]["edited"] != 1 {
		t.Errorf("status after settling %v", st.Counts)
	}
	m, _, errb := newTestMain(db)
	next(m)
	if code := m.Run(context.Background(), []string{"dataset", "accept", "deposit:nowhere"}); code != exitError || !strings.Contains(errb.String(), "deposit:nowhere") {
		t.Errorf("accept of an unknown ref: exit %d, %s", code, errb)
	}
}
