package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"nadra"
	"nadra/ledger"
)

// auditWrite is a write being recorded: its route, the tables it may
// change, the files it read and the tables' hashes before it.
type auditWrite struct {
	route  string
	tables []string
	files  []nadra.AuditFile
	before []nadra.TableHash
}

// cliWrite returns the write a command line makes, or nil for a command
// that only reads.
func cliWrite(args []string) *auditWrite {
	if len(args) < 2 {
		return nil
	}
	w := args[0] + " " + args[1]
	t, ok := nadra.WriteTables[w]
	if !ok {
		return nil
	}
	return &auditWrite{route: "nadra " + w, tables: t}
}

// noteFile adds a file the write read to its record.
func (m *Main) noteFile(name, sha string) {
	if m.audit != nil {
		m.audit.files = append(m.audit.files, nadra.AuditFile{Name: name, SHA256: sha})
	}
}

// noteData adds a file the write read, by its bytes.
func (m *Main) noteData(name string, data []byte) {
	sum := sha256.Sum256(data)
	m.noteFile(name, hex.EncodeToString(sum[:]))
}

// beforeWrite takes the content hashes of the tables the command's write
// may change, once the store is open and seeded.
func (m *Main) beforeWrite(ctx context.Context) error {
	w := m.audit
	if w == nil || w.before != nil || m.Audit == nil {
		return nil
	}
	if strings.HasPrefix(w.route, "nadra watch ") && m.Watches == nil {
		m.audit = nil // the command says the store has no watches
		return nil
	}
	if slices.Contains(w.tables, "ledger_keys") {
		// The record's own signing would add the log's key after the
		// write: add it first. Other writes leave the database untouched
		// until they write (an interrupted import changes nothing).
		if err := m.Audit.EnsureLogKey(ctx, ""); err != nil {
			return err
		}
	}
	hs, err := m.Audit.TableHashes(ctx, w.tables)
	if err != nil {
		return err
	}
	w.before = hs
	return nil
}

// recordWrite appends the audit record of the command's write, after it
// succeeded.
func (m *Main) recordWrite(ctx context.Context) error {
	w := m.audit
	m.audit = nil
	if w == nil || w.before == nil {
		return nil
	}
	_, err := m.appendAudit(ctx, m.cliUser(), w)
	return err
}

// appendAudit takes the tables' hashes after a write and appends its
// record.
func (m *Main) appendAudit(ctx context.Context, who string, w *auditWrite) (nadra.AuditRecord, error) {
	after, err := m.Audit.TableHashes(ctx, w.tables)
	if err != nil {
		return nadra.AuditRecord{}, err
	}
	r := nadra.AuditRecord{Who: who, Route: w.route, Files: w.files}
	for i, b := range w.before {
		a := after[i]
		r.Changes = append(r.Changes, nadra.AuditChange{Table: b.Table, RowsBefore: b.Rows, RowsAfter: a.Rows, Before: b.Hash, After: a.Hash})
	}
	r, err = m.Audit.AppendAudit(ctx, "", r)
	if err != nil {
		return r, fmt.Errorf("the write succeeded, but its audit record could not be appended: %w", err)
	}
	return r, nil
}

const auditUsage = `Usage: nadra audit [--json]
       nadra audit verify [--json]

Lists the audit trail: every write to the registry (imports, dataset
accept and keep, ledger register, post, checkpoint and cosign, token
create and revoke, watch add and rm, and the same over HTTP), who made it
(the token's user over HTTP, cli:$USER at the command line), when, the
command or route, each file's SHA-256, and the row counts and content
hashes (SHA-256) of the tables it may change, before and after.

Each record is a leaf of the ledger's tree, signed by the log's key, so
the checkpoints the parties co-sign cover it: nadra ledger export writes
the records among the entries, and nadra ledger verify checks them.

verify checks every record's signature, recomputes the tree over every
leaf and compares it with the latest checkpoint, and compares each
table's content hash now with the latest record that names it: a table
changed without a record is named.`

func (m *Main) runAudit(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "verify" {
		return m.runAuditVerify(ctx, args[1:])
	}
	fs := m.flags("audit", auditUsage)
	asJSON := fs.Bool("json", false, "write JSON")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("unexpected argument %q\n%s", pos[0], oneLineHelp(fs))
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	recs, err := m.Audit.AuditRecords(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		if recs == nil {
			recs = []nadra.AuditRecord{}
		}
		return writeJSON(m.Stdout, recs)
	}
	if len(recs) == 0 {
		fmt.Fprintln(m.Stdout, "no writes recorded yet")
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LEAF\tAT\tWHO\tROUTE\tCHANGED\tFILES")
	for _, r := range recs {
		var changed, files []string
		for _, c := range r.Changes {
			if c.Before != c.After {
				changed = append(changed, fmt.Sprintf("%s %d→%d rows", c.Table, c.RowsBefore, c.RowsAfter))
			}
		}
		if len(changed) == 0 {
			changed = []string{"nothing"}
		}
		for _, f := range r.Files {
			files = append(files, f.Name+" sha256:"+f.SHA256[:min(12, len(f.SHA256))])
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", r.Index, r.At, r.Who, r.Route, strings.Join(changed, ", "), strings.Join(files, ", "))
	}
	return tw.Flush()
}

// auditReport is what nadra audit verify found.
type auditReport struct {
	Records    int          `json:"records"`
	Leaves     int64        `json:"leaves"`
	Checkpoint int64        `json:"checkpoint_size"` // 0: no checkpoint yet
	Tree       string       `json:"tree"`            // how the tree was checked
	Tables     []auditTable `json:"tables"`
	Problems   []string     `json:"problems"`
}

type auditTable struct {
	Table  string `json:"table"`
	Record int64  `json:"record"` // the leaf of the latest record naming it
	Want   string `json:"want"`
	Got    string `json:"got"`
	OK     bool   `json:"ok"`
}

func (m *Main) runAuditVerify(ctx context.Context, args []string) error {
	fs := m.flags("audit verify", auditUsage)
	asJSON := fs.Bool("json", false, "write JSON")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("unexpected argument %q\n%s", pos[0], oneLineHelp(fs))
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	rep := &auditReport{Tables: []auditTable{}, Problems: []string{}}
	recs, err := m.Audit.AuditRecords(ctx)
	if err != nil {
		rep.Problems = append(rep.Problems, nadra.ErrorMessage(err))
	}
	rep.Records = len(recs)
	if rep.Leaves, err = m.Ledger.Size(ctx); err != nil {
		return err
	}
	// The tree over every leaf against every checkpoint. The log's key
	// is in the database, so a checkpoint signed by it alone proves
	// little against whoever can write there; those co-signed by a party
	// or an auditor are what the tree must match.
	cs, err := m.Ledger.Checkpoints(ctx)
	if err != nil {
		return err
	}
	keys, err := m.Ledger.Keys(ctx)
	if err != nil {
		return err
	}
	ring, err := ledger.NewKeyring(keys)
	if err != nil {
		return err
	}
	h := &ledger.Hashes{}
	err = m.Ledger.Notes(ctx, 0, rep.Leaves, func(i int64, note []byte) error {
		if ledger.IsAudit(note) {
			if _, err := ring.OpenAudit(note, i); err != nil {
				return nadra.Errorf(nadra.EINVALID, "leaf %d: %s", i, nadra.ErrorMessage(err))
			}
		} else if _, _, err := ring.OpenEntry(note); err != nil {
			return nadra.Errorf(nadra.EINVALID, "leaf %d: %s", i, nadra.ErrorMessage(err))
		}
		_, err := h.Append(note)
		return err
	})
	if err != nil {
		rep.Problems = append(rep.Problems, "the tree: "+nadra.ErrorMessage(err))
	}
	cosigned := 0
	for _, lc := range cs {
		c, err := ring.OpenCheckpoint(lc.Note)
		if err != nil {
			rep.Problems = append(rep.Problems, fmt.Sprintf("the tree: checkpoint %d does not verify: %s", lc.ID, nadra.ErrorMessage(err)))
			continue
		}
		rep.Checkpoint = c.Size
		if len(c.Signers) > 1 {
			cosigned++
		}
		if c.Size > h.Size() {
			rep.Problems = append(rep.Problems, fmt.Sprintf("the tree: checkpoint %d covers %d leaves, the log has %d", lc.ID, c.Size, h.Size()))
			continue
		}
		root, err := h.Root(c.Size)
		if err != nil {
			return err
		}
		if root != c.Root {
			rep.Problems = append(rep.Problems, fmt.Sprintf("the tree: the first %d leaves no longer have the root that checkpoint %d (signed by %s) signed: a leaf was changed, removed or inserted since", c.Size, lc.ID, strings.Join(c.Signers, ", ")))
		}
	}
	switch {
	case len(cs) == 0:
		rep.Tree = "no checkpoint yet: run nadra ledger checkpoint, and have the parties co-sign it"
	default:
		rep.Tree = fmt.Sprintf("recomputed over %d leaves and checked against %d checkpoints (%d co-signed)", h.Size(), len(cs), cosigned)
		if rep.Leaves > rep.Checkpoint {
			rep.Tree += fmt.Sprintf("; %d leaves after the latest are not yet in a checkpoint", rep.Leaves-rep.Checkpoint)
		}
	}
	// Each table now against the latest record that names it.
	latest := map[string]int{}
	var order []string
	for i, r := range recs {
		for _, c := range r.Changes {
			if _, ok := latest[c.Table]; !ok {
				order = append(order, c.Table)
			}
			latest[c.Table] = i
		}
	}
	if len(order) > 0 {
		hs, err := m.Audit.TableHashes(ctx, order)
		if err != nil {
			return err
		}
		for i, t := range order {
			r := recs[latest[t]]
			var want string
			for _, c := range r.Changes {
				if c.Table == t {
					want = c.After
				}
			}
			at := auditTable{Table: t, Record: r.Index, Want: want, Got: hs[i].Hash, OK: want == hs[i].Hash}
			rep.Tables = append(rep.Tables, at)
			if !at.OK {
				rep.Problems = append(rep.Problems, fmt.Sprintf("table %s changed without an audit record: its content hash is %s, the latest record naming it (leaf %d, %s by %s at %s) left %s", t, hs[i].Hash, r.Index, r.Route, r.Who, r.At, want))
			}
		}
	}
	if *asJSON {
		if err := writeJSON(m.Stdout, rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(m.Stdout, "%d audit records among %d leaves. Tree: %s\n", rep.Records, rep.Leaves, rep.Tree)
		for _, t := range rep.Tables {
			state := "as recorded"
			if !t.OK {
				state = "CHANGED since"
			}
			fmt.Fprintf(m.Stdout, "  %-20s %s (leaf %d)\n", t.Table, state, t.Record)
		}
	}
	if len(rep.Problems) > 0 {
		return errors.New(strings.Join(rep.Problems, "; "))
	}
	return nil
}
