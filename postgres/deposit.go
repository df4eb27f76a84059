package postgres

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"time"

	"nadra"

	"github.com/jackc/pgx/v5"
)

// DepositService implements nadra.DepositService.
type DepositService struct{ db *DB }

// NewDepositService returns a deposit service on db.
func NewDepositService(db *DB) *DepositService { return &DepositService{db: db} }

var _ nadra.DepositService = (*DepositService)(nil)

// FindDepositByID returns ENOTFOUND when no deposit has that id.
func (s *DepositService) FindDepositByID(ctx context.Context, id string) (*nadra.Deposit, error) {
	ds, _, err := s.FindDeposits(ctx, nadra.DepositFilter{ID: id})
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no deposit with id %q", id)
	}
	return ds[0], nil
}

// FindDeposits returns matching deposits ordered by id and the total count.
func (s *DepositService) FindDeposits(ctx context.Context, f nadra.DepositFilter) ([]*nadra.Deposit, int, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.rollback()
	return findDeposits(ctx, tx, f)
}

// args numbers query arguments: add returns "$n" for a new argument.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

func findDeposits(ctx context.Context, q querier, f nadra.DepositFilter) ([]*nadra.Deposit, int, error) {
	var a args
	where := []string{"true"}
	if f.ID != "" {
		where = append(where, "d.id = "+a.add(f.ID))
	}
	if f.Oblast != "" {
		where = append(where, "d.oblast = "+a.add(f.Oblast))
	}
	if f.Commodity != "" {
		where = append(where, "EXISTS (SELECT 1 FROM deposit_commodities dc WHERE dc.deposit_id = d.id AND dc.commodity = "+a.add(f.Commodity)+")")
	}
	if f.Query != "" {
		p := a.add(f.Query)
		where = append(where, "(strpos(lower(d.name), lower("+p+")) > 0 OR strpos(lower(d.name_uk), lower("+p+")) > 0 OR strpos(d.id, lower("+p+")) > 0)")
	}
	limit := ""
	if f.Limit > 0 {
		limit = " LIMIT " + a.add(f.Limit) + " OFFSET " + a.add(f.Offset)
	}
	sql := `SELECT d.id, d.name, d.name_uk, d.oblast, d.lat, d.lon, d.precision_km, d.stage, d.coords_note, d.note,
		d.commodities, d.sources, i.kind, i.file, d.updated_at, COUNT(*) OVER ()
		FROM deposits d JOIN imports i ON i.id = d.import_id
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY d.id` + limit
	var out []*nadra.Deposit
	n := 0
	err := scanRows(ctx, q, sql, func(r pgx.Rows) error {
		d := &nadra.Deposit{}
		var stage, kind, file string
		var updated time.Time
		if err := r.Scan(&d.ID, &d.Name, &d.NameUK, &d.Oblast, &d.Lat, &d.Lon, &d.PrecisionKm, &stage, &d.CoordsNote, &d.Note,
			&d.Commodities, &d.Sources, &kind, &file, &updated, &n); err != nil {
			return err
		}
		d.Stage = nadra.Stage(stage)
		d.Origin = file
		if kind == "dataset" {
			d.Origin = "dataset"
		}
		d.UpdatedAt = updated.UTC()
		out = append(out, d)
		return nil
	}, a...)
	if err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && f.Offset > 0 {
		// The window count is lost past the end: count separately.
		g := f
		g.Limit, g.Offset = 1, 0
		_, n, err = findDeposits(ctx, q, g)
		return nil, n, err
	}
	return out, n, nil
}

// ImportDeposits adds or updates deposits in one transaction. Rows equal
// to what is stored are left alone; if nothing changes, no import is
// recorded, so importing the same file twice changes nothing.
func (s *DepositService) ImportDeposits(ctx context.Context, imp nadra.Import, deposits []*nadra.Deposit) (nadra.ImportResult, error) {
	return importInTx(ctx, s.db, nadra.ChangeRegistry, func(tx *Tx) (nadra.ImportResult, error) { return importDeposits(ctx, tx, imp, deposits) })
}

func importDeposits(ctx context.Context, tx *Tx, imp nadra.Import, deposits []*nadra.Deposit) (nadra.ImportResult, error) {
	var res nadra.ImportResult
	known, err := commodityCodes(ctx, tx)
	if err != nil {
		return res, err
	}
	for i, d := range deposits {
		if err := d.Validate(known); err != nil {
			return res, nadra.Errorf(nadra.EINVALID, "deposit %d (%s): %s", i+1, d.ID, nadra.ErrorMessage(err))
		}
	}
	importID := int64(0)
	for _, d := range deposits {
		old, _, err := findDeposits(ctx, tx, nadra.DepositFilter{ID: d.ID})
		if err != nil {
			return res, err
		}
		action := "inserted"
		if len(old) == 1 {
			if sameDeposit(old[0], d) {
				res.Unchanged++
				continue
			}
			action = "updated"
		}
		if importID == 0 {
			if importID, err = createImport(ctx, tx, imp, res); err != nil {
				return res, err
			}
		}
		if err := upsertDeposit(ctx, tx, d, importID); err != nil {
			return res, err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO deposit_changes (import_id, deposit_id, action) VALUES ($1, $2, $3)`, importID, d.ID, action); err != nil {
			return res, formatError(err)
		}
		if action == "inserted" {
			res.Inserted++
		} else {
			res.Updated++
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

func sameDeposit(a, b *nadra.Deposit) bool {
	x, y := *a, *b
	x.Origin, y.Origin = "", ""
	x.UpdatedAt, y.UpdatedAt = time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}

func upsertDeposit(ctx context.Context, tx *Tx, d *nadra.Deposit, importID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO deposits (id, name, name_uk, oblast, lat, lon, precision_km, stage, coords_note, note, commodities, sources, import_id, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_uk = excluded.name_uk, oblast = excluded.oblast,
			lat = excluded.lat, lon = excluded.lon, precision_km = excluded.precision_km, stage = excluded.stage,
			coords_note = excluded.coords_note, note = excluded.note, commodities = excluded.commodities,
			sources = excluded.sources, import_id = excluded.import_id, updated_at = excluded.updated_at`,
		d.ID, d.Name, d.NameUK, d.Oblast, d.Lat, d.Lon, d.PrecisionKm, string(d.Stage), d.CoordsNote, d.Note,
		strs(d.Commodities), strs(d.Sources), importID, tx.now)
	if err != nil {
		return formatError(err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM deposit_commodities WHERE deposit_id = $1`, d.ID); err != nil {
		return formatError(err)
	}
	for _, c := range d.Commodities {
		if _, err := tx.Exec(ctx, `INSERT INTO deposit_commodities (deposit_id, commodity) VALUES ($1, $2)`, d.ID, c); err != nil {
			return formatError(err)
		}
	}
	return nil
}

// FindEstimates returns the estimates of one deposit, or all.
func (s *DepositService) FindEstimates(ctx context.Context, depositID string) ([]*nadra.Estimate, error) {
	return findEstimates(ctx, s.db.pool, depositID)
}

func findEstimates(ctx context.Context, q querier, depositID string) ([]*nadra.Estimate, error) {
	sql := `SELECT deposit_id, commodity, ore_mt, grade, grade_unit, contained_t, basis, category, year, note, source FROM estimates`
	var a args
	if depositID != "" {
		sql += ` WHERE deposit_id = ` + a.add(depositID)
	}
	var out []*nadra.Estimate
	err := scanRows(ctx, q, sql+` ORDER BY deposit_id, id`, func(r pgx.Rows) error {
		e := &nadra.Estimate{}
		var unit string
		if err := r.Scan(&e.DepositID, &e.Commodity, &e.OreMt, &e.Grade, &unit, &e.ContainedT, &e.Basis, &e.Category, &e.Year, &e.Note, &e.Source); err != nil {
			return err
		}
		e.GradeUnit = nadra.GradeUnit(unit)
		out = append(out, e)
		return nil
	}, a...)
	return out, err
}

// ImportEstimates adds figures, or replaces figures with the same key.
func (s *DepositService) ImportEstimates(ctx context.Context, imp nadra.Import, estimates []*nadra.Estimate) (nadra.ImportResult, error) {
	return importInTx(ctx, s.db, nadra.ChangeRegistry, func(tx *Tx) (nadra.ImportResult, error) { return importEstimates(ctx, tx, imp, estimates) })
}

func importEstimates(ctx context.Context, tx *Tx, imp nadra.Import, estimates []*nadra.Estimate) (nadra.ImportResult, error) {
	var res nadra.ImportResult
	known, err := commodityCodes(ctx, tx)
	if err != nil {
		return res, err
	}
	importID := int64(0)
	for i, e := range estimates {
		if err := e.Validate(known); err != nil {
			return res, nadra.Errorf(nadra.EINVALID, "estimate %d: %s", i+1, nadra.ErrorMessage(err))
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM deposits WHERE id = $1)`, e.DepositID).Scan(&exists); err != nil {
			return res, formatError(err)
		}
		if !exists {
			return res, nadra.Errorf(nadra.EINVALID, "estimate %d: deposit_id: %q is not a deposit in the registry", i+1, e.DepositID)
		}
		var old nadra.Estimate
		var unit string
		err := tx.QueryRow(ctx, `SELECT ore_mt, grade, grade_unit, contained_t, note FROM estimates WHERE key = $1`, e.Key()).
			Scan(&old.OreMt, &old.Grade, &unit, &old.ContainedT, &old.Note)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			res.Inserted++
		case err != nil:
			return res, formatError(err)
		default:
			if eqF(old.OreMt, e.OreMt) && eqF(old.Grade, e.Grade) && eqF(old.ContainedT, e.ContainedT) &&
				unit == string(e.GradeUnit) && old.Note == e.Note {
				res.Unchanged++
				continue
			}
			res.Updated++
		}
		if importID == 0 {
			if importID, err = createImport(ctx, tx, imp, res); err != nil {
				return res, err
			}
		}
		if err := upsertEstimate(ctx, tx, e, importID); err != nil {
			return res, err
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

// upsertEstimate stores a figure by key, replacing the figures of one with
// the same key (deposit, commodity, basis, category, year and sources).
func upsertEstimate(ctx context.Context, tx *Tx, e *nadra.Estimate, importID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO estimates (key, deposit_id, commodity, ore_mt, grade, grade_unit, contained_t, basis, category, year, note, source, import_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (key) DO UPDATE SET ore_mt = excluded.ore_mt, grade = excluded.grade, grade_unit = excluded.grade_unit,
			contained_t = excluded.contained_t, note = excluded.note, import_id = excluded.import_id`,
		e.Key(), e.DepositID, e.Commodity, e.OreMt, e.Grade, string(e.GradeUnit), e.ContainedT, e.Basis, e.Category, e.Year, e.Note, strs(e.Source), importID)
	return formatError(err)
}

func eqF(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
