//go:build !nosnapshots

package dataset

import "embed"

// SnapshotsEmbedded reports whether this build carries the control
// snapshots. Built with -tags nosnapshots, it does not.
const SnapshotsEmbedded = true

//go:embed snapshots/*.geojson
var snapshotFiles embed.FS
