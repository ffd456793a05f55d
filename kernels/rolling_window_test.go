package kernels

import (
	"math"
	"math/big"
	"runtime"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

// wideRef is the exact statistic of the window of i for any window size,
// with the edge copies of PadEdge counted in closed form (so that windows
// of 2^62 can be checked).
func wideRef(x []float64, i, w int, center, pad bool, kind string, minp, ddof int) float64 {
	n := len(x)
	righ := 0
	if center {
		righ = (w - 1) / 2
	}
	left := w - 1 - righ
	type wv struct {
		v float64
		c *big.Float
	}
	var vals []wv
	one := big.NewFloat(1)
	lo, hi := max(0, i-left), min(n-1, i+righ)
	for j := lo; j <= hi; j++ {
		vals = append(vals, wv{x[j], one})
	}
	if pad {
		if c0 := left - i; c0 > 0 {
			vals = append(vals, wv{x[0], new(big.Float).SetInt64(int64(c0))})
		}
		if c1 := i + righ - (n - 1); c1 > 0 {
			vals = append(vals, wv{x[n-1], new(big.Float).SetInt64(int64(c1))})
		}
	}
	const prec = 512
	cnt := new(big.Float).SetPrec(prec)
	sum := new(big.Float).SetPrec(prec)
	ext := math.NaN()
	for _, a := range vals {
		if math.IsNaN(a.v) || math.IsInf(a.v, 0) {
			continue
		}
		cnt.Add(cnt, a.c)
		sum.Add(sum, new(big.Float).SetPrec(prec).Mul(a.c, big.NewFloat(a.v)))
		switch {
		case math.IsNaN(ext):
			ext = a.v
		case kind == "min":
			ext = min(ext, a.v)
		case kind == "max":
			ext = max(ext, a.v)
		}
	}
	if cnt.Cmp(new(big.Float).SetInt64(int64(minp))) < 0 {
		return math.NaN()
	}
	if cnt.Sign() == 0 {
		if kind == "sum" {
			return 0 // pandas: the sum of an empty window, with min_periods 0
		}
		return math.NaN()
	}
	switch kind {
	case "sum":
		f, _ := sum.Float64()
		return f
	case "mean":
		f, _ := new(big.Float).SetPrec(prec).Quo(sum, cnt).Float64()
		return f
	case "min", "max":
		return ext
	}
	if cnt.Cmp(big.NewFloat(float64(ddof))) <= 0 {
		return math.NaN()
	}
	mean := new(big.Float).SetPrec(prec).Quo(sum, cnt)
	m2 := new(big.Float).SetPrec(prec)
	for _, a := range vals {
		if math.IsNaN(a.v) || math.IsInf(a.v, 0) {
			continue
		}
		d := new(big.Float).SetPrec(prec).Sub(big.NewFloat(a.v), mean)
		d.Mul(d, d)
		m2.Add(m2, d.Mul(d, a.c))
	}
	m2.Quo(m2, new(big.Float).SetPrec(prec).Sub(cnt, big.NewFloat(float64(ddof))))
	if kind == "std" {
		m2.Sqrt(m2)
	}
	f, _ := m2.Float64()
	return f
}

// Windows as long as the series or longer, up to math.MaxInt: pandas'
// results (all NaN by default, partial windows with a smaller
// min_periods), PadEdge's copies counted exactly, and memory that does not
// grow with the window.
func TestRollingWindowsLongerThanTheSeries(t *testing.T) {
	s := sched.New(sched.WithWorkers(2), sched.WithBlockSize(1))
	defer s.Close()
	e := On(s)
	for _, n := range []int{1, 2, 5, 17} {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64((i*7)%5) - 1.5 + 1e8
		}
		if n > 2 {
			x[1] = math.NaN()
		}
		for _, w := range []int{n, n + 1, 2 * n, 2*n + 3, 1000, 1 << 26, 1 << 40, 1 << 61, 1 << 62, math.MaxInt} {
			for _, opt := range []struct {
				name        string
				center, pad bool
				minp        int
			}{{"default", false, false, -1}, {"minp1", false, false, 1}, {"center minp1", true, false, 1},
				{"pad", false, true, -1}, {"center pad", true, true, -1}, {"pad minp1", false, true, 1}} {
				opts := []RollingOption{}
				if opt.center {
					opts = append(opts, Centered())
				}
				if opt.pad {
					opts = append(opts, PadEdge())
				}
				minp := w
				if opt.minp >= 0 {
					minp = opt.minp
					opts = append(opts, MinPeriods(opt.minp))
				}
				for _, k := range kindFuncs {
					dst := array.New(n)
					var m0, m1 runtime.MemStats
					runtime.ReadMemStats(&m0)
					if err := k.f(e, dst, array.Vec(x), w, opts...); err != nil {
						t.Fatalf("n=%d w=%d %s %s: %v", n, w, opt.name, k.name, err)
					}
					runtime.ReadMemStats(&m1)
					if a := m1.TotalAlloc - m0.TotalAlloc; a > 1<<16 {
						t.Errorf("n=%d w=%d %s %s: %d bytes allocated", n, w, opt.name, k.name, a)
					}
					for i := 0; i < n; i++ {
						want := wideRef(x, i, w, opt.center, opt.pad, k.name, minp, 1)
						got := dst.At(i)
						if !(same(got, want) || relErr(got, want) <= 1e-12 || math.Abs(got-want) <= 1e-7) {
							t.Fatalf("n=%d w=%d %s %s [%d]: %v, want %v", n, w, opt.name, k.name, i, got, want)
						}
					}
				}
			}
		}
	}
}

// A window of a million over ten million values: memory beyond dst stays
// below dst's own size (the scratch is per worker and per window, and the
// vector kernels, whose scratch is 16–32 windows, are not used).
func TestRollingHugeWindowMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("80 MB arrays")
	}
	const n, w = 10_000_000, 1_000_000
	src, dst := array.New(n), array.New(n)
	for i := range src.Data() {
		src.Data()[i] = float64(i % 1000)
	}
	s := sched.New(sched.WithWorkers(2))
	defer s.Close()
	for _, k := range kindFuncs {
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		if err := k.f(On(s), dst, src, w); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&m1)
		if a := m1.TotalAlloc - m0.TotalAlloc; a > 8*n {
			t.Errorf("%s: %d MB beyond dst (%d MB)", k.name, a>>20, 8*n>>20)
		}
	}
}

// Checkpointed suffix scans (windows past ckWindow) give the bits of the
// plain ones.
func TestRollingCheckpointsSameBits(t *testing.T) {
	x := adversarialSeries(5000)["spikes"]
	x[100], x[2000] = math.NaN(), math.Inf(1)
	src := array.Vec(x)
	buf := make([]float64, 2*len(x))
	for i, v := range x {
		buf[2*i] = v
	}
	strided, _ := array.Strided(buf, 0, []int{len(x)}, []int{2}) // the scalar path throughout
	saved := ckWindow
	defer func() { ckWindow = saved }()
	for _, w := range []int{17, 100, 999} {
		for _, k := range kindFuncs[:4] {
			for _, in := range []*array.Array{src, strided} {
				ckWindow = 1 << 30
				plain := array.New(len(x))
				if err := k.f(std(), plain, in, w, MinPeriods(1), Centered()); err != nil {
					t.Fatal(err)
				}
				ckWindow = 8
				ck := array.New(len(x))
				if err := k.f(std(), ck, in, w, MinPeriods(1), Centered()); err != nil {
					t.Fatal(err)
				}
				ckWindow = saved
				for i := range x {
					if !same(plain.At(i), ck.At(i)) {
						t.Fatalf("%s w=%d [%d]: checkpointed %v, plain %v", k.name, w, i, ck.At(i), plain.At(i))
					}
				}
			}
		}
	}
}
