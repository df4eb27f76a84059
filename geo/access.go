package geo

import (
	"fmt"
	"math"
	"sort"

	"nadra"

	"github.com/paulmach/orb"
)

// Registry is what the access report reads besides geometry.
type Registry struct {
	Deposits    []*nadra.Deposit
	Estimates   []*nadra.Estimate
	Commodities []*nadra.Commodity
}

// Access builds the access report for date against classifier c: each
// deposit's status, distance and uncertainty, and the shares inaccessible
// per commodity and in total, by count, contained quantity and in-situ
// value, each with its coverage.
func Access(date string, c *Classifier, reg Registry) *nadra.AccessReport {
	snap := c.Snapshot()
	rep := &nadra.AccessReport{Date: date, Snapshot: snap.Date, GreyKnown: snap.GreyKnown}
	comm := map[string]*nadra.Commodity{}
	for _, k := range reg.Commodities {
		comm[k.Code] = k
	}
	byDep := map[string][]*nadra.Estimate{}
	for _, e := range reg.Estimates {
		byDep[e.DepositID] = append(byDep[e.DepositID], e)
	}

	type val struct {
		contained, usd *float64
	}
	rows := map[string]*nadra.CommodityAccess{}
	row := func(code string) *nadra.CommodityAccess {
		r := rows[code]
		if r == nil {
			r = &nadra.CommodityAccess{Commodity: code}
			if k := comm[code]; k != nil {
				r.Basis = k.Basis
			}
			rows[code] = r
		}
		return r
	}
	total := &nadra.CommodityAccess{Commodity: "total"}

	for _, d := range reg.Deposits {
		da := nadra.DepositAccess{ID: d.ID, Name: d.Name, Oblast: d.Oblast, Lat: d.Lat, Lon: d.Lon,
			PrecisionKm: d.PrecisionKm, Status: nadra.StatusUnknown, Commodities: d.Commodities}
		if d.HasLocation() {
			p := orb.Point{*d.Lon, *d.Lat}
			st, since := c.Status(p)
			da.Status = st
			if since != "" {
				da.Since = &since
			}
			var km float64
			if st == nadra.StatusControlled {
				km = c.HostileKm(p)
			} else {
				km = c.ControlledKm(p)
			}
			if !math.IsInf(km, 0) {
				km = math.Round(km*100) / 100
				da.DistanceKm = &km
				da.Uncertain = d.PrecisionKm != nil && km < *d.PrecisionKm
			}
		}

		// Commodities: those listed, plus any with estimates.
		codes := append([]string{}, d.Commodities...)
		for _, e := range byDep[d.ID] {
			if !contains(codes, e.Commodity) {
				codes = append(codes, e.Commodity)
			}
		}
		var depUSD *float64
		depContained := false
		for _, code := range codes {
			r := row(code)
			r.Deposits++
			r.Coverage.Deposits++
			if da.Status == nadra.StatusUnknown {
				continue
			}
			r.Coverage.Located++
			if da.Uncertain {
				r.Coverage.Uncertain++
			}
			inacc := da.Status.Inaccessible()
			if inacc {
				r.InaccessibleDeposits++
			}
			k := comm[code]
			if k == nil {
				continue
			}
			var ests []*nadra.Estimate
			for _, e := range byDep[d.ID] {
				if e.Commodity == code {
					ests = append(ests, e)
				}
			}
			h, ok := nadra.HeadlineContained(ests, k.Basis)
			if !ok {
				continue
			}
			r.Coverage.Contained++
			depContained = true
			r.Contained = add(r.Contained, h.Quantity)
			r.InaccessibleContained = add(r.InaccessibleContained, 0)
			if inacc {
				r.InaccessibleContained = add(r.InaccessibleContained, h.Quantity)
			}
			if k.PriceUSDPerT == nil {
				continue
			}
			usd := h.Quantity * *k.PriceUSDPerT
			r.Coverage.Valued++
			r.InSituUSD = add(r.InSituUSD, usd)
			r.InaccessibleInSituUSD = add(r.InaccessibleInSituUSD, 0)
			if inacc {
				r.InaccessibleInSituUSD = add(r.InaccessibleInSituUSD, usd)
			}
			depUSD = add(depUSD, usd)
		}
		da.InSituUSD = depUSD

		total.Deposits++
		total.Coverage.Deposits++
		if da.Status != nadra.StatusUnknown {
			total.Coverage.Located++
			if da.Uncertain {
				total.Coverage.Uncertain++
			}
			if da.Status.Inaccessible() {
				total.InaccessibleDeposits++
			}
			if depContained {
				total.Coverage.Contained++
			}
			if depUSD != nil {
				total.Coverage.Valued++
				total.InSituUSD = add(total.InSituUSD, *depUSD)
				total.InaccessibleInSituUSD = add(total.InaccessibleInSituUSD, 0)
				if da.Status.Inaccessible() {
					total.InaccessibleInSituUSD = add(total.InaccessibleInSituUSD, *depUSD)
				}
			}
		}
		rep.Deposits = append(rep.Deposits, da)
	}

	codes := make([]string, 0, len(rows))
	for code := range rows {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		r := rows[code]
		finishShares(r)
		rep.ByCommodity = append(rep.ByCommodity, *r)
	}
	finishShares(total)
	total.Contained, total.InaccessibleContained, total.ShareContained = nil, nil, nil // mixed units
	rep.Total = *total

	rep.Notes = append(rep.Notes,
		"Inaccessible means occupied (since 2022 or before) or in the grey zone on the snapshot date.",
		"Shares are over deposits with coordinates; coverage says how many deposits each figure rests on.",
		"In-situ value is contained quantity × price: an upper bound, not recoverable value.",
		"Contained quantity per deposit is its most recent published figure (parts of one estimate added); see nadra.HeadlineContained.",
	)
	if !snap.GreyKnown {
		rep.Notes = append(rep.Notes, fmt.Sprintf("The snapshot of %s has no grey zone: contested areas are unknown, not absent, and count as controlled here.", snap.Date))
	}
	for _, k := range reg.Commodities {
		if k.PriceUSDPerT == nil && rows[k.Code] != nil && rows[k.Code].Coverage.Contained > 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("No price for %s, so its value is unknown.", k.Code))
		}
	}
	return rep
}

func finishShares(r *nadra.CommodityAccess) {
	if r.Coverage.Located > 0 {
		s := float64(r.InaccessibleDeposits) / float64(r.Coverage.Located)
		r.ShareCount = &s
	}
	r.ShareContained = ratio(r.InaccessibleContained, r.Contained)
	r.ShareValue = ratio(r.InaccessibleInSituUSD, r.InSituUSD)
}

func ratio(a, b *float64) *float64 {
	if a == nil || b == nil || *b == 0 {
		return nil
	}
	v := *a / *b
	return &v
}

func add(p *float64, v float64) *float64 {
	if p == nil {
		return &v
	}
	s := *p + v
	return &s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
