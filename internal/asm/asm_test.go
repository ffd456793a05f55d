package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// guard is a NaN with a payload no arithmetic produces: any write outside a
// slice's range shows as a changed guard.
var guard = math.Float64frombits(0x7ff8_dead_beef_0001)

const pad = 16

// guarded returns a slice of n elements starting misalign elements past a
// 64-byte boundary of its backing array, with guard values on both sides.
func guarded(n, misalign int, fill func(i int) float64) (s, backing []float64, off int) {
	backing = make([]float64, n+2*pad+16)
	for i := range backing {
		backing[i] = guard
	}
	off = pad
	for uintptr(unsafe.Pointer(&backing[off]))%64 != 0 {
		off++
	}
	off += misalign
	s = backing[off : off+n : off+n]
	for i := range s {
		s[i] = fill(i)
	}
	return s, backing, off
}

func checkGuards(t *testing.T, what string, backing []float64, off, n int) {
	t.Helper()
	for i, v := range backing {
		if i >= off && i < off+n {
			continue
		}
		if math.Float64bits(v) != math.Float64bits(guard) {
			t.Fatalf("%s: wrote outside the slice at backing[%d] (slice is [%d, %d))", what, i, off, off+n)
		}
	}
}

func randVals(r *rand.Rand) func(int) float64 {
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, -1e308, 1e308, 1}
	return func(int) float64 {
		if r.IntN(20) == 0 {
			return special[r.IntN(len(special))]
		}
		return (r.Float64() - 0.5) * math.Pow(2, float64(r.IntN(40)-20))
	}
}

func sameBits(a, b float64) bool {
	if math.IsNaN(a) && math.IsNaN(b) {
		return true
	}
	return math.Float64bits(a) == math.Float64bits(b)
}

func forEachISA(t *testing.T, f func(t *testing.T)) {
	for _, name := range ISAs() {
		t.Run(name, func(t *testing.T) {
			defer SetISA(name)()
			f(t)
		})
	}
}

type elemKernel struct {
	name string
	run  func(dst []float64, in [][]float64)
	ref  func(in []float64) float64
	ins  int
}

const alpha = 1.0 / 3

var elemKernels = []elemKernel{
	{"AddNT", func(d []float64, in [][]float64) { AddNT(d, in[0], in[1]) }, func(v []float64) float64 { return v[0] + v[1] }, 2},
	{"SubNT", func(d []float64, in [][]float64) { SubNT(d, in[0], in[1]) }, func(v []float64) float64 { return v[0] - v[1] }, 2},
	{"MulNT", func(d []float64, in [][]float64) { MulNT(d, in[0], in[1]) }, func(v []float64) float64 { return v[0] * v[1] }, 2},
	{"DivNT", func(d []float64, in [][]float64) { DivNT(d, in[0], in[1]) }, func(v []float64) float64 { return v[0] / v[1] }, 2},
	{"AddConstNT", func(d []float64, in [][]float64) { AddConstNT(d, in[0], alpha) }, func(v []float64) float64 { return v[0] + alpha }, 1},
	{"ScaleNT", func(d []float64, in [][]float64) { ScaleNT(d, in[0], alpha) }, func(v []float64) float64 { return v[0] * alpha }, 1},
	{"AxpyNT", func(d []float64, in [][]float64) { AxpyNT(d, alpha, in[0], in[1]) }, func(v []float64) float64 {
		p := alpha * v[0]
		return p + v[1]
	}, 2},
	{"FMANT", func(d []float64, in [][]float64) { FMANT(d, in[0], in[1], in[2]) }, func(v []float64) float64 { return math.FMA(v[0], v[1], v[2]) }, 3},
	{"Add", func(d []float64, in [][]float64) { Add(d, in[0], in[1]) }, func(v []float64) float64 { return v[0] + v[1] }, 2},
	{"Sub", func(d []float64, in [][]float64) { Sub(d, in[0], in[1]) }, func(v []float64) float64 { return v[0] - v[1] }, 2},
	{"Mul", func(d []float64, in [][]float64) { Mul(d, in[0], in[1]) }, func(v []float64) float64 { return v[0] * v[1] }, 2},
	{"Div", func(d []float64, in [][]float64) { Div(d, in[0], in[1]) }, func(v []float64) float64 { return v[0] / v[1] }, 2},
	{"AddConst", func(d []float64, in [][]float64) { AddConst(d, in[0], alpha) }, func(v []float64) float64 { return v[0] + alpha }, 1},
	{"Scale", func(d []float64, in [][]float64) { Scale(d, in[0], alpha) }, func(v []float64) float64 { return v[0] * alpha }, 1},
	{"Axpy", func(d []float64, in [][]float64) { Axpy(d, alpha, in[0], in[1]) }, func(v []float64) float64 {
		p := alpha * v[0]
		return p + v[1]
	}, 2},
	{"FMA", func(d []float64, in [][]float64) { FMA(d, in[0], in[1], in[2]) }, func(v []float64) float64 { return math.FMA(v[0], v[1], v[2]) }, 3},
}

func TestElementwise(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for _, k := range elemKernels {
			for n := 0; n <= 257; n++ {
				for mis := 0; mis < 8; mis++ {
					in := make([][]float64, k.ins)
					backs := make([][]float64, k.ins)
					offs := make([]int, k.ins)
					for j := range in {
						in[j], backs[j], offs[j] = guarded(n, (mis+3*j)%8, randVals(r))
					}
					dst, db, doff := guarded(n, mis, func(int) float64 { return guard })
					k.run(dst, in)
					what := fmt.Sprintf("%s n=%d misalign=%d", k.name, n, mis)
					checkGuards(t, what, db, doff, n)
					for j := range in {
						checkGuards(t, what+" (input)", backs[j], offs[j], n)
					}
					v := make([]float64, k.ins)
					for i := 0; i < n; i++ {
						for j := range in {
							v[j] = in[j][i]
						}
						if want := k.ref(v); !sameBits(dst[i], want) {
							t.Fatalf("%s: [%d] = %v, want %v (inputs %v)", what, i, dst[i], want, v)
						}
					}
				}
			}
		}
	})
}

func TestElementwiseInPlace(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		a := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}
		b := append([]float64(nil), a...)
		Add(a, a, b)
		for i := range a {
			if a[i] != 2*b[i] {
				t.Fatalf("in-place Add: %v", a)
			}
		}
	})
}

func TestAxpyRoundsTwice(t *testing.T) {
	// 1 + 2^-52 squared: fused, the 2^-104 term survives; rounded twice,
	// it does not.
	x := 1 + math.Pow(2, -52)
	y := -(1 + math.Pow(2, -51))
	forEachISA(t, func(t *testing.T) {
		dst := make([]float64, 1)
		Axpy(dst, x, []float64{x}, []float64{y})
		if dst[0] != 0 {
			t.Fatalf("Axpy fused the multiply-add: %g", dst[0])
		}
		FMA(dst, []float64{x}, []float64{x}, []float64{y})
		if dst[0] != math.Pow(2, -104) {
			t.Fatalf("FMA did not fuse: %g", dst[0])
		}
	})
}

func TestLeafReductions(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		for _, n := range []int{0, 1, 15, 16, 17, 127, 128, 129, 255, 256, 257, 1000, 4096, 5000} {
			for mis := 0; mis < 8; mis++ {
				x, xb, xo := guarded(n, mis, randVals(r))
				y, yb, yo := guarded(n, (mis+5)%8, randVals(r))
				m := Leaves(n)
				dst, db, do := guarded(m, mis, func(int) float64 { return guard })
				dots, tb, to := guarded(m, 7-mis, func(int) float64 { return guard })
				LeafSums(dst, x)
				LeafDots(dots, x, y)
				what := fmt.Sprintf("n=%d misalign=%d", n, mis)
				checkGuards(t, what, db, do, m)
				checkGuards(t, what, tb, to, m)
				checkGuards(t, what, xb, xo, n)
				checkGuards(t, what, yb, yo, n)
				for k := 0; k < m; k++ {
					lo, hi := k*Leaf, min(n, (k+1)*Leaf)
					if want := leafSum(x[lo:hi]); !sameBits(dst[k], want) {
						t.Fatalf("%s: leaf %d sum %v, want %v", what, k, dst[k], want)
					}
					if want := leafDot(x[lo:hi], y[lo:hi]); !sameBits(dots[k], want) {
						t.Fatalf("%s: leaf %d dot %v, want %v", what, k, dots[k], want)
					}
				}
			}
		}
	})
}

// The reference order itself, written out for one leaf of 32: lane j sums
// x[j] and x[16+j]; the tree then halves.
func TestLeafOrder(t *testing.T) {
	x := make([]float64, 32)
	x[0], x[16], x[8] = 1e16, 1, -1e16
	// lane 0: 1e16 + 1 = 1e16 (rounded), lane 8: -1e16; tree: (1e16) + (-1e16) = 0
	if got := leafSum(x); got != 0 {
		t.Fatalf("leafSum order: %v", got)
	}
	if got := leafSum([]float64{math.Copysign(0, -1)}); !math.Signbit(got) {
		t.Fatal("the sum of [-0] must be -0")
	}
}

func TestLengthMismatchPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	Add(make([]float64, 3), make([]float64, 3), make([]float64, 2))
}
