package nadra

// TimelineShare is one commodity's inaccessible share on one snapshot.
type TimelineShare struct {
	Commodity  string   `json:"commodity"`
	ShareCount *float64 `json:"share_count"` // of located deposits
	ShareValue *float64 `json:"share_value"` // of in-situ value, upper bound
	Located    int      `json:"located"`     // coverage of ShareCount
	Valued     int      `json:"valued"`      // coverage of ShareValue
}

// TimelineRow is one snapshot of the timeline.
type TimelineRow struct {
	Date        string          `json:"date"`
	OccupiedKm2 float64         `json:"occupied_km2"` // since 2022 and before, equal-area
	GreyKm2     *float64        `json:"grey_km2"`     // nil when the snapshot has no grey zone
	Commodities []TimelineShare `json:"commodities"`
	Total       TimelineShare   `json:"total"`

	// Inaccessible lists the located deposits occupied or grey on the
	// snapshot, and Source is the snapshot's source: for the timeline's
	// Start when a slice begins at this row.
	Inaccessible []TimelineDeposit `json:"-"`
	Source       string            `json:"-"`
}

// TimelineDeposit names a deposit in a timeline.
type TimelineDeposit struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Status      Status   `json:"status"`
	Commodities []string `json:"-"`
}

// TimelineStart is what a timeline's first snapshot is, and what the
// timeline cannot see before it: the deposits already occupied or grey on
// it (taken before, on a date the timeline does not know), and the gap to
// the next snapshot, within which ground taken and given back is missed.
type TimelineStart struct {
	Date         string            `json:"date"`
	Source       string            `json:"source"`
	Inaccessible []TimelineDeposit `json:"inaccessible" doc:"Deposits already occupied or grey on the first snapshot: when they were taken is before what the timeline sees, so they are not among its changes."`
	Next         string            `json:"next,omitempty" doc:"The second snapshot: a change between the two is dated only to that interval."`
	Text         string            `json:"text" doc:"The same in plain sentences."`
}

// StatusChange is a deposit changing status between two snapshots.
type StatusChange struct {
	DepositID string `json:"deposit_id"`
	Name      string `json:"name"`
	From      Status `json:"from"`
	To        Status `json:"to"`
	After     string `json:"after"`  // date of the last snapshot with From
	Before    string `json:"before"` // date of the first snapshot with To
	Text      string `json:"text"`
}

// Timeline is the access picture over time.
type Timeline struct {
	From   string         `json:"from"`
	To     string         `json:"to"`
	Rows   []TimelineRow  `json:"rows"`
	Events []StatusChange `json:"events"`
	Notes  []string       `json:"notes"`
	// Start says what the first snapshot is and what the timeline cannot
	// see before it; nil without snapshots.
	Start *TimelineStart `json:"start,omitempty"`
}

// DepositMove is a deposit changing hands under a scenario.
type DepositMove struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Oblast      string   `json:"oblast"`
	Commodities []string `json:"commodities"`
	InSituUSD   *float64 `json:"in_situ_usd"`
	Uncertain   bool     `json:"uncertain"` // under the scenario or the baseline
}

// CommodityMove is the resource value changing hands for one commodity.
type CommodityMove struct {
	Commodity              string   `json:"commodity"`
	Basis                  string   `json:"basis"`
	ToOccupiedDeposits     int      `json:"to_occupied_deposits"`
	ToControlledDeposits   int      `json:"to_controlled_deposits"`
	ToOccupiedContained    *float64 `json:"to_occupied_contained"`
	ToControlledContained  *float64 `json:"to_controlled_contained"`
	ToOccupiedInSituUSD    *float64 `json:"to_occupied_in_situ_usd"`
	ToControlledInSituUSD  *float64 `json:"to_controlled_in_situ_usd"`
	NetToOccupiedInSituUSD *float64 `json:"net_to_occupied_in_situ_usd"`
}

// ScenarioDiff is what changes hands between a baseline and a scenario.
type ScenarioDiff struct {
	Scenario     string          `json:"scenario"`
	Baseline     string          `json:"baseline"`
	ToOccupied   []DepositMove   `json:"to_occupied"`   // controlled in the baseline, occupied under the scenario
	ToControlled []DepositMove   `json:"to_controlled"` // the other way
	ByCommodity  []CommodityMove `json:"by_commodity"`
	// Land changing hands in km² (equal-area, land only: the sea inside the
	// outline is left out).
	ToOccupiedKm2   float64 `json:"to_occupied_km2"`
	ToControlledKm2 float64 `json:"to_controlled_km2"`
	NetKm2          float64 `json:"net_to_occupied_km2"`
}

// ScenarioResult is a scenario's access report and its diff against the
// baseline.
type ScenarioResult struct {
	Scenario *AccessReport `json:"scenario"`
	Diff     ScenarioDiff  `json:"diff"`
}
