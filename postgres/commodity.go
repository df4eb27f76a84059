package postgres

import (
	"context"

	"nadra"

	"github.com/jackc/pgx/v5"
)

// CommodityService implements nadra.CommodityService.
type CommodityService struct{ db *DB }

// NewCommodityService returns a commodity service on db.
func NewCommodityService(db *DB) *CommodityService { return &CommodityService{db: db} }

var _ nadra.CommodityService = (*CommodityService)(nil)

// FindCommodities returns all commodities ordered by code.
func (s *CommodityService) FindCommodities(ctx context.Context) ([]*nadra.Commodity, error) {
	return findCommodities(ctx, s.db.pool)
}

func findCommodities(ctx context.Context, q querier) ([]*nadra.Commodity, error) {
	var out []*nadra.Commodity
	err := scanRows(ctx, q, `SELECT code, name, basis, price_usd_per_t, price_year, price_source, us_critical_2025, eu_critical_2023, lists_source, class FROM commodities ORDER BY code`,
		func(r pgx.Rows) error {
			c := &nadra.Commodity{}
			if err := r.Scan(&c.Code, &c.Name, &c.Basis, &c.PriceUSDPerT, &c.PriceYear, &c.PriceSource, &c.USCritical2025, &c.EUCritical2023, &c.ListsSource, &c.Class); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	return out, err
}

func commodityCodes(ctx context.Context, q querier) (map[string]bool, error) {
	cs, err := findCommodities(ctx, q)
	if err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for _, c := range cs {
		m[c.Code] = true
	}
	return m, nil
}

func upsertCommodities(ctx context.Context, tx *Tx, cs []*nadra.Commodity, importID int64) error {
	for _, c := range cs {
		if err := c.Validate(); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO commodities (code, name, basis, price_usd_per_t, price_year, price_source, us_critical_2025, eu_critical_2023, lists_source, class, import_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, basis = excluded.basis, price_usd_per_t = excluded.price_usd_per_t,
				price_year = excluded.price_year, price_source = excluded.price_source, us_critical_2025 = excluded.us_critical_2025,
				eu_critical_2023 = excluded.eu_critical_2023, lists_source = excluded.lists_source, class = excluded.class, import_id = excluded.import_id`,
			c.Code, c.Name, c.Basis, c.PriceUSDPerT, c.PriceYear, c.PriceSource, c.USCritical2025, c.EUCritical2023, c.ListsSource, string(c.Class), importID)
		if err != nil {
			return formatError(err)
		}
	}
	return nil
}
