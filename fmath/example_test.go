package fmath_test

import (
	"fmt"
	"math"

	"github.com/blockwise/blockwise/fmath"
)

// Where Go's math package drifts, fmath gives the correctly rounded value
// (checked against 1600-bit arithmetic in the tests).
func Example() {
	// x near 1 with a large exponent: math.Pow is off by 1.9e9 ulps.
	fmt.Println(fmath.Pow(1.0000000001, 1e12), math.Pow(1.0000000001, 1e12))
	// The logarithm of a subnormal: math.Log is off by about 3e14 ulps.
	fmt.Println(fmath.Log(5e-324))
	// Just below the overflow threshold the result is finite; math.Exp says +Inf.
	fmt.Println(fmath.Exp(709.78), math.Exp(709.78))
	// Output:
	// 2.6881393700484107e+43 2.6881384049168604e+43
	// -744.4400719213812
	// 1.7928227943945155e+308 +Inf
}
