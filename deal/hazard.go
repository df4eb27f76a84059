package deal

import "math"

// HazardComparison sets the first terms' results under the approach
// hazard (each project's observed distance and rate of approach) beside
// the distance-only hazard, on the same paths and seed: common random
// numbers, so the difference is the hazards', not the draws'.
type HazardComparison struct {
	Terms string `json:"terms"`
	// Fund receipts from Ukraine's revenue share, PV, under each hazard.
	// Values that do not exist (a ratio without a denominator) are null.
	Approach     SummaryReport `json:"fund_receipts_pv_approach"`
	DistanceOnly SummaryReport `json:"fund_receipts_pv_distance_only"`
	// ChangeUSD is the mean under the approach hazard less the mean
	// under the distance-only one; ChangeShare that over the latter.
	ChangeUSD   Num `json:"change_usd"`
	ChangeShare Num `json:"change_share"`
	// USRecovery is the US recovery ratio's mean under each hazard; null
	// when the terms have no US contribution to recover.
	USRecoveryApproach     Num             `json:"us_recovery_approach"`
	USRecoveryDistanceOnly Num             `json:"us_recovery_distance_only"`
	Projects               []HazardProject `json:"projects"`
}

// HazardProject is one project's annual hazard under each hazard.
type HazardProject struct {
	DepositID          string   `json:"deposit_id"`
	DistanceKm         float64  `json:"distance_km"`
	ApproachKmPerMonth *float64 `json:"approach_km_per_month"`
	HazardDistanceOnly float64  `json:"hazard_distance_only"`
	HazardApproach     float64  `json:"hazard_approach"`
}

// CompareHazard compares a run under the approach hazard with one of the
// same inputs, paths and seed under the distance-only hazard.
func CompareHazard(approach, distance *Result) *HazardComparison {
	a, d := approach.Terms[0], distance.Terms[0]
	am, dm := a.Metrics["fund_receipts_pv"], d.Metrics["fund_receipts_pv"]
	c := &HazardComparison{Terms: a.ID, Approach: Summary(am), DistanceOnly: Summary(dm),
		USRecoveryApproach: Num(a.Metrics["us_recovery"].Mean), USRecoveryDistanceOnly: Num(d.Metrics["us_recovery"].Mean)}
	change := am.Mean - dm.Mean
	c.ChangeUSD, c.ChangeShare = Num(change), Num(math.NaN())
	if dm.Mean != 0 {
		c.ChangeShare = Num(change / dm.Mean)
	}
	hz := map[string]float64{}
	for _, p := range distance.Model.Projects {
		hz[p.DepositID] = p.HazardPY
	}
	for _, p := range approach.Model.Projects {
		c.Projects = append(c.Projects, HazardProject{DepositID: p.DepositID, DistanceKm: p.DistanceKm, ApproachKmPerMonth: p.ApproachKmPerMonth,
			HazardDistanceOnly: hz[p.DepositID], HazardApproach: p.HazardPY})
	}
	return c
}
