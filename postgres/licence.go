package postgres

import (
	"context"
	"reflect"
	"strings"
	"time"

	"nadra"

	"github.com/jackc/pgx/v5"
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
	return findLicences(ctx, s.db.pool, f)
}

func findLicences(ctx context.Context, q querier, f nadra.LicenceFilter) ([]*nadra.Licence, error) {
	var a args
	where := []string{"true"}
	if f.ID != "" {
		where = append(where, "l.id = "+a.add(f.ID))
	}
	if f.DepositID != "" {
		where = append(where, "l.deposit_id = "+a.add(f.DepositID))
	}
	var out []*nadra.Licence
	err := scanRows(ctx, q, `SELECT l.id, l.kind, l.holder, l.deposit_id, l.minerals, l.granted, l.term_years, l.status, l.ended,
		l.renewal, l.developed_at_entry, l.note, l.sources, i.kind, i.file, l.updated_at
		FROM licences l JOIN imports i ON i.id = l.import_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY l.id`, func(r pgx.Rows) error {
		l := &nadra.Licence{}
		var dep *string
		var kind, file string
		var updated time.Time
		if err := r.Scan(&l.ID, &l.Kind, &l.Holder, &dep, &l.Minerals, &l.Granted, &l.TermYears, &l.Status, &l.Ended,
			&l.Renewal, &l.DevelopedAtEntry, &l.Note, &l.Sources, &kind, &file, &updated); err != nil {
			return err
		}
		if dep != nil {
			l.DepositID = *dep
		}
		l.Origin = file
		if kind == "dataset" {
			l.Origin = "dataset"
		}
		l.UpdatedAt = updated.UTC()
		out = append(out, l)
		return nil
	}, a...)
	return out, err
}

// ImportLicences adds or updates licences by id in one transaction. Rows
// equal to what is stored are left alone; if nothing changes, no import is
// recorded, so importing the same file twice changes nothing.
func (s *LicenceService) ImportLicences(ctx context.Context, imp nadra.Import, licences []*nadra.Licence) (nadra.ImportResult, error) {
	return importInTx(ctx, s.db, nadra.ChangeLicences, func(tx *Tx) (nadra.ImportResult, error) { return importLicences(ctx, tx, imp, licences) })
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
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM deposits WHERE id = $1)`, l.DepositID).Scan(&exists); err != nil {
				return res, formatError(err)
			}
			if !exists {
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
				return res, err
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

// upsertLicence stores a licence by id.
func upsertLicence(ctx context.Context, tx *Tx, l *nadra.Licence, importID int64) error {
	var dep *string
	if l.DepositID != "" {
		dep = &l.DepositID
	}
	_, err := tx.Exec(ctx, `INSERT INTO licences (id, kind, holder, deposit_id, minerals, granted, term_years, status, ended,
			renewal, developed_at_entry, note, sources, import_id, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, holder = excluded.holder, deposit_id = excluded.deposit_id,
			minerals = excluded.minerals, granted = excluded.granted, term_years = excluded.term_years, status = excluded.status,
			ended = excluded.ended, renewal = excluded.renewal, developed_at_entry = excluded.developed_at_entry, note = excluded.note,
			sources = excluded.sources, import_id = excluded.import_id, updated_at = excluded.updated_at`,
		l.ID, l.Kind, l.Holder, dep, strs(l.Minerals), l.Granted, l.TermYears, l.Status, l.Ended,
		l.Renewal, l.DevelopedAtEntry, l.Note, strs(l.Sources), importID, tx.now)
	return formatError(err)
}
