package asm

import (
	"encoding/binary"
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

// maskedVarCase builds an input for RollVar4Masked: offset data with
// spikes, a share of missing values (NaN, ±Inf), and each block's shift
// as kernels picks it (the common element, else a nearby finite value),
// or, for far, a shift 1e6 away on some blocks so that windows reach the
// exact path.
func maskedVarCase(r *rand.Rand, w, groups int, missing float64, far bool) (x, ks []float64, common []bool) {
	x = make([]float64, 4*w*groups+w)
	for i := range x {
		switch u := r.Float64(); {
		case u < missing*0.8:
			x[i] = math.NaN()
		case u < missing:
			x[i] = math.Inf(1 - 2*r.IntN(2))
		case i%97 == 13:
			x[i] = 1e12
		default:
			x[i] = 1e8 + r.NormFloat64()
		}
	}
	ks, common = make([]float64, 4*groups), make([]bool, 4*groups)
	for j := range ks {
		c := j*w + w - 1
		ks[j], common[j] = x[c], true
		if x[c]-x[c] != 0 {
			common[j] = false
			ks[j] = 0
			for d := 1; d < w; d++ {
				if v := x[c-d]; v-v == 0 {
					ks[j] = v
					break
				}
				if v := x[c+d]; v-v == 0 {
					ks[j] = v
					break
				}
			}
		}
		if far && j%3 == 1 {
			ks[j], common[j] = ks[j]+1e6, false
		}
	}
	return x, ks, common
}

// TestRollVar4MaskedMatchesGo checks the masked variance kernel against
// its Go reference on every ISA, with guard bands: missing values at
// several densities, min_periods, ddof, std, and shifts that are not the
// common element (windows sent to the exact path carry VarExactBits).
func TestRollVar4MaskedMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	sawExact := false
	for _, w := range []int{1, 2, 3, 5, 8, 20, 64, 333} {
		for _, missing := range []float64{0, 0.1, 0.5, 1} {
			for _, std := range []bool{false, true} {
				ddof := int(r.IntN(3))
				minp := []int{0, 1, (w + 1) / 2, w}[r.IntN(4)]
				groups := 1 + r.IntN(3)
				if w == 1 {
					groups = 20 // more than one call of sixteen groups
				}
				x0, ks, common := maskedVarCase(r, w, groups, missing, missing == 0.1)
				x, xb, xo := guarded(len(x0), w%8, func(i int) float64 { return x0[i] })
				n := 4 * w * groups
				want := make([]float64, n)
				wantExact := rollVar4MaskedGo(x, want, ks, common, w, std, minp, ddof)
				sawExact = sawExact || wantExact
				for _, isa := range ISAs() {
					restore := SetISA(isa)
					out, ob, oo := guarded(n, (w+5)%8, func(int) float64 { return guard })
					ran, exact := RollVar4Masked(x, out, make([]float64, 20*w), ks, common, w, std, minp, ddof)
					restore()
					if ran != (isa != "go") {
						t.Fatalf("%s: RollVar4Masked ran = %v", isa, ran)
					}
					if !ran {
						continue
					}
					what := fmt.Sprintf("%s w=%d missing=%v std=%v ddof=%d minp=%d", isa, w, missing, std, ddof, minp)
					if exact != wantExact {
						t.Fatalf("%s: exact = %v, Go reference %v", what, exact, wantExact)
					}
					checkGuards(t, what, ob, oo, n)
					checkGuards(t, what, xb, xo, len(x0))
					for i := range out {
						if math.Float64bits(out[i]) != math.Float64bits(want[i]) {
							t.Fatalf("%s [%d]: %v (%#x), Go reference %v (%#x)", what, i, out[i], math.Float64bits(out[i]), want[i], math.Float64bits(want[i]))
						}
					}
				}
			}
		}
	}
	if !sawExact {
		t.Fatal("no window reached the exact path: the test does not cover it")
	}
}

// FuzzRollVar4Masked checks the masked variance kernel against its Go
// reference on arbitrary values (missing ones included), windows 1–12,
// min_periods, ddof and std; with mode&2 the values are small offsets from
// 1e8 (the kernel's common case), with mode&4 some shifts are moved far
// from the data so that windows reach the exact path.
func FuzzRollVar4Masked(f *testing.F) {
	f.Add(byte(3), byte(0), byte(1), bytesOf(1, 2, math.NaN(), 4, 5, 6, 7, 8))
	f.Add(byte(5), byte(6), byte(2), bytesOf(1e8, math.Inf(1), 1e8-1, 1e8+0.5, math.NaN()))
	f.Add(byte(0), byte(1), byte(0), bytesOf(0, math.Copysign(0, -1), 1e-300, 5e-324, 1e150))
	f.Fuzz(func(t *testing.T, wb, mode, pb byte, data []byte) {
		if len(data) < 8 {
			return
		}
		w := 1 + int(wb%12)
		groups := 1 + int(wb>>4)%3
		std := mode&1 != 0
		ddof := int(pb % 3)
		minp := int(pb>>2) % (w + 2)
		raw := make([]float64, len(data)/8)
		for i := range raw {
			raw[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
			if mode&2 != 0 && raw[i]-raw[i] == 0 {
				raw[i] = 1e8 + float64(int8(data[8*i])) + float64(data[8*i+1])/256
			}
		}
		x := make([]float64, 4*w*groups+w)
		for i := range x {
			x[i] = raw[(i*7+int(mode>>3))%len(raw)]
		}
		ks, common := make([]float64, 4*groups), make([]bool, 4*groups)
		for j := range ks {
			c := j*w + w - 1
			ks[j], common[j] = x[c], x[c]-x[c] == 0
			if !common[j] {
				ks[j] = 0
				for _, v := range x[j*w : j*w+2*w-1] {
					if v-v == 0 {
						ks[j] = v
						break
					}
				}
			}
			if mode&4 != 0 && j%2 == 1 {
				ks[j], common[j] = ks[j]*2+1e3, false
			}
		}
		n := 4 * w * groups
		want := make([]float64, n)
		wantExact := rollVar4MaskedGo(x, want, ks, common, w, std, minp, ddof)
		for _, isa := range ISAs() {
			restore := SetISA(isa)
			out := make([]float64, n)
			ran, exact := RollVar4Masked(x, out, make([]float64, 20*w), ks, common, w, std, minp, ddof)
			restore()
			if !ran {
				continue
			}
			if exact != wantExact {
				t.Fatalf("%s w=%d: exact = %v, Go reference %v", isa, w, exact, wantExact)
			}
			for i := range out {
				if math.Float64bits(out[i]) != math.Float64bits(want[i]) {
					t.Fatalf("%s w=%d std=%v ddof=%d minp=%d [%d]: %v, Go reference %v (x = %v)", isa, w, std, ddof, minp, i, out[i], want[i], x)
				}
			}
		}
	})
}
