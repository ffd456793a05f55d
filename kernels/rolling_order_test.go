package kernels

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blockwise/blockwise/internal/asm"
)

// TestSortedWinOps drives a window's keys through random inserts, removes
// and replacements, on every ISA and on both sides of countMax (so the
// sampled search with its index and padding, and the plain one), and
// checks the keys against a sorted copy after every step.
func TestSortedWinOps(t *testing.T) {
	for _, isa := range asm.ISAs() {
		for _, w := range []int{1, 5, 40, countMax, countMax + 1, 200, 1001} {
			t.Run(fmt.Sprintf("%s/w=%d", isa, w), func(t *testing.T) {
				defer asm.SetISA(isa)()
				r := rand.New(rand.NewPCG(uint64(w), 3))
				var buf []int64
				s := newSortedWin(&buf, w)
				var model []int64
				key := func() int64 { return sortKey(float64(r.IntN(w+3)) - float64(w)/2) }
				for step := range 20 * w {
					switch op := r.IntN(4); {
					case len(model) < w && (op == 0 || len(model) == 0):
						k := key()
						s.insert(k)
						model = append(model, k)
					case op == 1 && len(model) > 0:
						i := r.IntN(len(model))
						s.remove(model[i])
						model = slices.Delete(model, i, i+1)
					case len(model) > 0:
						i, k := r.IntN(len(model)), key()
						s.replace(model[i], k)
						model[i] = k
					}
					want := slices.Sorted(slices.Values(model))
					if !slices.Equal(s.keys, want) {
						t.Fatalf("step %d: keys %v, want %v", step, s.keys, want)
					}
					if s.idx != nil {
						full := s.keys[:cap(s.keys)]
						for i := len(s.keys); i < len(full); i++ {
							if full[i] != keyMax {
								t.Fatalf("step %d: padding [%d] = %d", step, i, full[i])
							}
						}
						for j, v := range s.idx {
							want := int64(keyMax)
							if j*asm.KeyBlock < len(s.keys) {
								want = s.keys[j*asm.KeyBlock]
							}
							if v != want {
								t.Fatalf("step %d: idx[%d] = %d, want %d", step, j, v, want)
							}
						}
					}
				}
			})
		}
	}
}
