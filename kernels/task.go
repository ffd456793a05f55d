package kernels

import (
	"math"
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
	"github.com/blockwise/blockwise/sched"
)

type op uint8

const (
	opAdd op = iota
	opSub
	opMul
	opDiv
	opAddScalar
	opScale
	opAxpy
	opFMA
	opNeg
	opAbs
	opSqrt
	opMaximum
	opMinimum
	opClip
	opMap
	opApply
	opCopy
	opExp // the fmath functions, in mathFuncs' order
	opExp2
	opExpm1
	opLog
	opLog2
	opLog10
	opLog1p
	opSin
	opCos
	opTanh
	opPow
)

var opNames = [...]string{"Add", "Sub", "Mul", "Div", "AddScalar", "Scale", "Axpy", "FMA", "Neg", "Abs", "Sqrt", "Maximum", "Minimum", "Clip", "Map", "ApplyEach", "Copy", "Exp", "Exp2", "Expm1", "Log", "Log2", "Log10", "Log1p", "Sin", "Cos", "Tanh", "Pow"}

// profiling label values, one per op.
var opLabels = [...]string{"add", "sub", "mul", "div", "addscalar", "scale", "axpy", "fma", "neg", "abs", "sqrt", "maximum", "minimum", "clip", "map", "applyeach", "copy", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tanh", "pow"}

// ew is an elementwise call: the op, its operands and scalars. It lives on
// the caller's stack when the call is too small to schedule.
type ew struct {
	op     op
	dst    *array.Array
	in     [3]*array.Array
	nin    int
	s1, s2 float64
	f      func(float64) float64
	fs     []func(float64) float64

	// contiguous fast path: dst and every input contiguous, same shape
	contig bool
	nt     bool // streaming stores: the working set dwarfs the caches
	d      []float64
	x      [3][]float64
}

// task is one scheduled kernel call's state. Tasks are pooled and their
// bodies bound once, so a call hands sched.For a function without
// allocating.
type task struct {
	ew

	// reductions
	n        int
	red      redKind
	partials []float64
	moments  []moments
	argIdx   []int
	lines    lineSet

	// strided and broadcast elementwise calls: the strides at which dst
	// (0) and each input (1…) are addressed over dst's shape — 0 along
	// an axis an input stretches over — and their first elements.
	st   [4][array.MaxDims]int
	base [4]int

	body      func(lo, hi int)
	lineBody  func(lo, hi int)
	redBody   func(lo, hi int)
	rollBody  func(lo, hi int)
	laneBody  func(lo, hi int)
	devBody   func(lo, hi int)
	varBody   func(lo, hi int)
	argBody   func(lo, hi int)
	quantBody func(lo, hi int)
	roll      rollTask
}

var taskPool = sync.Pool{New: func() any {
	t := new(task)
	t.body = t.runElementwise
	t.redBody = t.runReduce
	t.lineBody = t.runLines
	t.rollBody = t.runRolling
	t.laneBody = t.runRollingLanes
	t.devBody = t.runDev
	t.varBody = t.runVar
	t.argBody = t.runArg
	t.quantBody = t.runQuantile
	return t
}}

func getTask() *task { return taskPool.Get().(*task) }

func putTask(t *task) {
	t.ew = ew{}
	t.lines = lineSet{}
	t.roll.release()
	taskPool.Put(t)
}

// vec computes op over contiguous slices; base is the flat index of d[0]
// (ApplyEach picks its functions by it); nt asks for streaming stores.
func (t *ew) vec(d []float64, x, y, z []float64, base int, nt bool) {
	if nt {
		switch t.op {
		case opAdd:
			asm.AddNT(d, x, y)
			return
		case opSub:
			asm.SubNT(d, x, y)
			return
		case opMul:
			asm.MulNT(d, x, y)
			return
		case opDiv:
			asm.DivNT(d, x, y)
			return
		case opAddScalar:
			asm.AddConstNT(d, x, t.s1)
			return
		case opScale:
			asm.ScaleNT(d, x, t.s1)
			return
		case opAxpy:
			asm.AxpyNT(d, t.s1, x, y)
			return
		case opFMA:
			asm.FMANT(d, x, y, z)
			return
		}
	}
	switch t.op {
	case opAdd:
		asm.Add(d, x, y)
	case opSub:
		asm.Sub(d, x, y)
	case opMul:
		asm.Mul(d, x, y)
	case opDiv:
		asm.Div(d, x, y)
	case opAddScalar:
		asm.AddConst(d, x, t.s1)
	case opScale:
		asm.Scale(d, x, t.s1)
	case opAxpy:
		asm.Axpy(d, t.s1, x, y)
	case opFMA:
		asm.FMA(d, x, y, z)
	case opNeg:
		x = x[:len(d)]
		for i := range d {
			d[i] = -x[i]
		}
	case opAbs:
		x = x[:len(d)]
		for i := range d {
			d[i] = math.Abs(x[i])
		}
	case opSqrt:
		x = x[:len(d)]
		for i := range d {
			d[i] = math.Sqrt(x[i])
		}
	case opMaximum:
		x, y = x[:len(d)], y[:len(d)]
		for i := range d {
			d[i] = max(x[i], y[i])
		}
	case opMinimum:
		x, y = x[:len(d)], y[:len(d)]
		for i := range d {
			d[i] = min(x[i], y[i])
		}
	case opClip:
		x = x[:len(d)]
		lo, hi := t.s1, t.s2
		for i := range d {
			d[i] = min(max(x[i], lo), hi)
		}
	case opMap:
		x = x[:len(d)]
		f := t.f
		for i := range d {
			d[i] = f(x[i])
		}
	case opApply:
		x = x[:len(d)]
		fs := t.fs[base : base+len(d)]
		for i := range d {
			d[i] = fs[i](x[i])
		}
	case opCopy:
		copy(d, x[:len(d)])
	case opPow:
		asm.Pow(d, x[:len(d)], y[:len(d)])
	default:
		mathLoop(t.op, d, x[:len(d)])
	}
}

func (t *task) runElementwise(lo, hi int) {
	if t.contig {
		var y, z []float64
		if t.nin > 1 {
			y = t.x[1][lo:hi]
		}
		if t.nin > 2 {
			z = t.x[2][lo:hi]
		}
		t.vec(t.d[lo:hi], t.x[0][lo:hi], y, z, lo, t.nt)
		return
	}
	t.runStrided(lo, hi)
}

const run = 256

// runStrided walks flat indices [lo, hi) of dst's shape in runs along the
// last axis. An operand whose run is contiguous (last stride 1) is used in
// place, so a broadcast row or a row-major view costs what a contiguous
// array does; an operand constant along the run (a broadcast column) is
// splatted into a buffer once per run; the others are gathered into (or,
// for dst, scattered from) buffers of up to run elements. Every run is
// computed by the same vec as the contiguous path, so the bits are the
// same. Streaming stores apply whenever dst's runs are contiguous and no
// operand is gathered: the runs then read what a contiguous call reads.
func (t *task) runStrided(lo, hi int) {
	var bufs [4][run]float64
	w := newWalker(t.dst, lo)
	nd := t.dst.Ndim()
	arrs := [4]*array.Array{t.dst, t.in[0], t.in[1], t.in[2]}
	var ls [4]int
	direct, gathered := true, false
	for k := 0; k <= t.nin; k++ {
		if nd > 0 {
			ls[k] = t.st[k][nd-1]
		}
		direct = direct && ls[k] == 1
		gathered = gathered || (ls[k] != 1 && (k == 0 || ls[k] != 0))
	}
	nt := t.nt && !gathered
	for p := lo; p < hi; {
		r := min(w.runLeft(), hi-p)
		idx := w.index()
		var offs [4]int
		for k := 0; k <= t.nin; k++ {
			o := t.base[k]
			for j, i := range idx {
				o += i * t.st[k][j]
			}
			offs[k] = o
			if k > 0 && ls[k] == 0 {
				b := bufs[k][:min(r, run)]
				v := arrs[k].Backing()[o]
				for i := range b {
					b[i] = v
				}
			}
		}
		for q := 0; q < r; {
			m := r - q
			if !direct {
				m = min(m, run)
			}
			var ops [4][]float64
			for k := 0; k <= t.nin; k++ {
				data, o := arrs[k].Backing(), offs[k]+q*ls[k]
				switch {
				case ls[k] == 1:
					ops[k] = data[o : o+m]
				case k == 0:
					ops[k] = bufs[0][:m]
				case ls[k] == 0:
					ops[k] = bufs[k][:m]
				default:
					b := bufs[k][:m]
					for i := range b {
						b[i] = data[o+i*ls[k]]
					}
					ops[k] = b
				}
			}
			t.vec(ops[0], ops[1], ops[2], ops[3], p+q, nt)
			if ls[0] != 1 {
				data, o := t.dst.Backing(), offs[0]+q*ls[0]
				for i, v := range ops[0] {
					data[o+i*ls[0]] = v
				}
			}
			q += m
		}
		w.advance(r)
		p += r
	}
}

// walker is a multi-index over the shape of an array — optionally without
// one axis (skip), for the lines of an axis reduction — moved along in
// row-major order. It never allocates: arrays have at most array.MaxDims
// dimensions.
type walker struct {
	a    *array.Array
	skip int // axis left out, or -1
	nd   int
	idx  [array.MaxDims]int
}

func newWalker(a *array.Array, flat int) walker { return newWalkerSkip(a, -1, flat) }

func newWalkerSkip(a *array.Array, skip, flat int) walker {
	w := walker{a: a, skip: skip, nd: a.Ndim()}
	if skip >= 0 {
		w.nd--
	}
	idx := w.index()
	for k := w.nd - 1; k >= 0; k-- {
		if d := w.dim(k); d > 0 {
			idx[k] = flat % d
			flat /= d
		}
	}
	return w
}

// axis maps walker dimension k to the array's axis.
func (w *walker) axis(k int) int {
	if w.skip >= 0 && k >= w.skip {
		return k + 1
	}
	return k
}

func (w *walker) dim(k int) int { return w.a.Dim(w.axis(k)) }

func (w *walker) index() []int { return w.idx[:w.nd] }

// runLeft is how many elements remain along the last dimension.
func (w *walker) runLeft() int {
	if w.nd == 0 {
		return 1
	}
	return w.dim(w.nd-1) - w.index()[w.nd-1]
}

// runStride is the array's stride along the walker's last dimension.
func (w *walker) runStride() int {
	if w.nd == 0 {
		return 0
	}
	return w.a.Stride(w.axis(w.nd - 1))
}

// offset is the backing index of the current element in a, which has the
// walker's array's shape (the skipped axis at index 0).
func (w *walker) offset(a *array.Array) int {
	off := a.Offset()
	for k, i := range w.index() {
		off += i * a.Stride(w.axis(k))
	}
	return off
}

func (w *walker) advance(r int) {
	idx := w.index()
	n := len(idx)
	if n == 0 {
		return
	}
	idx[n-1] += r
	for k := n - 1; k > 0 && idx[k] >= w.dim(k); k-- {
		idx[k] -= w.dim(k)
		idx[k-1]++
	}
}

func lastStride(a *array.Array) int {
	if a.Ndim() == 0 {
		return 0
	}
	return a.Stride(-1)
}

// cost returns the planner's description of the op.
func (t *ew) cost() sched.Cost {
	c := sched.Cost{Bytes: float64(8 * (t.nin + 1)), Ops: 1, Align: t.dst.Addr(), Kernel: opLabels[t.op]}
	switch t.op {
	case opDiv, opSqrt:
		c.Ops = 4
	case opMap, opApply:
		c = sched.Cost{Align: t.dst.Addr(), Kernel: opLabels[t.op]} // unknown: For times it
	case opCopy:
		c.Ops = 0.25
	default:
		if t.op >= opExp {
			c.Ns = mathNs[t.op-opExp]
		}
	}
	return c
}
