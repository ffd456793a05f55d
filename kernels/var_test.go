package kernels

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
)

// exactVar is Σ(x − x̄)²/(n − ddof) in exact rational arithmetic, rounded
// once (std: the square root of the exact variance, to 200 bits, rounded).
func exactVar(x []float64, ddof int, std bool) float64 {
	n := len(x)
	if n-ddof <= 0 {
		return math.NaN()
	}
	s := new(big.Rat)
	for _, v := range x {
		s.Add(s, new(big.Rat).SetFloat64(v))
	}
	m := new(big.Rat).Quo(s, new(big.Rat).SetInt64(int64(n)))
	q := new(big.Rat)
	for _, v := range x {
		d := new(big.Rat).Sub(new(big.Rat).SetFloat64(v), m)
		q.Add(q, d.Mul(d, d))
	}
	q.Quo(q, new(big.Rat).SetInt64(int64(n-ddof)))
	if !std {
		f, _ := new(big.Float).SetPrec(200).SetRat(q).Float64()
		return f
	}
	f, _ := new(big.Float).SetPrec(200).Sqrt(new(big.Float).SetPrec(200).SetRat(q)).Float64()
	return f
}

func varInputs(r *rand.Rand) map[string][]float64 {
	in := map[string][]float64{}
	gen := func(name string, n int, f func(i int) float64) {
		x := make([]float64, n)
		for i := range x {
			x[i] = f(i)
		}
		in[name] = x
	}
	gen("normal", 30_001, func(int) float64 { return r.NormFloat64() })
	gen("offset 1e8", 20_000, func(int) float64 { return 1e8 + r.NormFloat64() })
	gen("offset 1e12", 5000, func(int) float64 { return 1e12 + r.NormFloat64()*1e-3 })
	gen("huge", 1000, func(int) float64 { return 1e300 * r.NormFloat64() })
	gen("near max", 9, func(i int) float64 { return math.MaxFloat64 * float64(1-2*(i%2)) })
	gen("1e160", 100, func(int) float64 { return 1e160 * r.NormFloat64() })
	gen("tiny", 1000, func(int) float64 { return 1e-300 * r.NormFloat64() })
	gen("subnormal", 500, func(int) float64 { return 5e-324 * float64(r.IntN(100)) })
	gen("constant", 9000, func(int) float64 { return 3.25 })
	gen("zeros", 300, func(int) float64 { return 0 })
	gen("one", 1, func(int) float64 { return 7 })
	gen("two", 2, func(i int) float64 { return float64(i) })
	gen("mixed", 4097, func(i int) float64 { return math.Ldexp(r.NormFloat64(), r.IntN(200)-100) })
	return in
}

func TestVarExact(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 1))
	es := engines(t)
	for name, x := range varInputs(r) {
		for _, ddof := range []int{0, 1, 5} {
			for _, sd := range []bool{false, true} {
				want := exactVar(x, ddof, sd)
				var first float64
				for i, e := range es {
					got, err := e.Var(array.Vec(x), ddof)
					if sd {
						got, err = e.Std(array.Vec(x), ddof)
					}
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					if i == 0 {
						first = got
						if !(relErr(got, want) <= 4e-16 || same(got, want) || (want == 0 && got == 0)) {
							t.Errorf("%s ddof=%d std=%v: %v, exact %v (rel %.2g)", name, ddof, sd, got, want, relErr(got, want))
						}
					} else if !same(got, first) {
						t.Fatalf("%s: %s gives %v, first engine %v", name, engineName(e), got, first)
					}
				}
			}
		}
	}
}

// TestVarAxisMatchesVar: every output of VarAxis/StdAxis is Var/Std of its
// line bit for bit, along every axis of a 3-d array, contiguous or not.
func TestVarAxisMatchesVar(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	base := randArray(r, 5, 300, 7)
	d := base.Data()
	for i := range d {
		d[i] = 1e8 + d[i]
		if i%97 == 0 {
			d[i] = math.Ldexp(d[i], 900)
		}
	}
	d[17] = math.NaN()
	views := map[string]*array.Array{"contiguous": base, "transposed": base.Transpose(2, 0, 1).Clone().Transpose(1, 2, 0)}
	for _, e := range engines(t)[:4] {
		for vname, src := range views {
			for ax := 0; ax < 3; ax++ {
				sh := src.Shape()
				sh = append(sh[:ax], sh[ax+1:]...)
				for _, sd := range []bool{false, true} {
					dst := array.New(sh...)
					var err error
					if sd {
						err = e.StdAxis(dst, src, ax, 1)
					} else {
						err = e.VarAxis(dst, src, ax, 1)
					}
					if err != nil {
						t.Fatal(err)
					}
					w := newWalker(dst, 0)
					for p := 0; p < dst.Len(); p++ {
						idx := w.index()
						line := lineOf(src, ax, idx)
						want, _ := Var(line, 1)
						if sd {
							want, _ = Std(line, 1)
						}
						if got := dst.At(idx...); !same(got, want) {
							t.Fatalf("%s axis %d std=%v %v: %v, Var of the line %v", vname, ax, sd, idx, got, want)
						}
						w.advance(1)
					}
				}
			}
		}
	}
}

// lineOf returns the line of a along axis at the other indices idx.
func lineOf(a *array.Array, axis int, idx []int) *array.Array {
	v := a
	for k := len(idx) - 1; k >= 0; k-- {
		ak := k
		if k >= axis {
			ak++
		}
		v = v.Index(ak, idx[k])
	}
	return v
}

func TestVarSpecial(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		x    []float64
		ddof int
		want float64
	}{
		{[]float64{1, nan, 3}, 0, nan},
		{[]float64{1, math.Inf(1), 3}, 0, nan},
		{[]float64{5}, 1, nan},
		{[]float64{5}, 0, 0},
		{[]float64{1, 2}, 2, nan},
		{[]float64{1e308, -1e308}, 0, math.Inf(1)},
	} {
		got, err := Var(array.Vec(c.x), c.ddof)
		if err != nil || !same(got, c.want) {
			t.Errorf("Var(%v, %d) = %v, %v; want %v", c.x, c.ddof, got, err, c.want)
		}
	}
	if s, err := Std(array.Vec([]float64{1e308, -1e308}), 0); err != nil || s != 1e308 {
		t.Errorf("Std(±1e308) = %v, %v; want 1e308", s, err)
	}
	if _, err := Var(array.New(0), 0); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
	if _, err := Var(nil, 0); !errors.Is(err, ErrNil) {
		t.Errorf("nil: %v", err)
	}
	if _, err := Std(array.New(3), -1); !errors.Is(err, ErrArgument) {
		t.Errorf("ddof -1: %v", err)
	}
	m := array.New(4, 3)
	dst := array.New(3)
	dst.Fill(9)
	for name, err := range map[string]error{
		"shape":   VarAxis(array.New(4), m, 0, 0),
		"axis":    StdAxis(dst, m, 2, 0),
		"overlap": VarAxis(m.Row(0), m, 0, 0),
		"ddof":    VarAxis(dst, m, 0, -1),
		"nil":     VarAxis(nil, m, 0, 0),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	for _, v := range dst.Values() {
		if v != 9 {
			t.Fatal("dst changed by a failed call")
		}
	}
	z := array.New(3)
	if err := VarAxis(z, array.New(0, 3), 0, 0); err != nil || !math.IsNaN(z.At(0)) {
		t.Errorf("zero-length axis: %v, %v", err, z)
	}
}

func TestVarAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	r := rand.New(rand.NewPCG(2, 5))
	a := randArray(r, 1<<18)
	m, d := randArray(r, 300, 200), array.New(200)
	for name, f := range map[string]func(){
		"Var":     func() { _, _ = Var(a, 1) },
		"VarAxis": func() { _ = VarAxis(d, m, 0, 1) },
	} {
		f()
		if got := testing.AllocsPerRun(20, f); got != 0 {
			t.Errorf("%s: %v allocs/op", name, got)
		}
	}
}
