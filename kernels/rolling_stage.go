package kernels

// Staged groups. The vector kernels for sums and variances take whole
// groups of four or eight block pairs lying inside the series: x from the
// first window's start to w past the group's end. The block pairs at a
// series' start (windows reaching before it), at its end and at a
// segment's end (fewer than four blocks left) would otherwise take the
// scalar loop, ~9 ns an output against ~1 for the lanes; at w = 1000 that
// was 8 of every 100 blocks at n = 1e5 and 6 of 10 at n = 1e4. Instead such
// a group is staged: its inputs are copied into scratch with the values the
// scalar loop would read at every position (missing, or PadEdge's copies,
// beyond the series' ends), positions that only outputs past the segment's
// end read are zero, lanes past the segment are zero too, and the outputs
// before the segment's end are copied back. The kernels compute each lane
// with the scalar loop's operations in its order, so a staged block gives
// the same bits as the scalar one.

// stageLanes fills xs with the inputs of the block pairs starting at
// virtual position s0: in.get(s0+j) up to j = last, zero beyond.
func stageLanes(in *line, xs []float64, s0, last int) {
	lo := min(max(0, -s0), len(xs))
	hi := max(lo, min(len(xs), in.n-s0, last+1))
	for j := 0; j < lo; j++ {
		xs[j] = in.get(s0 + j)
	}
	copy(xs[lo:hi], in.x[in.off+s0+lo:in.off+s0+hi])
	for j := hi; j < len(xs); j++ {
		v := 0.0
		if j <= last {
			v = in.get(s0 + j)
		}
		xs[j] = v
	}
}

// sumLim is how many outputs from blk the in-place vector kernels may
// cover: those of the segment ending at b whose windows lie inside the
// series (0 at the series' start).
func (r *rollTask) sumLim(in *line, blk, b int) int {
	s0 := blk - r.left
	if s0 < 0 {
		return 0
	}
	return max(0, min(b-blk, in.n-s0-r.w))
}

// laneGroup is one call of a vector kernel: in place over whole groups, or
// staged over one.
type laneGroup struct {
	xs, os []float64
	n      int  // outputs from blk the call gives
	staged bool // os is scratch: copy os[:n] to the outputs
}

// group lays out the kernel call for lanes block pairs from blk in the
// segment ending at b: in place over the whole groups within the first lim
// outputs, else one group staged into stage (at least (2·lanes+1)·w
// values).
func (r *rollTask) group(in *line, out *outLine, stage []float64, blk, b, lanes, lim int) laneGroup {
	w := r.w
	s0 := blk - r.left
	if s0 >= 0 {
		if g := lim / (lanes * w); g >= 1 {
			return laneGroup{
				xs: in.x[in.off+s0 : in.off+s0+lanes*w*g+w],
				os: out.x[out.off+blk : out.off+blk+lanes*w*g],
				n:  lanes * w * g,
			}
		}
	}
	xs, os := stage[:lanes*w+w], stage[lanes*w+w:2*lanes*w+w]
	stageLanes(in, xs, s0, b-1+r.righ-s0)
	return laneGroup{xs: xs, os: os, n: min(lanes*w, b-blk), staged: true}
}

// done copies a staged group's outputs back and returns how many outputs
// the call wrote.
func (g *laneGroup) done(out *outLine, blk int) int {
	if g.staged {
		copy(out.x[out.off+blk:out.off+blk+g.n], g.os[:g.n])
	}
	return g.n
}

// headNaNs is how many outputs from blk are NaN whatever the values,
// because their windows hold fewer than minp positions of the series (the
// block pair at a series' start, without PadEdge).
func (r *rollTask) headNaNs(in *line, blk, minp int) int {
	s0 := blk - r.left
	if in.pad || s0 >= 0 {
		return 0
	}
	// Output t's window holds at most s0+t+w positions of the series
	// while it starts before it.
	return min(max(0, minp-(s0+r.w)), -s0)
}

// headSkips reports whether the scalar loop, which skips the outputs
// headNaNs counts, beats a staged group for the block pair at blk: when
// most of the block's outputs are such NaNs (the default MinPeriods leaves
// one output in the first block).
func (r *rollTask) headSkips(in *line, blk, minp int) bool {
	return 2*r.headNaNs(in, blk, minp) >= r.w
}

// sumScratch is the scratch the sum kernels' calls take: the scans (24w)
// and a staged group of eight (17w).
func sumScratch(w int) int { return 41 * w }
