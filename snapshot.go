package nadra

import (
	"context"
	"fmt"
	"time"

	"github.com/paulmach/orb"
)

// DateLayout is the layout of every date nadra reads and writes.
const DateLayout = "2006-01-02"

// Snapshot is the state of control on one date: three disjoint areas.
type Snapshot struct {
	Date      string           `json:"date"`       // YYYY-MM-DD
	Source    string           `json:"source"`     // where the geometry comes from
	GreyKnown bool             `json:"grey_known"` // false: the source has no grey zone
	Occupied  orb.MultiPolygon `json:"-"`          // occupied since 24 February 2022
	Pre2022   orb.MultiPolygon `json:"-"`          // occupied before 2022
	Grey      orb.MultiPolygon `json:"-"`          // contested
}

// SnapshotInfo describes a snapshot without its geometry.
type SnapshotInfo struct {
	Date       string   `json:"date"`
	Source     string   `json:"source"`
	GreyKnown  bool     `json:"grey_known"`
	OccupiedKm float64  `json:"occupied_km2"` // occupied + occupied before 2022, equal-area
	GreyKm     *float64 `json:"grey_km2"`     // nil when the grey zone is unknown
	ImportID   int64    `json:"import_id"`
}

// ParseDate parses a YYYY-MM-DD date, returning EINVALID when it is not one.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "date %q: %s", s, DateProblem(s))
	}
	return t, nil
}

// DateProblem says what is wrong with s as a date: "expected YYYY-MM-DD"
// when it does not have that shape, or, when it has the shape of a day
// that does not exist, which: "there is no 30 February 2025", "there is
// no month 13". It is for messages; "" when s is a date.
func DateProblem(s string) string {
	if _, err := time.Parse(DateLayout, s); err == nil {
		return ""
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return "expected YYYY-MM-DD"
	}
	digits := func(p string) (int, bool) {
		n := 0
		for _, c := range p {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := digits(s[:4])
	mo, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:])
	switch {
	case !ok1 || !ok2 || !ok3:
		return "expected YYYY-MM-DD"
	case mo < 1 || mo > 12:
		return fmt.Sprintf("there is no month %d; expected YYYY-MM-DD", mo)
	case d < 1:
		return fmt.Sprintf("there is no day %d; expected YYYY-MM-DD", d)
	}
	last := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return fmt.Sprintf("there is no %d %s %d (%s %d has %d days)", d, time.Month(mo), y, time.Month(mo), y, last)
}

// SnapshotService stores control snapshots.
type SnapshotService interface {
	// FindSnapshots lists all snapshots ordered by date.
	FindSnapshots(ctx context.Context) ([]SnapshotInfo, error)
	// FindSnapshotAt returns the latest snapshot on or before date, or
	// ENOTFOUND when there is none.
	FindSnapshotAt(ctx context.Context, date string) (*Snapshot, error)
	// FindSnapshotsIn returns the snapshots dated from from to to
	// (inclusive; "" leaves an end open), with geometry, ordered by date.
	FindSnapshotsIn(ctx context.Context, from, to string) ([]*Snapshot, error)
	// ImportSnapshots adds or replaces snapshots by date in one
	// transaction.
	ImportSnapshots(ctx context.Context, imp Import, snaps []*Snapshot) (ImportResult, error)
}

// Boundaries is the fixed geometry nadra classifies against.
type Boundaries struct {
	Outline orb.MultiPolygon               // Ukraine, including its territorial sea
	Sea     orb.MultiPolygon               // the sea inside Outline
	Oblasts map[string]orb.MultiPolygon    // by ISO 3166-2 code
	Borders map[string]orb.MultiLineString // "RU" and "BY"
}
