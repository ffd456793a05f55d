package fmath

import (
	"math"

	"github.com/blockwise/blockwise/internal/mathtab"
)

// logReduce writes x + xl (x positive and finite, |xl| ≤ ulp(x)/2) as
// 2^e · m / mathtab.LogInv[i] with m·mathtab.LogInv[i] = 1 + rh + rl: rh exact, |rh| < 2^-7,
// and rl the part of xl.
func logReduce(x, xl float64) (e, i int, rh, rl float64) {
	bits := math.Float64bits(x)
	if bits < 1<<52 { // subnormal
		x *= 0x1p52
		bits = math.Float64bits(x)
		e = -52
	}
	e += int(bits>>52) - 1023
	i = int(bits>>(52-7)) & (1<<7 - 1)
	m := math.Float64frombits(bits&(1<<52-1) | 1023<<52)
	if i >= mathtab.LogFold {
		m *= 0.5
		e++
	}
	ic := mathtab.LogInv[i]
	rh = math.FMA(m, ic, -1) // exact: ic has 8 bits and |rh| < 2^-7
	if xl != 0 && e < 1000 {
		rl = float64(xl*pow2(-e)) * ic
	}
	return e, i, rh, rl
}

// logKernel returns log(1/mathtab.LogInv[i]) + log1p(rh + rl) as hi + lo, to a
// relative 2^-75.
func logKernel(i int, rh, rl float64) (hi, lo float64) {
	s2h, s2l := twoProd(rh, rh)
	// r³/3 to double-double accuracy
	s3h, s3l := twoProd(rh, s2h)
	s3l = math.FMA(rh, s2l, s3l)
	c3h, c3l := twoProd(s3h, mathtab.ThirdHi)
	c3l += math.FMA(s3h, mathtab.ThirdLo, float64(s3l*mathtab.ThirdHi))
	// r⁴·(−1/4 + r/5 − … − r⁸/12)
	tail := float64(float64(s2h*s2h) * log1pTail(rh))
	// log1p(rh + rl) − log1p(rh) = rl/(1 + rh) to a relative r³.
	corr := float64(rl * ((1 - rh) + s2h))

	th, tl := mathtab.LogTab[i][0], mathtab.LogTab[i][1]
	sh, se := twoSum(th, rh)
	sh, e := twoSum(sh, float64(-0.5*s2h))
	se += e
	sh, e = twoSum(sh, c3h)
	se += e
	se += tl + (corr + (float64(-0.5*s2l) + (c3l + tail)))
	return fastTwoSum(sh, se)
}

// log1pTail returns −1/4 + r/5 − … − r⁸/12 by Horner's rule: the
// series of log1p(r) from r⁴ on, over r⁴, for both paths.
func log1pTail(r float64) float64 {
	p := math.FMA(r, mathtab.L12, mathtab.L11)
	p = math.FMA(r, p, mathtab.L10)
	p = math.FMA(r, p, mathtab.L9)
	p = math.FMA(r, p, mathtab.L8)
	p = math.FMA(r, p, mathtab.L7)
	p = math.FMA(r, p, mathtab.L6)
	p = math.FMA(r, p, mathtab.L5)
	return math.FMA(r, p, mathtab.L4)
}

// logSpecial returns the result of a logarithm for x ≤ 0, +Inf and NaN,
// and ok = false for other x.
func logSpecial(x float64) (y float64, ok bool) {
	switch {
	case x > 0 && x <= math.MaxFloat64:
		return 0, false
	case x == 0:
		return math.Inf(-1), true
	case x > 0, x != x: // +Inf, NaN
		return x, true
	}
	return math.NaN(), true
}

// logDD returns log(x) as hi + lo for finite x > 0, to a relative 2^-75.
func logDD(x float64) (hi, lo float64) {
	e, i, rh, rl := logReduce(x, 0)
	mh, ml := logKernel(i, rh, rl)
	return addLogExp(e, mathtab.Ln2Hi, mathtab.Ln2Lo, mh, ml)
}

// addLogExp returns e·(ch + cl) + mh + ml as hi + lo; e·ch is exact.
func addLogExp(e int, ch, cl, mh, ml float64) (hi, lo float64) {
	ef := float64(e)
	h, l := twoSum(float64(ef*ch), mh)
	return fastTwoSum(h, l+math.FMA(ef, cl, ml))
}

// logQuick is log(x) for normal positive x by a short path: 32 buckets
// of the mantissa centred on 1 + i/32 (a table the vector form holds in
// registers), r = m·inv − 1 exact, log1p(r) as r − r²/2 (double-double) +
// r³·p(r) in double, and Ziv's test: ok is false unless h + l ±
// |h|·LogQuickErr round to the same double, which is then the correctly
// rounded log(x). About 0.3% of arguments fail the test and take the
// accurate path. The vector form in internal/asm takes these steps lane for
// lane.
func logQuick(x float64) (y float64, ok bool) {
	h, l, _ := logQuickParts(x)
	y = h + l
	e := float64(math.Abs(h) * mathtab.LogQuickErr)
	if h+(l+e) != h+(l-e) {
		return 0, false
	}
	return y, true
}

// logQuickScaled is logQuick times c = ch + cl (1/ln2 or 1/ln10): the
// quick h + l, normalized, times c in double-double, and the same test.
// The product adds a relative 2^-104 to the quick path's error, which
// TestLogQuickErr holds under half of LogQuickErr; powers of two (and of
// ten, for Log10) come out as exact integers.
func logQuickScaled(x, ch, cl float64) (y float64, ok bool) {
	h, l, _ := logQuickParts(x)
	h, l = fastTwoSum(h, l)
	ph, pl := mulDD(h, l, ch, cl)
	e := float64(math.Abs(ph) * mathtab.LogQuickErr)
	if ph+(pl+e) != ph+(pl-e) {
		return 0, false
	}
	return ph + pl, true
}

// logQuickParts returns log(x) as h + l, to a relative mathtab.LogQuickErr,
// for normal positive x, and r3 = r³ (rounded), the size of its largest
// rounding error (the quick pow's test needs it).
func logQuickParts(x float64) (h, l, r3 float64) {
	bits := math.Float64bits(x)
	u := bits + 1<<(51-mathtab.LogQBits) // half a bucket up: bucket 0 holds 1
	i := int(u>>(52-mathtab.LogQBits)) & (1<<mathtab.LogQBits - 1)
	m := math.Float64frombits(bits - u&(0x7ff<<52) + 1023<<52)
	e := float64(int(u>>52) - 1023)
	if i >= mathtab.LogQFold {
		m *= 0.5
		e++
	}
	r := math.FMA(m, mathtab.LogQInv[i], -1)           // exact: see LogQInv
	a := math.FMA(e, mathtab.Ln2Hi, mathtab.LogQHi[i]) // exact: multiples of 2^-42
	h, l1 := fastTwoSum(a, r)                          // a = 0 or |a| > |r|
	s2h := r * r
	s2l := math.FMA(r, r, -s2h)
	h, l2 := fastTwoSum(h, float64(-0.5*s2h))       // |h| > r²/2
	p := math.FMA(r, log1pTail(r), mathtab.ThirdHi) // 1/3 − r/4 + … − r⁹/12
	l = math.FMA(e, mathtab.Ln2Lo, mathtab.LogQLo[i])
	l += l1
	l += l2
	l = math.FMA(-0.5, s2l, l)
	r3 = float64(s2h * r)
	l = math.FMA(r3, p, l)
	return h, l, r3
}

// Log returns the natural logarithm of x.
//
// Special cases: Log(+Inf) = +Inf, Log(±0) = −Inf, Log(x < 0) = NaN,
// Log(NaN) = NaN.
func Log(x float64) float64 {
	if y, ok := logSpecial(x); ok {
		return y
	}
	if x >= 0x1p-1022 {
		if y, ok := logQuick(x); ok {
			return y
		}
	}
	hi, lo := logDD(x)
	return hi + lo
}

// Log2 returns the binary logarithm of x; it is exact for powers of two.
//
// Special cases as Log.
func Log2(x float64) float64 {
	if y, ok := logSpecial(x); ok {
		return y
	}
	if x >= 0x1p-1022 {
		if y, ok := logQuickScaled(x, mathtab.InvLn2Hi, mathtab.InvLn2Lo); ok {
			return y
		}
	}
	return log2Acc(x)
}

// log2Acc is Log2's accurate path, for finite x > 0.
func log2Acc(x float64) float64 {
	e, i, rh, rl := logReduce(x, 0)
	mh, ml := logKernel(i, rh, rl)
	// (mh + ml)/ln2, then + e exactly.
	ph, pl := mulDD(mh, ml, mathtab.InvLn2Hi, mathtab.InvLn2Lo)
	h, l := twoSum(float64(e), ph)
	return h + (l + pl)
}

// Log10 returns the decimal logarithm of x.
//
// Special cases as Log.
func Log10(x float64) float64 {
	if y, ok := logSpecial(x); ok {
		return y
	}
	if x >= 0x1p-1022 {
		if y, ok := logQuickScaled(x, mathtab.InvLn10Hi, mathtab.InvLn10Lo); ok {
			return y
		}
	}
	return log10Acc(x)
}

// log10Acc is Log10's accurate path, for finite x > 0.
func log10Acc(x float64) float64 {
	e, i, rh, rl := logReduce(x, 0)
	mh, ml := logKernel(i, rh, rl)
	ph, pl := mulDD(mh, ml, mathtab.InvLn10Hi, mathtab.InvLn10Lo)
	hi, lo := addLogExp(e, mathtab.Log10of2Hi, mathtab.Log10of2Lo, ph, pl)
	return hi + lo
}

// Log1p returns log(1 + x), accurate also where x is near 0.
//
// Special cases: Log1p(±0) = ±0, Log1p(−1) = −Inf, Log1p(x < −1) = NaN,
// Log1p(+Inf) = +Inf, Log1p(NaN) = NaN.
func Log1p(x float64) float64 {
	switch {
	case x == 0:
		return x // keeps −0
	case !(x > -1):
		if x == -1 {
			return math.Inf(-1)
		}
		return math.NaN() // also NaN
	case x > math.MaxFloat64:
		return x
	}
	if math.Abs(x) < 0x1p-8 {
		// No reduction: log1p(x) = x − x²/2 + …, with i = 0 (mathtab.LogInv = 1).
		mh, ml := logKernel(0, x, 0)
		return mh + ml
	}
	uh, ul := twoSum(1, x)
	e, i, rh, rl := logReduce(uh, ul)
	mh, ml := logKernel(i, rh, rl)
	hi, lo := addLogExp(e, mathtab.Ln2Hi, mathtab.Ln2Lo, mh, ml)
	return hi + lo
}
