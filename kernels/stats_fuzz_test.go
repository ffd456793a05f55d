package kernels

import (
	"encoding/binary"
	"math"
	"math/big"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

// FuzzStats checks issue 12's kernels against their references on
// arbitrary values (every bit pattern: NaN payloads, ±0, ±Inf,
// subnormals): Sort and ArgSort against the definition, ArgMax/ArgMin
// against numpy's loop, Quantile and Median against a sorted copy, CumSum
// against the exact prefix sums, Var against exact rationals, broadcast
// Add against the scalar loop — on 1 and 3 workers, identical bits.
func FuzzStats(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x80}, uint8(3), 0.5)
	f.Add(make([]byte, 8*300), uint8(7), 0.9)
	f.Add([]byte{1, 2, 3, 4, 5, 6, 0xf8, 0x7f, 9, 9, 9, 9, 9, 9, 0xf0, 0x7f}, uint8(1), 0.0)
	s1 := sched.New(sched.WithWorkers(1))
	s3 := sched.New(sched.WithWorkers(3), sched.WithBlockSize(7))
	f.Cleanup(func() { s1.Close(); s3.Close() })
	f.Fuzz(func(t *testing.T, b []byte, cols uint8, q float64) {
		n := len(b) / 8
		if n == 0 || n > 1024 {
			return
		}
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
		a := array.Vec(x)
		for _, e := range []*Engine{On(s1), On(s3)} {
			d := array.New(n)
			if err := e.Sort(d, a, 0); err != nil || !sameBits(d.Values(), refSort(x)) {
				t.Fatalf("Sort: %v", err)
			}
			withSampleSort(func() {
				if err := e.Sort(d, a, 0); err != nil || !sameBits(d.Values(), refSort(x)) {
					t.Fatalf("Sort (sample sort): %v", err)
				}
			})
			if i, err := e.ArgMax(a); err != nil || i != refArg(x, true) {
				t.Fatalf("ArgMax %d, want %d", i, refArg(x, true))
			}
			if i, err := e.ArgMin(a); err != nil || i != refArg(x, false) {
				t.Fatalf("ArgMin %d, want %d", i, refArg(x, false))
			}
			if !(q >= 0 && q <= 1) {
				q = 0.5
			}
			if v, err := e.Quantile(a, q); err != nil || !same(v, refQuantile(x, q, false)) {
				t.Fatalf("Quantile(%v) = %v, want %v", q, v, refQuantile(x, q, false))
			}
			if v, err := e.Median(a); err != nil || !same(v, refQuantile(x, 0.5, true)) {
				t.Fatalf("Median = %v, want %v", v, refQuantile(x, 0.5, true))
			}
			if err := e.CumSum(d, a, 0); err != nil {
				t.Fatal(err)
			}
			checkCumSum(t, x, d.Values())
			if v, err := e.Var(a, 0); err != nil || !varClose(v, x) {
				t.Fatalf("Var = %v, exact %v", v, bigVar(x))
			}
			// broadcast: the values as rows of c columns plus the first row
			c := int(cols%8) + 1
			if n%c == 0 {
				m, _ := a.Reshape(n/c, c)
				row := a.Slice(0, 0, c)
				out := array.New(n/c, c)
				if err := e.Add(out, m, row); err != nil {
					t.Fatal(err)
				}
				for i, v := range out.Values() {
					if want := x[i] + x[i%c]; !same(v, want) {
						t.Fatalf("broadcast Add [%d] = %v, want %v", i, v, want)
					}
				}
			}
		}
	})
}

// checkCumSum: while the prefix sums stay finite, each output is within
// 4.5e-16·Σ|x| of the exact one; once an input is ±Inf or NaN, or a sum
// leaves the range, IEEE rules (the naive loop's) take over.
func checkCumSum(t *testing.T, x, y []float64) {
	exact := new(big.Float).SetPrec(4000)
	abs := new(big.Float).SetPrec(4000)
	for i, v := range x {
		if math.IsInf(v, 0) || math.IsNaN(v) || math.IsInf(y[i], 0) {
			return
		}
		exact.Add(exact, new(big.Float).SetFloat64(v))
		abs.Add(abs, new(big.Float).SetFloat64(math.Abs(v)))
		diff := new(big.Float).Sub(exact, new(big.Float).SetFloat64(y[i]))
		bound := new(big.Float).Mul(abs, big.NewFloat(4.5e-16))
		if diff.Abs(diff).Cmp(bound) > 0 {
			want, _ := exact.Float64()
			t.Fatalf("CumSum [%d] = %v, exact %v", i, y[i], want)
		}
	}
}

// varClose: NaN exactly when an input is not finite, else within 1e-14
// relative of the exact variance (or both beyond range).
func varClose(v float64, x []float64) bool {
	for _, u := range x {
		if math.IsNaN(u) || math.IsInf(u, 0) {
			return math.IsNaN(v)
		}
	}
	want := bigVar(x)
	return same(v, want) || relErr(v, want) <= 1e-14 || (want < 1e-300 && math.Abs(v-want) < 1e-300)
}

// bigVar is the population variance at 4600 bits: enough for every
// float64's square to be exact, so only the mean's division rounds.
func bigVar(x []float64) float64 {
	const prec = 4600
	s := new(big.Float).SetPrec(prec)
	for _, v := range x {
		s.Add(s, new(big.Float).SetFloat64(v))
	}
	n := new(big.Float).SetPrec(prec).SetInt64(int64(len(x)))
	m := new(big.Float).SetPrec(prec).Quo(s, n)
	q := new(big.Float).SetPrec(prec)
	for _, v := range x {
		d := new(big.Float).SetPrec(prec).Sub(new(big.Float).SetFloat64(v), m)
		q.Add(q, d.Mul(d, d))
	}
	f, _ := q.Quo(q, n).Float64()
	return f
}
