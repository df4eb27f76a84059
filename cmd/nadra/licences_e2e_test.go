package main_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestE2E_VersionLicences: nadra version --licences lists every Go module
// the binary carries with the licence modules.csv gives it (which
// internal/notice's test checks against the module cache), nadra's own
// Apache-2.0, and each dataset part, the DeepStateMap snapshots included.
func TestE2E_VersionLicences(t *testing.T) {
	t.Parallel() // runs only the binary, in its own directories
	dir := t.TempDir()
	r := run(t, dir, "version", "--licences", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var n struct {
		Code    []struct{ Path, Version, Licence string }
		Modules []struct{ Path, Version, Licence string }
		Data    []struct {
			Files      string
			Licence    string
			Restricted bool
		}
		Snapshots bool `json:"snapshots_embedded"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &n); err != nil {
		t.Fatalf("--json: %v\n%s", err, r.stdout)
	}
	if len(n.Code) == 0 || n.Code[0].Path != "nadra" || n.Code[0].Licence != "Apache-2.0" {
		t.Fatalf("code: got %+v, want nadra under Apache-2.0 first", n.Code)
	}
	f, err := os.Open("../../internal/notice/modules.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, row := range rows[1:] {
		want[row[0]+" "+row[1]] = row[2]
	}
	if len(n.Modules) != len(want) {
		t.Fatalf("got %d modules, want the %d of modules.csv (go test ./internal/notice -update after a dependency change)", len(n.Modules), len(want))
	}
	for _, m := range n.Modules {
		if lic, ok := want[m.Path+" "+m.Version]; !ok || lic != m.Licence {
			t.Fatalf("%s %s: got licence %q, want %q from modules.csv", m.Path, m.Version, m.Licence, lic)
		}
	}
	if !n.Snapshots {
		t.Fatalf("snapshots_embedded: got false, want true in the default build")
	}
	restricted := 0
	for _, p := range n.Data {
		if p.Restricted {
			restricted++
			if !strings.Contains(p.Licence, "DeepStateMap") && !strings.Contains(p.Licence, "GPL-3.0") {
				t.Fatalf("restricted part %s: licence %q, want DeepStateMap's terms or GPL-3.0", p.Files, p.Licence)
			}
		}
	}
	if restricted != 2 {
		t.Fatalf("got %d restricted parts, want 2 (the raw DeepStateMap months and the GPL-3.0 months)", restricted)
	}

	text := run(t, dir, "version", "--licences")
	for _, s := range []string{"Apache-2.0", "github.com/paulmach/orb", "Control snapshots: embedded.", "© DeepStateMap", "ODbL-1.0"} {
		if !strings.Contains(text.stdout, s) {
			t.Fatalf("version --licences does not mention %q:\n%s", s, text.stdout)
		}
	}
	if bad := run(t, dir, "version", "--json"); bad.code != 2 {
		t.Fatalf("version --json without --licences: exit %d, want 2", bad.code)
	}
}
