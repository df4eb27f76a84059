package deal

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"nadra"
)

// Project is one deposit the model values: one mine, selling one product
// line per priced commodity, at the capacity Taylor's rule gives its
// resource.
type Project struct {
	DepositID  string       `json:"deposit_id"`
	Name       string       `json:"name"`
	Oblast     string       `json:"oblast"`
	Stage      nadra.Stage  `json:"stage"`
	Status     nadra.Status `json:"status"`
	DistanceKm float64      `json:"distance_km"` // to hostile ground
	Uncertain  bool         `json:"uncertain"`
	// ApproachKmPerMonth is how fast the front approached the deposit over
	// the window before the latest snapshot (Registry.Approach); nil when
	// unknown or not asked for.
	ApproachKmPerMonth *float64 `json:"approach_km_per_month,omitempty"`
	// Existing is true for a deposit producing at the start: its receipts
	// are existing revenue, and it needs no capex.
	Existing bool `json:"existing"`
	// Licensed is true for a deposit licensed (or in development) before
	// the start but not producing.
	Licensed bool `json:"licensed"`
	// PSAShare is the state's share of the value of output under a
	// production-sharing agreement, paid instead of rent; 0 without one.
	PSAShare float64 `json:"psa_share,omitempty"`
	Lines    []Line  `json:"lines"`
	// LifeYears is the mine life by Taylor's rule, or the fallback life
	// when no ore tonnage is known; LifeMethod says which.
	LifeYears  float64 `json:"life_years"`
	LifeMethod string  `json:"life_method"`
	OreT       float64 `json:"ore_t,omitempty"` // tonnes of ore Taylor's rule used
	// Lead is the distribution of years to first production.
	Lead LeadTime `json:"lead"`
	// Spread is the relative half-width of grade uncertainty, from the
	// least confident category of the figures the resource rests on.
	Spread   float64  `json:"spread"`
	Category string   `json:"category"`
	CapexUSD float64  `json:"capex_usd"` // as estimated, before overrun
	HazardPY float64  `json:"hazard_per_year"`
	Notes    []string `json:"notes,omitempty"`
}

// Line is one product of a project.
type Line struct {
	Commodity   string   `json:"commodity"`
	Product     string   `json:"product"`
	Contained   float64  `json:"contained_t"` // tonnes of the product's basis in the ground
	Basis       string   `json:"basis"`
	Recovery    float64  `json:"recovery"`
	ProductT    float64  `json:"product_t"`           // recoverable product over the life
	CapacityTPA float64  `json:"capacity_t_per_year"` // product at full rate
	PriceUSD    float64  `json:"price_usd_per_t"`     // at the start, per tonne of product
	OpexUSD     float64  `json:"opex_usd_per_t"`
	CapexUSDTPA float64  `json:"capex_usd_per_tpa"`
	RentRate    float64  `json:"rent_rate"`
	Figures     []string `json:"figures"` // the estimates it rests on, as category and year
}

// NotValued is a deposit the model leaves out, with the reason. It is
// listed, never counted as zero.
type NotValued struct {
	DepositID string       `json:"deposit_id"`
	Name      string       `json:"name"`
	Status    nadra.Status `json:"status"`
	Reason    string       `json:"reason"`
}

// Registry is what Build reads: the deposits, their estimates and their
// control status under a scenario.
type Registry struct {
	Deposits  []*nadra.Deposit
	Estimates []*nadra.Estimate
	Access    *nadra.AccessReport
	// Approach is each deposit's observed rate of approach in km a month
	// (nadra.DepositRisk.ApproachOver), for the approach hazard; a deposit
	// missing from it has none.
	Approach map[string]float64
}

// Projects builds one project per deposit that has a resource estimate
// and a product the parameters can price and cost. Occupied and grey
// deposits yield nothing and are returned in lost; deposits the model
// cannot value are returned in notValued with the reason.
func Projects(reg Registry, p *Params) (projects []Project, lost, notValued []NotValued, err error) {
	access := map[string]nadra.DepositAccess{}
	if reg.Access != nil {
		for _, a := range reg.Access.Deposits {
			access[a.ID] = a
		}
	}
	byDeposit := map[string][]*nadra.Estimate{}
	for _, e := range reg.Estimates {
		byDeposit[e.DepositID] = append(byDeposit[e.DepositID], e)
	}
	get := func(key, scope string) (float64, error) {
		v, ok := p.Get(key, scope)
		if !ok {
			return 0, nadra.Errorf(nadra.EINVALID, "model parameter %s%s missing from dataset/model/parameters.csv", key, scopeSuffix(scope))
		}
		return v.Value, nil
	}
	taylorA, err := get("taylor_a", "")
	if err != nil {
		return nil, nil, nil, err
	}
	taylorB, err := get("taylor_b", "")
	if err != nil {
		return nil, nil, nil, err
	}
	fallback, err := get("fallback_life_years", "")
	if err != nil {
		return nil, nil, nil, err
	}
	deps := append([]*nadra.Deposit(nil), reg.Deposits...)
	sort.Slice(deps, func(i, j int) bool { return deps[i].ID < deps[j].ID })
	for _, d := range deps {
		ests := byDeposit[d.ID]
		a, hasAccess := access[d.ID]
		status := a.Status
		if !hasAccess || status == "" {
			status = nadra.StatusUnknown
		}
		nv := NotValued{DepositID: d.ID, Name: d.Name, Status: status}
		if len(ests) == 0 {
			nv.Reason = "no resource estimate"
			notValued = append(notValued, nv)
			continue
		}
		if status.Inaccessible() {
			nv.Reason = fmt.Sprintf("%s: yields nothing to the fund", status)
			lost = append(lost, nv)
			continue
		}
		if status != nadra.StatusControlled || a.DistanceKm == nil {
			nv.Reason = "no coordinates, so no control status"
			notValued = append(notValued, nv)
			continue
		}
		pr := Project{DepositID: d.ID, Name: d.Name, Oblast: d.Oblast, Stage: d.Stage, Status: status,
			DistanceKm: *a.DistanceKm, Uncertain: a.Uncertain,
			ApproachKmPerMonth: approachOf(reg.Approach, d.ID),
			Existing:           d.Stage == nadra.StageProducing,
			Licensed:           d.Stage == nadra.StageLicensed || d.Stage == nadra.StageDevelopment}
		var skipped []string
		var oreT float64
		var haveOre bool
		spread := 0.0
		var cats []string
		for _, c := range d.Commodities {
			var figs []*nadra.Estimate
			for _, e := range ests {
				if e.Commodity == c {
					figs = append(figs, e)
				}
			}
			if len(figs) == 0 {
				continue
			}
			prod, ok := p.Product(c)
			if !ok {
				skipped = append(skipped, c+" (no sourced product, price or costs)")
				continue
			}
			h, ok := nadra.HeadlineContained(figs, prod.Basis)
			if !ok {
				skipped = append(skipped, c+" (no contained quantity in "+prod.Basis+")")
				continue
			}
			line, err := newLine(p, c, prod, h.Quantity)
			if err != nil {
				skipped = append(skipped, c+" ("+nadra.ErrorMessage(err)+")")
				continue
			}
			for _, e := range h.Figures {
				y := "undated"
				if e.Year != nil {
					y = fmt.Sprint(*e.Year)
				}
				line.Figures = append(line.Figures, e.Category+" "+y)
				atoms, _ := nadra.ParseCategory(e.Category)
				for _, at := range atoms {
					spread = math.Max(spread, at.Spread)
				}
				cats = append(cats, e.Category)
			}
			if t, ok := oreTonnes(h, figs, prod.Basis); ok && !haveOre {
				oreT, haveOre = t, true
			}
			pr.Lines = append(pr.Lines, line)
		}
		if len(pr.Lines) == 0 {
			nv.Reason = "not valued: " + strings.Join(skipped, "; ")
			notValued = append(notValued, nv)
			continue
		}
		for _, s := range skipped {
			pr.Notes = append(pr.Notes, "not valued: "+s)
		}
		pr.Spread = spread
		pr.Category = strings.Join(uniq(cats), ", ")
		if haveOre {
			pr.OreT = oreT
			pr.LifeYears = taylorA * math.Pow(oreT, taylorB)
			pr.LifeMethod = fmt.Sprintf("Taylor's rule on %.3g t of ore", oreT)
		} else {
			pr.LifeYears = fallback
			pr.LifeMethod = "fallback life: no ore tonnage or grade published"
		}
		if pr.LifeYears < 1 {
			pr.LifeYears = 1
		}
		if v, ok := p.Get("psa_state_share", d.ID); ok {
			pr.PSAShare = v.Value
			pr.Notes = append(pr.Notes, fmt.Sprintf("production-sharing agreement: the state takes %.1f%% of the value of output instead of rent", v.Value*100))
		}
		for i := range pr.Lines {
			l := &pr.Lines[i]
			l.CapacityTPA = l.ProductT / pr.LifeYears
			pr.CapexUSD += l.CapexUSDTPA * l.CapacityTPA
		}
		if pr.Existing {
			pr.CapexUSD = 0
			pr.Lead = LeadTime{Stage: string(nadra.StageProducing)}
		} else {
			lt, ok := p.LeadTime(string(d.Stage))
			if !ok {
				return nil, nil, nil, nadra.Errorf(nadra.EINVALID, "no lead time for stage %q in dataset/model/lead_times.csv", d.Stage)
			}
			pr.Lead = lt
		}
		projects = append(projects, pr)
	}
	return projects, lost, notValued, nil
}

func scopeSuffix(scope string) string {
	if scope == "" {
		return ""
	}
	return " for " + scope
}

// newLine prices and costs one product line from the parameters.
func newLine(p *Params, c string, prod Product, contained float64) (Line, error) {
	l := Line{Commodity: c, Product: prod.Name, Contained: contained, Basis: prod.Basis}
	for _, k := range []struct {
		key string
		dst *float64
	}{{"price_usd_per_t", &l.PriceUSD}, {"recovery", &l.Recovery}, {"rent_rate", &l.RentRate}} {
		v, ok := p.Get(k.key, c)
		if !ok {
			return l, nadra.Errorf(nadra.EINVALID, "no %s", k.key)
		}
		*k.dst = v.Value
	}
	if _, ok := p.Get("volatility", c); !ok {
		return l, nadra.Errorf(nadra.EINVALID, "no price volatility")
	}
	capex, ok := p.Intensity(prod, MetricCapex)
	if !ok {
		return l, nadra.Errorf(nadra.EINVALID, "no capex study")
	}
	opex, ok := p.Intensity(prod, MetricOpex)
	if !ok {
		return l, nadra.Errorf(nadra.EINVALID, "no opex study")
	}
	l.CapexUSDTPA, l.OpexUSD = capex.Median, opex.Median
	l.ProductT = contained * l.Recovery / prod.Content
	return l, nil
}

// oreTonnes returns the ore tonnage behind a headline figure: the sum of
// the figures' ore tonnages, or else the contained quantity divided by the
// most recent published grade of the same deposit and commodity.
func oreTonnes(h nadra.Headline, figs []*nadra.Estimate, basis string) (float64, bool) {
	var sum float64
	all := true
	for _, e := range h.Figures {
		if e.OreMt == nil {
			all = false
			break
		}
		sum += *e.OreMt * 1e6
	}
	if all && sum > 0 {
		return sum, true
	}
	var best *nadra.Estimate
	for _, e := range figs {
		if e.Grade == nil || e.GradeUnit == "" {
			continue
		}
		if best == nil || yearOf(e) > yearOf(best) {
			best = e
		}
	}
	if best == nil {
		return 0, false
	}
	// Contained per tonne of ore at that grade, in the grade's basis.
	var perT float64
	switch best.GradeUnit {
	case nadra.GradePct:
		perT = *best.Grade / 100
	default:
		perT = *best.Grade * 1e-6
	}
	q, ok := nadra.ConvertBasis(h.Quantity, basis, best.Basis)
	if !ok || perT <= 0 {
		return 0, false
	}
	return q / perT, true
}

func yearOf(e *nadra.Estimate) int {
	if e.Year == nil {
		return 0
	}
	return *e.Year
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func approachOf(m map[string]float64, id string) *float64 {
	v, ok := m[id]
	if !ok {
		return nil
	}
	return &v
}
