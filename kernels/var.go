package kernels

import (
	"math"
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
	"github.com/blockwise/blockwise/sched"
)

// Var and Std read the data once. Every chunk (8192 elements, the fixed
// positions of Sum) is summarised in cache by the corrected two-pass
// algorithm (Chan, Golub & LeVeque): its mean m = Σx/n in Sum's leaf
// order, then Σd and Σd² over d = x − m, giving the chunk's mean
// m + Σd/n and its M2 = Σd² − (Σd)²/n. The chunk summaries are merged by
// Chan's pairwise formula (δ = m_b − m_a; M2 = M2_a + M2_b + δ²·n_a·n_b/n)
// in counterReduce's fixed tree, so 1e8 + N(0,1) loses nothing to
// cancellation and the result does not depend on the worker count. Where a
// mean or M2 leaves the float64 range, or the squares fall towards the
// subnormals, the summaries are recomputed on x·2^s with 2^s chosen from
// max|x| (exact scaling) and the result is scaled back: std is then finite
// whenever it is representable. Whole arrays and lines (VarAxis) run the
// same code in the same order, so Var of a line equals VarAxis's output for
// it, bit for bit.

// moments summarises n values: their mean, as an unevaluated sum hi + lo
// (so that the difference of two close means is exact), and
// M2 = Σ(x − mean)².
type moments struct {
	n      int
	hi, lo float64
	m2     float64
}

// merge is Chan et al.'s pairwise update.
func (a moments) merge(b moments) moments {
	if a.n == 0 {
		return b
	}
	if b.n == 0 {
		return a
	}
	n := a.n + b.n
	fa, fb, fn := float64(a.n), float64(b.n), float64(n)
	d := (b.hi - a.hi) + (b.lo - a.lo)
	if math.IsInf(d, 0) || math.IsNaN(d) {
		// Means of opposite signs near the range's end: the weighted
		// mean still fits.
		mean := float64(a.hi*(fa/fn)) + float64(b.hi*(fb/fn))
		return moments{n: n, hi: mean, m2: a.m2 + b.m2 + d}
	}
	hi, lo := twoSum(a.hi, a.lo+float64(d*(fb/fn)))
	m2 := a.m2 + b.m2 + float64(float64(d*d)*(fa*fb/fn))
	return moments{n: n, hi: hi, lo: lo, m2: m2}
}

// mean is the summary's mean, rounded.
func (a moments) mean() float64 { return a.hi + a.lo }

// mergeAll combines v in counterReduce's order (perfect pairwise trees
// over the binary digits of len(v), folded from the right), using v as
// scratch.
func mergeAll(v []moments) moments {
	var acc moments
	first := true
	end := len(v)
	for bit := 0; 1<<bit <= len(v); bit++ {
		if len(v)&(1<<bit) == 0 {
			continue
		}
		b := v[end-1<<bit : end]
		for w := len(b) / 2; w >= 1; w /= 2 {
			for i := 0; i < w; i++ {
				b[i] = b[2*i].merge(b[2*i+1])
			}
		}
		if first {
			acc, first = b[0], false
		} else {
			acc = b[0].merge(acc)
		}
		end -= 1 << bit
	}
	return acc
}

// devBlock is how many values chunkMoments scales or shifts at a time
// (whole leaves, 16 KiB: the three passes over a block stay in L1).
const devBlock = 16 * asm.Leaf

// chunkMoments summarises x (at most one chunk), scaled by scale (a power
// of two).
func chunkMoments(x []float64, scale float64) moments {
	var ls, lq [chunkLeaves]float64
	var d [devBlock]float64
	n := len(x)
	if n == 0 {
		return moments{}
	}
	// Pass 1: the sum, in Sum's leaf order.
	l := 0
	for p := 0; p < n; p += devBlock {
		v := x[p:min(n, p+devBlock)]
		if scale != 1 {
			b := d[:len(v)]
			asm.Scale(b, v, scale)
			v = b
		}
		m := asm.Leaves(len(v))
		asm.LeafSums(ls[l:l+m], v)
		l += m
	}
	fn := float64(n)
	mean := counterReduce(ls[:l]) / fn
	if math.IsNaN(mean) || math.IsInf(mean, 0) {
		return moments{n: n, hi: mean, m2: mean}
	}
	// Pass 2: deviations from it, summed and squared.
	l = 0
	for p := 0; p < n; p += devBlock {
		v := x[p:min(n, p+devBlock)]
		b := d[:len(v)]
		if scale != 1 {
			asm.Scale(b, v, scale)
			asm.AddConst(b, b, -mean)
		} else {
			asm.AddConst(b, v, -mean) // x + (−m) is x − m exactly
		}
		m := asm.Leaves(len(b))
		asm.LeafSums(ls[l:l+m], b)
		asm.LeafDots(lq[l:l+m], b, b)
		l += m
	}
	sd, sq := counterReduce(ls[:l]), counterReduce(lq[:l])
	return moments{n: n, hi: mean, lo: sd / fn, m2: max(sq-float64(sd*sd)/fn, 0)}
}

// needScaled reports whether the plain summaries may have lost the answer:
// a mean or M2 beyond range, or squares that may have underflowed (M2 tiny
// while the mean is tiny too; with |mean| ≥ 2^-400 every nonzero deviation
// squares to a normal number).
func needScaled(m moments) bool {
	mean := m.mean()
	return math.IsNaN(mean) || math.IsInf(mean, 0) || math.IsInf(m.m2, 0) || math.IsNaN(m.m2) ||
		(m.m2 < 0x1p-900 && math.Abs(mean) < 0x1p-400)
}

// scaleFor returns s such that max|x|·2^s is near 1, limited so that 2^s
// is a float64 (2^-1024 is subnormal but exact).
func scaleFor(maxAbs float64) int {
	_, e := math.Frexp(maxAbs)
	return min(max(-e, -1024), 1000)
}

// varFinish turns the moments of values scaled by 2^s into the variance,
// or the standard deviation when std is set.
func varFinish(m moments, ddof int, s int, std bool) float64 {
	if m.n-ddof <= 0 {
		return math.NaN()
	}
	v := m.m2 / float64(m.n-ddof)
	if std {
		return canonNaN(math.Ldexp(math.Sqrt(v), -s))
	}
	return canonNaN(math.Ldexp(v, -2*s))
}

// momentsPool lends lines their per-chunk summaries.
var momentsPool = sync.Pool{New: func() any { return new([]moments) }}

// lineMoments summarises a contiguous line chunk by chunk, as the whole
// array path does.
func lineMoments(x []float64, scale float64) moments {
	chunks := (len(x) + chunk - 1) / chunk
	if chunks <= 8 {
		var v [8]moments
		for c := range chunks {
			v[c] = chunkMoments(x[c*chunk:min(len(x), (c+1)*chunk)], scale)
		}
		return mergeAll(v[:chunks])
	}
	p := momentsPool.Get().(*[]moments)
	defer momentsPool.Put(p)
	if cap(*p) < chunks {
		*p = make([]moments, chunks)
	}
	v := (*p)[:chunks]
	for c := range v {
		v[c] = chunkMoments(x[c*chunk:min(len(x), (c+1)*chunk)], scale)
	}
	return mergeAll(v)
}

// varLine is Var over one contiguous line, serially.
func varLine(x []float64, ddof int, std bool) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	m := lineMoments(x, 1)
	if !needScaled(m) {
		return varFinish(m, ddof, 0, std)
	}
	M := extreme(redMaxAbs, x)
	switch {
	case math.IsNaN(M) || math.IsInf(M, 0):
		return math.NaN()
	case M == 0:
		return varFinish(moments{n: len(x)}, ddof, 0, std)
	}
	s := scaleFor(M)
	return varFinish(lineMoments(x, math.Ldexp(1, s)), ddof, s, std)
}

// arrayMoments summarises every chunk of a in parallel and merges the
// summaries as lineMoments does.
func (e *Engine) arrayMoments(a *array.Array, scale float64) (moments, error) {
	t := getTask()
	defer putTask(t)
	n := a.Len()
	chunks := (n + chunk - 1) / chunk
	t.in[0], t.n, t.s2 = a, n, scale
	t.x[0] = a.Data()
	t.contig = t.x[0] != nil
	pp := momentsPool.Get().(*[]moments)
	defer momentsPool.Put(pp)
	if cap(*pp) < chunks {
		*pp = make([]moments, chunks)
	}
	t.moments = (*pp)[:chunks]
	defer func() { t.moments = nil }()
	c := sched.Cost{Bytes: 8 * chunk, Ops: 4 * chunk, Kernel: "var"}
	if err := e.s.For(e.ctx, chunks, c, t.devBody); err != nil {
		return moments{}, err
	}
	return mergeAll(t.moments), nil
}

// runDev summarises chunks [lo, hi).
func (t *task) runDev(lo, hi int) {
	var buf *[chunk]float64
	defer releaseChunk(&buf)
	for c := lo; c < hi; c++ {
		x, _ := t.chunkOf(c, &buf)
		t.moments[c] = chunkMoments(x, t.s2)
	}
}

// chunkPool lends workers a chunk-sized buffer for strided inputs.
var chunkPool = sync.Pool{New: func() any { return new([chunk]float64) }}

// chunkOf returns chunk c of t.in[0] (t.n elements) and its first flat
// index: in place when contiguous, else gathered into *buf, which it
// borrows from chunkPool on first use (releaseChunk gives it back).
func (t *task) chunkOf(c int, buf **[chunk]float64) ([]float64, int) {
	start, end := c*chunk, min(t.n, (c+1)*chunk)
	if t.contig {
		return t.x[0][start:end], start
	}
	if *buf == nil {
		*buf = chunkPool.Get().(*[chunk]float64)
	}
	x := (*buf)[:end-start]
	w := newWalker(t.in[0], start)
	gather(&w, t.in[0], nil, x, nil)
	return x, start
}

func releaseChunk(buf **[chunk]float64) {
	if *buf != nil {
		chunkPool.Put(*buf)
	}
}

func (e *Engine) variance(name string, a *array.Array, ddof int, std bool) (float64, error) {
	if a == nil {
		return math.NaN(), errorf(name, ErrNil, "nil array")
	}
	if ddof < 0 {
		return math.NaN(), errorf(name, ErrArgument, "ddof %d < 0", ddof)
	}
	n := a.Len()
	if n == 0 {
		return math.NaN(), errorf(name, ErrEmpty, "%s of no elements", name)
	}
	m, err := e.arrayMoments(a, 1)
	if err != nil {
		return math.NaN(), err
	}
	if !needScaled(m) {
		return varFinish(m, ddof, 0, std), nil
	}
	M, err := e.reduce(redMaxAbs, a, nil, 0)
	switch {
	case err != nil:
		return math.NaN(), err
	case math.IsNaN(M) || math.IsInf(M, 0):
		return math.NaN(), nil
	case M == 0:
		return varFinish(moments{n: n}, ddof, 0, std), nil
	}
	sc := scaleFor(M)
	if m, err = e.arrayMoments(a, math.Ldexp(1, sc)); err != nil {
		return math.NaN(), err
	}
	return varFinish(m, ddof, sc, std), nil
}

// Var returns the variance of a's elements, Σ(x − mean)²/(n − ddof): ddof 0
// is numpy's default (population variance), 1 pandas' (sample variance).
// It is accurate where the one-pass formula cancels (1e8 + N(0,1) loses
// nothing; see the comment in var.go), deterministic for any worker count,
// and reads a once (twice more only when values near the ends of the
// float64 range force a rescaled pass). NaN or ±Inf in a give
// NaN; n − ddof ≤ 0 gives NaN; no elements is ErrEmpty (and NaN); ddof < 0
// is ErrArgument.
func (e *Engine) Var(a *array.Array, ddof int) (float64, error) {
	return e.variance("Var", a, ddof, false)
}

// Std returns √Var(a, ddof), computed so that it is finite whenever it is
// representable, even when the variance itself overflows.
func (e *Engine) Std(a *array.Array, ddof int) (float64, error) {
	return e.variance("Std", a, ddof, true)
}

// VarAxis sets dst to the variances of src's lines along axis (dst has
// src's shape without that axis); each output equals Var of its line, bit
// for bit. A zero-length axis gives NaN.
func (e *Engine) VarAxis(dst, src *array.Array, axis, ddof int) error {
	return e.varAxis("VarAxis", dst, src, axis, ddof, false)
}

// StdAxis sets dst to the standard deviations along axis; each output
// equals Std of its line.
func (e *Engine) StdAxis(dst, src *array.Array, axis, ddof int) error {
	return e.varAxis("StdAxis", dst, src, axis, ddof, true)
}

func (e *Engine) varAxis(name string, dst, src *array.Array, axis, ddof int, std bool) error {
	if ddof < 0 {
		return errorf(name, ErrArgument, "ddof %d < 0", ddof)
	}
	ax, err := checkAxisOut(name, dst, src, axis)
	if err != nil {
		return err
	}
	t := getTask()
	defer putTask(t)
	t.lines = lineSet{src: src, dst: dst, axis: ax, L: src.Dim(ax), st: src.Stride(ax), ddof: ddof, std: std}
	c := sched.Cost{Bytes: 16 * float64(t.lines.L), Ops: 6 * float64(t.lines.L), Kernel: "varaxis"}
	return e.s.For(e.ctx, dst.Len(), c, t.varBody)
}

// lineBuf lends a worker a buffer for one strided line.
var lineBufPool = sync.Pool{New: func() any { return new([]float64) }}

// line returns line p of ls.src as a contiguous slice: in place when its
// stride is 1, else gathered into *buf (grown as needed).
func (ls *lineSet) line(w *walker, buf *[]float64) []float64 {
	data, off := ls.src.Backing(), w.offset(ls.src)
	if ls.st == 1 {
		return data[off : off+ls.L]
	}
	if cap(*buf) < ls.L {
		*buf = make([]float64, ls.L)
	}
	x := (*buf)[:ls.L]
	for i := range x {
		x[i] = data[off+i*ls.st]
	}
	return x
}

// runVar computes the outputs [lo, hi) of VarAxis/StdAxis.
func (t *task) runVar(lo, hi int) {
	ls := &t.lines
	bp := lineBufPool.Get().(*[]float64)
	defer lineBufPool.Put(bp)
	w, wd := newWalkerSkip(ls.src, ls.axis, lo), newWalker(ls.dst, lo)
	out := ls.dst.Backing()
	for p := lo; p < hi; p++ {
		out[wd.offset(ls.dst)] = varLine(ls.line(&w, bp), ls.ddof, ls.std)
		w.advance(1)
		wd.advance(1)
	}
}

// Var returns the variance of a's elements. See Engine.Var.
func Var(a *array.Array, ddof int) (float64, error) { return std().Var(a, ddof) }

// Std returns the standard deviation of a's elements. See Engine.Std.
func Std(a *array.Array, ddof int) (float64, error) { return std().Std(a, ddof) }

// VarAxis sets dst to the variances along axis. See Engine.VarAxis.
func VarAxis(dst, src *array.Array, axis, ddof int) error {
	return std().VarAxis(dst, src, axis, ddof)
}

// StdAxis sets dst to the standard deviations along axis. See
// Engine.StdAxis.
func StdAxis(dst, src *array.Array, axis, ddof int) error {
	return std().StdAxis(dst, src, axis, ddof)
}
