package main_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var binary string

// TestMain builds the nadra binary once for the end-to-end tests.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "nadra-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "nadra")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs the binary with a database in dir and no user data directory.
func run(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"NADRA_DB=" + filepath.Join(dir, "nadra.db"), "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

type accessJSON struct {
	Date     string `json:"date"`
	Snapshot string `json:"snapshot"`
	Deposits []struct {
		ID          string   `json:"id"`
		Name        string   `json:"name"`
		Oblast      string   `json:"oblast"`
		Lat         *float64 `json:"lat"`
		Lon         *float64 `json:"lon"`
		PrecisionKm *float64 `json:"precision_km"`
		Status      string   `json:"status"`
		Since       *string  `json:"since"`
		DistanceKm  *float64 `json:"distance_km"`
		Uncertain   bool     `json:"uncertain"`
		Commodities []string `json:"commodities"`
	} `json:"deposits"`
	ByCommodity []map[string]any `json:"by_commodity"`
	Total       map[string]any   `json:"total"`
}

func TestE2E_ReportAccess(t *testing.T) {
	dir := t.TempDir()
	r := run(t, dir, "report", "access", "--date", "2025-02-12", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "seeding") {
		t.Errorf("first run did not say it seeded the database: %q", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "nadra.db")); err != nil {
		t.Fatalf("no database at NADRA_DB: %v", err)
	}
	var rep accessJSON
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, r.stdout)
	}
	if rep.Date != "2025-02-12" || rep.Snapshot != "2025-02-01" {
		t.Errorf("date %s snapshot %s", rep.Date, rep.Snapshot)
	}
	status := map[string]string{}
	for _, d := range rep.Deposits {
		status[d.ID] = d.Status
		if d.Lat != nil && d.DistanceKm == nil {
			t.Errorf("%s: located but no distance_km", d.ID)
		}
	}
	for id, want := range map[string]string{"kruta-balka": "occupied", "azovske": "occupied", "polokhivske": "controlled",
		"dobra": "controlled", "shevchenkivske": "controlled"} {
		if status[id] != want {
			t.Errorf("%s on 2025-02-12: %s, want %s", id, status[id], want)
		}
	}
	keys := []string{"commodity", "deposits", "inaccessible_deposits", "share_count", "contained", "inaccessible_contained",
		"share_contained", "in_situ_usd", "inaccessible_in_situ_usd", "share_value", "coverage"}
	var lithium map[string]any
	for _, row := range rep.ByCommodity {
		for _, k := range keys {
			if _, ok := row[k]; !ok {
				t.Errorf("by_commodity row %v lacks %q", row["commodity"], k)
			}
		}
		if row["commodity"] == "lithium" {
			lithium = row
		}
	}
	if lithium == nil || lithium["share_count"] == nil || lithium["share_value"] == nil {
		t.Fatalf("lithium row: %v", lithium)
	}
	if rep.Total["contained"] != nil {
		t.Errorf("total contained should be null (mixed units), got %v", rep.Total["contained"])
	}

	// The latest snapshot: Shevchenkivske has fallen.
	r = run(t, dir, "report", "access", "--json")
	if r.code != 0 || strings.Contains(r.stderr, "seeding") {
		t.Fatalf("second run: exit %d, stderr %q", r.code, r.stderr)
	}
	rep = accessJSON{}
	json.Unmarshal([]byte(r.stdout), &rep)
	for _, d := range rep.Deposits {
		if d.ID == "shevchenkivske" && (d.Status != "occupied" || d.Since == nil || *d.Since != "2022") {
			t.Errorf("shevchenkivske at the latest snapshot %s: %s", rep.Snapshot, d.Status)
		}
	}

	// The human table and CSV.
	if r = run(t, dir, "report", "access"); r.code != 0 || !strings.Contains(r.stdout, "lithium") || !strings.Contains(r.stdout, "Uncertain deposits") {
		t.Errorf("table: exit %d\n%s", r.code, r.stdout)
	}
	if r = run(t, dir, "report", "access", "--csv"); r.code != 0 || !strings.HasPrefix(r.stdout, "date,snapshot,commodity") {
		t.Errorf("csv: exit %d\n%s", r.code, r.stdout)
	}
}

func TestE2E_ImportExport(t *testing.T) {
	dir := t.TempDir()
	// Export, change one deposit, add one, re-import.
	r := run(t, dir, "export", "deposits", "--format", "csv", "-o", "deposits.csv")
	if r.code != 0 {
		t.Fatalf("export: %d %s", r.code, r.stderr)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "deposits.csv"))
	mine := "id,name,name_uk,oblast,lat,lon,precision_km,commodities,stage,coords_note,note,sources\n" +
		"test-site,Test site,,UA-35,48.5,31.5,3,lithium;tantalum,explored,surveyed point,,https://example.org/report (2026-01-01)\n"
	os.WriteFile(filepath.Join(dir, "mine.csv"), []byte(mine), 0o644)
	r = run(t, dir, "import", "deposits", "mine.csv")
	if r.code != 0 || !strings.Contains(r.stdout, "1 added") {
		t.Fatalf("import: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, dir, "import", "deposits", "mine.csv", "--json")
	var res map[string]int
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || res["unchanged"] != 1 || res["inserted"] != 0 {
		t.Fatalf("second import changed something: %s", r.stdout)
	}

	// Bad input: exit 1, one line naming file, line and field; nothing changes.
	bad := mine + "test-site-2,Second,,UA-35,not-a-lat,31,3,lithium,,x,,https://example.org (2026)\n"
	os.WriteFile(filepath.Join(dir, "bad.csv"), []byte(bad), 0o644)
	r = run(t, dir, "import", "deposits", "bad.csv")
	if r.code != 1 {
		t.Fatalf("bad import exit %d, want 1", r.code)
	}
	if lines := strings.Split(strings.TrimSpace(r.stderr), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "bad.csv:3: lat:") {
		t.Errorf("bad import stderr: %q", r.stderr)
	}
	run(t, dir, "export", "deposits", "-o", "after.csv")
	after, _ := os.ReadFile(filepath.Join(dir, "after.csv"))
	if !bytes.Contains(after, []byte("test-site,Test site")) || bytes.Contains(after, []byte("test-site-2")) {
		t.Errorf("database changed by a refused import")
	}
	if len(after) <= len(before) {
		t.Errorf("export after import is not larger")
	}

	// GeoJSON export opens as a FeatureCollection with every deposit.
	r = run(t, dir, "export", "deposits", "--format", "geojson", "--date", "2025-02-12", "-o", "deposits.geojson")
	if r.code != 0 {
		t.Fatalf("geojson export: %s", r.stderr)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "deposits.geojson"))
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Geometry   *struct{ Type string } `json:"geometry"`
			Properties map[string]any         `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil || fc.Type != "FeatureCollection" {
		t.Fatalf("geojson: %v", err)
	}
	if n := strings.Count(string(after), "\n") - 1; len(fc.Features) != n {
		t.Errorf("%d features, %d deposits", len(fc.Features), n)
	}
	for _, f := range fc.Features {
		if f.Properties["status"] == nil || f.Properties["sources"] == "" {
			t.Errorf("feature %v lacks status or sources", f.Properties["id"])
		}
	}

	// Estimates as GeoJSON, each at its deposit's point.
	r = run(t, dir, "export", "estimates", "--format", "geojson")
	var efc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &efc); err != nil || len(efc.Features) < 30 {
		t.Fatalf("estimates geojson: %v, %d features", err, len(efc.Features))
	}

	// Exporting the snapshot and importing it again changes nothing.
	run(t, dir, "export", "control", "--date", "2024-08-01", "-o", "snap.geojson")
	r = run(t, dir, "import", "control", "snap.geojson", "--json")
	if r.code != 0 {
		t.Fatalf("import control: %s", r.stderr)
	}
}

// TestE2E_CSVFormulas: a cell that a spreadsheet would run as a formula
// is exported with a quote before it, numbers stay numbers, and importing
// the export changes nothing (issue 9, item 10).
func TestE2E_CSVFormulas(t *testing.T) {
	dir := t.TempDir()
	mine := "id,name,name_uk,oblast,lat,lon,precision_km,commodities,stage,coords_note,note,sources\n" +
		`test-site,"=HYPERLINK(""http://evil.example"",""x"")",,UA-35,48.5,31.5,3,lithium,explored,@survey,-2+3,https://example.org/report (2026-01-01)` + "\n"
	os.WriteFile(filepath.Join(dir, "mine.csv"), []byte(mine), 0o644)
	if r := run(t, dir, "import", "deposits", "mine.csv"); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	r := run(t, dir, "export", "deposits", "-o", "out.csv")
	if r.code != 0 {
		t.Fatalf("export: %d %s", r.code, r.stderr)
	}
	out, _ := os.ReadFile(filepath.Join(dir, "out.csv"))
	for _, want := range []string{`test-site,"'=HYPERLINK(""http://evil.example"",""x"")",,UA-35,48.5,31.5,3,lithium,explored,'@survey,'-2+3,`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("export lacks %s", want)
		}
	}
	r = run(t, dir, "import", "deposits", "out.csv", "--json")
	var res map[string]int
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || res["inserted"] != 0 || res["updated"] != 0 || res["unchanged"] < 70 {
		t.Fatalf("re-importing the export changed something: %s %s", r.stdout, r.stderr)
	}
	run(t, dir, "export", "deposits", "-o", "again.csv")
	again, _ := os.ReadFile(filepath.Join(dir, "again.csv"))
	if !bytes.Equal(out, again) {
		t.Errorf("export, import, export is not a fixed point")
	}
}

// exitUsageCode is nadra's exit status for a usage mistake.
const exitUsageCode = 2

func TestE2E_ExitCodes(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"help"}, 0, ""},
		{[]string{"report", "access", "--help"}, 0, ""},
		{[]string{"import", "--help"}, 0, ""},
		{[]string{"export", "deposits", "--help"}, 0, ""},
		{[]string{"version"}, 0, ""},
		{nil, 2, ""},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"report", "access", "--bogus"}, 2, "bogus"},
		{[]string{"report", "access", "--date", "2025-02-30"}, 2, "there is no 30 February 2025"},
		{[]string{"report", "access", "--date", "2025-2-3"}, 2, "expected YYYY-MM-DD"},
		{[]string{"report", "access", "--json", "--csv"}, 2, "cannot be used together"},
		{[]string{"report", "access", "--date", "2020-01-01"}, 1, "no control snapshot on or before 2020-01-01"},
		{[]string{"import", "deposits", "missing.csv"}, 1, "no such file"},
		{[]string{"import", "deposits"}, 2, "expected one FILE"},
	}
	for _, tt := range tests {
		r := run(t, dir, tt.args...)
		if r.code != tt.code {
			t.Errorf("nadra %v: exit %d, want %d (stderr %q)", tt.args, r.code, tt.code, r.stderr)
		}
		if tt.err != "" && !strings.Contains(r.stderr, tt.err) {
			t.Errorf("nadra %v: stderr %q lacks %q", tt.args, r.stderr, tt.err)
		}
		var errLines []string
		for _, l := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
			if !strings.HasPrefix(l, "nadra: seeding") {
				errLines = append(errLines, l)
			}
		}
		// A mistake is one line, and a usage mistake one more line of
		// help; nothing goes to standard output.
		maxLines := 1
		if tt.code == exitUsageCode {
			maxLines = 2
		}
		if tt.code != 0 && len(errLines) > maxLines && tt.args != nil { // bare nadra prints the help
			t.Errorf("nadra %v: error is %d lines, want at most %d: %q", tt.args, len(errLines), maxLines, r.stderr)
		}
		if tt.code != 0 && r.stdout != "" && tt.args != nil {
			t.Errorf("nadra %v: a mistake printed to standard output: %q", tt.args, r.stdout)
		}
	}
}
