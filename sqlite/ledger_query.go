package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"nadra"
)

// FindRecords returns the records matching f, in index order, each
// verified against its party's key, and how many match in all (ignoring
// Offset and Limit). Every read is in one transaction, so the page and the
// count agree. Filters on party, kind and period scan the entries' rows;
// the licence has an index.
func (s *LedgerService) FindRecords(ctx context.Context, f nadra.LedgerFilter) ([]nadra.LedgerRecord, int64, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	where, args := ledgerWhere(f)
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_entries`+where, args...).Scan(&total); err != nil {
		return nil, 0, formatError(err)
	}
	limit := int64(f.Limit)
	if limit == 0 {
		limit = -1 // SQLite: no limit
	}
	page := `SELECT idx, note FROM ledger_entries` + where + ` ORDER BY idx LIMIT ? OFFSET ?`
	pageArgs := append(args, limit, f.Offset)
	var audited bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit_records)`).Scan(&audited); err != nil {
		return nil, 0, formatError(err)
	}
	if where == "" && !audited {
		// Without audit records among the leaves, indexes run 0, 1, 2 …
		// without a gap, so the page starts at the offset's index: a range
		// of the primary key, where OFFSET would step over every row
		// before it.
		page = `SELECT idx, note FROM ledger_entries WHERE idx >= ? ORDER BY idx LIMIT ?`
		pageArgs = []any{f.Offset, limit}
	}
	var recs []nadra.LedgerRecord
	var notes [][]byte
	err = scanRows(ctx, tx, page, func(r *sql.Rows) error {
		var rec nadra.LedgerRecord
		if err := r.Scan(&rec.Index, &rec.Note); err != nil {
			return err
		}
		recs = append(recs, rec)
		notes = append(notes, rec.Note)
		return nil
	}, pageArgs...)
	if err != nil {
		return nil, 0, err
	}
	if len(recs) == 0 {
		return nil, total, nil
	}
	ring, err := s.keyring(ctx)
	if err != nil {
		return nil, 0, err
	}
	entries, signers, errs := ring.OpenEntries(notes)
	for i := range recs {
		if errs[i] != nil {
			return nil, 0, fmt.Errorf("ledger entry %d does not verify: %w", recs[i].Index, errs[i])
		}
		recs[i].Entry, recs[i].Signer = *entries[i], signers[i]
	}
	return recs, total, nil
}

// ledgerWhere is the WHERE clause of a filter, with its arguments.
func ledgerWhere(f nadra.LedgerFilter) (string, []any) {
	var conds []string
	var args []any
	eq := func(col, v string) {
		if v != "" {
			conds = append(conds, col+" = ?")
			args = append(args, v)
		}
	}
	eq("party", f.Party)
	eq("kind", f.Kind)
	eq("licence", f.Licence)
	if f.Period != "" {
		ps := periodsWithin(f.Period)
		switch {
		case len(f.Period) == 4: // a year: itself, its quarters and months
			conds = append(conds, "(period = ? OR period LIKE ?)")
			args = append(args, f.Period, f.Period+"-%")
		default:
			conds = append(conds, "period IN (?"+strings.Repeat(", ?", len(ps)-1)+")")
			for _, p := range ps {
				args = append(args, p)
			}
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// periodsWithin returns the periods within a quarter (itself and its three
// months) or a month (itself). Years are matched by prefix instead.
func periodsWithin(p string) []string {
	year, q, ok := strings.Cut(p, "-Q")
	if !ok {
		return []string{p}
	}
	first := (int(q[0]-'0') - 1) * 3
	out := []string{p}
	for m := first + 1; m <= first+3; m++ {
		out = append(out, fmt.Sprintf("%s-%02d", year, m))
	}
	return out
}

// Corrections returns the corrections among the entries from index from
// on: for each entry they correct, the id of the latest of them (a
// correction is always later in the log than what it corrects, and of the
// same party), and the log's size when read, from which to ask next time.
// The log only grows, so a caller keeps what it has read and asks for the
// rest: the scan (there is no index on corrects) covers only new entries.
func (s *LedgerService) Corrections(ctx context.Context, from int64) (map[string]string, int64, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	n, err := size(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	out := map[string]string{}
	err = scanRows(ctx, tx, `SELECT corrects, id FROM ledger_entries WHERE idx >= ? AND idx < ? AND corrects <> '' ORDER BY idx`, func(r *sql.Rows) error {
		var corrects, id string
		if err := r.Scan(&corrects, &id); err != nil {
			return err
		}
		out[corrects] = id // the latest wins
		return nil
	}, from, n)
	if err != nil {
		return nil, 0, err
	}
	return out, n, nil
}

// FindCheckpoints returns a page of checkpoints, oldest first (or newest
// first), each with every co-signature and the names of the keys whose
// signatures verify, and how many there are. Only the page is verified,
// so that the latest checkpoint costs the same however many came before.
func (s *LedgerService) FindCheckpoints(ctx context.Context, offset, limit int, newestFirst bool) ([]*nadra.LedgerCheckpoint, int64, error) {
	if offset < 0 || limit < 0 {
		return nil, 0, nadra.Errorf(nadra.EINVALID, "offset: offset and limit must not be negative")
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_checkpoints`).Scan(&total); err != nil {
		return nil, 0, formatError(err)
	}
	order := "ORDER BY id"
	if newestFirst {
		order = "ORDER BY id DESC"
	}
	lim := int64(limit)
	if lim == 0 {
		lim = -1
	}
	cs, err := findCheckpoints(ctx, tx, order+` LIMIT ? OFFSET ?`, lim, offset)
	if err != nil {
		return nil, 0, err
	}
	ring, err := s.keyring(ctx)
	if err != nil {
		return nil, 0, err
	}
	for _, c := range cs {
		v, err := ring.OpenCheckpoint(c.Note)
		if err != nil {
			return nil, 0, fmt.Errorf("ledger checkpoint %d does not verify: %w", c.ID, err)
		}
		c.SignedBy = v.Signers
	}
	return cs, total, nil
}
