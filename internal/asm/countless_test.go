package asm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCountLess2 checks every ISA against the definition on lengths 0–40
// and 1001, keys equal to elements, below and above them all, and the
// extreme int64s, with guard bands around a.
func TestCountLess2(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var lengths []int
	for n := 0; n <= 40; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range append(lengths, 1001) {
		back := make([]int64, n+32)
		for i := range back {
			back[i] = -1 << 63 // guards: below every probe
		}
		a := back[16 : 16+n]
		for i := range a {
			a[i] = r.Int64N(41) - 20
		}
		if n%3 == 0 && n > 0 {
			a[0], a[len(a)-1] = -1<<63, 1<<63-1
		}
		slices.Sort(a)
		probes := []int64{-21, -20, -1, 0, 1, 20, 21, -1 << 63, 1<<63 - 1}
		for _, x := range probes {
			for _, y := range probes {
				wx, wy := 0, 0
				for _, v := range a {
					if v < x {
						wx++
					}
					if v < y {
						wy++
					}
				}
				for _, isa := range ISAs() {
					restore := SetISA(isa)
					cx, cy := CountLess2(a, x, y)
					restore()
					if cx != wx || cy != wy {
						t.Fatalf("%s n=%d x=%d y=%d: (%d, %d), want (%d, %d)", isa, n, x, y, cx, cy, wx, wy)
					}
				}
			}
		}
	}
}

func BenchmarkCountLess2(b *testing.B) {
	for _, n := range []int{21, 128, 1001} {
		a := make([]int64, n)
		for i := range a {
			a[i] = int64(i)
		}
		for _, isa := range ISAs() {
			b.Run(fmt.Sprintf("n=%d/%s", n, isa), func(b *testing.B) {
				defer SetISA(isa)()
				s := 0
				for i := 0; b.Loop(); i++ {
					x, y := CountLess2(a, int64(i%n), int64((i*7)%n))
					s += x + y
				}
				_ = s
			})
		}
	}
}

// lowerRef is the first index of a whose key is ≥ x.
func lowerRef(a []int64, x int64) int {
	p := 0
	for p < len(a) && a[p] < x {
		p++
	}
	return p
}

// TestSearchKeys2 checks SearchKeys2's bounds against a plain search on
// sorted keys with runs of ties, laid out in blocks of random fill (full
// ones too), probing every key, its neighbours and the extremes: the slot
// must be the key's rank once each block's slots past its keys are
// skipped.
func TestSearchKeys2(t *testing.T) {
	if !CountLanes() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(9, 10))
	lengths := []int{1001, 2048, 4097}
	for n := 1; n <= 300; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		keys := make([]int64, n)
		for i := range keys {
			keys[i] = r.Int64N(int64(n)/2+1)*1000 - 1<<40
		}
		if n > 2 {
			keys[0] = -1 << 63
		}
		slices.Sort(keys)
		// Blocks of 1..KeyBlock keys (all full when n%4 == 0).
		var fills []int
		for left := n; left > 0; {
			f := KeyBlock
			if n%4 != 0 {
				f = 1 + r.IntN(KeyBlock)
			}
			f = min(f, left)
			fills = append(fills, f)
			left -= f
		}
		idx := make([]int64, (len(fills)+7)/8*8)
		a := make([]int64, len(idx)*KeyBlock)
		for i := range a {
			a[i] = 1<<63 - 1
		}
		rank := make([]int, len(idx)+1) // keys before block j
		k := 0
		for j := range idx {
			idx[j] = 1<<63 - 1
			rank[j] = k
			if j < len(fills) {
				copy(a[j*KeyBlock:], keys[k:k+fills[j]])
				idx[j] = keys[k]
				k += fills[j]
			}
		}
		rank[len(idx)] = n
		var probes []int64
		for _, v := range keys {
			probes = append(probes, v, v-1, v+1)
		}
		probes = append(probes, -1<<63, 1<<63-2)
		for i, x := range probes {
			y := probes[(i*7+3)%len(probes)]
			px, py := SearchKeys2(a, idx, x, y)
			gx, gy := rank[px/KeyBlock]+px%KeyBlock, rank[py/KeyBlock]+py%KeyBlock
			if wx, wy := lowerRef(keys, x), lowerRef(keys, y); gx != wx || gy != wy {
				t.Fatalf("n=%d x=%d y=%d: slots (%d, %d) are ranks (%d, %d), want (%d, %d)", n, x, y, px, py, gx, gy, wx, wy)
			}
		}
	}
}

func BenchmarkSearchKeys2(b *testing.B) {
	if !CountLanes() {
		b.Skip("no AVX-512")
	}
	const nb = 32
	idx := make([]int64, 40)
	a := make([]int64, len(idx)*KeyBlock)
	for j := range idx {
		idx[j] = 1<<63 - 1
		for i := range KeyBlock {
			a[j*KeyBlock+i] = 1<<63 - 1
			if j < nb && i < 32 {
				a[j*KeyBlock+i] = int64(j*32 + i)
			}
		}
		if j < nb {
			idx[j] = a[j*KeyBlock]
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	probes := make([]int64, 1024)
	for i := range probes {
		probes[i] = r.Int64N(nb * 32)
	}
	s := 0
	for i := 0; b.Loop(); i++ {
		x, y := SearchKeys2(a, idx, probes[i&1023], probes[(i+1)&1023])
		s += x + y
	}
	_ = s
}
