package deal

import (
	"fmt"
	"math"
	"sort"
	"strconv"
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
	Spread   float64 `json:"spread"`
	Category string  `json:"category"`
	CapexUSD float64 `json:"capex_usd"` // as estimated, before overrun
	HazardPY float64 `json:"hazard_per_year"`
	// Construction is the project's own years of construction, from a
	// published schedule; 0 uses the model's.
	Construction int `json:"construction_years,omitempty"`
	// WaitsForCeasefire is true when the developer conditions the build
	// on security: construction starts no earlier than the run's
	// ceasefire year (Settings.CeasefireYear).
	WaitsForCeasefire bool `json:"waits_for_ceasefire"`
	// PSA are the terms of a production-sharing agreement, nil without
	// one.
	PSA *PSATerms `json:"psa,omitempty"`
	// Calibration sets each input beside its published figure and says
	// where the value used comes from.
	Calibration []Calibration `json:"calibration"`
	Notes       []string      `json:"notes,omitempty"`

	deposit  *nadra.Deposit
	licences []*nadra.Licence
}

// PSATerms are a production-sharing agreement's terms, as data: until
// the investor has recovered its costs (capex as spent, and opex) it takes
// up to CostRecoveryCap of the value of output as compensation product,
// and the state takes RecoveryShare of the rest (the profit product);
// once they are recovered the state takes Share of the value of output.
// With CostRecoveryCap zero there is no recovery stage: Share from first
// output.
type PSATerms struct {
	CostRecoveryCap float64 `json:"cost_recovery_cap"`
	RecoveryShare   float64 `json:"recovery_state_share"`
	Share           float64 `json:"state_share"`
	Source          string  `json:"source"`
}

// Calibration is one input of a project beside its published figure: the
// value Taylor's rule and the cost curves give (Model), the published
// figure (Published), the value the model uses (Used), Model over
// Published, and where the value used comes from (Basis, Source).
type Calibration struct {
	DepositID string `json:"deposit_id"`
	Input     string `json:"input"`
	Commodity string `json:"commodity,omitempty"`
	Unit      string `json:"unit"`
	Text      string `json:"text,omitempty"` // for the product: its name
	Model     Num    `json:"model"`
	Published Num    `json:"published"`
	Used      Num    `json:"used"`
	Ratio     Num    `json:"ratio"`
	Basis     string `json:"basis"`
	Source    string `json:"source"`
	Note      string `json:"note,omitempty"`
}

// Line is one product of a project.
type Line struct {
	Commodity   string   `json:"commodity"`
	Product     string   `json:"product"`
	Contained   Num      `json:"contained_t"` // tonnes of the product's basis in the ground; null without an estimate
	Basis       string   `json:"basis"`
	Recovery    float64  `json:"recovery"`
	ProductT    float64  `json:"product_t"`           // recoverable product over the life (capacity times life without an estimate)
	CapacityTPA float64  `json:"capacity_t_per_year"` // product at full rate
	PriceUSD    float64  `json:"price_usd_per_t"`     // at the start, per tonne of product
	OpexUSD     float64  `json:"opex_usd_per_t"`
	CapexUSDTPA float64  `json:"capex_usd_per_tpa"`
	RentRate    float64  `json:"rent_rate"`
	Figures     []string `json:"figures"` // the estimates it rests on, as category and year
	// ProductSource is the source of the product; PriceNote says how a
	// project's own product is priced when no price is published for it.
	ProductSource string `json:"product_source"`
	PriceNote     string `json:"price_note,omitempty"`

	published *ProjectInput
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
// control status under a scenario. It is not geo.Registry plus fields:
// geo.Registry's comment says why the three bundles stay apart.
type Registry struct {
	Deposits  []*nadra.Deposit
	Estimates []*nadra.Estimate
	Access    *nadra.AccessReport
	// Licences is the licence register; a project's eligibility under a
	// set of terms follows its licences (ProjectEligibility).
	Licences []*nadra.Licence
	// Approach is each deposit's observed rate of approach in km a month
	// (nadra.DepositRisk.ApproachOver), for the approach hazard; a deposit
	// missing from it has none.
	Approach map[string]float64
}

// Projects builds one project per deposit that has a resource estimate,
// or a published capacity (dataset/model/projects.csv), and a product the
// parameters can price and cost. Occupied and grey deposits yield nothing
// and are returned in lost; deposits the model cannot value, or that
// projects.csv leaves out, are returned in notValued with the reason.
//
// Where projects.csv gives a published figure for a project, the project
// uses it and says so in its Calibration; elsewhere it falls back to
// Taylor's rule and the cost curves, labelled "model fallback".
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
	licences := map[string][]*nadra.Licence{}
	for _, l := range reg.Licences {
		if l.DepositID != "" {
			licences[l.DepositID] = append(licences[l.DepositID], l)
		}
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
		published := p.ProjectInputs(d.ID)
		if in, ok := findInput(published, "", InputLeftOut); ok && in.Value != 0 {
			// The note may itself begin "Left out:"; say it once.
			note := strings.TrimSpace(in.Note)
			if len(note) >= 9 && strings.EqualFold(note[:9], "left out:") {
				note = strings.TrimSpace(note[9:])
			}
			nv.Reason = "left out: " + note + " (" + in.Source + ")"
			notValued = append(notValued, nv)
			continue
		}
		hasCapacity := false
		for _, in := range published {
			if in.Input == InputCapacity {
				hasCapacity = true
			}
		}
		if len(ests) == 0 && !hasCapacity {
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
			Licensed:           d.Stage == nadra.StageLicensed || d.Stage == nadra.StageDevelopment,
			deposit:            d, licences: licences[d.ID]}
		if in, ok := findInput(published, "", InputExisting); ok {
			pr.Existing = in.Value != 0
			pr.Calibration = append(pr.Calibration, Calibration{DepositID: d.ID, Input: InputExisting, Unit: "producing at the start",
				Model: boolNum(d.Stage == nadra.StageProducing), Published: Num(in.Value), Used: Num(in.Value), Ratio: Num(math.NaN()),
				Basis: BasisPublished, Source: in.Source, Note: in.Note})
		}
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
			capIn, hasCap := findInput(published, c, InputCapacity)
			if len(figs) == 0 && !hasCap {
				continue
			}
			prod, ok := p.ProjectProduct(d.ID, c)
			if !ok {
				skipped = append(skipped, c+" (no sourced product, price or costs)")
				continue
			}
			contained := math.NaN()
			var h nadra.Headline
			if len(figs) > 0 {
				var ok bool
				if h, ok = nadra.HeadlineContained(figs, prod.Basis); !ok && !hasCap {
					skipped = append(skipped, c+" (no contained quantity in "+prod.Basis+")")
					continue
				} else if ok {
					contained = h.Quantity
				}
			}
			line, err := newLine(p, c, prod, contained)
			if err != nil {
				skipped = append(skipped, c+" ("+nadra.ErrorMessage(err)+")")
				continue
			}
			if hasCap {
				line.published = &capIn
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
			if !math.IsNaN(contained) {
				if t, ok := oreTonnes(h, figs, prod.Basis); ok && !haveOre {
					oreT, haveOre = t, true
				}
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
		if pr.Category == "" {
			pr.Category = "no resource estimate"
		}
		// Life: Taylor's rule or the fallback, unless a published capacity
		// fixes it as the resource over that capacity.
		modelLife := fallback
		pr.LifeMethod = "model fallback: no ore tonnage or grade published, so the fallback life"
		if haveOre {
			pr.OreT = oreT
			modelLife = taylorA * math.Pow(oreT, taylorB)
			pr.LifeMethod = fmt.Sprintf("model: Taylor's rule on %.3g t of ore", oreT)
		}
		modelLife = math.Max(1, modelLife)
		pr.LifeYears = modelLife
		lifeBasis, lifeSource := BasisModel, pr.LifeMethod
		for _, l := range pr.Lines {
			if l.published != nil && l.ProductT > 0 {
				pr.LifeYears = math.Max(1, l.ProductT/l.published.Value)
				pr.LifeMethod = fmt.Sprintf("derived: the resource (%s t of %s) over the published capacity (%s t a year)", human(l.ProductT), l.Product, human(l.published.Value))
				lifeBasis, lifeSource = BasisDerived, l.published.Source
				break
			}
		}
		pr.Calibration = append(pr.Calibration, Calibration{DepositID: d.ID, Input: "life_years", Unit: "years", Model: Num(modelLife),
			Published: Num(math.NaN()), Used: Num(pr.LifeYears), Ratio: Num(math.NaN()), Basis: lifeBasis, Source: lifeSource, Note: pr.LifeMethod})
		if v, ok := p.Get("psa_state_share", d.ID); ok {
			pr.PSAShare = v.Value
			psa := &PSATerms{Share: v.Value, Source: v.Source}
			cap, okCap := p.Get("psa_cost_recovery_cap", d.ID)
			rec, okRec := p.Get("psa_recovery_state_share", d.ID)
			if okCap && okRec {
				psa.CostRecoveryCap, psa.RecoveryShare = cap.Value, rec.Value
				pr.Notes = append(pr.Notes, fmt.Sprintf("production-sharing agreement: until its costs are recovered the investor takes up to %.0f%% of output as compensation product and the state %.0f%% of the rest; then the state takes %.1f%% of the value of output, instead of rent",
					cap.Value*100, rec.Value*100, v.Value*100))
			} else {
				pr.Notes = append(pr.Notes, fmt.Sprintf("production-sharing agreement: the state takes %.1f%% of the value of output instead of rent", v.Value*100))
			}
			pr.PSA = psa
		}
		modelCapex := 0.0
		for i := range pr.Lines {
			l := &pr.Lines[i]
			model := math.NaN()
			if l.ProductT > 0 {
				model = l.ProductT / modelLife
			}
			row := Calibration{DepositID: d.ID, Input: InputCapacity, Commodity: l.Commodity, Unit: "t " + l.Product + " a year",
				Model: Num(model), Published: Num(math.NaN()), Ratio: Num(math.NaN())}
			if l.published != nil {
				l.CapacityTPA = l.published.Value
				if math.IsNaN(float64(l.Contained)) {
					l.ProductT = l.CapacityTPA * pr.LifeYears
				}
				row.Published, row.Basis, row.Source, row.Note = Num(l.published.Value), statusBasis(l.published.Status), l.published.Source, l.published.Note
				if l.published.HasRange() {
					row.Note = fmt.Sprintf("published range %s to %s. %s", human(l.published.Low), human(l.published.High), row.Note)
				}
			} else {
				l.CapacityTPA = l.ProductT / pr.LifeYears
				row.Basis, row.Source = BasisModel, pr.LifeMethod+": resource over life"
				if ref, ok := findInput(published, l.Commodity, InputRefCapacity); ok {
					row.Published, row.Basis, row.Source, row.Note = Num(ref.Value), BasisReference, ref.Source, ref.Note
				}
			}
			row.Used = Num(l.CapacityTPA)
			row.Ratio = ratioNum(float64(row.Model), float64(row.Published))
			pr.Calibration = append(pr.Calibration, row)
			modelCapex += l.CapexUSDTPA * l.CapacityTPA
			if l.Product != "" {
				pr.Calibration = append(pr.Calibration, productRow(d.ID, p, *l))
			}
		}
		// What Taylor's rule and the cost curves alone would give, for the
		// calibration table: the studies' capex at the model capacity.
		curveCapex := 0.0
		for _, l := range pr.Lines {
			if l.ProductT > 0 {
				curveCapex += l.CapexUSDTPA * l.ProductT / modelLife
			} else {
				curveCapex = math.NaN()
			}
		}
		pr.CapexUSD = modelCapex
		capRow := Calibration{DepositID: d.ID, Input: InputCapex, Unit: "USD", Model: Num(curveCapex), Published: Num(math.NaN()), Ratio: Num(math.NaN()),
			Basis: BasisModel, Source: "model fallback: the studies' median capex per t/yr (studies.csv) times the capacity used"}
		if in, ok := findInput(published, "", InputCapex); ok {
			pr.CapexUSD = in.Value
			capRow.Published, capRow.Basis, capRow.Source, capRow.Note = Num(in.Value), statusBasis(in.Status), in.Source, in.Note
		} else if ref, ok := findInput(published, "", InputRefCapex); ok {
			capRow.Published, capRow.Basis, capRow.Source, capRow.Note = Num(ref.Value), BasisReference, ref.Source, ref.Note
		}
		if pr.Existing {
			pr.CapexUSD = 0
			capRow.Note = strings.TrimSpace("producing at the start: no capex. " + capRow.Note)
		}
		capRow.Used = Num(pr.CapexUSD)
		capRow.Ratio = ratioNum(float64(capRow.Model), float64(capRow.Published))
		pr.Calibration = append(pr.Calibration, capRow)
		if pr.Existing {
			pr.Lead = LeadTime{Stage: string(nadra.StageProducing)}
		} else {
			lt, ok := p.LeadTime(string(d.Stage))
			if !ok {
				return nil, nil, nil, nadra.Errorf(nadra.EINVALID, "no lead time for stage %q in dataset/model/lead_times.csv", d.Stage)
			}
			row := Calibration{DepositID: d.ID, Input: InputLead, Unit: "years from 2025 to first production (mode)", Model: Num(lt.Mode),
				Published: Num(math.NaN()), Ratio: Num(math.NaN()), Basis: BasisModel,
				Source: fmt.Sprintf("model fallback: the lead time of stage %s (lead_times.csv)", lt.Stage)}
			if in, ok := findInput(published, "", InputLead); ok {
				stageMax := lt.Max
				lt = LeadTime{Stage: lt.Stage, Min: in.Value, Mode: in.Value, Max: in.Value, Status: in.Status, Source: in.Source, Note: in.Note}
				if in.HasRange() {
					lt.Min, lt.Max = in.Low, in.High
				} else {
					lt.Max = math.Max(in.Value, stageMax)
					lt.Note = strings.TrimSpace(lt.Note + fmt.Sprintf(" Maximum: the stage's %g years (model).", stageMax))
				}
				row.Published, row.Basis, row.Source, row.Note = Num(in.Value), statusBasis(in.Status), in.Source, lt.Note
			}
			row.Used = Num(lt.Mode)
			row.Ratio = ratioNum(float64(row.Model), float64(row.Published))
			pr.Calibration = append(pr.Calibration, row)
			pr.Lead = lt
			if in, ok := findInput(published, "", InputConstruction); ok {
				pr.Construction = max(1, int(math.Round(in.Value)))
				pr.Calibration = append(pr.Calibration, Calibration{DepositID: d.ID, Input: InputConstruction, Unit: "years", Model: Num(math.NaN()),
					Published: Num(in.Value), Used: Num(float64(pr.Construction)), Ratio: Num(math.NaN()), Basis: statusBasis(in.Status), Source: in.Source, Note: in.Note})
			}
			if in, ok := findInput(published, "", InputCeasefire); ok && in.Value != 0 {
				pr.WaitsForCeasefire = true
				pr.Calibration = append(pr.Calibration, Calibration{DepositID: d.ID, Input: InputCeasefire, Unit: "construction waits on the ceasefire", Model: Num(0),
					Published: Num(1), Used: Num(1), Ratio: Num(math.NaN()), Basis: statusBasis(in.Status), Source: in.Source, Note: in.Note})
				pr.Notes = append(pr.Notes, "construction starts no earlier than the ceasefire year of the run")
			}
		}
		projects = append(projects, pr)
	}
	return projects, lost, notValued, nil
}

// productRow is the calibration row of a line's product: what it sells
// and how it is priced.
func productRow(dep string, p *Params, l Line) Calibration {
	row := Calibration{DepositID: dep, Input: "product", Commodity: l.Commodity, Unit: "USD per t of product", Text: l.Product,
		Model: Num(math.NaN()), Published: Num(math.NaN()), Used: Num(l.PriceUSD), Ratio: Num(math.NaN()), Basis: BasisPublished, Source: l.ProductSource}
	if def, ok := p.Product(l.Commodity); ok && def.Name != l.Product {
		if v, ok := p.Get("price_usd_per_t", l.Commodity); ok {
			row.Model = Num(v.Value)
		}
		row.Note = l.PriceNote
	}
	return row
}

// Bases of a calibration row: where the value the model uses comes from.
const (
	BasisPublished = "published"
	BasisDerived   = "derived from published figures"
	BasisModel     = "model fallback"
	BasisReference = "model fallback; published figure not used"
)

func statusBasis(status string) string {
	if status == StatusDerived {
		return BasisDerived
	}
	return BasisPublished
}

func boolNum(b bool) Num {
	if b {
		return 1
	}
	return 0
}

func ratioNum(model, published float64) Num {
	if math.IsNaN(model) || math.IsNaN(published) || published == 0 {
		return Num(math.NaN())
	}
	return Num(model / published)
}

func findInput(list []ProjectInput, commodity, input string) (ProjectInput, bool) {
	for _, in := range list {
		if in.Input == input && (commodity == "" || in.Commodity == commodity) {
			return in, true
		}
	}
	return ProjectInput{}, false
}

// human writes a tonnage or an amount with a unit suffix: 1.2M, 300k.
func human(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e9:
		return strconv.FormatFloat(v/1e9, 'g', 3, 64) + "G"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'g', 3, 64) + "M"
	case a >= 1e3:
		return strconv.FormatFloat(v/1e3, 'g', 3, 64) + "k"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func scopeSuffix(scope string) string {
	if scope == "" {
		return ""
	}
	return " for " + scope
}

// newLine prices and costs one product line from the parameters.
// contained is NaN when the project has no resource estimate (its
// capacity is published). A project's own product (products.csv with a
// deposit_id) without its own price is priced, and costed, like the
// commodity's product per tonne of the basis it contains.
func newLine(p *Params, c string, prod Product, contained float64) (Line, error) {
	l := Line{Commodity: c, Product: prod.Name, Contained: Num(contained), Basis: prod.Basis, ProductSource: prod.Source}
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
	def, ok := p.Product(c)
	if !ok {
		return l, nadra.Errorf(nadra.EINVALID, "no product")
	}
	capex, ok := p.Intensity(def, MetricCapex)
	if !ok {
		return l, nadra.Errorf(nadra.EINVALID, "no capex study")
	}
	opex, ok := p.Intensity(def, MetricOpex)
	if !ok {
		return l, nadra.Errorf(nadra.EINVALID, "no opex study")
	}
	l.CapexUSDTPA, l.OpexUSD = capex.Median, opex.Median
	if prod.DepositID != "" && prod.Basis == def.Basis && prod.Content != def.Content {
		// The same price and costs per tonne of the basis contained.
		f := prod.Content / def.Content
		l.PriceNote = fmt.Sprintf("model: no published price for %s; priced at the %s price per t of %s it contains (%g t per t of product against %g), with the studies' costs scaled the same way",
			prod.Name, def.Name, prod.Basis, prod.Content, def.Content)
		l.PriceUSD *= f
		l.CapexUSDTPA *= f
		l.OpexUSD *= f
	}
	l.ProductT = math.NaN()
	if !math.IsNaN(contained) {
		l.ProductT = contained * l.Recovery / prod.Content
	}
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
