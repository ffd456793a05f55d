package fmath

import (
	"math"

	"github.com/blockwise/blockwise/internal/mathtab"
)

// Pow returns x**y, the base-x exponential of y, as e^(y·log x) with
// log x to a relative 2^-75 and the product in double-double, so that
// results stay within 1 ulp even for x near 1 and huge y. A quick path
// (powQuick) gives the correctly rounded result for all but about 0.2% of
// common arguments, which take that accurate one.
//
// Pow(x, 2) is x*x and Pow(x, −1) is 1/x, bit for bit (the correctly
// rounded values, ties to even), so that a square is the same whichever
// way it is written.
//
// Special cases are (in order), as Go's math.Pow:
//
//	Pow(x, ±0) = 1 for any x
//	Pow(1, y) = 1 for any y
//	Pow(x, 1) = x for any x
//	Pow(NaN, y) = NaN
//	Pow(x, NaN) = NaN
//	Pow(±0, y) = ±Inf for y an odd integer < 0
//	Pow(±0, −Inf) = +Inf
//	Pow(±0, +Inf) = +0
//	Pow(±0, y) = +Inf for finite y < 0 and not an odd integer
//	Pow(±0, y) = ±0 for y an odd integer > 0
//	Pow(±0, y) = +0 for finite y > 0 and not an odd integer
//	Pow(−1, ±Inf) = 1
//	Pow(x, +Inf) = +Inf for |x| > 1
//	Pow(x, −Inf) = +0 for |x| > 1
//	Pow(x, +Inf) = +0 for |x| < 1
//	Pow(x, −Inf) = +Inf for |x| < 1
//	Pow(+Inf, y) = +Inf for y > 0
//	Pow(+Inf, y) = +0 for y < 0
//	Pow(−Inf, y) = Pow(−0, −y)
//	Pow(x, y) = NaN for finite x < 0 and finite non-integer y
func Pow(x, y float64) float64 {
	switch {
	case y == 2:
		return x * x // the correctly rounded square, ties to even
	case y == -1:
		return 1 / x // the correctly rounded reciprocal
	case y == 0 || x == 1:
		return 1
	case y == 1:
		return x
	case x != x || y != y:
		return math.NaN()
	case x == 0:
		odd := isOddInt(y)
		if y < 0 {
			if odd && math.Signbit(x) {
				return math.Inf(-1)
			}
			return math.Inf(1)
		}
		if odd {
			return x
		}
		return 0
	case math.IsInf(y, 0):
		switch {
		case x == -1:
			return 1
		case (math.Abs(x) < 1) == (y > 0):
			return 0
		}
		return math.Inf(1)
	case math.IsInf(x, 0):
		if x < 0 {
			return Pow(math.Copysign(0, -1), -y)
		}
		if y < 0 {
			return 0
		}
		return math.Inf(1)
	}
	neg := false
	if x < 0 {
		if y != math.Trunc(y) {
			return math.NaN()
		}
		neg = isOddInt(y)
		x = -x
	}
	r, ok := 0.0, false
	if x >= 0x1p-1022 {
		r, ok = powQuick(x, y)
	}
	if !ok {
		r = powAcc(x, y)
	}
	if neg {
		r = -r
	}
	return r
}

// powQuick is x**y for normal positive x and finite y with |y·log x| ≤
// ExpQuickMax by a short path: the quick log's h + l (and r³, the size of
// its error), times y in double-double, the quick exp of that, and Ziv's
// test with the error bound of mathtab.PowQuickErrR: ok is false unless
// the result's two bounds round to the same double, which is then the
// correctly rounded x**y; about 0.2% of arguments fail (more where |y| is
// in the thousands). The vector form in internal/asm takes these steps
// lane for lane.
func powQuick(x, y float64) (r float64, ok bool) {
	h, l, err, k := powQuickParts(x, y)
	if !(err <= 1) || h+(l+err) != h+(l-err) { // err is NaN off the path
		return 0, false
	}
	return math.Float64frombits(math.Float64bits(h+l) + uint64(k<<47)&^(31<<47)), true
}

// powQuickParts returns h, l, k and the error bound err with x**y = (h +
// l)·2^(k>>5) to err; err is +Inf or NaN where |y·log x| > ExpQuickMax or
// y is not finite.
func powQuickParts(x, y float64) (h, l, err float64, k int64) {
	lh, ll, r3 := logQuickParts(x)
	lh, ll = fastTwoSum(lh, ll) // ll holds r³·p(r) until normalized
	zh := y * lh
	zl := math.FMA(y, lh, -zh) + float64(y*ll)
	rh, rl, k := expQuickReduce(zh)
	// zl (up to 2^-45) joins rh, not rl: the series takes rl as first
	// order only, and rl·rh²/2 would be 2^-59.
	rh, e := twoSum(rh, zl)
	rl += e
	h, l = expSeries(mathtab.ExpQHi[k&31], mathtab.ExpQLo[k&31], rh, rl)
	az := math.Abs(zh)
	err = math.FMA(az, mathtab.PowQuickErrZ, math.FMA(math.Abs(float64(y*r3)), mathtab.PowQuickErrR, mathtab.ExpQuickErr))
	if !(az <= mathtab.ExpQuickMax) {
		err = math.Inf(1)
	}
	return h, l, err, k
}

// powAcc is x**y for finite x > 0 and finite y ≠ 0 on the accurate path.
func powAcc(x, y float64) float64 {
	lh, ll := logDD(x)
	zh := y * lh
	var r float64
	switch {
	case zh > 710: // also +Inf
		r = math.Inf(1)
	case zh < -746:
		r = 0
	default:
		zl := math.FMA(y, ll, math.FMA(y, lh, -zh))
		rh, rl, k := expReduce(zh, zl)
		r = scale(expKernel(rh, rl, k))
	}
	return r
}

// isOddInt reports whether y is an odd integer.
func isOddInt(y float64) bool {
	if math.Abs(y) >= 1<<53 { // even, or not finite
		return false
	}
	return y == math.Trunc(y) && int64(y)&1 == 1
}
