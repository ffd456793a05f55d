package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

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

// TestRollSumMatchesGo checks RollSum4 and RollSum8 against rollSum4Go, run
// on each run of four blocks: clean data (every third case) and data with
// NaN, ±Inf and large values, on every ISA, with guard bands. RollSum8 must
// run exactly on AVX-512; RollSum4 wherever it reports it ran.
func TestRollSumMatchesGo(t *testing.T) {
	for _, k := range []struct {
		lanes   int
		run     func(x, out []float64, w int, mean bool, minp float64) bool
		mustRun func(isa string) bool // nil: either is fine
	}{
		{4, func(x, out []float64, w int, mean bool, minp float64) bool {
			return RollSum4(x, out, make([]float64, 12*w), w, mean, minp)
		}, nil},
		{8, func(x, out []float64, w int, mean bool, minp float64) bool {
			return RollSum8(x, out, make([]float64, 24*w), w, mean, minp)
		}, func(isa string) bool { return isa == "avx512" }},
	} {
		r := rand.New(rand.NewPCG(uint64(k.lanes), uint64(k.lanes)))
		L := k.lanes
		for _, w := range []int{1, 2, 3, 7, 8, 9, 16, 17, 20, 64, 333} { // around multiples of 8: the chunked steps
			for _, mean := range []bool{false, true} {
				for _, minp := range []float64{0, 1, float64(w)} {
					clean := minp == 1 // every third run: all finite, the clean kernel
					groups := 1 + w%3
					x, xb, xo := guarded(L*w*groups+w, w%8, func(int) float64 { return sumInputValue(r, clean) })
					want := make([]float64, L*w*groups)
					for g := 0; g < L/4*groups; g++ {
						rollSum4Go(x[4*w*g:4*w*g+5*w], want[4*w*g:4*w*(g+1)], w, mean, minp)
					}
					for _, isa := range ISAs() {
						restore := SetISA(isa)
						out, ob, oo := guarded(L*w*groups, (w+3)%8, func(int) float64 { return guard })
						ok := k.run(x, out, w, mean, minp)
						restore()
						if k.mustRun != nil && ok != k.mustRun(isa) {
							t.Fatalf("%s: RollSum%d ran = %v", isa, L, ok)
						}
						if !ok {
							continue
						}
						what := fmt.Sprintf("RollSum%d %s w=%d mean=%v minp=%v", L, isa, w, mean, minp)
						checkGuards(t, what, ob, oo, L*w*groups)
						checkGuards(t, what, xb, xo, L*w*groups+w)
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
