//go:build !noasm

package asm

import "github.com/klauspost/cpuid/v2"

var (
	hasAVX2   = cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3)
	hasAVX512 = hasAVX2 && cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512DQ)
)

func init() { use(available()[0]) }

func available() []string {
	var l []string
	if hasAVX512 {
		l = append(l, "avx512")
	}
	if hasAVX2 {
		l = append(l, "avx2")
	}
	return append(l, "go")
}

//go:noescape
func rollSum4AVX2(x, out, suf []float64, w, groups int, mean bool, minp float64)

//go:noescape
func rollSum4CleanAVX2(x, out, suf []float64, w, groups int, mean bool)

//go:noescape
func allBelowAVX2(x []float64, scale float64) bool

//go:noescape
func finiteBelowAVX2(x []float64, scale float64) bool

//go:noescape
func rollSum8AVX512(x, out, suf []float64, w, groups int, mean bool, minp float64)

//go:noescape
func rollSum8CleanAVX512(x, out, suf []float64, w, groups int)

//go:noescape
func rollMean8CleanAVX512(x, out, suf []float64, w, groups int)

//go:noescape
func rollVar8CleanAVX512(x, out, suf []float64, w, groups int, std bool, div float64)

//go:noescape
func rollVar4CleanAVX2(x, out, suf []float64, w, groups int, std bool, div float64)

//go:noescape
func rollVar4AVX2(x, out, suf, kv []float64, w, groups int, std bool, bias, ddof float64) bool

//go:noescape
func rollSumRowsAVX512(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, mean bool, minp float64) bool

//go:noescape
func rollVarRowsAVX512(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, std bool, div float64) bool

//go:noescape
func rollExt8AVX512(x, out, suf []float64, w, groups int, neg float64)

//go:noescape
func rollMin8CleanAVX512(x, out, suf []float64, w, groups int, neg float64)

//go:noescape
func rollMax8CleanAVX512(x, out, suf []float64, w, groups int, neg float64)

//go:noescape
func rollExt4AVX2(x, out, suf []float64, w, groups int, neg, bias float64)

//go:noescape
func rollMin4CleanAVX2(x, out, suf []float64, w, groups int, neg, bias float64)

//go:noescape
func rollMax4CleanAVX2(x, out, suf []float64, w, groups int, neg, bias float64)

//go:noescape
func rollExtRowsAVX512(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, neg, minp float64)

//go:noescape
func rollExtRowsAVX2(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, neg, bias float64)

//go:noescape
func classifyAVX512(x []float64, ids []uint16, hist []int, sp *Splitters)

// expAVX512 and the other vector forms of fmath's functions set d[i] for
// i < the count they return, a multiple of their lanes: they stop at the
// first group holding an argument off their path (or too short). k is
// &vmathK; the tables are mathtab's (qhi and qlo: ExpQHi and ExpQLo, the
// quick exp's; q: LogQInv, LogQHi and LogQLo, the quick log's).
//
//go:noescape
func expAVX512(d, x []float64, k *vmathConsts, tab *[128][2]float64, qhi, qlo *[32]float64) int

//go:noescape
func expAVX2(d, x []float64, k *vmathConsts, tab *[128][2]float64, qhi, qlo *[32]float64) int

//go:noescape
func logAVX512(d, x []float64, k *vmathConsts, inv *[128]float64, tab *[128][2]float64, q *[3][32]float64) int

//go:noescape
func logAVX2(d, x []float64, k *vmathConsts, inv *[128]float64, tab *[128][2]float64, q *[3][32]float64) int

// sinAVX2 sets d[i] = fmath.Sin(x[i]) (cos: fmath.Cos) on the quick path,
// returning n, a multiple of 4, and lanes = 0 when it set every full group;
// or, at the first group holding an argument off the path or failing Ziv's
// test, n = that group's start and the mask of those lanes (nonzero): it
// has set the group's other lanes and kept x in those. rows is &sinRows.
//
//go:noescape
func sinAVX2(d, x []float64, k *vmathConsts, rows *[32][4]float64, cos bool) (n, lanes int)

// tanhAVX2 is sinAVX2 for fmath.Tanh; qhi and qlo are the quick exp's
// table (mathtab.ExpQHi, ExpQLo).
//
//go:noescape
func tanhAVX2(d, x []float64, k *vmathConsts, qhi, qlo *[32]float64) (n, lanes int)

// logScaledAVX2 is sinAVX2 for fmath.Log2 (ch, cl: &vmathK[68], [69]) and
// fmath.Log10 ([70], [71]), except that it leaves d untouched in the lanes
// it returns; q is &logQ.
//
//go:noescape
func logScaledAVX2(d, x []float64, k *vmathConsts, q *[3][32]float64, ch, cl *[4]uint64) (n, lanes int)

// powAVX2 is sinAVX2 for fmath.Pow(x[i], y[i]) with y read ystep bytes
// apart a group of four (32, or 0 for four copies of one exponent), except
// that it leaves d untouched in the lanes it returns; q is the quick log's
// table (&logQ), qhi and qlo the quick exp's.
//
//go:noescape
func powAVX2(d, x []float64, y *float64, ystep int, k *vmathConsts, q *[3][32]float64, qhi, qlo *[32]float64) (n, lanes int)

//go:noescape
func rollCov8AVX512(x, y, out, suf []float64, w, groups int, corr bool, div float64) int

//go:noescape
func searchKeys2AVX512(a, idx *int64, nidx int, x, y int64) (px, py int)

//go:noescape
func replaceKeyAVX512(blk *int64, out, in int64)

//go:noescape
func slideKeysAVX512(a, idx, cnt *int64, nidx int, out, in int64) (bo, bi int)

//go:noescape
func ewmLocalAVX512(x *float64, t *[EWMLen]float64, r0, u0 float64)

//go:noescape
func ewmFixAVX512(t *[EWMLen]float64, d *float64, tab *EWMTable, sc, wc *[EWMLanes]float64, nt bool)
