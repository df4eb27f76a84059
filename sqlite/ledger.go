package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"nadra"
	"nadra/ledger"

	"golang.org/x/mod/sumdb/tlog"
)

// LedgerService implements nadra.LedgerService: the log of signed entries,
// its tree and its checkpoints. Appends and checkpoints are serialised by
// the database's write lock; each is one transaction, so a crash leaves
// either all of an append or none of it, and a checkpoint only ever
// covers committed entries.
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
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var role, key string
	err = tx.QueryRowContext(ctx, `SELECT role, key FROM ledger_keys WHERE name = ?`, k.Name).Scan(&role, &key)
	switch {
	case err == nil && key == k.Key && role == k.Role:
		return nil
	case err == nil:
		return nadra.Errorf(nadra.ECONFLICT, "a %s key named %s is already registered; keys are never replaced", role, k.Name)
	case !errors.Is(err, sql.ErrNoRows):
		return formatError(err)
	}
	if k.Role == nadra.RoleLog {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_keys WHERE role = 'log'`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nadra.Errorf(nadra.ECONFLICT, "the log already has a key")
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_keys (name, role, key, added_at) VALUES (?, ?, ?, ?)`,
		k.Name, k.Role, k.Key, tx.now.Format(time.RFC3339)); err != nil {
		return formatError(err)
	}
	return formatError(tx.Commit())
}

// Keys returns every registered key, the log's first.
func (s *LedgerService) Keys(ctx context.Context) ([]nadra.LedgerKey, error) {
	var out []nadra.LedgerKey
	rows, err := s.db.db.QueryContext(ctx, `SELECT name, role, key FROM ledger_keys ORDER BY role <> 'log', role, name`)
	if err != nil {
		return nil, formatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k nadra.LedgerKey
		if err := rows.Scan(&k.Name, &k.Role, &k.Key); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func (s *LedgerService) keyring(ctx context.Context) (*ledger.Keyring, error) {
	keys, err := s.Keys(ctx)
	if err != nil {
		return nil, err
	}
	return ledger.NewKeyring(keys)
}

// txHashes reads stored hashes from a transaction, with the hashes this
// transaction has written but not yet stored kept in memory.
type txHashes struct {
	ctx     context.Context
	tx      *Tx
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
	q := `SELECT idx, hash FROM ledger_hashes WHERE idx IN (?` + strings.Repeat(",?", len(missing)-1) + `)`
	args := make([]any, len(missing))
	for i, x := range missing {
		args[i] = x
	}
	rows, err := h.tx.QueryContext(h.ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var x int64
		var b []byte
		if err := rows.Scan(&x, &b); err != nil {
			return nil, err
		}
		if len(b) != tlog.HashSize {
			return nil, fmt.Errorf("ledger: stored hash %d has %d bytes", x, len(b))
		}
		var v tlog.Hash
		copy(v[:], b)
		got[x] = v
	}
	if err := rows.Err(); err != nil {
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

func size(ctx context.Context, tx *Tx) (int64, error) {
	var n sql.NullInt64
	// A leaf is an entry or an audit record.
	if err := tx.QueryRowContext(ctx, `SELECT MAX(i) + 1 FROM (SELECT MAX(idx) AS i FROM ledger_entries UNION ALL SELECT MAX(idx) FROM audit_records)`).Scan(&n); err != nil {
		return 0, err
	}
	return n.Int64, nil
}

// Size returns the number of entries in the log.
func (s *LedgerService) Size(ctx context.Context) (int64, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	return size(ctx, tx)
}

// MaxAppend bounds the entries of one append.
const MaxAppend = 100_000

// Append verifies the signed entries against the registered party keys,
// in parallel, then appends them in order in one transaction: all or none.
// It refuses, naming the entry: an unknown key or a bad signature
// (EUNAUTHORIZED), an entry signed by a key other than its party's
// (EFORBIDDEN), an id already in the log (ECONFLICT: a replay, or a
// reused id), an id twice in the batch, and a correction of an entry that
// is not in the log (EINVALID) or is another party's (EFORBIDDEN).
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
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	n, err := size(ctx, tx)
	if err != nil {
		return nil, err
	}
	hr := &txHashes{ctx: ctx, tx: tx, pending: map[int64]tlog.Hash{}}
	batch := map[string]int{}
	now := tx.now.Format(time.RFC3339)
	// Prepared once per append: parsing the SQL of each insert would cost
	// more than the insert.
	st, err := prepareLedger(ctx, tx)
	if err != nil {
		return nil, err
	}
	defer st.close()
	for i := range recs {
		r := &recs[i]
		e := &r.Entry
		if j, dup := batch[e.ID]; dup {
			return nil, nadra.Errorf(nadra.EINVALID, "entry %d (%s): the same id as entry %d of this batch", i+1, e.ID, j+1)
		}
		batch[e.ID] = i
		if err := checkNew(ctx, st, e, r.Note, batch, recs); err != nil {
			return nil, nadra.Errorf(nadra.ErrorCode(err), "entry %d (%s): %s; nothing was appended", i+1, e.ID, nadra.ErrorMessage(err))
		}
		r.Index = n + int64(i)
		leaf := ledger.LeafHash(r.Note)
		hs, err := tlog.StoredHashesForRecordHash(r.Index, leaf, hr)
		if err != nil {
			return nil, err
		}
		base := tlog.StoredHashIndex(0, r.Index)
		for j, h := range hs {
			hr.pending[base+int64(j)] = h
			if _, err := st.hash.ExecContext(ctx, base+int64(j), h[:]); err != nil {
				return nil, formatError(err)
			}
		}
		if _, err := st.entry.ExecContext(ctx, r.Index, e.ID, e.Party, e.Kind, e.Date, e.Period, e.Licence, e.Corrects, r.Note, now); err != nil {
			return nil, formatError(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, formatError(err)
	}
	return recs, nil
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

// ledgerStmts are an append's prepared statements.
type ledgerStmts struct{ entry, hash, byID *sql.Stmt }

func prepareLedger(ctx context.Context, tx *Tx) (*ledgerStmts, error) {
	var st ledgerStmts
	var err error
	if st.entry, err = tx.PrepareContext(ctx, `INSERT INTO ledger_entries (idx, id, party, kind, date, period, licence, corrects, note, added_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		return nil, err
	}
	if st.hash, err = tx.PrepareContext(ctx, `INSERT INTO ledger_hashes (idx, hash) VALUES (?, ?)`); err != nil {
		return nil, err
	}
	if st.byID, err = tx.PrepareContext(ctx, `SELECT idx, note, party FROM ledger_entries WHERE id = ?`); err != nil {
		return nil, err
	}
	return &st, nil
}

func (st *ledgerStmts) close() {
	for _, s := range []*sql.Stmt{st.entry, st.hash, st.byID} {
		if s != nil {
			s.Close()
		}
	}
}

// checkNew checks an entry against the log: its id is new, and what it
// corrects is an earlier entry of the same party (in the log or earlier in
// the batch).
func checkNew(ctx context.Context, st *ledgerStmts, e *nadra.Entry, note []byte, batch map[string]int, recs []nadra.LedgerRecord) error {
	var idx int64
	var old []byte
	var oldParty string
	err := st.byID.QueryRowContext(ctx, e.ID).Scan(&idx, &old, &oldParty)
	switch {
	case err == nil && string(old) == string(note):
		return nadra.Errorf(nadra.ECONFLICT, "already in the log as entry %d (a replay of the same signed entry); the log is unchanged", idx)
	case err == nil:
		return nadra.Errorf(nadra.ECONFLICT, "the id is already used by entry %d with other content; a correction is a new entry with its own id and \"corrects\": %q", idx, e.ID)
	case !errors.Is(err, sql.ErrNoRows):
		return formatError(err)
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
	var party string
	err = st.byID.QueryRowContext(ctx, e.Corrects).Scan(&idx, &old, &party)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nadra.Errorf(nadra.EINVALID, "corrects %s, which is not in the log", e.Corrects)
	case err != nil:
		return formatError(err)
	case party != e.Party:
		return nadra.Errorf(nadra.EFORBIDDEN, "corrects %s, which is %s's entry; a party corrects its own", e.Corrects, party)
	}
	return nil
}

// Records returns the records with index in [from, to), decoded.
func (s *LedgerService) Records(ctx context.Context, from, to int64) ([]nadra.LedgerRecord, error) {
	ring, err := s.keyring(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT idx, note FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx`, from, to)
	if err != nil {
		return nil, formatError(err)
	}
	defer rows.Close()
	var out []nadra.LedgerRecord
	for rows.Next() {
		var r nadra.LedgerRecord
		if err := rows.Scan(&r.Index, &r.Note); err != nil {
			return nil, err
		}
		e, signer, err := ring.OpenEntry(r.Note)
		if err != nil {
			return nil, fmt.Errorf("ledger entry %d does not verify: %w", r.Index, err)
		}
		r.Entry, r.Signer = *e, signer
		out = append(out, r)
	}
	return out, rows.Err()
}

// Notes streams the signed notes with index in [from, to) to fn, in order,
// without decoding them: every leaf, entries and audit records.
func (s *LedgerService) Notes(ctx context.Context, from, to int64, fn func(idx int64, note []byte) error) error {
	rows, err := s.db.db.QueryContext(ctx, `SELECT idx, note FROM ledger_entries WHERE idx >= ? AND idx < ?
		UNION ALL SELECT idx, note FROM audit_records WHERE idx >= ? AND idx < ? ORDER BY idx`, from, to, from, to)
	if err != nil {
		return formatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int64
		var n []byte
		if err := rows.Scan(&i, &n); err != nil {
			return err
		}
		if err := fn(i, n); err != nil {
			return err
		}
	}
	return rows.Err()
}

// hashReader reads stored hashes outside a transaction.
func (s *LedgerService) hashReader(ctx context.Context) (*txHashes, func(), error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	return &txHashes{ctx: ctx, tx: tx}, func() { tx.Rollback() }, nil
}

// Prove returns the inclusion proof of entry n in the tree of size t (0:
// the latest checkpoint's size), with that tree's root.
func (s *LedgerService) Prove(ctx context.Context, n, t int64) (tlog.RecordProof, tlog.Hash, error) {
	hr, done, err := s.hashReader(ctx)
	if err != nil {
		return nil, tlog.Hash{}, err
	}
	defer done()
	sz, err := size(ctx, hr.tx)
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
	hr, done, err := s.hashReader(ctx)
	if err != nil {
		return nil, tlog.Hash{}, tlog.Hash{}, err
	}
	defer done()
	sz, err := size(ctx, hr.tx)
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

// IDIndex returns the index of the entry with an id.
func (s *LedgerService) IDIndex(ctx context.Context, id string) (int64, error) {
	var i int64
	err := s.db.db.QueryRowContext(ctx, `SELECT idx FROM ledger_entries WHERE id = ?`, id).Scan(&i)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nadra.Errorf(nadra.ENOTFOUND, "no entry with id %q", id)
	}
	return i, formatError(err)
}

// logSigner returns the log's private key, making it (with origin as its
// name) and registering its public key on first use.
func logSigner(ctx context.Context, tx *Tx, origin string) (string, error) {
	var skey string
	err := tx.QueryRowContext(ctx, `SELECT private_key FROM ledger_log_key WHERE id = 1`).Scan(&skey)
	if err == nil {
		return skey, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	skey, vkey, err := ledger.GenerateKey(nil, origin)
	if err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_log_key (id, private_key) VALUES (1, ?)`, skey); err != nil {
		return "", formatError(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_keys (name, role, key, added_at) VALUES (?, 'log', ?, ?)`,
		origin, vkey, tx.now.Format(time.RFC3339)); err != nil {
		return "", formatError(err)
	}
	return skey, nil
}

// DefaultOrigin names the log (and its key) when the caller gives none.
const DefaultOrigin = nadra.DefaultLedgerOrigin

// Checkpoint signs the current tree with the log's key (made on first
// use, named origin) and stores it. If the latest checkpoint already
// covers every entry, it is returned instead (ECONFLICT is not an error
// here: nothing new to sign).
func (s *LedgerService) Checkpoint(ctx context.Context, origin string) (*nadra.LedgerCheckpoint, bool, error) {
	if origin == "" {
		origin = DefaultOrigin
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
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
	root, err := tlog.TreeHash(n, &txHashes{ctx: ctx, tx: tx})
	if err != nil {
		return nil, false, err
	}
	msg, err := ledger.SignCheckpoint(skey, n, root)
	if err != nil {
		return nil, false, err
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO ledger_checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)`,
		n, root[:], msg, tx.now.Format(time.RFC3339))
	if err != nil {
		return nil, false, formatError(err)
	}
	id, _ := r.LastInsertId()
	if err := tx.Commit(); err != nil {
		return nil, false, formatError(err)
	}
	c := &nadra.LedgerCheckpoint{ID: id, Origin: ledger.KeyName(skey), Size: n, Root: root.String(), Note: msg,
		SignedBy: []string{ledger.KeyName(skey)}, Created: tx.now.Format(time.RFC3339)}
	return c, true, nil
}

// latestCheckpoint returns the latest checkpoint with its co-signatures,
// or nil.
func latestCheckpoint(ctx context.Context, tx *Tx) (*nadra.LedgerCheckpoint, error) {
	cs, err := findCheckpoints(ctx, tx, `ORDER BY id DESC LIMIT 1`)
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	return cs[0], nil
}

// findCheckpoints returns checkpoints with their co-signatures merged into
// the note (the log's signature first, then the others by name).
func findCheckpoints(ctx context.Context, tx *Tx, tail string, args ...any) ([]*nadra.LedgerCheckpoint, error) {
	var out []*nadra.LedgerCheckpoint
	err := scanRows(ctx, tx, `SELECT id, size, root, note, created_at FROM ledger_checkpoints `+tail, func(r *sql.Rows) error {
		c := &nadra.LedgerCheckpoint{}
		var root []byte
		if err := r.Scan(&c.ID, &c.Size, &root, &c.Note, &c.Created); err != nil {
			return err
		}
		var h tlog.Hash
		copy(h[:], root)
		c.Root = h.String()
		out = append(out, c)
		return nil
	}, args...)
	if err != nil {
		return nil, err
	}
	for _, c := range out {
		var lines []string
		err := scanRows(ctx, tx, `SELECT name, line FROM ledger_cosignatures WHERE checkpoint_id = ? ORDER BY name`, func(r *sql.Rows) error {
			var name, line string
			if err := r.Scan(&name, &line); err != nil {
				return err
			}
			lines = append(lines, line)
			return nil
		}, c.ID)
		if err != nil {
			return nil, err
		}
		c.Origin = ledger.CheckpointOrigin(c.Note)
		c.Note = ledger.AddSignatureLines(c.Note, lines)
	}
	return out, nil
}

// Checkpoints returns every checkpoint, oldest first, each with every
// co-signature, and which keys' signatures verify.
func (s *LedgerService) Checkpoints(ctx context.Context) ([]*nadra.LedgerCheckpoint, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cs, err := findCheckpoints(ctx, tx, `ORDER BY id`)
	if err != nil {
		return nil, err
	}
	ring, err := s.keyring(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		v, err := ring.OpenCheckpoint(c.Note)
		if err != nil {
			return nil, fmt.Errorf("ledger checkpoint %d does not verify: %w", c.ID, err)
		}
		c.SignedBy = v.Signers
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
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cs, err := findCheckpoints(ctx, tx, `WHERE size = ? AND root = ? ORDER BY id LIMIT 1`, c.Size, c.Root[:])
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
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_cosignatures WHERE checkpoint_id = ? AND name = ?`, stored.ID, name).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_cosignatures (checkpoint_id, name, line, added_at) VALUES (?, ?, ?, ?)`,
			stored.ID, name, sig, tx.now.Format(time.RFC3339)); err != nil {
			return nil, formatError(err)
		}
		added++
	}
	if added == 0 {
		return nil, nadra.Errorf(nadra.ECONFLICT, "no new co-signature: the note carries none by a party or auditor that is not already stored")
	}
	if err := tx.Commit(); err != nil {
		return nil, formatError(err)
	}
	all, err := s.Checkpoints(ctx)
	if err != nil {
		return nil, err
	}
	for _, x := range all {
		if x.ID == stored.ID {
			return x, nil
		}
	}
	return nil, fmt.Errorf("checkpoint %d vanished", stored.ID)
}

// LastCosigned returns the latest checkpoint that key name has co-signed,
// or nil.
func (s *LedgerService) LastCosigned(ctx context.Context, name string) (*nadra.LedgerCheckpoint, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cs, err := findCheckpoints(ctx, tx, `WHERE id = (SELECT MAX(checkpoint_id) FROM ledger_cosignatures WHERE name = ?)`, name)
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	return cs[0], nil
}

// HashReader returns a reader of the stored hashes for proofs, and a
// function to release it.
func (s *LedgerService) HashReader(ctx context.Context) (tlog.HashReader, func(), error) {
	return s.hashReader(ctx)
}
