package kernels

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
)

func scanInputs(r *rand.Rand) map[string][]float64 {
	in := map[string][]float64{}
	gen := func(name string, n int, f func(i int) float64) {
		x := make([]float64, n)
		for i := range x {
			x[i] = f(i)
		}
		in[name] = x
	}
	gen("normal", 3*scanBlock+17, func(int) float64 { return r.NormFloat64() })
	gen("offset 1e8", 2*scanBlock+5, func(int) float64 { return 1e8 + r.NormFloat64() })
	gen("cancel", 20_000, func(i int) float64 { return []float64{1e16, 1, -1e16, 3.5e-3}[i%4] })
	gen("scales", 9000, func(int) float64 { return math.Ldexp(r.NormFloat64(), r.IntN(120)-60) })
	gen("short", 5, func(i int) float64 { return float64(i) - 2.5 })
	gen("one", 1, func(int) float64 { return math.Copysign(0, -1) })
	return in
}

// TestCumSumExact: every output within 4.5e-16 × Σ|x| (up to it) of the
// exact prefix sum (issue 12's bound), and within 2 ulps of it unless the
// prefix sum has cancelled to below 1e-6 Σ|x|; bit-identical for every
// engine.
func TestCumSumExact(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 12))
	es := engines(t)
	for name, x := range scanInputs(r) {
		var first []float64
		for k, e := range es {
			dst := array.New(len(x))
			if err := e.CumSum(dst, array.Vec(x), 0); err != nil {
				t.Fatal(err)
			}
			y := dst.Values()
			if k == 0 {
				first = y
				exact := new(big.Float).SetPrec(3000)
				abs := 0.0
				for i, v := range x {
					exact.Add(exact, new(big.Float).SetFloat64(v))
					abs += math.Abs(v)
					want, _ := exact.Float64()
					diff, _ := new(big.Float).Sub(exact, new(big.Float).SetFloat64(y[i])).Float64()
					if math.Abs(diff) > 4.5e-16*abs || (abs <= 1e6*math.Abs(want) && math.Abs(diff) > 2*ulp(want)) {
						t.Fatalf("%s [%d]: %v, exact %v (off by %.3g, Σ|x| %.3g)", name, i, y[i], want, diff, abs)
					}
				}
				continue
			}
			for i := range y {
				if !same(y[i], first[i]) {
					t.Fatalf("%s %s [%d]: %v, first engine %v", name, engineName(e), i, y[i], first[i])
				}
			}
		}
	}
}

func ulp(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}

func TestCumProdExact(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 13))
	es := engines(t)
	x := make([]float64, 2*scanBlock+33)
	for i := range x {
		x[i] = math.Ldexp(1+r.Float64(), r.IntN(7)-3)
		if r.IntN(2) == 0 {
			x[i] = -x[i]
		}
	}
	// Partial products far beyond range in both directions, outputs that fit.
	x[100], x[101], x[102] = 1e300, 1e300, 1e-300
	x[9000], x[9001], x[9002] = 1e-300, 1e-300, 1e300
	var first []float64
	for k, e := range es {
		dst := array.New(len(x))
		if err := e.CumProd(dst, array.Vec(x), 0); err != nil {
			t.Fatal(err)
		}
		y := dst.Values()
		if k == 0 {
			first = y
			exact := new(big.Float).SetPrec(200).SetFloat64(1)
			for i, v := range x {
				// keep the exact product's exponent in check
				exact.Mul(exact, new(big.Float).SetFloat64(v))
				want, _ := exact.Float64()
				if math.IsInf(want, 0) || want == 0 {
					continue
				}
				if relErr(y[i], want) > float64(i%scanBlock+4)*0x1p-53 {
					t.Fatalf("[%d]: %v, exact %v (rel %.3g)", i, y[i], want, relErr(y[i], want))
				}
			}
			continue
		}
		for i := range y {
			if !same(y[i], first[i]) {
				t.Fatalf("%s [%d]: %v, first engine %v", engineName(e), i, y[i], first[i])
			}
		}
	}
}

// TestScanSpecial: IEEE where numpy's loop is IEEE; signed zeros.
func TestScanSpecial(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	nz := math.Copysign(0, -1)
	for _, c := range []struct {
		prod    bool
		x, want []float64
	}{
		{false, []float64{1, inf, 1}, []float64{1, inf, inf}},
		{false, []float64{1, inf, -inf, 2}, []float64{1, inf, nan, nan}},
		{false, []float64{nz, nz, 0, nz}, []float64{nz, nz, 0, 0}},
		{false, []float64{1, nan, 1}, []float64{1, nan, nan}},
		{false, []float64{1e308, 1e308, -1e308}, []float64{1e308, inf, inf}},
		{true, []float64{2, inf, 0, 3}, []float64{2, inf, nan, nan}},
		{true, []float64{-1, 0, 5}, []float64{-1, nz, nz}},
		{true, []float64{1e200, 1e200, 1e-300}, []float64{1e200, inf, 1e100}},
	} {
		d := array.New(len(c.x))
		var err error
		if c.prod {
			err = CumProd(d, array.Vec(c.x), 0)
		} else {
			err = CumSum(d, array.Vec(c.x), 0)
		}
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range d.Values() {
			if !same(v, c.want[i]) && !(c.prod && relErr(v, c.want[i]) < 1e-15) {
				t.Errorf("prod=%v %v: [%d] = %v, want %v", c.prod, c.x, i, v, c.want[i])
			}
		}
	}
}

// TestScanAxes: along every axis of a 3-d array, strided or not, in place,
// the lines equal the 1-D scan of each line.
func TestScanAxes(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	base := randArray(r, 3, scanBlock+40, 4)
	for _, e := range engines(t)[:5] {
		for _, prod := range []bool{false, true} {
			run := e.CumSum
			if prod {
				run = e.CumProd
			}
			for ax := -3; ax < 3; ax++ {
				src := base.Transpose(2, 0, 1).Clone().Transpose(1, 2, 0) // same values, strided
				dst := array.New(3, scanBlock+40, 4)
				if err := run(dst, src, ax); err != nil {
					t.Fatal(err)
				}
				inplace := base.Clone()
				if err := run(inplace, inplace, ax); err != nil {
					t.Fatal(err)
				}
				if !sameArrays(inplace, dst) {
					t.Fatalf("prod=%v axis %d: in place differs", prod, ax)
				}
				a := (ax + 3) % 3
				w := newWalkerSkip(dst, a, 0)
				for p := 0; p < dst.Len()/dst.Dim(a); p++ {
					line := lineOf(base, a, w.index())
					want := array.New(line.Len())
					if err := run(want, line.Clone(), 0); err != nil {
						t.Fatal(err)
					}
					if got := lineOf(dst, a, w.index()); !sameArrays(got, want) {
						t.Fatalf("prod=%v axis %d line %v differs from its 1-D scan", prod, ax, w.index())
					}
					w.advance(1)
				}
			}
		}
	}
}

func TestScanErrors(t *testing.T) {
	m := array.New(4, 6)
	d := array.New(4, 6)
	d.Fill(9)
	for name, err := range map[string]error{
		"shape":   CumSum(d, array.New(6), 0),
		"axis":    CumProd(d, m, 2),
		"overlap": CumSum(d.Slice(1, 0, 5), d.Slice(1, 1, 6), 1),
		"nil":     CumSum(nil, m, 0),
		"self":    CumSum(func() *array.Array { v, _ := array.New(6).BroadcastTo(4, 6); return v }(), m, 0),
	} {
		var want error
		switch name {
		case "shape":
			want = ErrShape
		case "axis":
			want = ErrAxis
		case "nil":
			want = ErrNil
		default:
			want = ErrOverlap
		}
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", name, err, want)
		}
	}
	for _, v := range d.Values() {
		if v != 9 {
			t.Fatal("dst changed by a failed call")
		}
	}
	if err := CumSum(array.New(0, 3), array.New(0, 3), 1); err != nil {
		t.Errorf("empty: %v", err)
	}
}

func TestScanAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	r := rand.New(rand.NewPCG(1, 5))
	a, d := randArray(r, 100_000), array.New(100_000)
	m, dm := randArray(r, 50, 300), array.New(50, 300)
	for name, f := range map[string]func() error{
		"CumSum":        func() error { return CumSum(d, a, 0) },
		"CumProd":       func() error { return CumProd(d, a, 0) },
		"CumSum/axis 0": func() error { return CumSum(dm, m, 0) },
	} {
		_ = f()
		if got := testing.AllocsPerRun(20, func() {
			if err := f(); err != nil {
				t.Fatal(err)
			}
		}); got != 0 {
			t.Errorf("%s: %v allocs/op", name, got)
		}
	}
}

// TestCumProdRange: products that pass through the subnormals to 0 and
// back out of range give exactly 2^k rounded, on both sides.
func TestCumProdRange(t *testing.T) {
	for _, f := range []float64{0.5, -0.5, 2, 0.75} {
		x := make([]float64, 3000)
		for i := range x {
			x[i] = f
		}
		for _, e := range engines(t)[:4] {
			d := array.New(len(x))
			if err := e.CumProd(d, array.Vec(x), 0); err != nil {
				t.Fatal(err)
			}
			exact := new(big.Float).SetPrec(100).SetFloat64(1)
			for i, v := range d.Values() {
				exact.Mul(exact, new(big.Float).SetFloat64(f))
				want, _ := exact.Float64()
				if !same(v, want) && relErr(v, want) > float64(i+2)*0x1p-53 {
					t.Fatalf("%v^%d: %v, want %v", f, i+1, v, want)
				}
			}
		}
	}
}
