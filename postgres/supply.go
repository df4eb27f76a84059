package postgres

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"nadra"

	"github.com/jackc/pgx/v5"
)

// SupplyService implements nadra.SupplyService.
type SupplyService struct{ db *DB }

// NewSupplyService returns a supply service on db.
func NewSupplyService(db *DB) *SupplyService { return &SupplyService{db: db} }

var _ nadra.SupplyService = (*SupplyService)(nil)

// FindSupplyData returns every supply table, from one snapshot.
func (s *SupplyService) FindSupplyData(ctx context.Context) (*nadra.SupplyData, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	d := &nadra.SupplyData{}
	if d.Series, err = findSeries(ctx, tx); err != nil {
		return nil, err
	}
	if d.Production, err = findProduction(ctx, tx, nadra.ProductionFilter{}); err != nil {
		return nil, err
	}
	if err := scanRows(ctx, tx, `SELECT commodity, product, country, year, quantity, unit, note, source FROM reserves ORDER BY id`,
		func(r pgx.Rows) error {
			v := &nadra.Reserve{}
			d.Reserves = append(d.Reserves, v)
			return r.Scan(&v.Commodity, &v.Product, &v.Country, &v.Year, &v.Quantity, &v.Unit, &v.Note, &v.Source)
		}); err != nil {
		return nil, err
	}
	if err := scanRows(ctx, tx, `SELECT commodity, stage, year, percent, bound, note, source FROM import_reliance ORDER BY commodity, stage, year`,
		func(r pgx.Rows) error {
			v := &nadra.ImportReliance{}
			d.Reliance = append(d.Reliance, v)
			return r.Scan(&v.Commodity, &v.Stage, &v.Year, &v.Percent, &v.Bound, &v.Note, &v.Source)
		}); err != nil {
		return nil, err
	}
	if err := scanRows(ctx, tx, `SELECT country, year, voice, stability, effectiveness, regulatory, rule_of_law, corruption, source FROM governance ORDER BY country, year`,
		func(r pgx.Rows) error {
			g := &nadra.Governance{}
			d.Governance = append(d.Governance, g)
			return r.Scan(&g.Country, &g.Year, &g.Voice, &g.Stability, &g.Effectiveness, &g.Regulatory, &g.RuleOfLaw, &g.Corruption, &g.Source)
		}); err != nil {
		return nil, err
	}
	if err := scanRows(ctx, tx, `SELECT commodity, eol_rir_pct, sr, ei, si_sr, major_supplier, major_supplier_stage, major_supplier_pct, note, source FROM eu_assessment ORDER BY commodity`,
		func(r pgx.Rows) error {
			e := &nadra.EUAssessment{}
			d.EU = append(d.EU, e)
			return r.Scan(&e.Commodity, &e.EoLRIRPct, &e.SR, &e.EI, &e.SISR, &e.MajorSupplier, &e.MajorSupplierStage, &e.MajorSupplierPct, &e.Note, &e.Source)
		}); err != nil {
		return nil, err
	}
	if err := scanRows(ctx, tx, `SELECT code, name FROM countries ORDER BY code`, func(r pgx.Rows) error {
		c := &nadra.Country{}
		d.Countries = append(d.Countries, c)
		return r.Scan(&c.Code, &c.Name)
	}); err != nil {
		return nil, err
	}
	if err := scanRows(ctx, tx, `SELECT country, commodity, product, year, quantity, unit, note, source FROM national_production ORDER BY id`,
		func(r pgx.Rows) error {
			n := &nadra.NationalProduction{}
			d.National = append(d.National, n)
			return r.Scan(&n.Country, &n.Commodity, &n.Product, &n.Year, &n.Quantity, &n.Unit, &n.Note, &n.Source)
		}); err != nil {
		return nil, err
	}
	nilEmpty(d)
	return d, nil
}

// nilEmpty turns empty source lists into nil, as package sqlite reads a
// list stored from a nil one.
func nilEmpty(d *nadra.SupplyData) {
	z := func(s *[]string) {
		if len(*s) == 0 {
			*s = nil
		}
	}
	for _, v := range d.Reserves {
		z(&v.Source)
	}
	for _, v := range d.Reliance {
		z(&v.Source)
	}
	for _, v := range d.Governance {
		z(&v.Source)
	}
	for _, v := range d.EU {
		z(&v.Source)
	}
	for _, v := range d.National {
		z(&v.Source)
	}
}

// FindProduction returns matching production rows ordered by commodity,
// stage, year, product and country.
func (s *SupplyService) FindProduction(ctx context.Context, f nadra.ProductionFilter) ([]*nadra.Production, error) {
	return findProduction(ctx, s.db.pool, f)
}

func findSeries(ctx context.Context, q querier) ([]*nadra.SupplySeries, error) {
	var out []*nadra.SupplySeries
	err := scanRows(ctx, q, `SELECT commodity, stage, name, registry, unit, basis, per_tonne, note FROM supply_series ORDER BY commodity, stage`,
		func(r pgx.Rows) error {
			s := &nadra.SupplySeries{}
			out = append(out, s)
			return r.Scan(&s.Commodity, &s.Stage, &s.Name, &s.Registry, &s.Unit, &s.Basis, &s.PerTonne, &s.Note)
		})
	return out, err
}

func findProduction(ctx context.Context, q querier, f nadra.ProductionFilter) ([]*nadra.Production, error) {
	var a args
	where := []string{"true"}
	if f.Commodity != "" {
		where = append(where, "p.commodity = "+a.add(f.Commodity))
	}
	if f.Stage != "" {
		where = append(where, "p.stage = "+a.add(f.Stage))
	}
	if f.Year != 0 {
		where = append(where, "p.year = "+a.add(f.Year))
	}
	var out []*nadra.Production
	err := scanRows(ctx, q, `SELECT p.commodity, p.stage, p.product, p.country, p.year, p.quantity, p.share_pct, p.estimated, p.note, p.source, i.kind, i.file
		FROM production p JOIN imports i ON i.id = p.import_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY p.commodity, p.stage, p.year, p.product, p.country = 'world', p.country = 'other', p.country`,
		func(r pgx.Rows) error {
			p := &nadra.Production{}
			var kind, file string
			if err := r.Scan(&p.Commodity, &p.Stage, &p.Product, &p.Country, &p.Year, &p.Quantity, &p.SharePct, &p.Estimated, &p.Note, &p.Source, &kind, &file); err != nil {
				return err
			}
			p.Origin = file
			if kind == "dataset" {
				p.Origin = "dataset"
			}
			out = append(out, p)
			return nil
		}, a...)
	return out, err
}

// ImportProduction adds or replaces production rows by key in one
// transaction, then checks the shares of every commodity, stage and year
// it touched against everything stored. Rows equal to what is stored are
// left alone; if nothing changes, no import is recorded.
func (s *SupplyService) ImportProduction(ctx context.Context, imp nadra.Import, rows []*nadra.Production) (nadra.ImportResult, error) {
	return importInTx(ctx, s.db, nadra.ChangeSupply, func(tx *Tx) (nadra.ImportResult, error) { return importProduction(ctx, tx, imp, rows) })
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
	var order []string
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
				return res, err
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
		k := p.SeriesKey() + "/" + strconv.Itoa(p.Year)
		if _, ok := touched[k]; !ok {
			order = append(order, k)
		}
		touched[k] = nadra.ProductionFilter{Commodity: p.Commodity, Stage: p.Stage, Year: p.Year}
	}
	for _, k := range order {
		all, err := findProduction(ctx, tx, touched[k])
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
	_, err := tx.Exec(ctx, `INSERT INTO production (commodity, stage, product, country, year, quantity, share_pct, estimated, note, source, import_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (commodity, stage, product, country, year) DO UPDATE SET quantity = excluded.quantity, share_pct = excluded.share_pct,
			estimated = excluded.estimated, note = excluded.note, source = excluded.source, import_id = excluded.import_id`,
		p.Commodity, p.Stage, p.Product, p.Country, p.Year, p.Quantity, p.SharePct, p.Estimated, p.Note, strs(p.Source), importID)
	return formatError(err)
}

// seedSupply writes the embedded supply data that users cannot import, as
// part of a dataset import: series are upserted and the reference tables
// replaced whole. Production rows, which users can import, are merged by
// the seed (seed.go).
func seedSupply(ctx context.Context, tx *Tx, importID int64, d *nadra.SupplyData) error {
	for _, s := range d.Series {
		if err := s.Validate(); err != nil {
			return fmt.Errorf("series %s: %w", s.Key(), err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO supply_series (commodity, stage, name, registry, unit, basis, per_tonne, note, import_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (commodity, stage) DO UPDATE SET name = excluded.name, registry = excluded.registry, unit = excluded.unit,
				basis = excluded.basis, per_tonne = excluded.per_tonne, note = excluded.note, import_id = excluded.import_id`,
			s.Commodity, s.Stage, s.Name, s.Registry, s.Unit, s.Basis, s.PerTonne, s.Note, importID)
		if err != nil {
			return formatError(err)
		}
	}
	for _, t := range []string{"reserves", "import_reliance", "governance", "eu_assessment", "countries", "national_production"} {
		if _, err := tx.Exec(ctx, `DELETE FROM `+t); err != nil {
			return formatError(err)
		}
	}
	// Many rows: one batch of inserts, one round trip.
	b := &pgx.Batch{}
	for _, v := range d.Reserves {
		b.Queue(`INSERT INTO reserves (commodity, product, country, year, quantity, unit, note, source, import_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			v.Commodity, v.Product, v.Country, v.Year, v.Quantity, v.Unit, v.Note, strs(v.Source), importID)
	}
	for _, v := range d.Reliance {
		b.Queue(`INSERT INTO import_reliance (commodity, stage, year, percent, bound, note, source, import_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			v.Commodity, v.Stage, v.Year, v.Percent, v.Bound, v.Note, strs(v.Source), importID)
	}
	for _, g := range d.Governance {
		b.Queue(`INSERT INTO governance (country, year, voice, stability, effectiveness, regulatory, rule_of_law, corruption, source, import_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			g.Country, g.Year, g.Voice, g.Stability, g.Effectiveness, g.Regulatory, g.RuleOfLaw, g.Corruption, strs(g.Source), importID)
	}
	for _, e := range d.EU {
		b.Queue(`INSERT INTO eu_assessment (commodity, eol_rir_pct, sr, ei, si_sr, major_supplier, major_supplier_stage, major_supplier_pct, note, source, import_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			e.Commodity, e.EoLRIRPct, e.SR, e.EI, e.SISR, e.MajorSupplier, e.MajorSupplierStage, e.MajorSupplierPct, e.Note, strs(e.Source), importID)
	}
	for _, c := range d.Countries {
		b.Queue(`INSERT INTO countries (code, name) VALUES ($1, $2)`, c.Code, c.Name)
	}
	for _, n := range d.National {
		b.Queue(`INSERT INTO national_production (country, commodity, product, year, quantity, unit, note, source, import_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			n.Country, n.Commodity, n.Product, n.Year, n.Quantity, n.Unit, n.Note, strs(n.Source), importID)
	}
	return formatError(tx.SendBatch(ctx, b).Close())
}
