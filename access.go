package nadra

import (
	"sort"
	"strconv"
)

// Status is a deposit's control status on a date. Persisted and sent over
// the wire: append only.
type Status string

// Control statuses.
const (
	StatusControlled Status = "controlled" // Ukrainian-controlled ground
	StatusOccupied   Status = "occupied"
	StatusGrey       Status = "grey"    // contested, status unknown
	StatusUnknown    Status = "unknown" // the deposit has no coordinates
)

// Values of DepositAccess.Since.
const (
	Since2022   = "2022"
	SinceBefore = "before 2022"
)

// Inaccessible reports whether a status puts a deposit out of Ukraine's
// reach: occupied or contested.
func (s Status) Inaccessible() bool { return s == StatusOccupied || s == StatusGrey }

// DepositAccess is one deposit's line in the access report.
type DepositAccess struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Oblast      string   `json:"oblast"`
	Lat         *float64 `json:"lat"`
	Lon         *float64 `json:"lon"`
	PrecisionKm *float64 `json:"precision_km"`
	Status      Status   `json:"status"`
	Since       *string  `json:"since"` // "2022" or "before 2022" when occupied
	// DistanceKm is the geodesic distance to hostile ground (the nearest
	// occupied or grey area, or the Russian or Belarusian border) for a
	// controlled deposit, and to Ukrainian-controlled ground for an
	// occupied or grey one. nil without coordinates.
	DistanceKm *float64 `json:"distance_km"`
	// Uncertain is true when DistanceKm < PrecisionKm: the point's own
	// error could flip the status.
	Uncertain   bool     `json:"uncertain"`
	Commodities []string `json:"commodities"`
	// InSituUSD is the sum over commodities of contained × price: an
	// upper bound on value, nil when no figure can be priced.
	InSituUSD *float64 `json:"in_situ_usd"`
}

// Coverage says how many deposits a row's figures rest on.
type Coverage struct {
	Deposits  int `json:"deposits"`  // all deposits in the row
	Located   int `json:"located"`   // with coordinates, so with a status
	Contained int `json:"contained"` // located and with a contained quantity
	Valued    int `json:"valued"`    // located and with a priced contained quantity
	Uncertain int `json:"uncertain"` // located and uncertain
}

// CommodityAccess is one row of the access report. Shares are fractions
// (0–1) of what is known; nil means unknown, never zero.
type CommodityAccess struct {
	Commodity             string   `json:"commodity"`
	Basis                 string   `json:"basis,omitempty"` // of contained quantities
	Deposits              int      `json:"deposits"`
	InaccessibleDeposits  int      `json:"inaccessible_deposits"`
	ShareCount            *float64 `json:"share_count"`
	Contained             *float64 `json:"contained"` // tonnes of Basis
	InaccessibleContained *float64 `json:"inaccessible_contained"`
	ShareContained        *float64 `json:"share_contained"`
	InSituUSD             *float64 `json:"in_situ_usd"` // upper bound
	InaccessibleInSituUSD *float64 `json:"inaccessible_in_situ_usd"`
	ShareValue            *float64 `json:"share_value"`
	Coverage              Coverage `json:"coverage"`
}

// AccessReport says how much of the registry lies behind the front line on
// a date.
type AccessReport struct {
	Date        string            `json:"date"`
	Class       string            `json:"class,omitempty"` // the commodity class the report is limited to, "" for all
	Snapshot    string            `json:"snapshot"`        // date of the snapshot used
	GreyKnown   bool              `json:"grey_known"`
	Deposits    []DepositAccess   `json:"deposits"`
	ByCommodity []CommodityAccess `json:"by_commodity"`
	Total       CommodityAccess   `json:"total"`
	Notes       []string          `json:"notes"`
}

// Headline is the contained quantity nadra uses for one deposit and
// commodity when several figures are published.
type Headline struct {
	Quantity float64     // tonnes of the requested basis
	Figures  []*Estimate // the rows it rests on
}

// HeadlineContained picks one contained quantity, in basis, from the
// published figures of one deposit and commodity:
//
//   - figures that cannot give a contained quantity in basis are skipped;
//   - figures with the same year and source whose categories do not
//     overlap (B+C1 and C2, say) are parts of one estimate and are added;
//   - of the resulting estimates the most recent is taken (undated ones
//     rank last), and of equally recent ones the largest.
//
// Published figures for one deposit are usually nested or successive
// (a C1 figure inside a C1+C2 total; a 2018 figure revised in 2025), so
// summing all of them would double count. It reports false when no figure
// gives a quantity.
func HeadlineContained(estimates []*Estimate, basis string) (Headline, bool) {
	type group struct {
		year    int
		key     string
		sum     float64
		atoms   map[string]bool
		figures []*Estimate
		clash   bool
	}
	groups := map[string]*group{}
	var order []string
	for _, e := range estimates {
		q, ok := e.ContainedIn(basis)
		if !ok {
			continue
		}
		y := 0
		if e.Year != nil {
			y = *e.Year
		}
		key := strconv.Itoa(y) + "\x1f" + joinSources(e.Source)
		g := groups[key]
		if g == nil {
			g = &group{year: y, key: key, atoms: map[string]bool{}}
			groups[key] = g
			order = append(order, key)
		}
		atoms, _ := ParseCategory(e.Category)
		overlap := false
		for _, a := range atoms {
			if g.atoms[a.Code] || a.Code == "unspecified" {
				overlap = true
			}
		}
		if overlap && len(g.figures) > 0 {
			// Not parts of one estimate: keep the larger figure alone.
			if q > g.sum {
				g.sum, g.figures = q, []*Estimate{e}
			}
			g.clash = true
			continue
		}
		for _, a := range atoms {
			g.atoms[a.Code] = true
		}
		g.sum += q
		g.figures = append(g.figures, e)
	}
	if len(groups) == 0 {
		return Headline{}, false
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := groups[order[i]], groups[order[j]]
		if a.year != b.year {
			return a.year > b.year
		}
		return a.sum > b.sum
	})
	best := groups[order[0]]
	return Headline{Quantity: best.sum, Figures: best.figures}, true
}

func joinSources(s []string) string {
	out := ""
	for _, x := range s {
		out += x + "\x1e"
	}
	return out
}
