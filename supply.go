package nadra

import (
	"context"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Supply stages. Persisted: append only.
const (
	StageMine     = "mine"     // mine production (ores, concentrates, contained metal)
	StageRefining = "refining" // refinery, smelter or processing output
)

// SupplyStages lists the valid supply stages.
var SupplyStages = []string{StageMine, StageRefining}

// Pseudo-country codes used beside ISO 3166-1 alpha-2 codes in supply
// tables. Persisted: append only.
const (
	CountryOther = "other" // "other countries" in a source's table: many small producers, not attributed
	CountryWorld = "world" // the source's published world total
)

// UnitShare is the unit of a series published only as shares of world
// output: its rows carry SharePct, never Quantity.
const UnitShare = "pct of world"

// SupplySeries describes one commodity at one stage: what its production
// rows count, and how a deposit's contained quantity converts into that
// unit for what-if scenarios.
type SupplySeries struct {
	Commodity string `json:"commodity"` // supply code, e.g. "lithium"
	Stage     string `json:"stage"`     // StageMine or StageRefining
	Name      string `json:"name"`
	Registry  string `json:"registry,omitempty"` // the registry commodity code, "" when the registry has none
	Unit      string `json:"unit"`               // e.g. "t Li content"; UnitShare for share-only series
	// Basis is the registry basis (a Bases key) that Unit counts, "" when
	// deposit quantities cannot be converted into this series.
	Basis string `json:"basis,omitempty"`
	// PerTonne is how many Unit one tonne of Basis makes (0.001 for kt).
	PerTonne *float64 `json:"per_tonne,omitempty"`
	Note     string   `json:"note,omitempty"`
}

// ShareOnly reports whether the series is published as shares only.
func (s *SupplySeries) ShareOnly() bool { return s.Unit == UnitShare }

// Key returns "commodity/stage".
func (s *SupplySeries) Key() string { return s.Commodity + "/" + s.Stage }

var (
	supplyCodeRE = regexp.MustCompile(`^[a-z][a-z_]*$`)
	countryRE    = regexp.MustCompile(`^[A-Z]{2}$`)
)

// ValidSupplyStage reports whether s is a supply stage (StageMine or
// StageRefining), not a deposit's development Stage.
func ValidSupplyStage(s string) bool { return s == StageMine || s == StageRefining }

// ValidCountry reports whether c is an ISO 3166-1 alpha-2 code (upper
// case) or one of the pseudo-codes "other" and "world".
func ValidCountry(c string) bool {
	return countryRE.MatchString(c) || c == CountryOther || c == CountryWorld
}

// Validate returns an EINVALID error "field: problem" for the first bad
// field.
func (s *SupplySeries) Validate() error {
	switch {
	case !supplyCodeRE.MatchString(s.Commodity):
		return Errorf(EINVALID, "commodity: %q: expected lowercase letters and _", s.Commodity)
	case !ValidSupplyStage(s.Stage):
		return Errorf(EINVALID, "stage: %q unknown; expected mine or refining", s.Stage)
	case strings.TrimSpace(s.Name) == "":
		return Errorf(EINVALID, "name: required")
	case strings.TrimSpace(s.Unit) == "":
		return Errorf(EINVALID, "unit: required")
	case s.Basis != "" && Bases[s.Basis].Code == "":
		return Errorf(EINVALID, "basis: %q unknown; expected one of %s", s.Basis, strings.Join(BasisCodes(), ", "))
	case s.Basis != "" && s.ShareOnly():
		return Errorf(EINVALID, "basis: a share-only series has no basis")
	case (s.Basis == "") != (s.PerTonne == nil):
		return Errorf(EINVALID, "per_tonne: give basis and per_tonne together, or neither")
	case s.PerTonne != nil && !(*s.PerTonne > 0):
		return Errorf(EINVALID, "per_tonne: must be positive")
	}
	return nil
}

// Production is one row of a world production table: one country's (or
// the world's) output of one commodity at one stage in one year, in the
// series' unit, or its published share when only shares are published.
type Production struct {
	Commodity string   `json:"commodity"`
	Stage     string   `json:"stage"`
	Product   string   `json:"product,omitempty"` // e.g. "ilmenite", "rutile"; "" for the commodity as a whole
	Country   string   `json:"country"`           // ISO 3166-1 alpha-2, "other" or "world"
	Year      int      `json:"year"`
	Quantity  *float64 `json:"quantity"`  // in the series' unit; nil when withheld, not available or share-only
	SharePct  *float64 `json:"share_pct"` // published share of world output, percent; share-only series only
	Estimated bool     `json:"estimated"` // the source marks the figure as an estimate
	Note      string   `json:"note,omitempty"`
	Source    []string `json:"source"`
	// Origin is "dataset" for the embedded default or the file it was
	// imported from. Set by the store.
	Origin string `json:"origin,omitempty"`
}

// Key identifies a production row: importing a row with the same key
// replaces it.
func (p *Production) Key() string {
	return strings.Join([]string{p.Commodity, p.Stage, p.Product, p.Country, strconv.Itoa(p.Year)}, "\x1f")
}

// SeriesKey returns "commodity/stage".
func (p *Production) SeriesKey() string { return p.Commodity + "/" + p.Stage }

// Validate returns an EINVALID error "field: problem" for the first bad
// field. series maps "commodity/stage" to its definition.
func (p *Production) Validate(series map[string]*SupplySeries) error {
	switch {
	case len(p.Commodity) > MaxIDLen:
		return Errorf(EINVALID, "commodity: %d characters; at most %d allowed", len(p.Commodity), MaxIDLen)
	case !supplyCodeRE.MatchString(p.Commodity):
		return Errorf(EINVALID, "commodity: %q: expected lowercase letters and _", p.Commodity)
	case !ValidSupplyStage(p.Stage):
		return Errorf(EINVALID, "stage: %q unknown; expected mine or refining", Truncate(p.Stage, 40))
	case series[p.SeriesKey()] == nil:
		return Errorf(EINVALID, "commodity: no series %s; known series: %s", p.SeriesKey(), seriesList(series))
	case !ValidCountry(p.Country):
		return Errorf(EINVALID, "country: %q: expected an ISO 3166-1 alpha-2 code such as CN or UA, or other, or world", Truncate(p.Country, 40))
	case p.Year < 1900 || p.Year > 2100:
		return Errorf(EINVALID, "year: %d out of range", p.Year)
	case p.Quantity != nil && (math.IsNaN(*p.Quantity) || *p.Quantity < 0):
		return Errorf(EINVALID, "quantity: must be zero or more")
	case p.Quantity != nil && *p.Quantity > MaxQuantity:
		return Errorf(EINVALID, "quantity: %g is more than %g, not a plausible annual output in any series' unit", *p.Quantity, MaxQuantity)
	case p.SharePct != nil && (math.IsNaN(*p.SharePct) || *p.SharePct < 0 || *p.SharePct > 100):
		return Errorf(EINVALID, "share_pct: %g out of range; expected 0 to 100", *p.SharePct)
	case p.Quantity != nil && p.SharePct != nil:
		return Errorf(EINVALID, "share_pct: give quantity or share_pct, not both")
	case series[p.SeriesKey()].ShareOnly() && p.Quantity != nil:
		return Errorf(EINVALID, "quantity: series %s is published as shares only; give share_pct", p.SeriesKey())
	case !series[p.SeriesKey()].ShareOnly() && p.SharePct != nil:
		return Errorf(EINVALID, "share_pct: series %s is in %s; give quantity", p.SeriesKey(), series[p.SeriesKey()].Unit)
	case p.Quantity == nil && p.SharePct == nil && strings.TrimSpace(p.Note) == "":
		return Errorf(EINVALID, "note: a row without quantity or share_pct must say why (withheld, not available)")
	}
	if err := checkLen("product", p.Product, MaxNameLen); err != nil {
		return err
	}
	if err := checkLen("note", p.Note, MaxNoteLen); err != nil {
		return err
	}
	return validateSources("source", p.Source)
}

// MaxQuantity bounds imported quantities (tonnes, or a series' unit): a
// trillion is beyond any deposit or any year's world output, and keeps
// sums and squares of quantities finite.
const MaxQuantity = 1e12

func seriesList(series map[string]*SupplySeries) string {
	var ks []string
	for k := range series {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// Tolerances for the consistency checks on production tables. Published
// shares are rounded, and world totals are rounded (USGS rounds to two or
// three significant figures), so sums may exceed them a little.
const (
	ShareTolerancePct  = 0.5  // percentage points over 100 allowed for published shares
	WorldToleranceFrac = 0.05 // fraction over the rounded world total allowed for country sums
)

// CheckShares checks that the shares in each commodity, stage and year do
// not exceed 100%: published share_pct rows must sum to at most 100% (plus
// ShareTolerancePct), and country quantities must not exceed a published
// world total by more than WorldToleranceFrac. It returns, for each series
// and year that fails, the rows involved, with a message.
func CheckShares(rows []*Production) []ShareProblem {
	type group struct {
		commodity, stage string
		year             int
		rows             []*Production
	}
	groups := map[string]*group{}
	var order []string
	for _, p := range rows {
		k := p.SeriesKey() + "/" + strconv.Itoa(p.Year)
		g := groups[k]
		if g == nil {
			g = &group{commodity: p.Commodity, stage: p.Stage, year: p.Year}
			groups[k] = g
			order = append(order, k)
		}
		g.rows = append(g.rows, p)
	}
	var out []ShareProblem
	for _, k := range order {
		g := groups[k]
		var shares, qty, world float64
		var shareRows, qtyRows []*Production
		hasWorld := false
		for _, p := range g.rows {
			switch {
			case p.Country == CountryWorld:
				if p.Quantity != nil {
					world += *p.Quantity
					hasWorld = true
				}
			case p.SharePct != nil:
				shares += *p.SharePct
				shareRows = append(shareRows, p)
			case p.Quantity != nil:
				qty += *p.Quantity
				qtyRows = append(qtyRows, p)
			}
		}
		if shares > 100+ShareTolerancePct {
			out = append(out, ShareProblem{Commodity: g.commodity, Stage: g.stage, Year: g.year, Rows: shareRows,
				Message: "published shares add up to " + strconv.FormatFloat(shares, 'f', 1, 64) + "%; at most " +
					strconv.FormatFloat(100+ShareTolerancePct, 'f', -1, 64) + "% is allowed (100% and " +
					strconv.FormatFloat(ShareTolerancePct, 'f', -1, 64) + " points for rounding)"})
		}
		if hasWorld && world > 0 && qty > world*(1+WorldToleranceFrac) {
			out = append(out, ShareProblem{Commodity: g.commodity, Stage: g.stage, Year: g.year, Rows: qtyRows,
				Message: "country quantities add up to " + strconv.FormatFloat(qty/world*100, 'f', 1, 64) +
					"% of the published world total; at most " + strconv.FormatFloat(100*(1+WorldToleranceFrac), 'f', -1, 64) +
					"% is allowed (world totals are rounded); if the total is out of date, add a world row for " +
					g.commodity + " " + g.stage + " " + strconv.Itoa(g.year) + " with the newer total (it replaces the stored one)"})
		}
	}
	return out
}

// ShareProblem is a commodity, stage and year whose shares exceed 100%.
type ShareProblem struct {
	Commodity, Stage string
	Year             int
	Rows             []*Production
	Message          string
}

// Reserve is one country's published reserves of a commodity.
type Reserve struct {
	Commodity string   `json:"commodity"`
	Product   string   `json:"product,omitempty"`
	Country   string   `json:"country"`
	Year      int      `json:"year"`
	Quantity  *float64 `json:"quantity"` // nil when not available
	Unit      string   `json:"unit"`
	Note      string   `json:"note,omitempty"`
	Source    []string `json:"source"`
}

// Import-reliance bounds, as USGS prints them. Persisted: append only.
const (
	BoundExact    = ""  // the figure as published
	BoundAbove    = ">" // "more than"
	BoundBelow    = "<" // "less than"
	BoundExporter = "E" // net exporter; no percentage
)

// ImportReliance is the US net import reliance for a commodity and stage
// in a year, as a percentage of apparent consumption.
type ImportReliance struct {
	Commodity string   `json:"commodity"`
	Stage     string   `json:"stage"`
	Year      int      `json:"year"`
	Percent   *float64 `json:"percent"` // nil for a net exporter
	Bound     string   `json:"bound"`   // BoundExact, BoundAbove, BoundBelow or BoundExporter
	Note      string   `json:"note,omitempty"`
	Source    []string `json:"source"`
}

// String formats the reliance as USGS prints it: "74%", ">50%", "E".
func (r *ImportReliance) String() string {
	if r == nil {
		return "n/a"
	}
	if r.Bound == BoundExporter {
		return "E (net exporter)"
	}
	if r.Percent == nil {
		return "n/a"
	}
	return r.Bound + strconv.FormatFloat(*r.Percent, 'f', -1, 64) + "%"
}

// Governance is a country's World Bank Worldwide Governance Indicators
// in one year: six estimates on a scale of about -2.5 (weak) to 2.5.
type Governance struct {
	Country       string   `json:"country"`
	Year          int      `json:"year"`
	Voice         float64  `json:"voice"`
	Stability     float64  `json:"stability"`
	Effectiveness float64  `json:"effectiveness"`
	Regulatory    float64  `json:"regulatory"`
	RuleOfLaw     float64  `json:"rule_of_law"`
	Corruption    float64  `json:"corruption"`
	Source        []string `json:"source"`
}

// Mean returns the unweighted mean of the six indicators.
func (g *Governance) Mean() float64 {
	return (g.Voice + g.Stability + g.Effectiveness + g.Regulatory + g.RuleOfLaw + g.Corruption) / 6
}

// EUAssessment is the EU's 2023 criticality assessment of a commodity as
// far as it is known: the end-of-life recycling input rate, the published
// supply risk, economic importance and substitution index (nil where not
// found), and the major global supplier of its Table A.
type EUAssessment struct {
	Commodity          string   `json:"commodity"`
	EoLRIRPct          *float64 `json:"eol_rir_pct"`
	SR                 *float64 `json:"sr"`
	EI                 *float64 `json:"ei"`
	SISR               *float64 `json:"si_sr"`
	MajorSupplier      string   `json:"major_supplier"`
	MajorSupplierStage string   `json:"major_supplier_stage"`
	MajorSupplierPct   *float64 `json:"major_supplier_share_pct"`
	Note               string   `json:"note,omitempty"`
	Source             []string `json:"source"`
}

// Country is a country code and its English name.
type Country struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// NationalProduction is a country's own production figure that is not on
// a world table's basis (a gross concentrate tonnage, one plant), kept for
// context and never mixed into shares.
type NationalProduction struct {
	Country   string   `json:"country"`
	Commodity string   `json:"commodity"`
	Product   string   `json:"product"`
	Year      int      `json:"year"`
	Quantity  float64  `json:"quantity"`
	Unit      string   `json:"unit"`
	Note      string   `json:"note,omitempty"`
	Source    []string `json:"source"`
}

// SupplyData is all supply reference data: series, production, reserves,
// US import reliance, governance, the EU assessment, country names and
// national figures.
type SupplyData struct {
	Series     []*SupplySeries       `json:"series"`
	Production []*Production         `json:"production"`
	Reserves   []*Reserve            `json:"reserves"`
	Reliance   []*ImportReliance     `json:"import_reliance"`
	Governance []*Governance         `json:"governance"`
	EU         []*EUAssessment       `json:"eu"`
	Countries  []*Country            `json:"countries"`
	National   []*NationalProduction `json:"national"`
}

// SeriesMap returns the series by "commodity/stage".
func (d *SupplyData) SeriesMap() map[string]*SupplySeries {
	m := make(map[string]*SupplySeries, len(d.Series))
	for _, s := range d.Series {
		m[s.Key()] = s
	}
	return m
}

// CountryName returns a country's name, or the code when unknown.
func (d *SupplyData) CountryName(code string) string {
	switch code {
	case CountryOther:
		return "Other countries"
	case CountryWorld:
		return "World"
	}
	for _, c := range d.Countries {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

// ProductionFilter narrows FindProduction. Zero fields mean "any".
type ProductionFilter struct {
	Commodity string
	Stage     string
	Year      int
}

// SupplyService stores supply data.
type SupplyService interface {
	// FindSupplyData returns all supply data: series, production ordered
	// by commodity, stage, year, product and country, and the reference
	// tables.
	FindSupplyData(ctx context.Context) (*SupplyData, error)
	// FindProduction returns matching production rows in the same order.
	FindProduction(ctx context.Context, f ProductionFilter) ([]*Production, error)
	// ImportProduction adds or replaces production rows by key in one
	// transaction. It returns EINVALID for an unknown series or a bad row,
	// and when the shares of a commodity, stage and year would exceed 100%
	// (naming the rows); nothing changes then.
	ImportProduction(ctx context.Context, imp Import, rows []*Production) (ImportResult, error)
}
