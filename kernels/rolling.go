package kernels

import (
	"errors"
	"math"
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
	"github.com/blockwise/blockwise/sched"
)

// Rolling-window errors (errors.Is).
var (
	// ErrWindow: a window of size ≤ 0.
	ErrWindow = errors.New("window must be positive")
	// ErrMinPeriods: MinPeriods below 0 or above the window.
	ErrMinPeriods = errors.New("min_periods must be in [0, window]")
)

// RollingOption configures a rolling-window kernel: MinPeriods, Centered,
// PadEdge, Axis, DDOF. Options are plain values (no allocation per call).
type RollingOption struct {
	what optKind
	v    int
}

type optKind uint8

const (
	optMinPeriods optKind = iota + 1
	optCentered
	optPadEdge
	optAxis
	optDDOF
)

type rollOpts struct {
	minp   int // -1: the window
	center bool
	pad    bool
	axis   int
	ddof   int
}

func (o *rollOpts) apply(opt RollingOption) {
	switch opt.what {
	case optMinPeriods:
		o.minp = opt.v
		if o.minp < 0 {
			o.minp = -2 // rejected with ErrMinPeriods
		}
	case optCentered:
		o.center = true
	case optPadEdge:
		o.pad = true
	case optAxis:
		o.axis = opt.v
	case optDDOF:
		o.ddof = opt.v
	}
}

// MinPeriods sets the least number of valid (finite) values a window must
// hold for a result; fewer give NaN. The default is the window size. 0 is
// allowed: the sum of an empty window is then 0, its mean NaN.
func MinPeriods(k int) RollingOption { return RollingOption{optMinPeriods, k} }

// Centered centres the window on each element, as pandas' center=True: the
// window of size w at i covers [i − (w−1−(w−1)/2), i + (w−1)/2].
func Centered() RollingOption { return RollingOption{what: optCentered} }

// PadEdge extends the series beyond both ends with its first and last
// values (numpy's np.pad(mode="edge")) before windowing, so every window is
// full: a centered window of 2k+1 gives the mean over [i−k, i+k] at every i.
func PadEdge() RollingOption { return RollingOption{what: optPadEdge} }

// Axis rolls along axis k (negative counts from the end); every line along
// it is an independent series. The default is the last axis.
func Axis(k int) RollingOption { return RollingOption{optAxis, k} }

// DDOF sets the delta degrees of freedom of RollingVar and RollingStd: the
// divisor is count − ddof (default 1, as pandas; 0 gives the population
// variance).
func DDOF(k int) RollingOption { return RollingOption{optDDOF, k} }

type rollKind uint8

const (
	rollSum rollKind = iota
	rollMean
	rollVar
	rollStd
	rollMin
	rollMax
)

var rollNames = [...]string{"RollingSum", "RollingMean", "RollingVar", "RollingStd", "RollingMin", "RollingMax"}
var rollLabels = [...]string{"rollsum", "rollmean", "rollvar", "rollstd", "rollmin", "rollmax"}

// rollTask is a rolling call's geometry.
type rollTask struct {
	kind       rollKind
	src, dst   *array.Array
	axis       int
	n          int // line length
	w, minp    int
	ddof       int
	left, righ int // window of i: [i-left, i+righ]
	pad        bool
	seg        int // outputs per segment: a multiple of w
	segs       int // segments per line
}

func (r *rollTask) release() { r.src, r.dst = nil, nil }

// segmentLen is the length of the segments a line's outputs are cut into,
// the units of parallel work: a whole number of windows (so the van
// Herk/Gil-Werman blocks never straddle two segments, and no result depends
// on how segments are spread over workers), at least 8192 outputs and 4
// windows.
func segmentLen(w int) int {
	return w * max(4, (8192+w-1)/w)
}

func (e *Engine) rolling(kind rollKind, dst, src *array.Array, window int, opts []RollingOption) error {
	name := rollNames[kind]
	o := rollOpts{minp: -1, axis: -1, ddof: 1}
	for _, opt := range opts {
		o.apply(opt)
	}
	switch {
	case dst == nil || src == nil:
		return errorf(name, ErrNil, "nil array")
	case window <= 0:
		return errorf(name, ErrWindow, "window %d", window)
	case o.minp > window || o.minp < -1:
		return errorf(name, ErrMinPeriods, "min_periods %d for window %d", o.minp, window)
	case o.ddof < 0:
		return errorf(name, ErrArgument, "ddof %d", o.ddof)
	case !array.SameShape(dst, src):
		return errorf(name, ErrShape, "dst %v, src %v", dst.Shape(), src.Shape())
	case array.Overlaps(dst, src):
		// Outputs depend on inputs ahead of them: no in-place rolling.
		return errorf(name, ErrOverlap, "rolling kernels cannot write over their input")
	case array.SelfOverlaps(dst):
		return errorf(name, ErrOverlap, "dst addresses some elements more than once")
	}
	if src.Ndim() == 0 {
		return errorf(name, ErrShape, "0-d array has no axis")
	}
	ax, err := src.NormAxis(o.axis)
	if err != nil {
		return errorf(name, ErrAxis, "axis %d for %d dimensions", o.axis, src.Ndim())
	}
	if o.minp < 0 {
		o.minp = window
	}
	n := src.Dim(ax)
	if n == 0 || src.Len() == 0 {
		return nil
	}
	t := getTask()
	defer putTask(t)
	r := &t.roll
	*r = rollTask{kind: kind, src: src, dst: dst, axis: ax, n: n, w: window, minp: o.minp, ddof: o.ddof, pad: o.pad}
	r.righ = 0
	if o.center {
		r.righ = (window - 1) / 2
	}
	r.left = window - 1 - r.righ
	r.seg = segmentLen(window)
	r.segs = (n + r.seg - 1) / r.seg
	lines := src.Len() / n
	ops := 20.0
	if kind == rollVar || kind == rollStd {
		ops = 40
	}
	c := sched.Cost{Bytes: 16 * float64(min(n, r.seg)), Ops: ops * float64(min(n, r.seg)), Kernel: rollLabels[kind]}
	return e.s.For(e.ctx, lines*r.segs, c, t.rollBody)
}

// line is one series with virtual indexing: positions outside [0, n) are
// missing (NaN), or the edge values with PadEdge.
type line struct {
	x          []float64
	off, st, n int
	pad        bool
}

func (l *line) get(j int) float64 {
	if uint(j) < uint(l.n) {
		return l.x[l.off+j*l.st]
	}
	if !l.pad {
		return math.NaN()
	}
	if j < 0 {
		return l.x[l.off]
	}
	return l.x[l.off+(l.n-1)*l.st]
}

// outLine is where a line's results go.
type outLine struct {
	x       []float64
	off, st int
}

func (o *outLine) set(i int, v float64) { o.x[o.off+i*o.st] = v }

// runRolling runs items [lo, hi): item = line·segs + segment.
func (t *task) runRolling(lo, hi int) {
	r := &t.roll
	for it := lo; it < hi; it++ {
		li, sg := it/r.segs, it%r.segs
		ws := newWalkerSkip(r.src, r.axis, li)
		wd := newWalkerSkip(r.dst, r.axis, li)
		in := line{x: r.src.Backing(), off: ws.offset(r.src), st: r.src.Stride(r.axis), n: r.n, pad: r.pad}
		out := outLine{x: r.dst.Backing(), off: wd.offset(r.dst), st: r.dst.Stride(r.axis)}
		a, b := sg*r.seg, min(r.n, (sg+1)*r.seg)
		switch r.kind {
		case rollSum, rollMean:
			r.sumSegment(&in, &out, a, b)
		case rollVar, rollStd:
			r.varSegment(&in, &out, a, b)
		default:
			r.extremeSegment(&in, &out, a, b)
		}
	}
}

// finite reports whether v is neither NaN nor ±Inf (both count as missing,
// as in pandas, which turns ±Inf into NaN before rolling).
func finite(v float64) bool { return v-v == 0 }

// Sums and means use the van Herk/Gil-Werman decomposition: the virtual
// series is cut into blocks of w at fixed positions, and the window of i is
// the suffix of one block plus the prefix of the next. Both are compensated
// scans (TwoSum, the rounding error of every addition carried in a second
// double) over elements of that window only, so a window's error is bounded
// by its own Σ|x| — nothing that left the window can linger in the result,
// however large — and no result depends on where a worker started.

// scanState is a compensated partial sum s + c of the finite values seen,
// with their count (as a float: exact below 2^53).
type scanState struct{ s, c, n float64 }

// add adds v, or 0 when v is missing: the same operations for every value,
// as the vector kernel (asm.RollSum4) performs them.
func (st *scanState) add(v float64) {
	one := 1.0
	if !finite(v) {
		v, one = 0, 0
	}
	twoSumInto(&st.s, &st.c, v)
	st.n += one
}

// join returns the sum of two compensated partial sums, rounded once.
func join(a, b scanState) float64 {
	t := a.s + b.s
	z := t - a.s
	e := (a.s - (t - z)) + (b.s - z)
	return t + (e + (a.c + b.c))
}

// sumSegment writes the rolling sums or means of outputs [a, b) (a is a
// multiple of w).
func (r *rollTask) sumSegment(in *line, out *outLine, a, b int) {
	w := r.w
	bufp := scanPool.Get().(*[]scanState)
	defer scanPool.Put(bufp)
	if cap(*bufp) < w {
		*bufp = make([]scanState, w)
	}
	suf := (*bufp)[:w]
	minp := float64(r.minp)
	mean := r.kind == rollMean
	if mean {
		minp = max(minp, 1) // the mean of no values is NaN
	}
	var vec []float64
	if in.st == 1 && out.st == 1 && b-a >= 4*w {
		vp := vecPool.Get().(*[]float64)
		defer vecPool.Put(vp)
		if cap(*vp) < 16*w {
			*vp = array.Aligned(16 * w)
		}
		vec = (*vp)[:16*w]
	}
	for blk := a; blk < b; {
		s0 := blk - r.left // virtual start of the block of window starts
		// Runs of eight, or four, whole blocks inside the series: the
		// vector kernels, which compute the same bits as the loop below.
		if vec != nil && s0 >= 0 {
			if g := min(b-blk, in.n-s0-w) / (8 * w); g >= 1 {
				xs := in.x[in.off+s0 : in.off+s0+8*w*g+w]
				os := out.x[out.off+blk : out.off+blk+8*w*g]
				if asm.RollSum8(xs, os, vec, w, mean) {
					blk += 8 * w * g
					continue
				}
			}
			if g := min(b-blk, in.n-s0-w) / (4 * w); g >= 1 {
				xs := in.x[in.off+s0 : in.off+s0+4*w*g+w]
				os := out.x[out.off+blk : out.off+blk+4*w*g]
				if asm.RollSum4(xs, os, vec, w, mean, minp) {
					blk += 4 * w * g
					continue
				}
			}
		}
		var acc scanState
		for t := w - 1; t >= 0; t-- {
			acc.add(in.get(s0 + t))
			suf[t] = acc
		}
		var pre scanState
		for t := 0; t < w && blk+t < b; t++ {
			if t > 0 {
				pre.add(in.get(s0 + w + t - 1))
			}
			cnt := suf[t].n + pre.n
			v := join(suf[t], pre)
			if mean {
				v /= cnt
			}
			if cnt < minp {
				v = math.NaN()
			}
			out.set(blk+t, v)
		}
		blk += w
	}
}

var vecPool = sync.Pool{New: func() any { return new([]float64) }}

var scanPool = sync.Pool{New: func() any { return new([]scanState) }}

// Variances use the same van Herk/Gil-Werman blocks as the sums, on
// y = x − K, where K is the value at the end of the block of window starts,
// s0+w−1: the one element every window of the block pair contains. With K
// inside the window, Σy² ≤ (1+n)·M2, so M2 = Σy² − (Σy)²/n loses at most
// log2(n+1) bits — no catastrophic cancellation, and, as for the sums, no
// history: a spike that has left the window cannot spoil it. Σy and Σy²
// (each y² split exactly into two doubles with a fused multiply-add) are
// compensated scans. Where that element is missing, K is the nearest finite
// value instead, and a window whose Σy² exceeds 2^20·M2 is recomputed
// exactly in two passes.

// varScan is the scan state: compensated Σy (s1+c1), Σy² (s2+c2), count.
type varScan struct{ s1, c1, s2, c2, n float64 }

// add adds v − k, or 0 when v is missing: the same operations for every
// value, in the order of the vector kernel (asm.RollVar8).
func (st *varScan) add(v, k float64) {
	one := 1.0
	if !finite(v) {
		v, one = k, 0
	}
	y := v - k
	twoSumInto(&st.s1, &st.c1, y)
	// float64(...) rounds the square before twoSumInto adds it: without
	// it GOAMD64=v3 fuses s + y*y once twoSumInto is inlined.
	p := float64(y * y)
	pe := math.FMA(y, y, -p)
	twoSumInto(&st.s2, &st.c2, p)
	st.c2 += pe
	st.n += one
}

func twoSumInto(s, c *float64, v float64) {
	t := *s + v
	z := t - *s
	*c += (*s - (t - z)) + (v - z)
	*s = t
}

// pairK picks the shift of the block pair starting at s0, and reports
// whether it is the common element.
func pairK(in *line, s0, w int) (k float64, common bool) {
	if v := in.get(s0 + w - 1); finite(v) {
		return v, true
	}
	for d := 1; d < w; d++ {
		if v := in.get(s0 + w - 1 - d); finite(v) {
			return v, false
		}
		if v := in.get(s0 + w - 1 + d); finite(v) {
			return v, false
		}
	}
	return 0, false
}

// varOf turns joined sums into the variance (or std) with ddof; NaN below
// min_periods or with no degrees of freedom.
func (r *rollTask) varOf(s1, s2, cnt float64) float64 {
	if cnt < float64(r.minp) || cnt <= float64(r.ddof) {
		return math.NaN()
	}
	m2 := max(s2-s1*(s1/cnt), 0)
	v := m2 / (cnt - float64(r.ddof))
	if r.kind == rollStd {
		v = math.Sqrt(v)
	}
	return v
}

// exactVar is the two-pass fallback for one window: mean by a compensated
// sum, then the compensated sum of squared deviations.
func (r *rollTask) exactVar(in *line, i int) float64 {
	var sum scanState
	for j := i - r.left; j <= i+r.righ; j++ {
		sum.add(in.get(j))
	}
	if sum.n == 0 {
		return r.varOf(0, 0, 0)
	}
	mean := (sum.s + sum.c) / sum.n
	var acc varScan
	for j := i - r.left; j <= i+r.righ; j++ {
		acc.add(in.get(j), mean)
	}
	return r.varOf(0, acc.s2+acc.c2, acc.n)
}

func (r *rollTask) varSegment(in *line, out *outLine, a, b int) {
	w := r.w
	bufp := varPool.Get().(*[]varScan)
	defer varPool.Put(bufp)
	if cap(*bufp) < w {
		*bufp = make([]varScan, w)
	}
	suf := (*bufp)[:w]
	var vec []float64
	if in.st == 1 && out.st == 1 && b-a >= 4*w && w > r.ddof {
		vp := vecPool.Get().(*[]float64)
		defer vecPool.Put(vp)
		if cap(*vp) < 32*w {
			*vp = array.Aligned(32 * w)
		}
		vec = (*vp)[:32*w]
	}
	for blk := a; blk < b; {
		s0 := blk - r.left
		// Runs of eight (AVX-512) or four (AVX2) whole blocks of finite
		// values inside the series: the vector kernels, the same bits as
		// the loop below.
		if vec != nil && s0 >= 0 {
			if g := min(b-blk, in.n-s0-w) / (8 * w); g >= 1 {
				xs := in.x[in.off+s0 : in.off+s0+8*w*g+w]
				os := out.x[out.off+blk : out.off+blk+8*w*g]
				if asm.RollVar8(xs, os, vec, w, r.kind == rollStd, float64(w-r.ddof)) {
					blk += 8 * w * g
					continue
				}
			}
			if g := min(b-blk, in.n-s0-w) / (4 * w); g >= 1 {
				xs := in.x[in.off+s0 : in.off+s0+4*w*g+w]
				os := out.x[out.off+blk : out.off+blk+4*w*g]
				if asm.RollVar4(xs, os, vec, w, r.kind == rollStd, float64(w-r.ddof)) {
					blk += 4 * w * g
					continue
				}
			}
		}
		k, common := pairK(in, s0, w)
		var acc varScan
		for t := w - 1; t >= 0; t-- {
			acc.add(in.get(s0+t), k)
			suf[t] = acc
		}
		var pre varScan
		for t := 0; t < w && blk+t < b; t++ {
			if t > 0 {
				pre.add(in.get(s0+w+t-1), k)
			}
			a, cnt := suf[t], suf[t].n+pre.n
			s1 := join(scanState{a.s1, a.c1, 0}, scanState{pre.s1, pre.c1, 0})
			s2 := join(scanState{a.s2, a.c2, 0}, scanState{pre.s2, pre.c2, 0})
			v := r.varOf(s1, s2, cnt)
			if !common && cnt > 0 && s2 > 0x1p20*max(s2-s1*(s1/cnt), 0) {
				v = r.exactVar(in, blk+t)
			}
			out.set(blk+t, v)
		}
		blk += w
	}
}

var varPool = sync.Pool{New: func() any { return new([]varScan) }}

// extremeSegment computes rolling min or max by van Herk/Gil-Werman: the
// virtual series is cut into blocks of w at fixed positions (block b holds
// the windows' starts i−left for i in [b·w, (b+1)·w)); the window of i is the
// suffix of its start's block and the prefix of the next block.
func (r *rollTask) extremeSegment(in *line, out *outLine, a, b int) {
	w := r.w
	bufp := extremePool.Get().(*[]float64)
	defer extremePool.Put(bufp)
	if cap(*bufp) < w {
		*bufp = make([]float64, w)
	}
	suf := (*bufp)[:w]
	isMax := r.kind == rollMax
	better := func(v, m float64) bool {
		if isMax {
			return v > m
		}
		return v < m
	}
	worst := math.Inf(-1)
	if !isMax {
		worst = math.Inf(1)
	}
	// Running count of finite values, for min_periods.
	count := 0
	for j := a - r.left; j <= a+r.righ; j++ {
		if finite(in.get(j)) {
			count++
		}
	}
	for blk := a; blk < b; blk += w {
		s0 := blk - r.left // virtual start of the block of window starts
		if in.st == 1 && out.st == 1 && s0 >= 0 && s0+2*w-1 <= in.n && blk+w <= b {
			// Both blocks inside the series: plain slices, no virtual
			// indexing, the same values.
			x := in.x[in.off+s0 : in.off+s0+2*w-1]
			o := out.x[out.off+blk : out.off+blk+w]
			if isMax {
				count = maxBlocks(x, o, suf, w, count, r.minp, blk == a, in, blk, r)
			} else {
				count = minBlocks(x, o, suf, w, count, r.minp, blk == a, in, blk, r)
			}
			continue
		}
		// Suffix extrema of the block, from the right.
		m := worst
		for t := w - 1; t >= 0; t-- {
			if v := in.get(s0 + t); finite(v) && better(v, m) {
				m = v
			}
			suf[t] = m
		}
		// Prefix extrema of the next block, with the outputs.
		p := worst
		for t := 0; t < w && blk+t < b; t++ {
			i := blk + t
			if i > a {
				if finite(in.get(i + r.righ)) {
					count++
				}
				if finite(in.get(i - r.left - 1)) {
					count--
				}
			}
			res := suf[t]
			if t > 0 {
				if v := in.get(s0 + w + t - 1); finite(v) && better(v, p) {
					p = v
				}
				if better(p, res) {
					res = p
				}
			}
			if count < r.minp || count == 0 {
				res = math.NaN()
			}
			out.set(i, res)
		}
	}
}

var extremePool = sync.Pool{New: func() any { return new([]float64) }}

// maxBlocks is the inner loop of extremeSegment for a block pair inside the
// series: x holds the 2w−1 values of the windows of outputs o. count is the
// finite count of the previous window (first: the window of o[0] already).
func maxBlocks(x, o, suf []float64, w, count, minp int, first bool, in *line, blk int, r *rollTask) int {
	worst := math.Inf(-1)
	m := worst
	for t := w - 1; t >= 0; t-- {
		m = max(m, skipMissing(x[t], worst))
		suf[t] = m
	}
	p := worst
	nan := math.NaN()
	for t := 0; t < w; t++ {
		if t > 0 {
			count += finiteCount(x[t+w-1]) - finiteCount(x[t-1])
		} else if !first {
			count += finiteCount(x[w-1]) - finiteCount(in.get(blk-r.left-1))
		}
		res := suf[t]
		if t > 0 {
			p = max(p, skipMissing(x[w+t-1], worst))
			res = max(res, p)
		}
		if count < minp || count == 0 {
			res = nan
		}
		o[t] = res
	}
	return count
}

// minBlocks is maxBlocks for minima.
func minBlocks(x, o, suf []float64, w, count, minp int, first bool, in *line, blk int, r *rollTask) int {
	worst := math.Inf(1)
	m := worst
	for t := w - 1; t >= 0; t-- {
		m = min(m, skipMissing(x[t], worst))
		suf[t] = m
	}
	p := worst
	nan := math.NaN()
	for t := 0; t < w; t++ {
		if t > 0 {
			count += finiteCount(x[t+w-1]) - finiteCount(x[t-1])
		} else if !first {
			count += finiteCount(x[w-1]) - finiteCount(in.get(blk-r.left-1))
		}
		res := suf[t]
		if t > 0 {
			p = min(p, skipMissing(x[w+t-1], worst))
			res = min(res, p)
		}
		if count < minp || count == 0 {
			res = nan
		}
		o[t] = res
	}
	return count
}

// skipMissing returns v, or worst (the identity of the extremum) when v is
// NaN or ±Inf, so that the builtin min and max, which propagate NaN, skip
// missing values.
func skipMissing(v, worst float64) float64 {
	if v-v != 0 {
		return worst
	}
	return v
}

func finiteCount(v float64) int {
	if v-v == 0 {
		return 1
	}
	return 0
}

// RollingSum sets dst to the sums over a rolling window of src. See "Rolling
// windows" in the package documentation for the semantics and options.
func (e *Engine) RollingSum(dst, src *array.Array, window int, opts ...RollingOption) error {
	return e.rolling(rollSum, dst, src, window, opts)
}

// RollingMean sets dst to the means over a rolling window of src.
func (e *Engine) RollingMean(dst, src *array.Array, window int, opts ...RollingOption) error {
	return e.rolling(rollMean, dst, src, window, opts)
}

// RollingVar sets dst to the variances (divisor count − ddof) over a
// rolling window of src.
func (e *Engine) RollingVar(dst, src *array.Array, window int, opts ...RollingOption) error {
	return e.rolling(rollVar, dst, src, window, opts)
}

// RollingStd sets dst to the standard deviations over a rolling window.
func (e *Engine) RollingStd(dst, src *array.Array, window int, opts ...RollingOption) error {
	return e.rolling(rollStd, dst, src, window, opts)
}

// RollingMin sets dst to the minima over a rolling window of src.
func (e *Engine) RollingMin(dst, src *array.Array, window int, opts ...RollingOption) error {
	return e.rolling(rollMin, dst, src, window, opts)
}

// RollingMax sets dst to the maxima over a rolling window of src.
func (e *Engine) RollingMax(dst, src *array.Array, window int, opts ...RollingOption) error {
	return e.rolling(rollMax, dst, src, window, opts)
}

// RollingSum is Engine.RollingSum on sched.Default().
func RollingSum(dst, src *array.Array, window int, opts ...RollingOption) error {
	return std().RollingSum(dst, src, window, opts...)
}

// RollingMean is Engine.RollingMean on sched.Default().
func RollingMean(dst, src *array.Array, window int, opts ...RollingOption) error {
	return std().RollingMean(dst, src, window, opts...)
}

// RollingVar is Engine.RollingVar on sched.Default().
func RollingVar(dst, src *array.Array, window int, opts ...RollingOption) error {
	return std().RollingVar(dst, src, window, opts...)
}

// RollingStd is Engine.RollingStd on sched.Default().
func RollingStd(dst, src *array.Array, window int, opts ...RollingOption) error {
	return std().RollingStd(dst, src, window, opts...)
}

// RollingMin is Engine.RollingMin on sched.Default().
func RollingMin(dst, src *array.Array, window int, opts ...RollingOption) error {
	return std().RollingMin(dst, src, window, opts...)
}

// RollingMax is Engine.RollingMax on sched.Default().
func RollingMax(dst, src *array.Array, window int, opts ...RollingOption) error {
	return std().RollingMax(dst, src, window, opts...)
}
