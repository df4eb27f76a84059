package dataset_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"nadra"
	"nadra/dataset"
	"nadra/internal/csvfmt"
)

// inputErr checks that err is an EINVALID *nadra.InputError at line (or
// feature, for GeoJSON) with field, whose problem contains want.
func inputErr(tb testing.TB, err error, line int, field, want string) {
	tb.Helper()
	var ie *nadra.InputError
	if !errors.As(err, &ie) {
		tb.Fatalf("got %v (%T), want an InputError", err, err)
	}
	at := ie.Line
	if ie.Feature >= 0 {
		at = ie.Feature
	}
	if at != line || ie.Field != field || !strings.Contains(ie.Problem, want) {
		tb.Fatalf("got %q (at %d, field %q), want at %d, field %q, containing %q", err, at, ie.Field, line, field, want)
	}
	if nadra.ErrorCode(err) != nadra.EINVALID {
		tb.Fatalf("code %s, want invalid", nadra.ErrorCode(err))
	}
}

const depositsHead = "id,name,name_uk,oblast,lat,lon,precision_km,commodities,stage,coords_note,note,sources\n"

// dobraRow is Dobra as the embedded dataset has it (48.35N 31.053E,
// Kirovohrad, 15 km), with fields to override by column name.
func dobraRow(set map[string]string) string {
	v := map[string]string{"id": "dobra", "name": "Dobra", "name_uk": "", "oblast": "UA-35", "lat": "48.35", "lon": "31.053",
		"precision_km": "15", "commodities": "lithium", "stage": "tendered", "coords_note": "licence map", "note": "",
		"sources": "https://example.org (2025-08-27)"}
	for k, x := range set {
		v[k] = x
	}
	var cells []string
	for _, c := range csvfmt.DepositColumns {
		cells = append(cells, v[c])
	}
	return strings.Join(cells, ",") + "\n"
}

// TestParseDepositsCSV_Numbers: hexadecimal, digit separators, Inf, NaN
// and numbers beyond float64 are not numbers (issue 9, item 6).
func TestParseDepositsCSV_Numbers(t *testing.T) {
	for _, tt := range []struct{ col, v string }{
		{"lat", "0x1p-2"}, {"lat", "0x30.2Cp0"}, {"lon", "3_1"}, {"lat", "Inf"}, {"lat", "+Inf"}, {"lon", "-Infinity"},
		{"lat", "NaN"}, {"lat", "1e400"}, {"precision_km", "1_5"}, {"precision_km", "0x0F"}, {"lat", "48,35"}, {"lat", "48.35.1"},
		{"lat", "."}, {"lat", "1e"}, {"lat", "--48"}, {"lat", "48 N"},
	} {
		t.Run(tt.col+"="+tt.v, func(t *testing.T) {
			row := dobraRow(map[string]string{tt.col: `"` + tt.v + `"`})
			_, err := dataset.ParseDepositsCSV("d.csv", strings.NewReader(depositsHead+row), fuzzKnown)
			inputErr(t, err, 2, tt.col, "is not a number")
		})
	}
	for _, v := range []string{"48.35", "+48.35", "4.835e1", "4835E-2", ".4835e2", "048.350"} {
		row := dobraRow(map[string]string{"lat": v})
		deps, err := dataset.ParseDepositsCSV("d.csv", strings.NewReader(depositsHead+row), fuzzKnown)
		if err != nil || *deps[0].Lat != 48.35 {
			t.Errorf("lat %q: %v", v, err)
		}
	}
}

// TestParseDepositsCSV_Location: every point lies in Ukraine and in its
// oblast, within its precision_km (issue 9, item 6).
func TestParseDepositsCSV_Location(t *testing.T) {
	tests := []struct {
		name  string
		set   map[string]string
		field string
		want  []string
	}{
		// Dobra with lat and lon swapped lands in Iraq, about 1,900 km
		// from Ukraine.
		{"Swapped", map[string]string{"lat": "31.053", "lon": "48.35"}, "lat/lon",
			[]string{"31.053, 48.35 (lat, lon) lies", "km outside Ukraine, more than its precision_km (15)", "lat and lon look swapped"}},
		{"France", map[string]string{"lat": "48.85", "lon": "2.35"}, "lat/lon", []string{"outside Ukraine"}},
		{"GulfOfGuinea", map[string]string{"lat": "0", "lon": "0"}, "lat/lon", []string{"outside Ukraine"}},
		// Chisinau is about 60 km outside Ukraine: refused at 15 km,
		// accepted (as far as Ukraine goes) at 100 km.
		{"Moldova", map[string]string{"lat": "47.01", "lon": "28.86", "oblast": "UA-51"}, "lat/lon", []string{"outside Ukraine, more than its precision_km (15)"}},
		{"WrongOblast", map[string]string{"oblast": "UA-14"}, "oblast",
			[]string{"lies", "km outside UA-14 (Donetsk), more than its precision_km (15)", "it is in UA-35 (Kirovohrad)"}},
		{"Crimea", map[string]string{"lat": "44.95", "lon": "34.1", "oblast": "UA-43"}, "", nil},
		// 20 km beyond Kirovohrad's border, in Mykolaiv oblast: fine at
		// 25 km, refused at 15.
		{"NearBorderOK", map[string]string{"lat": "48", "lon": "31", "precision_km": "25"}, "", nil},
		{"NearBorder", map[string]string{"lat": "48", "lon": "31"}, "oblast", []string{"it is in UA-48 (Mykolaiv)"}},
		{"NoLocation", map[string]string{"lat": "", "lon": "", "precision_km": "", "coords_note": ""}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dataset.ParseDepositsCSV("d.csv", strings.NewReader(depositsHead+dobraRow(tt.set)), fuzzKnown)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			for _, w := range tt.want {
				inputErr(t, err, 2, tt.field, w)
			}
		})
	}
}

// TestCheckLocation_Embedded: every located deposit of the embedded
// dataset passes the location check.
func TestCheckLocation_Embedded(t *testing.T) {
	n := 0
	for _, d := range mustDefault(t).Deposits {
		if err := dataset.CheckLocation(d); err != nil {
			t.Errorf("%s: %v", d.ID, err)
		}
		if d.HasLocation() {
			n++
		}
	}
	if n < 60 {
		t.Errorf("%d located deposits checked, want at least 60", n)
	}
}

// TestParseDepositsCSV_Rows: other malformed rows, each refused with its
// line and field.
func TestParseDepositsCSV_Rows(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		line  int
		field string
		want  string
	}{
		{"MissingCoordsNote", dobraRow(map[string]string{"coords_note": ""}), 2, "coords_note", "required when lat/lon are given"},
		{"LongID", dobraRow(map[string]string{"id": strings.Repeat("a", 5000)}), 2, "id", "at most 64"},
		{"LongName", dobraRow(map[string]string{"name": strings.Repeat("n", 201)}), 2, "name", "at most 200"},
		{"LongNote", dobraRow(map[string]string{"note": strings.Repeat("n", 2001)}), 2, "note", "at most 2000"},
		{"HugeCell", dobraRow(map[string]string{"stage": strings.Repeat("s", 70000)}), 2, "stage", "at most 65536"},
		{"SourceDate", dobraRow(map[string]string{"sources": "https://example.org (2025-13-45)"}), 2, "sources", "not a calendar date"},
		{"SecondSourceDate", dobraRow(map[string]string{"sources": "https://example.org (2025) | doc (2025-02-29)"}), 2, "sources", "not a calendar date"},
		{"TooFewFields", dobraRow(nil) + "x,X,,UA-35\n", 3, "", "has 4 fields; the header has 12"},
		{"TooManyFields", strings.TrimSuffix(dobraRow(nil), "\n") + ",extra\n", 2, "", "has 13 fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dataset.ParseDepositsCSV("d.csv", strings.NewReader(depositsHead+tt.body), fuzzKnown)
			inputErr(t, err, tt.line, tt.field, tt.want)
		})
	}
}

// TestParseDepositsGeoJSON_Positions: a Point's coordinates are exactly
// [lon, lat] or [lon, lat, altitude], each a finite number (issue 9, item
// 6: [30] was stored as (0, 30) and [] as (0, 0)).
func TestParseDepositsGeoJSON_Positions(t *testing.T) {
	feature := func(props, geom string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a","name":"A","oblast":"UA-35",` +
			`"coords_note":"map","commodities":"lithium","sources":"https://e.org (2020)"` + props + `},"geometry":` + geom + `}]}`
	}
	ok := `,"precision_km":5`
	tests := []struct {
		name, props, geom string
		field, want       string
	}{
		{"OK", ok, `{"type":"Point","coordinates":[31.5,48.5]}`, "", ""},
		{"WithAltitude", ok, `{"type":"Point","coordinates":[31.5,48.5,120]}`, "", ""},
		{"NullGeometry", "", `null`, "", ""},
		{"OneNumber", ok, `{"type":"Point","coordinates":[30]}`, "geometry.coordinates", "[30] has 1 number; expected [lon, lat]"},
		{"Empty", ok, `{"type":"Point","coordinates":[]}`, "geometry.coordinates", "has 0 numbers"},
		{"FourNumbers", ok, `{"type":"Point","coordinates":[31.5,48.5,0,0]}`, "geometry.coordinates", "has 4 numbers"},
		{"NoCoordinates", ok, `{"type":"Point"}`, "geometry.coordinates", "missing"},
		{"NullCoordinates", ok, `{"type":"Point","coordinates":null}`, "geometry.coordinates", "missing"},
		{"Strings", ok, `{"type":"Point","coordinates":["31.5","48.5"]}`, "geometry.coordinates", `lon: "31.5" is not a finite number`},
		{"NullNumber", ok, `{"type":"Point","coordinates":[31.5,null]}`, "geometry.coordinates", "lat: null is not a finite number"},
		{"Nested", ok, `{"type":"Point","coordinates":[[31.5,48.5]]}`, "geometry.coordinates", "[[31.5,48.5]] has 1 number"},
		{"NotArray", ok, `{"type":"Point","coordinates":31.5}`, "geometry.coordinates", "not a position"},
		{"Huge", ok, `{"type":"Point","coordinates":[1e400,48.5]}`, "geometry.coordinates", "lon: 1e400 is not a finite number"},
		{"HugeAltitude", ok, `{"type":"Point","coordinates":[31.5,48.5,1e999]}`, "geometry.coordinates", "altitude"},
		{"LineString", ok, `{"type":"LineString","coordinates":[[31.5,48.5],[31.6,48.6]]}`, "geometry.type", `"LineString"; expected a Point`},
		{"NotObject", ok, `[31.5,48.5]`, "geometry", "not a GeoJSON geometry"},
		{"Swapped", ok, `{"type":"Point","coordinates":[48.5,31.5]}`, "geometry", "lat and lon look swapped"},
		{"WrongOblast", `,"precision_km":5,"oblast":"UA-14"`, `{"type":"Point","coordinates":[31.5,48.5]}`, "properties.oblast", "outside UA-14"},
		{"HugePrecision", `,"precision_km":1e400`, `{"type":"Point","coordinates":[31.5,48.5]}`, "properties.precision_km", "not a finite decimal number"},
		{"PrecisionString", `,"precision_km":"5"`, `{"type":"Point","coordinates":[31.5,48.5]}`, "properties.precision_km", "expected a number, got a string"},
		{"MissingCoordsNote", `,"precision_km":5,"coords_note":""`, `{"type":"Point","coordinates":[31.5,48.5]}`, "properties.coords_note", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := feature(tt.props, tt.geom)
			if strings.Contains(tt.props, `"oblast"`) || strings.Contains(tt.props, `"coords_note"`) {
				// the later member wins in encoding/json; drop the default
				src = strings.Replace(src, `"oblast":"UA-35",`, "", strings.Count(tt.props, `"oblast"`))
				src = strings.Replace(src, `"coords_note":"map",`, "", strings.Count(tt.props, `"coords_note"`))
			}
			deps, err := dataset.ParseDepositsGeoJSON("d.geojson", strings.NewReader(src), fuzzKnown)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				if d := deps[0]; d.HasLocation() && (*d.Lon != 31.5 || *d.Lat != 48.5) {
					t.Fatalf("got lat %v lon %v, want 48.5, 31.5", *d.Lat, *d.Lon)
				}
				return
			}
			inputErr(t, err, 0, tt.field, tt.want)
		})
	}
}

// TestParseEstimatesCSV_Numbers: the estimates' numbers and years go
// through the same strict parser.
func TestParseEstimatesCSV_Numbers(t *testing.T) {
	head := strings.Join(csvfmt.EstimateColumns, ",") + "\n"
	row := func(ore, contained, year string) string {
		return "dobra,lithium," + ore + ",,," + contained + ",Li2O,C1," + year + ",,https://e.org (2023)\n"
	}
	deposits := map[string]bool{"dobra": true}
	tests := []struct {
		name, body, field, want string
	}{
		{"HexOre", row("0x10p0", "", ""), "ore_mt", "is not a number"},
		{"UnderscoreContained", row("", "1_000", ""), "contained_t", "is not a number"},
		{"InfContained", row("", "Inf", ""), "contained_t", "is not a number"},
		{"NaNOre", row("NaN", "", ""), "ore_mt", "is not a number"},
		{"HugeContained", row("", "1e400", ""), "contained_t", "is not a number"},
		{"AbsurdContained", row("", "1e300", ""), "contained_t", "not a plausible deposit"},
		{"HexYear", row("80", "", "0x7E7"), "year", "is not a whole number"},
		{"UnderscoreYear", row("80", "", "2_023"), "year", "is not a whole number"},
		{"FractionalYear", row("80", "", "2023.5"), "year", "is not a whole number"},
		{"HugeYear", row("80", "", "99999999999999999999"), "year", "is not a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dataset.ParseEstimatesCSV("e.csv", strings.NewReader(head+tt.body), fuzzKnown, deposits)
			inputErr(t, err, 2, tt.field, tt.want)
		})
	}
}

// TestParseProductionCSV_Refs: unknown countries and future years are
// refused (issue 9, item 9).
func TestParseProductionCSV_Refs(t *testing.T) {
	d, err := dataset.Supply()
	if err != nil {
		t.Fatal(err)
	}
	refs := dataset.ProductionRefs{Series: d.SeriesMap(), Countries: dataset.CountryCodes(d.Countries), LastYear: 2026}
	head := strings.Join(dataset.ProductionColumns, ",") + "\n"
	src := ",https://example.org (2026-02)\n"
	tests := []struct {
		name, body, field, want string
	}{
		{"ZZ", "lithium,mine,,ZZ,2024,100,,false," + src, "country", `"ZZ" is not a country of the supply tables; expected one of AR, AT`},
		{"XX", "lithium,mine,,XX,2024,100,,false," + src, "country", `"XX" is not a country`},
		{"Future", "lithium,mine,,UA,2027,100,,false," + src, "year", "2027 is in the future (this is 2026)"},
		{"FarFuture", "lithium,mine,,UA,2031,100,,false," + src, "year", "2031 is in the future"},
		{"HexQuantity", "lithium,mine,,UA,2024,0x1p-2,,false," + src, "quantity", "is not a number"},
		{"UnderscoreQuantity", "lithium,mine,,UA,2024,1_0,,false," + src, "quantity", "is not a number"},
		{"AbsurdQuantity", "lithium,mine,,UA,2024,1e300,,false," + src, "quantity", "not a plausible annual output"},
		{"SourceDate", "lithium,mine,,UA,2024,100,,false,,USGS (2025-13-45)\n", "source", "not a calendar date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dataset.ParseProductionCSV("p.csv", strings.NewReader(head+tt.body), refs)
			inputErr(t, err, 2, tt.field, tt.want)
		})
	}
	for _, body := range []string{"lithium,mine,,other,2026,100,,false," + src, "lithium,mine,,world,2024,1e6,,false," + src, "lithium,mine,,UA,2026,100,,false," + src} {
		if _, err := dataset.ParseProductionCSV("p.csv", strings.NewReader(head+body), refs); err != nil {
			t.Errorf("%q: %v", body, err)
		}
	}
}

// TestCSVFormulas: cells a spreadsheet would run as formulas are written
// with a quote before them, numbers stay numbers, and the importers read
// back what was exported (issue 9, item 10).
func TestCSVFormulas(t *testing.T) {
	texts := []string{"=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "'=already quoted", "''=twice",
		"'plain quote", "a=b", "=", "-", "@"}
	deps := []*nadra.Deposit{}
	for i, s := range texts {
		lat, lon, prec := 48.35, 31.053, 15.0
		deps = append(deps, &nadra.Deposit{ID: "d" + string(rune('a'+i)), Name: s, NameUK: s, Oblast: "UA-35", Lat: &lat, Lon: &lon,
			PrecisionKm: &prec, Commodities: []string{"lithium"}, CoordsNote: s, Note: s, Sources: []string{"https://e.org (2020)"}})
	}
	var buf bytes.Buffer
	if err := csvfmt.WriteDeposits(&buf, deps); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`'=HYPERLINK(""http://evil.example"",""click"")`, ",'+1+1,", ",'-2+3,", ",'@SUM(A1),", ",''=already quoted,",
		",'''=twice,", ",'plain quote,", ",a=b,", ",'=,", ",'-,", ",'@,"} {
		if !strings.Contains(out, want) {
			t.Errorf("written CSV lacks %s:\n%s", want, out)
		}
	}
	again, err := dataset.ParseDepositsCSV("again.csv", &buf, fuzzKnown)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(deps, again) {
		for i := range deps {
			if !reflect.DeepEqual(deps[i], again[i]) {
				t.Errorf("round trip changed %q into %q", deps[i].Name, again[i].Name)
			}
		}
	}

	// Negative numbers stay numbers; formula text in estimates and
	// production notes is quoted and reads back.
	ore := 80.0
	var ebuf bytes.Buffer
	ests := []*nadra.Estimate{{DepositID: "dobra", Commodity: "lithium", OreMt: &ore, Basis: "Li2O", Category: "C1", Note: "=1+1", Source: []string{"https://e.org (2023)"}}}
	csvfmt.WriteEstimates(&ebuf, ests)
	if !strings.Contains(ebuf.String(), ",'=1+1,") {
		t.Errorf("estimates CSV: %s", ebuf.String())
	}
	back, err := dataset.ParseEstimatesCSV("e.csv", &ebuf, fuzzKnown, map[string]bool{"dobra": true})
	if err != nil || !reflect.DeepEqual(back, ests) {
		t.Errorf("estimates round trip: %v", err)
	}
	var cbuf bytes.Buffer
	w := csvfmt.NewWriter(&cbuf)
	w.Write([]string{"-1.5", "-0.5", "-1e-05", "+3", "-12.", "-.5", "-1e400", "-1-1", "-0x1p-2", "\tx", "\rx"})
	w.Flush()
	if got, want := cbuf.String(), "-1.5,-0.5,-1e-05,+3,-12.,-.5,-1e400,'-1-1,'-0x1p-2,'\tx,\"'\rx\"\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
