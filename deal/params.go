package deal

import (
	"math"
	"sort"

	"nadra"
)

// Statuses of a model parameter. A fact is taken from its source as
// published; derived is computed by nadra from sourced figures; unverified
// is sourced but not checked against the primary text; an assumption has
// no source for its value and is listed as such in every report.
const (
	StatusFact       = "fact"
	StatusDerived    = "derived"
	StatusUnverified = "unverified"
	StatusAssumption = "assumption"
)

// Value is one scalar model parameter with its provenance. Scope is ""
// for a global parameter, a commodity code, or a deposit id for
// deposit-specific terms such as a PSA share. Low and High bound the
// range the sensitivity analysis uses; NaN when the sources give none.
type Value struct {
	Key    string  `json:"key"`
	Scope  string  `json:"scope,omitempty"`
	Value  float64 `json:"value"`
	Low    float64 `json:"low"`
	High   float64 `json:"high"`
	Unit   string  `json:"unit"`
	Status string  `json:"status"`
	Source string  `json:"source"`
	Note   string  `json:"note,omitempty"`
}

// HasRange reports whether the parameter has a sourced range.
func (v Value) HasRange() bool {
	return !math.IsNaN(v.Low) && !math.IsNaN(v.High) && v.Low != v.High
}

// Study is one capex or opex figure from a published study.
type Study struct {
	Commodity string  `json:"commodity"`
	Project   string  `json:"project"`
	Metric    string  `json:"metric"` // MetricCapex or MetricOpex
	Value     float64 `json:"value"`
	// Per is "product" when Value is per tonne of product, or the basis
	// code it is per tonne of (lithium capex is per t/yr of LCE).
	Per    string `json:"per"`
	Unit   string `json:"unit"`
	Year   string `json:"year"`
	Source string `json:"source"`
}

// Study metrics.
const (
	MetricCapex = "capex_usd_per_tpa" // USD per tonne a year of capacity
	MetricOpex  = "opex_usd_per_t"    // USD per tonne produced
)

// Product is what a mine of one commodity sells: a concentrate with a
// content of the commodity, in tonnes of Basis per tonne of product.
type Product struct {
	Commodity string `json:"commodity"`
	// DepositID is empty for what a mine of the commodity sells by
	// default, or the deposit whose own product this is.
	DepositID string  `json:"deposit_id,omitempty"`
	Name      string  `json:"name"`
	Basis     string  `json:"basis"`
	Content   float64 `json:"content"`
	Source    string  `json:"source"`
}

// LeadTime is the distribution of years from the model's first year to
// first production for deposits at one development stage: triangular.
type LeadTime struct {
	Stage  string  `json:"stage"` // a nadra.Stage, or "unknown"
	Min    float64 `json:"min_years"`
	Mode   float64 `json:"mode_years"`
	Max    float64 `json:"max_years"`
	Status string  `json:"status"`
	Source string  `json:"source"`
	Note   string  `json:"note,omitempty"`
}

// PricePoint is one year of a published price series.
type PricePoint struct {
	Series    string  `json:"series"`
	Commodity string  `json:"commodity"`
	Year      int     `json:"year"`
	Price     float64 `json:"price"`
	Unit      string  `json:"unit"`
	Source    string  `json:"source"`
}

// HazardBin is one distance band of the empirical conflict hazard: how
// many controlled points at that distance from hostile ground were lost
// within a year.
type HazardBin struct {
	MinKm    float64 `json:"min_km"`
	MaxKm    float64 `json:"max_km"`
	Exposure float64 `json:"exposure"` // point-years observed
	Lost     float64 `json:"lost"`     // of which lost within the year
	Rate     float64 `json:"rate"`     // Lost / Exposure
	Source   string  `json:"source"`
}

// Params are the sourced inputs of the deal model, as shipped in
// dataset/model or edited by a user.
type Params struct {
	Values    []Value      `json:"values"`
	Studies   []Study      `json:"studies"`
	Products  []Product    `json:"products"`
	LeadTimes []LeadTime   `json:"lead_times"`
	Prices    []PricePoint `json:"prices"`
	Hazard    []HazardBin  `json:"hazard"`
	// Projects are the published figures about single projects
	// (projects.csv).
	Projects []ProjectInput `json:"projects"`
	// pick overrides the median of the studies with another quantile,
	// keyed metric:commodity; see WithIntensityQuantile.
	pick map[string]float64
}

// Get returns the parameter key in scope.
func (p *Params) Get(key, scope string) (Value, bool) {
	for _, v := range p.Values {
		if v.Key == key && v.Scope == scope {
			return v, true
		}
	}
	return Value{}, false
}

// Product returns the product a mine of commodity c sells by default.
func (p *Params) Product(c string) (Product, bool) {
	for _, x := range p.Products {
		if x.Commodity == c && x.DepositID == "" {
			return x, true
		}
	}
	return Product{}, false
}

// ProjectProduct returns what deposit dep's mine sells of commodity c:
// its own product if products.csv gives one, else the default.
func (p *Params) ProjectProduct(dep, c string) (Product, bool) {
	for _, x := range p.Products {
		if x.Commodity == c && x.DepositID == dep {
			return x, true
		}
	}
	return p.Product(c)
}

// Inputs of projects.csv.
const (
	InputExisting     = "existing"            // 1: producing at the model's start
	InputLeftOut      = "left_out"            // 1: not valued, for the reason in the note
	InputCapacity     = "capacity_t_per_year" // t of product a year, per commodity
	InputCapex        = "capex_usd"           // initial capex as published
	InputLead         = "lead_years"          // years from the model's start to first production
	InputConstruction = "construction_years"  // years of construction
	InputCeasefire    = "waits_for_ceasefire" // 1: construction waits on the ceasefire
	InputRefCapacity  = "reference_capacity_t_per_year"
	InputRefCapex     = "reference_capex_usd"
)

// ProjectInputKeys lists the inputs projects.csv may give.
var ProjectInputKeys = []string{InputExisting, InputLeftOut, InputCapacity, InputCapex, InputLead, InputConstruction, InputCeasefire, InputRefCapacity, InputRefCapex}

// ProjectInput is one published figure about one project
// (projects.csv): a value the model uses instead of its own, or, for the
// reference_ inputs, a figure set beside the model's for comparison
// only, with the reason it is not used.
type ProjectInput struct {
	DepositID string  `json:"deposit_id"`
	Commodity string  `json:"commodity,omitempty"`
	Input     string  `json:"input"`
	Value     float64 `json:"value"`
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
	Unit      string  `json:"unit"`
	Status    string  `json:"status"`
	Source    string  `json:"source"`
	Note      string  `json:"note,omitempty"`
}

// HasRange reports whether the figure was published as a range.
func (v ProjectInput) HasRange() bool {
	return !math.IsNaN(v.Low) && !math.IsNaN(v.High) && v.Low != v.High
}

// ProjectInputs returns the published figures about deposit dep.
func (p *Params) ProjectInputs(dep string) []ProjectInput {
	var out []ProjectInput
	for _, x := range p.Projects {
		if x.DepositID == dep {
			out = append(out, x)
		}
	}
	return out
}

// LeadTime returns the lead-time distribution of a stage ("" is
// "unknown").
func (p *Params) LeadTime(stage string) (LeadTime, bool) {
	if stage == "" {
		stage = "unknown"
	}
	for _, x := range p.LeadTimes {
		if x.Stage == stage {
			return x, true
		}
	}
	return LeadTime{}, false
}

// Intensity summarises the studies of one commodity and metric, per
// tonne of product: the median, which the model uses (or the quantile
// WithIntensityQuantile picked), and the 10th and 90th percentiles, which
// the sensitivity analysis uses.
type Intensity struct {
	Median, P10, P90 float64
	N                int
}

// Intensity computes the capex or opex intensity of a product per tonne
// of it, converting figures given per tonne of a basis by the product's
// content. It reports false when no study gives the metric.
func (p *Params) Intensity(prod Product, metric string) (Intensity, bool) {
	c := prod.Commodity
	var xs []float64
	for _, s := range p.Studies {
		if s.Commodity != c || s.Metric != metric {
			continue
		}
		v := s.Value
		if s.Per != "product" {
			perProduct, ok := nadra.ConvertBasis(prod.Content, prod.Basis, s.Per)
			if !ok {
				continue
			}
			v *= perProduct
		}
		xs = append(xs, v)
	}
	if len(xs) == 0 {
		return Intensity{}, false
	}
	sort.Float64s(xs)
	in := Intensity{Median: Quantile(xs, 0.5), P10: Quantile(xs, 0.1), P90: Quantile(xs, 0.9), N: len(xs)}
	if q, ok := p.pick[metric+":"+c]; ok {
		in.Median = Quantile(xs, q)
	}
	return in, true
}

// Quantile returns the q-quantile of sorted xs by linear interpolation
// between order statistics (type 7, the default of R and numpy).
func Quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	switch {
	case n == 0:
		return math.NaN()
	case n == 1:
		return sorted[0]
	}
	h := q * float64(n-1)
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// LogReturns returns the annual log returns of commodity c's price
// history, keyed by the year the return ends in. Only consecutive years
// give a return.
func (p *Params) LogReturns(c string) map[int]float64 {
	prices := map[int]float64{}
	for _, x := range p.Prices {
		if x.Commodity == c {
			prices[x.Year] = x.Price
		}
	}
	out := map[int]float64{}
	for y, v := range prices {
		if prev, ok := prices[y-1]; ok && prev > 0 && v > 0 {
			out[y] = math.Log(v / prev)
		}
	}
	return out
}

// Correlation returns the Pearson correlation of two commodities' annual
// log returns over the years both have, and how many years that is. It
// reports NaN with fewer than three common years.
func (p *Params) Correlation(a, b string) (float64, int) {
	ra, rb := p.LogReturns(a), p.LogReturns(b)
	var xs, ys []float64
	var years []int
	for y := range ra {
		if _, ok := rb[y]; ok {
			years = append(years, y)
		}
	}
	sort.Ints(years)
	for _, y := range years {
		xs = append(xs, ra[y])
		ys = append(ys, rb[y])
	}
	if len(xs) < 3 {
		return math.NaN(), len(xs)
	}
	return pearson(xs, ys), len(xs)
}

func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// StdDev returns the sample standard deviation of xs.
func StdDev(xs []float64) float64 {
	if len(xs) < 2 {
		return math.NaN()
	}
	var m float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	var s float64
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(xs)-1))
}

// With returns a copy of p with parameter key in scope set to v.
func (p *Params) With(key, scope string, v float64) *Params {
	q := *p
	q.Values = append([]Value(nil), p.Values...)
	for i := range q.Values {
		if q.Values[i].Key == key && q.Values[i].Scope == scope {
			q.Values[i].Value = v
		}
	}
	return &q
}

// WithIntensityQuantile returns a copy of p whose capex or opex intensity
// for commodity c is the q-quantile of the studies instead of the median.
func (p *Params) WithIntensityQuantile(c, metric string, q float64) *Params {
	r := *p
	r.pick = map[string]float64{}
	for k, v := range p.pick {
		r.pick[k] = v
	}
	r.pick[metric+":"+c] = q
	return &r
}
