package nadra_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"
)

var updateGraph = flag.Bool("update", false, "rewrite the package graph in README.md from go list")

// The README's package graph sits between these two lines.
const (
	graphBegin = "<!-- package graph: go test . -run TestREADMEPackageGraph -update -->\n"
	graphEnd   = "<!-- end of package graph -->\n"
)

// TestREADMEPackageGraph checks that the package graph in the README's
// Layout section is what go list says: each package and the nadra
// packages it imports, tests left out.
func TestREADMEPackageGraph(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var b strings.Builder
	b.WriteString("\n")
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		var own []string
		for _, imp := range strings.Fields(imports) {
			if imp == "nadra" || strings.HasPrefix(imp, "nadra/") {
				own = append(own, imp)
			}
		}
		b.WriteString(strings.TrimRight("    "+pkg+": "+strings.Join(own, " "), " ") + "\n")
	}
	b.WriteString("\n")
	want := b.String()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(readme, []byte(graphBegin)), bytes.Index(readme, []byte(graphEnd))
	if i < 0 || j < i {
		t.Fatalf("README.md has no package graph between %q and %q", graphBegin, graphEnd)
	}
	got := string(readme[i+len(graphBegin) : j])
	if *updateGraph {
		readme = append(append(append([]byte{}, readme[:i+len(graphBegin)]...), want...), readme[j:]...)
		if err := os.WriteFile("README.md", readme, 0o644); err != nil {
			t.Fatal(err)
		}
		got = want
	}
	if got != want {
		t.Fatalf("the package graph in README.md is not go list's; run go test . -run TestREADMEPackageGraph -update and review the diff.\nREADME:\n%s\ngo list:\n%s", got, want)
	}
}
