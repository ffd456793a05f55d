package kernels

import (
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/fmath"
	"github.com/blockwise/blockwise/sched"
)

// mathCases are the fmath functions over arrays; they join ewCases, so
// every layout, broadcast and engine test of the elementwise kernels
// checks them bit for bit against the scalar function.
var mathCases = []struct {
	name string
	run  func(e *Engine, dst, a *array.Array) error
	f    func(float64) float64
}{
	{"Exp", (*Engine).Exp, fmath.Exp},
	{"Exp2", (*Engine).Exp2, fmath.Exp2},
	{"Expm1", (*Engine).Expm1, fmath.Expm1},
	{"Log", (*Engine).Log, fmath.Log},
	{"Log2", (*Engine).Log2, fmath.Log2},
	{"Log10", (*Engine).Log10, fmath.Log10},
	{"Log1p", (*Engine).Log1p, fmath.Log1p},
	{"Sin", (*Engine).Sin, fmath.Sin},
	{"Cos", (*Engine).Cos, fmath.Cos},
	{"Tanh", (*Engine).Tanh, fmath.Tanh},
}

func init() {
	for _, m := range mathCases {
		ewCases = append(ewCases, ewCase{m.name,
			func(e *Engine, d *array.Array, in []*array.Array) error { return m.run(e, d, in[0]) },
			func(v []float64, _ int) float64 { return m.f(v[0]) }, 1})
	}
	ewCases = append(ewCases, ewCase{"Pow",
		func(e *Engine, d *array.Array, in []*array.Array) error { return e.Pow(d, in[0], in[1]) },
		func(v []float64, _ int) float64 { return fmath.Pow(v[0], v[1]) }, 2})
}

// mathInputs mixes the special values, subnormals, huge and tiny
// magnitudes, and ordinary arguments.
func mathInputs(r *rand.Rand, n int) []float64 {
	special := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(),
		5e-324, -5e-324, 2.2250738585072014e-308, math.MaxFloat64, -math.MaxFloat64, 709.79, -745.2, 1e22, 0.5, 2}
	x := make([]float64, n)
	for i := range x {
		switch i % 4 {
		case 0:
			x[i] = special[r.IntN(len(special))]
		case 1:
			x[i] = math.Ldexp(r.Float64(), r.IntN(2100)-1075) * float64(1-2*r.IntN(2))
		default:
			x[i] = 20 * (r.Float64() - 0.5)
		}
	}
	return x
}

// TestMathKernels checks every function and Pow over all engines and
// plans against the scalar fmath functions, bit for bit, at sizes around
// the block edges, including in place.
func TestMathKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	for _, n := range []int{1, 7, 1000, 20_011} {
		x := mathInputs(r, n)
		y := mathInputs(r, n)
		a, _ := array.FromSlice(x, n)
		b, _ := array.FromSlice(y, n)
		for _, e := range engines(t) {
			for _, m := range mathCases {
				d := array.New(n)
				if err := m.run(e, d, a); err != nil {
					t.Fatal(err)
				}
				for i, v := range d.Data() {
					if want := m.f(x[i]); !same(v, want) {
						t.Fatalf("%s n=%d %s: [%d] f(%v) = %v, want %v", m.name, n, engineName(e), i, x[i], v, want)
					}
				}
				// in place
				c := a.Clone()
				if err := m.run(e, c, c); err != nil {
					t.Fatal(err)
				}
				if !sameArrays(c, d) {
					t.Fatalf("%s in place differs", m.name)
				}
			}
			d := array.New(n)
			if err := e.Pow(d, a, b); err != nil {
				t.Fatal(err)
			}
			for i, v := range d.Data() {
				if want := fmath.Pow(x[i], y[i]); !same(v, want) {
					t.Fatalf("Pow n=%d %s: [%d] = %v, want %v", n, engineName(e), i, v, want)
				}
			}
		}
	}
}

// TestPowScalarExponent raises a matrix to one power through a 0-d array.
func TestPowScalarExponent(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	a := randArray(r, 30, 40)
	p := array.New()
	p.Data()[0] = 2.5
	d := array.New(30, 40)
	if err := Pow(d, a, p); err != nil {
		t.Fatal(err)
	}
	for i, v := range d.Data() {
		if want := fmath.Pow(a.Data()[i], 2.5); !same(v, want) {
			t.Fatalf("[%d] = %v, want %v", i, v, want)
		}
	}
}

// TestMathErrors: typed errors, dst untouched.
func TestMathErrors(t *testing.T) {
	a, d := array.New(10), array.New(10)
	d.Data()[3] = 42
	stretched, err := array.New(1).BroadcastTo(10)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		err  error
		want error
	}{
		{"nil dst", Exp(nil, a), ErrNil},
		{"nil a", Log(d, nil), ErrNil},
		{"shape", Sin(d, array.New(9)), ErrShape},
		{"pow shape", Pow(d, a, array.New(3)), ErrShape},
		{"nil b", Pow(d, a, nil), ErrNil},
		{"partial overlap", Tanh(d.Slice(0, 0, 9), d.Slice(0, 1, 10)), ErrOverlap},
		{"self overlap", Cos(stretched, a), ErrOverlap},
	}
	for _, c := range checks {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.err, c.want)
		}
	}
	if d.Data()[3] != 42 {
		t.Error("dst written on error")
	}
}

func TestMathAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	s := sched.New(sched.WithWorkers(2))
	defer s.Close()
	e := On(s)
	r := rand.New(rand.NewPCG(2, 3))
	a, b, d := randArray(r, 100_000), randArray(r, 100_000), array.New(100_000)
	for name, f := range map[string]func() error{
		"exp": func() error { return e.Exp(d, a) },
		"pow": func() error { return e.Pow(d, a, b) },
	} {
		if got := testing.AllocsPerRun(20, func() {
			if err := f(); err != nil {
				t.Fatal(err)
			}
		}); got != 0 {
			t.Errorf("%s: %v allocs/op, want 0", name, got)
		}
	}
}

// FuzzMath runs a function (or Pow) on fuzzed values, contiguous or as a
// strided view, on a fuzzed plan, against the scalar fmath function.
func FuzzMath(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x00\x00\x00\xf0\x3f\x00\x00\x00\x00\x00\x00\x00\x80"), byte(3), byte(1), byte(7))
	f.Add([]byte("\x01\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xef\x7f"), byte(10), byte(2), byte(1))
	scheds := map[[2]int]*Engine{}
	f.Cleanup(func() {
		for _, e := range scheds {
			e.Scheduler().Close()
		}
	})
	f.Fuzz(func(t *testing.T, raw []byte, which, workers, blockSize byte) {
		n := len(raw) / 8
		if n == 0 || n > 512 {
			return
		}
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
		}
		key := [2]int{1 + int(workers)%3, int(blockSize) % 9}
		e := scheds[key]
		if e == nil {
			s := sched.New(sched.WithWorkers(key[0]), sched.WithBlockSize(key[1]))
			e = On(s)
			scheds[key] = e
		}
		a, _ := array.FromSlice(x, n)
		if which&0x80 != 0 && n > 1 { // a strided view of every other element
			a = a.Step(0, 0, n, 2)
		}
		d := array.New(a.Len())
		in := a.Values()
		k := int(which&0x7f) % (len(mathCases) + 1)
		if k == len(mathCases) {
			rev := array.New(a.Len())
			for i := range in {
				rev.Data()[i] = in[len(in)-1-i]
			}
			if err := e.Pow(d, a, rev); err != nil {
				t.Fatal(err)
			}
			for i, v := range d.Data() {
				if want := fmath.Pow(in[i], in[len(in)-1-i]); !same(v, want) {
					t.Fatalf("Pow(%v, %v) = %v, want %v", in[i], in[len(in)-1-i], v, want)
				}
			}
			return
		}
		m := mathCases[k]
		if err := m.run(e, d, a); err != nil {
			t.Fatal(err)
		}
		for i, v := range d.Data() {
			if want := m.f(in[i]); !same(v, want) {
				t.Fatalf("%s(%v) = %v, want %v", m.name, in[i], v, want)
			}
		}
	})
}
