package main

import (
	"math"
	"math/rand/v2"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/expr"
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
	sizes  []int    // the sizes to run when none are given (default 1e3 … 1e7)
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

// unaryMath is a workload of one fmath function over a normal vector (its
// absolute value for logarithms), as the peers compute it.
func unaryMath(f func(e *kernels.Engine, dst, a *array.Array) error, positive bool) func(n int) func(*kernels.Engine) error {
	return func(n int) func(*kernels.Engine) error {
		a, c := randVec(n, 1), array.New(n)
		if positive {
			a = absVec(a)
		}
		return func(e *kernels.Engine) error { return f(e, c, a) }
	}
}

func absVec(a *array.Array) *array.Array {
	for i, d := 0, a.Data(); i < len(d); i++ {
		d[i] = math.Abs(d[i])
	}
	return a
}

var elementwisePeers = []string{"numpy", "numexpr1", "numexprN"}

// bigSizes are the sizes of issue 12's array statistics.
var bigSizes = []int{10_000, 1_000_000, 10_000_000}

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
		{name: "exp", bytes: 16, peers: elementwisePeers, setup: unaryMath((*kernels.Engine).Exp, false)},
		{name: "log", bytes: 16, peers: elementwisePeers, setup: unaryMath((*kernels.Engine).Log, true)},
		{name: "sin", bytes: 16, peers: elementwisePeers, setup: unaryMath((*kernels.Engine).Sin, false)},
		{name: "tanh", bytes: 16, peers: elementwisePeers, setup: unaryMath((*kernels.Engine).Tanh, false)},
		{name: "pow", bytes: 24, peers: elementwisePeers, setup: func(n int) func(*kernels.Engine) error {
			a, b, c := absVec(randVec(n, 1)), randVec(n, 2), array.New(n)
			return func(e *kernels.Engine) error { return e.Pow(c, a, b) }
		}},
		{name: "expr", bytes: 32, peers: elementwisePeers, sizes: bigSizes, setup: func(n int) func(*kernels.Engine) error {
			// numexpr's example 2*a + 3*b*c, fused: 3 reads and a write.
			x, err := expr.Compile("2*a + 3*b*c")
			if err != nil {
				panic(err)
			}
			vars := map[string]*array.Array{"a": randVec(n, 1), "b": randVec(n, 2), "c": randVec(n, 3)}
			d := array.New(n)
			evs := map[*kernels.Engine]*expr.Evaluator{}
			return func(e *kernels.Engine) error {
				ev := evs[e]
				if ev == nil {
					ev = expr.On(e.Scheduler())
					evs[e] = ev
				}
				return ev.Eval(x, d, vars)
			}
		}},
		{name: "apply_each", bytes: 16, peers: []string{"numpy"}, setup: func(n int) func(*kernels.Engine) error {
			a, c := randVec(n, 1), array.New(n)
			fs := make([]func(float64) float64, n)
			for i := range fs {
				fs[i] = []func(float64) float64{math.Sin, math.Abs, func(x float64) float64 { return 2 * x }}[i%3]
			}
			return func(e *kernels.Engine) error { return e.ApplyEach(c, a, fs) }
		}},
		{name: "broadcast_add", bytes: 16, peers: []string{"numpy", "numexpr1", "numexprN"}, sizes: bigSizes,
			setup: func(n int) func(*kernels.Engine) error {
				a, c := randVec(n, 1), array.New(n)
				m, _ := a.Reshape(n/1000, 1000)
				out, _ := c.Reshape(n/1000, 1000)
				row := randVec(1000, 2)
				return func(e *kernels.Engine) error { return e.Add(out, m, row) }
			}},
		{name: "var", bytes: 8, peers: []string{"numpy", "pandas"}, sizes: bigSizes, setup: func(n int) func(*kernels.Engine) error {
			a := randVec(n, 1)
			return func(e *kernels.Engine) error { _, err := e.Var(a, 0); return err }
		}},
		{name: "argmax", bytes: 8, peers: []string{"numpy"}, sizes: bigSizes, setup: func(n int) func(*kernels.Engine) error {
			a := randVec(n, 1)
			return func(e *kernels.Engine) error { _, err := e.ArgMax(a); return err }
		}},
		{name: "cumsum", bytes: 16, peers: []string{"numpy", "pandas"}, sizes: bigSizes, setup: func(n int) func(*kernels.Engine) error {
			a, c := randVec(n, 1), array.New(n)
			return func(e *kernels.Engine) error { return e.CumSum(c, a, 0) }
		}},
		{name: "sort", bytes: 16, peers: []string{"numpy"}, alloc: true, sizes: bigSizes, setup: func(n int) func(*kernels.Engine) error {
			a := randVec(n, 1)
			return func(e *kernels.Engine) error { return e.Sort(array.New(n), a, 0) }
		}},
		{name: "median", bytes: 8, peers: []string{"numpy", "pandas"}, sizes: bigSizes, setup: func(n int) func(*kernels.Engine) error {
			a := randVec(n, 1)
			return func(e *kernels.Engine) error { _, err := e.Median(a); return err }
		}},
		{name: "quantile", bytes: 8, peers: []string{"numpy"}, sizes: bigSizes, setup: func(n int) func(*kernels.Engine) error {
			a := randVec(n, 1)
			return func(e *kernels.Engine) error { _, err := e.Quantile(a, 0.9); return err }
		}},
		rolling("rolling_mean", 20, (*kernels.Engine).RollingMean),
		rolling("rolling_mean", 1000, (*kernels.Engine).RollingMean),
		rolling("rolling_std", 20, (*kernels.Engine).RollingStd),
		rolling("rolling_max", 20, (*kernels.Engine).RollingMax),
		window("rolling_median", 21, []string{"bottleneck", "pandas"}, func(e *kernels.Engine, d, a, _ *array.Array, w int) error {
			return e.RollingMedian(d, a, w)
		}),
		window("rolling_median", 1001, []string{"bottleneck", "pandas"}, func(e *kernels.Engine, d, a, _ *array.Array, w int) error {
			return e.RollingMedian(d, a, w)
		}),
		window("rolling_quantile", 21, []string{"pandas"}, func(e *kernels.Engine, d, a, _ *array.Array, w int) error {
			return e.RollingQuantile(d, a, w, 0.9)
		}),
		window("rolling_quantile", 1001, []string{"pandas"}, func(e *kernels.Engine, d, a, _ *array.Array, w int) error {
			return e.RollingQuantile(d, a, w, 0.9)
		}),
		window("rolling_cov", 50, []string{"pandas"}, func(e *kernels.Engine, d, a, b *array.Array, w int) error {
			return e.RollingCov(d, a, b, w)
		}),
		window("rolling_corr", 50, []string{"pandas"}, func(e *kernels.Engine, d, a, b *array.Array, w int) error {
			return e.RollingCorr(d, a, b, w)
		}),
		window("rolling_apply", 21, []string{"pandas"}, func(e *kernels.Engine, d, a, _ *array.Array, w int) error {
			return e.RollingApply(d, a, w, windowMean)
		}),
		{name: "ewm_mean", bytes: 16, peers: []string{"pandas"}, alloc: true, sizes: []int{100_000, 1_000_000, 10_000_000},
			setup: func(n int) func(*kernels.Engine) error {
				a := randVec(n, 1)
				return func(e *kernels.Engine) error { return e.EWMMean(array.New(n), a, kernels.Span(20)) }
			}},
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

// window workloads are the window statistics beyond rolling: sizes 1e4 and
// 1e6, output allocated per call as pandas does.
func window(name string, w int, peers []string, f func(e *kernels.Engine, dst, a, b *array.Array, w int) error) workload {
	return workload{name: name, bytes: 16, window: w, peers: peers, alloc: true, sizes: []int{10_000, 1_000_000},
		setup: func(n int) func(*kernels.Engine) error {
			a, b := randVec(n, 1), randVec(n, 2)
			return func(e *kernels.Engine) error { return f(e, array.New(n), a, b, w) }
		}}
}

// windowMean is RollingApply's cheap f: the mean of the window.
func windowMean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
