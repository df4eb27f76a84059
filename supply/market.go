package supply

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"nadra"
)

// China is the ISO 3166-1 alpha-2 code of China.
const China = "CN"

// Errors returned by NewMarket and Market.With.
var (
	ErrNoRows      = errors.New("supply: no production rows for that commodity, stage and year")
	ErrShareOnly   = errors.New("supply: the table is published as shares only; tonnes cannot be added to it")
	ErrBadAddition = errors.New("supply: an addition must be a finite, non-negative quantity for a country")
)

// Producer is one country's output in a market.
type Producer struct {
	Country  string  `json:"country"`
	Quantity float64 `json:"quantity"` // in the market's unit; percent of world for a share-only market
}

// Market is the world production of one commodity at one stage in one
// year, by country: the input to every metric.
type Market struct {
	Commodity string `json:"commodity"`
	Stage     string `json:"stage"`
	Year      int    `json:"year"`
	Unit      string `json:"unit"`
	// ShareOnly markets carry published percentages in Quantity, and
	// the rest of the world (100 − their sum) is unattributed.
	ShareOnly bool       `json:"share_only"`
	Producers []Producer `json:"producers"` // named countries, largest first
	Other     float64    `json:"other"`     // the "other countries" bucket
	// World is the published world total (nil when none), for
	// comparison with the sum.
	World *float64 `json:"world,omitempty"`
	// Withheld lists countries in the table without a figure.
	Withheld []string `json:"withheld,omitempty"`
	// Estimated is true when any row is marked as an estimate.
	Estimated bool     `json:"estimated"`
	Sources   []string `json:"sources"`
	// Added lists what a what-if added (empty for published data).
	Added []Producer `json:"added,omitempty"`
}

// NewMarket builds the market of series s in year from production rows:
// it keeps the rows of that commodity, stage and year, adds the products
// of one country together (ilmenite and rutile, say) and sorts producers
// largest first. It returns ErrNoRows when no row matches.
func NewMarket(s *nadra.SupplySeries, rows []*nadra.Production, year int) (*Market, error) {
	m := &Market{Commodity: s.Commodity, Stage: s.Stage, Year: year, Unit: s.Unit, ShareOnly: s.ShareOnly()}
	byCountry := map[string]float64{}
	has := map[string]bool{}
	withheld := map[string]bool{}
	sources := map[string]bool{}
	var world float64
	hasWorld, any := false, false
	for _, p := range rows {
		if p.Commodity != s.Commodity || p.Stage != s.Stage || p.Year != year {
			continue
		}
		any = true
		if p.Estimated {
			m.Estimated = true
		}
		for _, src := range p.Source {
			if !sources[src] {
				sources[src] = true
				m.Sources = append(m.Sources, src)
			}
		}
		v := p.Quantity
		if m.ShareOnly {
			v = p.SharePct
		}
		switch {
		case p.Country == nadra.CountryWorld:
			if v != nil {
				world += *v
				hasWorld = true
			}
		case v == nil:
			withheld[p.Country] = true
		case p.Country == nadra.CountryOther:
			m.Other += *v
		default:
			byCountry[p.Country] += *v
			has[p.Country] = true
		}
	}
	if !any {
		return nil, ErrNoRows
	}
	for c := range byCountry {
		m.Producers = append(m.Producers, Producer{Country: c, Quantity: byCountry[c]})
	}
	for c := range withheld {
		if !has[c] {
			m.Withheld = append(m.Withheld, c)
		}
	}
	sort.Strings(m.Withheld)
	sortProducers(m.Producers)
	if hasWorld {
		m.World = &world
	}
	return m, nil
}

func sortProducers(ps []Producer) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Quantity != ps[j].Quantity {
			return ps[i].Quantity > ps[j].Quantity
		}
		return ps[i].Country < ps[j].Country
	})
}

// Total returns the sum of the market's rows, "other countries"
// included: the denominator of its shares. For a share-only market it is
// 100 (percent of world).
func (m *Market) Total() float64 {
	if m.ShareOnly {
		return 100
	}
	t := m.Other
	for _, p := range m.Producers {
		t += p.Quantity
	}
	return t
}

// With returns a copy of the market with quantities added: to a country's
// output if it is a producer, as a new producer if not. It returns
// ErrShareOnly for a share-only market and ErrBadAddition for a negative
// or non-finite quantity or a bad country code.
func (m *Market) With(adds ...Producer) (*Market, error) {
	if m.ShareOnly {
		return nil, ErrShareOnly
	}
	c := *m
	c.Producers = append([]Producer(nil), m.Producers...)
	c.Added = append([]Producer(nil), m.Added...)
	c.World = nil // a published total no longer applies
	for _, a := range adds {
		if math.IsNaN(a.Quantity) || math.IsInf(a.Quantity, 0) || a.Quantity < 0 ||
			!nadra.ValidCountry(a.Country) || a.Country == nadra.CountryWorld {
			return nil, fmt.Errorf("%w: %s=%g", ErrBadAddition, a.Country, a.Quantity)
		}
		c.Added = append(c.Added, a)
		if a.Country == nadra.CountryOther {
			c.Other += a.Quantity
			continue
		}
		found := false
		for i := range c.Producers {
			if c.Producers[i].Country == a.Country {
				c.Producers[i].Quantity += a.Quantity
				found = true
			}
		}
		if !found {
			c.Producers = append(c.Producers, Producer{Country: a.Country, Quantity: a.Quantity})
		}
	}
	sortProducers(c.Producers)
	return &c, nil
}

// Quantity returns a country's output in the market, 0 if it is not a
// producer.
func (m *Market) Quantity(country string) float64 {
	for _, p := range m.Producers {
		if p.Country == country {
			return p.Quantity
		}
	}
	return 0
}

// Years returns the years with rows for a series, ascending.
func Years(s *nadra.SupplySeries, rows []*nadra.Production) []int {
	seen := map[int]bool{}
	var ys []int
	for _, p := range rows {
		if p.Commodity == s.Commodity && p.Stage == s.Stage && !seen[p.Year] {
			seen[p.Year] = true
			ys = append(ys, p.Year)
		}
	}
	sort.Ints(ys)
	return ys
}

// YearList formats years for a message: "2023, 2024".
func YearList(ys []int) string {
	var s []string
	for _, y := range ys {
		s = append(s, fmt.Sprint(y))
	}
	return strings.Join(s, ", ")
}
