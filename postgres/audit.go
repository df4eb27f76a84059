package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"time"

	"nadra"
	"nadra/ledger"

	"github.com/jackc/pgx/v5"
	"golang.org/x/mod/sumdb/tlog"
)

var _ nadra.AuditStore = (*LedgerService)(nil)

// TableHashes returns each table's row count and content hash (see
// nadra.TableHash): each row as PostgreSQL writes a row as text, the rows
// sorted, joined by newlines, hashed with SHA-256. The tables are read in
// one snapshot. (The text of a row is PostgreSQL's, not SQLite's: hashes
// compare within one store, not across stores.)
func (s *LedgerService) TableHashes(ctx context.Context, tables []string) ([]nadra.TableHash, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	out := make([]nadra.TableHash, 0, len(tables))
	for _, t := range tables {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1`, t).Scan(&n); err != nil {
			return nil, formatError(err)
		}
		if n == 0 {
			return nil, nadra.Errorf(nadra.EINVALID, "no table %q in the database", t)
		}
		var lines []string
		err := scanRows(ctx, tx, `SELECT t::text FROM `+pgx.Identifier{t}.Sanitize()+` t`, func(r pgx.Rows) error {
			var l string
			if err := r.Scan(&l); err != nil {
				return err
			}
			lines = append(lines, l)
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(lines)
		h := sha256.New()
		for _, l := range lines {
			h.Write([]byte(l))
			h.Write([]byte{'\n'})
		}
		out = append(out, nadra.TableHash{Table: t, Rows: int64(len(lines)), Hash: hex.EncodeToString(h.Sum(nil))})
	}
	return out, nil
}

// EnsureLogKey makes the log's key (named origin, "" for the default) if
// the log has none yet, so that the first audit record does not change
// ledger_keys after the write it records.
func (s *LedgerService) EnsureLogKey(ctx context.Context, origin string) error {
	if origin == "" {
		origin = nadra.DefaultLedgerOrigin
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.rollback()
	if _, err := logSigner(ctx, tx, origin); err != nil {
		return err
	}
	return tx.commit(ctx)
}

// AppendAudit signs r with the log's key and appends it as the next leaf
// of the ledger's tree, in one transaction under the write lock.
func (s *LedgerService) AppendAudit(ctx context.Context, origin string, r nadra.AuditRecord) (nadra.AuditRecord, error) {
	if origin == "" {
		origin = nadra.DefaultLedgerOrigin
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return r, err
	}
	defer tx.rollback()
	n, err := size(ctx, tx)
	if err != nil {
		return r, err
	}
	skey, err := logSigner(ctx, tx, origin)
	if err != nil {
		return r, err
	}
	r.Index, r.At = n, tx.now.Format(time.RFC3339)
	msg, err := ledger.SignAudit(skey, &r)
	if err != nil {
		return r, err
	}
	hr := &txHashes{ctx: ctx, q: tx, pending: map[int64]tlog.Hash{}}
	hs, err := tlog.StoredHashesForRecordHash(n, ledger.LeafHash(msg), hr)
	if err != nil {
		return r, err
	}
	base := tlog.StoredHashIndex(0, n)
	for j, h := range hs {
		if _, err := tx.Exec(ctx, `INSERT INTO ledger_hashes (idx, hash) VALUES ($1, $2)`, base+int64(j), h[:]); err != nil {
			return r, formatError(err)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO audit_records (idx, at, who, route, note) VALUES ($1, $2, $3, $4, $5)`,
		n, tx.now, r.Who, r.Route, msg); err != nil {
		return r, formatError(err)
	}
	tx.touch(nadra.ChangeLedger)
	return r, tx.commit(ctx)
}

// AuditRecords returns every audit record, oldest first, each verified
// against the log's key and its index.
func (s *LedgerService) AuditRecords(ctx context.Context) ([]nadra.AuditRecord, error) {
	ring, err := s.keyring(ctx)
	if err != nil {
		return nil, err
	}
	var out []nadra.AuditRecord
	err = scanRows(ctx, s.db.pool, `SELECT idx, note FROM audit_records ORDER BY idx`, func(rows pgx.Rows) error {
		var i int64
		var note []byte
		if err := rows.Scan(&i, &note); err != nil {
			return err
		}
		r, err := ring.OpenAudit(note, i)
		if err != nil {
			return nadra.Errorf(nadra.EINVALID, "audit record %d does not verify: %s", i, nadra.ErrorMessage(err))
		}
		out = append(out, *r)
		return nil
	})
	return out, err
}
