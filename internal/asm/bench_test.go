package asm

import (
	"fmt"
	"testing"
	"unsafe"
)

func alignedBuf(n int) []float64 {
	b := make([]float64, n+8)
	off := 0
	for uintptr(unsafe.Pointer(&b[off]))%64 != 0 {
		off++
	}
	return b[off : off+n]
}

// BenchmarkISA compares the implementations on cache-resident sizes.
func BenchmarkISA(b *testing.B) {
	for _, n := range []int{256, 1024, 4096, 32768} {
		x, y, z := alignedBuf(n), alignedBuf(n), alignedBuf(n)
		for i := range x {
			x[i], y[i] = float64(i), 1/float64(i+1)
		}
		leaves := make([]float64, Leaves(n))
		for _, isa := range ISAs() {
			restore := SetISA(isa)
			b.Run(fmt.Sprintf("Add/n=%d/%s", n, isa), func(b *testing.B) {
				b.SetBytes(int64(24 * n))
				for b.Loop() {
					Add(z, x, y)
				}
			})
			b.Run(fmt.Sprintf("LeafSums/n=%d/%s", n, isa), func(b *testing.B) {
				b.SetBytes(int64(8 * n))
				for b.Loop() {
					LeafSums(leaves, x)
				}
			})
			b.Run(fmt.Sprintf("LeafDots/n=%d/%s", n, isa), func(b *testing.B) {
				b.SetBytes(int64(16 * n))
				for b.Loop() {
					LeafDots(leaves, x, y)
				}
			})
			restore()
		}
	}
}
