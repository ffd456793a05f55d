package kernels

import (
	"math"
	"sync"

	"github.com/blockwise/blockwise/internal/asm"
)

// extremeSegment computes rolling min or max by van Herk/Gil-Werman: the
// virtual series is cut into blocks of w at fixed positions (block b holds
// the windows' starts i−left for i in [b·w, (b+1)·w)); the window of i is the
// suffix of its start's block and the prefix of the next block.
//
// Every path takes extrema with the builtin max and min (missing values
// replaced by the identity first), so a tie between +0 and −0 gives the
// same bits whether the series is contiguous or strided: max gives +0, min
// gives −0.
func (r *rollTask) extremeSegment(in *line, out *outLine, a, b int) {
	w := r.w
	bufp := extremePool.Get().(*[]float64)
	defer extremePool.Put(bufp)
	if cap(*bufp) < w {
		*bufp = make([]float64, w)
	}
	suf := (*bufp)[:w]
	isMax := r.kind == rollMax
	worst := math.Inf(-1)
	if !isMax {
		worst = math.Inf(1)
	}
	pick := func(m, v float64) float64 {
		if isMax {
			return max(m, v)
		}
		return min(m, v)
	}
	// Edge copies beyond the clamped window count towards min_periods;
	// they do not change an extremum (the clamped window holds a copy).
	minp := r.minp
	if finite(in.head()) {
		minp -= r.ex0
	}
	if finite(in.tail()) {
		minp -= r.ex1
	}
	// Running count of finite values, for min_periods.
	count := 0
	for j := a - r.left; j <= a+r.righ; j++ {
		if finite(in.get(j)) {
			count++
		}
	}
	nan := math.NaN()
	vp, vec := r.vecScratch(in, out, a, b, 8*w, 8*w)
	if vp != nil {
		defer vecPool.Put(vp)
	}
	for blk := a; blk < b; blk += w {
		s0 := blk - r.left // virtual start of the block of window starts
		if vec != nil && s0 >= 0 {
			// Runs of eight whole block pairs inside the series: the
			// vector kernel, the same extrema as the loops below.
			if g8 := min(b-blk, in.n-s0-w) / (8 * w); g8 >= 1 {
				xs := in.x[in.off+s0 : in.off+s0+8*w*g8+w]
				os := out.x[out.off+blk : out.off+blk+8*w*g8]
				if ran, finite := asm.RollExt8(xs, os, vec, w, !isMax, minp); ran {
					// min_periods applied; the loops below go on from
					// the last window's count.
					count = w
					if !finite {
						count = 0
						for _, v := range xs[len(os)-1 : len(os)+w-1] {
							count += finiteCount(v)
						}
					}
					blk += 8*w*g8 - w
					continue
				}
				vec = nil
			}
		}
		if in.st == 1 && out.st == 1 && s0 >= 0 && s0+2*w-1 <= in.n && blk+w <= b {
			// Both blocks inside the series: plain slices, no virtual
			// indexing, the same values.
			x := in.x[in.off+s0 : in.off+s0+2*w-1]
			o := out.x[out.off+blk : out.off+blk+w]
			var prev float64
			if blk != a {
				prev = in.get(s0 - 1)
			}
			count = extremeBlocks(isMax, x, o, suf, count, minp, blk != a, prev)
			continue
		}
		// Suffix extrema of the block, from the right.
		m := worst
		for t := w - 1; t >= 0; t-- {
			m = pick(m, skipMissing(in.get(s0+t), worst))
			suf[t] = m
		}
		// Prefix extrema of the next block, with the outputs.
		p := worst
		for t := 0; t < w && blk+t < b; t++ {
			i := blk + t
			if i > a {
				count += finiteCount(in.get(i+r.righ)) - finiteCount(in.get(i-r.left-1))
			}
			res := suf[t]
			if t > 0 {
				p = pick(p, skipMissing(in.get(s0+w+t-1), worst))
				res = pick(res, p)
			}
			if count < minp || count == 0 {
				res = nan
			}
			out.set(i, res)
		}
	}
}

var extremePool = sync.Pool{New: func() any { return new([]float64) }}

// extremeBlocks is the inner loop of extremeSegment for a block pair inside
// the series: x holds the 2w−1 values of the windows of outputs o. count is
// the finite count of the previous window (or of o[0]'s own window when
// !slide); prev is the value that leaves as o[0]'s window starts, when
// slide.
func extremeBlocks(isMax bool, x, o, suf []float64, count, minp int, slide bool, prev float64) int {
	w := len(o)
	if isMax {
		worst := math.Inf(-1)
		m := worst
		for t := w - 1; t >= 0; t-- {
			m = max(m, skipMissing(x[t], worst))
			suf[t] = m
		}
		p := worst
		for t := 0; t < w; t++ {
			if t > 0 {
				p = max(p, skipMissing(x[w+t-1], worst))
			}
			o[t] = max(suf[t], p)
		}
	} else {
		worst := math.Inf(1)
		m := worst
		for t := w - 1; t >= 0; t-- {
			m = min(m, skipMissing(x[t], worst))
			suf[t] = m
		}
		p := worst
		for t := 0; t < w; t++ {
			if t > 0 {
				p = min(p, skipMissing(x[w+t-1], worst))
			}
			o[t] = min(suf[t], p)
		}
	}
	return maskCounts(x, o, count, minp, slide, prev)
}

// maskCounts applies min_periods to the extrema o of the windows of w =
// len(x) − len(o) + 1 values starting at x[0], x[1], …: it slides the
// finite count (of the previous window, or of o[0]'s own window when
// !slide; prev is the value that leaves as o[0]'s window starts, when
// slide), sets to NaN the outputs whose window holds fewer than minp
// finite values or none, and returns the count of the last window.
func maskCounts(x, o []float64, count, minp int, slide bool, prev float64) int {
	w := len(x) - len(o) + 1
	nan := math.NaN()
	for t := range o {
		switch {
		case t > 0:
			count += finiteCount(x[t+w-1]) - finiteCount(x[t-1])
		case slide:
			count += finiteCount(x[w-1]) - finiteCount(prev)
		}
		if count < minp || count == 0 {
			o[t] = nan
		}
	}
	return count
}

// skipMissing returns v, or worst (the identity of the extremum) when v is
// NaN or ±Inf, so that the builtin min and max, which propagate NaN, skip
// missing values.
func skipMissing(v, worst float64) float64 {
	if v-v != 0 {
		return worst
	}
	return v
}

func finiteCount(v float64) int {
	if v-v == 0 {
		return 1
	}
	return 0
}
