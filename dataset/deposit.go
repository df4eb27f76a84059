package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"nadra"
	"nadra/internal/csvfmt"
	"nadra/internal/decimal"

	"github.com/paulmach/orb"
)

// ParseDepositsCSV reads deposits in nadra's CSV format and validates every
// row against the known commodity codes. The first problem is returned as
// a *nadra.InputError naming the file, line and field.
func ParseDepositsCSV(file string, r io.Reader, commodities map[string]bool) ([]*nadra.Deposit, error) {
	return parseRowsIgnoring(file, r, csvfmt.DepositColumns, csvfmt.DepositStatusColumns, func(t *table) (*nadra.Deposit, string, error) {
		d := &nadra.Deposit{
			ID: t.str("id"), Name: t.str("name"), NameUK: t.str("name_uk"), Oblast: t.str("oblast"),
			Commodities: splitList(t.str("commodities")), Stage: nadra.Stage(t.str("stage")),
			CoordsNote: t.str("coords_note"), Note: t.str("note"), Sources: splitSources(t.str("sources")),
		}
		var err error
		if d.Lat, err = t.float("lat"); err != nil {
			return nil, "", err
		}
		if d.Lon, err = t.float("lon"); err != nil {
			return nil, "", err
		}
		if d.PrecisionKm, err = t.float("precision_km"); err != nil {
			return nil, "", err
		}
		if err := d.Validate(commodities); err != nil {
			return nil, "", t.fieldErr(err)
		}
		if err := CheckLocation(d); err != nil {
			return nil, "", t.fieldErr(err)
		}
		return d, d.ID, nil
	}, func(t *table, id string, first int) error {
		return t.errf("id", "%q already appears on line %d; ids must be unique in a file", id, first)
	})
}

// ParseDepositsGeoJSON reads deposits from a GeoJSON FeatureCollection of
// Point features (or features with a null geometry for deposits without a
// location) whose properties are the CSV columns other than lat and lon.
// commodities and sources may be arrays or separated strings.
func ParseDepositsGeoJSON(file string, r io.Reader, commodities map[string]bool) ([]*nadra.Deposit, error) {
	data, err := readAll(file, r)
	if err != nil {
		return nil, err
	}
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	ferr := func(i int, field, format string, args ...any) error {
		return &nadra.InputError{File: file, Feature: i, Field: field, Problem: fmt.Sprintf(format, args...)}
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, ferr(-1, "", "not valid JSON: %v", err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, ferr(-1, "type", "%q; expected \"FeatureCollection\"", fc.Type)
	}
	if len(fc.Features) == 0 {
		return nil, ferr(-1, "features", "no features")
	}
	allowed := map[string]bool{}
	for _, c := range csvfmt.DepositColumns {
		allowed[c] = c != "lat" && c != "lon"
	}
	for _, c := range csvfmt.DepositStatusColumns {
		allowed[c] = true // an export's statuses: accepted, not read
	}
	var out []*nadra.Deposit
	seen := map[string]int{}
	for i, raw := range fc.Features {
		var f struct {
			Type       string          `json:"type"`
			Geometry   json.RawMessage `json:"geometry"`
			Properties map[string]any  `json:"properties"`
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber() // numbers as written, for decimal.Parse
		if err := dec.Decode(&f); err != nil || f.Type != "Feature" {
			return nil, ferr(i, "", "not a GeoJSON Feature")
		}
		for k := range f.Properties {
			if !allowed[k] {
				return nil, ferr(i, "properties."+nadra.Truncate(k, 40), "unknown property; expected %s", strings.Join(csvfmt.DepositColumns, ", "))
			}
		}
		d := &nadra.Deposit{}
		var perr error
		str := func(k string) string {
			switch v := f.Properties[k].(type) {
			case nil:
				return ""
			case string:
				return strings.TrimSpace(v)
			default:
				if perr == nil {
					perr = ferr(i, "properties."+k, "expected a string, got %s", jsonKind(v))
				}
				return ""
			}
		}
		list := func(k string, split func(string) []string) []string {
			if v, ok := f.Properties[k].([]any); ok {
				var out []string
				for _, x := range v {
					s, ok := x.(string)
					if !ok {
						if perr == nil {
							perr = ferr(i, "properties."+k, "expected strings in the array")
						}
						return nil
					}
					out = append(out, strings.TrimSpace(s))
				}
				return out
			}
			return split(str(k))
		}
		d.ID, d.Name, d.NameUK, d.Oblast = str("id"), str("name"), str("name_uk"), str("oblast")
		d.Stage, d.CoordsNote, d.Note = nadra.Stage(str("stage")), str("coords_note"), str("note")
		d.Commodities = list("commodities", splitList)
		d.Sources = list("sources", splitSources)
		switch v := f.Properties["precision_km"].(type) {
		case nil:
		case json.Number:
			x, ok := decimal.Parse(string(v))
			if !ok && perr == nil {
				perr = ferr(i, "properties.precision_km", "%s is not a finite decimal number", nadra.Truncate(string(v), 40))
			}
			d.PrecisionKm = &x
		default:
			if perr == nil {
				perr = ferr(i, "properties.precision_km", "expected a number, got %s", jsonKind(v))
			}
		}
		if perr != nil {
			return nil, perr
		}
		if len(f.Geometry) > 0 && string(f.Geometry) != "null" {
			pt, field, problem := parsePoint(f.Geometry)
			if problem != "" {
				return nil, ferr(i, field, "%s", problem)
			}
			lon, lat := pt[0], pt[1]
			d.Lat, d.Lon = &lat, &lon
		}
		err := d.Validate(commodities)
		if err == nil {
			err = CheckLocation(d)
		}
		if err != nil {
			field, problem, _ := strings.Cut(nadra.ErrorMessage(err), ": ")
			if field == "lat" || field == "lon" || field == "lat/lon" {
				field = "geometry"
			} else {
				field = "properties." + field
			}
			return nil, ferr(i, field, "%s", problem)
		}
		if prev, dup := seen[d.ID]; dup {
			return nil, ferr(i, "properties.id", "%q already appears in feature %d; ids must be unique in a file", d.ID, prev)
		}
		seen[d.ID] = i
		out = append(out, d)
	}
	return out, nil
}

// parsePoint reads a deposit's GeoJSON geometry: a Point whose
// coordinates are [lon, lat] or [lon, lat, altitude] (the altitude is
// ignored), each a finite decimal number. Otherwise it returns the field
// and the problem.
func parsePoint(raw json.RawMessage) (orb.Point, string, string) {
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return orb.Point{}, "geometry", "not a GeoJSON geometry; expected {\"type\": \"Point\", \"coordinates\": [lon, lat]} or null"
	}
	if g.Type != "Point" {
		return orb.Point{}, "geometry.type", fmt.Sprintf("%q; expected a Point or a null geometry", nadra.Truncate(g.Type, 40))
	}
	var nums []json.RawMessage
	if len(g.Coordinates) == 0 || string(g.Coordinates) == "null" {
		return orb.Point{}, "geometry.coordinates", "missing; expected [lon, lat]"
	}
	if err := json.Unmarshal(g.Coordinates, &nums); err != nil {
		return orb.Point{}, "geometry.coordinates", fmt.Sprintf("%s is not a position; expected [lon, lat]", nadra.Truncate(string(g.Coordinates), 40))
	}
	if len(nums) != 2 && len(nums) != 3 {
		n := fmt.Sprintf("%d numbers", len(nums))
		if len(nums) == 1 {
			n = "1 number"
		}
		return orb.Point{}, "geometry.coordinates", fmt.Sprintf("%s has %s; expected [lon, lat] or [lon, lat, altitude]",
			nadra.Truncate(string(g.Coordinates), 40), n)
	}
	var pt orb.Point
	for j, n := range nums {
		v, ok := decimal.Parse(string(n))
		if !ok {
			return orb.Point{}, "geometry.coordinates", fmt.Sprintf("%s: %s is not a finite number",
				[]string{"lon", "lat", "altitude"}[j], nadra.Truncate(string(n), 40))
		}
		if j < 2 {
			pt[j] = v
		}
	}
	return pt, "", ""
}

// jsonKind names the kind of a decoded JSON value, for error messages.
func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "true or false"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "null"
}
