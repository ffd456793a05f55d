package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRowKernelsMatchGo checks RollSumRows, RollVarRows and RollExtRows
// (maxima and minima, ±0 ties, min_periods) against their
// references (each column through the block kernel its 1-D twin shares),
// with padded rows (strides beyond the columns, whose extra values must be
// neither read into a result nor written) and guard bands: sums on clean
// data and on data with NaN, ±Inf and large values, variances on finite
// data with a large offset. They must run on AVX-512, and RollExtRows on
// AVX2 too.
func TestRowKernelsMatchGo(t *testing.T) {
	type kernel struct {
		name  string
		value func(r *rand.Rand, clean bool) float64
		run   func(x []float64, xs int, out []float64, os, w, groups int, flag bool, p float64) bool
		ref   func(x []float64, xs int, out []float64, os, w, cols int, flag bool, p float64)
		ps    func(w int) []float64 // minp (sums), div (variances)
	}
	for _, k := range []kernel{
		{"RollSumRows", sumInputValue,
			func(x []float64, xs int, out []float64, os, w, groups int, mean bool, minp float64) bool {
				return RollSumRows(x, xs, out, os, make([]float64, 24*w), w, groups, mean, minp)
			}, rollSumRowsGo,
			func(w int) []float64 { return []float64{0, 1, float64(w)} }},
		{"RollVarRows", func(r *rand.Rand, _ bool) float64 { return 1e8 + r.NormFloat64() },
			func(x []float64, xs int, out []float64, os, w, groups int, std bool, div float64) bool {
				return RollVarRows(x, xs, out, os, make([]float64, 32*w), w, groups, std, div)
			}, rollVarRowsGo,
			func(w int) []float64 { return []float64{float64(w), max(1, float64(w-1))} }},
		{"RollExtRows", extInputValue,
			func(x []float64, xs int, out []float64, os, w, groups int, min bool, minp float64) bool {
				return RollExtRows(x, xs, out, os, make([]float64, 16*w), w, groups, min, int(minp))
			},
			func(x []float64, xs int, out []float64, os, w, cols int, min bool, minp float64) {
				rollExtRowsGo(x, xs, out, os, w, cols, min, int(minp))
			},
			func(w int) []float64 { return []float64{0, 1, float64(w)} }},
	} {
		r := rand.New(rand.NewPCG(3, 5))
		for _, w := range []int{1, 2, 3, 7, 20, 64, 333} {
			for _, groups := range []int{1, 3} {
				for _, flag := range []bool{false, true} {
					for pi, p := range k.ps(w) {
						clean := pi == 1
						cols := 8 * groups
						xs, os := cols+w%5, cols+(w+2)%3
						x, xb, xo := guarded((2*w-2)*xs+cols, w%8, func(int) float64 { return k.value(r, clean) })
						want := make([]float64, (w-1)*os+cols)
						for i := range want {
							want[i] = guard
						}
						k.ref(x, xs, want, os, w, cols, flag, p)
						for _, isa := range ISAs() {
							restore := SetISA(isa)
							out, ob, oo := guarded(len(want), (w+3)%8, func(int) float64 { return guard })
							ok := k.run(x, xs, out, os, w, groups, flag, p)
							restore()
							if ok != (isa == "avx512" || (isa == "avx2" && k.name == "RollExtRows")) {
								t.Fatalf("%s %s: ran = %v", k.name, isa, ok)
							}
							if !ok {
								continue
							}
							what := fmt.Sprintf("%s %s w=%d groups=%d flag=%v p=%v", k.name, isa, w, groups, flag, p)
							checkGuards(t, what, ob, oo, len(out))
							checkGuards(t, what, xb, xo, len(x))
							for i := range out {
								if math.Float64bits(out[i]) != math.Float64bits(want[i]) {
									t.Fatalf("%s [%d]: %v, Go reference %v", what, i, out[i], want[i])
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestRollSumRowsOverflow: a column whose sum overflows makes RollSumRows
// report false, whatever the other columns hold; values that overflow
// only in windows below minp do not.
func TestRollSumRowsOverflow(t *testing.T) {
	if !slices.Contains(ISAs(), "avx512") {
		t.Skip("no AVX-512")
	}
	defer SetISA("avx512")()
	const w, cols = 4, 16
	x := make([]float64, (2*w-1)*cols)
	for i := range x {
		x[i] = 1
	}
	x[2*cols+11], x[3*cols+11] = math.MaxFloat64, math.MaxFloat64
	out := make([]float64, w*cols)
	if RollSumRows(x, cols, out, cols, make([]float64, 24*w), w, 2, false, w) {
		t.Fatal("overflow not reported")
	}
	// Mean of the same windows: also an overflow of the scans.
	if RollSumRows(x, cols, out, cols, make([]float64, 24*w), w, 2, true, w) {
		t.Fatal("overflow of a mean not reported")
	}
	// With a NaN in every window of column 11, minp = w hides them all.
	for t := 0; t < 2*w-1; t += w - 1 {
		x[t*cols+11] = math.NaN()
	}
	x[(w-1)*cols+11] = math.NaN()
	if !RollSumRows(x, cols, out, cols, make([]float64, 24*w), w, 2, false, w) {
		t.Fatal("windows below minp reported as an overflow")
	}
}

// TestRollVarRowsRefuses: a NaN or ±Inf in any row a column's windows
// read, or values whose squares overflow, make RollVarRows report false.
func TestRollVarRowsRefuses(t *testing.T) {
	if !slices.Contains(ISAs(), "avx512") {
		t.Skip("no AVX-512")
	}
	defer SetISA("avx512")()
	const w, cols = 5, 16
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e300} {
		for row := 0; row < 2*w-1; row++ {
			x := make([]float64, (2*w-1)*cols)
			for i := range x {
				x[i] = float64(i % 7)
			}
			x[row*cols+13] = bad
			out := make([]float64, w*cols)
			if RollVarRows(x, cols, out, cols, make([]float64, 32*w), w, 2, false, w-1) {
				t.Fatalf("%v at row %d not refused", bad, row)
			}
		}
	}
}
