package geo

import (
	"fmt"
	"strings"

	"nadra"
)

// Timeline classifies the registry against every snapshot, in date order,
// and reports per snapshot the occupied and grey areas and each
// commodity's inaccessible share by count and by value, and the status
// changes between consecutive snapshots. areas gives each snapshot's
// occupied and grey areas in km² (as stored with the snapshot; grey nil
// when unknown). commodity, if not "", limits the per-commodity columns.
func Timeline(snaps []*nadra.Snapshot, areas map[string][2]*float64, b *nadra.Boundaries, reg Registry, commodity string) *nadra.Timeline {
	tl := &nadra.Timeline{Rows: []nadra.TimelineRow{}, Events: []nadra.StatusChange{}}
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
		row := nadra.TimelineRow{Date: s.Date, Total: share(rep.Total), Source: s.Source}
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
		for _, d := range rep.Deposits {
			if d.Status == nadra.StatusUnknown {
				continue
			}
			if commodity != "" && !containsStr(d.Commodities, commodity) {
				continue
			}
			if d.Status.Inaccessible() {
				row.Inaccessible = append(row.Inaccessible, nadra.TimelineDeposit{ID: d.ID, Name: names[d.ID], Status: d.Status, Commodities: d.Commodities})
			}
			if p, ok := prev[d.ID]; ok && p != d.Status {
				tl.Events = append(tl.Events, nadra.StatusChange{DepositID: d.ID, Name: names[d.ID], From: p, To: d.Status,
					After: prevDate, Before: s.Date,
					Text: fmt.Sprintf("%s: %s → %s between %s and %s", names[d.ID], p, d.Status, prevDate, s.Date)})
			}
			prev[d.ID] = d.Status
		}
		tl.Rows = append(tl.Rows, row)
		prevDate = s.Date
	}
	tl.Start = timelineStart(tl.Rows)
	tl.Notes = []string{
		"Shares are fractions of located deposits (count) and of in-situ value (an upper bound); inaccessible means occupied or grey.",
		"Snapshots without a grey zone (grey_km2 null) count contested ground as controlled.",
		"A status change is dated between the two snapshots that bracket it, not to the day.",
	}
	return tl
}

// timelineStart describes the first of rows: what the timeline starts
// with, and what it cannot see before.
func timelineStart(rows []nadra.TimelineRow) *nadra.TimelineStart {
	if len(rows) == 0 {
		return nil
	}
	first := rows[0]
	st := &nadra.TimelineStart{Date: first.Date, Source: first.Source, Inaccessible: append([]nadra.TimelineDeposit{}, first.Inaccessible...)}
	var b strings.Builder
	fmt.Fprintf(&b, "The timeline's first snapshot is the line of %s", first.Date)
	if first.Source != "" {
		fmt.Fprintf(&b, " (%s)", first.Source)
	}
	b.WriteString(". ")
	switch n := len(st.Inaccessible); n {
	case 0:
		b.WriteString("No located deposit is occupied or grey on it. ")
	default:
		var names []string
		for _, d := range st.Inaccessible {
			names = append(names, d.Name)
		}
		verb := "deposits were"
		if n == 1 {
			verb = "deposit was"
		}
		fmt.Fprintf(&b, "%d %s already occupied or grey on it (%s): they were taken before that date, which this timeline cannot see, so they are counted from the start and are not among the changes. ", n, verb, strings.Join(names, ", "))
	}
	if len(rows) > 1 {
		st.Next = rows[1].Date
		t0, _ := nadra.ParseDate(first.Date)
		t1, _ := nadra.ParseDate(st.Next)
		fmt.Fprintf(&b, "A change shows only where two consecutive snapshots differ: ground taken and given back between them is missed, and a change is dated only to the interval (the first is %s to %s, %d days).",
			first.Date, st.Next, int(t1.Sub(t0).Hours()/24+0.5))
	}
	st.Text = strings.TrimSpace(b.String())
	return st
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
	out := &nadra.Timeline{Notes: tl.Notes, Rows: []nadra.TimelineRow{}, Events: []nadra.StatusChange{}}
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
			var in []nadra.TimelineDeposit
			for _, d := range r.Inaccessible {
				if containsStr(d.Commodities, commodity) {
					in = append(in, d)
				}
			}
			r.Inaccessible = in
		}
		out.Rows = append(out.Rows, r)
	}
	if len(out.Rows) == 0 {
		return out
	}
	out.From, out.To = out.Rows[0].Date, out.Rows[len(out.Rows)-1].Date
	out.Start = timelineStart(out.Rows)
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

// SnapshotAreas returns the occupied and grey areas stored with each
// snapshot, by date, in the form Timeline takes.
func SnapshotAreas(infos []nadra.SnapshotInfo) map[string][2]*float64 {
	areas := make(map[string][2]*float64, len(infos))
	for _, i := range infos {
		occ := i.OccupiedKm
		areas[i.Date] = [2]*float64{&occ, i.GreyKm}
	}
	return areas
}
