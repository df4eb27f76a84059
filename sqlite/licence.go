package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"nadra"
)

// LicenceService implements nadra.LicenceService.
type LicenceService struct{ db *DB }

// NewLicenceService returns a licence service on db.
func NewLicenceService(db *DB) *LicenceService { return &LicenceService{db: db} }

var _ nadra.LicenceService = (*LicenceService)(nil)

// FindLicenceByID returns ENOTFOUND when no licence has that id.
func (s *LicenceService) FindLicenceByID(ctx context.Context, id string) (*nadra.Licence, error) {
	ls, err := s.FindLicences(ctx, nadra.LicenceFilter{ID: id})
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no licence with id %q", id)
	}
	return ls[0], nil
}

// FindLicences returns matching licences ordered by id.
func (s *LicenceService) FindLicences(ctx context.Context, f nadra.LicenceFilter) ([]*nadra.Licence, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findLicences(ctx, tx, f)
}

func findLicences(ctx context.Context, tx *Tx, f nadra.LicenceFilter) ([]*nadra.Licence, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.ID != "" {
		where, args = append(where, "l.id = ?"), append(args, f.ID)
	}
	if f.DepositID != "" {
		where, args = append(where, "l.deposit_id = ?"), append(args, f.DepositID)
	}
	var out []*nadra.Licence
	err := scanRows(ctx, tx, `SELECT l.id, l.kind, l.holder, l.deposit_id, l.minerals, l.granted, l.term_years, l.status, l.ended,
		l.renewal, l.developed_at_entry, l.note, l.sources, i.kind, i.file, l.updated_at
		FROM licences l JOIN imports i ON i.id = l.import_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY l.id`, func(r *sql.Rows) error {
		l := &nadra.Licence{}
		var dep sql.NullString
		var term sql.NullInt64
		var dev sql.NullBool
		var minerals, sources, kind, file, updated string
		if err := r.Scan(&l.ID, &l.Kind, &l.Holder, &dep, &minerals, &l.Granted, &term, &l.Status, &l.Ended,
			&l.Renewal, &dev, &l.Note, &sources, &kind, &file, &updated); err != nil {
			return err
		}
		l.DepositID = dep.String
		if term.Valid {
			n := int(term.Int64)
			l.TermYears = &n
		}
		if dev.Valid {
			b := dev.Bool
			l.DevelopedAtEntry = &b
		}
		if err := json.Unmarshal([]byte(minerals), &l.Minerals); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(sources), &l.Sources); err != nil {
			return err
		}
		l.Origin = file
		if kind == "dataset" {
			l.Origin = "dataset"
		}
		l.UpdatedAt, _ = time.Parse(time.RFC3339, updated)
		out = append(out, l)
		return nil
	}, args...)
	return out, err
}

// ImportLicences adds or updates licences by id in one transaction. Rows
// equal to what is stored are left alone; if nothing changes, no import is
// recorded, so importing the same file twice changes nothing.
func (s *LicenceService) ImportLicences(ctx context.Context, imp nadra.Import, licences []*nadra.Licence) (nadra.ImportResult, error) {
	return importInTx(ctx, s.db, func(tx *Tx) (nadra.ImportResult, error) { return importLicences(ctx, tx, imp, licences) })
}

func importLicences(ctx context.Context, tx *Tx, imp nadra.Import, licences []*nadra.Licence) (nadra.ImportResult, error) {
	var res nadra.ImportResult
	known, err := commodityCodes(ctx, tx)
	if err != nil {
		return res, err
	}
	seen := map[string]bool{}
	for i, l := range licences {
		if err := l.Validate(known); err != nil {
			return res, nadra.Errorf(nadra.EINVALID, "licence %d (%s): %s", i+1, l.ID, nadra.ErrorMessage(err))
		}
		if seen[l.ID] {
			return res, nadra.Errorf(nadra.EINVALID, "licence %d: id: %q appears twice", i+1, l.ID)
		}
		seen[l.ID] = true
		if l.DepositID != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM deposits WHERE id = ?`, l.DepositID).Scan(&n); err != nil {
				return res, err
			}
			if n == 0 {
				return res, nadra.Errorf(nadra.EINVALID, "licence %d (%s): deposit_id: %q is not a deposit in the registry", i+1, l.ID, l.DepositID)
			}
		}
	}
	importID := int64(0)
	for _, l := range licences {
		old, err := findLicences(ctx, tx, nadra.LicenceFilter{ID: l.ID})
		if err != nil {
			return res, err
		}
		if len(old) == 1 && sameLicence(old[0], l) {
			res.Unchanged++
			continue
		}
		if importID == 0 {
			if importID, err = createImport(ctx, tx, imp, res); err != nil {
				return res, formatError(err)
			}
		}
		if err := upsertLicence(ctx, tx, l, importID); err != nil {
			return res, err
		}
		if len(old) == 1 {
			res.Updated++
		} else {
			res.Inserted++
		}
	}
	if importID != 0 {
		res.ImportID = importID
		if err := finishImport(ctx, tx, importID, res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// sameLicence reports whether two licences hold the same facts, whatever
// their origin.
func sameLicence(a, b *nadra.Licence) bool {
	x, y := *a, *b
	x.Origin, y.Origin = "", ""
	x.UpdatedAt, y.UpdatedAt = time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}

// upsertLicence stores a licence by id. An update keeps the row's rowid,
// so the table's order never changes.
func upsertLicence(ctx context.Context, tx *Tx, l *nadra.Licence, importID int64) error {
	minerals, _ := json.Marshal(l.Minerals)
	sources, _ := json.Marshal(l.Sources)
	var dep any
	if l.DepositID != "" {
		dep = l.DepositID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO licences (id, kind, holder, deposit_id, minerals, granted, term_years, status, ended,
			renewal, developed_at_entry, note, sources, import_id, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, holder = excluded.holder, deposit_id = excluded.deposit_id,
			minerals = excluded.minerals, granted = excluded.granted, term_years = excluded.term_years, status = excluded.status,
			ended = excluded.ended, renewal = excluded.renewal, developed_at_entry = excluded.developed_at_entry, note = excluded.note,
			sources = excluded.sources, import_id = excluded.import_id, updated_at = excluded.updated_at`,
		l.ID, l.Kind, l.Holder, dep, string(minerals), l.Granted, l.TermYears, l.Status, l.Ended,
		l.Renewal, l.DevelopedAtEntry, l.Note, string(sources), importID, tx.now.Format(time.RFC3339))
	return formatError(err)
}
