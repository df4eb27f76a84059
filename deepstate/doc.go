// Package deepstate reads DeepStateMap (https://deepstatemap.live), the
// source of nadra's control snapshots: Client lists the snapshots its
// public history API publishes and fetches each one's raw layer, and
// Classify sorts a raw layer's polygons into control layers by their fill
// colour. Geometry (parsing GeoJSON, normalising layers) stays in geo;
// storing a snapshot is the store's.
package deepstate
