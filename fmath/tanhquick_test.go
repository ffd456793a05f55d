package fmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/internal/bigmath"
	"github.com/blockwise/blockwise/internal/mathtab"
)

// tanhQuickArgs returns arguments for the quick tanh's tests: uniform in
// (0, 4), log-uniform down to 2^-40, and 2a next to each multiple of ln2/64
// (|r| at its largest) up to TanhQuickMax.
func tanhQuickArgs(r *rand.Rand, n int) []float64 {
	step := math.Ln2 / 64
	var xs []float64
	for range n {
		xs = append(xs, 4*r.Float64())
		xs = append(xs, math.Ldexp(1+r.Float64(), -40+r.IntN(44)))
		k := float64(1 + 2*r.IntN(int(2*mathtab.TanhQuickMax/step/2)))
		if r.IntN(2) == 0 {
			k = float64(1 + 2*r.IntN(8)) // the first rows, where M is small
		}
		xs = append(xs, (k*step+step*1e-9*(2*r.Float64()-1))/2)
	}
	out := xs[:0]
	for _, x := range xs {
		if x > 0 && x <= mathtab.TanhQuickMax {
			out = append(out, x)
		}
	}
	return out
}

// TestTanhQuickErr measures the quick tanh's error against bigmath: it must
// stay under half the bound Ziv's test assumes.
func TestTanhQuickErr(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	worst, worstX := 0.0, 0.0
	for _, x := range tanhQuickArgs(rand.New(rand.NewPCG(4, 6)), n) {
		yh, yl, err := tanhQuickParts(x)
		got := bigmath.New(yh)
		got.Add(got, bigmath.New(yl))
		d, _ := new(big.Float).Sub(got, exactTanhBig(x)).Float64()
		d = math.Abs(d)
		if d > err/2 {
			t.Fatalf("x=%v: |yh+yl − tanh x| = %g above half the bound %g", x, d, err)
		}
		if d/err > worst {
			worst, worstX = d/err, x
		}
	}
	t.Logf("worst error/bound %.3f (x = %v)", worst, worstX)
}

// tanhQuickRaw is the quick path's result without Ziv's test.
func tanhQuickRaw(x float64) float64 {
	yh, yl, _ := tanhQuickParts(x)
	return yh + yl
}

// TestTanhQuickAgrees scans arguments: wherever the quick path passes its
// test it gives the accurate path's bits, and it fails rarely.
func TestTanhQuickAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 13))
	checkQuickAgrees(t, "Tanh (normal)", 400000, 0.005,
		func(int) float64 { return math.Abs(r.NormFloat64()) + 0x1p-60 },
		tanhQuick, tanhQuickRaw, tanhAcc)
	xs := tanhQuickArgs(r, 20000)
	checkQuickAgrees(t, "Tanh (edges)", len(xs), 0.1,
		func(k int) float64 { return xs[k%len(xs)] }, tanhQuick, tanhQuickRaw, tanhAcc)
}

// TestTanhQuickHard checks arguments where the quick path alone misrounds:
// the test must catch each, and Tanh (of x and, as an odd function, −x)
// must give the correctly rounded value.
func TestTanhQuickHard(t *testing.T) {
	want := func(x float64) float64 { return exactTanh(x, 0) }
	checkQuickHard(t, "Tanh", "testdata/tanh_quick_hard.txt", want, tanhQuickRaw, tanhQuick, Tanh)
	checkQuickHard(t, "Tanh(−x)", "testdata/tanh_quick_hard.txt", func(x float64) float64 { return -want(x) },
		func(x float64) float64 { return -tanhQuickRaw(x) }, tanhQuick, func(x float64) float64 { return Tanh(-x) })
}
