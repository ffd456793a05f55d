//go:build noasm || !amd64

package asm

// Without assembly every level runs the Go loops; level stays lvlGo.

func available() []string { return []string{"go"} }

func addAVX2(dst, a, b []float64)                           { addGo(dst, a, b) }
func subAVX2(dst, a, b []float64)                           { subGo(dst, a, b) }
func mulAVX2(dst, a, b []float64)                           { mulGo(dst, a, b) }
func divAVX2(dst, a, b []float64)                           { divGo(dst, a, b) }
func addConstAVX2(dst, a []float64, s float64)              { addConstGo(dst, a, s) }
func scaleAVX2(dst, a []float64, s float64)                 { scaleGo(dst, a, s) }
func axpyAVX2(dst []float64, alpha float64, x, y []float64) { axpyGo(dst, alpha, x, y) }
func fmaAVX2(dst, a, b, c []float64)                        { fmaGo(dst, a, b, c) }
func leafSumsAVX2(dst, x []float64)                         { leafSumsGo(dst, x) }
func leafDotsAVX2(dst, x, y []float64)                      { leafDotsGo(dst, x, y) }

func addAVX512(dst, a, b []float64)                           { addGo(dst, a, b) }
func subAVX512(dst, a, b []float64)                           { subGo(dst, a, b) }
func mulAVX512(dst, a, b []float64)                           { mulGo(dst, a, b) }
func divAVX512(dst, a, b []float64)                           { divGo(dst, a, b) }
func addConstAVX512(dst, a []float64, s float64)              { addConstGo(dst, a, s) }
func scaleAVX512(dst, a []float64, s float64)                 { scaleGo(dst, a, s) }
func axpyAVX512(dst []float64, alpha float64, x, y []float64) { axpyGo(dst, alpha, x, y) }
func fmaAVX512(dst, a, b, c []float64)                        { fmaGo(dst, a, b, c) }
func leafSumsAVX512(dst, x []float64)                         { leafSumsGo(dst, x) }
func leafDotsAVX512(dst, x, y []float64)                      { leafDotsGo(dst, x, y) }

func rollSum4AVX2(x, out, suf []float64, w, groups int, mean bool, minp float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollSum4CleanAVX2(x, out, suf []float64, w, groups int, mean bool) {
	panic("unreachable: level is lvlGo without assembly")
}

func allBelowAVX2(x []float64, scale float64) bool {
	panic("unreachable: level is lvlGo without assembly")
}

func rollSum8CleanAVX512(x, out, suf []float64, w, groups int, mean bool) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollVar8CleanAVX512(x, out, suf []float64, w, groups int, std bool, div float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func addNTAVX2(dst, a, b []float64)                             { addGo(dst, a, b) }
func addNTAVX512(dst, a, b []float64)                           { addGo(dst, a, b) }
func subNTAVX2(dst, a, b []float64)                             { subGo(dst, a, b) }
func subNTAVX512(dst, a, b []float64)                           { subGo(dst, a, b) }
func mulNTAVX2(dst, a, b []float64)                             { mulGo(dst, a, b) }
func mulNTAVX512(dst, a, b []float64)                           { mulGo(dst, a, b) }
func divNTAVX2(dst, a, b []float64)                             { divGo(dst, a, b) }
func divNTAVX512(dst, a, b []float64)                           { divGo(dst, a, b) }
func addConstNTAVX2(dst, a []float64, s float64)                { addConstGo(dst, a, s) }
func addConstNTAVX512(dst, a []float64, s float64)              { addConstGo(dst, a, s) }
func scaleNTAVX2(dst, a []float64, s float64)                   { scaleGo(dst, a, s) }
func scaleNTAVX512(dst, a []float64, s float64)                 { scaleGo(dst, a, s) }
func axpyNTAVX2(dst []float64, alpha float64, x, y []float64)   { axpyGo(dst, alpha, x, y) }
func axpyNTAVX512(dst []float64, alpha float64, x, y []float64) { axpyGo(dst, alpha, x, y) }
func fmaNTAVX2(dst, a, b, c []float64)                          { fmaGo(dst, a, b, c) }
func fmaNTAVX512(dst, a, b, c []float64)                        { fmaGo(dst, a, b, c) }

func rollVar4CleanAVX2(x, out, suf []float64, w, groups int, std bool, div float64) {
	panic("unreachable: level is lvlGo without assembly")
}
