package sched

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLadder(t *testing.T) {
	var got []int
	for v := 1; v <= 100; v++ {
		if onLadder(v) {
			got = append(got, v)
		}
	}
	want := []int{1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96}
	if len(got) != len(want) {
		t.Fatalf("ladder %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ladder %v, want %v", got, want)
		}
	}
	cases := []struct{ k, w, down, up int }{
		{1, 1, 0, 0}, {1, 2, 0, 2}, {2, 2, 1, 0}, {4, 64, 3, 6}, {16, 64, 12, 24},
		{7, 10, 6, 8}, {8, 10, 6, 10}, {10, 10, 8, 0}, {5, 5, 4, 0},
	}
	for _, c := range cases {
		if d, u := ladderDown(c.k), ladderUp(c.k, c.w); d != c.down || u != c.up {
			t.Errorf("k=%d w=%d: neighbours %d, %d; want %d, %d", c.k, c.w, d, u, c.down, c.up)
		}
	}
}

// spinFor burns the CPU for d (a sleep would leave the core free).
func spinFor(d time.Duration) {
	for t0 := time.Now(); time.Since(t0) < d; {
	}
}

// loadBody is work whose elements take per each when run alone and
// contended each while another block runs at the same time: a stand-in for
// a machine where a second worker finds its core (or memory) busy. It
// sleeps rather than spins, so what it measures does not depend on what
// else the test machine is running.
type loadBody struct {
	per, contended time.Duration
	loaded         atomic.Bool
	running        atomic.Int64
}

func (b *loadBody) run(lo, hi int) {
	b.running.Add(1)
	defer b.running.Add(-1)
	d := b.per
	if b.loaded.Load() && b.running.Load() > 1 {
		d = b.contended
	}
	time.Sleep(time.Duration(hi-lo) * d)
}

// TestLearnsAndRecovers: a decision taken under load (parallel is slower,
// so plans go serial) is revisited once the load goes, within a bounded
// number of calls, because the planner keeps trying the neighbour.
func TestLearnsAndRecovers(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs 2 Ps")
	}
	s := New(WithWorkers(2), WithTopology(Topology{Workers: 2, L2: 1 << 20, L3: 32 << 20, Bandwidth: fixedBW}))
	defer s.Close()
	c := Cost{Ops: 2000, Kernel: "spin"} // compute-bound: the prior says parallel
	// 50 ms serial, blocks of ~6 ms: a sleep overshoots by up to ~0.6 ms on
	// a VM, and a parked helper takes up to ~0.2 ms to wake.
	const n = 1000
	b := &loadBody{per: 50 * time.Microsecond, contended: 250 * time.Microsecond}
	b.loaded.Store(true)
	ctx := context.Background()
	if p := s.Plan(n, c); p.Source != "prior" || p.Workers != 2 {
		t.Fatalf("first plan: %+v", p)
	}
	calls := func(stop func(Plan) bool) (int, Plan) {
		deadline := time.Now().Add(20 * time.Second)
		for i := 1; ; i++ {
			if err := s.For(ctx, n, c, b.run); err != nil {
				t.Fatal(err)
			}
			if p := s.Plan(n, c); stop(p) || time.Now().After(deadline) {
				return i, p
			}
		}
	}
	k, p := calls(func(p Plan) bool { return p.Workers == 1 && p.Source == "observed" })
	if p.Workers != 1 {
		t.Fatalf("under load the planner stayed at %d workers after %d calls: %s\n%s", p.Workers, k, p.Reason, s.Stats())
	}
	t.Logf("under load: serial after %d calls: %s", k, p.Reason)
	b.loaded.Store(false)
	k, p = calls(func(p Plan) bool { return p.Workers == 2 })
	if p.Workers != 2 || p.Source != "observed" {
		t.Fatalf("after the load went the planner stayed serial after %d calls: %s\n%s", k, p.Reason, s.Stats())
	}
	for _, cl := range s.Stats().Observations[0].Cells {
		if cl.Workers == 2 && cl.NsPerElem > 0.8*float64(b.per) {
			t.Fatalf("2 workers chosen at %.0f ns/element, not faster than serial (%v)", cl.NsPerElem, b.per)
		}
	}
	t.Logf("quiet: parallel again after %d calls: %s", k, p.Reason)
	st := s.Stats()
	if len(st.Observations) != 1 || st.Observations[0].Kernel != "spin" || len(st.Observations[0].Cells) != 2 ||
		st.Observations[0].Explored == 0 || st.Observations[0].Best != 2 {
		t.Fatalf("stats: %+v", st)
	}
	if !strings.Contains(st.String(), "spin") {
		t.Fatalf("stats table lacks the kernel:\n%s", st)
	}
	t.Log("\n" + st.String())
}

func TestWithoutLearningKeepsThePrior(t *testing.T) {
	s := New(WithWorkers(2), WithoutLearning(), WithTopology(Topology{Workers: 2, L2: 1 << 20, L3: 32 << 20, Bandwidth: fixedBW}))
	defer s.Close()
	c := Cost{Ops: 2000, Kernel: "spin"}
	for i := 0; i < 5; i++ {
		_ = s.For(context.Background(), 100, c, func(lo, hi int) { spinFor(time.Duration(hi-lo) * time.Microsecond) })
	}
	if p := s.Plan(100, c); p.Source != "prior" || len(s.Stats().Observations) != 0 {
		t.Fatalf("plan %+v, stats %+v", p, s.Stats())
	}
}

// TestFirstCallMeasuresNothing: no For, Map or Plan runs a synthetic
// benchmark or allocates a large buffer, on a new Scheduler or Default.
func TestFirstCallMeasuresNothing(t *testing.T) {
	before := measurements.Load()
	data := make([]float64, 1<<20)
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	s := New()
	defer s.Close()
	for _, sc := range []*Scheduler{s, Default()} {
		_ = sc.Plan(100_000_000, Cost{Bytes: 24, Ops: 1})
		if err := sc.For(context.Background(), len(data), Cost{Bytes: 16, Ops: 1, Kernel: "inc"}, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				data[i]++
			}
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := Map(context.Background(), sc, make([]int, 20), func(int) (int, error) { return 1, nil }); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&ms1)
	if got := measurements.Load() - before; got != 0 {
		t.Fatalf("calls measured the machine %d times", got)
	}
	if d := ms1.TotalAlloc - ms0.TotalAlloc; d > 1<<20 {
		t.Fatalf("first calls allocated %d bytes", d)
	}
}

// TestSimulatedTopologiesIgnoreTheHost: a simulated 16- or 64-core machine
// plans large streaming work parallel from the prior, whatever this machine
// is doing (two goroutines spin here throughout).
func TestSimulatedTopologiesIgnoreTheHost(t *testing.T) {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					spinFor(100 * time.Microsecond)
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	for _, tc := range []struct{ cores, l2, l3, min int }{
		{16, 1 << 20, 32 << 20, 8}, {64, 256 << 10, 64 << 20, 16}, {64, 4 << 20, 512 << 20, 16},
	} {
		s := New(WithTopology(Topology{Workers: tc.cores, L2: tc.l2, L3: tc.l3}))
		for _, n := range []int{64 << 20, 400_000_000} {
			p := s.Plan(n, Cost{Bytes: 24, Ops: 1})
			if p.Serial || p.Workers < tc.min || p.Source != "prior" {
				t.Errorf("%d cores, L3 %d, n=%d: %s", tc.cores, tc.l3, n, p.Reason)
			}
		}
		s.Close()
	}
}

func TestFollowsGOMAXPROCS(t *testing.T) {
	old := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(old)
	s := New()
	defer s.Close()
	fixed := New(WithWorkers(3))
	defer fixed.Close()
	c := Cost{Ops: 10000, Kernel: "heavy"} // compute-bound: uses every worker
	for _, procs := range []int{1, 3, 2} {
		runtime.GOMAXPROCS(procs)
		if s.Workers() != procs || s.Topology().Workers != procs {
			t.Fatalf("GOMAXPROCS %d: Workers %d", procs, s.Workers())
		}
		if p := s.Plan(1_000_000, c); p.Workers != procs {
			t.Fatalf("GOMAXPROCS %d: plan %s", procs, p.Reason)
		}
		if fixed.Workers() != 3 {
			t.Fatalf("WithWorkers(3) changed to %d", fixed.Workers())
		}
		checkCover(t, s, 100_000, c)
	}
}

// slowFirstParallel is work of per an element that costs contended an
// element in the first call where two blocks run at once (a first touch
// of fresh scratch, say), and per again afterwards.
type slowFirstParallel struct {
	per, contended time.Duration
	running        atomic.Int64
	seen, done     atomic.Bool
}

func (b *slowFirstParallel) run(lo, hi int) {
	b.running.Add(1)
	defer b.running.Add(-1)
	d := b.per
	if b.running.Load() > 1 && !b.done.Load() {
		b.seen.Store(true)
		d = b.contended
	}
	time.Sleep(time.Duration(hi-lo) * d)
}

// longCalls runs 12 calls of 120 elements of cost c through body on a
// fresh two-worker Scheduler and returns it with each call's worker count.
func longCalls(t *testing.T, c Cost, body func(lo, hi int), after func()) (*Scheduler, []int) {
	t.Helper()
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs 2 Ps")
	}
	s := New(WithWorkers(2), WithPlanLog(), WithTopology(Topology{Workers: 2, L2: 1 << 20, L3: 32 << 20, Bandwidth: fixedBW}))
	t.Cleanup(s.Close)
	var workers []int
	for i := 0; i < 12; i++ {
		if err := s.For(context.Background(), 120, c, body); err != nil {
			t.Fatal(err)
		}
		after()
		p, _ := s.LastPlan()
		workers = append(workers, p.Workers)
	}
	return s, workers
}

// TestLongCallsRetryASingleSlowTrial: in calls of several milliseconds,
// one slow first trial of two workers does not keep the planner serial
// for the exploration gap (32 calls here): a worker count with one sample
// is tried again at once.
func TestLongCallsRetryASingleSlowTrial(t *testing.T) {
	// The bodies sleep, so a loaded machine (other packages' tests in
	// parallel) can delay a worker's wake-up enough that the retry loses
	// honestly; three tries. Without the retry no try can pass: the
	// planner stays serial for the whole exploration gap.
	var fails []string
	for try := range 3 {
		c := Cost{Ops: 2000, Kernel: fmt.Sprintf("retry%d", try)}
		// 12 ms serial (well above youngMaxNs), 6 ms on two workers, 60
		// ms in the slow first trial.
		b := &slowFirstParallel{per: 100 * time.Microsecond, contended: time.Millisecond}
		s, workers := longCalls(t, c, b.run, func() {
			if b.seen.Load() {
				b.done.Store(true)
			}
		})
		if !b.done.Load() {
			t.Fatalf("no call ran on two workers: %v\n%s", workers, s.Stats())
		}
		p := s.Plan(120, c)
		if p.Workers == 2 && p.Source == "observed" {
			t.Logf("workers per call: %v (try %d)", workers, try+1)
			return
		}
		fails = append(fails, fmt.Sprintf("after 12 calls (workers %v) the plan is %d workers (%s): %s\n%s", workers, p.Workers, p.Source, p.Reason, s.Stats()))
	}
	t.Fatalf("three tries:\n%s", strings.Join(fails, "\n"))
}

// TestLongCallsDoNotRetryTheLoser: the retry is for the model's choice
// only; a count that lost its single trial to the model's choice waits
// out the exploration gap.
func TestLongCallsDoNotRetryTheLoser(t *testing.T) {
	// Sleeping bodies on a loaded machine: three tries (a planner that
	// retried the loser would run serial twice in every try).
	var fails []string
	for try := range 3 {
		b := &loadBody{per: 100 * time.Microsecond} // 12 ms serial, 6 ms on two workers
		s, workers := longCalls(t, Cost{Ops: 2000, Kernel: fmt.Sprintf("noretry%d", try)}, b.run, func() {})
		serial := 0
		for _, k := range workers {
			if k == 1 {
				serial++
			}
		}
		if serial == 1 {
			return
		}
		fails = append(fails, fmt.Sprintf("%d of 12 calls ran serial, want the one exploration: %v\n%s", serial, workers, s.Stats()))
	}
	t.Fatalf("three tries:\n%s", strings.Join(fails, "\n"))
}
