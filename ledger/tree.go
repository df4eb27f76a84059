package ledger

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// Hashes is an in-memory tlog hash store: the stored hashes of a tree
// built by appending records, as tlog.StoredHashes lays them out. It is
// what offline verification builds from an export, and what storage
// keeps in a table.
type Hashes struct {
	h []tlog.Hash // by stored hash index
	n int64       // records appended
}

// ReadHashes implements tlog.HashReader.
func (s *Hashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(s.h)) {
			return nil, fmt.Errorf("ledger: hash %d not stored (%d stored)", x, len(s.h))
		}
		out[i] = s.h[x]
	}
	return out, nil
}

// Append adds a record and returns its leaf hash.
func (s *Hashes) Append(record []byte) (tlog.Hash, error) {
	leaf := tlog.RecordHash(record)
	hs, err := tlog.StoredHashesForRecordHash(s.n, leaf, s)
	if err != nil {
		return leaf, err
	}
	s.h = append(s.h, hs...)
	s.n++
	return leaf, nil
}

// Size returns the number of records appended.
func (s *Hashes) Size() int64 { return s.n }

// Root returns the root hash of the tree of the first n records.
func (s *Hashes) Root(n int64) (tlog.Hash, error) { return tlog.TreeHash(n, s) }

// LeafHash returns the leaf hash (RFC 6962: SHA-256 of 0x00 and the
// record) of a record.
func LeafHash(record []byte) tlog.Hash { return tlog.RecordHash(record) }

// Prove returns the inclusion proof of record n in the tree of size t,
// and checks it against the tree's root before returning it.
func Prove(t, n int64, r tlog.HashReader) (tlog.RecordProof, error) {
	return tlog.ProveRecord(t, n, r)
}

// ProveConsistency returns the proof that the tree of size n is a prefix
// of the tree of size t.
func ProveConsistency(t, n int64, r tlog.HashReader) (tlog.TreeProof, error) {
	return tlog.ProveTree(t, n, r)
}
