package fmath

import (
	"math"

	"github.com/blockwise/blockwise/internal/mathtab"
)

// expReduce splits xh + xl (|xh| ≤ 1100) into k·ln2/2^ExpBits + (rh + rl),
// |rh + rl| ≤ ln2/2^(ExpBits+1) + 2^-40, returning k.
func expReduce(xh, xl float64) (rh, rl float64, k int) {
	z := math.FMA(xh, mathtab.InvLn2N, mathtab.Shifter)
	k = int(int64(math.Float64bits(z)) - mathtab.ShifterBits)
	kf := z - mathtab.Shifter
	r0 := xh - float64(kf*mathtab.Ln2NHi) // exact: kf·mathtab.Ln2NHi has at most 53 bits, and Sterbenz
	p, pe := twoProd(kf, mathtab.Ln2NLo)
	rh, e := twoSum(r0, -p)
	return rh, (e - pe) + xl, k
}

// expKernel returns h, l and n with e^(rh+rl) · 2^(k/2^ExpBits) =
// 2^n · (h + l), h + l in [0.99, 2.01): to 2^-70 of the result, set by the
// roundings of l, which holds the series' quadratic term (about 2^-18).
func expKernel(rh, rl float64, k int) (h, l float64, n int) {
	j := k & (1<<7 - 1)
	h, l = expSeries(mathtab.ExpTab[j][0], mathtab.ExpTab[j][1], rh, rl)
	return h, l, k >> 7
}

// expSeries returns (th + tl)·e^(rh+rl) as h + l, the step both exp
// paths share: e^r − 1 − rh = q + rl·(1 + rh), q = rh²·(E2 + rh·(E3 + …)),
// then th·(1 + rh) in double-double and the rest added to its low part.
func expSeries(th, tl, rh, rl float64) (h, l float64) {
	_, t := expSeriesT(rh, rl)
	ph, pl := twoProd(th, rh)
	h, e := fastTwoSum(th, ph)
	l = e + (pl + math.FMA(th, t, math.FMA(tl, rh, tl)))
	return h, l
}

// expSeriesT returns q = rh²·(E2 + rh·(E3 + …)) and t = e^r − 1 − rh =
// q + rl·(1 + rh): the series that expSeries and tanhQuickParts share.
func expSeriesT(rh, rl float64) (q, t float64) {
	p := math.FMA(rh, mathtab.E7, mathtab.E6)
	p = math.FMA(rh, p, mathtab.E5)
	p = math.FMA(rh, p, mathtab.E4)
	p = math.FMA(rh, p, mathtab.E3)
	p = math.FMA(rh, p, mathtab.E2)
	q = float64(float64(rh*rh) * p)
	return q, q + math.FMA(rl, rh, rl)
}

// expQuick is e^x for |x| ≤ ExpQuickMax by a short path: the reduction
// x = k·ln2/32 + rh + rl in three FMAs, a 32-entry table (held in
// registers by the vector form), the series of expKernel, and Ziv's test:
// ok is false unless h + l ± ExpQuickErr round to the same double, which
// is then the correctly rounded e^x. About 0.2% of arguments fail the test
// and take the accurate path. The vector form in internal/asm takes these
// steps lane for lane.
func expQuick(x float64) (y float64, ok bool) {
	h, l, k := expQuickParts(x)
	y = h + l
	if h+(l+mathtab.ExpQuickErr) != h+(l-mathtab.ExpQuickErr) {
		return 0, false
	}
	// 2^n, n = k >> 5, added to the exponent: bits 52 on of k << 47.
	return math.Float64frombits(math.Float64bits(y) + uint64(k<<47)&^(31<<47)), true
}

// expQuickParts returns h, l and k with e^x = (h + l)·2^(k>>5) to
// mathtab.ExpQuickErr, h + l in [0.989, 2.023).
func expQuickParts(x float64) (h, l float64, k int64) {
	rh, rl, k := expQuickReduce(x)
	h, l = expSeries(mathtab.ExpQHi[k&31], mathtab.ExpQLo[k&31], rh, rl)
	return h, l, k
}

// expQuickReduce splits x = k·ln2/32 + rh + rl in three FMAs, the quick
// exp's reduction (tanhQuickParts' too).
func expQuickReduce(x float64) (rh, rl float64, k int64) {
	z := math.FMA(x, mathtab.InvLn2Q, mathtab.Shifter)
	k = int64(math.Float64bits(z)) - mathtab.ShifterBits
	kf := z - mathtab.Shifter
	r0 := math.FMA(-kf, mathtab.Ln2QHi, x) // exact: k·Ln2QHi has 50 bits, and Sterbenz
	rh = math.FMA(-kf, mathtab.Ln2QLo, r0)
	rl = math.FMA(-kf, mathtab.Ln2QLo, r0-rh)
	return rh, rl, k
}

// scale returns (h + l)·2^n rounded once, for h + l in [0.99, 2.01) and
// −1080 ≤ n ≤ 1025: +Inf above the range, and the correctly rounded
// subnormal or zero below it.
func scale(h, l float64, n int) float64 {
	if n > -1022 {
		y := h + l
		if n > 1020 {
			return y * pow2(n-2) * 4
		}
		return y * pow2(n)
	}
	if n == -1022 {
		if y := h + l; y >= 1 {
			return y * 0x1p-1022
		}
	}
	// The result is subnormal: round h + l once onto the subnormal grid,
	// which 1 + (h + l)·2^(n+1022) has as its own (spacing 2^-52).
	s := pow2(max(n+1022, -1000))
	hi, e := twoSum(1, float64(h*s))
	y := hi + (e + float64(l*s))
	return (y - 1) * 0x1p-1022
}

// Exp returns e^x.
//
// Special cases: Exp(+Inf) = +Inf, Exp(−Inf) = 0, Exp(NaN) = NaN; results
// beyond the largest float64 are +Inf and those below the smallest
// subnormal round to 0.
func Exp(x float64) float64 {
	switch {
	case x > 710:
		return math.Inf(1)
	case !(x > -746): // also NaN
		if x != x {
			return x
		}
		return 0
	}
	if x >= -mathtab.ExpQuickMax && x <= mathtab.ExpQuickMax {
		if y, ok := expQuick(x); ok {
			return y
		}
	}
	rh, rl, k := expReduce(x, 0)
	h, l, n := expKernel(rh, rl, k)
	return scale(h, l, n)
}

// Exp2 returns 2^x.
//
// Special cases as Exp.
func Exp2(x float64) float64 {
	switch {
	case x >= 1025:
		return math.Inf(1)
	case !(x > -1080):
		if x != x {
			return x
		}
		return 0
	}
	// x = k/2^ExpBits + r exactly, |r| ≤ 2^-(ExpBits+1).
	z := float64(x*(1<<7)) + mathtab.Shifter
	k := int(int64(math.Float64bits(z)) - mathtab.ShifterBits)
	r := x - float64((z-mathtab.Shifter)*0x1p-7)
	rh, rl := twoProd(r, mathtab.Ln2FullHi)
	rl = math.FMA(r, mathtab.Ln2FullLo, rl)
	h, l, n := expKernel(rh, rl, k)
	return scale(h, l, n)
}

// expm1DD returns e^x − 1 as hi + lo for −38 ≤ x ≤ 690, to a relative
// 2^-70.
func expm1DD(x float64) (hi, lo float64) {
	if math.Abs(x) < 0x1p-8 {
		// x + x²/2 in double-double, then x³·(1/6 + x/24 + …).
		s2h, s2l := twoProd(x, x)
		p := math.FMA(x, mathtab.E7, mathtab.E6)
		p = math.FMA(x, p, mathtab.E5)
		p = math.FMA(x, p, mathtab.E4)
		p = math.FMA(x, p, mathtab.E3)
		c := float64(float64(s2h*x) * p)
		h, e := fastTwoSum(x, float64(0.5*s2h))
		return fastTwoSum(h, e+(float64(0.5*s2l)+c))
	}
	rh, rl, k := expReduce(x, 0)
	h, l, n := expKernel(rh, rl, k)
	s, e := twoSum(h, -pow2(-n))
	s, e = fastTwoSum(s, e+l)
	p := pow2(n)
	return float64(s * p), float64(e * p)
}

// Expm1 returns e^x − 1, accurate also where x is near 0.
//
// Special cases: Expm1(±0) = ±0, Expm1(+Inf) = +Inf, Expm1(−Inf) = −1,
// Expm1(NaN) = NaN; results beyond the largest float64 are +Inf.
func Expm1(x float64) float64 {
	switch {
	case x > 690:
		if x > 710 {
			return math.Inf(1)
		}
		// e^x − 1 and e^x differ by far less than their ulp.
		rh, rl, k := expReduce(x, 0)
		return scale(expKernel(rh, rl, k))
	case !(x >= -38):
		if x != x {
			return x
		}
		return -1 // e^x < 2^-54: −1 + e^x rounds to −1
	case x == 0:
		return x // keeps −0
	}
	hi, lo := expm1DD(x)
	return hi + lo
}
