package ledger_test

import (
	"bytes"
	"testing"

	"nadra"
	"nadra/ledger"
)

func BenchmarkOpenEntry(b *testing.B) {
	f := newFixture(b)
	msg, err := ledger.SignEntry(entry(nadra.PartyUS, 1), f.us)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := f.ring.OpenEntry(msg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignEntry(b *testing.B) {
	f := newFixture(b)
	e := entry(nadra.PartyUS, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ledger.SignEntry(e, f.us); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify_10k and _100k verify an export of that many entries
// and one checkpoint.
func BenchmarkVerify_10k(b *testing.B)  { benchmarkVerify(b, 10_000) }
func BenchmarkVerify_100k(b *testing.B) { benchmarkVerify(b, 100_000) }

func benchmarkVerify(b *testing.B, n int) {
	f := newFixture(b)
	f.post(b, n)
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
