package kernels

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

// A dst that addresses some element twice (a zero stride, aliasing
// strides) is rejected before anything is written.
func TestSelfOverlappingDstIsRejected(t *testing.T) {
	buf := make([]float64, 4096)
	zero, _ := array.Strided(buf, 0, []int{64, 64}, []int{0, 1})   // every row the same memory
	alias, _ := array.Strided(buf, 0, []int{64, 64}, []int{32, 1}) // rows overlap by half
	src := array.New(64, 64)
	for i := range src.Data() {
		src.Data()[i] = float64(i)
	}
	for _, dst := range []*array.Array{zero, alias} {
		for name, call := range map[string]func() error{
			"Add":         func() error { return Add(dst, src, src) },
			"Neg":         func() error { return Neg(dst, src) },
			"Map":         func() error { return Map(dst, src, math.Exp) },
			"RollingMean": func() error { return RollingMean(dst, src, 3) },
			"RollingMax":  func() error { return RollingMax(dst, src, 3) },
		} {
			if err := call(); !errors.Is(err, ErrOverlap) {
				t.Errorf("%s into strides %v: err %v, want ErrOverlap", name, dst.Strides(), err)
			}
		}
		for _, v := range buf {
			if v != 0 {
				t.Fatalf("dst written on error")
			}
		}
	}
	line, _ := array.Strided(buf, 0, []int{64}, []int{0})
	for name, call := range map[string]func() error{
		"SumAxis":  func() error { return SumAxis(line, src, 0) },
		"MeanAxis": func() error { return MeanAxis(line, src, 1) },
		"MaxAxis":  func() error { return MaxAxis(line, src, 1) },
	} {
		if err := call(); !errors.Is(err, ErrOverlap) {
			t.Errorf("%s into a zero-stride dst: %v", name, err)
		}
	}
	empty := array.New(64, 0)
	if err := SumAxis(line, empty, 1); !errors.Is(err, ErrOverlap) {
		t.Errorf("SumAxis of an empty axis into a zero-stride dst: %v", err)
	}
}

// Disjoint interleaved views are not an overlap: even from odd elements,
// and a derived column written beside the data.
func TestInterleavedViewsWork(t *testing.T) {
	v := array.New(2000)
	for i := range v.Data() {
		v.Data()[i] = float64(i)
	}
	even, _ := array.Strided(v.Backing(), 0, []int{1000}, []int{2})
	odd, _ := array.Strided(v.Backing(), 1, []int{1000}, []int{2})
	if err := Scale(odd, even, 3); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		if v.At(2*i+1) != 3*float64(2*i) {
			t.Fatalf("odd %d = %v", i, v.At(2*i+1))
		}
	}
	m := array.New(500, 4)
	for i := 0; i < 500; i++ {
		m.Set(float64(i), i, 0)
	}
	if err := Sqrt(m.Index(1, 1), m.Index(1, 0)); err != nil {
		t.Fatal(err)
	}
	if err := RollingMean(m.Index(1, 2), m.Index(1, 0), 5); err != nil {
		t.Fatal(err)
	}
	if err := Add(m.Slice(1, 3, 4), m.Slice(1, 0, 1), m.Slice(1, 1, 2)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 500; i++ {
		if m.At(i, 1) != math.Sqrt(float64(i)) || m.At(i, 3) != float64(i)+math.Sqrt(float64(i)) {
			t.Fatalf("row %d = %v", i, m.Row(i))
		}
		if i >= 4 && m.At(i, 2) != float64(i-2) {
			t.Fatalf("rolling mean row %d = %v", i, m.At(i, 2))
		}
	}
}

// A strided array of more than 16 dimensions goes through the kernels
// without allocating.
func TestManyDimensionsDoNotAllocate(t *testing.T) {
	shape := make([]int, 22)
	for k := range shape {
		shape[k] = 2
	}
	a := array.New(shape...)
	for i := range a.Data() {
		a.Data()[i] = float64(i)
	}
	src := a.Transpose() // reversed axes: strided
	dst := array.New(src.Shape()...)
	if err := Neg(dst, src); err != nil {
		t.Fatal(err)
	}
	if got, want := dst.Values(), src.Values(); got[12345] != -want[12345] {
		t.Fatalf("Neg wrong: %v vs %v", got[12345], want[12345])
	}
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	if n := testing.AllocsPerRun(5, func() { _ = Neg(dst, src) }); n != 0 {
		t.Fatalf("%v allocations per Neg of a 22-d strided array", n)
	}
}

// SumAxis equals Sum of each line bit for bit, NaN payloads included.
func TestReductionNaNsAgree(t *testing.T) {
	nan1 := math.Float64frombits(0x7ff8000000000123)
	nan2 := math.Float64frombits(0xfff8000000000456)
	for _, n := range []int{3, 200, 5000} {
		m := array.New(3, n)
		for j := 0; j < n; j++ {
			m.Set(1, 0, j)
			m.Set(float64(j), 1, j)
		}
		m.Set(nan1, 0, n/3)
		m.Set(nan2, 0, n-1)
		m.Set(nan2, 2, 0)
		m.Set(nan1, 2, n-1)
		sums, means := array.New(3), array.New(3)
		if err := SumAxis(sums, m, 1); err != nil {
			t.Fatal(err)
		}
		if err := MeanAxis(means, m, 1); err != nil {
			t.Fatal(err)
		}
		cols := array.New(3) // the same lines through the strided, grouped path
		if err := SumAxis(cols, m.Transpose(), 0); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			if math.Float64bits(cols.At(i)) != math.Float64bits(sums.At(i)) {
				t.Errorf("n=%d line %d: grouped %x, per line %x", n, i, math.Float64bits(cols.At(i)), math.Float64bits(sums.At(i)))
			}
			s, _ := Sum(m.Row(i))
			mu, _ := Mean(m.Row(i))
			if math.Float64bits(s) != math.Float64bits(sums.At(i)) || math.Float64bits(mu) != math.Float64bits(means.At(i)) {
				t.Errorf("n=%d row %d: Sum %x SumAxis %x; Mean %x MeanAxis %x", n, i,
					math.Float64bits(s), math.Float64bits(sums.At(i)), math.Float64bits(mu), math.Float64bits(means.At(i)))
			}
		}
	}
}

// Without an L3 the streaming-store threshold is all cores' L2, not zero.
func TestNoL3DoesNotStreamEverything(t *testing.T) {
	s := sched.New(sched.WithTopology(sched.Topology{Workers: 2, L2: 1 << 20, L3: 0}))
	defer s.Close()
	e := On(s)
	if e.streaming(1000, 2) || e.streaming(40_000, 2) {
		t.Fatal("small calls stream with no L3")
	}
	if !e.streaming(10_000_000, 2) {
		t.Fatal("a call far past all caches does not stream")
	}
}

// Random lines with NaNs of several payloads and ±Inf, through the
// per-line and the grouped (strided) paths: every output equals Sum of its
// line bit for bit. (Lines longer than one chunk of 8192 exposed a fresh
// NaN on the per-line path.)
func TestReductionNaNsAgreeRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	nans := []float64{math.Float64frombits(0x7ff8000000000123), math.Float64frombits(0xfff8000000000456), math.NaN(), math.Inf(1), math.Inf(-1)}
	for it := 0; it < 400; it++ {
		n := 1 + r.IntN(20000)
		rows := 8
		m := array.New(rows, n)
		for i := range m.Data() {
			m.Data()[i] = r.NormFloat64()
		}
		for k := 0; k < 1+r.IntN(3); k++ {
			m.Set(nans[r.IntN(len(nans))], r.IntN(rows), r.IntN(n))
		}
		a, b := array.New(rows), array.New(rows)
		_ = SumAxis(a, m, 1)
		_ = SumAxis(b, m.Transpose(), 0)
		for i := 0; i < rows; i++ {
			s, _ := Sum(m.Row(i))
			if math.Float64bits(s) != math.Float64bits(a.At(i)) || math.Float64bits(s) != math.Float64bits(b.At(i)) {
				t.Fatalf("n=%d row %d: %x %x %x", n, i, math.Float64bits(s), math.Float64bits(a.At(i)), math.Float64bits(b.At(i)))
			}
		}
	}
}
