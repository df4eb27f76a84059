package server

import (
	"archive/tar"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"nadra"
	"nadra/ledger"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"golang.org/x/mod/sumdb/tlog"
)

// LedgerService is what the server needs of the ledger's store: the root
// nadra.LedgerService, and the listing, checkpoints, co-signatures, proofs
// and notes that sqlite.LedgerService also has.
type LedgerService interface {
	nadra.LedgerService
	// FindRecords returns a page of records matching the filter, in index
	// order, and how many match in all.
	FindRecords(ctx context.Context, f nadra.LedgerFilter) ([]nadra.LedgerRecord, int64, error)
	// Corrections returns the corrections among the entries from index
	// from on (corrected id → the latest correction's id), and the log's
	// size, from which to ask next.
	Corrections(ctx context.Context, from int64) (map[string]string, int64, error)
	// IDIndex returns the index of the entry with an id; ENOTFOUND if none.
	IDIndex(ctx context.Context, id string) (int64, error)
	// FindCheckpoints returns a page of checkpoints, oldest or newest
	// first, with the keys whose signatures verify, and how many there are.
	FindCheckpoints(ctx context.Context, offset, limit int, newestFirst bool) ([]*nadra.LedgerCheckpoint, int64, error)
	// AddCosignature stores the co-signatures a checkpoint note carries.
	AddCosignature(ctx context.Context, msg []byte) (*nadra.LedgerCheckpoint, error)
	// Prove returns the inclusion proof of entry n in the tree of size t
	// and that tree's root.
	Prove(ctx context.Context, n, t int64) (tlog.RecordProof, tlog.Hash, error)
	// ProveConsistency returns the proof that the tree of size n is a
	// prefix of the tree of size t, and both roots.
	ProveConsistency(ctx context.Context, t, n int64) (tlog.TreeProof, tlog.Hash, tlog.Hash, error)
	// Notes streams the signed notes with index in [from, to).
	Notes(ctx context.Context, from, to int64, fn func(idx int64, note []byte) error) error
}

// Limits of the ledger's routes.
const (
	// DefaultLedgerWriteBudget bounds one write (waiting for the one
	// write slot included): past it, 503 with Retry-After.
	DefaultLedgerWriteBudget = 10 * time.Second
	// MaxLedgerPost bounds the entries of one POST; the body is bounded
	// by MaxBodyBytes too.
	MaxLedgerPost = 1000
	// maxLedgerExports is how many exports may stream at once.
	maxLedgerExports = 2
	// exportRate is the slowest download an export's deadline allows, in
	// bytes a second, beyond the server's WriteTimeout.
	exportRate = 1 << 20
)

// ledgerPolicy is the co-signing policy the server reports: 2 of 2.
var ledgerPolicy = ledger.DefaultPolicy

// signatureScheme names the way the ledger's writes are authenticated, in
// the OpenAPI document and in WWW-Authenticate.
const signatureScheme = "Signed-Note"

// signatureSchemeDoc describes it.
const signatureSchemeDoc = "The credential is in the body, not in a header: every entry is a signed note " +
	"(golang.org/x/mod/sumdb/note): the entry's canonical JSON on one line, a blank line, and one signature line " +
	"\"— NAME BASE64\", where NAME is the posting party (US or UA) and BASE64 is a 4-byte key hash followed by the " +
	"Ed25519 signature of the text, by the party's key as registered with the log (nadra ledger register). " +
	"A co-signature is one more such line on a checkpoint note, by a party's or an auditor's registered key. " +
	"Make keys with nadra ledger keygen, sign entries offline with nadra ledger sign. " +
	"A signature by no registered key, or one that does not verify, is a 401; a registered key signing what it may not " +
	"(the other party's entry, a correction of the other party's entry) is a 403. No Authorization header is read."

// LedgerEntry is an entry as the log holds it.
type LedgerEntry struct {
	Index  int64       `json:"index" doc:"The entry's leaf number in the log, from 0."`
	ID     string      `json:"id" doc:"The entry's id, its idempotency key."`
	Signer string      `json:"signer" doc:"The party whose key signed it: the entry's party."`
	Entry  nadra.Entry `json:"entry"`
	// LeafHash is what the proofs prove.
	LeafHash    string `json:"leaf_hash" doc:"RFC 6962 leaf hash of the signed note (SHA-256 of 0x00 and the note), base64."`
	CorrectedBy string `json:"corrected_by,omitempty" doc:"The id of the latest entry that corrects this one; every view uses that entry instead. Nothing is ever changed or deleted."`
}

// LedgerEntryList is a page of entries.
type LedgerEntryList struct {
	Total   int64         `json:"total" doc:"Entries matching the filter, before paging."`
	Offset  int           `json:"offset"`
	Limit   int           `json:"limit"`
	Size    int64         `json:"size" doc:"Entries in the log."`
	Entries []LedgerEntry `json:"entries"`
}

// LedgerEntryDetail is one entry with its signed note and its inclusion
// proof.
type LedgerEntryDetail struct {
	LedgerEntry
	Note  string          `json:"note" doc:"The signed note as posted: the entry's canonical JSON, a blank line, the party's signature. The leaf's data."`
	Proof *InclusionProof `json:"proof" doc:"Its inclusion proof in the latest checkpoint, checked before it is sent; null until a checkpoint covers the entry."`
}

// InclusionProof proves that an entry is in the tree of a size.
type InclusionProof struct {
	Index    int64    `json:"index"`
	ID       string   `json:"id"`
	LeafHash string   `json:"leaf_hash" doc:"RFC 6962 leaf hash of the entry's signed note, base64."`
	TreeSize int64    `json:"tree_size"`
	Root     string   `json:"root" doc:"The root hash of the tree of tree_size, base64."`
	Hashes   []string `json:"hashes" doc:"The proof, base64 hashes as golang.org/x/mod/sumdb/tlog's RecordProof lays them out (tlog.CheckRecord checks it)."`
	// Checkpoint is the signed checkpoint of that size, which binds the
	// root.
	Checkpoint *LedgerCheckpointView `json:"checkpoint" doc:"The checkpoint of tree_size, if there is one: its signed note binds the root."`
}

// ConsistencyProof proves that one tree extends another.
type ConsistencyProof struct {
	From     int64    `json:"from"`
	To       int64    `json:"to"`
	FromRoot string   `json:"from_root" doc:"Root of the tree of size from, base64."`
	ToRoot   string   `json:"to_root" doc:"Root of the tree of size to, base64."`
	Hashes   []string `json:"hashes" doc:"The proof, base64 hashes as tlog's TreeProof lays them out (tlog.CheckTree checks it)."`
}

// LedgerCheckpointView is a checkpoint with its note, its signers and its
// status under the co-signing policy.
type LedgerCheckpointView struct {
	ID        int64    `json:"id"`
	Origin    string   `json:"origin" doc:"The log's name, the name of its key."`
	Size      int64    `json:"size" doc:"Entries the checkpoint covers."`
	Root      string   `json:"root" doc:"The tree's root hash, base64."`
	CreatedAt string   `json:"created_at"`
	Note      string   `json:"note" doc:"The checkpoint as a signed note (C2SP tlog-checkpoint): origin, size and root, a blank line, and a signature line by the log and by each co-signer."`
	SignedBy  []string `json:"signed_by" doc:"The keys whose signatures verify: the log, then the co-signers by name."`
	Cosigned  bool     `json:"cosigned" doc:"Co-signed by every party the policy needs: US and UA, 2 of 2."`
	Missing   []string `json:"missing" doc:"The parties whose co-signature it lacks."`
	Status    string   `json:"status" example:"co-signed by US and UA at size 12"`
}

// LedgerCheckpointList is a page of checkpoints, oldest first.
type LedgerCheckpointList struct {
	Total       int64                  `json:"total"`
	Offset      int                    `json:"offset"`
	Limit       int                    `json:"limit"`
	Checkpoints []LedgerCheckpointView `json:"checkpoints"`
}

// LatestCheckpoint is the latest checkpoint and what it leaves out.
type LatestCheckpoint struct {
	LedgerCheckpointView
	LogSize   int64 `json:"log_size" doc:"Entries in the log now."`
	Uncovered int64 `json:"uncovered" doc:"Entries after the checkpoint, not yet covered by one."`
	// LatestCosigned is set when the latest is still waiting for a party.
	LatestCosigned *LedgerCheckpointView `json:"latest_cosigned,omitempty" doc:"When the latest checkpoint lacks a party's co-signature: the latest one co-signed by both, if any."`
}

// checkpointView returns a checkpoint with its status.
func checkpointView(c *nadra.LedgerCheckpoint) LedgerCheckpointView {
	v := LedgerCheckpointView{ID: c.ID, Origin: c.Origin, Size: c.Size, Root: c.Root, CreatedAt: c.Created, Note: string(c.Note),
		SignedBy: c.SignedBy, Missing: ledgerPolicy.Missing(&ledger.Checkpoint{Signers: c.SignedBy})}
	if v.SignedBy == nil {
		v.SignedBy = []string{}
	}
	if v.Missing == nil {
		v.Missing = []string{}
	}
	v.Cosigned = len(v.Missing) == 0
	v.Status = checkpointStatus(v.Size, v.Missing)
	return v
}

// checkpointStatus says whether a checkpoint binds under the policy:
// "co-signed by US and UA at size 12", or who it waits for.
func checkpointStatus(size int64, missing []string) string {
	if len(missing) == 0 {
		return fmt.Sprintf("co-signed by %s at size %d", strings.Join(ledgerPolicy.Parties, " and "), size)
	}
	who := "co-signature"
	if len(missing) > 1 {
		who = "co-signatures"
	}
	return fmt.Sprintf("at size %d, waiting for %s's %s", size, strings.Join(missing, "'s and "), who)
}

// LedgerEntriesInput is the entries list's query.
type LedgerEntriesInput struct {
	Party   string `query:"party" enum:"US,UA" doc:"The party that posted the entries (whose books they are)."`
	Kind    string `query:"kind" enum:"commitment,contribution_cash,contribution_inkind,receipt,transfer,investment,distribution,expense" doc:"The entries' kind."`
	Period  string `query:"period" pattern:"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$" doc:"Entries whose period falls within this one: 2026 matches 2026, 2026-Q1 and 2026-03; 2026-Q1 matches 2026-Q1 and its months." example:"2026"`
	Licence string `query:"licence" maxLength:"100" doc:"The licence the entries name." example:"dobra-psa"`
	Limit   int    `query:"limit" default:"100" minimum:"1" maximum:"1000"`
	Offset  int    `query:"offset" default:"0" minimum:"0" maximum:"1000000000000"`
}

// LedgerEntryInput names one entry.
type LedgerEntryInput struct {
	ID string `path:"id" pattern:"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$" doc:"The entry's id (its idempotency key), e.g. us-2025-09-commit."`
}

// LedgerCheckpointsInput pages the checkpoints.
type LedgerCheckpointsInput struct {
	Limit  int `query:"limit" default:"100" minimum:"1" maximum:"1000"`
	Offset int `query:"offset" default:"0" minimum:"0" maximum:"1000000000"`
}

// InclusionInput names an entry and a tree.
type InclusionInput struct {
	ID    string `query:"id" pattern:"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$" doc:"The entry's id; give id or index."`
	Index int64  `query:"index" minimum:"0" doc:"The entry's index; give id or index."`
	Size  int64  `query:"size" minimum:"0" doc:"The tree's size; default the latest checkpoint's."`
}

// ConsistencyInput names two trees.
type ConsistencyInput struct {
	From int64 `query:"from" required:"true" minimum:"1" doc:"The older tree's size."`
	To   int64 `query:"to" minimum:"0" doc:"The newer tree's size; default the latest checkpoint's."`
}

// PostEntriesInput is a batch of signed entries.
type PostEntriesInput struct {
	Body struct {
		Entries []string `json:"entries" minItems:"1" maxItems:"1000" doc:"Signed entry notes, each exactly as nadra ledger sign writes it (the entry's canonical JSON on one line, a blank line, the party's signature line), at most 64 KiB each. Appended in order, all or none."`
	}
}

// AppendedEntry is an entry a POST appended.
type AppendedEntry struct {
	Index    int64  `json:"index"`
	ID       string `json:"id"`
	Signer   string `json:"signer"`
	LeafHash string `json:"leaf_hash"`
}

// PostEntriesOutput is what a POST appended.
type PostEntriesOutput struct {
	Body struct {
		Appended []AppendedEntry `json:"appended"`
		Size     int64           `json:"size" doc:"Entries in the log after the append."`
	}
}

// PostCosignatureInput is a co-signed checkpoint.
type PostCosignatureInput struct {
	Body struct {
		Checkpoint string `json:"checkpoint" minLength:"1" maxLength:"65536" doc:"A checkpoint note the log signed, with one more signature line by a party's or an auditor's registered key (and any others already on it)."`
	}
}

// LedgerKeysOutput lists the registered keys.
type LedgerKeysOutput struct {
	Body struct {
		Keys []nadra.LedgerKey `json:"keys" doc:"The log's key first, then the parties' and auditors'. Each is a note verifier key (name+hash+base64)."`
	}
}

// LedgerExportOutput is the export, streamed.
type LedgerExportOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	ContentLength      string `header:"Content-Length"`
	Body               func(huma.Context)
}

func init() {
	// The ledger's refusals, in the one code-to-status table (error.go).
	codes[nadra.EUNAUTHORIZED] = http.StatusUnauthorized
	codes[nadra.EFORBIDDEN] = http.StatusForbidden
}

// registerLedgerRoutes registers the ledger's routes and sets its limits'
// defaults; NewServer calls it.
func (s *Server) registerLedgerRoutes() {
	s.LedgerWriteBudget = DefaultLedgerWriteBudget
	s.ledgerWrites = make(chan struct{}, 1)
	s.ledgerExports = make(chan struct{}, maxLedgerExports)
	s.crossOrigin = http.NewCrossOriginProtection()
	oa := s.api.OpenAPI()
	if oa.Components.SecuritySchemes == nil {
		oa.Components.SecuritySchemes = map[string]*huma.SecurityScheme{}
	}
	oa.Components.SecuritySchemes["signedNote"] = &huma.SecurityScheme{Type: "http", Scheme: signatureScheme, Description: signatureSchemeDoc}
	oa.Tags = append(oa.Tags, &huma.Tag{Name: "ledger", Description: "What has flowed under the deal, as a tamper-evident two-party log: entries signed by the party that posts them, an RFC 6962 Merkle tree, checkpoints signed by the log and co-signed by both parties (2 of 2). Reads are public; writes are authenticated by the signatures they carry."})
	tags := []string{"ledger"}
	register(s, s.api, huma.Operation{
		OperationID: "list-ledger-entries", Method: http.MethodGet, Path: "/ledger/entries", Tags: tags,
		Summary:     "The log's entries",
		Description: "Entries in log order, paged, filtered by party, kind, period and licence (filters combine with AND). Each carries the id of the entry that corrects it, if any. Filters other than licence scan the log.",
	}, s.handleLedgerEntries)
	register(s, s.api, huma.Operation{
		OperationID: "get-ledger-entry", Method: http.MethodGet, Path: "/ledger/entries/{id}", Tags: tags,
		Summary:     "One entry, its signed note and its inclusion proof",
		Description: "The entry, its index, the signed note it was posted as, and its inclusion proof in the latest checkpoint (checked by the server before it is sent; check it yourself with tlog.CheckRecord against the checkpoint's root).",
	}, s.handleLedgerEntry)
	register(s, s.api, huma.Operation{
		OperationID: "list-ledger-checkpoints", Method: http.MethodGet, Path: "/ledger/checkpoints", Tags: tags,
		Summary:     "Every checkpoint, who signed it, and whether it binds",
		Description: "Checkpoints oldest first, each with its signed note, the keys whose signatures verify, and its status under the 2-of-2 policy: \"co-signed by US and UA at size N\", or the parties it waits for.",
	}, s.handleLedgerCheckpoints)
	register(s, s.api, huma.Operation{
		OperationID: "get-latest-ledger-checkpoint", Method: http.MethodGet, Path: "/ledger/checkpoints/latest", Tags: tags,
		Summary:     "The latest checkpoint",
		Description: "The latest checkpoint with its status, how many entries came after it, and, when it lacks a party's co-signature, the latest one that has both. 404 before the first checkpoint.",
	}, s.handleLedgerLatest)
	register(s, s.api, huma.Operation{
		OperationID: "ledger-inclusion-proof", Method: http.MethodGet, Path: "/ledger/proof/inclusion", Tags: tags,
		Summary:     "Inclusion proof of an entry",
		Description: "The proof that an entry (by id or index) is in the tree of a size (default the latest checkpoint's), with that tree's root and checkpoint, checked before it is sent.",
	}, s.handleLedgerInclusion)
	register(s, s.api, huma.Operation{
		OperationID: "ledger-consistency-proof", Method: http.MethodGet, Path: "/ledger/proof/consistency", Tags: tags,
		Summary:     "Consistency proof between two tree sizes",
		Description: "The proof that the tree of size from is a prefix of the tree of size to (default the latest checkpoint's): what a witness checks before it co-signs. Checked before it is sent.",
	}, s.handleLedgerConsistency)
	register(s, s.api, huma.Operation{
		OperationID: "list-ledger-keys", Method: http.MethodGet, Path: "/ledger/keys", Tags: tags,
		Summary: "The registered public keys",
	}, s.handleLedgerKeys)
	register(s, s.api, huma.Operation{
		OperationID: "ledger-export", Method: http.MethodGet, Path: "/ledger/export", Tags: tags,
		Summary: "The export, for offline verification",
		Description: "A tar of the directory nadra-ledger with the export's three files (keys, entries, checkpoints; see dataset/FORMAT.md), as nadra ledger export writes them: " +
			"tar xf nadra-ledger.tar && nadra ledger verify nadra-ledger. The three are read consistently: every checkpoint covers exported entries only. " +
			"Two exports stream at a time (503 with Retry-After past that); a large log is better exported with nadra ledger export on the server.",
		Responses: map[string]*huma.Response{
			"200": {Description: "The tar, as an attachment.", Content: map[string]*huma.MediaType{
				"application/x-tar": {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			}},
		},
	}, s.handleLedgerExport)
	security := []map[string][]string{{"signedNote": {}, bearerScheme: {}}}
	postGuard := huma.Middlewares{s.needRole(nadra.AccountParty), s.ledgerWriteGuard}
	cosignGuard := huma.Middlewares{s.needRole(nadra.AccountParty, nadra.AccountAuditor), s.ledgerWriteGuard}
	writeErrors := []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusConflict,
		http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusServiceUnavailable}
	register(s, s.api, huma.Operation{
		OperationID: "post-ledger-entries", Method: http.MethodPost, Path: "/ledger/entries", Tags: tags,
		Summary: "Append signed entries",
		Description: "Appends signed entries, in order, in one transaction: all or none; the log is unchanged on any error, which names the entry by its position. " +
			"It needs both a party token (the bearer scheme; role party, bound to US or UA: 401 without one, 403 with another role) and, on each entry, the signature of that token's party (see the signedNote scheme): " +
			"an entry of the other party is a 403 even when the other party signed it; an entry signed by no registered key, or whose signature does not verify, is a 401; " +
			"one signed by a registered key that is not its party's (the other party's, an auditor's) or correcting the other party's entry, a 403; " +
			"an id already in the log (a replay) a 409; a bad entry a 400. " +
			fmt.Sprintf("The body is JSON (Content-Type: application/json, so that a cross-site form cannot send it; cross-site browser requests are refused with a 403), at most %d entries and %d bytes (413 past it). ", MaxLedgerPost, DefaultMaxBodyBytes) +
			"Writes go one at a time, within a budget of 10 s (503 with Retry-After past it). " +
			"Sign entries offline with nadra ledger sign FILE --key KEY -o signed.json, then: curl -H 'Content-Type: application/json' --data-binary @signed.json URL.",
		DefaultStatus: http.StatusCreated,
		Security:      security,
		Middlewares:   postGuard,
		Errors:        writeErrors,
	}, s.handleLedgerPost)
	register(s, s.api, huma.Operation{
		OperationID: "post-ledger-cosignature", Method: http.MethodPost, Path: "/ledger/cosignatures", Tags: tags,
		Summary: "Add a co-signature to a checkpoint",
		Description: "Stores the co-signatures a checkpoint note carries: the note must be a checkpoint this log signed, every signature on it must verify against a registered key (401 otherwise), " +
			"and it must carry a party's or an auditor's signature not yet stored (409 when every one is: a replay). A witness co-signs only after checking a consistency proof " +
			"from the last checkpoint it signed (GET /ledger/proof/consistency). Same body rules, budget and cross-site refusal as POST /ledger/entries. " +
			"It needs a token too: the note must carry the co-signature of the token's own party (a party token) or an auditor's (an auditor token); 403 otherwise. " +
			"Other co-signatures on the note are stored too, each checked against its registered key.",
		Security:    security,
		Middlewares: cosignGuard,
		Errors:      writeErrors,
	}, s.handleLedgerCosign)
}

// ledgerWriteGuard refuses, before the body is read, a write that a
// browser sends from another site (a 403), and a body that is not
// declared as JSON (a 415): HTML forms can only send form or text bodies,
// and a cross-site script cannot send JSON without a preflight, which
// nadra never grants. Clients other than browsers are not concerned.
func (s *Server) ledgerWriteGuard(ctx huma.Context, next func(huma.Context)) {
	r, w := humago.Unwrap(ctx)
	if err := s.crossOrigin.Check(r); err != nil {
		s.Error(w, r, nadra.Errorf(nadra.EFORBIDDEN, "Cross-site request refused: the ledger's writes are not taken from other sites' pages (%v).", err))
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		ct := r.Header.Get("Content-Type")
		if ct == "" {
			ct = "none"
		}
		s.Error(w, r, &ErrorResponse{Code: EMEDIATYPE, status: http.StatusUnsupportedMediaType,
			Message: fmt.Sprintf("Content-Type %s: send the body as JSON with Content-Type: application/json.", ct)})
		return
	}
	next(ctx)
}

// handleLedgerEntries handles the "GET /api/v1/ledger/entries" route.
func (s *Server) handleLedgerEntries(ctx context.Context, in *LedgerEntriesInput) (*struct{ Body *LedgerEntryList }, error) {
	f := nadra.LedgerFilter{Party: in.Party, Kind: in.Kind, Period: in.Period, Licence: in.Licence, Offset: in.Offset, Limit: in.Limit}
	list, err := s.ledgerEntries(ctx, f)
	if err != nil {
		return nil, err
	}
	return &struct{ Body *LedgerEntryList }{list}, nil
}

// ledgerEntries returns a page of entries with their corrections.
func (s *Server) ledgerEntries(ctx context.Context, f nadra.LedgerFilter) (*LedgerEntryList, error) {
	size, err := s.Ledger.Size(ctx)
	if err != nil {
		return nil, err
	}
	recs, total, err := s.Ledger.FindRecords(ctx, f)
	if err != nil {
		return nil, err
	}
	corr, err := s.corrections(ctx)
	if err != nil {
		return nil, err
	}
	// An append between the two reads may add matches: the size is at
	// least what matched.
	out := &LedgerEntryList{Total: total, Offset: f.Offset, Limit: f.Limit, Size: max(size, total), Entries: []LedgerEntry{}}
	for _, r := range recs {
		out.Entries = append(out.Entries, ledgerEntry(r, corr))
	}
	return out, nil
}

// correctionsCache holds which entries later entries correct, read once
// and then only for new entries: the log only grows.
type correctionsCache struct {
	mu   sync.Mutex
	upTo int64             // entries read
	by   map[string]string // corrected id → the latest correction's id
}

// corrections returns the corrections in the log, reading only the
// entries appended since the last call. The map must not be changed.
func (s *Server) corrections(ctx context.Context) (map[string]string, error) {
	c := &s.ledgerCorrections
	c.mu.Lock()
	defer c.mu.Unlock()
	got, next, err := s.Ledger.Corrections(ctx, c.upTo)
	if err != nil {
		return nil, err
	}
	if next < c.upTo { // another log under the same server: start again
		c.upTo, c.by = 0, nil
		if got, next, err = s.Ledger.Corrections(ctx, 0); err != nil {
			return nil, err
		}
	}
	if len(got) > 0 || c.by == nil {
		by := make(map[string]string, len(c.by)+len(got))
		for k, v := range c.by {
			by[k] = v
		}
		for k, v := range got {
			by[k] = v
		}
		c.by = by // a new map: callers may still read the old one
	}
	c.upTo = next
	return c.by, nil
}

func ledgerEntry(r nadra.LedgerRecord, corr map[string]string) LedgerEntry {
	e := LedgerEntry{Index: r.Index, ID: r.Entry.ID, Signer: r.Signer, Entry: r.Entry, LeafHash: ledger.LeafHash(r.Note).String(), CorrectedBy: corr[r.Entry.ID]}
	if e.Entry.Docs == nil {
		e.Entry.Docs = []string{}
	}
	return e
}

// handleLedgerEntry handles the "GET /api/v1/ledger/entries/{id}" route.
func (s *Server) handleLedgerEntry(ctx context.Context, in *LedgerEntryInput) (*struct{ Body *LedgerEntryDetail }, error) {
	idx, err := s.Ledger.IDIndex(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	rec, err := s.ledgerRecord(ctx, idx)
	if err != nil {
		return nil, err
	}
	corr, err := s.corrections(ctx)
	if err != nil {
		return nil, err
	}
	out := &LedgerEntryDetail{LedgerEntry: ledgerEntry(rec, corr), Note: string(rec.Note)}
	latest, err := s.latestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	if latest != nil && latest.Size > idx {
		if out.Proof, err = s.inclusionProof(ctx, rec, latest.Size, latest); err != nil {
			return nil, err
		}
	}
	return &struct{ Body *LedgerEntryDetail }{out}, nil
}

// ledgerRecord returns the record at an index.
func (s *Server) ledgerRecord(ctx context.Context, idx int64) (nadra.LedgerRecord, error) {
	recs, err := s.Ledger.Records(ctx, idx, idx+1)
	if err != nil {
		return nadra.LedgerRecord{}, err
	}
	if len(recs) != 1 {
		return nadra.LedgerRecord{}, nadra.Errorf(nadra.ENOTFOUND, "no entry %d in the log", idx)
	}
	return recs[0], nil
}

// latestCheckpoint returns the latest checkpoint, or nil before the first.
func (s *Server) latestCheckpoint(ctx context.Context) (*nadra.LedgerCheckpoint, error) {
	cs, _, err := s.Ledger.FindCheckpoints(ctx, 0, 1, true)
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	return cs[0], nil
}

// checkpointOfSize returns a stored checkpoint of a size, newest first,
// or nil. It pages back from the latest, which is where proofs usually
// point.
func (s *Server) checkpointOfSize(ctx context.Context, size int64) (*nadra.LedgerCheckpoint, error) {
	const page = 100
	for off := 0; ; off += page {
		cs, total, err := s.Ledger.FindCheckpoints(ctx, off, page, true)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if c.Size == size {
				return c, nil
			}
			if c.Size < size {
				return nil, nil // checkpoints only grow
			}
		}
		if int64(off+page) >= total {
			return nil, nil
		}
	}
}

// inclusionProof returns the proof of a record in the tree of a size,
// after checking it against the tree's root, and against the checkpoint's
// signed root when there is one: a proof that does not check means the
// stored tree is damaged, an internal error.
func (s *Server) inclusionProof(ctx context.Context, rec nadra.LedgerRecord, size int64, cp *nadra.LedgerCheckpoint) (*InclusionProof, error) {
	proof, root, err := s.Ledger.Prove(ctx, rec.Index, size)
	if err != nil {
		return nil, err
	}
	leaf := ledger.LeafHash(rec.Note)
	if cp != nil && cp.Root != root.String() {
		return nil, fmt.Errorf("ledger: the tree of size %d has root %s, but checkpoint %d signed %s", size, root, cp.ID, cp.Root)
	}
	if err := tlog.CheckRecord(proof, size, root, rec.Index, leaf); err != nil {
		return nil, fmt.Errorf("ledger: the proof of entry %d in the tree of size %d does not check: %w", rec.Index, size, err)
	}
	out := &InclusionProof{Index: rec.Index, ID: rec.Entry.ID, LeafHash: leaf.String(), TreeSize: size, Root: root.String(), Hashes: hashStrings(proof)}
	if cp != nil {
		v := checkpointView(cp)
		out.Checkpoint = &v
	}
	return out, nil
}

func hashStrings(hs []tlog.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	return out
}

// handleLedgerCheckpoints handles the "GET /api/v1/ledger/checkpoints"
// route.
func (s *Server) handleLedgerCheckpoints(ctx context.Context, in *LedgerCheckpointsInput) (*struct{ Body *LedgerCheckpointList }, error) {
	cs, total, err := s.Ledger.FindCheckpoints(ctx, in.Offset, in.Limit, false)
	if err != nil {
		return nil, err
	}
	out := &LedgerCheckpointList{Total: total, Offset: in.Offset, Limit: in.Limit, Checkpoints: []LedgerCheckpointView{}}
	for _, c := range cs {
		out.Checkpoints = append(out.Checkpoints, checkpointView(c))
	}
	return &struct{ Body *LedgerCheckpointList }{out}, nil
}

// handleLedgerLatest handles the "GET /api/v1/ledger/checkpoints/latest"
// route.
func (s *Server) handleLedgerLatest(ctx context.Context, _ *struct{}) (*struct{ Body *LatestCheckpoint }, error) {
	st, err := s.ledgerStatus(ctx)
	if err != nil {
		return nil, err
	}
	if st.Latest == nil {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "No checkpoint yet: the log has %d entries, and its operator makes checkpoints with nadra ledger checkpoint.", st.Size)
	}
	out := &LatestCheckpoint{LedgerCheckpointView: *st.Latest, LogSize: st.Size, Uncovered: st.Size - st.Latest.Size}
	if !st.Latest.Cosigned {
		out.LatestCosigned = st.Cosigned
	}
	return &struct{ Body *LatestCheckpoint }{out}, nil
}

// ledgerState is the log's size and its latest checkpoints.
type ledgerState struct {
	Size     int64
	Total    int64                  // checkpoints
	Latest   *LedgerCheckpointView  // nil before the first
	Cosigned *LedgerCheckpointView  // the latest co-signed by both parties, or nil
	Recent   []LedgerCheckpointView // the latest few, oldest first
}

// recentCheckpoints is how many of the latest checkpoints ledgerStatus
// returns in Recent.
const recentCheckpoints = 40

// ledgerStatus reads the log's size, then its latest checkpoints and the
// latest co-signed one (which is usually the latest, or the one before).
// Checkpoints are read first: each covers entries the size counts.
func (s *Server) ledgerStatus(ctx context.Context) (*ledgerState, error) {
	cs, total, err := s.Ledger.FindCheckpoints(ctx, 0, recentCheckpoints, true)
	if err != nil {
		return nil, err
	}
	size, err := s.Ledger.Size(ctx)
	if err != nil {
		return nil, err
	}
	st := &ledgerState{Size: size, Total: total}
	for i := len(cs) - 1; i >= 0; i-- {
		st.Recent = append(st.Recent, checkpointView(cs[i]))
	}
	for off := 0; len(cs) > 0; {
		for _, c := range cs {
			v := checkpointView(c)
			if st.Latest == nil {
				st.Latest = &v
			}
			if v.Cosigned {
				st.Cosigned = &v
				return st, nil
			}
		}
		off += len(cs)
		if int64(off) >= total {
			break
		}
		if cs, _, err = s.Ledger.FindCheckpoints(ctx, off, 100, true); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// handleLedgerInclusion handles the "GET /api/v1/ledger/proof/inclusion"
// route.
func (s *Server) handleLedgerInclusion(ctx context.Context, in *InclusionInput) (*struct{ Body *InclusionProof }, error) {
	hasIndex := requestFrom(ctx).URL.Query().Has("index")
	idx := in.Index
	switch {
	case in.ID == "" && !hasIndex:
		return nil, nadra.Errorf(nadra.EINVALID, "id: give the entry's id or its index.")
	case in.ID != "" && hasIndex:
		return nil, nadra.Errorf(nadra.EINVALID, "index: give the entry's id or its index, not both.")
	case in.ID != "":
		var err error
		if idx, err = s.Ledger.IDIndex(ctx, in.ID); err != nil {
			return nil, err
		}
	}
	size := in.Size
	var cp *nadra.LedgerCheckpoint
	var err error
	if size == 0 {
		if cp, err = s.latestCheckpoint(ctx); err != nil {
			return nil, err
		}
		if cp == nil {
			return nil, nadra.Errorf(nadra.ENOTFOUND, "No checkpoint yet; give size for a proof in the tree of that size.")
		}
		size = cp.Size
	} else if cp, err = s.checkpointOfSize(ctx, size); err != nil {
		return nil, err
	}
	n, err := s.Ledger.Size(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case size > n:
		return nil, nadra.Errorf(nadra.EINVALID, "size: %d, but the log has %d entries.", size, n)
	case idx >= size && in.Size == 0:
		return nil, nadra.Errorf(nadra.ENOTFOUND, "Entry %d is not in the tree of size %d (the latest checkpoint's); a later checkpoint will cover it.", idx, size)
	case idx >= size:
		return nil, nadra.Errorf(nadra.ENOTFOUND, "Entry %d is not in the tree of size %d.", idx, size)
	}
	rec, err := s.ledgerRecord(ctx, idx)
	if err != nil {
		return nil, err
	}
	p, err := s.inclusionProof(ctx, rec, size, cp)
	if err != nil {
		return nil, err
	}
	return &struct{ Body *InclusionProof }{p}, nil
}

// handleLedgerConsistency handles the "GET /api/v1/ledger/proof/consistency"
// route.
func (s *Server) handleLedgerConsistency(ctx context.Context, in *ConsistencyInput) (*struct{ Body *ConsistencyProof }, error) {
	to := in.To
	if to == 0 {
		cp, err := s.latestCheckpoint(ctx)
		if err != nil {
			return nil, err
		}
		if cp == nil {
			return nil, nadra.Errorf(nadra.ENOTFOUND, "No checkpoint yet; give to for a proof up to that size.")
		}
		to = cp.Size
	}
	n, err := s.Ledger.Size(ctx)
	if err != nil {
		return nil, err
	}
	if in.From > to || to > n {
		return nil, nadra.Errorf(nadra.EINVALID, "from: sizes %d and %d: expected 1 ≤ from ≤ to ≤ %d, the log's size.", in.From, to, n)
	}
	p, toRoot, fromRoot, err := s.Ledger.ProveConsistency(ctx, to, in.From)
	if err != nil {
		return nil, err
	}
	if err := tlog.CheckTree(p, to, toRoot, in.From, fromRoot); err != nil {
		return nil, fmt.Errorf("ledger: the consistency proof from %d to %d does not check: %w", in.From, to, err)
	}
	return &struct{ Body *ConsistencyProof }{&ConsistencyProof{From: in.From, To: to, FromRoot: fromRoot.String(), ToRoot: toRoot.String(), Hashes: hashStrings(p)}}, nil
}

// handleLedgerKeys handles the "GET /api/v1/ledger/keys" route.
func (s *Server) handleLedgerKeys(ctx context.Context, _ *struct{}) (*LedgerKeysOutput, error) {
	keys, err := s.Ledger.Keys(ctx)
	if err != nil {
		return nil, err
	}
	out := &LedgerKeysOutput{}
	out.Body.Keys = append([]nadra.LedgerKey{}, keys...)
	return out, nil
}

// handleLedgerExport handles the "GET /api/v1/ledger/export" route: the
// export as a tar, streamed. Checkpoints are read first, then the log's
// size, then the keys: every checkpoint covers exported entries, and
// every key that signed them is exported (keys are never removed).
func (s *Server) handleLedgerExport(ctx context.Context, _ *struct{}) (*LedgerExportOutput, error) {
	select {
	case s.ledgerExports <- struct{}{}:
	default:
		return nil, &ErrorResponse{Code: ETIMEOUT, status: http.StatusServiceUnavailable, retryAfter: 10 * time.Second,
			Message: fmt.Sprintf("%d exports are already streaming; try again shortly, or run nadra ledger export on the server.", maxLedgerExports)}
	}
	release := func() { <-s.ledgerExports }
	ok := false
	defer func() {
		if !ok {
			release()
		}
	}()
	cs, _, err := s.Ledger.FindCheckpoints(ctx, 0, 0, false)
	if err != nil {
		return nil, err
	}
	n, err := s.Ledger.Size(ctx)
	if err != nil {
		return nil, err
	}
	keys, err := s.Ledger.Keys(ctx)
	if err != nil {
		return nil, err
	}
	var keysFile, cpsFile strings.Builder
	if err := ledger.WriteKeys(&keysFile, keys); err != nil {
		return nil, err
	}
	var notes [][]byte
	for _, c := range cs {
		notes = append(notes, c.Note)
	}
	if err := ledger.WriteCheckpoints(&cpsFile, notes); err != nil {
		return nil, err
	}
	// The entries file's length, for its tar header: a first pass over
	// the notes, which never change.
	var count countWriter
	crw := ledger.NewRecordWriter(&count)
	if err := s.Ledger.Notes(ctx, 0, n, func(_ int64, note []byte) error { return crw.Write(note) }); err != nil {
		return nil, err
	}
	if err := crw.Flush(); err != nil {
		return nil, err
	}
	entriesLen := count.n
	const dir = "nadra-ledger"
	mtime := time.Now().UTC().Truncate(time.Second)
	block := func(n int64) int64 { return (n + 511) / 512 * 512 }
	total := 512 + 3*512 + block(int64(keysFile.Len())) + block(entriesLen) + block(int64(cpsFile.Len())) + 1024
	ok = true
	return &LedgerExportOutput{
		ContentType:        "application/x-tar",
		ContentDisposition: `attachment; filename="nadra-ledger.tar"`,
		ContentLength:      strconv.FormatInt(total, 10),
		Body: func(hctx huma.Context) {
			defer release()
			r, w := humago.Unwrap(hctx)
			// The server's WriteTimeout is for ordinary answers; an export
			// may take longer, at 1 MiB/s at the least.
			http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.WriteTimeout + time.Duration(total/exportRate)*time.Second))
			hctx.SetStatus(http.StatusOK)
			tw := tar.NewWriter(w)
			file := func(name string, size int64) error {
				return tw.WriteHeader(&tar.Header{Name: dir + "/" + name, Mode: 0o644, Size: size, ModTime: mtime, Typeflag: tar.TypeReg, Format: tar.FormatUSTAR})
			}
			err := tw.WriteHeader(&tar.Header{Name: dir + "/", Mode: 0o755, ModTime: mtime, Typeflag: tar.TypeDir, Format: tar.FormatUSTAR})
			if err == nil {
				if err = file(ledger.KeysFile, int64(keysFile.Len())); err == nil {
					_, err = tw.Write([]byte(keysFile.String()))
				}
			}
			if err == nil {
				if err = file(ledger.EntriesFile, entriesLen); err == nil {
					rw := ledger.NewRecordWriter(tw)
					if err = s.Ledger.Notes(r.Context(), 0, n, func(_ int64, note []byte) error { return rw.Write(note) }); err == nil {
						err = rw.Flush()
					}
				}
			}
			if err == nil {
				if err = file(ledger.CheckpointsFile, int64(cpsFile.Len())); err == nil {
					_, err = tw.Write([]byte(cpsFile.String()))
				}
			}
			if err == nil {
				err = tw.Close()
			}
			if err != nil {
				// The status is sent: cut the connection, so that the client
				// sees a broken download rather than a short file.
				if r.Context().Err() == nil {
					s.Logger.Error("ledger export failed", "err", err)
				}
				panic(http.ErrAbortHandler)
			}
		},
	}, nil
}

// countWriter counts what is written to it.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// ledgerWrite runs a write in the one write slot, within the write budget
// (waiting for the slot included).
func (s *Server) ledgerWrite(ctx context.Context, write func(context.Context) error) error {
	budget := s.LedgerWriteBudget
	ctx, cancel := context.WithTimeoutCause(ctx, budget, errLedgerBudget)
	defer cancel()
	select {
	case s.ledgerWrites <- struct{}{}:
	case <-ctx.Done():
		return ledgerStopped(ctx, budget)
	}
	defer func() { <-s.ledgerWrites }()
	err := write(ctx)
	if err != nil && ctx.Err() != nil {
		return ledgerStopped(ctx, budget)
	}
	return err
}

// errLedgerBudget is the cause of a write's context ending at its budget.
var errLedgerBudget = errors.New("ledger write budget exceeded")

// ledgerStopped is the error of a write whose context ended, at the budget
// or because the client went away; the log is unchanged either way.
func ledgerStopped(ctx context.Context, budget time.Duration) error {
	if errors.Is(context.Cause(ctx), errLedgerBudget) {
		return &ErrorResponse{Code: ETIMEOUT, status: http.StatusServiceUnavailable, retryAfter: time.Second,
			Message: fmt.Sprintf("The ledger is busy: the write did not finish within this server's budget of %v; nothing was written. Try again.", budget)}
	}
	return &ErrorResponse{Code: ECANCELED, status: statusClientClosed, Message: "The client went away; nothing was written."}
}

// handleLedgerPost handles the "POST /api/v1/ledger/entries" route.
func (s *Server) handleLedgerPost(ctx context.Context, in *PostEntriesInput) (*PostEntriesOutput, error) {
	notes := make([][]byte, len(in.Body.Entries))
	for i, e := range in.Body.Entries {
		if len(e) > ledger.MaxNoteBytes {
			return nil, nadra.Errorf(nadra.EINVALID, "entry %d: %d bytes; a signed entry is at most %d bytes. Nothing was appended.", i+1, len(e), ledger.MaxNoteBytes)
		}
		notes[i] = []byte(e)
	}
	if err := s.checkPostingParty(ctx, notes); err != nil {
		return nil, err
	}
	var recs []nadra.LedgerRecord
	err := s.ledgerWrite(ctx, func(ctx context.Context) error {
		return s.audited(ctx, "POST "+APIPrefix+"/ledger/entries", "ledger post", nil, func() error {
			var err error
			recs, err = s.Ledger.Append(ctx, notes)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	out := &PostEntriesOutput{}
	out.Body.Appended = []AppendedEntry{}
	for _, r := range recs {
		out.Body.Appended = append(out.Body.Appended, AppendedEntry{Index: r.Index, ID: r.Entry.ID, Signer: r.Signer, LeafHash: ledger.LeafHash(r.Note).String()})
	}
	if len(recs) > 0 {
		out.Body.Size = recs[len(recs)-1].Index + 1
	}
	return out, nil
}

// handleLedgerCosign handles the "POST /api/v1/ledger/cosignatures"
// route.
func (s *Server) handleLedgerCosign(ctx context.Context, in *PostCosignatureInput) (*struct{ Body *LedgerCheckpointView }, error) {
	msg := []byte(in.Body.Checkpoint)
	keys, err := s.Ledger.Keys(ctx)
	if err != nil {
		return nil, err
	}
	ring, err := ledger.NewKeyring(keys)
	if err != nil {
		return nil, err
	}
	c, err := ring.OpenCheckpoint(msg)
	if err != nil {
		return nil, err
	}
	verified := map[string]bool{}
	for _, name := range c.Signers {
		verified[name] = true
	}
	cosigners, own := 0, false
	for _, line := range ledger.SignatureLines(msg) {
		name := ledger.SignatureName(line)
		if !verified[name] {
			return nil, nadra.Errorf(nadra.EUNAUTHORIZED, "signature: the signature by %s is by no registered key (or by another key than the one registered as %s); nothing was stored.", name, name)
		}
		if r := ring.Role(name); r == nadra.RoleParty || r == nadra.RoleAuditor {
			if mayCosign(tokenFrom(ctx), name, r) {
				own = true
			}
			cosigners++
		}
	}
	if cosigners == 0 {
		return nil, nadra.Errorf(nadra.EINVALID, "checkpoint: it carries the log's signature only; add a party's or an auditor's co-signature.")
	}
	if !own {
		tok := tokenFrom(ctx)
		if tok.Role == nadra.AccountParty {
			return nil, nadra.Errorf(nadra.EFORBIDDEN, "checkpoint: it carries no co-signature by %s; your token %s is %s's party token, which adds %s's co-signature. Nothing was stored.", tok.Party, tok.ID, tok.Party, tok.Party)
		}
		return nil, nadra.Errorf(nadra.EFORBIDDEN, "checkpoint: it carries no auditor's co-signature; your token %s is %s, which adds an auditor's co-signature. Nothing was stored.", tok.ID, roleName(tok))
	}
	var cp *nadra.LedgerCheckpoint
	if err := s.ledgerWrite(ctx, func(ctx context.Context) error {
		return s.audited(ctx, "POST "+APIPrefix+"/ledger/cosignatures", "ledger cosign", nil, func() error {
			cp, err = s.Ledger.AddCosignature(ctx, msg)
			return err
		})
	}); err != nil {
		return nil, err
	}
	v := checkpointView(cp)
	return &struct{ Body *LedgerCheckpointView }{&v}, nil
}

// checkPostingParty refuses entries of another party than the request's
// party token's (403), naming the first. Signatures are checked first, so
// that a bad one is the 401 it was before tokens.
func (s *Server) checkPostingParty(ctx context.Context, notes [][]byte) error {
	tok := tokenFrom(ctx)
	if tok == nil || tok.Role != nadra.AccountParty {
		return nadra.Errorf(nadra.EFORBIDDEN, "POST %s/ledger/entries needs a party token", APIPrefix)
	}
	keys, err := s.Ledger.Keys(ctx)
	if err != nil {
		return err
	}
	ring, err := ledger.NewKeyring(keys)
	if err != nil {
		return err
	}
	entries, _, errs := ring.OpenEntries(notes)
	for i, err := range errs {
		if err != nil {
			return nadra.Errorf(nadra.ErrorCode(err), "entry %d: %s; nothing was appended", i+1, nadra.ErrorMessage(err))
		}
		if p := entries[i].Party; p != tok.Party {
			return nadra.Errorf(nadra.EFORBIDDEN, "entry %d (%s) is %s's; your token %s is %s's party token, which posts %s's entries only. Nothing was appended.",
				i+1, entries[i].ID, p, tok.ID, tok.Party, tok.Party)
		}
	}
	return nil
}

// mayCosign reports whether the request's token is the one to add the
// co-signature by key name, of ledger role role: a party token its own
// party's, an auditor token an auditor's. The note may carry other
// co-signatures too (already stored, or relayed): each is checked against
// its key, so relaying one forges nothing.
func mayCosign(tok *nadra.Token, name, role string) bool {
	switch {
	case tok == nil:
		return false
	case tok.Role == nadra.AccountParty:
		return role == nadra.RoleParty && name == tok.Party
	case tok.Role == nadra.AccountAuditor:
		return role == nadra.RoleAuditor
	}
	return false
}
