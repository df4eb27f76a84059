package ledger_test

import (
	"bytes"
	"testing"

	"nadra"
	"nadra/ledger"
)

// FuzzOpenEntry: opening a signed entry, as the server does with every
// posted note, never panics; every refusal has a code a client can act on
// (invalid, unauthorized or forbidden; never internal), the same one
// alone and in a batch; and what is accepted is its party's entry, in
// canonical form.
func FuzzOpenEntry(f *testing.F) {
	fx := newFixture(f)
	e := entry(nadra.PartyUS, 1)
	msg, err := ledger.SignEntry(e, fx.us)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(msg)
	f.Add(ledger.Canonical(e))
	f.Add(bytes.Replace(msg, []byte("1000.01"), []byte("9000.01"), 1))
	f.Add(append(append([]byte{}, msg...), []byte("— UA AAAA\n")...))
	f.Add([]byte("x\n\n— US AAAAAAAA\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, signer, err := fx.ring.OpenEntry(data)
		_, _, errs := fx.ring.OpenEntries([][]byte{data})
		if nadra.ErrorCode(err) != nadra.ErrorCode(errs[0]) {
			t.Fatalf("alone: %v (%s); in a batch: %v (%s)", err, nadra.ErrorCode(err), errs[0], nadra.ErrorCode(errs[0]))
		}
		if err != nil {
			switch nadra.ErrorCode(err) {
			case nadra.EINVALID, nadra.EUNAUTHORIZED, nadra.EFORBIDDEN:
			default:
				t.Fatalf("refused with code %q: %v", nadra.ErrorCode(err), err)
			}
			return
		}
		if got.Party != signer || got.Validate() != nil {
			t.Fatalf("accepted %+v signed by %s", got, signer)
		}
		if !bytes.HasPrefix(data, ledger.Canonical(got)) {
			t.Fatalf("accepted a note whose text is not the entry's canonical form:\n%s", data)
		}
	})
}
