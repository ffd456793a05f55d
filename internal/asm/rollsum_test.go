package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestRollSum4MatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for _, w := range []int{1, 2, 3, 7, 20, 64, 333} {
		for _, mean := range []bool{false, true} {
			for _, minp := range []float64{0, 1, float64(w)} {
				clean := minp == 1 // every third run: all finite, the clean kernel
				groups := 1 + w%3
				x, xb, xo := guarded(4*w*groups+w, w%8, func(int) float64 { return sumInputValue(r, clean) })
				want := make([]float64, 4*w*groups)
				for g := 0; g < groups; g++ {
					rollSum4Go(x[4*w*g:4*w*g+5*w], want[4*w*g:4*w*(g+1)], w, mean, minp)
				}
				for _, isa := range ISAs() {
					restore := SetISA(isa)
					out, ob, oo := guarded(4*w*groups, (w+3)%8, func(int) float64 { return guard })
					suf := make([]float64, 12*w)
					ok := RollSum4(x, out, suf, w, mean, minp)
					restore()
					if !ok {
						continue
					}
					what := fmt.Sprintf("%s w=%d mean=%v minp=%v", isa, w, mean, minp)
					checkGuards(t, what, ob, oo, 4*w*groups)
					checkGuards(t, what, xb, xo, 4*w*groups+w)
					for i := range out {
						if math.Float64bits(out[i]) != math.Float64bits(want[i]) {
							t.Fatalf("%s [%d]: %v, Go reference %v", what, i, out[i], want[i])
						}
					}
				}
			}
		}
	}
}

func TestAllFinite(t *testing.T) {
	for _, isa := range ISAs() {
		restore := SetISA(isa)
		for n := 0; n < 40; n++ {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(i)
			}
			if !AllFinite(x) {
				t.Fatalf("%s n=%d: finite data reported non-finite", isa, n)
			}
			for i := 0; i < n; i++ {
				for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
					old := x[i]
					x[i] = bad
					if AllFinite(x) {
						t.Fatalf("%s n=%d: %v at %d not seen", isa, n, bad, i)
					}
					x[i] = old
				}
			}
		}
		restore()
	}
}

func TestRollSum8MatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for _, w := range []int{1, 2, 3, 7, 20, 64, 333} {
		for _, mean := range []bool{false, true} {
			for _, minp := range []float64{0, 1, float64(w)} {
				clean := minp == 1 // every third run: all finite, the clean kernel
				groups := 1 + w%3
				x, xb, xo := guarded(8*w*groups+w, w%8, func(int) float64 { return sumInputValue(r, clean) })
				want := make([]float64, 8*w*groups)
				for g := 0; g < 2*groups; g++ {
					rollSum4Go(x[4*w*g:4*w*g+5*w], want[4*w*g:4*w*(g+1)], w, mean, minp)
				}
				for _, isa := range ISAs() {
					restore := SetISA(isa)
					out, ob, oo := guarded(8*w*groups, (w+3)%8, func(int) float64 { return guard })
					ok := RollSum8(x, out, make([]float64, 24*w), w, mean, minp)
					restore()
					if ok != (isa == "avx512") {
						t.Fatalf("%s: RollSum8 ran = %v", isa, ok)
					}
					if !ok {
						continue
					}
					what := fmt.Sprintf("%s w=%d mean=%v minp=%v", isa, w, mean, minp)
					checkGuards(t, what, ob, oo, 8*w*groups)
					checkGuards(t, what, xb, xo, 8*w*groups+w)
					for i := range out {
						if math.Float64bits(out[i]) != math.Float64bits(want[i]) {
							t.Fatalf("%s [%d]: %v, Go reference %v", what, i, out[i], want[i])
						}
					}
				}
			}
		}
	}
}

// sumInputValue is a value of the rolling-sum kernels' test inputs: clean,
// or with NaN, ±Inf and 1e15-sized values among N(0, 1).
func sumInputValue(r *rand.Rand, clean bool) float64 {
	if clean {
		return r.NormFloat64() * 1e3
	}
	switch r.IntN(12) {
	case 0:
		return math.NaN()
	case 1:
		return math.Inf(1 - 2*r.IntN(2))
	case 2:
		return 1e15 * r.NormFloat64()
	}
	return r.NormFloat64()
}
