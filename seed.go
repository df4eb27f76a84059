package nadra

import "context"

// Seed is the content of a dataset import: the embedded default dataset.
type Seed struct {
	Version     string
	Commodities []*Commodity
	Deposits    []*Deposit
	Estimates   []*Estimate
	Licences    []*Licence
	Snapshots   []*Snapshot
	// Supply is the supply data; nil leaves the supply tables alone.
	Supply *SupplyData
	// Deals and Scenarios are the catalog (catalog.go).
	Deals     []*DealTerms
	Scenarios []Scenario
}

// SeedState says how a stored row stands against the embedded dataset.
// Values are shown to users and written in JSON: append only.
type SeedState string

// Row states. A row equal to the dataset's has no state: it is not listed.
const (
	// SeedPending: as an older dataset shipped it; the next dataset
	// import updates it.
	SeedPending SeedState = "pending"
	// SeedMissing: the dataset ships it and the database does not have it;
	// the next dataset import adds it.
	SeedMissing SeedState = "missing"
	// SeedEdited: the user imported or changed it, and the dataset ships
	// another value that it has not changed since. The user's value stays.
	SeedEdited SeedState = "edited"
	// SeedConflict: the user imported or changed it, and the dataset has
	// changed it since. The user's value stays until the user decides.
	SeedConflict SeedState = "conflict"
	// SeedWithdrawn: the dataset shipped it and no longer does. Kept when
	// the user changed it or user data refers to it.
	SeedWithdrawn SeedState = "withdrawn"
	// SeedAdded: the user's own row; the dataset does not ship it.
	SeedAdded SeedState = "added"
)

// SeedRow is one stored row that differs from the embedded dataset.
type SeedRow struct {
	// Ref names the row for `nadra dataset accept` and `keep`: kind:key.
	Ref    string      `json:"ref"`
	Kind   string      `json:"kind"` // deposit, estimate, licence, snapshot, production, terms, scenario
	Label  string      `json:"label"`
	State  SeedState   `json:"state"`
	Origin string      `json:"origin,omitempty"` // where the stored row came from; "" when missing
	Fields []SeedField `json:"fields,omitempty"` // what differs, field by field
	Note   string      `json:"note,omitempty"`
}

// SeedField is one field that differs between the dataset and the
// database. A nil value is an absent row or an empty field.
type SeedField struct {
	Field   string `json:"field"`
	Dataset any    `json:"dataset"`
	Stored  any    `json:"stored"`
}

// SeedResult is what a dataset import did.
type SeedResult struct {
	Version  string `json:"version"`
	ImportID int64  `json:"import_id"`
	Inserted int    `json:"inserted"`
	Updated  int    `json:"updated"`
	Removed  int    `json:"removed"` // rows the dataset withdrew that no one had changed
	// Unchanged counts rows equal to the dataset's.
	Unchanged int `json:"unchanged"`
	// Kept lists the rows the import left alone although the dataset
	// differs: the user's edits, conflicts and withdrawn rows kept.
	Kept []SeedRow `json:"kept"`
}

// Conflicts returns the kept rows in state SeedConflict.
func (r *SeedResult) Conflicts() []SeedRow {
	var out []SeedRow
	for _, k := range r.Kept {
		if k.State == SeedConflict {
			out = append(out, k)
		}
	}
	return out
}

// SeedService merges the embedded dataset into a store. Implemented by
// sqlite and postgres, with the same rules (internal/seedmerge): a row the
// user imported or changed is never overwritten, deleted or reordered.
type SeedService interface {
	// SeedVersion returns the version of the dataset last seeded, or "".
	SeedVersion(ctx context.Context) (string, error)
	// ImportSeed imports the dataset in one transaction, as an import of
	// kind "dataset", and records its version. Rows the user imported or
	// changed are left alone and listed in Kept when the dataset differs.
	ImportSeed(ctx context.Context, seed Seed) (*SeedResult, error)
	// DiffSeed lists every stored row that differs from the dataset,
	// changing nothing; with all false it leaves out the user's own rows
	// (SeedAdded).
	DiffSeed(ctx context.Context, seed Seed, all bool) ([]SeedRow, error)
	// AcceptSeed settles rows, named by Ref, in favour of the dataset in
	// one transaction. ENOTFOUND for a ref that names no differing row;
	// ECONFLICT for a withdrawal that user data still refers to.
	AcceptSeed(ctx context.Context, seed Seed, refs []string) (*SeedResult, error)
	// KeepSeed settles rows in favour of the database: each stays as
	// stored and no longer counts as a conflict until the dataset changes
	// it again.
	KeepSeed(ctx context.Context, seed Seed, refs []string) (*SeedResult, error)
}
