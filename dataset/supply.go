package dataset

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"nadra"
	"nadra/internal/csvfmt"
)

// supplyDir holds the supply tables: see FORMAT.md ("Supply tables") and
// README.md ("Supply data") for their columns and origins.
const supplyDir = "supply/"

// Supply parses the embedded supply tables. They are parsed once per
// process.
func Supply() (*nadra.SupplyData, error) {
	supplyOnce.Do(func() { supplyData, supplyErr = loadSupply() })
	return supplyData, supplyErr
}

var (
	supplyOnce sync.Once
	supplyData *nadra.SupplyData
	supplyErr  error
)

func loadSupply() (*nadra.SupplyData, error) {
	read := func(name string) (string, io.Reader) {
		b, err := files.ReadFile(supplyDir + name)
		if err != nil {
			panic(err) // embedded: cannot fail
		}
		return "dataset/" + supplyDir + name, bytes.NewReader(b)
	}
	d := &nadra.SupplyData{}
	var err error
	if d.Series, err = ParseSeriesCSV(read("series.csv")); err != nil {
		return nil, err
	}
	series := d.SeriesMap()
	if d.Countries, err = ParseCountriesCSV(read("countries.csv")); err != nil {
		return nil, err
	}
	f, r := read("production.csv")
	if d.Production, err = ParseProductionCSV(f, r, ProductionRefs{Series: series, Countries: CountryCodes(d.Countries)}); err != nil {
		return nil, err
	}
	if d.Reserves, err = ParseReservesCSV(read("reserves.csv")); err != nil {
		return nil, err
	}
	if d.Reliance, err = ParseImportRelianceCSV(read("import_reliance.csv")); err != nil {
		return nil, err
	}
	if d.Governance, err = ParseGovernanceCSV(read("wgi.csv")); err != nil {
		return nil, err
	}
	if d.EU, err = ParseEUCSV(read("eu_crm.csv")); err != nil {
		return nil, err
	}
	if d.National, err = ParseNationalCSV(read("national.csv")); err != nil {
		return nil, err
	}
	return d, nil
}

// SeriesColumns are the columns of supply/series.csv.
var SeriesColumns = []string{"commodity", "stage", "name", "registry", "unit", "basis", "per_tonne", "note"}

// ParseSeriesCSV reads supply series definitions.
func ParseSeriesCSV(file string, r io.Reader) ([]*nadra.SupplySeries, error) {
	t, err := openTable(file, r, SeriesColumns)
	if err != nil {
		return nil, err
	}
	var out []*nadra.SupplySeries
	seen := map[string]int{}
	err = t.each(func() error {
		s := &nadra.SupplySeries{Commodity: t.str("commodity"), Stage: t.str("stage"), Name: t.str("name"),
			Registry: t.str("registry"), Unit: t.str("unit"), Basis: t.str("basis"), Note: t.str("note")}
		if s.PerTonne, err = t.float("per_tonne"); err != nil {
			return err
		}
		if err := s.Validate(); err != nil {
			return t.fieldErr(err)
		}
		if prev, dup := seen[s.Key()]; dup {
			return t.errf("", "series %s already defined on line %d", s.Key(), prev)
		}
		seen[s.Key()] = t.line
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ProductionColumns are the columns of supply/production.csv and of
// `nadra import production` files.
var ProductionColumns = []string{"commodity", "stage", "product", "country", "year", "quantity", "share_pct", "estimated", "note", "source"}

// ProductionRefs is what production rows are checked against.
type ProductionRefs struct {
	// Series maps "commodity/stage" to its definition.
	Series map[string]*nadra.SupplySeries
	// Countries, if not nil, holds the country codes a row may name
	// besides other and world: those of supply/countries.csv.
	Countries map[string]bool
	// LastYear, if not 0, is the latest year a row may have: the current
	// year, from the caller's clock.
	LastYear int
}

// CountryCodes returns the set of codes.
func CountryCodes(cs []*nadra.Country) map[string]bool {
	m := make(map[string]bool, len(cs))
	for _, c := range cs {
		m[c.Code] = true
	}
	return m
}

// ParseProductionCSV reads production rows and validates each against the
// known series, countries and the current year. It refuses a file that
// repeats a row (same commodity, stage, product, country and year) or
// whose shares for one commodity, stage and year exceed 100%, naming the
// lines.
func ParseProductionCSV(file string, r io.Reader, refs ProductionRefs) ([]*nadra.Production, error) {
	series := refs.Series
	t, err := openTable(file, r, ProductionColumns)
	if err != nil {
		return nil, err
	}
	var out []*nadra.Production
	lines := map[*nadra.Production]int{}
	seen := map[string]int{}
	err = t.each(func() error {
		p := &nadra.Production{Commodity: t.str("commodity"), Stage: t.str("stage"), Product: t.str("product"),
			Country: t.str("country"), Note: t.str("note"), Source: splitSources(t.str("source"))}
		y, err := t.integer("year")
		if err != nil {
			return err
		}
		if y == nil {
			return t.errf("year", "required")
		}
		p.Year = *y
		if p.Quantity, err = t.float("quantity"); err != nil {
			return err
		}
		if p.SharePct, err = t.float("share_pct"); err != nil {
			return err
		}
		if t.str("estimated") == "" {
			p.Estimated = false
		} else if p.Estimated, err = t.boolean("estimated"); err != nil {
			return err
		}
		if err := p.Validate(series); err != nil {
			return t.fieldErr(err)
		}
		if c := p.Country; refs.Countries != nil && c != nadra.CountryOther && c != nadra.CountryWorld && !refs.Countries[c] {
			return t.errf("country", "%q is not a country of the supply tables; expected one of %s, other or world", c, codeList(refs.Countries))
		}
		if refs.LastYear != 0 && p.Year > refs.LastYear {
			return t.errf("year", "%d is in the future (this is %d); production rows are published figures", p.Year, refs.LastYear)
		}
		k := p.Key()
		if prev, dup := seen[k]; dup {
			return t.errf("", "repeats the row on line %d (same commodity, stage, product, country and year)", prev)
		}
		seen[k] = t.line
		lines[p] = t.line
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &nadra.InputError{File: file, Feature: -1, Problem: "no rows after the header"}
	}
	if probs := nadra.CheckShares(out); len(probs) > 0 {
		pr := probs[0]
		var ls []string
		for _, p := range pr.Rows {
			ls = append(ls, strconv.Itoa(lines[p]))
		}
		return nil, &nadra.InputError{File: file, Line: lines[pr.Rows[0]], Feature: -1, Field: "share_pct",
			Problem: fmt.Sprintf("%s %s %d: %s (lines %s)", pr.Commodity, pr.Stage, pr.Year, pr.Message, strings.Join(ls, ", "))}
	}
	return out, nil
}

// WriteProductionCSV writes production rows in nadra's CSV format.
func WriteProductionCSV(w io.Writer, rows []*nadra.Production) error {
	cw := csvfmt.NewWriter(w)
	cw.Write(ProductionColumns)
	for _, p := range rows {
		cw.Write([]string{p.Commodity, p.Stage, p.Product, p.Country, strconv.Itoa(p.Year), csvfmt.Float(p.Quantity),
			csvfmt.Float(p.SharePct), strconv.FormatBool(p.Estimated), p.Note, strings.Join(p.Source, csvfmt.SourceSep)})
	}
	cw.Flush()
	return cw.Error()
}

// ReserveColumns are the columns of supply/reserves.csv.
var ReserveColumns = []string{"commodity", "product", "country", "year", "quantity", "unit", "note", "source"}

// ParseReservesCSV reads reserves by country.
func ParseReservesCSV(file string, r io.Reader) ([]*nadra.Reserve, error) {
	t, err := openTable(file, r, ReserveColumns)
	if err != nil {
		return nil, err
	}
	var out []*nadra.Reserve
	err = t.each(func() error {
		v := &nadra.Reserve{Commodity: t.str("commodity"), Product: t.str("product"), Country: t.str("country"),
			Unit: t.str("unit"), Note: t.str("note"), Source: splitSources(t.str("source"))}
		if v.Year, err = t.year(); err != nil {
			return err
		}
		if v.Quantity, err = t.float("quantity"); err != nil {
			return err
		}
		switch {
		case !nadra.ValidCountry(v.Country):
			return t.errf("country", "%q: expected an ISO 3166-1 alpha-2 code, other or world", v.Country)
		case v.Unit == "":
			return t.errf("unit", "required")
		case v.Quantity != nil && *v.Quantity < 0:
			return t.errf("quantity", "must be zero or more")
		}
		if err := t.sources(v.Source); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ImportRelianceColumns are the columns of supply/import_reliance.csv.
var ImportRelianceColumns = []string{"commodity", "stage", "year", "percent", "bound", "note", "source"}

// ParseImportRelianceCSV reads US net import reliance figures.
func ParseImportRelianceCSV(file string, r io.Reader) ([]*nadra.ImportReliance, error) {
	t, err := openTable(file, r, ImportRelianceColumns)
	if err != nil {
		return nil, err
	}
	var out []*nadra.ImportReliance
	err = t.each(func() error {
		v := &nadra.ImportReliance{Commodity: t.str("commodity"), Stage: t.str("stage"), Bound: t.str("bound"),
			Note: t.str("note"), Source: splitSources(t.str("source"))}
		if v.Year, err = t.year(); err != nil {
			return err
		}
		if v.Percent, err = t.float("percent"); err != nil {
			return err
		}
		switch {
		case !nadra.ValidSupplyStage(v.Stage):
			return t.errf("stage", "%q unknown; expected mine or refining", v.Stage)
		case v.Bound != nadra.BoundExact && v.Bound != nadra.BoundAbove && v.Bound != nadra.BoundBelow && v.Bound != nadra.BoundExporter:
			return t.errf("bound", "%q unknown; expected empty, >, < or E", v.Bound)
		case (v.Bound == nadra.BoundExporter) != (v.Percent == nil):
			return t.errf("percent", "required unless bound is E (net exporter), and empty then")
		case v.Percent != nil && (*v.Percent < 0 || *v.Percent > 100):
			return t.errf("percent", "%g out of range; expected 0 to 100", *v.Percent)
		}
		if err := t.sources(v.Source); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GovernanceColumns are the columns of supply/wgi.csv.
var GovernanceColumns = []string{"country", "year", "voice", "stability", "effectiveness", "regulatory", "rule_of_law", "corruption", "source"}

// ParseGovernanceCSV reads Worldwide Governance Indicators.
func ParseGovernanceCSV(file string, r io.Reader) ([]*nadra.Governance, error) {
	t, err := openTable(file, r, GovernanceColumns)
	if err != nil {
		return nil, err
	}
	var out []*nadra.Governance
	seen := map[string]int{}
	err = t.each(func() error {
		g := &nadra.Governance{Country: t.str("country"), Source: splitSources(t.str("source"))}
		if g.Year, err = t.year(); err != nil {
			return err
		}
		for _, f := range []struct {
			col string
			dst *float64
		}{{"voice", &g.Voice}, {"stability", &g.Stability}, {"effectiveness", &g.Effectiveness},
			{"regulatory", &g.Regulatory}, {"rule_of_law", &g.RuleOfLaw}, {"corruption", &g.Corruption}} {
			v, err := t.float(f.col)
			if err != nil {
				return err
			}
			if v == nil || *v < -3 || *v > 3 {
				return t.errf(f.col, "required, an estimate between -3 and 3")
			}
			*f.dst = *v
		}
		if g.Country == nadra.CountryOther || g.Country == nadra.CountryWorld || !nadra.ValidCountry(g.Country) {
			return t.errf("country", "%q: expected an ISO 3166-1 alpha-2 code", g.Country)
		}
		k := g.Country + "/" + strconv.Itoa(g.Year)
		if prev, dup := seen[k]; dup {
			return t.errf("", "%s %d already on line %d", g.Country, g.Year, prev)
		}
		seen[k] = t.line
		if err := t.sources(g.Source); err != nil {
			return err
		}
		out = append(out, g)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EUColumns are the columns of supply/eu_crm.csv.
var EUColumns = []string{"commodity", "eol_rir_pct", "sr", "ei", "si_sr", "major_supplier", "major_supplier_stage",
	"major_supplier_share_pct", "note", "source"}

// ParseEUCSV reads the EU 2023 assessment figures.
func ParseEUCSV(file string, r io.Reader) ([]*nadra.EUAssessment, error) {
	t, err := openTable(file, r, EUColumns)
	if err != nil {
		return nil, err
	}
	var out []*nadra.EUAssessment
	err = t.each(func() error {
		e := &nadra.EUAssessment{Commodity: t.str("commodity"), MajorSupplier: t.str("major_supplier"),
			MajorSupplierStage: t.str("major_supplier_stage"), Note: t.str("note"), Source: splitSources(t.str("source"))}
		for _, f := range []struct {
			col string
			dst **float64
		}{{"eol_rir_pct", &e.EoLRIRPct}, {"sr", &e.SR}, {"ei", &e.EI}, {"si_sr", &e.SISR}, {"major_supplier_share_pct", &e.MajorSupplierPct}} {
			if *f.dst, err = t.float(f.col); err != nil {
				return err
			}
		}
		if e.MajorSupplierStage != "" && !nadra.ValidSupplyStage(e.MajorSupplierStage) {
			return t.errf("major_supplier_stage", "%q unknown; expected mine or refining", e.MajorSupplierStage)
		}
		if err := t.sources(e.Source); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CountryColumns are the columns of supply/countries.csv.
var CountryColumns = []string{"code", "name"}

// ParseCountriesCSV reads country names by ISO 3166-1 alpha-2 code.
func ParseCountriesCSV(file string, r io.Reader) ([]*nadra.Country, error) {
	t, err := openTable(file, r, CountryColumns)
	if err != nil {
		return nil, err
	}
	var out []*nadra.Country
	err = t.each(func() error {
		c := &nadra.Country{Code: t.str("code"), Name: t.str("name")}
		if !nadra.ValidCountry(c.Code) || c.Code == nadra.CountryOther || c.Code == nadra.CountryWorld || c.Name == "" {
			return t.errf("code", "%q: expected an ISO 3166-1 alpha-2 code and a name", c.Code)
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// NationalColumns are the columns of supply/national.csv.
var NationalColumns = []string{"country", "commodity", "product", "year", "quantity", "unit", "note", "source"}

// ParseNationalCSV reads national production figures that are not on a
// world table's basis.
func ParseNationalCSV(file string, r io.Reader) ([]*nadra.NationalProduction, error) {
	t, err := openTable(file, r, NationalColumns)
	if err != nil {
		return nil, err
	}
	var out []*nadra.NationalProduction
	err = t.each(func() error {
		n := &nadra.NationalProduction{Country: t.str("country"), Commodity: t.str("commodity"), Product: t.str("product"),
			Unit: t.str("unit"), Note: t.str("note"), Source: splitSources(t.str("source"))}
		if n.Year, err = t.year(); err != nil {
			return err
		}
		q, err := t.float("quantity")
		if err != nil {
			return err
		}
		if q == nil || *q < 0 || n.Unit == "" || n.Product == "" {
			return t.errf("quantity", "quantity, unit and product are required")
		}
		n.Quantity = *q
		if err := t.sources(n.Source); err != nil {
			return err
		}
		out = append(out, n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// codeList returns the keys of a set, sorted and comma-separated.
func codeList(set map[string]bool) string {
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// openTable reads a whole input and checks its header.
func openTable(file string, r io.Reader, columns []string) (*table, error) {
	data, err := readAll(file, r)
	if err != nil {
		return nil, err
	}
	return newTable(file, data, columns)
}

// year parses the required "year" column.
func (t *table) year() (int, error) {
	y, err := t.integer("year")
	if err != nil {
		return 0, err
	}
	if y == nil || *y < 1900 || *y > 2100 {
		return 0, t.errf("year", "required, 1900 to 2100")
	}
	return *y, nil
}

// sources checks a row's sources: at least one, each with a date.
func (t *table) sources(src []string) error {
	if len(src) == 0 {
		return t.errf("source", "at least one source required")
	}
	for _, s := range src {
		if err := nadra.ValidateSource(s); err != nil {
			return t.errf("source", "%s", nadra.ErrorMessage(err))
		}
	}
	return nil
}
