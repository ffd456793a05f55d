package asm

import (
	"math"
	"math/bits"

	"github.com/blockwise/blockwise/internal/race"
)

// RollSum4 computes rolling sums or means for runs of four consecutive
// blocks of w window starts at once (four lanes), by the van Herk/Gil-Werman
// decomposition with compensated scans (see kernels/rolling.go):
//
//	x:   the inputs from the first window's start, 4w·groups + w of them
//	     (all present: no padding, no clipping)
//	out: the 4w·groups outputs; out[i] is the window starting at x[i]
//	suf: scratch of 12w
//
// A result is NaN where fewer than minp values of its window are finite;
// mean divides by the count. It reports false, computing nothing, when this
// build or CPU has no vector version; callers then use their scalar loop,
// which performs the same operations in the same order (rollSum4Go).
func RollSum4(x, out, suf []float64, w int, mean bool, minp float64) bool {
	groups := len(out) / (4 * w)
	if w < 1 || groups < 1 || len(out) != 4*w*groups || len(x) != len(out)+w || len(suf) < 12*w {
		panic("asm.RollSum4: bad lengths")
	}
	if level != lvlAVX512 && level != lvlAVX2 {
		return false
	}
	raceBlocks(x, out, suf[:12*w])
	switch sumInput(x, w) {
	case sumClean:
		rollSum4CleanAVX2(x, out, suf[:8*w], w, groups, mean)
	case sumMasked:
		rollSum4AVX2(x, out, suf[:12*w], w, groups, mean, minp)
	default:
		return false
	}
	return true
}

// sumInput is which kernel a run of sums takes, from one or two pre-scans:
// all finite and small enough, the clean kernel (every window holds w
// values: no masks, no counts, and w ≥ minp, which the callers' windows
// guarantee); every finite value small enough, the masked kernel; else
// none (values large enough to overflow a scan).
func sumInput(x []float64, w int) sumPath {
	switch {
	case allBelowAVX2(x, SumScale(w)):
		return sumClean
	case finiteBelowAVX2(x, SumScale(w)):
		return sumMasked
	}
	return sumRefused
}

type sumPath uint8

const (
	sumRefused sumPath = iota
	sumClean
	sumMasked
)

// SumScale is the power of two s for which inputs with every |x|·s finite
// cannot overflow the compensated scans of a block pair of w windows:
// |x| < 2^1023 / (2w). The kernels refuse other inputs, and the caller's
// scalar loop, which handles overflow, runs instead; it rescales by 1/s a
// block that overflowed (w then counting every value of its windows, edge
// copies included: any w ≥ 1 up to math.MaxInt).
func SumScale(w int) float64 { return math.Ldexp(1, bits.Len(uint(w))+2) }

// VarScale is SumScale for variances: Σ(x − K)² over up to 2w values, with
// |x − K| ≤ 2|x|, stays below 2^1023 when every |x|·s is finite.
func VarScale(w int) float64 { return math.Ldexp(1, 1024-(1023-(bits.Len(uint(w))+3))/2) }

// RollSum8 is RollSum4 on runs of eight consecutive blocks on AVX-512
// (len(out) = 8w·groups, len(x) = len(out) + w, len(suf) ≥ 24w), missing
// values and min_periods included. It reports false, computing nothing,
// without AVX-512, and, as RollSum4, for inputs so large (|x| ≥
// 2^1023/(2w)) that a scan could overflow. Lanes are independent, so the
// results are RollSum4's (and rollSum4Go's) bit for bit.
func RollSum8(x, out, suf []float64, w int, mean bool, minp float64) bool {
	groups := len(out) / (8 * w)
	if w < 1 || groups < 1 || len(out) != 8*w*groups || len(x) != len(out)+w || len(suf) < 24*w {
		panic("asm.RollSum8: bad lengths")
	}
	if level != lvlAVX512 {
		return false
	}
	raceBlocks(x, out, suf[:24*w])
	switch sumInput(x, w) {
	case sumClean:
		if mean {
			rollMean8CleanAVX512(x, out, suf[:16*w], w, groups)
		} else {
			rollSum8CleanAVX512(x, out, suf[:16*w], w, groups)
		}
	case sumMasked:
		rollSum8AVX512(x, out, suf[:24*w], w, groups, mean, minp)
	default:
		return false
	}
	return true
}

// AllFinite reports whether x holds no NaN and no ±Inf.
func AllFinite(x []float64) bool {
	switch level {
	case lvlAVX512, lvlAVX2:
		if race.Enabled {
			race.Read(x)
		}
		return allBelowAVX2(x, 1)
	}
	for _, v := range x {
		if v-v != 0 {
			return false
		}
	}
	return true
}

// rollSum4Go is RollSum4's reference, lane by lane, in the kernel's order.
func rollSum4Go(x, out []float64, w int, mean bool, minp float64) {
	for k := 0; k < 4; k++ {
		sumBlockGo(x[k*w:k*w+2*w-1], out[k*w:(k+1)*w], w, mean, minp)
	}
}

// SumStep is the scan step of every rolling-sum kernel: v joins the
// compensated sum s + c (TwoSum: c gathers each addition's exact error) and
// the count n grows by one; a missing value (NaN, ±Inf) adds 0 and counts 0.
func SumStep(s, c, n, v float64) (float64, float64, float64) {
	one := 1.0
	if v-v != 0 {
		v, one = 0, 0
	}
	t := s + v
	z := t - s
	c += (s - (t - z)) + (v - z)
	return t, c, n + one
}

// sumBlockGo is one lane's block pair of every rolling-sum kernel: x holds
// the 2w−1 values of the windows starting at x[0] .. x[w−1], out their w
// results.
func sumBlockGo(x, out []float64, w int, mean bool, minp float64) {
	nan := math.Float64frombits(0x7ff8000000000001)
	sufS, sufC, sufN := make([]float64, w), make([]float64, w), make([]float64, w)
	var s, c, n float64
	add := func(v float64) { s, c, n = SumStep(s, c, n, v) }
	for t := w - 1; t >= 0; t-- {
		add(x[t])
		sufS[t], sufC[t], sufN[t] = s, c, n
	}
	s, c, n = 0, 0, 0
	for t := 0; t < w; t++ {
		if t > 0 {
			add(x[w+t-1])
		}
		cnt := sufN[t] + n
		tt := sufS[t] + s
		z := tt - sufS[t]
		e := (sufS[t] - (tt - z)) + (s - z)
		sum := tt + (e + (sufC[t] + c))
		if mean {
			sum /= cnt
		}
		if cnt < minp {
			sum = nan
		}
		out[t] = sum
	}
}
