package fmath

import (
	"math"

	"github.com/blockwise/blockwise/internal/mathtab"
)

// Tanh returns the hyperbolic tangent of x.
//
// Special cases: Tanh(±0) = ±0, Tanh(±Inf) = ±1, Tanh(NaN) = NaN.
func Tanh(x float64) float64 {
	if x == 0 || x != x {
		return x
	}
	ax := math.Abs(x)
	if ax <= mathtab.TanhQuickMax {
		if y, ok := tanhQuick(ax); ok {
			return math.Copysign(y, x)
		}
	}
	return tanhAcc(x)
}

// tanhAcc is Tanh by the accurate path alone.
func tanhAcc(x float64) float64 {
	if x == 0 || x != x {
		return x
	}
	ax := math.Abs(x)
	if ax > 22 {
		// 1 − tanh|x| < 2e^(−2|x|) < 2^-63: rounds to 1.
		return math.Copysign(1, x)
	}
	// tanh|x| = E/(E + 2) with E = e^(2|x|) − 1, divided in double-double.
	eh, el := expm1DD(2 * ax)
	dh, dl := twoSum(2, eh)
	dl += el
	q := eh / dh
	rh := math.FMA(-q, dh, eh) // exact remainder
	rl := el - float64(q*dl)
	y := q + (rh+rl)/dh
	return math.Copysign(y, x)
}

// tanhQuick is tanh a for 0 < a ≤ TanhQuickMax by a short path: e^(2a) =
// 2^n·E' from the quick exp's reduction, table and series, with 2^-n
// subtracted from E' before its first rounding (exact: the table value in E' is
// on the grid of 2^-52, n ≤ 52), so that M = E' − 2^-n = (e^(2a) − 1)·2^-n
// keeps its relative accuracy near 0; then tanh a = M/(M + 2^(1−n)) in
// double-double, and Ziv's test with the bound of mathtab.TanhQuickErr.
// About 0.1% of arguments (those with 2a just past a multiple of ln2/32
// near 0) fail the test and take the accurate path.
func tanhQuick(a float64) (y float64, ok bool) {
	yh, yl, err := tanhQuickParts(a)
	y = yh + yl
	if yh+(yl+err) != yh+(yl-err) {
		return 0, false
	}
	return y, true
}

// tanhQuickParts returns tanh a as yh + yl and a bound err on its error.
func tanhQuickParts(a float64) (yh, yl, err float64) {
	rh, rl, k := expQuickReduce(2 * a)
	th, tl := mathtab.ExpQHi[k&31], mathtab.ExpQLo[k&31]
	s := pow2(-int(k >> 5))
	q, t := expSeriesT(rh, rl)
	ph, pl := twoProd(th, rh)
	h, e := fastTwoSum(th-s, ph) // th − s exact; |th − s| ≥ |ph| or th = s
	// M = h + l, normalized: the division below drops l·dl.
	h, l := fastTwoSum(h, e+(pl+math.FMA(th, t, math.FMA(tl, rh, tl))))
	dh, de := twoSum(h, 2*s)
	dl := de + l
	yh = h / dh
	rem := math.FMA(-yh, dh, h) // exact
	yl = ((rem + l) - float64(yh*dl)) / dh
	err = math.FMA(q, mathtab.TanhQuickErrQ, float64(math.Abs(yh)*mathtab.TanhQuickErr))
	return yh, yl, err
}
