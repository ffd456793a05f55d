package asm

import "math"

// RollExt8 computes rolling maxima, or minima when min is set, for runs of
// eight consecutive blocks of w window starts, by the van Herk/Gil-Werman
// decomposition (RollSum8's layout): on AVX-512 the eight blocks run in
// eight lanes, on AVX2 in two passes of four.
//
//	x:   the inputs from the first window's start, 8w·groups + w of them
//	out: the 8w·groups outputs; out[i] is the extremum of x[i : i+w]
//	     among its finite values, or NaN where x[i : i+w] holds fewer
//	     than minp finite values or none
//	suf: scratch of at least 8w
//
// Missing values (NaN, ±Inf) are skipped; finite reports that x holds
// none (every window then has w finite values). A tie between +0 and −0
// gives +0 for max and −0 for min, as Go's builtin max and min, so the
// results are rollExtGo's bit for bit. It reports ran = false, computing
// nothing, without AVX2; callers then use their scalar loop.
func RollExt8(x, out, suf []float64, w int, min bool, minp int) (ran, finite bool) {
	groups := len(out) / (8 * w)
	if w < 1 || groups < 1 || len(out) != 8*w*groups || len(x) != len(out)+w || len(suf) < 8*w {
		panic("asm.RollExt8: bad lengths")
	}
	if level != lvlAVX512 && level != lvlAVX2 {
		return false, false
	}
	raceBlocks(x, out, suf[:8*w])
	// A clean run needs no masks and no counts: one scan (~0.1 ns a
	// value) saves four operations on every load. neg (−0 for minima) is
	// the sign flip.
	finite = allBelowAVX2(x, 1)
	if finite && minp > w {
		fillNaN(out) // no window holds enough values
		return true, true
	}
	neg := extSign(min)
	if level == lvlAVX2 {
		// The masked kernel counts too: a window is NaN where its count
		// plus bias is negative.
		bias := -float64(max(minp, 1))
		switch s := suf[:8*w]; {
		case finite && min:
			rollMin4CleanAVX2(x, out, s, w, 2*groups, neg, bias)
		case finite:
			rollMax4CleanAVX2(x, out, s, w, 2*groups, neg, bias)
		default:
			rollExt4AVX2(x, out, s, w, 2*groups, neg, bias)
		}
		return true, finite
	}
	switch s := suf[:8*w]; {
	case finite && min:
		rollMin8CleanAVX512(x, out, s, w, groups, neg)
	case finite:
		rollMax8CleanAVX512(x, out, s, w, groups, neg)
	default:
		rollExt8AVX512(x, out, s, w, groups, neg)
		maskMinPeriods(x, out, w, minp)
	}
	return true, finite
}

// extSign is the kernels' sign flip: −0 for minima (negated maxima), +0
// for maxima.
func extSign(min bool) float64 {
	if min {
		return math.Copysign(0, -1)
	}
	return 0
}

// maskMinPeriods sets out[i] to NaN where x[i : i+w] holds fewer than minp
// finite values, or none, sliding the count.
func maskMinPeriods(x, out []float64, w, minp int) {
	count := 0
	for _, v := range x[:w-1] {
		count += finiteBit(v)
	}
	nan := math.NaN()
	for i := range out {
		count += finiteBit(x[i+w-1])
		if count < minp || count == 0 {
			out[i] = nan
		}
		count -= finiteBit(x[i])
	}
}

func finiteBit(v float64) int {
	if v-v == 0 {
		return 1
	}
	return 0
}

func fillNaN(out []float64) {
	nan := math.NaN()
	for i := range out {
		out[i] = nan
	}
}

// rollExtGo is RollExt8's reference, one block pair of w outputs at a
// time: suffix extrema of the block from the right, then prefix extrema of
// the next block, each output the extremum of the two; then min_periods,
// counting each window afresh.
func rollExtGo(x, out []float64, w int, min bool, minp int) {
	suf := make([]float64, w)
	for b := 0; b < len(out); b += w {
		rollExtBlockGo(x[b:b+2*w-1], out[b:b+w], suf, min)
	}
	for i := range out {
		count := 0
		for _, v := range x[i : i+w] {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				count++
			}
		}
		if count < minp || count == 0 {
			out[i] = math.NaN()
		}
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
