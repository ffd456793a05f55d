package kernels

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

// refSort is the definition: IEEE total order (−0 < +0), NaNs last in
// their input order.
func refSort(x []float64) []float64 {
	var vals, nans []float64
	for _, v := range x {
		if v != v {
			nans = append(nans, v)
		} else {
			vals = append(vals, v)
		}
	}
	slices.SortFunc(vals, func(a, b float64) int { return cmp.Compare(ukey(a), ukey(b)) })
	return append(vals, nans...)
}

func sortData(r *rand.Rand, n, kind int) []float64 {
	x := make([]float64, n)
	for i := range x {
		switch kind {
		case 0:
			x[i] = r.NormFloat64()
		case 1:
			x[i] = float64(r.IntN(4)) - 1.5
		case 2:
			x[i] = []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), -math.NaN(), 1}[r.IntN(7)]
		case 3:
			x[i] = float64(n - i)
		case 4:
			x[i] = math.Ldexp(r.Float64(), r.IntN(2000)-1000) * float64(1-2*r.IntN(2))
		}
	}
	if kind == 0 && n > 10 {
		x[3] = math.Float64frombits(0x7ff8_0000_0000_0bad) // a NaN payload survives
	}
	return x
}

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func TestSort1D(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	es := engines(t)
	for _, n := range []int{1, 2, 5, 255, 256, 1000, longSortMin - 1, longSortMin, 300_001} {
		for kind := 0; kind < 5; kind++ {
			x := sortData(r, n, kind)
			want := refSort(x)
			for i, e := range es {
				if n > 1000 && i%3 != 0 {
					continue
				}
				dst := array.New(n)
				if err := e.Sort(dst, array.Vec(x), 0); err != nil {
					t.Fatal(err)
				}
				if !sameBits(dst.Values(), want) {
					t.Fatalf("n=%d kind %d %s: differs from the reference", n, kind, engineName(e))
				}
				in := array.Vec(slices.Clone(x))
				if err := e.Sort(in, in, 0); err != nil || !sameBits(in.Values(), want) {
					t.Fatalf("n=%d kind %d %s: in place differs (%v)", n, kind, engineName(e), err)
				}
				// reversed (negative stride) source and destination
				rs := array.Vec(slices.Clone(x)).Step(0, 0, n, -1)
				rd := array.New(n).Step(0, 0, n, -1)
				if err := e.Sort(rd, rs, 0); err != nil {
					t.Fatal(err)
				}
				if !sameBits(rd.Values(), refSort(rs.Values())) {
					t.Fatalf("n=%d kind %d %s: strided differs", n, kind, engineName(e))
				}
			}
		}
	}
}

func TestSortAxes(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 7))
	src := array.New(4, 300, 3)
	v, _ := array.Vec(sortData(r, src.Len(), 2)).Reshape(4, 300, 3)
	_ = src.CopyFrom(v)
	for _, e := range engines(t)[:4] {
		for ax := -1; ax < 3; ax++ {
			dst := array.New(3, 300, 4).Transpose(2, 1, 0) // strided
			if err := e.Sort(dst, src, ax); err != nil {
				t.Fatal(err)
			}
			a := (ax + 3) % 3
			w := newWalkerSkip(dst, a, 0)
			for p := 0; p < dst.Len()/dst.Dim(a); p++ {
				got := lineOf(dst, a, w.index()).Values()
				if !sameBits(got, refSort(lineOf(src, a, w.index()).Values())) {
					t.Fatalf("axis %d line %v differs", ax, w.index())
				}
				w.advance(1)
			}
		}
	}
}

func TestArgSort(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 8))
	for _, n := range []int{0, 1, 2, 100, 5000, 70_000} {
		for kind := 0; kind < 5; kind++ {
			x := sortData(r, n, kind)
			want := make([]int, n)
			for i := range want {
				want[i] = i
			}
			slices.SortStableFunc(want, func(i, j int) int {
				a, b := x[i], x[j]
				switch {
				case a != a && b != b:
					return 0
				case a != a:
					return 1
				case b != b:
					return -1
				}
				return cmp.Compare(ukey(a), ukey(b))
			})
			for _, src := range []*array.Array{array.Vec(x), array.Vec(slices.Clone(x)).Step(0, 0, n, 1)} {
				got, err := ArgSort(src)
				if err != nil || !slices.Equal(got, want) {
					t.Fatalf("n=%d kind %d: %v", n, kind, err)
				}
			}
		}
	}
	if _, err := ArgSort(array.New(2, 2)); !errors.Is(err, ErrShape) {
		t.Errorf("2-d: %v", err)
	}
	if _, err := ArgSort(nil); !errors.Is(err, ErrNil) {
		t.Errorf("nil: %v", err)
	}
}

func TestSortErrors(t *testing.T) {
	m := array.New(4, 6)
	d := array.New(4, 6)
	d.Fill(9)
	for name, c := range map[string]struct{ err, want error }{
		"shape":   {Sort(d, array.New(6), 0), ErrShape},
		"axis":    {Sort(d, m, 2), ErrAxis},
		"overlap": {Sort(d.Slice(1, 0, 5), d.Slice(1, 1, 6), 1), ErrOverlap},
		"nil":     {Sort(nil, m, 0), ErrNil},
	} {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v, want %v", name, c.err, c.want)
		}
	}
	for _, v := range d.Values() {
		if v != 9 {
			t.Fatal("dst changed by a failed call")
		}
	}
}

// withSampleSort runs f with every contiguous line of two or more values
// sorted by the sample sort of sort_long.go.
func withSampleSort(f func()) {
	old := longSortMin
	longSortMin = 2
	defer func() { longSortMin = old }()
	f()
}

// TestSortLong drives the sample sort through the inputs that stress its
// splitters and buckets: all NaN (no splitter sampled), all equal, a few
// values with many copies, signed zeros, sorted and reversed runs, huge
// exponent ranges, and sizes around its bucket and part sizes.
func TestSortLong(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 9))
	es := engines(t)
	inputs := map[string][]float64{
		"allNaN":  slices.Repeat([]float64{math.NaN()}, 5000),
		"equal":   slices.Repeat([]float64{2.5}, 5000),
		"zeros":   slices.Repeat([]float64{0, math.Copysign(0, -1)}, 3000),
		"oneReal": append(slices.Repeat([]float64{math.NaN()}, 4000), 1),
		"infs":    slices.Repeat([]float64{math.Inf(1), math.Inf(-1), math.NaN(), 0}, 1500),
	}
	for _, n := range []int{2, 3, 17, 255, 256, 257, 4096, longSortBucket*2 + 1, longSortPart + 3, 200_003} {
		for kind := 0; kind < 5; kind++ {
			inputs[fmt.Sprintf("n=%d/kind=%d", n, kind)] = sortData(r, n, kind)
		}
	}
	withSampleSort(func() {
		for name, x := range inputs {
			want := refSort(x)
			for i, e := range es {
				if len(x) > 5000 && i%4 != 1 {
					continue
				}
				dst := array.New(len(x))
				if err := e.Sort(dst, array.Vec(x), 0); err != nil {
					t.Fatal(err)
				}
				if !sameBits(dst.Values(), want) {
					t.Fatalf("%s %s: differs from the reference", name, engineName(e))
				}
				in := array.Vec(slices.Clone(x))
				if err := e.Sort(in, in, 0); err != nil || !sameBits(in.Values(), want) {
					t.Fatalf("%s %s: in place differs (%v)", name, engineName(e), err)
				}
				rs := array.Vec(slices.Clone(x)).Step(0, 0, len(x), -1) // strided source
				if err := e.Sort(dst, rs, 0); err != nil || !sameBits(dst.Values(), refSort(rs.Values())) {
					t.Fatalf("%s %s: strided source differs (%v)", name, engineName(e), err)
				}
			}
		}
	})
}

// TestSortAllocs: Sort allocates nothing in steady state, on the sample
// sort of one long line (one worker and two) and on the per-line radix
// sort along an axis.
func TestSortAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	r := rand.New(rand.NewPCG(1, 6))
	a, d := array.Vec(sortData(r, 200_000, 0)), array.New(200_000)
	m, dm := array.Vec(sortData(r, 15_000, 4)), array.New(15_000)
	m, _ = m.Reshape(50, 300)
	dm, _ = dm.Reshape(50, 300)
	s1 := sched.New(sched.WithWorkers(1))
	defer s1.Close()
	s2 := sched.New(sched.WithWorkers(2))
	defer s2.Close()
	for name, f := range map[string]func() error{
		"1 worker":          func() error { return On(s1).Sort(d, a, 0) },
		"2 workers":         func() error { return On(s2).Sort(d, a, 0) },
		"axis 0, 2 workers": func() error { return On(s2).Sort(dm, m, 0) },
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

// TestSortKeys checks the in-cache bucket sort against slices.Sort on
// keys built to take each of its paths: spread keys (one per prefix),
// spans under one prefix (no run pass), ties, runs just over and under
// insertionMax, clusters that share a prefix and recurse (two and three
// levels deep), and one outlier stretching the range.
func TestSortKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 14))
	gen := map[string]func(i int) uint64{
		"spread":    func(int) uint64 { return r.Uint64() },
		"narrow":    func(int) uint64 { return 1<<40 + r.Uint64N(1<<(2*maxDigit)) },
		"ties":      func(int) uint64 { return uint64(r.IntN(5)) << 50 },
		"runs17":    func(i int) uint64 { return uint64(i%64)<<58 | r.Uint64N(1<<20) },
		"runs16":    func(i int) uint64 { return uint64(i/16)<<58 | r.Uint64N(1<<20) },
		"clusters":  func(int) uint64 { return uint64(r.IntN(3))<<62 | r.Uint64N(1<<30) },
		"deep":      func(int) uint64 { return uint64(r.IntN(2))<<63 | uint64(r.IntN(2))<<20 | r.Uint64N(1<<8) },
		"outlier":   func(i int) uint64 { return map[bool]uint64{true: ^uint64(0)}[i == 7] | r.Uint64N(1<<12) },
		"clusterTi": func(int) uint64 { return uint64(r.IntN(2))<<63 | uint64(r.IntN(3)) },
		"sorted":    func(i int) uint64 { return uint64(i) << 30 },
		"reversed":  func(i int) uint64 { return ^uint64(i) },
	}
	for name, g := range gen {
		for _, n := range []int{1, 2, insertionMax, insertionMax + 1, 100, 1000, 40_000} {
			k := make([]uint64, n)
			for i := range k {
				k[i] = g(i)
			}
			want := slices.Sorted(slices.Values(k))
			for _, emit := range []string{"", "scratch", "keys"} {
				kk, tmp := slices.Clone(k), make([]uint64, n)
				var out []uint64
				switch emit {
				case "scratch":
					out = tmp // as sortBucket
				case "keys":
					out = kk // as sortLine
				}
				got := sortKeys(kk, tmp, out)
				if emit != "" {
					for i := range want {
						if out[i] != unkey(want[i]) {
							t.Fatalf("%s n=%d: emitted to %s, value %d is %#x, want %#x", name, n, emit, i, out[i], unkey(want[i]))
						}
					}
					continue
				}
				if !slices.Equal(got, want) {
					t.Fatalf("%s n=%d: keys not sorted", name, n)
				}
			}
		}
	}
}
