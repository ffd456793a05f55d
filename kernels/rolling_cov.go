package kernels

import (
	"math"
	"sync"

	"github.com/blockwise/blockwise/array"
)

// Rolling covariance and correlation use the van Herk/Gil-Werman blocks of
// the variance (rolling_var.go) on pairs: each window is a suffix of its
// start's block plus a prefix of the next, and both series are shifted by
// the pair (Kx, Ky) at the end of the block of starts — a pair every window
// of the block pair holds, or the nearest pair with both values finite. The
// sums Σx', Σy', Σx'y' (and Σx'², Σy'² for the correlation) are compensated,
// each product split exactly with a fused multiply-add, and the
// co-moment Σx'y' − Σx'·Σy'/n is formed in double-double arithmetic: no
// cancellation on 1e8 + N(0,1), none after a spike has left the window, and
// results near zero correlation keep their relative accuracy.

// covAcc is a compensated scan over pairs: each sum is s + c.
type covAcc struct {
	n                        float64
	sx, cx, sy, cy, sxy, cxy float64
	sxx, cxx, syy, cyy       float64
}

// add adds the pair (x, y), already shifted; moments adds the squares too.
func (a *covAcc) add(x, y float64, moments bool) {
	twoSumInto(&a.sx, &a.cx, x)
	twoSumInto(&a.sy, &a.cy, y)
	p := float64(x * y)
	pe := math.FMA(x, y, -p)
	twoSumInto(&a.sxy, &a.cxy, p)
	a.cxy += pe
	if moments {
		p = float64(x * x)
		pe = math.FMA(x, x, -p)
		twoSumInto(&a.sxx, &a.cxx, p)
		a.cxx += pe
		p = float64(y * y)
		pe = math.FMA(y, y, -p)
		twoSumInto(&a.syy, &a.cyy, p)
		a.cyy += pe
	}
	a.n++
}

// addCopies adds m copies of the pair (x, y): the PadEdge copies beyond a
// clamped window.
func (a *covAcc) addCopies(m, x, y float64, moments bool) {
	addProd(&a.sx, &a.cx, m, x, 0)
	addProd(&a.sy, &a.cy, m, y, 0)
	p := float64(x * y)
	addProd(&a.sxy, &a.cxy, m, p, math.FMA(x, y, -p))
	if moments {
		p = float64(x * x)
		addProd(&a.sxx, &a.cxx, m, p, math.FMA(x, x, -p))
		p = float64(y * y)
		addProd(&a.syy, &a.cyy, m, p, math.FMA(y, y, -p))
	}
	a.n += m
}

// addProd adds m·(v + ve) to the compensated sum s + c.
func addProd(s, c *float64, m, v, ve float64) {
	p := float64(m * v)
	twoSumInto(s, c, p)
	*c += math.FMA(m, v, -p) + float64(m*ve)
}

// plus is the join of two scans.
func (a *covAcc) plus(b *covAcc) covAcc {
	r := *a
	twoSumInto(&r.sx, &r.cx, b.sx)
	twoSumInto(&r.sy, &r.cy, b.sy)
	twoSumInto(&r.sxy, &r.cxy, b.sxy)
	twoSumInto(&r.sxx, &r.cxx, b.sxx)
	twoSumInto(&r.syy, &r.cyy, b.syy)
	r.cx += b.cx
	r.cy += b.cy
	r.cxy += b.cxy
	r.cxx += b.cxx
	r.cyy += b.cyy
	r.n += b.n
	return r
}

// comoment is Σuv − Σu·Σv/n from compensated sums (su+cu, sv+cv, suv+cuv),
// in double-double arithmetic.
func comoment(su, cu, sv, cv, suv, cuv, n float64) float64 {
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
	return t + (e + cuv - qe)
}

var covPool = sync.Pool{New: func() any { return new([]covAcc) }}

// covSegment computes rolling cov or corr of x and y for outputs [a, b).
func (r *rollTask) covSegment(x, y *line, out *outLine, a, b int) {
	w := r.w
	bufp := covPool.Get().(*[]covAcc)
	defer covPool.Put(bufp)
	if cap(*bufp) < w {
		*bufp = make([]covAcc, w)
	}
	suf := (*bufp)[:w]
	corr := r.kind == rollCorr
	minp := float64(max(r.minp, 1))
	ddof := float64(r.ddof)
	nan := math.NaN()
	for blk := a; blk < b; blk += w {
		s0 := blk - r.left
		kx, ky := pairShift(x, y, s0, w)
		var ext covAcc // PadEdge copies beyond the clamped windows
		if x0, y0 := x.get(0), y.get(0); r.ex0 > 0 && finite(x0) && finite(y0) {
			ext.addCopies(float64(r.ex0), x0-kx, y0-ky, corr)
		}
		if xn, yn := x.get(x.n-1), y.get(y.n-1); r.ex1 > 0 && finite(xn) && finite(yn) {
			ext.addCopies(float64(r.ex1), xn-kx, yn-ky, corr)
		}
		acc := ext
		for t := w - 1; t >= 0; t-- {
			if u, v := x.get(s0+t), y.get(s0+t); finite(u) && finite(v) {
				acc.add(u-kx, v-ky, corr)
			}
			suf[t] = acc
		}
		var pre covAcc
		for t := 0; t < w && blk+t < b; t++ {
			if t > 0 {
				j := s0 + w + t - 1
				if u, v := x.get(j), y.get(j); finite(u) && finite(v) {
					pre.add(u-kx, v-ky, corr)
				}
			}
			s := suf[t].plus(&pre)
			res := nan
			if s.n >= minp && s.n > ddof {
				c := comoment(s.sx, s.cx, s.sy, s.cy, s.sxy, s.cxy, s.n)
				if corr {
					mx := max(comoment(s.sx, s.cx, s.sx, s.cx, s.sxx, s.cxx, s.n), 0)
					my := max(comoment(s.sy, s.cy, s.sy, s.cy, s.syy, s.cyy, s.n), 0)
					res = c / math.Sqrt(mx*my)
					if math.IsInf(mx*my, 1) || (mx*my == 0 && mx != 0 && my != 0) {
						// The product left the range: the
						// square roots separately.
						res = c / math.Sqrt(mx) / math.Sqrt(my)
					}
				} else {
					res = c / (s.n - ddof)
				}
			}
			out.set(blk+t, res)
		}
	}
}

// pairShift picks the shift of the block pair starting at s0: the pair at
// its common position, or the nearest pair with both values finite.
func pairShift(x, y *line, s0, w int) (float64, float64) {
	c := s0 + w - 1
	if u, v := x.get(c), y.get(c); finite(u) && finite(v) {
		return u, v
	}
	for d := 1; d < w; d++ {
		if u, v := x.get(c-d), y.get(c-d); finite(u) && finite(v) {
			return u, v
		}
		if u, v := x.get(c+d), y.get(c+d); finite(u) && finite(v) {
			return u, v
		}
	}
	return 0, 0
}

// RollingCov sets dst to the covariances of x and y over a rolling window,
// as pandas' x.rolling(w).cov(y): over the pairs in which both values are
// finite, with divisor count − ddof (DDOF, default 1). A window with fewer
// than MinPeriods such pairs (default the window), or no more than ddof,
// gives NaN. Results are within about 1e-15 relative of the exact
// covariance (no cancellation, whatever the offset of the data) and the
// same bits on any schedule.
func (e *Engine) RollingCov(dst, x, y *array.Array, window int, opts ...RollingOption) error {
	return e.rollingWith(rollCov, dst, x, window, rollArgs{y: y}, opts)
}

// RollingCorr sets dst to the Pearson correlations of x and y over a
// rolling window, as pandas' x.rolling(w).corr(y), over the pairs in which
// both values are finite. A window where either series is constant gives
// NaN (0/0), as pandas.
func (e *Engine) RollingCorr(dst, x, y *array.Array, window int, opts ...RollingOption) error {
	return e.rollingWith(rollCorr, dst, x, window, rollArgs{y: y}, opts)
}

// RollingCov is Engine.RollingCov on sched.Default().
func RollingCov(dst, x, y *array.Array, window int, opts ...RollingOption) error {
	return std().RollingCov(dst, x, y, window, opts...)
}

// RollingCorr is Engine.RollingCorr on sched.Default().
func RollingCorr(dst, x, y *array.Array, window int, opts ...RollingOption) error {
	return std().RollingCorr(dst, x, y, window, opts...)
}
