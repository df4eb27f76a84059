package ledger

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	jsonv2 "github.com/go-json-experiment/json"
	"io"
	"runtime"
	"strings"
	"sync"

	"nadra"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
	"golang.org/x/mod/sumdb/note"
)

// MaxNoteBytes bounds one signed entry or checkpoint.
const MaxNoteBytes = 64 << 10

// GenerateKey returns a new Ed25519 key pair for name, in the note key
// formats: the private key "PRIVATE+KEY+name+hash+base64" and the verifier
// key "name+hash+base64". rand is crypto/rand.Reader unless a test seeds it.
func GenerateKey(r io.Reader, name string) (skey, vkey string, err error) {
	if r == nil {
		r = rand.Reader
	}
	if !validKeyName(name) {
		return "", "", nadra.Errorf(nadra.EINVALID, "key name %q: expected letters, digits, . - _ and no spaces or +", name)
	}
	return note.GenerateKey(r, name)
}

func validKeyName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' || c == '/') {
			return false
		}
	}
	return true
}

// Canonical returns the entry's canonical text: its JSON encoding on one
// line, with a final newline. The signed note's text is exactly this, so
// an entry has one encoding and one hash.
func Canonical(e *nadra.Entry) []byte {
	b, err := json.Marshal(e)
	if err != nil {
		panic(err) // an Entry always encodes
	}
	return append(b, '\n')
}

// SignEntry validates e and returns it as a note signed with skey, whose
// key name must be the entry's party. To sign many, use an EntrySigner:
// making the signer from the key costs as much as a signature.
func SignEntry(e *nadra.Entry, skey string) ([]byte, error) {
	s, err := NewEntrySigner(skey)
	if err != nil {
		return nil, err
	}
	return s.Sign(e)
}

// EntrySigner signs entries with one party's key.
type EntrySigner struct{ s note.Signer }

// NewEntrySigner returns a signer for a private key in the note format.
func NewEntrySigner(skey string) (*EntrySigner, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "signing key: not a private key in the note format: %v", err)
	}
	return &EntrySigner{s}, nil
}

// Sign validates e and returns it as a signed note. The entry's party must
// be the key's name.
func (es *EntrySigner) Sign(e *nadra.Entry) ([]byte, error) {
	s := es.s
	if s.Name() != e.Party {
		return nil, nadra.Errorf(nadra.EINVALID, "entry %s: party %s, but the key is %s's", e.ID, e.Party, s.Name())
	}
	if err := e.Validate(); err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "entry %s: %s", e.ID, nadra.ErrorMessage(err))
	}
	return note.Sign(&note.Note{Text: string(Canonical(e))}, s)
}

// Keyring holds the registered verifier keys, by role.
type Keyring struct {
	keys  []nadra.LedgerKey
	byKey map[string]note.Verifier // name → verifier
	role  map[string]string        // name → role
	// party holds the parties' public keys, expanded for fast
	// verification of entries, with the key hash the note format uses.
	party map[string]partyKey
}

type partyKey struct {
	hash uint32
	pub  *voi.ExpandedPublicKey
}

// NewKeyring parses the keys; names must be unique.
func NewKeyring(keys []nadra.LedgerKey) (*Keyring, error) {
	k := &Keyring{byKey: map[string]note.Verifier{}, role: map[string]string{}, party: map[string]partyKey{}}
	for _, lk := range keys {
		v, err := note.NewVerifier(lk.Key)
		if err != nil {
			return nil, nadra.Errorf(nadra.EINVALID, "key %s: not a verifier key in the note format: %v", lk.Name, err)
		}
		if v.Name() != lk.Name {
			return nil, nadra.Errorf(nadra.EINVALID, "key %s: the key is named %s", lk.Name, v.Name())
		}
		switch lk.Role {
		case nadra.RoleLog, nadra.RoleParty, nadra.RoleAuditor:
		default:
			return nil, nadra.Errorf(nadra.EINVALID, "key %s: role %q: expected log, party or auditor", lk.Name, lk.Role)
		}
		if lk.Role == nadra.RoleParty && lk.Name != nadra.PartyUS && lk.Name != nadra.PartyUA {
			return nil, nadra.Errorf(nadra.EINVALID, "key %s: a party key is named US or UA", lk.Name)
		}
		if _, dup := k.byKey[lk.Name]; dup {
			return nil, nadra.Errorf(nadra.ECONFLICT, "key %s: registered twice", lk.Name)
		}
		if lk.Role == nadra.RoleParty {
			pub, err := ed25519Public(lk.Key)
			if err != nil {
				return nil, nadra.Errorf(nadra.EINVALID, "key %s: %v", lk.Name, err)
			}
			x, err := voi.NewExpandedPublicKey(pub)
			if err != nil {
				return nil, nadra.Errorf(nadra.EINVALID, "key %s: not an Ed25519 public key: %v", lk.Name, err)
			}
			k.party[lk.Name] = partyKey{hash: v.KeyHash(), pub: x}
		}
		k.byKey[lk.Name] = v
		k.role[lk.Name] = lk.Role
		k.keys = append(k.keys, lk)
	}
	return k, nil
}

// ed25519Public returns the Ed25519 public key in a note verifier key
// ("name+hash+base64" of the algorithm byte 1 and 32 key bytes).
func ed25519Public(vkey string) (voi.PublicKey, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("not a verifier key")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 1+voi.PublicKeySize || raw[0] != 1 {
		return nil, fmt.Errorf("not an Ed25519 verifier key")
	}
	return voi.PublicKey(raw[1:]), nil
}

// Keys returns the keys as given.
func (k *Keyring) Keys() []nadra.LedgerKey { return k.keys }

// Role returns a key's role, "" if unknown.
func (k *Keyring) Role(name string) string { return k.role[name] }

// Log returns the log's key, if registered.
func (k *Keyring) Log() (nadra.LedgerKey, bool) {
	for _, lk := range k.keys {
		if lk.Role == nadra.RoleLog {
			return lk, true
		}
	}
	return nadra.LedgerKey{}, false
}

// verifiers returns the verifiers of the given roles.
func (k *Keyring) verifiers(roles ...string) note.Verifiers {
	var vs []note.Verifier
	for _, lk := range k.keys {
		for _, r := range roles {
			if lk.Role == r {
				vs = append(vs, k.byKey[lk.Name])
			}
		}
	}
	return note.VerifierList(vs...)
}

// verifyOpts: ZIP 215 rules for Ed25519, under which verifying one
// signature and verifying a batch always agree (RFC 8032 leaves edge cases
// open where they could differ).
var verifyOpts = &voi.Options{Verify: voi.VerifyOptionsZIP_215}

// sigCheck is a signature to verify: the key, the signed text, the
// signature.
type sigCheck struct {
	key      *voi.ExpandedPublicKey
	msg, sig []byte
}

// capture is a note.Verifiers that hands note.Open the parties' keys and
// records the signatures it would check, to check them afterwards, one at
// a time or in a batch.
type capture struct {
	k    *Keyring
	got  []sigCheck
	name string
}

func (c *capture) Verifier(name string, hash uint32) (note.Verifier, error) {
	pk, ok := c.k.party[name]
	if !ok || pk.hash != hash {
		return nil, &note.UnknownVerifierError{Name: name, KeyHash: hash}
	}
	return &captured{c: c, name: name, hash: hash, key: pk.pub}, nil
}

type captured struct {
	c    *capture
	name string
	hash uint32
	key  *voi.ExpandedPublicKey
}

func (v *captured) Name() string    { return v.name }
func (v *captured) KeyHash() uint32 { return v.hash }
func (v *captured) Verify(msg, sig []byte) bool {
	v.c.got = append(v.c.got, sigCheck{key: v.key, msg: msg, sig: sig})
	v.c.name = v.name
	return true // checked after Open returns
}

// opened is an entry parsed from its note, its signature not yet checked.
type opened struct {
	entry  *nadra.Entry
	signer string
	check  *sigCheck // nil when the note did not parse that far
	err    error     // a problem other than the signature
}

// parseEntry opens a signed entry's note and decodes the entry, deferring
// the signature check. It refuses: a malformed note, an unknown key, more
// than one signature, a signer that is not the entry's party, text that is
// not the entry's canonical encoding, or an entry that does not validate.
func (k *Keyring) parseEntry(msg []byte) opened {
	if len(msg) > MaxNoteBytes {
		return opened{err: nadra.Errorf(nadra.EINVALID, "signed entry larger than %d bytes", MaxNoteBytes)}
	}
	if unsigned(msg) {
		return opened{err: nadra.Errorf(nadra.EUNAUTHORIZED, "signature: the entry is not signed; a signed entry is its text, a blank line and its party's signature line (nadra ledger sign)")}
	}
	c := &capture{k: k}
	n, err := note.Open(msg, c)
	if err != nil {
		if e := k.notAParty(err); e != nil {
			return opened{err: e}
		}
		return opened{err: noteError("entry", err)}
	}
	if len(n.Sigs) != 1 || len(n.UnverifiedSigs) > 0 || len(c.got) != 1 {
		return opened{err: nadra.Errorf(nadra.EINVALID, "signature: an entry is signed once, by the party that posts it; this one has %d signatures by registered parties and %d by unknown keys", len(n.Sigs), len(n.UnverifiedSigs))}
	}
	o := opened{signer: n.Sigs[0].Name, check: &c.got[0]}
	var e nadra.Entry
	switch err := jsonv2.Unmarshal([]byte(n.Text), &e, jsonv2.RejectUnknownMembers(true)); {
	case err != nil:
		o.err = nadra.Errorf(nadra.EINVALID, "text: not an entry: %s", entryJSONError(err))
	case !bytes.Equal(Canonical(&e), []byte(n.Text)):
		o.err = nadra.Errorf(nadra.EINVALID, "text: not in canonical form (one line of JSON, as nadra writes it)")
	case e.Party != o.signer:
		o.err = nadra.Errorf(nadra.EFORBIDDEN, "signature: entry %s is %s's, but signed by %s", e.ID, e.Party, o.signer)
	default:
		if err := e.Validate(); err != nil {
			o.err = nadra.Errorf(nadra.EINVALID, "entry %s: %s", e.ID, nadra.ErrorMessage(err))
		}
	}
	o.entry = &e
	return o
}

// entryJSONError says what is wrong with an entry's JSON: an unknown
// field by name, otherwise the decoder's message.
func entryJSONError(err error) string {
	var se *jsonv2.SemanticError
	if errors.As(err, &se) && se.Err == jsonv2.ErrUnknownName {
		return fmt.Sprintf("unknown field %q", strings.TrimPrefix(string(se.JSONPointer), "/"))
	}
	return err.Error()
}

// unsigned reports whether msg is text with no signature block: lines
// ending in a newline, without the blank line before the signatures.
func unsigned(msg []byte) bool {
	return len(msg) > 0 && msg[len(msg)-1] == '\n' && !bytes.Contains(msg, []byte("\n\n"))
}

// notAParty returns an EFORBIDDEN error when the only signatures on an
// entry are by registered keys that are not parties' (an auditor's, the
// log's), and nil otherwise.
func (k *Keyring) notAParty(err error) error {
	var unknown *note.UnverifiedNoteError
	if !errors.As(err, &unknown) || len(unknown.Note.UnverifiedSigs) == 0 {
		return nil
	}
	for _, s := range unknown.Note.UnverifiedSigs {
		v, ok := k.byKey[s.Name]
		if !ok || v.KeyHash() != s.Hash || k.role[s.Name] == nadra.RoleParty {
			return nil
		}
	}
	s := unknown.Note.UnverifiedSigs[0]
	return nadra.Errorf(nadra.EFORBIDDEN, "signature: signed by %s, the %s key; an entry is signed by the party that posts it (US or UA)", s.Name, k.role[s.Name])
}

// badSignature is the error of a signature that does not verify.
func badSignature(name string) error {
	return nadra.Errorf(nadra.EUNAUTHORIZED, "signature: the signature by %s does not verify: the entry was changed after signing, or signed with another key", name)
}

// OpenEntry verifies a signed entry against the registered party keys and
// decodes it. See parseEntry for what it refuses; a signature that does
// not verify is named first.
func (k *Keyring) OpenEntry(msg []byte) (*nadra.Entry, string, error) {
	o := k.parseEntry(msg)
	if o.check != nil && !voi.VerifyExpandedWithOptions(o.check.key, o.check.msg, o.check.sig, verifyOpts) {
		return nil, o.signer, badSignature(o.signer)
	}
	if o.err != nil {
		return nil, o.signer, o.err
	}
	return o.entry, o.signer, nil
}

// OpenEntries is OpenEntry for many entries: it parses them on every core
// and checks their signatures in batches (about four times faster than one
// at a time). Entries and errors are by position; a failed signature is
// named for its own entry, not its batch.
func (k *Keyring) OpenEntries(msgs [][]byte) ([]*nadra.Entry, []string, []error) {
	n := len(msgs)
	entries, signers, errs := make([]*nadra.Entry, n), make([]string, n), make([]error, n)
	workers := runtime.GOMAXPROCS(0)
	per := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*per, min((w+1)*per, n)
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ops := make([]opened, hi-lo)
			bv := voi.NewBatchVerifierWithCapacity(hi - lo)
			var idx []int
			for i := lo; i < hi; i++ {
				ops[i-lo] = k.parseEntry(msgs[i])
				if c := ops[i-lo].check; c != nil {
					bv.AddExpandedWithOptions(c.key, c.msg, c.sig, verifyOpts)
					idx = append(idx, i)
				}
			}
			ok := make([]bool, len(idx))
			if len(idx) > 0 {
				var all bool
				if all, ok = bv.Verify(rand.Reader); all {
					for j := range ok {
						ok[j] = true
					}
				}
			}
			good := map[int]bool{}
			for j, i := range idx {
				good[i] = ok[j]
			}
			for i := lo; i < hi; i++ {
				o := ops[i-lo]
				signers[i] = o.signer
				switch {
				case o.check != nil && !good[i]:
					errs[i] = badSignature(o.signer)
				case o.err != nil:
					errs[i] = o.err
				default:
					entries[i] = o.entry
				}
			}
		}()
	}
	wg.Wait()
	return entries, signers, errs
}

// noteError explains a note.Open error.
func noteError(what string, err error) error {
	var unknown *note.UnverifiedNoteError
	var invalid *note.InvalidSignatureError
	switch {
	case errors.As(err, &unknown):
		var names []string
		for _, s := range unknown.Note.UnverifiedSigs {
			names = append(names, s.Name)
		}
		return nadra.Errorf(nadra.EUNAUTHORIZED, "signature: no registered key signed this %s (signed by unknown key %s)", what, strings.Join(names, ", "))
	case errors.As(err, &invalid):
		return nadra.Errorf(nadra.EUNAUTHORIZED, "signature: the signature by %s does not verify: the %s was changed after signing, or signed with another key", invalid.Name, what)
	}
	return nadra.Errorf(nadra.EINVALID, "signature: malformed signed %s: %v", what, err)
}

// keyName returns the name in a private or verifier key.
func keyName(key string) string {
	key = strings.TrimPrefix(key, "PRIVATE+KEY+")
	name, _, _ := strings.Cut(key, "+")
	return name
}

// KeyName returns the name a note key (private or verifier) is for.
func KeyName(key string) string { return keyName(key) }

// VerifierKey returns the verifier key of a private key.
func VerifierKey(skey string) (string, error) {
	rest, ok := strings.CutPrefix(skey, "PRIVATE+KEY+")
	parts := strings.SplitN(rest, "+", 3)
	if !ok || len(parts) != 3 {
		return "", nadra.Errorf(nadra.EINVALID, "not a private key in the note format")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return "", nadra.Errorf(nadra.EINVALID, "not an Ed25519 private key in the note format")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	return note.NewEd25519VerifierKey(parts[0], pub)
}
