package deepstate

import (
	"strings"

	"nadra/geo"
)

// Fill classifies a DeepState raw-layer polygon by its `fill` colour,
// which is stable over the whole series (names are not). It returns a
// geo area status (geo.AreaOccupied, geo.AreaPre2022, geo.AreaGrey), or
// "" for fills that are not control areas: liberated-area annotations and
// occupied areas in other countries.
// Source: shared/data/geo/SOURCES.md, "DeepState raw format".
func Fill(fill string) string {
	switch strings.ToLower(fill) {
	case "#a52714":
		return geo.AreaOccupied
	case "#880e4f", "#000000":
		return geo.AreaPre2022
	case "#bcaaa4", "#bdbdbd":
		return geo.AreaGrey
	}
	return "" // #0f9d58, #0288d1, #01579b liberated; #ff5252 other countries
}

// Classify sorts a DeepState raw layer into control layers by fill. The
// raw layer always carries the grey zone, so GreyKnown is true.
func Classify(fc *geo.FeatureCollection) geo.Layers {
	l := geo.Layers{GreyKnown: true}
	for _, f := range fc.Features {
		fill, _ := f.Properties["fill"].(string)
		switch Fill(fill) {
		case geo.AreaOccupied:
			l.Occupied = append(l.Occupied, f.Polygons...)
		case geo.AreaPre2022:
			l.Pre2022 = append(l.Pre2022, f.Polygons...)
		case geo.AreaGrey:
			l.Grey = append(l.Grey, f.Polygons...)
		}
	}
	return l
}
