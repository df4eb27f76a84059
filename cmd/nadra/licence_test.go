package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

type licencesJSON struct {
	Deal     string         `json:"deal"`
	InForce  string         `json:"in_force"`
	Snapshot string         `json:"snapshot"`
	Counts   map[string]int `json:"counts"`
	Licences []struct {
		ID          string `json:"id"`
		DepositID   string `json:"deposit_id"`
		Front       string `json:"front"`
		Origin      string `json:"origin"`
		Eligibility struct {
			Verdict string `json:"verdict"`
			Reason  string `json:"reason"`
		} `json:"eligibility"`
	} `json:"licences"`
}

func licences(t *testing.T, dir string, args ...string) licencesJSON {
	t.Helper()
	r := run(t, dir, append([]string{"licences", "--json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("nadra licences %v: exit %d: %s", args, r.code, r.stderr)
	}
	var rep licencesJSON
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("licences --json: %v\n%s", err, r.stdout)
	}
	return rep
}

// TestE2E_Licences: the shipped register under the signed terms and the
// February draft, each licence's front status, and an import.
func TestE2E_Licences(t *testing.T) {
	dir := t.TempDir()

	// The verdicts under urif-2025, derived by hand from each row of
	// dataset/licences.csv and the rules of FORMAT.md, "Which licences
	// count" (in force 2025-05-23, older undeveloped sites count, renewals
	// do not):
	want := map[string]string{
		"dobra-psa":                       "eligible",     // granted 2026-01-12, after
		"maidanska-solartek":              "eligible",     // granted 2026-02-26, after
		"polokhivske-ulm":                 "eligible",     // 2017, not developed
		"prutivske-tsvetmet":              "eligible",     // 2021-02, not developed
		"zalisy-shmenky-inter-aktyv":      "eligible",     // 2022-05, suspended, not developed
		"selyshchanska-umcc":              "eligible",     // 2021-08-05 + 5 years = 2026-08-05, still running; not developed
		"motronivske-3640":                "eligible",     // 2004-12-31, revoked 2026-03-10 (after), plant never finished
		"balakhivske-6345":                "eligible",     // 2018, developed not recorded; deposit stage licensed
		"yastrubetske-bgv":                "eligible",     // no grant date, but new or old it counts: deposit stage licensed
		"selyshchanska-mgok":              "not_eligible", // revoked 2021-08, before
		"shevchenkivske-petro-consulting": "not_eligible", // revoked 2021, before
		"vovchanske-demurinsky":           "not_eligible", // 2002, a worked quarry
		"mezhyrichne-mgok":                "undetermined", // no grant date; developed
		"valky-hatskivske-valky-ilmenit":  "undetermined", // no grant date; developed
		"zavallivske-zg":                  "undetermined", // no grant date; developed
		"surske-aesu":                     "undetermined", // 2017-02-28 + 5 = 2022-02-28, before; no status
		"novohurivske-aesu":               "undetermined",
		"safonivske-aesu":                 "undetermined",
		"mykhailivska-aesu":               "undetermined",
	}
	rep := licences(t, dir)
	if rep.Deal != "urif-2025" || rep.InForce != "2025-05-23" || len(rep.Licences) != len(want) {
		t.Fatalf("deal %s, in force %s, %d licences; want urif-2025, 2025-05-23, %d", rep.Deal, rep.InForce, len(rep.Licences), len(want))
	}
	counts := map[string]int{}
	for _, l := range rep.Licences {
		counts[l.Eligibility.Verdict]++
		if l.Eligibility.Verdict != want[l.ID] {
			t.Errorf("%s: %s (%s), want %s", l.ID, l.Eligibility.Verdict, l.Eligibility.Reason, want[l.ID])
		}
		if l.Origin != "dataset" {
			t.Errorf("%s: origin %q", l.ID, l.Origin)
		}
	}
	if counts["eligible"] != 9 || counts["not_eligible"] != 3 || counts["undetermined"] != 7 || rep.Counts["eligible"] != 9 {
		t.Errorf("counts %v (reported %v), want 9 eligible, 3 not, 7 undetermined", counts, rep.Counts)
	}
	for _, l := range rep.Licences {
		if l.ID == "dobra-psa" && l.Eligibility.Reason != "granted 2026-01-12, after the agreement came into force on 2025-05-23" {
			t.Errorf("dobra-psa: %q", l.Eligibility.Reason)
		}
	}

	// Front: the deposit's status in the access report at the same snapshot.
	r := run(t, dir, "report", "access", "--json")
	var acc accessJSON
	if err := json.Unmarshal([]byte(r.stdout), &acc); err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, d := range acc.Deposits {
		status[d.ID] = d.Status
	}
	if acc.Snapshot != rep.Snapshot {
		t.Fatalf("licences use the snapshot of %s, the access report %s", rep.Snapshot, acc.Snapshot)
	}
	for _, l := range rep.Licences {
		if l.Front != status[l.DepositID] {
			t.Errorf("%s: front %q, access report %q", l.ID, l.Front, status[l.DepositID])
		}
	}

	// The February draft counts every licence: none is tendered.
	draft := licences(t, dir, "--deal", "draft-2025-02")
	if draft.Counts["eligible"] != len(want) {
		t.Errorf("under the February draft: %v, want all %d eligible", draft.Counts, len(want))
	}

	// A user's licence: a renewal granted after entry into force.
	mine := "id,kind,holder,deposit_id,minerals,granted,term_years,status,ended,renewal,developed_at_entry,note,sources\n" +
		"test-renewal,special_permit,Test LLC,kryvbas,iron,2026-02,20,active,,true,true,,https://example.org/order (2026-02-10)\n" +
		"test-lithium,special_permit,Test LLC,polokhivske,lithium,2026-02,20,active,,true,false,,https://example.org/order (2026-02-10)\n"
	os.WriteFile(filepath.Join(dir, "mine.csv"), []byte(mine), 0o644)
	r = run(t, dir, "import", "licences", "mine.csv")
	if r.code != 0 || !strings.Contains(r.stdout, "2 added") {
		t.Fatalf("import: %d %q %q", r.code, r.stdout, r.stderr)
	}
	// The same rows from standard input: nothing new.
	cmd := exec.Command(binary, "import", "licences", "-", "--json")
	cmd.Env = []string{"NADRA_DB=" + filepath.Join(dir, "nadra.db"), "HOME=" + dir}
	cmd.Stdin = strings.NewReader(mine)
	out, err := cmd.Output()
	var again map[string]int
	if err != nil || json.Unmarshal(out, &again) != nil || again["unchanged"] != 2 {
		t.Fatalf("import from standard input: %v %s", err, out)
	}
	rep = licences(t, dir)
	got := map[string]string{}
	for _, l := range rep.Licences {
		got[l.ID] = l.Eligibility.Verdict + ": " + l.Eligibility.Reason
	}
	for id, w := range map[string]string{
		"test-renewal": "not_eligible: no mineral on the agreement's list: iron",
		"test-lithium": "not_eligible: granted 2026-02, after the agreement came into force, but a renewal of an earlier licence, which the terms do not count",
	} {
		if got[id] != w {
			t.Errorf("%s: %q, want %q", id, got[id], w)
		}
	}

	// Terms that count renewals, in a copy of the signed file.
	b, _ := os.ReadFile(filepath.Join("..", "..", "dataset", "deals", "urif-2025.yaml"))
	copy := strings.Replace(string(b), "renewals_count:\n    value: false", "renewals_count:\n    value: true", 1)
	if copy == string(b) {
		t.Fatal("renewals_count: false not found in urif-2025.yaml")
	}
	os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte(copy), 0o644)
	for _, l := range licences(t, dir, "--deal", "mine.yaml").Licences {
		if l.ID == "test-lithium" && l.Eligibility.Verdict != "eligible" {
			t.Errorf("test-lithium under renewals_count true: %s", l.Eligibility.Reason)
		}
	}

	// Importing the same file again changes nothing.
	r = run(t, dir, "import", "licences", "mine.csv", "--json")
	var res map[string]int
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || res["unchanged"] != 2 || res["inserted"]+res["updated"] != 0 || res["import_id"] != 0 {
		t.Fatalf("second import changed something: %s", r.stdout)
	}

	// CSV: one row per licence, with the verdict and its reason.
	r = run(t, dir, "licences", "--csv", "--deal", "draft-2025-02")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != len(want)+3 || !strings.HasPrefix(lines[0], "id,kind,holder,deposit_id,") || !strings.HasSuffix(lines[0], ",deal,verdict,reason") {
		t.Fatalf("csv: exit %d, %d lines, header %q", r.code, len(lines), lines[0])
	}
	if r := run(t, dir, "licences", "--deal", "nope"); r.code != 1 || !strings.Contains(r.stderr, "no deal terms \"nope\"") {
		t.Errorf("unknown terms: exit %d, %q", r.code, r.stderr)
	}
}
