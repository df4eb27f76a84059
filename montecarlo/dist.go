package montecarlo

import (
	"errors"
	"math"
)

// NormInv returns the standard normal quantile of p in (0, 1), by
// Acklam's rational approximation refined with one Halley step (relative
// error below 1e-15 over the range).
func NormInv(p float64) float64 {
	switch {
	case p <= 0:
		return math.Inf(-1)
	case p >= 1:
		return math.Inf(1)
	}
	const pLow = 0.02425
	a := [6]float64{-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00}
	b := [5]float64{-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01}
	c := [6]float64{-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00}
	d := [4]float64{7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00}
	var x float64
	switch {
	case p < pLow:
		q := math.Sqrt(-2 * math.Log(p))
		x = (((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q + c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q + 1)
	case p <= 1-pLow:
		q := p - 0.5
		r := q * q
		x = (((((a[0]*r+a[1])*r+a[2])*r+a[3])*r+a[4])*r + a[5]) * q / (((((b[0]*r+b[1])*r+b[2])*r+b[3])*r+b[4])*r + 1)
	default:
		q := math.Sqrt(-2 * math.Log(1-p))
		x = -(((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q + c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q + 1)
	}
	// One Halley step on Phi(x) - p.
	e := NormCDF(x) - p
	u := e * math.Sqrt(2*math.Pi) * math.Exp(x*x/2)
	return x - u/(1+x*u/2)
}

// NormCDF returns the standard normal distribution function at x.
func NormCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// Triangular returns the u-quantile (u in [0, 1]) of the triangular
// distribution on [lo, hi] with mode m.
func Triangular(u, lo, m, hi float64) float64 {
	if hi <= lo {
		return lo
	}
	f := (m - lo) / (hi - lo)
	if u < f {
		return lo + math.Sqrt(u*(hi-lo)*(m-lo))
	}
	return hi - math.Sqrt((1-u)*(hi-lo)*(hi-m))
}

// LognormalMeanTail returns the parameters mu and sigma of a lognormal
// variable X with mean m and P(X >= level) = p: the two facts a study
// of cost overruns publishes. It reports an error when no lognormal fits.
func LognormalMeanTail(m, level, p float64) (mu, sigma float64, err error) {
	if !(m > 0 && level > 0 && p > 0 && p < 0.5) {
		return 0, 0, errors.New("montecarlo: lognormal fit needs m > 0, level > 0 and 0 < p < 0.5")
	}
	// mu + sigma^2/2 = ln m; mu + z sigma = ln level, z = NormInv(1-p).
	z := NormInv(1 - p)
	disc := z*z - 2*(math.Log(level)-math.Log(m))
	if disc < 0 {
		return 0, 0, errors.New("montecarlo: no lognormal has that mean and tail")
	}
	sigma = z - math.Sqrt(disc)
	if sigma <= 0 {
		return 0, 0, errors.New("montecarlo: no lognormal has that mean and tail")
	}
	return math.Log(m) - sigma*sigma/2, sigma, nil
}

// Cholesky returns the lower-triangular factor L (row-major, n×n) of the
// symmetric matrix a (row-major), with a = L·Lᵀ. A correlation matrix
// estimated pairwise from short series may not be positive definite; then
// Cholesky shrinks it towards the identity, a' = (1-λ)a + λI, with the
// smallest λ in steps of 0.05 that works, and returns λ.
func Cholesky(a []float64, n int) (l []float64, lambda float64, err error) {
	for step := 0; step <= 20; step++ {
		lambda = float64(step) * 0.05
		l = make([]float64, n*n)
		ok := true
		for i := 0; i < n && ok; i++ {
			for j := 0; j <= i; j++ {
				aij := (1 - lambda) * a[i*n+j]
				if i == j {
					aij += lambda
				}
				s := aij
				for k := 0; k < j; k++ {
					s -= l[i*n+k] * l[j*n+k]
				}
				if i == j {
					if s <= 1e-12 {
						ok = false
						break
					}
					l[i*n+i] = math.Sqrt(s)
				} else {
					l[i*n+j] = s / l[j*n+j]
				}
			}
		}
		if ok {
			return l, lambda, nil
		}
	}
	return nil, 1, errors.New("montecarlo: matrix is not positive definite")
}

// Summary describes one output's distribution over the paths.
type Summary struct {
	N        int     `json:"n"` // paths with a value (NaN means none)
	Mean     float64 `json:"mean"`
	SE       float64 `json:"se"` // standard error of the mean
	SD       float64 `json:"sd"`
	P5       float64 `json:"p5"`
	P10      float64 `json:"p10"`
	P25      float64 `json:"p25"`
	P50      float64 `json:"p50"`
	P75      float64 `json:"p75"`
	P90      float64 `json:"p90"`
	P95      float64 `json:"p95"`
	Negative float64 `json:"p_negative"` // share of paths below zero
}

// Summarize summarises xs, skipping NaNs. It works on a copy, in O(n)
// expected time.
func Summarize(xs []float64) Summary {
	return summarizeInPlace(append([]float64(nil), xs...))
}

// summaryProbs are the quantiles a Summary reports.
var summaryProbs = [7]float64{0.05, 0.10, 0.25, 0.5, 0.75, 0.90, 0.95}

// summarizeInPlace summarises v, reordering it.
func summarizeInPlace(v []float64) Summary {
	k := 0
	for _, x := range v {
		if !math.IsNaN(x) {
			v[k] = x
			k++
		}
	}
	v = v[:k]
	s := Summary{N: len(v)}
	if len(v) == 0 {
		nan := math.NaN()
		s.Mean, s.SE, s.SD, s.P5, s.P10, s.P25, s.P50, s.P75, s.P90, s.P95, s.Negative = nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan
		return s
	}
	// Mean and variance in path order, with Welford's update: the same
	// for any number of workers because the order is fixed.
	var mean, m2 float64
	neg := 0
	for i, x := range v {
		d := x - mean
		mean += d / float64(i+1)
		m2 += d * (x - mean)
		if x < 0 {
			neg++
		}
	}
	s.Mean = mean
	if len(v) > 1 {
		s.SD = math.Sqrt(m2 / float64(len(v)-1))
		s.SE = s.SD / math.Sqrt(float64(len(v)))
	}
	s.Negative = float64(neg) / float64(len(v))
	var q [7]float64
	Quantiles(v, summaryProbs[:], q[:])
	s.P5, s.P10, s.P25, s.P50, s.P75, s.P90, s.P95 = q[0], q[1], q[2], q[3], q[4], q[5], q[6]
	return s
}

// Quantiles writes to out the type-7 quantiles (linear interpolation
// between order statistics, as R and numpy by default) of v at the
// increasing probabilities qs. It reorders v. It selects the order
// statistics in O(n) expected time instead of sorting.
func Quantiles(v []float64, qs []float64, out []float64) {
	n := len(v)
	lo := 0
	for i, q := range qs {
		if n == 1 {
			out[i] = v[0]
			continue
		}
		h := q * float64(n-1)
		k := int(h)
		if k >= n-1 {
			k = n - 1
		}
		if k < lo {
			k = lo // qs not increasing: fall back to the smallest left
		}
		sel(v, lo, n-1, k)
		x := v[k]
		if frac := h - float64(k); frac > 0 && k+1 < n {
			next := v[k+1]
			for _, y := range v[k+2:] {
				if y < next {
					next = y
				}
			}
			x += frac * (next - x)
		}
		out[i] = x
		lo = k
	}
}

// sel rearranges v[lo..hi] so that v[k] is the value sorted order would
// put there, with nothing larger before it and nothing smaller after it
// (Hoare's quickselect with a median-of-three pivot).
func sel(v []float64, lo, hi, k int) {
	for hi > lo {
		if hi-lo < 16 {
			for i := lo + 1; i <= hi; i++ {
				for j := i; j > lo && v[j] < v[j-1]; j-- {
					v[j], v[j-1] = v[j-1], v[j]
				}
			}
			return
		}
		mid := lo + (hi-lo)/2
		if v[mid] < v[lo] {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if v[hi] < v[lo] {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if v[hi] < v[mid] {
			v[hi], v[mid] = v[mid], v[hi]
		}
		pivot := v[mid]
		i, j := lo, hi
		for i <= j {
			for v[i] < pivot {
				i++
			}
			for v[j] > pivot {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}
