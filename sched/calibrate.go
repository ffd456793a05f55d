package sched

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Bandwidth is the measured streaming bandwidth of the machine, in bytes per
// second, for the add kernel c[i] = a[i] + b[i] (two 8-byte reads and one
// 8-byte write per element, counted as 24 bytes, like STREAM).
type Bandwidth struct {
	One     float64 // 1 worker, arrays far larger than the caches (DRAM)
	All     float64 // Workers workers, the same arrays
	Workers int     // the worker count of All
	Cache   float64 // 1 worker, arrays resident in L2
	Elapsed time.Duration
}

// Scaling is All/One: how many times more bandwidth all workers get than one.
func (b Bandwidth) Scaling() float64 {
	if b.One <= 0 {
		return 1
	}
	return b.All / b.One
}

func (b Bandwidth) String() string {
	return fmt.Sprintf("DRAM add %.1f GB/s (1 worker), %.1f GB/s (%d workers, ×%.2f); L2 add %.1f GB/s (1 worker); measured in %v",
		b.One/1e9, b.All/1e9, b.Workers, b.Scaling(), b.Cache/1e9, b.Elapsed.Round(time.Millisecond))
}

// at returns the DRAM bandwidth the planner expects from k workers: linear in
// k until it reaches the measured all-worker figure.
func (b Bandwidth) at(k int) float64 {
	bw := float64(k) * b.One
	if bw > b.All && b.All > 0 {
		bw = b.All
	}
	return bw
}

// PriorBandwidth is what the planner assumes of a machine it has measured
// nothing of: 10 GB/s of streaming add per worker from DRAM, all workers
// together max(2, Workers/2) times that, and 4 times one worker's DRAM rate
// from cache. It is deliberately optimistic about scaling — a plan that is
// too parallel shows itself in the first observed calls, which then decide
// (see Scheduler.Stats) — and it costs nothing to compute.
func PriorBandwidth(t Topology) Bandwidth {
	w := max(1, t.Workers)
	const one = 10e9
	return Bandwidth{One: one, All: one * float64(max(min(2, w), w/2)), Workers: w, Cache: 4 * one}
}

// Bandwidth returns the bandwidth the planner's model uses: the Topology's
// when set, otherwise PriorBandwidth. It measures nothing.
func (s *Scheduler) Bandwidth() Bandwidth {
	bw := s.topo.Bandwidth
	if bw.One <= 0 {
		t := s.topo
		t.Workers = int(s.wcap.Load())
		return PriorBandwidth(t)
	}
	if bw.All <= 0 {
		bw.All = bw.One
	}
	if bw.Cache <= 0 {
		bw.Cache = 4 * bw.One
	}
	return bw
}

// measurements counts MeasureBandwidth calls, so tests can prove that no
// kernel call measures the machine.
var measurements atomic.Int64

var (
	calOnce sync.Once
	calBW   Bandwidth
)

// Calibrate measures this machine's bandwidth on its first call (see
// MeasureBandwidth: tens of milliseconds and up to 512 MiB, released
// afterwards) and returns the cached result after that. No kernel or
// Scheduler calls it: it is for explicit use — the bench, diagnostics, or a
// Topology.Bandwidth handed to WithTopology.
func Calibrate() Bandwidth {
	calOnce.Do(func() {
		t := Detect()
		calBW = MeasureBandwidth(t.Workers, t.L2, t.L3)
	})
	return calBW
}

// MeasureBandwidth measures the streaming add bandwidth now, with 1 and with
// workers goroutines, on arrays four times the size of l3 (at least 48 MiB
// in all, at most 512 MiB, so that the "DRAM" figure is not a cache figure
// on machines with a large L3), and with 1 goroutine on arrays filling a
// quarter of l2. It allocates those arrays for the duration of the call.
func MeasureBandwidth(workers, l2, l3 int) Bandwidth {
	measurements.Add(1)
	start := time.Now()
	if workers < 1 {
		workers = 1
	}
	total := 4 * l3
	total = max(total, 48<<20)
	total = min(total, 512<<20)
	n := total / 24
	a, b, c := make([]float64, n), make([]float64, n), make([]float64, n)
	// Touch every page in parallel so the measurement sees real memory,
	// not the zero page, and first-touch faults are out of the way.
	parallel(workers, n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			a[i], b[i], c[i] = 1, 2, 0
		}
	})
	add := func(lo, hi int) {
		x, y, z := a[lo:hi], b[lo:hi], c[lo:hi]
		for i := range z {
			z[i] = x[i] + y[i]
		}
	}
	best := func(reps int, run func()) time.Duration {
		d := time.Duration(1<<63 - 1)
		for r := 0; r < reps; r++ {
			t0 := time.Now()
			run()
			d = min(d, time.Since(t0))
		}
		return d
	}
	bytes := float64(24 * n)
	one := best(2, func() { add(0, n) })
	all := best(3, func() { parallel(workers, n, add) })
	bw := Bandwidth{One: bytes / one.Seconds(), All: bytes / all.Seconds(), Workers: workers}
	if bw.All < bw.One && workers == 1 {
		bw.All = bw.One
	}

	// L2-resident: a quarter of L2 for the three arrays, repeated.
	m := max(l2/4/24, 512)
	x, y, z := a[:m], b[:m], c[:m]
	reps := max(1, int(2e6/float64(m))) // ~1-2 ms of work
	cache := best(3, func() {
		for r := 0; r < reps; r++ {
			for i := range z {
				z[i] = x[i] + y[i]
			}
		}
	})
	bw.Cache = float64(24*m*reps) / cache.Seconds()
	if bw.Cache < bw.One {
		bw.Cache = bw.One
	}
	bw.Elapsed = time.Since(start)
	return bw
}

// parallel runs f over w equal contiguous parts of [0, n) on w goroutines
// started together. Calibration uses it instead of a Scheduler so that the
// measurement does not depend on the planner it feeds.
func parallel(w, n int, f func(lo, hi int)) {
	var wg sync.WaitGroup
	var gate sync.WaitGroup
	gate.Add(1)
	for k := 0; k < w; k++ {
		lo, hi := k*n/w, (k+1)*n/w
		wg.Add(1)
		go func() {
			defer wg.Done()
			gate.Wait()
			f(lo, hi)
		}()
	}
	gate.Done()
	wg.Wait()
}
