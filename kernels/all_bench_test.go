package kernels

import (
	"fmt"
	"math"
	"testing"

	"github.com/blockwise/blockwise/array"
)

// BenchmarkElementwise covers every elementwise kernel over the sizes, with
// a plain-loop baseline for each (BenchmarkElementwise/op=Sub/n=4096/loop).
func BenchmarkElementwise(b *testing.B) {
	ops := []struct {
		name  string
		bytes int64
		k     func(d, a, c *array.Array) error
		loop  func(d, a, c []float64)
	}{
		{"Sub", 24, func(d, a, c *array.Array) error { return Sub(d, a, c) }, func(d, a, c []float64) {
			for i := range d {
				d[i] = a[i] - c[i]
			}
		}},
		{"Mul", 24, func(d, a, c *array.Array) error { return Mul(d, a, c) }, func(d, a, c []float64) {
			for i := range d {
				d[i] = a[i] * c[i]
			}
		}},
		{"Div", 24, func(d, a, c *array.Array) error { return Div(d, a, c) }, func(d, a, c []float64) {
			for i := range d {
				d[i] = a[i] / c[i]
			}
		}},
		{"FMA", 32, func(d, a, c *array.Array) error { return FMA(d, a, c, a) }, func(d, a, c []float64) {
			for i := range d {
				d[i] = math.FMA(a[i], c[i], a[i])
			}
		}},
		{"Maximum", 24, func(d, a, c *array.Array) error { return Maximum(d, a, c) }, func(d, a, c []float64) {
			for i := range d {
				d[i] = max(a[i], c[i])
			}
		}},
		{"Minimum", 24, func(d, a, c *array.Array) error { return Minimum(d, a, c) }, func(d, a, c []float64) {
			for i := range d {
				d[i] = min(a[i], c[i])
			}
		}},
		{"AddScalar", 16, func(d, a, _ *array.Array) error { return AddScalar(d, a, 2) }, func(d, a, _ []float64) {
			for i := range d {
				d[i] = a[i] + 2
			}
		}},
		{"Scale", 16, func(d, a, _ *array.Array) error { return Scale(d, a, 2) }, func(d, a, _ []float64) {
			for i := range d {
				d[i] = a[i] * 2
			}
		}},
		{"Neg", 16, func(d, a, _ *array.Array) error { return Neg(d, a) }, func(d, a, _ []float64) {
			for i := range d {
				d[i] = -a[i]
			}
		}},
		{"Abs", 16, func(d, a, _ *array.Array) error { return Abs(d, a) }, func(d, a, _ []float64) {
			for i := range d {
				d[i] = math.Abs(a[i])
			}
		}},
		{"Sqrt", 16, func(d, a, _ *array.Array) error { return Sqrt(d, a) }, func(d, a, _ []float64) {
			for i := range d {
				d[i] = math.Sqrt(a[i])
			}
		}},
		{"Clip", 16, func(d, a, _ *array.Array) error { return Clip(d, a, 0.2, 0.8) }, func(d, a, _ []float64) {
			for i := range d {
				d[i] = min(max(a[i], 0.2), 0.8)
			}
		}},
	}
	for _, n := range []int{1_000, 100_000, 10_000_000} {
		arrs := benchArrays(n, 3)
		d, a, c := arrs[0], arrs[1], arrs[2]
		for _, op := range ops {
			b.Run(fmt.Sprintf("op=%s/n=%d/blockwise", op.name, n), func(b *testing.B) {
				b.SetBytes(op.bytes * int64(n))
				b.ReportAllocs()
				for b.Loop() {
					if err := op.k(d, a, c); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("op=%s/n=%d/loop", op.name, n), func(b *testing.B) {
				b.SetBytes(op.bytes * int64(n))
				for b.Loop() {
					op.loop(d.Data(), a.Data(), c.Data())
				}
			})
		}
	}
}

// BenchmarkReduce covers the reductions and the axis reductions.
func BenchmarkReduce(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 10_000_000} {
		x := benchArrays(n, 1)[0]
		for _, r := range []struct {
			name string
			f    func() error
		}{
			{"Mean", func() error { _, err := Mean(x); return err }},
			{"Min", func() error { _, err := Min(x); return err }},
			{"Max", func() error { _, err := Max(x); return err }},
			{"Norm", func() error { _, err := Norm(x); return err }},
		} {
			b.Run(fmt.Sprintf("op=%s/n=%d", r.name, n), func(b *testing.B) {
				b.SetBytes(8 * int64(n))
				b.ReportAllocs()
				for b.Loop() {
					if err := r.f(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	for _, shape := range [][2]int{{1000, 1000}, {100, 100_000}} {
		src := benchArrays(shape[0]*shape[1], 1)[0]
		m, _ := src.Reshape(shape[0], shape[1])
		for axis := 0; axis < 2; axis++ {
			dst := array.New(shape[1-axis])
			for name, f := range map[string]func(dst, src *array.Array, axis int) error{
				"SumAxis": SumAxis, "MaxAxis": MaxAxis, "MinAxis": MinAxis,
			} {
				b.Run(fmt.Sprintf("op=%s/axis=%d/shape=%dx%d", name, axis, shape[0], shape[1]), func(b *testing.B) {
					b.SetBytes(8 * int64(src.Len()))
					b.ReportAllocs()
					for b.Loop() {
						if err := f(dst, m, axis); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
