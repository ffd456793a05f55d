package kernels

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
	"github.com/blockwise/blockwise/sched"
)

func TestSumIllConditioned(t *testing.T) {
	x := make([]float64, 1_000_002)
	for i := range x {
		x[i] = 1
	}
	x[0], x[len(x)-1] = 1e16, -1e16
	naive := 0.0
	for _, v := range x {
		naive += v
	}
	got, err := Sum(array.Vec(x))
	if err != nil {
		t.Fatal(err)
	}
	bound := 1e-14 * absSum(x)
	t.Logf("exact 1e6, naive %v, Sum %v (error %v, bound %v)", naive, got, math.Abs(got-1e6), bound)
	if math.Abs(got-1e6) > bound {
		t.Fatalf("Sum = %v, want 1e6 within %v", got, bound)
	}
}

// adversarial returns data whose sums cancel heavily: huge values of both
// signs mixed with ordinary ones.
func adversarial(r *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		switch r.IntN(4) {
		case 0:
			x[i] = (r.Float64() - 0.5) * 1e16
		case 1:
			x[i] = -x[max(0, i-1)]
		default:
			x[i] = r.NormFloat64()
		}
	}
	return x
}

func TestSumDotAccuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 100, 128, 129, 8191, 8192, 8193, 100_000, 1_000_003} {
		x := adversarial(r, n)
		got, _ := Sum(array.Vec(x))
		if err := math.Abs(got - exactSum(x)); err > 1e-14*absSum(x) {
			t.Errorf("Sum n=%d: error %g > 1e-14·Σ|x| = %g", n, err, 1e-14*absSum(x))
		}
		y := adversarial(r, n)
		d, _ := Dot(array.Vec(x), array.Vec(y))
		prods := new(big.Float).SetPrec(3000)
		abs := 0.0
		for i := range x {
			p := new(big.Float).SetPrec(3000).SetFloat64(x[i])
			p.Mul(p, new(big.Float).SetFloat64(y[i]))
			prods.Add(prods, p)
			abs += math.Abs(x[i] * y[i])
		}
		exact, _ := prods.Float64()
		if err := math.Abs(d - exact); err > 1e-14*abs {
			t.Errorf("Dot n=%d: error %g > 1e-14·Σ|xy| = %g", n, err, 1e-14*abs)
		}
	}
}

func TestReductionsBitIdenticalAcrossSchedulers(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	es := engines(t)
	for _, n := range []int{0, 1, 127, 8192, 8193, 50_000, 300_001} {
		x := array.Vec(adversarial(r, n))
		y := array.Vec(adversarial(r, n))
		strided := array.New(n, 2).Index(1, 1)
		_ = strided.CopyFrom(x)
		var ref [6]float64
		for i, e := range es {
			var got [6]float64
			got[0], _ = e.Sum(x)
			got[1], _ = e.Dot(x, y)
			got[2], _ = e.Norm(y)
			if n > 0 {
				got[3], _ = e.Min(x)
				got[4], _ = e.Max(x)
			}
			got[5], _ = e.Sum(strided)
			if i == 0 {
				ref = got
				if !same(got[5], got[0]) {
					t.Fatalf("n=%d: strided Sum %v != contiguous %v", n, got[5], got[0])
				}
				continue
			}
			for k := range got {
				if !same(got[k], ref[k]) {
					t.Fatalf("n=%d reduction %d: engine %s gives %v, engine 0 gave %v", n, k, engineName(e), got[k], ref[k])
				}
			}
		}
	}
}

func TestSumAcrossISAsIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 1))
	x := array.Vec(adversarial(r, 100_003))
	var want float64
	for i, isa := range asm.ISAs() {
		restore := asm.SetISA(isa)
		got, _ := Sum(x)
		restore()
		if i == 0 {
			want = got
		} else if !same(got, want) {
			t.Fatalf("Sum with %s = %v, with %s = %v", isa, got, asm.ISAs()[0], want)
		}
	}
}

func TestReductionSpecialValues(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		x                   []float64
		sum, min, max, norm float64
	}{
		{[]float64{1, 2, 3}, 6, 1, 3, math.Sqrt(14)},
		{[]float64{1, nan, 3}, nan, nan, nan, nan},
		{[]float64{1, inf, 3}, inf, 1, inf, inf},
		{[]float64{inf, -inf}, nan, -inf, inf, inf},
		{[]float64{1e200, 1e200}, 2e200, 1e200, 1e200, math.Sqrt2 * 1e200},
		{[]float64{3e-200, 4e-200}, 0, 3e-200, 4e-200, 5e-200},
		{[]float64{0, 0}, 0, 0, 0, 0},
	}
	tests[5].sum = tests[5].x[0] + tests[5].x[1] // rounded at run time, not folded exactly
	for _, tt := range tests {
		a := array.Vec(tt.x)
		s, _ := Sum(a)
		mn, _ := Min(a)
		mx, _ := Max(a)
		nr, _ := Norm(a)
		if !same(s, tt.sum) || !same(mn, tt.min) || !same(mx, tt.max) || (math.Abs(nr-tt.norm) > 1e-15*tt.norm && !same(nr, tt.norm)) {
			t.Errorf("%v: sum %v min %v max %v norm %v; want %v %v %v %v", tt.x, s, mn, mx, nr, tt.sum, tt.min, tt.max, tt.norm)
		}
	}
	m, err := Mean(array.Vec([]float64{1, 2, 3, 4}))
	if m != 2.5 || err != nil {
		t.Fatalf("Mean = %v %v", m, err)
	}
}

func TestReductionErrors(t *testing.T) {
	empty := array.New(0)
	if s, err := Sum(empty); s != 0 || err != nil {
		t.Fatalf("Sum of empty: %v %v", s, err)
	}
	for name, f := range map[string]func() error{
		"Mean": func() error { _, err := Mean(empty); return err },
		"Min":  func() error { _, err := Min(empty); return err },
		"Max":  func() error { _, err := Max(empty); return err },
	} {
		if err := f(); !errors.Is(err, ErrEmpty) {
			t.Errorf("%s of empty: %v", name, err)
		}
	}
	if _, err := Sum(nil); !errors.Is(err, ErrNil) {
		t.Errorf("Sum(nil): %v", err)
	}
	if _, err := Dot(array.New(3), array.New(4)); !errors.Is(err, ErrShape) {
		t.Errorf("Dot shape: %v", err)
	}
	if _, err := Dot(array.New(3), nil); !errors.Is(err, ErrNil) {
		t.Errorf("Dot nil: %v", err)
	}
}

func TestAxisReductionsEqualLineReductions(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	es := engines(t)
	for _, shape := range [][]int{{5}, {3, 4}, {300, 7}, {9000, 3}, {2, 20000}, {4, 130, 70}} {
		src := array.New(shape...)
		copy(src.Data(), adversarial(r, src.Len()))
		views := map[string]*array.Array{"contiguous": src, "transposed": src.Transpose().Clone().Transpose()}
		for vname, v := range views {
			for axis := 0; axis < len(shape); axis++ {
				base := v.Index(axis, 0)
				for _, kind := range []string{"sum", "mean", "max", "min"} {
					var ref *array.Array
					for ei, e := range es {
						dst := array.New(base.Shape()...)
						var err error
						switch kind {
						case "sum":
							err = e.SumAxis(dst, v, axis)
						case "mean":
							err = e.MeanAxis(dst, v, axis)
						case "max":
							err = e.MaxAxis(dst, v, axis)
						case "min":
							err = e.MinAxis(dst, v, axis)
						}
						if err != nil {
							t.Fatal(err)
						}
						if ei == 0 {
							ref = dst
							// Each output equals the reduction of its line, bit for bit.
							checkLines(t, v, axis, dst, kind)
						} else if !sameArrays(dst, ref) {
							t.Fatalf("%s %v %s axis %d: engine %s differs", kind, shape, vname, axis, engineName(e))
						}
					}
				}
			}
		}
	}
}

func checkLines(t *testing.T, src *array.Array, axis int, dst *array.Array, kind string) {
	t.Helper()
	// Move axis last; every line is then a row of the clone.
	perm := []int{}
	for k := 0; k < src.Ndim(); k++ {
		if k != axis {
			perm = append(perm, k)
		}
	}
	perm = append(perm, axis)
	lines, _ := src.Transpose(perm...).Clone().Reshape(-1, src.Dim(axis))
	want := dst.Values()
	for i := range want {
		line := lines.Row(i)
		var v float64
		switch kind {
		case "sum":
			v, _ = Sum(line)
		case "mean":
			v, _ = Mean(line)
		case "max":
			v, _ = Max(line)
		case "min":
			v, _ = Min(line)
		}
		if !same(v, want[i]) {
			t.Fatalf("%s axis %d of %v: output %d = %v, the line's %s is %v", kind, axis, src.Shape(), i, want[i], kind, v)
		}
	}
}

func TestAxisErrors(t *testing.T) {
	src := array.New(3, 4)
	if err := SumAxis(array.New(4), src, 2); !errors.Is(err, ErrAxis) {
		t.Errorf("axis 2: %v", err)
	}
	if err := SumAxis(array.New(3), src, 0); !errors.Is(err, ErrShape) {
		t.Errorf("wrong dst: %v", err)
	}
	if err := SumAxis(src.Row(0), src, 0); !errors.Is(err, ErrOverlap) {
		t.Errorf("dst inside src: %v", err)
	}
	if err := MeanAxis(nil, src, 0); !errors.Is(err, ErrNil) {
		t.Errorf("nil dst: %v", err)
	}
	if err := MaxAxis(array.New(4), array.New(0, 4), 0); !errors.Is(err, ErrEmpty) {
		t.Errorf("max over empty axis: %v", err)
	}
	d := array.New(4)
	if err := MeanAxis(d, array.New(0, 4), 0); err != nil || !math.IsNaN(d.At(0)) {
		t.Errorf("mean over empty axis: %v %v", d, err)
	}
	if err := SumAxis(d, src, -2); err != nil {
		t.Errorf("negative axis: %v", err)
	}
}

func TestReductionAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	s := sched.New(sched.WithWorkers(2))
	defer s.Close()
	e := On(s)
	r := rand.New(rand.NewPCG(2, 3))
	x, y := randArray(r, 1<<20), randArray(r, 1<<20)
	m := randArray(r, 1000, 64)
	out := array.New(64)
	for name, f := range map[string]func(){
		"Sum":       func() { _, _ = e.Sum(x) },
		"Dot":       func() { _, _ = e.Dot(x, y) },
		"Max":       func() { _, _ = e.Max(x) },
		"MeanAxis0": func() { _ = e.MeanAxis(out, m, 0) },
	} {
		f()
		if got := testing.AllocsPerRun(20, f); got != 0 {
			t.Errorf("%s: %v allocs/op, want 0", name, got)
		}
	}
}
