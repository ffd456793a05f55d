package mathtab

// Shifter rounds a float64 below 2^51 in magnitude to an integer when
// added: the integer is then the low bits of the sum, whose bits are
// ShifterBits plus that integer.
const (
	Shifter     = 0x1.8p52
	ShifterBits = 0x4338000000000000
)

// ExpQuickMax bounds the arguments of fmath's quick exp path: there e^x is
// normal, and the result's exponent is added to its bits.
const ExpQuickMax = 707

// ExpQuickErr bounds |h + l − e^x/2^n| in fmath's quick exp path (h <
// 2.03). The terms, relative to e^x/2^n: the rounded product q (≤ 3·2^-53
// of q ≤ 2^-14.0), the sums t and FMA(th, t, …) (2^-53 of 2^-14 each, th <
// 2), the dropped tl·(e^r − 1 − r) (2^-66) and the series' tail r^8/8!
// (2^-67.5): under 2^-63.5 in all, taken with a margin of 2.8 (fmath's
// TestExpQuickErr measures 2^-64.3 at worst).
const ExpQuickErr = 0x1p-62

// Taylor coefficients of e^r beyond 1 + r, for |r| ≤ ln2/64 (the quick
// path's reduction; ln2/256 in the accurate one), each 1/k! rounded.
const (
	E2 = 0.5
	E3 = 0x1.5555555555555p-03 // 1/6
	E4 = 0x1.5555555555555p-05 // 1/24
	E5 = 0x1.1111111111111p-07 // 1/120
	E6 = 0x1.6c16c16c16c17p-10 // 1/720
	E7 = 0x1.a01a01a01a01ap-13 // 1/5040
)

// LogQuickErr bounds |h + l − log(x)|/|h| in fmath's quick log path, where
// |r| ≤ 0.0235. The rounding of r³·p(r), about 2^-52 of |r³/3|, dominates:
// relative to the result it is 2^-52·r²/3 ≤ 2^-64.5 in the buckets where
// LogQInv = 1 (the result is then log1p(r) ≈ r), and the generator picks
// every other LogQInv to keep |r|³/|log x| smaller. The rest (the series'
// tail r^13/13 under 2^-74; r²'s low part, exact; the low parts' sums)
// adds under 2^-70. fmath's TestLogQuickErr measures 2^-63.8 at worst (x
// just above 0.9765625, bucket 31) over every bucket's edges at several
// exponents, and requires it under half this bound.
const LogQuickErr = 0x1p-62

// Taylor coefficients of log1p(r) from r^4 on, for |r| < 2^-7 (the
// accurate path) or 0.0235 (the quick one), each ±1/k rounded.
const (
	L4  = -0.25
	L5  = 0x1.999999999999ap-03  // 1/5
	L6  = -0x1.5555555555555p-03 // −1/6
	L7  = 0x1.2492492492492p-03  // 1/7
	L8  = -0.125
	L9  = 0x1.c71c71c71c71cp-04  // 1/9
	L10 = -0x1.999999999999ap-04 // −1/10
	L11 = 0x1.745d1745d1746p-04  // 1/11
	L12 = -0x1.5555555555555p-04 // −1/12
)

// Taylor coefficients of sin t − t and cos t − 1 + t²/2, each ±1/k!
// rounded, for |t| ≤ 1/128 (the accurate path's step) or π/64 (the quick
// one's, which adds C10).
const (
	S3  = -0x1.5555555555555p-03 // −1/6
	S5  = 0x1.1111111111111p-07  // 1/120
	S7  = -0x1.a01a01a01a01ap-13 // −1/5040
	S9  = 0x1.71de3a556c734p-19  // 1/362880
	C4  = 0x1.5555555555555p-05  // 1/24
	C6  = -0x1.6c16c16c16c17p-10 // −1/720
	C8  = 0x1.a01a01a01a01ap-16  // 1/40320
	C10 = -0x1.27e4fb7789f5cp-22 // −1/3628800
)

// SinQuickMax bounds the arguments of fmath's quick sin and cos paths:
// below it k = round(|x|·32/π) < 2^24, and |x| − k·Pio32A is exact.
const SinQuickMax = 0x1p20

// SinQuickErr, SinQuickErrR and SinQuickErrK bound the error of fmath's
// quick sin and cos paths: for the result h + l, with |x| = k·π/32 + r and
// ph = b·rh (b the table's coefficient of sin r),
//
//	|h + l − f(x)| ≤ |h|·SinQuickErr + |ph|·rh²·SinQuickErrR + k·SinQuickErrK.
//
// The second term holds the roundings that scale with the series' cubic
// term b·r³/6: r² and r³ (2^-53 each), the series p (4/3 of 2^-53, its
// coefficient −1/6 included), sin r − rh and b·(sin r − rh) (2^-53 each),
// and the four sums of the low part (2^-53 each): under 9.4·2^-53·|b r³/6|
// = 2^-52.4·|ph|·rh², taken as 2^-52. It is largest next to the table's
// rows 1 and 15, where the result (0.049) is half the table's value and
// the cubic term is 2^-11.3 of it: a bound relative to h alone would have
// to be 2^-61.3, and 0.6% of arguments would fail the test instead of
// 0.05%. The first term holds the series' tails (2^-68.8 of the result at
// worst), the table's roundings (2^-107) and the low parts' own (2^-105).
// The third is the reduction's: π/32 − Pio32A − Pio32B (under 2^-111) and
// the rounding of r0 − rh (2^-53 of k·Pio32B), under 2^-110 a step; it
// matters only where the result is tiny, next to a multiple of π/2.
// fmath's TestSinQuickErr measures the error at the worst places and
// requires it under half the bound (the worst is 0.31 of it).
const (
	SinQuickErr  = 0x1p-66
	SinQuickErrR = 0x1p-52
	SinQuickErrK = 0x1p-108
)

// TanhQuickMax bounds the arguments of fmath's quick tanh path: below it
// 2|x| < 52·ln2, so e^(2|x|) = 2^n·E' with n ≤ 51 and E' − 2^-n is exact.
const TanhQuickMax = 18

// TanhQuickErr and TanhQuickErrQ bound the error of fmath's quick tanh
// path: |yh + yl − tanh a| ≤ |yh|·TanhQuickErr + q·TanhQuickErrQ, q the
// exp series' quadratic part (about r²/2 ≤ 2^-14). The second term holds
// the roundings of M's low part, which scale with th·q: q itself (3·2^-53
// of it), then t, th·t and the two sums after it (2^-53 each): 7·th·2^-53·q
// in all; tanh a = M/(M + 2^(1−n)) changes by at most 1/(M + 2^(1−n)) ≤
// 1/(0.989·th) per unit of M, so tanh's error is under 7.1·2^-53·q, taken
// as 2^-50. It matters where M is small, 2a just past ln2/32, where it is
// 2^-57 of tanh a. The first term holds the rest: the series' tail (r^8/8!,
// under 2^-53·q as well), the table's and the reduction's roundings (2^-100
// of M) and the division's (2^-104). fmath's TestTanhQuickErr measures the
// error at the worst places and requires it under half the bound (the
// worst is 0.22 of it).
const (
	TanhQuickErr  = 0x1p-80
	TanhQuickErrQ = 0x1p-50
)

// PowQuickErrR and PowQuickErrZ bound, with ExpQuickErr, the error of
// fmath's quick pow path: for the result (h + l)·2^n of e^(zh + zl), zh +
// zl = y·log x from the quick log's h + l and r3 = r³ (rounded),
//
//	|h + l − x^y/2^n| ≤ ExpQuickErr + |y·r3|·PowQuickErrR + |zh|·PowQuickErrZ.
//
// The quick log's error is 2^-52.2·|r³| at worst (the rounding of r³·p(r)
// and of the sum after it: see LogQuickErr) plus 2^-89 of log x (the
// tables' and the low parts' roundings); y·(h + l) adds 2^-103 of zh, and
// an error δ in the exponent moves h + l < 2.03 by 2.03·δ. So the second
// term is 2^-51.2·|y·r3| (taken as 2^-50), the third 2^-88 of |zh| (taken
// as 2^-84). Where |y·r3| is large (y in the thousands, x at a bucket's
// edge) the second term dominates and more arguments fail the test;
// elsewhere the exp's own term does. fmath's TestPowQuickErr measures the
// error at the worst places and requires it under half the bound.
const (
	PowQuickErrR = 0x1p-50
	PowQuickErrZ = 0x1p-84
)
