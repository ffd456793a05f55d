package fmath

import "math"

// Tanh returns the hyperbolic tangent of x.
//
// Special cases: Tanh(±0) = ±0, Tanh(±Inf) = ±1, Tanh(NaN) = NaN.
func Tanh(x float64) float64 {
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
