package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"nadra"
	"nadra/dataset"
)

// splitRows are the deposits this release ships in place of the two
// aggregated rows of the release before it: Kerch basin (one row for six
// deposits) and the Bilozerskyi district (one row for three).
var splitRows = map[string]string{
	"kerch-yanysh-takyl": "kerch", "kerch-katerlez": "kerch", "kerch-kamysh-burun": "kerch",
	"kerch-eltigen-ortel": "kerch", "kerch-chegene-salyn": "kerch", "kerch-chegerchi": "kerch",
	"pivdenno-bilozerske": "bilozerske", "pereverzivske": "bilozerske", "pivnichno-bilozerske": "bilozerske",
}

// beforeSplit plays the nadra of before the split: its embedded dataset
// has the two aggregated rows, as that release shipped them, and none of
// the rows that replace them.
func beforeSplit(m *Main) {
	m.DatasetVersion = func() (string, error) { return "before-split", nil }
	m.Dataset = func() (nadra.Seed, error) {
		s, err := dataset.Seed()
		if err != nil {
			return s, err
		}
		s.Version = "before-split"
		var deps []*nadra.Deposit
		for _, d := range s.Deposits {
			if splitRows[d.ID] == "" {
				deps = append(deps, d)
			}
		}
		f := func(v float64) *float64 { return &v }
		deps = append(deps,
			&nadra.Deposit{ID: "kerch", Name: "Kerch iron-ore basin", NameUK: "Керченський залізорудний басейн", Oblast: "UA-43",
				Lat: f(45.35675), Lon: f(36.47542), PrecisionKm: f(25), Commodities: []string{"iron"},
				CoordsNote: "Kerch city (GeoNames cities500); approximate",
				Note:       "Oolitic brown iron ores: Yanysh-Takylske, Katerlezke, Komysh-Burunske, Eltyhen-Ortelske, Chegene-Salynske, Chegerchynske",
				Sources:    []string{"https://files.library.nung.edu.ua/chytalnya/4948/files/basic-html/page167.html (n.d.)"}},
			&nadra.Deposit{ID: "bilozerske", Name: "Bilozerske iron-ore deposits", NameUK: "Білозерські родовища", Oblast: "UA-23",
				Lat: f(47.38993), Lon: f(35.00065), PrecisionKm: f(25), Commodities: []string{"iron"},
				CoordsNote: "Dniprorudne town (GeoNames cities500); the deposits lie ~25 km away",
				Note:       "North Bilozerske, South Bilozerske and Pereverzivske iron-ore deposits, 75 km from Zaporizhzhia",
				Sources:    []string{"http://rudana.in.ua/1.1_eng.htm (n.d.)"}})
		s.Deposits = deps
		var ests []*nadra.Estimate
		for _, e := range s.Estimates {
			if splitRows[e.DepositID] == "" {
				ests = append(ests, e)
			}
		}
		s.Estimates = ests
		return s, nil
	}
}

// TestUpgrade_SplitDeposits runs a database the release before the split
// seeded through this binary. The split rows get new ids, so the dataset
// withdraws the aggregated ones: a withdrawn row no one touched and
// nothing refers to is removed; one the user changed, or one the user's
// own figures refer to, is kept and listed by `nadra dataset diff` with
// the reason.
func TestUpgrade_SplitDeposits(t *testing.T) {
	tests := []struct {
		name string
		// user acts on the database of before, through the normal commands.
		user    func(t *testing.T, dir, db string)
		kept    string // the aggregated row kept, "" for none
		removed string // the one removed
		why     string // the reason `dataset diff` gives for the kept row
	}{
		{"Untouched", func(*testing.T, string, string) {}, "", "kerch", ""},
		{"EditedByUser", func(t *testing.T, dir, db string) {
			out, _ := runMain(t, db, beforeSplit, "export", "deposits")
			var rows []string
			for i, l := range strings.Split(out, "\n") {
				if i == 0 {
					rows = append(rows, l)
				}
				if strings.HasPrefix(l, "kerch,") {
					rows = append(rows, strings.Replace(l, "Kerch iron-ore basin", "Kerch basin (my note)", 1))
				}
			}
			p := filepath.Join(dir, "kerch.csv")
			if err := os.WriteFile(p, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, _ := runMain(t, db, beforeSplit, "import", "deposits", p); !strings.Contains(out, "1 updated") {
				t.Fatalf("the user's edit of kerch: %s", out)
			}
		}, "kerch", "bilozerske", "you imported or changed it"},
		{"ReferencedByUserFigure", func(t *testing.T, dir, db string) {
			p := filepath.Join(dir, "est.csv")
			csv := "deposit_id,commodity,ore_mt,grade,grade_unit,contained_t,basis,category,year,note,source\n" +
				"bilozerske,iron,720,60,pct,,Fe,unspecified,1970,district to 1000 m,https://slovar.cc/rus/bse/477148.html (n.d.)\n"
			if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, _ := runMain(t, db, beforeSplit, "import", "estimates", p); !strings.Contains(out, "1 added") {
				t.Fatalf("the user's figure for bilozerske: %s", out)
			}
		}, "bilozerske", "kerch", "1 resource figures in the database refer to it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "nadra.db")
			runMain(t, db, beforeSplit, "version") // seeded by the release before
			if ids := depositIDs(t, db, beforeSplit); !ids["kerch"] || !ids["bilozerske"] || ids["kerch-kamysh-burun"] {
				t.Fatalf("the database of before: kerch %v, bilozerske %v, kerch-kamysh-burun %v", ids["kerch"], ids["bilozerske"], ids["kerch-kamysh-burun"])
			}
			tt.user(t, dir, db)

			// This binary: any command merges its dataset.
			_, stderr := runMain(t, db, nil, "export", "deposits")
			if !strings.Contains(stderr, "updating") {
				t.Fatalf("the upgrade did not say it updated the dataset: %s", stderr)
			}
			ids := depositIDs(t, db, nil)
			for id := range splitRows {
				if !ids[id] {
					t.Errorf("%s not added by the upgrade", id)
				}
			}
			if ids[tt.removed] {
				t.Errorf("%s: untouched and unreferenced, but still in the database", tt.removed)
			}
			if tt.kept != "" && !ids[tt.kept] {
				t.Errorf("%s: the user's row was removed", tt.kept)
			}

			out, _ := runMain(t, db, nil, "dataset", "diff", "--json")
			var rows []nadra.SeedRow
			if err := json.Unmarshal([]byte(out), &rows); err != nil {
				t.Fatalf("dataset diff --json: %v\n%s", err, out)
			}
			var withdrawn []string
			for _, r := range rows {
				if r.State == nadra.SeedWithdrawn {
					withdrawn = append(withdrawn, r.Ref+": "+r.Note)
				}
			}
			sort.Strings(withdrawn)
			var want []string
			if tt.kept != "" {
				want = []string{"deposit:" + tt.kept + ": kept: " + tt.why}
			}
			if strings.Join(withdrawn, "\n") != strings.Join(want, "\n") {
				t.Errorf("withdrawn rows `dataset diff` lists: got %q, want %q", withdrawn, want)
			}
		})
	}
}

// depositIDs returns the ids of the deposits in the database at path.
func depositIDs(t *testing.T, db string, setup func(*Main)) map[string]bool {
	t.Helper()
	out, _ := runMain(t, db, setup, "export", "deposits")
	ids := map[string]bool{}
	for i, l := range strings.Split(out, "\n") {
		if i == 0 || l == "" {
			continue
		}
		id, _, _ := strings.Cut(l, ",")
		ids[id] = true
	}
	return ids
}
