package scenario_test

import (
	"reflect"
	"testing"
	"testing/fstest"

	"nadra/scenario"
)

// TestShippedFile: file:NAME reads NAME.geojson at the root of the
// shipped files, with or without the suffix, and nothing else: no other
// suffix, no path outside, nothing from a nil file system.
func TestShippedFile(t *testing.T) {
	files := fstest.MapFS{
		"front.geojson":     {Data: []byte(`{"type":"FeatureCollection","features":[]}`)},
		"b-line.geojson":    {Data: []byte(`{}`)},
		"notes.txt":         {Data: []byte("not a polygon")},
		"sub/inner.geojson": {Data: []byte(`{}`)},
	}
	tests := []struct {
		name string
		want string // "" when not shipped
	}{
		{"front", `{"type":"FeatureCollection","features":[]}`},
		{"front.geojson", `{"type":"FeatureCollection","features":[]}`},
		{"b-line", `{}`},
		{"notes", ""},
		{"notes.txt", ""},
		{"../front", ""},
		{"/front", ""},
		{"sub/../front", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := scenario.ShippedFile(files, tt.name)
		if ok != (tt.want != "") || string(got) != tt.want {
			t.Fatalf("ShippedFile(%q): got %q, %t, want %q", tt.name, got, ok, tt.want)
		}
	}
	if _, ok := scenario.ShippedFile(nil, "front"); ok {
		t.Fatalf("ShippedFile(nil, front): got a file, want none")
	}
	if got, want := scenario.ShippedFiles(files), []string{"b-line", "front"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ShippedFiles: got %v, want %v", got, want)
	}
	if got := scenario.ShippedFiles(nil); got != nil {
		t.Fatalf("ShippedFiles(nil): got %v, want none", got)
	}
}
