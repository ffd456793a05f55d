package fmath

import (
	"math"
	"math/bits"

	"github.com/blockwise/blockwise/internal/mathtab"
)

// The accurate path's series, for |t| ≤ 1/128.
const (
	s3 = mathtab.S3
	s5 = mathtab.S5
	s7 = mathtab.S7
	s9 = mathtab.S9
	c4 = mathtab.C4
	c6 = mathtab.C6
	c8 = mathtab.C8
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

// sinQuick is sin |x| (cos = false) or cos |x| (cos = true) for |x| ≤
// SinQuickMax by a short path: the reduction |x| = k·π/32 + rh + rl in
// three FMAs, a 32-entry table (held in registers by the vector form), short
// series, and Ziv's test: ok is false unless h + l ± the error bound round
// to the same double, which is then the correctly rounded result. Under 0.5%
// of arguments fail the test and take the accurate path. The vector form in
// internal/asm takes these steps lane for lane; the caller gives the sign.
func sinQuick(ax float64, cos bool) (y float64, ok bool) {
	h, l, err, k := sinQuickParts(ax, cos)
	y = h + l
	if h+(l+err) != h+(l-err) {
		return 0, false
	}
	if k&32 != 0 {
		y = -y
	}
	return y, true
}

// sinQuickParts returns h + l = ±sin |x| or ±cos |x|, a bound err on its
// error (see mathtab.SinQuickErr), and k = round(|x|·32/π), plus 16 for
// cos: bit 5 of k gives the sign.
//
// With |x| = k·π/32 + r and a = k&31, the result is
// U[a]·cos r' + U[a^16]·sin r', where U[i] = sin(iπ/32), U[16+i] =
// cos(iπ/32) (i < 16) and r' is r or, from the second quadrant on (bit 4 of
// k), −r: cos r' − 1 and sin r' are short series in r', |r'| ≤ π/64.
func sinQuickParts(ax float64, cos bool) (h, l, err float64, k int64) {
	z := math.FMA(ax, mathtab.InvPio32, mathtab.Shifter)
	k = int64(math.Float64bits(z)) - mathtab.ShifterBits
	kf := z - mathtab.Shifter
	r0 := math.FMA(-kf, mathtab.Pio32A, ax) // exact: see SinQuickMax
	rh := math.FMA(-kf, mathtab.Pio32B, r0)
	rl := math.FMA(-kf, mathtab.Pio32B, r0-rh)
	if cos {
		k += 16
	}
	if k&16 != 0 {
		rh, rl = -rh, -rl
	}
	a := k & 31
	ah, al := mathtab.SinQHi[a], mathtab.SinQLo[a]
	bh, bl := mathtab.SinQHi[a^16], mathtab.SinQLo[a^16]
	t2h := float64(rh * rh)
	t2l := math.FMA(rh, rh, -t2h)
	// sin r − rh = rl·(1 − rh²/2) + rh³·(S3 + …)
	ps := math.FMA(t2h, mathtab.S9, mathtab.S7)
	ps = math.FMA(t2h, ps, mathtab.S5)
	ps = math.FMA(t2h, ps, mathtab.S3)
	sinT := math.FMA(float64(rh*t2h), ps, math.FMA(t2h, float64(-0.5*rl), rl))
	// cos r − 1 = c1h + c1l: −r²/2 in double-double, + r⁴·(C4 + …)
	pc := math.FMA(t2h, mathtab.C10, mathtab.C8)
	pc = math.FMA(t2h, pc, mathtab.C6)
	pc = math.FMA(t2h, pc, mathtab.C4)
	c1h := float64(-0.5 * t2h)
	c1l := math.FMA(float64(t2h*t2h), pc, math.FMA(-rh, rl, float64(-0.5*t2l)))
	// a + b·rh + a·c1h in double-double, then the rest.
	ph := float64(bh * rh)
	pl := math.FMA(bh, rh, -ph)
	uh := float64(ah * c1h)
	ul := math.FMA(ah, c1h, -uh)
	h, e := fastTwoSum(ah, ph)
	h, e2 := fastTwoSum(h, uh)
	l = (e + e2) + ((pl + ul + al) + math.FMA(bh, sinT, float64(bl*rh)) + math.FMA(ah, c1l, float64(al*c1h)))
	err = math.FMA(kf, mathtab.SinQuickErrK, float64(math.Abs(h)*mathtab.SinQuickErr))
	err = math.FMA(float64(math.Abs(ph)*t2h), mathtab.SinQuickErrR, err)
	return h, l, err, k
}

// Sin returns the sine of x (radians), for every finite x: arguments of
// any size are reduced exactly.
//
// Special cases: Sin(±0) = ±0, Sin(±Inf) = NaN, Sin(NaN) = NaN.
func Sin(x float64) float64 {
	ax := math.Abs(x)
	if ax <= mathtab.SinQuickMax {
		if y, ok := sinQuick(ax, false); ok {
			return math.Copysign(1, x) * y
		}
	}
	return sinAcc(x)
}

// sinAcc is Sin by the accurate path alone.
func sinAcc(x float64) float64 {
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
	if ax := math.Abs(x); ax <= mathtab.SinQuickMax {
		if y, ok := sinQuick(ax, true); ok {
			return y
		}
	}
	return cosAcc(x)
}

// cosAcc is Cos by the accurate path alone.
func cosAcc(x float64) float64 {
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
