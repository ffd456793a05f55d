package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
)

// BenchmarkWindow times the window statistics on one worker and on all,
// at the sizes of the targets (go run ./bench -peers has the
// peers beside them).
func BenchmarkWindow(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 1_000_000
	x, y, dst := randArray(r, n), randArray(r, n), array.New(n)
	big := randArray(r, 10*n)
	bigDst := array.New(10 * n)
	mean := func(v []float64) float64 {
		s := 0.0
		for _, u := range v {
			s += u
		}
		return s / float64(len(v))
	}
	cases := []struct {
		name string
		n    int
		f    func(e *Engine) error
	}{
		{"median/w=21", n, func(e *Engine) error { return e.RollingMedian(dst, x, 21) }},
		{"median/w=101", n, func(e *Engine) error { return e.RollingMedian(dst, x, 101) }},
		{"median/w=301", n, func(e *Engine) error { return e.RollingMedian(dst, x, 301) }},
		{"median/w=1001", n, func(e *Engine) error { return e.RollingMedian(dst, x, 1001) }},
		{"quantile/w=1001", n, func(e *Engine) error { return e.RollingQuantile(dst, x, 1001, 0.9) }},
		{"cov/w=50", n, func(e *Engine) error { return e.RollingCov(dst, x, y, 50) }},
		{"corr/w=50", n, func(e *Engine) error { return e.RollingCorr(dst, x, y, 50) }},
		{"apply/w=21", n, func(e *Engine) error { return e.RollingApply(dst, x, 21, mean) }},
		{"ewmmean", 10 * n, func(e *Engine) error { return e.EWMMean(bigDst, big, Span(20)) }},
		{"ewmvar", 10 * n, func(e *Engine) error { return e.EWMVar(bigDst, big, Span(20)) }},
	}
	for _, c := range cases {
		for _, eng := range []struct {
			name string
			e    *Engine
		}{{"blockwise", std()}, {"blockwise-1worker", serialEngine()}} {
			b.Run(fmt.Sprintf("%s/n=%d/%s", c.name, c.n, eng.name), func(b *testing.B) {
				b.SetBytes(16 * int64(c.n))
				b.ReportAllocs()
				for b.Loop() {
					if err := c.f(eng.e); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
