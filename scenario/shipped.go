package scenario

import (
	"io/fs"
	"path"
	"sort"
	"strings"
)

// ShippedFile returns the polygon file NAME.geojson from fsys, the files
// shipped for file:NAME (dataset.ScenarioFS); NAME may carry the suffix.
// A nil fsys ships nothing.
func ShippedFile(fsys fs.FS, name string) ([]byte, bool) {
	if fsys == nil {
		return nil, false
	}
	b, err := fs.ReadFile(fsys, strings.TrimSuffix(name, ".geojson")+".geojson")
	return b, err == nil
}

// ShippedFiles lists the names (without .geojson) of the polygon files
// in fsys, sorted.
func ShippedFiles(fsys fs.FS) []string {
	if fsys == nil {
		return nil
	}
	// fs.Glob's only error is a bad pattern, and this one is good.
	names, _ := fs.Glob(fsys, "*.geojson")
	var out []string
	for _, n := range names {
		out = append(out, strings.TrimSuffix(path.Base(n), ".geojson"))
	}
	sort.Strings(out)
	return out
}
