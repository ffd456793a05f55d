package main

import (
	"sync"
	"time"
)

// streamResult is the machine's physical limit as a STREAM-style probe
// measures it: plain Go loops over GOMAXPROCS goroutines, bytes counted as
// STREAM counts them (copy 16, add and triad 24 per element).
type streamResult struct {
	Copy1, Add1, Triad1 float64 // GB/s, 1 worker
	CopyN, AddN, TriadN float64 // GB/s, all workers
	Workers             int
	N                   int
}

func streamProbe(workers, n int, reps int) streamResult {
	a, b, c := make([]float64, n), make([]float64, n), make([]float64, n)
	split(workers, n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			a[i], b[i], c[i] = 1, 2, 0
		}
	})
	kernels := []struct {
		bytes float64
		f     func(lo, hi int)
	}{
		{16, func(lo, hi int) { copy(c[lo:hi], a[lo:hi]) }},
		{24, func(lo, hi int) {
			x, y, z := a[lo:hi], b[lo:hi], c[lo:hi]
			for i := range z {
				z[i] = x[i] + y[i]
			}
		}},
		{24, func(lo, hi int) {
			x, y, z := a[lo:hi], b[lo:hi], c[lo:hi]
			for i := range z {
				z[i] = x[i] + 3*y[i]
			}
		}},
	}
	var out [6]float64
	for k, kern := range kernels {
		for j, w := range []int{1, workers} {
			best := time.Duration(1<<63 - 1)
			for r := 0; r < reps; r++ {
				t0 := time.Now()
				split(w, n, kern.f)
				best = min(best, time.Since(t0))
			}
			out[2*k+j] = kern.bytes * float64(n) / best.Seconds() / 1e9
		}
	}
	return streamResult{Copy1: out[0], CopyN: out[1], Add1: out[2], AddN: out[3], Triad1: out[4], TriadN: out[5], Workers: workers, N: n}
}

// split runs f over w equal parts of [0, n) on w goroutines.
func split(w, n int, f func(lo, hi int)) {
	var wg sync.WaitGroup
	for k := 0; k < w; k++ {
		lo, hi := k*n/w, (k+1)*n/w
		wg.Add(1)
		go func() { defer wg.Done(); f(lo, hi) }()
	}
	wg.Wait()
}
