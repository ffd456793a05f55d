package sched

import (
	"context"
	"hash/maphash"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"
)

// Scheduler plans work and runs it on a persistent pool of workers. It is
// safe for concurrent use by many goroutines; a For called from inside a
// body of the same Scheduler runs on whatever workers are idle (the caller
// at least), so nesting neither deadlocks nor oversubscribes the cores.
type Scheduler struct {
	topo   Topology
	follow bool         // workers track runtime.GOMAXPROCS
	wcap   atomic.Int64 // goroutines per call, the caller included
	block  int          // forced block size; 0 = automatic
	learn  bool         // plan from observed calls (see learn.go)
	obs    obsTable
	epoch  time.Time // observation timestamps count from here

	mu      sync.Mutex
	cond    sync.Cond // signalled when a worker exits or leaves a job after Close
	idle    []*worker // workers waiting for a job (a stack: warmest on top)
	live    int       // workers started and not yet exited
	free    []*job    // recycled jobs
	closed  bool
	closing atomic.Bool
	busy    atomic.Int64 // workers inside a job
	wakes   atomic.Int64 // jobs taken by workers, ever
	isDef   bool

	logPlans bool
	last     struct {
		ok bool
		n  int
		c  Cost
		p  plan
	}
}

// Option configures New.
type Option func(*Scheduler)

// WithWorkers caps the goroutines that run one call's blocks, the caller
// included, at n. Without it a Scheduler follows runtime.GOMAXPROCS as it
// changes (or uses Topology.Workers when WithTopology sets it). It panics
// if n < 1.
func WithWorkers(n int) Option {
	if n < 1 {
		panic("sched.WithWorkers: n < 1")
	}
	return func(s *Scheduler) { s.wcap.Store(int64(n)) }
}

// WithBlockSize fixes the block size in elements (0 = automatic). A fixed
// block size is obeyed as given — blocks of exactly that size, spread over
// up to the worker cap, even where the planner would have stayed serial —
// so tests can force any split. Blocks start on cache lines only when the
// size is a whole number of lines. It panics if elems < 0.
func WithBlockSize(elems int) Option {
	if elems < 0 {
		panic("sched.WithBlockSize: elems < 0")
	}
	return func(s *Scheduler) { s.block = elems }
}

// WithoutLearning makes the Scheduler plan from its model alone (the
// Topology, its Bandwidth and the Cost), never from observed calls: the
// same call always gets the same plan. Tests that pin plans use it.
func WithoutLearning() Option { return func(s *Scheduler) { s.learn = false } }

// WithPlanLog makes the Scheduler remember the plan of its latest For call,
// for LastPlan: diagnostics and benchmarks. It costs a mutex per call, so
// it is off unless asked for.
func WithPlanLog() Option { return func(s *Scheduler) { s.logPlans = true } }

// LastPlan returns the plan of the latest For call on a Scheduler built
// with WithPlanLog; false if there is none. With several goroutines calling
// For, "latest" is whichever recorded last.
func (s *Scheduler) LastPlan() (Plan, bool) {
	s.mu.Lock()
	last := s.last
	s.mu.Unlock()
	if !last.ok {
		return Plan{}, false
	}
	return s.describe(last.n, last.c, &last.p), true
}

// ResetPlanLog forgets the latest plan, so that LastPlan reports false
// until the next For call: a caller that wants the plan of one call of its
// own (the bench) resets before it.
func (s *Scheduler) ResetPlanLog() {
	s.mu.Lock()
	s.last.ok = false
	s.mu.Unlock()
}

func (s *Scheduler) record(n int, c *Cost, p *plan) {
	s.mu.Lock()
	s.last.ok, s.last.n, s.last.c, s.last.p = true, n, *c, *p
	s.mu.Unlock()
}

// WithTopology plans for t instead of the detected machine (simulated
// 16/64-core machines, other cache sizes, a given bandwidth). Zero fields
// take the documented defaults. A zero t.Bandwidth means the prior of
// PriorBandwidth, never a measurement; a non-zero t.Workers fixes the
// worker count (a zero one follows GOMAXPROCS).
func WithTopology(t Topology) Option {
	return func(s *Scheduler) { s.topo = t }
}

// New returns a Scheduler. It measures nothing: its first plans come from
// the Topology and the Cost (see PriorBandwidth), later ones from what it
// observes of its own calls. Its workers start on first parallel use; Close
// releases them.
func New(opts ...Option) *Scheduler {
	s := &Scheduler{topo: Detect(), learn: true, epoch: time.Now()}
	s.obs.seed = maphash.MakeSeed()
	s.topo.Workers = 0
	s.cond.L = &s.mu
	for _, o := range opts {
		o(s)
	}
	if s.wcap.Load() == 0 {
		if s.topo.Workers > 0 {
			s.wcap.Store(int64(s.topo.Workers))
		} else {
			s.follow = true
		}
	}
	s.topo = s.topo.withDefaults()
	if s.follow {
		s.wcap.Store(int64(runtime.GOMAXPROCS(0)))
	}
	return s
}

var (
	defOnce sync.Once
	def     *Scheduler
)

// Default returns the process-wide Scheduler used by the package-level
// kernels: the detected topology, following GOMAXPROCS. It is never closed.
func Default() *Scheduler {
	defOnce.Do(func() {
		def = New()
		def.isDef = true
	})
	return def
}

// Topology returns the topology the Scheduler plans for; its Workers is
// the current worker count.
func (s *Scheduler) Topology() Topology {
	t := s.topo
	t.Workers = s.Workers()
	return t
}

// Workers returns the most goroutines one call uses, the caller included.
// A Scheduler made without WithWorkers follows runtime.GOMAXPROCS.
func (s *Scheduler) Workers() int {
	if s.follow {
		s.refreshWorkers()
	}
	return int(s.wcap.Load())
}

// refreshWorkers re-reads GOMAXPROCS, which the runtime may change while
// the program runs (container CPU limits, Go ≥ 1.25).
func (s *Scheduler) refreshWorkers() {
	w := int64(runtime.GOMAXPROCS(0))
	if s.wcap.Load() != w {
		s.wcap.Store(w)
	}
}

// Close stops the Scheduler's workers and waits for them to exit. A worker
// that is running a body when Close is called (the one calling Close, say)
// is not waited for: it exits when its body returns, so Close never hangs.
// Calls after Close still work, on the caller alone. Closing Default is a
// no-op.
func (s *Scheduler) Close() {
	if s.isDef {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		s.closing.Store(true)
		for _, w := range s.idle {
			w.give(stopJob)
		}
		s.idle = nil
	}
	for int64(s.live) > s.busy.Load() {
		s.cond.Wait()
	}
}

// worker is one persistent pool goroutine.
type worker struct {
	s    *Scheduler
	slot atomic.Pointer[job]
	wake chan struct{}
}

var stopJob = new(job)

// spinIters is how many times an idle worker polls for a new job before it
// parks: back-to-back calls then find it awake.
const spinIters = 2000

// spawn starts a worker that begins with job j. s.mu must be held.
func (s *Scheduler) spawn(j *job) {
	w := &worker{s: s, wake: make(chan struct{}, 1)}
	w.slot.Store(j)
	s.live++
	if s.isDef {
		go w.loopDefault()
	} else {
		go w.loop()
	}
}

// loopDefault marks the Default scheduler's workers in stack traces, so leak
// checkers can tell them from those of a Scheduler that was not closed.
//
//go:noinline
func (w *worker) loopDefault() { w.loop() }

func (w *worker) loop() {
	s := w.s
	// Start clean: a goroutine inherits its creator's profiler labels.
	pprof.SetGoroutineLabels(context.Background())
	for {
		j := w.await()
		if j == stopJob {
			s.mu.Lock()
			s.live--
			s.cond.Broadcast()
			s.mu.Unlock()
			return
		}
		s.busy.Add(1)
		s.wakes.Add(1)
		j.work(true)
		s.busy.Add(-1)
		s.release(w)
		s.unref(j)
	}
}

func (w *worker) give(j *job) {
	w.slot.Store(j)
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *worker) await() *job {
	for {
		for i := 0; i < spinIters; i++ {
			if j := w.slot.Swap(nil); j != nil {
				return j
			}
			if i%16 == 15 {
				runtime.Gosched()
			}
		}
		<-w.wake
		if j := w.slot.Swap(nil); j != nil {
			return j
		}
	}
}

// release returns w to the idle stack, or stops it after Close.
func (s *Scheduler) release(w *worker) {
	s.mu.Lock()
	if s.closed {
		s.cond.Broadcast()
		s.mu.Unlock()
		w.give(stopJob)
		return
	}
	s.idle = append(s.idle, w)
	s.mu.Unlock()
}

// dispatch hands j to up to k helpers: idle workers first, then new ones
// while fewer than the worker cap exist. Each helper holds a reference to
// j until it is done with it.
func (s *Scheduler) dispatch(j *job, k int) {
	var got [8]*worker
	s.mu.Lock()
	for k > 0 && !s.closed {
		if len(s.idle) == 0 {
			if s.live >= int(s.wcap.Load())-1 {
				break
			}
			j.refs.Add(1)
			s.spawn(j)
			k--
			continue
		}
		m := min(k, len(s.idle), len(got))
		copy(got[:m], s.idle[len(s.idle)-m:])
		s.idle = s.idle[:len(s.idle)-m]
		k -= m
		j.refs.Add(int32(m))
		s.mu.Unlock()
		for _, w := range got[:m] {
			w.give(j)
		}
		s.mu.Lock()
	}
	s.mu.Unlock()
}

// prewarm wakes up to k helpers (starting them if need be) on an empty
// job, so that they are spinning, not parked, when the next call comes.
func (s *Scheduler) prewarm(k int) {
	j := s.getJob()
	s.dispatch(j, k)
	s.unref(j)
}

func (s *Scheduler) getJob() *job {
	s.mu.Lock()
	if n := len(s.free); n > 0 {
		j := s.free[n-1]
		s.free = s.free[:n-1]
		s.mu.Unlock()
		j.refs.Store(1)
		return j
	}
	s.mu.Unlock()
	j := &job{doneCh: make(chan struct{}, 1)}
	j.refs.Store(1)
	return j
}

// unref drops one reference to j; the last one recycles it.
func (s *Scheduler) unref(j *job) {
	if j.refs.Add(-1) != 0 {
		return
	}
	j.reset()
	s.mu.Lock()
	if len(s.free) < 64 {
		s.free = append(s.free, j)
	}
	s.mu.Unlock()
}
