package main

import (
	"math"
	"math/rand/v2"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/kernels"
)

// workload is one row family of the table: a kernel call over n elements.
type workload struct {
	name   string
	bytes  float64  // bytes per element counted for GB/s
	window int      // rolling window, 0 otherwise
	peers  []string // peer libraries with an equivalent
	big    bool     // also run at 1e8 (memory-bound kernels)
	fixedN int      // a fixed size instead of the size list
	alloc  bool     // the call allocates its output (as its peers do)
	// setup builds the inputs for n and returns the call to time.
	setup func(n int) func(e *kernels.Engine) error
}

func randVec(n int, seed uint64) *array.Array {
	a := array.New(n)
	r := rand.New(rand.NewPCG(seed, 7))
	for i, d := 0, a.Data(); i < len(d); i++ {
		d[i] = r.NormFloat64()
	}
	return a
}

var elementwisePeers = []string{"numpy", "numexpr1", "numexprN"}

func workloads() []workload {
	return []workload{
		{name: "add", bytes: 24, peers: elementwisePeers, big: true, setup: func(n int) func(*kernels.Engine) error {
			a, b, c := randVec(n, 1), randVec(n, 2), array.New(n)
			return func(e *kernels.Engine) error { return e.Add(c, a, b) }
		}},
		{name: "triad", bytes: 24, peers: elementwisePeers, setup: func(n int) func(*kernels.Engine) error {
			a, b, c := randVec(n, 1), randVec(n, 2), array.New(n)
			return func(e *kernels.Engine) error { return e.Axpy(c, 1.5, a, b) }
		}},
		{name: "sum", bytes: 8, peers: []string{"numpy", "numexpr1", "pandas"}, big: true, setup: func(n int) func(*kernels.Engine) error {
			a := randVec(n, 1)
			return func(e *kernels.Engine) error { _, err := e.Sum(a); return err }
		}},
		{name: "dot", bytes: 16, peers: []string{"numpy"}, setup: func(n int) func(*kernels.Engine) error {
			a, b := randVec(n, 1), randVec(n, 2)
			return func(e *kernels.Engine) error { _, err := e.Dot(a, b); return err }
		}},
		{name: "map_exp", bytes: 16, peers: elementwisePeers, setup: func(n int) func(*kernels.Engine) error {
			a, c := randVec(n, 1), array.New(n)
			return func(e *kernels.Engine) error { return e.Map(c, a, math.Exp) }
		}},
		{name: "apply_each", bytes: 16, peers: []string{"numpy"}, setup: func(n int) func(*kernels.Engine) error {
			a, c := randVec(n, 1), array.New(n)
			fs := make([]func(float64) float64, n)
			for i := range fs {
				fs[i] = []func(float64) float64{math.Sin, math.Abs, func(x float64) float64 { return 2 * x }}[i%3]
			}
			return func(e *kernels.Engine) error { return e.ApplyEach(c, a, fs) }
		}},
		rolling("rolling_mean", 20, (*kernels.Engine).RollingMean),
		rolling("rolling_mean", 1000, (*kernels.Engine).RollingMean),
		rolling("rolling_std", 20, (*kernels.Engine).RollingStd),
		rolling("rolling_max", 20, (*kernels.Engine).RollingMax),
		{name: "smooth", bytes: 16, window: 21, peers: []string{"numpy", "pandas"}, fixedN: 2_000_000, alloc: true,
			setup: func(n int) func(*kernels.Engine) error {
				a := randVec(n, 1)
				return func(e *kernels.Engine) error {
					return e.RollingMean(array.New(n), a, 21, kernels.Centered(), kernels.PadEdge())
				}
			}},
	}
}

// rolling workloads allocate their output on every call, as bottleneck and
// pandas do, so that the ratios count allocation the same way for both.
func rolling(name string, w int, f func(e *kernels.Engine, dst, src *array.Array, w int, opts ...kernels.RollingOption) error) workload {
	return workload{name: name, bytes: 16, window: w, peers: []string{"bottleneck", "pandas"}, alloc: true,
		setup: func(n int) func(*kernels.Engine) error {
			a := randVec(n, 1)
			return func(e *kernels.Engine) error { return f(e, array.New(n), a, w) }
		}}
}
