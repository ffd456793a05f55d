package fmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/internal/bigmath"
	"github.com/blockwise/blockwise/internal/mathtab"
)

// logQuickArgs returns arguments of the quick log at its worst places:
// each bucket's edges, at exponents 0 and −1 (where |log x| is least)
// and far out, next to 1 on both sides, and random over the whole range.
func logQuickArgs(r *rand.Rand) []float64 {
	var xs []float64
	for i := range 1 << mathtab.LogQBits {
		lo, hi := bigmath.LogQBucket(i)
		for _, e := range []int{0, 1, -1, 7, -300, 1000} {
			if i == 0 && e == 0 {
				continue // 1 is inside; covered below
			}
			for range 20 {
				d := 1e-12 * r.Float64()
				xs = append(xs, math.Ldexp(lo+d, e), math.Ldexp(math.Nextafter(hi, 0)-d, e))
				xs = append(xs, math.Ldexp(lo+(hi-lo)*r.Float64(), e))
			}
		}
	}
	for range 1000 {
		d := math.Ldexp(r.Float64(), -r.IntN(52)-7)
		xs = append(xs, 1+d, 1-d/2)
	}
	for range 1000 {
		xs = append(xs, math.Ldexp(1+r.Float64(), r.IntN(2044)-1021))
	}
	return xs
}

// TestLogQuickErr measures |h + l − log x|/|h| of the quick path against
// bigmath and requires it under half of mathtab.LogQuickErr, the bound
// Ziv's test assumes. It also checks the tables' promises: m·inv − 1 exact,
// e·Ln2Hi + LogQHi exact.
func TestLogQuickErr(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 17))
	xs := logQuickArgs(r)
	if testing.Short() {
		xs = xs[:len(xs)/8]
	}
	worst, at := 0.0, 0.0
	for _, x := range xs {
		h, l, _ := logQuickParts(x)
		want := bigmath.Log(bigmath.New(x))
		got := bigmath.New(h)
		got.Add(got, bigmath.New(l))
		d, _ := new(big.Float).Sub(got, want).Float64()
		if rel := math.Abs(d / h); rel > worst {
			worst, at = rel, x
		}
	}
	t.Logf("worst |h+l − log x|/|h| = 2^%.2f at x = %v, over %d points (bound 2^%.0f)", math.Log2(worst), at, len(xs), math.Log2(mathtab.LogQuickErr))
	if worst > mathtab.LogQuickErr/2 {
		t.Fatalf("worst error 2^%.2f (x = %v) exceeds half the bound 2^%.0f", math.Log2(worst), at, math.Log2(mathtab.LogQuickErr))
	}
}

// TestLogQTables checks each bucket's promises with exact arithmetic:
// m·inv − 1 is a float64 at both edges of the bucket (so at every m in it,
// whose grid is no finer), and e·Ln2Hi + LogQHi[i] is exact for every e.
func TestLogQTables(t *testing.T) {
	for i, inv := range mathtab.LogQInv {
		lo, hi := bigmath.LogQBucket(i)
		for _, m := range []float64{lo, math.Nextafter(hi, 0)} {
			exact := new(big.Float).SetPrec(200).SetFloat64(m)
			exact.Mul(exact, big.NewFloat(inv))
			exact.Sub(exact, big.NewFloat(1))
			if got := math.FMA(m, inv, -1); new(big.Float).SetFloat64(got).Cmp(exact) != 0 {
				t.Errorf("bucket %d: m·inv − 1 inexact at m = %v", i, m)
			}
		}
		for e := -1075.0; e <= 1025; e++ {
			exact := new(big.Float).SetPrec(200).SetFloat64(e)
			exact.Mul(exact, big.NewFloat(mathtab.Ln2Hi))
			exact.Add(exact, big.NewFloat(mathtab.LogQHi[i]))
			if got := math.FMA(e, mathtab.Ln2Hi, mathtab.LogQHi[i]); new(big.Float).SetFloat64(got).Cmp(exact) != 0 {
				t.Fatalf("bucket %d: e·Ln2Hi + LogQHi inexact at e = %v", i, e)
			}
		}
	}
}

// logQuickRaw is the quick path's result without Ziv's test.
func logQuickRaw(x float64) float64 {
	h, l, _ := logQuickParts(x)
	return h + l
}

// TestLogQuickAgrees scans random arguments: wherever the quick path passes
// its test it gives the accurate path's bits, and it fails rarely enough
// to pay.
func TestLogQuickAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	checkQuickAgrees(t, "Log", 400000, 0.005, logQuickArg(r), logQuick, logQuickRaw,
		func(x float64) float64 {
			hi, lo := logDD(x)
			return hi + lo
		})
}

// logQuickArg returns random arguments over the whole normal range, every
// fourth in [0.5, 1.5), near 1, where |log x| is small.
func logQuickArg(r *rand.Rand) func(k int) float64 {
	return func(k int) float64 {
		if k%4 == 0 {
			return 0.5 + r.Float64()
		}
		return math.Ldexp(1+r.Float64(), r.IntN(2044)-1021)
	}
}

// TestLogQuickHard checks arguments where the quick path alone misrounds:
// the test must catch each, and Log must give the correctly rounded value.
func TestLogQuickHard(t *testing.T) {
	checkQuickHard(t, "Log", "testdata/log_quick_hard.txt", func(x float64) float64 { return exactLog(x, 0) },
		logQuickRaw, logQuick, Log)
}

// TestLogQuickScaledAgrees is TestLogQuickAgrees for Log2 and Log10: where
// the scaled quick path passes its test it gives the accurate path's bits,
// and powers of two (Log2) and of ten (Log10) are exact integers.
func TestLogQuickScaledAgrees(t *testing.T) {
	for _, fn := range []struct {
		name   string
		ch, cl float64
		acc    func(float64) float64
	}{
		{"Log2", mathtab.InvLn2Hi, mathtab.InvLn2Lo, log2Acc},
		{"Log10", mathtab.InvLn10Hi, mathtab.InvLn10Lo, log10Acc},
	} {
		quick := func(x float64) (float64, bool) { return logQuickScaled(x, fn.ch, fn.cl) }
		checkQuickAgrees(t, fn.name, 400000, 0.005, logQuickArg(rand.New(rand.NewPCG(6, 10))), quick, nil, fn.acc)
	}
	for k := -1074; k <= 1023; k++ {
		if got := Log2(math.Ldexp(1, k)); got != float64(k) {
			t.Fatalf("Log2(2^%d) = %v", k, got)
		}
	}
	for k := 0; k <= 22; k++ { // 10^k exact in float64
		if got := Log10(math.Pow10(k)); got != float64(k) {
			t.Fatalf("Log10(1e%d) = %v", k, got)
		}
	}
}
