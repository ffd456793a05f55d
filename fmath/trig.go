package fmath

import (
	"math"
	"math/bits"

	"github.com/blockwise/blockwise/internal/mathtab"
)

// Taylor coefficients of sin t − t and cos t − 1 + t²/2, for |t| ≤ 1/128.
const (
	s3 = -0x1.5555555555555p-03 // −1/6
	s5 = 0x1.1111111111111p-07  // 1/120
	s7 = -0x1.a01a01a01a01ap-13 // −1/5040
	s9 = 0x1.71de3a556c734p-19  // 1/362880
	c4 = 0x1.5555555555555p-05  // 1/24
	c6 = -0x1.6c16c16c16c17p-10 // −1/720
	c8 = 0x1.a01a01a01a01ap-16  // 1/40320
)

// trigReduce returns q and r = rh + rl with |x| = q·π/2 + r, |r| ≤ π/4
// (plus rounding), for finite x; r is accurate to a relative 2^-70 or
// better, even next to multiples of π/2.
func trigReduce(x float64) (q int, rh, rl float64) {
	ax := math.Abs(x)
	switch {
	case ax <= 0x1.921fb54442d18p-01: // π/4
		return 0, ax, 0
	case ax < 0x1p20:
		// Cody and Waite, with π/2 in four parts: k·mathtab.Pio2A is exact, and
		// each further product is kept in full by twoProd.
		z := math.FMA(ax, mathtab.TwoOverPi, mathtab.Shifter)
		q = int(int64(math.Float64bits(z)) - mathtab.ShifterBits)
		k := z - mathtab.Shifter
		r := ax - float64(k*mathtab.Pio2A) // exact (Sterbenz)
		b, be := twoProd(k, mathtab.Pio2B)
		rh, e := twoSum(r, -b)
		rl = e - be
		c, ce := twoProd(k, mathtab.Pio2C)
		rh, e = twoSum(rh, -c)
		rl += e - ce - float64(k*mathtab.Pio2D)
		rh, rl = fastTwoSum(rh, rl)
		return q, rh, rl
	}
	return payneHanek(ax)
}

// payneHanek reduces ax ≥ 2^20 by the bits of 2/π. With ax = m·2^E (m an
// integer below 2^53), ax·2/π = Σ b_i·m·2^(E−i) over the bits b_i of 2/π,
// and the terms with i < E−1 are multiples of 4, which do not change the
// quadrant or the remainder. The 192 bits from i = E−1 on form the integer
// W, and ax·2/π ≡ m·W·2^-190 (mod 4) to within 2^-137 — far below the
// 2^-62 that any float64 comes to a multiple of π/2.
func payneHanek(ax float64) (q int, rh, rl float64) {
	b := math.Float64bits(ax)
	m := b&(1<<52-1) | 1<<52
	E := int(b>>52) - 1075 // ≥ −32 here
	// Bit i of 2/π is bit g = i+63 of mathtab.TwoOverPiBits (after its zero word),
	// counting from the most significant bit of word 0.
	g := E - 1 + 63
	w, s := g/64, uint(g%64)
	var win [3]uint64
	for t := range win {
		win[t] = mathtab.TwoOverPiBits[w+t]<<s | mathtab.TwoOverPiBits[w+t+1]>>(64-s) // x>>64 is 0
	}
	// P = m·W in four words, most significant first.
	var p [4]uint64
	var carry uint64
	for t := 2; t >= 0; t-- {
		hi, lo := bits.Mul64(m, win[t])
		var c uint64
		p[t+1], c = bits.Add64(lo, carry, 0)
		carry = hi + c
	}
	p[0] = carry
	// P·2^-190: the integer part mod 4 is bits 190–191 (the top of p[1]),
	// the fraction the 190 bits below.
	q = int(p[1] >> 62)
	f0, f1, f2 := p[1]&(1<<62-1), p[2], p[3]
	neg := f0>>61 != 0
	if neg { // fraction ≥ 1/2: next quadrant, r = −(1 − f)·π/2
		q = (q + 1) & 3
		var bo uint64
		f2, bo = bits.Sub64(0, f2, 0)
		f1, bo = bits.Sub64(0, f1, bo)
		f0, _ = bits.Sub64(1<<62, f0, bo)
	}
	// Normalize F = f0·2^128 + f1·2^64 + f2 so that bit 63 of f0 is its
	// leading one: F = N·2^-L.
	L := 0
	for f0 == 0 && L < 192 {
		f0, f1, f2 = f1, f2, 0
		L += 64
	}
	if f0 == 0 {
		return q, 0, 0
	}
	if s := uint(bits.LeadingZeros64(f0)); s > 0 {
		f0 = f0<<s | f1>>(64-s)
		f1 = f1<<s | f2>>(64-s)
		L += int(s)
	}
	// f = F·2^-190 = N·2^(−L−190), N's top 106 bits as hi + lo.
	hi := float64(float64(f0>>11) * pow2(-L-51))
	lo := float64(float64(f0&(1<<11-1)<<42|f1>>22) * pow2(-L-104))
	fh, fl := fastTwoSum(hi, lo)
	rh, rl = fastTwoSum(mulDD(fh, fl, mathtab.PiOver2Hi, mathtab.PiOver2Lo))
	if neg {
		rh, rl = -rh, -rl
	}
	return q, rh, rl
}

// sinCosDD returns sin(r) or (cosine) cos(r) as hi + lo for r = rh + rl,
// |r| ≤ π/4 + 2^-40, to a relative 2^-70: r = i/64 + t with the table's
// sin and cos of i/64 and short series in t, |t| ≤ 1/128.
func sinCosDD(rh, rl float64, cosine bool) (hi, lo float64) {
	sign := 1.0
	if rh < 0 {
		rh, rl = -rh, -rl
		sign = -1
	}
	i := int(float64(rh*64) + 0.5)
	th := rh - float64(i)*(1.0/64) // exact
	tl := rl
	t2h, t2l := twoProd(th, th)
	ps := math.FMA(t2h, s9, s7)
	ps = math.FMA(t2h, ps, s5)
	ps = math.FMA(t2h, ps, s3)
	sinT := tl + float64(float64(th*t2h)*ps) // sin t = th + sinT
	pc := math.FMA(t2h, c8, c6)
	pc = math.FMA(t2h, pc, c4)
	c1h := float64(-0.5 * t2h) // cos t − 1 = c1h + c1l
	c1l := float64(-0.5*t2l) - float64(th*tl) + float64(float64(t2h*t2h)*pc)
	tab := &mathtab.SinCosTab[i]
	sh, sl, ch, cl := tab[0], tab[1], tab[2], tab[3]
	if !cosine {
		// sin(a + t) = sin a + cos a·sin t + sin a·(cos t − 1)
		ph, pl := twoProd(ch, th)
		uh, ul := twoProd(sh, c1h)
		h, e := twoSum(sh, ph)
		h, e2 := twoSum(h, uh)
		l := (e + e2) + (pl + ul + sl + math.FMA(ch, sinT, float64(cl*th)) + float64(sh*c1l))
		hi, lo = fastTwoSum(h, l)
		return sign * hi, sign * lo
	}
	// cos(a + t) = cos a + cos a·(cos t − 1) − sin a·sin t
	ph, pl := twoProd(sh, th)
	uh, ul := twoProd(ch, c1h)
	h, e := twoSum(ch, -ph)
	h, e2 := twoSum(h, uh)
	l := (e + e2) + (ul - pl + cl + math.FMA(ch, c1l, float64(cl*c1h)) - math.FMA(sh, sinT, float64(sl*th)))
	return fastTwoSum(h, l)
}

// Sin returns the sine of x (radians), for every finite x: arguments of
// any size are reduced exactly.
//
// Special cases: Sin(±0) = ±0, Sin(±Inf) = NaN, Sin(NaN) = NaN.
func Sin(x float64) float64 {
	if x == 0 || x != x {
		return x
	}
	if math.IsInf(x, 0) {
		return math.NaN()
	}
	q, rh, rl := trigReduce(x)
	hi, lo := sinCosDD(rh, rl, q&1 == 1)
	y := hi + lo
	if q&2 != 0 {
		y = -y
	}
	if x < 0 {
		y = -y
	}
	return y
}

// Cos returns the cosine of x (radians), for every finite x.
//
// Special cases: Cos(±Inf) = NaN, Cos(NaN) = NaN.
func Cos(x float64) float64 {
	if x != x || math.IsInf(x, 0) {
		return math.NaN()
	}
	q, rh, rl := trigReduce(x)
	hi, lo := sinCosDD(rh, rl, q&1 == 0)
	y := hi + lo
	if q&1 == 1 {
		y = -y
	}
	if q&2 != 0 {
		y = -y
	}
	return y
}
