package asm

import (
	"math"
	"math/bits"

	"github.com/blockwise/blockwise/fmath"
	"github.com/blockwise/blockwise/internal/mathtab"
	"github.com/blockwise/blockwise/internal/race"
)

// The vector forms of fmath's functions (vmath_amd64.s) take each step of
// the scalar code lane for lane — the same additions, products and FMAs in
// the same order, on the same constants and tables (internal/mathtab) — so
// every lane gets fmath's bits. They handle the arguments of the common
// path (Exp: |x| ≤ 707; Log: normal positive x) and stop at the first
// group of lanes holding another argument; the wrappers below give that
// group, and the tail shorter than a group, to fmath. Exp and Log run
// fmath's quick paths (32-row tables held in registers, Ziv's rounding
// test) and recompute on the accurate path the rare group where a lane
// fails the test, as fmath does for that lane. Sin, Cos and Tanh (|x| ≤
// 2^20, 2^20, 18; AVX2 only) instead stop at a group with a lane off the
// path or failing the test having set its other lanes, and the wrapper
// gives only those lanes to fmath.

// vmathConsts holds the constants of the vector kernels, each repeated in
// four lanes (AVX-512 code broadcasts the first). vmath_amd64.s addresses
// them by index·32: keep the two in step.
type vmathConsts [72][4]uint64

var vmathK = vmathConsts{
	0:  rep(math.Float64bits(mathtab.InvLn2N)),
	1:  rep(math.Float64bits(mathtab.Shifter)),
	2:  rep(math.Float64bits(mathtab.Ln2NHi)),
	3:  rep(math.Float64bits(mathtab.Ln2NLo)),
	4:  rep(math.Float64bits(mathtab.E7)),
	5:  rep(math.Float64bits(mathtab.E6)),
	6:  rep(math.Float64bits(mathtab.E5)),
	7:  rep(math.Float64bits(mathtab.E4)),
	8:  rep(math.Float64bits(mathtab.E3)),
	9:  rep(math.Float64bits(mathtab.E2)),
	10: rep(math.Float64bits(expFast)),
	11: rep(1<<63 - 1), // |x| mask
	12: rep(1 << 63),   // sign bit
	13: rep(mathtab.ShifterBits),
	14: rep(1<<7 - 1),   // table index mask (ExpBits = LogBits = 7)
	15: rep(1023 << 52), // exponent bias; also the bits of 1.0
	16: rep(math.Float64bits(0x1p-1022)),
	17: rep(math.Float64bits(math.MaxFloat64)),
	18: rep(1<<52 - 1), // mantissa mask
	19: rep(mathtab.LogFold - 1),
	20: rep(math.Float64bits(mathtab.Shifter + 1023)),
	21: rep(math.Float64bits(0.5)),
	22: rep(math.Float64bits(-0.5)),
	23: rep(math.Float64bits(mathtab.ThirdHi)),
	24: rep(math.Float64bits(mathtab.ThirdLo)),
	25: rep(math.Float64bits(mathtab.Ln2Hi)),
	26: rep(math.Float64bits(mathtab.Ln2Lo)),
	27: rep(math.Float64bits(mathtab.L12)),
	28: rep(math.Float64bits(mathtab.L11)),
	29: rep(math.Float64bits(mathtab.L10)),
	30: rep(math.Float64bits(mathtab.L9)),
	31: rep(math.Float64bits(mathtab.L8)),
	32: rep(math.Float64bits(mathtab.L7)),
	33: rep(math.Float64bits(mathtab.L6)),
	34: rep(math.Float64bits(mathtab.L5)),
	35: rep(math.Float64bits(mathtab.L4)),
	36: rep(math.Float64bits(mathtab.InvLn2Q)),
	37: rep(math.Float64bits(mathtab.Ln2QHi)),
	38: rep(math.Float64bits(mathtab.Ln2QLo)),
	39: rep(math.Float64bits(mathtab.ExpQuickErr)),
	40: rep(^uint64(31 << 47)),            // clears the table index of k << 47, leaving n << 52
	41: rep(16),                           // bit 4 of k: the upper half of ExpQHi/ExpQLo
	42: rep(31),                           // k & 31, the quick table's row
	43: rep(1 << (51 - mathtab.LogQBits)), // half a quick log bucket
	44: rep(0x7ff << 52),                  // exponent mask
	45: rep(mathtab.LogQFold - 1),
	46: rep(math.Float64bits(mathtab.LogQuickErr)),
	47: rep(math.Float64bits(mathtab.InvPio32)),
	48: rep(math.Float64bits(mathtab.Pio32A)),
	49: rep(math.Float64bits(mathtab.Pio32B)),
	50: rep(math.Float64bits(mathtab.S9)),
	51: rep(math.Float64bits(mathtab.S7)),
	52: rep(math.Float64bits(mathtab.S5)),
	53: rep(math.Float64bits(mathtab.S3)),
	54: rep(math.Float64bits(mathtab.C10)),
	55: rep(math.Float64bits(mathtab.C8)),
	56: rep(math.Float64bits(mathtab.C6)),
	57: rep(math.Float64bits(mathtab.C4)),
	58: rep(math.Float64bits(mathtab.SinQuickErr)),
	59: rep(math.Float64bits(mathtab.SinQuickErrR)),
	60: rep(math.Float64bits(mathtab.SinQuickErrK)),
	61: rep(math.Float64bits(mathtab.SinQuickMax)),
	62: rep(16), // added to k for cos
	63: rep(math.Float64bits(mathtab.TanhQuickMax)),
	64: rep(math.Float64bits(mathtab.TanhQuickErr)),
	65: rep(math.Float64bits(mathtab.TanhQuickErrQ)),
	66: rep(math.Float64bits(mathtab.PowQuickErrR)),
	67: rep(math.Float64bits(mathtab.PowQuickErrZ)),
	68: rep(math.Float64bits(mathtab.InvLn2Hi)), // Log2's factor, hi and lo
	69: rep(math.Float64bits(mathtab.InvLn2Lo)),
	70: rep(math.Float64bits(mathtab.InvLn10Hi)), // Log10's
	71: rep(math.Float64bits(mathtab.InvLn10Lo)),
}

// logQ holds the quick log's table as columns, each loaded into registers
// (AVX-512) or read a row at a time (AVX2).
var logQ = [3][32]float64{mathtab.LogQInv, mathtab.LogQHi, mathtab.LogQLo}

// sinRows holds the quick sin and cos's table as rows of the four values
// a lane needs: row a is SinQHi[a], SinQLo[a], SinQHi[a^16], SinQLo[a^16].
var sinRows = func() (r [32][4]float64) {
	for a := range r {
		r[a] = [4]float64{mathtab.SinQHi[a], mathtab.SinQLo[a], mathtab.SinQHi[a^16], mathtab.SinQLo[a^16]}
	}
	return r
}()

// expFast bounds the arguments the vector Exp takes: fmath's quick path.
const expFast = mathtab.ExpQuickMax

func rep(b uint64) [4]uint64 { return [4]uint64{b, b, b, b} }

// group is the number of lanes the widest kernel takes at once.
const group = 8

// The functions with vector forms, for vmath and the tests.
const (
	vExp = iota
	vLog
	vSin
	vCos
	vTanh
	vLog2
	vLog10
)

// vmathScalar lists fmath's function for each vector form.
var vmathScalar = [...]func(float64) float64{vExp: fmath.Exp, vLog: fmath.Log, vSin: fmath.Sin, vCos: fmath.Cos, vTanh: fmath.Tanh,
	vLog2: fmath.Log2, vLog10: fmath.Log10}

// Exp sets dst[i] = fmath.Exp(x[i]).
//
//	for i := range dst {
//		dst[i] = fmath.Exp(x[i])
//	}
func Exp(dst, x []float64) {
	same("Exp", len(dst), len(x))
	vmath(vExp, dst, x)
}

// Log sets dst[i] = fmath.Log(x[i]).
//
//	for i := range dst {
//		dst[i] = fmath.Log(x[i])
//	}
func Log(dst, x []float64) {
	same("Log", len(dst), len(x))
	vmath(vLog, dst, x)
}

// Sin sets dst[i] = fmath.Sin(x[i]).
//
//	for i := range dst {
//		dst[i] = fmath.Sin(x[i])
//	}
func Sin(dst, x []float64) {
	same("Sin", len(dst), len(x))
	vmath(vSin, dst, x)
}

// Cos sets dst[i] = fmath.Cos(x[i]).
//
//	for i := range dst {
//		dst[i] = fmath.Cos(x[i])
//	}
func Cos(dst, x []float64) {
	same("Cos", len(dst), len(x))
	vmath(vCos, dst, x)
}

// Tanh sets dst[i] = fmath.Tanh(x[i]).
//
//	for i := range dst {
//		dst[i] = fmath.Tanh(x[i])
//	}
func Tanh(dst, x []float64) {
	same("Tanh", len(dst), len(x))
	vmath(vTanh, dst, x)
}

// Log2 sets dst[i] = fmath.Log2(x[i]).
//
//	for i := range dst {
//		dst[i] = fmath.Log2(x[i])
//	}
func Log2(dst, x []float64) {
	same("Log2", len(dst), len(x))
	vmath(vLog2, dst, x)
}

// Log10 sets dst[i] = fmath.Log10(x[i]).
//
//	for i := range dst {
//		dst[i] = fmath.Log10(x[i])
//	}
func Log10(dst, x []float64) {
	same("Log10", len(dst), len(x))
	vmath(vLog10, dst, x)
}

// Pow sets dst[i] = fmath.Pow(x[i], y[i]).
//
//	for i := range dst {
//		dst[i] = fmath.Pow(x[i], y[i])
//	}
func Pow(dst, x, y []float64) {
	same("Pow", len(dst), len(x))
	same("Pow", len(dst), len(y))
	if race.Enabled {
		race.Write(dst)
		race.Read(x)
		race.Read(y)
	}
	pow(dst, x, y, 0)
}

// PowConst sets dst[i] = fmath.Pow(x[i], y).
//
//	for i := range dst {
//		dst[i] = fmath.Pow(x[i], y)
//	}
func PowConst(dst, x []float64, y float64) {
	same("PowConst", len(dst), len(x))
	if race.Enabled {
		race.Write(dst)
		race.Read(x)
	}
	pow(dst, x, nil, y)
}

// pow is Pow, or PowConst with exponent c when y is nil: the vector form
// up to the first group it does not wholly set, fmath for that group's
// other lanes (or the tail), and so on.
func pow(dst, x, y []float64, c float64) {
	yc := [4]float64{c, c, c, c}
	exp := func(i int) float64 {
		if y == nil {
			return c
		}
		return y[i]
	}
	for i := 0; i < len(x); {
		n, lanes := 0, 0
		switch {
		case level == lvlGo:
		case y == nil:
			n, lanes = powAVX2(dst[i:], x[i:], &yc[0], 0, &vmathK, &logQ, &mathtab.ExpQHi, &mathtab.ExpQLo)
		default:
			n, lanes = powAVX2(dst[i:], x[i:], &y[i], 32, &vmathK, &logQ, &mathtab.ExpQHi, &mathtab.ExpQLo)
		}
		i += n
		if lanes != 0 {
			for ; lanes != 0; lanes &= lanes - 1 {
				j := i + bits.TrailingZeros(uint(lanes))
				dst[j] = fmath.Pow(x[j], exp(j))
			}
			i += 4
			continue
		}
		for end := min(i+group, len(x)); i < end; i++ {
			dst[i] = fmath.Pow(x[i], exp(i))
		}
	}
}

// vmath sets dst[i] = f(x[i]) for the function f: the vector form up to the
// first group it does not take, fmath for that group (or for the lanes the
// vector form leaves), and so on.
func vmath(f int, dst, x []float64) {
	if race.Enabled {
		race.Write(dst)
		race.Read(x)
	}
	scalar := vmathScalar[f]
	for i := 0; i < len(x); {
		n, lanes := vmathVec(f, dst[i:], x[i:])
		i += n
		if lanes != 0 {
			// Sin, Cos, Tanh, Log2 and Log10 set the whole group at i but
			// for these lanes.
			for ; lanes != 0; lanes &= lanes - 1 {
				j := i + bits.TrailingZeros(uint(lanes))
				dst[j] = scalar(x[j])
			}
			i += 4 // the AVX2 form's group, at either level
			continue
		}
		for end := min(i+group, len(x)); i < end; i++ {
			dst[i] = scalar(x[i])
		}
	}
}

// vmathVec runs the vector form of f at the current level, returning how
// many values it set (0 at the Go level) and, for Sin, Cos, Tanh, Log2 and
// Log10, a nonzero mask of lanes if it stopped at the group after those
// values having set it but for those lanes (an argument off the path or
// failing Ziv's test).
func vmathVec(f int, d, x []float64) (n, lanes int) {
	switch {
	case level == lvlGo:
		return 0, 0
	case f == vSin || f == vCos:
		return sinAVX2(d, x, &vmathK, &sinRows, f == vCos)
	case f == vTanh:
		return tanhAVX2(d, x, &vmathK, &mathtab.ExpQHi, &mathtab.ExpQLo)
	case f == vLog2:
		return logScaledAVX2(d, x, &vmathK, &logQ, &vmathK[68], &vmathK[69])
	case f == vLog10:
		return logScaledAVX2(d, x, &vmathK, &logQ, &vmathK[70], &vmathK[71])
	case f == vExp && level == lvlAVX512:
		return expAVX512(d, x, &vmathK, &mathtab.ExpTab, &mathtab.ExpQHi, &mathtab.ExpQLo), 0
	case f == vExp:
		return expAVX2(d, x, &vmathK, &mathtab.ExpTab, &mathtab.ExpQHi, &mathtab.ExpQLo), 0
	case level == lvlAVX512:
		return logAVX512(d, x, &vmathK, &mathtab.LogInv, &mathtab.LogTab, &logQ), 0
	}
	return logAVX2(d, x, &vmathK, &mathtab.LogInv, &mathtab.LogTab, &logQ), 0
}
