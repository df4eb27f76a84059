package ledger

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"

	"nadra"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Checkpoint is a parsed, verified checkpoint.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   tlog.Hash
	// Signers lists the names of the keys whose signatures verify: the
	// log, then the parties and auditors in name order.
	Signers []string
	Note    []byte // the signed note as given
}

// FormatCheckpoint returns a checkpoint body in the C2SP tlog-checkpoint
// format: the origin, the tree size and the base64 root hash, one a line.
func FormatCheckpoint(origin string, size int64, root tlog.Hash) []byte {
	return []byte(origin + "\n" + strconv.FormatInt(size, 10) + "\n" + base64.StdEncoding.EncodeToString(root[:]) + "\n")
}

// ParseCheckpoint reads a checkpoint body. Extension lines after the root
// are allowed by the format and ignored.
func ParseCheckpoint(text string) (origin string, size int64, root tlog.Hash, err error) {
	lines := strings.SplitAfter(text, "\n")
	if len(lines) < 3 || !strings.HasSuffix(text, "\n") {
		return "", 0, root, nadra.Errorf(nadra.EINVALID, "checkpoint: expected an origin, a size and a root hash, one a line")
	}
	origin = strings.TrimSuffix(lines[0], "\n")
	if origin == "" {
		return "", 0, root, nadra.Errorf(nadra.EINVALID, "checkpoint: empty origin")
	}
	s := strings.TrimSuffix(lines[1], "\n")
	size, e := strconv.ParseInt(s, 10, 64)
	if e != nil || size < 0 || strconv.FormatInt(size, 10) != s {
		return "", 0, root, nadra.Errorf(nadra.EINVALID, "checkpoint: size %q is not a non-negative decimal number", s)
	}
	h, e := base64.StdEncoding.DecodeString(strings.TrimSuffix(lines[2], "\n"))
	if e != nil || len(h) != tlog.HashSize {
		return "", 0, root, nadra.Errorf(nadra.EINVALID, "checkpoint: the root is not a base64 SHA-256 hash")
	}
	copy(root[:], h)
	return origin, size, root, nil
}

// SignCheckpoint returns the checkpoint of a tree as a note signed by the
// log's key, whose name is the origin.
func SignCheckpoint(logKey string, size int64, root tlog.Hash) ([]byte, error) {
	s, err := note.NewSigner(logKey)
	if err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "log key: %v", err)
	}
	return note.Sign(&note.Note{Text: string(FormatCheckpoint(s.Name(), size, root))}, s)
}

// Cosign adds the signature of skey (a party's or an auditor's key) to a
// checkpoint note, keeping the signatures that verify against the
// keyring. It does not check the tree: the caller checks consistency
// with the last checkpoint it signed (see CheckConsistency) first.
func (k *Keyring) Cosign(msg []byte, skey string) ([]byte, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "signing key: %v", err)
	}
	switch k.Role(s.Name()) {
	case nadra.RoleParty, nadra.RoleAuditor:
	default:
		return nil, nadra.Errorf(nadra.EINVALID, "key %s is not a registered party or auditor key", s.Name())
	}
	n, err := note.Open(msg, k.verifiers(nadra.RoleLog, nadra.RoleParty, nadra.RoleAuditor))
	if err != nil {
		return nil, noteError("checkpoint", err)
	}
	return note.Sign(n, s)
}

// OpenCheckpoint verifies a checkpoint note: it must be signed by the
// registered log key, every signature by a registered key must verify,
// and the body must parse. It does not apply the co-signing policy; see
// Policy.
func (k *Keyring) OpenCheckpoint(msg []byte) (*Checkpoint, error) {
	if len(msg) > MaxNoteBytes {
		return nil, nadra.Errorf(nadra.EINVALID, "checkpoint larger than %d bytes", MaxNoteBytes)
	}
	if unsigned(msg) {
		return nil, nadra.Errorf(nadra.EUNAUTHORIZED, "signature: the checkpoint is not signed; a checkpoint is its text, a blank line and the log's signature line, then the co-signers'")
	}
	n, err := note.Open(msg, k.verifiers(nadra.RoleLog, nadra.RoleParty, nadra.RoleAuditor))
	if err != nil {
		return nil, noteError("checkpoint", err)
	}
	origin, size, root, err := ParseCheckpoint(n.Text)
	if err != nil {
		return nil, err
	}
	c := &Checkpoint{Origin: origin, Size: size, Root: root, Note: msg}
	var log bool
	var others []string
	for _, s := range n.Sigs {
		if k.Role(s.Name) == nadra.RoleLog {
			if s.Name != origin {
				return nil, nadra.Errorf(nadra.EINVALID, "checkpoint: signed by log key %s, but its origin is %s", s.Name, origin)
			}
			log = true
			continue
		}
		others = append(others, s.Name)
	}
	if !log {
		return nil, nadra.Errorf(nadra.EINVALID, "checkpoint: not signed by the log's key")
	}
	sort.Strings(others)
	c.Signers = append([]string{origin}, others...)
	return c, nil
}

// Policy says which co-signatures make a checkpoint valid: every party
// in Parties (2 of 2: US and UA); auditors may add theirs.
type Policy struct{ Parties []string }

// DefaultPolicy is 2 of 2: the US and Ukraine.
var DefaultPolicy = Policy{Parties: []string{nadra.PartyUS, nadra.PartyUA}}

// Missing returns the parties whose co-signature a checkpoint lacks.
func (p Policy) Missing(c *Checkpoint) []string {
	have := map[string]bool{}
	for _, s := range c.Signers {
		have[s] = true
	}
	var out []string
	for _, party := range p.Parties {
		if !have[party] {
			out = append(out, party)
		}
	}
	return out
}

// CheckConsistency checks that the tree of checkpoint b extends that of
// a, with a consistency proof from the tree store r (which must hold at
// least b's size).
func CheckConsistency(a, b *Checkpoint, r tlog.HashReader) error {
	if b.Size < a.Size {
		return nadra.Errorf(nadra.EINVALID, "checkpoint of size %d is older than the one of size %d already signed", b.Size, a.Size)
	}
	p, err := tlog.ProveTree(b.Size, a.Size, r)
	if err != nil {
		return nadra.Errorf(nadra.EINVALID, "no consistency proof from size %d to %d: %v", a.Size, b.Size, err)
	}
	if err := tlog.CheckTree(p, b.Size, b.Root, a.Size, a.Root); err != nil {
		return nadra.Errorf(nadra.EINVALID, "the tree of size %d (root %s) is not an extension of the tree of size %d (root %s): the log was rewritten", b.Size, b.Root, a.Size, a.Root)
	}
	return nil
}

// sigPrefix starts every signature line of a note.
const sigPrefix = "— "

// SignatureLines returns a note's signature lines ("— name base64"),
// without their newlines.
func SignatureLines(msg []byte) []string {
	s := string(msg)
	i := strings.LastIndex(s, "\n\n")
	if i < 0 {
		return nil
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(s[i+2:], "\n"), "\n") {
		if strings.HasPrefix(l, sigPrefix) {
			out = append(out, l)
		}
	}
	return out
}

// SignatureName returns the key name of a signature line.
func SignatureName(line string) string {
	name, _, _ := strings.Cut(strings.TrimPrefix(line, sigPrefix), " ")
	return name
}

// AddSignatureLines returns the note with the signature lines appended
// (those already present are not repeated).
func AddSignatureLines(msg []byte, lines []string) []byte {
	have := map[string]bool{}
	for _, l := range SignatureLines(msg) {
		have[l] = true
	}
	out := append([]byte{}, msg...)
	for _, l := range lines {
		if !have[l] {
			out = append(out, l...)
			out = append(out, '\n')
			have[l] = true
		}
	}
	return out
}

// CheckpointOrigin returns the first line of a checkpoint note.
func CheckpointOrigin(msg []byte) string {
	first, _, _ := strings.Cut(string(msg), "\n")
	return first
}
