package nadra

import (
	"context"
	"math"
	"regexp"
	"strings"
	"time"
)

// Stage is a deposit's development stage. Values are persisted: append only.
type Stage string

// Development stages, from least to most developed, then closed.
const (
	StageOccurrence  Stage = "occurrence"
	StageExplored    Stage = "explored"
	StageLicensed    Stage = "licensed"
	StageTendered    Stage = "tendered"
	StageDevelopment Stage = "development"
	StageProducing   Stage = "producing"
	StageClosed      Stage = "closed"
)

// Stages lists the valid stages in order.
var Stages = []Stage{StageOccurrence, StageExplored, StageLicensed, StageTendered, StageDevelopment, StageProducing, StageClosed}

// Oblasts maps ISO 3166-2:UA codes to English names.
var Oblasts = map[string]string{
	"UA-05": "Vinnytsia", "UA-07": "Volyn", "UA-09": "Luhansk", "UA-12": "Dnipropetrovsk",
	"UA-14": "Donetsk", "UA-18": "Zhytomyr", "UA-21": "Zakarpattia", "UA-23": "Zaporizhzhia",
	"UA-26": "Ivano-Frankivsk", "UA-30": "Kyiv (city)", "UA-32": "Kyiv", "UA-35": "Kirovohrad",
	"UA-40": "Sevastopol", "UA-43": "Crimea", "UA-46": "Lviv", "UA-48": "Mykolaiv",
	"UA-51": "Odesa", "UA-53": "Poltava", "UA-56": "Rivne", "UA-59": "Sumy",
	"UA-61": "Ternopil", "UA-63": "Kharkiv", "UA-65": "Kherson", "UA-68": "Khmelnytskyi",
	"UA-71": "Cherkasy", "UA-74": "Chernihiv", "UA-77": "Chernivtsi",
}

// Deposit is a mineral deposit, ore field or site in the registry.
type Deposit struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	NameUK      string   `json:"name_uk"`
	Oblast      string   `json:"oblast"` // ISO 3166-2 code
	Lat         *float64 `json:"lat"`    // WGS84; nil when unknown
	Lon         *float64 `json:"lon"`
	PrecisionKm *float64 `json:"precision_km"` // how far the point may be from the deposit
	Commodities []string `json:"commodities"`
	Stage       Stage    `json:"stage"` // "" when unknown
	CoordsNote  string   `json:"coords_note"`
	Note        string   `json:"note"`
	Sources     []string `json:"sources"`

	// Origin says where the row came from: "dataset" for the embedded
	// default, or the file it was imported from. Set by the store.
	Origin    string    `json:"origin,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

var (
	slugRE   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	oblastRE = regexp.MustCompile(`^UA-[0-9]{2}$`)
)

// HasLocation reports whether the deposit has coordinates.
func (d *Deposit) HasLocation() bool { return d.Lat != nil && d.Lon != nil }

// Validate returns an EINVALID error naming the first bad field in the
// form "field: problem". commodities is the set of known commodity codes.
func (d *Deposit) Validate(commodities map[string]bool) error {
	switch {
	case len(d.ID) > MaxIDLen:
		return Errorf(EINVALID, "id: %d characters; at most %d allowed", len(d.ID), MaxIDLen)
	case !slugRE.MatchString(d.ID):
		return Errorf(EINVALID, "id: %q is not a slug; expected lowercase letters, digits and single hyphens", d.ID)
	case strings.TrimSpace(d.Name) == "":
		return Errorf(EINVALID, "name: required")
	case !oblastRE.MatchString(d.Oblast) || Oblasts[d.Oblast] == "":
		return Errorf(EINVALID, "oblast: %q is not an ISO 3166-2:UA code such as UA-14", d.Oblast)
	case (d.Lat == nil) != (d.Lon == nil):
		return Errorf(EINVALID, "lat: lat and lon must both be given or both be empty")
	case d.Lat != nil && (math.IsNaN(*d.Lat) || math.IsNaN(*d.Lon)):
		return Errorf(EINVALID, "lat: not a number")
	case d.Lat != nil && (*d.Lat < -90 || *d.Lat > 90):
		return Errorf(EINVALID, "lat: %g out of range; expected -90 to 90", *d.Lat)
	case d.Lon != nil && (*d.Lon < -180 || *d.Lon > 180):
		return Errorf(EINVALID, "lon: %g out of range; expected -180 to 180", *d.Lon)
	case d.Lat != nil && d.PrecisionKm == nil:
		return Errorf(EINVALID, "precision_km: required when lat/lon are given")
	case d.PrecisionKm != nil && !(*d.PrecisionKm > 0 && *d.PrecisionKm <= 500): // NaN fails too
		return Errorf(EINVALID, "precision_km: %g out of range; expected more than 0 and at most 500", *d.PrecisionKm)
	case len(d.Commodities) == 0:
		return Errorf(EINVALID, "commodities: at least one commodity code required")
	case d.Stage != "" && !validStage(d.Stage):
		return Errorf(EINVALID, "stage: %q unknown; expected one of %s or empty", d.Stage, stageList())
	}
	for _, f := range []struct {
		field, s string
		max      int
	}{{"name", d.Name, MaxNameLen}, {"name_uk", d.NameUK, MaxNameLen}, {"coords_note", d.CoordsNote, MaxNoteLen}, {"note", d.Note, MaxNoteLen}} {
		if err := checkLen(f.field, f.s, f.max); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for _, c := range d.Commodities {
		if !commodities[c] {
			return Errorf(EINVALID, "commodities: unknown commodity %q", c)
		}
		if seen[c] {
			return Errorf(EINVALID, "commodities: %q listed twice", c)
		}
		seen[c] = true
	}
	return validateSources("sources", d.Sources)
}

// HasCommodity reports whether the deposit lists commodity c.
func (d *Deposit) HasCommodity(c string) bool {
	for _, x := range d.Commodities {
		if x == c {
			return true
		}
	}
	return false
}

func validStage(s Stage) bool {
	for _, x := range Stages {
		if x == s {
			return true
		}
	}
	return false
}

func stageList() string {
	var s []string
	for _, x := range Stages {
		s = append(s, string(x))
	}
	return strings.Join(s, ", ")
}

// DepositFilter narrows FindDeposits. Zero fields mean "any".
type DepositFilter struct {
	ID        string
	Commodity string
	Oblast    string
	Query     string // case-insensitive substring of name or name_uk
	Offset    int
	Limit     int // 0 means no limit
}

// DepositService manages deposits and their estimates.
type DepositService interface {
	// FindDepositByID returns ENOTFOUND if no deposit has that id.
	FindDepositByID(ctx context.Context, id string) (*Deposit, error)
	// FindDeposits returns matching deposits ordered by id, and the total
	// number of matches ignoring Offset and Limit.
	FindDeposits(ctx context.Context, f DepositFilter) ([]*Deposit, int, error)
	// FindEstimates returns the estimates of one deposit, or of all
	// deposits when depositID is "", ordered by deposit and row.
	FindEstimates(ctx context.Context, depositID string) ([]*Estimate, error)
	// ImportDeposits adds or updates deposits in one transaction. It
	// returns EINVALID for a bad row and changes nothing then.
	ImportDeposits(ctx context.Context, imp Import, deposits []*Deposit) (ImportResult, error)
	// ImportEstimates adds estimates in one transaction, replacing the
	// rows that a previous import of the same figures wrote. EINVALID for
	// an unknown deposit, commodity or category.
	ImportEstimates(ctx context.Context, imp Import, estimates []*Estimate) (ImportResult, error)
}

// Import describes one import for provenance.
type Import struct {
	Kind   string // "deposits", "estimates", "control", "dataset"
	File   string // the path the user gave
	SHA256 string // of the file's bytes
}

// ImportResult counts what an import did.
type ImportResult struct {
	ImportID  int64 `json:"import_id"`
	Inserted  int   `json:"inserted"`
	Updated   int   `json:"updated"`
	Unchanged int   `json:"unchanged"`
}
