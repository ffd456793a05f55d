package kernels

import (
	"math"
	"slices"
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
)

// Rolling median and quantile keep each window's finite values sorted, as
// integer keys. A slide removes the leaving key and inserts the arriving
// one:
//   - up to 32 keys (AVX-512): one padded block, slid in one call of
//     asm.ReplaceKey (whole-vector shifts, no search);
//   - longer windows (AVX-512): sorted blocks of up to 32 slots
//     (rolling_blocks.go), slid in one call of asm.SlideKeys, which counts
//     the block heads and edits one or two blocks;
//   - without AVX-512: one slice, both places found at once (two
//     interleaved binary searches), one shift of about w/3 keys.
// Keys order every float64 totally (−0 before +0), so the sorted window is
// a function of the window's values alone, not of its history or layout:
// each segment rebuilds its first window from its halo and every result is
// bit-identical whatever the split or the ISA.

// sortKey maps a float64 to an int64 whose order is the IEEE total order
// (−0 < +0). It is its own inverse on the bits.
func sortKey(v float64) int64 {
	b := int64(math.Float64bits(v))
	return b ^ int64(uint64(b>>63)>>1)
}

func keyValue(k int64) float64 {
	return math.Float64frombits(uint64(k ^ int64(uint64(k>>63)>>1)))
}

// lowerBound is the first index of a whose key is ≥ x (branch-free
// halving).
func lowerBound(a []int64, x int64) int {
	n := len(a)
	if n <= 48 {
		// Short windows: count, with independent compares.
		c := 0
		for _, v := range a {
			c += less(v, x)
		}
		return c
	}
	base := 0
	for n > 1 {
		half := n >> 1
		base += half & -less(a[base+half-1], x) // no branch to mispredict
		n -= half
	}
	return base + less(a[base], x)
}

// lowerBound2 is lowerBound of x and of y at once: the two searches'
// loads overlap rather than wait for each other.
func lowerBound2(a []int64, x, y int64) (int, int) {
	n := len(a)
	if n <= 48 {
		cx, cy := 0, 0
		for _, v := range a {
			cx += less(v, x)
			cy += less(v, y)
		}
		return cx, cy
	}
	bx, by := 0, 0
	for n > 1 {
		half := n >> 1
		bx += half & -less(a[bx+half-1], x)
		by += half & -less(a[by+half-1], y)
		n -= half
	}
	return bx + less(a[bx], x), by + less(a[by], y)
}

// less is a < b as 0 or 1 (SETcc, not a branch).
func less(a, b int64) int {
	r := 0
	if a < b {
		r = 1
	}
	return r
}

// sortedWin is the multiset of a window's finite values: keys sorted, plus
// the PadEdge copies beyond a clamped window (c0 copies of k0, c1 of k1).
// On AVX-512 a short window's keys are followed by MaxInt64 to a block of
// asm.SmallKeys slots (small), which asm.ReplaceKey slides in one call; a
// long window keeps its keys in blocks (blocked), and keys is then only
// scratch.
type sortedWin struct {
	keys           []int64
	k0, k1         int64
	c0, c1         int
	small, blocked bool
	blk            keyBlocks
}

// smallMax is the longest window kept as one block of asm.ReplaceKey.
const smallMax = asm.SmallKeys

const keyMax = math.MaxInt64 // above every key of a finite value

// newSortedWin returns an empty window of up to w keys in buf and bbuf
// (grown if short; the caller keeps them for reuse).
func newSortedWin(buf, bbuf *[]int64, w int) sortedWin {
	if cap(*buf) < max(w, smallMax) {
		*buf = make([]int64, max(w, smallMax))
	}
	s := sortedWin{keys: (*buf)[:0]}
	switch {
	case !asm.CountLanes():
	case w <= smallMax:
		s.small = true
		pad := (*buf)[:smallMax]
		for i := range pad {
			pad[i] = keyMax
		}
	default:
		s.blocked, s.blk = true, newKeyBlocks(bbuf, w)
	}
	return s
}

// fill sets the window's keys to keys (sorted), which may be s.keys.
func (s *sortedWin) fill(keys []int64) {
	if s.blocked {
		s.blk.build(keys)
		return
	}
	s.keys = append(s.keys[:0], keys...)
}

func (s *sortedWin) count() int {
	if s.blocked {
		return s.blk.n + s.c0 + s.c1
	}
	return len(s.keys) + s.c0 + s.c1
}

// key is the i-th smallest key; rank the number of keys below x.
func (s *sortedWin) key(i int) int64 {
	if s.blocked {
		return s.blk.at(i)
	}
	return s.keys[i]
}

func (s *sortedWin) rank(x int64) int {
	if s.blocked {
		return s.blk.rank(x)
	}
	return lowerBound(s.keys, x)
}

// replace removes the key out (which must be present) and inserts in, with
// one shift of the keys between them (a loop for a short shift, memmove
// for a long one).
func (s *sortedWin) replace(out, in int64) {
	if s.blocked {
		if in != out {
			s.blk.replace(out, in, s.keys[:cap(s.keys)])
		}
		return
	}
	if s.small {
		asm.ReplaceKey((*[smallMax]int64)(s.keys[:smallMax]), out, in)
		return
	}
	a := s.keys
	switch {
	case in == out:
	case in > out:
		// Both searches over all the keys: the keys below out are below
		// in, so the first key ≥ in is where it was with out present.
		po, pi := lowerBound2(a, out, in)
		if pi-po <= 16 {
			for j := po; j < pi-1; j++ {
				a[j] = a[j+1]
			}
		} else {
			copy(a[po:pi-1], a[po+1:pi])
		}
		a[pi-1] = in
	default:
		pi, po := lowerBound2(a, in, out)
		if po-pi <= 16 {
			for j := po; j > pi; j-- {
				a[j] = a[j-1]
			}
		} else {
			copy(a[pi+1:po+1], a[pi:po])
		}
		a[pi] = in
	}
}

func (s *sortedWin) insert(in int64) {
	if s.blocked {
		s.blk.insert(in, s.keys[:cap(s.keys)])
		return
	}
	p := lowerBound(s.keys, in)
	s.keys = append(s.keys, 0)
	copy(s.keys[p+1:], s.keys[p:])
	s.keys[p] = in
}

func (s *sortedWin) remove(out int64) {
	if s.blocked {
		s.blk.remove(out, s.keys[:cap(s.keys)])
		return
	}
	p := lowerBound(s.keys, out)
	copy(s.keys[p:], s.keys[p+1:])
	s.keys = s.keys[:len(s.keys)-1]
	if s.small {
		s.keys[:len(s.keys)+1][len(s.keys)] = keyMax
	}
}

// at is the k-th smallest value (0-based) of the multiset.
func (s *sortedWin) at(k int) float64 {
	if s.c0 == 0 && s.c1 == 0 {
		return keyValue(s.key(k))
	}
	// The edge copies, in key order, merged into the sorted keys.
	type run struct {
		key int64
		c   int
	}
	r0, r1 := run{s.k0, s.c0}, run{s.k1, s.c1}
	if r1.key < r0.key {
		r0, r1 = r1, r0
	}
	below := 0 // copies of runs already passed
	for _, r := range [2]run{r0, r1} {
		if r.c == 0 {
			continue
		}
		start := s.rank(r.key) + below
		if k < start {
			break
		}
		if k < start+r.c {
			return keyValue(r.key)
		}
		below += r.c
	}
	return keyValue(s.key(k - below))
}

// quantile is pandas' linear interpolation between the order statistics
// around q·(count−1); median is pandas' mean of the middle two.
func (s *sortedWin) quantile(q float64) float64 {
	n := s.count()
	if n == 1 {
		return s.at(0)
	}
	f := q * float64(n-1)
	i := int(f)
	lo := s.at(i)
	if float64(i) == f {
		return lo
	}
	hi := s.at(i + 1)
	frac := f - float64(i)
	v := lo + float64((hi-lo)*frac)
	if math.IsInf(v, 0) {
		// hi − lo overflowed between two finite values.
		v = float64(lo*(1-frac)) + float64(hi*frac)
	}
	return v
}

func (s *sortedWin) median() float64 {
	n := s.count()
	m := n / 2
	if n%2 == 1 {
		return s.at(m)
	}
	a, b := s.at(m-1), s.at(m)
	v := (a + b) / 2
	if math.IsInf(v, 0) {
		v = float64(a/2) + float64(b/2) // a + b overflowed
	}
	return v
}

var keysPool = sync.Pool{New: func() any { return new([]int64) }}

// orderSegment computes the rolling median or quantile for outputs [a, b)
// of one line.
func (r *rollTask) orderSegment(in *line, out *outLine, a, b int) {
	bufp, bbufp := keysPool.Get().(*[]int64), keysPool.Get().(*[]int64)
	defer keysPool.Put(bufp)
	defer keysPool.Put(bbufp)
	s := newSortedWin(bufp, bbufp, r.w)
	if v := in.head(); r.ex0 > 0 && finite(v) {
		s.k0, s.c0 = sortKey(v), r.ex0
	}
	if v := in.tail(); r.ex1 > 0 && finite(v) {
		s.k1, s.c1 = sortKey(v), r.ex1
	}
	for j := a - r.left; j <= a+r.righ; j++ {
		if v := in.get(j); finite(v) {
			s.keys = append(s.keys, sortKey(v))
		}
	}
	slices.Sort(s.keys)
	s.fill(s.keys)
	median := r.kind == rollMedian
	minp := max(r.minp, 1)
	nan := math.NaN()
	contig := in.st == 1 && !in.pad && in.scale == 0
	for i := a; i < b; i++ {
		if i > a {
			jo, ji := i-r.left-1, i+r.righ
			var vo, vi float64
			if contig && jo >= 0 && ji < in.n {
				vo, vi = in.x[in.off+jo], in.x[in.off+ji]
			} else {
				vo, vi = in.get(jo), in.get(ji)
			}
			switch fo, fi := finite(vo), finite(vi); {
			case fo && fi:
				s.replace(sortKey(vo), sortKey(vi))
			case fo:
				s.remove(sortKey(vo))
			case fi:
				s.insert(sortKey(vi))
			}
		}
		res := nan
		if s.count() >= minp {
			if median {
				res = s.median()
			} else {
				res = s.quantile(r.q)
			}
		}
		out.set(i, res)
	}
}

// RollingMedian sets dst to the medians of the finite values in a rolling
// window of src (the mean of the middle two for an even count), as pandas'
// rolling(...).median(). A window with fewer than MinPeriods finite values,
// or none, gives NaN. A slide costs a vector count of the window's keys
// and a shift of up to w of them for windows of up to 128 values, and a
// count of w/64 block heads and two shifts within 64-key blocks beyond
// (without AVX-512: two binary searches and a shift of about w/3 keys);
// memory is O(min(window, n)) per worker. Results are exact order statistics,
// the same bits on any schedule. See "Rolling windows" in the package
// documentation for the options.
func (e *Engine) RollingMedian(dst, src *array.Array, window int, opts ...RollingOption) error {
	return e.rollingWith(rollMedian, dst, src, window, rollArgs{}, opts)
}

// RollingQuantile sets dst to the q-quantiles of the finite values in a
// rolling window of src, interpolating linearly between the order
// statistics around q·(count−1) as pandas' rolling(...).quantile(q) (its
// default interpolation). q outside [0, 1] or NaN is an ErrArgument.
// RollingQuantile(dst, src, w, 0.5) equals RollingMedian except for a
// last-bit rounding of the middle pair.
func (e *Engine) RollingQuantile(dst, src *array.Array, window int, q float64, opts ...RollingOption) error {
	return e.rollingWith(rollQuantile, dst, src, window, rollArgs{q: q}, opts)
}

// RollingMedian is Engine.RollingMedian on sched.Default().
func RollingMedian(dst, src *array.Array, window int, opts ...RollingOption) error {
	return std().RollingMedian(dst, src, window, opts...)
}

// RollingQuantile is Engine.RollingQuantile on sched.Default().
func RollingQuantile(dst, src *array.Array, window int, q float64, opts ...RollingOption) error {
	return std().RollingQuantile(dst, src, window, q, opts...)
}
