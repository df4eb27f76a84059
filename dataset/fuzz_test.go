package dataset_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"nadra"
	"nadra/dataset"
	"nadra/geo"
	"nadra/internal/csvfmt"
)

var fuzzKnown = map[string]bool{"lithium": true, "titanium": true, "rare_earths": true}

// FuzzParseDepositsCSV: the parser never panics, every error is an
// InputError, and whatever it accepts survives a write and a re-read.
func FuzzParseDepositsCSV(f *testing.F) {
	f.Add([]byte("id,name,name_uk,oblast,lat,lon,precision_km,commodities,stage,coords_note,note,sources\n" +
		"dobra,Dobra,Добра,UA-35,48.35,31.053,15,lithium,tendered,village,\"PSA, 2026\",https://e.org (2025-08-27) | doc (n.d.)\n"))
	f.Add([]byte("id,name,name_uk,oblast,lat,lon,precision_km,commodities,stage,coords_note,note,sources\nx,X,,UA-14,,,,titanium;lithium,,,,a (2020)\n"))
	f.Add([]byte("name,id\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		deps, err := dataset.ParseDepositsCSV("fuzz.csv", bytes.NewReader(data), fuzzKnown)
		if err != nil {
			var ie *nadra.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an InputError: %v", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := csvfmt.WriteDeposits(&buf, deps); err != nil {
			t.Fatal(err)
		}
		again, err := dataset.ParseDepositsCSV("again.csv", &buf, fuzzKnown)
		if err != nil {
			t.Fatalf("re-reading written deposits: %v\n%s", err, buf.String())
		}
		if !reflect.DeepEqual(deps, again) {
			t.Fatalf("round trip changed deposits:\n%+v\n%+v", deps[0], again[0])
		}
	})
}

// FuzzParseDepositsGeoJSON: never panics; errors are InputErrors; accepted
// deposits are valid and survive an export through the CSV.
func FuzzParseDepositsGeoJSON(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a","name":"A","oblast":"UA-35","precision_km":5,"commodities":["lithium"],"sources":"https://e.org (2020)"},"geometry":{"type":"Point","coordinates":[31.5,48.5,0]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a","name":"A","oblast":"UA-35","commodities":"lithium","sources":["x (n.d.)"]},"geometry":null}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1e400,0]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		deps, err := dataset.ParseDepositsGeoJSON("fuzz.geojson", bytes.NewReader(data), fuzzKnown)
		if err != nil {
			var ie *nadra.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an InputError: %v", err, err)
			}
			return
		}
		for _, d := range deps {
			if err := d.Validate(fuzzKnown); err != nil {
				t.Fatalf("accepted an invalid deposit: %v", err)
			}
		}
		var buf bytes.Buffer
		if err := csvfmt.WriteDeposits(&buf, deps); err != nil {
			t.Fatal(err)
		}
		if _, err := dataset.ParseDepositsCSV("again.csv", &buf, fuzzKnown); err != nil {
			t.Fatalf("CSV of accepted GeoJSON deposits does not read back: %v", err)
		}
	})
}

// FuzzParseSnapshot: control files never panic the importer, every
// refusal is an InputError, and what is accepted is a fixed point of export
// then import.
func FuzzParseSnapshot(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","date":"2025-01-01","features":[{"type":"Feature","properties":{"status":"occupied"},"geometry":{"type":"Polygon","coordinates":[[[37,47,0],[38,47,0],[38,48,0],[37,48,0],[37,47,0]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","date":"2025-01-01","features":[{"type":"Feature","properties":{"fill":"#a52714"},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Polygon","coordinates":[[[37,47],[38,47],[38,48],[37,48],[37,47]],[[37.2,47.2],[37.4,47.2],[37.4,47.4],[37.2,47.2]]]}]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","date":"2025-01-01","features":[{"type":"Feature","properties":{"status":"grey"},"geometry":{"type":"Polygon","coordinates":[[[37,47],[38,48],[38,47],[37,48],[37,47]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","date":"2025-01-01","features":[{"type":"Feature","properties":{"status":"occupied"},"geometry":{"type":"Polygon","coordinates":[[[39.5,49],[41,49],[41,50],[39.5,50],[39.5,49]]]}},{"type":"Feature","properties":{"status":"grey"},"geometry":{"type":"Polygon","coordinates":[[[39,49.5],[40,49.5],[40,50.5],[39,50.5],[39,49.5]]]}}]}`))
	b, err := dataset.Boundaries()
	if err != nil {
		f.Fatal(err)
	}
	today := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := dataset.ParseSnapshot("fuzz.geojson", bytes.NewReader(data), dataset.SnapshotFormat{}, b.Outline, nil, today)
		if err != nil {
			var ie *nadra.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an InputError: %v", err, err)
			}
			return
		}
		if _, err := nadra.ParseDate(s.Date); err != nil {
			t.Fatalf("accepted snapshot with date %q", s.Date)
		}
		// Round trip: what was accepted exports to a file that imports
		// to the same snapshot, byte for byte (issue 9, item 11).
		var out bytes.Buffer
		if err := geo.WriteSnapshotGeoJSON(&out, s); err != nil {
			t.Fatal(err)
		}
		again, err := dataset.ParseSnapshot("export.geojson", bytes.NewReader(out.Bytes()), dataset.SnapshotFormat{}, b.Outline, nil, today)
		if err != nil {
			t.Fatalf("the export of an accepted snapshot is refused: %v\n%s", err, out.Bytes())
		}
		var out2 bytes.Buffer
		if err := geo.WriteSnapshotGeoJSON(&out2, again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), out2.Bytes()) {
			t.Fatalf("export, import, export is not a fixed point:\n%s\n%s", out.Bytes(), out2.Bytes())
		}
	})
}

// FuzzParseEstimatesCSV: never panics; errors are InputErrors; accepted
// rows round-trip.
func FuzzParseEstimatesCSV(f *testing.F) {
	f.Add([]byte("deposit_id,commodity,ore_mt,grade,grade_unit,contained_t,basis,category,year,note,source\n" +
		"dobra,lithium,80,1.1,pct,,Li2O,B+C1,2023,\"lower bound, of a range\",https://e.org (2023)\n"))
	f.Add([]byte("deposit_id,commodity,ore_mt,grade,grade_unit,contained_t,basis,category,year,note,source\ndobra,lithium,,,,1e3,LCE,unspecified,,,x (n.d.)\n"))
	deposits := map[string]bool{"dobra": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		ests, err := dataset.ParseEstimatesCSV("fuzz.csv", bytes.NewReader(data), fuzzKnown, deposits)
		if err != nil {
			var ie *nadra.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an InputError: %v", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := csvfmt.WriteEstimates(&buf, ests); err != nil {
			t.Fatal(err)
		}
		again, err := dataset.ParseEstimatesCSV("again.csv", &buf, fuzzKnown, deposits)
		if err != nil || !reflect.DeepEqual(ests, again) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// FuzzParseProductionCSV: never panics; errors are InputErrors; accepted
// rows are valid, their shares never exceed 100%, and they round-trip.
func FuzzParseProductionCSV(f *testing.F) {
	head := "commodity,stage,product,country,year,quantity,share_pct,estimated,note,source\n"
	f.Add([]byte(head + "lithium,mine,,CN,2024,41400,,false,,https://pubs.usgs.gov (2026-02)\nlithium,mine,,world,2024,222000,,false,\"rounded, excl. US\",x (2026)\n"))
	f.Add([]byte(head + "germanium,refining,,CN,2023,,83,false,,x (n.d.)\ngermanium,refining,,RU,2023,,20,,,x (n.d.)\n"))
	f.Add([]byte(head + "titanium,mine,ilmenite,UA,2021,316,,true,,a (2023) | b (n.d.)\nlithium,mine,,US,2024,,,false,W,x (2026)\n"))
	d, err := dataset.Supply()
	if err != nil {
		f.Fatal(err)
	}
	series := d.SeriesMap()
	refs := dataset.ProductionRefs{Series: series, Countries: dataset.CountryCodes(d.Countries), LastYear: 2026}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := dataset.ParseProductionCSV("fuzz.csv", bytes.NewReader(data), refs)
		if err != nil {
			var ie *nadra.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an InputError: %v", err, err)
			}
			return
		}
		for _, p := range rows {
			if err := p.Validate(series); err != nil {
				t.Fatalf("accepted an invalid row: %v", err)
			}
		}
		if probs := nadra.CheckShares(rows); len(probs) > 0 {
			t.Fatalf("accepted shares over 100%%: %s", probs[0].Message)
		}
		var buf bytes.Buffer
		if err := dataset.WriteProductionCSV(&buf, rows); err != nil {
			t.Fatal(err)
		}
		again, err := dataset.ParseProductionCSV("again.csv", &buf, refs)
		if err != nil || !reflect.DeepEqual(rows, again) {
			t.Fatalf("round trip: %v\n%s", err, buf.String())
		}
	})
}

// FuzzParseTerms: the terms parser never panics, every error is an
// InputError naming the file and (unless the file is empty) the line, and accepted terms pass their own validation.
func FuzzParseTerms(f *testing.F) {
	f.Add([]byte(minimalTerms))
	f.Add([]byte("id: x\nterms: {ukraine_share: {value: 2}}\n"))
	f.Add([]byte("terms:\n  - [\n"))
	f.Add([]byte("id: a\nname: b\nstatus: draft\ndate: 2025\nsources: [doc (2025)]\nterms: {}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := dataset.ParseTerms("fuzz.yaml", data, fuzzKnown)
		if err != nil {
			var ie *nadra.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an InputError: %v", err, err)
			}
			if ie.File != "fuzz.yaml" || (ie.Line < 1 && !strings.Contains(ie.Problem, "empty") && !strings.Contains(ie.Problem, "UTF-8")) {
				t.Fatalf("error without a file and line: %v", err)
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("accepted terms fail validation: %v", err)
		}
		if d.UkraineShare < 0 || d.UkraineShare > 1 || d.PriorityReturnRate < 0 {
			t.Fatalf("accepted out-of-range terms: %+v", d)
		}
	})
}

// FuzzParseClaimsCSV: the claims parser never panics, every error is an
// InputError, and every claim it accepts validates.
func FuzzParseClaimsCSV(f *testing.F) {
	head := strings.Join(dataset.ClaimColumns, ",") + "\n"
	f.Add([]byte(head + `c1,2025-02-11,AP,"40 percent",not stated,occupied_share,metallic,about,0.40,0.05,,,,,,https://e.org (2025-02-11)` + "\n"))
	f.Add([]byte(head + `c2,2025-01-31,USGS,words,production,supply_share,rare_earths,about,0.69,0.01,production_share,,mine,CN,,doc (2025)` + "\n"))
	f.Add([]byte(head + `c3,2025-13-01,x,y,z,occupied_value,all,gt,1e12,,in_situ_value;net_value,included,,,,a (2020)` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := dataset.ParseClaimsCSV("fuzz.csv", bytes.NewReader(data), fuzzKnown)
		if err != nil {
			var ie *nadra.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an InputError: %v", err, err)
			}
			return
		}
		for _, c := range cs {
			if err := c.Validate(); err != nil {
				t.Fatalf("accepted claim %s does not validate: %v", c.ID, err)
			}
		}
	})
}

// TestClaims_Embedded: the embedded register parses, holds the claims
// the issue names, and every claim has exact words, a basis and a dated
// source.
func TestClaims_Embedded(t *testing.T) {
	cs, err := dataset.Claims()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range cs {
		ids[c.ID] = true
		if c.Words == "" || c.Basis == "" || len(c.Sources) == 0 {
			t.Errorf("%s: words, basis and sources required", c.ID)
		}
	}
	for _, id := range []string{"metallic-40pct", "secdev-metals-42pct", "secdev-critical-33pct", "secdev-coal-63pct", "secdev-12-4tn",
		"zelensky-lt-20pct", "svyrydenko-350bn", "hrynchuk-half", "draft-500bn", "iea-china-ree-mining-61pct", "iea-china-ree-processing-92pct"} {
		if !ids[id] {
			t.Errorf("claim %s missing", id)
		}
	}
}

// FuzzParseScenariosCSV: any bytes give scenarios or an *nadra.InputError
// naming the file, never a panic; what parses validates, with unique ids,
// and the expression checker sees each row's expression once.
func FuzzParseScenariosCSV(f *testing.F) {
	f.Add([]byte("id,name,expression,source,note\neast,East,oblast:UA-14 | oblast:UA-09,https://example.org/s (2026-01-02),\n"))
	f.Add([]byte("id,name,expression,source,note\neast,East,oblast:UA-14,https://example.org/s (2026-01-02),\neast,Again,occupied@latest,https://example.org/s (2026-01-02),\n"))
	f.Add([]byte("id,name,expression,source,note\n,,,,\n"))
	f.Add([]byte("id,name\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var seen []string
		ss, err := dataset.ParseScenariosCSV("s.csv", bytes.NewReader(data), func(expr string) error {
			seen = append(seen, expr)
			return nil
		})
		if err != nil {
			var ie *nadra.InputError
			if !errors.As(err, &ie) || ie.File != "s.csv" {
				t.Fatalf("error %T %v does not name the file", err, err)
			}
			return
		}
		ids := map[string]bool{}
		for i, s := range ss {
			if err := s.Validate(); err != nil {
				t.Fatalf("row %d parsed but does not validate: %v", i, err)
			}
			if ids[s.ID] {
				t.Fatalf("id %q twice", s.ID)
			}
			ids[s.ID] = true
			if i >= len(seen) || seen[i] != s.Expression {
				t.Fatalf("row %d: the checker saw %v, want %q", i, seen, s.Expression)
			}
		}
	})
}
