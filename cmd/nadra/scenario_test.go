package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2E_ScenarioLimits: expressions and polygon files over the limits
// are refused with exit status 1 and the limit named, before any overlay:
// the issue's 1.1 KB and 45 KB expressions among them.
func TestE2E_ScenarioLimits(t *testing.T) {
	home := t.TempDir()
	regions := func(n int) string {
		codes := []string{"UA-14", "UA-09", "UA-23", "UA-65"}
		parts := make([]string, n)
		for i := range parts {
			parts[i] = "oblast:" + codes[i%len(codes)]
		}
		return strings.Join(parts, " | ")
	}
	issue1k := strings.Repeat("occupied@2025-02-12 | oblast:UA-14 - oblast:UA-23 | ", 21) + "oblast:UA-09"
	// A ring of 10,001 positions: 9,997 along the bottom of a box, its
	// three other corners and the first again.
	var ring []string
	for i := range 9997 {
		ring = append(ring, fmt.Sprintf("[%.4f,48]", 34+float64(i)/9997))
	}
	ring = append(ring, "[35,48]", "[35,48.5]", "[34,48.5]", "[34,48]")
	big := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[` + strings.Join(ring, ",") + `]]}}]}`
	if err := os.WriteFile(filepath.Join(home, "big.geojson"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"1.1 KB", []string{"scenario", "eval", issue1k}, fmt.Sprintf("the expression is %d bytes long; at most 1024 bytes", len(issue1k))},
		{"45 KB", []string{"scenario", "eval", regions(3000)}, "the expression is 44997 bytes long; at most 1024 bytes"},
		{"baseline", []string{"scenario", "eval", "four-oblasts", "--baseline", issue1k}, "baseline: the expression is"},
		{"regions", []string{"scenario", "eval", regions(33)}, "column 481: more than 32 regions"},
		{"depth", []string{"scenario", "eval", strings.Repeat("(", 17) + "oblast:UA-14" + strings.Repeat(")", 17)}, "column 17: parentheses nested more than 16 deep"},
		{"vertices", []string{"scenario", "eval", "occupied@latest | file:big"}, "big.geojson: 10001 vertices; a scenario polygon file may have at most 10000"},
		{"simulate", []string{"simulate", "--paths", "100", "--scenario", regions(3000)}, "the expression is 44997 bytes long"},
		{"supply", []string{"report", "supply", "--commodity", "lithium", "--add-accessible", regions(40)}, "more than 32 regions"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, home, tt.args...)
			if r.code != 1 || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("got exit %d, %q; want exit 1 and %q", r.code, r.stderr, tt.want)
			}
		})
	}
}
