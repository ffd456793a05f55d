package kernels

import (
	"math"
	"sync"

	"github.com/blockwise/blockwise/internal/asm"
)

// Variances use the same van Herk/Gil-Werman blocks as the sums, on
// y = x − K, where K is the value at the end of the block of window starts,
// s0+w−1: the one element every window of the block pair contains. With K
// inside the window, Σy² ≤ (1+n)·M2, so M2 = Σy² − (Σy)²/n loses at most
// log2(n+1) bits — no catastrophic cancellation, and, as for the sums, no
// history: a spike that has left the window cannot spoil it. Σy and Σy²
// (each y² split exactly into two doubles with a fused multiply-add) are
// compensated scans. Where that element is missing, K is the nearest finite
// value instead, and a window whose Σy² exceeds 2^20·M2 is recomputed
// exactly in two passes.

// varScan is the scan state: compensated Σy (s1+c1), Σy² (s2+c2), count.
type varScan struct{ s1, c1, s2, c2, n float64 }

// add adds v − k, or 0 when v is missing: the same operations for every
// value, in the order of the vector kernel (asm.RollVar8).
func (st *varScan) add(v, k float64) {
	one := 1.0
	if !finite(v) {
		v, one = k, 0
	}
	y := v - k
	twoSumInto(&st.s1, &st.c1, y)
	// float64(...) rounds the square before twoSumInto adds it: without
	// it GOAMD64=v3 fuses s + y*y once twoSumInto is inlined.
	p := float64(y * y)
	pe := math.FMA(y, y, -p)
	twoSumInto(&st.s2, &st.c2, p)
	st.c2 += pe
	st.n += one
}

// addRange adds the values at positions [p, q) of in one after another,
// as add does: the same bits, with the state in registers on a contiguous
// stretch of the series.
func (st *varScan) addRange(in *line, p, q int, k float64) {
	if in.st != 1 || in.scale != 0 || p < 0 || q > in.n {
		for j := p; j < q; j++ {
			st.add(in.get(j), k)
		}
		return
	}
	s1, c1, s2, c2, n := st.s1, st.c1, st.s2, st.c2, st.n
	for _, v := range in.x[in.off+p : in.off+q] {
		one := 1.0
		if !finite(v) {
			v, one = k, 0
		}
		y := v - k
		t := s1 + y
		z := t - s1
		c1 += (s1 - (t - z)) + (y - z)
		s1 = t
		sq := float64(y * y)
		pe := math.FMA(y, y, -sq)
		t = s2 + sq
		z = t - s2
		c2 += (s2 - (t - z)) + (sq - z)
		s2 = t
		c2 += pe
		n += one
	}
	st.s1, st.c1, st.s2, st.c2, st.n = s1, c1, s2, c2, n
}

func twoSumInto(s, c *float64, v float64) {
	t := *s + v
	z := t - *s
	*c += (*s - (t - z)) + (v - z)
	*s = t
}

// pairK picks the shift of the block pair starting at s0, and reports
// whether it is the common element.
func pairK(in *line, s0, w int) (k float64, common bool) {
	if v := in.get(s0 + w - 1); finite(v) {
		return v, true
	}
	for d := 1; d < w; d++ {
		if v := in.get(s0 + w - 1 - d); finite(v) {
			return v, false
		}
		if v := in.get(s0 + w - 1 + d); finite(v) {
			return v, false
		}
	}
	return 0, false
}

// varOf turns joined sums into the variance (or std) with ddof; NaN below
// min_periods or with no degrees of freedom.
func (r *rollTask) varOf(s1, s2, cnt float64) float64 {
	if cnt < float64(r.minp) || cnt <= float64(r.ddof) {
		return math.NaN()
	}
	m2 := max(s2-s1*(s1/cnt), 0)
	v := m2 / (cnt - float64(r.ddof))
	if r.kind == rollStd {
		v = math.Sqrt(v)
	}
	return v
}

// exactVar is the two-pass fallback for one window: mean by a compensated
// sum, then the compensated sum of squared deviations.
func (r *rollTask) exactVar(in *line, i int) float64 {
	var sum scanState
	for j := i - r.left; j <= i+r.righ; j++ {
		sum.add(in.get(j))
	}
	exn, ex, _ := r.extras(in, 0)
	n := sum.n + float64(exn)
	if n == 0 {
		return r.varOf(0, 0, 0)
	}
	mean := join(scanState{sum.s, sum.c, 0}, ex) / n
	var acc varScan
	for j := i - r.left; j <= i+r.righ; j++ {
		acc.add(in.get(j), mean)
	}
	_, _, ex2 := r.extras(in, mean)
	return r.varOf(0, join(scanState{acc.s2, acc.c2, 0}, ex2), n)
}

func (r *rollTask) varSegment(in *line, out *outLine, a, b int) {
	w := r.w
	bufp := varPool.Get().(*[]varScan)
	defer varPool.Put(bufp)
	if need := suffixScratch(w); cap(*bufp) < need {
		*bufp = make([]varScan, need)
	}
	var suf suffixes[varScan]
	var vec []float64
	if w > r.ddof {
		var vp *[]float64
		if vp, vec = r.vecScratch(in, out, a, b, w, 49*w); vp != nil {
			defer vecPool.Put(vp)
		}
	}
	var miss missing
	wide := true
	for blk := a; blk < b; {
		s0 := blk - r.left
		// Runs of eight (AVX-512) or four (AVX2) whole blocks of finite
		// values inside the series, up to the next missing value, or the
		// blocks left of the segment, staged: the vector kernels, the
		// same bits as the loop below.
		if vec != nil && s0 >= 0 {
			if adv := r.varLanes(in, out, vec, &miss, blk, b, &wide); adv > 0 {
				blk += adv
				continue
			} else if adv < 0 {
				// Refused finite values (no SIMD, or values whose
				// squares could overflow): the scalar loop for the
				// rest of the segment, rather than a refused scan per
				// block.
				vec = nil
			}
		}
		suf.init(*bufp, w)
		if r.varBlock(in, out, &suf, blk, b, 1) {
			// Σy² overflowed: redo the block on inputs scaled down by a
			// power of two, for the outputs that overflowed only (the
			// bound counts PadEdge's copies beyond a clamped window).
			sc := *in
			sc.scale = 1 / asm.VarScale(w+r.ex0+r.ex1)
			r.varBlock(&sc, out, &suf, blk, b, sc.scale)
		}
		blk += w
	}
}

// varLanes runs the vector kernels over the block pairs from blk (s0 ≥ 0)
// in the segment ending at b, which take finite values only: whole groups
// inside the series up to the next missing value, in place, or the blocks
// left of the segment, staged, when every value their outputs read is in
// the series and finite. It returns how many outputs they wrote: 0 if none
// could go, −1 if the kernels refused finite values.
func (r *rollTask) varLanes(in *line, out *outLine, vec []float64, miss *missing, blk, b int, wide *bool) int {
	w := r.w
	s0 := blk - r.left
	suf, stage := vec[:32*w], vec[32*w:]
	lim := r.sumLim(in, blk, b)
	if lim > 0 {
		lim = max(0, miss.next(in, s0, s0+lim+w)-s0-w)
	}
	end := b + r.righ // one past the last value the segment's outputs read
	whole := lim >= 4*w
	if !whole {
		// A missing value within the next group: the masked kernel
		// over whole groups.
		if adv := r.varMasked(in, out, vec, blk, b); adv != 0 {
			return adv
		}
		if b-blk > 8*w || end > in.n || miss.next(in, s0, end) < end {
			return 0
		}
	}
	std, div := r.kind == rollStd, float64(w-r.ddof)
	for {
		lanes := 4
		if *wide && (lim >= 8*w || (!whole && b-blk > 4*w)) {
			lanes = 8
		}
		g := r.group(in, out, stage, blk, b, lanes, lim)
		if lanes == 8 {
			if asm.RollVar8(g.xs, g.os, suf, w, std, div) {
				return g.done(out, blk)
			}
			*wide = false
			continue
		}
		if asm.RollVar4(g.xs, g.os, suf, w, std, div) {
			return g.done(out, blk)
		}
		return -1
	}
}

// varMasked runs the masked four-lane kernel over up to sixteen whole
// groups of block pairs from blk inside the series, missing values
// included, each pair shifted as varBlock shifts it, and recomputes
// exactly the windows the kernel sends back. It returns how many outputs
// it wrote: 0 if no whole group fits, −1 if the kernel refused.
func (r *rollTask) varMasked(in *line, out *outLine, vec []float64, blk, b int) int {
	const maxGroups = 16
	w := r.w
	g := min(r.sumLim(in, blk, b)/(4*w), maxGroups)
	if g < 1 {
		return 0
	}
	s0 := blk - r.left
	var ks [4 * maxGroups]float64
	var common [4 * maxGroups]bool
	for j := range 4 * g {
		ks[j], common[j] = pairK(in, s0+j*w, w)
	}
	n := 4 * w * g
	os := out.x[out.off+blk : out.off+blk+n]
	ran, exact := asm.RollVar4Masked(in.x[in.off+s0:in.off+s0+n+w], os, vec[:20*w], ks[:4*g], common[:4*g],
		w, r.kind == rollStd, r.minp, r.ddof)
	if !ran {
		return -1
	}
	if exact {
		for j := range 4 * g {
			if common[j] {
				continue
			}
			for i := j * w; i < (j+1)*w; i++ {
				if math.Float64bits(os[i]) == asm.VarExactBits {
					os[i] = r.exactVar(in, blk+i)
				}
			}
		}
	}
	return n
}

// varBlock writes the outputs [blk, min(blk+w, b)) of one block pair and
// reports whether any overflowed (a non-finite variance of a window with
// enough finite values). With scale ≠ 1 (in's inputs are multiplied by it)
// it writes only over outputs holding such a result, unscaled exactly: a
// variance beyond the float64 range becomes +Inf, its square root stays
// finite.
func (r *rollTask) varBlock(in *line, out *outLine, suf *suffixes[varScan], blk, b int, scale float64) (overflow bool) {
	w := r.w
	s0 := blk - r.left
	k, common := pairK(in, s0, w)
	exn, ex1, ex2 := r.extras(in, k)
	tf := r.headNaNs(in, blk, r.minp)
	buf := suf.buf
	if suf.k == 0 {
		// Inline (the generic helper's calls would not be).
		var acc varScan
		for t := w - 1; t >= tf; t-- {
			acc.add(in.get(s0+t), k)
			buf[t] = acc
		}
	} else {
		scanSuffix(suf, in, s0, w, k)
	}
	var pre varScan
	tf = min(tf, b-blk)
	if tf > 0 {
		// The outputs headNaNs counts: NaN, their prefixes added in
		// one run.
		pre.addRange(in, s0+w, s0+w+tf-1, k)
		if scale == 1 {
			for t := range tf {
				out.set(blk+t, math.NaN())
			}
		}
	}
	for t := tf; t < w && blk+t < b; t++ {
		if t > 0 {
			pre.add(in.get(s0+w+t-1), k)
		}
		var a varScan
		if suf.k == 0 {
			a = buf[t]
		} else {
			a = suffixAt(suf, in, s0, w, k, t)
		}
		icnt := int(a.n+pre.n) + exn // an integer: with edge copies it can pass 2^53
		cnt := float64(icnt)
		s1 := join(scanState{a.s1, a.c1, 0}, scanState{pre.s1, pre.c1, 0})
		s2 := join(scanState{a.s2, a.c2, 0}, scanState{pre.s2, pre.c2, 0})
		if exn != 0 {
			s1 = join3(scanState{a.s1, a.c1, 0}, scanState{pre.s1, pre.c1, 0}, ex1)
			s2 = join3(scanState{a.s2, a.c2, 0}, scanState{pre.s2, pre.c2, 0}, ex2)
		}
		v := r.varOf(s1, s2, cnt)
		if !common && cnt > 0 && s2 > 0x1p20*max(s2-s1*(s1/cnt), 0) {
			v = r.exactVar(in, blk+t)
		}
		enough := icnt >= r.minp && icnt > r.ddof
		if !enough {
			v = math.NaN() // decided in integers, whatever varOf's float count says
		}
		if scale != 1 {
			if enough && !finite(out.get(blk+t)) {
				v /= scale
				if r.kind == rollVar {
					v /= scale
				}
				out.set(blk+t, v)
			}
			continue
		}
		overflow = overflow || (enough && !finite(v))
		out.set(blk+t, v)
	}
	return overflow
}

// missing finds the missing values ahead of the vector kernels, which take
// finite runs only, scanning each position of a contiguous line once
// however often it is asked: [lo, hi) was scanned last, and p is its first
// non-finite position (hi if none).
type missing struct{ lo, hi, p int }

// next returns the first position in [j, end) holding a non-finite value,
// or end if there is none (j only grows from call to call).
func (m *missing) next(in *line, j, end int) int {
	switch {
	case m.hi > m.lo && j >= m.lo && j <= m.p && m.p < m.hi:
		return m.p // the known missing value is still ahead
	case m.hi > m.lo && j >= m.lo && j <= m.hi && m.p == m.hi && end <= m.hi:
		return end // [j, end) was scanned clean
	}
	start := j
	if m.hi > m.lo && j >= m.lo && j <= m.hi && m.p == m.hi {
		start = m.hi // [j, hi) is known clean
	}
	m.lo, m.hi, m.p = j, end, end
	for i, v := range in.x[in.off+start : in.off+end] {
		if v-v != 0 {
			m.p = start + i
			break
		}
	}
	return m.p
}

var varPool = sync.Pool{New: func() any { return new([]varScan) }}
