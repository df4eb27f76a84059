package storetest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"nadra"
	"nadra/ledger"

	"golang.org/x/mod/sumdb/tlog"
)

// keyStream is a deterministic byte stream for test keys.
type keyStream struct{ r *rand.ChaCha8 }

func (s keyStream) Read(p []byte) (int, error) { return s.r.Read(p) }

func testKey(t testing.TB, seed byte, name string) (skey, vkey string) {
	t.Helper()
	var k [32]byte
	k[0] = seed
	skey, vkey, err := ledger.GenerateKey(keyStream{rand.NewChaCha8(k)}, name)
	if err != nil {
		t.Fatal(err)
	}
	return skey, vkey
}

// ledgerFixture is a store with both parties' keys registered.
type ledgerFixture struct {
	db     *Store
	s      nadra.LedgerStore
	us, ua string
}

func newLedger(t *testing.T, open Opener) *ledgerFixture {
	t.Helper()
	db := mustOpen(t, open)
	f := &ledgerFixture{db: db, s: db.Ledger}
	var usPub, uaPub string
	f.us, usPub = testKey(t, 2, nadra.PartyUS)
	f.ua, uaPub = testKey(t, 3, nadra.PartyUA)
	ctx := context.Background()
	for _, k := range []nadra.LedgerKey{{Name: "US", Role: nadra.RoleParty, Key: usPub}, {Name: "UA", Role: nadra.RoleParty, Key: uaPub}} {
		if err := f.s.RegisterKey(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func cashEntry(party, id string, amount nadra.Money) *nadra.Entry {
	e := &nadra.Entry{ID: id, Kind: nadra.KindContributionCash, Date: "2025-10-01", Period: "2025", Party: party,
		From: party, To: nadra.FundName, Amount: amount, Currency: nadra.CurrencyUSD, Docs: []string{"order (2025-10-01)"}}
	e.Postings = e.StandardPostings()
	return e
}

func (f *ledgerFixture) sign(t testing.TB, e *nadra.Entry) []byte {
	t.Helper()
	key := f.us
	if e.Party == nadra.PartyUA {
		key = f.ua
	}
	msg, err := ledger.SignEntry(e, key)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func testLedgerService_Append(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newLedger(t, open)
	a := f.sign(t, cashEntry("US", "us-1", 7_500_000_000))
	b := f.sign(t, cashEntry("UA", "ua-1", 2_900_000_000))
	recs, err := f.s.Append(ctx, [][]byte{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Index != 0 || recs[1].Index != 1 || recs[1].Signer != "UA" {
		t.Fatalf("records %+v", recs)
	}
	size := func() int64 {
		n, err := f.s.Size(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	_, uaPub := testKey(t, 3, "UA")
	strangerKey, _ := testKey(t, 9, "US")
	stranger, _ := ledger.SignEntry(cashEntry("US", "us-2", 1), strangerKey)
	fix := cashEntry("US", "us-1-fix", 7_400_000_000)
	fix.Corrects = "us-1"
	foreignFix := cashEntry("UA", "ua-fix", 1)
	foreignFix.Corrects = "us-1"
	dangling := cashEntry("US", "us-3", 1)
	dangling.Corrects = "nope"
	tests := []struct {
		name  string
		notes [][]byte
		code  string
		want  string
	}{
		{"Replay", [][]byte{f.sign(t, cashEntry("US", "us-9", 5)), a}, nadra.ECONFLICT, "entry 2 (us-1): already in the log as entry 0 (a replay"},
		{"ReusedID", [][]byte{f.sign(t, cashEntry("US", "us-1", 5))}, nadra.ECONFLICT, "already used by entry 0 with other content"},
		{"UnknownKey", [][]byte{stranger}, nadra.EUNAUTHORIZED, "signed by unknown key US"},
		{"BadSignature", [][]byte{bytes.Replace(a, []byte("7500000"), []byte("7500001"), 1)}, nadra.EUNAUTHORIZED, "does not verify"},
		{"TwiceInBatch", [][]byte{f.sign(t, cashEntry("US", "us-5", 5)), f.sign(t, cashEntry("US", "us-5", 5))}, nadra.EINVALID, "the same id as entry 1"},
		{"ForeignCorrection", [][]byte{f.sign(t, foreignFix)}, nadra.EFORBIDDEN, "which is US's entry"},
		{"DanglingCorrection", [][]byte{f.sign(t, dangling)}, nadra.EINVALID, "corrects nope, which is not in the log"},
		{"NotANote", [][]byte{[]byte("hello")}, nadra.EINVALID, "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.s.Append(ctx, tt.notes)
			if nadra.ErrorCode(err) != tt.code || !strings.Contains(nadra.ErrorMessage(err), tt.want) {
				t.Fatalf("error %v (%s), want %s containing %q", err, nadra.ErrorCode(err), tt.code, tt.want)
			}
			if n := size(); n != 2 {
				t.Fatalf("a refused append changed the log: size %d", n)
			}
		})
	}
	_ = uaPub
	if _, err := f.s.Append(ctx, [][]byte{f.sign(t, fix)}); err != nil {
		t.Fatalf("a correction: %v", err)
	}
	if n := size(); n != 3 {
		t.Fatalf("size %d after the correction", n)
	}
}

// TestLedgerService_TreeAndCheckpoints: the stored tree's root equals the
// root computed from the entries in memory, checkpoints cover committed
// entries only, co-signatures verify and merge, and proofs check.
func testLedgerService_TreeAndCheckpoints(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newLedger(t, open)
	mem := &ledger.Hashes{}
	for batch := 0; batch < 5; batch++ {
		var notes [][]byte
		for i := 0; i < 7+batch; i++ {
			party := []string{"US", "UA"}[i%2]
			notes = append(notes, f.sign(t, cashEntry(party, fmt.Sprintf("b%d-%d", batch, i), nadra.Money(100+i))))
		}
		if _, err := f.s.Append(ctx, notes); err != nil {
			t.Fatal(err)
		}
		for _, n := range notes {
			mem.Append(n)
		}
	}
	cp, made, err := f.s.Checkpoint(ctx, "nadra.test/log")
	if err != nil || !made {
		t.Fatalf("checkpoint: %v %v", made, err)
	}
	root, _ := mem.Root(mem.Size())
	if cp.Size != mem.Size() || cp.Root != root.String() {
		t.Fatalf("checkpoint size %d root %s, want %d %s", cp.Size, cp.Root, mem.Size(), root)
	}
	if again, made, err := f.s.Checkpoint(ctx, "nadra.test/log"); err != nil || made || again.ID != cp.ID {
		t.Fatalf("a second checkpoint with no new entries: %v %v", made, err)
	}
	keys, _ := f.s.Keys(ctx)
	ring, err := ledger.NewKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{f.us, f.ua} {
		msg, err := ring.Cosign(cp.Note, k)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.AddCosignature(ctx, msg); err != nil {
			t.Fatal(err)
		}
	}
	cps, err := f.s.Checkpoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cps[0].SignedBy, ","); got != "nadra.test/log,UA,US" {
		t.Fatalf("signed by %s", got)
	}
	if m := ledger.DefaultPolicy.Missing(&ledger.Checkpoint{Signers: cps[0].SignedBy}); len(m) != 0 {
		t.Fatalf("missing %v", m)
	}
	// A co-signature on a checkpoint the log never made is refused.
	forged, _ := ledger.SignCheckpoint(testLogKey(t), cp.Size, tlog.Hash{1})
	if _, err := f.s.AddCosignature(ctx, forged); err == nil {
		t.Errorf("a foreign checkpoint was accepted")
	}
	for n := int64(0); n < cp.Size; n++ {
		p, r, err := f.s.Prove(ctx, n, cp.Size)
		if err != nil {
			t.Fatal(err)
		}
		recs, _ := f.s.Records(ctx, n, n+1)
		if err := tlog.CheckRecord(p, cp.Size, r, n, ledger.LeafHash(recs[0].Note)); err != nil {
			t.Fatalf("proof of %d: %v", n, err)
		}
	}
	tp, newRoot, oldRoot, err := f.s.ProveConsistency(ctx, cp.Size, 7)
	if err != nil {
		t.Fatal(err)
	}
	if err := tlog.CheckTree(tp, cp.Size, newRoot, 7, oldRoot); err != nil {
		t.Fatal(err)
	}
}

func testLogKey(t testing.TB) string {
	k, _ := testKey(t, 1, "nadra.test/log")
	return k
}
