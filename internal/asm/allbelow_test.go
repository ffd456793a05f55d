//go:build amd64 && !noasm

package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// allBelowAVX2(x, s) is "every x·s is finite", for lengths 0..40, every
// position of an offending value, and values on both sides of the bound.
func TestAllBelow(t *testing.T) {
	if level == lvlGo {
		t.Skip("no assembly")
	}
	r := rand.New(rand.NewPCG(4, 4))
	for _, w := range []int{1, 2, 3, 20, 1000, 1 << 20} {
		for _, s := range []float64{1, SumScale(w), VarScale(w)} {
			bound := math.Ldexp(1, 1023) / s * 2 // |x| below this: x·s finite (+Inf for s = 1)
			for n := 0; n <= 40; n++ {
				x := make([]float64, n)
				for i := range x {
					x[i] = r.NormFloat64()
				}
				if allBelowAVX2(x, s) != true {
					t.Fatalf("w=%d s=%g n=%d: ordinary values rejected", w, s, n)
				}
				for p := 0; p < n; p++ {
					for _, v := range []float64{bound, -bound, math.Nextafter(bound, 0) * 0.999, math.NaN(), math.Inf(-1), math.MaxFloat64} {
						old := x[p]
						x[p] = v
						want := !math.IsNaN(v*s-v*s) && !math.IsInf(v*s, 0)
						if got := allBelowAVX2(x, s); got != want {
							t.Fatalf("w=%d s=%g n=%d x[%d]=%g: %v, want %v", w, s, n, p, v, got, want)
						}
						x[p] = old
					}
				}
			}
		}
	}
}

// finiteBelowAVX2(x, s) is finiteBelow: missing values are ignored, a finite
// value whose product overflows is not; for lengths 0..40, one or two
// offending or missing values at every position.
func TestFiniteBelow(t *testing.T) {
	if level == lvlGo {
		t.Skip("no assembly")
	}
	r := rand.New(rand.NewPCG(5, 5))
	for _, w := range []int{1, 20, 1 << 20} {
		s := SumScale(w)
		bound := math.Ldexp(1, 1023) / s * 2
		vals := []float64{bound, -bound, math.Nextafter(bound, 0), math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, math.Copysign(0, -1)}
		for n := 0; n <= 40; n++ {
			x := make([]float64, n)
			for i := range x {
				x[i] = r.NormFloat64()
			}
			for p := 0; p < n; p++ {
				for _, v := range vals {
					for _, u := range []float64{1, math.NaN(), bound} {
						q := r.IntN(n)
						oldP, oldQ := x[p], x[q]
						x[q] = u
						x[p] = v
						if got, want := finiteBelowAVX2(x, s), finiteBelow(x, s); got != want {
							t.Fatalf("w=%d n=%d x[%d]=%g x[%d]=%g: %v, want %v", w, n, p, v, q, u, got, want)
						}
						x[p], x[q] = oldP, oldQ
					}
				}
			}
		}
	}
}

// finiteBelow reports whether every finite x has |x|·scale finite:
// finiteBelowAVX2's reference.
func finiteBelow(x []float64, scale float64) bool {
	for _, v := range x {
		if v-v == 0 && math.IsInf(v*scale, 0) {
			return false
		}
	}
	return true
}

// BenchmarkAllBelow times the pre-scans the rolling sums run before their
// kernels, beside a plain Go loop doing the same check.
func BenchmarkAllBelow(b *testing.B) {
	if level == lvlGo {
		b.Skip("no assembly")
	}
	r := rand.New(rand.NewPCG(5, 5))
	for _, n := range []int{1020, 1 << 16} {
		x := make([]float64, n)
		for i := range x {
			x[i] = r.NormFloat64()
		}
		s := SumScale(20)
		b.Run(fmt.Sprintf("allBelow/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(8 * n))
			for b.Loop() {
				if !allBelowAVX2(x, s) {
					b.Fatal("rejected")
				}
			}
		})
		b.Run(fmt.Sprintf("finiteBelow/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(8 * n))
			for b.Loop() {
				if !finiteBelowAVX2(x, s) {
					b.Fatal("rejected")
				}
			}
		})
		b.Run(fmt.Sprintf("naive/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(8 * n))
			bound := math.MaxFloat64 / s
			for b.Loop() {
				for _, v := range x {
					if !(math.Abs(v) <= bound) {
						b.Fatal("rejected")
					}
				}
			}
		})
	}
}
