package kernels

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

// bcastShapes are (dst shape, input shapes) by numpy's rules.
var bcastShapes = []struct {
	dst []int
	in  [3][]int
}{
	{[]int{40, 125}, [3][]int{{40, 125}, {125}, {1, 125}}}, // a row onto every row
	{[]int{40, 125}, [3][]int{{40, 1}, {40, 125}, {}}},     // a column, a scalar
	{[]int{3, 4, 70}, [3][]int{{4, 1}, {3, 1, 70}, {70}}},  // stretch in every axis
	{[]int{6, 1, 9}, [3][]int{{1, 1, 1}, {9}, {6, 1, 9}}},  // size-1 dst axis
	{[]int{2, 3, 2, 300}, [3][]int{{300}, {3, 1, 1}, {1}}}, // 4-d
	{[]int{0, 5}, [3][]int{{5}, {0, 1}, {}}},               // empty
	{[]int{1000}, [3][]int{{}, {1000}, {1}}},               // scalars onto a vector
}

// bcastInput returns a random array of shape sh in one of several layouts.
func bcastInput(r *rand.Rand, sh []int, layout int) *array.Array {
	a := randArray(r, sh...)
	d := a.Data()
	for i := 0; i < len(d); i += 11 {
		d[i] = []float64{math.NaN(), math.Inf(1), 0, math.Copysign(0, -1)}[i%4]
	}
	switch {
	case layout == 1 && len(sh) >= 1:
		// reversed along the last axis: a negative stride
		c := array.New(sh...)
		v := c.Step(-1, 0, sh[len(sh)-1], -1)
		_ = v.CopyFrom(a)
		return v
	case layout == 2 && len(sh) >= 2:
		// a transposed copy: strided rows
		rev := make([]int, len(sh))
		for k := range sh {
			rev[k] = sh[len(sh)-1-k]
		}
		c := array.New(rev...).Transpose()
		_ = c.CopyFrom(a)
		return c
	}
	return a
}

// TestBroadcastMatchesReference: every multi-input kernel, every shape
// combination, several layouts of the inputs and of dst, every engine —
// against the scalar reference applied to the numpy-broadcast elements.
func TestBroadcastMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 7))
	es := engines(t)
	for _, bs := range bcastShapes {
		for layout := 0; layout < 3; layout++ {
			var ins [3]*array.Array
			var views [3]*array.Array
			for k := range ins {
				ins[k] = bcastInput(r, bs.in[k], layout)
				v, err := ins[k].BroadcastTo(bs.dst...)
				if err != nil {
					t.Fatal(err)
				}
				views[k] = v
			}
			n := views[0].Len()
			for _, c := range ewCases {
				if c.name == "ApplyEach" {
					continue
				}
				want := make([]float64, n)
				vals := make([]float64, c.ins)
				flat := make([][]float64, c.ins)
				for k := range flat {
					flat[k] = views[k].Values()
				}
				for i := range want {
					for k := range vals {
						vals[k] = flat[k][i]
					}
					want[i] = c.ref(vals, i)
				}
				for _, e := range es {
					for dl := 0; dl < 2; dl++ {
						dst := array.New(bs.dst...)
						if dl == 1 && len(bs.dst) > 0 {
							dst = bcastInput(r, bs.dst, 1)
						}
						if err := c.run(e, dst, ins[:c.ins]); err != nil {
							t.Fatalf("%s %v layout %d: %v", c.name, bs.dst, layout, err)
						}
						for i, v := range dst.Values() {
							if !same(v, want[i]) {
								t.Fatalf("%s dst %v inputs %v layout %d dst layout %d %s: [%d] = %v, want %v",
									c.name, bs.dst, bs.in, layout, dl, engineName(e), i, v, want[i])
							}
						}
					}
				}
			}
		}
	}
}

func TestCopy(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	for _, e := range engines(t) {
		// The ensemble average written back into every model.
		models := randArray(r, 30, 257)
		avg := array.New(257)
		if err := e.MeanAxis(avg, models, 0); err != nil {
			t.Fatal(err)
		}
		if err := e.Copy(models, avg); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 30; i++ {
			if !sameArrays(models.Row(i), avg) {
				t.Fatalf("%s: row %d is not the average", engineName(e), i)
			}
		}
		// Exact bits, NaN payloads included, strided both ways.
		src := randArray(r, 9, 300)
		src.Set(math.Float64frombits(0x7ff8_0000_dead_beef), 3, 7)
		dst := array.New(300, 9).Transpose()
		if err := e.Copy(dst, src); err != nil {
			t.Fatal(err)
		}
		if math.Float64bits(dst.At(3, 7)) != 0x7ff8_0000_dead_beef || !sameArrays(dst, src) {
			t.Fatalf("%s: strided Copy differs", engineName(e))
		}
		// A scalar fills; in place is a no-op.
		s := array.New()
		s.Set(2.5)
		if err := e.Copy(dst, s); err != nil || dst.At(8, 299) != 2.5 || dst.At(0, 0) != 2.5 {
			t.Fatalf("scalar Copy: %v", err)
		}
		if err := e.Copy(src, src); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBroadcastErrorsLeaveDstUntouched(t *testing.T) {
	m := array.New(4, 6)
	m.Fill(9)
	row := array.New(6)
	tests := []struct {
		name string
		err  error
		call func() error
	}{
		{"incompatible", ErrShape, func() error { return Add(m, m, array.New(4)) }},
		{"dst would stretch", ErrShape, func() error { return Add(array.New(1, 6), m, row) }},
		{"dst too few dims", ErrShape, func() error { return Add(array.New(6), row, m) }},
		{"Copy incompatible", ErrShape, func() error { return Copy(m, array.New(2, 6)) }},
		{"input is a row of dst", ErrOverlap, func() error { return Add(m, m, m.Row(1)) }},
		{"Copy from a row of dst", ErrOverlap, func() error { return Copy(m, m.Row(0)) }},
		{"dst writes twice", ErrOverlap, func() error {
			d, _ := row.BroadcastTo(4, 6)
			return Copy(d, m)
		}},
		{"nil", ErrNil, func() error { return Copy(m, nil) }},
		{"FMA third input", ErrShape, func() error { return FMA(m, m, row, array.New(5)) }},
	}
	for _, tt := range tests {
		if err := tt.call(); !errors.Is(err, tt.err) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
		}
		for _, v := range m.Values() {
			if v != 9 {
				t.Fatalf("%s: dst changed", tt.name)
			}
		}
	}
}

func TestBroadcastAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	s := sched.New(sched.WithWorkers(2))
	defer s.Close()
	e := On(s)
	r := rand.New(rand.NewPCG(2, 3))
	m, row, col, d := randArray(r, 500, 300), randArray(r, 300), randArray(r, 500, 1), array.New(500, 300)
	for name, f := range map[string]func() error{
		"row":  func() error { return e.Add(d, m, row) },
		"col":  func() error { return e.Mul(d, col, m) },
		"copy": func() error { return e.Copy(d, row) },
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

// BenchmarkBroadcast compares Add of a 1 × 1000 row onto a 10,000 × 1000
// matrix with a same-shape Add (issue 12's target: within 1.1×).
func BenchmarkBroadcast(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	m, d := randArray(r, 10_000, 1000), array.New(10_000, 1000)
	same, row, col := randArray(r, 10_000, 1000), randArray(r, 1, 1000), randArray(r, 10_000, 1)
	for _, c := range []struct {
		name string
		in   *array.Array
	}{{"same", same}, {"row", row}, {"col", col}} {
		b.Run("Add/"+c.name, func(b *testing.B) {
			b.SetBytes(8 * 3 * int64(m.Len()))
			b.ReportAllocs()
			for b.Loop() {
				if err := Add(d, m, c.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("Copy/row", func(b *testing.B) {
		b.SetBytes(8 * int64(m.Len()))
		b.ReportAllocs()
		for b.Loop() {
			if err := Copy(d, row); err != nil {
				b.Fatal(err)
			}
		}
	})
}
