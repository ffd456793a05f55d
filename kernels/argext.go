package kernels

import (
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

// argPool recycles the per-chunk (value, index) partials of ArgMin/ArgMax.
var argPool = sync.Pool{New: func() any { return new([]int) }}

// ArgMax returns the flat row-major index of the largest element, the
// first if it occurs more than once (−0 and +0 tie, as they compare equal).
// A NaN counts as the largest: the index of the first NaN is returned, as
// numpy.argmax does. No elements is ErrEmpty.
func (e *Engine) ArgMax(a *array.Array) (int, error) { return e.argExtreme("ArgMax", redMax, a) }

// ArgMin returns the flat row-major index of the smallest element, the
// first if it occurs more than once; the first NaN if there is one.
func (e *Engine) ArgMin(a *array.Array) (int, error) { return e.argExtreme("ArgMin", redMin, a) }

func (e *Engine) argExtreme(name string, k redKind, a *array.Array) (int, error) {
	if a == nil {
		return -1, errorf(name, ErrNil, "nil array")
	}
	n := a.Len()
	if n == 0 {
		return -1, errorf(name, ErrEmpty, "%s of no elements", name)
	}
	t := getTask()
	defer putTask(t)
	chunks := (n + chunk - 1) / chunk
	t.in[0], t.n, t.red = a, n, k
	t.x[0] = a.Data()
	t.contig = t.x[0] != nil
	pp := partialsPool.Get().(*[]float64)
	defer partialsPool.Put(pp)
	ip := argPool.Get().(*[]int)
	defer argPool.Put(ip)
	if cap(*pp) < chunks {
		*pp = make([]float64, chunks)
	}
	if cap(*ip) < chunks {
		*ip = make([]int, chunks)
	}
	t.partials, t.argIdx = (*pp)[:chunks], (*ip)[:chunks]
	defer func() { t.partials, t.argIdx = nil, nil }()
	c := sched.Cost{Bytes: 8 * chunk, Ops: 2 * chunk, Kernel: "arg" + redLabels[k]}
	if err := e.s.For(e.ctx, chunks, c, t.argBody); err != nil {
		return -1, err
	}
	best, bi := t.partials[0], t.argIdx[0]
	for j, v := range t.partials[1:] {
		if best != best {
			break // a NaN is final
		}
		if v != v || (k == redMax && v > best) || (k == redMin && v < best) {
			best, bi = v, t.argIdx[j+1]
		}
	}
	return bi, nil
}

// runArg finds each chunk's extreme and the index of its first occurrence.
func (t *task) runArg(lo, hi int) {
	var buf *[chunk]float64
	defer releaseChunk(&buf)
	for c := lo; c < hi; c++ {
		x, start := t.chunkOf(c, &buf)
		v := extreme(t.red, x)
		i := firstIndex(x, v)
		t.partials[c], t.argIdx[c] = v, start+i
	}
}

// firstIndex returns the index of the first element of x equal to v (the
// first NaN when v is NaN); v must occur in x.
func firstIndex(x []float64, v float64) int {
	if v != v {
		for i, u := range x {
			if u != u {
				return i
			}
		}
	}
	for i, u := range x {
		if u == v {
			return i
		}
	}
	return -1
}

// ArgMax returns the flat index of the largest element. See Engine.ArgMax.
func ArgMax(a *array.Array) (int, error) { return std().ArgMax(a) }

// ArgMin returns the flat index of the smallest element. See Engine.ArgMin.
func ArgMin(a *array.Array) (int, error) { return std().ArgMin(a) }
