//go:build !noasm

package asm

import "github.com/klauspost/cpuid/v2"

//go:noescape
func addAVX2(dst, a, b []float64)

//go:noescape
func subAVX2(dst, a, b []float64)

//go:noescape
func mulAVX2(dst, a, b []float64)

//go:noescape
func divAVX2(dst, a, b []float64)

//go:noescape
func addConstAVX2(dst, a []float64, s float64)

//go:noescape
func scaleAVX2(dst, a []float64, s float64)

//go:noescape
func axpyAVX2(dst []float64, alpha float64, x, y []float64)

//go:noescape
func fmaAVX2(dst, a, b, c []float64)

//go:noescape
func leafSumsAVX2(dst, x []float64)

//go:noescape
func leafDotsAVX2(dst, x, y []float64)

//go:noescape
func addAVX512(dst, a, b []float64)

//go:noescape
func subAVX512(dst, a, b []float64)

//go:noescape
func mulAVX512(dst, a, b []float64)

//go:noescape
func divAVX512(dst, a, b []float64)

//go:noescape
func addConstAVX512(dst, a []float64, s float64)

//go:noescape
func scaleAVX512(dst, a []float64, s float64)

//go:noescape
func axpyAVX512(dst []float64, alpha float64, x, y []float64)

//go:noescape
func fmaAVX512(dst, a, b, c []float64)

//go:noescape
func leafSumsAVX512(dst, x []float64)

//go:noescape
func leafDotsAVX512(dst, x, y []float64)

var (
	hasAVX2   = cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3)
	hasAVX512 = hasAVX2 && cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512DQ)
)

func init() { use(available()[0]) }

func available() []string {
	var l []string
	if hasAVX512 {
		l = append(l, "avx512")
	}
	if hasAVX2 {
		l = append(l, "avx2")
	}
	return append(l, "go")
}

//go:noescape
func rollSum4AVX2(x, out, suf []float64, w, groups int, mean bool, minp float64)

//go:noescape
func rollSum4CleanAVX2(x, out, suf []float64, w, groups int, mean bool)

//go:noescape
func allBelowAVX2(x []float64, scale float64) bool

//go:noescape
func rollSum8CleanAVX512(x, out, suf []float64, w, groups int, mean bool)

//go:noescape
func rollVar8CleanAVX512(x, out, suf []float64, w, groups int, std bool, div float64)

//go:noescape
func addNTAVX2(dst, a, b []float64)

//go:noescape
func addNTAVX512(dst, a, b []float64)

//go:noescape
func subNTAVX2(dst, a, b []float64)

//go:noescape
func subNTAVX512(dst, a, b []float64)

//go:noescape
func mulNTAVX2(dst, a, b []float64)

//go:noescape
func mulNTAVX512(dst, a, b []float64)

//go:noescape
func divNTAVX2(dst, a, b []float64)

//go:noescape
func divNTAVX512(dst, a, b []float64)

//go:noescape
func addConstNTAVX2(dst, a []float64, s float64)

//go:noescape
func addConstNTAVX512(dst, a []float64, s float64)

//go:noescape
func scaleNTAVX2(dst, a []float64, s float64)

//go:noescape
func scaleNTAVX512(dst, a []float64, s float64)

//go:noescape
func axpyNTAVX2(dst []float64, alpha float64, x, y []float64)

//go:noescape
func axpyNTAVX512(dst []float64, alpha float64, x, y []float64)

//go:noescape
func fmaNTAVX2(dst, a, b, c []float64)

//go:noescape
func fmaNTAVX512(dst, a, b, c []float64)

//go:noescape
func rollVar4CleanAVX2(x, out, suf []float64, w, groups int, std bool, div float64)
