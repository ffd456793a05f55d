package kernels

import (
	"math/bits"
	"slices"
	"sync"

	"github.com/blockwise/blockwise/sched"
)

// A single long line (≥ longSortMin values, dst contiguous) is sorted by a
// sample sort whose buckets fit in a core's cache, so that every pass but
// one runs in cache and in parallel:
//
//  1. Splitters: ns = longSortOversample × nb values taken at fixed
//     positions of the line (NaNs skipped) are sorted, and every
//     longSortOversample-th becomes one of nb−1 splitters, laid out in
//     Eytzinger (breadth-first) order.
//  2. Classify, in parallel over fixed parts of the line: each value's
//     bucket is found by a branch-free descent of the splitters; NaNs get
//     bucket nb. Each part counts its buckets.
//  3. Scatter, in parallel over the parts: each value's key goes to its
//     bucket's next slot, the parts' slots in line order, so the scatter
//     is stable (NaNs keep their input order).
//  4. Buckets, in parallel: each bucket — a few thousand keys, in L2 —
//     is radix-sorted on just the digits its key range spans, and written
//     to dst as values.
//
// Every key of bucket b is ≤ every key of bucket b+1, and the key map is
// one-to-one, so the result is the unique sorted order with the NaNs in
// input order: the same bits whatever the splitters, parts or workers. The
// only memory pass that is not in cache is the scatter's; the scratch is
// 10 bytes per value (keys and bucket ids), pooled.

// longSortMin is the shortest line sorted this way (a variable so that
// tests can send short lines down this path), and longSortWorkers the
// fewest workers for which it is used: on one worker the plain radix sort
// of a line is faster (see docs/performance.md, issue 12).
var longSortMin, longSortWorkers = 1 << 16, 2

const (
	longSortBucket     = 8192    // target values per bucket
	longSortMaxBuckets = 256     // most buckets (ids are uint16)
	longSortOversample = 16      // samples per bucket
	longSortPart       = 1 << 15 // values per classify/scatter part
	longSortMaxParts   = 64
)

// longSort is the state of one long-line sort.
type longSort struct {
	in, out []float64
	keys    []uint64 // the keys, scattered into bucket order
	ids     []uint16 // each value's bucket
	tree    []uint64 // splitters in Eytzinger order, [1, nb)
	nb      int      // buckets of values (a power of two); bucket nb holds the NaNs
	levels  int      // log2(nb)
	parts   int
	hist    []int // parts × (nb+1): counts, then running offsets
	start   []int // nb+2: bucket b is keys[start[b]:start[b+1]]

	classifyBody, scatterBody, bucketBody func(lo, hi int)
}

func (l *longSort) bind() {
	l.classifyBody, l.scatterBody, l.bucketBody = l.runClassify, l.runScatter, l.runBuckets
}

var idScratch = sync.Pool{New: func() any { return new([]uint16) }}

// longSortBuckets is the bucket count for n values: a power of two near
// n/longSortBucket, in [2, longSortMaxBuckets].
func longSortBuckets(n int) int {
	nb := 2
	for nb < longSortMaxBuckets && nb*longSortBucket < n {
		nb *= 2
	}
	return nb
}

// sortLong sorts one long line into dst's contiguous line.
func (e *Engine) sortLong(t *sortTask) error {
	l := &t.long
	defer func() { l.in, l.out, l.keys, l.ids, l.tree = nil, nil, nil, nil, nil }()
	wd := newWalkerSkip(t.dst, t.axis, 0)
	do := wd.offset(t.dst)
	l.out = t.dst.Backing()[do : do+t.L]
	if t.sst == 1 {
		ws := newWalkerSkip(t.src, t.axis, 0)
		so := ws.offset(t.src)
		l.in = t.src.Backing()[so : so+t.L]
	} else {
		if err := e.Copy(t.dst, t.src); err != nil {
			return err
		}
		l.in = l.out
	}
	n := t.L
	l.nb = longSortBuckets(n)
	l.levels = bits.TrailingZeros(uint(l.nb))
	ns := l.nb * longSortOversample
	kp := sortScratch.Get().(*[]uint64)
	defer sortScratch.Put(kp)
	buf := grow(kp, n+ns+l.nb)
	l.keys, l.tree = buf[:n], buf[n+ns:]
	ip := idScratch.Get().(*[]uint16)
	defer idScratch.Put(ip)
	if cap(*ip) < n {
		*ip = make([]uint16, n)
	}
	l.ids = (*ip)[:n]
	l.splitters(buf[n : n+ns])

	l.parts = min(longSortMaxParts, max(1, n/longSortPart))
	if need := l.parts * (l.nb + 1); cap(l.hist) < need {
		l.hist = make([]int, need)
	}
	l.hist = l.hist[:l.parts*(l.nb+1)]
	per := float64(n / l.parts)
	if err := e.s.For(e.ctx, l.parts, sched.Cost{Bytes: 10 * per, Ops: 4 * float64(l.levels) * per, Kernel: "sortclassify"}, l.classifyBody); err != nil {
		return err
	}
	l.offsets()
	if err := e.s.For(e.ctx, l.parts, sched.Cost{Bytes: 18 * per, Ops: 4 * per, Kernel: "sortscatter"}, l.scatterBody); err != nil {
		return err
	}
	per = float64(n / l.nb)
	return e.s.For(e.ctx, l.nb+1, sched.Cost{Bytes: 16 * per, Ops: 40 * per, Kernel: "sortbuckets"}, l.bucketBody)
}

// splitters fills l.tree from the sorted sample.
func (l *longSort) splitters(sample []uint64) {
	n, ns := len(l.in), len(sample)
	m := 0
	for i := range ns {
		if v := l.in[(2*i+1)*(n/2)/ns]; v == v {
			sample[m] = ukey(v)
			m++
		}
	}
	sample = sample[:m]
	slices.Sort(sample)
	next := 1 // the next splitter, in sorted order
	l.fill(1, sample, &next)
}

// fill lays the splitters out by an in-order walk of the implicit tree
// below node j.
func (l *longSort) fill(j int, sample []uint64, next *int) {
	if j >= l.nb {
		return
	}
	l.fill(2*j, sample, next)
	l.tree[j] = 0
	if m := len(sample); m > 0 {
		l.tree[j] = sample[*next*m/l.nb]
	}
	*next++
	l.fill(2*j+1, sample, next)
}

// part returns part p's range of the line.
func (l *longSort) part(p int) (int, int) {
	n := len(l.in)
	return p * n / l.parts, (p + 1) * n / l.parts
}

// runClassify finds the bucket of every value of parts [lo, hi) and counts
// them per part.
func (l *longSort) runClassify(lo, hi int) {
	nb := l.nb
	for p := lo; p < hi; p++ {
		a, b := l.part(p)
		h := l.hist[p*(nb+1) : (p+1)*(nb+1)]
		clear(h)
		l.classify(l.in[a:b], l.ids[a:b], h)
	}
}

// classify sets ids[i] to the bucket of in[i] and counts them in h. The
// descent is a chain of dependent loads, so four values descend at once.
func (l *longSort) classify(in []float64, ids []uint16, h []int) {
	nb, levels, tree := l.nb, l.levels, l.tree[:l.nb]
	m := len(tree) - 1
	ids = ids[:len(in)]
	i := 0
	for ; i+4 <= len(in); i += 4 {
		v0, v1, v2, v3 := in[i], in[i+1], in[i+2], in[i+3]
		if v0 != v0 || v1 != v1 || v2 != v2 || v3 != v3 {
			for q := i; q < i+4; q++ {
				id := l.bucket(in[q])
				ids[q] = uint16(id)
				h[id]++
			}
			continue
		}
		k0, k1, k2, k3 := ukey(v0), ukey(v1), ukey(v2), ukey(v3)
		j0, j1, j2, j3 := 1, 1, 1, 1
		for range levels {
			j0 = 2*j0 + b2i(k0 > tree[j0&m])
			j1 = 2*j1 + b2i(k1 > tree[j1&m])
			j2 = 2*j2 + b2i(k2 > tree[j2&m])
			j3 = 2*j3 + b2i(k3 > tree[j3&m])
		}
		j0, j1, j2, j3 = j0-nb, j1-nb, j2-nb, j3-nb
		ids[i], ids[i+1], ids[i+2], ids[i+3] = uint16(j0), uint16(j1), uint16(j2), uint16(j3)
		h[j0]++
		h[j1]++
		h[j2]++
		h[j3]++
	}
	for ; i < len(in); i++ {
		id := l.bucket(in[i])
		ids[i] = uint16(id)
		h[id]++
	}
}

// bucket is one value's bucket.
func (l *longSort) bucket(v float64) int {
	if v != v {
		return l.nb
	}
	k, j := ukey(v), 1
	for range l.levels {
		j = 2*j + b2i(k > l.tree[j])
	}
	return j - l.nb
}

// b2i is 1 for true, 0 for false, without a branch.
func b2i(b bool) int {
	c := 0
	if b {
		c = 1
	}
	return c
}

// offsets turns the per-part counts into each part's first slot in every
// bucket (bucket-major, then part order) and sets the bucket starts.
func (l *longSort) offsets() {
	nb1 := l.nb + 1
	if cap(l.start) < nb1+1 {
		l.start = make([]int, nb1+1)
	}
	l.start = l.start[:nb1+1]
	s := 0
	for b := range nb1 {
		l.start[b] = s
		for p := range l.parts {
			h := &l.hist[p*nb1+b]
			c := *h
			*h = s
			s += c
		}
	}
	l.start[nb1] = s
}

// runScatter moves the keys of parts [lo, hi) to their buckets' slots.
func (l *longSort) runScatter(lo, hi int) {
	nb1 := l.nb + 1
	keys := l.keys
	for p := lo; p < hi; p++ {
		a, b := l.part(p)
		off := l.hist[p*nb1 : (p+1)*nb1]
		ids := l.ids[a:b]
		for i, v := range l.in[a:b] {
			id := ids[i]
			keys[off[id]] = ukey(v) // one-to-one: a NaN's payload survives
			off[id]++
		}
	}
}

// runBuckets sorts buckets [lo, hi) into the output.
func (l *longSort) runBuckets(lo, hi int) {
	for b := lo; b < hi; b++ {
		s, e := l.start[b], l.start[b+1]
		if s == e {
			continue
		}
		k, out := l.keys[s:e], asKeys(l.out[s:e])
		if b == l.nb { // the NaNs, in input order
			for i, v := range k {
				out[i] = unkey(v)
			}
			continue
		}
		sortBucket(k, out)
	}
}

// sortBucket sorts the keys k and writes them as float64 bits to out (of
// the same length, also the scratch). Keys are radix-sorted relative to
// their minimum, so only the digits their range spans take a pass.
func sortBucket(k, out []uint64) {
	lo, hi := k[0], k[0]
	for _, v := range k[1:] {
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo == hi {
		v := unkey(lo)
		for i := range out {
			out[i] = v
		}
		return
	}
	if len(k) < radixMin {
		slices.Sort(k)
		for i, v := range k {
			out[i] = unkey(v)
		}
		return
	}
	// Only the nd low digits of the keys less lo can differ.
	nd := (bits.Len64(hi-lo) + 7) / 8
	var h [8][256]int
	for i, v := range k {
		v -= lo
		k[i] = v
		for d := range nd {
			h[d][byte(v>>(8*d))]++
		}
	}
	r := radixPasses(&h, k, out, nd)
	for i, v := range r {
		out[i] = unkey(v + lo)
	}
}
