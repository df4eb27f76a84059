// Package notice lists the licence of everything a nadra binary carries:
// its own code, the Go modules compiled into it, and each part of the
// embedded dataset. nadra version --licences prints it and the Data & API
// page shows it.
//
// The Go modules are the binary's own (runtime/debug.ReadBuildInfo); their
// licences come from modules.csv, generated from the licence files in the
// module cache and checked against them by the test (go test
// ./internal/notice -update rewrites it).
package notice

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"path"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
)

// CodeLicence is the licence of nadra's own code (LICENSE, NOTICE).
const CodeLicence = "Apache-2.0"

//go:embed modules.csv
var modulesCSV string

// Module is one Go module compiled into the binary.
type Module struct {
	Path    string `json:"path"`
	Version string `json:"version"`
	Licence string `json:"licence"` // an SPDX expression
}

// Notice is the licence of everything the binary carries.
type Notice struct {
	Code    []Module `json:"code"`    // nadra, and Go's standard library and runtime
	Modules []Module `json:"modules"` // the Go modules compiled in
	Data    []Part   `json:"data"`    // each embedded dataset part
	// Snapshots tells whether the DeepState-derived control snapshots are
	// embedded; Note says what that means.
	Snapshots bool   `json:"snapshots_embedded"`
	Note      string `json:"note"`
}

// Part is one part of the embedded dataset with the licence it carries:
// what nadra version --licences and the Data & API page list.
// dataset/README.md ("Licences in one place") is the long form.
type Part struct {
	Files       string `json:"files"` // space-separated globs under dataset/
	What        string `json:"what"`
	Licence     string `json:"licence"`
	Attribution string `json:"attribution"`
	// Restricted marks data whose terms bar some users (DeepStateMap's:
	// non-commercial and defence use). A build with -tags nosnapshots
	// leaves it out.
	Restricted bool `json:"restricted,omitempty"`
}

// Matches reports whether the embedded file name (relative to dataset/)
// is one of p's files.
func (p Part) Matches(name string) bool {
	for _, g := range strings.Fields(p.Files) {
		if ok, _ := path.Match(g, name); ok {
			return true
		}
	}
	return false
}

// unknownLicence marks a module modules.csv does not list; the test keeps
// it from shipping.
const unknownLicence = "unknown: not in internal/notice/modules.csv"

// Build returns the notice of the running binary: version is nadra's,
// data the embedded dataset's parts (dataset.Parts) and snapshots whether
// the build carries the control snapshots (dataset.SnapshotsEmbedded).
func Build(version string, data []Part, snapshots bool) (*Notice, error) {
	known, err := parseModules(modulesCSV)
	if err != nil {
		return nil, err
	}
	n := &Notice{
		Code: []Module{
			{Path: "nadra", Version: version, Licence: CodeLicence},
			{Path: "Go standard library and runtime", Version: runtime.Version(), Licence: "BSD-3-Clause"},
		},
		Data:      data,
		Snapshots: snapshots,
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Replace != nil {
				d = d.Replace
			}
			lic, ok := known[d.Path]
			if !ok {
				lic = unknownLicence
			}
			n.Modules = append(n.Modules, Module{Path: d.Path, Version: d.Version, Licence: lic})
		}
	}
	sort.Slice(n.Modules, func(i, j int) bool { return n.Modules[i].Path < n.Modules[j].Path })
	if n.Snapshots {
		n.Note = "This binary embeds control snapshots © DeepStateMap (non-commercial and defence use only) and GPL-3.0 data derived from it. " +
			"Users those terms do not allow can build nadra with -tags nosnapshots and load their own licensed source with nadra import control."
	} else {
		n.Note = "This binary was built with -tags nosnapshots: it carries no DeepStateMap data. " +
			"Control snapshots come only from the user's own licensed source, loaded with nadra import control FILE|DIR (or --deepstate, under DeepState's terms)."
	}
	return n, nil
}

// parseModules reads modules.csv: path,version,licence per line, after a
// header. The version is the one the licence was read from; the licence
// is taken by path, so a patch upgrade keeps it until -update re-reads it.
func parseModules(s string) (map[string]string, error) {
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("internal/notice/modules.csv: %w", err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "path,version,licence" {
		return nil, fmt.Errorf("internal/notice/modules.csv: want the header path,version,licence")
	}
	m := map[string]string{}
	for _, r := range rows[1:] {
		m[r[0]] = r[2]
	}
	return m, nil
}
