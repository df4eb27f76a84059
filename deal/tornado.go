package deal

import (
	"context"
	"fmt"
	"math"
	"sort"

	"nadra"
	"nadra/montecarlo"
)

// Tornado is the sensitivity of the mean outcomes to each input: the
// input is held at its 10th and then its 90th percentile on every path
// (a parameter with a sourced range at its low and high end), with common
// random numbers, so the swing is the input's effect and not noise.
type Tornado struct {
	Terms string             `json:"terms"`
	Paths int                `json:"paths"`
	Base  map[string]float64 `json:"base"` // mean of each metric with no input held
	Rows  []TornadoRow       `json:"rows"` // by swing of the fund's receipts, largest first
}

// TornadoRow is one input's swing.
type TornadoRow struct {
	Input  string `json:"input"`
	Low    string `json:"low"`  // the input's setting at P10 (or the low end)
	High   string `json:"high"` // at P90 (or the high end)
	Source string `json:"source,omitempty"`
	// Means of the fund's receipts (PV), the US NPV and Ukraine's NPV
	// with the input low and high.
	FundPVLow  float64 `json:"fund_receipts_pv_low"`
	FundPVHigh float64 `json:"fund_receipts_pv_high"`
	USNPVLow   float64 `json:"us_npv_low"`
	USNPVHigh  float64 `json:"us_npv_high"`
	UANPVLow   float64 `json:"ukraine_npv_low"`
	UANPVHigh  float64 `json:"ukraine_npv_high"`
	Swing      float64 `json:"swing"` // |FundPVHigh - FundPVLow|
}

// tornadoInput is one input the tornado moves: either by holding a draw
// (fix) or by rebuilding the model with a parameter at one end (build).
type tornadoInput struct {
	name, low, high, source string
	fix                     func(m *Model, q float64) func(*Draws)
	build                   func(q float64) (*Model, error)
}

func tornadoInputs(in Inputs, m *Model) []tornadoInput {
	var out []tornadoInput
	for ci, c := range m.Commodities {
		ci, c := ci, c
		out = append(out, tornadoInput{name: "price path: " + c, low: "P10 path", high: "P90 path",
			fix: func(m *Model, q float64) func(*Draws) {
				z := montecarlo.NormInv(q)
				Y := m.Years
				return func(d *Draws) {
					for t := 0; t < Y; t++ {
						d.W[ci*Y+t] = math.Sqrt(float64(t)) * z
					}
				}
			}})
	}
	out = append(out,
		tornadoInput{name: "capex overrun", low: "P10", high: "P90", fix: func(m *Model, q float64) func(*Draws) {
			z := montecarlo.NormInv(q)
			return func(d *Draws) {
				for p := range d.Overrun {
					d.Overrun[p] = z
				}
			}
		}},
		tornadoInput{name: "lead time to production", low: "P10 (short)", high: "P90 (long)", fix: func(m *Model, q float64) func(*Draws) {
			return func(d *Draws) {
				for p := range d.Lead {
					d.Lead[p] = q
				}
			}
		}},
		tornadoInput{name: "grade (crosswalk spread)", low: "P10", high: "P90", fix: func(m *Model, q float64) func(*Draws) {
			return func(d *Draws) {
				for p := range d.Grade {
					d.Grade[p] = q
				}
			}
		}},
		tornadoInput{name: "time to conflict loss", low: "P10 (early)", high: "P90 (late)", fix: func(m *Model, q float64) func(*Draws) {
			return func(d *Draws) {
				for p := range d.Loss {
					d.Loss[p] = 1 - q
				}
			}
		}},
	)
	rebuild := func(p *Params, s Settings) (*Model, error) {
		return Build(Inputs{Registry: in.Registry, Params: p, Settings: s})
	}
	// Settings with sourced ranges.
	for _, k := range []struct {
		key string
		set func(s *Settings, v float64)
	}{
		{"discount_rate", func(s *Settings, v float64) { s.Discount = v }},
		{"project_hurdle", func(s *Settings, v float64) { s.Hurdle = v }},
		{"coinvest_max_stake", func(s *Settings, v float64) { s.Coinvest = v }},
	} {
		v, ok := in.Params.Get(k.key, "")
		if !ok || !v.HasRange() {
			continue
		}
		k, v := k, v
		out = append(out, tornadoInput{name: k.key, low: fmtParam(v.Low), high: fmtParam(v.High), source: v.Source,
			build: func(q float64) (*Model, error) {
				s := in.Settings
				k.set(&s, pick(v, q))
				return rebuild(in.Params, s)
			}})
	}
	// Scoped parameters with sourced ranges, for commodities and deposits
	// in use.
	for _, v := range in.Params.Values {
		if v.Scope == "" || !v.HasRange() || (!contains(m.Commodities, v.Scope) && !m.hasDeposit(v.Scope)) {
			continue
		}
		v := v
		out = append(out, tornadoInput{name: v.Key + ": " + v.Scope, low: fmtParam(v.Low), high: fmtParam(v.High), source: v.Source,
			build: func(q float64) (*Model, error) {
				return rebuild(in.Params.With(v.Key, v.Scope, pick(v, q)), in.Settings)
			}})
	}
	// Cost intensities: the 10th and 90th percentiles of the studies.
	for _, c := range m.Commodities {
		for _, metric := range []string{MetricCapex, MetricOpex} {
			c, metric := c, metric
			prod, _ := in.Params.Product(c)
			it, ok := in.Params.Intensity(prod, metric)
			if !ok || it.N < 2 {
				continue
			}
			label := "capex intensity: "
			if metric == MetricOpex {
				label = "opex intensity: "
			}
			out = append(out, tornadoInput{name: label + c, low: fmt.Sprintf("P10 of %d studies", it.N), high: fmt.Sprintf("P90 of %d studies", it.N),
				build: func(q float64) (*Model, error) {
					return rebuild(in.Params.WithIntensityQuantile(c, metric, q), in.Settings)
				}})
		}
	}
	return out
}

func pick(v Value, q float64) float64 {
	if q < 0.5 {
		return v.Low
	}
	return v.High
}

func fmtParam(x float64) string { return fmt.Sprintf("%g", x) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// tornado runs the base and every input at P10 and P90 with the first
// terms, opt.TornadoPaths paths each, all from the same seed.
func tornado(ctx context.Context, in Inputs, m *Model, terms *nadra.DealTerms, opt Options, progress func(int), done *int) (*Tornado, error) {
	n := opt.TornadoPaths
	means := func(mm *Model, fix func(*Draws)) ([3]float64, error) {
		if len(mm.proj) != len(m.proj) || len(mm.Commodities) != len(m.Commodities) {
			return [3]float64{}, nadra.Errorf(nadra.EINTERNAL, "tornado: a parameter changed the set of projects, so the runs cannot share random numbers")
		}
		f := mm.NewFund(terms)
		res, _, err := run(ctx, mm, []*Fund{f}, n, opt.Seed, opt.Workers, fix, progress, false)
		*done += n
		if err != nil {
			return [3]float64{}, err
		}
		var out [3]float64
		for k, c := range []int{ColFundPV, ColUSNPV, ColUANPV} {
			out[k] = montecarlo.Summarize(res.Column(c)).Mean
		}
		return out, nil
	}
	base, err := means(m, nil)
	if err != nil {
		return nil, err
	}
	t := &Tornado{Terms: terms.ID, Paths: n, Base: map[string]float64{"fund_receipts_pv": base[0], "us_npv": base[1], "ukraine_npv": base[2]}}
	for _, ti := range tornadoInputs(in, m) {
		var lh [2][3]float64
		for k, q := range []float64{0.1, 0.9} {
			mm := m
			var fix func(*Draws)
			if ti.build != nil {
				if mm, err = ti.build(q); err != nil {
					return nil, err
				}
			}
			if ti.fix != nil {
				fix = ti.fix(mm, q)
			}
			if lh[k], err = means(mm, fix); err != nil {
				return nil, err
			}
		}
		t.Rows = append(t.Rows, TornadoRow{Input: ti.name, Low: ti.low, High: ti.high, Source: ti.source,
			FundPVLow: lh[0][0], FundPVHigh: lh[1][0], USNPVLow: lh[0][1], USNPVHigh: lh[1][1], UANPVLow: lh[0][2], UANPVHigh: lh[1][2],
			Swing: math.Abs(lh[1][0] - lh[0][0])})
	}
	sort.SliceStable(t.Rows, func(i, j int) bool { return t.Rows[i].Swing > t.Rows[j].Swing })
	return t, nil
}
