package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
)

func BenchmarkRolling(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 10_000_000
	src, dst := randArray(r, n), array.New(n)
	for _, w := range []int{20, 1000} {
		for _, k := range []struct {
			name string
			f    func(e *Engine) error
		}{
			{"mean", func(e *Engine) error { return e.RollingMean(dst, src, w) }},
			{"std", func(e *Engine) error { return e.RollingStd(dst, src, w) }},
			{"max", func(e *Engine) error { return e.RollingMax(dst, src, w) }},
		} {
			for _, eng := range []struct {
				name string
				e    *Engine
			}{{"blockwise", std()}, {"blockwise-1worker", serialEngine()}} {
				b.Run(fmt.Sprintf("%s/w=%d/n=%d/%s", k.name, w, n, eng.name), func(b *testing.B) {
					b.SetBytes(16 * n)
					b.ReportAllocs()
					for b.Loop() {
						if err := k.f(eng.e); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// BenchmarkSmoothing is the classic recipe: a centered, edge-padded moving
// average of 21 over 2M points.
func BenchmarkSmoothing(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 3))
	const n = 2_000_000
	src, dst := randArray(r, n), array.New(n)
	b.SetBytes(16 * n)
	b.ReportAllocs()
	for b.Loop() {
		if err := RollingMean(dst, src, 21, Centered(), PadEdge()); err != nil {
			b.Fatal(err)
		}
	}
}
