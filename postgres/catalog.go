package postgres

import (
	"context"

	"nadra"
	"nadra/internal/seedmerge"

	"github.com/jackc/pgx/v5"
)

// CatalogService implements nadra.CatalogService.
type CatalogService struct{ db *DB }

// NewCatalogService returns a catalog service on db.
func NewCatalogService(db *DB) *CatalogService { return &CatalogService{db: db} }

var _ nadra.CatalogService = (*CatalogService)(nil)

// FindDeals returns every deal's terms, ordered by id.
func (s *CatalogService) FindDeals(ctx context.Context) ([]*nadra.DealTerms, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	return findDeals(ctx, tx, "")
}

// findDeals returns the terms with id, or all when id is "".
func findDeals(ctx context.Context, tx *Tx, id string) ([]*nadra.DealTerms, error) {
	var out []*nadra.DealTerms
	err := scanRows(ctx, tx, `SELECT doc::text FROM deal_terms WHERE $1 = '' OR id = $1 ORDER BY id`, func(r pgx.Rows) error {
		var doc string
		if err := r.Scan(&doc); err != nil {
			return err
		}
		d, err := nadra.DecodeTerms([]byte(doc))
		if err != nil {
			return err
		}
		out = append(out, d)
		return nil
	}, id)
	return out, err
}

// FindScenarios returns the named scenarios by position.
func (s *CatalogService) FindScenarios(ctx context.Context) ([]nadra.Scenario, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	return findScenarios(ctx, tx, "")
}

func findScenarios(ctx context.Context, tx *Tx, id string) ([]nadra.Scenario, error) {
	out := []nadra.Scenario{}
	err := scanRows(ctx, tx, `SELECT id, name, expression, sources, note FROM scenarios WHERE $1 = '' OR id = $1 ORDER BY position, id`, func(r pgx.Rows) error {
		var sc nadra.Scenario
		if err := r.Scan(&sc.ID, &sc.Name, &sc.Expression, &sc.Sources, &sc.Note); err != nil {
			return err
		}
		out = append(out, sc)
		return nil
	}, id)
	return out, err
}

// ImportDeals stores terms by id, in one transaction.
func (s *CatalogService) ImportDeals(ctx context.Context, imp nadra.Import, ds []*nadra.DealTerms) (nadra.ImportResult, error) {
	return importInTx(ctx, s.db, nadra.ChangeCatalog, func(tx *Tx) (nadra.ImportResult, error) {
		for i, d := range ds {
			if err := d.Validate(); err != nil {
				return nadra.ImportResult{}, nadra.Errorf(nadra.EINVALID, "terms %d (%s): %s", i+1, d.ID, nadra.ErrorMessage(err))
			}
		}
		return importCatalog(ctx, tx, imp, len(ds), func(i int) (string, string, error) {
			old, err := findDeals(ctx, tx, ds[i].ID)
			if err != nil || len(old) == 0 {
				return ds[i].ID, "", err
			}
			return ds[i].ID, seedmerge.TermsValue(old[0]).Sum, nil
		}, func(i int) string { return seedmerge.TermsValue(ds[i]).Sum }, func(i int, importID int64) error {
			return upsertTerms(ctx, tx, ds[i], importID)
		})
	})
}

// ImportScenarios stores scenarios by id, in one transaction.
func (s *CatalogService) ImportScenarios(ctx context.Context, imp nadra.Import, ss []nadra.Scenario) (nadra.ImportResult, error) {
	return importInTx(ctx, s.db, nadra.ChangeCatalog, func(tx *Tx) (nadra.ImportResult, error) {
		for i := range ss {
			if err := ss[i].Validate(); err != nil {
				return nadra.ImportResult{}, nadra.Errorf(nadra.EINVALID, "scenario %d (%s): %s", i+1, ss[i].ID, nadra.ErrorMessage(err))
			}
		}
		return importCatalog(ctx, tx, imp, len(ss), func(i int) (string, string, error) {
			old, err := findScenarios(ctx, tx, ss[i].ID)
			if err != nil || len(old) == 0 {
				return ss[i].ID, "", err
			}
			return ss[i].ID, seedmerge.ScenarioValue(&old[0]).Sum, nil
		}, func(i int) string { return seedmerge.ScenarioValue(&ss[i]).Sum }, func(i int, importID int64) error {
			return upsertScenario(ctx, tx, &ss[i], importID)
		})
	})
}

// importCatalog imports n rows: stored(i) gives row i's key and the sum
// of its stored value ("" when none), sum(i) the sum of the new value,
// and put stores it. Ids must be unique; rows equal to the stored ones
// are left alone, and an import that changes nothing is not recorded.
func importCatalog(ctx context.Context, tx *Tx, imp nadra.Import, n int, stored func(int) (string, string, error), sum func(int) string, put func(int, int64) error) (nadra.ImportResult, error) {
	var res nadra.ImportResult
	seen := map[string]int{}
	var importID int64
	for i := 0; i < n; i++ {
		key, old, err := stored(i)
		if err != nil {
			return res, formatError(err)
		}
		if first, ok := seen[key]; ok {
			return res, nadra.Errorf(nadra.EINVALID, "row %d: id: %q already given in row %d; ids must be unique in an import", i+1, key, first)
		}
		seen[key] = i + 1
		if old == sum(i) {
			res.Unchanged++
			continue
		}
		if importID == 0 {
			if importID, err = createImport(ctx, tx, imp, res); err != nil {
				return res, formatError(err)
			}
		}
		if err := put(i, importID); err != nil {
			return res, err
		}
		if old != "" {
			res.Updated++
		} else {
			res.Inserted++
		}
	}
	if importID != 0 {
		res.ImportID = importID
		if err := finishImport(ctx, tx, importID, res); err != nil {
			return res, formatError(err)
		}
	}
	return res, nil
}

func upsertTerms(ctx context.Context, tx *Tx, d *nadra.DealTerms, importID int64) error {
	doc, err := nadra.EncodeTerms(d)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO deal_terms (id, name, status, date, doc, import_id, updated_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, status = excluded.status, date = excluded.date, doc = excluded.doc,
			import_id = excluded.import_id, updated_at = excluded.updated_at`,
		d.ID, d.Name, d.Status, d.Date, string(doc), importID, tx.now)
	return formatError(err)
}

// upsertScenario stores a scenario; a new one goes after the others, an
// existing one keeps its place.
func upsertScenario(ctx context.Context, tx *Tx, sc *nadra.Scenario, importID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO scenarios (id, position, name, expression, sources, note, import_id, updated_at)
		VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM scenarios), $2, $3, $4, $5, $6, $7)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, expression = excluded.expression, sources = excluded.sources,
			note = excluded.note, import_id = excluded.import_id, updated_at = excluded.updated_at`,
		sc.ID, sc.Name, sc.Expression, strs(sc.Sources), sc.Note, importID, tx.now)
	return formatError(err)
}
