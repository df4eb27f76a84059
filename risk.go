package nadra

import (
	"math"
	"sort"
	"strconv"
)

// RiskMeasure says in one sentence how the front-line risk series
// measures distance; every report of it carries the sentence.
const RiskMeasure = "Distances are counted from each deposit's uncertainty circle (its point ± precision_km), not its point: " +
	"the geodesic distance from the point to hostile ground (the nearest occupied or grey area, or the Russian or Belarusian border) less precision_km, " +
	"and 0 when the circle reaches hostile ground. The rate of approach is the change in that distance per month between consecutive snapshots " +
	"(positive: the front came closer), measured on the point, so it goes on while the circle touches hostile ground."

// DaysPerMonth is the mean length of a month in days (365.25 / 12), the
// unit of approach rates.
const DaysPerMonth = 365.25 / 12

// ApproachWindowDays is the window over which the deal model's approach
// hazard, and its fit (internal/mkhazard), measure the rate of approach:
// the snapshot nearest to a quarter before (DepositRisk.ApproachOver). A
// quarter spans three monthly snapshots and follows the front's recent
// moves.
const ApproachWindowDays = 91

// MaxRiskKm is the largest --within-km or watch radius nadra takes: more
// than Ukraine is wide, so every deposit is within it.
const MaxRiskKm = 2000.0

// MaxApproachKmPerMonth is the largest rate a watch may name.
const MaxApproachKmPerMonth = 1000.0

// RiskPoint is one deposit against one control snapshot.
type RiskPoint struct {
	Date   string `json:"date"`
	Status Status `json:"status"`
	// GreyKnown is false when the snapshot's source has no grey zone:
	// contested ground counts as controlled there, so the front looks
	// farther than in a snapshot with one.
	GreyKnown bool `json:"grey_known"`
	// DistanceKm is the distance from the deposit's uncertainty circle to
	// hostile ground: PointKm less the deposit's precision_km, and 0 when
	// that is negative (the circle reaches hostile ground).
	DistanceKm float64 `json:"distance_km"`
	// PointKm is the geodesic distance from the deposit's point to hostile
	// ground; 0 when the point is occupied or grey.
	PointKm float64 `json:"point_km"`
	// ApproachKmPerMonth is how fast the front came closer since the
	// previous snapshot: the previous PointKm less this one, per month
	// (DaysPerMonth); negative when it moved away. nil on the first
	// snapshot, when the point was on hostile ground on both, and when one
	// of the two snapshots has a grey zone and the other none (their
	// distances do not compare).
	ApproachKmPerMonth *float64 `json:"approach_km_per_month"`
}

// DepositRisk is one located deposit's distance to the front over every
// snapshot.
type DepositRisk struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Oblast      string   `json:"oblast"`
	Commodities []string `json:"commodities"`
	Lat         float64  `json:"lat"`
	Lon         float64  `json:"lon"`
	PrecisionKm float64  `json:"precision_km"`
	// Licences are the ids of the licences that cover the deposit.
	Licences []string `json:"licences"`
	// Latest is the last point of Series.
	Latest RiskPoint `json:"latest"`
	// ClosestKm is the smallest DistanceKm of the series, first reached on
	// ClosestDate.
	ClosestKm   float64     `json:"closest_km"`
	ClosestDate string      `json:"closest_date"`
	Series      []RiskPoint `json:"series"`
}

// PointAt returns the point of the series in force on date (the latest
// snapshot on or before it), or false when date is before the first.
func (d *DepositRisk) PointAt(date string) (RiskPoint, bool) {
	i := sort.Search(len(d.Series), func(i int) bool { return d.Series[i].Date > date })
	if i == 0 {
		return RiskPoint{}, false
	}
	return d.Series[i-1], true
}

// LicenceRisk is one licence and where the front stands to its deposit.
type LicenceRisk struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Holder    string `json:"holder"`
	Status    string `json:"status"`
	DepositID string `json:"deposit_id"`
	// Latest is its deposit's latest point (the series is the deposit's);
	// nil when the licence has no located deposit, and Note says why.
	Latest *RiskPoint `json:"latest"`
	Note   string     `json:"note,omitempty"`
}

// RiskReport is the front line's distance to every located deposit and
// licence over every control snapshot.
type RiskReport struct {
	Measure   string   `json:"measure"`
	From      string   `json:"from"`
	To        string   `json:"to"`
	Snapshots int      `json:"snapshots"`
	WithinKm  *float64 `json:"within_km"`
	// Deposits are ordered by their latest distance, closest first.
	Deposits []DepositRisk `json:"deposits"`
	Licences []LicenceRisk `json:"licences"`
	// Unlocated are the deposits without coordinates, so without a series.
	Unlocated []string `json:"unlocated"`
	Notes     []string `json:"notes"`
}

// RiskOptions narrow a RiskReport.
type RiskOptions struct {
	DepositID string   // only this deposit and its licences; "" for all
	WithinKm  *float64 // only deposits whose latest distance is at most this
}

// closer orders deposits closest to the front first: by the latest
// distance from the circle; at the same distance, controlled before grey
// before occupied (a controlled deposit whose circle touches hostile
// ground is the one still at stake), then by the point's distance and id.
func closer(a, b *DepositRisk) bool {
	if a.Latest.DistanceKm != b.Latest.DistanceKm {
		return a.Latest.DistanceKm < b.Latest.DistanceKm
	}
	if ra, rb := statusRank(a.Latest.Status), statusRank(b.Latest.Status); ra != rb {
		return ra < rb
	}
	if a.Latest.PointKm != b.Latest.PointKm {
		return a.Latest.PointKm < b.Latest.PointKm
	}
	return a.ID < b.ID
}

func statusRank(s Status) int {
	switch s {
	case StatusControlled:
		return 0
	case StatusGrey:
		return 1
	}
	return 2
}

// ApproachRate returns the rate of approach in km a month between a
// point prevKm from hostile ground on date prev and curKm on date cur:
// positive when the front came closer. Both distances are rounded to
// 0.01 km first, as reports print them, and the rate to 0.01 km a month.
func ApproachRate(prev, cur string, prevKm, curKm float64) (float64, error) {
	a, err := ParseDate(prev)
	if err != nil {
		return 0, err
	}
	b, err := ParseDate(cur)
	if err != nil {
		return 0, err
	}
	days := b.Sub(a).Hours() / 24
	if days <= 0 {
		return 0, Errorf(EINVALID, "the snapshot of %s is not after %s", cur, prev)
	}
	return Round2((Round2(prevKm) - Round2(curKm)) / (days / DaysPerMonth)), nil
}

// Round2 rounds to two decimals, as distances are reported.
func Round2(v float64) float64 { return math.Round(v*100) / 100 }

// CircleKm returns the distance from an uncertainty circle of radius
// precisionKm around a point pointKm from hostile ground: pointKm less
// the radius, at least 0.
func CircleKm(pointKm, precisionKm float64) float64 {
	return Round2(math.Max(0, Round2(pointKm)-precisionKm))
}

// BuildRiskReport assembles the report from each located deposit's series
// (any order), the licence register and the ids of the deposits without
// coordinates. It returns ENOTFOUND for an unknown opt.DepositID and
// EINVALID when that deposit has no coordinates.
func BuildRiskReport(series []DepositRisk, licences []*Licence, unlocated []string, opt RiskOptions) (*RiskReport, error) {
	rep := &RiskReport{Measure: RiskMeasure, WithinKm: opt.WithinKm, Deposits: []DepositRisk{}, Licences: []LicenceRisk{}, Unlocated: []string{}}
	byID := map[string]*DepositRisk{}
	for i := range series {
		byID[series[i].ID] = &series[i]
	}
	unloc := map[string]bool{}
	for _, id := range unlocated {
		unloc[id] = true
	}
	if opt.DepositID != "" {
		switch {
		case unloc[opt.DepositID]:
			return nil, Errorf(EINVALID, "deposit %q has no coordinates, so no distance to the front; give it lat, lon and precision_km with `nadra import deposits`", opt.DepositID)
		case byID[opt.DepositID] == nil:
			return nil, Errorf(ENOTFOUND, "no deposit %q in the registry", Truncate(opt.DepositID, 80))
		}
	}
	covers := map[string][]string{}
	for _, l := range licences {
		if l.DepositID != "" {
			covers[l.DepositID] = append(covers[l.DepositID], l.ID)
		}
	}
	keep := map[string]bool{}
	for _, d := range series {
		if opt.DepositID != "" && d.ID != opt.DepositID {
			continue
		}
		if opt.WithinKm != nil && d.Latest.DistanceKm > *opt.WithinKm {
			continue
		}
		d.Licences = append([]string{}, covers[d.ID]...)
		sort.Strings(d.Licences)
		rep.Deposits = append(rep.Deposits, d)
		keep[d.ID] = true
	}
	sort.SliceStable(rep.Deposits, func(i, j int) bool { return closer(&rep.Deposits[i], &rep.Deposits[j]) })
	for _, l := range licences {
		lr := LicenceRisk{ID: l.ID, Kind: l.Kind, Holder: l.Holder, Status: l.Status, DepositID: l.DepositID}
		switch d := byID[l.DepositID]; {
		case d != nil && keep[d.ID]:
			p := d.Latest
			lr.Latest = &p
		case d != nil:
			continue // filtered out with its deposit
		case opt.DepositID != "" || opt.WithinKm != nil:
			continue // no distance: not within anything
		case l.DepositID == "":
			lr.Note = "its site is not in the registry"
		case unloc[l.DepositID]:
			lr.Note = "its deposit " + l.DepositID + " has no coordinates"
		default:
			lr.Note = "its deposit " + l.DepositID + " is not in the registry"
		}
		rep.Licences = append(rep.Licences, lr)
	}
	sort.SliceStable(rep.Licences, func(i, j int) bool {
		a, b := rep.Licences[i], rep.Licences[j]
		if (a.Latest == nil) != (b.Latest == nil) {
			return a.Latest != nil
		}
		if a.Latest != nil && a.Latest.DistanceKm != b.Latest.DistanceKm {
			return a.Latest.DistanceKm < b.Latest.DistanceKm
		}
		return a.ID < b.ID
	})
	if opt.DepositID == "" {
		rep.Unlocated = append(rep.Unlocated, unlocated...)
		sort.Strings(rep.Unlocated)
	}
	for _, d := range series {
		for _, p := range d.Series {
			if rep.From == "" || p.Date < rep.From {
				rep.From = p.Date
			}
			if p.Date > rep.To {
				rep.To = p.Date
			}
		}
		rep.Snapshots = max(rep.Snapshots, len(d.Series))
	}
	rep.Notes = []string{RiskMeasure}
	if opt.WithinKm != nil {
		rep.Notes = append(rep.Notes, "Only deposits whose uncertainty circle is within "+strconv.FormatFloat(*opt.WithinKm, 'f', -1, 64)+" km of hostile ground on the latest snapshot, and their licences.")
	}
	rep.Notes = append(rep.Notes,
		"Occupied and grey deposits are at 0 km: they are on hostile ground. `nadra report access` gives their distance to controlled ground.",
		"Snapshots without a grey zone (grey_known false) count contested ground as controlled, so the front looks farther there; no rate is given across a change between the two kinds.",
		"A licence's series is its deposit's.")
	return rep, nil
}

// ApproachOver returns how fast the front approached the deposit's point
// over about days before the snapshot at index i of its series (the last
// when i < 0), in km a month: the point's distance on the snapshot
// nearest to days earlier (between half and twice as long ago) less its
// distance on snapshot i, per month; positive when the front came closer.
// It returns false when no snapshot lies in that window, when the point
// was on hostile ground on either snapshot, or when one of the two has a
// grey zone and the other none. The deal model's approach hazard and its
// fit (internal/mkhazard) both measure the rate this way.
func (d *DepositRisk) ApproachOver(i, days int) (rate float64, from string, ok bool) {
	if i < 0 {
		i = len(d.Series) - 1
	}
	if i < 1 || i >= len(d.Series) || days <= 0 {
		return 0, "", false
	}
	cur := d.Series[i]
	t, err := ParseDate(cur.Date)
	if err != nil {
		return 0, "", false
	}
	best, bestGap := -1, math.Inf(1)
	for j := i - 1; j >= 0; j-- {
		tj, err := ParseDate(d.Series[j].Date)
		if err != nil {
			continue
		}
		ago := t.Sub(tj).Hours() / 24
		if ago < float64(days)/2 || ago > float64(days)*2 {
			continue
		}
		if gap := math.Abs(ago - float64(days)); gap < bestGap {
			best, bestGap = j, gap
		}
	}
	if best < 0 {
		return 0, "", false
	}
	prev := d.Series[best]
	if prev.Status != StatusControlled || cur.Status != StatusControlled || prev.GreyKnown != cur.GreyKnown {
		return 0, "", false
	}
	v, err := ApproachRate(prev.Date, cur.Date, prev.PointKm, cur.PointKm)
	if err != nil {
		return 0, "", false
	}
	return v, prev.Date, true
}
