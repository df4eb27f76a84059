package main_test

import (
	"strings"
	"testing"
)

// TestE2E_ReportSupply_Absurd checks that report supply refuses what-ifs
// past MaxAdditionFactor times world production, naming the flag (issue
// 9: two --add of 1e308 summed to +Inf and printed "+,Inf t"), and
// non-finite --recovery.
func TestE2E_ReportSupply_Absurd(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		code int // 2 for a usage error
		want string
	}{
		{[]string{"--add", "UA=1e308", "--add", "CN=1e308"}, 1, "--add: over 1.8e308"},
		{[]string{"--add", "UA=1e300"}, 1, "100 times world production"},
		{[]string{"--add", "UA=NaN"}, 2, "is not a number"},
		{[]string{"--recovery", "NaN"}, 2, "--recovery"},
		{[]string{"--recovery", "Inf"}, 2, "--recovery"},
	} {
		args := append([]string{"report", "supply", "--commodity", "lithium"}, tt.args...)
		r := run(t, dir, args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, r.code, r.stderr, tt.code, tt.want)
		}
		if strings.Contains(r.stdout+r.stderr, "Inf t") || strings.Contains(r.stdout, "NaN") {
			t.Errorf("%v: non-finite output:\n%s", tt.args, r.stdout)
		}
	}
}
