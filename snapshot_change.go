package nadra

import (
	"math"
	"time"

	"nadra/internal/numfmt"
)

// How much the occupied area (occupied plus occupied before 2022) may
// plausibly change between two snapshots d days apart: ChangeFloorKm2 +
// ChangeKm2PerDay·d, or, when the earlier of the two is dated before
// InvasionPhaseEnd, InvasionFloorKm2 + InvasionKm2PerDay·d. `nadra import
// control` refuses a snapshot that differs from the stored snapshot just
// before or just after its date by more, unless forced.
//
// Calibration: the real history never trips it. Every pair of days of
// liveuamap's daily series (shared/data/geo, 2022-02-20 to 2025-01-16)
// and every pair of the embedded dataset's snapshots passes:
//   - since 3 April 2022, when Russia's withdrawal from the north was
//     complete and DeepState's map history begins, the steepest change is
//     −20,699 km² in 3 days (liveuamap, the Kharkiv counteroffensive,
//     8–11 September 2022); a floor of 20,000 km² needs 233 km² a day on
//     top, and 300 leaves a margin. DeepState draws smaller swings: its largest
//     change between consecutive monthly snapshots is +14,142 km² in 28
//     days (2022-04-03 to 2022-05-01).
//   - the invasion's opening weeks are an order of magnitude faster:
//     +27,176 km² on 24 February 2022 and +98,091 km² in its first 23
//     days, covered by 30,000 km² plus 3,000 km² a day.
//
// So a snapshot with a layer missing (some 44,000 km² occupied before 2022)
// or emptied (about 110,000 km²) next to a stored snapshot a month away is
// refused. The grey zone is not checked: DeepState redrew it wholesale
// (5,592 km² on 2022-04-03, 855 km² on 2022-05-01), so a bound the real
// history never trips would exceed the whole grey zone on most dates.
const (
	ChangeFloorKm2    = 20_000
	ChangeKm2PerDay   = 300
	InvasionFloorKm2  = 30_000
	InvasionKm2PerDay = 3_000
)

// InvasionPhaseEnd is the date from which the tighter bound applies.
var InvasionPhaseEnd = time.Date(2022, 4, 3, 0, 0, 0, 0, time.UTC)

// MaxOccupiedChangeKm2 returns the largest plausible change of the
// occupied area in km² between snapshots of dates a and b.
func MaxOccupiedChangeKm2(a, b time.Time) float64 {
	if b.Before(a) {
		a, b = b, a
	}
	days := math.Round(b.Sub(a).Hours() / 24)
	if a.Before(InvasionPhaseEnd) {
		return InvasionFloorKm2 + InvasionKm2PerDay*days
	}
	return ChangeFloorKm2 + ChangeKm2PerDay*days
}

// CheckOccupiedChange returns an EINVALID error, naming both figures, when
// the occupied area of s differs from that of prev or next (the stored
// snapshots just before and just after s's date; nil when there is none)
// by more than MaxOccupiedChangeKm2.
func CheckOccupiedChange(s SnapshotInfo, prev, next *SnapshotInfo) error {
	t, err := ParseDate(s.Date)
	if err != nil {
		return err
	}
	for _, n := range []*SnapshotInfo{prev, next} {
		if n == nil {
			continue
		}
		tn, err := ParseDate(n.Date)
		if err != nil {
			return err
		}
		days := int(math.Round(math.Abs(t.Sub(tn).Hours()) / 24))
		change := s.OccupiedKm - n.OccupiedKm
		if max := MaxOccupiedChangeKm2(t, tn); math.Abs(change) > max {
			return Errorf(EINVALID, "the occupied area of %s, %s km², is implausible beside the stored snapshot of %s, %s km²: a change of %s%s km² in %s, where at most %s km² is plausible",
				s.Date, numfmt.Thousands(s.OccupiedKm), n.Date, numfmt.Thousands(n.OccupiedKm), sign(change), numfmt.Thousands(change), plural(days, "day"), numfmt.Thousands(max))
		}
	}
	return nil
}

func sign(v float64) string {
	if v > 0 {
		return "+"
	}
	return ""
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return numfmt.Thousands(float64(n)) + " " + unit + "s"
}
