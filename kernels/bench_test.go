package kernels

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"gonum.org/v1/gonum/floats"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

var benchSizes = []int{1_000, 4_096, 100_000, 1_000_000, 10_000_000}

func benchArrays(n, k int) []*array.Array {
	out := make([]*array.Array, k)
	for j := range out {
		out[j] = array.New(n)
		d := out[j].Data()
		for i := range d {
			d[i] = float64(i%1000)*0.001 + float64(j)
		}
	}
	return out
}

var (
	oneOnce sync.Once
	one     *Engine
)

// serialEngine runs on one worker: the "our own 1-worker run" baseline.
func serialEngine() *Engine {
	oneOnce.Do(func() { one = On(sched.New(sched.WithWorkers(1))) })
	return one
}

// streamAdd is the STREAM-style reference: the plain Go loop split in
// equal halves over GOMAXPROCS goroutines spawned per call.
func streamAdd(c, a, b []float64, w int) {
	var wg sync.WaitGroup
	n := len(c)
	for k := 0; k < w; k++ {
		lo, hi := k*n/w, (k+1)*n/w
		wg.Add(1)
		go func() {
			defer wg.Done()
			x, y, z := a[lo:hi], b[lo:hi], c[lo:hi]
			for i := range z {
				z[i] = x[i] + y[i]
			}
		}()
	}
	wg.Wait()
}

func BenchmarkAdd(b *testing.B) {
	for _, n := range benchSizes {
		arrs := benchArrays(n, 3)
		a, x, y := arrs[0], arrs[1], arrs[2]
		ad, xd, yd := a.Data(), x.Data(), y.Data()
		run := func(name string, f func()) {
			b.Run(fmt.Sprintf("n=%d/%s", n, name), func(b *testing.B) {
				b.SetBytes(int64(24 * n))
				b.ReportAllocs()
				for b.Loop() {
					f()
				}
			})
		}
		run("blockwise", func() { _ = Add(a, x, y) })
		run("blockwise-1worker", func() { _ = serialEngine().Add(a, x, y) })
		run("gonum", func() { floats.AddTo(ad, xd, yd) })
		run("loop", func() {
			for i := range ad {
				ad[i] = xd[i] + yd[i]
			}
		})
		run("stream", func() { streamAdd(ad, xd, yd, sched.Default().Workers()) })
	}
}

func BenchmarkAxpy(b *testing.B) {
	for _, n := range benchSizes {
		arrs := benchArrays(n, 3)
		b.Run(fmt.Sprintf("n=%d/blockwise", n), func(b *testing.B) {
			b.SetBytes(int64(24 * n))
			b.ReportAllocs()
			for b.Loop() {
				_ = Axpy(arrs[0], 1.5, arrs[1], arrs[2])
			}
		})
		b.Run(fmt.Sprintf("n=%d/gonum", n), func(b *testing.B) {
			b.SetBytes(int64(24 * n))
			for b.Loop() {
				floats.AddScaledTo(arrs[0].Data(), arrs[2].Data(), 1.5, arrs[1].Data())
			}
		})
	}
}

func BenchmarkSum(b *testing.B) {
	for _, n := range benchSizes {
		x := benchArrays(n, 1)[0]
		run := func(name string, f func()) {
			b.Run(fmt.Sprintf("n=%d/%s", n, name), func(b *testing.B) {
				b.SetBytes(int64(8 * n))
				b.ReportAllocs()
				for b.Loop() {
					f()
				}
			})
		}
		run("blockwise", func() { _, _ = Sum(x) })
		run("blockwise-1worker", func() { _, _ = serialEngine().Sum(x) })
		run("gonum", func() { floats.Sum(x.Data()) })
	}
}

func BenchmarkDot(b *testing.B) {
	for _, n := range benchSizes {
		arrs := benchArrays(n, 2)
		b.Run(fmt.Sprintf("n=%d/blockwise", n), func(b *testing.B) {
			b.SetBytes(int64(16 * n))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = Dot(arrs[0], arrs[1])
			}
		})
		b.Run(fmt.Sprintf("n=%d/gonum", n), func(b *testing.B) {
			b.SetBytes(int64(16 * n))
			for b.Loop() {
				floats.Dot(arrs[0].Data(), arrs[1].Data())
			}
		})
	}
}

func BenchmarkMapExp(b *testing.B) {
	for _, n := range []int{4_096, 1_000_000} {
		arrs := benchArrays(n, 2)
		b.Run(fmt.Sprintf("n=%d/blockwise", n), func(b *testing.B) {
			b.SetBytes(int64(16 * n))
			b.ReportAllocs()
			for b.Loop() {
				_ = Map(arrs[0], arrs[1], math.Exp)
			}
		})
		b.Run(fmt.Sprintf("n=%d/loop", n), func(b *testing.B) {
			b.SetBytes(int64(16 * n))
			d, s := arrs[0].Data(), arrs[1].Data()
			for b.Loop() {
				for i := range d {
					d[i] = math.Exp(s[i])
				}
			}
		})
	}
}

func BenchmarkApplyEach(b *testing.B) {
	for _, n := range []int{4_096, 1_000_000} {
		arrs := benchArrays(n, 2)
		fs := make([]func(float64) float64, n)
		for i := range fs {
			if i%2 == 0 {
				fs[i] = math.Abs
			} else {
				fs[i] = func(x float64) float64 { return 2 * x }
			}
		}
		b.Run(fmt.Sprintf("n=%d/blockwise", n), func(b *testing.B) {
			b.SetBytes(int64(16 * n))
			b.ReportAllocs()
			for b.Loop() {
				_ = ApplyEach(arrs[0], arrs[1], fs)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
		})
	}
}

func BenchmarkMeanAxis(b *testing.B) {
	// An ensemble of 64 models of 100k parameters each, averaged.
	src := array.New(64, 100_000)
	dst := array.New(100_000)
	b.SetBytes(int64(8 * src.Len()))
	b.ReportAllocs()
	for b.Loop() {
		_ = MeanAxis(dst, src, 0)
	}
}
