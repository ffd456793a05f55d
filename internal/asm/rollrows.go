package asm

import (
	"math"

	"github.com/blockwise/blockwise/internal/race"
)

// RowKernels reports whether RollSumRows and RollVarRows can run: this
// build and CPU have AVX-512.
func RowKernels() bool { return level == lvlAVX512 }

// ExtRowKernels reports whether RollExtRows can run: this build and CPU
// have AVX2 (AVX-512 included).
func ExtRowKernels() bool { return level == lvlAVX512 || level == lvlAVX2 }

// RollSumRows computes one block pair of rolling sums or means (RollSum8's
// scheme and bits) down 8·groups adjacent columns at once, each column a
// series whose values are xs elements apart (its results os apart):
//
//	for every column j < 8·groups and t < w:
//		out[t·os + j] = sum (mean) of the finite values among
//		                x[(t+i)·xs + j], i = 0 .. w−1
//		                (NaN when fewer than minp of them, or none for a
//		                mean, are finite)
//
// that is, the windows starting at rows 0 .. w−1, which read rows 0 .. 2w−2.
// suf is scratch of at least 24w. It reports false when it cannot run (no
// AVX-512) or when a scan overflowed (some result with minp values is not
// finite: values near the float64 range); out's w rows are then
// unspecified and the caller recomputes them with its scalar loop. Rows of
// x may alias (xs ≥ 0, a broadcast view); rows of out may not (os ≥ 8·groups).
func RollSumRows(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, mean bool, minp float64) bool {
	if badRows(x, xs, out, os, suf, 24, w, groups) {
		panic("asm.RollSumRows: bad arguments")
	}
	if level != lvlAVX512 {
		return false
	}
	raceRows(x, xs, out, os, suf[:24*w], w, groups)
	if mean {
		minp = max(minp, 1) // the mean of no values is NaN
	}
	return rollSumRowsAVX512(x, 8*xs, out, 8*os, suf, w, groups, mean, minp)
}

// rollSumRowsGo is RollSumRows' reference: each column through sumBlockGo.
func rollSumRowsGo(x []float64, xs int, out []float64, os int, w, cols int, mean bool, minp float64) {
	if mean {
		minp = max(minp, 1)
	}
	perColumn(x, xs, out, os, w, cols, func(col, res []float64) { sumBlockGo(col, res, w, mean, minp) })
}

// perColumn runs block on each of cols columns of a row kernel's block
// pair: the column's 2w−1 rows of x (xs apart) in, its w results (os
// apart in out) back.
func perColumn(x []float64, xs int, out []float64, os int, w, cols int, block func(col, res []float64)) {
	col := make([]float64, 2*w-1)
	res := make([]float64, w)
	for j := range cols {
		for i := range col {
			col[i] = x[i*xs+j]
		}
		block(col, res)
		for t, v := range res {
			out[t*os+j] = v
		}
	}
}

// RollVarRows is RollVar8's block pair (its scheme and bits) down
// 8·groups adjacent columns, as RollSumRows: for every column j and t < w,
// out[t·os + j] is the variance (std when std is set) of x[(t+i)·xs + j],
// i = 0 .. w−1, shifted by the row all those windows share (row w−1),
// divided by div = w − ddof > 0. suf is scratch of at least 32w. It
// reports false when it cannot run (no AVX-512), or when some result is
// not finite: a NaN or ±Inf among the rows read, or values large enough
// for Σy² to overflow. out's w rows are then unspecified, and the caller
// recomputes them with its scalar loop, which handles missing values.
func RollVarRows(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, std bool, div float64) bool {
	if badRows(x, xs, out, os, suf, 32, w, groups) || !(div > 0) {
		panic("asm.RollVarRows: bad arguments")
	}
	if level != lvlAVX512 {
		return false
	}
	raceRows(x, xs, out, os, suf[:32*w], w, groups)
	return rollVarRowsAVX512(x, 8*xs, out, 8*os, suf, w, groups, std, div)
}

// rollVarRowsGo is RollVarRows' reference: each column through rollVar8Go.
func rollVarRowsGo(x []float64, xs int, out []float64, os int, w, cols int, std bool, div float64) {
	perColumn(x, xs, out, os, w, cols, func(col, res []float64) { rollVar8Go(col, res, w, std, div) })
}

// RollExtRows computes one block pair of rolling maxima, or minima when min
// is set (RollExt8's scheme and bits), down 8·groups adjacent columns at
// once, with min_periods:
//
//	for every column j < 8·groups and t < w:
//		out[t·os + j] = max (min) of the finite values among
//		                x[(t+i)·xs + j], i = 0 .. w−1
//		                (NaN when fewer than minp of them, or none, are
//		                finite)
//
// suf is scratch of at least 16w. It reports false, computing nothing,
// without AVX2 (ExtRowKernels). Rows of x may alias (xs ≥ 0); rows of out
// may not (os ≥ 8·groups).
func RollExtRows(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, min bool, minp int) bool {
	if badRows(x, xs, out, os, suf, 16, w, groups) {
		panic("asm.RollExtRows: bad arguments")
	}
	if !ExtRowKernels() {
		return false
	}
	raceRows(x, xs, out, os, suf[:16*w], w, groups)
	if level == lvlAVX2 {
		rollExtRowsAVX2(x, 8*xs, out, 8*os, suf, w, groups, extSign(min), -float64(max(minp, 1)))
		return true
	}
	rollExtRowsAVX512(x, 8*xs, out, 8*os, suf, w, groups, extSign(min), float64(max(minp, 1)))
	return true
}

// rollExtRowsGo is RollExtRows' reference: each column through
// rollExtBlockGo, then NaN where the window holds fewer than minp finite
// values, or none.
func rollExtRowsGo(x []float64, xs int, out []float64, os int, w, cols int, min bool, minp int) {
	suf := make([]float64, w)
	perColumn(x, xs, out, os, w, cols, func(col, res []float64) {
		rollExtBlockGo(col, res, suf, min)
		for t := range res {
			n := 0
			for _, v := range col[t : t+w] {
				if v-v == 0 {
					n++
				}
			}
			if n < minp || n == 0 {
				res[t] = math.Float64frombits(0x7ff8000000000001)
			}
		}
	})
}

// badRows reports whether a row kernel's arguments are out of range: w and
// groups ≥ 1, xs ≥ 0, out's rows apart (os ≥ 8·groups), suf of sufW·w,
// and x and out long enough for 2w−1 and w rows of 8·groups columns.
func badRows(x []float64, xs int, out []float64, os int, suf []float64, sufW, w, groups int) bool {
	cols := 8 * groups
	return w < 1 || groups < 1 || xs < 0 || os < cols || len(suf) < sufW*w ||
		len(x) < (2*w-2)*xs+cols || len(out) < (w-1)*os+cols
}

// raceBlocks reports to the race detector what a block kernel reads (x)
// and writes (out and its scratch suf).
func raceBlocks(x, out, suf []float64) {
	if race.Enabled {
		race.Read(x)
		race.Write(out)
		race.Write(suf)
	}
}

// raceRows reports what a row kernel touches, row by row: the 8·groups
// columns of the 2w−1 rows of x it reads and of the w rows of out it
// writes (the columns in between may belong to another worker), and its
// scratch.
func raceRows(x []float64, xs int, out []float64, os int, suf []float64, w, groups int) {
	if !race.Enabled {
		return
	}
	cols := 8 * groups
	for i := 0; i < 2*w-1; i++ {
		race.Read(x[i*xs : i*xs+cols])
	}
	for t := 0; t < w; t++ {
		race.Write(out[t*os : t*os+cols])
	}
	race.Write(suf)
}
