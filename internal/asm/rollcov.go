package asm

import (
	"math"

	"github.com/blockwise/blockwise/internal/race"
)

// CovLost is the cancellation RollCov8 gives up at: a co-moment (or a
// correlation's moment) smaller than CovLost times its terms' magnitude.
const CovLost = 0x1p-70

// CovLanes reports whether RollCov8 runs (AVX-512).
func CovLanes() bool { return level == lvlAVX512 }

// RollCov8 computes rolling covariances of x and y (correlations when corr
// is set) for runs of eight consecutive blocks of w window starts, eight
// lanes at once (len(out) = 8w·groups, len(x) = len(y) = len(out) + w,
// len(suf) ≥ 80w, div = w − ddof > 0), by the scheme of
// kernels/rolling_cov.go: per block pair, both series shifted by the pair
// K at the block's last start, with the shift's rounding error kept;
// compensated suffix and prefix scans of x', y', x'y' (and x'², y'² for a
// correlation), each product split exactly with FMA; the scans joined
// and the co-moments formed in double-double arithmetic. rollCov8Go is its
// reference, the same operations in the same order.
//
// It returns the number of groups it completed. It stops at the first
// group holding an output whose co-moment (or a correlation's moment)
// keeps no more than CovLost of its terms, or whose correlation needs the
// moments' square roots taken apart (their product overflows or
// underflows); any window holding a NaN or ±Inf is such an output. That
// group's outputs are then unspecified: the caller computes them its own
// way. Without AVX-512 it returns 0 at once.
func RollCov8(x, y, out, suf []float64, w int, corr bool, div float64) int {
	groups := len(out) / (8 * w)
	if w < 1 || groups < 1 || len(out) != 8*w*groups || len(x) != len(out)+w || len(y) != len(x) || len(suf) < 80*w || !(div > 0) {
		panic("asm.RollCov8: bad arguments")
	}
	if level != lvlAVX512 {
		return 0
	}
	raceBlocks(x, out, suf[:80*w])
	race.Read(y)
	return rollCov8AVX512(x, y, out, suf[:80*w], w, groups, corr, div)
}

// CovSums is the compensated scan of RollCov8 and of kernels' Go path
// for rolling cov/corr: each sum is S + C, over pairs already shifted.
type CovSums struct{ Sx, Cx, Sy, Cy, Sxy, Cxy, Sxx, Cxx, Syy, Cyy float64 }

// twoSumTo adds v into the compensated sum s + c.
func twoSumTo(s, c *float64, v float64) {
	t := *s + v
	z := t - *s
	*c += (*s - (t - z)) + (v - z)
	*s = t
}

// CovShift is v + nk (nk = −K, the pair's shift) as a rounded sum and its
// rounding error.
func CovShift(v, nk float64) (float64, float64) {
	t := v + nk
	z := t - v
	return t, (v - (t - z)) + (nk - z)
}

// Add adds the pair (xh + xl, yh + yl) (CovShift's halves): Σx', Σy' and
// Σx'y' (and Σx'², Σy'² with moments), each product xh·yh split exactly
// with FMA, its error and the cross terms beside it. RollCov8's lanes take
// these steps in this order.
func (a *CovSums) Add(xh, xl, yh, yl float64, moments bool) {
	twoSumTo(&a.Sx, &a.Cx, xh)
	a.Cx += xl
	twoSumTo(&a.Sy, &a.Cy, yh)
	a.Cy += yl
	p := float64(xh * yh)
	pe := math.FMA(xh, yh, -p) + float64(float64(xh*yl)+float64(xl*yh))
	twoSumTo(&a.Sxy, &a.Cxy, p)
	a.Cxy += pe
	if moments {
		p = float64(xh * xh)
		pe = math.FMA(xh, xh, -p) + float64(2*float64(xh*xl))
		twoSumTo(&a.Sxx, &a.Cxx, p)
		a.Cxx += pe
		p = float64(yh * yh)
		pe = math.FMA(yh, yh, -p) + float64(2*float64(yh*yl))
		twoSumTo(&a.Syy, &a.Cyy, p)
		a.Cyy += pe
	}
}

// Plus joins a suffix scan a and a prefix scan b.
func (a CovSums) Plus(b *CovSums) CovSums {
	twoSumTo(&a.Sx, &a.Cx, b.Sx)
	twoSumTo(&a.Sy, &a.Cy, b.Sy)
	twoSumTo(&a.Sxy, &a.Cxy, b.Sxy)
	twoSumTo(&a.Sxx, &a.Cxx, b.Sxx)
	twoSumTo(&a.Syy, &a.Cyy, b.Syy)
	a.Cx += b.Cx
	a.Cy += b.Cy
	a.Cxy += b.Cxy
	a.Cxx += b.Cxx
	a.Cyy += b.Cyy
	return a
}

// CoMoment is Σuv − Σu·Σv/n from compensated sums (su+cu, sv+cv,
// suv+cuv) in double-double arithmetic, and whether it kept more than
// CovLost of its terms |Σuv| + |Σu·Σv/n| (or these are 0).
func CoMoment(su, cu, sv, cv, suv, cuv, n float64) (float64, bool) {
	// (su + cu)(sv + cv), to about 2^-104.
	p := float64(su * sv)
	pe := math.FMA(su, sv, -p) + float64(su*cv) + float64(cu*sv)
	// ÷ n.
	q := p / n
	qe := (math.FMA(-q, n, p) + pe) / n
	// (suv + cuv) − (q + qe).
	t := suv - q
	z := t - suv
	e := (suv - (t - z)) + (-q - z)
	c := t + (e + cuv - qe)
	bound := math.Abs(suv) + math.Abs(q)
	return c, math.Abs(c) > float64(CovLost*bound) || bound == 0
}

// rollCov8Go is RollCov8's reference, one block pair at a time, on
// CovSums' steps.
func rollCov8Go(x, y, out []float64, w int, corr bool, div float64) int {
	n := float64(w)
	suf := make([]CovSums, w)
	groups := len(out) / (8 * w)
	for g := range groups {
		ok := true
		for blk := 8 * w * g; blk < 8*w*(g+1); blk += w {
			nkx, nky := -x[blk+w-1], -y[blk+w-1]
			add := func(a *CovSums, u, v float64) {
				xh, xl := CovShift(u, nkx)
				yh, yl := CovShift(v, nky)
				a.Add(xh, xl, yh, yl, corr)
			}
			var acc CovSums
			for t := w - 1; t >= 0; t-- {
				add(&acc, x[blk+t], y[blk+t])
				suf[t] = acc
			}
			var pre CovSums
			for t := range w {
				if t > 0 {
					add(&pre, x[blk+w+t-1], y[blk+w+t-1])
				}
				s := suf[t].Plus(&pre)
				c, okc := CoMoment(s.Sx, s.Cx, s.Sy, s.Cy, s.Sxy, s.Cxy, n)
				if !corr {
					out[blk+t] = c / div
					ok = ok && okc
					continue
				}
				mx, okx := CoMoment(s.Sx, s.Cx, s.Sx, s.Cx, s.Sxx, s.Cxx, n)
				my, oky := CoMoment(s.Sy, s.Cy, s.Sy, s.Cy, s.Syy, s.Cyy, n)
				mx, my = max(mx, 0), max(my, 0)
				prod := float64(mx * my)
				apart := math.IsInf(prod, 1) || (prod == 0 && mx != 0 && my != 0)
				out[blk+t] = c / math.Sqrt(prod)
				ok = ok && okc && okx && oky && !apart
			}
		}
		if !ok {
			return g
		}
	}
	return groups
}
