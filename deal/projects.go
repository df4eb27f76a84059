package deal

import (
	"math"

	"nadra"
	"nadra/montecarlo"
)

// ProjectResult is one project's outcome over the paths: when it starts,
// what it is worth to the state and to its developer, and, under each set
// of terms, whether it counts in the fund's base and what part of the
// fund's receipts it makes.
type ProjectResult struct {
	DepositID   string   `json:"deposit_id"`
	Name        string   `json:"name"`
	Commodities []string `json:"commodities"`
	// Built is the share of paths on which the project produces within
	// the horizon; Start summarises the year of first production over
	// those paths.
	Built float64            `json:"built_share"`
	Start montecarlo.Summary `json:"start_year"`
	// StatePV is the present value of the state's receipts from the
	// project (its take and CIT); DeveloperNPV the developer's net cash
	// after take, tax and capex; both at the run's discount rate.
	StatePV      montecarlo.Summary `json:"state_receipts_pv"`
	DeveloperNPV montecarlo.Summary `json:"developer_npv"`
	// StateByYear is the mean of the state's receipts from the project in
	// each year of the horizon, undiscounted.
	StateByYear []float64      `json:"state_receipts_by_year"`
	Terms       []ProjectTerms `json:"terms"`
}

// ProjectTerms is a project under one set of terms.
type ProjectTerms struct {
	Terms       string             `json:"terms"`
	Eligibility nadra.Eligibility  `json:"eligibility"`
	InBase      bool               `json:"in_base"` // eligible and with a commodity in scope
	FundPV      montecarlo.Summary `json:"fund_receipts_pv"`
	// FundShare is the mean PV of the fund's receipts from the project
	// over the mean PV of all the fund's receipts.
	FundShare float64 `json:"fund_share"`
}

func projectResults(res *montecarlo.Results, runners []*pathRunner, m *Model, funds []*Fund, terms []*TermsResult, workers int) []ProjectResult {
	P, Y, w := len(m.proj), m.Years, m.Width()
	sums := make([]int64, P*Y)
	for _, r := range runners {
		for i, x := range r.stateCents {
			sums[i] += x
		}
	}
	var cols []int
	for p := 0; p < P; p++ {
		for _, k := range []int{ProjStart, ProjState, ProjDev} {
			cols = append(cols, m.ProjCol(p, k))
		}
		for f := range funds {
			cols = append(cols, f*w+m.ProjCol(p, ProjFund))
		}
	}
	sm := montecarlo.SummarizeColumns(res, cols, workers)
	out := make([]ProjectResult, P)
	i := 0
	for p, pr := range m.Projects {
		r := ProjectResult{DepositID: pr.DepositID, Name: pr.Name, StateByYear: make([]float64, Y)}
		for _, l := range pr.Lines {
			r.Commodities = append(r.Commodities, l.Commodity)
		}
		r.Start, r.StatePV, r.DeveloperNPV = sm[i], sm[i+1], sm[i+2]
		i += 3
		if res.Paths > 0 {
			r.Built = float64(r.Start.N) / float64(res.Paths)
			for t := 0; t < Y; t++ {
				r.StateByYear[t] = float64(sums[p*Y+t]) / 100 / float64(res.Paths)
			}
		}
		for k, f := range funds {
			pt := ProjectTerms{Terms: f.Terms.ID, Eligibility: f.Eligibility[p], FundPV: sm[i], FundShare: math.NaN()}
			i++
			for _, b := range f.baseProj {
				if b == p {
					pt.InBase = true
				}
			}
			if total := terms[k].Metrics["fund_receipts_pv"].Mean; total > 0 {
				pt.FundShare = pt.FundPV.Mean / total
			}
			r.Terms = append(r.Terms, pt)
		}
		out[p] = r
	}
	return out
}
