package storetest

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"nadra"
	"nadra/ledger"
)

// emptySHA256 is the SHA-256 of no bytes: the content hash of an empty
// table (FIPS 180-4 test vector).
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// testAudit: audit records are leaves of the ledger's tree between
// entries; entry readers skip them, Notes and the tree include them, an
// export of the store verifies offline, and the rows are append-only.
func testAudit(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newLedger(t, open)
	as, ok := f.s.(nadra.AuditStore)
	if !ok {
		t.Skip("the store keeps no audit trail")
	}
	before, err := as.TableHashes(ctx, []string{"ledger_entries"})
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != 1 || before[0].Rows != 0 || before[0].Hash != emptySHA256 {
		t.Fatalf("got %+v, want ledger_entries empty with hash %s", before, emptySHA256)
	}
	if _, err := as.TableHashes(ctx, []string{"no_such_table"}); nadra.ErrorCode(err) != nadra.EINVALID {
		t.Fatalf("got %v, want EINVALID for a table that does not exist", err)
	}
	if _, err := f.s.Append(ctx, [][]byte{f.sign(t, cashEntry("US", "us-1", 100)), f.sign(t, cashEntry("UA", "ua-1", 50))}); err != nil {
		t.Fatal(err)
	}
	after, err := as.TableHashes(ctx, []string{"ledger_entries"})
	if err != nil {
		t.Fatal(err)
	}
	again, _ := as.TableHashes(ctx, []string{"ledger_entries"})
	if after[0].Rows != 2 || after[0].Hash == emptySHA256 || again[0] != after[0] {
		t.Fatalf("got %+v then %+v, want 2 rows, a hash other than the empty one, the same twice", after, again)
	}
	rec, err := as.AppendAudit(ctx, "nadra.test/log", nadra.AuditRecord{Who: "cli:alice", Route: "nadra ledger post",
		Changes: []nadra.AuditChange{{Table: "ledger_entries", RowsBefore: 0, RowsAfter: 2, Before: before[0].Hash, After: after[0].Hash}}})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Index != 2 || rec.At != Now.Format("2006-01-02T15:04:05Z07:00") {
		t.Fatalf("got index %d at %s, want leaf 2 (after two entries) at %s", rec.Index, rec.At, Now)
	}
	recs, err := f.s.Append(ctx, [][]byte{f.sign(t, cashEntry("US", "us-2", 7))})
	if err != nil {
		t.Fatal(err)
	}
	if recs[0].Index != 3 {
		t.Fatalf("got the next entry at %d, want 3: the audit record is leaf 2", recs[0].Index)
	}
	if n, _ := f.s.Size(ctx); n != 4 {
		t.Fatalf("got size %d, want 4 leaves", n)
	}
	es, err := f.s.Records(ctx, 0, 4)
	if err != nil || len(es) != 3 || es[2].Index != 3 {
		t.Fatalf("got %d records (%v), want the 3 entries, the last at 3", len(es), err)
	}
	page, total, err := f.s.FindRecords(ctx, nadra.LedgerFilter{Offset: 2, Limit: 5})
	if err != nil || total != 3 || len(page) != 1 || page[0].Entry.ID != "us-2" {
		t.Fatalf("got %d of %d (%v), want us-2 alone past the first two entries of 3", len(page), total, err)
	}
	got, err := as.AuditRecords(ctx)
	if err != nil || len(got) != 1 || got[0].Who != "cli:alice" || got[0].Changes[0].After != after[0].Hash {
		t.Fatalf("got %+v, %v; want alice's record", got, err)
	}
	if _, _, err := f.s.Checkpoint(ctx, "nadra.test/log"); err != nil {
		t.Fatal(err)
	}
	// The store's export verifies offline, the record counted apart.
	keys, _ := f.s.Keys(ctx)
	cps, _ := f.s.Checkpoints(ctx)
	var kb, eb, cb bytes.Buffer
	ledger.WriteKeys(&kb, keys)
	w := ledger.NewRecordWriter(&eb)
	if err := f.s.Notes(ctx, 0, 4, func(_ int64, n []byte) error { return w.Write(n) }); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	var notes [][]byte
	for _, c := range cps {
		notes = append(notes, c.Note)
	}
	ledger.WriteCheckpoints(&cb, notes)
	rep, err := ledger.Verify(ledger.Export{Keys: &kb, Entries: &eb, Checkpoints: &cb}, ledger.Policy{})
	if err != nil || rep.Entries != 3 || rep.Audit != 1 || rep.LatestSize != 4 {
		t.Fatalf("got %+v, %v; want 3 entries and 1 audit record under a checkpoint of 4", rep, err)
	}
	if f.db.Exec == nil {
		return
	}
	for _, q := range []string{`UPDATE audit_records SET who = 'mallory'`, `DELETE FROM audit_records`} {
		if err := f.db.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "audit records are never") {
			t.Fatalf("%s: got %v, want it refused", q, err)
		}
	}
}
