package kernels

import (
	"math"
	"strconv"
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
	"github.com/blockwise/blockwise/sched"
)

// Decay is the decay of an exponentially weighted statistic, given one of
// pandas' four ways: Com, Span, Halflife or Alpha. The zero Decay is
// invalid.
type Decay struct {
	how decayKind
	v   float64
}

type decayKind uint8

const (
	decayCom decayKind = iota + 1
	decaySpan
	decayHalflife
	decayAlpha
)

// Com is the decay by centre of mass c ≥ 0: α = 1/(1+c).
func Com(c float64) Decay { return Decay{decayCom, c} }

// Span is the decay by span s ≥ 1: α = 2/(s+1).
func Span(s float64) Decay { return Decay{decaySpan, s} }

// Halflife is the decay by half-life h > 0 (in positions): α = 1 − 2^(−1/h).
func Halflife(h float64) Decay { return Decay{decayHalflife, h} }

// Alpha is the smoothing factor α itself, 0 < α ≤ 1.
func Alpha(a float64) Decay { return Decay{decayAlpha, a} }

// alpha is α as pandas derives it: through the centre of mass, so that the
// weights are the same bits as pandas'.
func (d Decay) alpha() (float64, bool) {
	v := d.v
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	var com float64
	switch d.how {
	case decayCom:
		if v < 0 {
			return 0, false
		}
		com = v
	case decaySpan:
		if v < 1 {
			return 0, false
		}
		com = (v - 1) / 2
	case decayHalflife:
		if v <= 0 {
			return 0, false
		}
		com = 1/(1-math.Exp(math.Log(0.5)/v)) - 1
	case decayAlpha:
		if v <= 0 || v > 1 {
			return 0, false
		}
		com = 1/v - 1
	default:
		return 0, false
	}
	return 1 / (1 + com), true
}

func (d Decay) String() string {
	switch d.how {
	case decayCom:
		return "Com(" + ftoa(d.v) + ")"
	case decaySpan:
		return "Span(" + ftoa(d.v) + ")"
	case decayHalflife:
		return "Halflife(" + ftoa(d.v) + ")"
	case decayAlpha:
		return "Alpha(" + ftoa(d.v) + ")"
	}
	return "Decay{}"
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

type ewmKind uint8

const (
	ewmMean ewmKind = iota
	ewmVar
	ewmStd
)

var ewmNames = [...]string{"EWMMean", "EWMVar", "EWMStd"}
var ewmLabels = [...]string{"ewmmean", "ewmvar", "ewmstd"}

// ewmSumLabels name the first pass of long lines: its speed is not the
// outputs' pass's, so the planner keeps it apart.
var ewmSumLabels = [...]string{"ewmmeansums", "ewmvarsums", "ewmstdsums"}

// ewmBlock is the length of the blocks a long series is cut into, at fixed
// positions: results depend on it, never on the number of workers.
const ewmBlock = 4096

// ewmState is a weighted set of values: total weight W1, Σw² (W2), the
// weighted mean m and the weighted sum of squared deviations M, updated
// and merged as West's and Chan's weighted mean and variance: no
// cancellation whatever the offset or a spike in the past, and a constant
// series has variance 0 exactly. seen says a valid value has come; pend
// is the decay (1−α)^k of the k missing steps since the last one, applied
// when the next arrives, so a gap changes no statistic (as in pandas).
//
// With Adjust(true) a new value weighs 1 against the decayed set. With
// Adjust(false) pandas renormalises at every valid value (its old_wt = 1):
// W1 stays 1, and the new value weighs α/(g+α) against g/(g+α) for the
// set, g being the decay since the last value.
type ewmState struct {
	w1, w2, m, mlo, mm float64
	s1                 float64 // EWMMean: Σw·x (its mean is s1/w1)
	pend               float64
	nobs               int
	seen               bool
}

// ewmBlockSum is what a block does to the state entering it: its first
// valid value xf arrives after gpre of decay; the rest of the block scales
// the set by a (a2 for W2) and merges in the set rest of its later values.
// A block with no valid value only multiplies pend by gpre. After
// composition, start holds the state entering the block.
type ewmBlockSum struct {
	gpre, xf, a, a2 float64
	rest            ewmState
	nobs            int
	start           ewmState
}

type ewmTask struct {
	kind             ewmKind
	src, dst         *array.Array
	axis, n, minp    int
	d                float64 // decay 1 − α
	alpha            float64
	r0, u0           float64 // weights after one step of decay
	tab              asm.EWMTable
	nt               bool // outputs far beyond the cache: streaming stores
	adjust           bool
	ignoreNA, bias   bool
	blocks           int // blocks per line
	sums             []ewmBlockSum
	sumBody, outBody func(lo, hi int)
}

var ewmPool = sync.Pool{New: func() any {
	t := new(ewmTask)
	t.sumBody = t.runSums
	t.outBody = t.runOut
	return t
}}

func (e *Engine) ewm(kind ewmKind, dst, src *array.Array, decay Decay, opts []RollingOption) error {
	name := ewmNames[kind]
	o := rollOpts{minp: 0, axis: -1, adjust: true}
	bad := o.parse(opts, ewmOpts)
	alpha, okDecay := decay.alpha()
	switch {
	case dst == nil || src == nil:
		return errorf(name, ErrNil, "nil array")
	case bad != "":
		return errorf(name, ErrArgument, "option %s does not apply to EWM", bad)
	case !okDecay:
		return errorf(name, ErrArgument, "invalid decay %v", decay)
	case o.minp < 0:
		return errorf(name, ErrMinPeriods, "min_periods %d", o.minp)
	}
	ax, err := lineLayout(name, dst, src, nil, o.axis)
	if err != nil {
		return err
	}
	n := src.Dim(ax)
	if n == 0 || src.Len() == 0 {
		return nil
	}
	t := ewmPool.Get().(*ewmTask)
	defer func() {
		t.src, t.dst = nil, nil
		ewmPool.Put(t)
	}()
	lines := src.Len() / n
	t.kind, t.src, t.dst, t.axis, t.n, t.minp = kind, src, dst, ax, n, o.minp
	t.alpha, t.adjust = alpha, o.adjust
	t.d = 1 - alpha
	t.ignoreNA, t.bias = o.ignoreNA, o.bias
	t.r0, t.u0 = t.weights(t.d)
	if kind == ewmMean {
		t.tab = asm.NewEWMTable(t.r0, t.u0)
	}
	t.nt = e.streaming(src.Len(), 1)
	t.blocks = (n + ewmBlock - 1) / ewmBlock
	per := float64(min(n, ewmBlock))
	c := sched.Cost{Bytes: 16 * per, Ops: 12 * per, Kernel: ewmLabels[kind]}
	if t.blocks == 1 {
		// Short lines: each is one sequential recurrence.
		return e.s.For(e.ctx, lines, c, t.outBody)
	}
	// Long lines: the effect of every block on a state (in parallel),
	// the states at the block edges (composed in order, on the caller),
	// then every block again from its true starting state (in parallel).
	if cap(t.sums) < lines*t.blocks {
		t.sums = make([]ewmBlockSum, lines*t.blocks)
	}
	t.sums = t.sums[:lines*t.blocks]
	c.Ops = 8 * per
	cs := c
	cs.Kernel = ewmSumLabels[kind]
	if err := e.s.For(e.ctx, lines*t.blocks, cs, t.sumBody); err != nil {
		return err
	}
	for li := range lines {
		st := ewmState{pend: 1}
		for b := range t.blocks {
			s := &t.sums[li*t.blocks+b]
			s.start = st
			st = t.compose(st, s)
		}
	}
	return e.s.For(e.ctx, lines*t.blocks, c, t.outBody)
}

// compose is the state leaving a block whose summary is s, entered in st.
func (t *ewmTask) compose(st ewmState, s *ewmBlockSum) ewmState {
	if s.nobs == 0 {
		if st.seen {
			st.pend *= s.gpre
		}
		return st
	}
	// The block's first valid value, then the rest merged in.
	f := st
	if f.seen {
		f.pend *= s.gpre
	}
	t.step(&f, s.xf)
	r := &s.rest
	if t.kind == ewmMean {
		return ewmState{
			w1: float64(s.a*f.w1) + r.w1, s1: float64(s.a*f.s1) + r.s1,
			pend: r.pend, nobs: st.nobs + s.nobs, seen: true,
		}
	}
	wa := float64(s.a * f.w1)
	out := ewmState{w1: wa + r.w1, w2: float64(s.a2*f.w2) + r.w2, pend: r.pend, nobs: st.nobs + s.nobs, seen: true}
	out.m, out.mlo, out.mm = f.m, f.mlo, float64(s.a*f.mm)
	if r.w1 > 0 {
		delta := out.merge(r.m, r.mlo, wa, r.w1)
		out.mm += r.mm + float64(float64(delta*delta)*float64(wa*r.w1)/out.w1)
	}
	return out
}

// lineOf is line li of a (the line's backing slice, offset, stride).
func (t *ewmTask) lineOf(a *array.Array, li int) (x []float64, off, st int) {
	w := newWalkerSkip(a, t.axis, li)
	return a.Backing(), w.offset(a), a.Stride(t.axis)
}

// weights are the scale r of the set and the weight u of a new value after
// g of decay.
func (t *ewmTask) weights(g float64) (r, u float64) {
	if t.adjust {
		return g, 1
	}
	c := g + t.alpha
	return g / c, t.alpha / c
}

// add scales the set by r and merges in v with weight u.
func (s *ewmState) add(v, r, u float64) {
	w := float64(r * s.w1)
	s.w1 = w + u
	s.w2 = float64(float64(r*r)*s.w2) + float64(u*u)
	delta := s.merge(v, 0, w, u)
	s.mm = float64(r*s.mm) + float64(float64(delta*delta)*float64(w*u)/s.w1)
}

// merge sets the mean (a double-double, m + mlo) to the weighted mean of
// itself with weight w and v + vlo with weight u, s.w1 being w + u, and
// returns the difference of the two means. The new mean is reached from
// the nearer end, so neither a dominant new value nor a dominant set loses
// digits; a constant series keeps its bits.
func (s *ewmState) merge(v, vlo, w, u float64) float64 {
	d, e := twoSum(v, -s.m)
	delta := d + ((e + vlo) - s.mlo)
	var hi, lo float64
	if f := u / s.w1; f <= 0.5 {
		p := float64(delta * f)
		hi, lo = twoSum(s.m, p)
		lo += s.mlo + math.FMA(delta, f, -p)
	} else {
		g := w / s.w1
		p := float64(delta * g)
		hi, lo = twoSum(v, -p)
		lo += vlo - math.FMA(delta, g, -p)
	}
	s.m, s.mlo = twoSum(hi, lo)
	return delta
}

// twoSum returns a + b rounded and its rounding error.
func twoSum(a, b float64) (float64, float64) {
	t := a + b
	z := t - a
	return t, (a - (t - z)) + (b - z)
}

// step advances s over one value v.
func (t *ewmTask) step(s *ewmState, v float64) {
	if !finite(v) {
		if s.seen && !t.ignoreNA {
			s.pend *= t.d
		}
		return
	}
	s.nobs++
	if !s.seen {
		*s = ewmState{w1: 1, w2: 1, m: v, s1: v, pend: 1, nobs: s.nobs, seen: true}
		return
	}
	r, u := t.weights(float64(s.pend * t.d))
	s.pend = 1
	t.push(s, v, r, u)
}

// push scales the set by r and adds v with weight u. The mean needs only
// the linear sums W1 and Σw·x (an offset or a past spike costs no
// precision there: errors decay with the weights); the variance keeps the
// weighted mean and squared deviations.
func (t *ewmTask) push(s *ewmState, v, r, u float64) {
	if t.kind == ewmMean {
		s.w1 = math.FMA(r, s.w1, u)
		s.s1 = math.FMA(r, s.s1, float64(u*v))
		return
	}
	s.add(v, r, u)
}

// runSums summarises items (line, block): what each block does to the
// state entering it (see ewmBlockSum).
func (t *ewmTask) runSums(lo, hi int) {
	for it := lo; it < hi; it++ {
		li, b := it/t.blocks, it%t.blocks
		x, off, st := t.lineOf(t.src, li)
		s := &t.sums[it]
		if t.kind == ewmMean {
			blk, buf := contiguous(x, off, st, b*ewmBlock, min(t.n, (b+1)*ewmBlock))
			ok := t.meanSum(s, blk)
			putBlock(buf)
			if ok {
				continue
			}
		}
		*s = ewmBlockSum{gpre: 1, a: 1, a2: 1, rest: ewmState{pend: 1}}
		for j := b * ewmBlock; j < min(t.n, (b+1)*ewmBlock); j++ {
			v := x[off+j*st]
			if !finite(v) {
				if !t.ignoreNA {
					if s.nobs == 0 {
						s.gpre *= t.d
					} else {
						s.rest.pend *= t.d
					}
				}
				continue
			}
			s.nobs++
			if s.nobs == 1 {
				s.xf = v
				continue
			}
			r, u := t.weights(float64(s.rest.pend * t.d))
			s.rest.pend = 1
			s.a *= r
			s.a2 *= float64(r * r)
			t.push(&s.rest, v, r, u)
		}
	}
}

// runOut writes the outputs of items: whole lines when a line is one
// block, else (line, block) from the block's starting state.
func (t *ewmTask) runOut(lo, hi int) {
	nan := math.NaN()
	for it := lo; it < hi; it++ {
		li, b := it/t.blocks, it%t.blocks
		x, off, st := t.lineOf(t.src, li)
		d, doff, dst := t.lineOf(t.dst, li)
		s := ewmState{pend: 1}
		if t.blocks > 1 {
			s = t.sums[it].start
		}
		j, e := b*ewmBlock, min(t.n, (b+1)*ewmBlock)
		if t.kind == ewmMean {
			// Strided lines go through a buffer: the same
			// arithmetic, the same bits.
			xb, bufX := contiguous(x, off, st, j, e)
			if dst == 1 {
				j = t.meanRun(&s, xb, d[doff+j:doff+e], j, t.nt)
			} else {
				ob, bufO := contiguous(d, doff, dst, j, e)
				t.meanRun(&s, xb, ob, j, false) // ob is read back at once
				for k, v := range ob {
					d[doff+(j+k)*dst] = v
				}
				putBlock(bufO)
				j = e
			}
			putBlock(bufX)
		}
		for ; j < e; j++ {
			t.step(&s, x[off+j*st])
			res := nan
			if s.nobs >= t.minp && s.seen {
				res = t.value(&s)
			}
			d[doff+j*dst] = res
		}
	}
}

var blockPool = sync.Pool{New: func() any { return new([ewmBlock]float64) }}

// contiguous returns x[off+j*st] for j in [a, b) as a slice: x itself when
// st is 1 (buf nil), else a pooled copy in buf, to give back with putBlock.
func contiguous(x []float64, off, st, a, b int) (blk []float64, buf *[ewmBlock]float64) {
	if st == 1 {
		return x[off+a : off+b], nil
	}
	buf = blockPool.Get().(*[ewmBlock]float64)
	blk = buf[:b-a]
	for j := a; j < b; j++ {
		blk[j-a] = x[off+j*st]
	}
	return blk, buf
}

func putBlock(buf *[ewmBlock]float64) {
	if buf != nil {
		blockPool.Put(buf)
	}
}

// meanRun is runOut's loop for EWMMean on contiguous lines: valid values
// after valid values take the precomputed weights (the bits step gives
// them), anything else goes through step. base is x[0]'s index in the
// line. nt asks for streaming stores into d (asm.EWMRun). It returns the
// index after the last value done (all of x).
//
// A chunk of meanChunk valid values takes asm.EWMRun: eight lanes of the
// recurrence side by side from nothing, then each lane's values corrected
// by the state the lanes before it leave (a few ulps from the chain; ~0.7
// ns a value against ~2.4 on AVX-512, the same bits without it). Any other
// run of valid values is done in two passes: the recurrence, which stores
// its sums (Σw·x into d, the weights W1 into a buffer), then one vector
// division (asm.Div: IEEE division, the bits of the scalar one). The
// recurrence alone is four cycles a value, the division's latency would
// double it. Chunks start where runs and blocks do, whatever the workers:
// the same bits on any schedule.
func (t *ewmTask) meanRun(s *ewmState, x, d []float64, base int, nt bool) int {
	r0, u0 := t.r0, t.u0
	d = d[:len(x)]
	var wb [meanChunk]float64
	minp := t.minp
	for i := 0; i < len(x); {
		if !s.seen || s.pend != 1 || !finite(x[i]) {
			t.step(s, x[i])
			res := math.NaN()
			if s.nobs >= minp && s.seen {
				res = s.s1 / s.w1
			}
			d[i] = res
			i++
			continue
		}
		xs := x[i:min(len(x), i+meanChunk)]
		ds := d[i : i+len(xs)]
		m := 0
		if len(xs) == asm.EWMLen && asm.AllFinite(xs) {
			// A whole chunk valid: the lanes scheme (asm.EWMRun).
			s.w1, s.s1 = asm.EWMRun(xs, ds, &t.tab, s.w1, s.s1, nt)
			m = len(xs)
		} else {
			// The sums live in registers: through s they would be
			// stored and reloaded on the recurrence's critical path.
			w1, s1 := s.w1, s.s1
			for _, v := range xs {
				if !finite(v) {
					break
				}
				// Fused: four cycles on the chain instead of six; the
				// same bits on every machine (math.FMA rounds once, in
				// hardware or not).
				w1 = math.FMA(r0, w1, u0)
				s1 = math.FMA(r0, s1, float64(u0*v))
				ds[m], wb[m] = s1, w1
				m++
			}
			s.w1, s.s1 = w1, s1
			asm.Div(ds[:m], ds[:m], wb[:m])
		}
		if s.nobs < minp-1 {
			// The first minp−1 valid values give NaN.
			for k := range min(m, minp-1-s.nobs) {
				ds[k] = math.NaN()
			}
		}
		s.nobs += m
		i += m
	}
	return base + len(x)
}

// meanChunk is the most values of meanRun's recurrence per division pass
// (its buffer stays in L1), and the length of the lanes scheme's runs.
const meanChunk = asm.EWMLen

// meanSum is runSums for EWMMean on a contiguous block with every value
// valid: after the first value, the block adds Σ_k r0^(m−1−k)·u0·x_k to the
// set scaled by r0^m — a polynomial in r0, evaluated as four interleaved
// Horner schemes (independent chains instead of one long one). It reports
// false, leaving s alone, if a value is missing.
func (t *ewmTask) meanSum(s *ewmBlockSum, x []float64) bool {
	// One vector scan for missing values (~0.1 ns a value) keeps the
	// Horner loop to its multiplies and adds.
	if len(x) == 0 || !asm.AllFinite(x) {
		return false
	}
	r0, u0 := t.r0, t.u0
	xs := x[1:]
	m := len(xs)
	h := m % 4
	var acc, accW float64
	for _, v := range xs[:h] {
		acc = float64(acc*r0) + v
		accW = float64(accW*r0) + 1
	}
	q := powInt(r0, 4)
	var l0, l1, l2, l3 float64
	for i := h; i+3 < m; i += 4 {
		l0 = float64(l0*q) + xs[i]
		l1 = float64(l1*q) + xs[i+1]
		l2 = float64(l2*q) + xs[i+2]
		l3 = float64(l3*q) + xs[i+3]
	}
	groups := (m - h) / 4
	var wl float64 // Σ q^k for k < groups: the lanes' weight sums
	for range groups {
		wl = float64(wl*q) + 1
	}
	r2 := float64(r0 * r0)
	r3 := float64(r2 * r0)
	tail := powInt(q, groups)
	lanes := float64(float64(l0*r3)+float64(l1*r2)) + (float64(l2*r0) + l3)
	sum := float64(acc*tail) + lanes
	wsum := float64(accW*tail) + float64(wl*(float64(float64(r3+r2)+r0)+1))
	*s = ewmBlockSum{gpre: 1, xf: x[0], a: powInt(r0, m), a2: 1, nobs: len(x),
		rest: ewmState{w1: float64(u0 * wsum), s1: float64(u0 * sum), pend: 1}}
	return true
}

// powInt is x^k by squaring: the same bits on every machine.
func powInt(x float64, k int) float64 {
	p := 1.0
	for k > 0 {
		if k&1 != 0 {
			p *= x
		}
		x *= x
		k >>= 1
	}
	return p
}

// value is the statistic of a state.
func (t *ewmTask) value(s *ewmState) float64 {
	if t.kind == ewmMean {
		return s.s1 / s.w1
	}
	v := max(s.mm/s.w1, 0)
	if !t.bias {
		num := s.w1 * s.w1
		den := num - s.w2
		if !(den > 0) {
			return math.NaN()
		}
		v *= num / den
	}
	if t.kind == ewmStd {
		v = math.Sqrt(v)
	}
	return v
}

// EWMMean sets dst to the exponentially weighted moving mean of src, as
// pandas' ewm(...).mean(): decay gives α (Com, Span, Halflife or Alpha);
// Adjust(false) takes the recursive form, IgnoreNA() decays only at valid
// values, MinPeriods(k) (default 0) needs k valid values so far, Axis(k)
// picks the axis. NaN and ±Inf are missing values. Centered, PadEdge and
// DDOF are ErrArgument, as is an invalid decay.
//
// A long series is cut into blocks at fixed positions; the weighted sums
// entering each block are composed from the blocks before it, so the
// series is split across cores and the result is the same bits for any
// number of workers, and on any ISA. Within a block, runs of 512 valid
// values are evaluated as eight lanes of 64 (asm.EWMRun). Results are
// within 1e-12 relative of the exact recurrence. Memory beyond dst is
// about 1/80 of it.
func (e *Engine) EWMMean(dst, src *array.Array, decay Decay, opts ...RollingOption) error {
	return e.ewm(ewmMean, dst, src, decay, opts)
}

// EWMVar sets dst to the exponentially weighted moving variance, as pandas'
// ewm(...).var(): unbiased by default (pandas' correction Σw²/((Σw)²−Σw²)),
// biased with Bias(). See EWMMean for the options.
func (e *Engine) EWMVar(dst, src *array.Array, decay Decay, opts ...RollingOption) error {
	return e.ewm(ewmVar, dst, src, decay, opts)
}

// EWMStd sets dst to the square root of EWMVar.
func (e *Engine) EWMStd(dst, src *array.Array, decay Decay, opts ...RollingOption) error {
	return e.ewm(ewmStd, dst, src, decay, opts)
}

// EWMMean is Engine.EWMMean on sched.Default().
func EWMMean(dst, src *array.Array, decay Decay, opts ...RollingOption) error {
	return std().EWMMean(dst, src, decay, opts...)
}

// EWMVar is Engine.EWMVar on sched.Default().
func EWMVar(dst, src *array.Array, decay Decay, opts ...RollingOption) error {
	return std().EWMVar(dst, src, decay, opts...)
}

// EWMStd is Engine.EWMStd on sched.Default().
func EWMStd(dst, src *array.Array, decay Decay, opts ...RollingOption) error {
	return std().EWMStd(dst, src, decay, opts...)
}
