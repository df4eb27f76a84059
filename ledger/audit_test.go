package ledger_test

import (
	"bytes"
	"strings"
	"testing"

	"nadra"
	"nadra/ledger"
)

// audit signs an audit record with the log's key and appends it as the
// next leaf.
func (f *fixture) audit(t testing.TB, who string) []byte {
	t.Helper()
	r := &nadra.AuditRecord{Index: int64(len(f.notes)), At: "2026-12-04T22:00:00Z", Who: who, Route: "nadra import deposits",
		Files:   []nadra.AuditFile{{Name: "deposits.csv", SHA256: strings.Repeat("ab", 32)}},
		Changes: []nadra.AuditChange{{Table: "deposits", RowsBefore: 91, RowsAfter: 92, Before: strings.Repeat("01", 32), After: strings.Repeat("02", 32)}}}
	msg, err := ledger.SignAudit(f.logKey, r)
	if err != nil {
		t.Fatal(err)
	}
	f.notes = append(f.notes, msg)
	if _, err := f.hashes.Append(msg); err != nil {
		t.Fatal(err)
	}
	return msg
}

func TestAudit_OpenAndVerify(t *testing.T) {
	f := newFixture(t)
	f.post(t, 3)
	msg := f.audit(t, "cli:alice") // leaf 3
	f.post(t, 2)
	f.audit(t, "bob") // leaf 6
	f.checkpoint(t, f.us, f.ua)
	keys, entries, cps := f.export(t)

	r, err := f.ring.OpenAudit(msg, 3)
	if err != nil || r.Who != "cli:alice" || r.Changes[0].RowsAfter != 92 {
		t.Fatalf("got %+v, %v; want alice's record", r, err)
	}
	if !ledger.IsAudit(msg) || ledger.IsAudit(f.notes[0]) {
		t.Fatalf("IsAudit: got %v for a record, %v for an entry; want true, false", ledger.IsAudit(msg), ledger.IsAudit(f.notes[0]))
	}
	// Entries are not audit records, and audit records are not entries.
	if _, _, err := f.ring.OpenEntry(msg); err == nil {
		t.Fatalf("OpenEntry accepted an audit record")
	}
	if _, err := f.ring.OpenAudit(f.notes[0], 0); err == nil {
		t.Fatalf("OpenAudit accepted an entry")
	}
	rep, err := verify(keys, entries, cps)
	if err != nil {
		t.Fatal(err)
	}
	// 5 entries, 2 audit records: 7 leaves, all in the checkpoint.
	if rep.Entries != 5 || rep.Audit != 2 || rep.LatestSize != 7 || rep.Unsigned != 0 {
		t.Fatalf("got %+v; want 5 entries, 2 audit records, checkpoint of 7", rep)
	}

	// An audit record signed by a party's key instead of the log's.
	forged, err := ledger.SignAudit(f.us, &nadra.AuditRecord{Index: 3, Who: "mallory"})
	if err != nil {
		t.Fatal(err)
	}
	// The same record re-signed by the log's key with another user: the
	// signature verifies, the tree does not.
	var r2 nadra.AuditRecord = *r
	r2.Who = "mallory"
	resigned, err := ledger.SignAudit(f.logKey, &r2)
	if err != nil {
		t.Fatal(err)
	}
	moved, err := ledger.SignAudit(f.logKey, &nadra.AuditRecord{Index: 4, Who: "cli:alice"})
	if err != nil {
		t.Fatal(err)
	}
	replace := func(with []byte) []byte {
		notes := append([][]byte{}, f.notes...)
		notes[3] = with
		var b bytes.Buffer
		w := ledger.NewRecordWriter(&b)
		for _, n := range notes {
			w.Write(n)
		}
		w.Flush()
		return b.Bytes()
	}
	tests := []struct {
		name    string
		entries []byte
		want    string
	}{
		{"ByteInRecord", bytes.Replace(entries, []byte("cli:alice"), []byte("cli:alicf"), 1), "entry 3: signature: the signature by nadra.test/urif does not verify"},
		{"SignedByAParty", replace(forged), "entry 3: signature: no registered key signed this audit record"},
		{"ResignedByTheLog", replace(resigned), "checkpoint 1 (size 7): its root"},
		{"WrongIndex", replace(moved), "entry 3: audit record: it says it is leaf 4, but it is leaf 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := verify(keys, tt.entries, cps)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
