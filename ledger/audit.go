package ledger

import (
	"bytes"
	"encoding/json"
	"strings"

	"nadra"

	"golang.org/x/mod/sumdb/note"
)

// An audit record's note is the line auditHeader, then the record as one
// line of JSON, signed by the log's key. Entries are one line of JSON
// starting with "{", so the first line tells the two kinds of leaf apart.
const auditHeader = "nadra-audit v1\n"

// IsAudit reports whether a leaf's note is an audit record rather than an
// entry.
func IsAudit(msg []byte) bool { return bytes.HasPrefix(msg, []byte(auditHeader)) }

// AuditText returns an audit record's canonical text.
func AuditText(r *nadra.AuditRecord) []byte {
	b, err := json.Marshal(r)
	if err != nil {
		panic(err) // an AuditRecord always encodes
	}
	return append(append([]byte(auditHeader), b...), '\n')
}

// SignAudit returns an audit record as a note signed with the log's
// private key.
func SignAudit(logKey string, r *nadra.AuditRecord) ([]byte, error) {
	s, err := note.NewSigner(logKey)
	if err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "log key: %v", err)
	}
	return note.Sign(&note.Note{Text: string(AuditText(r))}, s)
}

// OpenAudit verifies an audit record's note against the log's key and
// decodes it. It refuses a note not signed by the log's key alone, text
// that is not the record's canonical encoding, and a record whose index
// is not want (its place in the tree; -1: any).
func (k *Keyring) OpenAudit(msg []byte, want int64) (*nadra.AuditRecord, error) {
	if len(msg) > MaxNoteBytes {
		return nil, nadra.Errorf(nadra.EINVALID, "audit record larger than %d bytes", MaxNoteBytes)
	}
	if _, ok := k.Log(); !ok {
		return nil, nadra.Errorf(nadra.EINVALID, "audit record: no log key is registered to check it with")
	}
	n, err := note.Open(msg, k.verifiers(nadra.RoleLog))
	if err != nil {
		return nil, noteError("audit record", err)
	}
	if len(n.Sigs) != 1 || len(n.UnverifiedSigs) > 0 {
		return nil, nadra.Errorf(nadra.EINVALID, "audit record: signed once, by the log's key; this one has %d signatures by the log and %d by other keys", len(n.Sigs), len(n.UnverifiedSigs))
	}
	text, ok := strings.CutPrefix(n.Text, auditHeader)
	if !ok {
		return nil, nadra.Errorf(nadra.EINVALID, "audit record: the first line is not %q", strings.TrimSpace(auditHeader))
	}
	var r nadra.AuditRecord
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "audit record: not a record: %v", err)
	}
	if !bytes.Equal(AuditText(&r), []byte(n.Text)) {
		return nil, nadra.Errorf(nadra.EINVALID, "audit record: not in canonical form (one line of JSON, as nadra writes it)")
	}
	if want >= 0 && r.Index != want {
		return nil, nadra.Errorf(nadra.EINVALID, "audit record: it says it is leaf %d, but it is leaf %d", r.Index, want)
	}
	return &r, nil
}
