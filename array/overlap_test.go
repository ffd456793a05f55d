package array

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// elems returns the backing positions a addresses, with multiplicity.
func elems(a *Array) []int {
	var out []int
	a.each(func(p int) { out = append(out, p) })
	return out
}

func bruteOverlap(a, b *Array) bool {
	seen := map[int]bool{}
	for _, p := range elems(a) {
		seen[p] = true
	}
	for _, p := range elems(b) {
		if seen[p] {
			return true
		}
	}
	return false
}

func bruteSelf(a *Array) bool {
	seen := map[int]bool{}
	for _, p := range elems(a) {
		if seen[p] {
			return true
		}
		seen[p] = true
	}
	return false
}

func randView(r *rand.Rand, data []float64) *Array {
	for {
		nd := 1 + r.IntN(3)
		shape, strides := make([]int, nd), make([]int, nd)
		for k := range shape {
			shape[k] = 1 + r.IntN(5)
			strides[k] = r.IntN(13) - 6
		}
		a, err := Strided(data, r.IntN(len(data)), shape, strides)
		if err == nil {
			return a
		}
	}
}

// checkAgainstBruteForce compares Overlaps(a, b) and SelfOverlaps(a) with
// brute force.
func checkAgainstBruteForce(t *testing.T, a, b *Array) {
	t.Helper()
	if got, want := Overlaps(a, b), bruteOverlap(a, b); got != want {
		t.Fatalf("Overlaps(%v/%v+%d, %v/%v+%d) = %v, want %v", a.shape, a.strides, a.offset, b.shape, b.strides, b.offset, got, want)
	}
	if got, want := SelfOverlaps(a), bruteSelf(a); got != want {
		t.Fatalf("SelfOverlaps(%v/%v) = %v, want %v", a.shape, a.strides, got, want)
	}
}

func TestOverlapsMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]float64, 64)
	for i := 0; i < 200_000; i++ {
		checkAgainstBruteForce(t, randView(r, data), randView(r, data))
	}
}

func FuzzOverlaps(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Fuzz(func(t *testing.T, s1, s2 uint64) {
		r := rand.New(rand.NewPCG(s1, s2))
		data := make([]float64, 100)
		checkAgainstBruteForce(t, randView(r, data), randView(r, data))
	})
}

// The everyday layouts at sizes where brute force would be slow: decided
// exactly, without allocating.
func TestOverlapsEverydayLayouts(t *testing.T) {
	m := New(1_000_000, 100)
	v := New(2_000_000)
	even, _ := Strided(v.Backing(), 0, []int{1_000_000}, []int{2})
	odd, _ := Strided(v.Backing(), 1, []int{1_000_000}, []int{2})
	cases := []struct {
		name string
		a, b *Array
		want bool
	}{
		{"even/odd", even, odd, false},
		{"even/even", even, even, true},
		{"two columns", m.Index(1, 3), m.Index(1, 4), false},
		{"column blocks of different widths", m.Slice(1, 0, 10), m.Slice(1, 10, 30), false},
		{"adjacent column blocks meeting", m.Slice(1, 0, 11), m.Slice(1, 10, 30), true},
		{"row and column", m.Row(500), m.Index(1, 7), true},
		{"row blocks", m.Slice(0, 0, 500_000), m.Slice(0, 500_000, 1_000_000), false},
		{"transposed block vs column", m.Slice(1, 0, 10).Transpose(), m.Index(1, 50), false},
		{"vector halves", v.Slice(0, 0, 1_000_000), v.Slice(0, 1_000_000, 2_000_000), false},
	}
	for _, c := range cases {
		if got := Overlaps(c.a, c.b); got != c.want {
			t.Errorf("%s: Overlaps = %v, want %v", c.name, got, c.want)
		}
		if got := Overlaps(c.b, c.a); got != c.want {
			t.Errorf("%s (swapped): Overlaps = %v, want %v", c.name, got, c.want)
		}
		if allocs := testing.AllocsPerRun(10, func() { Overlaps(c.a, c.b) }); allocs != 0 {
			t.Errorf("%s: %v allocs", c.name, allocs)
		}
	}
	if PartialOverlap(even, odd) || !PartialOverlap(even, v) || PartialOverlap(v, v) {
		t.Error("PartialOverlap")
	}
	for _, a := range []*Array{m, m.Index(1, 3), m.Slice(1, 0, 10).Transpose(), even} {
		if SelfOverlaps(a) {
			t.Errorf("%v/%v: SelfOverlaps", a.shape, a.strides)
		}
	}
	bc, _ := Strided(v.Backing(), 0, []int{1000, 100}, []int{0, 1}) // a broadcast row
	alias, _ := Strided(v.Backing(), 0, []int{1000, 100}, []int{50, 1})
	for _, a := range []*Array{bc, alias} {
		if !SelfOverlaps(a) {
			t.Errorf("%v/%v: !SelfOverlaps", a.shape, a.strides)
		}
	}
}

func TestShapesThatOverflow(t *testing.T) {
	big := []([]int){{1<<62 + 1, 4}, {math.MaxInt, 2}, {1 << 31, 1 << 31, 4}, {MaxLen + 1}, {0, 1 << 62, 1 << 3}}
	for _, sh := range big {
		if _, err := FromSlice(nil, sh...); !errors.Is(err, ErrShape) {
			t.Errorf("FromSlice %v: %v", sh, err)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%v) did not panic", sh)
				}
			}()
			a := New(sh...)
			t.Errorf("New(%v) returned %d elements", sh, a.Len())
		}()
	}
	a := New(4, 4)
	if _, err := a.Reshape(1<<62+1, 4); !errors.Is(err, ErrShape) {
		t.Errorf("Reshape: %v", err)
	}
	if _, err := a.Reshape(-1, 1<<62, 4); !errors.Is(err, ErrShape) {
		t.Errorf("Reshape with -1: %v", err)
	}
	if _, err := New(65 - 64).Reshape(make([]int, 65)...); !errors.Is(err, ErrShape) {
		t.Errorf("Reshape to 65 dims: %v", err)
	}
	d := make([]float64, 16)
	for _, c := range []struct{ shape, strides []int }{
		{[]int{2}, []int{math.MaxInt}}, {[]int{3}, []int{math.MaxInt / 2}}, {[]int{2, 2}, []int{math.MinInt / 2, 1}},
		{[]int{1 << 40, 1 << 40}, []int{0, 0}},
	} {
		if _, err := Strided(d, 0, c.shape, c.strides); !errors.Is(err, ErrShape) {
			t.Errorf("Strided %v %v: %v", c.shape, c.strides, err)
		}
	}
	if _, err := Strided(d, 0, make([]int, 65), make([]int, 65)); !errors.Is(err, ErrShape) {
		t.Errorf("Strided with 65 dims: %v", err)
	}
}

func TestInputFault(t *testing.T) {
	dst := New(4, 5)
	stretched, _ := New(1, 5).BroadcastTo(4, 5)
	for _, c := range []struct {
		name string
		src  *Array
		want error
	}{
		{"same shape", New(4, 5), nil},
		{"row", New(1, 5), nil},
		{"0-d", New(), nil},
		{"same view (in place)", dst, nil},
		{"stretched input", stretched, nil},
		{"nil", nil, ErrNil},
		{"shape", New(4), ErrShape},
		{"more dims", New(2, 4, 5), ErrShape},
	} {
		if got := InputFault(dst, c.src); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	col := dst.Slice(1, 0, 4)
	if got := InputFault(col, dst.Slice(1, 1, 5)); got != ErrOverlap {
		t.Errorf("overlapping column views: %v, want ErrOverlap", got)
	}
}
