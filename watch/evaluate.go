package watch

import (
	"fmt"
	"sort"
	"strconv"

	"nadra"
)

// Assets returns the located deposits a watch covers, from the risk
// series, with the licence each stands for when the watch is on a
// licence. A deposit or licence without a located deposit covers nothing.
func Assets(w *nadra.Watch, series []nadra.DepositRisk, licences []*nadra.Licence) []Asset {
	var out []Asset
	switch w.Kind {
	case nadra.WatchDeposit:
		for i := range series {
			if series[i].ID == w.Target {
				out = append(out, Asset{Risk: &series[i]})
			}
		}
	case nadra.WatchLicence:
		for _, l := range licences {
			if l.ID != w.Target || l.DepositID == "" {
				continue
			}
			for i := range series {
				if series[i].ID == l.DepositID {
					out = append(out, Asset{Risk: &series[i], LicenceID: l.ID})
				}
			}
		}
	case nadra.WatchCommodity:
		for i := range series {
			for _, c := range series[i].Commodities {
				if c == w.Target {
					out = append(out, Asset{Risk: &series[i]})
					break
				}
			}
		}
	case nadra.WatchOblast:
		for i := range series {
			if series[i].Oblast == w.Target {
				out = append(out, Asset{Risk: &series[i]})
			}
		}
	}
	return out
}

// Asset is one deposit a watch covers.
type Asset struct {
	Risk      *nadra.DepositRisk
	LicenceID string // the licence a licence watch follows
}

// Evaluate returns the events that the snapshots dated after w.Since fire
// for watch w, each against the snapshot before it in the series:
//
//   - within: the distance from the deposit's uncertainty circle falls to
//     w.WithinKm or below, from above it (or from no earlier snapshot);
//   - status: the status differs from the snapshot before (w.StatusChange);
//   - approach: the front approached faster than w.ApproachKmPerMonth.
//
// Events come ordered by date, deposit and kind. series must hold, for
// each snapshot after w.Since, the snapshot before it too.
func Evaluate(w *nadra.Watch, series []nadra.DepositRisk, licences []*nadra.Licence) []nadra.WatchEvent {
	var out []nadra.WatchEvent
	for _, a := range Assets(w, series, licences) {
		s := a.Risk.Series
		for i := range s {
			cur := s[i]
			if cur.Date <= w.Since {
				continue
			}
			var prev *nadra.RiskPoint
			if i > 0 {
				prev = &s[i-1]
			}
			ev := func(kind string, threshold *float64) nadra.WatchEvent {
				e := nadra.WatchEvent{WatchID: w.ID, Kind: kind, DepositID: a.Risk.ID, Name: a.Risk.Name, LicenceID: a.LicenceID,
					Date: cur.Date, Status: cur.Status, DistanceKm: cur.DistanceKm, ApproachKmPerMonth: cur.ApproachKmPerMonth, Threshold: threshold}
				if prev != nil {
					e.Prev, e.PrevStatus, e.PrevDistanceKm = prev.Date, prev.Status, prev.DistanceKm
				}
				e.Message = message(&e)
				return e
			}
			if w.WithinKm != nil && cur.DistanceKm <= *w.WithinKm && (prev == nil || prev.DistanceKm > *w.WithinKm) {
				out = append(out, ev(nadra.EventWithin, w.WithinKm))
			}
			if w.StatusChange && prev != nil && prev.Status != cur.Status {
				out = append(out, ev(nadra.EventStatus, nil))
			}
			if w.ApproachKmPerMonth != nil && cur.ApproachKmPerMonth != nil && *cur.ApproachKmPerMonth > *w.ApproachKmPerMonth {
				out = append(out, ev(nadra.EventApproach, w.ApproachKmPerMonth))
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		if a.DepositID != b.DepositID {
			return a.DepositID < b.DepositID
		}
		return kindOrder(a.Kind) < kindOrder(b.Kind)
	})
	return out
}

func kindOrder(k string) int {
	switch k {
	case nadra.EventWithin:
		return 0
	case nadra.EventStatus:
		return 1
	}
	return 2
}

// message says what happened in one sentence.
func message(e *nadra.WatchEvent) string {
	who := e.Name
	if e.LicenceID != "" {
		who = "licence " + e.LicenceID + " (" + e.Name + ")"
	}
	prev := ""
	if e.Prev != "" {
		prev = fmt.Sprintf(" (%s km on %s)", km(e.PrevDistanceKm), e.Prev)
	}
	switch e.Kind {
	case nadra.EventWithin:
		return fmt.Sprintf("The front is %s km from the uncertainty circle of %s on the snapshot of %s%s: within the watch's %s km.",
			km(e.DistanceKm), who, e.Date, prev, km(*e.Threshold))
	case nadra.EventStatus:
		return fmt.Sprintf("%s: %s → %s between the snapshots of %s and %s; %s km from hostile ground.",
			upperFirst(who), e.PrevStatus, e.Status, e.Prev, e.Date, km(e.DistanceKm))
	}
	return fmt.Sprintf("The front approached %s at %s km a month between the snapshots of %s and %s, faster than the watch's %s km a month; it is %s km from its uncertainty circle%s.",
		who, km(*e.ApproachKmPerMonth), e.Prev, e.Date, km(*e.Threshold), km(e.DistanceKm), prev)
}

func km(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func upperFirst(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
