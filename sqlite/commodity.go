package sqlite

import (
	"context"
	"database/sql"
	"strconv"

	"nadra"
)

// CommodityService implements nadra.CommodityService.
type CommodityService struct{ db *DB }

// NewCommodityService returns a commodity service on db.
func NewCommodityService(db *DB) *CommodityService { return &CommodityService{db: db} }

var _ nadra.CommodityService = (*CommodityService)(nil)

// FindCommodities returns all commodities ordered by code.
func (s *CommodityService) FindCommodities(ctx context.Context) ([]*nadra.Commodity, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findCommodities(ctx, tx)
}

func findCommodities(ctx context.Context, tx *Tx) ([]*nadra.Commodity, error) {
	rows, err := tx.QueryContext(ctx, `SELECT code, name, basis, price_usd_per_t, price_year, price_source, us_critical_2025, eu_critical_2023, lists_source, class FROM commodities ORDER BY code`)
	if err != nil {
		return nil, formatError(err)
	}
	defer rows.Close()
	var out []*nadra.Commodity
	for rows.Next() {
		c := &nadra.Commodity{}
		var year sql.NullInt64
		if err := rows.Scan(&c.Code, &c.Name, &c.Basis, &c.PriceUSDPerT, &year, &c.PriceSource, &c.USCritical2025, &c.EUCritical2023, &c.ListsSource, &c.Class); err != nil {
			return nil, err
		}
		if year.Valid {
			y := int(year.Int64)
			c.PriceYear = &y
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func commodityCodes(ctx context.Context, tx *Tx) (map[string]bool, error) {
	cs, err := findCommodities(ctx, tx)
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
		_, err := tx.ExecContext(ctx, `INSERT INTO commodities (code, name, basis, price_usd_per_t, price_year, price_source, us_critical_2025, eu_critical_2023, lists_source, class, import_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, basis = excluded.basis, price_usd_per_t = excluded.price_usd_per_t,
				price_year = excluded.price_year, price_source = excluded.price_source, us_critical_2025 = excluded.us_critical_2025,
				eu_critical_2023 = excluded.eu_critical_2023, lists_source = excluded.lists_source, class = excluded.class, import_id = excluded.import_id`,
			c.Code, c.Name, c.Basis, c.PriceUSDPerT, c.PriceYear, c.PriceSource, c.USCritical2025, c.EUCritical2023, c.ListsSource, c.Class, importID)
		if err != nil {
			return formatError(err)
		}
	}
	return nil
}

func itoa(i int) string { return strconv.Itoa(i) }
