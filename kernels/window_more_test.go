package kernels

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

// rawWindow is the window of i as RollingApply hands it to f: every value
// (NaN included), padded with the edge values, or cut at the ends.
func rawWindow(x []float64, i, w int, center, pad bool) []float64 {
	right := 0
	if center {
		right = (w - 1) / 2
	}
	var out []float64
	for j := i - (w - 1 - right); j <= i+right; j++ {
		switch {
		case j >= 0 && j < len(x):
			out = append(out, x[j])
		case !pad:
		case j < 0:
			out = append(out, x[0])
		default:
			out = append(out, x[len(x)-1])
		}
	}
	return out
}

func countFinite(v []float64) int {
	n := 0
	for _, x := range v {
		if finiteOf(x) {
			n++
		}
	}
	return n
}

// windowSeries has NaN, ±Inf, ties and signed zeros.
func windowSeries(r *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		switch r.IntN(12) {
		case 0:
			x[i] = []float64{math.NaN(), math.Inf(1), math.Inf(-1)}[r.IntN(3)]
		case 1:
			x[i] = []float64{0, math.Copysign(0, -1)}[r.IntN(2)]
		case 2, 3:
			x[i] = float64(r.IntN(4)) // ties
		default:
			x[i] = r.NormFloat64() * 10
		}
	}
	return x
}

func TestWindowOptionsMatchNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	x := windowSeries(r, 200)
	y := windowSeries(r, 200)
	combo := 0
	mean := func(v []float64) float64 {
		s := 0.0
		for _, u := range v {
			s += u
		}
		return s / float64(len(v))
	}
	for _, w := range []int{1, 2, 3, 4, 7, 20, 199, 200, 201, 450} {
		for _, center := range []bool{false, true} {
			for _, pad := range []bool{false, true} {
				for _, minp := range []int{-1, 0, 1, w / 2} {
					if combo++; raceThin(combo) {
						continue
					}
					opts := []RollingOption{}
					mp := w
					if minp >= 0 {
						opts = append(opts, MinPeriods(minp))
						mp = minp
					}
					if center {
						opts = append(opts, Centered())
					}
					if pad {
						opts = append(opts, PadEdge())
					}
					where := fmt.Sprintf("w=%d center=%v pad=%v minp=%d", w, center, pad, minp)
					med, q, app, cov, corr := array.New(len(x)), array.New(len(x)), array.New(len(x)), array.New(len(x)), array.New(len(x))
					for _, err := range []error{
						RollingMedian(med, array.Vec(x), w, opts...),
						RollingQuantile(q, array.Vec(x), w, 0.3, opts...),
						RollingApply(app, array.Vec(x), w, mean, opts...),
						RollingCov(cov, array.Vec(x), array.Vec(y), w, opts...),
						RollingCorr(corr, array.Vec(x), array.Vec(y), w, opts...),
					} {
						if err != nil {
							t.Fatalf("%s: %v", where, err)
						}
					}
					for i := range x {
						fin := windowOf(x, i, w, center, pad)
						wantMed, wantQ := math.NaN(), math.NaN()
						if len(fin) >= max(mp, 1) {
							wantMed, wantQ = exactMedian(fin), exactQuantile(fin, 0.3)
						}
						raw := rawWindow(x, i, w, center, pad)
						wantApp := math.NaN()
						if countFinite(raw) >= mp {
							wantApp = mean(raw)
						}
						for _, c := range []struct {
							name      string
							got, want float64
						}{{"median", med.At(i), wantMed}, {"quantile", q.At(i), wantQ}, {"apply", app.At(i), wantApp}} {
							if !same(c.got, c.want) {
								t.Fatalf("%s %s [%d]: got %v, want %v", c.name, where, i, c.got, c.want)
							}
						}
						// Pairs, padded like the values.
						xs, ys := rawWindow(x, i, w, center, pad), rawWindow(y, i, w, center, pad)
						var px, py []float64
						for k := range xs {
							if finiteOf(xs[k]) && finiteOf(ys[k]) {
								px, py = append(px, xs[k]), append(py, ys[k])
							}
						}
						for _, c := range []struct {
							name string
							got  float64
							corr bool
						}{{"cov", cov.At(i), false}, {"corr", corr.At(i), true}} {
							want := exactCov(px, py, 1, c.corr)
							if len(px) < max(mp, 1) {
								want = math.NaN()
							}
							if math.IsNaN(want) != math.IsNaN(c.got) || relErr(c.got, want) > 1e-12 {
								t.Fatalf("%s %s [%d]: got %v, exact %v", c.name, where, i, c.got, want)
							}
						}
					}
				}
			}
		}
	}
}

// Windows of any length cost memory and time of min(window, n): a window
// of 1<<40 gives what a window of n gives, without padding.
func TestWindowHugeWindows(t *testing.T) {
	x := []float64{3, 1, math.NaN(), 4, 1, 5, 9, 2, 6}
	y := []float64{2, 7, 1, 8, 2, 8, 1, 8, 2}
	n := len(x)
	for _, w := range []int{1 << 40, math.MaxInt} {
		for name, f := range map[string]func(dst *array.Array, w int) error{
			"median":   func(d *array.Array, w int) error { return RollingMedian(d, array.Vec(x), w, MinPeriods(1)) },
			"quantile": func(d *array.Array, w int) error { return RollingQuantile(d, array.Vec(x), w, 0.9, MinPeriods(1)) },
			"cov":      func(d *array.Array, w int) error { return RollingCov(d, array.Vec(x), array.Vec(y), w, MinPeriods(1)) },
			"corr":     func(d *array.Array, w int) error { return RollingCorr(d, array.Vec(x), array.Vec(y), w, MinPeriods(1)) },
			"apply": func(d *array.Array, w int) error {
				return RollingApply(d, array.Vec(x), w, func(v []float64) float64 { return float64(len(v)) }, MinPeriods(1))
			},
		} {
			got, want := array.New(n), array.New(n)
			if err := f(got, w); err != nil {
				t.Fatalf("%s w=%d: %v", name, w, err)
			}
			if err := f(want, n); err != nil {
				t.Fatal(err)
			}
			if !sameArrays(got, want) {
				t.Fatalf("%s w=%d: %v, want %v", name, w, got.Values(), want.Values())
			}
		}
		// Padded, the edge copies count: compare with the order
		// statistics of the window as runs of copies.
		for _, center := range []bool{false, true} {
			opts := []RollingOption{PadEdge(), MinPeriods(1)}
			right := 0
			if center {
				opts = append(opts, Centered())
				right = (w - 1) / 2
			}
			left := w - 1 - right
			got := array.New(n)
			if err := RollingQuantile(got, array.Vec(x), w, 0.3, opts...); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				runs := map[float64]int{x[0]: left - i, x[n-1]: max(0, right-(n-1-i))}
				for j := max(0, i-left); j <= min(n-1, i+right); j++ {
					if finiteOf(x[j]) {
						runs[x[j]]++
					}
				}
				if !same(got.At(i), quantileOfRuns(runs, 0.3)) {
					t.Fatalf("padded quantile w=%d center=%v [%d] = %v, want %v", w, center, i, got.At(i), quantileOfRuns(runs, 0.3))
				}
			}
		}
	}
	// RollingApply with PadEdge sees whole windows: a limit, not a
	// crash.
	if err := RollingApply(array.New(n), array.Vec(x), 1<<40, func(v []float64) float64 { return 0 }, PadEdge()); !errors.Is(err, ErrWindow) {
		t.Fatalf("apply padded 1<<40: %v, want ErrWindow", err)
	}
}

// quantileOfRuns is pandas' linear quantile of a multiset given as value →
// count.
func quantileOfRuns(runs map[float64]int, q float64) float64 {
	vals := make([]float64, 0, len(runs))
	total := 0
	for v, c := range runs {
		if c > 0 {
			vals = append(vals, v)
			total += c
		}
	}
	slices.Sort(vals)
	at := func(k int) float64 {
		for _, v := range vals {
			if k < runs[v] {
				return v
			}
			k -= runs[v]
		}
		panic("out of range")
	}
	f := q * float64(total-1)
	i := int(f)
	if float64(i) == f {
		return at(i)
	}
	return at(i) + float64((at(i+1)-at(i))*(f-float64(i)))
}

func TestWindowBitIdenticalAcrossSchedulers(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	n := 3*ewmBlock + 777
	x := windowSeries(r, n)
	for i := range x {
		if i%5 != 0 && finiteOf(x[i]) {
			x[i] += 1e8 // an offset, for the EWM shift
		}
	}
	y := windowSeries(r, n)
	x2 := array.New(64, 200) // for Axis(0): 200 columns of 64
	y2 := array.New(64, 200)
	for i := range 64 * 200 {
		x2.Backing()[i] = x[i]
		y2.Backing()[i] = y[i]
	}
	type call struct {
		name string
		f    func(e *Engine, dst *array.Array) error
	}
	var calls []call
	for _, w := range []int{3, 50, 1001} {
		calls = append(calls,
			call{fmt.Sprintf("median w=%d", w), func(e *Engine, d *array.Array) error { return e.RollingMedian(d, array.Vec(x), w, MinPeriods(1)) }},
			call{fmt.Sprintf("quantile w=%d", w), func(e *Engine, d *array.Array) error {
				return e.RollingQuantile(d, array.Vec(x), w, 0.9, Centered(), MinPeriods(1))
			}},
			call{fmt.Sprintf("cov w=%d", w), func(e *Engine, d *array.Array) error {
				return e.RollingCov(d, array.Vec(x), array.Vec(y), w, MinPeriods(2))
			}},
			call{fmt.Sprintf("corr w=%d", w), func(e *Engine, d *array.Array) error {
				return e.RollingCorr(d, array.Vec(x), array.Vec(y), w, Centered(), PadEdge())
			}},
			call{fmt.Sprintf("apply w=%d", w), func(e *Engine, d *array.Array) error {
				return e.RollingApply(d, array.Vec(x), w, func(v []float64) float64 { return v[len(v)/2] * float64(len(v)) }, MinPeriods(0))
			}},
		)
	}
	for _, adjust := range []bool{true, false} {
		for _, ign := range []bool{false, true} {
			opts := []RollingOption{Adjust(adjust)}
			if ign {
				opts = append(opts, IgnoreNA())
			}
			tag := fmt.Sprintf("adjust=%v ignore_na=%v", adjust, ign)
			calls = append(calls,
				call{"ewm mean " + tag, func(e *Engine, d *array.Array) error { return e.EWMMean(d, array.Vec(x), Span(30), opts...) }},
				call{"ewm var " + tag, func(e *Engine, d *array.Array) error { return e.EWMVar(d, array.Vec(x), Halflife(7), opts...) }},
				call{"ewm std " + tag, func(e *Engine, d *array.Array) error {
					return e.EWMStd(d, array.Vec(x), Alpha(0.01), append(opts, Bias())...)
				}},
			)
		}
	}
	var axisCalls = []struct {
		name string
		f    func(e *Engine, dst *array.Array) error
	}{
		{"median axis 0", func(e *Engine, d *array.Array) error { return e.RollingMedian(d, x2, 9, Axis(0), MinPeriods(1)) }},
		{"corr axis 0", func(e *Engine, d *array.Array) error { return e.RollingCorr(d, x2, y2, 9, Axis(0)) }},
		{"ewm var axis 0", func(e *Engine, d *array.Array) error { return e.EWMVar(d, x2, Com(3), Axis(0)) }},
	}
	es := engines(t)
	for _, c := range calls {
		var ref *array.Array
		for _, e := range es {
			d := array.New(n)
			if err := c.f(e, d); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if ref == nil {
				ref = d
			} else if !sameArrays(ref, d) {
				t.Fatalf("%s: engine %s differs", c.name, engineName(e))
			}
		}
	}
	for _, c := range axisCalls {
		var ref *array.Array
		for _, e := range es {
			d := array.New(64, 200)
			if err := c.f(e, d); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if ref == nil {
				ref = d
			} else if !sameArrays(ref, d) {
				t.Fatalf("%s: engine %s differs", c.name, engineName(e))
			}
		}
		// Each column equals the 1-D call on it.
		col := array.New(64)
		xc, yc := array.New(64), array.New(64)
		for j := range 200 {
			for i := range 64 {
				xc.Backing()[i], yc.Backing()[i] = x2.At(i, j), y2.At(i, j)
			}
			var err error
			switch c.name {
			case "median axis 0":
				err = RollingMedian(col, xc, 9, MinPeriods(1))
			case "corr axis 0":
				err = RollingCorr(col, xc, yc, 9)
			default:
				err = EWMVar(col, xc, Com(3))
			}
			if err != nil {
				t.Fatal(err)
			}
			for i := range 64 {
				if !same(col.At(i), ref.At(i, j)) {
					t.Fatalf("%s column %d [%d]: %v, 1-D %v", c.name, j, i, ref.At(i, j), col.At(i))
				}
			}
		}
	}
}

// EWM over many blocks stays within 1e-12 of the exact recurrence, on an
// offset series with gaps and a spike.
func TestEWMLongSeriesExact(t *testing.T) {
	r := rand.New(rand.NewPCG(51, 52))
	n := 2*ewmBlock + 300
	x := make([]float64, n)
	for i := range x {
		x[i] = 1e8 + r.NormFloat64()
		if r.IntN(10) == 0 {
			x[i] = math.NaN()
		}
	}
	x[ewmBlock-3] = 1e12
	for _, adjust := range []bool{true, false} {
		for _, ign := range []bool{false, true} {
			for _, stat := range []string{"mean", "var"} {
				opts := []RollingOption{Adjust(adjust)}
				if ign {
					opts = append(opts, IgnoreNA())
				}
				d := array.New(n)
				var err error
				if stat == "mean" {
					err = EWMMean(d, array.Vec(x), Com(200), opts...)
				} else {
					err = EWMVar(d, array.Vec(x), Com(200), opts...)
				}
				if err != nil {
					t.Fatal(err)
				}
				alpha, _ := Com(200).alpha()
				ex := ewmExact(x, alpha, adjust, ign, false, 0, stat)
				for i := ewmBlock - 10; i < n; i += 7 {
					if !(relErr(d.At(i), ex[i]) <= 1e-12) && !(math.IsNaN(ex[i]) && math.IsNaN(d.At(i))) {
						t.Fatalf("%s adjust=%v ignore_na=%v [%d]: got %v, exact %v (rel %g)", stat, adjust, ign, i, d.At(i), ex[i], relErr(d.At(i), ex[i]))
					}
				}
			}
		}
	}
}

func TestWindowErrors(t *testing.T) {
	src := array.Vec([]float64{1, 2, 3, 4, 5, 6})
	y := array.Vec([]float64{1, 0, 3, 0, 5, 0})
	dst := array.Vec([]float64{9, 9, 9, 9, 9, 9})
	mean := func(v []float64) float64 { return v[0] }
	tests := []struct {
		name string
		err  error
		call func() error
	}{
		{"median window 0", ErrWindow, func() error { return RollingMedian(dst, src, 0) }},
		{"median nil", ErrNil, func() error { return RollingMedian(nil, src, 2) }},
		{"median Bias", ErrArgument, func() error { return RollingMedian(dst, src, 2, Bias()) }},
		{"median Adjust", ErrArgument, func() error { return RollingMedian(dst, src, 2, Adjust(false)) }},
		{"median overlap", ErrOverlap, func() error { return RollingMedian(src, src, 2) }},
		{"quantile -0.1", ErrArgument, func() error { return RollingQuantile(dst, src, 2, -0.1) }},
		{"quantile 1.5", ErrArgument, func() error { return RollingQuantile(dst, src, 2, 1.5) }},
		{"quantile NaN", ErrArgument, func() error { return RollingQuantile(dst, src, 2, math.NaN()) }},
		{"quantile minp", ErrMinPeriods, func() error { return RollingQuantile(dst, src, 2, 0.5, MinPeriods(3)) }},
		{"apply nil f", ErrNil, func() error { return RollingApply(dst, src, 2, nil) }},
		{"apply shape", ErrShape, func() error { return RollingApply(array.New(5), src, 2, mean) }},
		{"apply IgnoreNA", ErrArgument, func() error { return RollingApply(dst, src, 2, mean, IgnoreNA()) }},
		{"cov nil y", ErrNil, func() error { return RollingCov(dst, src, nil, 2) }},
		{"cov shape", ErrShape, func() error { return RollingCov(dst, src, array.New(5), 2) }},
		{"cov overlap y", ErrOverlap, func() error { return RollingCov(y, src, y, 2) }},
		{"corr ddof", ErrArgument, func() error { return RollingCorr(dst, src, y, 2, DDOF(-1)) }},
		{"corr axis", ErrAxis, func() error { return RollingCorr(dst, src, y, 2, Axis(2)) }},
		{"ewm Centered", ErrArgument, func() error { return EWMMean(dst, src, Com(1), Centered()) }},
		{"ewm PadEdge", ErrArgument, func() error { return EWMVar(dst, src, Com(1), PadEdge()) }},
		{"ewm DDOF", ErrArgument, func() error { return EWMStd(dst, src, Com(1), DDOF(0)) }},
		{"ewm Com(-1)", ErrArgument, func() error { return EWMMean(dst, src, Com(-1)) }},
		{"ewm Span(0.5)", ErrArgument, func() error { return EWMMean(dst, src, Span(0.5)) }},
		{"ewm Halflife(0)", ErrArgument, func() error { return EWMMean(dst, src, Halflife(0)) }},
		{"ewm Alpha(0)", ErrArgument, func() error { return EWMMean(dst, src, Alpha(0)) }},
		{"ewm Alpha(1.5)", ErrArgument, func() error { return EWMMean(dst, src, Alpha(1.5)) }},
		{"ewm Alpha(NaN)", ErrArgument, func() error { return EWMMean(dst, src, Alpha(math.NaN())) }},
		{"ewm Com(+Inf)", ErrArgument, func() error { return EWMMean(dst, src, Com(math.Inf(1))) }},
		{"ewm zero Decay", ErrArgument, func() error { return EWMMean(dst, src, Decay{}) }},
		{"ewm minp", ErrMinPeriods, func() error { return EWMMean(dst, src, Com(1), MinPeriods(-1)) }},
		{"ewm overlap", ErrOverlap, func() error { return EWMMean(src, src, Com(1)) }},
		{"ewm shape", ErrShape, func() error { return EWMMean(array.New(2, 3), src, Com(1)) }},
		{"ewm nil", ErrNil, func() error { return EWMMean(dst, nil, Com(1)) }},
		{"ewm 0-d", ErrShape, func() error { return EWMMean(array.New(), array.New(), Com(1)) }},
	}
	for _, tt := range tests {
		if err := tt.call(); !errors.Is(err, tt.err) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
		}
		for i, v := range dst.Values() {
			if v != 9 {
				t.Fatalf("%s: dst[%d] changed", tt.name, i)
			}
		}
	}
	// A dst that overlaps itself.
	self, err := array.Strided(make([]float64, 3), 0, []int{3}, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	if err := RollingMedian(self, array.New(3), 2); !errors.Is(err, ErrOverlap) {
		t.Errorf("self-overlapping dst: %v", err)
	}
}

func TestRollingApplyPanic(t *testing.T) {
	x := make([]float64, 50_000)
	for i := range x {
		x[i] = float64(i)
	}
	for _, e := range engines(t) {
		err := e.RollingApply(array.New(len(x)), array.Vec(x), 10, func(v []float64) float64 {
			if v[len(v)-1] == 31_337 {
				panic("boom")
			}
			return v[0]
		})
		var pe *sched.PanicError
		if !errors.As(err, &pe) || pe.Index != 31_337 || pe.Value != "boom" || len(pe.Stack) == 0 {
			t.Fatalf("%s: err = %v, want a *sched.PanicError at 31337", engineName(e), err)
		}
	}
	// A cancelled context stops it.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := On(sched.Default()).WithContext(ctx).RollingApply(array.New(len(x)), array.Vec(x), 10, func(v []float64) float64 { return 0 })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

// f's slice is the worker's own buffer: writing to it changes neither the
// input nor other windows.
func TestRollingApplyBufferIsPrivate(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	keep := slices.Clone(x)
	d := array.New(len(x))
	if err := RollingApply(d, array.Vec(x), 3, func(v []float64) float64 {
		s := v[0] + v[len(v)-1]
		for i := range v {
			v[i] = -1
		}
		return s
	}, MinPeriods(1)); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(x, keep) {
		t.Fatalf("input changed: %v", x)
	}
	want := []float64{2, 3, 4, 6, 8, 10, 12, 14}
	if !slices.Equal(d.Values(), want) {
		t.Fatalf("got %v, want %v", d.Values(), want)
	}
}

func TestWindowAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	r := rand.New(rand.NewPCG(9, 9))
	src, y, dst := randArray(r, 100_000), randArray(r, 100_000), array.New(100_000)
	e := std()
	f := func(v []float64) float64 { return v[0] }
	for name, call := range map[string]func(){
		"median":   func() { _ = e.RollingMedian(dst, src, 21, Centered()) },
		"quantile": func() { _ = e.RollingQuantile(dst, src, 101, 0.9) },
		"apply":    func() { _ = e.RollingApply(dst, src, 21, f) },
		"cov":      func() { _ = e.RollingCov(dst, src, y, 50) },
		"corr":     func() { _ = e.RollingCorr(dst, src, y, 50, MinPeriods(5)) },
		"ewm":      func() { _ = e.EWMMean(dst, src, Span(20)) },
		"ewm var":  func() { _ = e.EWMVar(dst, src, Span(20), Adjust(false)) },
	} {
		call()
		if a := testing.AllocsPerRun(10, call); a != 0 {
			t.Errorf("%s: %v allocs/op", name, a)
		}
	}
}

// TestRollingCovCancelled: a window of 632s, 1e-100s and 1e-76s whose
// large terms cancel exactly, so that the covariance is the −6.39e-76 its
// small values leave (FuzzWindow found it: double-double sums, even about
// the window's own means, gave 0).
func TestRollingCovCancelled(t *testing.T) {
	x := []float64{632, 1.1564343017679488e-100, 1.1564343017679488e-100, 1.3980432860953674e-76, 1.398043286095289e-76, 1.398043286095289e-76}
	y := []float64{192.0 / 7, 384.0 / 7, 384.0 / 7, math.NaN(), 64.0 / 7, 64.0 / 7}
	for _, e := range engines(t)[:3] {
		d := array.New(len(x))
		if err := e.RollingCov(d, array.Vec(x), array.Vec(y), 14, Centered(), PadEdge(), MinPeriods(12)); err != nil {
			t.Fatal(err)
		}
		xw, yw := rawWindow(x, 0, 14, true, true), rawWindow(y, 0, 14, true, true)
		var px, py []float64
		for k := range xw {
			if finiteOf(xw[k]) && finiteOf(yw[k]) {
				px, py = append(px, xw[k]), append(py, yw[k])
			}
		}
		want := exactCov(px, py, 1, false)
		if got := d.At(0); want > -6e-76 || relErr(got, want) > 1e-12 {
			t.Fatalf("cov[0] = %v, want %v", got, want)
		}
	}
}

// TestRollingCovSameAcrossISAs: the AVX-512 lanes kernel and the Go loop
// give the same bits, on clean offset data, with missing values, runs of
// them and infinities (the kernel hands those groups back), on stretches
// whose co-moments cancel exactly (the kernel gives up on them, the Go
// path's fallbacks finish them), and where a correlation's moments
// overflow or underflow.
func TestRollingCovSameAcrossISAs(t *testing.T) {
	const n = 12_000
	r := rand.New(rand.NewPCG(5, 6))
	clean, partner := make([]float64, n), make([]float64, n)
	for i := range clean {
		clean[i], partner[i] = 1e8+r.NormFloat64(), -3e5+float64(i%7)+r.NormFloat64()
	}
	edit := func(f func(x, y []float64)) [2][]float64 {
		x, y := append([]float64(nil), clean...), append([]float64(nil), partner...)
		f(x, y)
		return [2][]float64{x, y}
	}
	series := map[string][2][]float64{
		"clean": {clean, partner},
		"NaN every 101": edit(func(x, y []float64) {
			for i := 7; i < n; i += 101 {
				x[i] = math.NaN()
			}
		}),
		"sparse Inf": edit(func(x, y []float64) {
			for i := 500; i < n; i += 1009 {
				y[i] = math.Inf(1 - 2*(i%2))
			}
		}),
		"NaN runs": edit(func(x, y []float64) {
			for i := range x {
				if i%3000 < 50 {
					x[i] = math.NaN()
				}
			}
		}),
		"cancelling": edit(func(x, y []float64) {
			// Orthogonal patterns of period 5 and mean 0: co-moment 0
			// in every window whose length is a multiple of 5.
			xp, yp := [5]float64{1, 1, 1, -2, -1}, [5]float64{1, -1, 1, 2, -3}
			for i := 4_000; i < 4_400; i++ {
				x[i], y[i] = 1e8+xp[i%5], yp[i%5]
			}
		}),
		"scaled": edit(func(x, y []float64) {
			for i := 2_000; i < 2_400; i++ {
				x[i], y[i] = (x[i]-1e8)*1e160, y[i]*1e160
			}
			for i := 8_000; i < 8_400; i++ {
				x[i], y[i] = (x[i]-1e8)*1e-160, y[i]*1e-160
			}
		}),
	}
	for name, xy := range series {
		x, y := array.Vec(xy[0]), array.Vec(xy[1])
		for _, w := range []int{3, 5, 20, 50, 333} {
			for _, corr := range []bool{false, true} {
				for oi, opts := range [][]RollingOption{nil, {MinPeriods(1)}, {Centered(), DDOF(0)}} {
					sameOnISAs(t, fmt.Sprintf("%s w=%d corr=%v opts#%d", name, w, corr, oi), func() ([]float64, error) {
						dst := array.New(n)
						var err error
						if corr {
							err = std().RollingCorr(dst, x, y, w, opts...)
						} else {
							err = std().RollingCov(dst, x, y, w, opts...)
						}
						return dst.Values(), err
					})
				}
			}
		}
	}
}

// TestEWMMeanLanes: long valid runs take asm.EWMRun's lanes. Against the
// exact recurrence (1e-12 relative) and the same bits on every ISA and
// schedule, with a few missing values and a spike that break the runs
// at odd places, for decays from slow to fast.
func TestEWMMeanLanes(t *testing.T) {
	r := rand.New(rand.NewPCG(61, 62))
	n := 3*ewmBlock + 1001
	x := make([]float64, n)
	for i := range x {
		x[i] = 1e8 + r.NormFloat64()
	}
	for _, i := range []int{5, 700, 701, ewmBlock + 3, 2*ewmBlock + 2000} {
		x[i] = math.NaN()
	}
	x[ewmBlock+1500] = 1e12
	combo := 0
	for _, decay := range []Decay{Com(200), Span(20), Alpha(0.999)} {
		for _, adjust := range []bool{true, false} {
			for _, ign := range []bool{false, true} {
				if combo++; raceThin(combo) {
					continue
				}
				opts := []RollingOption{Adjust(adjust), MinPeriods(3)}
				if ign {
					opts = append(opts, IgnoreNA())
				}
				what := fmt.Sprintf("%v adjust=%v ignore_na=%v", decay, adjust, ign)
				alpha, _ := decay.alpha()
				ex := ewmExact(x, alpha, adjust, ign, false, 3, "mean")
				var first []float64
				for _, e := range []*Engine{serialEngine(), std()} {
					got := sameOnISAs(t, what, func() ([]float64, error) {
						d := array.New(n)
						err := e.EWMMean(d, array.Vec(x), decay, opts...)
						return d.Values(), err
					})
					for i, v := range got {
						if !(relErr(v, ex[i]) <= 1e-12) && !(math.IsNaN(ex[i]) && math.IsNaN(v)) {
							t.Fatalf("%s [%d]: got %v, exact %v (rel %g)", what, i, v, ex[i], relErr(v, ex[i]))
						}
						if first != nil && !same(v, first[i]) {
							t.Fatalf("%s [%d]: %v on %s, %v on one worker", what, i, v, engineName(e), first[i])
						}
					}
					first = got
				}
			}
		}
	}
}
