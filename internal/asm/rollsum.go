package asm

import "math"

// RollSum4 computes rolling sums or means for four consecutive blocks of w
// window starts at once, by the van Herk/Gil-Werman decomposition with
// compensated scans (see kernels/rolling.go for the scheme):
//
//	x:   the 5w inputs from the first window's start (all present)
//	out: the 4w outputs, out[k·w + t] for lane k, window start x[k·w + t]
//	suf: scratch of 12w
//
// A result is NaN where fewer than minp values of its window are finite;
// mean divides by the count. It reports false, computing nothing, when this
// build or CPU has no vector version; callers then use their scalar loop,
// which performs the same operations in the same order (rollSum4Go).
func RollSum4(x, out, suf []float64, w int, mean bool, minp float64) bool {
	if w < 1 || len(x) != 5*w || len(out) != 4*w || len(suf) < 12*w {
		panic("asm.RollSum4: bad lengths")
	}
	switch level {
	case lvlAVX512, lvlAVX2:
		if allFiniteAVX2(x) {
			// Every window holds w values: the same sums without masks
			// or counts.
			rollSum4CleanAVX2(x, out, suf[:8*w], w, mean)
		} else {
			rollSum4AVX2(x, out, suf[:12*w], w, mean, minp)
		}
		return true
	}
	return false
}

// AllFinite reports whether x holds no NaN and no ±Inf.
func AllFinite(x []float64) bool {
	switch level {
	case lvlAVX512, lvlAVX2:
		return allFiniteAVX2(x)
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
	nan := math.Float64frombits(0x7ff8000000000001)
	for k := 0; k < 4; k++ {
		lx := x[k*w : k*w+2*w]
		sufS, sufC, sufN := make([]float64, w), make([]float64, w), make([]float64, w)
		var s, c, n float64
		for t := w - 1; t >= 0; t-- {
			v, one := lx[t], 1.0
			if v-v != 0 {
				v, one = 0, 0
			}
			tt := s + v
			z := tt - s
			c += (s - (tt - z)) + (v - z)
			s = tt
			n += one
			sufS[t], sufC[t], sufN[t] = s, c, n
		}
		s, c, n = 0, 0, 0
		for t := 0; t < w; t++ {
			if t > 0 {
				v, one := lx[w+t-1], 1.0
				if v-v != 0 {
					v, one = 0, 0
				}
				tt := s + v
				z := tt - s
				c += (s - (tt - z)) + (v - z)
				s = tt
				n += one
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
			out[k*w+t] = sum
		}
	}
}
