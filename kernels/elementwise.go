package kernels

import (
	"math"

	"github.com/blockwise/blockwise/array"
)

// checkElementwise validates dst and the inputs of an elementwise op:
// non-nil, every input broadcasting to dst's shape (numpy's rules; dst
// itself never stretches), dst writing no element twice, and no partial
// overlap of dst with an input.
func checkElementwise(name string, dst *array.Array, in ...*array.Array) error {
	if dst == nil {
		return errorf(name, ErrNil, "dst is nil")
	}
	for k, a := range in {
		if a == nil {
			return errorf(name, ErrNil, "input %d is nil", k)
		}
	}
	if array.SelfOverlaps(dst) {
		return errorf(name, ErrOverlap, "dst addresses some elements more than once")
	}
	for k, a := range in {
		switch fault := array.InputFault(dst, a); fault {
		case nil:
		case ErrShape:
			return errorf(name, ErrShape, "input %d %v does not broadcast to dst %v", k, a.Shape(), dst.Shape())
		case ErrOverlap:
			return errorf(name, ErrOverlap, "dst and input %d", k)
		default:
			return errorf(name, fault, "input %d", k)
		}
	}
	return nil
}

// elementwise runs w (op, scalars and functions set) on dst and in.
func (e *Engine) elementwise(w *ew, dst *array.Array, in ...*array.Array) error {
	if err := checkElementwise(opNames[w.op], dst, in...); err != nil {
		return err
	}
	w.dst, w.nin = dst, len(in)
	w.contig = dst.IsContiguous()
	w.d = dst.Data()
	for k, a := range in {
		w.in[k] = a
		w.x[k] = a.Data()
		w.contig = w.contig && a.IsContiguous() && array.SameShape(a, dst)
	}
	c := w.cost()
	if w.contig && w.op != opMap && w.op != opApply && e.s.Tiny(dst.Len(), c) {
		// Too little work to schedule: sched would run it here in one
		// block anyway. (User functions still go through For, which
		// turns their panics into errors.)
		if err := e.ctx.Err(); err != nil {
			return err
		}
		var y, z []float64
		if w.nin > 1 {
			y = w.x[1]
		}
		if w.nin > 2 {
			z = w.x[2]
		}
		w.vec(w.d, w.x[0], y, z, 0, false)
		return nil
	}
	// Outputs that dwarf the last-level cache are written with streaming
	// stores: nobody will find them in cache anyway, and skipping the
	// read-for-ownership of every line saves a third of the traffic.
	w.nt = dst.IsContiguous() && e.streaming(dst.Len(), w.nin)
	t := getTask()
	defer putTask(t)
	t.ew = *w
	if !w.contig {
		t.setStrides()
	}
	return e.s.For(e.ctx, dst.Len(), c, t.body)
}

// setStrides fills t.st and t.base for runStrided: each operand's stride
// along each of dst's axes, 0 where it stretches or lacks the axis.
func (t *task) setStrides() {
	nd := t.dst.Ndim()
	arrs := [4]*array.Array{t.dst, t.in[0], t.in[1], t.in[2]}
	for k := 0; k <= t.nin; k++ {
		t.base[k] = arrs[k].Offset()
		arrs[k].BroadcastStridesOnto(t.st[k][:nd], t.dst)
	}
}

// streaming reports whether an elementwise call of n elements with nin
// inputs moves more than twice the last-level cache (all cores' L2 where
// there is no L3), so that its output is best written with streaming
// stores.
func (e *Engine) streaming(n, nin int) bool {
	return float64(n)*float64(8*(nin+1)) > 2*float64(e.s.Topology().LastLevelCache())
}

func (e *Engine) binary(o op, dst, a, b *array.Array) error {
	w := ew{op: o}
	return e.elementwise(&w, dst, a, b)
}

func (e *Engine) unary(o op, dst, a *array.Array, s1, s2 float64) error {
	w := ew{op: o, s1: s1, s2: s2}
	return e.elementwise(&w, dst, a)
}

// Add sets dst[i] = a[i] + b[i].
func (e *Engine) Add(dst, a, b *array.Array) error { return e.binary(opAdd, dst, a, b) }

// Sub sets dst[i] = a[i] - b[i].
func (e *Engine) Sub(dst, a, b *array.Array) error { return e.binary(opSub, dst, a, b) }

// Mul sets dst[i] = a[i] * b[i].
func (e *Engine) Mul(dst, a, b *array.Array) error { return e.binary(opMul, dst, a, b) }

// Div sets dst[i] = a[i] / b[i] (IEEE: x/0 is ±Inf, 0/0 is NaN).
func (e *Engine) Div(dst, a, b *array.Array) error { return e.binary(opDiv, dst, a, b) }

// Maximum sets dst[i] = max(a[i], b[i]); NaN in either gives NaN.
func (e *Engine) Maximum(dst, a, b *array.Array) error { return e.binary(opMaximum, dst, a, b) }

// Minimum sets dst[i] = min(a[i], b[i]); NaN in either gives NaN.
func (e *Engine) Minimum(dst, a, b *array.Array) error { return e.binary(opMinimum, dst, a, b) }

// AddScalar sets dst[i] = a[i] + s.
func (e *Engine) AddScalar(dst, a *array.Array, s float64) error {
	return e.unary(opAddScalar, dst, a, s, 0)
}

// Scale sets dst[i] = s * a[i].
func (e *Engine) Scale(dst, a *array.Array, s float64) error { return e.unary(opScale, dst, a, s, 0) }

// Neg sets dst[i] = -a[i].
func (e *Engine) Neg(dst, a *array.Array) error { return e.unary(opNeg, dst, a, 0, 0) }

// Abs sets dst[i] = |a[i]|.
func (e *Engine) Abs(dst, a *array.Array) error { return e.unary(opAbs, dst, a, 0, 0) }

// Sqrt sets dst[i] = √a[i] (NaN for negative a[i], as IEEE says).
func (e *Engine) Sqrt(dst, a *array.Array) error { return e.unary(opSqrt, dst, a, 0, 0) }

// Clip sets dst[i] = min(max(a[i], lo), hi); NaN elements stay NaN. lo > hi
// or a NaN bound is ErrArgument.
func (e *Engine) Clip(dst, a *array.Array, lo, hi float64) error {
	if math.IsNaN(lo) || math.IsNaN(hi) || lo > hi {
		return errorf("Clip", ErrArgument, "bounds [%v, %v]", lo, hi)
	}
	return e.unary(opClip, dst, a, lo, hi)
}

// Axpy sets dst[i] = alpha*x[i] + y[i], with the product and the sum each
// rounded, exactly as the Go expression alpha*x[i] + y[i] on amd64 (no
// fused multiply-add, so SIMD and pure-Go builds agree).
func (e *Engine) Axpy(dst *array.Array, alpha float64, x, y *array.Array) error {
	w := ew{op: opAxpy, s1: alpha}
	return e.elementwise(&w, dst, x, y)
}

// FMA sets dst[i] = a[i]·b[i] + c[i] rounded once, as math.FMA.
func (e *Engine) FMA(dst, a, b, c *array.Array) error {
	w := ew{op: opFMA}
	return e.elementwise(&w, dst, a, b, c)
}

// Map sets dst[i] = f(src[i]) for every element, in parallel; the result is
// exactly the serial loop's. f must be safe to call from several goroutines.
// Its cost is unknown to the planner: every worker starts on small chunks
// that grow as they are timed (see sched.Scheduler.For).
func (e *Engine) Map(dst, src *array.Array, f func(float64) float64) error {
	if f == nil {
		return errorf("Map", ErrNil, "nil function")
	}
	w := ew{op: opMap, f: f}
	return e.elementwise(&w, dst, src)
}

// Copy sets dst[i] = src[i], where src broadcasts to dst's shape (numpy's
// rules, as in every elementwise kernel): a row is copied into every row of
// a matrix, a scalar (0-d array) fills it. The bits are copied exactly,
// NaN payloads included. dst may be src itself (nothing changes); a partial
// overlap is ErrOverlap.
func (e *Engine) Copy(dst, src *array.Array) error {
	w := ew{op: opCopy}
	return e.elementwise(&w, dst, src)
}

// ApplyEach sets dst[i] = fs[i](src[i]), where i is the row-major flat
// index of dst: an array of functions evaluated on an array of the same
// length (src may broadcast). len(fs) != dst.Len() is ErrLength; a nil
// function is ErrNil.
func (e *Engine) ApplyEach(dst, src *array.Array, fs []func(float64) float64) error {
	if dst != nil && len(fs) != dst.Len() {
		return errorf("ApplyEach", ErrLength, "%d functions for %d elements", len(fs), dst.Len())
	}
	for i, f := range fs {
		if f == nil {
			return errorf("ApplyEach", ErrNil, "function %d is nil", i)
		}
	}
	w := ew{op: opApply, fs: fs}
	return e.elementwise(&w, dst, src)
}

// Package-level forms on sched.Default().

// Add sets dst[i] = a[i] + b[i]. See Engine.Add.
func Add(dst, a, b *array.Array) error { return std().Add(dst, a, b) }

// Sub sets dst[i] = a[i] - b[i]. See Engine.Sub.
func Sub(dst, a, b *array.Array) error { return std().Sub(dst, a, b) }

// Mul sets dst[i] = a[i] * b[i]. See Engine.Mul.
func Mul(dst, a, b *array.Array) error { return std().Mul(dst, a, b) }

// Div sets dst[i] = a[i] / b[i]. See Engine.Div.
func Div(dst, a, b *array.Array) error { return std().Div(dst, a, b) }

// Maximum sets dst[i] = max(a[i], b[i]). See Engine.Maximum.
func Maximum(dst, a, b *array.Array) error { return std().Maximum(dst, a, b) }

// Minimum sets dst[i] = min(a[i], b[i]). See Engine.Minimum.
func Minimum(dst, a, b *array.Array) error { return std().Minimum(dst, a, b) }

// AddScalar sets dst[i] = a[i] + s. See Engine.AddScalar.
func AddScalar(dst, a *array.Array, s float64) error { return std().AddScalar(dst, a, s) }

// Scale sets dst[i] = s * a[i]. See Engine.Scale.
func Scale(dst, a *array.Array, s float64) error { return std().Scale(dst, a, s) }

// Neg sets dst[i] = -a[i]. See Engine.Neg.
func Neg(dst, a *array.Array) error { return std().Neg(dst, a) }

// Abs sets dst[i] = |a[i]|. See Engine.Abs.
func Abs(dst, a *array.Array) error { return std().Abs(dst, a) }

// Sqrt sets dst[i] = √a[i]. See Engine.Sqrt.
func Sqrt(dst, a *array.Array) error { return std().Sqrt(dst, a) }

// Clip sets dst[i] = min(max(a[i], lo), hi). See Engine.Clip.
func Clip(dst, a *array.Array, lo, hi float64) error { return std().Clip(dst, a, lo, hi) }

// Axpy sets dst[i] = alpha*x[i] + y[i]. See Engine.Axpy.
func Axpy(dst *array.Array, alpha float64, x, y *array.Array) error {
	return std().Axpy(dst, alpha, x, y)
}

// FMA sets dst[i] = a[i]·b[i] + c[i] rounded once. See Engine.FMA.
func FMA(dst, a, b, c *array.Array) error { return std().FMA(dst, a, b, c) }

// Map sets dst[i] = f(src[i]) in parallel. See Engine.Map.
func Map(dst, src *array.Array, f func(float64) float64) error { return std().Map(dst, src, f) }

// Copy sets dst[i] = src[i], src broadcasting to dst. See Engine.Copy.
func Copy(dst, src *array.Array) error { return std().Copy(dst, src) }

// ApplyEach sets dst[i] = fs[i](src[i]). See Engine.ApplyEach.
func ApplyEach(dst, src *array.Array, fs []func(float64) float64) error {
	return std().ApplyEach(dst, src, fs)
}
