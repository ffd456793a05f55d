package kernels

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/blockwise/blockwise/array"
)

// FuzzRolling checks every rolling kernel on arbitrary short series (NaN,
// ±Inf, huge and tiny values), windows up to twice the series and beyond,
// and every option, against the exact reference wideRef, and checks that
// a strided copy of the series, and the same series as the columns of a
// panel rolled along Axis(0) (the row kernels), give the same bits.
func FuzzRolling(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, uint8(3), uint8(0), uint8(0))
	f.Add([]byte{0xff, 0xf0, 0, 0, 0, 0, 0, 0, 0x7f, 0xef, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, uint8(2), uint8(5), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, win, opts, kind uint8) {
		n := len(data) / 8
		if n == 0 || n > 64 {
			return
		}
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
			if math.Abs(x[i]) < 1e-150 && x[i] != 0 {
				// Squares of these underflow: var and std of windows
				// of such values are not yet rescaled (a known limit,
				// the mirror of the overflow handling).
				x[i] = 0
			}
		}
		w := 1 + int(win)%(2*n+3)
		if win == 255 {
			w = math.MaxInt
		}
		k := kindFuncs[int(kind)%len(kindFuncs)]
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
		dst := array.New(n)
		if err := k.f(std(), dst, array.Vec(x), w, o...); err != nil {
			t.Fatal(err)
		}
		buf := make([]float64, 3*n)
		for i, v := range x {
			buf[3*i+1] = v
		}
		sx, _ := array.Strided(buf, 1, []int{n}, []int{3})
		sd := array.New(n)
		if err := k.f(std(), sd, sx, w, o...); err != nil {
			t.Fatal(err)
		}
		const cols = 9 // eight lanes of a vector and one more
		panel, pd := array.New(n, cols), array.New(n, cols)
		for i, v := range x {
			for j := range cols {
				panel.Set(v, i, j)
			}
		}
		if err := k.f(std(), pd, panel, w, append(o, Axis(0))...); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			got, want := dst.At(i), wideRef(x, i, w, center, pad, k.name, minp, 1)
			if !same(got, sd.At(i)) {
				t.Fatalf("%s w=%d opts=%d [%d]: contiguous %v, strided %v", k.name, w, opts, i, got, sd.At(i))
			}
			for j := range cols {
				if !same(got, pd.At(i, j)) {
					t.Fatalf("%s w=%d opts=%d [%d]: contiguous %v, column %d of a panel %v", k.name, w, opts, i, got, j, pd.At(i, j))
				}
			}
			if same(got, want) || relErr(got, want) <= 1e-12 {
				continue
			}
			// Absolute bounds where the answer cancels: sums by the
			// window's Σ|x|, variances by its largest square.
			scale := 0.0
			for j := 0; j < n; j++ {
				if v := math.Abs(x[j]); v-v == 0 {
					scale = max(scale, v)
				}
			}
			tol := 1e-13 * scale * float64(min(n, w)+2)
			if k.name == "var" {
				tol = 1e-12 * scale * scale * float64(min(n, w)+2)
			}
			if k.name == "std" {
				tol = 1e-6 * scale
			}
			if !(math.Abs(got-want) <= tol) {
				t.Fatalf("%s w=%d center=%v pad=%v minp=%d [%d]: %v, exact %v (x = %v)", k.name, w, center, pad, minp, i, got, want, x)
			}
		}
	})
}
