package server_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"nadra"
	"nadra/ledger"
	"nadra/server"
	"nadra/sqlite"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
)

// seededKeys is a deterministic byte stream for test keys.
type seededKeys struct{ r *rand.ChaCha8 }

func (s seededKeys) Read(p []byte) (int, error) { return s.r.Read(p) }

func testLedgerKey(t testing.TB, seed byte, name string) (skey, vkey string) {
	t.Helper()
	var k [32]byte
	k[0] = seed
	skey, vkey, err := ledger.GenerateKey(seededKeys{rand.NewChaCha8(k)}, name)
	if err != nil {
		t.Fatal(err)
	}
	return skey, vkey
}

// LedgerServer is a test server whose ledger is a fresh database with the
// two parties' keys and an auditor's registered, and those private keys.
type LedgerServer struct {
	*TestServer
	Store  *sqlite.LedgerService
	Tokens *sqlite.TokenService
	// TokenUS, TokenUA and TokenAuditor are the secrets of party tokens
	// of US and UA and of an auditor token; TokenEditor an editor's.
	TokenUS, TokenUA, TokenAuditor, TokenEditor string
	US, UA, Auditor                             string // private keys
	StrangerUS, LogOther                        string // a US key and a log key nobody registered
}

// MustOpenLedgerServer starts a test server on a fresh ledger; edit, if
// not nil, may wrap its ledger service before it opens.
func MustOpenLedgerServer(t *testing.T, edit func(*server.Server)) *LedgerServer {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "ledger.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ls := &LedgerServer{Store: sqlite.NewLedgerService(db)}
	var usPub, uaPub, audPub string
	ls.US, usPub = testLedgerKey(t, 2, nadra.PartyUS)
	ls.UA, uaPub = testLedgerKey(t, 3, nadra.PartyUA)
	ls.Auditor, audPub = testLedgerKey(t, 4, "eiti")
	ls.StrangerUS, _ = testLedgerKey(t, 9, nadra.PartyUS)
	ls.LogOther, _ = testLedgerKey(t, 8, "nadra.test/log")
	for _, k := range []nadra.LedgerKey{{Name: "US", Role: nadra.RoleParty, Key: usPub}, {Name: "UA", Role: nadra.RoleParty, Key: uaPub},
		{Name: "eiti", Role: nadra.RoleAuditor, Key: audPub}} {
		if err := ls.Store.RegisterKey(context.Background(), k); err != nil {
			t.Fatal(err)
		}
	}
	ls.Tokens = sqlite.NewTokenService(db)
	ls.TokenUS = mustToken(t, ls.Tokens, nadra.AccountParty, nadra.PartyUS)
	ls.TokenUA = mustToken(t, ls.Tokens, nadra.AccountParty, nadra.PartyUA)
	ls.TokenAuditor = mustToken(t, ls.Tokens, nadra.AccountAuditor, "")
	ls.TokenEditor = mustToken(t, ls.Tokens, nadra.AccountEditor, "")
	ls.TestServer = MustOpenServer(t, func(s *server.Server) {
		s.Ledger = ls.Store
		s.Tokens = ls.Tokens
		if edit != nil {
			edit(s)
		}
	})
	ledgerTokens.Store(strings.TrimPrefix(ls.URL(), "http://"), ls)
	t.Cleanup(func() { ledgerTokens.Delete(strings.TrimPrefix(ls.URL(), "http://")) })
	return ls
}

// PostEntries posts signed entries in order, each run of one party's
// entries in one request with that party's token (a party token posts
// its own party's entries only), failing the test on any refusal.
func (ls *LedgerServer) PostEntries(t testing.TB, notes ...string) {
	t.Helper()
	party := func(n string) string { return strings.SplitN(n, "\n", 2)[0] }
	for i := 0; i < len(notes); {
		j := i + 1
		for j < len(notes) && strings.Contains(party(notes[j]), `"party":"UA"`) == strings.Contains(party(notes[i]), `"party":"UA"`) {
			j++
		}
		if r := ls.Post(t, "/api/v1/ledger/entries", postBody(notes[i:j]...)); r.Status != 201 {
			t.Fatalf("post entries %d to %d: %d %s", i+1, j, r.Status, r.Body)
		}
		i = j
	}
}

// mustToken makes a token of role (a party token of party) that expires
// in a day, and returns its secret.
func mustToken(t testing.TB, ts nadra.TokenService, role, party string) string {
	t.Helper()
	id, secret, err := nadra.NewTokenSecret()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	tok := &nadra.Token{ID: id, User: role + party, Role: role, Party: party, CreatedBy: "test", Created: now, Expires: now.Add(24 * time.Hour)}
	if err := ts.CreateToken(context.Background(), tok, nadra.HashToken(secret)); err != nil {
		t.Fatal(err)
	}
	return secret
}

// ledgerTokens maps a ledger test server's host to it, for
// addLedgerToken.
var ledgerTokens sync.Map

// addLedgerToken gives a ledger write to a ledger test server without an
// Authorization header the token its signatures call for: the party
// token of the first entry's party, or of the co-signature added last
// (an auditor's token for an auditor's). The ledger tests are about
// signatures; the tokens have their own (TestLedgerAPI_Tokens, which
// sends its requests itself).
func addLedgerToken(tb testing.TB, req *http.Request) {
	v, ok := ledgerTokens.Load(req.URL.Host)
	if !ok || req.Method != "POST" || req.Header.Get("Authorization") != "" || !strings.HasPrefix(req.URL.Path, "/api/v1/ledger/") {
		return
	}
	ls := v.(*LedgerServer)
	body, err := io.ReadAll(req.Body)
	if err != nil {
		tb.Fatal(err)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	tok := ls.TokenUS
	var b struct {
		Entries    []string
		Checkpoint string
	}
	json.Unmarshal(body, &b)
	switch {
	case len(b.Entries) > 0:
		if strings.Contains(strings.SplitN(b.Entries[0], "\n", 2)[0], `"party":"UA"`) {
			tok = ls.TokenUA
		}
	case b.Checkpoint != "":
		lines := ledger.SignatureLines([]byte(b.Checkpoint))
		if len(lines) > 0 {
			switch ledger.SignatureName(lines[len(lines)-1]) {
			case nadra.PartyUA:
				tok = ls.TokenUA
			case "eiti":
				tok = ls.TokenAuditor
			}
		}
	}
	req.Header.Set("Authorization", "Bearer "+tok)
}

// sign signs an entry with a key, failing the test on error.
func sign(t testing.TB, e *nadra.Entry, skey string) string {
	t.Helper()
	if e.Postings == nil {
		e.Postings = e.StandardPostings()
	}
	msg, err := ledger.SignEntry(e, skey)
	if err != nil {
		t.Fatal(err)
	}
	return string(msg)
}

// signRaw signs any text as a note, as whoever holds the key could.
func signRaw(t testing.TB, text, skey string) string {
	t.Helper()
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		t.Fatal(err)
	}
	return string(msg)
}

// postBody is the body of POST /ledger/entries.
func postBody(notes ...string) string {
	b, _ := json.Marshal(map[string][]string{"entries": notes})
	return string(b)
}

func cosignBody(msg string) string {
	b, _ := json.Marshal(map[string]string{"checkpoint": msg})
	return string(b)
}

// The test flows: the US's and Ukraine's statements, as in the README's
// worked example, and a US correction.
func usCommit() *nadra.Entry {
	return &nadra.Entry{ID: "us-2025-09-commit", Kind: nadra.KindCommitment, Date: "2025-09-17", Period: "2025", Party: "US", From: "US", To: "fund",
		Amount: 7_500_000_000, Currency: "USD", Docs: []string{"DFC press release (2025-09-17)"}}
}

func usCash() *nadra.Entry {
	return &nadra.Entry{ID: "us-2026-01-cash", Kind: nadra.KindContributionCash, Date: "2026-01-20", Period: "2026-Q1", Party: "US", From: "US", To: "fund",
		Amount: 2_500_000_000, Currency: "USD", Ref: "W-1", Docs: []string{"wire W-1 (2026-01-20)"}}
}

func uaCash() *nadra.Entry {
	return &nadra.Entry{ID: "ua-2026-01-cash", Kind: nadra.KindContributionCash, Date: "2026-01-20", Period: "2026-Q1", Party: "UA", From: "US", To: "fund",
		Amount: 2_500_000_000, Currency: "USD", Ref: "W-1", Docs: []string{"fund bank statement (2026-01-31)"}}
}

func uaFee() *nadra.Entry {
	return &nadra.Entry{ID: "ua-2026-02-fee", Kind: nadra.KindReceipt, Date: "2026-02-26", Period: "2026-02", Party: "UA", From: "solartek-esko", To: "UA",
		Stream: nadra.ReceiptFee, Amount: 3_170_000_000, Currency: "UAH", FXRate: "41.5", FXSource: "NBU (2026-02-26)", Licence: "maidanska",
		Docs: []string{"Ekonomichna Pravda (2026-02-26)"}, Public: true}
}

func usCashFix() *nadra.Entry {
	e := usCash()
	e.ID, e.Amount, e.Corrects, e.Docs = "us-2026-01-cash-fix", 2_499_900_000, "us-2026-01-cash", []string{"wire W-1, net of bank fees (2026-01-22)"}
	return e
}

// merkleRoot computes the RFC 6962 root of notes with
// transparency-dev/merkle, a second implementation beside the server's
// (golang.org/x/mod/sumdb/tlog).
func merkleRoot(t testing.TB, notes []string) []byte {
	t.Helper()
	rf := compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}
	r := rf.NewEmptyRange(0)
	for _, n := range notes {
		if err := r.Append(rfc6962.DefaultHasher.HashLeaf([]byte(n)), nil); err != nil {
			t.Fatal(err)
		}
	}
	root, err := r.GetRootHash(nil)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func b64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("%q is not base64: %v", s, err)
	}
	return b
}

func b64s(t testing.TB, ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = b64(t, s)
	}
	return out
}

// ledgerState is a fingerprint of everything the log holds: its signed
// notes in order, every checkpoint note with every co-signature, and the
// keys.
func (ls *LedgerServer) state(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	h := sha256.New()
	n, err := ls.Store.Size(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := ls.Store.Notes(ctx, 0, n, func(i int64, note []byte) error {
		fmt.Fprintf(h, "%d %q\n", i, note)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	cs, err := ls.Store.Checkpoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		fmt.Fprintf(h, "cp %q\n", c.Note)
	}
	keys, _ := ls.Store.Keys(ctx)
	fmt.Fprintf(h, "%v", keys)
	return fmt.Sprintf("%d entries, %d checkpoints, %x", n, len(cs), h.Sum(nil)[:8])
}

// cosign co-signs a checkpoint note with a registered key.
func (ls *LedgerServer) cosign(t testing.TB, msg, skey string) string {
	t.Helper()
	keys, err := ls.Store.Keys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ring, err := ledger.NewKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	out, err := ring.Cosign([]byte(msg), skey)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// checkpointJSON is a checkpoint as the API sends it.
type checkpointJSON struct {
	ID             int64
	Origin         string
	Size           int64
	Root           string
	Note           string
	SignedBy       []string `json:"signed_by"`
	Cosigned       bool
	Missing        []string
	Status         string
	LogSize        int64           `json:"log_size"`
	Uncovered      int64           `json:"uncovered"`
	LatestCosigned *checkpointJSON `json:"latest_cosigned"`
}

type entryJSON struct {
	Index       int64
	ID          string
	Signer      string
	Entry       nadra.Entry
	LeafHash    string `json:"leaf_hash"`
	CorrectedBy string `json:"corrected_by"`
	Note        string
	Proof       *proofJSON
}

type proofJSON struct {
	Index      int64
	ID         string
	LeafHash   string `json:"leaf_hash"`
	TreeSize   int64  `json:"tree_size"`
	Root       string
	Hashes     []string
	Checkpoint *checkpointJSON
}

// TestLedgerAPI_Routes runs the README's worked example through the API:
// both parties post, the log checkpoints, both co-sign over HTTP, and
// every read route answers what the log holds, with proofs checked by a
// second Merkle implementation and an export that verifies offline.
func TestLedgerAPI_Routes(t *testing.T) {
	ls := MustOpenLedgerServer(t, nil)
	ctx := context.Background()

	// An empty log.
	var list struct {
		Total, Size   int64
		Offset, Limit int
		Entries       []entryJSON
	}
	ls.Get(t, "/api/v1/ledger/entries").JSON(t, &list)
	if list.Total != 0 || list.Entries == nil || len(list.Entries) != 0 || list.Limit != 100 {
		t.Fatalf("empty log: %+v", list)
	}
	ls.Get(t, "/api/v1/ledger/checkpoints/latest").Err(t, 404, "not_found", "No checkpoint yet")
	ls.Get(t, "/api/v1/ledger/proof/inclusion?index=0").Err(t, 404, "not_found", "No checkpoint yet")
	var keys struct{ Keys []nadra.LedgerKey }
	ls.Get(t, "/api/v1/ledger/keys").JSON(t, &keys)
	if len(keys.Keys) != 3 || keys.Keys[0].Role != "auditor" || keys.Keys[1].Name != "UA" {
		t.Fatalf("keys %+v", keys.Keys)
	}

	// The parties post their statements.
	usNotes := []string{sign(t, usCommit(), ls.US), sign(t, usCash(), ls.US)}
	uaNotes := []string{sign(t, uaCash(), ls.UA), sign(t, uaFee(), ls.UA)}
	fix := sign(t, usCashFix(), ls.US)
	var posted struct {
		Appended []struct {
			Index      int64
			ID, Signer string
			LeafHash   string `json:"leaf_hash"`
		}
		Size int64
	}
	r := ls.Post(t, "/api/v1/ledger/entries", postBody(usNotes...))
	if r.Status != 201 {
		t.Fatalf("POST: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &posted)
	if len(posted.Appended) != 2 || posted.Appended[1].Index != 1 || posted.Appended[1].ID != "us-2026-01-cash" || posted.Appended[1].Signer != "US" || posted.Size != 2 {
		t.Fatalf("posted %+v", posted)
	}
	// The leaf hash is SHA-256 of 0x00 and the note (RFC 6962).
	if want := base64.StdEncoding.EncodeToString(rfc6962.DefaultHasher.HashLeaf([]byte(usNotes[0]))); posted.Appended[0].LeafHash != want {
		t.Fatalf("leaf hash %s, want %s", posted.Appended[0].LeafHash, want)
	}
	for _, body := range []string{postBody(uaNotes...), postBody(fix)} {
		if r := ls.Post(t, "/api/v1/ledger/entries", body); r.Status != 201 {
			t.Fatalf("POST: %d %s", r.Status, r.Body)
		}
	}
	all := append(append(append([]string{}, usNotes...), uaNotes...), fix)

	// The list, its filters and paging. The log (index: id party kind period):
	// 0 us-2025-09-commit US commitment 2025; 1 us-2026-01-cash US cash 2026-Q1;
	// 2 ua-2026-01-cash UA cash 2026-Q1; 3 ua-2026-02-fee UA receipt 2026-02 maidanska;
	// 4 us-2026-01-cash-fix US cash 2026-Q1, corrects 1.
	for _, tt := range []struct {
		query string
		want  string
		total int64
	}{
		{"", "0 1 2 3 4", 5},
		{"?limit=2&offset=1", "1 2", 5},
		{"?offset=5", "", 5},
		{"?party=US", "0 1 4", 3},
		{"?party=UA", "2 3", 2},
		{"?kind=receipt", "3", 1},
		{"?period=2025", "0", 1},
		{"?period=2026", "1 2 3 4", 4},
		{"?period=2026-Q1", "1 2 3 4", 4},
		{"?period=2026-02", "3", 1},
		{"?licence=maidanska", "3", 1},
		{"?party=US&kind=contribution_cash&period=2026-Q1&limit=1&offset=1", "4", 2},
	} {
		ls.Get(t, "/api/v1/ledger/entries"+tt.query).JSON(t, &list)
		var got []string
		for _, e := range list.Entries {
			got = append(got, fmt.Sprint(e.Index))
		}
		if strings.Join(got, " ") != tt.want || list.Total != tt.total || list.Size != 5 {
			t.Errorf("%s: got %q (total %d, size %d), want %q (total %d, size 5)", tt.query, strings.Join(got, " "), list.Total, list.Size, tt.want, tt.total)
		}
	}
	ls.Get(t, "/api/v1/ledger/entries").JSON(t, &list)
	if e := list.Entries[1]; e.CorrectedBy != "us-2026-01-cash-fix" || e.Entry.Amount != 2_500_000_000 {
		t.Fatalf("the corrected entry: %+v", e)
	}
	if e := list.Entries[4]; e.CorrectedBy != "" || e.Entry.Corrects != "us-2026-01-cash" || e.Signer != "US" {
		t.Fatalf("the correction: %+v", e)
	}
	if e := list.Entries[3]; e.Entry.Currency != "UAH" || e.Entry.FXRate != "41.5" || e.Entry.Amount != 3_170_000_000 {
		t.Fatalf("the UAH receipt: %+v", e.Entry)
	}
	// Amounts are decimal strings on the wire, never floats.
	if r := ls.Get(t, "/api/v1/ledger/entries?kind=receipt"); !bytes.Contains(r.Body, []byte(`"amount":"31700000.00"`)) {
		t.Fatalf("amount not a decimal string: %s", r.Body)
	}

	// Before a checkpoint: the entry without a proof.
	var one entryJSON
	ls.Get(t, "/api/v1/ledger/entries/ua-2026-02-fee").JSON(t, &one)
	if one.Index != 3 || one.Note != uaNotes[1] || one.Proof != nil || one.Signer != "UA" {
		t.Fatalf("entry before a checkpoint: %+v", one)
	}

	// The log checkpoints (on the operator's machine); the parties
	// co-sign over HTTP.
	cp, _, err := ls.Store.Checkpoint(ctx, "nadra.test/log")
	if err != nil {
		t.Fatal(err)
	}
	var latest checkpointJSON
	ls.Get(t, "/api/v1/ledger/checkpoints/latest").JSON(t, &latest)
	if latest.Size != 5 || latest.Cosigned || strings.Join(latest.Missing, ",") != "US,UA" || latest.Status != "at size 5, waiting for US's and UA's co-signatures" ||
		strings.Join(latest.SignedBy, ",") != "nadra.test/log" || latest.Uncovered != 0 || latest.LogSize != 5 || latest.LatestCosigned != nil {
		t.Fatalf("latest before co-signing: %+v", latest)
	}
	// The checkpoint's root is the root of the five notes, by a second
	// implementation.
	if want := merkleRoot(t, all); !bytes.Equal(b64(t, latest.Root), want) {
		t.Fatalf("root %s, want %x", latest.Root, want)
	}
	var view checkpointJSON
	r = ls.Post(t, "/api/v1/ledger/cosignatures", cosignBody(ls.cosign(t, string(cp.Note), ls.US)))
	if r.Status != 200 {
		t.Fatalf("US co-signs: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &view)
	if view.Status != "at size 5, waiting for UA's co-signature" || strings.Join(view.SignedBy, ",") != "nadra.test/log,US" {
		t.Fatalf("after US: %+v", view)
	}
	ls.Post(t, "/api/v1/ledger/cosignatures", cosignBody(ls.cosign(t, string(cp.Note), ls.UA))).JSON(t, &view)
	ls.Post(t, "/api/v1/ledger/cosignatures", cosignBody(ls.cosign(t, string(cp.Note), ls.Auditor))).JSON(t, &view)
	if !view.Cosigned || view.Status != "co-signed by US and UA at size 5" || strings.Join(view.SignedBy, ",") != "nadra.test/log,UA,US,eiti" {
		t.Fatalf("after both and the auditor: %+v", view)
	}
	// The note carries every signature, and they verify with the
	// registered keys alone.
	ring := func() *ledger.Keyring {
		var keys struct{ Keys []nadra.LedgerKey }
		ls.Get(t, "/api/v1/ledger/keys").JSON(t, &keys)
		r, err := ledger.NewKeyring(keys.Keys)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}()
	if c, err := ring.OpenCheckpoint([]byte(view.Note)); err != nil || len(ledger.DefaultPolicy.Missing(c)) != 0 || c.Size != 5 {
		t.Fatalf("the co-signed note: %+v %v", c, err)
	}

	// An entry with its proof in the latest checkpoint, checked here by
	// transparency-dev/merkle against the root in the signed note.
	ls.Get(t, "/api/v1/ledger/entries/us-2026-01-cash").JSON(t, &one)
	if one.Index != 1 || one.CorrectedBy != "us-2026-01-cash-fix" || one.Proof == nil || one.Proof.TreeSize != 5 || one.Proof.Checkpoint == nil || !one.Proof.Checkpoint.Cosigned {
		t.Fatalf("entry: %+v", one)
	}
	c, err := ring.OpenCheckpoint([]byte(one.Proof.Checkpoint.Note))
	if err != nil {
		t.Fatal(err)
	}
	leaf := rfc6962.DefaultHasher.HashLeaf([]byte(one.Note))
	if err := proof.VerifyInclusion(rfc6962.DefaultHasher, 1, 5, leaf, b64s(t, one.Proof.Hashes), c.Root[:]); err != nil {
		t.Fatalf("the inclusion proof does not verify: %v", err)
	}
	// Every entry, by index and by id.
	for i, n := range all {
		var p proofJSON
		ls.Get(t, fmt.Sprintf("/api/v1/ledger/proof/inclusion?index=%d", i)).JSON(t, &p)
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, uint64(i), 5, rfc6962.DefaultHasher.HashLeaf([]byte(n)), b64s(t, p.Hashes), c.Root[:]); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	var p proofJSON
	ls.Get(t, "/api/v1/ledger/proof/inclusion?id=ua-2026-01-cash").JSON(t, &p)
	if p.Index != 2 || p.ID != "ua-2026-01-cash" || p.Checkpoint == nil {
		t.Fatalf("proof by id: %+v", p)
	}
	// In a tree of a size no checkpoint has: the root of the first three
	// entries, and no checkpoint.
	ls.Get(t, "/api/v1/ledger/proof/inclusion?index=1&size=3").JSON(t, &p)
	if root3 := merkleRoot(t, all[:3]); !bytes.Equal(b64(t, p.Root), root3) || p.Checkpoint != nil || p.TreeSize != 3 {
		t.Fatalf("proof in the tree of 3: %+v", p)
	}
	if err := proof.VerifyInclusion(rfc6962.DefaultHasher, 1, 3, rfc6962.DefaultHasher.HashLeaf([]byte(all[1])), b64s(t, p.Hashes), b64(t, p.Root)); err != nil {
		t.Fatal(err)
	}

	// More entries, a second checkpoint that only the US co-signs: the
	// latest waits for UA, and the one before is the latest that binds.
	if r := ls.Post(t, "/api/v1/ledger/entries", postBody(sign(t, &nadra.Entry{ID: "ua-2026-03-transfer", Kind: nadra.KindTransfer, Date: "2026-03-05", Period: "2026-Q1",
		Party: "UA", From: "UA", To: "fund", Amount: 1_585_000_000, Currency: "UAH", FXRate: "41.6", FXSource: "NBU (2026-03-05)", Docs: []string{"payment order 12 (2026-03-05)"}}, ls.UA))); r.Status != 201 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	ls.Get(t, "/api/v1/ledger/checkpoints/latest").JSON(t, &latest)
	if latest.Size != 5 || latest.Uncovered != 1 || latest.LogSize != 6 {
		t.Fatalf("latest with an entry after it: %+v", latest)
	}
	cp2, _, err := ls.Store.Checkpoint(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if r := ls.Post(t, "/api/v1/ledger/cosignatures", cosignBody(ls.cosign(t, string(cp2.Note), ls.US))); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	ls.Get(t, "/api/v1/ledger/checkpoints/latest").JSON(t, &latest)
	if latest.Size != 6 || latest.Status != "at size 6, waiting for UA's co-signature" || latest.LatestCosigned == nil || latest.LatestCosigned.Size != 5 {
		t.Fatalf("latest waiting for UA: %+v", latest)
	}
	var cps struct {
		Total       int64
		Checkpoints []checkpointJSON
	}
	ls.Get(t, "/api/v1/ledger/checkpoints").JSON(t, &cps)
	if cps.Total != 2 || len(cps.Checkpoints) != 2 || cps.Checkpoints[0].Size != 5 || !cps.Checkpoints[0].Cosigned || cps.Checkpoints[1].Cosigned {
		t.Fatalf("checkpoints %+v", cps)
	}
	ls.Get(t, "/api/v1/ledger/checkpoints?limit=1&offset=1").JSON(t, &cps)
	if len(cps.Checkpoints) != 1 || cps.Checkpoints[0].Size != 6 {
		t.Fatalf("checkpoints page %+v", cps)
	}

	// Consistency between the two checkpoints, checked here by the second
	// implementation against both signed roots.
	var cons struct {
		From, To int64
		FromRoot string `json:"from_root"`
		ToRoot   string `json:"to_root"`
		Hashes   []string
	}
	ls.Get(t, "/api/v1/ledger/proof/consistency?from=5").JSON(t, &cons)
	c2, err := ring.OpenCheckpoint(cp2.Note)
	if err != nil {
		t.Fatal(err)
	}
	if cons.From != 5 || cons.To != 6 || !bytes.Equal(b64(t, cons.ToRoot), c2.Root[:]) || !bytes.Equal(b64(t, cons.FromRoot), c.Root[:]) {
		t.Fatalf("consistency %+v", cons)
	}
	if err := proof.VerifyConsistency(rfc6962.DefaultHasher, 5, 6, b64s(t, cons.Hashes), c.Root[:], c2.Root[:]); err != nil {
		t.Fatalf("the consistency proof does not verify: %v", err)
	}
	ls.Get(t, "/api/v1/ledger/proof/consistency?from=2&to=4").JSON(t, &cons)
	if !bytes.Equal(b64(t, cons.FromRoot), merkleRoot(t, all[:2])) || !bytes.Equal(b64(t, cons.ToRoot), merkleRoot(t, all[:4])) {
		t.Fatalf("roots of 2 and 4: %+v", cons)
	}
	if err := proof.VerifyConsistency(rfc6962.DefaultHasher, 2, 4, b64s(t, cons.Hashes), b64(t, cons.FromRoot), b64(t, cons.ToRoot)); err != nil {
		t.Fatal(err)
	}

	// The export: a tar whose three files verify offline. The latest
	// checkpoint lacks UA, so the 2-of-2 policy fails on it, by name;
	// once UA co-signs, the export verifies.
	dir := exportTar(t, ls)
	if _, err := verifyDir(dir); err == nil || !strings.Contains(err.Error(), "checkpoint 2 (size 6): signed by nadra.test/log, US only") {
		t.Fatalf("verify with a checkpoint UA has not signed: %v", err)
	}
	if r := ls.Post(t, "/api/v1/ledger/cosignatures", cosignBody(ls.cosign(t, string(cp2.Note), ls.UA))); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	rep, err := verifyDir(exportTar(t, ls))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Entries != 6 || rep.Checkpoints != 2 || rep.LatestSize != 6 || len(rep.Keys) != 4 {
		t.Fatalf("report %+v", rep)
	}
}

// exportTar downloads the export and unpacks it into a directory.
func exportTar(t *testing.T, ls *LedgerServer) string {
	t.Helper()
	r := ls.Get(t, "/api/v1/ledger/export")
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/x-tar" || !strings.Contains(r.Header.Get("Content-Disposition"), "nadra-ledger.tar") {
		t.Fatalf("export: %d %v", r.Status, r.Header)
	}
	if cl := r.Header.Get("Content-Length"); cl != fmt.Sprint(len(r.Body)) {
		t.Fatalf("Content-Length %s, body %d bytes", cl, len(r.Body))
	}
	dir := t.TempDir()
	tr := tar.NewReader(bytes.NewReader(r.Body))
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		p := filepath.Join(dir, filepath.FromSlash(h.Name))
		if h.Typeflag == tar.TypeDir {
			os.MkdirAll(p, 0o755)
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(names, " "); got != "nadra-ledger/ nadra-ledger/keys nadra-ledger/entries nadra-ledger/checkpoints" {
		t.Fatalf("tar holds %s", got)
	}
	return filepath.Join(dir, "nadra-ledger")
}

// verifyDir runs the offline verification on an export directory.
func verifyDir(dir string) (*ledger.Report, error) {
	open := func(n string) io.Reader {
		b, _ := os.ReadFile(filepath.Join(dir, n))
		return bytes.NewReader(b)
	}
	return ledger.Verify(ledger.Export{Keys: open(ledger.KeysFile), Entries: open(ledger.EntriesFile), Checkpoints: open(ledger.CheckpointsFile)}, ledger.DefaultPolicy)
}

// TestLedgerAPI_Refusals sends every kind of bad write and bad read: each
// is refused with its status, a JSON error naming the entry or the
// parameter, and the log exactly as it was.
func TestLedgerAPI_Refusals(t *testing.T) {
	ls := MustOpenLedgerServer(t, nil)
	ctx := context.Background()
	commit, cash := sign(t, usCommit(), ls.US), sign(t, usCash(), ls.US)
	if r := ls.Post(t, "/api/v1/ledger/entries", postBody(commit, cash)); r.Status != 201 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	cp, _, err := ls.Store.Checkpoint(ctx, "nadra.test/log")
	if err != nil {
		t.Fatal(err)
	}
	if r := ls.Post(t, "/api/v1/ledger/cosignatures", cosignBody(ls.cosign(t, string(cp.Note), ls.US))); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	before := ls.state(t)

	uaFix := uaCash()
	uaFix.ID, uaFix.Corrects = "ua-fix", "us-2026-01-cash" // UA correcting a US entry
	invalid := usCash()
	invalid.ID, invalid.Amount = "us-negative", -5
	invalid.Postings = []nadra.Posting{{Account: "fund:cash", Debit: 5}, {Account: "us:capital", Credit: 5}}
	changed := strings.Replace(cash, `"amount":"25000000.00"`, `"amount":"95000000.00"`, 1)
	if changed == cash {
		t.Fatal("the test did not change the amount")
	}
	strangerUA, _ := testLedgerKey(t, 10, "UA")
	forgedCosig := func() string { // UA's co-signature with a key nobody registered
		s, _ := note.NewSigner(strangerUA)
		keys, _ := ls.Store.Keys(ctx)
		var vs []note.Verifier
		for _, k := range keys {
			v, _ := note.NewVerifier(k.Key)
			vs = append(vs, v)
		}
		n, err := note.Open(cp.Note, note.VerifierList(vs...))
		if err != nil {
			t.Fatal(err)
		}
		m, _ := note.Sign(n, s)
		return string(m)
	}()
	otherLog, _ := ledger.SignCheckpoint(ls.LogOther, 2, [32]byte{7})
	many := make([]string, server.MaxLedgerPost+1)
	for i := range many {
		many[i] = commit
	}
	ct := func(v string) map[string]string { return map[string]string{"Content-Type": v} }
	tests := []struct {
		name, path, body string
		header           map[string]string
		status           int
		code, want       string
	}{
		{"UnknownKey", "/entries", postBody(sign(t, usCashFix(), ls.StrangerUS)), nil, 401, "unauthorized", "entry 1: signature: no registered key signed this entry (signed by unknown key US)"},
		{"ChangedAfterSigning", "/entries", postBody(changed), nil, 401, "unauthorized", "entry 1: signature: the signature by US does not verify"},
		{"SecondOfTwoUnknown", "/entries", postBody(sign(t, uaCash(), ls.UA), sign(t, usCashFix(), ls.StrangerUS)), nil, 401, "unauthorized", "entry 2: signature"},
		{"OtherPartysEntry", "/entries", postBody(signRaw(t, string(ledger.Canonical(usCashFix())), ls.UA)), nil, 403, "forbidden", "entry 1: signature: entry us-2026-01-cash-fix is US's, but signed by UA"},
		{"AuditorSigned", "/entries", postBody(signRaw(t, string(ledger.Canonical(usCashFix())), ls.Auditor)), nil, 403, "forbidden", "signed by eiti, the auditor key"},
		{"ForeignCorrection", "/entries", postBody(sign(t, uaFix, ls.UA)), nil, 403, "forbidden", "entry 1 (ua-fix): corrects us-2026-01-cash, which is US's entry"},
		{"Replay", "/entries", postBody(cash), nil, 409, "conflict", "entry 1 (us-2026-01-cash): already in the log as entry 1 (a replay"},
		{"ReplayAfterNew", "/entries", postBody(sign(t, usCashFix(), ls.US), commit), nil, 409, "conflict", "entry 2 (us-2025-09-commit): already in the log as entry 0"},
		{"ReusedID", "/entries", postBody(sign(t, func() *nadra.Entry { e := usCash(); e.Amount = 1; return e }(), ls.US)), nil, 409, "conflict", "already used by entry 1 with other content"},
		{"InvalidEntry", "/entries", postBody(signRaw(t, string(ledger.Canonical(invalid)), ls.US)), nil, 400, "invalid", "entry 1: entry us-negative: amount"},
		{"NotANote", "/entries", postBody("hello"), nil, 400, "invalid", "entry 1: signature: malformed signed entry"},
		{"Unsigned", "/entries", postBody(string(ledger.Canonical(usCashFix()))), nil, 401, "unauthorized", "entry 1: signature: the entry is not signed"},
		{"NoEntries", "/entries", postBody(), nil, 400, "invalid", "entries"},
		{"TooManyEntries", "/entries", postBody(many...), nil, 400, "invalid", "entries"},
		{"NotJSON", "/entries", "entries=1", nil, 400, "invalid", ""},
		{"EntriesNotStrings", "/entries", `{"entries": [{"id": "us-1"}]}`, nil, 400, "invalid", "entries"},
		{"UnknownField", "/entries", `{"entries": ["x"], "key": "PRIVATE+KEY+US"}`, nil, 400, "invalid", "key"},
		{"TooLarge", "/entries", postBody(strings.Repeat("x", server.DefaultMaxBodyBytes)), nil, 413, "too_large", "limit"},
		{"TextPlain", "/entries", postBody(cash), ct("text/plain"), 415, "unsupported_media_type", "Content-Type text/plain"},
		{"Form", "/entries", "entries=x", ct("application/x-www-form-urlencoded"), 415, "unsupported_media_type", "application/json"},
		{"NoContentType", "/entries", postBody(cash), ct(""), 415, "unsupported_media_type", "Content-Type none"},
		{"CrossSite", "/entries", postBody(sign(t, usCashFix(), ls.US)), map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://example.org"}, 403, "forbidden", "Cross-site request refused"},
		{"CrossOriginNoFetchMetadata", "/entries", postBody(sign(t, usCashFix(), ls.US)), map[string]string{"Origin": "https://example.org"}, 403, "forbidden", "Cross-site"},
		{"CosignUnknownKey", "/cosignatures", cosignBody(forgedCosig), nil, 401, "unauthorized", "the signature by UA is by no registered key"},
		{"CosignOtherLog", "/cosignatures", cosignBody(string(otherLog)), nil, 401, "unauthorized", "no registered key signed this checkpoint"},
		{"CosignChanged", "/cosignatures", cosignBody(strings.Replace(ls.cosign(t, string(cp.Note), ls.UA), "\n2\n", "\n3\n", 1)), nil, 401, "unauthorized", "does not verify"},
		{"CosignLogOnly", "/cosignatures", cosignBody(string(cp.Note)), nil, 400, "invalid", "carries the log's signature only"},
		{"CosignReplay", "/cosignatures", cosignBody(ls.cosign(t, string(cp.Note), ls.US)), nil, 409, "conflict", "no new co-signature"},
		{"CosignNotANote", "/cosignatures", cosignBody("size 2"), nil, 400, "invalid", "malformed"},
		{"CosignUnsigned", "/cosignatures", cosignBody(string(cp.Note[:bytes.Index(cp.Note, []byte("\n\n"))+1])), nil, 401, "unauthorized", "the checkpoint is not signed"},
		{"CosignEmpty", "/cosignatures", cosignBody(""), nil, 400, "invalid", "checkpoint"},
		{"CosignTextPlain", "/cosignatures", cosignBody(string(cp.Note)), ct("text/plain"), 415, "unsupported_media_type", "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest("POST", ls.URL()+"/api/v1/ledger"+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			for k, v := range tt.header {
				if v == "" {
					req.Header.Del(k)
				} else {
					req.Header.Set(k, v)
				}
			}
			r := do(t, req)
			r.Err(t, tt.status, tt.code, tt.want)
			if tt.status == 401 && r.Header.Get("WWW-Authenticate") != `Signed-Note realm="nadra ledger"` {
				t.Errorf("401 without WWW-Authenticate: %v", r.Header)
			}
			if after := ls.state(t); after != before {
				t.Fatalf("a refused write changed the log: %s, was %s", after, before)
			}
		})
	}

	// Reads with bad parameters.
	for _, tt := range []struct {
		path   string
		status int
		code   string
		want   string
	}{
		{"/entries/no-such-entry", 404, "not_found", `no entry with id "no-such-entry"`},
		{"/entries/bad%20id", 400, "invalid", "path parameter id"},
		{"/entries?limit=5000", 400, "invalid", "query parameter limit"},
		{"/entries?limit=0", 400, "invalid", "query parameter limit"},
		{"/entries?offset=-1", 400, "invalid", "query parameter offset"},
		{"/entries?offset=1e3", 400, "invalid", "offset"},
		{"/entries?party=EU", 400, "invalid", "query parameter party"},
		{"/entries?kind=gift", 400, "invalid", "query parameter kind"},
		{"/entries?period=2026-Q5", 400, "invalid", "query parameter period"},
		{"/entries?licence=" + strings.Repeat("x", 101), 400, "invalid", "query parameter licence"},
		{"/checkpoints?limit=100000", 400, "invalid", "limit"},
		{"/proof/inclusion", 400, "invalid", "id: give the entry's id or its index"},
		{"/proof/inclusion?id=us-2025-09-commit&index=0", 400, "invalid", "not both"},
		{"/proof/inclusion?id=nope", 404, "not_found", "nope"},
		{"/proof/inclusion?index=2", 404, "not_found", "Entry 2 is not in the tree of size 2"},
		{"/proof/inclusion?index=-1", 400, "invalid", "index"},
		{"/proof/inclusion?index=0&size=3", 400, "invalid", "size: 3, but the log has 2 entries"},
		{"/proof/inclusion?index=x", 400, "invalid", "index"},
		{"/proof/consistency", 400, "invalid", "from"},
		{"/proof/consistency?from=0", 400, "invalid", "from"},
		{"/proof/consistency?from=2&to=1", 400, "invalid", "expected 1 ≤ from ≤ to ≤ 2"},
		{"/proof/consistency?from=1&to=3", 400, "invalid", "expected 1 ≤ from ≤ to ≤ 2"},
	} {
		ls.Get(t, "/api/v1/ledger"+tt.path).Err(t, tt.status, tt.code, tt.want)
	}
	if r := ls.Do(t, "DELETE", "/api/v1/ledger/entries/us-2026-01-cash", nil); r.Status != 405 || r.Header.Get("Allow") != "GET" {
		t.Fatalf("DELETE an entry: %d %v", r.Status, r.Header)
	}
	if r := ls.Do(t, "PUT", "/api/v1/ledger/entries", nil); r.Status != 405 || r.Header.Get("Allow") != "GET, POST" {
		t.Fatalf("PUT entries: %d %v", r.Status, r.Header)
	}
	if after := ls.state(t); after != before {
		t.Fatalf("reads changed the log: %s, was %s", after, before)
	}
	// A browser on the same origin may write: the refusal is for other
	// sites.
	req, _ := http.NewRequest("POST", ls.URL()+"/api/v1/ledger/entries", strings.NewReader(postBody(sign(t, usCashFix(), ls.US))))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if r := do(t, req); r.Status != 201 {
		t.Fatalf("same-origin POST: %d %s", r.Status, r.Body)
	}
}

// slowLedger holds each Append and each pass over the notes until its
// gate is closed, and says when one is waiting.
type slowLedger struct {
	server.LedgerService
	appendGate, notesGate   chan struct{}
	appendWaits, notesWaits chan struct{}
}

func newSlowLedger() *slowLedger {
	return &slowLedger{appendGate: make(chan struct{}), notesGate: make(chan struct{}),
		appendWaits: make(chan struct{}, 16), notesWaits: make(chan struct{}, 16)}
}

func (s *slowLedger) Append(ctx context.Context, notes [][]byte) ([]nadra.LedgerRecord, error) {
	s.appendWaits <- struct{}{}
	select {
	case <-s.appendGate:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return s.LedgerService.Append(ctx, notes)
}

func (s *slowLedger) Notes(ctx context.Context, from, to int64, fn func(int64, []byte) error) error {
	s.notesWaits <- struct{}{}
	<-s.notesGate
	return s.LedgerService.Notes(ctx, from, to, fn)
}

// TestLedgerAPI_Budgets: writes go one at a time within the write budget,
// past which a waiting write is a 503 with Retry-After and the log is
// unchanged; exports stream two at a time.
func TestLedgerAPI_Budgets(t *testing.T) {
	slow := newSlowLedger()
	ls := MustOpenLedgerServer(t, func(s *server.Server) {
		slow.LedgerService = s.Ledger
		s.Ledger = slow
		s.LedgerWriteBudget = 300 * time.Millisecond
	})
	first := make(chan Response, 1)
	go func() { first <- ls.Post(t, "/api/v1/ledger/entries", postBody(sign(t, usCommit(), ls.US))) }()
	<-slow.appendWaits // the first write holds the slot
	before := ls.state(t)
	r := ls.Post(t, "/api/v1/ledger/entries", postBody(sign(t, usCash(), ls.US)))
	r.Err(t, 503, "timeout", "nothing was written")
	if r.Header.Get("Retry-After") != "1" {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	if after := ls.state(t); after != before {
		t.Fatalf("the log changed: %s, was %s", after, before)
	}
	// The first write, held past its own budget, is stopped too, and
	// appends nothing.
	(<-first).Err(t, 503, "timeout", "nothing was written")
	if n, _ := ls.Store.Size(context.Background()); n != 0 {
		t.Fatalf("%d entries after two stopped writes", n)
	}
	// A write within the budget goes through.
	close(slow.appendGate)
	if r := ls.Post(t, "/api/v1/ledger/entries", postBody(sign(t, usCommit(), ls.US))); r.Status != 201 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}

	// Exports: two stream at once, a third is told to come back.
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := ls.Get(t, "/api/v1/ledger/export"); r.Status != 200 {
				t.Errorf("export: %d", r.Status)
			}
		}()
	}
	<-slow.notesWaits
	<-slow.notesWaits
	r = ls.Get(t, "/api/v1/ledger/export")
	r.Err(t, 503, "timeout", "exports are already streaming")
	if r.Header.Get("Retry-After") == "" {
		t.Fatalf("no Retry-After")
	}
	close(slow.notesGate)
	wg.Wait()
	if r := ls.Get(t, "/api/v1/ledger/export"); r.Status != 200 {
		t.Fatalf("an export after the others: %d %s", r.Status, r.Body)
	}
}

// TestLedgerAPI_OpenAPI: the ledger's routes are in the OpenAPI document
// (TestOpenAPI validates it), the writes with their security scheme and
// every refusal status, and the kind filter lists every entry kind.
func TestLedgerAPI_OpenAPI(t *testing.T) {
	s := MustOpenServer(t, nil)
	var doc struct {
		Paths map[string]map[string]struct {
			Security   []map[string][]string
			Responses  map[string]any
			Parameters []struct {
				Name   string
				Schema struct{ Enum []string }
			}
		}
		Components struct {
			SecuritySchemes map[string]struct{ Type, Scheme, Description string }
		}
	}
	s.Get(t, "/api/v1/openapi.json").JSON(t, &doc)
	scheme := doc.Components.SecuritySchemes["signedNote"]
	if scheme.Type != "http" || scheme.Scheme != "Signed-Note" || !strings.Contains(scheme.Description, "Ed25519") {
		t.Fatalf("security scheme %+v", scheme)
	}
	for _, p := range []string{"/ledger/entries", "/ledger/cosignatures"} {
		op := doc.Paths[p]["post"]
		if len(op.Security) != 1 || op.Security[0]["signedNote"] == nil {
			t.Errorf("POST %s: security %v", p, op.Security)
		}
		for _, st := range []string{"400", "401", "403", "409", "413", "415", "503"} {
			if op.Responses[st] == nil {
				t.Errorf("POST %s: no %s response documented", p, st)
			}
		}
	}
	for _, p := range []string{"/ledger/entries", "/ledger/entries/{id}", "/ledger/checkpoints", "/ledger/checkpoints/latest", "/ledger/proof/inclusion",
		"/ledger/proof/consistency", "/ledger/keys", "/ledger/export"} {
		if op, ok := doc.Paths[p]["get"]; !ok || op.Security == nil || len(op.Security) != 0 {
			t.Errorf("GET %s: missing, or not declared public (security %v, want [])", p, op.Security)
		}
	}
	for _, prm := range doc.Paths["/ledger/entries"]["get"].Parameters {
		if prm.Name == "kind" && strings.Join(prm.Schema.Enum, ",") != strings.Join(nadra.EntryKinds, ",") {
			t.Errorf("kind enum %v, want %v", prm.Schema.Enum, nadra.EntryKinds)
		}
	}
}

// TestLedgerAPI_CorrectionsLater: corrections posted after the server has
// read the log show on the entries they correct, the latest winning.
func TestLedgerAPI_CorrectionsLater(t *testing.T) {
	ls := MustOpenLedgerServer(t, nil)
	post := func(e *nadra.Entry) {
		t.Helper()
		if r := ls.Post(t, "/api/v1/ledger/entries", postBody(sign(t, e, ls.US))); r.Status != 201 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	}
	correctedBy := func(id string) string {
		t.Helper()
		var e entryJSON
		ls.Get(t, "/api/v1/ledger/entries/"+id).JSON(t, &e)
		return e.CorrectedBy
	}
	post(usCash())
	if c := correctedBy("us-2026-01-cash"); c != "" {
		t.Fatalf("corrected by %q before any correction", c)
	}
	post(usCashFix())
	if c := correctedBy("us-2026-01-cash"); c != "us-2026-01-cash-fix" {
		t.Fatalf("corrected by %q, want us-2026-01-cash-fix", c)
	}
	fix2 := usCashFix()
	fix2.ID, fix2.Amount = "us-2026-01-cash-fix2", 2_499_800_000
	post(fix2)
	fixOfFix := usCashFix()
	fixOfFix.ID, fixOfFix.Corrects = "us-2026-01-cash-fix-fix", "us-2026-01-cash-fix"
	post(fixOfFix)
	if c := correctedBy("us-2026-01-cash"); c != "us-2026-01-cash-fix2" {
		t.Fatalf("corrected by %q, want the latest, us-2026-01-cash-fix2", c)
	}
	if c := correctedBy("us-2026-01-cash-fix"); c != "us-2026-01-cash-fix-fix" {
		t.Fatalf("the first correction is corrected by %q", c)
	}
}
