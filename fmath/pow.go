package fmath

import "math"

// Pow returns x**y, the base-x exponential of y, as e^(y·log x) with
// log x to a relative 2^-75 and the product in double-double, so that
// results stay within 1 ulp even for x near 1 and huge y.
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
	if neg {
		r = -r
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
