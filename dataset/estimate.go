package dataset

import (
	"io"

	"nadra"
	"nadra/internal/csvfmt"
)

// ParseEstimatesCSV reads estimates in nadra's CSV format and validates
// every row against the known commodity codes and deposit ids.
func ParseEstimatesCSV(file string, r io.Reader, commodities, deposits map[string]bool) ([]*nadra.Estimate, error) {
	return parseRows(file, r, csvfmt.EstimateColumns, func(t *table) (*nadra.Estimate, string, error) {
		e := &nadra.Estimate{
			DepositID: t.str("deposit_id"), Commodity: t.str("commodity"), GradeUnit: nadra.GradeUnit(t.str("grade_unit")),
			Basis: t.str("basis"), Category: t.str("category"), Note: t.str("note"), Source: splitSources(t.str("source")),
		}
		var err error
		if e.OreMt, err = t.float("ore_mt"); err != nil {
			return nil, "", err
		}
		if e.Grade, err = t.float("grade"); err != nil {
			return nil, "", err
		}
		if e.ContainedT, err = t.float("contained_t"); err != nil {
			return nil, "", err
		}
		if e.Year, err = t.integer("year"); err != nil {
			return nil, "", err
		}
		if err := e.Validate(commodities); err != nil {
			return nil, "", t.fieldErr(err)
		}
		if !deposits[e.DepositID] {
			return nil, "", t.errf("deposit_id", "%q is not a deposit in the registry; import the deposit first", e.DepositID)
		}
		return e, e.Key(), nil
	}, func(t *table, _ string, first int) error {
		return t.errf("", "repeats the figure on line %d (same deposit, commodity, basis, category, year and source)", first)
	})
}

// CommodityColumns are the columns of commodities.csv. See FORMAT.md.
var CommodityColumns = []string{"code", "name", "basis", "price_usd_per_t", "price_year", "price_source",
	"us_critical_2025", "eu_critical_2023", "lists_source", "class"}

// ParseCommoditiesCSV reads commodities in nadra's CSV format.
func ParseCommoditiesCSV(file string, r io.Reader) ([]*nadra.Commodity, error) {
	return parseRows(file, r, CommodityColumns, func(t *table) (*nadra.Commodity, string, error) {
		c := &nadra.Commodity{Code: t.str("code"), Name: t.str("name"), Basis: t.str("basis"),
			PriceSource: t.str("price_source"), ListsSource: t.str("lists_source"), Class: nadra.CommodityClass(t.str("class"))}
		var err error
		if c.PriceUSDPerT, err = t.float("price_usd_per_t"); err != nil {
			return nil, "", err
		}
		if c.PriceYear, err = t.integer("price_year"); err != nil {
			return nil, "", err
		}
		if c.USCritical2025, err = t.boolean("us_critical_2025"); err != nil {
			return nil, "", err
		}
		if c.EUCritical2023, err = t.boolean("eu_critical_2023"); err != nil {
			return nil, "", err
		}
		if err := c.Validate(); err != nil {
			return nil, "", t.errf("", "%s", nadra.ErrorMessage(err))
		}
		for _, col := range []string{"price_source", "lists_source"} {
			for _, src := range splitSources(t.str(col)) {
				if err := nadra.ValidateSource(src); err != nil {
					return nil, "", t.errf(col, "%s", nadra.ErrorMessage(err))
				}
			}
		}
		return c, c.Code, nil
	}, func(t *table, code string, first int) error {
		return t.errf("code", "%q already appears on line %d", code, first)
	})
}
