package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"nadra"
	"nadra/ledger"

	"golang.org/x/mod/sumdb/tlog"
)

var _ nadra.AuditStore = (*LedgerService)(nil)

// TableHashes returns each table's row count and content hash (see
// nadra.TableHash): every column as text (NULL as \N, text and blobs
// quoted), joined by tabs, the rows sorted, joined by newlines, hashed
// with SHA-256. The tables are read in one transaction.
func (s *LedgerService) TableHashes(ctx context.Context, tables []string) ([]nadra.TableHash, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	out := make([]nadra.TableHash, 0, len(tables))
	for _, t := range tables {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, t).Scan(&n); err != nil {
			return nil, formatError(err)
		}
		if n == 0 {
			return nil, nadra.Errorf(nadra.EINVALID, "no table %q in the database", t)
		}
		rows, err := tx.QueryContext(ctx, `SELECT * FROM "`+t+`"`)
		if err != nil {
			return nil, formatError(err)
		}
		cols, err := rows.Columns()
		if err != nil {
			rows.Close()
			return nil, err
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		var lines []string
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			f := make([]string, len(vals))
			for i, v := range vals {
				f[i] = cellText(v)
			}
			lines = append(lines, strings.Join(f, "\t"))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, formatError(err)
		}
		out = append(out, nadra.TableHash{Table: t, Rows: int64(len(lines)), Hash: hashLines(lines)})
	}
	return out, nil
}

// cellText is a column's value as text, for a table's content hash.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return `\N`
	case []byte:
		return strconv.Quote(string(x))
	case string:
		return strconv.Quote(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	default:
		return fmt.Sprint(x)
	}
}

// hashLines is the hex SHA-256 of the sorted lines, joined by newlines.
func hashLines(lines []string) string {
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// EnsureLogKey makes the log's key (named origin, "" for the default) if
// the log has none yet, so that the first audit record does not change
// ledger_keys after the write it records.
func (s *LedgerService) EnsureLogKey(ctx context.Context, origin string) error {
	if origin == "" {
		origin = nadra.DefaultLedgerOrigin
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := logSigner(ctx, tx, origin); err != nil {
		return err
	}
	return formatError(tx.Commit())
}

// AppendAudit signs r with the log's key and appends it as the next leaf
// of the ledger's tree, in one transaction.
func (s *LedgerService) AppendAudit(ctx context.Context, origin string, r nadra.AuditRecord) (nadra.AuditRecord, error) {
	if origin == "" {
		origin = DefaultOrigin
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return r, err
	}
	defer tx.Rollback()
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
	hr := &txHashes{ctx: ctx, tx: tx, pending: map[int64]tlog.Hash{}}
	hs, err := tlog.StoredHashesForRecordHash(n, ledger.LeafHash(msg), hr)
	if err != nil {
		return r, err
	}
	base := tlog.StoredHashIndex(0, n)
	for j, h := range hs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_hashes (idx, hash) VALUES (?, ?)`, base+int64(j), h[:]); err != nil {
			return r, formatError(err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_records (idx, at, who, route, note) VALUES (?, ?, ?, ?, ?)`,
		n, r.At, r.Who, r.Route, msg); err != nil {
		return r, formatError(err)
	}
	return r, formatError(tx.Commit())
}

// AuditRecords returns every audit record, oldest first, each verified
// against the log's key and its index.
func (s *LedgerService) AuditRecords(ctx context.Context) ([]nadra.AuditRecord, error) {
	ring, err := s.keyring(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT idx, note FROM audit_records ORDER BY idx`)
	if err != nil {
		return nil, formatError(err)
	}
	defer rows.Close()
	var out []nadra.AuditRecord
	for rows.Next() {
		var i int64
		var note []byte
		if err := rows.Scan(&i, &note); err != nil {
			return nil, err
		}
		r, err := ring.OpenAudit(note, i)
		if err != nil {
			return nil, nadra.Errorf(nadra.EINVALID, "audit record %d does not verify: %s", i, nadra.ErrorMessage(err))
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}
