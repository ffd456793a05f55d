package kernels

import (
	"errors"
	"math"
	"math/bits"
	"sync/atomic"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

// Rolling-window errors (errors.Is).
var (
	// ErrWindow: a window of size ≤ 0.
	ErrWindow = errors.New("window must be positive")
	// ErrMinPeriods: MinPeriods below 0 or above the window.
	ErrMinPeriods = errors.New("min_periods must be in [0, window]")
)

// RollingOption configures a rolling-window or EWM kernel: MinPeriods,
// Centered, PadEdge, Axis, DDOF for windows; MinPeriods, Axis, Adjust,
// IgnoreNA, Bias for EWM. An option that means nothing to the kernel it is
// given to is an ErrArgument. Options are plain values (no allocation per
// call).
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
	optAdjust
	optIgnoreNA
	optBias
)

type rollOpts struct {
	minp     int // -1: the window
	center   bool
	pad      bool
	axis     int
	ddof     int
	adjust   bool
	ignoreNA bool
	bias     bool
	given    uint16 // bit k: an option of kind k was given
}

// windowOpts and ewmOpts are the options each family accepts.
const (
	windowOpts = 1<<optMinPeriods | 1<<optCentered | 1<<optPadEdge | 1<<optAxis | 1<<optDDOF
	ewmOpts    = 1<<optMinPeriods | 1<<optAxis | 1<<optAdjust | 1<<optIgnoreNA | 1<<optBias
)

// parse applies opts over the defaults and returns the name of the first
// option outside accepted ("" when all are accepted).
func (o *rollOpts) parse(opts []RollingOption, accepted uint16) string {
	for _, opt := range opts {
		o.apply(opt)
	}
	if bad := o.given &^ accepted; bad != 0 {
		return optNames[bits.TrailingZeros16(bad)]
	}
	return ""
}

var optNames = [...]string{"", "MinPeriods", "Centered", "PadEdge", "Axis", "DDOF", "Adjust", "IgnoreNA", "Bias"}

func (o *rollOpts) apply(opt RollingOption) {
	if opt.what != 0 && int(opt.what) < len(optNames) {
		o.given |= 1 << opt.what
	}
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
	case optAdjust:
		o.adjust = opt.v != 0
	case optIgnoreNA:
		o.ignoreNA = true
	case optBias:
		o.bias = true
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

// DDOF sets the delta degrees of freedom of RollingVar, RollingStd,
// RollingCov and RollingCorr: the divisor is count − ddof (default 1, as
// pandas; 0 gives the population variance). Other window kernels accept and
// ignore it.
func DDOF(k int) RollingOption { return RollingOption{optDDOF, k} }

// Adjust chooses the EWM weights, as pandas' adjust: true (the default)
// divides by the decaying sum of weights, (1−α)^k for the value k steps
// back; false uses the recursive form y_t = (1−α)·y_{t−1} + α·x_t.
func Adjust(on bool) RollingOption {
	v := 0
	if on {
		v = 1
	}
	return RollingOption{optAdjust, v}
}

// IgnoreNA makes EWM weights decay only at valid values, as pandas'
// ignore_na=True; by default they decay at every position, missing values
// included.
func IgnoreNA() RollingOption { return RollingOption{what: optIgnoreNA} }

// Bias makes EWMVar and EWMStd the biased (population) statistics, as
// pandas' bias=True; by default they are corrected for the effective number
// of observations.
func Bias() RollingOption { return RollingOption{what: optBias} }

type rollKind uint8

const (
	rollSum rollKind = iota
	rollMean
	rollVar
	rollStd
	rollMin
	rollMax
	rollMedian
	rollQuantile
	rollApply
	rollCov
	rollCorr
)

var rollNames = [...]string{"RollingSum", "RollingMean", "RollingVar", "RollingStd", "RollingMin", "RollingMax",
	"RollingMedian", "RollingQuantile", "RollingApply", "RollingCov", "RollingCorr"}
var rollLabels = [...]string{"rollsum", "rollmean", "rollvar", "rollstd", "rollmin", "rollmax",
	"rollmedian", "rollquantile", "rollapply", "rollcov", "rollcorr"}

// rollArgs are the arguments some window kernels add: a quantile, a user
// function, a second series.
type rollArgs struct {
	q float64
	f func([]float64) float64
	y *array.Array
}

// rollTask is a rolling call's geometry.
type rollTask struct {
	kind       rollKind
	src, dst   *array.Array
	axis       int
	n          int // line length
	w, minp    int
	ddof       int
	left, righ int // window of i: [i-left, i+righ] (clamped to the series)
	pad        bool
	ex0, ex1   int      // edge copies beyond the clamped window (PadEdge only)
	seg        int      // outputs per segment: a multiple of w
	segs       int      // segments per line
	lanes      lanePlan // the lane path, when on

	rollArgs
	// panicked is RollingApply's first panic in f, naming the output.
	panicked atomic.Pointer[sched.PanicError]
}

func (r *rollTask) release() {
	r.src, r.dst, r.y, r.f = nil, nil, nil, nil
	r.panicked.Store(nil)
}

// segmentLen is the length of the segments a line's outputs are cut into,
// the units of parallel work: a whole number of windows (so the van
// Herk/Gil-Werman blocks never straddle two segments, and no result depends
// on how segments are spread over workers), at least 8192 outputs and 4
// windows. Up to maxVecWindow it is a whole number of eight-window groups,
// the vector kernels' unit, so that no segment ends in a scalar remainder
// (w = 1000 had 1000 of every 9000 outputs there; the grid of blocks, and
// so every result, is the same whatever the segment length).
func segmentLen(w int) int {
	if w <= maxVecWindow {
		return 8 * w * max(1, (8192+8*w-1)/(8*w))
	}
	return w * max(4, (8192+w-1)/w)
}

func (e *Engine) rolling(kind rollKind, dst, src *array.Array, window int, opts []RollingOption) error {
	return e.rollingWith(kind, dst, src, window, rollArgs{}, opts)
}

func (e *Engine) rollingWith(kind rollKind, dst, src *array.Array, window int, args rollArgs, opts []RollingOption) error {
	name := rollNames[kind]
	o := rollOpts{minp: -1, axis: -1, ddof: 1}
	bad := o.parse(opts, windowOpts)
	two := kind == rollCov || kind == rollCorr
	switch {
	case dst == nil || src == nil || (two && args.y == nil):
		return errorf(name, ErrNil, "nil array")
	case kind == rollApply && args.f == nil:
		return errorf(name, ErrNil, "nil function")
	case bad != "":
		return errorf(name, ErrArgument, "option %s does not apply to window kernels", bad)
	case window <= 0:
		return errorf(name, ErrWindow, "window %d", window)
	case o.minp > window || o.minp < -1:
		return errorf(name, ErrMinPeriods, "min_periods %d for window %d", o.minp, window)
	case o.ddof < 0:
		return errorf(name, ErrArgument, "ddof %d", o.ddof)
	case kind == rollQuantile && !(args.q >= 0 && args.q <= 1):
		return errorf(name, ErrArgument, "quantile %v outside [0, 1]", args.q)
	}
	var y *array.Array
	if two {
		y = args.y
	}
	ax, err := lineLayout(name, dst, src, y, o.axis)
	if err != nil {
		return err
	}
	if o.minp < 0 {
		o.minp = window
	}
	n := src.Dim(ax)
	if kind == rollApply && o.pad && window > applyPadLimit(n) {
		// PadEdge hands f every padded window whole: its length is
		// the memory each worker needs.
		return errorf(name, ErrWindow, "RollingApply with PadEdge: window %d over a series of %d (at most %d)", window, n, applyPadLimit(n))
	}
	if n == 0 || src.Len() == 0 {
		return nil
	}
	t := getTask()
	defer putTask(t)
	r := &t.roll
	*r = rollTask{kind: kind, src: src, dst: dst, axis: ax, n: n, w: window, minp: o.minp, ddof: o.ddof, pad: o.pad, rollArgs: args}
	r.righ = 0
	if o.center {
		r.righ = (window - 1) / 2
	}
	r.left = window - 1 - r.righ
	// A window longer than the series reaches past its ends, where
	// values are missing — or, with PadEdge, copies of x[0] and x[n−1].
	// Clamping each side to n changes no window's values without
	// padding; with it every window loses the same number of edge
	// copies, which the kernels add back in closed form (ex0, ex1). So
	// time and memory follow min(window, n), whatever the window.
	if r.left > n {
		if o.pad {
			r.ex0 = r.left - n
		}
		r.left = n
	}
	if r.righ > n {
		if o.pad {
			r.ex1 = r.righ - n
		}
		r.righ = n
	}
	r.w = r.left + r.righ + 1
	r.seg = segmentLen(r.w)
	r.segs = (n + r.seg - 1) / r.seg
	lines := src.Len() / n
	items, body := lines*r.segs, t.rollBody
	per := float64(min(n, r.seg))
	if r.planLanes(); r.lanes.on {
		items, body = r.lanes.groups(lines)*r.lanes.segs, t.laneBody
		per = float64(min(n, r.lanes.seg) * r.lanes.g)
	}
	c := sched.Cost{Bytes: 16 * per, Ops: 20 * per, Kernel: rollLabels[kind]}
	switch kind {
	case rollVar, rollStd:
		c.Ops = 40 * per
	case rollMedian, rollQuantile:
		// Two binary searches and a shift of about w/3 keys.
		search := float64(8 * bits.Len(uint(r.w)))
		c.Ops = per * (search + float64(float64(r.w)/8))
	case rollCov, rollCorr:
		c.Bytes, c.Ops = 24*per, 150*per
	case rollApply:
		c = sched.Cost{} // f's cost is unknown: adaptive chunks
	}
	if err := e.s.For(e.ctx, items, c, body); err != nil {
		return err
	}
	if p := r.panicked.Load(); p != nil {
		return p
	}
	return nil
}

// lineLayout checks the layout of a call over lines along axis, for the
// rolling and EWM kernels: dst, src (and y, if not nil) of one shape, dst
// overlapping neither input nor itself, an axis that exists. It returns
// the axis, normalised.
func lineLayout(name string, dst, src, y *array.Array, axis int) (int, error) {
	switch {
	case !array.SameShape(dst, src):
		return 0, errorf(name, ErrShape, "dst %v, src %v", dst.Shape(), src.Shape())
	case y != nil && !array.SameShape(src, y):
		return 0, errorf(name, ErrShape, "x %v, y %v", src.Shape(), y.Shape())
	case array.Overlaps(dst, src) || (y != nil && array.Overlaps(dst, y)):
		// Outputs depend on inputs ahead of them: no in-place windows.
		return 0, errorf(name, ErrOverlap, "dst cannot overlap an input: outputs depend on inputs ahead of them")
	case array.SelfOverlaps(dst):
		return 0, errorf(name, ErrOverlap, "dst addresses some elements more than once")
	case src.Ndim() == 0:
		return 0, errorf(name, ErrShape, "0-d array has no axis")
	}
	ax, err := src.NormAxis(axis)
	if err != nil {
		return 0, errorf(name, ErrAxis, "axis %d for %d dimensions", axis, src.Ndim())
	}
	return ax, nil
}

// applyPadLimit is the longest window RollingApply takes with PadEdge over
// a series of n: each worker holds one whole window.
func applyPadLimit(n int) int { return max(4*n, 1<<16) }

// extras returns the count and compensated sum of the edge copies every
// window of in holds beyond its clamped range (0 without PadEdge or for
// windows within the series), with values shifted by k for variances.
func (r *rollTask) extras(in *line, k float64) (n int, s1, s2 scanState) {
	for _, e := range [2]struct {
		copies int
		v      float64
	}{{r.ex0, in.head()}, {r.ex1, in.tail()}} {
		if e.copies == 0 || !finite(e.v) {
			continue
		}
		c := float64(e.copies)
		n += e.copies
		y := e.v - k
		// c·y and c·y², each with its rounding error.
		p := float64(c * y)
		twoSumInto(&s1.s, &s1.c, p)
		s1.c += math.FMA(c, y, -p)
		q := float64(y * y)
		qe := math.FMA(y, y, -q)
		cq := float64(c * q)
		twoSumInto(&s2.s, &s2.c, cq)
		s2.c += math.FMA(c, q, -cq) + float64(c*qe)
	}
	return n, s1, s2
}

// line is one series with virtual indexing: positions outside [0, n) are
// missing (NaN), or the edge values with PadEdge. x may hold only part of
// the series (the lane path's gathered span; off is then negative): a
// segment's kernel reads positions in its windows' span only, and the edge
// values through head and tail.
type line struct {
	x           []float64
	off, st, n  int
	pad         bool
	first, last float64 // x[0] and x[n−1] of the series
	// scale, when not 0, multiplies every value read (a power of two:
	// the overflow-safe recomputation of a block).
	scale float64
}

// newLine is the series of n values of x at off, off+st, ….
func newLine(x []float64, off, st, n int, pad bool) line {
	return line{x: x, off: off, st: st, n: n, pad: pad, first: x[off], last: x[off+(n-1)*st]}
}

func (l *line) get(j int) float64 {
	if uint(j) < uint(l.n) && l.scale == 0 {
		return l.x[l.off+j*l.st]
	}
	return l.getSlow(j)
}

// getSlow is get outside the series or with a scale.
func (l *line) getSlow(j int) float64 {
	var v float64
	switch {
	case uint(j) < uint(l.n):
		v = l.x[l.off+j*l.st]
	case !l.pad:
		return math.NaN()
	case j < 0:
		v = l.first
	default:
		v = l.last
	}
	if l.scale != 0 {
		v *= l.scale
	}
	return v
}

// head and tail are the series' first and last values, as get(0) and
// get(n−1) would read them.
func (l *line) head() float64 { return l.edge(l.first) }
func (l *line) tail() float64 { return l.edge(l.last) }

func (l *line) edge(v float64) float64 {
	if l.scale != 0 {
		v *= l.scale
	}
	return v
}

// outLine is where a line's results go.
type outLine struct {
	x       []float64
	off, st int
}

func (o *outLine) set(i int, v float64) { o.x[o.off+i*o.st] = v }

func (o *outLine) get(i int) float64 { return o.x[o.off+i*o.st] }

// runRolling runs items [lo, hi): item = line·segs + segment.
func (t *task) runRolling(lo, hi int) {
	r := &t.roll
	for it := lo; it < hi; it++ {
		li, sg := it/r.segs, it%r.segs
		in := newLine(r.src.Backing(), lineOffset(r.src, r.axis, li), r.src.Stride(r.axis), r.n, r.pad)
		out := outLine{x: r.dst.Backing(), off: lineOffset(r.dst, r.axis, li), st: r.dst.Stride(r.axis)}
		var y line
		if r.y != nil {
			y = newLine(r.y.Backing(), lineOffset(r.y, r.axis, li), r.y.Stride(r.axis), r.n, r.pad)
		}
		a, b := sg*r.seg, min(r.n, (sg+1)*r.seg)
		if !r.segment(&in, &y, &out, a, b) {
			return
		}
	}
}

// segment computes outputs [a, b) of one line (y: RollingCov and
// RollingCorr's second series). It reports false when RollingApply's f
// panicked: the call stops.
func (r *rollTask) segment(in, y *line, out *outLine, a, b int) bool {
	switch r.kind {
	case rollSum, rollMean:
		r.sumSegment(in, out, a, b)
	case rollVar, rollStd:
		r.varSegment(in, out, a, b)
	case rollMin, rollMax:
		r.extremeSegment(in, out, a, b)
	case rollMedian, rollQuantile:
		r.orderSegment(in, out, a, b)
	case rollApply:
		return r.applySegment(in, out, a, b)
	case rollCov, rollCorr:
		r.covSegment(in, y, out, a, b)
	}
	return true
}

// finite reports whether v is neither NaN nor ±Inf (both count as missing,
// as in pandas, which turns ±Inf into NaN before rolling).
func finite(v float64) bool { return v-v == 0 }

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
