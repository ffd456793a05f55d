package kernels

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blockwise/blockwise/internal/asm"
)

// checkKeyBlocks checks the blocks' invariants: counts within a block and
// summing to n, keys sorted within and across blocks, keyMax after them,
// first slots, and no empty block among several.
func checkKeyBlocks(t *testing.T, k *keyBlocks, step int) {
	t.Helper()
	n, prev := 0, int64(-1<<63)
	for j := range k.first {
		blk := k.data[j*kb : (j+1)*kb]
		c := int(k.cnt[j])
		if j >= k.nb {
			if k.first[j] != keyMax {
				t.Fatalf("step %d: first[%d] = %d past %d blocks", step, j, k.first[j], k.nb)
			}
			continue
		}
		if c < 0 || c >= kb || (c == 0 && k.nb > 1) || k.first[j] != blk[0] {
			t.Fatalf("step %d: block %d of %d: count %d, first %d, slot 0 %d", step, j, k.nb, c, k.first[j], blk[0])
		}
		for i, v := range blk {
			if (i < c && v < prev) || (i >= c && v != keyMax) {
				t.Fatalf("step %d: block %d slot %d = %d (count %d, previous key %d)", step, j, i, v, c, prev)
			}
			if i < c {
				prev = v
			}
		}
		n += c
	}
	if n != k.n {
		t.Fatalf("step %d: blocks hold %d keys, n = %d", step, n, k.n)
	}
}

// TestSortedWinOps drives a window's keys through random inserts, removes
// and replacements, on every ISA and layout (the padded block up to
// smallMax, key blocks beyond it, the plain slice without AVX-512), and
// checks the keys against a sorted copy after every step.
func TestSortedWinOps(t *testing.T) {
	for _, isa := range asm.ISAs() {
		for _, w := range []int{1, 5, smallMax, smallMax + 1, 40, 64, 65, 200, 1001} {
			t.Run(fmt.Sprintf("%s/w=%d", isa, w), func(t *testing.T) {
				defer asm.SetISA(isa)()
				r := rand.New(rand.NewPCG(uint64(w), 3))
				var buf, bbuf []int64
				s := newSortedWin(&buf, &bbuf, w)
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
					got := make([]int64, s.count())
					for i := range got {
						got[i] = s.key(i)
					}
					if !slices.Equal(got, want) {
						t.Fatalf("step %d: keys %v, want %v", step, got, want)
					}
					if s.blocked {
						checkKeyBlocks(t, &s.blk, step)
					}
					if s.small {
						for i, v := range s.keys[len(s.keys):smallMax] {
							if v != keyMax {
								t.Fatalf("step %d: padding [%d] = %d", step, len(s.keys)+i, v)
							}
						}
					}
					if x := key() + int64(r.IntN(3)-1); s.rank(x) != lowerBound(want, x) {
						t.Fatalf("step %d: rank(%d) = %d, want %d", step, x, s.rank(x), lowerBound(want, x))
					}
				}
			})
		}
	}
}

// BenchmarkSortedWinSlide times one slide and one median of a window of
// normal values: the layout the kernel picks, and the plain sorted slice
// beside it.
func BenchmarkSortedWinSlide(b *testing.B) {
	for _, w := range []int{21, 33, 64, 101, 128, 301, 1001} {
		for _, plain := range []bool{false, true} {
			b.Run(fmt.Sprintf("w=%d/plain=%v", w, plain), func(b *testing.B) {
				r := rand.New(rand.NewPCG(1, 2))
				x := make([]int64, 1<<16)
				for i := range x {
					x[i] = sortKey(r.NormFloat64())
				}
				var buf, bbuf []int64
				s := newSortedWin(&buf, &bbuf, w)
				if plain {
					s.small, s.blocked = false, false
				}
				s.keys = append(s.keys, x[:w]...)
				slices.Sort(s.keys)
				s.fill(s.keys)
				sum := 0.0
				for i := w; b.Loop(); i++ {
					s.replace(x[(i-w)&(len(x)-1)], x[i&(len(x)-1)])
					sum += s.median()
				}
				_ = sum
			})
		}
	}
}
