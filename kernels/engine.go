// Package kernels holds blockwise's parallel array kernels: elementwise
// arithmetic, user-function maps, reductions and rolling windows.
//
// Package-level functions run on sched.Default() with a background context;
// On(s).WithContext(ctx) gives the same methods on a chosen scheduler and
// context. Every kernel splits its work through package sched.
//
// # Guarantees
//
//   - Results are bit-identical whatever the scheduler's worker count and
//     block size, for elementwise kernels and reductions alike, and
//     identical between the SIMD and the pure-Go (noasm) builds.
//   - dst may be the very same array as an input (in place), except for the
//     rolling kernels; a dst that partially overlaps an input is rejected
//     with ErrOverlap.
//   - Strided views work everywhere and give the same bits as contiguous
//     copies (they are slower unless each row is contiguous).
//
// # Broadcasting
//
// Every elementwise kernel with more than one input (Add, Sub, Mul, Div,
// Minimum, Maximum, Axpy, FMA) and Copy broadcast their inputs as numpy
// does: shapes are aligned on the last axis, and an input's axis of size 1,
// or an axis it lacks, stretches to dst's. dst must have the broadcast
// shape itself — it never stretches (ErrShape otherwise). A stretched input
// is read in place, never copied: adding a 1 × m row to every row of an
// n × m matrix runs at the speed of a same-shape Add.
//   - With a given dst, kernels allocate nothing in steady state.
//
// # Rolling windows
//
// RollingSum, RollingMean, RollingVar, RollingStd, RollingMin and RollingMax
// follow pandas' Series.rolling(window, min_periods, center): a trailing
// window by default, Centered() for pandas' centred offsets; NaN and ±Inf
// are missing values, skipped and not counted; a window with fewer than
// MinPeriods(k) valid values (default: the window) gives NaN; var and std
// divide by count − DDOF(k) (default 1). PadEdge() repeats the edge values
// beyond both ends (numpy's pad mode "edge"), and Axis(k) picks the axis
// whose lines are the series (default: the last); lines along any other
// axis, and strided views, are read in groups of adjacent lines (one cache
// line of each row) with the same results, bit for bit, as each line
// alone. Sums are exact to within
// an ulp of each window's own values — a huge value that has left the
// window leaves no trace — and variances never go negative. dst must not
// overlap src (ErrOverlap). Windows may be longer than the series — up to
// math.MaxInt — at the cost of a window of the series' length; memory
// beyond dst is per worker and grows with min(window, n) at most. Partial
// sums that overflow do not spoil a result that fits: a mean or std that is
// representable is returned, a sum or variance beyond range is ±Inf. The
// algorithms are described in docs/design.md.
//
// # Errors and panics
//
// Kernels never panic on bad input: nil arrays (ErrNil), shapes that differ
// (ErrShape), partial overlap (ErrOverlap), an axis out of range (ErrAxis),
// invalid scalars (ErrArgument), a window ≤ 0 (ErrWindow), MinPeriods outside
// [0, window] (ErrMinPeriods) are returned as errors wrapping those
// sentinels, and dst is left untouched. A panic inside a user function
// (Map, ApplyEach) is returned as a *sched.PanicError; elements other
// workers had already written stay written. A cancelled context returns
// ctx.Err(), with dst partly written.
package kernels

import (
	"context"
	"sync"

	"github.com/blockwise/blockwise/sched"
)

// Engine runs kernels on a chosen scheduler under a context.
type Engine struct {
	s   *sched.Scheduler
	ctx context.Context
}

// On returns an Engine running on s with a background context.
func On(s *sched.Scheduler) *Engine {
	if s == nil {
		s = sched.Default()
	}
	return &Engine{s: s, ctx: context.Background()}
}

// WithContext returns a copy of e whose calls stop early with ctx.Err()
// when ctx is cancelled.
func (e *Engine) WithContext(ctx context.Context) *Engine {
	return &Engine{s: e.s, ctx: ctx}
}

// Scheduler returns the scheduler e runs on.
func (e *Engine) Scheduler() *sched.Scheduler { return e.s }

var (
	stdOnce sync.Once
	stdEng  *Engine
)

func std() *Engine {
	stdOnce.Do(func() { stdEng = On(sched.Default()) })
	return stdEng
}
