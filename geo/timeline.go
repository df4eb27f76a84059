package geo

import (
	"fmt"

	"nadra"
)

// Timeline classifies the registry against every snapshot, in date order,
// and reports per snapshot the occupied and grey areas and each
// commodity's inaccessible share by count and by value, and the status
// changes between consecutive snapshots. areas gives each snapshot's
// occupied and grey areas in km² (as stored with the snapshot; grey nil
// when unknown). commodity, if not "", limits the per-commodity columns.
func Timeline(snaps []*nadra.Snapshot, areas map[string][2]*float64, b *nadra.Boundaries, reg Registry, commodity string) *nadra.Timeline {
	tl := &nadra.Timeline{}
	if len(snaps) == 0 {
		return tl
	}
	tl.From, tl.To = snaps[0].Date, snaps[len(snaps)-1].Date
	names := map[string]string{}
	for _, d := range reg.Deposits {
		names[d.ID] = d.Name
	}
	prev := map[string]nadra.Status{}
	prevDate := ""
	figs := DepositFigures(reg)
	for _, s := range snaps {
		rep := access(s.Date, NewClassifier(s, b), reg, figs, AccessOptions{NoDistances: true})
		row := nadra.TimelineRow{Date: s.Date, Total: share(rep.Total)}
		if a, ok := areas[s.Date]; ok {
			if a[0] != nil {
				row.OccupiedKm2 = *a[0]
			}
			row.GreyKm2 = a[1]
		} else {
			row.OccupiedKm2 = Ukraine.AreaKm2(s.Occupied) + Ukraine.AreaKm2(s.Pre2022)
			if s.GreyKnown {
				g := Ukraine.AreaKm2(s.Grey)
				row.GreyKm2 = &g
			}
		}
		for _, r := range rep.ByCommodity {
			if commodity == "" || r.Commodity == commodity {
				row.Commodities = append(row.Commodities, share(r))
			}
		}
		tl.Rows = append(tl.Rows, row)
		for _, d := range rep.Deposits {
			if d.Status == nadra.StatusUnknown {
				continue
			}
			if commodity != "" && !containsStr(d.Commodities, commodity) {
				continue
			}
			if p, ok := prev[d.ID]; ok && p != d.Status {
				tl.Events = append(tl.Events, nadra.StatusChange{DepositID: d.ID, Name: names[d.ID], From: p, To: d.Status,
					After: prevDate, Before: s.Date,
					Text: fmt.Sprintf("%s: %s → %s between %s and %s", names[d.ID], p, d.Status, prevDate, s.Date)})
			}
			prev[d.ID] = d.Status
		}
		prevDate = s.Date
	}
	tl.Notes = []string{
		"Shares are fractions of located deposits (count) and of in-situ value (an upper bound); inaccessible means occupied or grey.",
		"Snapshots without a grey zone (grey_km2 null) count contested ground as controlled.",
		"A status change is dated between the two snapshots that bracket it, not to the day.",
	}
	return tl
}

func share(r nadra.CommodityAccess) nadra.TimelineShare {
	return nadra.TimelineShare{Commodity: r.Commodity, ShareCount: r.ShareCount, ShareValue: r.ShareValue,
		Located: r.Coverage.Located, Valued: r.Coverage.Valued}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// SliceTimeline returns the part of tl from from to to (either "" for no
// bound) for one commodity ("" for all): the same as Timeline over those
// snapshots and that commodity, without classifying again. tl must be a
// timeline of all commodities over reg.
func SliceTimeline(tl *nadra.Timeline, reg Registry, from, to, commodity string) *nadra.Timeline {
	out := &nadra.Timeline{Notes: tl.Notes}
	in := func(date string) bool { return (from == "" || date >= from) && (to == "" || date <= to) }
	for _, r := range tl.Rows {
		if !in(r.Date) {
			continue
		}
		if commodity != "" {
			var cs []nadra.TimelineShare
			for _, c := range r.Commodities {
				if c.Commodity == commodity {
					cs = append(cs, c)
				}
			}
			r.Commodities = cs
		}
		out.Rows = append(out.Rows, r)
	}
	if len(out.Rows) == 0 {
		return out
	}
	out.From, out.To = out.Rows[0].Date, out.Rows[len(out.Rows)-1].Date
	has := map[string]bool{}
	for _, d := range reg.Deposits {
		has[d.ID] = commodity == "" || containsStr(d.Commodities, commodity)
	}
	for _, e := range tl.Events {
		// Both ends are snapshot dates, so an event lies between two
		// consecutive snapshots of the slice exactly when both are in it.
		if e.After >= out.From && e.Before <= out.To && has[e.DepositID] {
			out.Events = append(out.Events, e)
		}
	}
	return out
}
