package deal

import (
	"math"

	"nadra"
)

// NPV returns the net present value at rate r of cash flows at the ends
// of years 0, 1, 2, …: flows[0] is not discounted.
func NPV(r float64, flows []float64) float64 {
	// Horner in x = 1/(1+r), from the last year back.
	x := 1 / (1 + r)
	var v float64
	for t := len(flows) - 1; t >= 0; t-- {
		v = v*x + flows[t]
	}
	return v
}

// IRRKind says how many internal rates of return a cash-flow stream has.
type IRRKind int

// IRR kinds. Sent over the wire as their strings.
const (
	IRRUnique   IRRKind = iota // exactly one root
	IRRNone                    // no root: the flows never change sign, or never break even
	IRRMultiple                // more than one root: the IRR is not defined
)

func (k IRRKind) String() string {
	switch k {
	case IRRUnique:
		return "unique"
	case IRRNone:
		return "none"
	}
	return "multiple"
}

// MarshalText writes the kind as its name.
func (k IRRKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// IRR search range: rates from -95% to +500% a year. Roots outside it are
// reported as none.
const (
	irrMinRate = -0.95
	irrMaxRate = 5.0
	irrGrid    = 64
)

// irrGridX holds the grid of x = 1/(1+r) the root search scans, from
// r = irrMaxRate to r = irrMinRate, spaced evenly in log(1+r).
var irrGridX = func() [irrGrid + 1]float64 {
	var g [irrGrid + 1]float64
	lo, hi := math.Log(1+irrMinRate), math.Log(1+irrMaxRate)
	for i := range g {
		g[i] = math.Exp(-(hi - float64(i)*(hi-lo)/irrGrid))
	}
	return g
}()

// irrCoarseX are the rates the single-root search brackets with, as
// x = 1/(1+r), increasing: r from 500% down to -95%.
var irrCoarseX = func() []float64 {
	var x []float64
	for _, r := range []float64{irrMaxRate, 2, 1, 0.5, 0.3, 0.2, 0.1, 0.05, 0, -0.1, -0.3, -0.6, irrMinRate} {
		x = append(x, 1/(1+r))
	}
	return x
}()

// IRR returns the internal rates of return of flows: the rates r in
// [-95%, 500%] a year with NPV(r, flows) = 0. A stream that never changes
// sign has none. One that changes sign once (a conventional investment)
// has exactly one root for r > -100% (Descartes' rule in x = 1/(1+r)),
// found by a safeguarded Newton method within a bracket from a coarse grid. One that
// changes sign several times may have several: the range is scanned on a
// grid and each bracket solved, and then no rate is the IRR. Two roots
// closer than the grid spacing (about 3% in log(1+r)) can be missed.
func IRR(flows []float64) ([]float64, IRRKind) { return IRRAppend(nil, flows) }

// IRRAppend is IRR appending the roots to dst, so a caller that reuses
// dst allocates nothing.
func IRRAppend(dst, flows []float64) ([]float64, IRRKind) {
	// Leading and trailing zero years change no root with x > 0.
	lo, hi := 0, len(flows)
	for lo < hi && flows[lo] == 0 {
		lo++
	}
	for hi > lo && flows[hi-1] == 0 {
		hi--
	}
	f := flows[lo:hi]
	changes, last := 0, 0.0
	for _, v := range f {
		if v == 0 {
			continue
		}
		if last != 0 && (v > 0) != (last > 0) {
			changes++
		}
		last = v
	}
	if changes == 0 {
		return dst, IRRNone
	}
	poly := func(x float64) float64 {
		var v float64
		for t := len(f) - 1; t >= 0; t-- {
			v = v*x + f[t]
		}
		return v
	}
	if changes == 1 {
		// Exactly one root for x > 0: bracket it on a coarse grid of
		// rates, then solve. The grid keeps Brent away from the enormous
		// values the polynomial takes near r = -95%, where a bracketing
		// method would crawl.
		prevX, prevV := irrCoarseX[0], poly(irrCoarseX[0])
		if prevV == 0 {
			return append(dst, 1/prevX-1), IRRUnique
		}
		for _, x := range irrCoarseX[1:] {
			v := poly(x)
			if v == 0 {
				return append(dst, 1/x-1), IRRUnique
			}
			if (v > 0) != (prevV > 0) {
				return append(dst, 1/rtsafe(f, prevX, x, prevV, v)-1), IRRUnique
			}
			prevX, prevV = x, v
		}
		return dst, IRRNone // the one root lies outside the range
	}
	roots := dst
	prevX, prevV := irrGridX[0], poly(irrGridX[0])
	for i := 1; i <= irrGrid; i++ {
		x := irrGridX[i]
		v := poly(x)
		if v == 0 {
			roots = append(roots, 1/x-1)
		} else if prevV != 0 && (v > 0) != (prevV > 0) {
			roots = append(roots, 1/rtsafe(f, prevX, x, prevV, v)-1)
		}
		prevX, prevV = x, v
	}
	switch len(roots) - len(dst) {
	case 0:
		return roots, IRRNone
	case 1:
		return roots, IRRUnique
	}
	return roots, IRRMultiple
}

// rtsafe finds the root of the polynomial sum f[t]·x^t in [a, b], where
// its values fa and fb differ in sign, by Newton's method safeguarded
// with bisection (Press et al., Numerical Recipes, rtsafe): a Newton step
// that leaves the bracket or converges too slowly is replaced by a
// bisection. One Horner pass gives the value and the derivative.
func rtsafe(f []float64, a, b, fa, fb float64) float64 {
	lo, hi := a, b
	if fa > 0 {
		lo, hi = b, a // orient so that the value at lo is negative
	}
	x := 0.5 * (a + b)
	dxOld := math.Abs(b - a)
	dx := dxOld
	v, dv := polyD(f, x)
	for i := 0; i < 100; i++ {
		if ((x-hi)*dv-v)*((x-lo)*dv-v) > 0 || math.Abs(2*v) > math.Abs(dxOld*dv) {
			dxOld, dx = dx, 0.5*(hi-lo)
			x = lo + dx
		} else {
			dxOld, dx = dx, v/dv
			x -= dx
		}
		if math.Abs(dx) < 1e-13*math.Abs(x) {
			return x
		}
		v, dv = polyD(f, x)
		if v < 0 {
			lo = x
		} else {
			hi = x
		}
	}
	return x
}

// polyD returns sum f[t]·x^t and its derivative, by Horner.
func polyD(f []float64, x float64) (v, dv float64) {
	for t := len(f) - 1; t >= 0; t-- {
		dv = dv*x + v
		v = v*x + f[t]
	}
	return v, dv
}

// Accounts are the fund's books for the waterfall: the partners' capital
// accounts (cumulative contributions, in-kind aid at its assessed value)
// and, for a priority return, what the US is still owed.
type Accounts struct {
	CapitalUS float64 `json:"capital_us"`
	CapitalUA float64 `json:"capital_ua"`
	OwedUS    float64 `json:"owed_us"` // contributions plus the priority return, less what was paid
}

// Waterfall splits the fund's distributions between the partners.
type Waterfall struct {
	Kind string  // nadra.WaterfallProRata, WaterfallPriority or WaterfallFixed
	Rate float64 // priority return a year
	US   float64 // US share, for fixed shares
}

// NewWaterfall returns the waterfall of a deal's terms.
func NewWaterfall(t *nadra.DealTerms) Waterfall {
	return Waterfall{Kind: t.Waterfall, Rate: t.PriorityReturnRate, US: t.USShare}
}

// Accrue adds a year's contributions to the accounts, after the
// priority return on what the US is owed.
func (w Waterfall) Accrue(a *Accounts, us, ua float64) {
	if w.Kind == nadra.WaterfallPriority {
		a.OwedUS = a.OwedUS*(1+w.Rate) + us
	}
	a.CapitalUS += us
	a.CapitalUA += ua
}

// Split divides a distribution d between the US and Ukraine:
//
//   - pro_rata: by capital accounts (half each while both are empty);
//   - priority_return: the US first, up to what it is owed, then the
//     rest pro rata;
//   - fixed_shares: the US gets its fixed share.
func (w Waterfall) Split(a *Accounts, d float64) (us, ua float64) {
	if d <= 0 {
		return 0, 0
	}
	switch w.Kind {
	case nadra.WaterfallFixed:
		us = d * w.US
		return us, d - us
	case nadra.WaterfallPriority:
		first := math.Min(d, math.Max(0, a.OwedUS))
		a.OwedUS -= first
		r1, r2 := proRata(a, d-first)
		return first + r1, r2
	}
	return proRata(a, d)
}

func proRata(a *Accounts, d float64) (us, ua float64) {
	total := a.CapitalUS + a.CapitalUA
	if total <= 0 {
		return d / 2, d / 2
	}
	us = d * a.CapitalUS / total
	return us, d - us
}
