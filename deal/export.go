package deal

// Export is a compiled model and its funds as plain data: what an
// independent implementation needs to simulate the same model (see
// bench/reference_numpy.py). Amounts are US dollars; rates are fractions.
type Export struct {
	Years        int             `json:"years"`
	StartYear    int             `json:"start_year"`
	Discount     float64         `json:"discount"`
	Inflation    []float64       `json:"inflation_index"` // price-level factor by year (all 1 when real)
	Hurdle       float64         `json:"hurdle"`
	CIT          float64         `json:"cit"`
	Construction int             `json:"construction_years"`
	OverrunMu    float64         `json:"overrun_mu"`
	OverrunSigma float64         `json:"overrun_sigma"`
	Coinvest     float64         `json:"coinvest"`
	SpreadScale  float64         `json:"spread_scale"`
	Commodities  []string        `json:"commodities"`
	Ceasefire    int             `json:"ceasefire"` // year index of the ceasefire; years (never) when none
	Vol          []float64       `json:"volatility"`
	Cholesky     []float64       `json:"cholesky"` // row-major lower factor of the correlation matrix
	Projects     []ExportProject `json:"projects"`
	Funds        []ExportFund    `json:"funds"`
}

// ExportProject is one compiled project.
type ExportProject struct {
	ID        string       `json:"id"`
	Existing  bool         `json:"existing"`
	LeadLo    float64      `json:"lead_lo"`
	LeadMode  float64      `json:"lead_mode"`
	LeadHi    float64      `json:"lead_hi"`
	Spread    float64      `json:"spread"`
	Hazard    float64      `json:"hazard"`
	Capex     float64      `json:"capex"`
	LifeYears float64      `json:"life_years"`
	Ramp      float64      `json:"ramp_years"`
	Schedule  []float64    `json:"schedule"` // production in units of capacity by year of production
	Lines     []ExportLine `json:"lines"`
	// Construction is the project's years of construction; Gate is true
	// when construction waits on the ceasefire.
	Construction int  `json:"construction_years"`
	Gate         bool `json:"waits_for_ceasefire"`
	// PSA: the cost-recovery cap (0 without a recovery stage), the state's
	// share of the profit product while costs are recovered, and its
	// share of output after (the lines' take).
	PSACap      float64 `json:"psa_cost_recovery_cap"`
	PSARecovery float64 `json:"psa_recovery_state_share"`
}

// ExportLine is one product line.
type ExportLine struct {
	Commodity int     `json:"commodity"` // index into Commodities
	Capacity  float64 `json:"capacity"`  // t of product a year
	Price0    float64 `json:"price0"`
	Opex      float64 `json:"opex"`
	Take      float64 `json:"take"` // rent rate or PSA share
}

// ExportFund is one compiled set of terms.
type ExportFund struct {
	ID        string    `json:"id"`
	Start     int       `json:"start"`
	DistFrom  int       `json:"dist_from"`
	Share     float64   `json:"share"`
	BaseLines [][2]int  `json:"base_lines"` // (project, line) pairs in the base
	Coinvest  []int     `json:"coinvest"`
	USCash    []float64 `json:"us_cash"`
	UACash    []float64 `json:"ua_cash"`
	InKind    []float64 `json:"in_kind"`
	Prior     float64   `json:"prior"`
	Waterfall string    `json:"waterfall"`
	Rate      float64   `json:"rate"`
	USShare   float64   `json:"us_share"`
}

// Export returns m and funds as plain data.
func (m *Model) Export(funds []*Fund) *Export {
	e := &Export{Years: m.Years, StartYear: m.Settings.StartYear, Discount: m.Settings.Discount, Inflation: m.infl,
		Hurdle: m.Settings.Hurdle, CIT: m.CIT, Construction: m.Construction, OverrunMu: m.OverrunMu, OverrunSigma: m.OverrunSigma,
		Coinvest: m.Settings.Coinvest, SpreadScale: m.Settings.SpreadScale, Commodities: m.Commodities, Vol: m.Vol, Cholesky: m.chol, Ceasefire: m.ceasefire}
	for i, cp := range m.proj {
		pr := m.Projects[i]
		ep := ExportProject{ID: pr.DepositID, Existing: cp.existing, LeadLo: cp.leadLo, LeadMode: cp.leadMode, LeadHi: cp.leadHi,
			Spread: cp.spread, Hazard: cp.hazard, Capex: cp.capex, LifeYears: pr.LifeYears, Ramp: m.Ramp, Schedule: cp.sched,
			Construction: cp.construction, Gate: cp.gate, PSACap: cp.psa.CostRecoveryCap, PSARecovery: cp.psa.RecoveryShare}
		for _, l := range cp.lines {
			ep.Lines = append(ep.Lines, ExportLine{Commodity: l.c, Capacity: l.cap, Price0: l.price0, Opex: l.opex, Take: l.take})
		}
		e.Projects = append(e.Projects, ep)
	}
	for _, f := range funds {
		ef := ExportFund{ID: f.Terms.ID, Start: f.start, DistFrom: f.distFrom, Share: f.share, Coinvest: f.coinvest,
			USCash: f.usCash, UACash: f.uaCash, InKind: f.inKind, Prior: f.prior, Waterfall: f.wf.Kind, Rate: f.wf.Rate, USShare: f.wf.US}
		for _, i := range f.baseLines {
			// Map the flat line index back to (project, line).
			for p := len(m.lineOffset) - 1; p >= 0; p-- {
				if i >= m.lineOffset[p] {
					ef.BaseLines = append(ef.BaseLines, [2]int{p, i - m.lineOffset[p]})
					break
				}
			}
		}
		e.Funds = append(e.Funds, ef)
	}
	return e
}
