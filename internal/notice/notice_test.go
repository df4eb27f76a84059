package notice

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite modules.csv from the module cache")

// TestModulesCSV checks modules.csv against the licence files of the
// modules cmd/nadra compiles in, as go list and the module cache give
// them: every module listed, with the licence its files state.
func TestModulesCSV(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH: cannot list cmd/nadra's modules")
	}
	cmd := exec.Command(goBin, "list", "-deps", "-f", "{{with .Module}}{{.Path}}\t{{.Version}}\t{{.Dir}}{{end}}", "nadra/cmd/nadra")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"path", "version", "licence"})
	seen := map[string]bool{}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	sort.Strings(lines)
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 3 || f[0] == "nadra" || seen[f[0]] {
			continue
		}
		seen[f[0]] = true
		if f[2] == "" {
			t.Fatalf("%s %s: not in the module cache (go mod download)", f[0], f[1])
		}
		lic, err := classifyDir(f[2])
		if err != nil {
			t.Fatal(err)
		}
		if lic == "" {
			t.Fatalf("%s %s: no licence recognised in %s; add a rule to licenceRules", f[0], f[1], f[2])
		}
		w.Write([]string{f[0], f[1], lic})
	}
	w.Flush()
	if len(seen) < 10 {
		t.Fatalf("go list gave %d modules, want cmd/nadra's dependencies", len(seen))
	}
	if *update {
		if err := os.WriteFile("modules.csv", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := modulesCSV; got != buf.String() {
		t.Fatalf("modules.csv is stale (go test ./internal/notice -update rewrites it):\ngot\n%s\nwant\n%s", got, buf.String())
	}
}

func TestClassifyText(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"Permission is hereby granted, free of charge, to any person", "MIT"},
		{"Redistribution and use in source and binary forms, with or without modification ... Neither the name of Google", "BSD-3-Clause"},
		{"Redistribution and use in source and binary forms, with or without modification, are permitted", "BSD-2-Clause"},
		{"Apache License\n   Version 2.0, January 2004", "Apache-2.0"},
		{"Permission to use, copy, modify, and/or distribute this software for any purpose with or without fee", "ISC"},
		{"no licence here", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(classifyText(tt.text), " AND "); got != tt.want {
			t.Fatalf("classifyText(%q): got %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestBuild: the code is Apache-2.0 as LICENSE says, the dataset parts
// given are there, and the note follows whether snapshots are embedded. A test binary has no module list of its own; the
// binary's (every module known, none "unknown") is checked end to end in
// cmd/nadra (TestE2E_VersionLicences).
func TestBuild(t *testing.T) {
	parts := []Part{{Files: "deposits.csv", What: "deposits", Licence: "Apache-2.0", Attribution: "nadra"}}
	n, err := Build("test", parts, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range n.Modules {
		if m.Licence == unknownLicence {
			t.Fatalf("%s %s: licence unknown; run go test ./internal/notice -update", m.Path, m.Version)
		}
	}
	if n.Code[0].Licence != "Apache-2.0" {
		t.Fatalf("code licence: got %q, want Apache-2.0", n.Code[0].Licence)
	}
	lic, err := os.ReadFile(filepath.Join("..", "..", "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(classifyText(string(lic)), ","); got != CodeLicence {
		t.Fatalf("LICENSE: got %q, want %q", got, CodeLicence)
	}
	if len(n.Data) != 1 || n.Data[0] != parts[0] {
		t.Fatalf("data parts: got %v, want %v", n.Data, parts)
	}
	if !n.Snapshots || !strings.Contains(n.Note, "embeds control snapshots") {
		t.Fatalf("with snapshots: got %t, %q", n.Snapshots, n.Note)
	}
	n, err = Build("test", parts, false)
	if err != nil {
		t.Fatal(err)
	}
	if n.Snapshots || !strings.Contains(n.Note, "-tags nosnapshots: it carries no DeepStateMap data") {
		t.Fatalf("without snapshots: got %t, %q", n.Snapshots, n.Note)
	}
}
