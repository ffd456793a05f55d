package kernels

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

type ewCase struct {
	name string
	run  func(e *Engine, dst *array.Array, in []*array.Array) error
	ref  func(v []float64, i int) float64
	ins  int
}

var fsRef = func() []func(float64) float64 {
	fs := make([]func(float64) float64, 5000)
	for i := range fs {
		switch i % 3 {
		case 0:
			fs[i] = math.Sin
		case 1:
			fs[i] = func(x float64) float64 { return x * float64(i) }
		default:
			fs[i] = math.Abs
		}
	}
	return fs
}()

var ewCases = []ewCase{
	{"Add", func(e *Engine, d *array.Array, in []*array.Array) error { return e.Add(d, in[0], in[1]) }, func(v []float64, _ int) float64 { return v[0] + v[1] }, 2},
	{"Sub", func(e *Engine, d *array.Array, in []*array.Array) error { return e.Sub(d, in[0], in[1]) }, func(v []float64, _ int) float64 { return v[0] - v[1] }, 2},
	{"Mul", func(e *Engine, d *array.Array, in []*array.Array) error { return e.Mul(d, in[0], in[1]) }, func(v []float64, _ int) float64 { return v[0] * v[1] }, 2},
	{"Div", func(e *Engine, d *array.Array, in []*array.Array) error { return e.Div(d, in[0], in[1]) }, func(v []float64, _ int) float64 { return v[0] / v[1] }, 2},
	{"Maximum", func(e *Engine, d *array.Array, in []*array.Array) error { return e.Maximum(d, in[0], in[1]) }, func(v []float64, _ int) float64 { return max(v[0], v[1]) }, 2},
	{"Minimum", func(e *Engine, d *array.Array, in []*array.Array) error { return e.Minimum(d, in[0], in[1]) }, func(v []float64, _ int) float64 { return min(v[0], v[1]) }, 2},
	{"AddScalar", func(e *Engine, d *array.Array, in []*array.Array) error { return e.AddScalar(d, in[0], 0.1) }, func(v []float64, _ int) float64 { return v[0] + 0.1 }, 1},
	{"Scale", func(e *Engine, d *array.Array, in []*array.Array) error { return e.Scale(d, in[0], -3.5) }, func(v []float64, _ int) float64 { return v[0] * -3.5 }, 1},
	{"Neg", func(e *Engine, d *array.Array, in []*array.Array) error { return e.Neg(d, in[0]) }, func(v []float64, _ int) float64 { return -v[0] }, 1},
	{"Abs", func(e *Engine, d *array.Array, in []*array.Array) error { return e.Abs(d, in[0]) }, func(v []float64, _ int) float64 { return math.Abs(v[0]) }, 1},
	{"Sqrt", func(e *Engine, d *array.Array, in []*array.Array) error { return e.Sqrt(d, in[0]) }, func(v []float64, _ int) float64 { return math.Sqrt(v[0]) }, 1},
	{"Clip", func(e *Engine, d *array.Array, in []*array.Array) error { return e.Clip(d, in[0], -0.5, 0.7) }, func(v []float64, _ int) float64 { return min(max(v[0], -0.5), 0.7) }, 1},
	{"Axpy", func(e *Engine, d *array.Array, in []*array.Array) error { return e.Axpy(d, 0.3, in[0], in[1]) }, func(v []float64, _ int) float64 {
		p := 0.3 * v[0]
		return p + v[1]
	}, 2},
	{"FMA", func(e *Engine, d *array.Array, in []*array.Array) error { return e.FMA(d, in[0], in[1], in[2]) }, func(v []float64, _ int) float64 { return math.FMA(v[0], v[1], v[2]) }, 3},
	{"Map", func(e *Engine, d *array.Array, in []*array.Array) error { return e.Map(d, in[0], math.Exp) }, func(v []float64, _ int) float64 { return math.Exp(v[0]) }, 1},
	{"ApplyEach", func(e *Engine, d *array.Array, in []*array.Array) error {
		return e.ApplyEach(d, in[0], fsRef[:in[0].Len()])
	}, func(v []float64, i int) float64 { return fsRef[i](v[0]) }, 1},
}

// layouts returns arrays of the given 2-D shape in several layouts with the
// same values: contiguous, transposed view, strided column slice.
func layouts(r *rand.Rand, rows, cols int) map[string]*array.Array {
	base := randArray(r, rows, cols)
	d := base.Data()
	for i := 0; i < len(d); i += 17 {
		d[i] = []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1)}[i%5]
	}
	tr := array.New(cols, rows).Transpose() // rows x cols view, strided
	_ = tr.CopyFrom(base)
	wide := array.New(rows, cols+3).Slice(1, 2, 2+cols)
	_ = wide.CopyFrom(base)
	return map[string]*array.Array{"contiguous": base, "transposed": tr, "slice": wide}
}

func TestElementwiseMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	es := engines(t)
	for _, shape := range [][2]int{{1, 1}, {3, 5}, {7, 129}, {40, 125}} {
		for _, c := range ewCases {
			var ins []map[string]*array.Array
			for k := 0; k < c.ins; k++ {
				ins = append(ins, layouts(r, shape[0], shape[1]))
			}
			var want *array.Array
			for _, layout := range []string{"contiguous", "transposed", "slice"} {
				in := make([]*array.Array, c.ins)
				for k := range in {
					in[k] = ins[k][layout]
				}
				if want == nil {
					want = array.New(shape[0], shape[1])
					v := make([]float64, c.ins)
					vals := make([][]float64, c.ins)
					for k := range vals {
						vals[k] = in[k].Values()
					}
					wd := want.Data()
					for i := range wd {
						for k := range v {
							v[k] = vals[k][i]
						}
						wd[i] = c.ref(v, i)
					}
				}
				for ei, e := range es {
					dst := layouts(r, shape[0], shape[1])[layout]
					if err := c.run(e, dst, in); err != nil {
						t.Fatalf("%s %v %s: %v", c.name, shape, layout, err)
					}
					if !sameArrays(dst, want) {
						t.Fatalf("%s %v %s engine %d (%s): result differs from the reference loop", c.name, shape, layout, ei, engineName(e))
					}
				}
			}
		}
	}
}

func TestElementwiseInPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 9))
	for _, e := range engines(t) {
		a := randArray(r, 1000)
		b := randArray(r, 1000)
		want := array.New(1000)
		_ = e.Add(want, a, b)
		if err := e.Add(a, a, b); err != nil || !sameArrays(a, want) {
			t.Fatalf("in-place Add: %v", err)
		}
	}
}

func TestElementwiseErrorsLeaveDstUntouched(t *testing.T) {
	a := array.Vec([]float64{1, 2, 3, 4, 5, 6})
	b := array.Vec([]float64{1, 1, 1, 1, 1, 1})
	dst := array.Vec([]float64{9, 9, 9, 9, 9, 9})
	tests := []struct {
		name string
		err  error
		call func() error
	}{
		{"nil dst", ErrNil, func() error { return Add(nil, a, b) }},
		{"nil input", ErrNil, func() error { return Add(dst, a, nil) }},
		{"nil FMA input", ErrNil, func() error { return FMA(dst, a, b, nil) }},
		{"shape", ErrShape, func() error { return Add(dst, a, array.New(5)) }},
		{"2-D vs 1-D", ErrShape, func() error { return Mul(dst, a, array.New(2, 3)) }},
		{"partial overlap", ErrOverlap, func() error {
			return Add(dst.Slice(0, 0, 5), dst.Slice(0, 1, 6), b.Slice(0, 0, 5))
		}},
		{"nil Map func", ErrNil, func() error { return Map(dst, a, nil) }},
		{"ApplyEach length", ErrLength, func() error { return ApplyEach(dst, a, fsRef[:5]) }},
		{"ApplyEach length is a shape error", ErrShape, func() error { return ApplyEach(dst, a, fsRef[:5]) }},
		{"ApplyEach nil func", ErrNil, func() error {
			return ApplyEach(dst, a, []func(float64) float64{math.Abs, nil, math.Abs, math.Abs, math.Abs, math.Abs})
		}},
		{"Clip lo > hi", ErrArgument, func() error { return Clip(dst, a, 2, 1) }},
		{"Clip NaN", ErrArgument, func() error { return Clip(dst, a, math.NaN(), 1) }},
	}
	for _, tt := range tests {
		err := tt.call()
		if !errors.Is(err, tt.err) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
		}
		for i, v := range dst.Values() {
			if v != 9 {
				t.Fatalf("%s: dst[%d] changed to %v", tt.name, i, v)
			}
		}
	}
}

func TestMapPanicIsError(t *testing.T) {
	s := sched.New(sched.WithWorkers(2), sched.WithBlockSize(100))
	defer s.Close()
	a := array.New(1000)
	err := On(s).Map(a, a, func(x float64) float64 { panic("user function failed") })
	if !errors.Is(err, sched.ErrPanic) {
		t.Fatalf("err = %v", err)
	}
}

func TestElementwiseAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	s := sched.New(sched.WithWorkers(2))
	defer s.Close()
	e := On(s)
	r := rand.New(rand.NewPCG(2, 2))
	for _, n := range []int{100, 4096, 1 << 20} {
		a, b, d := randArray(r, n), randArray(r, n), array.New(n)
		strided := array.New(n, 2).Index(1, 0)
		for name, f := range map[string]func() error{
			"Add":         func() error { return e.Add(d, a, b) },
			"FMA":         func() error { return e.FMA(d, a, b, a) },
			"Map":         func() error { return e.Map(d, a, math.Exp) },
			"Log":         func() error { return e.Log(d, a) },
			"Log10":       func() error { return e.Log10(d, a) },
			"Pow":         func() error { return e.Pow(d, a, b) },
			"Add/strided": func() error { return e.Add(strided, a, b) },
		} {
			if n > 4096 && name == "Map" {
				continue // the probe makes timing-dependent plans; covered by the benchmark
			}
			if got := testing.AllocsPerRun(20, func() {
				if err := f(); err != nil {
					t.Fatal(err)
				}
			}); got != 0 {
				t.Errorf("%s n=%d: %v allocs/op, want 0", name, n, got)
			}
		}
	}
}

func TestZeroDimAndEmpty(t *testing.T) {
	a, b, d := array.New(), array.New(), array.New()
	a.Set(2)
	b.Set(3)
	if err := Mul(d, a, b); err != nil || d.At() != 6 {
		t.Fatalf("0-d Mul: %v %v", d, err)
	}
	e := array.New(0, 4)
	if err := Add(e, e, e); err != nil {
		t.Fatalf("empty Add: %v", err)
	}
}

// With outputs far larger than the last-level cache the kernels switch to
// streaming stores; a scheduler that believes L3 is 4 KiB takes that path
// on small arrays. Results must not change, including on misaligned and
// strided views.
func TestElementwiseStreamingStores(t *testing.T) {
	s := sched.New(sched.WithTopology(sched.Topology{Workers: 2, L2: 1 << 10, L3: 4 << 10, CacheLine: 64}), sched.WithBlockSize(1000))
	defer s.Close()
	e := On(s)
	r := rand.New(rand.NewPCG(5, 5))
	backing := randArray(r, 50_003)
	a := backing.Slice(0, 1, 50_001) // not 64-byte aligned
	b := randArray(r, 50_000)
	for _, c := range ewCases {
		in := []*array.Array{a, b, a}[:c.ins]
		if c.name == "ApplyEach" {
			continue
		}
		dst := array.New(50_001).Slice(0, 1, 50_001)
		if err := c.run(e, dst, in); err != nil {
			t.Fatal(err)
		}
		v := make([]float64, c.ins)
		for i := 0; i < 50_000; i++ {
			for k := range v {
				v[k] = in[k].At(i)
			}
			if want := c.ref(v, i); !same(dst.At(i), want) {
				t.Fatalf("%s [%d]: %v, want %v", c.name, i, dst.At(i), want)
			}
		}
	}
	// Broadcast operands, all written with streaming stores: a row read in
	// place (runs of one row) and a column (splatted into a buffer per
	// run); rows of 250 values are not 64-byte aligned.
	m := randArray(r, 200, 250)
	row, col := randArray(r, 1, 250), randArray(r, 200, 1)
	for _, c := range ewCases {
		if c.ins < 2 || c.name == "ApplyEach" {
			continue
		}
		for _, in := range [][]*array.Array{{m, row, m}, {row, m, col}} {
			in = in[:c.ins]
			dst := array.New(200, 250)
			if err := c.run(e, dst, in); err != nil {
				t.Fatal(err)
			}
			v := make([]float64, c.ins)
			for i := 0; i < 200; i++ {
				for j := 0; j < 250; j++ {
					for k, a := range in {
						v[k] = a.At(min(i, a.Dim(0)-1), min(j, a.Dim(1)-1))
					}
					if want := c.ref(v, 250*i+j); !same(dst.At(i, j), want) {
						t.Fatalf("%s broadcast %v: [%d, %d] = %v, want %v", c.name, in[1].Shape(), i, j, dst.At(i, j), want)
					}
				}
			}
		}
	}
}
