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
	one := 1.0
	if !finite(v) {
		v, one = 0, 0
	}
	twoSumInto(&st.s, &st.c, v)
	st.n += one
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
	vp, vec := r.vecScratch(in, out, a, b, 4*w, 24*w)
	if vp != nil {
		defer vecPool.Put(vp)
	}
	for blk := a; blk < b; {
		s0 := blk - r.left // virtual start of the block of window starts
		// Runs of eight, or four, whole blocks inside the series: the
		// vector kernels, which compute the same bits as the loop below,
		// missing values included.
		if vec != nil && s0 >= 0 {
			g8, g4 := min(b-blk, in.n-s0-w)/(8*w), min(b-blk, in.n-s0-w)/(4*w)
			if g8 >= 1 {
				xs := in.x[in.off+s0 : in.off+s0+8*w*g8+w]
				os := out.x[out.off+blk : out.off+blk+8*w*g8]
				if asm.RollSum8(xs, os, vec, w, mean, float64(minp)) {
					blk += 8 * w * g8
					continue
				}
			}
			if g4 >= 1 {
				xs := in.x[in.off+s0 : in.off+s0+4*w*g4+w]
				os := out.x[out.off+blk : out.off+blk+4*w*g4]
				if asm.RollSum4(xs, os, vec, w, mean, float64(minp)) {
					blk += 4 * w * g4
					continue
				}
				// Refused (no SIMD, or values that could overflow a
				// scan): the scalar loop for the rest of the segment,
				// rather than a refused scan per block.
				vec = nil
			}
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
	buf := suf.buf
	if suf.k == 0 {
		// Inline (the generic helper's calls would not be).
		var acc scanState
		for t := w - 1; t >= 0; t-- {
			acc.add(in.get(s0 + t))
			buf[t] = acc
		}
	} else {
		scanSuffix(suf, in, s0, w, 0)
	}
	var pre scanState
	for t := 0; t < w && blk+t < b; t++ {
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
