package expr

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
	"github.com/blockwise/blockwise/sched"
)

// block is the number of elements each program step covers: its temps
// (8 KiB each) stay in L1 while the inputs stream past once.
const block = 1024

// An Evaluator runs expressions on a chosen scheduler under a context.
type Evaluator struct {
	s   *sched.Scheduler
	ctx context.Context
}

// On returns an Evaluator on s (sched.Default() when nil) with a
// background context.
func On(s *sched.Scheduler) *Evaluator {
	if s == nil {
		s = sched.Default()
	}
	return &Evaluator{s: s, ctx: context.Background()}
}

// WithContext returns a copy of ev whose evaluations stop early with
// ctx.Err() when ctx is cancelled.
func (ev *Evaluator) WithContext(ctx context.Context) *Evaluator {
	return &Evaluator{s: ev.s, ctx: ctx}
}

var (
	stdOnce sync.Once
	stdEv   *Evaluator
)

func std() *Evaluator {
	stdOnce.Do(func() { stdEv = On(sched.Default()) })
	return stdEv
}

// Eval evaluates x into dst on the default scheduler; see Evaluator.Eval.
func (x *Expr) Eval(dst *array.Array, vars map[string]*array.Array) error {
	return std().Eval(x, dst, vars)
}

// binding is how a variable is read in one evaluation.
type binding struct {
	scalar bool      // one element, broadcast: val
	val    float64   //
	direct []float64 // contiguous, dst's shape: read in place
	arr    *array.Array
	st     [array.MaxDims]int // broadcast strides over dst's axes (gathered)
}

// evalTask is one evaluation's state, pooled with its body bound once.
type evalTask struct {
	x      *Expr
	dst    *array.Array
	d      []float64 // dst's data when contiguous
	dstSt  [array.MaxDims]int
	vars   []binding
	nt     bool
	body   func(lo, hi int)
	shape  [array.MaxDims]int
	nd     int
	evalID uint64
}

var taskPool = sync.Pool{New: func() any {
	t := new(evalTask)
	t.body = t.run
	return t
}}

// evals numbers evaluations, so that a worker's scratch knows when to
// refill the blocks of scalar variables.
var evals atomic.Uint64

// scratch is one worker's registers for one Expr.
type scratch struct {
	temps  [][]float64
	consts [][]float64 // filled once: constants never change
	vars   [][]float64 // scalar variables (refilled per evaluation) or gathered blocks
	evalID uint64
	out    []float64
}

func (x *Expr) getScratch() *scratch {
	if s, ok := x.pool.Get().(*scratch); ok {
		return s
	}
	s := &scratch{
		temps:  make([][]float64, x.ntemp),
		consts: make([][]float64, len(x.consts)),
		vars:   make([][]float64, len(x.vars)),
		out:    make([]float64, block),
	}
	for i := range s.temps {
		s.temps[i] = make([]float64, block)
	}
	for i, c := range x.consts {
		s.consts[i] = make([]float64, block)
		for k := range s.consts[i] {
			s.consts[i][k] = c
		}
	}
	for i := range s.vars {
		s.vars[i] = make([]float64, block)
	}
	return s
}

// Eval evaluates x elementwise into dst, each variable bound by name in
// vars. A variable broadcasts to dst's shape by numpy's rules (a one-
// element array is a scalar); dst never stretches. dst may be one of the
// variables (in place), but not partly overlap one.
//
// Errors, with dst untouched: ErrNil (dst or a variable nil),
// ErrUnknownVar (a variable missing from vars), array.ErrShape, ErrOverlap,
// and ctx.Err() if the context is cancelled (dst then partly written).
// Eval allocates nothing once the expression has run on every worker.
func (ev *Evaluator) Eval(x *Expr, dst *array.Array, vars map[string]*array.Array) error {
	if x == nil || dst == nil {
		return fmt.Errorf("expr.Eval: %w: nil expression or dst", ErrNil)
	}
	if array.SelfOverlaps(dst) {
		return fmt.Errorf("expr.Eval: %w: dst addresses some elements more than once", ErrOverlap)
	}
	t := taskPool.Get().(*evalTask)
	defer func() {
		t.x, t.dst, t.d = nil, nil, nil
		for i := range t.vars {
			t.vars[i] = binding{}
		}
		taskPool.Put(t)
	}()
	if cap(t.vars) < len(x.vars) {
		t.vars = make([]binding, len(x.vars))
	}
	t.vars = t.vars[:len(x.vars)]
	nvec := 0
	for i, name := range x.vars {
		a, ok := vars[name]
		if !ok {
			return fmt.Errorf("expr.Eval: %w %q", ErrUnknownVar, name)
		}
		switch fault := array.InputFault(dst, a); fault {
		case nil:
		case array.ErrShape:
			return shapeErr(name, a.Shape(), dst.Shape())
		default:
			return fmt.Errorf("expr.Eval: %w: variable %q", fault, name)
		}
		b := &t.vars[i]
		*b = binding{arr: a}
		switch {
		case a.Len() == 1:
			b.scalar, b.val = true, a.Backing()[a.Offset()]
		case a.IsContiguous() && array.SameShape(a, dst):
			b.direct = a.Data()
			nvec++
		default:
			a.BroadcastStridesOnto(b.st[:dst.Ndim()], dst)
			nvec++
		}
	}
	t.x, t.dst = x, dst
	t.nd = dst.Ndim()
	for k := 0; k < t.nd; k++ {
		t.shape[k] = dst.Dim(k)
		t.dstSt[k] = dst.Stride(k)
	}
	if dst.IsContiguous() {
		t.d = dst.Data()
	}
	t.evalID = evals.Add(1)
	n := dst.Len()
	cost := sched.Cost{Bytes: float64(8 * (nvec + 1)), Ns: x.ns, Align: dst.Addr(), Kernel: "expr"}
	// Outputs far beyond the last-level cache are written with streaming
	// stores (no read-for-ownership), as the elementwise kernels do.
	t.nt = t.d != nil && float64(n)*float64(8*(nvec+1)) > 2*float64(ev.s.Topology().LastLevelCache())
	if x.ns < 1 {
		cost.Ns = 0
		cost.Ops = x.ns * 4
	}
	return ev.s.For(ev.ctx, n, cost, t.body)
}

// run evaluates flat elements [lo, hi) of dst, block by block.
func (t *evalTask) run(lo, hi int) {
	x := t.x
	s := x.getScratch()
	defer x.pool.Put(s)
	if s.evalID != t.evalID {
		s.evalID = t.evalID
		for i := range t.vars {
			if b := &t.vars[i]; b.scalar {
				v := s.vars[i]
				for k := range v {
					v[k] = b.val
				}
			}
		}
	}
	for p := lo; p < hi; p += block {
		t.step(s, p, min(block, hi-p))
	}
}

// operand returns the n values of slot a at flat offset p, and whether
// they are one scalar (then v holds it, broadcast).
func (t *evalTask) operand(s *scratch, a slot, p, n int) (v []float64, scalar bool, val float64) {
	switch a.kind {
	case sConst:
		return s.consts[a.i][:n], true, t.x.consts[a.i]
	case sTemp:
		return s.temps[a.i][:n], false, 0
	}
	b := &t.vars[a.i]
	switch {
	case b.scalar:
		return s.vars[a.i][:n], true, b.val
	case b.direct != nil:
		return b.direct[p : p+n], false, 0
	}
	buf := s.vars[a.i][:n]
	t.walk(buf, b.arr.Backing(), b.arr.Offset(), b.st[:t.nd], p, false)
	return buf, false, 0
}

// walk gathers (or, with scatter, writes) the n = len(buf) elements of
// dst's flat range [p, p+n) addressed through strides st from base.
func (t *evalTask) walk(buf, data []float64, base int, st []int, p int, scatter bool) {
	nd := t.nd
	var idx [array.MaxDims]int
	off := base
	r := p
	for k := nd - 1; k >= 0; k-- {
		idx[k] = r % t.shape[k]
		r /= t.shape[k]
		off += idx[k] * st[k]
	}
	for i := range buf {
		if scatter {
			data[off] = buf[i]
		} else {
			buf[i] = data[off]
		}
		for k := nd - 1; k >= 0; k-- {
			idx[k]++
			off += st[k]
			if idx[k] < t.shape[k] {
				break
			}
			off -= idx[k] * st[k]
			idx[k] = 0
		}
	}
}

// step runs the program on elements [p, p+n).
func (t *evalTask) step(s *scratch, p, n int) {
	x := t.x
	last := len(x.code) - 1
	for j := range x.code {
		in := &x.code[j]
		var dst []float64
		nt := false
		switch {
		case j < last || x.out.kind != sTemp:
			dst = s.temps[in.dst][:n]
		case t.d != nil:
			dst, nt = t.d[p:p+n], t.nt
		default:
			dst = s.out[:n]
		}
		t.exec(s, in, dst, p, n, nt)
	}
	if t.d == nil || x.out.kind != sTemp {
		// The result is a scratch block (dst strided) or a variable or
		// constant (no code wrote dst).
		var res []float64
		switch {
		case x.out.kind == sTemp:
			res = s.out[:n]
		default:
			res, _, _ = t.operand(s, x.out, p, n)
		}
		if t.d != nil {
			copy(t.d[p:p+n], res)
			return
		}
		t.walk(res, t.dst.Backing(), t.dst.Offset(), t.dstSt[:t.nd], p, true)
	}
}

// exec runs one instruction into dst.
func (t *evalTask) exec(s *scratch, in *instr, dst []float64, p, n int, nt bool) {
	info := &ops[in.op]
	a, as, av := t.operand(s, in.a[0], p, n)
	if info.n == 1 {
		if info.v1 != nil {
			info.v1(dst, a[:len(dst)])
			return
		}
		f := info.f1
		a = a[:len(dst)]
		for i := range dst {
			dst[i] = f(a[i])
		}
		return
	}
	b, bs, bv := t.operand(s, in.a[1], p, n)
	if info.n == 3 {
		c, _, _ := t.operand(s, in.a[2], p, n)
		a, b, c = a[:len(dst)], b[:len(dst)], c[:len(dst)]
		if in.op == oWhere {
			for i := range dst {
				if a[i] != 0 {
					dst[i] = b[i]
				} else {
					dst[i] = c[i]
				}
			}
			return
		}
		for i := range dst {
			dst[i] = math.FMA(a[i], b[i], c[i])
		}
		return
	}
	switch in.op {
	case oAdd, oSub, oMul, oDiv:
		k := &arith[in.op]
		switch {
		case bs && k.withConst != nil:
			if in.op == oSub {
				bv = -bv // a − s is a + (−s), exactly
			}
			k.withConst(dst, a, bv, nt)
		case as && k.commutes:
			k.withConst(dst, b, av, nt)
		case nt:
			k.nt(dst, a, b)
		default:
			k.plain(dst, a, b)
		}
		return
	case oPow:
		switch {
		case bs && bv == 2:
			asm.Mul(dst, a, a) // fmath.Pow(x, 2) is x*x
		case bs:
			asm.PowConst(dst, a[:len(dst)], bv)
		default:
			asm.Pow(dst, a[:len(dst)], b[:len(dst)])
		}
		return
	}
	f := info.f2
	a, b = a[:len(dst)], b[:len(dst)]
	for i := range dst {
		dst[i] = f(a[i], b[i])
	}
}

// arith holds the assembly kernels of the four operators: plain and
// streaming stores, and the form with a scalar operand (Sub's is AddConst
// of the negated scalar; Div has none, since a·(1/s) is not a/s).
var arith = [...]struct {
	plain, nt func(dst, a, b []float64)
	withConst func(dst, a []float64, s float64, nt bool)
	commutes  bool
}{
	oAdd: {asm.Add, asm.AddNT, addConst, true},
	oSub: {asm.Sub, asm.SubNT, addConst, false},
	oMul: {asm.Mul, asm.MulNT, scale, true},
	oDiv: {asm.Div, asm.DivNT, nil, false},
}

func addConst(dst, a []float64, s float64, nt bool) {
	if nt {
		asm.AddConstNT(dst, a, s)
	} else {
		asm.AddConst(dst, a, s)
	}
}

func scale(dst, a []float64, s float64, nt bool) {
	if nt {
		asm.ScaleNT(dst, a, s)
	} else {
		asm.Scale(dst, a, s)
	}
}
