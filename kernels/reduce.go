package kernels

import (
	"math"
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
	"github.com/blockwise/blockwise/sched"
)

type redKind uint8

const (
	redSum redKind = iota
	redDot
	redSumSqScaled // Σ (x/scale)², for Norm's overflow-safe path
	redMin
	redMax
	redMaxAbs
)

var redLabels = [...]string{"sum", "dot", "norm", "min", "max", "maxabs"}

// partialsPool recycles the per-chunk partial buffers of reductions.
var partialsPool = sync.Pool{New: func() any { return new([]float64) }}

// reduce runs a whole-array reduction of kind k over x (and y for Dot) and
// returns its value. Validation is the caller's.
func (e *Engine) reduce(k redKind, x, y *array.Array, scale float64) (float64, error) {
	t := getTask()
	t.in[0], t.in[1] = x, y
	t.x[0] = x.Data()
	t.contig = t.x[0] != nil
	if y != nil {
		t.x[1] = y.Data()
		t.contig = t.contig && t.x[1] != nil
	}
	return e.runReduction(t, k, x.Len(), y != nil, scale)
}

// reduceSlice is reduce over a contiguous slice.
func (e *Engine) reduceSlice(k redKind, x []float64) (float64, error) {
	t := getTask()
	t.x[0], t.contig = x, true
	return e.runReduction(t, k, len(x), false, 0)
}

func (e *Engine) runReduction(t *task, k redKind, n int, two bool, scale float64) (float64, error) {
	defer putTask(t)
	chunks := (n + chunk - 1) / chunk
	t.red, t.s1, t.n = k, scale, n
	pp := partialsPool.Get().(*[]float64)
	defer partialsPool.Put(pp)
	if cap(*pp) < chunks {
		*pp = make([]float64, chunks)
	}
	t.partials = (*pp)[:chunks]
	defer func() { t.partials = nil }()
	bytes := 8.0
	if two {
		bytes = 16
	}
	c := sched.Cost{Bytes: bytes * chunk, Ops: chunk, Kernel: redLabels[k]}
	if err := e.s.For(e.ctx, chunks, c, t.redBody); err != nil {
		return 0, err
	}
	switch k {
	case redMin, redMax, redMaxAbs:
		r := t.partials[0]
		for _, v := range t.partials[1:] {
			if k == redMin {
				r = min(r, v)
			} else {
				r = max(r, v)
			}
		}
		return canonNaN(r), nil
	}
	return canonNaN(counterReduce(t.partials)), nil
}

// canonNaN returns x, or the canonical quiet NaN (math.NaN()) when x is a
// NaN. Which NaN payload an addition passes on depends on its operand
// order, which differs between whole-array and per-line reductions; every
// reduction returns this one NaN, so their results agree bit for bit.
func canonNaN(x float64) float64 {
	if x != x {
		return math.NaN()
	}
	return x
}

// runReduce computes the partials of chunks [lo, hi).
func (t *task) runReduce(lo, hi int) {
	var leaves [chunkLeaves]float64
	var bx, by [asm.Leaf]float64
	n := t.n
	for c := lo; c < hi; c++ {
		start, end := c*chunk, min(n, (c+1)*chunk)
		var w walker
		if !t.contig {
			w = newWalker(t.in[0], start)
		}
		switch t.red {
		case redMin, redMax, redMaxAbs:
			var r float64
			for p := start; p < end; p += asm.Leaf {
				x := bx[:min(asm.Leaf, end-p)]
				if t.contig {
					x = t.x[0][p : p+len(x)]
				} else {
					gather(&w, t.in[0], nil, x, nil)
				}
				r0 := extreme(t.red, x)
				if p == start {
					r = r0
				} else if t.red == redMin {
					r = min(r, r0)
				} else {
					r = max(r, r0)
				}
			}
			t.partials[c] = r
			continue
		}
		m := asm.Leaves(end - start)
		switch {
		case t.contig && t.red == redSum:
			asm.LeafSums(leaves[:m], t.x[0][start:end])
		case t.contig && t.red == redDot:
			asm.LeafDots(leaves[:m], t.x[0][start:end], t.x[1][start:end])
		default:
			for l, p := 0, start; p < end; l, p = l+1, p+asm.Leaf {
				x, y := bx[:min(asm.Leaf, end-p)], by[:min(asm.Leaf, end-p)]
				switch {
				case t.contig:
					copy(x, t.x[0][p:])
				case t.red == redDot:
					gather(&w, t.in[0], t.in[1], x, y)
				default:
					gather(&w, t.in[0], nil, x, nil)
				}
				switch t.red {
				case redSum:
					asm.LeafSums(leaves[l:l+1], x)
				case redDot:
					asm.LeafDots(leaves[l:l+1], x, y)
				case redSumSqScaled:
					for i := range x {
						x[i] /= t.s1
					}
					asm.LeafDots(leaves[l:l+1], x, x)
				}
			}
		}
		t.partials[c] = counterReduce(leaves[:m])
	}
}

// extreme returns the min, max or max-abs of x (len ≥ 1); NaN if x has one.
// Eight independent lanes break the dependency chain; min and max are
// exact and (NaN aside, which any lane propagates) order-free, so the lanes
// change no result: +0 beats −0 for max and −0 beats +0 for min whatever
// the order, as Go's min and max define.
func extreme(k redKind, x []float64) float64 {
	var l [8]float64
	for j := range l {
		l[j] = x[0]
	}
	if k == redMaxAbs {
		for j := range l {
			l[j] = math.Abs(x[0])
		}
	}
	i := 0
	switch k {
	case redMin:
		for ; i+8 <= len(x); i += 8 {
			v := x[i : i+8 : i+8]
			l[0], l[1], l[2], l[3] = min(l[0], v[0]), min(l[1], v[1]), min(l[2], v[2]), min(l[3], v[3])
			l[4], l[5], l[6], l[7] = min(l[4], v[4]), min(l[5], v[5]), min(l[6], v[6]), min(l[7], v[7])
		}
		for ; i < len(x); i++ {
			l[0] = min(l[0], x[i])
		}
		return min(min(min(l[0], l[1]), min(l[2], l[3])), min(min(l[4], l[5]), min(l[6], l[7])))
	case redMax:
		for ; i+8 <= len(x); i += 8 {
			v := x[i : i+8 : i+8]
			l[0], l[1], l[2], l[3] = max(l[0], v[0]), max(l[1], v[1]), max(l[2], v[2]), max(l[3], v[3])
			l[4], l[5], l[6], l[7] = max(l[4], v[4]), max(l[5], v[5]), max(l[6], v[6]), max(l[7], v[7])
		}
		for ; i < len(x); i++ {
			l[0] = max(l[0], x[i])
		}
	default:
		for ; i+8 <= len(x); i += 8 {
			v := x[i : i+8 : i+8]
			l[0], l[1], l[2], l[3] = max(l[0], math.Abs(v[0])), max(l[1], math.Abs(v[1])), max(l[2], math.Abs(v[2])), max(l[3], math.Abs(v[3]))
			l[4], l[5], l[6], l[7] = max(l[4], math.Abs(v[4])), max(l[5], math.Abs(v[5])), max(l[6], math.Abs(v[6])), max(l[7], math.Abs(v[7]))
		}
		for ; i < len(x); i++ {
			l[0] = max(l[0], math.Abs(x[i]))
		}
	}
	return max(max(max(l[0], l[1]), max(l[2], l[3])), max(max(l[4], l[5]), max(l[6], l[7])))
}

// gather copies the next len(x) elements of a (and of b into y, when b is
// not nil; a and b have the same shape) in row-major order, moving w on.
func gather(w *walker, a, b *array.Array, x, y []float64) {
	for i := 0; i < len(x); {
		r := min(w.runLeft(), len(x)-i)
		data, off, ls := a.Backing(), w.offset(a), lastStride(a)
		for j := 0; j < r; j++ {
			x[i+j] = data[off+j*ls]
		}
		if b != nil {
			data, off, ls = b.Backing(), w.offset(b), lastStride(b)
			for j := 0; j < r; j++ {
				y[i+j] = data[off+j*ls]
			}
		}
		w.advance(r)
		i += r
	}
}

// Sum returns the sum of a's elements (0 for none), by pairwise summation
// over 128-element leaves in a fixed order (see the package's tree.go):
// error O(ε·log n·Σ|x|), bit-identical for any worker count.
func (e *Engine) Sum(a *array.Array) (float64, error) {
	if a == nil {
		return 0, errorf("Sum", ErrNil, "nil array")
	}
	return e.reduce(redSum, a, nil, 0)
}

// Mean returns Sum(a)/a.Len(); ErrEmpty (and NaN) for no elements.
func (e *Engine) Mean(a *array.Array) (float64, error) {
	if a == nil {
		return 0, errorf("Mean", ErrNil, "nil array")
	}
	if a.Len() == 0 {
		return math.NaN(), errorf("Mean", ErrEmpty, "mean of no elements")
	}
	s, err := e.reduce(redSum, a, nil, 0)
	return s / float64(a.Len()), err
}

// Min returns the smallest element; NaN if any element is NaN; ErrEmpty for
// no elements.
func (e *Engine) Min(a *array.Array) (float64, error) { return e.extremum("Min", redMin, a) }

// Max returns the largest element; NaN if any element is NaN; ErrEmpty for
// no elements.
func (e *Engine) Max(a *array.Array) (float64, error) { return e.extremum("Max", redMax, a) }

func (e *Engine) extremum(name string, k redKind, a *array.Array) (float64, error) {
	if a == nil {
		return 0, errorf(name, ErrNil, "nil array")
	}
	if a.Len() == 0 {
		return math.NaN(), errorf(name, ErrEmpty, "%s of no elements", name)
	}
	return e.reduce(k, a, nil, 0)
}

// Dot returns Σ a[i]·b[i], each product accumulated with a fused
// multiply-add, in the same fixed pairwise order as Sum.
func (e *Engine) Dot(a, b *array.Array) (float64, error) {
	if a == nil || b == nil {
		return 0, errorf("Dot", ErrNil, "nil array")
	}
	if !array.SameShape(a, b) {
		return 0, errorf("Dot", ErrShape, "%v · %v", a.Shape(), b.Shape())
	}
	return e.reduce(redDot, a, b, 0)
}

// Norm returns the Euclidean norm √Σa[i]². Where Σa[i]² would overflow or
// lose precision to underflow, it is computed as s·√Σ(a[i]/s)² with
// s = max|a[i]|. NaN if any element is NaN; +Inf if one is infinite.
func (e *Engine) Norm(a *array.Array) (float64, error) {
	if a == nil {
		return 0, errorf("Norm", ErrNil, "nil array")
	}
	if a.Len() == 0 {
		return 0, nil
	}
	d, err := e.reduce(redDot, a, a, 0)
	if err != nil || math.IsNaN(d) {
		return d, err
	}
	if !math.IsInf(d, 0) && d >= 0x1p-900 {
		return math.Sqrt(d), nil
	}
	// Overflow, or squares that may have underflowed: scale by max|a|.
	s, err := e.reduce(redMaxAbs, a, nil, 0)
	if err != nil || s == 0 || math.IsInf(s, 0) || math.IsNaN(s) {
		return s, err
	}
	q, err := e.reduce(redSumSqScaled, a, nil, s)
	return s * math.Sqrt(q), err
}

// Sum returns the sum of a's elements. See Engine.Sum.
func Sum(a *array.Array) (float64, error) { return std().Sum(a) }

// Mean returns the mean of a's elements. See Engine.Mean.
func Mean(a *array.Array) (float64, error) { return std().Mean(a) }

// Min returns the smallest element. See Engine.Min.
func Min(a *array.Array) (float64, error) { return std().Min(a) }

// Max returns the largest element. See Engine.Max.
func Max(a *array.Array) (float64, error) { return std().Max(a) }

// Dot returns Σ a[i]·b[i]. See Engine.Dot.
func Dot(a, b *array.Array) (float64, error) { return std().Dot(a, b) }

// Norm returns the Euclidean norm of a. See Engine.Norm.
func Norm(a *array.Array) (float64, error) { return std().Norm(a) }
