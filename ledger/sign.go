package ledger

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"nadra"

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
// key name must be the entry's party.
func SignEntry(e *nadra.Entry, skey string) ([]byte, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "signing key: not a private key in the note format: %v", err)
	}
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
}

// NewKeyring parses the keys; names must be unique.
func NewKeyring(keys []nadra.LedgerKey) (*Keyring, error) {
	k := &Keyring{byKey: map[string]note.Verifier{}, role: map[string]string{}}
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
		k.byKey[lk.Name] = v
		k.role[lk.Name] = lk.Role
		k.keys = append(k.keys, lk)
	}
	return k, nil
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

// OpenEntry verifies a signed entry against the registered party keys and
// decodes it. It refuses, naming what is wrong: a malformed note, an
// unknown key, a bad signature, more than one signature, a signer that is
// not the entry's party, text that is not the entry's canonical encoding,
// or an entry that does not validate.
func (k *Keyring) OpenEntry(msg []byte) (*nadra.Entry, string, error) {
	if len(msg) > MaxNoteBytes {
		return nil, "", nadra.Errorf(nadra.EINVALID, "signed entry larger than %d bytes", MaxNoteBytes)
	}
	n, err := note.Open(msg, k.verifiers(nadra.RoleParty))
	if err != nil {
		return nil, "", noteError("entry", err)
	}
	if len(n.Sigs) != 1 || len(n.UnverifiedSigs) > 0 {
		return nil, "", nadra.Errorf(nadra.EINVALID, "signature: an entry is signed once, by the party that posts it; this one has %d verified and %d unknown signatures", len(n.Sigs), len(n.UnverifiedSigs))
	}
	signer := n.Sigs[0].Name
	var e nadra.Entry
	dec := json.NewDecoder(strings.NewReader(n.Text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return nil, signer, nadra.Errorf(nadra.EINVALID, "text: not an entry: %v", err)
	}
	if !bytes.Equal(Canonical(&e), []byte(n.Text)) {
		return nil, signer, nadra.Errorf(nadra.EINVALID, "text: not in canonical form (one line of JSON, as nadra writes it)")
	}
	if e.Party != signer {
		return nil, signer, nadra.Errorf(nadra.EINVALID, "signature: entry %s is %s's, but signed by %s", e.ID, e.Party, signer)
	}
	if err := e.Validate(); err != nil {
		return nil, signer, nadra.Errorf(nadra.EINVALID, "entry %s: %s", e.ID, nadra.ErrorMessage(err))
	}
	return &e, signer, nil
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
		return nadra.Errorf(nadra.EINVALID, "signature: no registered key signed this %s (signed by unknown key %s)", what, strings.Join(names, ", "))
	case errors.As(err, &invalid):
		return nadra.Errorf(nadra.EINVALID, "signature: the signature by %s does not verify: the %s was changed after signing, or signed with another key", invalid.Name, what)
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
