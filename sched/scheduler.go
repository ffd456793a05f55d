package sched

import (
	"context"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
)

// Scheduler plans work and runs it on a persistent pool of workers. It is
// safe for concurrent use by many goroutines; a For called from inside a
// body of the same Scheduler runs on whatever workers are idle (the caller
// at least), so nesting neither deadlocks nor oversubscribes the cores.
type Scheduler struct {
	topo    Topology
	workers int // goroutines per call, the caller included
	block   int // forced block size; 0 = automatic

	bwOnce sync.Once
	bw     Bandwidth

	startOnce sync.Once
	mu        sync.Mutex
	idle      []*worker // workers waiting for a job (a stack: warmest on top)
	free      []*job    // recycled jobs
	closed    bool
	exited    sync.WaitGroup
	isDefault bool

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
// included (default: Topology.Workers). It panics if n < 1.
func WithWorkers(n int) Option {
	if n < 1 {
		panic("sched.WithWorkers: n < 1")
	}
	return func(s *Scheduler) { s.workers = n }
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

func (s *Scheduler) record(n int, c *Cost, p *plan) {
	s.mu.Lock()
	s.last.ok, s.last.n, s.last.c, s.last.p = true, n, *c, *p
	s.mu.Unlock()
}

// WithTopology plans for t instead of the detected machine (simulated
// 16/64-core machines, other cache sizes, a given bandwidth). Zero fields
// take the documented defaults; a zero t.Bandwidth is measured here.
func WithTopology(t Topology) Option {
	return func(s *Scheduler) { s.topo = t }
}

// New returns a Scheduler. Its workers start on first parallel use; Close
// releases them.
func New(opts ...Option) *Scheduler {
	s := &Scheduler{topo: Detect()}
	for _, o := range opts {
		o(s)
	}
	s.topo = s.topo.withDefaults()
	if s.workers == 0 {
		s.workers = s.topo.Workers
	}
	return s
}

var (
	defOnce sync.Once
	def     *Scheduler
)

// Default returns the process-wide Scheduler used by the package-level
// kernels: the detected topology, GOMAXPROCS workers. It is never closed.
func Default() *Scheduler {
	defOnce.Do(func() {
		def = New()
		def.isDefault = true
	})
	return def
}

// Topology returns the topology the Scheduler plans for.
func (s *Scheduler) Topology() Topology { return s.topo }

// Workers returns the most goroutines one call uses, the caller included.
func (s *Scheduler) Workers() int { return s.workers }

// Bandwidth returns the bandwidth the planner uses: the Topology's when set,
// otherwise this machine's (Calibrate).
func (s *Scheduler) Bandwidth() Bandwidth {
	s.bwOnce.Do(func() {
		s.bw = s.topo.Bandwidth
		if s.bw.One <= 0 {
			s.bw = Calibrate()
		}
		if s.bw.All <= 0 {
			s.bw.All = s.bw.One
		}
		if s.bw.Cache <= 0 {
			s.bw.Cache = 4 * s.bw.One
		}
	})
	return s.bw
}

// Close stops the Scheduler's workers and waits for them to exit. Calls
// after Close still work, on the caller alone. Closing Default is a no-op.
func (s *Scheduler) Close() {
	if s.isDefault {
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	idle := s.idle
	s.idle = nil
	s.mu.Unlock()
	// Every worker is either idle or about to return to the idle stack;
	// release() hands those a stop instead.
	for _, w := range idle {
		w.give(stopJob)
	}
	s.exited.Wait()
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

func (s *Scheduler) start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	for i := 1; i < s.workers; i++ {
		w := &worker{s: s, wake: make(chan struct{}, 1)}
		s.idle = append(s.idle, w)
		s.exited.Add(1)
		if s.isDefault {
			go w.loopDefault()
		} else {
			go w.loop()
		}
	}
}

// loopDefault marks the Default scheduler's workers in stack traces, so leak
// checkers can tell them from those of a Scheduler that was not closed.
//
//go:noinline
func (w *worker) loopDefault() { w.loop() }

func (w *worker) loop() {
	defer w.s.exited.Done()
	// Start clean: a goroutine inherits its creator's profiler labels.
	pprof.SetGoroutineLabels(context.Background())
	for {
		j := w.await()
		if j == stopJob {
			return
		}
		j.work(true)
		w.s.release(w)
		j.wg.Done()
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
		s.mu.Unlock()
		w.give(stopJob)
		return
	}
	s.idle = append(s.idle, w)
	s.mu.Unlock()
}
