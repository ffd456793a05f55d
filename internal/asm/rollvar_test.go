package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestRollVar8MatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for _, w := range []int{1, 2, 3, 7, 8, 9, 16, 17, 20, 64, 333} { // around multiples of 8: the chunked steps
		for _, std := range []bool{false, true} {
			for _, ddof := range []int{0, 1} {
				if w <= ddof {
					continue
				}
				groups := 1 + w%3
				x, xb, xo := guarded(8*w*groups+w, w%8, func(i int) float64 {
					if i%97 == 13 {
						return 1e12 // spikes
					}
					return 1e8 + r.NormFloat64() // offset data
				})
				want := make([]float64, 8*w*groups)
				rollVar8Go(x, want, w, std, float64(w-ddof))
				for _, isa := range ISAs() {
					restore := SetISA(isa)
					out, ob, oo := guarded(8*w*groups, (w+5)%8, func(int) float64 { return guard })
					ok := RollVar8(x, out, make([]float64, 32*w), w, std, float64(w-ddof))
					if ok != (isa == "avx512") {
						restore()
						t.Fatalf("%s: RollVar8 ran = %v", isa, ok)
					}
					if !ok {
						// The four-lane kernel covers the same outputs as
						// two runs of twice as many groups.
						ok = RollVar4(x, out, make([]float64, 16*w), w, std, float64(w-ddof))
						if ok != (isa == "avx2") {
							restore()
							t.Fatalf("%s: RollVar4 ran = %v", isa, ok)
						}
					}
					restore()
					if !ok {
						continue
					}
					what := fmt.Sprintf("%s w=%d std=%v ddof=%d", isa, w, std, ddof)
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
