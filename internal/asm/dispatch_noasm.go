//go:build noasm || !amd64

package asm

// Without assembly every level runs the Go loops; level stays lvlGo.

func available() []string { return []string{"go"} }

func rollSum4AVX2(x, out, suf []float64, w, groups int, mean bool, minp float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollSum4CleanAVX2(x, out, suf []float64, w, groups int, mean bool) {
	panic("unreachable: level is lvlGo without assembly")
}

func allBelowAVX2(x []float64, scale float64) bool {
	panic("unreachable: level is lvlGo without assembly")
}

func finiteBelowAVX2(x []float64, scale float64) bool {
	panic("unreachable: level is lvlGo without assembly")
}

func rollSum8AVX512(x, out, suf []float64, w, groups int, mean bool, minp float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollSum8CleanAVX512(x, out, suf []float64, w, groups int) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollMean8CleanAVX512(x, out, suf []float64, w, groups int) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollVar8CleanAVX512(x, out, suf []float64, w, groups int, std bool, div float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollVar4CleanAVX2(x, out, suf []float64, w, groups int, std bool, div float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollVar4AVX2(x, out, suf, kv []float64, w, groups int, std bool, bias, ddof float64) bool {
	panic("unreachable: level is lvlGo without assembly")
}

func rollSumRowsAVX512(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, mean bool, minp float64) bool {
	panic("unreachable: level is lvlGo without assembly")
}

func rollVarRowsAVX512(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, std bool, div float64) bool {
	panic("unreachable: level is lvlGo without assembly")
}

func rollExt8AVX512(x, out, suf []float64, w, groups int, neg float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollMin8CleanAVX512(x, out, suf []float64, w, groups int, neg float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollMax8CleanAVX512(x, out, suf []float64, w, groups int, neg float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollExt4AVX2(x, out, suf []float64, w, groups int, neg, bias float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollMin4CleanAVX2(x, out, suf []float64, w, groups int, neg, bias float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollMax4CleanAVX2(x, out, suf []float64, w, groups int, neg, bias float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollExtRowsAVX512(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, neg, minp float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func rollExtRowsAVX2(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, neg, bias float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func classifyAVX512(x []float64, ids []uint16, hist []int, sp *Splitters) {
	panic("unreachable: level is lvlGo without assembly")
}

func expAVX512(d, x []float64, k *vmathConsts, tab *[128][2]float64, qhi, qlo *[32]float64) int {
	panic("unreachable: level is lvlGo without assembly")
}

func expAVX2(d, x []float64, k *vmathConsts, tab *[128][2]float64, qhi, qlo *[32]float64) int {
	panic("unreachable: level is lvlGo without assembly")
}

func sinAVX2(d, x []float64, k *vmathConsts, rows *[32][4]float64, cos bool) (n, lanes int) {
	panic("unreachable: level is lvlGo without assembly")
}

func tanhAVX2(d, x []float64, k *vmathConsts, qhi, qlo *[32]float64) (n, lanes int) {
	panic("unreachable: level is lvlGo without assembly")
}

func logScaledAVX2(d, x []float64, k *vmathConsts, q *[3][32]float64, ch, cl *[4]uint64) (n, lanes int) {
	panic("unreachable: level is lvlGo without assembly")
}

func powAVX2(d, x []float64, y *float64, ystep int, k *vmathConsts, q *[3][32]float64, qhi, qlo *[32]float64) (n, lanes int) {
	panic("unreachable: level is lvlGo without assembly")
}

func logAVX512(d, x []float64, k *vmathConsts, inv *[128]float64, tab *[128][2]float64, q *[3][32]float64) int {
	panic("unreachable: level is lvlGo without assembly")
}

func logAVX2(d, x []float64, k *vmathConsts, inv *[128]float64, tab *[128][2]float64, q *[3][32]float64) int {
	panic("unreachable: level is lvlGo without assembly")
}

func rollCov8AVX512(x, y, out, suf []float64, w, groups int, corr bool, div float64) int {
	panic("unreachable: level is lvlGo without assembly")
}

func searchKeys2AVX512(a, idx *int64, nidx int, x, y int64) (px, py int) {
	panic("unreachable: level is lvlGo without assembly")
}

func replaceKeyAVX512(blk *int64, out, in int64) {
	panic("unreachable: level is lvlGo without assembly")
}

func slideKeysAVX512(a, idx, cnt *int64, nidx int, out, in int64) (bo, bi int) {
	panic("unreachable: level is lvlGo without assembly")
}

func ewmLocalAVX512(x *float64, t *[EWMLen]float64, r0, u0 float64) {
	panic("unreachable: level is lvlGo without assembly")
}

func ewmFixAVX512(t *[EWMLen]float64, d *float64, tab *EWMTable, sc, wc *[EWMLanes]float64, nt bool) {
	panic("unreachable: level is lvlGo without assembly")
}
