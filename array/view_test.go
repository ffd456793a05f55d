package array

import (
	"errors"
	"testing"
)

// TestStep checks Step against numpy's slicing rules, written out as
// index lists.
func TestStep(t *testing.T) {
	a := New(10)
	for i := range a.data {
		a.data[i] = float64(i)
	}
	cases := []struct {
		lo, hi, step int
		want         []float64
	}{
		{0, 10, 1, []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{0, 10, 3, []float64{0, 3, 6, 9}},                    // a[::3]
		{2, 9, 3, []float64{2, 5, 8}},                        // a[2:9:3]
		{0, 10, -1, []float64{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}}, // a[::-1]
		{3, 9, -2, []float64{8, 6, 4}},                       // a[8:2:-2]
		{0, 10, -4, []float64{9, 5, 1}},                      // a[::-4]
		{4, 4, 2, nil},
		{4, 4, -2, nil},
		{9, 10, -5, []float64{9}},
	}
	for _, c := range cases {
		v := a.Step(0, c.lo, c.hi, c.step)
		got := v.Values()
		if len(got) != len(c.want) || v.Len() != len(c.want) {
			t.Errorf("Step(%d, %d, %d) = %v, want %v", c.lo, c.hi, c.step, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("Step(%d, %d, %d) = %v, want %v", c.lo, c.hi, c.step, got, c.want)
				break
			}
		}
		// Views share storage: Set through the view is seen in a.
		if v.Len() > 0 {
			v.Set(100, 0)
			if a.At(int(c.want[0])) != 100 {
				t.Errorf("Step(%d, %d, %d) does not share storage", c.lo, c.hi, c.step)
			}
			a.Set(c.want[0], int(c.want[0]))
		}
	}
	// 2-d, both axes, composed.
	m := New(4, 5)
	for i := range m.data {
		m.data[i] = float64(i)
	}
	v := m.Step(0, 0, 4, -2).Step(1, 1, 5, 2)
	if got := v.Values(); len(got) != 4 || got[0] != 16 || got[1] != 18 || got[2] != 6 || got[3] != 8 {
		t.Errorf("2-d step: %v", got)
	}
	if _, err := Strided(v.Backing(), v.Offset(), v.Shape(), v.Strides()); err != nil {
		t.Errorf("step view is not a valid strided view: %v", err)
	}
	for _, bad := range [][3]int{{0, 11, 1}, {-1, 3, 1}, {5, 4, 1}, {0, 3, 0}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Step(%v) did not panic", bad)
				}
			}()
			a.Step(0, bad[0], bad[1], bad[2])
		}()
	}
}

func TestBroadcast(t *testing.T) {
	cases := []struct {
		in   [][]int
		want []int
		ok   bool
	}{
		{[][]int{{3, 4}, {4}}, []int{3, 4}, true},
		{[][]int{{3, 1}, {1, 4}}, []int{3, 4}, true},
		{[][]int{{2, 1, 4}, {3, 1}, {}}, []int{2, 3, 4}, true},
		{[][]int{{0, 1}, {1, 5}}, []int{0, 5}, true},
		{[][]int{{3, 4}, {3}}, nil, false},
		{[][]int{{2, 0}, {2, 3}}, nil, false},
	}
	for _, c := range cases {
		got, err := BroadcastShape(c.in...)
		if c.ok != (err == nil) || (c.ok && !equalInts(got, c.want)) {
			t.Errorf("BroadcastShape(%v) = %v, %v; want %v", c.in, got, err, c.want)
		}
		if !c.ok && !errors.Is(err, ErrShape) {
			t.Errorf("BroadcastShape(%v): %v is not ErrShape", c.in, err)
		}
	}
	row := New(1, 3)
	for i := range row.data {
		row.data[i] = float64(i + 1)
	}
	b, err := row.BroadcastTo(2, 4, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !equalInts(b.Strides(), []int{0, 0, 1}) || b.At(1, 3, 2) != 3 {
		t.Errorf("BroadcastTo: strides %v, %v", b.Strides(), b)
	}
	if _, err := row.BroadcastTo(2, 2); !errors.Is(err, ErrShape) {
		t.Errorf("BroadcastTo(2, 2): %v", err)
	}
	if _, err := row.BroadcastTo(3); !errors.Is(err, ErrShape) {
		t.Errorf("BroadcastTo fewer dims: %v", err)
	}
}
