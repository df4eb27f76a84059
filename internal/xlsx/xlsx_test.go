package xlsx_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"nadra/internal/xlsx"
)

func TestDimension(t *testing.T) {
	for _, tt := range []struct {
		cols, rows int
		want       string
	}{
		{1, 0, "A1:A1"},
		{3, 4, "A1:C5"},
		{26, 1, "A1:Z2"},
		{27, 79, "A1:AA80"},
	} {
		if got := xlsx.Dimension(tt.cols, tt.rows); got != tt.want {
			t.Errorf("Dimension(%d, %d) = %s, want %s", tt.cols, tt.rows, got, tt.want)
		}
	}
}

// sample is a workbook of two sheets: 3 columns and 4 rows under the
// header, with an unknown value and a text cell a spreadsheet would take
// for a formula; and 2 columns and 1 row.
func sample(t *testing.T) []byte {
	t.Helper()
	x := 2.5
	var none *float64
	var b bytes.Buffer
	err := xlsx.Write(&b, []xlsx.Sheet{
		{Name: "deposits", Header: []string{"id", "value", "note"}, Rows: [][]any{
			{"a", 1.5, "x"}, {"b", &x, "=1+1"}, {"c", none, ""}, {"d", 4, true},
		}},
		{Name: "about", Header: []string{"field", "value"}, Rows: [][]any{{"date", "2025-02-12"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestWrite_DimensionTag: each sheet's <dimension ref> is the range it
// uses (3 columns, a header and 4 rows: A1:C5), not excelize's "A1".
func TestWrite_DimensionTag(t *testing.T) {
	b := sample(t)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"xl/worksheets/sheet1.xml": "A1:C5", "xl/worksheets/sheet2.xml": "A1:B2"}
	re := regexp.MustCompile(`<dimension ref="([^"]+)"`)
	for _, f := range zr.File {
		w, ok := want[f.Name]
		if !ok {
			continue
		}
		rc, _ := f.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		m := re.FindSubmatch(body)
		if m == nil || string(m[1]) != w {
			t.Errorf("%s: dimension %q, want %q", f.Name, m, w)
		}
		delete(want, f.Name)
	}
	if len(want) > 0 {
		t.Errorf("sheets missing: %v", want)
	}
}

// TestWrite_Openpyxl reads the workbook with a real reader, openpyxl
// (Debian's python3-openpyxl), in read-only mode, which trusts the
// <dimension> tag: it must see every row and column, the unknown value
// as an empty cell and the formula-like text as text.
func TestWrite_Openpyxl(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import openpyxl").Run(); err != nil {
		t.Skip("python3-openpyxl is not installed (apt-get install python3-openpyxl); CI installs it")
	}
	path := filepath.Join(t.TempDir(), "w.xlsx")
	if err := os.WriteFile(path, sample(t), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
out = {}
for ws in wb.worksheets:
    out[ws.title] = {"dims": ws.calculate_dimension(), "max_row": ws.max_row, "max_column": ws.max_column,
                     "rows": [list(r) for r in ws.iter_rows(values_only=True)]}
print(json.dumps(out))
`
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	var got map[string]struct {
		Dims      string  `json:"dims"`
		MaxRow    int     `json:"max_row"`
		MaxColumn int     `json:"max_column"`
		Rows      [][]any `json:"rows"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	d := got["deposits"]
	if d.Dims != "A1:C5" || d.MaxRow != 5 || d.MaxColumn != 3 || len(d.Rows) != 5 {
		t.Fatalf("deposits: dimension %s, %d rows, %d columns, %d read; want A1:C5, 5, 3, 5", d.Dims, d.MaxRow, d.MaxColumn, len(d.Rows))
	}
	if d.Rows[2][1] != 2.5 || d.Rows[2][2] != "=1+1" || d.Rows[3][1] != nil || d.Rows[4][2] != true {
		t.Errorf("cells: %v", d.Rows)
	}
	if a := got["about"]; a.Dims != "A1:B2" || len(a.Rows) != 2 {
		t.Errorf("about: %+v", a)
	}
}
