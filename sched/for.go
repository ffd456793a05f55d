package sched

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"time"
)

// ErrPanic is matched (errors.Is) by the *PanicError that For and Map
// return when a body panics.
var ErrPanic = errors.New("sched: panic in parallel body")

// PanicError carries a body's panic value and the stack of the goroutine
// that panicked, back to the caller of For.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("sched: panic in parallel body: %v\n\npanicking goroutine's stack:\n%s", e.Value, e.Stack)
}

// Is makes errors.Is(err, ErrPanic) true.
func (e *PanicError) Is(target error) bool { return target == ErrPanic }

// Unwrap returns the panic value when it is an error.
func (e *PanicError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

// job is one call's shared state: a block counter that callers and workers
// take blocks from, and what went wrong.
type job struct {
	body         func(lo, hi int)
	start, n     int
	block, phase int
	blocks       int64
	next         atomic.Int64
	done         <-chan struct{}
	stop         atomic.Bool
	panicked     atomic.Pointer[PanicError]
	wg           sync.WaitGroup
	labels       context.Context // nil: none
	callerLabels context.Context
}

// bounds returns block i's range.
func (j *job) bounds(i int) (lo, hi int) {
	lo = j.start + i*j.block - j.phase
	hi = lo + j.block
	lo = max(lo, j.start)
	hi = min(hi, j.n)
	return lo, hi
}

// work takes blocks until none are left, the context is done or a body
// panicked.
func (j *job) work(onWorker bool) {
	if j.labels != nil {
		pprof.SetGoroutineLabels(j.labels)
	}
	for !j.stop.Load() {
		i := j.next.Add(1) - 1
		if i >= j.blocks {
			break
		}
		if j.done != nil {
			select {
			case <-j.done:
				j.stop.Store(true)
				continue
			default:
			}
		}
		lo, hi := j.bounds(int(i))
		j.call(lo, hi)
	}
	if j.labels != nil {
		if onWorker {
			pprof.SetGoroutineLabels(context.Background())
		} else {
			pprof.SetGoroutineLabels(j.callerLabels)
		}
	}
}

func (j *job) call(lo, hi int) {
	defer func() {
		if r := recover(); r != nil {
			j.panicked.CompareAndSwap(nil, &PanicError{Value: r, Stack: stack()})
			j.stop.Store(true)
		}
	}()
	j.body(lo, hi)
}

// labelCache maps a kernel name to a context carrying only the label
// kernel=name, so that labelling costs no allocation per call.
var labelCache atomic.Pointer[map[string]context.Context]
var labelMu sync.Mutex

func kernelLabels(name string) context.Context {
	if m := labelCache.Load(); m != nil {
		if c, ok := (*m)[name]; ok {
			return c
		}
	}
	labelMu.Lock()
	defer labelMu.Unlock()
	next := map[string]context.Context{}
	if m := labelCache.Load(); m != nil {
		for k, v := range *m {
			next[k] = v
		}
	}
	c := pprof.WithLabels(context.Background(), pprof.Labels("kernel", name))
	next[name] = c
	labelCache.Store(&next)
	return c
}

func hasLabels(ctx context.Context) bool {
	found := false
	pprof.ForLabels(ctx, func(string, string) bool { found = true; return false })
	return found
}

// For calls body on disjoint blocks [lo, hi) that cover [0, n) exactly once,
// on up to Workers goroutines — the caller and persistent pool workers — as
// the plan for (n, c) decides. Blocks are handed out dynamically, so uneven
// blocks keep every worker busy. With c.Align set, every block edge falls on
// a cache-line boundary of the output.
//
// For returns when every started block has finished. It returns nil, a
// *PanicError if a body panicked (no further blocks start; the pool stays
// usable), or ctx.Err() if ctx was done before all blocks started.
//
// With an unknown cost (Cost{}), For first runs a few elements on the caller
// — 1, 2, 4, … — until it has timed enough work to estimate the cost per
// element, and plans the rest from that.
//
// Blocks run under ctx's pprof labels plus kernel=c.Kernel when set, and in
// a runtime/trace region named after the kernel when tracing is on.
// In steady state For allocates nothing.
func (s *Scheduler) For(ctx context.Context, n int, c Cost, body func(lo, hi int)) error {
	if n < 0 {
		panic("sched.For: negative n")
	}
	if body == nil {
		panic("sched.For: nil body")
	}
	if n == 0 {
		return ctx.Err()
	}
	done := ctx.Done()
	if done != nil {
		select {
		case <-done:
			return ctx.Err()
		default:
		}
	}
	if trace.IsEnabled() {
		name := c.Kernel
		if name == "" {
			name = "sched.For"
		}
		defer trace.StartRegion(ctx, name).End()
	}

	start := 0
	if c.unknown() && s.block == 0 && s.workers > 1 {
		// Time the first elements on the caller until the cost is known.
		var err error
		start, c.Ns, err = s.probe(ctx, n, body)
		if err != nil || start == n {
			if s.logPlans {
				s.record(n, &c, &plan{workers: 1, block: n, blocks: 1, why: rProbed})
			}
			return err
		}
	}
	var p plan
	s.makePlan(start, n, &c, &p)
	if s.logPlans {
		s.record(n, &c, &p)
	}
	if p.blocks == 1 {
		// Work below the parallel overhead: run it here, now, without
		// the job machinery (samples keep the caller's labels and stack).
		return direct(body, start, n)
	}
	var labels context.Context
	switch ctxLabelled := hasLabels(ctx); {
	case c.Kernel != "" && ctxLabelled:
		labels = pprof.WithLabels(ctx, pprof.Labels("kernel", c.Kernel))
	case c.Kernel != "":
		labels = kernelLabels(c.Kernel)
	case ctxLabelled:
		labels = ctx
	}
	j := s.getJob()
	j.body, j.start, j.n = body, start, n
	j.block, j.phase, j.blocks = p.block, p.phase, int64(p.blocks)
	j.done, j.labels, j.callerLabels = done, labels, ctx
	if p.workers > 1 {
		s.startOnce.Do(s.start)
		s.dispatch(j, p.workers-1)
	}
	j.work(false)
	j.wg.Wait()
	return s.finish(j, ctx)
}

// direct runs body(lo, hi) on the caller, turning a panic into an error.
func direct(body func(lo, hi int), lo, hi int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: stack()}
		}
	}()
	body(lo, hi)
	return nil
}

// probeTarget is how much work For times before planning an unknown cost.
const probeTarget = 20 * time.Microsecond

func (s *Scheduler) probe(ctx context.Context, n int, body func(lo, hi int)) (done int, ns float64, err error) {
	j := s.getJob()
	j.body, j.n, j.done, j.callerLabels = body, n, ctx.Done(), ctx
	t0 := time.Now()
	step := 1
	for done < n {
		hi := min(n, done+step)
		j.start, j.block, j.phase, j.blocks = done, hi-done, 0, 1
		j.next.Store(0)
		j.work(false)
		if j.stop.Load() {
			return done, 0, s.finish(j, ctx)
		}
		done = hi
		if el := time.Since(t0); el >= probeTarget {
			s.putJob(j)
			return done, float64(el.Nanoseconds()) / float64(done), nil
		}
		step *= 2
	}
	s.putJob(j)
	return done, 0, nil
}

func (s *Scheduler) finish(j *job, ctx context.Context) error {
	var err error
	if pe := j.panicked.Load(); pe != nil {
		err = pe
	} else if j.stop.Load() {
		err = ctx.Err()
	}
	s.putJob(j)
	return err
}

// dispatch hands j to up to k idle workers.
func (s *Scheduler) dispatch(j *job, k int) {
	s.mu.Lock()
	var got [8]*worker
	for k > 0 && len(s.idle) > 0 {
		m := min(k, len(s.idle), len(got))
		copy(got[:m], s.idle[len(s.idle)-m:])
		s.idle = s.idle[:len(s.idle)-m]
		k -= m
		j.wg.Add(m)
		s.mu.Unlock()
		for _, w := range got[:m] {
			w.give(j)
		}
		s.mu.Lock()
	}
	s.mu.Unlock()
}

func (s *Scheduler) getJob() *job {
	s.mu.Lock()
	if n := len(s.free); n > 0 {
		j := s.free[n-1]
		s.free = s.free[:n-1]
		s.mu.Unlock()
		return j
	}
	s.mu.Unlock()
	return new(job)
}

func (s *Scheduler) putJob(j *job) {
	j.body, j.done, j.labels, j.callerLabels = nil, nil, nil, nil
	j.start, j.n, j.block, j.phase, j.blocks = 0, 0, 0, 0, 0
	j.next.Store(0)
	j.stop.Store(false)
	j.panicked.Store(nil)
	s.mu.Lock()
	if len(s.free) < 64 {
		s.free = append(s.free, j)
	}
	s.mu.Unlock()
}

func stack() []byte { return debug.Stack() }
