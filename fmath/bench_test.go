package fmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

var sink float64

// BenchmarkFunc times each function over 4096 arguments of its usual
// domain, beside Go's math (ns/op is per call).
func BenchmarkFunc(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 4096)
	for _, f := range refFuncs {
		lo, hi := -10.0, 10.0
		switch f.name {
		case "log", "log2", "log10", "pow":
			lo, hi = 0, 100
		case "log1p":
			lo = -0.9
		}
		for i := range xs {
			xs[i] = lo + (hi-lo)*r.Float64()
		}
		for _, impl := range []struct {
			name string
			fn   func(x, y float64) float64
		}{{"fmath", f.ours}, {"math", f.gos}} {
			b.Run(f.name+"/"+impl.name, func(b *testing.B) {
				s := 0.0
				for i := 0; b.Loop(); i++ {
					x := xs[i&4095]
					s += impl.fn(x, 1.5)
				}
				sink = s
			})
		}
	}
	_ = math.Pi
}
