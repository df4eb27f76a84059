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

// IRR returns the internal rates of return of flows: the rates r in
// [-95%, 500%] a year with NPV(r, flows) = 0. A stream that never changes
// sign has none. One that changes sign once (a conventional investment)
// has exactly one root for r > -100% (Descartes' rule in x = 1/(1+r)),
// found by Brent's method between the ends of the range. One that
// changes sign several times may have several: the range is scanned on a
// grid and each bracket solved, and then no rate is the IRR. Two roots
// closer than the grid spacing (about 3% in log(1+r)) can be missed.
func IRR(flows []float64) ([]float64, IRRKind) {
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
		return nil, IRRNone
	}
	poly := func(x float64) float64 {
		var v float64
		for t := len(f) - 1; t >= 0; t-- {
			v = v*x + f[t]
		}
		return v
	}
	if changes == 1 {
		a, b := irrGridX[0], irrGridX[irrGrid]
		fa, fb := poly(a), poly(b)
		switch {
		case fa == 0:
			return []float64{1/a - 1}, IRRUnique
		case fb == 0:
			return []float64{1/b - 1}, IRRUnique
		case (fa > 0) == (fb > 0):
			return nil, IRRNone // the one root lies outside the range
		}
		return []float64{1/brent(poly, a, b, fa, fb) - 1}, IRRUnique
	}
	var roots []float64
	prevX, prevV := irrGridX[0], poly(irrGridX[0])
	for i := 1; i <= irrGrid; i++ {
		x := irrGridX[i]
		v := poly(x)
		if v == 0 {
			roots = append(roots, 1/x-1)
		} else if prevV != 0 && (v > 0) != (prevV > 0) {
			roots = append(roots, 1/brent(poly, prevX, x, prevV, v)-1)
		}
		prevX, prevV = x, v
	}
	switch len(roots) {
	case 0:
		return nil, IRRNone
	case 1:
		return roots, IRRUnique
	}
	return roots, IRRMultiple
}

// brent finds the root of f in [a, b], where f(a) and f(b) differ in
// sign, by Brent's method (inverse quadratic interpolation and secant
// steps, falling back to bisection), to a relative tolerance of 1e-13.
// It stays fast when one end of the bracket has an enormous value, as a
// 31-year polynomial in x = 1/(1+r) does at r = -95%.
func brent(f func(float64) float64, a, b, fa, fb float64) float64 {
	if math.Abs(fa) < math.Abs(fb) {
		a, b, fa, fb = b, a, fb, fa
	}
	c, fc := a, fa
	d := b - a
	mflag := true
	for i := 0; i < 200; i++ {
		if fb == 0 || math.Abs(b-a) <= 1e-13*math.Abs(b) {
			return b
		}
		var s float64
		if fa != fc && fb != fc {
			s = a*fb*fc/((fa-fb)*(fa-fc)) + b*fa*fc/((fb-fa)*(fb-fc)) + c*fa*fb/((fc-fa)*(fc-fb))
		} else {
			s = b - fb*(b-a)/(fb-fa)
		}
		lo, hi := (3*a+b)/4, b
		if lo > hi {
			lo, hi = hi, lo
		}
		if s < lo || s > hi ||
			(mflag && math.Abs(s-b) >= math.Abs(b-c)/2) ||
			(!mflag && math.Abs(s-b) >= math.Abs(c-d)/2) {
			s = (a + b) / 2
			mflag = true
		} else {
			mflag = false
		}
		fs := f(s)
		d, c, fc = c, b, fb
		if (fa > 0) != (fs > 0) {
			b, fb = s, fs
		} else {
			a, fa = s, fs
		}
		if math.Abs(fa) < math.Abs(fb) {
			a, b, fa, fb = b, a, fb, fa
		}
	}
	return b
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
