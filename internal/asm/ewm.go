package asm

import (
	"math"
	"unsafe"

	"github.com/blockwise/blockwise/internal/race"
)

// EWMLanes and EWMSteps shape EWMRun: a run of EWMLen values is EWMLanes
// lanes of EWMSteps consecutive values each.
const (
	EWMLanes = 8
	EWMSteps = 64
	EWMLen   = EWMLanes * EWMSteps
)

// EWMTable holds what EWMRun needs of the recurrence w' = r0·w + u0,
// s' = r0·s + u0·x: P[k] = r0^(k+1) (by repeated rounded products) and
// V[k], the weight k+1 steps give from nothing (V[0] = u0, V[k] =
// FMA(r0, V[k−1], u0)).
type EWMTable struct {
	R0, U0 float64
	P, V   [EWMSteps]float64
}

// NewEWMTable fills an EWMTable.
func NewEWMTable(r0, u0 float64) EWMTable {
	t := EWMTable{R0: r0, U0: u0}
	p, v := 1.0, 0.0
	for k := range EWMSteps {
		p = float64(p * r0)
		v = math.FMA(r0, v, u0)
		t.P[k], t.V[k] = p, v
	}
	return t
}

// EWMRun advances an exponentially weighted mean over EWMLen values x,
// all finite, from the state (w1, s1) of the recurrence
//
//	w1 = FMA(r0, w1, u0); s1 = FMA(r0, s1, u0·x[j]); d[j] = s1 / w1
//
// and returns the state after them; it computes the same values by lanes
// rather than in one chain, so its results differ from the chain's by
// rounding (a few ulps: every term is within EWMSteps roundings of
// exact). Lane l covers x[l·EWMSteps:][:EWMSteps]: its sums from nothing,
// t[k] = FMA(r0, t[k−1], u0·x) (pass one, the lanes side by side in a
// vector); the lanes' carries S_l = FMA(P[63], S_(l−1), t_(l−1)[63]) in
// order; then d = FMA(P[k], S_l, t[k]) / FMA(P[k], W_l, V[k]) (pass two).
// The same bits on every ISA; AVX-512 runs the passes in vectors, and
// with nt writes d with streaming stores when it is 64-byte aligned (for
// outputs far beyond the cache). It panics unless len(x) = len(d) =
// EWMLen.
func EWMRun(x, d []float64, tab *EWMTable, w1, s1 float64, nt bool) (float64, float64) {
	if len(x) != EWMLen || len(d) != EWMLen {
		panic("asm.EWMRun: bad lengths")
	}
	var t [EWMLen]float64 // step-major: t[k·EWMLanes + l]
	if level == lvlAVX512 {
		race.Read(x)
		ewmLocalAVX512(&x[0], &t, tab.R0, tab.U0)
	} else {
		ewmLocalGo(x, &t, tab.R0, tab.U0)
	}
	var sc, wc [EWMLanes]float64
	p := tab.P[EWMSteps-1]
	for l := range EWMLanes {
		sc[l], wc[l] = s1, w1
		s1 = math.FMA(p, s1, t[(EWMSteps-1)*EWMLanes+l])
		w1 = math.FMA(p, w1, tab.V[EWMSteps-1])
	}
	if level == lvlAVX512 {
		race.Write(d)
		nt = nt && uintptr(unsafe.Pointer(&d[0]))%64 == 0
		ewmFixAVX512(&t, &d[0], tab, &sc, &wc, nt)
	} else {
		ewmFixGo(&t, d, tab, &sc, &wc)
	}
	return w1, s1
}

func ewmLocalGo(x []float64, t *[EWMLen]float64, r0, u0 float64) {
	var acc [EWMLanes]float64 // eight chains side by side, for the pipeline
	for k := range EWMSteps {
		for l := range EWMLanes {
			acc[l] = math.FMA(r0, acc[l], float64(u0*x[l*EWMSteps+k]))
			t[k*EWMLanes+l] = acc[l]
		}
	}
}

func ewmFixGo(t *[EWMLen]float64, d []float64, tab *EWMTable, sc, wc *[EWMLanes]float64) {
	for l := range EWMLanes {
		for k := range EWMSteps {
			num := math.FMA(tab.P[k], sc[l], t[k*EWMLanes+l])
			den := math.FMA(tab.P[k], wc[l], tab.V[k])
			d[l*EWMSteps+k] = num / den
		}
	}
}
