// Package bigmath evaluates the elementary functions in arbitrary precision
// with math/big. It is slow and allocates; it exists to generate and check
// the tables of package fmath, and as the exact reference of its tests.
//
// Every function works at the precision Prec (bits), far beyond float64, so
// rounding its result to float64 gives the correctly rounded value except
// in cases closer to a rounding boundary than 2^-Prec, of which there are
// none among the tables' arguments.
package bigmath

import (
	"math"
	"math/big"
	"sync"
)

// Prec is the working precision in bits: enough for the 1408 bits of 2/π
// that fmath tabulates.
const Prec = 1600

// New returns x as a big.Float at precision Prec.
func New(x float64) *big.Float { return new(big.Float).SetPrec(Prec).SetFloat64(x) }

func newf() *big.Float { return new(big.Float).SetPrec(Prec) }

func add(a, b *big.Float) *big.Float { return newf().Add(a, b) }
func sub(a, b *big.Float) *big.Float { return newf().Sub(a, b) }
func mul(a, b *big.Float) *big.Float { return newf().Mul(a, b) }
func quo(a, b *big.Float) *big.Float { return newf().Quo(a, b) }
func int64f(n int64) *big.Float      { return newf().SetInt64(n) }

// tiny reports whether term is negligible beside sum at precision Prec.
func tiny(term, sum *big.Float) bool {
	if term.Sign() == 0 {
		return true
	}
	if sum.Sign() == 0 {
		return false
	}
	return term.MantExp(nil)-sum.MantExp(nil) < -Prec-8
}

// atanInv returns atan(1/n) by its Taylor series.
func atanInv(n int64) *big.Float {
	x := quo(int64f(1), int64f(n))
	x2 := mul(x, x)
	sum, pow := newf().Set(x), newf().Set(x)
	for k := int64(1); ; k++ {
		pow = mul(pow, x2)
		term := quo(pow, int64f(2*k+1))
		if k%2 == 1 {
			term.Neg(term)
		}
		if tiny(term, sum) {
			return sum
		}
		sum = add(sum, term)
	}
}

var (
	piOnce sync.Once
	pi     *big.Float
)

// Pi returns π (Machin's formula: π = 16·atan(1/5) − 4·atan(1/239)).
func Pi() *big.Float {
	piOnce.Do(func() {
		pi = sub(mul(int64f(16), atanInv(5)), mul(int64f(4), atanInv(239)))
	})
	return newf().Set(pi)
}

// Exp returns e^x for |x| < 2^20.
func Exp(x *big.Float) *big.Float {
	if x.Sign() == 0 {
		return int64f(1)
	}
	// e^x = (e^(x/2^s))^(2^s) with |x/2^s| < 2^-8.
	s := max(x.MantExp(nil)+8, 0)
	y := newf().SetMantExp(x, -s)
	sum, term := int64f(1), int64f(1)
	for k := int64(1); ; k++ {
		term = quo(mul(term, y), int64f(k))
		if tiny(term, sum) {
			break
		}
		sum = add(sum, term)
	}
	for ; s > 0; s-- {
		sum = mul(sum, sum)
	}
	return sum
}

var (
	ln2Once sync.Once
	ln2     *big.Float
)

// Ln2 returns log(2).
func Ln2() *big.Float {
	ln2Once.Do(func() { ln2 = atanhSeries(quo(int64f(1), int64f(3))) })
	return newf().Set(ln2)
}

// atanhSeries returns 2·atanh(z) = log((1+z)/(1−z)) for |z| < 1/2.
func atanhSeries(z *big.Float) *big.Float {
	z2 := mul(z, z)
	sum, pow := newf().Set(z), newf().Set(z)
	for k := int64(1); ; k++ {
		pow = mul(pow, z2)
		term := quo(pow, int64f(2*k+1))
		if tiny(term, sum) {
			break
		}
		sum = add(sum, term)
	}
	return sum.Mul(sum, int64f(2))
}

// Log returns log(x) for x > 0.
func Log(x *big.Float) *big.Float {
	// x = m·2^e with m in [1/2, 1): log x = e·log 2 + 2·atanh((m−1)/(m+1)).
	m := newf()
	e := x.MantExp(m)
	one := int64f(1)
	r := atanhSeries(quo(sub(m, one), add(m, one)))
	return add(r, mul(int64f(int64(e)), Ln2()))
}

// SinCos returns sin(x) and cos(x) for |x| ≤ 4, by Taylor series.
func SinCos(x *big.Float) (sin, cos *big.Float) {
	x2 := mul(x, x)
	sin, cos = newf().Set(x), int64f(1)
	st, ct := newf().Set(x), int64f(1)
	for k := int64(1); ; k++ {
		st = quo(mul(st, x2), int64f((2*k)*(2*k+1)))
		ct = quo(mul(ct, x2), int64f((2*k-1)*(2*k)))
		st.Neg(st)
		ct.Neg(ct)
		if tiny(st, sin) && tiny(ct, cos) {
			return sin, cos
		}
		sin = add(sin, st)
		cos = add(cos, ct)
	}
}

// Split returns the double-double nearest x: hi = x rounded to float64,
// lo = (x − hi) rounded.
func Split(x *big.Float) (hi, lo float64) {
	hi, _ = x.Float64()
	lo, _ = sub(x, New(hi)).Float64()
	return hi, lo
}

// SplitBits returns hi = x rounded to a float64 of at most bits
// significant bits (toward zero), and lo = (x − hi) rounded to float64, so
// that hi times an integer below 2^(53−bits) is exact.
func SplitBits(x *big.Float, bits uint) (hi, lo float64) {
	h := new(big.Float).SetPrec(bits).SetMode(big.ToZero).Set(x)
	hi, _ = h.Float64()
	lo, _ = sub(x, New(hi)).Float64()
	return hi, lo
}

// Float64 returns x rounded to the nearest float64 (ties to even),
// including the subnormal range, ±Inf on overflow and ±0 on underflow.
func Float64(x *big.Float) float64 {
	f, _ := x.Float64()
	return f
}

// TwoOverPiBits returns the first 64·n bits of the binary fraction of 2/π,
// most significant first.
func TwoOverPiBits(n int) []uint64 {
	f := quo(int64f(2), Pi())
	w := make([]uint64, n)
	two64 := newf().SetMantExp(int64f(1), 64)
	for i := range w {
		f = mul(f, two64)
		u, _ := f.Uint64()
		w[i] = u
		f = sub(f, newf().SetUint64(u))
	}
	return w
}

// Ulps returns the distance from got to want in units in the last place
// of float64: the number of float64 values between them, plus one. Both
// NaN is 0; a NaN against a number is MaxInt64.
func Ulps(got, want float64) int64 {
	if math.IsNaN(got) || math.IsNaN(want) {
		if math.IsNaN(got) && math.IsNaN(want) {
			return 0
		}
		return math.MaxInt64
	}
	a, b := ordered(got), ordered(want)
	if a > b {
		return a - b
	}
	return b - a
}

// ordered maps float64 onto int64 monotonically, −0 one below +0.
func ordered(x float64) int64 {
	b := int64(math.Float64bits(x))
	if b < 0 {
		return -(b & math.MaxInt64) - 1
	}
	return b
}
