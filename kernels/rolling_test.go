package kernels

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/blockwise/blockwise/array"
)

// jnum decodes pandas' JSON: null is NaN, "inf"/"-inf" are infinities.
type jnum float64

func (f *jnum) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "null":
		*f = jnum(math.NaN())
	case `"inf"`:
		*f = jnum(math.Inf(1))
	case `"-inf"`:
		*f = jnum(math.Inf(-1))
	default:
		var v float64
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*f = jnum(v)
	}
	return nil
}

type pandasRef struct {
	Inputs map[string][]jnum
	Cases  []struct {
		Input      string
		Window     int
		MinPeriods *int `json:"min_periods"`
		Center     bool
		Out        map[string][]jnum
	}
}

func floats64(x []jnum) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

var rollFuncs = map[string]func(dst, src *array.Array, w int, opts ...RollingOption) error{
	"mean": RollingMean, "sum": RollingSum, "var": RollingVar, "std": RollingStd, "min": RollingMin, "max": RollingMax,
}

// TestRollingMatchesPandas checks all 320 cases of pandas 1.5.3's output
// (testdata/rolling_pandas.json): NaN exactly where pandas has NaN, values
// to 1e-12 relative (var/std 1e-9). On the "spikes" input pandas' var/std
// are wrong after a 1e12 spike has left the window (its running sums lose
// the small values), so there they are checked against the exact variance
// from math/big instead.
func TestRollingMatchesPandas(t *testing.T) {
	raw, err := os.ReadFile("testdata/rolling_pandas.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref pandasRef
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) != 320 {
		t.Fatalf("%d cases, want 320", len(ref.Cases))
	}
	pandasWrong := 0
	for _, c := range ref.Cases {
		x := floats64(ref.Inputs[c.Input])
		var opts []RollingOption
		minp := c.Window
		if c.MinPeriods != nil {
			opts = append(opts, MinPeriods(*c.MinPeriods))
			minp = *c.MinPeriods
		}
		if c.Center {
			opts = append(opts, Centered())
		}
		for fn, want := range c.Out {
			dst := array.New(len(x))
			if err := rollFuncs[fn](dst, array.Vec(x), c.Window, opts...); err != nil {
				t.Fatalf("%s %+v: %v", fn, c, err)
			}
			got := dst.Values()
			tol := 1e-12
			if fn == "var" || fn == "std" {
				tol = 1e-9
			}
			for i := range got {
				w := float64(want[i])
				where := fmt.Sprintf("%s input=%s window=%d minp=%v center=%v [%d]", fn, c.Input, c.Window, minp, c.Center, i)
				if math.IsNaN(w) != math.IsNaN(got[i]) {
					t.Fatalf("%s: got %v, pandas %v", where, got[i], w)
				}
				if math.IsNaN(w) {
					continue
				}
				if c.Input == "spikes" && (fn == "var" || fn == "std") {
					ex := exactWindowVar(x, i, c.Window, c.Center, 1)
					if fn == "std" {
						ex = math.Sqrt(ex)
					}
					if relErr(got[i], ex) > 1e-10 {
						t.Fatalf("%s: got %v, exact %v", where, got[i], ex)
					}
					if fn == "var" && relErr(w, ex) > 1e-9 {
						pandasWrong++
					}
					continue
				}
				if relErr(got[i], w) > tol {
					t.Fatalf("%s: got %v, pandas %v (rel %g)", where, got[i], w, relErr(got[i], w))
				}
			}
		}
	}
	t.Logf("pandas 1.5.3 var is off by more than 1e-9 from the exact variance in %d windows of the spikes input", pandasWrong)
}

// bigPrec is ample for the tests' data: magnitudes from 1e-8 to 1e30
// (squares of 1e15) span about 130 bits.
const bigPrec = 400

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
}

// window returns the finite values of the window of i (trailing or
// centered, pandas' offsets), optionally edge-padded.
func windowOf(x []float64, i, w int, center, pad bool) []float64 {
	right := 0
	if center {
		right = (w - 1) / 2
	}
	var out []float64
	for j := i - (w - 1 - right); j <= i+right; j++ {
		var v float64
		switch {
		case j >= 0 && j < len(x):
			v = x[j]
		case !pad:
			continue
		case j < 0:
			v = x[0]
		default:
			v = x[len(x)-1]
		}
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out = append(out, v)
		}
	}
	return out
}

func exactWindowVar(x []float64, i, w int, center bool, ddof int) float64 {
	v := windowOf(x, i, w, center, false)
	n := len(v)
	if n <= ddof {
		return math.NaN()
	}
	const prec = bigPrec
	sum := new(big.Float).SetPrec(prec)
	for _, a := range v {
		sum.Add(sum, new(big.Float).SetPrec(prec).SetFloat64(a))
	}
	mean := new(big.Float).SetPrec(prec).Quo(sum, new(big.Float).SetPrec(prec).SetInt64(int64(n)))
	m2 := new(big.Float).SetPrec(prec)
	for _, a := range v {
		d := new(big.Float).SetPrec(prec).SetFloat64(a)
		d.Sub(d, mean)
		d.Mul(d, d)
		m2.Add(m2, d)
	}
	m2.Quo(m2, new(big.Float).SetPrec(prec).SetInt64(int64(n-ddof)))
	f, _ := m2.Float64()
	return f
}

// windowStat is the exact description of one window.
type windowStat struct {
	n          int
	sum        float64 // exact sum, rounded once
	mean       float64
	var0, var1 float64 // exact variance with ddof 0 and 1
	min, max   float64
}

// naiveStats is the O(n·w) reference: every window's exact statistics.
func naiveStats(x []float64, w int, center, pad bool) []windowStat {
	out := make([]windowStat, len(x))
	for i := range x {
		v := windowOf(x, i, w, center, pad)
		st := windowStat{n: len(v), sum: exactSum(v), mean: math.NaN(), var0: math.NaN(), var1: math.NaN(), min: math.NaN(), max: math.NaN()}
		if len(v) > 0 {
			st.mean = exactMean(v)
			st.var0 = exactWindowVarOf(v, 0)
			st.min, st.max = v[0], v[0]
			for _, a := range v {
				st.min, st.max = math.Min(st.min, a), math.Max(st.max, a)
			}
		}
		if len(v) > 1 {
			st.var1 = exactWindowVarOf(v, 1)
		}
		out[i] = st
	}
	return out
}

func naiveValue(st windowStat, kind string, minp, ddof int) float64 {
	if st.n < minp {
		return math.NaN()
	}
	vr := st.var1
	if ddof == 0 {
		vr = st.var0
	}
	switch kind {
	case "sum":
		return st.sum
	case "mean":
		return st.mean
	case "var":
		return vr
	case "std":
		return math.Sqrt(vr)
	case "min":
		return st.min
	}
	return st.max
}

// exactMean is Σv/n computed exactly, then rounded.
func exactMean(v []float64) float64 {
	s := new(big.Float).SetPrec(bigPrec)
	for _, a := range v {
		s.Add(s, new(big.Float).SetFloat64(a))
	}
	s.Quo(s, new(big.Float).SetInt64(int64(len(v))))
	f, _ := s.Float64()
	return f
}

func exactWindowVarOf(v []float64, ddof int) float64 {
	return exactWindowVar(v, len(v)-1, len(v), false, ddof)
}

var kindFuncs = []struct {
	name string
	f    func(e *Engine, dst, src *array.Array, w int, opts ...RollingOption) error
}{
	{"sum", (*Engine).RollingSum}, {"mean", (*Engine).RollingMean}, {"var", (*Engine).RollingVar},
	{"std", (*Engine).RollingStd}, {"min", (*Engine).RollingMin}, {"max", (*Engine).RollingMax},
}

func TestRollingOptionsMatchNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	x := make([]float64, 300)
	for i := range x {
		x[i] = r.NormFloat64() * 10
		if r.IntN(9) == 0 {
			x[i] = []float64{math.NaN(), math.Inf(1), math.Inf(-1)}[r.IntN(3)]
		}
	}
	combo := 0
	for _, w := range []int{1, 2, 3, 7, 20, 64, 299, 300, 301, 1000} {
		for _, center := range []bool{false, true} {
			for _, pad := range []bool{false, true} {
				stats := naiveStats(x, w, center, pad)
				for _, minp := range []int{-1, 0, 1, w / 2} {
					for _, ddof := range []int{0, 1} {
						if combo++; raceThin(combo) {
							continue
						}
						opts := []RollingOption{DDOF(ddof)}
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
						for _, k := range kindFuncs {
							if ddof == 0 && k.name != "var" && k.name != "std" {
								continue
							}
							dst := array.New(len(x))
							if err := k.f(std(), dst, array.Vec(x), w, opts...); err != nil {
								t.Fatal(err)
							}
							for i, g := range dst.Values() {
								want := naiveValue(stats[i], k.name, mp, ddof)
								if k.name == "mean" && stats[i].n == 0 {
									want = math.NaN()
								}
								tol := 2.3e-16 // sum and mean: within 1 ulp of the exact value
								if k.name == "var" || k.name == "std" {
									tol = 1e-10
								}
								if math.IsNaN(g) != math.IsNaN(want) || (!math.IsNaN(g) && relErr(g, want) > tol && math.Abs(g-want) > 1e-300) {
									t.Fatalf("%s w=%d center=%v pad=%v minp=%d ddof=%d [%d]: got %v, want %v", k.name, w, center, pad, minp, ddof, i, g, want)
								}
							}
						}
					}
				}
			}
		}
	}
}

// adversarialSeries are the accuracy tests' inputs.
func adversarialSeries(n int) map[string][]float64 {
	r := rand.New(rand.NewPCG(21, 22))
	out := map[string][]float64{}
	spikes := make([]float64, n)
	offset := make([]float64, n)
	step := make([]float64, n)
	alt := make([]float64, n)
	for i := range spikes {
		spikes[i] = 1 + 0.01*r.NormFloat64()
		if i%97 == 13 {
			spikes[i] = 1e12
		}
		offset[i] = 1e8 + r.NormFloat64()
		step[i] = r.NormFloat64()
		if (i/500)%2 == 1 {
			step[i] += 1e15
		}
		alt[i] = 1e12 * float64(1-2*(i%2))
		if i%5 == 0 {
			alt[i] = r.NormFloat64()
		}
	}
	out["spikes"], out["offset1e8"], out["steps1e15"], out["alternating"] = spikes, offset, step, alt
	return out
}

func TestRollingAccuracy(t *testing.T) {
	n := 2000
	if raceEnabled {
		n = 300
	}
	for name, x := range adversarialSeries(n) {
		for _, w := range []int{2, 20, 50, 1000} {
			src := array.Vec(x)
			mean, sum, vr := array.New(n), array.New(n), array.New(n)
			if err := RollingMean(mean, src, w, MinPeriods(1)); err != nil {
				t.Fatal(err)
			}
			_ = RollingSum(sum, src, w, MinPeriods(1))
			_ = RollingVar(vr, src, w, MinPeriods(1))
			worstMean, worstVar := 0.0, 0.0
			for i := 0; i < n; i++ {
				v := windowOf(x, i, w, false, false)
				ex := exactSum(v)
				scale := absSum(v) / float64(len(v))
				if e := math.Abs(mean.At(i)-ex/float64(len(v))) / scale; e > worstMean {
					worstMean = e
				}
				if e := math.Abs(sum.At(i)-ex) / absSum(v); e > 4.5e-16 {
					t.Fatalf("%s w=%d [%d]: sum %v, exact %v: error %g·Σ|x| > 4.5e-16", name, w, i, sum.At(i), ex, e)
				}
				if len(v) > 1 {
					ev := exactWindowVarOf(v, 1)
					if vr.At(i) < 0 {
						t.Fatalf("%s w=%d [%d]: negative variance %v", name, w, i, vr.At(i))
					}
					if e := relErr(vr.At(i), ev); e > worstVar && ev > 0 {
						worstVar = e
					} else if ev == 0 && vr.At(i) != 0 && math.Abs(vr.At(i)) > 1e-10*scale*scale {
						t.Fatalf("%s w=%d [%d]: variance %v, exact 0", name, w, i, vr.At(i))
					}
				}
			}
			t.Logf("%-12s w=%-4d worst mean error %.2e·(Σ|x|/n), worst var error %.2e relative", name, w, worstMean, worstVar)
			if worstMean > 4.5e-16 {
				t.Errorf("%s w=%d: mean error %g·(Σ|x|/n) > 4.5e-16", name, w, worstMean)
			}
			if worstVar > 1e-10 {
				t.Errorf("%s w=%d: variance error %g relative > 1e-10", name, w, worstVar)
			}
		}
	}
}

func TestRollingBitIdenticalAcrossSchedulers(t *testing.T) {
	x := adversarialSeries(40_000)["spikes"]
	r := rand.New(rand.NewPCG(1, 1))
	for i := range x {
		if r.IntN(50) == 0 {
			x[i] = math.NaN()
		}
	}
	src := array.Vec(x)
	es := engines(t)
	for _, w := range []int{3, 20, 1000, 9000} {
		for _, k := range kindFuncs {
			var ref *array.Array
			for _, e := range es {
				dst := array.New(len(x))
				if err := k.f(e, dst, src, w, Centered(), MinPeriods(1)); err != nil {
					t.Fatal(err)
				}
				if ref == nil {
					ref = dst
				} else if !sameArrays(ref, dst) {
					t.Fatalf("%s w=%d: engine %s differs", k.name, w, engineName(e))
				}
			}
		}
	}
}

func TestRollingAxis(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	src := randArray(r, 5, 40, 6)
	for axis := -3; axis < 3; axis++ {
		for _, k := range kindFuncs {
			dst := array.New(5, 40, 6)
			if err := k.f(std(), dst, src, 4, Axis(axis), MinPeriods(2)); err != nil {
				t.Fatal(err)
			}
			ax := (axis + 3) % 3
			// Every line along the axis equals the 1-D result of that line.
			for p := 0; p < src.Len()/src.Dim(ax); p++ {
				w := newWalkerSkip(src, ax, p)
				lineIdx := w.index()
				pick := func(a *array.Array) []float64 {
					out := make([]float64, a.Dim(ax))
					for j := range out {
						idx := make([]int, 0, 3)
						q := 0
						for d := 0; d < 3; d++ {
							if d == ax {
								idx = append(idx, j)
							} else {
								idx = append(idx, lineIdx[q])
								q++
							}
						}
						out[j] = a.At(idx...)
					}
					return out
				}
				in := pick(src)
				want := array.New(len(in))
				_ = k.f(std(), want, array.Vec(in), 4, MinPeriods(2))
				got := pick(dst)
				for j := range got {
					if !same(got[j], want.At(j)) {
						t.Fatalf("%s axis %d line %d [%d]: %v, want %v", k.name, axis, p, j, got[j], want.At(j))
					}
				}
			}
		}
	}
}

func TestRollingErrors(t *testing.T) {
	src := array.Vec([]float64{1, 2, 3, 4, 5, 6})
	dst := array.Vec([]float64{9, 9, 9, 9, 9, 9})
	tests := []struct {
		name string
		err  error
		call func() error
	}{
		{"window 0", ErrWindow, func() error { return RollingMean(dst, src, 0) }},
		{"window -1", ErrWindow, func() error { return RollingMax(dst, src, -1) }},
		{"minp > window", ErrMinPeriods, func() error { return RollingSum(dst, src, 3, MinPeriods(4)) }},
		{"minp < 0", ErrMinPeriods, func() error { return RollingSum(dst, src, 3, MinPeriods(-2)) }},
		{"shape", ErrShape, func() error { return RollingMean(array.New(5), src, 2) }},
		{"nil", ErrNil, func() error { return RollingMean(dst, nil, 2) }},
		{"overlap", ErrOverlap, func() error { return RollingMean(src, src, 2) }},
		{"partial overlap", ErrOverlap, func() error { return RollingMean(src.Slice(0, 0, 3), src.Slice(0, 2, 5), 2) }},
		{"axis", ErrAxis, func() error { return RollingMean(dst, src, 2, Axis(1)) }},
		{"ddof", ErrArgument, func() error { return RollingVar(dst, src, 2, DDOF(-1)) }},
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
}

func TestRollingAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	r := rand.New(rand.NewPCG(9, 9))
	src, dst := randArray(r, 100_000), array.New(100_000)
	src2, dst2, dst3 := randArray(r, 1000, 100), array.New(1000, 100), randArray(r, 1000, 100)
	e := std()
	// Direct calls, as users write them: a call through a function value
	// would make the variadic options escape in the caller.
	for name, f := range map[string]func(){
		"mean": func() { _ = e.RollingMean(dst, src, 50, Centered(), PadEdge()) },
		"sum":  func() { _ = e.RollingSum(dst, src, 50, MinPeriods(1)) },
		"var":  func() { _ = e.RollingVar(dst, src, 50, DDOF(0)) },
		"std":  func() { _ = e.RollingStd(dst, src, 50) },
		"min":  func() { _ = e.RollingMin(dst, src, 50, Centered()) },
		"max":  func() { _ = e.RollingMax(dst, src, 50, PadEdge()) },
		// The lane path: lines down the columns of a panel.
		"mean Axis(0)": func() { _ = e.RollingMean(dst2, src2, 50, Axis(0)) },
		"std Axis(0)":  func() { _ = e.RollingStd(dst2, src2, 50, Axis(0), MinPeriods(1)) },
		"cov Axis(0)":  func() { _ = e.RollingCov(dst2, src2, dst3, 50, Axis(0)) },
	} {
		f()
		if a := testing.AllocsPerRun(10, f); a != 0 {
			t.Errorf("%s: %v allocs/op", name, a)
		}
	}
}

// The vector paths (AVX-512, AVX2) and the Go loop give the same bits, on
// clean data (the clean kernels) and with missing values (the masked one).
func TestRollingSameAcrossISAs(t *testing.T) {
	clean := adversarialSeries(30_000)["offset1e8"]
	dirty := append([]float64(nil), clean...)
	for i := 7; i < len(dirty); i += 101 {
		dirty[i] = math.NaN()
	}
	// Sparse missing values and runs of them leave finite stretches for
	// the vector kernels between them; a huge value makes them refuse.
	sparse := append([]float64(nil), clean...)
	runs := append([]float64(nil), clean...)
	huge := append([]float64(nil), dirty...)
	for i := range clean {
		if i%1009 == 500 {
			sparse[i] = math.Inf(1)
		}
		if i%3000 < 50 {
			runs[i] = math.NaN()
		}
	}
	huge[12345] = 1e300
	for name, x := range map[string][]float64{"clean": clean, "with NaN": dirty, "sparse": sparse, "runs": runs, "huge": huge} {
		src := array.Vec(x)
		for _, w := range []int{3, 20, 333} {
			for _, k := range kindFuncs {
				sameOnISAs(t, fmt.Sprintf("%s %s w=%d", name, k.name, w), func() ([]float64, error) {
					dst := array.New(len(x))
					err := k.f(std(), dst, src, w, MinPeriods(1))
					return dst.Values(), err
				})
			}
		}
	}
}
