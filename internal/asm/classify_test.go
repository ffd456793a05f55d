package asm

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestClassify checks Classify against its definition (a count of the
// splitters below each key) on every ISA: values equal to splitters, ±0,
// ±Inf, NaNs of both signs and any payload, every splitter count from none
// to 255, and lengths around the kernel's eight-value steps. ids past
// len(x) and hist past the buckets must stay untouched.
func TestClassify(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 12))
	nans := []float64{math.NaN(), math.Copysign(math.NaN(), -1), math.Float64frombits(0x7ff0_0000_0000_0001), math.Float64frombits(0xffff_ffff_ffff_ffff)}
	for _, ns := range []int{0, 1, 2, 15, 16, 17, 31, 127, 128, 254, 255} {
		s := make([]uint64, ns)
		vals := make([]float64, ns)
		for i := range s {
			vals[i] = math.Ldexp(r.NormFloat64(), r.IntN(40)-20)
			if i%9 == 4 && i > 0 {
				vals[i] = vals[i-1] // repeated splitters
			}
		}
		if ns > 3 {
			vals[0], vals[1], vals[2] = math.Inf(-1), math.Copysign(0, -1), math.Inf(1)
		}
		for i, v := range vals {
			s[i] = Key(v)
		}
		slices.Sort(s)
		var sp Splitters
		sp.Set(s)
		for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 33, 1000} {
			x := make([]float64, n)
			for i := range x {
				switch r.IntN(6) {
				case 0:
					if ns > 0 {
						x[i] = vals[r.IntN(ns)] // equal to a splitter
						continue
					}
				case 1:
					x[i] = nans[r.IntN(len(nans))]
					continue
				case 2:
					x[i] = []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.MaxFloat64, -math.MaxFloat64, 5e-324}[r.IntN(7)]
					continue
				}
				x[i] = math.Ldexp(r.NormFloat64(), r.IntN(44)-22)
			}
			wantIDs := make([]uint16, n)
			wantHist := make([]int, ns+2)
			for i, v := range x {
				id := ns + 1
				if v == v {
					id = 0
					for _, k := range s {
						if k < Key(v) {
							id++
						}
					}
				}
				wantIDs[i] = uint16(id)
				wantHist[id]++
			}
			for _, isa := range ISAs() {
				restore := SetISA(isa)
				ids := slices.Repeat([]uint16{0xbeef}, n+9)
				hist := make([]int, ns+5)
				hist[ns+2] = 77
				Classify(x, ids, hist, &sp)
				restore()
				if !slices.Equal(ids[:n], wantIDs) {
					for i := range wantIDs {
						if ids[i] != wantIDs[i] {
							t.Fatalf("%s ns=%d n=%d: ids[%d] = %d for %v (key %#x), want %d", isa, ns, n, i, ids[i], x[i], Key(x[i]), wantIDs[i])
						}
					}
				}
				for i := n; i < len(ids); i++ {
					if ids[i] != 0xbeef {
						t.Fatalf("%s ns=%d n=%d: ids[%d] written past x", isa, ns, n, i)
					}
				}
				if !slices.Equal(hist[:ns+2], wantHist) || hist[ns+2] != 77 || hist[ns+3] != 0 {
					t.Fatalf("%s ns=%d n=%d: hist %v, want %v", isa, ns, n, hist, wantHist)
				}
			}
		}
	}
}

// TestSplittersSetPanics: splitters that are not ascending keys of values
// (NaN keys of either sign, a descent, too many) are a programmer error.
func TestSplittersSetPanics(t *testing.T) {
	for name, s := range map[string][]uint64{
		"+NaN":     {Key(0), Key(math.NaN())},
		"-NaN":     {Key(math.Copysign(math.NaN(), -1)), Key(0)},
		"descent":  {Key(2), Key(1)},
		"too many": make([]uint64, MaxSplitters+1),
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: Set did not panic", name)
				}
			}()
			var sp Splitters
			sp.Set(s)
		}()
	}
}

func BenchmarkClassify(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	s := make([]uint64, 255)
	for i := range s {
		s[i] = Key(r.NormFloat64())
	}
	slices.Sort(s)
	var sp Splitters
	sp.Set(s)
	x := make([]float64, 1<<15)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	ids, hist := make([]uint16, len(x)), make([]int, 257)
	for _, isa := range ISAs() {
		b.Run(isa, func(b *testing.B) {
			defer SetISA(isa)()
			b.SetBytes(8 * int64(len(x)))
			for b.Loop() {
				Classify(x, ids, hist, &sp)
			}
		})
	}
}
