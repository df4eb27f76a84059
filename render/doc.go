// Package render draws nadra's maps and charts as SVG: no tile server,
// no script library, nothing fetched from elsewhere, so a page or a
// downloaded file works offline. Maps use geo.Ukraine, the Lambert
// azimuthal equal-area projection centred on Ukraine, so areas on the map
// compare truly; one SVG user unit is one kilometre.
package render
