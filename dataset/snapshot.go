package dataset

import (
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"time"

	"nadra"
	"nadra/deepstate"
	"nadra/geo"

	"github.com/paulmach/orb"
)

// SnapshotFormat says how to read a control file.
type SnapshotFormat struct {
	// Date overrides the date; otherwise the file's top-level "date"
	// member, then a YYYY-MM-DD or YYYYMMDD date in the file name.
	Date string
	// StatusField and Map classify features of any FeatureCollection:
	// property value → geo.AreaOccupied, geo.AreaPre2022, geo.AreaGrey or
	// "" (ignore). With no StatusField, nadra's own format (property
	// "status") is assumed, and DeepState raw layers (property "fill") are
	// recognised.
	StatusField string
	Map         map[string]string
	// OccupiedUnion marks a file whose polygons are all one occupied area,
	// such as the derived DeepState occupied-only layer.
	OccupiedUnion bool
}

var nameDate = regexp.MustCompile(`(\d{4})-?(\d{2})-?(\d{2})`)

// ParseSnapshot reads one control file: nadra's own snapshot GeoJSON, a
// DeepState raw layer, or a FeatureCollection with a status property. It
// classifies, clips to the outline and makes the layers disjoint; a file
// with no area left inside the outline is refused. today bounds the date:
// a snapshot from the future is refused.
//
// A file with only an occupied union (OccupiedUnion) needs refPre2022 to
// split off the areas occupied before 2022; grey is then unknown.
func ParseSnapshot(file string, r io.Reader, f SnapshotFormat, outline, refPre2022 orb.MultiPolygon, today time.Time) (*nadra.Snapshot, error) {
	data, err := readAll(file, r)
	if err != nil {
		return nil, err
	}
	fc, err := geo.DecodeFeatureCollection(data)
	if err != nil {
		return nil, featureErr(file, err)
	}
	date := f.Date
	if date == "" {
		date = fc.Date
	}
	if date == "" {
		if m := nameDate.FindStringSubmatch(filepath.Base(file)); m != nil {
			date = m[1] + "-" + m[2] + "-" + m[3]
		}
	}
	if date == "" {
		return nil, &nadra.InputError{File: file, Feature: -1, Field: "date",
			Problem: "missing; give --date, a top-level \"date\" member, or a YYYY-MM-DD date in the file name"}
	}
	t, err := nadra.ParseDate(date)
	if err != nil {
		return nil, &nadra.InputError{File: file, Feature: -1, Field: "date", Problem: fmt.Sprintf("%q is not a date: %s", date, nadra.DateProblem(date))}
	}
	if t.After(today) {
		return nil, &nadra.InputError{File: file, Feature: -1, Field: "date", Problem: fmt.Sprintf("%s is in the future", date)}
	}
	if t.Before(time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)) {
		return nil, &nadra.InputError{File: file, Feature: -1, Field: "date", Problem: fmt.Sprintf("%s is before 2014", date)}
	}

	var layers geo.Layers
	switch {
	case f.OccupiedUnion:
		var union orb.MultiPolygon
		for _, ft := range fc.Features {
			union = append(union, ft.Polygons...)
		}
		if len(union) == 0 {
			return nil, &nadra.InputError{File: file, Feature: -1, Field: "features", Problem: "no polygons"}
		}
		if len(refPre2022) == 0 {
			return nil, &nadra.InputError{File: file, Feature: -1, Problem: "an occupied-only layer needs an earlier full snapshot to split off the areas occupied before 2022"}
		}
		layers, err = geo.SplitPre2022(union, refPre2022, outline)
		if err != nil {
			return nil, &nadra.InputError{File: file, Feature: -1, Field: "geometry", Problem: err.Error()}
		}
		if len(layers.Occupied)+len(layers.Pre2022) == 0 {
			return nil, outsideErr(file)
		}
		return &nadra.Snapshot{Date: date, Source: sourceOf(fc, file), Occupied: layers.Occupied, Pre2022: layers.Pre2022}, nil
	case f.StatusField != "":
		layers, err = geo.ClassifyFeatures(fc, f.StatusField, f.Map, false)
	case hasProperty(fc, "fill"):
		layers = deepstate.Classify(fc)
	default:
		layers, err = geo.ClassifyFeatures(fc, "status", map[string]string{
			geo.AreaOccupied: geo.AreaOccupied, geo.AreaPre2022: geo.AreaPre2022, geo.AreaGrey: geo.AreaGrey}, false)
		if err == nil && fc.GreyKnown != nil {
			layers.GreyKnown = *fc.GreyKnown
		}
	}
	if err != nil {
		return nil, featureErr(file, err)
	}
	if len(layers.Occupied)+len(layers.Pre2022)+len(layers.Grey) == 0 {
		return nil, &nadra.InputError{File: file, Feature: -1, Field: "features", Problem: "no control areas (occupied, occupied_pre2022 or grey) found"}
	}
	norm, err := geo.Normalize(layers, outline)
	if err != nil {
		return nil, &nadra.InputError{File: file, Feature: -1, Field: "geometry", Problem: err.Error()}
	}
	// Checked again after clipping: a file whose areas all lie abroad
	// (lat and lon swapped, another country) must not empty a snapshot.
	if len(norm.Occupied)+len(norm.Pre2022)+len(norm.Grey) == 0 {
		return nil, outsideErr(file)
	}
	return &nadra.Snapshot{Date: date, Source: sourceOf(fc, file), GreyKnown: norm.GreyKnown,
		Occupied: norm.Occupied, Pre2022: norm.Pre2022, Grey: norm.Grey}, nil
}

func outsideErr(file string) error {
	return &nadra.InputError{File: file, Feature: -1, Field: "geometry",
		Problem: "all areas lie outside Ukraine's outline once clipped, so the snapshot would be empty; are lat and lon swapped? (GeoJSON positions are [longitude, latitude])"}
}

func sourceOf(fc *geo.FeatureCollection, file string) string {
	if fc.Source != "" {
		return fc.Source
	}
	return "file " + filepath.Base(file)
}

func hasProperty(fc *geo.FeatureCollection, k string) bool {
	for _, f := range fc.Features {
		if _, ok := f.Properties[k]; ok && len(f.Polygons) > 0 {
			return true
		}
	}
	return false
}

func featureErr(file string, err error) error {
	if fe, ok := err.(*geo.FeatureError); ok {
		return &nadra.InputError{File: file, Feature: fe.Feature, Field: fe.Field, Problem: fe.Problem}
	}
	return &nadra.InputError{File: file, Feature: -1, Problem: err.Error()}
}
