package export

import (
	"strings"

	"nadra"
	"nadra/internal/csvfmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// depositFeatures returns deposits as GeoJSON features with the CSV
// columns as properties (lists joined as in the CSV, which QGIS shows as
// text). Deposits without a location get a null geometry. extra, if not
// nil, adds properties per deposit.
func depositFeatures(deposits []*nadra.Deposit, extra func(*nadra.Deposit) map[string]any) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, d := range deposits {
		var f *geojson.Feature
		if d.HasLocation() {
			f = geojson.NewFeature(orb.Point{*d.Lon, *d.Lat})
		} else {
			f = &geojson.Feature{Type: "Feature", Properties: geojson.Properties{}}
		}
		f.Properties["id"] = d.ID
		f.Properties["name"] = d.Name
		f.Properties["name_uk"] = d.NameUK
		f.Properties["oblast"] = d.Oblast
		f.Properties["precision_km"] = d.PrecisionKm
		f.Properties["commodities"] = strings.Join(d.Commodities, ";")
		f.Properties["stage"] = string(d.Stage)
		f.Properties["coords_note"] = d.CoordsNote
		f.Properties["note"] = d.Note
		f.Properties["sources"] = strings.Join(d.Sources, csvfmt.SourceSep)
		if extra != nil {
			for k, v := range extra(d) {
				f.Properties[k] = v
			}
		}
		fc.Append(f)
	}
	return fc
}

// estimateFeatures returns estimates as GeoJSON features at their
// deposit's point, with the CSV columns as properties plus the deposit's
// name and the contained quantity nadra derives (null when it cannot).
func estimateFeatures(ests []*nadra.Estimate, deposits []*nadra.Deposit) *geojson.FeatureCollection {
	byID := map[string]*nadra.Deposit{}
	for _, d := range deposits {
		byID[d.ID] = d
	}
	fc := geojson.NewFeatureCollection()
	for _, e := range ests {
		f := &geojson.Feature{Type: "Feature", Properties: geojson.Properties{}}
		d := byID[e.DepositID]
		if d != nil && d.HasLocation() {
			f = geojson.NewFeature(orb.Point{*d.Lon, *d.Lat})
		}
		p := f.Properties
		p["deposit_id"], p["commodity"], p["ore_mt"], p["grade"] = e.DepositID, e.Commodity, e.OreMt, e.Grade
		p["grade_unit"], p["contained_t"], p["basis"], p["category"] = string(e.GradeUnit), e.ContainedT, e.Basis, e.Category
		p["year"], p["note"], p["source"] = e.Year, e.Note, strings.Join(e.Source, csvfmt.SourceSep)
		if d != nil {
			p["deposit_name"] = d.Name
		}
		if q, ok := e.Contained(); ok {
			p["derived_contained_t"] = q
		} else {
			p["derived_contained_t"] = nil
		}
		fc.Append(f)
	}
	return fc
}
