package notice

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// licenceRules tell a licence by phrases of its text, most specific first.
// They are what the test uses to check modules.csv against the licence
// files in the module cache; they are not used at run time.
var licenceRules = []struct {
	id      string
	phrases []string
}{
	{"Apache-2.0", []string{"apache license", "version 2.0"}},
	{"MPL-2.0", []string{"mozilla public license", "2.0"}},
	{"BSD-3-Clause", []string{"redistribution and use in source and binary forms", "neither the name"}},
	{"BSD-3-Clause", []string{"redistribution and use in source and binary forms", "names of its contributors may not be used"}},
	{"BSD-2-Clause", []string{"redistribution and use in source and binary forms"}},
	{"MIT", []string{"permission is hereby granted, free of charge"}},
	{"ISC", []string{"permission to use, copy, modify, and/or distribute this software for any purpose"}},
	{"ISC", []string{"permission to use, copy, modify, and distribute this software for any purpose"}},
	{"blessing", []string{"the author disclaims copyright to this source code"}},
	{"LicenseRef-public-domain", []string{"dedicated to the public", "domain"}},
	{"CC-BY-4.0", []string{"creative commons attribution 4.0"}},
}

// classifyText returns the SPDX identifiers of the licences in a text:
// one file may hold several (klauspost/compress: BSD-3-Clause, Apache-2.0
// and MIT, for code of different origins).
func classifyText(text string) []string {
	t := strings.ToLower(strings.Join(strings.Fields(text), " "))
	var ids []string
	seen := map[string]bool{}
	for _, r := range licenceRules {
		ok := true
		for _, p := range r.phrases {
			if !strings.Contains(t, p) {
				ok = false
				break
			}
		}
		if ok && !seen[r.id] && !(r.id == "BSD-2-Clause" && seen["BSD-3-Clause"]) {
			seen[r.id] = true
			ids = append(ids, r.id)
		}
	}
	return ids
}

// classifyDir returns the licences of the files named LICENSE*, LICENCE*
// or COPYING* at the top of a module's directory, as an SPDX expression
// ("A AND B" when a module carries several), or "" when none is known.
func classifyDir(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	seen := map[string]bool{}
	var ids []string
	for _, e := range entries {
		n := strings.ToUpper(e.Name())
		if e.IsDir() || !(strings.HasPrefix(n, "LICENSE") || strings.HasPrefix(n, "LICENCE") || strings.HasPrefix(n, "COPYING")) {
			continue
		}
		if strings.Contains(n, "3RD-PARTY") || strings.Contains(n, "LOGO") {
			continue // lists of others' licences, and a logo's: not the code's
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", err
		}
		for _, id := range classifyText(string(b)) {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	sort.Strings(ids)
	return strings.Join(ids, " AND "), nil
}
