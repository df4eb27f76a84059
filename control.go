package nadra

import "context"

// SnapshotCheck judges a snapshot about to be stored, as stored (with its
// areas), against the stored snapshots just before and just after its
// date (nil when there is none). An error refuses the import.
type SnapshotCheck func(s SnapshotInfo, prev, next *SnapshotInfo) error

// ControlFileService records the control files imported, so that a
// directory or a DeepState fetch skips what it has seen. Implemented by
// sqlite and postgres.
type ControlFileService interface {
	// ControlFileSeen reports whether a control file with this content
	// hash, or (if source is not "") from this source URL, was imported
	// before.
	ControlFileSeen(ctx context.Context, sha, source string) (bool, error)
	// ImportControlFile imports one control file's snapshot and records
	// the file, in one transaction. When the snapshot is added or
	// changed, check (if not nil) runs inside that transaction, against
	// the neighbours the snapshot lands between; its error refuses the
	// import and changes nothing.
	ImportControlFile(ctx context.Context, imp Import, source string, sn *Snapshot, check SnapshotCheck) (ImportResult, error)
}
