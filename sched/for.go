package sched

import (
	"context"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"time"
)

// job is one call's shared state: a counter that the caller and helpers
// take blocks from, what is in flight, and what went wrong. The caller and
// every helper hold a reference; the last one out recycles it, so a caller
// never waits for a helper that woke too late to find work.
type job struct {
	body     func(lo, hi int)
	bodyErr  func(lo, hi int) error
	wrapErr  bool // wrap bodyErr's errors in *BlockError
	start, n int
	// fixed blocks: block i is [start + i·block − phase, …) clipped
	block, phase int
	blocks       int64
	// adaptive (unknown cost): claimers take chunks of growing size
	adaptive bool
	line     int // output elements per cache line
	workers  int

	next     atomic.Int64 // next block index, or next element when adaptive
	inflight atomic.Int64 // claimers between a claim attempt and its end
	waiting  atomic.Bool  // the caller sleeps on doneCh
	doneCh   chan struct{}
	refs     atomic.Int32

	done         <-chan struct{}
	stop         atomic.Bool
	failed       atomic.Pointer[failure]
	labels       context.Context // nil: none
	callerLabels context.Context
}

type failure struct{ err error }

func (j *job) reset() {
	j.body, j.bodyErr, j.wrapErr, j.done, j.labels, j.callerLabels = nil, nil, false, nil, nil, nil
	j.start, j.n, j.block, j.phase, j.blocks = 0, 0, 0, 0, 0
	j.adaptive, j.line, j.workers = false, 0, 0
	j.next.Store(0)
	j.inflight.Store(0)
	j.waiting.Store(false)
	j.stop.Store(false)
	j.failed.Store(nil)
	select { // a token left by a helper that finished after the caller stopped waiting
	case <-j.doneCh:
	default:
	}
}

// bounds returns block i's range. It computes in uint so that n near
// math.MaxInt cannot overflow.
func (j *job) bounds(i int64) (lo, hi int) {
	l := uint(j.start) + uint(i)*uint(j.block)
	h := l + uint(j.block)
	l -= uint(j.phase)
	h -= uint(j.phase)
	return max(int(l), j.start), int(min(h, uint(j.n)))
}

// work takes blocks until none are left, the context is done or a body
// failed.
func (j *job) work(onWorker bool) {
	if j.labels != nil {
		pprof.SetGoroutineLabels(j.labels)
	}
	if j.adaptive {
		j.workAdaptive()
	} else {
		for !j.stop.Load() {
			j.inflight.Add(1)
			i := j.next.Add(1) - 1
			if i >= j.blocks {
				j.leave()
				break
			}
			if j.cancelled() {
				j.leave()
				break
			}
			lo, hi := j.bounds(i)
			j.call(lo, hi)
			j.leave()
		}
	}
	if j.labels != nil {
		if onWorker {
			pprof.SetGoroutineLabels(context.Background())
		} else {
			pprof.SetGoroutineLabels(j.callerLabels)
		}
	}
}

// probeTarget is the work an adaptive chunk grows to: enough that taking
// a chunk (a CAS and two clock reads) costs under 1%.
const probeTarget = 20 * time.Microsecond

// workAdaptive runs an unknown-cost job: each claimer starts with a chunk
// of one element and doubles it while a chunk takes under probeTarget, so
// an expensive first item never holds up the others, and cheap items soon
// go in large chunks. Chunks never exceed half a claimer's fair share of
// what is left, so the end balances.
func (j *job) workAdaptive() {
	chunk := 1
	for !j.stop.Load() {
		j.inflight.Add(1)
		lo, hi, ok := j.claim(chunk)
		if !ok || j.cancelled() {
			j.leave()
			break
		}
		t0 := time.Now()
		j.call(lo, hi)
		el := time.Since(t0)
		j.leave()
		if el < probeTarget && chunk < 1<<40 {
			grow := 2
			if el < probeTarget/16 {
				grow = 8
			}
			chunk *= grow
		}
	}
}

// claim takes the next chunk of up to size elements, ending on a cache
// line of the output when it spans more than one.
func (j *job) claim(size int) (lo, hi int, ok bool) {
	for {
		cur := j.next.Load()
		n := int64(j.n)
		if cur >= n {
			return 0, 0, false
		}
		rem := n - cur
		c := min(int64(size), max(1, rem/int64(2*j.workers)))
		end := cur + c
		if line := int64(j.line); c > line {
			// element e lies (e + phase) % line past a line start
			if a := (end+int64(j.phase))/line*line - int64(j.phase); a > cur {
				end = a
			}
		}
		if end > n || end < cur {
			end = n
		}
		if j.next.CompareAndSwap(cur, end) {
			return int(cur), int(end), true
		}
	}
}

func (j *job) cancelled() bool {
	if j.done == nil {
		return false
	}
	select {
	case <-j.done:
		j.stop.Store(true)
		return true
	default:
		return false
	}
}

// leave ends a claim; the last one out wakes a waiting caller.
func (j *job) leave() {
	if j.inflight.Add(-1) == 0 && j.waiting.Load() {
		select {
		case j.doneCh <- struct{}{}:
		default:
		}
	}
}

// wait returns once no claim is in flight. The caller calls it after its
// own claim failed, so no block can start after it returns.
func (j *job) wait() {
	for i := 0; i < spinIters; i++ {
		if j.inflight.Load() == 0 {
			return
		}
		if i%16 == 15 {
			runtime.Gosched()
		}
	}
	j.waiting.Store(true)
	for j.inflight.Load() != 0 {
		<-j.doneCh
	}
}

func (j *job) fail(err error) {
	j.failed.CompareAndSwap(nil, &failure{err})
	j.stop.Store(true)
}

func (j *job) call(lo, hi int) {
	defer func() {
		if r := recover(); r != nil {
			j.fail(&PanicError{Value: r, Stack: debug.Stack(), Lo: lo, Hi: hi, Index: -1})
		}
	}()
	if j.bodyErr != nil {
		if err := j.bodyErr(lo, hi); err != nil {
			if j.wrapErr {
				err = &BlockError{Lo: lo, Hi: hi, Err: err}
			}
			j.fail(err)
		}
		return
	}
	j.body(lo, hi)
}

// result is the call's error: the first failure, or ctx's error when the
// context stopped it.
func (j *job) result(ctx context.Context) error {
	if f := j.failed.Load(); f != nil {
		return f.err
	}
	if j.stop.Load() {
		return ctx.Err()
	}
	return nil
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
// the plan for (n, c) decides (see Plan). Blocks are handed out dynamically,
// so uneven blocks keep every worker busy. With c.Align set, every block
// edge falls on a cache-line boundary of the output.
//
// For returns when every started block has finished. It returns nil, a
// *PanicError if a body panicked (naming its block; no further blocks
// start; the pool stays usable), or ctx.Err() if ctx was done before all
// blocks started.
//
// With an unknown cost (Cost{}), every worker starts at once on chunks that
// grow from one element until each takes about 20 µs, so that neither an
// expensive first item nor a million cheap ones is planned blind.
//
// With a known cost, For times the call and remembers the time per element
// for the cost's kernel, size class and worker count; later plans for the
// same work come from these observations (see Plan and Stats).
//
// Blocks run under ctx's pprof labels plus kernel=c.Kernel when set, and in
// a runtime/trace region named after the kernel when tracing is on.
// In steady state For allocates nothing. It panics if n < 0 or body is nil.
func (s *Scheduler) For(ctx context.Context, n int, c Cost, body func(lo, hi int)) error {
	if body == nil {
		panic("sched.For: nil body")
	}
	return s.run(ctx, n, c, body, nil, false, "sched.For")
}

// ForErr is For for bodies that can fail, such as reading files into the
// rows of an array: the first error a body returns stops the blocks not yet
// started and is returned wrapped in a *BlockError naming its block
// (errors.Is and errors.As reach the body's error). It panics if n < 0 or
// body is nil.
func (s *Scheduler) ForErr(ctx context.Context, n int, c Cost, body func(lo, hi int) error) error {
	if body == nil {
		panic("sched.ForErr: nil body")
	}
	return s.run(ctx, n, c, nil, body, true, "sched.ForErr")
}

func (s *Scheduler) run(ctx context.Context, n int, c Cost, body func(lo, hi int), bodyErr func(lo, hi int) error, wrap bool, name string) error {
	if n < 0 {
		panic(name + ": negative n")
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
		region := c.Kernel
		if region == "" {
			region = name
		}
		defer trace.StartRegion(ctx, region).End()
	}

	var p plan
	s.makePlan(n, &c, &p, true)
	if s.logPlans {
		s.record(n, &c, &p)
	}
	var t0 time.Time
	if p.e != nil {
		t0 = time.Now()
	}
	if p.blocks == 1 && !p.adaptive {
		// One block: run it here, now, without the job machinery
		// (samples keep the caller's labels and stack).
		err := direct(body, bodyErr, wrap, 0, n)
		if p.e != nil && err == nil {
			s.observe(&p, n, time.Since(t0))
		}
		return err
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
	j.body, j.bodyErr, j.wrapErr, j.start, j.n = body, bodyErr, wrap, 0, n
	j.block, j.phase, j.blocks = p.block, p.phase, int64(p.blocks)
	j.adaptive, j.line, j.workers = p.adaptive, s.lineElems(c), p.workers
	j.done, j.labels, j.callerLabels = done, labels, ctx
	if p.workers > 1 {
		s.dispatch(j, p.workers-1)
	}
	j.work(false)
	j.wait()
	err := j.result(ctx)
	s.unref(j)
	if p.e != nil && err == nil {
		s.observe(&p, n, time.Since(t0))
	}
	return err
}

// direct runs one block [lo, hi) on the caller, turning a panic into an
// error.
func direct(body func(lo, hi int), bodyErr func(lo, hi int) error, wrap bool, lo, hi int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack(), Lo: lo, Hi: hi, Index: -1}
		}
	}()
	if bodyErr != nil {
		if err := bodyErr(lo, hi); err != nil {
			if wrap {
				return &BlockError{Lo: lo, Hi: hi, Err: err}
			}
			return err
		}
		return nil
	}
	body(lo, hi)
	return nil
}
