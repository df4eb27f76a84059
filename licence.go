package nadra

import (
	"context"
	"strings"
	"time"
)

// Licence kinds: how the state grants the right to use the subsoil.
// Persisted: append only.
const (
	// LicenceSpecialPermit is a special permit for subsoil use (Subsoil
	// Code, art. 16), for geological study, study with pilot mining, or
	// extraction.
	LicenceSpecialPermit = "special_permit"
	// LicencePSA is a production-sharing agreement (Law of Ukraine "On
	// Production Sharing Agreements"); a special permit is issued under it.
	LicencePSA = "psa"
)

// LicenceKinds lists the valid kinds.
var LicenceKinds = []string{LicenceSpecialPermit, LicencePSA}

// Licence statuses, as far as the sources go. Persisted: append only.
const (
	LicenceTendered  = "tendered"  // offered at auction or tender; not granted yet
	LicenceAwarded   = "awarded"   // the auction or tender is won; the permit or PSA not yet issued or signed
	LicenceActive    = "active"    // in force
	LicenceSuspended = "suspended" // stopped by the regulator or a court; may be restored
	LicenceRevoked   = "revoked"   // annulled or taken back before its term ran out
	LicenceExpired   = "expired"   // its term ran out
)

// LicenceStatuses lists the valid statuses; "" means the sources do not say.
var LicenceStatuses = []string{LicenceTendered, LicenceAwarded, LicenceActive, LicenceSuspended, LicenceRevoked, LicenceExpired}

// MinLicenceYear is the earliest year a licence may be granted or end:
// Ukraine's own subsoil permits start with independence.
const MinLicenceYear = 1991

// Licence is a right to use the subsoil: a special permit or a PSA, with
// its holder, the registry deposit it covers and what the sources say of
// its history. Dates are YYYY-MM-DD, or YYYY-MM or YYYY when that is all
// the sources give.
type Licence struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Holder string `json:"holder"`
	// DepositID is the registry deposit the licence covers; "" when its
	// site is not in the registry.
	DepositID string   `json:"deposit_id"`
	Minerals  []string `json:"minerals"` // commodity codes the licence is for
	// Granted is when the right was granted (the auction or tender
	// result, or the permit's issue when that is what the source gives);
	// "" when not granted yet or not known.
	Granted   string `json:"granted"`
	TermYears *int   `json:"term_years"` // nil when not known
	Status    string `json:"status"`     // "" when the sources do not say
	// Ended is when a revoked or expired licence ended; "" when it has
	// not or the date is not known.
	Ended string `json:"ended"`
	// Renewal is true for a renewal or extension of an earlier licence.
	Renewal bool `json:"renewal"`
	// DevelopedAtEntry says whether the site had been developed into a
	// producing mine when the agreement came into force (a mine built and
	// worked counts even if halted that day); nil when not known.
	DevelopedAtEntry *bool    `json:"developed_at_entry"`
	Note             string   `json:"note"`
	Sources          []string `json:"sources"`

	// Origin says where the row came from: "dataset" or the imported
	// file. Set by the store.
	Origin    string    `json:"origin,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Validate returns an EINVALID error "field: problem" for the first bad
// field. commodities is the set of known commodity codes. It does not
// check that the deposit exists; the parser and the store do.
func (l *Licence) Validate(commodities map[string]bool) error {
	switch {
	case len(l.ID) > MaxIDLen:
		return Errorf(EINVALID, "id: %d characters; at most %d allowed", len(l.ID), MaxIDLen)
	case !slugRE.MatchString(l.ID):
		return Errorf(EINVALID, "id: %q is not a slug; expected lowercase letters, digits and single hyphens", Truncate(l.ID, 80))
	case !oneOf(l.Kind, LicenceKinds):
		return Errorf(EINVALID, "kind: %q unknown; expected %s", Truncate(l.Kind, 40), strings.Join(LicenceKinds, " or "))
	case strings.TrimSpace(l.Holder) == "":
		return Errorf(EINVALID, "holder: required; name the holder, or the winner of an award, as the source does")
	case l.DepositID != "" && (len(l.DepositID) > MaxIDLen || !slugRE.MatchString(l.DepositID)):
		return Errorf(EINVALID, "deposit_id: %q is not a deposit id (a slug); leave it empty when the site is not in the registry", Truncate(l.DepositID, 80))
	case len(l.Minerals) == 0:
		return Errorf(EINVALID, "minerals: at least one commodity code required")
	case l.Status != "" && !oneOf(l.Status, LicenceStatuses):
		return Errorf(EINVALID, "status: %q unknown; expected one of %s, or empty when the sources do not say", Truncate(l.Status, 40), strings.Join(LicenceStatuses, ", "))
	case l.TermYears != nil && (*l.TermYears < 1 || *l.TermYears > 100):
		return Errorf(EINVALID, "term_years: %d out of range; expected 1 to 100 years", *l.TermYears)
	}
	for _, f := range []struct {
		field, s string
		max      int
	}{{"holder", l.Holder, MaxNameLen}, {"note", l.Note, MaxNoteLen}} {
		if err := checkLen(f.field, f.s, f.max); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for _, c := range l.Minerals {
		if !commodities[c] {
			return Errorf(EINVALID, "minerals: unknown commodity %q; expected codes of commodities.csv", Truncate(c, 40))
		}
		if seen[c] {
			return Errorf(EINVALID, "minerals: %q listed twice", c)
		}
		seen[c] = true
	}
	var granted, ended dateSpan
	var err error
	if l.Granted != "" {
		if granted, err = licenceDate("granted", l.Granted); err != nil {
			return err
		}
	}
	if l.Ended != "" {
		if ended, err = licenceDate("ended", l.Ended); err != nil {
			return err
		}
	}
	switch {
	case l.Status == LicenceTendered && l.Granted != "":
		return Errorf(EINVALID, "granted: a tendered licence is not granted yet; leave granted empty, or give the status it has now")
	case l.Ended != "" && l.Status != LicenceRevoked && l.Status != LicenceExpired:
		return Errorf(EINVALID, "ended: only a revoked or expired licence has an end; status is %q", l.Status)
	case l.Granted != "" && l.Ended != "" && ended.last.Before(granted.first):
		return Errorf(EINVALID, "ended: %s is before the grant (%s)", l.Ended, l.Granted)
	}
	return validateSources("sources", l.Sources)
}

// HasMineral reports whether the licence is for commodity c.
func (l *Licence) HasMineral(c string) bool { return oneOf(c, l.Minerals) }

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// dateSpan is the run of days a partial date covers: 2025 covers
// 2025-01-01 to 2025-12-31.
type dateSpan struct {
	first, last time.Time
	unit        string // "year", "month" or "day"
}

// parseSpan reads YYYY, YYYY-MM or YYYY-MM-DD.
func parseSpan(s string) (dateSpan, error) {
	if err := ValidatePartialDate(s); err != nil {
		return dateSpan{}, err
	}
	switch len(s) {
	case 4:
		t, _ := time.Parse("2006", s)
		return dateSpan{t, t.AddDate(1, 0, -1), "year"}, nil
	case 7:
		t, _ := time.Parse("2006-01", s)
		return dateSpan{t, t.AddDate(0, 1, -1), "month"}, nil
	}
	t, _ := time.Parse(DateLayout, s)
	return dateSpan{t, t, "day"}, nil
}

// licenceDate reads a licence's granted or ended date.
func licenceDate(field, s string) (dateSpan, error) {
	sp, err := parseSpan(s)
	if err != nil {
		return sp, Errorf(EINVALID, "%s: %s", field, ErrorMessage(err))
	}
	if sp.first.Year() < MinLicenceYear {
		return sp, Errorf(EINVALID, "%s: %s is before %d; Ukraine's subsoil licences start with independence", field, s, MinLicenceYear)
	}
	return sp, nil
}

// ValidateLicenceDate checks a licence date, YYYY, YYYY-MM or YYYY-MM-DD,
// from MinLicenceYear on and not after today (YYYY-MM-DD). Errors are
// EINVALID "field: problem".
func ValidateLicenceDate(field, s, today string) error {
	sp, err := licenceDate(field, s)
	if err != nil {
		return err
	}
	if today != "" {
		t, err := ParseDate(today)
		if err == nil && sp.first.After(t) {
			return Errorf(EINVALID, "%s: %s is in the future (today is %s)", field, s, today)
		}
	}
	return nil
}

// LicenceFilter narrows FindLicences. Zero fields mean "any".
type LicenceFilter struct {
	ID        string
	DepositID string
}

// LicenceService manages the licence register.
type LicenceService interface {
	// FindLicenceByID returns ENOTFOUND if no licence has that id.
	FindLicenceByID(ctx context.Context, id string) (*Licence, error)
	// FindLicences returns matching licences ordered by id.
	FindLicences(ctx context.Context, f LicenceFilter) ([]*Licence, error)
	// ImportLicences adds or updates licences by id in one transaction.
	// Rows equal to what is stored are left alone, so importing the same
	// file twice changes nothing. It returns EINVALID, and changes
	// nothing, for a bad row, an unknown mineral or a deposit id that is
	// not in the registry.
	ImportLicences(ctx context.Context, imp Import, licences []*Licence) (ImportResult, error)
}
