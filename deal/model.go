package deal

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"nadra"
	"nadra/montecarlo"
)

// Settings are a run's choices. DefaultSettings takes them from the
// parameters; the CLI's flags override them. Money is in US dollars at
// the price level of the parameters (real) unless Nominal is set.
type Settings struct {
	StartYear int `json:"start_year"` // the model's year 0
	EndYear   int `json:"end_year"`   // last year of the horizon; nothing after it is valued
	// Discount is the parties' discount rate a year: real, or nominal
	// when Nominal is set.
	Discount  float64 `json:"discount"`
	Nominal   bool    `json:"nominal"`
	Inflation float64 `json:"inflation"` // a year, used only when Nominal
	// Hurdle is the real rate at which an investor decides to build.
	Hurdle float64 `json:"hurdle"`
	// Coinvest is the largest share of a project's capex the fund takes.
	Coinvest float64 `json:"coinvest"`
	// AidUSDPerYear is new US in-kind aid a year from the fund's start,
	// for AidYears years (0: to the end of the horizon). It counts as US
	// capital only under terms that say so.
	AidUSDPerYear float64 `json:"aid_usd_per_year"`
	AidYears      int     `json:"aid_years"`
	// VolScale, SpreadScale and HazardScale multiply the price
	// volatilities; the spreads of overrun, grade and lead time; and the
	// conflict hazard. All are 1 in a normal run; 0 gives the
	// deterministic case.
	VolScale    float64 `json:"vol_scale"`
	SpreadScale float64 `json:"spread_scale"`
	HazardScale float64 `json:"hazard_scale"`
	// PriceLevel multiplies every commodity's starting price (the
	// parameters' prices): 1.2 is 20% higher throughout. 0 is read as 1,
	// so settings written without it keep the parameters' prices.
	PriceLevel float64 `json:"price_level"`
	// CeasefireYear is the year of the ceasefire scenario: projects whose
	// developers condition the build on security start construction no
	// earlier than this year. 0 is no ceasefire within the horizon: they
	// are never built.
	CeasefireYear int `json:"ceasefire_year"`
	// HazardApproach takes each project's observed rate of approach into
	// its conflict hazard, h0·exp(−d/d0 + beta·v) with the
	// hazard_approach_* parameters, in place of the distance-only curve
	// h0·exp(−d/d0) (nadra simulate --hazard approach).
	HazardApproach bool `json:"hazard_approach,omitempty"`
}

// DefaultSettings returns the settings the parameters give: 2025–2055,
// real, at the parameters' discount and hurdle rates.
func DefaultSettings(p *Params) Settings {
	s := Settings{StartYear: 2025, EndYear: 2055, VolScale: 1, SpreadScale: 1, HazardScale: 1, PriceLevel: 1}
	if v, ok := p.Get("discount_rate", ""); ok {
		s.Discount = v.Value
	}
	if v, ok := p.Get("project_hurdle", ""); ok {
		s.Hurdle = v.Value
	}
	if v, ok := p.Get("coinvest_max_stake", ""); ok {
		s.Coinvest = v.Value
	}
	if v, ok := p.Get("ceasefire_year", ""); ok {
		s.CeasefireYear = int(v.Value)
	}
	return s
}

// Inputs are everything a model is built from.
type Inputs struct {
	Registry Registry
	Params   *Params
	Settings Settings
}

// Model is a compiled deal model: the valued projects and everything a
// path needs, laid out for speed. It is read-only once built and shared
// by all workers.
type Model struct {
	Settings    Settings    `json:"settings"`
	Years       int         `json:"years"`
	Projects    []Project   `json:"projects"`
	Lost        []NotValued `json:"lost"`       // occupied or grey: nothing to the fund
	NotValued   []NotValued `json:"not_valued"` // left out, with the reason
	Commodities []string    `json:"commodities"`
	Vol         []float64   `json:"volatility"`  // per commodity, after VolScale
	Corr        []float64   `json:"correlation"` // row-major, len(Commodities)²
	CorrYears   []int       `json:"correlation_years"`
	// Shrink is how far the correlation matrix had to be pulled towards
	// the identity to be positive definite (0 when it already was).
	Shrink float64 `json:"shrink"`

	CIT          float64 `json:"cit"`
	Ramp         float64 `json:"ramp_years"`
	Construction int     `json:"construction_years"`
	OverrunMean  float64 `json:"overrun_mean"`
	OverrunMu    float64 `json:"overrun_mu"`
	OverrunSigma float64 `json:"overrun_sigma"`
	HazardH0     float64 `json:"hazard_h0"`
	HazardD0     float64 `json:"hazard_d0_km"`
	// The approach hazard's parameters, read when Settings.HazardApproach.
	HazardApproachH0   float64 `json:"hazard_approach_h0,omitempty"`
	HazardApproachD0   float64 `json:"hazard_approach_d0_km,omitempty"`
	HazardApproachBeta float64 `json:"hazard_approach_beta,omitempty"`
	Params             *Params `json:"-"`
	chol               []float64
	proj               []cproj
	disc, infl, vPow   []float64
	annuity            []float64 // annuity[n] = sum_{j<n} v^j at the hurdle rate
	nLines             int
	lineOffset         []int // first line index of each project
	commodityIndex     map[string]int
	ceasefire          int // year index of the ceasefire; Years (never) when none
	registry           *Registry
}

type cproj struct {
	existing, licensed bool
	construction       int  // years of construction
	gate               bool // construction waits on the ceasefire
	psa                PSATerms
	lines              []cline
	leadLo, leadMode   float64
	leadHi             float64
	spread             float64
	hazard             float64
	capex              float64 // as estimated
	sched              []float64
	d0, e0             float64 // sum f_k v^k and sum_{k<N} v^k at the hurdle
	b                  float64 // (1-cit) sum_l cap_l opex_l
}

type cline struct {
	c                 int
	cap, price0, opex float64
	take              float64 // rent rate or PSA share
	a                 float64 // cap·price0·(1-take)·(1-cit)
}

// Build builds the projects of a registry and compiles them.
func Build(in Inputs) (*Model, error) {
	projects, lost, notValued, err := Projects(in.Registry, in.Params)
	if err != nil {
		return nil, err
	}
	m, err := NewModel(projects, in.Params, in.Settings)
	if err != nil {
		return nil, err
	}
	m.Lost, m.NotValued = lost, notValued
	reg := in.Registry
	m.registry = &reg
	return m, nil
}

// NewModel compiles projects with the parameters and settings.
func NewModel(projects []Project, p *Params, s Settings) (*Model, error) {
	if s.EndYear < s.StartYear {
		return nil, nadra.Errorf(nadra.EINVALID, "the horizon ends (%d) before it starts (%d)", s.EndYear, s.StartYear)
	}
	if s.Discount <= -1 || s.Hurdle <= -1 {
		return nil, nadra.Errorf(nadra.EINVALID, "discount and hurdle rates must be above -100%%")
	}
	if s.CeasefireYear != 0 && (s.CeasefireYear < MinEndYear || s.CeasefireYear > MaxEndYear) {
		return nil, nadra.Errorf(nadra.EINVALID, "ceasefire year %d: expected %d to %d, or 0 for none", s.CeasefireYear, MinEndYear, MaxEndYear)
	}
	if s.PriceLevel < 0 || math.IsNaN(s.PriceLevel) || math.IsInf(s.PriceLevel, 0) {
		return nil, nadra.Errorf(nadra.EINVALID, "price level %g must be a positive factor", s.PriceLevel)
	}
	level := s.PriceLevel
	if level == 0 {
		level = 1
	}
	m := &Model{Settings: s, Years: s.EndYear - s.StartYear + 1, Projects: append([]Project(nil), projects...), Params: p, commodityIndex: map[string]int{}}
	get := func(key string) (float64, error) {
		v, ok := p.Get(key, "")
		if !ok {
			return 0, nadra.Errorf(nadra.EINVALID, "model parameter %s missing from dataset/model/parameters.csv", key)
		}
		return v.Value, nil
	}
	var err error
	var construction, pDouble float64
	for _, k := range []struct {
		key string
		dst *float64
	}{{"cit_rate", &m.CIT}, {"ramp_years", &m.Ramp}, {"construction_years", &construction},
		{"overrun_mean", &m.OverrunMean}, {"overrun_p_double", &pDouble}, {"hazard_h0", &m.HazardH0}, {"hazard_d0_km", &m.HazardD0}} {
		if *k.dst, err = get(k.key); err != nil {
			return nil, err
		}
	}
	if s.HazardApproach {
		for _, k := range []struct {
			key string
			dst *float64
		}{{"hazard_approach_h0", &m.HazardApproachH0}, {"hazard_approach_d0_km", &m.HazardApproachD0}, {"hazard_approach_beta", &m.HazardApproachBeta}} {
			if *k.dst, err = get(k.key); err != nil {
				return nil, err
			}
		}
	}
	m.Construction = max(1, int(math.Round(construction)))
	if m.Ramp < 1 {
		m.Ramp = 1
	}
	_, sigma, err := montecarlo.LognormalMeanTail(m.OverrunMean, 2, pDouble)
	if err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "capex overrun: %v", err)
	}
	m.OverrunSigma = sigma * s.SpreadScale
	m.OverrunMu = math.Log(m.OverrunMean) - m.OverrunSigma*m.OverrunSigma/2

	// Commodities in use, sorted, with their volatilities and correlations.
	for _, pr := range projects {
		for _, l := range pr.Lines {
			if _, ok := m.commodityIndex[l.Commodity]; !ok {
				m.commodityIndex[l.Commodity] = -1
				m.Commodities = append(m.Commodities, l.Commodity)
			}
		}
	}
	sort.Strings(m.Commodities)
	n := len(m.Commodities)
	for i, c := range m.Commodities {
		m.commodityIndex[c] = i
		v, _ := p.Get("volatility", c)
		m.Vol = append(m.Vol, v.Value*s.VolScale)
	}
	m.Corr = make([]float64, n*n)
	m.CorrYears = make([]int, n*n)
	for i := 0; i < n; i++ {
		m.Corr[i*n+i] = 1
		for j := 0; j < i; j++ {
			r, k := p.Correlation(m.Commodities[i], m.Commodities[j])
			if math.IsNaN(r) {
				r = 0
			}
			m.Corr[i*n+j], m.Corr[j*n+i] = r, r
			m.CorrYears[i*n+j], m.CorrYears[j*n+i] = k, k
		}
	}
	if n > 0 {
		if m.chol, m.Shrink, err = montecarlo.Cholesky(m.Corr, n); err != nil {
			return nil, nadra.Errorf(nadra.EINVALID, "price correlations: %v", err)
		}
	}

	// Discounting and price level.
	Y := m.Years
	m.disc, m.infl = make([]float64, Y), make([]float64, Y)
	for t := 0; t < Y; t++ {
		m.disc[t] = math.Pow(1+s.Discount, -float64(t))
		m.infl[t] = 1
		if s.Nominal {
			m.infl[t] = math.Pow(1+s.Inflation, float64(t))
		}
	}
	m.ceasefire = Y
	if s.CeasefireYear != 0 {
		m.ceasefire = max(0, s.CeasefireYear-s.StartYear)
	}
	maxCons := m.Construction
	for _, pr := range projects {
		maxCons = max(maxCons, pr.Construction)
	}
	v := 1 / (1 + s.Hurdle)
	m.vPow = make([]float64, maxCons+1)
	m.annuity = make([]float64, maxCons+1)
	for j := 0; j <= maxCons; j++ {
		m.vPow[j] = math.Pow(v, float64(j))
		if j > 0 {
			m.annuity[j] = m.annuity[j-1] + m.vPow[j-1]
		}
	}

	for i, pr := range projects {
		cp := cproj{existing: pr.Existing, licensed: pr.Licensed, spread: pr.Spread, capex: pr.CapexUSD,
			leadLo: pr.Lead.Min, leadMode: pr.Lead.Mode, leadHi: pr.Lead.Max, construction: m.Construction, gate: pr.WaitsForCeasefire}
		if pr.Construction > 0 {
			cp.construction = pr.Construction
		}
		if pr.PSA != nil {
			cp.psa = *pr.PSA
		}
		h := m.HazardAt(pr.DistanceKm)
		if s.HazardApproach {
			v := 0.0
			if pr.ApproachKmPerMonth != nil {
				v = *pr.ApproachKmPerMonth
			} else {
				m.Projects[i].Notes = append(m.Projects[i].Notes, "no observed rate of approach (no snapshot in the window before the latest, or the point on hostile ground on one of the two): the approach hazard takes it as 0")
			}
			h = m.HazardApproachAt(pr.DistanceKm, v)
		}
		cp.hazard = math.Min(0.999, s.HazardScale*h)
		m.Projects[i].HazardPY = cp.hazard
		// Production schedule in units of capacity: ramp-up, then full
		// rate until the life's capacity-years are used.
		remaining := pr.LifeYears
		for k := 0; remaining > 1e-9; k++ {
			f := math.Min(math.Min(1, float64(k+1)/m.Ramp), remaining)
			cp.sched = append(cp.sched, f)
			remaining -= f
		}
		vk := 1.0
		for _, f := range cp.sched {
			cp.d0 += f * vk
			cp.e0 += vk
			vk *= v
		}
		m.lineOffset = append(m.lineOffset, m.nLines)
		for _, l := range pr.Lines {
			// The build decision and the line's take use the state's share
			// once costs are recovered; Eval applies the recovery stage.
			take := l.RentRate
			if pr.PSA != nil {
				take = pr.PSA.Share
			}
			cl := cline{c: m.commodityIndex[l.Commodity], cap: l.CapacityTPA, price0: l.PriceUSD * level, opex: l.OpexUSD, take: take}
			cl.a = cl.cap * cl.price0 * (1 - take) * (1 - m.CIT)
			cp.b += (1 - m.CIT) * cl.cap * cl.opex
			cp.lines = append(cp.lines, cl)
			m.nLines++
		}
		m.proj = append(m.proj, cp)
	}
	return m, nil
}

// HazardAt returns the annual hazard of loss of a controlled project d km
// from hostile ground: h0·exp(-d/d0), before HazardScale.
func (m *Model) HazardAt(d float64) float64 {
	if m.HazardD0 <= 0 {
		return 0
	}
	return m.HazardH0 * math.Exp(-d/m.HazardD0)
}

// HazardApproachAt returns the annual hazard of loss of a controlled
// project d km from hostile ground that the front approached at v km a
// month (negative: it moved away): h0·exp(−d/d0 + beta·v), before
// HazardScale, at most 0.999.
func (m *Model) HazardApproachAt(d, v float64) float64 {
	if m.HazardApproachD0 <= 0 {
		return 0
	}
	return math.Min(0.999, m.HazardApproachH0*math.Exp(-d/m.HazardApproachD0+m.HazardApproachBeta*v))
}

// Draws are one path's random inputs, drawn in a fixed order so that two
// models with the same projects and commodities (and two sets of terms)
// see the same numbers: common random numbers.
type Draws struct {
	Lead    []float64 // per project, uniform: lead-time quantile
	Overrun []float64 // per project, standard normal: capex factor
	Grade   []float64 // per project, uniform: grade factor
	Loss    []float64 // per project, uniform in (0, 1]: time to conflict loss
	// W holds the correlated Brownian path of each commodity's log price,
	// W[c*Years+t], with W at t=0 equal to 0.
	W []float64
	z []float64
}

// NewDraws allocates draws for m.
func (m *Model) NewDraws() *Draws {
	P, C := len(m.proj), len(m.Commodities)
	return &Draws{Lead: make([]float64, P), Overrun: make([]float64, P), Grade: make([]float64, P), Loss: make([]float64, P),
		W: make([]float64, C*m.Years), z: make([]float64, C)}
}

// Sample fills d from rng: per project lead, overrun, grade and loss, in
// project order; then, year by year, one correlated normal per commodity.
func (m *Model) Sample(rng *rand.Rand, d *Draws) {
	for p := range m.proj {
		d.Lead[p] = rng.Float64()
		d.Overrun[p] = rng.NormFloat64()
		d.Grade[p] = rng.Float64()
		d.Loss[p] = 1 - rng.Float64()
	}
	C, Y := len(m.Commodities), m.Years
	for c := 0; c < C; c++ {
		d.W[c*Y] = 0
	}
	for t := 1; t < Y; t++ {
		for c := 0; c < C; c++ {
			d.z[c] = rng.NormFloat64()
		}
		for c := 0; c < C; c++ {
			var e float64
			row := m.chol[c*C : c*C+c+1]
			for k, l := range row {
				e += l * d.z[k]
			}
			d.W[c*Y+t] = d.W[c*Y+t-1] + e
		}
	}
}

// Central sets d to the centre of every distribution: the mode lead
// time, the mean overrun, the published grade, no conflict loss and
// prices that stay at their expected value. With zero scales the model
// then gives the deterministic case.
func (m *Model) Central(d *Draws) {
	for p := range m.proj {
		d.Lead[p], d.Overrun[p], d.Grade[p], d.Loss[p] = 0.5, 0, 0.5, 1
	}
	clear(d.W)
}

// Scratch is one worker's working memory for Eval.
type Scratch struct {
	price   []float64 // C*Y price index
	st      []float64 // nLines*Y state take (rent or PSA) per line
	op      []float64 // P*Y project operating cash flow after tax
	capex   []float64 // P*Y project capex
	state   []float64 // Y all state receipts (take and CIT)
	built   []bool
	decYear []int
	planned []float64
	stake   []float64
	us, ua  []float64
	roots   []float64
	held    []int     // projects the fund holds a stake in, in the order it took them
	pst     []float64 // P*Y the state's receipts (take and CIT) by project
	first   []int     // year index of each project's first production; -1 if not built
}

// NewScratch allocates scratch space for m.
func (m *Model) NewScratch() *Scratch {
	P, C, Y := len(m.proj), len(m.Commodities), m.Years
	return &Scratch{price: make([]float64, C*Y), st: make([]float64, m.nLines*Y), op: make([]float64, P*Y), capex: make([]float64, P*Y),
		state: make([]float64, Y), built: make([]bool, P), decYear: make([]int, P), planned: make([]float64, P), stake: make([]float64, P),
		us: make([]float64, Y), ua: make([]float64, Y), pst: make([]float64, P*Y), first: make([]int, P)}
}

// Output columns of one set of terms; a run with --vs has two blocks.
const (
	ColFundPV      = iota // PV of the fund's receipts from Ukraine's revenue share
	ColFundSum            // the same, undiscounted
	ColUSNPV              // NPV of the US's new flows with the fund
	ColUANPV              // NPV of Ukraine's flows with the fund
	ColUSIRR              // NaN unless unique
	ColUAIRR              // NaN unless unique
	ColUSIRRKind          // IRRKind as a number
	ColUAIRRKind          // IRRKind as a number
	ColUSDistPV           // PV of distributions to the US
	ColUSContribPV        // PV of US contributions as the terms count them (aid already given included)
	ColUSRecovery         // ColUSDistPV / ColUSContribPV
	ColUAContribPV        // PV of Ukraine's contributions (revenue share and cash)
	ColUADistPV           // PV of distributions to Ukraine
	ColUSFirst            // years from the start to the first distribution to the US; NaN if none
	ColUAFirst            // the same for Ukraine
	ColStatePV            // PV of all state receipts from the valued projects (rent or PSA share, and CIT)
	ColBuilt              // projects built or producing
	ColYears              // first of Years columns: the fund's receipts by year, undiscounted
)

// Per-project output columns, ProjCols for each project after the years
// (see ProjCol).
const (
	ProjStart = iota // calendar year of first production; NaN when not built
	ProjState        // PV of the state's receipts from the project: its take (rent or PSA share) and CIT
	ProjDev          // NPV of the developer's cash: after take and tax, less capex, at the run's discount rate
	ProjFund         // PV of the fund's receipts from the project's take under these terms
	ProjCols
)

// Width returns the number of output columns for one set of terms.
func (m *Model) Width() int { return ColYears + m.Years + ProjCols*len(m.proj) }

// ProjCol returns the column, within one set of terms' block, of
// project p's per-project output k (ProjStart … ProjFund).
func (m *Model) ProjCol(p, k int) int { return ColYears + m.Years + p*ProjCols + k }

// Eval computes one path: the projects' cash flows from the draws, then
// for each fund (set of terms) its flows, written to out[k*Width():].
func (m *Model) Eval(d *Draws, s *Scratch, funds []*Fund, out []float64) {
	Y, C := m.Years, len(m.Commodities)
	for c := 0; c < C; c++ {
		sig := m.Vol[c]
		half := 0.5 * sig * sig
		row := s.price[c*Y : (c+1)*Y]
		w := d.W[c*Y : (c+1)*Y]
		if sig == 0 {
			for t := range row {
				row[t] = 1
			}
			continue
		}
		for t := range row {
			row[t] = math.Exp(sig*w[t] - half*float64(t))
		}
	}
	clear(s.st)
	clear(s.op)
	clear(s.capex)
	clear(s.state)
	clear(s.pst)
	spread := m.Settings.SpreadScale
	built := 0
	for p := range m.proj {
		cp := &m.proj[p]
		s.built[p] = false
		s.decYear[p] = -1
		s.first[p] = -1
		g := 1 + cp.spread*spread*(2*d.Grade[p]-1)
		// First production year and construction.
		tp, nc := 0, 0
		if !cp.existing {
			lo := cp.leadMode - spread*(cp.leadMode-cp.leadLo)
			hi := cp.leadMode + spread*(cp.leadHi-cp.leadMode)
			tp = max(1, int(math.Round(montecarlo.Triangular(d.Lead[p], lo, cp.leadMode, hi))))
			if cp.gate {
				// Construction starts no earlier than the ceasefire.
				if m.ceasefire >= Y {
					continue
				}
				tp = max(tp, m.ceasefire+cp.construction)
			}
			nc = min(cp.construction, tp)
			s0 := tp - nc
			// Build decision at s0, at the prices of that year taken as
			// the expected future prices, with the capex as estimated.
			var rev float64
			for li := range cp.lines {
				l := &cp.lines[li]
				x := 1.0
				if s0 < Y {
					x = s.price[l.c*Y+s0]
				}
				rev += l.a * x
			}
			npv := (g*rev-g*cp.b)*cp.d0*m.vPow[nc] - cp.capex/float64(nc)*m.annuity[nc] + m.CIT*cp.capex/float64(len(cp.sched))*cp.e0*m.vPow[nc]
			if npv <= 0 {
				continue
			}
			s.decYear[p] = s0
			s.planned[p] = cp.capex
		}
		s.built[p] = true
		s.first[p] = tp
		built++
		// Year of loss to the conflict: geometric with the annual hazard.
		tl := Y
		if cp.hazard > 0 {
			if f := math.Log(d.Loss[p]) / math.Log1p(-cp.hazard); f < float64(Y) {
				tl = int(f)
			}
		}
		overrun := math.Exp(m.OverrunMu + m.OverrunSigma*d.Overrun[p])
		capexYear, dep := 0.0, 0.0
		if nc > 0 {
			capexYear = cp.capex * overrun / float64(nc)
			dep = cp.capex * overrun / float64(len(cp.sched))
		}
		unrecovered := 0.0 // PSA: costs the investor has still to recover
		end := min(Y, tl, tp+len(cp.sched))
		for t := tp - nc; t < end; t++ {
			if t < tp {
				s.capex[p*Y+t] = capexYear
				unrecovered += capexYear
				continue
			}
			f := g * cp.sched[t-tp]
			var rev, opex, take float64
			for li := range cp.lines {
				l := &cp.lines[li]
				q := f * l.cap
				r := q * l.price0 * s.price[l.c*Y+t]
				rev += r
				opex += q * l.opex
				take += l.take * r
				s.st[(m.lineOffset[p]+li)*Y+t] = l.take * r
			}
			if cp.psa.CostRecoveryCap > 0 {
				// Recovery stage while the costs to recover exceed the
				// compensation product's cap; then the state's share. The
				// take is shared among the lines by their revenue.
				pool := unrecovered + opex
				if comp := cp.psa.CostRecoveryCap * rev; pool > comp {
					take = cp.psa.RecoveryShare * (rev - comp)
					unrecovered = pool - comp
				} else {
					take = cp.psa.Share * rev
					unrecovered = 0
				}
				for li := range cp.lines {
					l := &cp.lines[li]
					i := (m.lineOffset[p]+li)*Y + t
					s.st[i] = 0
					if rev > 0 {
						s.st[i] = take * f * l.cap * l.price0 * s.price[l.c*Y+t] / rev
					}
				}
			}
			tax := m.CIT * math.Max(0, rev-opex-take-dep)
			s.op[p*Y+t] = rev - opex - take - tax
			s.state[t] += take + tax
			s.pst[p*Y+t] = take + tax
		}
	}
	w := m.Width()
	for k, f := range funds {
		m.fund(f, s, out[k*w:(k+1)*w], built)
	}
}

// fund runs one set of terms over the projects' flows in s.
func (m *Model) fund(f *Fund, s *Scratch, out []float64, built int) {
	Y := m.Years
	var acc Accounts
	var cash, fundPV, fundSum, usDist, usContrib, uaDist, uaContrib, statePV float64
	usFirst, uaFirst := math.NaN(), math.NaN()
	clear(s.stake)
	s.held = s.held[:0]
	for p := range m.proj {
		st, dev := 0.0, 0.0
		for t := 0; t < Y; t++ {
			k := m.infl[t] * m.disc[t]
			st += s.pst[p*Y+t] * k
			dev += (s.op[p*Y+t] - s.capex[p*Y+t]) * k
		}
		start := math.NaN()
		if s.first[p] >= 0 {
			start = float64(m.Settings.StartYear + s.first[p])
		}
		out[m.ProjCol(p, ProjStart)], out[m.ProjCol(p, ProjState)], out[m.ProjCol(p, ProjDev)] = start, st, dev
		out[m.ProjCol(p, ProjFund)] = 0
	}
	for t := 0; t < Y; t++ {
		infl, disc := m.infl[t], m.disc[t]
		var base float64
		if t >= f.start {
			for k, i := range f.baseLines {
				x := s.st[i*Y+t]
				base += x
				out[m.ProjCol(f.baseProj[k], ProjFund)] += f.share * x * infl * disc
			}
		}
		rev := f.share * base * infl
		usC, uaC, aid := f.usCash[t], f.uaCash[t], f.inKind[t]
		prior := 0.0
		if t == 0 {
			prior = f.prior
		}
		f.wf.Accrue(&acc, usC+aid+prior, uaC+rev)
		cash += rev + usC + uaC
		if cash > 0 {
			for _, p := range f.coinvest {
				if s.decYear[p] == t && s.built[p] && s.planned[p] > 0 {
					s.stake[p] = math.Min(m.Settings.Coinvest, cash/(s.planned[p]*infl))
					s.held = append(s.held, p)
				}
			}
		}
		for _, p := range s.held {
			cash += s.stake[p] * (s.op[p*Y+t] - s.capex[p*Y+t]) * infl
		}
		var dist float64
		if t >= f.distFrom && cash > 0 {
			dist, cash = cash, 0
		}
		dus, dua := f.wf.Split(&acc, dist)
		s.us[t] = dus - usC - aid
		s.ua[t] = dua - uaC - rev
		fundPV += rev * disc
		fundSum += rev
		usDist += dus * disc
		usContrib += (usC + aid) * disc
		uaDist += dua * disc
		uaContrib += (uaC + rev) * disc
		statePV += s.state[t] * infl * disc
		if dus > 0 && math.IsNaN(usFirst) {
			usFirst = float64(t)
		}
		if dua > 0 && math.IsNaN(uaFirst) {
			uaFirst = float64(t)
		}
		out[ColYears+t] = rev
	}
	usContrib += f.prior
	out[ColFundPV], out[ColFundSum] = fundPV, fundSum
	out[ColUSNPV], out[ColUANPV] = usDist-usContrib+f.prior, uaDist-uaContrib
	out[ColUSDistPV], out[ColUSContribPV] = usDist, usContrib
	out[ColUSRecovery] = math.NaN()
	if usContrib > 0 {
		out[ColUSRecovery] = usDist / usContrib
	}
	out[ColUAContribPV], out[ColUADistPV] = uaContrib, uaDist
	out[ColUSFirst], out[ColUAFirst] = usFirst, uaFirst
	out[ColStatePV] = statePV
	out[ColBuilt] = float64(built)
	for k, flows := range [2][]float64{s.us, s.ua} {
		var kind IRRKind
		s.roots, kind = IRRAppend(s.roots[:0], flows)
		v := math.NaN()
		if kind == IRRUnique {
			v = s.roots[0]
		}
		out[ColUSIRR+k] = v
		out[ColUSIRRKind+k] = float64(kind)
	}
}

// Fund is one set of deal terms compiled against a model.
type Fund struct {
	Terms     *nadra.DealTerms
	start     int // first year index of the fund's flows
	distFrom  int // first year index with distributions
	share     float64
	baseLines []int // line indices whose state take is in the base
	baseProj  []int // the project of each base line
	coinvest  []int // projects the fund may take a stake in
	usCash    []float64
	uaCash    []float64
	inKind    []float64
	prior     float64
	wf        Waterfall
	// Notes say how the terms were applied (flows outside the horizon,
	// streams nadra does not model).
	Notes []string
	// Base lists the projects whose receipts feed the fund; Excluded the
	// others, each with the reason.
	Base     []string
	Excluded []string
	// Eligibility is each project's verdict under the terms, in project
	// order: only eligible projects' receipts feed the fund.
	Eligibility []nadra.Eligibility
}

// NewFund compiles terms against m.
func (m *Model) NewFund(t *nadra.DealTerms) *Fund {
	Y := m.Years
	f := &Fund{Terms: t, share: t.UkraineShare, wf: NewWaterfall(t), prior: t.PriorUSAidUSD,
		usCash: make([]float64, Y), uaCash: make([]float64, Y), inKind: make([]float64, Y)}
	f.start = max(0, t.FundStartYear-m.Settings.StartYear)
	f.distFrom = f.start + t.ReinvestYears
	for p, pr := range m.Projects {
		e := ProjectEligibility(t, &pr)
		f.Eligibility = append(f.Eligibility, e)
		why := ""
		if !e.Counts() {
			why = e.Verdict + ": " + e.Reason
		}
		stream := nadra.StreamRent
		if pr.PSA != nil {
			stream = nadra.StreamPSAShare
		}
		if why == "" && !t.HasStream(stream) {
			why = "its receipts (" + stream + ") are not in the base"
		}
		scoped := false
		for li, l := range pr.Lines {
			if t.InScope(l.Commodity) {
				scoped = true
				if why == "" {
					f.baseLines = append(f.baseLines, m.lineOffset[p]+li)
					f.baseProj = append(f.baseProj, p)
				}
			}
		}
		switch {
		case why == "" && scoped:
			f.Base = append(f.Base, pr.DepositID)
		case why == "":
			f.Excluded = append(f.Excluded, pr.DepositID+" (commodity not covered)")
		default:
			f.Excluded = append(f.Excluded, pr.DepositID+" ("+why+")")
		}
		if scoped && !pr.Existing {
			f.coinvest = append(f.coinvest, p)
		}
	}
	place := func(dst []float64, flows []nadra.Flow, what string) {
		for _, fl := range flows {
			i := fl.Year - m.Settings.StartYear
			if i < 0 || i >= Y {
				f.Notes = append(f.Notes, fmt.Sprintf("%s of $%.0f in %d lies outside the horizon %d–%d and is left out",
					what, fl.USD, fl.Year, m.Settings.StartYear, m.Settings.EndYear))
				continue
			}
			dst[i] += fl.USD
		}
	}
	place(f.usCash, t.USCash, "US cash")
	place(f.uaCash, t.UkraineCash, "Ukrainian cash")
	if t.InKindAidCounts && m.Settings.AidUSDPerYear > 0 {
		n := m.Settings.AidYears
		if n <= 0 {
			n = Y
		}
		for i := f.start; i < min(Y, f.start+n); i++ {
			f.inKind[i] = m.Settings.AidUSDPerYear
		}
	}
	if t.HasStream(nadra.StreamPermits) {
		f.Notes = append(f.Notes, "permit fees and permit-sale proceeds are part of the base but not modelled: no sourced amounts")
	}
	return f
}
