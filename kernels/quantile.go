package kernels

import (
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
	"github.com/blockwise/blockwise/sched"
)

// Quantiles follow numpy's default method ("linear", numpy 1.24): with the
// n values sorted as v, the virtual index is h = (n−1)·q, and the result
// interpolates v[⌊h⌋] and v[⌊h⌋+1] by γ = h − ⌊h⌋ with numpy's _lerp
// (a + (b−a)·γ for γ < 0.5, b − (b−a)·(1−γ) otherwise). The two order
// statistics come from a selection (introselect: quickselect with a
// median-of-three or ninther pivot and a fallback to a sort past 2·log2(n)
// rounds) on a copy of the data, not a full sort: O(n). Order statistics
// are exact, so the result does not depend on the worker count.
//
// Where numpy turns infinities into NaN inside the interpolation (equal
// infinite neighbours, or γ = 0 next to an infinity) we return the order
// statistic itself; Median returns the mean of the two middle values as
// numpy does, (a+b)/2, except that it does not overflow when a+b does. A
// zero result has the sign a sort in IEEE total order gives (−0 before
// +0); numpy's follows where its partition happens to leave the zeros.

// quantileBufs lends calls their working copies.
var quantileBufs = sync.Pool{New: func() any { return new([]float64) }}

// lerp is numpy's _lerp, except where its arithmetic makes a NaN of
// infinite neighbours (γ = 0, or a = b): there the order statistic.
func lerp(a, b, g float64) float64 {
	d := b - a
	var r float64
	if g >= 0.5 {
		r = b - float64(d*(1-g))
	} else {
		r = a + float64(d*g)
	}
	if r != r && a == a && b == b && (g == 0 || a == b) {
		return a
	}
	return r
}

// midpoint is numpy's mean of two middle values, (a+b)/2, without the
// overflow of a+b.
func midpoint(a, b float64) float64 {
	s := a + b
	if math.IsInf(s, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		return float64(a/2) + float64(b/2)
	}
	return s / 2
}

// quantileOf returns the q-quantile of x (len ≥ 1, no NaN), reordering x.
// median selects numpy's median formula.
func quantileOf(x []float64, q float64, median bool) float64 {
	n := len(x)
	if median {
		h := (n - 1) / 2
		a, b := selectPair(x, h)
		if n%2 == 1 {
			return zeroSign(x, h, a)
		}
		return midpoint(zeroSign(x, h, a), zeroSign(x, h+1, b))
	}
	v := float64(n-1) * q
	if v >= float64(n-1) {
		a, _ := selectPair(x, n-1)
		return zeroSign(x, n-1, a)
	}
	lo := int(math.Floor(v))
	g := v - float64(lo)
	a, b := selectPair(x, lo)
	return lerp(zeroSign(x, lo, a), zeroSign(x, lo+1, b), g)
}

// selectPair returns the order statistics at positions k and k+1 of x (k
// and k when k is the last), permuting x. Long ranges are first narrowed
// Floyd–Rivest style: two pivots taken from a sorted sample around rank k
// bracket it, and one pass moves the values between them to the front
// (about 10% of them); the search continues there. A pass that fails to
// bracket k and k+1, or keeps more than half, leaves the work to selectK.
func selectPair(x []float64, k int) (float64, float64) {
	for len(x) >= narrowMin {
		below, m, ok := narrow(x, k)
		if !ok {
			break
		}
		x, k = x[:m], k-below
	}
	a := selectK(x, k)
	if k+1 < len(x) {
		return a, minOf(x[k+1:])
	}
	return a, a
}

const (
	narrowMin    = 1 << 16
	narrowSample = 4096
	narrowSpread = 192 // 6 standard deviations of a rank in the sample
)

// narrow moves the values of x within [p1, p2] — pivots from a sample —
// to x[:m], returning how many values lie below p1, m, and whether ranks
// k and k+1 (or k alone, if last) are among the moved ones.
func narrow(x []float64, k int) (below, m int, ok bool) {
	n := len(x)
	var sample [narrowSample]float64
	step := n / narrowSample
	for i := range sample {
		sample[i] = x[i*step]
	}
	slices.Sort(sample[:])
	kk := int(float64(k) / float64(n) * narrowSample)
	// Compare as unsigned total-order keys, without branches: the borrow
	// of u − lo says u < lo, and u − lo ≤ hi − lo (wrapping) says
	// lo ≤ u ≤ hi.
	lo := ukey(sample[max(kk-narrowSpread, 0)])
	span := ukey(sample[min(kk+narrowSpread, narrowSample-1)]) - lo
	for i, v := range x {
		d := ukey(v) - lo
		_, b := bits.Sub64(ukey(v), lo, 0)
		below += int(b)
		_, out := bits.Sub64(span, d, 0)
		// Branch-free Lomuto step: x[:m] are inside, x[m:i] outside; a
		// value outside swaps with the outside x[m] and m stays.
		x[i] = x[m]
		x[m] = v
		m += int(1 - out)
	}
	last := min(k+1, n-1)
	return below, m, below <= k && last < below+m && m <= n/2
}

// zeroSign returns v, the order statistic at position k of x, with the
// sign a sort in IEEE total order (−0 before +0) gives it when v is a
// zero: selection compares −0 and +0 as equal, so which of them lands at
// k would otherwise depend on the algorithm.
func zeroSign(x []float64, k int, v float64) float64 {
	if v != 0 {
		return v
	}
	neg, nz := 0, 0
	for _, u := range x {
		if u < 0 {
			neg++
		} else if u == 0 && math.Signbit(u) {
			nz++
		}
	}
	if k >= neg && k < neg+nz {
		return math.Copysign(0, -1)
	}
	return 0
}

// ukey maps a float64 to a uint64 whose order is the IEEE total order.
// It is rolling_order.go's sortKey with the sign bit flipped, so that
// unsigned comparison (and radix digits) follow the same order.
func ukey(v float64) uint64 { return asm.Key(v) }

func minOf(x []float64) float64 {
	m := x[0]
	for _, v := range x[1:] {
		m = min(m, v)
	}
	return m
}

// selectK reorders x so that x[k] is the element a sort would put there,
// with x[:k] ≤ x[k] ≤ x[k+1:], and returns it. x holds no NaN.
func selectK(x []float64, k int) float64 {
	lo, hi := 0, len(x) // the k-th lies in x[lo:hi]
	depth := 2 * bits.Len(uint(len(x)))
	for hi-lo > 24 {
		if depth == 0 {
			slices.Sort(x[lo:hi])
			return x[k]
		}
		depth--
		i, j := partition(x[lo:hi])
		i, j = i+lo, j+lo
		switch {
		case k < i:
			hi = i
		case k >= j:
			lo = j
		default:
			return x[k] // inside the run equal to the pivot
		}
	}
	insertionSort(x[lo:hi]) // the small rest
	return x[k]
}

// partition picks a pivot (median of three, ninther for long ranges) and
// rearranges x into x[:i] < p, x[i:j] == p, x[j:] > p (three-way, so runs
// of ties cost nothing), returning i and j.
func partition(x []float64) (int, int) {
	n := len(x)
	m := n / 2
	var p float64
	if n > 512 {
		s := n / 8
		p = med3(med3(x[0], x[s], x[2*s]), med3(x[m-s], x[m], x[m+s]), med3(x[n-1-2*s], x[n-1-s], x[n-1]))
	} else {
		p = med3(x[0], x[m], x[n-1])
	}
	// Dijkstra's three-way partition, with −0 and +0 equal.
	lt, i, gt := 0, 0, n
	for i < gt {
		v := x[i]
		switch {
		case v < p:
			x[lt], x[i] = v, x[lt]
			lt++
			i++
		case v > p:
			gt--
			x[gt], x[i] = v, x[gt]
		default:
			i++
		}
	}
	return lt, gt
}

func med3(a, b, c float64) float64 {
	if a > b {
		a, b = b, a
	}
	if b > c {
		b = c
	}
	return max(a, b)
}

func (e *Engine) quantile(name string, a *array.Array, q float64, median bool) (float64, error) {
	if a == nil {
		return math.NaN(), errorf(name, ErrNil, "nil array")
	}
	if !(q >= 0 && q <= 1) {
		return math.NaN(), errorf(name, ErrArgument, "q = %v outside [0, 1]", q)
	}
	if a.Len() == 0 {
		return math.NaN(), errorf(name, ErrEmpty, "%s of no elements", name)
	}
	bp := quantileBufs.Get().(*[]float64)
	defer quantileBufs.Put(bp)
	if cap(*bp) < a.Len() {
		*bp = make([]float64, a.Len())
	}
	x := (*bp)[:a.Len()]
	if err := a.CopyTo(x); err != nil {
		return math.NaN(), err
	}
	m, err := e.reduceSlice(redMax, x)
	if err != nil {
		return math.NaN(), err
	}
	nan := math.IsNaN(m)
	if nan {
		return math.NaN(), nil
	}
	return quantileOf(x, q, median), nil
}

// Quantile returns the q-quantile of a's elements (q in [0, 1]; NaN or
// outside is ErrArgument) by numpy's default linear interpolation; a NaN
// anywhere gives NaN, as numpy does; no elements is ErrEmpty. It copies a
// once and selects in O(n); a is not modified.
func (e *Engine) Quantile(a *array.Array, q float64) (float64, error) {
	return e.quantile("Quantile", a, q, false)
}

// Median returns the median of a's elements: the middle value, or numpy's
// mean of the two middle values. NaN anywhere gives NaN; no elements is
// ErrEmpty.
func (e *Engine) Median(a *array.Array) (float64, error) {
	return e.quantile("Median", a, 0.5, true)
}

// QuantileAxis sets dst to the q-quantiles of src's lines along axis (dst
// has src's shape without the axis); each output equals Quantile of its
// line. A zero-length axis is ErrEmpty.
func (e *Engine) QuantileAxis(dst, src *array.Array, q float64, axis int) error {
	const name = "QuantileAxis"
	if !(q >= 0 && q <= 1) {
		return errorf(name, ErrArgument, "q = %v outside [0, 1]", q)
	}
	ax, err := checkAxisOut(name, dst, src, axis)
	if err != nil {
		return err
	}
	if src.Dim(ax) == 0 && dst.Len() > 0 {
		return errorf(name, ErrEmpty, "axis %d has length 0", axis)
	}
	t := getTask()
	defer putTask(t)
	t.lines = lineSet{src: src, dst: dst, axis: ax, L: src.Dim(ax), st: src.Stride(ax)}
	t.s1 = q
	c := sched.Cost{Bytes: 16 * float64(t.lines.L), Ops: 8 * float64(t.lines.L), Kernel: "quantileaxis"}
	return e.s.For(e.ctx, dst.Len(), c, t.quantBody)
}

// runQuantile computes outputs [lo, hi) of QuantileAxis.
func (t *task) runQuantile(lo, hi int) {
	ls := &t.lines
	bp := lineBufPool.Get().(*[]float64)
	defer lineBufPool.Put(bp)
	if cap(*bp) < ls.L {
		*bp = make([]float64, ls.L)
	}
	w, wd := newWalkerSkip(ls.src, ls.axis, lo), newWalker(ls.dst, lo)
	out := ls.dst.Backing()
	data := ls.src.Backing()
	for p := lo; p < hi; p++ {
		x := (*bp)[:ls.L]
		off := w.offset(ls.src)
		nan := false
		for i := range x {
			v := data[off+i*ls.st]
			nan = nan || v != v
			x[i] = v
		}
		r := math.NaN()
		if !nan {
			r = quantileOf(x, t.s1, false)
		}
		out[wd.offset(ls.dst)] = r
		w.advance(1)
		wd.advance(1)
	}
}

// Quantile returns the q-quantile of a's elements. See Engine.Quantile.
func Quantile(a *array.Array, q float64) (float64, error) { return std().Quantile(a, q) }

// Median returns the median of a's elements. See Engine.Median.
func Median(a *array.Array) (float64, error) { return std().Median(a) }

// QuantileAxis sets dst to the q-quantiles along axis. See
// Engine.QuantileAxis.
func QuantileAxis(dst, src *array.Array, q float64, axis int) error {
	return std().QuantileAxis(dst, src, q, axis)
}
