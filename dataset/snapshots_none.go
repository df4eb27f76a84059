//go:build nosnapshots

package dataset

import "embed"

// SnapshotsEmbedded reports whether this build carries the control
// snapshots. This one, built with -tags nosnapshots, does not: it has no
// DeepStateMap data, and control snapshots come only from what the user
// imports (nadra import control, or --deepstate under their own licence).
const SnapshotsEmbedded = false

// snapshotFiles is empty: the restricted snapshots are left out.
var snapshotFiles embed.FS
