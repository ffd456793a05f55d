package kernels

import (
	"math"
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

// CumSum and CumProd are parallel scans over fixed blocks. Every line along
// the axis is cut at fixed positions into blocks of scanBlock elements.
//
//  1. Every block but a line's last is reduced on its own, in parallel, to
//     its total T_b: for CumSum a compensated (double-double) sum, for
//     CumProd the product held as mantissa·2^k so that it neither
//     overflows nor underflows.
//  2. Serially per line, the entry state of block b is the running
//     combination E_0 = identity, E_{b+1} = E_b ⊕ T_b.
//  3. Every block is scanned from its entry state, in parallel.
//
// The blocks' positions never depend on the worker count, and each value
// is a fixed function of them, so outputs are bit-identical for any
// number of workers and any block size of the scheduler.
//
// CumSum's scan carries the running sum as s + c, c gathering the rounding
// error of every addition (TwoSum), and writes s + c: each output is the
// exact prefix sum P rounded, give or take the rounding of c itself —
// |error| ≤ ε/2·|P| + O(n·ε²)·Σ|x| — where numpy's cumsum drifts by up to
// n·ε·Σ|x|. Once a prefix
// is ±Inf or NaN (an infinite input, or a sum beyond range), the outputs
// follow IEEE addition as numpy's do.
//
// CumProd's scan multiplies a local product p_i (mantissa·2^k) from 1 and
// writes E_b·p_i, rounded at the end, so the outputs may differ from the
// sequential product by a few ulps — deterministically.
const scanBlock = 8192

type scanKind uint8

const (
	scanSum scanKind = iota
	scanProd
)

var scanNames = [...]string{"CumSum", "CumProd"}

// cumState is a block total or entry state: hi + lo for sums,
// hi·2^k for products.
type cumState struct {
	hi, lo float64
	k      int
}

// scanTask is one CumSum/CumProd call.
type scanTask struct {
	kind       scanKind
	src, dst   *array.Array
	axis       int
	L, nb      int // line length, blocks per line
	sst, dstSt int
	states     []cumState // per (line, block): T_b after phase 1, E_b after phase 2

	reduceBody, scanBody func(lo, hi int) // bound once: no allocation per call
}

var cumPool = sync.Pool{New: func() any {
	t := new(scanTask)
	t.reduceBody, t.scanBody = t.reduceBlocks, t.scanBlocks
	return t
}}

var scanLabels = [...]string{"cumsum", "cumprod"}
var cumStates = sync.Pool{New: func() any { return new([]cumState) }}

func (e *Engine) scan(kind scanKind, dst, src *array.Array, axis int) error {
	ax, err := checkAlongAxis(scanNames[kind], dst, src, axis)
	if err != nil {
		return err
	}
	n := src.Len()
	if n == 0 {
		return nil
	}
	t := cumPool.Get().(*scanTask)
	defer cumPool.Put(t)
	L := src.Dim(ax)
	t.kind, t.src, t.dst, t.axis, t.L = kind, src, dst, ax, L
	t.nb, t.sst, t.dstSt = (L+scanBlock-1)/scanBlock, src.Stride(ax), dst.Stride(ax)
	defer func() { t.src, t.dst, t.states = nil, nil, nil }()
	lines := n / L
	items := lines * t.nb
	sp := cumStates.Get().(*[]cumState)
	defer cumStates.Put(sp)
	if cap(*sp) < items {
		*sp = make([]cumState, items)
	}
	t.states = (*sp)[:items]
	c := sched.Cost{Bytes: 8 * float64(min(L, scanBlock)), Ops: 4 * float64(min(L, scanBlock)), Kernel: scanLabels[kind]}
	if t.nb > 1 {
		c1 := c
		c1.Bytes /= 2
		if err := e.s.For(e.ctx, items, c1, t.reduceBody); err != nil {
			return err
		}
	}
	t.entries()
	return e.s.For(e.ctx, items, c, t.scanBody)
}

// checkAlongAxis validates a kernel that maps src to a dst of the same
// shape line by line along axis (the scans, Sort): non-nil arrays, the axis
// in range, equal shapes, dst writing no element twice, and no overlap but
// dst being src itself. It returns the normalised axis.
func checkAlongAxis(name string, dst, src *array.Array, axis int) (int, error) {
	if dst == nil || src == nil {
		return 0, errorf(name, ErrNil, "nil array")
	}
	ax, err := src.NormAxis(axis)
	if err != nil {
		return 0, errorf(name, ErrAxis, "axis %d for %d dimensions", axis, src.Ndim())
	}
	if !array.SameShape(dst, src) {
		return 0, errorf(name, ErrShape, "dst %v, src %v", dst.Shape(), src.Shape())
	}
	if array.SelfOverlaps(dst) {
		return 0, errorf(name, ErrOverlap, "dst addresses some elements more than once")
	}
	if array.PartialOverlap(dst, src) {
		return 0, errorf(name, ErrOverlap, "dst and src")
	}
	return ax, nil
}

// block returns item it: its line index, block index and element range.
func (t *scanTask) block(it int) (li, b, lo, hi int) {
	li, b = it/t.nb, it%t.nb
	return li, b, b * scanBlock, min(t.L, (b+1)*scanBlock)
}

// lineStart returns the backing offsets of line li's first element in src
// and dst.
func (t *scanTask) lineStart(li int) (int, int) {
	ws, wd := newWalkerSkip(t.src, t.axis, li), newWalkerSkip(t.dst, t.axis, li)
	return ws.offset(t.src), wd.offset(t.dst)
}

// input returns the block's values, in place when contiguous, else copied
// into buf.
func (t *scanTask) input(off, lo, hi int, buf *[scanBlock]float64) []float64 {
	data := t.src.Backing()
	if t.sst == 1 {
		return data[off+lo : off+hi]
	}
	x := buf[:hi-lo]
	for i := range x {
		x[i] = data[off+(lo+i)*t.sst]
	}
	return x
}

var cumBufs = sync.Pool{New: func() any { return new([2][scanBlock]float64) }}

// reduceBlocks is phase 1 for items [lo, hi).
func (t *scanTask) reduceBlocks(lo, hi int) {
	bufs := cumBufs.Get().(*[2][scanBlock]float64)
	defer cumBufs.Put(bufs)
	for it := lo; it < hi; it++ {
		li, b, a, z := t.block(it)
		if b == t.nb-1 {
			continue // nobody needs the last block's total
		}
		so, _ := t.lineStart(li)
		x := t.input(so, a, z, &bufs[0])
		if t.kind == scanSum {
			t.states[it] = sumTotal(x)
		} else {
			t.states[it] = prodTotal(x)
		}
	}
}

// entries is phase 2: block totals become entry states, line by line.
func (t *scanTask) entries() {
	for li := 0; li*t.nb < len(t.states); li++ {
		st := t.states[li*t.nb : (li+1)*t.nb]
		e := cumState{hi: negZero, lo: 0}
		if t.kind == scanProd {
			e = cumState{hi: 1}
		}
		for b := range st {
			tb := st[b]
			st[b] = e
			if b < len(st)-1 {
				if t.kind == scanSum {
					e = ddAdd(e, tb)
				} else {
					e = prodMul(e, tb)
				}
			}
		}
	}
}

// scanBlocks is phase 3 for items [lo, hi).
func (t *scanTask) scanBlocks(lo, hi int) {
	bufs := cumBufs.Get().(*[2][scanBlock]float64)
	defer cumBufs.Put(bufs)
	out := t.dst.Backing()
	for it := lo; it < hi; it++ {
		li, _, a, z := t.block(it)
		so, do := t.lineStart(li)
		x := t.input(so, a, z, &bufs[0])
		var y []float64
		if t.dstSt == 1 {
			y = out[do+a : do+z]
		} else {
			y = bufs[1][:z-a]
		}
		if t.kind == scanSum {
			cumSumBlock(y, x, t.states[it])
		} else {
			cumProdBlock(y, x, t.states[it])
		}
		if t.dstSt != 1 {
			for i, v := range y {
				out[do+(a+i)*t.dstSt] = v
			}
		}
	}
}

// sumTotal returns Σx as an unevaluated sum hi + lo, from four lanes of
// compensated sums combined in a fixed order.
func sumTotal(x []float64) cumState {
	s := [4]float64{negZero, negZero, negZero, negZero}
	var c [4]float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		for j := range 4 {
			t := s[j] + x[i+j]
			z := t - s[j]
			c[j] += (s[j] - (t - z)) + (x[i+j] - z)
			s[j] = t
		}
	}
	for j := 0; i < len(x); i, j = i+1, j+1 {
		t := s[j] + x[i]
		z := t - s[j]
		c[j] += (s[j] - (t - z)) + (x[i] - z)
		s[j] = t
	}
	acc := cumState{hi: s[0], lo: c[0]}
	for j := 1; j < 4; j++ {
		acc = ddAdd(acc, cumState{hi: s[j], lo: c[j]})
	}
	return acc
}

// ddAdd adds two unevaluated sums and renormalises; a non-finite high part
// makes the result plain IEEE addition.
func ddAdd(a, b cumState) cumState {
	s, e := twoSum(a.hi, b.hi)
	if !finite(s) {
		return cumState{hi: a.hi + b.hi}
	}
	e += a.lo + b.lo
	if e == 0 {
		return cumState{hi: s}
	}
	hi := s + e
	return cumState{hi: hi, lo: e - (hi - s)}
}

// cumSumBlock writes the running sums of x, starting from entry state e,
// into y (len(y) == len(x)).
func cumSumBlock(y, x []float64, e cumState) {
	y = y[:len(x)]
	s, c := e.hi, e.lo
	if finite(s) {
		for i, v := range x {
			t := s + v
			z := t - s
			c += (s - (t - z)) + (v - z)
			s = t
			r := s + c
			if c == 0 {
				r = s // keeps −0 a −0
			}
			y[i] = r
		}
		if finite(s) {
			return
		}
		s, c = e.hi, e.lo // an Inf or NaN met: redo the block with care
	}
	for i, v := range x {
		t := s + v
		if finite(t) {
			z := t - s
			c += (s - (t - z)) + (v - z)
			s = t
			r := s + c
			if c == 0 {
				r = s
			}
			y[i] = r
			continue
		}
		s, c = t, 0
		y[i] = t
	}
}

// Products are held as hi·2^k with |hi| kept within [2^-500, 2^500] (or
// 0, ±Inf, NaN), so that no partial product overflows or underflows.
const prodHi, prodLo = 0x1p500, 0x1p-500

func prodNorm(s cumState) cumState {
	if a := math.Abs(s.hi); a > prodHi || (a < prodLo && a != 0) {
		if math.IsInf(s.hi, 0) {
			return s
		}
		f, e := math.Frexp(s.hi)
		s.hi, s.k = f, s.k+e
	}
	return s
}

func prodMul(a, b cumState) cumState {
	return prodNorm(cumState{hi: a.hi * b.hi, k: a.k + b.k})
}

// prodTotal returns the product of x from 1, left to right, as
// cumProdBlock's local product ends.
func prodTotal(x []float64) cumState {
	p := cumState{hi: 1}
	for _, v := range x {
		p.hi *= v
		if a := math.Abs(p.hi); a > prodHi || (a < prodLo && a != 0) {
			p = prodNorm(p)
		}
	}
	return p
}

// cumProdBlock writes e·(x_0·…·x_i) into y.
func cumProdBlock(y, x []float64, e cumState) {
	y = y[:len(x)]
	p := cumState{hi: 1}
	k := e.k
	f1, f2, ld := pow2(k)
	for i, v := range x {
		p.hi *= v
		if a := math.Abs(p.hi); a > prodHi || (a < prodLo && a != 0) {
			p = prodNorm(p)
			k = e.k + p.k
			f1, f2, ld = pow2(k)
		}
		z := e.hi * p.hi
		if ld {
			y[i] = math.Ldexp(z, k)
		} else {
			y[i] = z * f1 * f2
		}
	}
}

// pow2 returns factors f1, f2 with z·f1·f2 = z·2^k exactly rounded for
// every |z| in [2^-1000, 2^1000] (and 0, ±Inf, NaN): 2^k itself when it is
// a normal float64; for k far beyond the range (where the result is ±0 or
// ±Inf whatever z) two extreme powers; in between ld is true and the
// caller uses math.Ldexp.
func pow2(k int) (f1, f2 float64, ld bool) {
	switch {
	case k >= -1022 && k <= 1023:
		return math.Float64frombits(uint64(k+1023) << 52), 1, false
	case k < -2200:
		return 0x1p-1074, 0x1p-1074, false
	case k > 2200:
		return 0x1p1023, 0x1p1023, false
	}
	return 0, 0, true
}

// CumSum sets dst to the running sums of src along axis (negative counts
// from the end): dst[…, i, …] = Σ_{j ≤ i} src[…, j, …]. Compensated: every
// output is the exact prefix sum P correctly rounded give or take
// O(n·ε²)·Σ|x| — within 4.5e-16·Σ|x|, and within 2 ulps of P in the tests
// unless P has cancelled below 1e-6·Σ|x| —
// where numpy's cumsum drifts linearly in n; split across workers at fixed blocks, so
// bit-identical for any worker count. dst may be src (in place); other
// overlap is ErrOverlap. See scan.go for the algorithm.
func (e *Engine) CumSum(dst, src *array.Array, axis int) error {
	return e.scan(scanSum, dst, src, axis)
}

// CumProd sets dst to the running products of src along axis, split and
// bit-identical as CumSum; partial products are held as mantissa·2^k, so an
// output that fits is never lost to an intermediate overflow or underflow.
func (e *Engine) CumProd(dst, src *array.Array, axis int) error {
	return e.scan(scanProd, dst, src, axis)
}

// CumSum sets dst to the running sums along axis. See Engine.CumSum.
func CumSum(dst, src *array.Array, axis int) error { return std().CumSum(dst, src, axis) }

// CumProd sets dst to the running products along axis. See Engine.CumProd.
func CumProd(dst, src *array.Array, axis int) error { return std().CumProd(dst, src, axis) }
