package main_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestE2E_ExportsCLIAndAPI: every export kind comes in the same formats
// from the command line and the API, with the same content: CSV and
// GeoJSON byte for byte, XLSX cell for cell (a workbook's zip carries
// its time of writing). Formats a kind does not come in are refused by
// both.
func TestE2E_ExportsCLIAndAPI(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "version") // seeds
	url := startServe(t, dir)
	get := func(path string) (int, []byte) {
		t.Helper()
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	for _, tt := range []struct {
		kind, format, date string
		ok                 bool
	}{
		{"deposits", "csv", "", true},
		{"deposits", "csv", "2025-02-12", true},
		{"deposits", "geojson", "", true},
		{"deposits", "geojson", "2025-02-12", true},
		{"deposits", "xlsx", "", true},
		{"deposits", "xlsx", "2025-02-12", true},
		{"estimates", "csv", "", true},
		{"estimates", "geojson", "", true},
		{"estimates", "xlsx", "", true},
		{"control", "geojson", "2025-02-12", true},
		{"control", "csv", "", false},
		{"control", "xlsx", "", false},
		{"access", "csv", "2025-02-12", true},
		{"access", "xlsx", "", true},
		{"access", "geojson", "", false},
	} {
		name := tt.kind + "." + tt.format
		if tt.date != "" {
			name = tt.kind + "-" + tt.date + "." + tt.format
		}
		args := []string{"export", tt.kind, "--format", tt.format, "-o", name}
		path := "/api/v1/exports/" + tt.kind + "?format=" + tt.format
		if tt.date != "" {
			args = append(args, "--date", tt.date)
			path += "&date=" + tt.date
		}
		r := run(t, dir, args...)
		status, api := get(path)
		if !tt.ok {
			if r.code != 2 || status != 400 || !strings.Contains(r.stderr, "cannot be exported as") || !bytes.Contains(api, []byte("cannot be exported as")) {
				t.Errorf("%s: CLI exit %d %q, API %d %s; want both refused", name, r.code, r.stderr, status, api)
			}
			continue
		}
		if r.code != 0 || status != 200 {
			t.Fatalf("%s: CLI exit %d %s, API %d %.300s", name, r.code, r.stderr, status, api)
		}
		cli, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if tt.format == "xlsx" {
			if c, a := workbook(t, cli), workbook(t, api); !reflect.DeepEqual(c, a) {
				t.Errorf("%s: the workbooks differ", name)
			}
			continue
		}
		if !bytes.Equal(cli, api) {
			t.Errorf("%s: CLI and API differ (%d and %d bytes)\nCLI %.300s\nAPI %.300s", name, len(cli), len(api), cli, api)
		}
	}
}

// TestE2E_ExportDepositsDated: export deposits --date D adds the status
// columns for D after the import columns (Shevchenkivske controlled on
// 2025-02-12, occupied after 2025-07-01), and import takes the file back
// as the same deposits.
func TestE2E_ExportDepositsDated(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ date, status string }{{"2025-02-12", "controlled"}, {"2025-08-01", "occupied"}} {
		r := mustRun(t, dir, "export", "deposits", "--date", tt.date)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		head := strings.Split(lines[0], ",")
		if strings.Join(head[12:], ",") != "oblast_name,date,snapshot,status,since,distance_km,uncertain,in_situ_usd" {
			t.Fatalf("header %q", lines[0])
		}
		var row string
		for _, l := range lines {
			if strings.HasPrefix(l, "shevchenkivske,") {
				row = l
			}
		}
		if !strings.Contains(row, ","+tt.date+",") || !strings.Contains(row, ","+tt.status+",") {
			t.Errorf("%s: shevchenkivske row %q lacks the date and %s", tt.date, row, tt.status)
		}
		writeFile(t, filepath.Join(dir, "dated.csv"), r.stdout)
		imp := mustRun(t, dir, "import", "deposits", "dated.csv")
		if !strings.Contains(imp.stdout, "0 added, 0 updated") {
			t.Errorf("import of the dated export: %s", imp.stdout)
		}
	}
	// GeoJSON carries the status properties too, and imports back.
	r := mustRun(t, dir, "export", "deposits", "--format", "geojson", "--date", "2025-08-01")
	var fc struct {
		Features []struct {
			ID         string
			Properties map[string]any
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &fc); err != nil {
		t.Fatal(err)
	}
	for _, f := range fc.Features {
		if f.Properties["id"] == "shevchenkivske" && f.Properties["status"] != "occupied" {
			t.Errorf("geojson: shevchenkivske %v", f.Properties["status"])
		}
	}
	writeFile(t, filepath.Join(dir, "dated.geojson"), r.stdout)
	if imp := mustRun(t, dir, "import", "deposits", "dated.geojson"); !strings.Contains(imp.stdout, "0 added, 0 updated") {
		t.Errorf("import of the dated GeoJSON: %s", imp.stdout)
	}
	if r := run(t, dir, "export", "estimates", "--date", "2025-02-12"); r.code != 2 || !strings.Contains(r.stderr, "estimates have no date") {
		t.Errorf("estimates --date: %d %s", r.code, r.stderr)
	}
}

// TestE2E_ExportXLSXOpenpyxl reads the CLI's deposits workbook with
// openpyxl in read-only mode, which trusts each sheet's <dimension>: it
// must see every deposit (one row each under the header) and every
// column.
func TestE2E_ExportXLSXOpenpyxl(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import openpyxl").Run(); err != nil {
		t.Skip("python3-openpyxl is not installed (apt-get install python3-openpyxl); CI installs it")
	}
	dir := t.TempDir()
	mustRun(t, dir, "export", "deposits", "--format", "xlsx", "-o", "d.xlsx")
	var deps []any
	json.Unmarshal([]byte(mustRun(t, dir, "export", "deposits", "--format", "geojson").stdout), &struct{ Features *[]any }{&deps})
	out, err := exec.Command(py, "-c", `
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["deposits"]
print(ws.calculate_dimension(), ws.max_row, ws.max_column, sum(1 for _ in ws.iter_rows()))
`, filepath.Join(dir, "d.xlsx")).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// 12 import columns and 8 status columns: A to T; a header and one
	// row per deposit.
	n := len(deps)
	want := "A1:T" + strconv.Itoa(n+1) + " " + strconv.Itoa(n+1) + " 20 " + strconv.Itoa(n+1)
	if got := strings.TrimSpace(string(out)); got != want || n < 70 {
		t.Errorf("openpyxl reads %q, want %q", got, want)
	}
}

// TestE2E_OGCETagAfterImport: a cached OGC answer keeps its ETag (and a
// 304 for it) until the data changes; an import through the CLI, on the
// database nadra serve reads, gives the next request new content and a
// new ETag within the server's second of registry caching.
func TestE2E_OGCETagAfterImport(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "version")
	url := startServe(t, dir)
	get := func(inm string) (int, string, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", url+"/ogc/collections/deposits/items/dobra", nil)
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Etag"), string(b)
	}
	_, etag, body := get("")
	if code, _, _ := get(etag); code != 304 || etag == "" {
		t.Fatalf("If-None-Match %s: %d", etag, code)
	}
	// Rename Dobra in an import.
	csv := mustRun(t, dir, "export", "deposits").stdout
	var out []string
	for _, l := range strings.Split(csv, "\n") {
		if strings.HasPrefix(l, "dobra,") {
			f := strings.SplitN(l, ",", 3)
			l = f[0] + ",Dobra (renamed)," + f[2]
		}
		out = append(out, l)
	}
	writeFile(t, filepath.Join(dir, "renamed.csv"), strings.Join(out, "\n"))
	mustRun(t, dir, "import", "deposits", "renamed.csv")
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, etag2, body2 := get(etag)
		if code == 200 && etag2 != etag && strings.Contains(body2, "Dobra (renamed)") && !strings.Contains(body, "renamed") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the import: %d, ETag %s (was %s), %.200s", code, etag2, etag, body2)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
