package fmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/internal/bigmath"
	"github.com/blockwise/blockwise/internal/mathtab"
)

// sinQuickArgs returns arguments for the quick sin and cos path's tests:
// uniform in [0, 8), log-uniform up to SinQuickMax, the edges of reduction
// intervals (|r| at its largest) at every table row, and points next to
// multiples of π/2 (the result tiny).
func sinQuickArgs(r *rand.Rand, n int) []float64 {
	step := math.Pi / 32
	var xs []float64
	for range n {
		xs = append(xs, 8*r.Float64())
		xs = append(xs, math.Ldexp(1+r.Float64(), -30+r.IntN(50)))
		k := float64(r.IntN(1 << (4 + r.IntN(20))))
		d := (0.5 - 1e-9*r.Float64()) * step
		if r.IntN(2) == 0 {
			d = -d
		}
		xs = append(xs, k*step+d)
		q := float64(1 + r.IntN(1<<(1+r.IntN(20))))
		xs = append(xs, math.Nextafter(q*math.Pi/2, float64(r.IntN(2))*1e300)+math.Ldexp(r.NormFloat64(), -40))
	}
	out := xs[:0]
	for _, x := range xs {
		if x >= 0 && x <= mathtab.SinQuickMax {
			out = append(out, x)
		}
	}
	return out
}

// TestSinQuickErr measures the quick sin and cos path's error against
// bigmath: |h + l − f(x)| must stay under half the bound err that Ziv's
// test assumes. It logs the worst ratio and the worst relative error.
func TestSinQuickErr(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 100
	}
	xs := sinQuickArgs(rand.New(rand.NewPCG(3, 5)), n)
	worst, worstX, worstB, worstBX := 0.0, 0.0, 0.0, 0.0
	for _, cos := range []bool{false, true} {
		for _, x := range xs {
			h, l, err, k := sinQuickParts(x, cos)
			want := exactSinCosBig(x, cos)
			got := bigmath.New(h)
			got.Add(got, bigmath.New(l))
			if k&32 != 0 {
				got.Neg(got)
			}
			d, _ := new(big.Float).Sub(got, want).Float64()
			d = math.Abs(d)
			if d > err/2 {
				t.Fatalf("cos=%v x=%v: |h+l − f(x)| = %g above half the bound %g", cos, x, d, err)
			}
			if d/err > worstB {
				worstB, worstBX = d/err, x
			}
			if math.Abs(h) > 0x1p-20 {
				if rel := d / math.Abs(h); rel > worst {
					worst, worstX = rel, x
				}
			}
		}
	}
	t.Logf("over %d points: worst relative error 2^%.2f (x = %v); worst error/bound %.3f (x = %v)",
		2*len(xs), math.Log2(worst), worstX, worstB, worstBX)
}

// sinQuickRaw is the quick path's result without Ziv's test.
func sinQuickRaw(x float64, cos bool) float64 {
	h, l, _, k := sinQuickParts(x, cos)
	y := h + l
	if k&32 != 0 {
		y = -y
	}
	return y
}

// TestSinQuickAgrees scans arguments: wherever the quick path passes its
// test it gives the accurate path's bits, and it fails rarely.
func TestSinQuickAgrees(t *testing.T) {
	for _, fn := range []struct {
		name string
		cos  bool
		acc  func(float64) float64
	}{{"Sin", false, sinAcc}, {"Cos", true, cosAcc}} {
		r := rand.New(rand.NewPCG(8, 9))
		checkQuickAgrees(t, fn.name+" (normal)", 400000, 0.001,
			func(int) float64 { return math.Abs(4 * r.NormFloat64()) },
			func(x float64) (float64, bool) { return sinQuick(x, fn.cos) },
			func(x float64) float64 { return sinQuickRaw(x, fn.cos) }, fn.acc)
		xs := sinQuickArgs(r, 20000)
		// A quarter of these lie within 2^-40 of a multiple of π/2, where the
		// result is tiny and the reduction's error bound fails the test a
		// third of the time by design.
		checkQuickAgrees(t, fn.name+" (edges)", len(xs), 0.1,
			func(k int) float64 { return xs[k%len(xs)] },
			func(x float64) (float64, bool) { return sinQuick(x, fn.cos) },
			func(x float64) float64 { return sinQuickRaw(x, fn.cos) }, fn.acc)
	}
}

// TestSinQuickHard checks arguments where the quick path alone misrounds:
// the test must catch each, and Sin and Cos (of x and −x) must give the
// correctly rounded value.
func TestSinQuickHard(t *testing.T) {
	for _, fn := range []struct {
		name, file string
		cos        bool
		f          func(float64) float64
		sign       float64 // f(−x) = sign·f(x)
	}{{"Sin", "testdata/sin_quick_hard.txt", false, Sin, -1}, {"Cos", "testdata/cos_quick_hard.txt", true, Cos, 1}} {
		want := func(x float64) float64 { return exactSinCos(x, fn.cos) }
		raw := func(x float64) float64 { return sinQuickRaw(x, fn.cos) }
		quick := func(x float64) (float64, bool) { return sinQuick(x, fn.cos) }
		checkQuickHard(t, fn.name, fn.file, want, raw, quick, fn.f)
		checkQuickHard(t, fn.name+"(−x)", fn.file, func(x float64) float64 { return fn.sign * want(x) },
			func(x float64) float64 { return fn.sign * raw(x) }, quick, func(x float64) float64 { return fn.f(-x) })
	}
}
