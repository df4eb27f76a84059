package ledger

import (
	"fmt"
	"io"
	"strings"

	"nadra"

	"golang.org/x/mod/sumdb/tlog"
)

// Report is what a verification found.
type Report struct {
	Entries     int64             `json:"entries"`
	Audit       int64             `json:"audit_records"` // leaves that are audit records, not entries
	Checkpoints int               `json:"checkpoints"`
	Latest      *Checkpoint       `json:"-"`
	LatestSize  int64             `json:"latest_size"`
	LatestRoot  string            `json:"latest_root"`
	Signers     []string          `json:"latest_signers"`
	Unsigned    int64             `json:"entries_after_latest_checkpoint"`
	Keys        []nadra.LedgerKey `json:"keys"`
}

// Export is an export's three parts, as readers.
type Export struct {
	Keys, Entries, Checkpoints io.Reader
}

// Verify checks an export and needs nothing else: every entry's signature
// by its party's key, that indexes run 0, 1, 2 … without a gap, that ids
// are unique and corrections name earlier entries of the same party; then
// every checkpoint's signatures (the log's, and every party's under the
// policy), that no two checkpoints of one size differ (a fork), that each
// checkpoint's root is the root of the entries it covers, and that each
// extends the one before (a consistency proof). It returns the first
// problem, naming the entry or checkpoint and what is wrong.
func Verify(x Export, p Policy) (*Report, error) {
	keys, err := ReadKeys(x.Keys)
	if err != nil {
		return nil, err
	}
	k, err := NewKeyring(keys)
	if err != nil {
		return nil, err
	}
	hashes, audit, err := verifyEntries(x.Entries, k)
	if err != nil {
		return nil, err
	}
	notes, err := ReadCheckpoints(x.Checkpoints)
	if err != nil {
		return nil, err
	}
	logKey, ok := k.Log()
	if !ok && len(notes) > 0 {
		return nil, nadra.Errorf(nadra.EINVALID, "%s: no log key, so the checkpoints cannot be checked", KeysFile)
	}
	rep := &Report{Entries: hashes.Size() - audit, Audit: audit, Checkpoints: len(notes), Keys: keys}
	var prev *Checkpoint
	roots := map[int64]int{} // size → checkpoint number (1-based) first seen
	var cps []*Checkpoint
	for i, msg := range notes {
		num := i + 1
		c, err := k.OpenCheckpoint(msg)
		if err != nil {
			return nil, nadra.Errorf(nadra.EINVALID, "checkpoint %d: %s", num, nadra.ErrorMessage(err))
		}
		cps = append(cps, c)
		if c.Origin != logKey.Name {
			return nil, nadra.Errorf(nadra.EINVALID, "checkpoint %d: origin %s, but the log is %s", num, c.Origin, logKey.Name)
		}
		if m := p.Missing(c); len(m) > 0 {
			return nil, nadra.Errorf(nadra.EINVALID, "checkpoint %d (size %d): signed by %s only; the policy needs the log and %s", num, c.Size, strings.Join(c.Signers, ", "), strings.Join(p.Parties, " and "))
		}
		if j, ok := roots[c.Size]; ok && cps[j-1].Root != c.Root {
			return nil, nadra.Errorf(nadra.EINVALID, "fork: checkpoints %d and %d both have size %d but different roots (%s, %s)", j, num, c.Size, cps[j-1].Root, c.Root)
		} else if !ok {
			roots[c.Size] = num
		}
		if c.Size > hashes.Size() {
			return nil, nadra.Errorf(nadra.EINVALID, "checkpoint %d covers %d entries, but the export has %d: the log was truncated (entries %d to %d are missing)", num, c.Size, hashes.Size(), hashes.Size(), c.Size-1)
		}
		root, err := hashes.Root(c.Size)
		if err != nil {
			return nil, err
		}
		if root != c.Root {
			from := int64(0)
			if prev != nil {
				from = prev.Size
			}
			return nil, nadra.Errorf(nadra.EINVALID, "checkpoint %d (size %d): its root %s is not the root of the entries (%s): an entry among %d to %d was changed, removed, inserted or reordered since it was signed", num, c.Size, c.Root, root, from, c.Size-1)
		}
		if prev != nil {
			if err := CheckConsistency(prev, c, hashes); err != nil {
				return nil, nadra.Errorf(nadra.EINVALID, "checkpoint %d: %s", num, nadra.ErrorMessage(err))
			}
		}
		prev = c
	}
	if prev != nil {
		rep.Latest, rep.LatestSize, rep.LatestRoot, rep.Signers = prev, prev.Size, prev.Root.String(), prev.Signers
		rep.Unsigned = hashes.Size() - prev.Size
	} else {
		rep.Unsigned = hashes.Size()
	}
	return rep, nil
}

// verifyBatch is how many entries are read before their signatures are
// checked, in parallel and in batches.
const verifyBatch = 8192

// checked is a batch of records whose signatures and entries were checked.
type checked struct {
	first   int64 // the index of notes[0]
	notes   [][]byte
	entries []*nadra.Entry
	audit   []bool // audit records, checked against the log's key
	bad     int    // the position of the first bad record, or len(notes)
	err     error  // the first problem in the batch, or in reading after it
}

// verifyEntries reads the entries file, checks each entry, and builds the
// tree. One goroutine reads batches and checks their signatures on every
// core; this one, meanwhile, checks ids and corrections and adds the
// previous batch to the tree. The first problem by index is reported.
//
// A leaf is an entry or an audit record (see IsAudit); an audit record is
// checked against the log's key and its stated index, and counted apart.
func verifyEntries(r io.Reader, k *Keyring) (*Hashes, int64, error) {
	rr, err := NewRecordReader(r)
	if err != nil {
		return nil, 0, err
	}
	out := make(chan checked, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(out)
		next := int64(0)
		send := func(c checked) bool {
			select {
			case out <- c:
				return true
			case <-stop:
				return false
			}
		}
		check := func(notes [][]byte) checked {
			c := checked{first: next, notes: notes, bad: len(notes)}
			entries, _, errs := k.OpenEntries(notes)
			c.audit = make([]bool, len(notes))
			for j, n := range notes {
				if IsAudit(n) {
					c.audit[j] = true
					if _, err := k.OpenAudit(n, next+int64(j)); err != nil {
						errs[j] = err
					} else {
						errs[j] = nil
					}
				}
			}
			for j, err := range errs {
				if err != nil {
					c.err = nadra.Errorf(nadra.EINVALID, "entry %d: %s", next+int64(j), nadra.ErrorMessage(err))
					c.bad = j
					break
				}
			}
			c.entries = entries
			next += int64(len(notes))
			return c
		}
		var batch [][]byte
		for {
			i, note, err := rr.Next()
			if err == io.EOF {
				break
			}
			want := next + int64(len(batch))
			if err == nil && i != want {
				switch {
				case i > want:
					err = nadra.Errorf(nadra.EINVALID, "%s: entries %d to %d are missing: the export jumps from entry %d to entry %d", EntriesFile, want, i-1, want-1, i)
				default:
					err = nadra.Errorf(nadra.EINVALID, "%s: entry %d appears after entry %d: entries reordered or repeated", EntriesFile, i, want-1)
				}
			}
			if err != nil {
				// Name any bad entry before this point first.
				c := check(batch)
				if c.err == nil {
					c.err = err
				}
				send(c)
				return
			}
			batch = append(batch, note)
			if len(batch) == verifyBatch {
				if !send(check(batch)) {
					return
				}
				batch = nil
			}
		}
		if len(batch) > 0 {
			send(check(batch))
		}
	}()
	hashes := &Hashes{}
	var audit int64
	ids := map[string]int64{}
	party := map[string]string{}
	for c := range out {
		for j, e := range c.entries {
			if j >= c.bad {
				break
			}
			if c.audit[j] {
				audit++
				if _, err := hashes.Append(c.notes[j]); err != nil {
					return nil, 0, err
				}
				continue
			}
			if e == nil {
				break // the batch's error is at or before here
			}
			i := c.first + int64(j)
			if prev, dup := ids[e.ID]; dup {
				return nil, 0, nadra.Errorf(nadra.EINVALID, "entry %d: id %s is already entry %d: a replay", i, e.ID, prev)
			}
			if e.Corrects != "" {
				if _, ok := ids[e.Corrects]; !ok {
					return nil, 0, nadra.Errorf(nadra.EINVALID, "entry %d (%s): corrects %s, which is not an earlier entry", i, e.ID, e.Corrects)
				}
				if party[e.Corrects] != e.Party {
					return nil, 0, nadra.Errorf(nadra.EINVALID, "entry %d (%s): corrects %s, which is %s's entry; a party corrects its own", i, e.ID, e.Corrects, party[e.Corrects])
				}
			}
			ids[e.ID] = i
			party[e.ID] = e.Party
			if _, err := hashes.Append(c.notes[j]); err != nil {
				return nil, 0, err
			}
		}
		if c.err != nil {
			return nil, 0, c.err
		}
	}
	return hashes, audit, nil
}

// String describes a report in a sentence or two.
func (r *Report) String() string {
	what := fmt.Sprintf("%d entries", r.Entries)
	if r.Audit > 0 {
		what += fmt.Sprintf(" and %d audit records", r.Audit)
	}
	if r.Latest == nil {
		return what + " verify; no checkpoint"
	}
	leaves := "entries"
	if r.Audit > 0 {
		leaves = "leaves (entries and audit records)"
	}
	s := fmt.Sprintf("%s and %d checkpoints verify. The latest checkpoint covers %d %s (root %s), signed by %s.",
		what, r.Checkpoints, r.LatestSize, leaves, r.LatestRoot, strings.Join(r.Signers, ", "))
	if r.Unsigned > 0 {
		s += fmt.Sprintf(" %d entries after it are not yet in a checkpoint.", r.Unsigned)
	}
	return s
}

var _ tlog.HashReader = (*Hashes)(nil)
