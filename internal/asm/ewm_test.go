package asm

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestEWMRun checks EWMRun on every ISA bit for bit against the Go
// passes, and against the plain chain it replaces (within 1e-13
// relative), over decays from 0.001 to 0.999, both weightings (adjusted:
// u0 = 1; not: r0 + u0 = 1), starting states, offsets and spikes.
func TestEWMRun(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, alpha := range []float64{0.001, 0.0952, 0.5, 0.999} {
		for _, adjust := range []bool{true, false} {
			r0, u0 := 1-alpha, 1.0
			if !adjust {
				r0, u0 = 1-alpha, alpha
			}
			tab := NewEWMTable(r0, u0)
			for trial := range 4 {
				x, xb, xo := guarded(EWMLen, trial, func(i int) float64 {
					if i%101 == 7 {
						return 1e12
					}
					return 1e8*float64(trial%2) + r.NormFloat64()
				})
				w1, s1 := 0.0, 0.0
				if trial >= 2 {
					w1, s1 = 3.5, 3.5*(1e8*float64(trial%2)+0.25)
				}
				want := make([]float64, EWMLen)
				ewmRunGo(x, want, &tab, w1, s1)
				// The chain.
				cw, cs := w1, s1
				chain := make([]float64, EWMLen)
				for j, v := range x {
					cw = math.FMA(r0, cw, u0)
					cs = math.FMA(r0, cs, float64(u0*v))
					chain[j] = cs / cw
				}
				for _, isa := range ISAs() {
					restore := SetISA(isa)
					d, db, do := guarded(EWMLen, 3*(1-trial%2), func(int) float64 { return guard }) // odd trials: aligned, streaming stores
					gw, gs := EWMRun(x, d, &tab, w1, s1, trial%2 == 1)
					restore()
					what := fmt.Sprintf("%s alpha=%v adjust=%v trial %d", isa, alpha, adjust, trial)
					checkGuards(t, what, db, do, EWMLen)
					checkGuards(t, what, xb, xo, EWMLen)
					for j := range d {
						if math.Float64bits(d[j]) != math.Float64bits(want[j]) {
							t.Fatalf("%s [%d]: %v, Go passes %v", what, j, d[j], want[j])
						}
						if e := math.Abs(d[j]-chain[j]) / math.Abs(chain[j]); e > 1e-13 {
							t.Fatalf("%s [%d]: %v, chain %v (%.2g relative)", what, j, d[j], chain[j], e)
						}
					}
					if math.Abs(gw-cw) > 1e-13*cw || math.Abs(gs-cs) > 1e-13*math.Abs(cs) {
						t.Fatalf("%s: state (%v, %v), chain (%v, %v)", what, gw, gs, cw, cs)
					}
				}
			}
		}
	}
}

// ewmRunGo is EWMRun with the Go passes.
func ewmRunGo(x, d []float64, tab *EWMTable, w1, s1 float64) {
	defer SetISA(ISA())()
	SetISA("go")
	EWMRun(x, d, tab, w1, s1, false)
}

func BenchmarkEWMRun(b *testing.B) {
	tab := NewEWMTable(0.9, 1)
	x, d := make([]float64, EWMLen), make([]float64, EWMLen)
	for i := range x {
		x[i] = float64(i % 17)
	}
	for _, isa := range ISAs() {
		b.Run(isa, func(b *testing.B) {
			defer SetISA(isa)()
			b.SetBytes(16 * EWMLen)
			w, s := 1.0, 1.0
			for b.Loop() {
				w, s = EWMRun(x, d, &tab, w, s, false)
				w, s = w/1024, s/1024
			}
		})
	}
}

// FuzzEWMRun checks EWMRun's AVX-512 passes against the Go passes bit for
// bit on values from the bytes (repeated to a run; NaN, ±Inf and |x| >
// 1e200 replaced by small integers) and decays from 1/65537 to 1.
func FuzzEWMRun(f *testing.F) {
	f.Add(uint16(9000), bytesOf(1, 2, 3, -4, 1e8, 1e12))
	f.Add(uint16(1), bytesOf(0, math.Copysign(0, -1), 1e-300, 5e-324))
	f.Add(uint16(65535), bytesOf(1e300, -1e300, 3))
	f.Fuzz(func(t *testing.T, a uint16, data []byte) {
		if len(data) < 8 || !CountLanes() {
			return
		}
		alpha := (float64(a) + 1) / 65537
		tab := NewEWMTable(1-alpha, 1)
		x := make([]float64, EWMLen)
		for i := range x {
			j := 8 * (i % (len(data) / 8))
			v := math.Float64frombits(binary.LittleEndian.Uint64(data[j:]))
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e200 {
				v = float64(int8(data[j]))
			}
			x[i] = v
		}
		want := make([]float64, EWMLen)
		ewmRunGo(x, want, &tab, 0, 0)
		got := make([]float64, EWMLen)
		EWMRun(x, got, &tab, 0, 0, a%2 == 1)
		for j := range got {
			if math.Float64bits(got[j]) != math.Float64bits(want[j]) {
				t.Fatalf("[%d]: %v, Go passes %v", j, got[j], want[j])
			}
		}
	})
}
