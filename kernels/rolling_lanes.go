package kernels

import (
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
)

// The lane path. A line that is not contiguous — a rolling axis other than
// the last of a C-order array (Axis(0) over a panel of series), or a strided
// view — defeats the vector kernels, and each value read costs a cache line.
// But the lines beside it, along an axis of stride 1, are read in the same
// lines: so a group of up to laneWidth adjacent lines is gathered, one
// segment's span at a time, into contiguous scratch (row by row: one cache
// line read gives a value of every lane), each lane runs through the same
// segment kernel as a contiguous 1-D series, and the results are scattered
// back row by row. The kernels see exactly the values and positions they
// would see on the line itself, and their results do not depend on where a
// segment starts (segments are whole windows: the van Herk/Gil-Werman
// blocks do not move), so the lane path gives the 1-D path's bits.

// laneWidth is the most lines gathered together: eight doubles, one cache
// line of each row.
const laneWidth = 8

// laneBudget bounds the values of one gathered buffer (lanes × span): about
// 2 MB a buffer, two or three buffers per worker. Windows whose span alone
// is longer go the strided way, with memory O(window) as before.
const laneBudget = 1 << 18

// laneSegMin is the least number of outputs of a lane-path segment (a
// multiple of the window, at least 4 windows): small enough that a group's
// buffers stay in L2. A variable so that tests can cut lines into many
// segments.
var laneSegMin = 2048

// rowTile is the most lanes one item of the row path takes (4 KB of a
// row): reading long stretches of each row keeps memory streaming, where
// short ones cost a DRAM page each. rowSegMin is the least number of
// outputs of its segments (a multiple of the window): it needs no buffers,
// so its items are short, for parallelism.
const (
	rowTile   = 512
	rowSegMin = 1024
)

// lanePlan is how a call's lines are grouped: lines = outer × dc × inner,
// the lanes of a group adjacent along the lane axis c.
type lanePlan struct {
	on        bool
	rows      bool // sums, means, variances: the row kernels (no gather) inside the series
	g         int  // lanes per group (one item)
	sub       int  // lanes gathered at once (≤ laneWidth)
	c         int  // the lane axis (stride 1 in src and y), -1: none
	dc        int  // lines along c (1 without a lane axis)
	cblocks   int  // groups along c: ⌈dc / g⌉
	inner     int  // lines from one lane to the next
	seg, segs int  // outputs per segment (a multiple of w), segments per line
}

// planLanes decides whether the call takes the lane path: some line of dst
// or of an input is not contiguous, and the gathered span fits laneBudget.
func (r *rollTask) planLanes() {
	src, dst, y, ax := r.src, r.dst, r.y, r.axis
	p := lanePlan{c: -1, dc: 1, inner: 1}
	if r.n < 2 || (src.Stride(ax) == 1 && dst.Stride(ax) == 1 && (y == nil || y.Stride(ax) == 1)) {
		r.lanes = p
		return
	}
	for k := src.Ndim() - 1; k >= 0; k-- {
		if k != ax && src.Dim(k) > 1 && src.Stride(k) == 1 && (y == nil || y.Stride(k) == 1) {
			p.c, p.dc = k, src.Dim(k)
			break
		}
	}
	for k := p.c + 1; p.c >= 0 && k < src.Ndim(); k++ {
		if k != ax {
			p.inner *= src.Dim(k)
		}
	}
	w := r.w
	p.seg = w * max(4, (laneSegMin+w-1)/w)
	span := min(p.seg+w, r.n) // a segment's outputs and its windows' reach
	p.sub = min(laneWidth, p.dc, laneBudget/span)
	if p.sub < 1 {
		r.lanes = lanePlan{c: -1, dc: 1, inner: 1}
		return
	}
	p.g = p.sub
	// Sums, means, variances and extrema down lanes that are adjacent in
	// src and dst: whole vectors of a row at a time, nothing gathered but
	// the edges.
	ext := r.kind == rollMin || r.kind == rollMax
	rowKind := (ext && asm.ExtRowKernels()) || (asm.RowKernels() && (r.kind == rollSum || r.kind == rollMean ||
		((r.kind == rollVar || r.kind == rollStd) && w > r.ddof)))
	if rowKind && p.c >= 0 && p.dc >= 8 &&
		dst.Stride(p.c) == 1 && src.Stride(ax) >= 0 && dst.Stride(ax) > 0 &&
		r.ex0 == 0 && r.ex1 == 0 && w <= maxVecWindow {
		p.rows, p.g = true, min(rowTile, p.dc)
		p.seg = w * max(8, (rowSegMin+w-1)/w)
	}
	p.cblocks = (p.dc + p.g - 1) / p.g
	p.segs = (r.n + p.seg - 1) / p.seg
	p.on = true
	r.lanes = p
}

// groups is the number of lane groups.
func (p *lanePlan) groups(lines int) int { return lines / p.dc * p.cblocks }

var lanePool = sync.Pool{New: func() any { return new([]float64) }}

// runRollingLanes runs items [lo, hi) of the lane path: item = group·segs
// + segment.
func (t *task) runRollingLanes(lo, hi int) {
	r := &t.roll
	p := &r.lanes
	for it := lo; it < hi; it++ {
		grp, sg := it/p.segs, it%p.segs
		ii, rest := grp%p.inner, grp/p.inner
		cb, oi := rest%p.cblocks, rest/p.cblocks
		k0 := cb * p.g
		g := min(p.g, p.dc-k0)
		li := (oi*p.dc+k0)*p.inner + ii // the group's first line
		a, b := sg*p.seg, min(r.n, (sg+1)*p.seg)
		if p.rows {
			r.rowsRange(li, g, a, b)
			continue
		}
		if !r.gatherRange(li, g, a, b) {
			return
		}
	}
}

// gatherRange computes outputs [a, b) (a a multiple of w) of the g lanes
// from line li, gathering at most p.sub of them at a time. It reports
// false when RollingApply's f panicked.
func (r *rollTask) gatherRange(li, g, a, b int) bool {
	p := &r.lanes
	bufp := lanePool.Get().(*[]float64)
	defer lanePool.Put(bufp)
	src, dst := r.src, r.dst
	sx, dx := src.Backing(), dst.Backing()
	sa, da := src.Stride(r.axis), dst.Stride(r.axis)
	dlane := 0 // dst's stride from one lane to the next
	if p.c >= 0 {
		dlane = dst.Stride(p.c)
	}
	for k0 := 0; k0 < g; k0 += p.sub {
		g, li := min(p.sub, g-k0), li+k0*p.inner
		// The span every window of outputs [a, b) reads (and one more
		// value: the vector kernels' slices reach one past it).
		lo, hi := max(0, a-r.left), min(r.n, b+r.righ+1)
		span, m := hi-lo, b-a
		need := g * (span + m)
		if r.y != nil {
			need += g * span
		}
		if cap(*bufp) < need {
			*bufp = array.Aligned(need)
		}
		buf := (*bufp)[:need]
		xs, os := buf[:g*span], buf[g*span:g*(span+m)]
		soff := lineOffset(src, r.axis, li)
		gatherLanes(xs, sx, soff, sa, g, lo, hi)
		var ys []float64
		var yoff, ya int
		if r.y != nil {
			ys = buf[g*(span+m):]
			yoff, ya = lineOffset(r.y, r.axis, li), r.y.Stride(r.axis)
			gatherLanes(ys, r.y.Backing(), yoff, ya, g, lo, hi)
		}
		for k := range g {
			in := line{x: xs[k*span : (k+1)*span : (k+1)*span], off: -lo, st: 1, n: r.n, pad: r.pad,
				first: sx[soff+k], last: sx[soff+k+(r.n-1)*sa]}
			var yl line
			if ys != nil {
				yl = line{x: ys[k*span : (k+1)*span : (k+1)*span], off: -lo, st: 1, n: r.n, pad: r.pad,
					first: r.y.Backing()[yoff+k], last: r.y.Backing()[yoff+k+(r.n-1)*ya]}
			}
			out := outLine{x: os[k*m : (k+1)*m : (k+1)*m], off: -a, st: 1}
			if !r.segment(&in, &yl, &out, a, b) {
				return false
			}
		}
		doff := lineOffset(dst, r.axis, li)
		scatterLanes(dx, doff+a*da, da, dlane, os, g, m)
	}
	return true
}

// rowsRange computes sums, means or variances of outputs [a, b) (a a
// multiple of w) of the g lanes from line li, which are adjacent in src
// and dst: the blocks whose windows lie inside the series through
// asm.RollSumRows or asm.RollVarRows, eight lanes per vector straight from
// the rows; the blocks at the series' ends, the lanes beyond a multiple
// of eight and any block the kernel refused (scans that overflowed;
// missing values, for variances) through the gathered path. Both perform
// the same operations per lane, so the bits do not depend on which ran.
func (r *rollTask) rowsRange(li, g, a, b int) {
	w := r.w
	// Interior blocks: blk ≥ left (no window starts before the series)
	// and blk − left + 2w − 1 ≤ n (the block pair's rows exist), whole.
	ia := a
	if r.left > a {
		ia = a + (r.left-a+w-1)/w*w
	}
	last := min(b-w, r.n+r.left-2*w+1) // the last interior block's start, at most
	g8 := g &^ 7
	if ia > last || g8 == 0 {
		r.gatherRange(li, g, a, b)
		return
	}
	ib := ia + ((last-ia)/w+1)*w
	if a < ia {
		r.gatherRange(li, g, a, ia)
	}
	if ib < b {
		r.gatherRange(li, g, ib, b)
	}
	if g8 < g {
		r.gatherRange(li+g8*r.lanes.inner, g-g8, ia, ib)
	}
	vp := vecPool.Get().(*[]float64)
	defer vecPool.Put(vp)
	if cap(*vp) < 32*w {
		*vp = array.Aligned(32 * w)
	}
	suf := (*vp)[:32*w]
	sx, dx := r.src.Backing(), r.dst.Backing()
	sa, da := r.src.Stride(r.axis), r.dst.Stride(r.axis)
	soff, doff := lineOffset(r.src, r.axis, li), lineOffset(r.dst, r.axis, li)
	for blk := ia; blk < ib; blk += w {
		xs := sx[soff+(blk-r.left)*sa:]
		os := dx[doff+blk*da:]
		var ok bool
		switch r.kind {
		case rollSum, rollMean:
			ok = asm.RollSumRows(xs, sa, os, da, suf, w, g8/8, r.kind == rollMean, float64(r.minp))
		case rollMin, rollMax:
			ok = asm.RollExtRows(xs, sa, os, da, suf, w, g8/8, r.kind == rollMin, r.minp)
		default:
			ok = asm.RollVarRows(xs, sa, os, da, suf, w, g8/8, r.kind == rollStd, float64(w-r.ddof))
		}
		if !ok {
			r.gatherRange(li, g8, blk, blk+w)
		}
	}
}

// gatherLanes copies rows [lo, hi) of g adjacent lanes, x[off + j·st + k],
// into buf: lane k's rows at buf[k·(hi−lo):]. Eight lanes at a time: one
// cache line of each row.
func gatherLanes(buf, x []float64, off, st, g, lo, hi int) {
	span := hi - lo
	k := 0
	for ; k+8 <= g; k += 8 {
		gather8(buf[k*span:(k+8)*span], x, off+lo*st+k, st, span)
	}
	for ; k < g; k++ {
		l := buf[k*span : (k+1)*span]
		p := off + lo*st + k
		for j := range l {
			l[j] = x[p]
			p += st
		}
	}
}

func gather8(buf, x []float64, p, st, span int) {
	l0, l1, l2, l3 := buf[:span], buf[span:2*span], buf[2*span:3*span], buf[3*span:4*span]
	l4, l5, l6, l7 := buf[4*span:5*span], buf[5*span:6*span], buf[6*span:7*span], buf[7*span:8*span]
	for j := range span {
		row := x[p : p+8 : p+8]
		l0[j], l1[j], l2[j], l3[j] = row[0], row[1], row[2], row[3]
		l4[j], l5[j], l6[j], l7[j] = row[4], row[5], row[6], row[7]
		p += st
	}
}

// scatterLanes copies g lanes of m results, lane k at buf[k·m:], to
// x[off + i·st + k·cst].
func scatterLanes(x []float64, off, st, cst int, buf []float64, g, m int) {
	k := 0
	for ; cst == 1 && k+8 <= g; k += 8 {
		scatter8(x, off+k, st, buf[k*m:(k+8)*m], m)
	}
	for ; k < g; k++ {
		l := buf[k*m : (k+1)*m]
		p := off + k*cst
		for i := range l {
			x[p] = l[i]
			p += st
		}
	}
}

func scatter8(x []float64, p, st int, buf []float64, m int) {
	l0, l1, l2, l3 := buf[:m], buf[m:2*m], buf[2*m:3*m], buf[3*m:4*m]
	l4, l5, l6, l7 := buf[4*m:5*m], buf[5*m:6*m], buf[6*m:7*m], buf[7*m:8*m]
	for i := range m {
		row := x[p : p+8 : p+8]
		row[0], row[1], row[2], row[3] = l0[i], l1[i], l2[i], l3[i]
		row[4], row[5], row[6], row[7] = l4[i], l5[i], l6[i], l7[i]
		p += st
	}
}

// lineOffset is the offset in a's backing of line li along axis.
func lineOffset(a *array.Array, axis, li int) int {
	w := newWalkerSkip(a, axis, li)
	return w.offset(a)
}
