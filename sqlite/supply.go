package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"nadra"
)

// SupplyService implements nadra.SupplyService.
type SupplyService struct{ db *DB }

// NewSupplyService returns a supply service on db.
func NewSupplyService(db *DB) *SupplyService { return &SupplyService{db: db} }

var _ nadra.SupplyService = (*SupplyService)(nil)

// FindSupplyData returns every supply table.
func (s *SupplyService) FindSupplyData(ctx context.Context) (*nadra.SupplyData, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	d := &nadra.SupplyData{}
	if d.Series, err = findSeries(ctx, tx); err != nil {
		return nil, err
	}
	if d.Production, err = findProduction(ctx, tx, nadra.ProductionFilter{}); err != nil {
		return nil, err
	}
	if err := scanRows(ctx, tx, `SELECT commodity, product, country, year, quantity, unit, note, source FROM reserves ORDER BY id`,
		func(r *sql.Rows) error {
			v := &nadra.Reserve{}
			var src string
			if err := r.Scan(&v.Commodity, &v.Product, &v.Country, &v.Year, &v.Quantity, &v.Unit, &v.Note, &src); err != nil {
				return err
			}
			d.Reserves = append(d.Reserves, v)
			return json.Unmarshal([]byte(src), &v.Source)
		}); err != nil {
		return nil, err
	}
	if err := scanRows(ctx, tx, `SELECT commodity, stage, year, percent, bound, note, source FROM import_reliance ORDER BY commodity, stage, year`,
		func(r *sql.Rows) error {
			v := &nadra.ImportReliance{}
			var src string
			if err := r.Scan(&v.Commodity, &v.Stage, &v.Year, &v.Percent, &v.Bound, &v.Note, &src); err != nil {
				return err
			}
			d.Reliance = append(d.Reliance, v)
			return json.Unmarshal([]byte(src), &v.Source)
		}); err != nil {
		return nil, err
	}
	if err := scanRows(ctx, tx, `SELECT country, year, voice, stability, effectiveness, regulatory, rule_of_law, corruption, source FROM governance ORDER BY country, year`,
		func(r *sql.Rows) error {
			g := &nadra.Governance{}
			var src string
			if err := r.Scan(&g.Country, &g.Year, &g.Voice, &g.Stability, &g.Effectiveness, &g.Regulatory, &g.RuleOfLaw, &g.Corruption, &src); err != nil {
				return err
			}
			d.Governance = append(d.Governance, g)
			return json.Unmarshal([]byte(src), &g.Source)
		}); err != nil {
		return nil, err
	}
	if err := scanRows(ctx, tx, `SELECT commodity, eol_rir_pct, sr, ei, si_sr, major_supplier, major_supplier_stage, major_supplier_pct, note, source FROM eu_assessment ORDER BY commodity`,
		func(r *sql.Rows) error {
			e := &nadra.EUAssessment{}
			var src string
			if err := r.Scan(&e.Commodity, &e.EoLRIRPct, &e.SR, &e.EI, &e.SISR, &e.MajorSupplier, &e.MajorSupplierStage, &e.MajorSupplierPct, &e.Note, &src); err != nil {
				return err
			}
			d.EU = append(d.EU, e)
			return json.Unmarshal([]byte(src), &e.Source)
		}); err != nil {
		return nil, err
	}
	if err := scanRows(ctx, tx, `SELECT code, name FROM countries ORDER BY code`, func(r *sql.Rows) error {
		c := &nadra.Country{}
		d.Countries = append(d.Countries, c)
		return r.Scan(&c.Code, &c.Name)
	}); err != nil {
		return nil, err
	}
	if err := scanRows(ctx, tx, `SELECT country, commodity, product, year, quantity, unit, note, source FROM national_production ORDER BY id`,
		func(r *sql.Rows) error {
			n := &nadra.NationalProduction{}
			var src string
			if err := r.Scan(&n.Country, &n.Commodity, &n.Product, &n.Year, &n.Quantity, &n.Unit, &n.Note, &src); err != nil {
				return err
			}
			d.National = append(d.National, n)
			return json.Unmarshal([]byte(src), &n.Source)
		}); err != nil {
		return nil, err
	}
	return d, nil
}

// FindProduction returns matching production rows ordered by commodity,
// stage, year, product and country.
func (s *SupplyService) FindProduction(ctx context.Context, f nadra.ProductionFilter) ([]*nadra.Production, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findProduction(ctx, tx, f)
}

func scanRows(ctx context.Context, tx *Tx, q string, each func(*sql.Rows) error, args ...any) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return formatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func findSeries(ctx context.Context, tx *Tx) ([]*nadra.SupplySeries, error) {
	var out []*nadra.SupplySeries
	err := scanRows(ctx, tx, `SELECT commodity, stage, name, registry, unit, basis, per_tonne, note FROM supply_series ORDER BY commodity, stage`,
		func(r *sql.Rows) error {
			s := &nadra.SupplySeries{}
			out = append(out, s)
			return r.Scan(&s.Commodity, &s.Stage, &s.Name, &s.Registry, &s.Unit, &s.Basis, &s.PerTonne, &s.Note)
		})
	return out, err
}

func findProduction(ctx context.Context, tx *Tx, f nadra.ProductionFilter) ([]*nadra.Production, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Commodity != "" {
		where, args = append(where, "p.commodity = ?"), append(args, f.Commodity)
	}
	if f.Stage != "" {
		where, args = append(where, "p.stage = ?"), append(args, f.Stage)
	}
	if f.Year != 0 {
		where, args = append(where, "p.year = ?"), append(args, f.Year)
	}
	var out []*nadra.Production
	err := scanRows(ctx, tx, `SELECT p.commodity, p.stage, p.product, p.country, p.year, p.quantity, p.share_pct, p.estimated, p.note, p.source, i.kind, i.file
		FROM production p JOIN imports i ON i.id = p.import_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY p.commodity, p.stage, p.year, p.product, p.country = 'world', p.country = 'other', p.country`,
		func(r *sql.Rows) error {
			p := &nadra.Production{}
			var src, kind, file string
			if err := r.Scan(&p.Commodity, &p.Stage, &p.Product, &p.Country, &p.Year, &p.Quantity, &p.SharePct, &p.Estimated, &p.Note, &src, &kind, &file); err != nil {
				return err
			}
			p.Origin = file
			if kind == "dataset" {
				p.Origin = "dataset"
			}
			out = append(out, p)
			return json.Unmarshal([]byte(src), &p.Source)
		}, args...)
	return out, err
}

// ImportProduction adds or replaces production rows by key in one
// transaction, then checks the shares of every commodity, stage and year
// it touched against everything stored. Rows equal to what is stored are
// left alone; if nothing changes, no import is recorded.
func (s *SupplyService) ImportProduction(ctx context.Context, imp nadra.Import, rows []*nadra.Production) (nadra.ImportResult, error) {
	return importInTx(ctx, s.db, func(tx *Tx) (nadra.ImportResult, error) { return importProduction(ctx, tx, imp, rows) })
}

func importProduction(ctx context.Context, tx *Tx, imp nadra.Import, rows []*nadra.Production) (nadra.ImportResult, error) {
	var res nadra.ImportResult
	ss, err := findSeries(ctx, tx)
	if err != nil {
		return res, err
	}
	series := (&nadra.SupplyData{Series: ss}).SeriesMap()
	for i, p := range rows {
		if err := p.Validate(series); err != nil {
			return res, nadra.Errorf(nadra.EINVALID, "row %d (%s %s %s %d): %s", i+1, p.Commodity, p.Stage, p.Country, p.Year, nadra.ErrorMessage(err))
		}
	}
	importID := int64(0)
	touched := map[string]nadra.ProductionFilter{}
	for _, p := range rows {
		old, err := findProductionByKey(ctx, tx, p)
		if err != nil {
			return res, err
		}
		if old != nil && sameProduction(old, p) {
			res.Unchanged++
			continue
		}
		if importID == 0 {
			if importID, err = createImport(ctx, tx, imp, res); err != nil {
				return res, formatError(err)
			}
		}
		if err := upsertProduction(ctx, tx, p, importID); err != nil {
			return res, err
		}
		if old == nil {
			res.Inserted++
		} else {
			res.Updated++
		}
		touched[p.SeriesKey()+"/"+strconv.Itoa(p.Year)] = nadra.ProductionFilter{Commodity: p.Commodity, Stage: p.Stage, Year: p.Year}
	}
	for _, f := range touched {
		all, err := findProduction(ctx, tx, f)
		if err != nil {
			return res, err
		}
		if probs := nadra.CheckShares(all); len(probs) > 0 {
			pr := probs[0]
			var names []string
			for _, p := range pr.Rows {
				n := p.Country
				if p.Product != "" {
					n += " " + p.Product
				}
				if p.Origin != "" && p.Origin != imp.File {
					n += " (stored, from " + p.Origin + ")"
				}
				names = append(names, n)
			}
			return res, nadra.Errorf(nadra.EINVALID, "%s: %s %s %d: %s; rows: %s", imp.File, pr.Commodity, pr.Stage, pr.Year, pr.Message, strings.Join(names, ", "))
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

func findProductionByKey(ctx context.Context, tx *Tx, p *nadra.Production) (*nadra.Production, error) {
	rows, err := findProduction(ctx, tx, nadra.ProductionFilter{Commodity: p.Commodity, Stage: p.Stage, Year: p.Year})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r.Key() == p.Key() {
			return r, nil
		}
	}
	return nil, nil
}

func sameProduction(a, b *nadra.Production) bool {
	x, y := *a, *b
	x.Origin, y.Origin = "", ""
	return reflect.DeepEqual(x, y)
}

func upsertProduction(ctx context.Context, tx *Tx, p *nadra.Production, importID int64) error {
	src, _ := json.Marshal(p.Source)
	_, err := tx.ExecContext(ctx, `INSERT INTO production (commodity, stage, product, country, year, quantity, share_pct, estimated, note, source, import_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (commodity, stage, product, country, year) DO UPDATE SET quantity = excluded.quantity, share_pct = excluded.share_pct,
			estimated = excluded.estimated, note = excluded.note, source = excluded.source, import_id = excluded.import_id`,
		p.Commodity, p.Stage, p.Product, p.Country, p.Year, p.Quantity, p.SharePct, p.Estimated, p.Note, string(src), importID)
	return formatError(err)
}

// seedSupply writes the embedded supply data that users cannot import, as
// part of a dataset import: series are upserted and the reference tables
// replaced whole. Production rows, which users can import, are merged by
// ImportSeed (seed.go).
func seedSupply(ctx context.Context, tx *Tx, importID int64, d *nadra.SupplyData) error {
	for _, s := range d.Series {
		if err := s.Validate(); err != nil {
			return fmt.Errorf("series %s: %w", s.Key(), err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO supply_series (commodity, stage, name, registry, unit, basis, per_tonne, note, import_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (commodity, stage) DO UPDATE SET name = excluded.name, registry = excluded.registry, unit = excluded.unit,
				basis = excluded.basis, per_tonne = excluded.per_tonne, note = excluded.note, import_id = excluded.import_id`,
			s.Commodity, s.Stage, s.Name, s.Registry, s.Unit, s.Basis, s.PerTonne, s.Note, importID)
		if err != nil {
			return formatError(err)
		}
	}
	for _, t := range []string{"reserves", "import_reliance", "governance", "eu_assessment", "countries", "national_production"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return formatError(err)
		}
	}
	js := func(v []string) string { b, _ := json.Marshal(v); return string(b) }
	for _, v := range d.Reserves {
		if _, err := tx.ExecContext(ctx, `INSERT INTO reserves (commodity, product, country, year, quantity, unit, note, source, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.Commodity, v.Product, v.Country, v.Year, v.Quantity, v.Unit, v.Note, js(v.Source), importID); err != nil {
			return formatError(err)
		}
	}
	for _, v := range d.Reliance {
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_reliance (commodity, stage, year, percent, bound, note, source, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			v.Commodity, v.Stage, v.Year, v.Percent, v.Bound, v.Note, js(v.Source), importID); err != nil {
			return formatError(err)
		}
	}
	for _, g := range d.Governance {
		if _, err := tx.ExecContext(ctx, `INSERT INTO governance (country, year, voice, stability, effectiveness, regulatory, rule_of_law, corruption, source, import_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			g.Country, g.Year, g.Voice, g.Stability, g.Effectiveness, g.Regulatory, g.RuleOfLaw, g.Corruption, js(g.Source), importID); err != nil {
			return formatError(err)
		}
	}
	for _, e := range d.EU {
		if _, err := tx.ExecContext(ctx, `INSERT INTO eu_assessment (commodity, eol_rir_pct, sr, ei, si_sr, major_supplier, major_supplier_stage, major_supplier_pct, note, source, import_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Commodity, e.EoLRIRPct, e.SR, e.EI, e.SISR, e.MajorSupplier, e.MajorSupplierStage, e.MajorSupplierPct, e.Note, js(e.Source), importID); err != nil {
			return formatError(err)
		}
	}
	for _, c := range d.Countries {
		if _, err := tx.ExecContext(ctx, `INSERT INTO countries (code, name) VALUES (?, ?)`, c.Code, c.Name); err != nil {
			return formatError(err)
		}
	}
	for _, n := range d.National {
		if _, err := tx.ExecContext(ctx, `INSERT INTO national_production (country, commodity, product, year, quantity, unit, note, source, import_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n.Country, n.Commodity, n.Product, n.Year, n.Quantity, n.Unit, n.Note, js(n.Source), importID); err != nil {
			return formatError(err)
		}
	}
	return nil
}
