package kernels

import (
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

// BenchmarkStats measures issue 12's statistics at n = 1e7 on one worker
// and on all, beside Sum (Var's target: ≤ 2.2× Sum).
func BenchmarkStats(b *testing.B) {
	const n = 10_000_000
	r := rand.New(rand.NewPCG(1, 2))
	a := randArray(r, n)
	d := array.New(n)
	for _, w := range []int{1, 0} {
		opts := []sched.Option{}
		name := "workers=all"
		if w == 1 {
			opts, name = append(opts, sched.WithWorkers(1)), "workers=1"
		}
		s := sched.New(opts...)
		e := On(s)
		for _, k := range statBenches {
			b.Run(k.name+"/"+name, func(b *testing.B) {
				b.SetBytes(8 * n)
				b.ReportAllocs()
				for b.Loop() {
					if err := k.run(e, d, a); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		s.Close()
	}
}

var statBenches = []struct {
	name string
	run  func(e *Engine, d, a *array.Array) error
}{
	{"Sum", func(e *Engine, _, a *array.Array) error { _, err := e.Sum(a); return err }},
	{"Var", func(e *Engine, _, a *array.Array) error { _, err := e.Var(a, 0); return err }},
	{"CumSum", func(e *Engine, d, a *array.Array) error { return e.CumSum(d, a, 0) }},
	{"Median", func(e *Engine, _, a *array.Array) error { _, err := e.Median(a); return err }},
	{"Sort", func(e *Engine, d, a *array.Array) error { return e.Sort(d, a, 0) }},
	{"CumProd", func(e *Engine, d, a *array.Array) error { return e.CumProd(d, a, 0) }},
}

func init() {
	statBenches = append(statBenches,
		struct {
			name string
			run  func(e *Engine, d, a *array.Array) error
		}{"ArgMax", func(e *Engine, _, a *array.Array) error { _, err := e.ArgMax(a); return err }},
		struct {
			name string
			run  func(e *Engine, d, a *array.Array) error
		}{"Max", func(e *Engine, _, a *array.Array) error { _, err := e.Max(a); return err }})
}
