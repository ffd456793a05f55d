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
			wantIDs, wantHist := classifyRef(x, s)
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

// classifyRef is Classify's definition: a value's bucket is the count of
// splitters below its key; a NaN's is len(s)+1.
func classifyRef(x []float64, s []uint64) ([]uint16, []int) {
	ids, hist := make([]uint16, len(x)), make([]int, len(s)+2)
	for i, v := range x {
		id := len(s) + 1
		if v == v {
			id = 0
			for _, k := range s {
				if k < Key(v) {
					id++
				}
			}
		}
		ids[i] = uint16(id)
		hist[id]++
	}
	return ids, hist
}

// FuzzClassify checks every ISA against the definition on arbitrary
// values and splitters: the input's first byte gives the splitter count,
// the first values' keys (sorted) the splitters, and every value is also
// classified, so values equal to splitters are common.
func FuzzClassify(f *testing.F) {
	f.Add([]byte{3, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x80, 1, 2, 3, 4, 5, 6, 0xf8, 0x7f})
	f.Add(slices.Repeat([]byte{17, 0x55, 0xaa, 0x01, 0xfe, 0x7f, 0x80, 0x3c, 0xc3}, 40))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		x := make([]float64, (len(data)-1)/8)
		for i := range x {
			var u uint64
			for j := 0; j < 8; j++ {
				u |= uint64(data[1+8*i+j]) << (8 * j)
			}
			x[i] = math.Float64frombits(u)
		}
		var s []uint64
		for _, v := range x {
			if len(s) == int(data[0]) {
				break
			}
			if v == v {
				s = append(s, Key(v))
			}
		}
		slices.Sort(s)
		var sp Splitters
		sp.Set(s)
		wantIDs, wantHist := classifyRef(x, s)
		for _, isa := range ISAs() {
			restore := SetISA(isa)
			ids := slices.Repeat([]uint16{0xbeef}, len(x)+1)
			hist := make([]int, len(s)+3)
			Classify(x, ids, hist, &sp)
			restore()
			if !slices.Equal(ids[:len(x)], wantIDs) || ids[len(x)] != 0xbeef {
				t.Fatalf("%s: ids %v, want %v (splitters %#x)", isa, ids, wantIDs, s)
			}
			if !slices.Equal(hist[:len(s)+2], wantHist) || hist[len(s)+2] != 0 {
				t.Fatalf("%s: hist %v, want %v", isa, hist, wantHist)
			}
		}
	})
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
