package supply

import (
	"sort"

	"nadra"
)

// Share is one producer's share of a market, a fraction from 0 to 1.
type Share struct {
	Country string  `json:"country"`
	Share   float64 `json:"share"`
}

// Metrics are the concentration measures of one market.
type Metrics struct {
	Total float64 `json:"total"` // the denominator, in the market's unit
	// Shares of named producers, largest first.
	Shares []Share `json:"shares"`
	// OtherShare is the "other countries" bucket's share.
	OtherShare float64 `json:"other_share"`
	// Unattributed is the part of world output a share-only table does
	// not assign to anyone; 0 for tables with quantities.
	Unattributed float64 `json:"unattributed"`
	// HHI is the Herfindahl-Hirschman index on the 0–10,000 scale over
	// named producers: a lower bound when OtherShare or Unattributed is
	// above 0.
	HHI float64 `json:"hhi"`
	// China is China's share; nil when unknown (a share-only table that
	// does not list China).
	China *float64 `json:"china_share"`
	// Top3 is the share of the three largest named producers.
	Top3 float64 `json:"top3_share"`
	// Top is the largest producer; empty Country when there is none.
	Top Share `json:"top"`
	// HHIWGI is the governance-weighted HHI of the EU method:
	// Σ share² × WGI rescaled to 0–10, over producers with a score. It is
	// on a 0–10 scale (10: one producer with the worst governance). nil
	// when no producer has a score.
	HHIWGI *float64 `json:"hhi_wgi"`
	// WGICoverage is the share of the market's output whose producers
	// have a governance score.
	WGICoverage float64 `json:"wgi_coverage"`
	// NoWGI lists named producers without a governance score.
	NoWGI []string `json:"no_wgi,omitempty"`
}

// ScaleWGI rescales a WGI estimate (about −2.5 to 2.5, higher is better)
// to the EU method's 0 (best) to 10 (worst), clamped to that range.
func ScaleWGI(wgi float64) float64 {
	v := (2.5 - wgi) * 2
	switch {
	case v < 0:
		return 0
	case v > 10:
		return 10
	}
	return v
}

// GovernanceScores returns each country's scaled governance score (0–10,
// see ScaleWGI) from the mean of its six indicators, using the latest year
// on or before year, or the earliest year after it when there is none
// before. It also returns the year used for each country.
func GovernanceScores(gs []*nadra.Governance, year int) (scores map[string]float64, used map[string]int) {
	best := map[string]*nadra.Governance{}
	for _, g := range gs {
		b := best[g.Country]
		switch {
		case b == nil:
			best[g.Country] = g
		case g.Year <= year && (b.Year > year || g.Year > b.Year):
			best[g.Country] = g
		case g.Year > year && b.Year > year && g.Year < b.Year:
			best[g.Country] = g
		}
	}
	scores, used = map[string]float64{}, map[string]int{}
	for c, g := range best {
		scores[c] = ScaleWGI(g.Mean())
		used[c] = g.Year
	}
	return scores, used
}

// Compute returns the metrics of a market. wgi maps countries to scaled
// governance scores (0–10); nil skips the governance-weighted HHI.
func Compute(m *Market, wgi map[string]float64) Metrics {
	var out Metrics
	out.Total = m.Total()
	if out.Total <= 0 {
		return out
	}
	attributed := 0.0
	for _, p := range m.Producers {
		s := p.Quantity / out.Total
		out.Shares = append(out.Shares, Share{Country: p.Country, Share: s})
		attributed += s
	}
	out.OtherShare = m.Other / out.Total
	if m.ShareOnly {
		if u := 1 - attributed - out.OtherShare; u > 0 {
			out.Unattributed = u
		}
	}
	sort.SliceStable(out.Shares, func(i, j int) bool { return out.Shares[i].Share > out.Shares[j].Share })
	out.HHI = HHI(out.Shares)
	for i, s := range out.Shares {
		if i < 3 {
			out.Top3 += s.Share
		}
		if s.Country == China {
			v := s.Share
			out.China = &v
		}
	}
	if out.China == nil && !m.ShareOnly {
		zero := 0.0 // not a listed producer
		out.China = &zero
	}
	if len(out.Shares) > 0 {
		out.Top = out.Shares[0]
	}
	if wgi != nil {
		var sum, cov float64
		n := 0
		for _, s := range out.Shares {
			g, ok := wgi[s.Country]
			if !ok {
				out.NoWGI = append(out.NoWGI, s.Country)
				continue
			}
			sum += s.Share * s.Share * g
			cov += s.Share
			n++
		}
		if n > 0 {
			out.HHIWGI = &sum
		}
		out.WGICoverage = cov
	}
	return out
}

// HHI returns the Herfindahl-Hirschman index of shares (fractions) on the
// 0–10,000 scale: Σ (100 × share)². One producer with everything gives
// 10,000; n equal producers give 10,000 / n.
func HHI(shares []Share) float64 {
	h := 0.0
	for _, s := range shares {
		h += (100 * s.Share) * (100 * s.Share)
	}
	return h
}
