package deal

import (
	"sort"

	"nadra"
	"nadra/montecarlo"
)

// Recorded is one year of what the ledger records of the fund's receipts
// from Ukraine's revenue share, in US dollars at the entries' own rates.
type Recorded struct {
	Year int `json:"year"`
	// Series says what was recorded: SeriesDue, the terms' share of the
	// eligible receipts the state recorded; or SeriesPaid, the transfers
	// into the fund.
	Series string  `json:"series"`
	USD    float64 `json:"usd"`
}

// Recorded series. Sent over the wire: append only.
const (
	SeriesDue      = "due"      // what the state's recorded receipts make due to the fund
	SeriesPaid     = "paid"     // transferred to the fund, per UA's books
	SeriesReceived = "received" // received by the fund, per the US books
)

// PlanActualReport is the recorded receipts beside the simulated fan,
// for the first set of terms: what "nadra simulate" prints and
// POST /api/v1/simulate returns as plan_against_actual.
type PlanActualReport struct {
	Journal     string       `json:"journal" doc:"Which journal the recorded figures come from: log (signed by the parties) or public (public figures, unsigned)."`
	Terms       string       `json:"terms"`
	Years       []PlanActual `json:"years" doc:"Each recorded figure, placed among the simulated paths of its year."`
	Assumptions []string     `json:"assumptions"`
}

// PlanAssumptions says how recorded and simulated figures compare.
func PlanAssumptions(s Settings) []string {
	basis := "real US dollars at the model's 2023–25 price level"
	if s.Nominal {
		basis = "nominal US dollars"
	}
	return []string{
		"Simulated: the fund's receipts from Ukraine's revenue share in each year, undiscounted, in " + basis + ".",
		"Recorded: nominal US dollars at each ledger entry's own exchange rate, not deflated to the model's price level.",
		"Due: the terms' share of the state's recorded receipts from eligible licences (the licence register decides); paid and received: the transfers into the fund in each party's books.",
		"A year with no entry in a series is not shown: no record is not a zero.",
		"Percentile: the share of simulated paths below the recorded figure, ties counted half. Receipts the model has no stream for (permit sales, with no sourced amounts) fall above its fan.",
	}
}

// PlanActual places one recorded figure among the simulated paths of the
// same year: where the real path falls in the fan.
type PlanActual struct {
	Year     int     `json:"year"`
	Series   string  `json:"series"`
	Recorded float64 `json:"recorded_usd"`
	// InModel is false for a year outside the model's horizon; then the
	// fields below are zero.
	InModel bool `json:"in_model"`
	// Percentile is the share of paths whose receipts that year are below
	// the recorded figure, ties counted half (the mid-rank), in [0, 1].
	Percentile float64 `json:"percentile"`
	Below      int     `json:"paths_below"`
	Equal      int     `json:"paths_equal"`
	Paths      int     `json:"paths"`
	P5         float64 `json:"p5"`
	P50        float64 `json:"p50"`
	P95        float64 `json:"p95"`
}

// PlaceRecorded places each recorded figure among the paths of the k-th
// set of terms, for the same year. The simulated figure is the fund's
// receipts from Ukraine's revenue share in that year, undiscounted, in the
// run's basis (real dollars at the model's price level unless the run is
// nominal); the recorded one is nominal dollars at the entries' own rates:
// the caller says so.
func (r *Result) PlaceRecorded(k int, rec []Recorded) []PlanActual {
	m := r.Model
	w := m.Width()
	out := make([]PlanActual, 0, len(rec))
	for _, x := range rec {
		p := PlanActual{Year: x.Year, Series: x.Series, Recorded: x.USD}
		y := x.Year - m.Settings.StartYear
		if y < 0 || y >= m.Years || r.Results == nil || r.Results.Paths == 0 {
			out = append(out, p)
			continue
		}
		p.InModel = true
		col := k*w + ColYears + y
		vals := make([]float64, r.Results.Paths)
		for i := range vals {
			v := r.Results.Data[i*r.Results.Width+col]
			vals[i] = v
			switch {
			case v < x.USD:
				p.Below++
			case v == x.USD:
				p.Equal++
			}
		}
		p.Paths = len(vals)
		p.Percentile = (float64(p.Below) + float64(p.Equal)/2) / float64(p.Paths)
		// The same quantiles as the fan's (type 7).
		var qs [3]float64
		montecarlo.Quantiles(vals, []float64{0.05, 0.50, 0.95}, qs[:])
		p.P5, p.P50, p.P95 = qs[0], qs[1], qs[2]
		out = append(out, p)
	}
	return out
}

// RecordedSeries turns the ledger's figures by year (ledger.DueReport's
// ByYear: due, paid per UA, received per the US) into recorded figures,
// in series then year order.
func RecordedSeries(due, paid, received map[int]nadra.Money) []Recorded {
	var out []Recorded
	for _, s := range []struct {
		name string
		by   map[int]nadra.Money
	}{{SeriesDue, due}, {SeriesPaid, paid}, {SeriesReceived, received}} {
		years := make([]int, 0, len(s.by))
		for y := range s.by {
			years = append(years, y)
		}
		sort.Ints(years)
		for _, y := range years {
			out = append(out, Recorded{Year: y, Series: s.name, USD: s.by[y].Float()})
		}
	}
	return out
}
