package asm

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestReplaceKey slides random keys with ties (and keys far below them
// all) through blocks of every fill on every ISA: the keys stay the sorted
// multiset, MaxInt64 after them.
func TestReplaceKey(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, isa := range ISAs() {
		restore := SetISA(isa)
		for n := 1; n <= SmallKeys; n++ {
			var blk [SmallKeys]int64
			model := make([]int64, n)
			for i := range blk {
				blk[i] = math.MaxInt64
			}
			for i := range model {
				model[i] = r.Int64N(int64(n)) - int64(n)/2
			}
			copy(blk[:], slices.Sorted(slices.Values(model)))
			for step := range 300 {
				i := r.IntN(n)
				in := r.Int64N(int64(n)+2) - int64(n)/2 - 1
				if step%7 == 0 {
					in = math.MinInt64 + int64(step)
				}
				ReplaceKey(&blk, model[i], in)
				model[i] = in
				want := slices.Sorted(slices.Values(model))
				if !slices.Equal(blk[:n], want) {
					restore()
					t.Fatalf("%s n=%d step %d: %v, want %v", isa, n, step, blk[:n], want)
				}
				for _, v := range blk[n:] {
					if v != math.MaxInt64 {
						restore()
						t.Fatalf("%s n=%d step %d: padding %v", isa, n, step, blk[n:])
					}
				}
			}
		}
		restore()
	}
}

func BenchmarkReplaceKey(b *testing.B) {
	for _, isa := range ISAs() {
		b.Run(isa, func(b *testing.B) {
			defer SetISA(isa)()
			r := rand.New(rand.NewPCG(1, 2))
			const n = 21
			var blk [SmallKeys]int64
			ring := make([]int64, 1024)
			for i := range ring {
				ring[i] = r.Int64N(1 << 40)
			}
			for i := range blk {
				blk[i] = math.MaxInt64
			}
			copy(blk[:], ring[:n])
			slices.Sort(blk[:n])
			for i := 0; b.Loop(); i++ {
				ReplaceKey(&blk, ring[i%1024], ring[(i+n)%1024])
			}
		})
	}
}
