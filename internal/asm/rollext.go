package asm

import "math"

// RollExt8 computes rolling maxima, or minima when min is set, for runs of
// eight consecutive blocks of w window starts at once on AVX-512, by the van
// Herk/Gil-Werman decomposition (RollSum8's layout):
//
//	x:   the inputs from the first window's start, 8w·groups + w of them
//	out: the 8w·groups outputs; out[i] is the extremum of x[i : i+w]
//	     among its finite values: −Inf (max) or +Inf (min) when none is
//	suf: scratch of at least 8w
//
// Missing values (NaN, ±Inf) are skipped; the caller turns windows with
// fewer than min_periods finite values into NaN, and finite reports that x
// holds none (every window then has w finite values). A tie between +0 and
// −0 gives +0 for max and −0 for min, as Go's builtin max and min, so the
// results are rollExtGo's bit for bit. It reports ran = false, computing
// nothing, without AVX-512; callers then use their scalar loop.
func RollExt8(x, out, suf []float64, w int, min bool) (ran, finite bool) {
	groups := len(out) / (8 * w)
	if w < 1 || groups < 1 || len(out) != 8*w*groups || len(x) != len(out)+w || len(suf) < 8*w {
		panic("asm.RollExt8: bad lengths")
	}
	if level != lvlAVX512 {
		return false, false
	}
	raceBlocks(x, out, suf[:8*w])
	// A clean run needs no masks: one scan (~0.1 ns a value) saves four
	// operations on every load. neg (−0 for minima) is the sign flip.
	switch finite = allBelowAVX2(x, 1); {
	case finite && min:
		rollMin8CleanAVX512(x, out, suf[:8*w], w, groups, math.Copysign(0, -1))
	case finite:
		rollMax8CleanAVX512(x, out, suf[:8*w], w, groups, 0)
	case min:
		rollExt8AVX512(x, out, suf[:8*w], w, groups, math.Copysign(0, -1))
	default:
		rollExt8AVX512(x, out, suf[:8*w], w, groups, 0)
	}
	return true, finite
}

// rollExtGo is RollExt8's reference, one block pair of w outputs at a
// time: suffix extrema of the block from the right, then prefix extrema of
// the next block, each output the extremum of the two.
func rollExtGo(x, out []float64, w int, min bool) {
	suf := make([]float64, w)
	for b := 0; b < len(out); b += w {
		rollExtBlockGo(x[b:b+2*w-1], out[b:b+w], suf, min)
	}
}

// rollExtBlockGo is one block pair: x holds the 2w−1 values of the windows
// starting at x[0] .. x[w−1], out their w extrema.
func rollExtBlockGo(x, out, suf []float64, min bool) {
	w := len(out)
	pick, worst := maxf, math.Inf(-1)
	if min {
		pick, worst = minf, math.Inf(1)
	}
	skip := func(v float64) float64 {
		if v-v != 0 {
			return worst
		}
		return v
	}
	m := worst
	for t := w - 1; t >= 0; t-- {
		m = pick(m, skip(x[t]))
		suf[t] = m
	}
	p := worst
	for t := 0; t < w; t++ {
		if t > 0 {
			p = pick(p, skip(x[w+t-1]))
		}
		out[t] = pick(suf[t], p)
	}
}

func minf(a, b float64) float64 { return min(a, b) }
func maxf(a, b float64) float64 { return max(a, b) }
