package asm

import "math"

// RollVar8 computes rolling variances (std when std is set) of all-finite
// data for runs of eight consecutive blocks of w window starts, eight lanes
// at once (len(out) = 8w·groups, len(x) = len(out) + w, len(suf) ≥ 32w,
// div = w − ddof > 0), by the scheme of kernels/rolling.go: per block pair,
// shift by K = the block's last value, compensated suffix and prefix scans
// of y and of y² (split exactly with FMA), joined, m2 = max(Σy² −
// Σy·(Σy/w), 0), divided by div. It reports false, computing nothing,
// without AVX-512, when x holds a NaN or ±Inf, or when some |x| is large
// enough (≳ 2^511/√(8w)) for Σy² to overflow; rollVar8Go is its reference.
func RollVar8(x, out, suf []float64, w int, std bool, div float64) bool {
	groups := len(out) / (8 * w)
	if w < 1 || groups < 1 || len(out) != 8*w*groups || len(x) != len(out)+w || len(suf) < 32*w || !(div > 0) {
		panic("asm.RollVar8: bad arguments")
	}
	raceBlocks(x, out, suf[:32*w])
	if level != lvlAVX512 || !allBelowAVX2(x, VarScale(w)) {
		return false
	}
	rollVar8CleanAVX512(x, out, suf[:32*w], w, groups, std, div)
	return true
}

// RollVar4 is RollVar8 on four lanes for AVX2 (len(out) = 4w·groups,
// len(x) = len(out) + w, len(suf) ≥ 16w); the same bits. It reports false,
// computing nothing, without AVX2 or when x holds a NaN or ±Inf.
func RollVar4(x, out, suf []float64, w int, std bool, div float64) bool {
	groups := len(out) / (4 * w)
	if w < 1 || groups < 1 || len(out) != 4*w*groups || len(x) != len(out)+w || len(suf) < 16*w || !(div > 0) {
		panic("asm.RollVar4: bad arguments")
	}
	raceBlocks(x, out, suf[:16*w])
	if (level != lvlAVX2 && level != lvlAVX512) || !allBelowAVX2(x, VarScale(w)) {
		return false
	}
	rollVar4CleanAVX2(x, out, suf[:16*w], w, groups, std, div)
	return true
}

// VarExactBits are the bits of the NaN that RollVar4Masked writes where a
// window must be recomputed exactly.
const VarExactBits = 0x7ffc000000000ac7

// RollVar4Masked is RollVar4 for data with missing values (NaN, ±Inf),
// kernels' scalar loop in four lanes, bit for bit: block pair j (window
// starts [jw, jw+w)) shifts by ks[j], and common[j] says that ks[j] is the
// element x[jw+w−1] its windows share. A missing value adds y = 0 and
// counts 0; a window is NaN when it holds fewer than max(minp, ddof+1)
// finite values, else its variance divides by count − ddof. Where ks[j]
// is not common, a window whose Σy² exceeds 2^20 times its m2 (a shift far
// from its values) is set to the NaN with bits VarExactBits and exact
// reports it: the caller recomputes those windows in two passes.
//
// len(out) = 4w·groups, len(x) = len(out) + w, len(suf) ≥ 20w, len(ks) =
// len(common) = 4·groups. It reports ran = false, computing nothing,
// without AVX2, or when some finite |x| is large enough for Σy² to
// overflow (VarScale); rollVar4MaskedGo is its reference.
func RollVar4Masked(x, out, suf, ks []float64, common []bool, w int, std bool, minp, ddof int) (ran, exact bool) {
	groups := len(out) / (4 * w)
	if w < 1 || groups < 1 || len(out) != 4*w*groups || len(x) != len(out)+w || len(suf) < 20*w ||
		len(ks) != 4*groups || len(common) != 4*groups || ddof < 0 {
		panic("asm.RollVar4Masked: bad arguments")
	}
	if level != lvlAVX2 && level != lvlAVX512 {
		return false, false
	}
	raceBlocks(x, out, suf[:20*w])
	if !finiteBelowAVX2(x, VarScale(w)) {
		return false, false
	}
	// The kernel's layout: per group, the four shifts, then a mask of
	// all ones on the lanes whose shift is not common; 16 groups a call.
	const chunk = 16
	var kv [8 * chunk]float64
	notCommon := math.Float64frombits(^uint64(0))
	bias := -float64(max(minp, ddof+1))
	for g0 := 0; g0 < groups; g0 += chunk {
		n := min(chunk, groups-g0)
		for j := range 4 * n {
			b := 4*g0 + j
			kv[8*(j/4)+j%4] = ks[b]
			kv[8*(j/4)+4+j%4] = 0
			if !common[b] {
				kv[8*(j/4)+4+j%4] = notCommon
			}
		}
		lo, hi := 4*w*g0, 4*w*(g0+n)
		if rollVar4AVX2(x[lo:hi+w], out[lo:hi], suf[:20*w], kv[:8*n], w, n, std, bias, float64(ddof)) {
			exact = true
		}
	}
	return true, exact
}

// rollVar4MaskedGo is RollVar4Masked's reference: kernels' varBlock for
// block pairs inside the series, one at a time.
func rollVar4MaskedGo(x, out, ks []float64, common []bool, w int, std bool, minp, ddof int) (exact bool) {
	add := func(a *varRef, v, k float64) {
		one := 1.0
		if v-v != 0 {
			v, one = k, 0
		}
		a.add(v - k)
		a.n += one
	}
	suf := make([]varRef, w)
	for j := 0; j*w < len(out); j++ {
		blk, k := j*w, ks[j]
		var acc varRef
		for t := w - 1; t >= 0; t-- {
			add(&acc, x[blk+t], k)
			suf[t] = acc
		}
		var pre varRef
		for t := 0; t < w; t++ {
			if t > 0 {
				add(&pre, x[blk+w+t-1], k)
			}
			a := suf[t]
			cnt := a.n + pre.n
			s1 := joinRef(a.s1, a.c1, pre.s1, pre.c1)
			s2 := joinRef(a.s2, a.c2, pre.s2, pre.c2)
			m2 := max(s2-s1*(s1/cnt), 0)
			v := m2 / (cnt - float64(ddof))
			if std {
				v = math.Sqrt(v)
			}
			enough := int(cnt) >= minp && int(cnt) > ddof
			if !common[j] && enough && s2 > 0x1p20*m2 {
				v, exact = math.Float64frombits(VarExactBits), true
			}
			if !enough {
				v = math.NaN()
			}
			out[blk+t] = v
		}
	}
	return exact
}

// rollVar8Go is RollVar8's (and RollVar4's) reference, one block pair at a time.
func rollVar8Go(x, out []float64, w int, std bool, div float64) {
	cnt := float64(w)
	for blk := 0; blk+w <= len(out); blk += w {
		k := x[blk+w-1]
		suf := make([]varRef, w)
		var acc varRef
		for t := w - 1; t >= 0; t-- {
			acc.add(x[blk+t] - k)
			suf[t] = acc
		}
		var pre varRef
		for t := 0; t < w; t++ {
			if t > 0 {
				pre.add(x[blk+w+t-1] - k)
			}
			s1 := joinRef(suf[t].s1, suf[t].c1, pre.s1, pre.c1)
			s2 := joinRef(suf[t].s2, suf[t].c2, pre.s2, pre.c2)
			v := max(s2-s1*(s1/cnt), 0) / div
			if std {
				v = math.Sqrt(v)
			}
			out[blk+t] = v
		}
	}
}

// varRef is the references' scan state: compensated Σy (s1 + c1) and Σy²
// (s2 + c2, each y² split exactly), and the count.
type varRef struct{ s1, c1, s2, c2, n float64 }

// add adds y to Σy and y² to Σy², in the kernels' order.
func (a *varRef) add(y float64) {
	twoSum := func(s, c *float64, v float64) {
		t := *s + v
		z := t - *s
		*c += (*s - (t - z)) + (v - z)
		*s = t
	}
	twoSum(&a.s1, &a.c1, y)
	// float64(...) rounds the square before twoSum adds it: without it
	// GOAMD64=v3 fuses s + y*y once twoSum is inlined.
	p := float64(y * y)
	pe := math.FMA(y, y, -p)
	twoSum(&a.s2, &a.c2, p)
	a.c2 += pe
}

// joinRef sums the compensated sums (as, ac) and (bs, bc), rounded once,
// as the kernels' JOIN.
func joinRef(as, ac, bs, bc float64) float64 {
	t := as + bs
	z := t - as
	e := (as - (t - z)) + (bs - z)
	return t + (e + (ac + bc))
}
