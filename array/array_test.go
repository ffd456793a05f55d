package array

import (
	"errors"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func seq(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64(i)
	}
	return s
}

func TestNewAlignedZeroed(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 63, 64, 1000, 4097} {
		for rep := 0; rep < 4; rep++ {
			a := New(n)
			if a.Len() != n || a.Ndim() != 1 || !a.IsContiguous() {
				t.Fatalf("New(%d): len %d ndim %d", n, a.Len(), a.Ndim())
			}
			if n > 0 && a.Addr()%Align != 0 {
				t.Fatalf("New(%d) not %d-byte aligned: %#x", n, Align, a.Addr())
			}
			for i, v := range a.Data() {
				if v != 0 {
					t.Fatalf("New(%d)[%d] = %v", n, i, v)
				}
			}
		}
	}
	if s := New(); s.Len() != 1 || s.Ndim() != 0 {
		t.Fatalf("0-d array: len %d ndim %d", s.Len(), s.Ndim())
	}
	defer func() {
		if recover() == nil {
			t.Fatal("New(-1) did not panic")
		}
	}()
	New(2, -1)
}

func TestFromSlice(t *testing.T) {
	d := seq(6)
	tests := []struct {
		shape []int
		err   error
	}{
		{[]int{6}, nil}, {[]int{2, 3}, nil}, {[]int{3, 2}, nil}, {[]int{1, 2, 3}, nil}, {nil, nil},
		{[]int{4}, ErrShape}, {[]int{2, 2}, ErrShape}, {[]int{-2, -3}, ErrShape}, {[]int{0}, ErrShape},
	}
	for _, tt := range tests {
		a, err := FromSlice(d, tt.shape...)
		if !errors.Is(err, tt.err) {
			t.Errorf("FromSlice(%v): err %v, want %v", tt.shape, err, tt.err)
			continue
		}
		if err != nil {
			continue
		}
		if a.Len() != 6 || &a.Data()[0] != &d[0] {
			t.Errorf("FromSlice(%v) does not share data", tt.shape)
		}
	}
}

func TestAtSetStrides(t *testing.T) {
	a, _ := FromSlice(seq(24), 2, 3, 4)
	if got := a.Strides(); !reflect.DeepEqual(got, []int{12, 4, 1}) {
		t.Fatalf("strides %v", got)
	}
	for i := 0; i < 2; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 4; k++ {
				if got, want := a.At(i, j, k), float64(i*12+j*4+k); got != want {
					t.Fatalf("At(%d,%d,%d) = %v, want %v", i, j, k, got, want)
				}
			}
		}
	}
	a.Set(-1, 1, 2, 3)
	if a.Data()[23] != -1 {
		t.Fatal("Set did not write the backing slice")
	}
	sh := a.Shape()
	sh[0] = 99
	if a.Dim(0) != 2 || a.Dim(-1) != 4 {
		t.Fatal("Shape must return a copy; Dim(-1) must be the last axis")
	}
	for _, idx := range [][]int{{2, 0, 0}, {0, 3, 0}, {0, 0, -1}, {0, 0}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("At(%v) did not panic", idx)
				}
			}()
			a.At(idx...)
		}()
	}
}

func TestViews(t *testing.T) {
	a, _ := FromSlice(seq(12), 3, 4)
	r := a.Row(1)
	if !reflect.DeepEqual(r.Values(), []float64{4, 5, 6, 7}) || !r.IsContiguous() {
		t.Fatalf("Row(1) = %v", r.Values())
	}
	c := a.Index(1, 2)
	if !reflect.DeepEqual(c.Values(), []float64{2, 6, 10}) || c.IsContiguous() || c.Data() != nil {
		t.Fatalf("column 2 = %v contiguous=%v", c.Values(), c.IsContiguous())
	}
	c.Set(-5, 1)
	if a.At(1, 2) != -5 {
		t.Fatal("write through column view not visible in parent")
	}
	s := a.Slice(1, 1, 3)
	want := []float64{1, 2, 5, -5, 9, 10}
	if !reflect.DeepEqual(s.Values(), want) {
		t.Fatalf("Slice(1,1,3) = %v, want %v", s.Values(), want)
	}
	tr := a.Transpose()
	if !reflect.DeepEqual(tr.Shape(), []int{4, 3}) || tr.At(2, 1) != a.At(1, 2) {
		t.Fatal("Transpose")
	}
	if a.Slice(0, 1, 1).Len() != 0 {
		t.Fatal("empty slice")
	}
	if got := a.String(); got != "[[0 1 2 3] [4 5 -5 7] [8 9 10 11]]" {
		t.Fatalf("String = %q", got)
	}
}

func TestReshape(t *testing.T) {
	a, _ := FromSlice(seq(12), 3, 4)
	b, err := a.Reshape(2, -1)
	if err != nil || !reflect.DeepEqual(b.Shape(), []int{2, 6}) {
		t.Fatalf("Reshape(2,-1): %v %v", b, err)
	}
	b.Set(100, 1, 5)
	if a.At(2, 3) != 100 {
		t.Fatal("Reshape of contiguous array must be a view")
	}
	col := a.Slice(1, 0, 2) // 3x2, strided
	c, err := col.Reshape(6)
	if err != nil || !reflect.DeepEqual(c.Values(), []float64{0, 1, 4, 5, 8, 9}) {
		t.Fatalf("Reshape strided: %v %v", c, err)
	}
	c.Set(-1, 0)
	if a.At(0, 0) != 0 {
		t.Fatal("Reshape of strided view must copy")
	}
	for _, sh := range [][]int{{5}, {-1, -1}, {-3, 4}, {0, -1}} {
		if _, err := a.Reshape(sh...); !errors.Is(err, ErrShape) {
			t.Errorf("Reshape(%v): err %v, want ErrShape", sh, err)
		}
	}
}

func TestCopyFillClone(t *testing.T) {
	a, _ := FromSlice(seq(12), 3, 4)
	col := a.Index(1, 0)
	col.Fill(7)
	if a.At(2, 0) != 7 || a.At(2, 1) != 9 {
		t.Fatal("Fill on strided view")
	}
	cl := a.Clone()
	cl.Set(-1, 0, 0)
	if a.At(0, 0) == -1 || cl.Addr()%Align != 0 {
		t.Fatal("Clone must copy into aligned storage")
	}
	dst := New(3)
	if err := dst.CopyFrom(a.Index(1, 1)); err != nil || !reflect.DeepEqual(dst.Values(), []float64{1, 5, 9}) {
		t.Fatalf("CopyFrom: %v %v", dst, err)
	}
	if err := dst.CopyFrom(New(4)); !errors.Is(err, ErrShape) {
		t.Fatalf("CopyFrom shape: %v", err)
	}
	if err := dst.CopyFrom(nil); !errors.Is(err, ErrNil) {
		t.Fatalf("CopyFrom nil: %v", err)
	}
	// Overlapping shift copy behaves as if src were read first.
	v := Vec(seq(5))
	if err := v.Slice(0, 1, 5).CopyFrom(v.Slice(0, 0, 4)); err != nil || !reflect.DeepEqual(v.Values(), []float64{0, 0, 1, 2, 3}) {
		t.Fatalf("overlapping CopyFrom: %v", v)
	}
}

func TestOverlap(t *testing.T) {
	a := Vec(seq(10))
	tests := []struct {
		name      string
		x, y      *Array
		ovl, same bool
	}{
		{"identical", a, a, true, true},
		{"same view twice", a.Slice(0, 2, 8), a.Slice(0, 2, 8), true, true},
		{"shifted", a.Slice(0, 0, 5), a.Slice(0, 1, 6), true, false},
		{"disjoint halves", a.Slice(0, 0, 5), a.Slice(0, 5, 10), false, false},
		{"other storage", a, Vec(seq(10)), false, false},
		{"empty", a.Slice(0, 3, 3), a, false, false},
	}
	for _, tt := range tests {
		if got := Overlaps(tt.x, tt.y); got != tt.ovl {
			t.Errorf("%s: Overlaps = %v", tt.name, got)
		}
		if got := PartialOverlap(tt.x, tt.y); got != (tt.ovl && !tt.same) {
			t.Errorf("%s: PartialOverlap = %v", tt.name, got)
		}
	}
}

func TestStrided(t *testing.T) {
	d := seq(10)
	v, err := Strided(d, 9, []int{5}, []int{-2})
	if err != nil || !reflect.DeepEqual(v.Values(), []float64{9, 7, 5, 3, 1}) {
		t.Fatalf("negative stride: %v %v", v, err)
	}
	if _, err := Strided(d, 0, []int{6}, []int{2}); !errors.Is(err, ErrShape) {
		t.Fatalf("out of range strided view: %v", err)
	}
}

func TestDenseInterop(t *testing.T) {
	m := mat.NewDense(4, 5, seq(20))
	a := FromDense(m)
	if !reflect.DeepEqual(a.Shape(), []int{4, 5}) || !a.IsContiguous() {
		t.Fatal("FromDense shape")
	}
	a.Set(-3, 2, 1)
	if m.At(2, 1) != -3 {
		t.Fatal("write through Array not visible in Dense")
	}
	m.Set(0, 4, 42)
	if a.At(0, 4) != 42 {
		t.Fatal("write through Dense not visible in Array")
	}
	sub := m.Slice(1, 3, 1, 4).(*mat.Dense) // 2x3 with stride 5
	s := FromDense(sub)
	if s.IsContiguous() || s.At(1, 2) != m.At(2, 3) {
		t.Fatal("sub-matrix must be a strided view")
	}
	s.Set(77, 1, 2)
	if m.At(2, 3) != 77 {
		t.Fatal("write through strided view not visible in Dense")
	}
	back, err := s.Dense()
	if err != nil {
		t.Fatal(err)
	}
	back.Set(0, 0, -9)
	if m.At(1, 1) != -9 || s.At(0, 0) != -9 {
		t.Fatal("Dense() of a view must share storage")
	}
	if _, err := s.Transpose().Dense(); !errors.Is(err, ErrNotContiguous) {
		t.Fatalf("Dense of transposed view: %v", err)
	}
	if _, err := New(2, 2, 2).Dense(); !errors.Is(err, ErrShape) {
		t.Fatalf("Dense of 3-D: %v", err)
	}
}

func TestVecDenseInterop(t *testing.T) {
	v := mat.NewVecDense(6, seq(6))
	a := FromVecDense(v)
	a.Set(-1, 3)
	if v.AtVec(3) != -1 {
		t.Fatal("write through Array not visible in VecDense")
	}
	col := mat.NewDense(3, 2, seq(6)).ColView(1).(*mat.VecDense) // Inc 2
	c := FromVecDense(col)
	if !reflect.DeepEqual(c.Values(), []float64{1, 3, 5}) || c.IsContiguous() {
		t.Fatalf("strided VecDense: %v", c)
	}
	back, err := Vec(seq(4)).Slice(0, 1, 3).VecDense()
	if err != nil || back.Len() != 2 || back.AtVec(0) != 1 {
		t.Fatalf("VecDense(): %v %v", back, err)
	}
	back.SetVec(1, 50)
	if _, err := New(2, 2).VecDense(); !errors.Is(err, ErrShape) {
		t.Fatalf("VecDense of 2-D: %v", err)
	}
	rev, _ := Strided(seq(4), 3, []int{4}, []int{-1})
	if _, err := rev.VecDense(); !errors.Is(err, ErrNotContiguous) {
		t.Fatalf("VecDense of reversed view: %v", err)
	}
}

func TestEmptyViews(t *testing.T) {
	e := New(0, 2).Index(1, 1)
	if e.Len() != 0 || e.Data() == nil || len(e.Data()) != 0 || len(e.Values()) != 0 {
		t.Fatalf("empty view: len %d data %v", e.Len(), e.Data())
	}
}
