package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2E_ImportCatalog: terms and scenarios imported into the database
// are what deal list|show, scenario list and scenario eval read; the
// same files again change nothing; dataset status counts them as the
// user's own.
func TestE2E_ImportCatalog(t *testing.T) {
	dir := t.TempDir()
	terms := `id: my-terms
name: My terms
status: user
date: 2026-01-01
sources:
  - https://example.org/terms (2026-01-01)
terms:
  fund_start_year: {value: 2025, source: https://example.org/a (2025)}
  ukraine_share: {value: 0.3, source: https://example.org/b (2025)}
  revenue_base: {value: new, source: https://example.org/c (2025)}
  revenue_streams: {value: [rent, psa_share], source: https://example.org/d (2025)}
  commodities: {value: [all], source: https://example.org/e (2025)}
  us_cash: {value: [{year: 2025, usd: 75000000}], source: https://example.org/f (2025)}
  ukraine_cash: {value: [], source: https://example.org/g (2025)}
  us_inkind_aid_counts: {value: true, source: https://example.org/h (2025)}
  reinvest_years: {value: 10, source: https://example.org/i (2025)}
  waterfall: {value: pro_rata, source: https://example.org/j (2025)}
`
	scenarios := "id,name,expression,source,note\n" +
		"east-line,The eastern oblasts,oblast:UA-14 | oblast:UA-09,https://example.org/s (2026-01-02),mine\n"
	os.WriteFile(filepath.Join(dir, "my.yaml"), []byte(terms), 0o644)
	os.WriteFile(filepath.Join(dir, "my.csv"), []byte(scenarios), 0o644)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "terms", "my.yaml"}, "imported terms from my.yaml: 1 added, 0 updated, 0 unchanged"},
		{[]string{"import", "terms", "my.yaml"}, "0 added, 0 updated, 1 unchanged"},
		{[]string{"import", "scenarios", "my.csv"}, "imported scenarios from my.csv: 1 added, 0 updated, 0 unchanged"},
		{[]string{"deal", "list"}, "my-terms"},
		{[]string{"deal", "show", "my-terms"}, "30%"},
		{[]string{"scenario", "list"}, "east-line\n  The eastern oblasts\n  expression: oblast:UA-14 | oblast:UA-09"},
		{[]string{"scenario", "eval", "east-line"}, "oblast:UA-14 | oblast:UA-09"},
		{[]string{"dataset", "status"}, "terms       0         0       0          1"},
	} {
		r := run(t, dir, tt.args...)
		if r.code != 0 || !strings.Contains(r.stdout, tt.want) {
			t.Errorf("nadra %s: exit %d, stdout %.600q, stderr %.300q; want %q", strings.Join(tt.args, " "), r.code, r.stdout, r.stderr, tt.want)
		}
	}
}
