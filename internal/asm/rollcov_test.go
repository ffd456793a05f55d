package asm

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestRollCov8MatchesGo checks RollCov8 bit for bit against rollCov8Go on
// offset data with spikes, around multiples of eight, with guard bands,
// and that it reports the same groups done.
func TestRollCov8MatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, w := range []int{1, 2, 3, 7, 8, 9, 16, 17, 50, 333} {
		for _, corr := range []bool{false, true} {
			for _, ddof := range []int{0, 1} {
				if w <= ddof {
					continue
				}
				groups := 1 + w%3
				n := 8*w*groups + w
				x, xb, xo := guarded(n, w%8, func(i int) float64 {
					if i%97 == 13 {
						return 1e12 // spikes
					}
					return 1e8 + r.NormFloat64() // offset data
				})
				y, yb, yo := guarded(n, (w+3)%8, func(i int) float64 {
					return -3e5 + float64(i%7) + r.NormFloat64()
				})
				want := make([]float64, 8*w*groups)
				div := float64(w) - float64(ddof)
				wantDone := rollCov8Go(x, y, want, w, corr, div)
				for _, isa := range ISAs() {
					restore := SetISA(isa)
					out, ob, oo := guarded(8*w*groups, (w+5)%8, func(int) float64 { return guard })
					done := RollCov8(x, y, out, make([]float64, 80*w), w, corr, div)
					restore()
					if isa != "avx512" {
						if done != 0 {
							t.Fatalf("%s: RollCov8 did %d groups", isa, done)
						}
						continue
					}
					what := fmt.Sprintf("%s w=%d corr=%v ddof=%d", isa, w, corr, ddof)
					if done != wantDone {
						t.Fatalf("%s: %d groups done, Go reference %d", what, done, wantDone)
					}
					checkGuards(t, what, ob, oo, 8*w*groups)
					checkGuards(t, what, xb, xo, n)
					checkGuards(t, what, yb, yo, n)
					for i := range out[:8*w*done] {
						if math.Float64bits(out[i]) != math.Float64bits(want[i]) {
							t.Fatalf("%s [%d]: %v, Go reference %v", what, i, out[i], want[i])
						}
					}
				}
			}
		}
	}
}

// TestRollCov8Stops: a missing value, an infinity, a co-moment that
// cancels, and correlations whose moments' product leaves the range stop
// the kernel at the group holding them, as the reference does.
func TestRollCov8Stops(t *testing.T) {
	if !CovLanes() {
		t.Skip("no AVX-512")
	}
	const w, groups = 5, 4
	n := 8*w*groups + w
	base := func() ([]float64, []float64) {
		r := rand.New(rand.NewPCG(3, 4))
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i], y[i] = r.NormFloat64(), r.NormFloat64()
		}
		return x, y
	}
	cases := []struct {
		name  string
		corr  bool
		edit  func(x, y []float64)
		group int // the group it stops at
	}{
		{"clean", false, func(x, y []float64) {}, groups},
		{"NaN", false, func(x, y []float64) { x[2*8*w+7] = math.NaN() }, 2},
		{"NaN in the last window", false, func(x, y []float64) { y[n-2] = math.NaN() }, 3},
		{"+Inf", true, func(x, y []float64) { y[8*w+w+1] = math.Inf(1) }, 1},
		{"-Inf shift", false, func(x, y []float64) { x[w-1] = math.Inf(-1) }, 0},
		{"cancelled", false, func(x, y []float64) {
			// Patterns of period w, orthogonal and of mean 0: every
			// window of them has a co-moment of 0 against terms of ~1.
			xp, yp := [w]float64{1, 1, 1, -2, -1}, [w]float64{1, -1, 1, 2, -3}
			for i := 3*8*w + w - 1; i < n; i++ {
				x[i], y[i] = xp[i%w], yp[i%w]
			}
		}, 3},
		{"moments overflow", true, func(x, y []float64) {
			for i := 8*w + w - 1; i < 2*8*w+w; i++ {
				x[i], y[i] = x[i]*1e160, y[i]*1e160
			}
		}, 1},
		{"moments underflow", true, func(x, y []float64) {
			for i := 2*8*w + w - 1; i < 3*8*w+w; i++ {
				x[i], y[i] = x[i]*1e-160, y[i]*1e-160
			}
		}, 2},
	}
	for _, c := range cases {
		x, y := base()
		c.edit(x, y)
		want := make([]float64, 8*w*groups)
		wantDone := rollCov8Go(x, y, want, w, c.corr, w-1)
		out := make([]float64, 8*w*groups)
		done := RollCov8(x, y, out, make([]float64, 80*w), w, c.corr, w-1)
		if wantDone != c.group || done != c.group {
			t.Errorf("%s: done %d, Go reference %d, want %d", c.name, done, wantDone, c.group)
			continue
		}
		for i := range out[:8*w*done] {
			if math.Float64bits(out[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%s [%d]: %v, Go reference %v", c.name, i, out[i], want[i])
			}
		}
	}
}

// FuzzRollCov8 checks RollCov8 against rollCov8Go on arbitrary values:
// the bytes give the window (1–8), the mode and the pairs, repeated to
// fill the groups; with mode&2 the pairs are decoded as small offsets
// from a base, so that most windows stay on the kernel's path.
func FuzzRollCov8(f *testing.F) {
	f.Add(byte(3), byte(0), bytesOf(1, 2, 3, 4, 5, 6, 7, 8))
	f.Add(byte(5), byte(3), bytesOf(1e8, 1e8+1, 1e8-1, 1e8+0.5, 1e8))
	f.Add(byte(2), byte(1), bytesOf(0, math.Copysign(0, -1), math.NaN(), math.Inf(1), 1e300, 1e-300, 5e-324))
	f.Fuzz(func(t *testing.T, wb, mode byte, data []byte) {
		if !CovLanes() || len(data) < 16 {
			return
		}
		w := 1 + int(wb%8)
		n := 16*w + w // two groups
		raw := make([]float64, len(data)/8)
		for i := range raw {
			raw[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
			if mode&2 != 0 {
				raw[i] = 1e8 + float64(int8(data[8*i])) + float64(data[8*i+1])/256
			}
		}
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i], y[i] = raw[i%len(raw)], raw[(3*i+1)%len(raw)]
			if mode&4 != 0 {
				y[i] = -y[i] * 3
			}
		}
		corr := mode&1 != 0
		want := make([]float64, 16*w)
		wantDone := rollCov8Go(x, y, want, w, corr, float64(w))
		out := make([]float64, 16*w)
		done := RollCov8(x, y, out, make([]float64, 80*w), w, corr, float64(w))
		if done != wantDone {
			t.Fatalf("w=%d corr=%v: %d groups done, Go reference %d", w, corr, done, wantDone)
		}
		for i := range out[:8*w*done] {
			if math.Float64bits(out[i]) != math.Float64bits(want[i]) {
				t.Fatalf("w=%d corr=%v [%d]: %v, Go reference %v", w, corr, i, out[i], want[i])
			}
		}
	})
}
