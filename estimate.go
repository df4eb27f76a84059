package nadra

import (
	"math"
	"strconv"
	"strings"
)

// GradeUnit is the unit of an estimate's grade.
type GradeUnit string

// Grade units. Persisted: append only.
const (
	GradePct GradeUnit = "pct"
	GradeGPT GradeUnit = "g/t"
	GradePPM GradeUnit = "ppm"
)

// Estimate is one published resource figure, as published.
type Estimate struct {
	DepositID  string    `json:"deposit_id"`
	Commodity  string    `json:"commodity"`
	OreMt      *float64  `json:"ore_mt"` // million tonnes of ore
	Grade      *float64  `json:"grade"`
	GradeUnit  GradeUnit `json:"grade_unit"`
	ContainedT *float64  `json:"contained_t"` // tonnes of Basis
	Basis      string    `json:"basis"`
	Category   string    `json:"category"` // as published, e.g. "B+C1+C2"
	Year       *int      `json:"year"`
	Note       string    `json:"note"`
	Source     []string  `json:"source"`
}

// Validate returns an EINVALID error "field: problem" for the first bad
// field. commodities is the set of known commodity codes.
func (e *Estimate) Validate(commodities map[string]bool) error {
	switch {
	case len(e.DepositID) > MaxIDLen:
		return Errorf(EINVALID, "deposit_id: %d characters; at most %d allowed", len(e.DepositID), MaxIDLen)
	case !slugRE.MatchString(e.DepositID):
		return Errorf(EINVALID, "deposit_id: %q is not a deposit id", e.DepositID)
	case !commodities[e.Commodity]:
		return Errorf(EINVALID, "commodity: unknown commodity %q", e.Commodity)
	case Bases[e.Basis].Code == "":
		return Errorf(EINVALID, "basis: unknown basis %q", e.Basis)
	case e.OreMt == nil && e.Grade == nil && e.ContainedT == nil:
		return Errorf(EINVALID, "ore_mt: at least one of ore_mt, grade and contained_t is required")
	case e.OreMt != nil && !(*e.OreMt > 0):
		return Errorf(EINVALID, "ore_mt: must be positive")
	case e.ContainedT != nil && !(*e.ContainedT > 0):
		return Errorf(EINVALID, "contained_t: must be positive")
	case e.Grade != nil && !(*e.Grade > 0):
		return Errorf(EINVALID, "grade: must be positive")
	case e.Grade != nil && e.GradeUnit != GradePct && e.GradeUnit != GradeGPT && e.GradeUnit != GradePPM:
		return Errorf(EINVALID, "grade_unit: %q unknown; expected pct, g/t or ppm", e.GradeUnit)
	case e.Grade != nil && e.GradeUnit == GradePct && *e.Grade > 100:
		return Errorf(EINVALID, "grade: %g%% is over 100%%", *e.Grade)
	case e.Grade != nil && *e.Grade > 1e6:
		return Errorf(EINVALID, "grade: %g %s is over 100%%", *e.Grade, e.GradeUnit)
	case e.OreMt != nil && *e.OreMt > MaxQuantity/1e6:
		return Errorf(EINVALID, "ore_mt: %g Mt is more than %g Mt, not a plausible deposit", *e.OreMt, MaxQuantity/1e6)
	case e.ContainedT != nil && *e.ContainedT > MaxQuantity:
		return Errorf(EINVALID, "contained_t: %g t is more than %g t, not a plausible deposit", *e.ContainedT, MaxQuantity)
	case e.Year != nil && (*e.Year < 1900 || *e.Year > 2100):
		return Errorf(EINVALID, "year: %d out of range", *e.Year)
	}
	if err := checkLen("note", e.Note, MaxNoteLen); err != nil {
		return err
	}
	if _, err := ParseCategory(e.Category); err != nil {
		return Errorf(EINVALID, "category: %s", err.(*Error).Message)
	}
	return validateSources("source", e.Source)
}

// OreBases are the bases that count the ore itself (iron ore, manganese
// ore): for them the ore tonnage is the contained quantity.
var OreBases = map[string]bool{"Fe_ore": true, "Mn_ore": true}

// Contained returns the contained quantity in tonnes of the estimate's
// basis: the published contained_t if given, otherwise ore × grade, or
// for an ore basis (OreBases) the ore tonnage. It reports false when
// none is available.
func (e *Estimate) Contained() (float64, bool) {
	if e.ContainedT != nil {
		return *e.ContainedT, true
	}
	if e.OreMt != nil && OreBases[e.Basis] {
		return *e.OreMt * 1e6, true
	}
	if e.OreMt == nil || e.Grade == nil {
		return 0, false
	}
	ore := *e.OreMt * 1e6
	switch e.GradeUnit {
	case GradePct:
		return ore * *e.Grade / 100, true
	case GradeGPT, GradePPM: // g/t and ppm are both 1e-6 by mass
		return ore * *e.Grade * 1e-6, true
	}
	return 0, false
}

// ContainedIn returns the contained quantity converted to basis, or false
// when it is unknown or does not convert.
func (e *Estimate) ContainedIn(basis string) (float64, bool) {
	q, ok := e.Contained()
	if !ok {
		return 0, false
	}
	v, ok := ConvertBasis(q, e.Basis, basis)
	if !ok || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// Key identifies a published figure: deposit, commodity, basis, category,
// year and source. Importing a row with the same key replaces the figure,
// so importing a file twice changes nothing; two rows of one file with the
// same key are an error.
func (e *Estimate) Key() string {
	y := ""
	if e.Year != nil {
		y = strconv.Itoa(*e.Year)
	}
	return strings.Join([]string{e.DepositID, e.Commodity, e.Basis, e.Category, y, strings.Join(e.Source, " | ")}, "\x1f")
}
