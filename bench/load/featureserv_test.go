package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestSameFeatures checks the comparison bench/featureserv.sh relies on:
// nadra's features against pg_featureserv's, as sets by id, with
// coordinates and properties compared as values and pg_featureserv's
// copy of the id among the properties left out.
func TestSameFeatures(t *testing.T) {
	const nadra = `[{"id":"a","geometry":{"type":"Point","coordinates":[37.581,47.4524]},"properties":{"name":"A","distance_km":85.16,"since":null}},
		{"id":"b","geometry":null,"properties":{"name":"B","distance_km":null,"since":"2022"}}]`
	tests := []struct {
		name, fs, want string // want: "" for the same, else a part of the error
	}{
		{"same, other order, id among properties", `[{"id":"b","geometry":null,"properties":{"id":"b","name":"B","distance_km":null,"since":"2022"}},
			{"id":"a","geometry":{"type":"Point","coordinates":[37.5810,47.4524]},"properties":{"id":"a","name":"A","distance_km":85.16,"since":null}}]`, ""},
		{"one missing", `[{"id":"a","geometry":{"type":"Point","coordinates":[37.581,47.4524]},"properties":{"name":"A","distance_km":85.16,"since":null}}]`,
			"2 features against 1"},
		{"another id", `[{"id":"a","geometry":{"type":"Point","coordinates":[37.581,47.4524]},"properties":{"name":"A","distance_km":85.16,"since":null}},
			{"id":"c","geometry":null,"properties":{"name":"B","distance_km":null,"since":"2022"}}]`, `feature "b" missing`},
		{"moved by 1e-4 degree", `[{"id":"a","geometry":{"type":"Point","coordinates":[37.5811,47.4524]},"properties":{"name":"A","distance_km":85.16,"since":null}},
			{"id":"b","geometry":null,"properties":{"name":"B","distance_km":null,"since":"2022"}}]`, `feature "a": geometry`},
		{"a property differs", `[{"id":"a","geometry":{"type":"Point","coordinates":[37.581,47.4524]},"properties":{"name":"A","distance_km":85.2,"since":null}},
			{"id":"b","geometry":null,"properties":{"name":"B","distance_km":null,"since":"2022"}}]`, `property distance_km`},
		{"an extra property", `[{"id":"a","geometry":{"type":"Point","coordinates":[37.581,47.4524]},"properties":{"name":"A","distance_km":85.16,"since":null,"x":1}},
			{"id":"b","geometry":null,"properties":{"name":"B","distance_km":null,"since":"2022"}}]`, `3 properties against 4`},
		{"an id property that is not the id", `[{"id":"a","geometry":{"type":"Point","coordinates":[37.581,47.4524]},"properties":{"id":"z","name":"A","distance_km":85.16,"since":null}},
			{"id":"b","geometry":null,"properties":{"name":"B","distance_km":null,"since":"2022"}}]`, `3 properties against 4`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a, b []geoFeature
			if err := json.Unmarshal([]byte(nadra), &a); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tt.fs), &b); err != nil {
				t.Fatal(err)
			}
			err := sameFeatures(a, b)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("got %v, want no difference", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}
