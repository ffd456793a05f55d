package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// extInputValue is a value of the extremum kernels' test inputs: ties of
// +0 and −0 (the case where max and min must pick a sign), NaN, ±Inf, and
// small integers (ties between equal values), or all finite when clean.
func extInputValue(r *rand.Rand, clean bool) float64 {
	switch r.IntN(10) {
	case 0:
		return 0
	case 1:
		return math.Copysign(0, -1)
	case 2:
		if !clean {
			return math.NaN()
		}
	case 3:
		if !clean {
			return math.Inf(1 - 2*r.IntN(2))
		}
	case 4:
		return float64(r.IntN(5) - 2)
	}
	return r.NormFloat64()
}

// TestRollExtMatchesGo checks RollExt8 against rollExtGo on every ISA, with
// guard bands: it must run exactly on AVX-512, and give the reference's
// bits (±0 ties, windows without a finite value, missing values skipped).
func TestRollExtMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	// Windows around multiples of 8: the kernel steps eight at a time
	// (suffix: w mod 8 single steps first; prefix: (w−1) mod 8 last).
	for _, w := range []int{1, 2, 3, 7, 8, 9, 16, 17, 20, 64, 333} {
		for _, min := range []bool{false, true} {
			for _, clean := range []bool{false, true} {
				groups := 1 + w%3
				n := 8 * w * groups
				x, xb, xo := guarded(n+w, w%8, func(int) float64 { return extInputValue(r, clean) })
				if w == 7 && !clean {
					for i := 8; i < 30; i++ { // a stretch without finite values
						x[i] = math.NaN()
					}
				}
				want := make([]float64, n)
				rollExtGo(x, want, w, min)
				for _, isa := range ISAs() {
					restore := SetISA(isa)
					out, ob, oo := guarded(n, (w+3)%8, func(int) float64 { return guard })
					ok, fin := RollExt8(x, out, make([]float64, 8*w), w, min)
					restore()
					if ok != (isa == "avx512") {
						t.Fatalf("%s: RollExt8 ran = %v", isa, ok)
					}
					if !ok {
						continue
					}
					if fin != clean {
						t.Fatalf("%s w=%d: RollExt8 finite = %v on clean = %v data", isa, w, fin, clean)
					}
					what := fmt.Sprintf("RollExt8 %s w=%d min=%v clean=%v", isa, w, min, clean)
					checkGuards(t, what, ob, oo, n)
					checkGuards(t, what, xb, xo, n+w)
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

// TestRollExtGoSigns pins the reference itself: a window of +0 and −0 has
// max +0 and min −0; one without finite values ±Inf.
func TestRollExtGoSigns(t *testing.T) {
	nz := math.Copysign(0, -1)
	x := []float64{0, nz, nz, math.NaN(), math.Inf(1)}
	out := make([]float64, 3)
	for _, c := range []struct {
		min  bool
		want []float64
	}{
		{false, []float64{0, nz, math.Inf(-1)}},
		{true, []float64{nz, nz, math.Inf(1)}},
	} {
		rollExtGo(x[:len(out)+2-1], out[:2], 2, c.min)
		rollExtGo(x[3:5], out[2:3], 1, c.min)
		for i := range out {
			if math.Float64bits(out[i]) != math.Float64bits(c.want[i]) {
				t.Fatalf("min=%v: out[%d] = %v, want %v", c.min, i, out[i], c.want[i])
			}
		}
	}
}
