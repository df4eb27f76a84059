package ledger_test

import (
	"bytes"
	"testing"

	"nadra/ledger"
)

// BenchmarkVerify100k verifies an export of 100,000 entries.
func BenchmarkVerify100k(b *testing.B) {
	f := newFixture(b)
	f.post(b, 100000)
	f.checkpoint(b, f.us, f.ua)
	keys, entries, cps := f.export(b)
	b.SetBytes(int64(len(entries)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := ledger.Verify(ledger.Export{Keys: bytes.NewReader(keys), Entries: bytes.NewReader(entries), Checkpoints: bytes.NewReader(cps)}, ledger.DefaultPolicy); err != nil {
			b.Fatal(err)
		}
	}
}
