package kernels

import (
	"math"
	"runtime/debug"
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

var applyPool = sync.Pool{New: func() any { return new([]float64) }}

// applySegment calls f on the windows of outputs [a, b), each copied into
// one buffer the worker reuses. It reports false when f panicked (the
// panic, with the output's index, is in r.panicked) or another segment's f
// did.
func (r *rollTask) applySegment(in *line, out *outLine, a, b int) (ok bool) {
	if r.panicked.Load() != nil {
		return false
	}
	full := r.w + r.ex0 + r.ex1 // with PadEdge every window is whole
	bufp := applyPool.Get().(*[]float64)
	defer applyPool.Put(bufp)
	if cap(*bufp) < full {
		*bufp = make([]float64, full)
	}
	buf := (*bufp)[:full]
	i := a
	defer func() {
		if p := recover(); p != nil {
			r.panicked.CompareAndSwap(nil, &sched.PanicError{Value: p, Stack: debug.Stack(), Lo: i, Hi: i + 1, Index: i})
			ok = false
		}
	}()
	count := 0 // finite values in the window of i
	for j := a - r.left; j <= a+r.righ; j++ {
		count += finiteCount(in.get(j))
	}
	if r.pad {
		count += r.ex0*finiteCount(in.head()) + r.ex1*finiteCount(in.tail())
	}
	f := r.f
	nan := math.NaN()
	contig := in.st == 1 && in.scale == 0
	for ; i < b; i++ {
		if i > a {
			count += finiteCount(in.get(i+r.righ)) - finiteCount(in.get(i-r.left-1))
		}
		if count < r.minp {
			out.set(i, nan)
			continue
		}
		lo, hi := i-r.left, i+r.righ+1
		var win []float64
		switch {
		case r.pad:
			// Virtual indexing gives the edge copies; those beyond
			// a clamped window come first and last.
			k := 0
			for range r.ex0 {
				buf[k] = in.head()
				k++
			}
			for j := lo; j < hi; j++ {
				buf[k] = in.get(j)
				k++
			}
			for range r.ex1 {
				buf[k] = in.tail()
				k++
			}
			win = buf[:k]
		default:
			// Missing positions beyond the ends are not in the
			// window: pandas hands f the values that exist.
			lo, hi = max(lo, 0), min(hi, in.n)
			if contig {
				win = buf[:copy(buf, in.x[in.off+lo:in.off+hi])]
			} else {
				for j := lo; j < hi; j++ {
					buf[j-lo] = in.get(j)
				}
				win = buf[:hi-lo]
			}
		}
		out.set(i, f(win))
	}
	return true
}

// RollingApply sets dst[i] to f of the window of i, as pandas'
// rolling(...).apply(f, raw=True): f gets the window's values in order,
// NaN and ±Inf included (with PadEdge, the padded values; otherwise the
// windows at the ends are shorter, holding the values that exist). f is
// called only where the window holds at least MinPeriods finite values;
// elsewhere dst is NaN.
//
// f is called concurrently from several goroutines, each with its own
// buffer, and must not keep or modify the slice. A panic in f stops the
// call and comes back as a *sched.PanicError whose Index is the output
// index (dst then partly written). With PadEdge the window may be at most
// max(4n, 65536) long (ErrWindow beyond), since f sees it whole. Memory
// beyond dst is one window per worker.
func (e *Engine) RollingApply(dst, src *array.Array, window int, f func(window []float64) float64, opts ...RollingOption) error {
	return e.rollingWith(rollApply, dst, src, window, rollArgs{f: f}, opts)
}

// RollingApply is Engine.RollingApply on sched.Default().
func RollingApply(dst, src *array.Array, window int, f func(window []float64) float64, opts ...RollingOption) error {
	return std().RollingApply(dst, src, window, f, opts...)
}
