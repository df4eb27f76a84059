package postgres

import (
	"context"
	"fmt"
	"strings"

	"nadra"

	"github.com/jackc/pgx/v5"
)

// FindRecords returns the records matching f, in index order, each
// verified against its party's key, and how many match in all (ignoring
// Offset and Limit). Every read is in one transaction, so the page and the
// count agree.
func (s *LedgerService) FindRecords(ctx context.Context, f nadra.LedgerFilter) ([]nadra.LedgerRecord, int64, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	var a args
	where := ledgerWhere(f, &a)
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.rollback()
	var total int64
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM ledger_entries`+where, a...).Scan(&total); err != nil {
		return nil, 0, formatError(err)
	}
	var limit *int64 // LIMIT NULL: no limit
	if f.Limit > 0 {
		l := int64(f.Limit)
		limit = &l
	}
	var audited bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM audit_records)`).Scan(&audited); err != nil {
		return nil, 0, formatError(err)
	}
	var page string
	if where == "" && !audited {
		// Without audit records among the leaves, indexes run 0, 1, 2 …
		// without a gap, so the page starts at the offset's index: a range
		// of the primary key, where OFFSET would step over every row
		// before it.
		a = nil
		page = `SELECT idx, note FROM ledger_entries WHERE idx >= ` + a.add(f.Offset) + ` ORDER BY idx LIMIT ` + a.add(limit)
	} else {
		page = `SELECT idx, note FROM ledger_entries` + where + ` ORDER BY idx LIMIT ` + a.add(limit) + ` OFFSET ` + a.add(f.Offset)
	}
	var recs []nadra.LedgerRecord
	var notes [][]byte
	err = scanRows(ctx, tx, page, func(r pgx.Rows) error {
		var rec nadra.LedgerRecord
		if err := r.Scan(&rec.Index, &rec.Note); err != nil {
			return err
		}
		recs = append(recs, rec)
		notes = append(notes, rec.Note)
		return nil
	}, a...)
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

// ledgerWhere is the WHERE clause of a filter, its arguments added to a.
func ledgerWhere(f nadra.LedgerFilter, a *args) string {
	var conds []string
	eq := func(col, v string) {
		if v != "" {
			conds = append(conds, col+" = "+a.add(v))
		}
	}
	eq("party", f.Party)
	eq("kind", f.Kind)
	eq("licence", f.Licence)
	if f.Period != "" {
		if len(f.Period) == 4 { // a year: itself, its quarters and months
			conds = append(conds, "(period = "+a.add(f.Period)+" OR period LIKE "+a.add(f.Period+"-%")+")")
		} else {
			conds = append(conds, "period = ANY("+a.add(periodsWithin(f.Period))+")")
		}
	}
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
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
// on: for each entry they correct, the id of the latest of them, and the
// log's size when read, from which to ask next time.
func (s *LedgerService) Corrections(ctx context.Context, from int64) (map[string]string, int64, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.rollback()
	n, err := size(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	out := map[string]string{}
	err = scanRows(ctx, tx, `SELECT corrects, id FROM ledger_entries WHERE idx >= $1 AND idx < $2 AND corrects <> '' ORDER BY idx`, func(r pgx.Rows) error {
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
// signatures verify, and how many there are. Only the page is verified.
func (s *LedgerService) FindCheckpoints(ctx context.Context, offset, limit int, newestFirst bool) ([]*nadra.LedgerCheckpoint, int64, error) {
	if offset < 0 || limit < 0 {
		return nil, 0, nadra.Errorf(nadra.EINVALID, "offset: offset and limit must not be negative")
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.rollback()
	var total int64
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM ledger_checkpoints`).Scan(&total); err != nil {
		return nil, 0, formatError(err)
	}
	order := "ORDER BY id"
	if newestFirst {
		order = "ORDER BY id DESC"
	}
	var lim *int64
	if limit > 0 {
		l := int64(limit)
		lim = &l
	}
	cs, err := findCheckpoints(ctx, tx, order+` LIMIT $1 OFFSET $2`, lim, offset)
	if err != nil {
		return nil, 0, err
	}
	if err := s.verifyCheckpoints(ctx, cs); err != nil {
		return nil, 0, err
	}
	return cs, total, nil
}
