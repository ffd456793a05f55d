package kernels

import (
	"math"
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
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

// covAcc is a compensated scan over pairs (asm.CovSums: each sum is S + C,
// the steps asm.RollCov8's lanes take) and its count.
type covAcc struct {
	asm.CovSums
	n float64
}

// add adds the pair (xh + xl, yh + yl): values already shifted, each with
// the rounding error of its shift, so that the sums are those of the exact
// differences. moments adds the squares too.
func (a *covAcc) add(xh, xl, yh, yl float64, moments bool) {
	a.Add(xh, xl, yh, yl, moments)
	a.n++
}

// shifted is v − k as a rounded difference and its rounding error.
func shifted(v, k float64) (float64, float64) { return asm.CovShift(v, -k) }

// addCopies adds m copies of the pair (x, y) shifted by (kx, ky): the
// PadEdge copies beyond a clamped window.
func (a *covAcc) addCopies(m, x, y, kx, ky float64, moments bool) {
	var one covAcc
	xh, xl := shifted(x, kx)
	yh, yl := shifted(y, ky)
	one.add(xh, xl, yh, yl, moments)
	addProd(&a.Sx, &a.Cx, m, one.Sx, one.Cx)
	addProd(&a.Sy, &a.Cy, m, one.Sy, one.Cy)
	addProd(&a.Sxy, &a.Cxy, m, one.Sxy, one.Cxy)
	if moments {
		addProd(&a.Sxx, &a.Cxx, m, one.Sxx, one.Cxx)
		addProd(&a.Syy, &a.Cyy, m, one.Syy, one.Cyy)
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
	return covAcc{a.Plus(&b.CovSums), a.n + b.n}
}

// comoment is Σuv − Σu·Σv/n from compensated sums (su+cu, sv+cv, suv+cuv),
// in double-double arithmetic (asm.CoMoment, without its check).
func comoment(su, cu, sv, cv, suv, cuv, n float64) float64 {
	c, _ := asm.CoMoment(su, cu, sv, cv, suv, cuv, n)
	return c
}

var covPool = sync.Pool{New: func() any { return new([]covAcc) }}

// covSegment computes rolling cov or corr of x and y for outputs [a, b).
// Runs of eight whole block pairs inside contiguous series go to the
// AVX-512 lanes kernel, which takes the steps of covBlock lane for lane;
// it gives back a group of eight holding a window it cannot finish (a
// missing value, a co-moment that cancels), and that group takes covBlock.
func (r *rollTask) covSegment(x, y *line, out *outLine, a, b int) {
	w := r.w
	bufp := covPool.Get().(*[]covAcc)
	defer covPool.Put(bufp)
	if cap(*bufp) < w {
		*bufp = make([]covAcc, w)
	}
	suf := (*bufp)[:w]
	corr := r.kind == rollCorr
	var vec []float64
	if asm.CovLanes() && y.st == 1 && w > r.ddof && w >= r.minp {
		var vp *[]float64
		if vp, vec = r.vecScratch(x, out, a, b, 8*w, 80*w); vp != nil {
			defer vecPool.Put(vp)
		}
	}
	for blk := a; blk < b; {
		if s0 := blk - r.left; vec != nil && s0 >= 0 {
			if g := min(b-blk, x.n-s0-w) / (8 * w); g >= 1 {
				xs := x.x[x.off+s0 : x.off+s0+8*w*g+w]
				ys := y.x[y.off+s0 : y.off+s0+8*w*g+w]
				os := out.x[out.off+blk : out.off+blk+8*w*g]
				done := asm.RollCov8(xs, ys, os, vec, w, corr, float64(w)-float64(r.ddof))
				blk += 8 * w * done
				if done < g {
					for end := blk + 8*w; blk < end; blk += w {
						r.covBlock(x, y, out, suf, blk, b)
					}
				}
				continue
			}
		}
		r.covBlock(x, y, out, suf, blk, b)
		blk += w
	}
}

// covBlock computes the outputs [blk, min(blk+w, b)) of one block pair:
// suf is scratch for w scans.
func (r *rollTask) covBlock(x, y *line, out *outLine, suf []covAcc, blk, b int) {
	w := r.w
	corr := r.kind == rollCorr
	minp := float64(max(r.minp, 1))
	ddof := float64(r.ddof)
	s0 := blk - r.left
	kx, ky := pairShift(x, y, s0, w)
	var ext covAcc // PadEdge copies beyond the clamped windows
	if x0, y0 := x.head(), y.head(); r.ex0 > 0 && finite(x0) && finite(y0) {
		ext.addCopies(float64(r.ex0), x0, y0, kx, ky, corr)
	}
	if xn, yn := x.tail(), y.tail(); r.ex1 > 0 && finite(xn) && finite(yn) {
		ext.addCopies(float64(r.ex1), xn, yn, kx, ky, corr)
	}
	acc := ext
	for t := w - 1; t >= 0; t-- {
		if u, v := x.get(s0+t), y.get(s0+t); finite(u) && finite(v) {
			xh, xl := shifted(u, kx)
			yh, yl := shifted(v, ky)
			acc.add(xh, xl, yh, yl, corr)
		}
		suf[t] = acc
	}
	var pre covAcc
	for t := 0; t < w && blk+t < b; t++ {
		if t > 0 {
			j := s0 + w + t - 1
			if u, v := x.get(j), y.get(j); finite(u) && finite(v) {
				xh, xl := shifted(u, kx)
				yh, yl := shifted(v, ky)
				pre.add(xh, xl, yh, yl, corr)
			}
		}
		s := suf[t].plus(&pre)
		res := math.NaN()
		if s.n >= minp && s.n > ddof {
			var ok bool
			if res, ok = r.covOf(&s, corr, ddof); !ok {
				// A shift far from this window's values may have
				// cancelled it away: two passes, then, if the
				// co-moment itself cancels, exact sums.
				e := r.covTwoPass(x, y, blk+t, corr)
				if res, ok = r.covOf(&e, corr, ddof); !ok {
					res = r.covCancelled(x, y, blk+t, &e, corr, ddof)
				}
			}
		}
		out.set(blk+t, res)
	}
}

// covOf is the covariance or correlation of a window's sums, and false
// when a co-moment cancels to less than asm.CovLost (2^-70) of its terms:
// then the shift was too far from the window's values for even
// double-double sums, or the co-moment is far smaller than its terms.
func (r *rollTask) covOf(s *covAcc, corr bool, ddof float64) (float64, bool) {
	c, ok := asm.CoMoment(s.Sx, s.Cx, s.Sy, s.Cy, s.Sxy, s.Cxy, s.n)
	if !ok {
		return 0, false
	}
	if !corr {
		return c / (s.n - ddof), true
	}
	mx, okx := asm.CoMoment(s.Sx, s.Cx, s.Sx, s.Cx, s.Sxx, s.Cxx, s.n)
	my, oky := asm.CoMoment(s.Sy, s.Cy, s.Sy, s.Cy, s.Syy, s.Cyy, s.n)
	if !okx || !oky {
		return 0, false
	}
	return corrOf(c, mx, my), true
}

// corrOf is the correlation c/√(mx·my) of a co-moment and two moments.
func corrOf(c, mx, my float64) float64 {
	mx, my = max(mx, 0), max(my, 0)
	res := c / math.Sqrt(mx*my)
	if math.IsInf(mx*my, 1) || (mx*my == 0 && mx != 0 && my != 0) {
		// The product left the range: the square roots separately.
		res = c / math.Sqrt(mx) / math.Sqrt(my)
	}
	return res
}

// covCancelled is the covariance or correlation of the window of i when
// its co-moment cancels even about the window's own means (e holds those
// two-pass sums): the co-moment n·Σxy − Σx·Σy is then summed exactly, as an
// expansion, on the values scaled by powers of two to magnitudes below 1
// (so no product overflows or underflows, and an expansion stays short),
// and scaled back. A window of 1e-100s and 1e3s whose large terms cancel
// exactly keeps the 1e-76 its small ones leave. The moments of a
// correlation, sums of squares, do not cancel: they come from e.
func (r *rollTask) covCancelled(x, y *line, i int, e *covAcc, corr bool, ddof float64) float64 {
	var mu, mv float64
	r.eachPair(x, y, i, func(_, u, v float64) {
		mu, mv = max(mu, math.Abs(u)), max(mv, math.Abs(v))
	})
	_, eu := math.Frexp(mu)
	_, ev := math.Frexp(mv)
	var bufs [4][40]float64
	sx, sy, sxy := expansion(bufs[0][:0]), expansion(bufs[1][:0]), expansion(bufs[2][:0])
	n := 0.0
	r.eachPair(x, y, i, func(m, u, v float64) {
		u, v = math.Ldexp(u, -eu), math.Ldexp(v, -ev)
		p := float64(u * v)
		pe := math.FMA(u, v, -p)
		sx, sy = sx.addProd(m, u), sy.addProd(m, v)
		sxy = sxy.addProd(m, p).addProd(m, pe)
		n += m
	})
	t := expansion(bufs[3][:0]).addScaled(sxy, n)
	for _, v := range sy {
		t = t.addScaled(sx, -v)
	}
	c := math.Ldexp(t.value()/n, eu+ev)
	if !finite(c) {
		c = comoment(e.Sx, e.Cx, e.Sy, e.Cy, e.Sxy, e.Cxy, e.n) // beyond the range
	}
	if !corr {
		return c / (n - ddof)
	}
	mx := comoment(e.Sx, e.Cx, e.Sx, e.Cx, e.Sxx, e.Cxx, e.n)
	my := comoment(e.Sy, e.Cy, e.Sy, e.Cy, e.Syy, e.Cyy, e.n)
	return corrOf(c, mx, my)
}

// covTwoPass is the sums of the window of i about the window's own means:
// a first pass for the means, a second for the shifted sums.
func (r *rollTask) covTwoPass(x, y *line, i int, corr bool) covAcc {
	var mx, my scanState
	cnt := 0
	for j := i - r.left; j <= i+r.righ; j++ {
		if u, v := x.get(j), y.get(j); finite(u) && finite(v) {
			mx.add(u)
			my.add(v)
			cnt++
		}
	}
	kx, ky := (mx.s+mx.c)/float64(cnt), (my.s+my.c)/float64(cnt)
	var e covAcc
	r.eachPair(x, y, i, func(m, u, v float64) {
		if m != 1 {
			e.addCopies(m, u, v, kx, ky, corr)
			return
		}
		xh, xl := shifted(u, kx)
		yh, yl := shifted(v, ky)
		e.add(xh, xl, yh, yl, corr)
	})
	return e
}

// eachPair calls f(1, x, y) for every pair of the window of i with both
// values finite, then f(m, x, y) for the m PadEdge copies of each edge
// pair beyond the clamped window.
func (r *rollTask) eachPair(x, y *line, i int, f func(m, u, v float64)) {
	for j := i - r.left; j <= i+r.righ; j++ {
		if u, v := x.get(j), y.get(j); finite(u) && finite(v) {
			f(1, u, v)
		}
	}
	if x0, y0 := x.head(), y.head(); r.ex0 > 0 && finite(x0) && finite(y0) {
		f(float64(r.ex0), x0, y0)
	}
	if xn, yn := x.tail(), y.tail(); r.ex1 > 0 && finite(xn) && finite(yn) {
		f(float64(r.ex1), xn, yn)
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
// gives NaN. The sums are double-double, so a result's error is about
// 2^-100 of Σ|x−Kx|·|y−Ky| (K a pair of the window's block pair): within
// ~1e-15 relative of the exact covariance whatever the offset of the data
// (1e8 + N(0,1) loses nothing), unless the terms cancel by more than 30
// digits (a value of 1e38 beside values of 1e2, with y nearly linear),
// where the result keeps only that absolute accuracy. The same bits on any
// schedule.
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
