package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyDir copies testdata/control into a temp folder, adding extra files.
func copyControl(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir("testdata/control")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata/control", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644)
	}
	for name, body := range extra {
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}
	return dir
}

type controlResult struct {
	File     string `json:"file"`
	Date     string `json:"date"`
	Skipped  bool   `json:"skipped"`
	Error    string `json:"error"`
	Inserted int    `json:"inserted"`
	Updated  int    `json:"updated"`
}

// TestE2E_ImportControlDir imports a folder of real slices in three formats
// plus a broken file: the good ones land, the bad one is reported, and a
// second run skips everything by content hash.
func TestE2E_ImportControlDir(t *testing.T) {
	home := t.TempDir()
	dir := copyControl(t, map[string]string{
		"broken.geojson":                 `{"type":"FeatureCollection","features":[`,
		"deepstate_2099-01-01_1.geojson": strings.Replace(mustRead(t, "testdata/control/deepstate_2025-06-01_1748806839.geojson"), `{"type":"FeatureCollection"`, `{"type":"FeatureCollection","date":"2099-01-01"`, 1),
	})
	// The slices are a box of about 10,000 km², each replacing a whole
	// snapshot: implausible beside the snapshots a month away, so refused
	// without --force, and nothing changes.
	before := run(t, home, "report", "timeline", "--commodity", "lithium", "--json").stdout
	r := run(t, home, "import", "control", dir, "--json")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", r.code, r.stderr)
	}
	var refused []controlResult
	if err := json.Unmarshal([]byte(r.stdout), &refused); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	for _, x := range refused {
		if strings.HasPrefix(filepath.Base(x.File), "deepstate") && !strings.Contains(x.File, "2099") &&
			(!strings.Contains(x.Error, "implausible beside the stored snapshot") || !strings.Contains(x.Error, "--force")) {
			t.Errorf("%s: %+v, want refused as implausible", x.File, x)
		}
	}
	if after := run(t, home, "report", "timeline", "--commodity", "lithium", "--json").stdout; after != before {
		t.Errorf("refused imports changed the timeline")
	}

	r = run(t, home, "import", "control", dir, "--json", "--force")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (one bad file); stderr %s", r.code, r.stderr)
	}
	var res []controlResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	byName := map[string]controlResult{}
	for _, x := range res {
		byName[filepath.Base(x.File)] = x
	}
	if x := byName["broken.geojson"]; !strings.Contains(x.Error, "not valid JSON") {
		t.Errorf("broken file: %+v", x)
	}
	if x := byName["deepstate_2099-01-01_1.geojson"]; !strings.Contains(x.Error, "future") {
		t.Errorf("future file: %+v", x)
	}
	for name, date := range map[string]string{"deepstate_2025-06-01_1748806839.geojson": "2025-06-01",
		"deepstate_2025-07-01_1751400934.geojson": "2025-07-01", "deepstatemap_data_20260822.geojson": "2026-08-22"} {
		if x := byName[name]; x.Error != "" || x.Date != date || x.Updated != 1 {
			t.Errorf("%s: %+v, want snapshot %s updated", name, x, date)
		}
	}
	// The raw slices were classified by fill, clipped, and their grey zone
	// kept; the union slice has none.
	var snaps []map[string]any
	r = run(t, home, "report", "timeline", "--commodity", "lithium", "--json")
	var tl struct {
		Rows []struct {
			Date        string   `json:"date"`
			OccupiedKm2 float64  `json:"occupied_km2"`
			GreyKm2     *float64 `json:"grey_km2"`
		} `json:"rows"`
		Events []struct{ Text string } `json:"events"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &tl); err != nil {
		t.Fatalf("timeline: %v", err)
	}
	_ = snaps
	for _, row := range tl.Rows {
		switch row.Date {
		case "2025-06-01", "2025-07-01":
			// Only the slice's box (about 1.8° x 1°) is in these snapshots now.
			if row.OccupiedKm2 < 1000 || row.OccupiedKm2 > 15000 || row.GreyKm2 == nil {
				t.Errorf("%s: occupied %.0f km², grey %v", row.Date, row.OccupiedKm2, row.GreyKm2)
			}
		case "2026-08-22":
			if row.GreyKm2 != nil {
				t.Errorf("union slice has a grey zone")
			}
		}
	}
	want := "Shevchenkivske: controlled → occupied between 2025-06-01 and 2025-07-01"
	found := false
	for _, e := range tl.Events {
		found = found || e.Text == want
	}
	if !found {
		t.Errorf("timeline lacks %q: %v", want, tl.Events)
	}

	// Second run: everything imported before is skipped; bad files still fail.
	r = run(t, home, "import", "control", dir)
	if strings.Count(r.stdout, "skipped") != 3 || strings.Count(r.stdout, "FAILED") != 2 {
		t.Errorf("second run:\n%s", r.stdout)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestE2E_ImportControlStatusField: any FeatureCollection with a status
// property and a user mapping.
func TestE2E_ImportControlStatusField(t *testing.T) {
	home := t.TempDir()
	fc := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"control":"RU"},"geometry":{"type":"Polygon","coordinates":[[[36.6,47.8],[36.9,47.8],[36.9,48.0],[36.6,48.0],[36.6,47.8]]]}},
{"type":"Feature","properties":{"control":"contested"},"geometry":{"type":"Polygon","coordinates":[[[36.9,47.8],[37.0,47.8],[37.0,48.0],[36.9,48.0],[36.9,47.8]]]}},
{"type":"Feature","properties":{"control":"UA"},"geometry":{"type":"Polygon","coordinates":[[[31,48],[31.1,48],[31.1,48.1],[31,48.1],[31,48]]]}}]}`
	os.WriteFile(filepath.Join(home, "mine.geojson"), []byte(fc), 0o644)
	r := run(t, home, "import", "control", "mine.geojson", "--date", "2025-06-15", "--status-field", "control",
		"--map", "occupied=RU", "--map", "grey=contested", "--map", "ignore=UA", "--force")
	if r.code != 0 || !strings.Contains(r.stdout, "snapshot 2025-06-15, 1 added") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, home, "report", "access", "--date", "2025-06-15", "--json")
	var rep accessJSON
	json.Unmarshal([]byte(r.stdout), &rep)
	for _, d := range rep.Deposits {
		if d.ID == "shevchenkivske" && d.Status != "occupied" {
			t.Errorf("shevchenkivske in the user's occupied square: %s", d.Status)
		}
	}
	// An unmapped value is an error naming the feature and property.
	r = run(t, home, "import", "control", "mine.geojson", "--date", "2025-06-16", "--status-field", "control", "--map", "occupied=RU")
	if r.code != 1 || !strings.Contains(r.stdout, "feature 1: properties.control") {
		t.Errorf("unmapped value: exit %d\n%s", r.code, r.stdout)
	}
}

// TestE2E_ImportControlDeepState fetches from a local server that replays
// DeepState's public history API from testdata.
func TestE2E_ImportControlDeepState(t *testing.T) {
	files := map[string]string{
		"1748806839": "testdata/control/deepstate_2025-06-01_1748806839.geojson",
		"1751400934": "testdata/control/deepstate_2025-07-01_1751400934.geojson",
	}
	var fetched []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/history/public":
			// Two entries on 2025-06-01: only the later one is fetched.
			fmt.Fprint(w, `[{"id":1748780000,"datetime":"2025-06-01T12:13:20Z"},{"id":1748806839,"datetime":"2025-06-01T19:40:39Z"},{"id":1751400934,"datetime":"2025-07-01T20:15:34Z"}]`)
		case strings.HasPrefix(r.URL.Path, "/api/history/") && strings.HasSuffix(r.URL.Path, "/geojson"):
			id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/history/"), "/geojson")
			fetched = append(fetched, id)
			path, ok := files[id]
			if !ok {
				http.NotFound(w, r)
				return
			}
			http.ServeFile(w, r, path)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	home := t.TempDir()
	// The fetched slices go through the same plausibility check.
	r := run(t, home, "import", "control", "--deepstate", "--deepstate-url", srv.URL, "--json")
	if r.code != 1 || strings.Count(r.stdout, "implausible beside the stored snapshot") != 2 {
		t.Fatalf("without --force: exit %d, want 1 and two implausible snapshots: %s %s", r.code, r.stdout, r.stderr)
	}
	fetched = nil
	r = run(t, home, "import", "control", "--deepstate", "--deepstate-url", srv.URL, "--json", "--force")
	if r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	var res []controlResult
	json.Unmarshal([]byte(r.stdout), &res)
	if len(res) != 2 || res[0].Date != "2025-06-01" || res[1].Date != "2025-07-01" || strings.Join(fetched, ",") != "1748806839,1751400934" {
		t.Fatalf("fetched %v: %+v", fetched, res)
	}
	r = run(t, home, "export", "control", "--date", "2025-07-01")
	if !strings.Contains(r.stdout, srv.URL+"/api/history/1751400934/geojson") {
		t.Errorf("the snapshot's source is not the URL it came from")
	}
	// A second fetch finds nothing missing.
	fetched = nil
	r = run(t, home, "import", "control", "--deepstate", "--deepstate-url", srv.URL, "--json")
	if r.code != 0 || len(fetched) != 0 || !strings.Contains(r.stderr, "0 days to fetch") {
		t.Errorf("second fetch: exit %d, fetched %v, %s", r.code, fetched, r.stderr)
	}
}

func TestE2E_Scenario(t *testing.T) {
	home := t.TempDir()
	r := run(t, home, "scenario", "list", "--json")
	var list []struct {
		ID, Expression string
		Sources        []string
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) < 4 {
		t.Fatalf("list: %v %s", err, r.stdout)
	}
	for _, s := range list {
		if len(s.Sources) == 0 {
			t.Errorf("%s has no source", s.ID)
		}
	}
	// Back to the line of 2025-02-12: Shevchenkivske returns.
	r = run(t, home, "scenario", "eval", "ceasefire-2025-02-12", "--json")
	var res struct {
		Scenario struct {
			Deposits []struct{ ID, Status string } `json:"deposits"`
		} `json:"scenario"`
		Diff struct {
			ToControlled    []struct{ ID string } `json:"to_controlled"`
			ToControlledKm2 float64               `json:"to_controlled_km2"`
			ByCommodity     []struct {
				Commodity             string   `json:"commodity"`
				ToControlledInSituUSD *float64 `json:"to_controlled_in_situ_usd"`
			} `json:"by_commodity"`
		} `json:"diff"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("eval: %v\n%s", err, r.stderr)
	}
	// Shevchenkivske and the Pokrovsk coal district (its town, the point)
	// were taken after 2025-02.
	if len(res.Diff.ToControlled) != 2 || res.Diff.ToControlled[0].ID != "pokrovsk-coal" || res.Diff.ToControlled[1].ID != "shevchenkivske" {
		t.Errorf("to_controlled: %+v", res.Diff.ToControlled)
	}
	if res.Diff.ToControlledKm2 < 3000 || res.Diff.ToControlledKm2 > 7000 {
		t.Errorf("land back to Ukraine since 2025-02: %.0f km²", res.Diff.ToControlledKm2)
	}
	// A drawn polygon: a square around Dobra hands it over.
	sq := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[30.9,48.2],[31.2,48.2],[31.2,48.5],[30.9,48.5],[30.9,48.2]]]}}]}`
	os.WriteFile(filepath.Join(home, "swap.geojson"), []byte(sq), 0o644)
	r = run(t, home, "scenario", "eval", "occupied@latest | file:swap", "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"id": "dobra"`) {
		t.Errorf("file region: exit %d %s", r.code, r.stderr)
	}
	// Errors: the column, and the known regions.
	r = run(t, home, "scenario", "eval", "occupied@latest | | oblast:UA-14")
	if r.code != 1 || !strings.Contains(r.stderr, "column 19") {
		t.Errorf("parse error: exit %d %q", r.code, r.stderr)
	}
	r = run(t, home, "scenario", "eval", "donbas")
	if r.code != 1 || !strings.Contains(r.stderr, "oblast:UA-xx") {
		t.Errorf("unknown region: exit %d %q", r.code, r.stderr)
	}
	r = run(t, home, "scenario", "eval", "file:nowhere")
	if r.code != 1 || !strings.Contains(r.stderr, "no file") {
		t.Errorf("missing file: exit %d %q", r.code, r.stderr)
	}
	r = run(t, home, "scenario", "eval", "occupied@2019-01-01")
	if r.code != 1 || !strings.Contains(r.stderr, "the first is 2022-02-23") {
		t.Errorf("date before the first snapshot: exit %d %q", r.code, r.stderr)
	}
}

// TestE2E_ExportImportControlFixedPoint: `export control` then `import
// control` of the file changes nothing (issue 9, item 11): 0 updated, the
// same export bytes, the same timeline figures, round after round.
func TestE2E_ExportImportControlFixedPoint(t *testing.T) {
	home := t.TempDir()
	before := run(t, home, "report", "timeline", "--commodity", "lithium", "--json").stdout
	for _, date := range []string{"2022-02-23", "2022-04-03", "2026-08-22"} { // the pre-2022 line, a raw layer and an occupied-only union
		first := run(t, home, "export", "control", "--date", date).stdout
		for round := 1; round <= 2; round++ {
			// Each round's file differs by trailing spaces, so that it is
			// not skipped as imported before, but reads the same.
			path := filepath.Join(home, fmt.Sprintf("%s-%d.geojson", date, round))
			if err := os.WriteFile(path, append([]byte(first), bytes.Repeat([]byte(" "), round)...), 0o644); err != nil {
				t.Fatal(err)
			}
			r := run(t, home, "import", "control", path)
			if r.code != 0 || !strings.Contains(r.stdout, "0 added, 0 updated, 1 unchanged") {
				t.Fatalf("%s round %d: exit %d: %s %s", date, round, r.code, r.stdout, r.stderr)
			}
			if again := run(t, home, "export", "control", "--date", date).stdout; again != first {
				t.Fatalf("%s round %d: the export changed: %d bytes, want %d", date, round, len(again), len(first))
			}
		}
	}
	if after := run(t, home, "report", "timeline", "--commodity", "lithium", "--json").stdout; after != before {
		t.Errorf("re-importing exports changed the timeline")
	}
}

// TestE2E_ImportControlOutsideUkraine: a snapshot with lat and lon swapped,
// for an existing date, is refused after clipping and changes nothing
// (issue 9, item 2: it used to report "1 updated" and an area of 0).
func TestE2E_ImportControlOutsideUkraine(t *testing.T) {
	home := t.TempDir()
	exported := run(t, home, "export", "control", "--date", "2024-08-01").stdout
	var fc struct {
		Type     string           `json:"type"`
		Date     string           `json:"date"`
		Features []map[string]any `json:"features"`
	}
	if err := json.Unmarshal([]byte(exported), &fc); err != nil {
		t.Fatal(err)
	}
	var swap func(v any) any
	swap = func(v any) any {
		a, ok := v.([]any)
		if !ok {
			return v
		}
		if len(a) == 2 {
			if x, ok := a[0].(float64); ok {
				return []any{a[1], x}
			}
		}
		for i := range a {
			a[i] = swap(a[i])
		}
		return a
	}
	for _, f := range fc.Features {
		g := f["geometry"].(map[string]any)
		g["coordinates"] = swap(g["coordinates"])
	}
	b, _ := json.Marshal(fc)
	os.WriteFile(filepath.Join(home, "swapped.geojson"), b, 0o644)
	r := run(t, home, "import", "control", "swapped.geojson")
	if r.code != 1 || !strings.Contains(r.stderr, "all areas lie outside Ukraine's outline once clipped") || !strings.Contains(r.stderr, "lat and lon swapped") {
		t.Fatalf("exit %d, stderr %q; want refused as outside Ukraine", r.code, r.stderr)
	}
	if again := run(t, home, "export", "control", "--date", "2024-08-01").stdout; again != exported {
		t.Errorf("a refused import changed the snapshot")
	}
}
