package sched

import (
	"context"
	"errors"
	"fmt"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"
)

// fixedBW keeps planner decisions in tests independent of the machine.
var fixedBW = Bandwidth{One: 15e9, All: 29e9, Workers: 2, Cache: 60e9}

func testSched(t testing.TB, opts ...Option) *Scheduler {
	s := New(append([]Option{WithTopology(Topology{Workers: 2, L2: 1 << 20, L3: 32 << 20, Bandwidth: fixedBW})}, opts...)...)
	t.Cleanup(s.Close)
	return s
}

func checkCover(t *testing.T, s *Scheduler, n int, c Cost) {
	t.Helper()
	hits := make([]int32, n)
	var calls atomic.Int64
	err := s.For(context.Background(), n, c, func(lo, hi int) {
		calls.Add(1)
		if lo >= hi {
			t.Errorf("empty block [%d, %d)", lo, hi)
		}
		for i := lo; i < hi; i++ {
			atomic.AddInt32(&hits[i], 1)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hits {
		if h != 1 {
			t.Fatalf("n=%d: index %d covered %d times", n, i, h)
		}
	}
	if n == 0 && calls.Load() != 0 {
		t.Fatalf("n=0: body called")
	}
}

func TestForCoversEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 65, 1_000_000} {
		for _, w := range []int{1, 2, 3, 8, 64} {
			blocks := []int{0, 1, 7, 64, 1000}
			if n > 1000 {
				blocks = []int{0, 1000, 4096, 65536}
			}
			for _, b := range blocks {
				t.Run(fmt.Sprintf("n=%d/w=%d/b=%d", n, w, b), func(t *testing.T) {
					s := testSched(t, WithWorkers(w), WithBlockSize(b))
					checkCover(t, s, n, Cost{Bytes: 24, Ops: 1})
					checkCover(t, s, n, Cost{})              // unknown cost: probe then plan
					for _, phase := range []uintptr{8, 56} { // output 1 and 7 elements past a line
						checkCover(t, s, n, Cost{Bytes: 24, Ops: 1, Align: 4096 + phase})
						checkCover(t, s, n, Cost{Align: 4096 + phase})
					}
				})
			}
		}
	}
}

func TestForBlocksStartOnCacheLines(t *testing.T) {
	buf := make([]float64, 200_000+8)
	for off := 0; off < 8; off++ {
		out := buf[off:]
		base := uintptr(unsafe.Pointer(&out[0]))
		for _, b := range []int{0, 64, 1024} {
			s := testSched(t, WithWorkers(4), WithBlockSize(b))
			var mu sync.Mutex
			var edges []int
			err := s.For(context.Background(), len(out), Cost{Bytes: 24, Align: base}, func(lo, hi int) {
				mu.Lock()
				edges = append(edges, lo, hi)
				mu.Unlock()
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(edges) < 4 {
				t.Fatalf("off=%d b=%d: expected several blocks, got %v", off, b, edges)
			}
			for _, e := range edges {
				if e == 0 || e == len(out) {
					continue
				}
				if addr := base + uintptr(e)*8; addr%64 != 0 {
					t.Fatalf("off=%d b=%d: block edge %d at address %#x not on a cache line", off, b, e, addr)
				}
			}
		}
	}
}

func TestForPanicBecomesError(t *testing.T) {
	for _, w := range []int{1, 2, 8} {
		s := testSched(t, WithWorkers(w), WithBlockSize(10))
		var ran atomic.Int64
		err := s.For(context.Background(), 1000, Cost{Bytes: 24}, func(lo, hi int) {
			ran.Add(1)
			if lo == 500 {
				panic(fmt.Errorf("boom at %d", lo))
			}
		})
		var pe *PanicError
		if !errors.Is(err, ErrPanic) || !errors.As(err, &pe) {
			t.Fatalf("w=%d: err = %v, want a *PanicError", w, err)
		}
		if !strings.Contains(pe.Error(), "boom at 500") || !strings.Contains(string(pe.Stack), "TestForPanicBecomesError") {
			t.Fatalf("panic error lacks value or stack: %v", pe)
		}
		if errors.Unwrap(err) == nil || !strings.Contains(errors.Unwrap(err).Error(), "boom") {
			t.Fatal("Unwrap must return the panic's error value")
		}
		// The pool is still usable.
		checkCover(t, s, 1000, Cost{Bytes: 24})
	}
	// Serial path too.
	s := testSched(t)
	if err := s.For(context.Background(), 10, Cost{Bytes: 8}, func(lo, hi int) { panic("small") }); !errors.Is(err, ErrPanic) {
		t.Fatalf("serial panic: %v", err)
	}
}

func TestForCancel(t *testing.T) {
	s := testSched(t, WithWorkers(2), WithBlockSize(1))
	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int64
	var running atomic.Int64
	err := s.For(ctx, 10_000, Cost{Bytes: 8}, func(lo, hi int) {
		running.Add(1)
		defer running.Add(-1)
		if started.Add(1) == 10 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if running.Load() != 0 {
		t.Fatal("For returned while blocks were still running")
	}
	if n := started.Load(); n >= 10_000 || n < 10 {
		t.Fatalf("%d blocks ran; cancellation should stop the rest", n)
	}
	// An already-cancelled context runs nothing.
	if err := s.For(ctx, 10, Cost{}, func(lo, hi int) { t.Error("body ran") }); !errors.Is(err, context.Canceled) {
		t.Fatalf("pre-cancelled: %v", err)
	}
}

func TestForNested(t *testing.T) {
	for _, w := range []int{2, 3, 8} {
		s := testSched(t, WithWorkers(w), WithBlockSize(3))
		var total atomic.Int64
		done := make(chan error, 1)
		go func() {
			done <- s.For(context.Background(), 30, Cost{Bytes: 8}, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					if err := s.For(context.Background(), 100, Cost{Bytes: 8}, func(lo, hi int) {
						total.Add(int64(hi - lo))
					}); err != nil {
						t.Error(err)
					}
				}
			})
		}()
		select {
		case err := <-done:
			if err != nil || total.Load() != 3000 {
				t.Fatalf("w=%d: err %v, total %d, want 3000", w, err, total.Load())
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("w=%d: nested For deadlocked", w)
		}
	}
}

func TestForConcurrentCallers(t *testing.T) {
	s := testSched(t, WithWorkers(4), WithBlockSize(16))
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 50; r++ {
				n := 100 + 37*g + r
				hits := make([]int32, n)
				if err := s.For(context.Background(), n, Cost{Bytes: 8}, func(lo, hi int) {
					for i := lo; i < hi; i++ {
						atomic.AddInt32(&hits[i], 1)
					}
				}); err != nil {
					t.Error(err)
					return
				}
				for i, h := range hits {
					if h != 1 {
						t.Errorf("caller %d: index %d hit %d times", g, i, h)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestForLabels(t *testing.T) {
	s := testSched(t, WithWorkers(2), WithBlockSize(8))
	ctx := pprof.WithLabels(context.Background(), pprof.Labels("job", "nightly"))
	pprof.SetGoroutineLabels(ctx)
	defer pprof.SetGoroutineLabels(context.Background())
	// Labels are per goroutine and not readable directly; what For hands
	// workers is j.labels, so check its content.
	lc := kernelLabels("add")
	if v, _ := pprof.Label(lc, "kernel"); v != "add" {
		t.Fatalf("kernel label = %q", v)
	}
	if kernelLabels("add") != lc {
		t.Fatal("kernel label contexts must be cached")
	}
	if !hasLabels(ctx) || hasLabels(context.Background()) {
		t.Fatal("hasLabels")
	}
	if err := s.For(ctx, 64, Cost{Bytes: 8, Kernel: "add"}, func(lo, hi int) {}); err != nil {
		t.Fatal(err)
	}
}

func TestForAllocs(t *testing.T) {
	s := testSched(t, WithWorkers(2))
	data := make([]float64, 1<<20)
	body := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			data[i]++
		}
	}
	c := Cost{Bytes: 16, Ops: 1, Align: uintptr(unsafe.Pointer(&data[0])), Kernel: "inc"}
	for _, n := range []int{1024, 1 << 20} {
		if p := s.Plan(n, c); n == 1<<20 && p.Serial {
			t.Fatalf("expected a parallel plan for n=%d: %s", n, p.Reason)
		}
		a := testing.AllocsPerRun(200, func() {
			if err := s.For(context.Background(), n, c, body); err != nil {
				t.Fatal(err)
			}
		})
		if a != 0 {
			t.Fatalf("n=%d: %v allocs per For, want 0", n, a)
		}
	}
}

func TestCloseIdempotentAndUsable(t *testing.T) {
	s := New(WithWorkers(4), WithBlockSize(4))
	checkCover(t, s, 100, Cost{Bytes: 8})
	s.Close()
	s.Close()
	checkCover(t, s, 100, Cost{Bytes: 8})
	Default().Close() // no-op
}
