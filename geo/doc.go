// Package geo holds nadra's geometry: the equal-area projection used for
// areas, geodesic distances, prepared regions for point-in-polygon tests,
// overlay operations, simplification, control snapshots and the
// classification of deposits behind the front line.
//
// Coordinates are orb.Point values, [lon, lat] in WGS84 degrees. The
// package does no I/O.
package geo
