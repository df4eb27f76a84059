package main_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"nadra"
	"nadra/dataset"
)

// TestE2E_Newcomer runs the small things that cost a newcomer minutes
// (issue 16, item 12), each through the binary: what goes to which
// stream, and what the words say.
func TestE2E_Newcomer(t *testing.T) {
	dir := t.TempDir()
	if r := run(t, dir, "version"); r.code != 0 {
		t.Fatalf("seed: %d %s", r.code, r.stderr)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string // substrings of standard output
		stderr []string // substrings of standard error
		not    []string // in neither
	}{
		// A flag typo: the error and one line of help, both on standard
		// error; the whole usage is not printed.
		{"FlagTypo", []string{"report", "access", "--dat", "2025-02-12"}, 2, nil,
			[]string{"nadra report: flag provided but not defined: -dat\n", "usage: nadra report access [--date YYYY-MM-DD]", "nadra report access --help"}, []string{"For each deposit"}},
		{"MissingSubcommand", []string{"report"}, 2, nil, []string{"which report? (access, timeline, supply or risk)", "nadra report --help"}, []string{"Reports:"}},
		{"HelpStillStdout", []string{"report", "access", "--help"}, 0, []string{"Usage: nadra report access", "--date YYYY-MM-DD"}, nil, nil},
		{"SubcommandHelp", []string{"report", "--help"}, 0, []string{"timeline", "risk"}, nil, nil},
		// A day that does not exist is named as such.
		{"NoSuchDay", []string{"report", "access", "--date", "2025-02-30"}, 2, nil, []string{"there is no 30 February 2025 (February 2025 has 28 days)"}, nil},
		{"NoSuchMonth", []string{"report", "timeline", "--from", "2025-13-01"}, 2, nil, []string{"there is no month 13"}, nil},
		{"LeapDay", []string{"report", "access", "--date", "2024-02-29"}, 0, []string{"Access report for 2024-02-29"}, nil, nil},
		// nadra help lists every report.
		{"HelpListsReports", []string{"help"}, 0, []string{"timeline (that share over every snapshot)", "risk (how close the front has come)"}, nil, nil},
		// Commodities in any case.
		{"CommodityCaseTimeline", []string{"report", "timeline", "--commodity", "Lithium", "--from", "2025-06-01", "--to", "2025-07-01"}, 0,
			[]string{"LITHIUM", "Shevchenkivske: controlled → occupied between 2025-06-01 and 2025-07-01"}, nil, nil},
		{"CommodityCaseSupply", []string{"report", "supply", "--commodity", "LITHIUM", "--year", "2024"}, 0, []string{"Lithium mine production, 2024"}, nil, nil},
		// --version.
		{"Version", []string{"--version"}, 0, []string{"nadra dev ("}, nil, nil},
		// --workers is what the run used.
		{"Workers", []string{"simulate", "--workers", "1", "--paths", "200", "--journal", "none"}, 0, []string{"with 1 worker"}, nil, []string{"on 2 cores", "one per core"}},
		// No "(default -1)" or "(default 0)" in the help.
		{"HelpDefaults", []string{"simulate", "--help"}, 0, []string{"--tornado-paths N", "(default \"urif-2025\")"}, nil, []string{"(default -1)", "(default 0)"}},
		// --aid-years needs an amount.
		{"AidYearsAlone", []string{"simulate", "--aid-years", "3", "--paths", "10"}, 2, nil, []string{"--aid-years 3 needs --aid-usd-per-year"}, nil},
		// deal show: the status once.
		{"DealShowStatusOnce", []string{"deal", "show", "urif-2025"}, 0, []string{"Investment Fund agreement (signed, 2025-04-30)"}, nil, []string{"(signed) (signed"}},
		// Lists without Go's brackets.
		{"NoSliceBrackets", []string{"report", "access"}, 0, []string{"No coordinates, so no status ("}, nil, []string{": [", "]\n"}},
		{"NoSliceBracketsSimulate", []string{"simulate", "--paths", "100", "--journal", "none"}, 0, []string{"left out: VostGOK", "1 deposit: vatutinske"}, nil,
			[]string{"deposit(s)", "[vatutinske]", "left out: Left out"}},
		// Unknown --add countries are refused, listing the valid ones.
		{"AddUnknownCountry", []string{"report", "supply", "--commodity", "lithium", "--add", "XX=40000"}, 1, nil,
			[]string{`"XX" is not a country of the supply tables; known codes: AR, AT, AU`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, dir, tt.args...)
			if r.code != tt.code {
				t.Fatalf("nadra %s: exit %d, want %d\nstdout %q\nstderr %q", strings.Join(tt.args, " "), r.code, tt.code, r.stdout, r.stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s) {
					t.Errorf("output has %q:\nstdout %s\nstderr %s", s, r.stdout, r.stderr)
				}
			}
			if tt.code != 0 && r.stdout != "" {
				t.Errorf("a mistake printed to standard output: %q", r.stdout)
			}
		})
	}
}

// TestE2E_ScenarioCaret: the caret under a scenario syntax error stands
// on its own line, under the column the message names.
func TestE2E_ScenarioCaret(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args   []string
		prefix string
		expr   string
		col    int // 1-based, counted by hand
	}{
		// "occupied@latest || x": o=1 … t=15, space 16, | 17, | 18.
		{[]string{"scenario", "eval", "occupied@latest || x"}, "nadra scenario: scenario, column 18: ", "occupied@latest || x", 18},
		// The baseline's error says so; "occupied@" is 9 bytes, so the date starts at 10.
		{[]string{"scenario", "eval", "occupied@latest", "--baseline", "occupied@2025-02-30"}, "nadra scenario: baseline: scenario, column 10: ", "occupied@2025-02-30", 10},
		{[]string{"report", "supply", "--commodity", "lithium", "--add-accessible", "occupied@latest |"}, "nadra report: --add-accessible: scenario, column 18: ", "occupied@latest |", 18},
	} {
		r := run(t, dir, tt.args...)
		if r.code != 1 {
			t.Fatalf("%v: exit %d: %s", tt.args, r.code, r.stderr)
		}
		var lines []string
		for _, l := range strings.Split(strings.TrimRight(r.stderr, "\n"), "\n") {
			if !strings.HasPrefix(l, "nadra: seeding") {
				lines = append(lines, l)
			}
		}
		if len(lines) != 3 || !strings.HasPrefix(lines[0], tt.prefix) {
			t.Fatalf("%v: got %q, want three lines, the first starting %q", tt.args, lines, tt.prefix)
		}
		at := strings.Index(lines[1], tt.expr)
		if at < 0 {
			t.Fatalf("%v: second line %q lacks the expression", tt.args, lines[1])
		}
		if !regexp.MustCompile(`^ *\^$`).MatchString(lines[2]) || strings.Index(lines[2], "^") != at+tt.col-1 {
			t.Errorf("%v: caret line %q: caret at %d, want %d (under column %d of %q)", tt.args, lines[2], strings.Index(lines[2], "^"), at+tt.col-1, tt.col, lines[1])
		}
	}
}

// TestE2E_ScenarioEvalTable: the text table of scenario eval gives the
// contained quantity coming back, writes a negative value −$…, and
// counts "1 deposit". Against occupied@latest, the line of 2025-02-12
// gives Shevchenkivske back (occupied between 2025-06-01 and 2025-07-01),
// with its headline lithium figure in LCE, the figure the JSON gives. The
// figure is the registry's (read from the embedded dataset), so that the
// test follows the data when a newer estimate is added.
func TestE2E_ScenarioEvalTable(t *testing.T) {
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	var ests []*nadra.Estimate
	for _, e := range ds.Estimates {
		if e.DepositID == "shevchenkivske" && e.Commodity == "lithium" {
			ests = append(ests, e)
		}
	}
	h, ok := nadra.HeadlineContained(ests, "LCE")
	if !ok {
		t.Fatal("shevchenkivske has no lithium figure in LCE")
	}
	kt := fmt.Sprintf("%.1f", h.Quantity/1e3)
	dir := t.TempDir()
	r := run(t, dir, "scenario", "eval", "occupied@2025-02-12")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var li string
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "lithium ") && strings.Contains(l, "deposit") {
			li = l
		}
	}
	f := strings.Fields(li)
	// COMMODITY, TO OCCUPIED (2 words), BACK (2), CONTAINED TO OCCUPIED,
	// CONTAINED BACK (3 words), VALUE TO OCCUPIED, VALUE BACK, NET.
	want := []string{"lithium", "0", "deposits", "1", "deposit", "–", kt, "kt", "LCE", "–"}
	if len(f) != 12 || strings.Join(f[:10], " ") != strings.Join(want, " ") || !strings.HasPrefix(f[11], "−$") || f[10] != strings.TrimPrefix(f[11], "−") {
		t.Errorf("lithium row %q: want %v then $X −$X", li, want)
	}
	for _, bad := range []string{"$-", "1 deposits", "BACK TO UKRAINE"} {
		if bad == "BACK TO UKRAINE" {
			if !strings.Contains(r.stdout, bad) {
				t.Errorf("no column for what comes back")
			}
			continue
		}
		if strings.Contains(r.stdout, bad) {
			t.Errorf("output has %q", bad)
		}
	}
	// The JSON's figure is the table's.
	j := run(t, dir, "scenario", "eval", "occupied@2025-02-12", "--json")
	if want := `"to_controlled_contained": ` + strconv.Itoa(int(h.Quantity/1e3)); !strings.Contains(j.stdout, want) {
		t.Errorf("JSON lacks the %s kt coming back (%s)", kt, want)
	}
}
