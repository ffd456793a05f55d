package fmath

import "math"

// Double-double helpers: a value is hi + lo with |lo| ≤ ulp(hi)/2. The
// functions are written so that the compiler never contracts a product
// into a sum (float64(x*y) + z), which would change bits between builds.

// twoSum returns s = fl(a+b) and e with s + e = a + b exactly.
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

// fastTwoSum is twoSum for |a| ≥ |b| (or a = 0).
func fastTwoSum(a, b float64) (s, e float64) {
	s = a + b
	e = b - (s - a)
	return s, e
}

// twoProd returns p = fl(a·b) and e with p + e = a·b exactly (barring
// underflow).
func twoProd(a, b float64) (p, e float64) {
	p = float64(a * b) // rounded here: never fused into a later sum
	e = math.FMA(a, b, -p)
	return p, e
}

// mulDD returns (ah + al)·(bh + bl) as hi + lo, dropping al·bl.
func mulDD(ah, al, bh, bl float64) (hi, lo float64) {
	hi, lo = twoProd(ah, bh)
	return hi, lo + math.FMA(ah, bl, float64(al*bh))
}

// pow2 returns 2^k for −1022 ≤ k ≤ 1023.
func pow2(k int) float64 { return math.Float64frombits(uint64(k+1023) << 52) }
