package supply

// Change is the difference after − before of a market's metrics. Shares
// are fractions, so a change of −0.017 is −1.7 percentage points.
type Change struct {
	China  *float64 `json:"china_share"` // nil when either side is unknown
	HHI    float64  `json:"hhi"`
	Top3   float64  `json:"top3_share"`
	HHIWGI *float64 `json:"hhi_wgi"`
	// AddedShare is the added supply's share of the new total.
	AddedShare float64 `json:"added_share"`
}

// Comparison is a market before and after adding supply.
type Comparison struct {
	Before Metrics `json:"before"`
	After  Metrics `json:"after"`
	Change Change  `json:"change"`
}

// Compare returns the metrics of before and after and their difference.
func Compare(before, after *Market, wgi map[string]float64) Comparison {
	c := Comparison{Before: Compute(before, wgi), After: Compute(after, wgi)}
	c.Change.HHI = c.After.HHI - c.Before.HHI
	c.Change.Top3 = c.After.Top3 - c.Before.Top3
	if c.Before.China != nil && c.After.China != nil {
		v := *c.After.China - *c.Before.China
		c.Change.China = &v
	}
	if c.Before.HHIWGI != nil && c.After.HHIWGI != nil {
		v := *c.After.HHIWGI - *c.Before.HHIWGI
		c.Change.HHIWGI = &v
	}
	added := 0.0
	for _, a := range after.Added {
		added += a.Quantity
	}
	for _, a := range before.Added {
		added -= a.Quantity
	}
	if t := after.Total(); t > 0 {
		c.Change.AddedShare = added / t
	}
	return c
}
