package ledger_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"nadra"
	"nadra/ledger"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func noteSigner(skey string) (note.Signer, error) { return note.NewSigner(skey) }

func noteSign(text string, s note.Signer) ([]byte, error) {
	return note.Sign(&note.Note{Text: text}, s)
}

// seeded is a deterministic byte stream for key generation in tests.
type seeded struct{ r *rand.ChaCha8 }

func (s seeded) Read(p []byte) (int, error) { return s.r.Read(p) }

func newSeeded(seed byte) seeded {
	var k [32]byte
	k[0] = seed
	return seeded{rand.NewChaCha8(k)}
}

// fixture is a log with its keys: the log's, the two parties' and an
// auditor's.
type fixture struct {
	logKey, us, ua, auditor string // private keys
	keys                    []nadra.LedgerKey
	ring                    *ledger.Keyring
	notes                   [][]byte
	hashes                  *ledger.Hashes
	checkpoints             [][]byte
}

func mustKey(t testing.TB, seed byte, name, role string, keys *[]nadra.LedgerKey) string {
	t.Helper()
	skey, vkey, err := ledger.GenerateKey(newSeeded(seed), name)
	if err != nil {
		t.Fatal(err)
	}
	*keys = append(*keys, nadra.LedgerKey{Name: name, Role: role, Key: vkey})
	return skey
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{hashes: &ledger.Hashes{}}
	f.logKey = mustKey(t, 1, "nadra.test/urif", nadra.RoleLog, &f.keys)
	f.us = mustKey(t, 2, nadra.PartyUS, nadra.RoleParty, &f.keys)
	f.ua = mustKey(t, 3, nadra.PartyUA, nadra.RoleParty, &f.keys)
	f.auditor = mustKey(t, 4, "auditor", nadra.RoleAuditor, &f.keys)
	ring, err := ledger.NewKeyring(f.keys)
	if err != nil {
		t.Fatal(err)
	}
	f.ring = ring
	return f
}

// entry returns the i-th test entry of a party: a cash contribution.
func entry(party string, i int) *nadra.Entry {
	e := &nadra.Entry{ID: fmt.Sprintf("%s-%d", strings.ToLower(party), i), Kind: nadra.KindContributionCash,
		Date: "2025-10-01", Period: "2025-Q4", Party: party, From: party, To: nadra.FundName,
		Amount: nadra.Money(100_000 + i), Currency: nadra.CurrencyUSD, Docs: []string{"payment order (2025-10-01)"}}
	e.Postings = e.StandardPostings()
	return e
}

// post signs and appends n entries, alternating parties.
func (f *fixture) post(t testing.TB, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		party, key := nadra.PartyUS, f.us
		if len(f.notes)%2 == 1 {
			party, key = nadra.PartyUA, f.ua
		}
		msg, err := ledger.SignEntry(entry(party, len(f.notes)), key)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.ring.OpenEntry(msg); err != nil {
			t.Fatal(err)
		}
		f.notes = append(f.notes, msg)
		if _, err := f.hashes.Append(msg); err != nil {
			t.Fatal(err)
		}
	}
}

// checkpoint signs the current tree with the log and co-signs it with the
// given keys.
func (f *fixture) checkpoint(t testing.TB, cosigners ...string) []byte {
	t.Helper()
	root, err := f.hashes.Root(f.hashes.Size())
	if err != nil {
		t.Fatal(err)
	}
	msg, err := ledger.SignCheckpoint(f.logKey, f.hashes.Size(), root)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range cosigners {
		if msg, err = f.ring.Cosign(msg, k); err != nil {
			t.Fatal(err)
		}
	}
	f.checkpoints = append(f.checkpoints, msg)
	return msg
}

// export writes the fixture as an export's three files.
func (f *fixture) export(t testing.TB) (keys, entries, cps []byte) {
	t.Helper()
	var kb, eb, cb bytes.Buffer
	if err := ledger.WriteKeys(&kb, f.keys); err != nil {
		t.Fatal(err)
	}
	w := ledger.NewRecordWriter(&eb)
	for _, n := range f.notes {
		if err := w.Write(n); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := ledger.WriteCheckpoints(&cb, f.checkpoints); err != nil {
		t.Fatal(err)
	}
	return kb.Bytes(), eb.Bytes(), cb.Bytes()
}

func verify(keys, entries, cps []byte) (*ledger.Report, error) {
	return ledger.Verify(ledger.Export{Keys: bytes.NewReader(keys), Entries: bytes.NewReader(entries), Checkpoints: bytes.NewReader(cps)}, ledger.DefaultPolicy)
}

func TestSignEntry(t *testing.T) {
	f := newFixture(t)
	e := entry(nadra.PartyUS, 1)
	msg, err := ledger.SignEntry(e, f.us)
	if err != nil {
		t.Fatal(err)
	}
	got, signer, err := f.ring.OpenEntry(msg)
	if err != nil || signer != "US" || got.ID != e.ID || got.Amount != e.Amount {
		t.Fatalf("open: %+v %s %v", got, signer, err)
	}
	otherRing := func() *ledger.Keyring {
		var keys []nadra.LedgerKey
		mustKey(t, 9, nadra.PartyUS, nadra.RoleParty, &keys)
		r, _ := ledger.NewKeyring(keys)
		return r
	}()
	tests := []struct {
		name string
		ring *ledger.Keyring
		msg  []byte
		code string // the code tells 401 (no valid signature) from 403 (a registered key that may not sign this) and 400
		want string
	}{
		{"ChangedAmount", f.ring, bytes.Replace(msg, []byte(`"amount":"1000.01"`), []byte(`"amount":"9000.01"`), 1), nadra.EUNAUTHORIZED, "does not verify"},
		{"ChangedSignature", f.ring, flipLastSigByte(msg), nadra.EUNAUTHORIZED, "does not verify"},
		{"UnknownKey", otherRing, msg, nadra.EUNAUTHORIZED, "unknown key US"},
		{"OtherParty", f.ring, resign(t, f.ua, string(ledger.Canonical(e))), nadra.EFORBIDDEN, "entry us-1 is US's, but signed by UA"},
		{"Auditor", f.ring, resign(t, f.auditor, string(ledger.Canonical(e))), nadra.EFORBIDDEN, "signed by auditor, the auditor key"},
		{"LogKey", f.ring, resign(t, f.logKey, string(ledger.Canonical(e))), nadra.EFORBIDDEN, "the log key"},
		{"TwoSignatures", f.ring, func() []byte {
			us, _ := noteSigner(f.us)
			ua, _ := noteSigner(f.ua)
			m, _ := note.Sign(&note.Note{Text: string(ledger.Canonical(e))}, us, ua)
			return m
		}(), nadra.EINVALID, "signed once"},
		{"Malformed", f.ring, []byte("not a note"), nadra.EINVALID, "malformed"},
		{"Unsigned", f.ring, ledger.Canonical(e), nadra.EUNAUTHORIZED, "the entry is not signed"},
		{"NonCanonical", f.ring, resign(t, f.us, strings.Replace(string(ledger.Canonical(e)), `{"id"`, `{ "id"`, 1)), nadra.EINVALID, "canonical"},
		{"UnknownField", f.ring, resign(t, f.us, strings.Replace(string(ledger.Canonical(e)), `{"id"`, `{"extra":1,"id"`, 1)), nadra.EINVALID, "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := tt.ring.OpenEntry(tt.msg)
			if err == nil || nadra.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v (%s), want %s containing %q", err, nadra.ErrorCode(err), tt.code, tt.want)
			}
			// The same in a batch, beside a good entry (when this keyring
			// knows its key).
			_, _, errs := tt.ring.OpenEntries([][]byte{msg, tt.msg})
			if tt.ring == f.ring && errs[0] != nil || nadra.ErrorCode(errs[1]) != tt.code {
				t.Fatalf("OpenEntries: %v, want nil and %s", errs, tt.code)
			}
		})
	}
	// A party cannot sign another's entry.
	if _, err := ledger.SignEntry(entry(nadra.PartyUA, 3), f.us); err == nil || !strings.Contains(err.Error(), "key is US's") {
		t.Errorf("US signing UA's entry: %v", err)
	}
}

// resign signs arbitrary text with a key, as a forger with the key could.
func resign(t *testing.T, skey, text string) []byte {
	t.Helper()
	s, err := noteSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := noteSign(text, s)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func flipLastSigByte(msg []byte) []byte {
	out := append([]byte{}, msg...)
	i := bytes.LastIndex(out, []byte("\n— "))
	j := len(out) - 6 // inside the base64 of the last signature
	if j <= i {
		panic("short note")
	}
	if out[j] == 'A' {
		out[j] = 'B'
	} else {
		out[j] = 'A'
	}
	return out
}

// TestRoot_SecondImplementation: the tree root from tlog equals the root
// that transparency-dev/merkle's compact ranges compute, for every size.
func TestRoot_SecondImplementation(t *testing.T) {
	f := newFixture(t)
	f.post(t, 300)
	rf := compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}
	r := rf.NewEmptyRange(0)
	for n := int64(1); n <= 300; n++ {
		if err := r.Append(rfc6962.DefaultHasher.HashLeaf(f.notes[n-1]), nil); err != nil {
			t.Fatal(err)
		}
		want, err := r.GetRootHash(nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.hashes.Root(n)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[:], want) {
			t.Fatalf("size %d: tlog root %x, merkle root %x", n, got, want)
		}
	}
}

// TestProofs: inclusion proofs for every entry and consistency proofs for
// every pair of sizes check against the roots.
func TestProofs(t *testing.T) {
	f := newFixture(t)
	f.post(t, 70)
	for size := int64(1); size <= 70; size++ {
		root, _ := f.hashes.Root(size)
		for n := int64(0); n < size; n++ {
			p, err := ledger.Prove(size, n, f.hashes)
			if err != nil {
				t.Fatal(err)
			}
			if err := tlog.CheckRecord(p, size, root, n, ledger.LeafHash(f.notes[n])); err != nil {
				t.Fatalf("inclusion of %d in %d: %v", n, size, err)
			}
			if n > 0 {
				old, _ := f.hashes.Root(n)
				tp, err := ledger.ProveConsistency(size, n, f.hashes)
				if err != nil {
					t.Fatal(err)
				}
				if err := tlog.CheckTree(tp, size, root, n, old); err != nil {
					t.Fatalf("consistency %d→%d: %v", n, size, err)
				}
			}
		}
	}
}

// TestVerify_Tampering: every kind of tampering with an export is caught
// and named.
func TestVerify_Tampering(t *testing.T) {
	f := newFixture(t)
	f.post(t, 10)
	f.checkpoint(t, f.us, f.ua)
	f.post(t, 10)
	f.checkpoint(t, f.ua, f.us, f.auditor)
	f.post(t, 3) // not yet in a checkpoint
	keys, entries, cps := f.export(t)

	rep, err := verify(keys, entries, cps)
	if err != nil {
		t.Fatalf("the untouched export: %v", err)
	}
	if rep.Entries != 23 || rep.LatestSize != 20 || rep.Unsigned != 3 || strings.Join(rep.Signers, ",") != "nadra.test/urif,UA,US,auditor" {
		t.Fatalf("report %+v", rep)
	}

	// records splits the entries file into its records, to rebuild it
	// changed.
	records := func() [][]byte { return append([][]byte{}, f.notes...) }
	// rebuild writes records numbered 0, 1, 2 …, as a forger would.
	rebuild := func(notes [][]byte, _ bool) []byte {
		var b bytes.Buffer
		b.WriteString("nadra-ledger-entries v1\n")
		for i, n := range notes {
			fmt.Fprintf(&b, "%d %d\n", i, len(n))
			b.Write(n)
		}
		return b.Bytes()
	}
	withIndexes := func(notes [][]byte, idx []int) []byte {
		var b bytes.Buffer
		b.WriteString("nadra-ledger-entries v1\n")
		for i, n := range notes {
			fmt.Fprintf(&b, "%d %d\n", idx[i], len(n))
			b.Write(n)
		}
		return b.Bytes()
	}
	seq := func(n int, skip int) []int {
		var out []int
		for i := 0; len(out) < n; i++ {
			if i != skip {
				out = append(out, i)
			}
		}
		return out
	}
	changeByte := func(b []byte, at []byte, with []byte) []byte {
		if !bytes.Contains(b, at) {
			t.Fatalf("fixture lacks %q", at)
		}
		return bytes.Replace(append([]byte{}, b...), at, with, 1)
	}
	forkLog := func() []byte { // a checkpoint of size 20 over other entries
		g := newFixture(t)
		g.post(t, 19)
		n, _ := ledger.SignEntry(entry(nadra.PartyUA, 999), g.ua)
		g.notes = append(g.notes, n)
		g.hashes.Append(n)
		g.checkpoint(t, g.us, g.ua)
		var b bytes.Buffer
		ledger.WriteCheckpoints(&b, [][]byte{f.checkpoints[0], f.checkpoints[1], g.checkpoints[0]})
		return b.Bytes()
	}
	oneParty := func() []byte {
		g := *f
		g.checkpoints = append([][]byte{}, f.checkpoints...)
		g.checkpoint(t, f.us)
		_, _, c := g.export(t)
		return c
	}

	tests := []struct {
		name               string
		keys, entries, cps []byte
		want               string
	}{
		{"ByteInEntryText", keys, changeByte(entries, []byte(`"ua-5"`), []byte(`"ua-6"`)), cps, "entry 5: signature: the signature by UA does not verify"},
		{"ByteInEntrySignature", keys, rebuild(append(records()[:7], append([][]byte{flipLastSigByte(f.notes[7])}, records()[8:]...)...), true), cps, "entry 7: signature"},
		{"ByteInCheckpoint", keys, entries, changeByte(cps, []byte("\n20\n"), []byte("\n21\n")), "checkpoint 2: signature"},
		{"ByteInCheckpointSignature", keys, entries, func() []byte {
			var b bytes.Buffer
			ledger.WriteCheckpoints(&b, [][]byte{f.checkpoints[0], flipLastSigByte(f.checkpoints[1])})
			return b.Bytes()
		}(), "checkpoint 2: signature"},
		{"DeletedEntry", keys, withIndexes(append(records()[:4], records()[5:]...), seq(22, 4)), cps, "entries 4 to 4 are missing"},
		{"DeletedEntryRenumbered", keys, rebuild(append(records()[:4], records()[5:]...), true), cps, "checkpoint 1 (size 10): its root"},
		{"ReorderedEntries", keys, rebuild(func() [][]byte { r := records(); r[2], r[3] = r[3], r[2]; return r }(), true), cps, "an entry among 0 to 9 was changed"},
		{"ReorderedIndexes", keys, withIndexes(func() [][]byte { r := records(); r[2], r[3] = r[3], r[2]; return r }(), []int{0, 1, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22}), cps, "entries 2 to 2 are missing"},
		{"Truncated", keys, rebuild(records()[:15], true), cps, "the log was truncated (entries 15 to 19 are missing)"},
		{"TruncatedMidRecord", keys, entries[:len(entries)-40], cps, "truncated"},
		{"Replay", keys, rebuild(append(records()[:21], f.notes[3], f.notes[21]), true), cps, "is already entry 3: a replay"},
		{"Fork", keys, entries, forkLog(), "fork: checkpoints 2 and 3 both have size 20"},
		{"OnePartySigned", keys, entries, oneParty(), "signed by nadra.test/urif, US only; the policy needs the log and US and UA"},
		{"UnknownLogKey", func() []byte {
			var b bytes.Buffer
			var other []nadra.LedgerKey
			mustKey(t, 7, "nadra.test/urif", nadra.RoleLog, &other)
			ledger.WriteKeys(&b, append(other, f.keys[1:]...))
			return b.Bytes()
		}(), entries, cps, "checkpoint 1: checkpoint: not signed by the log's key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := verify(tt.keys, tt.entries, tt.cps)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v,\nwant one containing %q", err, tt.want)
			}
		})
	}
}
