package asm

import "math"

// RollVar8 computes rolling variances (std when std is set) of all-finite
// data for runs of eight consecutive blocks of w window starts, eight lanes
// at once (len(out) = 8w·groups, len(x) = len(out) + w, len(suf) ≥ 32w,
// div = w − ddof > 0), by the scheme of kernels/rolling.go: per block pair,
// shift by K = the block's last value, compensated suffix and prefix scans
// of y and of y² (split exactly with FMA), joined, m2 = max(Σy² −
// Σy·(Σy/w), 0), divided by div. It reports false, computing nothing,
// without AVX-512, when x holds a NaN or ±Inf, or when some |x| is large
// enough (≳ 2^511/√(8w)) for Σy² to overflow; rollVar8Go is its reference.
func RollVar8(x, out, suf []float64, w int, std bool, div float64) bool {
	groups := len(out) / (8 * w)
	if w < 1 || groups < 1 || len(out) != 8*w*groups || len(x) != len(out)+w || len(suf) < 32*w || !(div > 0) {
		panic("asm.RollVar8: bad arguments")
	}
	raceBlocks(x, out, suf[:32*w])
	if level != lvlAVX512 || !allBelowAVX2(x, VarScale(w)) {
		return false
	}
	rollVar8CleanAVX512(x, out, suf[:32*w], w, groups, std, div)
	return true
}

// RollVar4 is RollVar8 on four lanes for AVX2 (len(out) = 4w·groups,
// len(x) = len(out) + w, len(suf) ≥ 16w); the same bits. It reports false,
// computing nothing, without AVX2 or when x holds a NaN or ±Inf.
func RollVar4(x, out, suf []float64, w int, std bool, div float64) bool {
	groups := len(out) / (4 * w)
	if w < 1 || groups < 1 || len(out) != 4*w*groups || len(x) != len(out)+w || len(suf) < 16*w || !(div > 0) {
		panic("asm.RollVar4: bad arguments")
	}
	raceBlocks(x, out, suf[:16*w])
	if (level != lvlAVX2 && level != lvlAVX512) || !allBelowAVX2(x, VarScale(w)) {
		return false
	}
	rollVar4CleanAVX2(x, out, suf[:16*w], w, groups, std, div)
	return true
}

// rollVar8Go is RollVar8's (and RollVar4's) reference, one block pair at a time.
func rollVar8Go(x, out []float64, w int, std bool, div float64) {
	type st struct{ s1, c1, s2, c2 float64 }
	add := func(a *st, y float64) {
		twoSum := func(s, c *float64, v float64) {
			t := *s + v
			z := t - *s
			*c += (*s - (t - z)) + (v - z)
			*s = t
		}
		twoSum(&a.s1, &a.c1, y)
		// float64(...) rounds the square before twoSum adds it: without
		// it GOAMD64=v3 fuses s + y*y once twoSum is inlined.
		p := float64(y * y)
		pe := math.FMA(y, y, -p)
		twoSum(&a.s2, &a.c2, p)
		a.c2 += pe
	}
	join := func(as, ac, bs, bc float64) float64 {
		t := as + bs
		z := t - as
		e := (as - (t - z)) + (bs - z)
		return t + (e + (ac + bc))
	}
	cnt := float64(w)
	for blk := 0; blk+w <= len(out); blk += w {
		k := x[blk+w-1]
		suf := make([]st, w)
		var acc st
		for t := w - 1; t >= 0; t-- {
			add(&acc, x[blk+t]-k)
			suf[t] = acc
		}
		var pre st
		for t := 0; t < w; t++ {
			if t > 0 {
				add(&pre, x[blk+w+t-1]-k)
			}
			s1 := join(suf[t].s1, suf[t].c1, pre.s1, pre.c1)
			s2 := join(suf[t].s2, suf[t].c2, pre.s2, pre.c2)
			v := max(s2-s1*(s1/cnt), 0) / div
			if std {
				v = math.Sqrt(v)
			}
			out[blk+t] = v
		}
	}
}
