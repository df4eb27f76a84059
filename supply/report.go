package supply

import (
	"errors"
	"fmt"
	"math"
	"nadra/internal/numfmt"
	"sort"
	"strconv"
	"strings"

	"nadra"
	"nadra/internal/decimal"
)

// ParseAddition parses one what-if addition, "CC=Q" or "CC:Q": Q per year,
// in the series' unit, for the country with ISO 3166-1 alpha-2 code CC.
// Errors are EINVALID and quote the input.
func ParseAddition(kv string) (Producer, error) {
	orig, v, ok := strings.Cut(kv, "=")
	if !ok {
		orig, v, ok = strings.Cut(kv, ":")
	}
	k := strings.ToUpper(strings.TrimSpace(orig))
	if !ok || k == "" {
		return Producer{}, nadra.Errorf(nadra.EINVALID, "%q: expected COUNTRY=QUANTITY, e.g. UA=40000", kv)
	}
	if !nadra.ValidCountry(k) || k == "WORLD" || k == "OTHER" {
		return Producer{}, nadra.Errorf(nadra.EINVALID, "%q: %q is not an ISO 3166-1 alpha-2 country code such as UA or CN", kv, orig)
	}
	q, ok := decimal.Parse(strings.TrimSpace(v))
	switch {
	case !ok:
		return Producer{}, nadra.Errorf(nadra.EINVALID, "%q: %q is not a number", kv, v)
	case q < 0:
		return Producer{}, nadra.Errorf(nadra.EINVALID, "%q: the quantity must not be negative", kv)
	}
	return Producer{Country: k, Quantity: q}, nil
}

// checkAdditionCountries refuses an addition for a country the supply tables do
// not name (supply/countries.csv), listing the codes they do.
func checkAdditionCountries(d *nadra.SupplyData, adds []Producer) error {
	known := map[string]bool{}
	for _, c := range d.Countries {
		known[c.Code] = true
	}
	for _, a := range adds {
		if !known[a.Country] {
			var codes []string
			for _, c := range d.Countries {
				codes = append(codes, c.Code)
			}
			sort.Strings(codes)
			return &QueryError{"add", nadra.Errorf(nadra.EINVALID, "%q is not a country of the supply tables; known codes: %s",
				a.Country, strings.Join(codes, ", "))}
		}
	}
	return nil
}

// FindSeries finds the series for a commodity and stage, naming the
// available ones when there is none.
func FindSeries(d *nadra.SupplyData, commodity, stage string) (*nadra.SupplySeries, error) {
	commodity = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(commodity)), "-", "_")
	stages := map[string][]string{}
	var commodities []string
	for _, s := range d.Series {
		if len(stages[s.Commodity]) == 0 {
			commodities = append(commodities, s.Commodity)
		}
		stages[s.Commodity] = append(stages[s.Commodity], s.Stage)
	}
	sort.Strings(commodities)
	if len(stages[commodity]) == 0 {
		return nil, &QueryError{"commodity", nadra.Errorf(nadra.EINVALID, "unknown commodity %q; available: %s", commodity, strings.Join(commodities, ", "))}
	}
	if stage == "" {
		stage = stages[commodity][0]
		for _, s := range stages[commodity] {
			if s == nadra.StageMine {
				stage = s
			}
		}
	}
	for _, s := range d.Series {
		if s.Commodity == commodity && s.Stage == stage {
			return s, nil
		}
	}
	return nil, &QueryError{"stage", nadra.Errorf(nadra.EINVALID, "%s has no %q stage; available: %s", commodity, stage, strings.Join(stages[commodity], ", "))}
}

// marketFor builds a series' market in year (0: the latest), with a
// message naming the available years when there is no data.
func marketFor(d *nadra.SupplyData, s *nadra.SupplySeries, year int) (*Market, error) {
	ys := Years(s, d.Production)
	if len(ys) == 0 {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no production data for %s %s", s.Commodity, s.Stage)
	}
	if year == 0 {
		year = ys[len(ys)-1]
	}
	mk, err := NewMarket(s, d.Production, year)
	if errors.Is(err, ErrNoRows) {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no %s %s production data for %d; years with data: %s", s.Commodity, s.Stage, year, YearList(ys))
	}
	return mk, err
}

// Report is the report of one commodity, stage and year.
type Report struct {
	Commodity string `json:"commodity"`
	Stage     string `json:"stage"`
	Name      string `json:"name"`
	Year      int    `json:"year"`
	Unit      string `json:"unit"`
	Estimated bool   `json:"estimated"`
	ShareOnly bool   `json:"share_only"`
	// Headline is the answer in one sentence when supply was added.
	Headline   string              `json:"headline,omitempty"`
	Before     *Market             `json:"before"`
	After      *Market             `json:"after,omitempty"`
	Metrics    Comparison          `json:"metrics"` // After equals Before when nothing was added
	RiskBefore *Risk               `json:"supply_risk_before"`
	RiskAfter  *Risk               `json:"supply_risk_after,omitempty"`
	EU         *nadra.EUAssessment `json:"eu"`
	// EUComparison compares this table with the EU's Table A.
	EUComparison string                `json:"eu_comparison,omitempty"`
	Reliance     *nadra.ImportReliance `json:"us_import_reliance"`
	Reserves     []*nadra.Reserve      `json:"reserves,omitempty"`
	Ukraine      UkraineSupply         `json:"ukraine"`
	Additions    []Addition            `json:"additions,omitempty"`
	Potentials   []PotentialRow        `json:"potentials,omitempty"`
	Assumptions  []string              `json:"assumptions,omitempty"`
	Notes        []string              `json:"notes,omitempty"`
	Sources      []string              `json:"sources"`
	// CRMA is the EU Critical Raw Materials Act's 65% benchmark on this
	// series (CRMA), set by callers that run it.
	CRMA *CRMATest `json:"crma,omitempty"`

	// Names gives country names; WGI the governance scores (0 best, 10
	// worst) of the report's year, by country.
	Names func(string) string `json:"-"`
	WGI   map[string]float64  `json:"-"`
}

// Addition is one line of supply added in a what-if.
type Addition struct {
	Country  string  `json:"country"`
	Quantity float64 `json:"quantity"`
	From     string  `json:"from"` // "add" (a quantity given) or "deposit potential"
}

// PotentialRow is a deposit's potential with its control status.
type PotentialRow struct {
	Potential
	Status     nadra.Status `json:"status"`
	Accessible bool         `json:"accessible"`
	Added      bool         `json:"added"`
}

// UkraineSupply is what the registry and the tables say about Ukraine.
type UkraineSupply struct {
	Deposits     int                         `json:"deposits"`      // registry deposits listing the commodity
	WithFigures  int                         `json:"with_figures"`  // of which with a published figure
	Production   []*nadra.Production         `json:"production"`    // Ukraine's rows in the series, all years
	National     []*nadra.NationalProduction `json:"national"`      // national figures for the commodity
	ReservesNote string                      `json:"reserves_note"` // Ukraine's reserves where published
}

// QueryError is an error about one field of a Query, so that callers can
// name their own flag or parameter: Field is "commodity", "stage",
// "year", "add", "accessible", "deposits" or "recovery". Its code is its
// Err's.
type QueryError struct {
	Field string
	Err   error
}

func (e *QueryError) Error() string { return e.Err.Error() }
func (e *QueryError) Unwrap() error { return e.Err }

// potentialField is the field that asked for deposit potential.
func (q Query) potentialField() string {
	if q.Accessible != nil {
		return "accessible"
	}
	return "deposits"
}

// Inputs is what reports read: the supply tables, the deposit registry
// and, for what-ifs over accessible deposits, the deposits' statuses
// (geo.Registry's comment says why this is not one shared bundle).
type Inputs struct {
	Data      *nadra.SupplyData
	Deposits  []*nadra.Deposit
	Estimates []*nadra.Estimate
	// Statuses returns the status of every deposit under a scenario
	// expression ("" for the latest control snapshot) and the label of
	// that snapshot or scenario. Errors name the expression's column.
	Statuses func(expr string) (map[string]nadra.Status, string, error)
}

// Query asks for one commodity's report and, optionally, a what-if.
type Query struct {
	Commodity string
	Stage     string // "" for mine where there is one
	Year      int    // 0 for the latest with data
	// Add is supply to add per year, in the series' unit.
	Add []Producer
	// Accessible, when not nil, adds the potential of the deposits that
	// are controlled under this scenario expression ("", "latest" or
	// "now" for the latest control snapshot).
	Accessible *string
	// Deposits, when not empty, limits the potential to these deposit
	// ids; without Accessible they are added whatever their status.
	Deposits []string
	// Recovery is the fraction of contained metal recovered, in (0, 1].
	Recovery float64
}

// NewReport builds the report of one commodity, stage and year: the
// metrics, and with additions the metrics before and after and the
// change, with every assumption stated. Errors are EINVALID for a bad
// query and ENOTFOUND when there is no data.
func NewReport(in Inputs, q Query) (*Report, error) {
	d := in.Data
	if !(q.Recovery > 0 && q.Recovery <= 1) {
		return nil, &QueryError{"recovery", nadra.Errorf(nadra.EINVALID, "recovery %g: expected a fraction more than 0 and at most 1", q.Recovery)}
	}
	if err := checkAdditionCountries(d, q.Add); err != nil {
		return nil, err
	}
	s, err := FindSeries(d, q.Commodity, q.Stage)
	if err != nil {
		return nil, err
	}
	before, err := marketFor(d, s, q.Year)
	if err != nil {
		return nil, &QueryError{"year", err}
	}
	wgi, wgiYears := GovernanceScores(d.Governance, before.Year)
	rep := &Report{Commodity: s.Commodity, Stage: s.Stage, Name: s.Name, Year: before.Year, Unit: s.Unit,
		Estimated: before.Estimated, ShareOnly: before.ShareOnly, Before: before, Sources: before.Sources,
		Names: d.CountryName, WGI: wgi}
	rep.Reliance = reliance(d, s, before.Year)
	for _, e := range d.EU {
		if e.Commodity == s.Commodity {
			rep.EU = e
		}
	}
	for _, r := range d.Reserves {
		if r.Commodity == s.Commodity {
			rep.Reserves = append(rep.Reserves, r)
		}
	}
	ukraineSupply(in, s, rep)

	// What to add.
	var all []Producer
	for _, a := range q.Add {
		all = append(all, a)
		rep.Additions = append(rep.Additions, Addition{Country: a.Country, Quantity: a.Quantity, From: "add"})
	}
	if q.Accessible != nil || len(q.Deposits) > 0 {
		pots, assumptions, err := potentials(in, s, q)
		if err != nil {
			return nil, err
		}
		rep.Potentials, rep.Assumptions = pots, assumptions
		total := 0.0
		for _, p := range pots {
			if p.Added {
				total += p.Annual
			}
		}
		all = append(all, Producer{Country: "UA", Quantity: total})
		rep.Additions = append(rep.Additions, Addition{Country: "UA", Quantity: total, From: "deposit potential"})
	}
	var nonzero []Producer
	for _, a := range all {
		if a.Quantity > 0 {
			nonzero = append(nonzero, a)
		}
	}
	nothingAdded := len(all) > 0 && len(nonzero) == 0
	all = nonzero
	after := before
	if len(all) > 0 {
		field := "add"
		if len(q.Add) == 0 {
			field = q.potentialField()
		}
		if err := checkAdditions(before, all); err != nil {
			return nil, &QueryError{field, err}
		}
		if after, err = before.With(all...); err != nil {
			if errors.Is(err, ErrShareOnly) {
				return nil, &QueryError{field, nadra.Errorf(nadra.EINVALID, "%s %s %d is published as shares of world output only, so tonnes cannot be added to it", s.Commodity, s.Stage, before.Year)}
			}
			return nil, &QueryError{field, nadra.Errorf(nadra.EINVALID, "%v", err)}
		}
		rep.After = after
	}
	rep.Metrics = Compare(before, after, wgi)

	// Supply risk, global-supply variant unless the EU inputs are known.
	ri := RiskInputs{}
	if rep.EU != nil {
		if rep.EU.EoLRIRPct != nil {
			v := *rep.EU.EoLRIRPct / 100
			ri.EoLRIR = &v
		}
		ri.SISR = rep.EU.SISR
	}
	if h := rep.Metrics.Before.HHIWGI; h != nil {
		r := NewRisk(*h, ri)
		rep.RiskBefore = &r
	}
	if h := rep.Metrics.After.HHIWGI; h != nil && rep.After != nil {
		r := NewRisk(*h, ri)
		rep.RiskAfter = &r
	}
	rep.describe(d, s, sumAdds(all), nothingAdded, wgiYears)
	return rep, nil
}

// MaxAdditionFactor bounds a what-if: what it adds, all additions
// together, may be at most this many times the table's world production
// (the sum of its rows) in the year. Ukraine's whole registry at capacity
// adds at most a quarter of any market; a hundred times the world is not
// a question about this market, and sums past the largest float64 would
// turn every share into NaN.
const MaxAdditionFactor = 100

// checkAdditions refuses additions over MaxAdditionFactor times the
// market's total. A share-only market is left to Market.With, which
// refuses any addition to it.
func checkAdditions(m *Market, adds []Producer) error {
	if m.ShareOnly {
		return nil
	}
	sum, total := sumAdds(adds), m.Total()
	if sum <= MaxAdditionFactor*total {
		return nil
	}
	qty := func(v float64) string {
		switch {
		case v < 1e15:
			return QtyUnit(v, m.Unit)
		case math.IsInf(v, 1):
			return "over 1.8e308 (the largest number) " + m.Unit
		}
		return strconv.FormatFloat(v, 'g', 3, 64) + " " + m.Unit
	}
	if total <= 0 {
		return nadra.Errorf(nadra.EINVALID, "%s %s %d has no production to compare an addition with, so shares after it would be meaningless", m.Commodity, m.Stage, m.Year)
	}
	return nadra.Errorf(nadra.EINVALID, "%s a year is more than %d times world production (%s in %d); a what-if adds at most %s",
		qty(sum), MaxAdditionFactor, qty(total), m.Year, qty(MaxAdditionFactor*total))
}

func sumAdds(ps []Producer) float64 {
	t := 0.0
	for _, p := range ps {
		t += p.Quantity
	}
	return t
}

// reliance picks the US import reliance for a series: the year itself, or
// the latest before it, or the earliest after it.
func reliance(d *nadra.SupplyData, s *nadra.SupplySeries, year int) *nadra.ImportReliance {
	var best *nadra.ImportReliance
	for _, r := range d.Reliance {
		if r.Commodity != s.Commodity || r.Stage != s.Stage {
			continue
		}
		switch {
		case best == nil:
			best = r
		case r.Year <= year && (best.Year > year || r.Year > best.Year):
			best = r
		case r.Year > year && best.Year > year && r.Year < best.Year:
			best = r
		}
	}
	return best
}

// depositsOf returns the registry's deposits listing commodity, by id.
func depositsOf(deps []*nadra.Deposit, commodity string) []*nadra.Deposit {
	var out []*nadra.Deposit
	for _, d := range deps {
		if d.HasCommodity(commodity) {
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func ukraineSupply(in Inputs, s *nadra.SupplySeries, rep *Report) {
	d := in.Data
	u := &rep.Ukraine
	if s.Registry != "" {
		deps := depositsOf(in.Deposits, s.Registry)
		with := map[string]bool{}
		for _, e := range in.Estimates {
			if e.Commodity == s.Registry {
				with[e.DepositID] = true
			}
		}
		u.Deposits = len(deps)
		for _, dep := range deps {
			if with[dep.ID] {
				u.WithFigures++
			}
		}
	}
	for _, p := range d.Production {
		if p.SeriesKey() == s.Key() && p.Country == "UA" {
			u.Production = append(u.Production, p)
		}
	}
	for _, n := range d.National {
		if n.Country == "UA" && n.Commodity == s.Commodity {
			u.National = append(u.National, n)
		}
	}
	var rs []string
	for _, r := range d.Reserves {
		if r.Commodity == s.Commodity && r.Country == "UA" && r.Quantity != nil {
			p := r.Product
			if p != "" {
				p += " "
			}
			rs = append(rs, fmt.Sprintf("%s%s %s (%d)", p, numfmt.Human(*r.Quantity), r.Unit, r.Year))
		}
	}
	u.ReservesNote = strings.Join(rs, "; ")
}

// potentials returns the deposits whose potential the what-if adds, each
// with its status, and the assumptions behind the number.
func potentials(in Inputs, s *nadra.SupplySeries, q Query) ([]PotentialRow, []string, error) {
	if s.Registry == "" || s.Basis == "" || s.PerTonne == nil {
		return nil, nil, &QueryError{q.potentialField(), nadra.Errorf(nadra.EINVALID, "%s %s cannot take deposit potential: %s", s.Commodity, s.Stage,
			firstNonEmpty(s.Note, "the registry holds no deposits of it in a basis that converts into "+s.Unit))}
	}
	deps := depositsOf(in.Deposits, s.Registry)
	byID := map[string]*nadra.Deposit{}
	var ids []string
	for _, d := range deps {
		byID[d.ID] = d
		ids = append(ids, d.ID)
	}
	var chosen []*nadra.Deposit
	if len(q.Deposits) > 0 {
		for _, id := range q.Deposits {
			id = strings.TrimSpace(id)
			if id == "" {
				continue
			}
			d := byID[id]
			if d == nil {
				return nil, nil, &QueryError{"deposits", nadra.Errorf(nadra.EINVALID, "%q is not a %s deposit in the registry; %s deposits: %s",
					id, s.Registry, s.Registry, strings.Join(ids, ", "))}
			}
			chosen = append(chosen, d)
		}
	} else {
		chosen = deps
	}
	expr, scenario := "", "the latest control snapshot"
	if q.Accessible != nil {
		expr = strings.TrimSpace(*q.Accessible)
		if expr == "latest" || expr == "now" {
			expr = ""
		}
		if expr != "" {
			scenario = "scenario " + expr
		}
	}
	statuses := map[string]nadra.Status{}
	snapshot := ""
	var err error
	if in.Statuses == nil {
		err = nadra.Errorf(nadra.EINVALID, "deposit statuses are not available")
	} else {
		var st map[string]nadra.Status
		if st, snapshot, err = in.Statuses(expr); err == nil {
			statuses = st
		}
	}
	if err != nil && q.Accessible != nil {
		return nil, nil, &QueryError{"accessible", err}
	}
	ests := in.Estimates
	var out []PotentialRow
	for _, d := range chosen {
		st, ok := statuses[d.ID]
		if !ok {
			st = nadra.StatusUnknown
		}
		p := PotentialRow{Potential: DepositPotential(d, ests, s, q.Recovery), Status: st, Accessible: st == nadra.StatusControlled}
		p.Added = p.Skipped == "" && (q.Accessible == nil || p.Accessible)
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Annual > out[j].Annual })

	a := []string{
		"Potential annual output = headline contained quantity x recovery / mine life; mine life by Taylor's rule, " +
			fmt.Sprintf("%g x (ore tonnes)^%g years: ", TaylorConstant, TaylorExponent) + TaylorSource + ". " +
			"The constant 0.2 is the commonly quoted form of the rule; nadra's sources confirm the three-quarter-power law (capacity ~ tonnage^0.75) but not the constant.",
		"Headline contained quantity: the most recent published figure per deposit (parts of one estimate added), converted to " +
			s.Basis + " by stoichiometry; figures are resources as published (often prognostic or unclassified), not reserves.",
		"Ore tonnage for Taylor's rule: the figure's own; else contained / the most recent published grade; else the most recent published ore tonnage (see each deposit's ore_note).",
		fmt.Sprintf("Recovery: %s of contained metal (100%% = no mining or processing losses, an upper bound).", numfmt.Pct(q.Recovery)),
		"Output at capacity from the start, added to Ukraine's production of the year; other countries' output unchanged (no price or demand response).",
	}
	if q.Accessible != nil {
		a = append(a, fmt.Sprintf("Accessible = controlled under %s (control snapshot %s); occupied, grey and unlocated deposits are left out.", scenario, snapshot))
	} else if snapshot != "" {
		a = append(a, fmt.Sprintf("The named deposits are added whatever their control status (status shown as of the control snapshot %s).", snapshot))
	}
	if len(q.Deposits) == 0 {
		a = append(a, fmt.Sprintf("All %d registry deposits listing %s were considered.", len(deps), s.Registry))
	}
	return out, a, nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func nameList(codes []string, name func(string) string) []string {
	var out []string
	for _, c := range codes {
		out = append(out, name(c))
	}
	return out
}

// QtyUnit formats a quantity with thousands separators and its unit.
func QtyUnit(v float64, unit string) string {
	if unit == nadra.UnitShare {
		return strconv.FormatFloat(v, 'f', 1, 64) + "% of world"
	}
	return numfmt.Quantity(v) + " " + unit
}

// OverviewRow is one commodity in the overview.
type OverviewRow struct {
	Commodity      string   `json:"commodity"`
	Stage          string   `json:"stage"`
	Year           int      `json:"year"`
	Estimated      bool     `json:"estimated"`
	ShareOnly      bool     `json:"share_only"`
	China          *float64 `json:"china_share"`
	HHI            float64  `json:"hhi"`
	HHILowerBound  bool     `json:"hhi_lower_bound"`
	Top            string   `json:"top_producer"`
	TopShare       float64  `json:"top_share"`
	Top3           float64  `json:"top3_share"`
	HHIWGI         *float64 `json:"hhi_wgi"`
	SupplyRisk     *float64 `json:"supply_risk_global"` // global-supply variant
	ChinaRefining  *float64 `json:"china_refining_share"`
	RefiningYear   int      `json:"refining_year,omitempty"`
	USReliance     string   `json:"us_import_reliance"`
	UkraineDeposit int      `json:"ukraine_deposits"`
	UkraineFigures int      `json:"ukraine_deposits_with_figures"`
	UkraineShare   *float64 `json:"ukraine_share"`
	Note           string   `json:"note,omitempty"`
}

// Overview returns one row per commodity for year (0: the latest with
// data per commodity): China's share, HHI, the top producer, China's
// refining share where known, US import reliance and the registry's
// deposits. It returns ENOTFOUND when no commodity has data for year.
func Overview(in Inputs, year int) ([]OverviewRow, error) {
	d, deps, ests := in.Data, in.Deposits, in.Estimates
	withFig := map[string]map[string]bool{}
	for _, e := range ests {
		if withFig[e.Commodity] == nil {
			withFig[e.Commodity] = map[string]bool{}
		}
		withFig[e.Commodity][e.DepositID] = true
	}
	byCommodity := map[string][]*nadra.SupplySeries{}
	var codes []string
	for _, s := range d.Series {
		if byCommodity[s.Commodity] == nil {
			codes = append(codes, s.Commodity)
		}
		byCommodity[s.Commodity] = append(byCommodity[s.Commodity], s)
	}
	sort.Strings(codes)
	var rows []OverviewRow
	for _, c := range codes {
		s, err := FindSeries(d, c, "")
		if err != nil {
			return nil, err
		}
		mk, err := marketFor(d, s, year)
		if err != nil {
			if nadra.ErrorCode(err) == nadra.ENOTFOUND {
				continue
			}
			return nil, err
		}
		wgi, _ := GovernanceScores(d.Governance, mk.Year)
		ms := Compute(mk, wgi)
		r := OverviewRow{Commodity: c, Stage: s.Stage, Year: mk.Year, Estimated: mk.Estimated, ShareOnly: mk.ShareOnly,
			China: ms.China, HHI: ms.HHI, HHILowerBound: ms.OtherShare > 0 || ms.Unattributed > 0,
			Top: ms.Top.Country, TopShare: ms.Top.Share, Top3: ms.Top3, HHIWGI: ms.HHIWGI}
		if ms.HHIWGI != nil {
			ri := RiskInputs{}
			for _, e := range d.EU {
				if e.Commodity == c && e.EoLRIRPct != nil {
					v := *e.EoLRIRPct / 100
					ri.EoLRIR = &v
				}
			}
			v := NewRisk(*ms.HHIWGI, ri).Value
			r.SupplyRisk = &v
		}
		if rel := reliance(d, s, mk.Year); rel != nil {
			r.USReliance = rel.String()
			if rel.Bound == nadra.BoundExporter {
				r.USReliance = "E"
			}
		}
		if s.Stage == nadra.StageMine && r.USReliance != "" {
			if rel := reliance(d, &nadra.SupplySeries{Commodity: c, Stage: nadra.StageRefining}, mk.Year); rel != nil {
				r.USReliance += "; refined " + rel.String()
			}
		}
		if s.Stage == nadra.StageMine {
			for _, rs := range byCommodity[c] {
				if rs.Stage == nadra.StageRefining {
					if rm, err := marketFor(d, rs, 0); err == nil {
						rms := Compute(rm, nil)
						r.ChinaRefining, r.RefiningYear = rms.China, rm.Year
					}
				}
			}
		}
		if mk.Quantity("UA") > 0 {
			for _, sh := range ms.Shares {
				if sh.Country == "UA" {
					v := sh.Share
					r.UkraineShare = &v
				}
			}
		}
		if s.Registry != "" {
			for _, dep := range deps {
				if dep.HasCommodity(s.Registry) {
					r.UkraineDeposit++
					if withFig[s.Registry][dep.ID] {
						r.UkraineFigures++
					}
				}
			}
		} else {
			r.Note = "not in the deposit registry"
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		var all []int
		seen := map[int]bool{}
		for _, p := range d.Production {
			if !seen[p.Year] {
				seen[p.Year] = true
				all = append(all, p.Year)
			}
		}
		sort.Ints(all)
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no production data for %d; years with data: %s", year, YearList(all))
	}
	return rows, nil
}
