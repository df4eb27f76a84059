package supply

import (
	"fmt"
	"math"
	"sort"

	"nadra"
)

// Taylor's rule (Taylor 1977, 1986): a mine's life in years is about
// TaylorConstant × (expected ore tonnage in tonnes)^TaylorExponent, so its
// capacity is ore tonnage / life ∝ tonnage^0.75.
const (
	TaylorConstant = 0.2
	TaylorExponent = 0.25
	// TaylorSource cites the rule. The constant 0.2 is the commonly
	// quoted form; nadra's sources read only the three-quarter-power
	// statement, not the constant (see dataset/README.md).
	TaylorSource = "H.K. Taylor, Rates of working mines; a simple rule of thumb, Trans. Inst. Min. Metall. 95, A203-A204 (1986) " +
		"| K.R. Long, A test and re-estimation of Taylor's empirical capacity-reserve relationship, Natural Resources Research 18:57-63, " +
		"doi:10.1007/s11053-009-9088-y (2009)"
)

// TaylorLife returns the mine life in years that Taylor's rule gives for
// oreTonnes of ore (tonnes, not million tonnes).
func TaylorLife(oreTonnes float64) float64 {
	return TaylorConstant * math.Pow(oreTonnes, TaylorExponent)
}

// How a potential's ore tonnage was found. Sent over the wire: append only.
const (
	OreFromFigure  = "figure"  // the contained figure's own ore tonnage
	OreFromGrade   = "grade"   // contained ÷ the most recent published grade
	OreFromOther   = "other"   // the most recent ore tonnage published for the deposit
	OreUnavailable = "unknown" // no ore tonnage: Taylor's rule cannot be applied
)

// Potential is the annual output a deposit could sustain at capacity by
// Taylor's rule: its contained quantity spread over the mine life that its
// ore tonnage gives.
type Potential struct {
	DepositID string `json:"deposit_id"`
	Name      string `json:"name"`
	// Contained is the headline contained quantity (nadra.HeadlineContained)
	// in tonnes of Basis.
	Contained float64 `json:"contained_t"`
	Basis     string  `json:"basis"`
	OreTonnes float64 `json:"ore_t"`
	OreFrom   string  `json:"ore_from"` // OreFromFigure, OreFromGrade, OreFromOther or OreUnavailable
	OreNote   string  `json:"ore_note"`
	LifeYears float64 `json:"life_years"`
	Recovery  float64 `json:"recovery"`
	// Annual is the output per year in the series' unit:
	// Contained × Recovery / LifeYears × PerTonne.
	Annual float64 `json:"annual"`
	// Figures are the estimates the contained quantity rests on.
	Figures []*nadra.Estimate `json:"figures"`
	// Skipped says why there is no potential ("" when there is one).
	Skipped string `json:"skipped,omitempty"`
}

// DepositPotential returns a deposit's potential annual output for series
// s from its published estimates (of any commodity; those of s.Registry
// are used). recovery is the fraction of contained metal recovered (1 for
// an upper bound).
//
// The contained quantity is nadra.HeadlineContained in s.Basis. The ore
// tonnage for Taylor's rule is, in order: the headline figures' own ore
// tonnage; the contained quantity divided by the most recent published
// percentage grade (converted to the grade's basis); the most recent ore
// tonnage published for the deposit (the largest, if several share that
// year). A deposit with none of these is returned with Skipped set.
func DepositPotential(d *nadra.Deposit, ests []*nadra.Estimate, s *nadra.SupplySeries, recovery float64) Potential {
	p := Potential{DepositID: d.ID, Name: d.Name, Basis: s.Basis, Recovery: recovery, OreFrom: OreUnavailable}
	if s.Basis == "" || s.PerTonne == nil || s.Registry == "" {
		p.Skipped = fmt.Sprintf("series %s has no basis to convert deposit quantities into", s.Key())
		return p
	}
	var mine []*nadra.Estimate
	for _, e := range ests {
		if e.DepositID == d.ID && e.Commodity == s.Registry {
			mine = append(mine, e)
		}
	}
	h, ok := nadra.HeadlineContained(mine, s.Basis)
	if !ok {
		p.Skipped = fmt.Sprintf("no published figure gives a contained quantity convertible to %s", s.Basis)
		return p
	}
	p.Contained, p.Figures = h.Quantity, h.Figures

	// 1. The headline figures' own ore tonnage.
	ore, all := 0.0, true
	for _, e := range h.Figures {
		if e.OreMt == nil {
			all = false
			break
		}
		ore += *e.OreMt * 1e6
	}
	if all && ore > 0 {
		p.OreTonnes, p.OreFrom = ore, OreFromFigure
		p.OreNote = fmt.Sprintf("the contained figure's own (%s)", figureLabel(h.Figures[0]))
	}
	// 2. Implied by the most recent percentage grade.
	if p.OreFrom == OreUnavailable {
		if g := latest(mine, func(e *nadra.Estimate) bool {
			return e.Grade != nil && e.GradeUnit == nadra.GradePct && *e.Grade > 0
		}); g != nil {
			if c, ok := nadra.ConvertBasis(p.Contained, s.Basis, g.Basis); ok {
				p.OreTonnes, p.OreFrom = c/(*g.Grade/100), OreFromGrade
				p.OreNote = fmt.Sprintf("implied by the %g%% %s grade (%s)", *g.Grade, g.Basis, figureLabel(g))
			}
		}
	}
	// 3. The most recent published ore tonnage.
	if p.OreFrom == OreUnavailable {
		if g := latest(mine, func(e *nadra.Estimate) bool { return e.OreMt != nil && *e.OreMt > 0 }); g != nil {
			p.OreTonnes, p.OreFrom = *g.OreMt*1e6, OreFromOther
			p.OreNote = fmt.Sprintf("%g Mt, the most recent published (%s), from a different figure than the contained quantity", *g.OreMt, figureLabel(g))
		}
	}
	if p.OreFrom == OreUnavailable || p.OreTonnes <= 0 {
		p.Skipped = "no ore tonnage or grade published, so Taylor's rule cannot give a mine life"
		return p
	}
	p.LifeYears = TaylorLife(p.OreTonnes)
	p.Annual = p.Contained * recovery / p.LifeYears * *s.PerTonne
	return p
}

// latest returns the most recent estimate that ok accepts (undated last;
// of one year, the one with the most ore), or nil.
func latest(ests []*nadra.Estimate, ok func(*nadra.Estimate) bool) *nadra.Estimate {
	var c []*nadra.Estimate
	for _, e := range ests {
		if ok(e) {
			c = append(c, e)
		}
	}
	if len(c) == 0 {
		return nil
	}
	year := func(e *nadra.Estimate) int {
		if e.Year == nil {
			return math.MinInt
		}
		return *e.Year
	}
	ore := func(e *nadra.Estimate) float64 {
		if e.OreMt == nil {
			return 0
		}
		return *e.OreMt
	}
	sort.SliceStable(c, func(i, j int) bool {
		if year(c[i]) != year(c[j]) {
			return year(c[i]) > year(c[j])
		}
		return ore(c[i]) > ore(c[j])
	})
	return c[0]
}

func figureLabel(e *nadra.Estimate) string {
	y := "undated"
	if e.Year != nil {
		y = fmt.Sprint(*e.Year)
	}
	return fmt.Sprintf("%s, %s", y, e.Category)
}

// SumPotential returns the total annual output of potentials that have
// one.
func SumPotential(ps []Potential) float64 {
	t := 0.0
	for _, p := range ps {
		if p.Skipped == "" {
			t += p.Annual
		}
	}
	return t
}
