package asm

import (
	"encoding/binary"
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
// guard bands: it must run exactly on AVX-512 and AVX2, and give the reference's
// bits (±0 ties, windows without a finite value, missing values skipped).
func TestRollExtMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	// Windows around multiples of 8 and 4: the kernels step eight
	// (AVX-512) or four (AVX2) at a time (suffix: w mod 8 or 4 single
	// steps first; prefix: (w−1) mod 8 or 4 last).
	for _, w := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 16, 17, 20, 64, 333} {
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
				// min_periods of none, one, part of the window, all of it
				// and more: windows short of it are NaN.
				for _, minp := range []int{0, 1, (w + 1) / 2, w, w + 1} {
					want := make([]float64, n)
					rollExtGo(x, want, w, min, minp)
					for _, isa := range ISAs() {
						restore := SetISA(isa)
						out, ob, oo := guarded(n, (w+3)%8, func(int) float64 { return guard })
						ok, fin := RollExt8(x, out, make([]float64, 8*w), w, min, minp)
						restore()
						if ok != (isa != "go") {
							t.Fatalf("%s: RollExt8 ran = %v", isa, ok)
						}
						if !ok {
							continue
						}
						if fin != clean {
							t.Fatalf("%s w=%d: RollExt8 finite = %v on clean = %v data", isa, w, fin, clean)
						}
						what := fmt.Sprintf("RollExt8 %s w=%d min=%v clean=%v minp=%d", isa, w, min, clean, minp)
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
}

// TestRollExtGoSigns pins the reference itself: a window of +0 and −0 has
// max +0 and min −0; one without finite values NaN, whatever min_periods.
func TestRollExtGoSigns(t *testing.T) {
	nz := math.Copysign(0, -1)
	x := []float64{0, nz, nz, math.NaN(), math.Inf(1)}
	out := make([]float64, 3)
	for _, c := range []struct {
		min  bool
		want []float64
	}{
		{false, []float64{0, nz, math.NaN()}},
		{true, []float64{nz, nz, math.NaN()}},
	} {
		rollExtGo(x[:len(out)+2-1], out[:2], 2, c.min, 0)
		rollExtGo(x[3:5], out[2:3], 1, c.min, 0)
		for i := range out {
			if math.Float64bits(out[i]) != math.Float64bits(c.want[i]) {
				t.Fatalf("min=%v: out[%d] = %v, want %v", c.min, i, out[i], c.want[i])
			}
		}
	}
}

// FuzzRollExt checks RollExt8 against rollExtGo on arbitrary values (NaN,
// ±Inf, ±0 and ties among them) on every ISA: the bytes give the window
// (1–12), min or max, min_periods and the values, repeated to fill one to
// three groups; with mode&2 the values are small integers and ±0, so that
// ties are common.
func FuzzRollExt(f *testing.F) {
	f.Add(byte(3), byte(0), byte(2), bytesOf(1, 2, 3, 4, 5, 6, 7, 8))
	f.Add(byte(4), byte(1), byte(0), bytesOf(0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1)))
	f.Add(byte(11), byte(2), byte(11), bytesOf(math.NaN(), 1, math.NaN(), math.NaN(), -1, math.NaN()))
	f.Fuzz(func(t *testing.T, wb, mode, mb byte, data []byte) {
		if len(data) < 8 {
			return
		}
		w := 1 + int(wb%12)
		groups := 1 + int(mode>>4)%3
		minp := int(mb) % (w + 2)
		min := mode&1 != 0
		raw := make([]float64, len(data)/8)
		for i := range raw {
			raw[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
			if mode&2 != 0 {
				raw[i] = []float64{-1, math.Copysign(0, -1), 0, 1, math.NaN()}[data[8*i]%5]
			}
		}
		n := 8 * w * groups
		x := make([]float64, n+w)
		for i := range x {
			x[i] = raw[i%len(raw)]
		}
		want := make([]float64, n)
		rollExtGo(x, want, w, min, minp)
		for _, isa := range ISAs() {
			restore := SetISA(isa)
			out := make([]float64, n)
			ok, _ := RollExt8(x, out, make([]float64, 8*w), w, min, minp)
			restore()
			if !ok {
				continue
			}
			for i := range out {
				if math.Float64bits(out[i]) != math.Float64bits(want[i]) {
					t.Fatalf("%s w=%d min=%v minp=%d [%d]: %v, Go reference %v (x = %v)", isa, w, min, minp, i, out[i], want[i], x)
				}
			}
		}
	})
}

// TestMaskMinPeriods checks the AVX-512 path's min_periods pass, which
// this test can run on any machine, against rollExtGo's recount.
func TestMaskMinPeriods(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for _, w := range []int{1, 2, 5, 20} {
		x := make([]float64, 200+w-1)
		for i := range x {
			x[i] = extInputValue(r, false)
		}
		for _, minp := range []int{0, 1, w / 2, w, w + 1} {
			got := make([]float64, 200)
			for i := range got {
				got[i] = 7
			}
			maskMinPeriods(x, got, w, minp)
			want := make([]float64, 200)
			rollExtGo(x, want, w, false, minp)
			for i := range got {
				if math.IsNaN(got[i]) != math.IsNaN(want[i]) {
					t.Fatalf("w=%d minp=%d [%d]: %v, want NaN = %v", w, minp, i, got[i], math.IsNaN(want[i]))
				}
			}
		}
	}
}
