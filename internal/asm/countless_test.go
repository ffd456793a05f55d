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

// TestSearchKeys2 checks SearchKeys2's bounds against a plain search on
// sorted keys with runs of ties, for every length to 300 and a few
// longer, probing every key, its neighbours and the extremes.
func TestSearchKeys2(t *testing.T) {
	if !CountLanes() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(9, 10))
	lower := func(a []int64, x int64) int {
		p := 0
		for p < len(a) && a[p] < x {
			p++
		}
		return p
	}
	lengths := []int{1001, 2048, 4097}
	for n := 1; n <= 300; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		blocks := (n + KeyBlock - 1) / KeyBlock
		a := make([]int64, blocks*KeyBlock)
		for i := range n {
			a[i] = r.Int64N(int64(n)/2+1)*1000 - 1<<40
		}
		if n > 2 {
			a[0] = -1 << 63
		}
		slices.Sort(a[:n])
		for i := n; i < len(a); i++ {
			a[i] = 1<<63 - 1
		}
		idx := make([]int64, (blocks+7)/8*8)
		for j := range idx {
			idx[j] = 1<<63 - 1
			if j < blocks {
				idx[j] = a[KeyBlock*j]
			}
		}
		var probes []int64
		for _, v := range a[:n] {
			probes = append(probes, v, v-1, v+1)
		}
		probes = append(probes, -1<<63, 1<<63-2)
		for i, x := range probes {
			y := probes[(i*7+3)%len(probes)]
			px, py := SearchKeys2(a, idx, n, x, y)
			if wx, wy := lower(a[:n], x), lower(a[:n], y); px != wx || py != wy {
				t.Fatalf("n=%d x=%d y=%d: (%d, %d), want (%d, %d)", n, x, y, px, py, wx, wy)
			}
		}
	}
}
