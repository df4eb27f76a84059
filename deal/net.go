package deal

import (
	"nadra"
)

// NetValue is one deposit's value net of recoverable cost, by commodity,
// as the model's projects give it: for each product line, recoverable
// product × (price − opex) − capex (none for a producing mine),
// undiscounted, before rent and tax.
type NetValue struct {
	DepositID string             `json:"deposit_id"`
	USD       map[string]float64 `json:"usd"` // by commodity
}

// NetValues builds the model's projects for every deposit of the registry
// whatever its control status (occupied deposits too: what a claim about
// occupied resources weighs), and returns each one's net value by
// commodity. Deposits the model cannot value (no product, price or costs
// for their commodities: only lithium, titanium, graphite and uranium
// have them) are absent, and notValued says why.
func NetValues(deps []*nadra.Deposit, ests []*nadra.Estimate, p *Params) (map[string]NetValue, []NotValued, error) {
	// Projects leaves out occupied deposits and deposits without a
	// status, so every deposit is presented as controlled here: the
	// status plays no part in a project's resource, capacity or costs.
	rep := &nadra.AccessReport{}
	zero := 0.0
	for _, d := range deps {
		rep.Deposits = append(rep.Deposits, nadra.DepositAccess{ID: d.ID, Status: nadra.StatusControlled, DistanceKm: &zero})
	}
	projects, _, notValued, err := Projects(Registry{Deposits: deps, Estimates: ests, Access: rep}, p)
	if err != nil {
		return nil, nil, err
	}
	out := map[string]NetValue{}
	for _, pr := range projects {
		nv := NetValue{DepositID: pr.DepositID, USD: map[string]float64{}}
		for _, l := range pr.Lines {
			v := l.ProductT * (l.PriceUSD - l.OpexUSD)
			if !pr.Existing {
				v -= l.CapexUSDTPA * l.CapacityTPA
			}
			nv.USD[l.Commodity] += v
		}
		out[pr.DepositID] = nv
	}
	return out, notValued, nil
}
