package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
)

// windowKernels are all eleven window kernels in one form: y is the second
// series of cov and corr (ignored by the others).
var windowKernels = []struct {
	name string
	f    func(e *Engine, dst, x, y *array.Array, w int, opts ...RollingOption) error
}{
	{"sum", func(e *Engine, d, x, _ *array.Array, w int, o ...RollingOption) error {
		return e.RollingSum(d, x, w, o...)
	}},
	{"mean", func(e *Engine, d, x, _ *array.Array, w int, o ...RollingOption) error {
		return e.RollingMean(d, x, w, o...)
	}},
	{"var", func(e *Engine, d, x, _ *array.Array, w int, o ...RollingOption) error {
		return e.RollingVar(d, x, w, o...)
	}},
	{"std", func(e *Engine, d, x, _ *array.Array, w int, o ...RollingOption) error {
		return e.RollingStd(d, x, w, o...)
	}},
	{"min", func(e *Engine, d, x, _ *array.Array, w int, o ...RollingOption) error {
		return e.RollingMin(d, x, w, o...)
	}},
	{"max", func(e *Engine, d, x, _ *array.Array, w int, o ...RollingOption) error {
		return e.RollingMax(d, x, w, o...)
	}},
	{"median", func(e *Engine, d, x, _ *array.Array, w int, o ...RollingOption) error {
		return e.RollingMedian(d, x, w, o...)
	}},
	{"quantile", func(e *Engine, d, x, _ *array.Array, w int, o ...RollingOption) error {
		return e.RollingQuantile(d, x, w, 0.3, o...)
	}},
	{"apply", func(e *Engine, d, x, _ *array.Array, w int, o ...RollingOption) error {
		return e.RollingApply(d, x, w, func(v []float64) float64 {
			s := 0.0
			for i, u := range v {
				s += u * float64(i+1)
			}
			return s
		}, o...)
	}},
	{"cov", func(e *Engine, d, x, y *array.Array, w int, o ...RollingOption) error {
		return e.RollingCov(d, x, y, w, o...)
	}},
	{"corr", func(e *Engine, d, x, y *array.Array, w int, o ...RollingOption) error {
		return e.RollingCorr(d, x, y, w, o...)
	}},
}

// laneLayouts are arrays (views) whose lines along axis are not
// contiguous: what the lane path takes.
func laneLayouts(r *rand.Rand, rows int) []struct {
	name string
	x, y *array.Array
	axis int
} {
	fill := func(a *array.Array) *array.Array {
		d := a.Data()
		for i := range d {
			switch k := r.IntN(40); {
			case k == 0:
				d[i] = math.NaN()
			case k == 1:
				d[i] = math.Inf(1 - 2*r.IntN(2))
			case k < 4:
				d[i] = float64(r.IntN(3)) // ties
			default:
				d[i] = r.NormFloat64()*10 + 1e3
			}
		}
		return a
	}
	type layout = struct {
		name string
		x, y *array.Array
		axis int
	}
	var ls []layout
	for _, cols := range []int{1, 3, 8, 13, 21} {
		ls = append(ls, layout{fmt.Sprintf("C(%d,%d)/axis0", rows, cols), fill(array.New(rows, cols)), fill(array.New(rows, cols)), 0})
	}
	ls = append(ls,
		layout{"C(3,rows,9)/axis1", fill(array.New(3, rows, 9)), fill(array.New(3, rows, 9)), 1},
		layout{"C(rows,2,10)/axis0", fill(array.New(rows, 2, 10)), fill(array.New(rows, 2, 10)), 0},
		// Lanes along axis 0, one line apart by the dims after it.
		layout{"T(4,rows,7)/axis1", fill(array.New(4, rows, 7)).Transpose(2, 1, 0), fill(array.New(4, rows, 7)).Transpose(2, 1, 0), 1},
		// No lane axis: one strided lane.
		layout{"step3", fill(array.New(3*rows)).Step(0, 1, 3*rows, 3), fill(array.New(3*rows)).Step(0, 2, 3*rows, 3), 0},
		layout{"reversed", fill(array.New(rows)).Step(0, 0, rows, -1), fill(array.New(rows)), 0},
		// x has lanes, y does not share them: one lane at a time.
		layout{"C(rows,9)/yT", fill(array.New(rows, 9)), fill(array.New(9, rows)).Transpose(1, 0), 0},
	)
	return ls
}

// lineCopy copies line li of a along axis (in the order the kernels
// number lines) into a new contiguous 1-D array.
func lineCopy(a *array.Array, axis, li int) *array.Array {
	w := newWalkerSkip(a, axis, li)
	return array.Vec(lineOf(a, axis, w.index()).Values())
}

// TestRollingLanes checks the lane path (lines that are not contiguous,
// gathered in groups) against each line computed alone as a contiguous
// 1-D series: the same bits, for every kernel, option and layout, with
// lines cut into many segments.
func TestRollingLanes(t *testing.T) {
	old := laneSegMin
	defer func() { laneSegMin = old }()
	r := rand.New(rand.NewPCG(9, 1))
	for _, segMin := range []int{1, 100, 2048} {
		if raceEnabled && segMin != 1 {
			continue // the race detector makes it 10× slower
		}
		laneSegMin = segMin
		combo := 0
		for _, rows := range []int{2, 57, 300} {
			for _, l := range laneLayouts(r, rows) {
				for _, w := range []int{1, 2, 5, 33, 1000} {
					for oi, opts := range [][]RollingOption{nil, {MinPeriods(1)}, {Centered(), PadEdge()}, {Centered(), MinPeriods(0)}} {
						if combo++; raceThin(combo) {
							continue
						}
						for _, k := range windowKernels {
							if k.name == "apply" && w == 1000 && rows == 300 {
								continue // slow and no different
							}
							o := append([]RollingOption{Axis(l.axis)}, opts...)
							dst := array.New(l.x.Shape()...)
							for _, e := range []*Engine{serialEngine(), std()} {
								if err := k.f(e, dst, l.x, l.y, w, o...); err != nil {
									t.Fatal(l.name, err)
								}
								for li := range l.x.Len() / rows {
									want := array.New(rows)
									if err := k.f(serialEngine(), want, lineCopy(l.x, l.axis, li), lineCopy(l.y, l.axis, li), w, opts...); err != nil {
										t.Fatal(err)
									}
									got := lineCopy(dst, l.axis, li)
									for j := range rows {
										if g, v := got.At(j), want.At(j); math.Float64bits(g) != math.Float64bits(v) && !(math.IsNaN(g) && math.IsNaN(v)) {
											t.Fatalf("seg %d %s %s w=%d opts#%d line %d [%d]: %v, want %v (%s)",
												segMin, l.name, k.name, w, oi, li, j, g, v, engineName(e))
										}
									}
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestRollingLanesPlan checks which calls take the lane path and how their
// lines are grouped.
func TestRollingLanesPlan(t *testing.T) {
	for _, c := range []struct {
		name      string
		kind      rollKind
		src, dst  *array.Array
		axis, w   int
		on        bool
		g, c, dc  int
		inner     int
		cblocks   int
		rows      bool
		laneCount int
	}{
		{name: "contiguous 1-D", kind: rollMax, src: array.New(100), dst: array.New(100), w: 5},
		{name: "last axis", kind: rollMax, src: array.New(10, 100), dst: array.New(10, 100), axis: 1, w: 5},
		{name: "panel", kind: rollMax, src: array.New(100, 20), dst: array.New(100, 20), axis: 0, w: 5, on: true, g: 20, c: 1, dc: 20, inner: 1, cblocks: 1, rows: true},
		{name: "median panel", kind: rollMedian, src: array.New(100, 20), dst: array.New(100, 20), axis: 0, w: 5, on: true, g: 8, c: 1, dc: 20, inner: 1, cblocks: 3},
		{name: "3-D middle", kind: rollMax, src: array.New(2, 100, 5), dst: array.New(2, 100, 5), axis: 1, w: 5, on: true, g: 5, c: 2, dc: 5, inner: 1, cblocks: 1},
		{name: "strided dst", kind: rollMax, src: array.New(100), dst: array.New(200).Step(0, 0, 200, 2), w: 5, on: true, g: 1, c: -1, dc: 1, inner: 1, cblocks: 1},
		{name: "transposed", kind: rollMax, src: array.New(4, 100, 20).Transpose(2, 1, 0), dst: array.New(20, 100, 4), axis: 1, w: 5, on: true, g: 8, c: 0, dc: 20, inner: 4, cblocks: 3},
		// A span beyond laneBudget: the strided path, memory O(window).
		{name: "huge window", kind: rollMax, src: array.New(1<<20, 2), dst: array.New(1<<20, 2), axis: 0, w: 1 << 19},
		// Sums, means, variances and extrema over ≥ 8 adjacent lanes: the row
		// kernels, up to 512 lanes an item (AVX-512 only; extrema AVX2 too).
		{name: "sum panel", kind: rollSum, src: array.New(100, 200), dst: array.New(100, 200), axis: 0, w: 5, on: true,
			g: 200, c: 1, dc: 200, inner: 1, cblocks: 1, rows: true},
		{name: "mean 3-D", kind: rollMean, src: array.New(100, 3, 20), dst: array.New(100, 3, 20), axis: 0, w: 5, on: true,
			g: 20, c: 2, dc: 20, inner: 1, cblocks: 1, rows: true},
		{name: "mean, 7 lanes", kind: rollMean, src: array.New(100, 7), dst: array.New(100, 7), axis: 0, w: 5, on: true,
			g: 7, c: 1, dc: 7, inner: 1, cblocks: 1},
		{name: "mean, dst lanes apart", kind: rollMean, src: array.New(100, 20), dst: array.New(20, 100).Transpose(1, 0), axis: 0, w: 5, on: true,
			g: 8, c: 1, dc: 20, inner: 1, cblocks: 3},
		{name: "mean, reversed rows", kind: rollMean, src: array.New(100, 20).Step(0, 0, 100, -1), dst: array.New(100, 20), axis: 0, w: 5, on: true,
			g: 8, c: 1, dc: 20, inner: 1, cblocks: 3},
	} {
		r := rollTask{kind: c.kind, src: c.src, dst: c.dst, axis: c.axis, n: c.src.Dim(c.axis), w: c.w, left: c.w - 1}
		r.planLanes()
		p := r.lanes
		if c.rows && !(asm.RowKernels() || ((c.kind == rollMax || c.kind == rollMin) && asm.ExtRowKernels())) {
			c.rows, c.g, c.cblocks = false, 8, (c.dc+7)/8
		}
		if p.on != c.on || (c.on && (p.g != c.g || p.c != c.c || p.dc != c.dc || p.inner != c.inner || p.cblocks != c.cblocks || p.rows != c.rows)) {
			t.Errorf("%s: plan %+v", c.name, p)
		}
		if c.on && (p.seg%c.w != 0 || p.seg < 4*c.w) {
			t.Errorf("%s: segment %d for window %d", c.name, p.seg, c.w)
		}
	}
}

// TestRollingRows checks the row kernels (sums, means, variances and
// extrema down ≥ 8 adjacent lanes) where they must hand blocks back to the gathered
// path: values whose scans overflow in some columns, missing values
// (variances), and rows that alias (a zero stride along the axis, a
// broadcast row); and on an offset of 1e8, where variances need their
// shift. Each line must match the same line alone.
func TestRollingRows(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	const rows, cols = 200, 19
	big := array.New(rows, cols)
	d := big.Data()
	for i := range d {
		d[i] = r.NormFloat64()
		if r.IntN(50) == 0 {
			d[i] = math.MaxFloat64 * (1 - 2*float64(r.IntN(2))) / float64(1+r.IntN(3))
		}
		if r.IntN(60) == 0 {
			d[i] = math.NaN()
		}
		if r.IntN(30) == 0 { // ties of +0 and −0 (extrema)
			d[i] = math.Copysign(0, float64(r.IntN(2))-0.5)
		}
	}
	row := array.New(cols)
	for i := range cols {
		row.Set(r.NormFloat64(), i)
	}
	bcast, err := array.Strided(row.Data(), 0, []int{rows, cols}, []int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	offset := array.New(rows, cols)
	for i := range offset.Data() {
		offset.Data()[i] = 1e8 + r.NormFloat64()
	}
	for _, x := range []*array.Array{big, bcast, offset} {
		for _, w := range []int{1, 3, 20, 64} {
			for _, opts := range [][]RollingOption{nil, {MinPeriods(1)}, {Centered(), MinPeriods(0)}, {DDOF(0)}, {DDOF(3)}} {
				for _, k := range windowKernels[:6] {
					dst := array.New(rows, cols)
					o := append([]RollingOption{Axis(0)}, opts...)
					if err := k.f(std(), dst, x, nil, w, o...); err != nil {
						t.Fatal(err)
					}
					for li := range cols {
						want := array.New(rows)
						if err := k.f(serialEngine(), want, lineCopy(x, 0, li), nil, w, opts...); err != nil {
							t.Fatal(err)
						}
						got := lineCopy(dst, 0, li)
						for j := range rows {
							if g, v := got.At(j), want.At(j); math.Float64bits(g) != math.Float64bits(v) {
								t.Fatalf("%s w=%d %v column %d [%d]: %v, want %v", k.name, w, opts, li, j, g, v)
							}
						}
					}
				}
			}
		}
	}
}
