package sched

import (
	"fmt"
	"sync"
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

var (
	calOnce sync.Once
	calBW   Bandwidth
)

// Calibrate returns this machine's bandwidth, measuring it on the first call
// (about 30–50 ms) and caching it for the life of the process.
func Calibrate() Bandwidth {
	calOnce.Do(func() {
		t := Detect()
		calBW = MeasureBandwidth(t.Workers, t.L2, t.L3)
	})
	return calBW
}

// MeasureBandwidth measures the streaming add bandwidth now, with 1 and with
// workers goroutines, on arrays twice the size of l3 (at least 48 MiB in all,
// at most 192 MiB), and with 1 goroutine on arrays filling a quarter of l2.
// It takes about 30–50 ms; Calibrate caches its result.
func MeasureBandwidth(workers, l2, l3 int) Bandwidth {
	start := time.Now()
	if workers < 1 {
		workers = 1
	}
	total := 2 * l3
	total = max(total, 48<<20)
	total = min(total, 192<<20)
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
