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

// covState is a block pair's compensated scan: each sum is s + c.
type covState struct{ sx, cx, sy, cy, sxy, cxy, sxx, cxx, syy, cyy float64 }

// twoSumTo adds v into the compensated sum s + c.
func twoSumTo(s, c *float64, v float64) {
	t := *s + v
	z := t - *s
	*c += (*s - (t - z)) + (v - z)
	*s = t
}

// add adds the pair (u, v) shifted by (−nkx, −nky) with the shifts'
// rounding errors, as kernels' covAcc.add.
func (a *covState) add(u, v, nkx, nky float64, corr bool) {
	split := func(v, nk float64) (float64, float64) {
		t := v + nk
		z := t - v
		return t, (v - (t - z)) + (nk - z)
	}
	xh, xl := split(u, nkx)
	yh, yl := split(v, nky)
	twoSumTo(&a.sx, &a.cx, xh)
	a.cx += xl
	twoSumTo(&a.sy, &a.cy, yh)
	a.cy += yl
	p := float64(xh * yh)
	pe := math.FMA(xh, yh, -p) + float64(float64(xh*yl)+float64(xl*yh))
	twoSumTo(&a.sxy, &a.cxy, p)
	a.cxy += pe
	if corr {
		p = float64(xh * xh)
		pe = math.FMA(xh, xh, -p) + float64(2*float64(xh*xl))
		twoSumTo(&a.sxx, &a.cxx, p)
		a.cxx += pe
		p = float64(yh * yh)
		pe = math.FMA(yh, yh, -p) + float64(2*float64(yh*yl))
		twoSumTo(&a.syy, &a.cyy, p)
		a.cyy += pe
	}
}

// plus joins a suffix scan a and a prefix scan b, as kernels' covAcc.plus.
func (a covState) plus(b *covState) covState {
	twoSumTo(&a.sx, &a.cx, b.sx)
	twoSumTo(&a.sy, &a.cy, b.sy)
	twoSumTo(&a.sxy, &a.cxy, b.sxy)
	twoSumTo(&a.sxx, &a.cxx, b.sxx)
	twoSumTo(&a.syy, &a.cyy, b.syy)
	a.cx += b.cx
	a.cy += b.cy
	a.cxy += b.cxy
	a.cxx += b.cxx
	a.cyy += b.cyy
	return a
}

// coMoment is kernels' comomentChecked: Σuv − Σu·Σv/n in double-double
// arithmetic, and whether it kept more than CovLost of its terms.
func coMoment(su, cu, sv, cv, suv, cuv, n float64) (float64, bool) {
	p := float64(su * sv)
	pe := math.FMA(su, sv, -p) + float64(su*cv) + float64(cu*sv)
	q := p / n
	qe := (math.FMA(-q, n, p) + pe) / n
	t := suv - q
	z := t - suv
	e := (suv - (t - z)) + (-q - z)
	c := t + (e + cuv - qe)
	bound := math.Abs(suv) + math.Abs(q)
	return c, math.Abs(c) > float64(CovLost*bound) || bound == 0
}

// rollCov8Go is RollCov8's reference, one block pair at a time.
func rollCov8Go(x, y, out []float64, w int, corr bool, div float64) int {
	n := float64(w)
	suf := make([]covState, w)
	groups := len(out) / (8 * w)
	for g := range groups {
		ok := true
		for blk := 8 * w * g; blk < 8*w*(g+1); blk += w {
			nkx, nky := -x[blk+w-1], -y[blk+w-1]
			var acc covState
			for t := w - 1; t >= 0; t-- {
				acc.add(x[blk+t], y[blk+t], nkx, nky, corr)
				suf[t] = acc
			}
			var pre covState
			for t := range w {
				if t > 0 {
					pre.add(x[blk+w+t-1], y[blk+w+t-1], nkx, nky, corr)
				}
				s := suf[t].plus(&pre)
				c, okc := coMoment(s.sx, s.cx, s.sy, s.cy, s.sxy, s.cxy, n)
				if !corr {
					out[blk+t] = c / div
					ok = ok && okc
					continue
				}
				mx, okx := coMoment(s.sx, s.cx, s.sx, s.cx, s.sxx, s.cxx, n)
				my, oky := coMoment(s.sy, s.cy, s.sy, s.cy, s.syy, s.cyy, n)
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
