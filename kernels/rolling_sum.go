package kernels

import (
	"math"
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
)

// Sums and means use the van Herk/Gil-Werman decomposition: the virtual
// series is cut into blocks of w at fixed positions, and the window of i is
// the suffix of one block plus the prefix of the next. Both are compensated
// scans (TwoSum, the rounding error of every addition carried in a second
// double) over elements of that window only, so a window's error is bounded
// by its own Σ|x| — nothing that left the window can linger in the result,
// however large — and no result depends on where a worker started.

// scanState is a compensated partial sum s + c of the finite values seen,
// with their count (as a float: exact below 2^53).
type scanState struct{ s, c, n float64 }

// add adds v, or 0 when v is missing: the same operations for every value,
// as the vector kernel (asm.RollSum4) performs them.
func (st *scanState) add(v float64) {
	st.s, st.c, st.n = asm.SumStep(st.s, st.c, st.n, v)
}

// addRange adds the values at positions [p, q) of in one after another,
// as add does: the same bits, with the state in registers on a contiguous
// stretch of the series.
func (st *scanState) addRange(in *line, p, q int) {
	if in.st != 1 || in.scale != 0 || p < 0 || q > in.n {
		for j := p; j < q; j++ {
			st.add(in.get(j))
		}
		return
	}
	s, c, n := st.s, st.c, st.n
	for _, v := range in.x[in.off+p : in.off+q] {
		s, c, n = asm.SumStep(s, c, n, v)
	}
	st.s, st.c, st.n = s, c, n
}

// join returns the sum of two compensated partial sums, rounded once.
func join(a, b scanState) float64 {
	t := a.s + b.s
	z := t - a.s
	e := (a.s - (t - z)) + (b.s - z)
	return t + (e + (a.c + b.c))
}

// sumSegment writes the rolling sums or means of outputs [a, b) (a is a
// multiple of w).
func (r *rollTask) sumSegment(in *line, out *outLine, a, b int) {
	w := r.w
	bufp := scanPool.Get().(*[]scanState)
	defer scanPool.Put(bufp)
	if need := suffixScratch(w); cap(*bufp) < need {
		*bufp = make([]scanState, need)
	}
	var suf suffixes[scanState]
	minp := r.minp
	mean := r.kind == rollMean
	if mean {
		minp = max(minp, 1) // the mean of no values is NaN
	}
	var vec []float64
	if minp <= w {
		// (The clean vector kernels take every window as holding
		// minp values.)
		var vp *[]float64
		if vp, vec = r.vecScratch(in, out, a, b, w, sumScratch(w)); vp != nil {
			defer vecPool.Put(vp)
		}
	}
	wide := true
	for blk := a; blk < b; {
		if vec != nil && !r.headSkips(in, blk, minp) {
			if adv := r.sumLanes(in, out, vec, blk, b, mean, minp, &wide); adv > 0 {
				blk += adv
				continue
			}
			// Refused (no SIMD, or values that could overflow a
			// scan): the scalar loop for the rest of the segment,
			// rather than a refused scan per block.
			vec = nil
		}
		suf.init(*bufp, w)
		if r.sumBlock(in, out, &suf, blk, b, mean, minp, 1) {
			// A scan overflowed: redo the block on inputs scaled down
			// by a power of two, for the outputs that overflowed only.
			// The bound counts the edge copies PadEdge adds beyond a
			// clamped window (up to 2^63 of them).
			sc := *in
			sc.scale = 1 / asm.SumScale(w+r.ex0+r.ex1)
			r.sumBlock(&sc, out, &suf, blk, b, mean, minp, sc.scale)
		}
		blk += w
	}
}

// sumBlock writes the outputs [blk, min(blk+w, b)) of one block pair and
// reports whether any overflowed: a non-finite result of a window with at
// least min_periods finite values (all finite, so only an overflow of a
// partial sum can do it). With scale ≠ 1 (in's inputs are multiplied by
// it) it writes only over outputs that hold such a non-finite result, the
// results divided by scale: an exact power-of-two rescaling, so a sum that
// really exceeds the float64 range becomes ±Inf and a mean stays finite.
func (r *rollTask) sumBlock(in *line, out *outLine, suf *suffixes[scanState], blk, b int, mean bool, minp int, scale float64) (overflow bool) {
	w := r.w
	s0 := blk - r.left // virtual start of the block of window starts
	exn, ex, _ := r.extras(in, 0)
	tf := r.headNaNs(in, blk, minp)
	buf := suf.buf
	if suf.k == 0 {
		// Inline (the generic helper's calls would not be).
		var acc scanState
		for t := w - 1; t >= tf; t-- {
			acc.add(in.get(s0 + t))
			buf[t] = acc
		}
	} else {
		scanSuffix(suf, in, s0, w, 0)
	}
	var pre scanState
	tf = min(tf, b-blk)
	if tf > 0 {
		// The outputs headNaNs counts: NaN, their prefixes added in
		// one run.
		pre.addRange(in, s0+w, s0+w+tf-1)
		if scale == 1 {
			for t := range tf {
				out.set(blk+t, math.NaN())
			}
		}
	}
	for t := tf; t < w && blk+t < b; t++ {
		if t > 0 {
			pre.add(in.get(s0 + w + t - 1))
		}
		// Counts in integers: with edge copies they can pass 2^53.
		var st scanState
		if suf.k == 0 {
			st = buf[t]
		} else {
			st = suffixAt(suf, in, s0, w, 0, t)
		}
		cnt := int(st.n+pre.n) + exn
		v := join(st, pre)
		if exn != 0 {
			v = join3(st, pre, ex)
		}
		if mean {
			v /= float64(cnt)
		}
		enough := cnt >= minp && cnt > 0
		if cnt < minp {
			v = math.NaN()
		}
		if scale != 1 {
			if enough && !finite(out.get(blk+t)) {
				out.set(blk+t, v/scale)
			}
			continue
		}
		overflow = overflow || (enough && !finite(v))
		out.set(blk+t, v)
	}
	return overflow
}

// sumLanes runs the vector kernels over the block pairs from blk in the
// segment ending at b (see rolling_stage.go) and returns how many outputs
// they wrote: 0 if they refused (no SIMD, or values that could overflow a
// scan).
func (r *rollTask) sumLanes(in *line, out *outLine, vec []float64, blk, b int, mean bool, minp int, wide *bool) int {
	w := r.w
	suf, stage := vec[:24*w], vec[24*w:]
	lim := r.sumLim(in, blk, b)
	for {
		// Eight lanes (AVX-512) for a whole group of eight, or for
		// more than four blocks staged in one call.
		lanes := 4
		if *wide && (lim >= 8*w || b-blk > 4*w) {
			lanes = 8
		}
		g := r.group(in, out, stage, blk, b, lanes, lim)
		if lanes == 8 {
			if asm.RollSum8(g.xs, g.os, suf, w, mean, float64(minp)) {
				return g.done(out, blk)
			}
			*wide = false // no AVX-512, or RollSum4 refuses too
			continue
		}
		if asm.RollSum4(g.xs, g.os, suf, w, mean, float64(minp)) {
			return g.done(out, blk)
		}
		return 0
	}
}

// join3 returns the sum of three compensated partial sums, rounded once.
func join3(a, b, c scanState) float64 {
	t := a.s + b.s
	z := t - a.s
	e := (a.s - (t - z)) + (b.s - z)
	u := t + c.s
	z = u - t
	e += (t - (u - z)) + (c.s - z)
	return u + (e + (a.c + b.c + c.c))
}

// maxVecWindow is the largest window the vector kernels take: their scratch
// is 16–32 windows of doubles, and beyond this the scalar loop is as fast.
const maxVecWindow = 1 << 13

var vecPool = sync.Pool{New: func() any { return new([]float64) }}

// vecScratch returns n values of scratch for the vector kernels from
// vecPool (hand vp back with vecPool.Put), or nil when segment [a, b) of
// in cannot take them: a strided line, PadEdge extras, a window beyond
// maxVecWindow, or fewer than minRun outputs.
func (r *rollTask) vecScratch(in *line, out *outLine, a, b, minRun, n int) (vp *[]float64, vec []float64) {
	if in.st != 1 || out.st != 1 || b-a < minRun || r.w > maxVecWindow || r.ex0 != 0 || r.ex1 != 0 {
		return nil, nil
	}
	vp = vecPool.Get().(*[]float64)
	if cap(*vp) < n {
		*vp = array.Aligned(n)
	}
	return vp, (*vp)[:n]
}

var scanPool = sync.Pool{New: func() any { return new([]scanState) }}
