package kernels

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/blockwise/blockwise/array"
)

// FuzzSum checks Sum against the exact sum (within its error bound), and
// SumAxis and MeanAxis against Sum and Mean of each line, bit for bit,
// NaN and ±Inf included, on arbitrary values.
func FuzzSum(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f}, uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, rows uint8) {
		n := len(data) / 8
		r := 1 + int(rows)%4
		if n < r {
			return
		}
		n -= n % r
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
		}
		a := array.Vec(x)
		s, err := Sum(a)
		if err != nil {
			t.Fatal(err)
		}
		finite := true
		for _, v := range x {
			finite = finite && v-v == 0
		}
		if finite {
			if want := exactSum(x); !math.IsInf(want, 0) && !math.IsInf(s, 0) &&
				math.Abs(s-want) > 1e-14*absSum(x)*math.Log2(float64(n)+2) {
				t.Fatalf("Sum = %v, exact %v", s, want)
			}
		}
		m, _ := array.FromSlice(x, r, n/r)
		sums, means := array.New(r), array.New(r)
		if err := SumAxis(sums, m, 1); err != nil {
			t.Fatal(err)
		}
		if err := MeanAxis(means, m, 1); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < r; i++ {
			ls, _ := Sum(m.Row(i))
			lm, _ := Mean(m.Row(i))
			if math.Float64bits(ls) != math.Float64bits(sums.At(i)) || math.Float64bits(lm) != math.Float64bits(means.At(i)) {
				t.Fatalf("row %d: Sum %v SumAxis %v, Mean %v MeanAxis %v", i, ls, sums.At(i), lm, means.At(i))
			}
		}
	})
}
