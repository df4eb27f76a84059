package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"nadra"
	"nadra/ledger"

	"github.com/jackc/pgx/v5"
	"golang.org/x/mod/sumdb/tlog"
)

// LedgerService implements nadra.LedgerStore: the log of signed entries,
// its tree and its checkpoints. Appends and checkpoints take the write
// lock, so they run one at a time across every process on the database;
// each is one transaction, so a crash leaves either all of an append or
// none of it, and a checkpoint only ever covers committed entries.
type LedgerService struct{ db *DB }

// NewLedgerService returns a ledger service on db.
func NewLedgerService(db *DB) *LedgerService { return &LedgerService{db: db} }

var _ nadra.LedgerStore = (*LedgerService)(nil)

// RegisterKey adds a public key. Registering the same key again changes
// nothing; another key under a registered name is ECONFLICT.
func (s *LedgerService) RegisterKey(ctx context.Context, k nadra.LedgerKey) error {
	if _, err := ledger.NewKeyring([]nadra.LedgerKey{k}); err != nil {
		return err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.rollback()
	var role, key string
	err = tx.QueryRow(ctx, `SELECT role, key FROM ledger_keys WHERE name = $1`, k.Name).Scan(&role, &key)
	switch {
	case err == nil && key == k.Key && role == k.Role:
		return nil
	case err == nil:
		return nadra.Errorf(nadra.ECONFLICT, "a %s key named %s is already registered; keys are never replaced", role, k.Name)
	case !errors.Is(err, pgx.ErrNoRows):
		return formatError(err)
	}
	if k.Role == nadra.RoleLog {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM ledger_keys WHERE role = 'log'`).Scan(&n); err != nil {
			return formatError(err)
		}
		if n > 0 {
			return nadra.Errorf(nadra.ECONFLICT, "the log already has a key")
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO ledger_keys (name, role, key, added_at) VALUES ($1, $2, $3, $4)`,
		k.Name, k.Role, k.Key, tx.now); err != nil {
		return formatError(err)
	}
	tx.touch(nadra.ChangeLedger)
	return tx.commit(ctx)
}

// Keys returns every registered key, the log's first.
func (s *LedgerService) Keys(ctx context.Context) ([]nadra.LedgerKey, error) {
	return keys(ctx, s.db.pool)
}

func keys(ctx context.Context, q querier) ([]nadra.LedgerKey, error) {
	var out []nadra.LedgerKey
	err := scanRows(ctx, q, `SELECT name, role, key FROM ledger_keys ORDER BY role <> 'log', role, name`, func(r pgx.Rows) error {
		var k nadra.LedgerKey
		if err := r.Scan(&k.Name, &k.Role, &k.Key); err != nil {
			return err
		}
		out = append(out, k)
		return nil
	})
	return out, err
}

func (s *LedgerService) keyring(ctx context.Context) (*ledger.Keyring, error) {
	ks, err := s.Keys(ctx)
	if err != nil {
		return nil, err
	}
	return ledger.NewKeyring(ks)
}

// txHashes reads stored hashes in a transaction, with the hashes this
// transaction is about to store kept in memory.
type txHashes struct {
	ctx     context.Context
	q       querier
	pending map[int64]tlog.Hash
}

func (h *txHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var missing []int64
	for i, x := range indexes {
		if v, ok := h.pending[x]; ok {
			out[i] = v
			continue
		}
		missing = append(missing, x)
	}
	if len(missing) == 0 {
		return out, nil
	}
	got := map[int64]tlog.Hash{}
	err := scanRows(h.ctx, h.q, `SELECT idx, hash FROM ledger_hashes WHERE idx = ANY($1)`, func(r pgx.Rows) error {
		var x int64
		var b []byte
		if err := r.Scan(&x, &b); err != nil {
			return err
		}
		if len(b) != tlog.HashSize {
			return fmt.Errorf("ledger: stored hash %d has %d bytes", x, len(b))
		}
		var v tlog.Hash
		copy(v[:], b)
		got[x] = v
		return nil
	}, missing)
	if err != nil {
		return nil, err
	}
	for i, x := range indexes {
		if _, ok := h.pending[x]; ok {
			continue
		}
		v, ok := got[x]
		if !ok {
			return nil, fmt.Errorf("ledger: stored hash %d is missing", x)
		}
		out[i] = v
	}
	return out, nil
}

func size(ctx context.Context, q querier) (int64, error) {
	var n int64
	// A leaf is an entry or an audit record.
	err := q.QueryRow(ctx, `SELECT COALESCE(GREATEST((SELECT MAX(idx) FROM ledger_entries), (SELECT MAX(idx) FROM audit_records)) + 1, 0)`).Scan(&n)
	return n, formatError(err)
}

// Size returns the number of entries in the log.
func (s *LedgerService) Size(ctx context.Context) (int64, error) {
	return size(ctx, s.db.pool)
}

// MaxAppend bounds the entries of one append.
const MaxAppend = 100_000

// Append verifies the signed entries against the registered party keys,
// in parallel, then appends them in order in one transaction: all or none.
// It refuses, naming the entry: an unknown key or a bad signature
// (EUNAUTHORIZED), an entry signed by a key other than its party's
// (EFORBIDDEN), an id already in the log (ECONFLICT: a replay, or a
// reused id), an id twice in the batch, and a correction of an entry that
// is not in the log (EINVALID) or is another party's (EFORBIDDEN). The
// rows go in with COPY, so a large append costs a few round trips.
func (s *LedgerService) Append(ctx context.Context, notes [][]byte) ([]nadra.LedgerRecord, error) {
	if len(notes) == 0 {
		return nil, nadra.Errorf(nadra.EINVALID, "no entries to append")
	}
	if len(notes) > MaxAppend {
		return nil, nadra.Errorf(nadra.EINVALID, "%d entries in one append; at most %d", len(notes), MaxAppend)
	}
	ring, err := s.keyring(ctx)
	if err != nil {
		return nil, err
	}
	recs, err := openAll(ctx, ring, notes)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	n, err := size(ctx, tx)
	if err != nil {
		return nil, err
	}
	// The stored entries the batch names, by id or by what it corrects.
	var ids []string
	for i := range recs {
		ids = append(ids, recs[i].Entry.ID)
		if c := recs[i].Entry.Corrects; c != "" {
			ids = append(ids, c)
		}
	}
	stored := map[string]storedEntry{}
	err = scanRows(ctx, tx, `SELECT id, idx, note, party FROM ledger_entries WHERE id = ANY($1)`, func(r pgx.Rows) error {
		var id string
		var e storedEntry
		if err := r.Scan(&id, &e.idx, &e.note, &e.party); err != nil {
			return err
		}
		stored[id] = e
		return nil
	}, ids)
	if err != nil {
		return nil, err
	}
	hr := &txHashes{ctx: ctx, q: tx, pending: map[int64]tlog.Hash{}}
	batch := map[string]int{}
	var entryRows, hashRows [][]any
	for i := range recs {
		r := &recs[i]
		e := &r.Entry
		if j, dup := batch[e.ID]; dup {
			return nil, nadra.Errorf(nadra.EINVALID, "entry %d (%s): the same id as entry %d of this batch", i+1, e.ID, j+1)
		}
		batch[e.ID] = i
		if err := checkNew(stored, e, r.Note, batch, recs); err != nil {
			return nil, nadra.Errorf(nadra.ErrorCode(err), "entry %d (%s): %s; nothing was appended", i+1, e.ID, nadra.ErrorMessage(err))
		}
		r.Index = n + int64(i)
		hs, err := tlog.StoredHashesForRecordHash(r.Index, ledger.LeafHash(r.Note), hr)
		if err != nil {
			return nil, err
		}
		base := tlog.StoredHashIndex(0, r.Index)
		for j, h := range hs {
			hr.pending[base+int64(j)] = h
			hashRows = append(hashRows, []any{base + int64(j), h[:]})
		}
		entryRows = append(entryRows, []any{r.Index, e.ID, e.Party, e.Kind, e.Date, e.Period, e.Licence, e.Corrects, r.Note, tx.now})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"ledger_hashes"}, []string{"idx", "hash"}, pgx.CopyFromRows(hashRows)); err != nil {
		return nil, formatError(err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"ledger_entries"}, []string{"idx", "id", "party", "kind", "date", "period", "licence", "corrects", "note", "added_at"},
		pgx.CopyFromRows(entryRows)); err != nil {
		return nil, formatError(err)
	}
	tx.touch(nadra.ChangeLedger)
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	return recs, nil
}

// storedEntry is what an append checks of an entry in the log.
type storedEntry struct {
	idx   int64
	note  []byte
	party string
}

// openAll verifies and decodes the notes, on every core and with batched
// signature checks; the first failure by position is returned.
func openAll(ctx context.Context, ring *ledger.Keyring, notes [][]byte) ([]nadra.LedgerRecord, error) {
	entries, signers, errs := ring.OpenEntries(notes)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	recs := make([]nadra.LedgerRecord, len(notes))
	for i, err := range errs {
		if err != nil {
			return nil, nadra.Errorf(nadra.ErrorCode(err), "entry %d: %s; nothing was appended", i+1, nadra.ErrorMessage(err))
		}
		recs[i] = nadra.LedgerRecord{Note: notes[i], Entry: *entries[i], Signer: signers[i]}
	}
	return recs, nil
}

// checkNew checks an entry against the log: its id is new, and what it
// corrects is an earlier entry of the same party (in the log or earlier in
// the batch).
func checkNew(stored map[string]storedEntry, e *nadra.Entry, note []byte, batch map[string]int, recs []nadra.LedgerRecord) error {
	if old, ok := stored[e.ID]; ok {
		if string(old.note) == string(note) {
			return nadra.Errorf(nadra.ECONFLICT, "already in the log as entry %d (a replay of the same signed entry); the log is unchanged", old.idx)
		}
		return nadra.Errorf(nadra.ECONFLICT, "the id is already used by entry %d with other content; a correction is a new entry with its own id and \"corrects\": %q", old.idx, e.ID)
	}
	if e.Corrects == "" {
		return nil
	}
	if j, ok := batch[e.Corrects]; ok && recs[j].Entry.ID == e.Corrects {
		if recs[j].Entry.Party != e.Party {
			return nadra.Errorf(nadra.EFORBIDDEN, "corrects %s, which is %s's entry; a party corrects its own", e.Corrects, recs[j].Entry.Party)
		}
		return nil
	}
	old, ok := stored[e.Corrects]
	switch {
	case !ok:
		return nadra.Errorf(nadra.EINVALID, "corrects %s, which is not in the log", e.Corrects)
	case old.party != e.Party:
		return nadra.Errorf(nadra.EFORBIDDEN, "corrects %s, which is %s's entry; a party corrects its own", e.Corrects, old.party)
	}
	return nil
}

// Records returns the records with index in [from, to), decoded.
func (s *LedgerService) Records(ctx context.Context, from, to int64) ([]nadra.LedgerRecord, error) {
	ring, err := s.keyring(ctx)
	if err != nil {
		return nil, err
	}
	var out []nadra.LedgerRecord
	err = scanRows(ctx, s.db.pool, `SELECT idx, note FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx`, func(r pgx.Rows) error {
		var rec nadra.LedgerRecord
		if err := r.Scan(&rec.Index, &rec.Note); err != nil {
			return err
		}
		e, signer, err := ring.OpenEntry(rec.Note)
		if err != nil {
			return fmt.Errorf("ledger entry %d does not verify: %w", rec.Index, err)
		}
		rec.Entry, rec.Signer = *e, signer
		out = append(out, rec)
		return nil
	}, from, to)
	return out, err
}

// Notes streams the signed notes with index in [from, to) to fn, in order,
// without decoding them: every leaf, entries and audit records.
func (s *LedgerService) Notes(ctx context.Context, from, to int64, fn func(idx int64, note []byte) error) error {
	return scanRows(ctx, s.db.pool, `SELECT idx, note FROM ledger_entries WHERE idx >= $1 AND idx < $2
		UNION ALL SELECT idx, note FROM audit_records WHERE idx >= $1 AND idx < $2 ORDER BY idx`, func(r pgx.Rows) error {
		var i int64
		var n []byte
		if err := r.Scan(&i, &n); err != nil {
			return err
		}
		return fn(i, n)
	}, from, to)
}

// hashReader reads stored hashes in a read-only transaction, so that a
// proof and its root come from one tree.
func (s *LedgerService) hashReader(ctx context.Context) (*txHashes, *Tx, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, nil, err
	}
	return &txHashes{ctx: ctx, q: tx}, tx, nil
}

// Prove returns the inclusion proof of entry n in the tree of size t,
// with that tree's root.
func (s *LedgerService) Prove(ctx context.Context, n, t int64) (tlog.RecordProof, tlog.Hash, error) {
	hr, tx, err := s.hashReader(ctx)
	if err != nil {
		return nil, tlog.Hash{}, err
	}
	defer tx.rollback()
	sz, err := size(ctx, tx)
	if err != nil {
		return nil, tlog.Hash{}, err
	}
	if t <= 0 || t > sz {
		return nil, tlog.Hash{}, nadra.Errorf(nadra.EINVALID, "tree size %d: the log has %d entries", t, sz)
	}
	if n < 0 || n >= t {
		return nil, tlog.Hash{}, nadra.Errorf(nadra.ENOTFOUND, "entry %d is not in the tree of size %d", n, t)
	}
	p, err := tlog.ProveRecord(t, n, hr)
	if err != nil {
		return nil, tlog.Hash{}, err
	}
	root, err := tlog.TreeHash(t, hr)
	return p, root, err
}

// ProveConsistency returns the proof that the tree of size n is a prefix
// of the tree of size t, with both roots.
func (s *LedgerService) ProveConsistency(ctx context.Context, t, n int64) (tlog.TreeProof, tlog.Hash, tlog.Hash, error) {
	hr, tx, err := s.hashReader(ctx)
	if err != nil {
		return nil, tlog.Hash{}, tlog.Hash{}, err
	}
	defer tx.rollback()
	sz, err := size(ctx, tx)
	if err != nil {
		return nil, tlog.Hash{}, tlog.Hash{}, err
	}
	if n < 1 || n > t || t > sz {
		return nil, tlog.Hash{}, tlog.Hash{}, nadra.Errorf(nadra.EINVALID, "sizes %d and %d: expected 1 ≤ old ≤ new ≤ %d", n, t, sz)
	}
	p, err := tlog.ProveTree(t, n, hr)
	if err != nil {
		return nil, tlog.Hash{}, tlog.Hash{}, err
	}
	newRoot, err := tlog.TreeHash(t, hr)
	if err != nil {
		return nil, tlog.Hash{}, tlog.Hash{}, err
	}
	oldRoot, err := tlog.TreeHash(n, hr)
	return p, newRoot, oldRoot, err
}

// HashReader returns a reader of the stored hashes for proofs, and a
// function to release it.
func (s *LedgerService) HashReader(ctx context.Context) (tlog.HashReader, func(), error) {
	hr, tx, err := s.hashReader(ctx)
	if err != nil {
		return nil, nil, err
	}
	return hr, tx.rollback, nil
}

// IDIndex returns the index of the entry with an id.
func (s *LedgerService) IDIndex(ctx context.Context, id string) (int64, error) {
	var i int64
	err := s.db.pool.QueryRow(ctx, `SELECT idx FROM ledger_entries WHERE id = $1`, id).Scan(&i)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nadra.Errorf(nadra.ENOTFOUND, "no entry with id %q", id)
	}
	return i, formatError(err)
}

// logSigner returns the log's private key, making it (with origin as its
// name) and registering its public key on first use.
func logSigner(ctx context.Context, tx *Tx, origin string) (string, error) {
	var skey string
	err := tx.QueryRow(ctx, `SELECT private_key FROM ledger_log_key WHERE id = 1`).Scan(&skey)
	if err == nil {
		return skey, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return "", formatError(err)
	}
	skey, vkey, err := ledger.GenerateKey(nil, origin)
	if err != nil {
		return "", err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO ledger_log_key (id, private_key) VALUES (1, $1)`, skey); err != nil {
		return "", formatError(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO ledger_keys (name, role, key, added_at) VALUES ($1, 'log', $2, $3)`,
		origin, vkey, tx.now); err != nil {
		return "", formatError(err)
	}
	return skey, nil
}

// Checkpoint signs the current tree with the log's key (made on first
// use, named origin) and stores it. If the latest checkpoint already
// covers every entry, it is returned instead, with false.
func (s *LedgerService) Checkpoint(ctx context.Context, origin string) (*nadra.LedgerCheckpoint, bool, error) {
	if origin == "" {
		origin = nadra.DefaultLedgerOrigin
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.rollback()
	n, err := size(ctx, tx)
	if err != nil {
		return nil, false, err
	}
	if n == 0 {
		return nil, false, nadra.Errorf(nadra.EINVALID, "the log is empty; post entries first")
	}
	if last, err := latestCheckpoint(ctx, tx); err != nil {
		return nil, false, err
	} else if last != nil && last.Size == n {
		return last, false, nil
	}
	skey, err := logSigner(ctx, tx, origin)
	if err != nil {
		return nil, false, err
	}
	root, err := tlog.TreeHash(n, &txHashes{ctx: ctx, q: tx})
	if err != nil {
		return nil, false, err
	}
	msg, err := ledger.SignCheckpoint(skey, n, root)
	if err != nil {
		return nil, false, err
	}
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO ledger_checkpoints (size, root, note, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		n, root[:], msg, tx.now).Scan(&id); err != nil {
		return nil, false, formatError(err)
	}
	tx.touch(nadra.ChangeLedger)
	if err := tx.commit(ctx); err != nil {
		return nil, false, err
	}
	c := &nadra.LedgerCheckpoint{ID: id, Origin: ledger.KeyName(skey), Size: n, Root: root.String(), Note: msg,
		SignedBy: []string{ledger.KeyName(skey)}, Created: tx.now.Format(time.RFC3339)}
	return c, true, nil
}

// latestCheckpoint returns the latest checkpoint with its co-signatures,
// or nil.
func latestCheckpoint(ctx context.Context, q querier) (*nadra.LedgerCheckpoint, error) {
	cs, err := findCheckpoints(ctx, q, `ORDER BY id DESC LIMIT 1`)
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	return cs[0], nil
}

// findCheckpoints returns checkpoints with their co-signatures merged into
// the note (the log's signature first, then the others by name). tail is
// the query's WHERE, ORDER and LIMIT, with args as $1, $2 ….
func findCheckpoints(ctx context.Context, q querier, tail string, args ...any) ([]*nadra.LedgerCheckpoint, error) {
	var out []*nadra.LedgerCheckpoint
	err := scanRows(ctx, q, `SELECT id, size, root, note, created_at FROM ledger_checkpoints `+tail, func(r pgx.Rows) error {
		c := &nadra.LedgerCheckpoint{}
		var root []byte
		var created time.Time
		if err := r.Scan(&c.ID, &c.Size, &root, &c.Note, &created); err != nil {
			return err
		}
		var h tlog.Hash
		copy(h[:], root)
		c.Root = h.String()
		c.Created = created.UTC().Format(time.RFC3339)
		out = append(out, c)
		return nil
	}, args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	for i, c := range out {
		ids[i] = c.ID
	}
	lines := map[int64][]string{}
	err = scanRows(ctx, q, `SELECT checkpoint_id, line FROM ledger_cosignatures WHERE checkpoint_id = ANY($1) ORDER BY checkpoint_id, name`, func(r pgx.Rows) error {
		var id int64
		var line string
		if err := r.Scan(&id, &line); err != nil {
			return err
		}
		lines[id] = append(lines[id], line)
		return nil
	}, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range out {
		c.Origin = ledger.CheckpointOrigin(c.Note)
		c.Note = ledger.AddSignatureLines(c.Note, lines[c.ID])
	}
	return out, nil
}

// verifyCheckpoints sets SignedBy: the keys whose signatures verify.
func (s *LedgerService) verifyCheckpoints(ctx context.Context, cs []*nadra.LedgerCheckpoint) error {
	ring, err := s.keyring(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		v, err := ring.OpenCheckpoint(c.Note)
		if err != nil {
			return fmt.Errorf("ledger checkpoint %d does not verify: %w", c.ID, err)
		}
		c.SignedBy = v.Signers
	}
	return nil
}

// Checkpoints returns every checkpoint, oldest first, each with every
// co-signature, and which keys' signatures verify.
func (s *LedgerService) Checkpoints(ctx context.Context) ([]*nadra.LedgerCheckpoint, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	cs, err := findCheckpoints(ctx, tx, `ORDER BY id`)
	if err != nil {
		return nil, err
	}
	if err := s.verifyCheckpoints(ctx, cs); err != nil {
		return nil, err
	}
	return cs, nil
}

// AddCosignature verifies a checkpoint note that carries a party's or an
// auditor's signature on a stored checkpoint, and stores that signature.
// The note must be the stored checkpoint's text; every registered key's
// signature on it must verify. EINVALID otherwise; ENOTFOUND when no
// stored checkpoint has its size and root.
func (s *LedgerService) AddCosignature(ctx context.Context, msg []byte) (*nadra.LedgerCheckpoint, error) {
	ring, err := s.keyring(ctx)
	if err != nil {
		return nil, err
	}
	c, err := ring.OpenCheckpoint(msg)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	cs, err := findCheckpoints(ctx, tx, `WHERE size = $1 AND root = $2 ORDER BY id LIMIT 1`, c.Size, c.Root[:])
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no checkpoint of size %d with root %s in the log", c.Size, c.Root)
	}
	stored := cs[0]
	added := 0
	for _, sig := range ledger.SignatureLines(msg) {
		name := ledger.SignatureName(sig)
		if ring.Role(name) != nadra.RoleParty && ring.Role(name) != nadra.RoleAuditor {
			continue
		}
		tag, err := tx.Exec(ctx, `INSERT INTO ledger_cosignatures (checkpoint_id, name, line, added_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (checkpoint_id, name) DO NOTHING`, stored.ID, name, sig, tx.now)
		if err != nil {
			return nil, formatError(err)
		}
		added += int(tag.RowsAffected())
	}
	if added == 0 {
		return nil, nadra.Errorf(nadra.ECONFLICT, "no new co-signature: the note carries none by a party or auditor that is not already stored")
	}
	tx.touch(nadra.ChangeLedger)
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	cs, err = findCheckpoints(ctx, s.db.pool, `WHERE id = $1`, stored.ID)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("checkpoint %d vanished", stored.ID)
	}
	if err := s.verifyCheckpoints(ctx, cs); err != nil {
		return nil, err
	}
	return cs[0], nil
}

// LastCosigned returns the latest checkpoint that key name has co-signed,
// or nil.
func (s *LedgerService) LastCosigned(ctx context.Context, name string) (*nadra.LedgerCheckpoint, error) {
	cs, err := findCheckpoints(ctx, s.db.pool, `WHERE id = (SELECT MAX(checkpoint_id) FROM ledger_cosignatures WHERE name = $1)`, name)
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	return cs[0], nil
}
