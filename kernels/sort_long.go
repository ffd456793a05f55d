package kernels

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/blockwise/blockwise/internal/asm"
	"github.com/blockwise/blockwise/sched"
)

// A single long line (≥ longSortMin values, dst contiguous) is sorted by a
// sample sort whose buckets fit in a core's cache, so that every pass but
// one runs in cache and in parallel:
//
//  1. Splitters: ns = longSortOversample × nb values taken at fixed
//     positions of the line (NaNs skipped) are sorted, and every
//     longSortOversample-th becomes one of nb−1 splitters.
//  2. Classify, in parallel over fixed parts of the line: each value's
//     bucket is found by asm.Classify (on AVX-512, 16 splitters a
//     compare, two compares a value); NaNs get bucket nb. Each part
//     counts its buckets.
//  3. Scatter, in parallel over the parts: each value's key goes to its
//     bucket's next slot, the parts' slots in line order, so the scatter
//     is stable (NaNs keep their input order).
//  4. Buckets, in parallel: each bucket — tens of thousands of keys, in
//     L2 — is radix-sorted on the top prefixBits bits of its key range,
//     the runs that share a prefix are then sorted (sortKeys), and the
//     keys are written to dst as values.
//
// Every key of bucket b is ≤ every key of bucket b+1, and the key map is
// one-to-one, so the result is the unique sorted order with the NaNs in
// input order: the same bits whatever the splitters, parts or workers. The
// only memory pass that is not in cache is the scatter's. The keys are
// scattered into dst itself, so the scratch is 2 bytes per value (bucket
// ids) and a bucket per worker, pooled; an in-place sort needs 8 bytes
// per value more.

// longSortMin is the shortest line sorted this way, on any number of
// workers: from 2^16 values on, it is as fast as the whole-line radix sort
// on one worker, or faster (1e7 normal values: ~165–195 ms against
// ~230–250), and it splits. A variable so that tests can send short lines
// down this path.
var longSortMin = 1 << 16

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
	keys    []uint64 // the keys, scattered into bucket order: out's storage, or scratch if inPlace
	inPlace bool     // in is out: an in-place sort, or a strided src copied to dst
	ids     []uint16 // each value's bucket
	sp      asm.Splitters
	split   [longSortMaxBuckets - 1]uint64 // the splitters, ascending
	nb      int                            // buckets of values (a power of two); bucket nb holds the NaNs
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
	defer func() { l.in, l.out, l.keys, l.ids = nil, nil, nil, nil }()
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
	ns := l.nb * longSortOversample
	// The keys are scattered straight into dst unless dst is also the
	// input (in place, or a strided src copied there first); then they
	// need n more words of scratch.
	l.inPlace = &l.in[0] == &l.out[0]
	kp := sortScratch.Get().(*[]uint64)
	defer sortScratch.Put(kp)
	l.keys = asKeys(l.out)
	buf := grow(kp, ns)
	if l.inPlace {
		buf = grow(kp, n+ns)
		l.keys = buf[:n]
	}
	ip := idScratch.Get().(*[]uint16)
	defer idScratch.Put(ip)
	if cap(*ip) < n {
		*ip = make([]uint16, n)
	}
	l.ids = (*ip)[:n]
	l.splitters(buf[len(buf)-ns:])

	l.parts = min(longSortMaxParts, max(1, n/longSortPart))
	if need := l.parts * (l.nb + 1); cap(l.hist) < need {
		l.hist = make([]int, need)
	}
	l.hist = l.hist[:l.parts*(l.nb+1)]
	per := float64(n / l.parts)
	if err := e.s.For(e.ctx, l.parts, sched.Cost{Bytes: 10 * per, Ops: 8 * per, Kernel: "sortclassify"}, l.classifyBody); err != nil {
		return err
	}
	l.offsets()
	if err := e.s.For(e.ctx, l.parts, sched.Cost{Bytes: 18 * per, Ops: 4 * per, Kernel: "sortscatter"}, l.scatterBody); err != nil {
		return err
	}
	per = float64(n / l.nb)
	return e.s.For(e.ctx, l.nb+1, sched.Cost{Bytes: 16 * per, Ops: 40 * per, Kernel: "sortbuckets"}, l.bucketBody)
}

// splitters sets l.sp from the sorted sample: nb−1 keys at even steps.
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
	s := l.split[:l.nb-1]
	for i := range s {
		s[i] = ukey(math.Inf(-1)) // no value sampled: all NaN, or nearly
		if m > 0 {
			s[i] = sample[(i+1)*m/l.nb]
		}
	}
	l.sp.Set(s)
}

// part returns part p's range of the line.
func (l *longSort) part(p int) (int, int) {
	n := len(l.in)
	return p * n / l.parts, (p + 1) * n / l.parts
}

// runClassify finds the bucket of every value of parts [lo, hi) and counts
// them per part (asm.Classify: NaNs go to bucket nb).
func (l *longSort) runClassify(lo, hi int) {
	nb := l.nb
	for p := lo; p < hi; p++ {
		a, b := l.part(p)
		h := l.hist[p*(nb+1) : (p+1)*(nb+1)]
		clear(h)
		asm.Classify(l.in[a:b], l.ids[a:b], h, &l.sp)
	}
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
	var tp *[]uint64
	var tmp []uint64
	for b := lo; b < hi; b++ {
		s, e := l.start[b], l.start[b+1]
		if s == e {
			continue
		}
		k, out := l.keys[s:e], asKeys(l.out[s:e])
		switch {
		case b == l.nb: // the NaNs, in input order
			for i, v := range k {
				out[i] = unkey(v)
			}
		case l.inPlace: // k is scratch, and out free: out is k's scratch
			sortKeys(k, out, out)
		default: // k is out: sorted there, with a bucket of scratch
			if tmp == nil {
				tp = sortScratch.Get().(*[]uint64)
				tmp = grow(tp, l.maxBucket(lo, hi))
			}
			sortKeys(k, tmp[:e-s], k)
		}
	}
	if tp != nil {
		sortScratch.Put(tp)
	}
}

// maxBucket is the most keys in one of buckets [lo, hi).
func (l *longSort) maxBucket(lo, hi int) int {
	m := 0
	for b := lo; b < hi; b++ {
		m = max(m, l.start[b+1]-l.start[b])
	}
	return m
}

// Keys in cache are sorted by a prefix of two digits, then the runs that
// share one.
const (
	maxDigit     = 10 // bits per prefix digit, at most
	insertionMax = 16 // runs up to this long: insertion sort
)

// sortKeys sorts k ascending with tmp (of the same length) as scratch and
// returns whichever of the two holds the result. If emit is not nil (it
// may be k or tmp), the sorted keys are also written to it as float64 bits
// (unkey), in the same pass that sorts the runs.
//
// The keys are radix-sorted (LSD, two passes at most) on a prefix of their
// range [lo, hi]: its top 2·dg bits, with dg ≤ maxDigit chosen so that
// there are about 4n prefixes and keys spread over their range mostly
// have one each. Every run of keys that share a prefix is then sorted: by
// insertion when short (after a check that it is not sorted already, as
// runs of ties are), else by sortKeys on the run's own, narrower range. A
// digit that is the same in every key takes no pass. The cost is O(n) for
// keys spread over their range, and O(n log n) at worst (clustered keys
// recurse, each level on a narrower range).
func sortKeys(k, tmp, emit []uint64) []uint64 {
	n := len(k)
	lo, hi := k[0], k[0] // left equal for short k: sorted by insertion alone
	if n <= insertionMax {
		insertionSort(k)
	} else {
		for _, v := range k[1:] {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if lo == hi {
		unkeys(emit, k)
		return k
	}
	dg := min(maxDigit, max(4, (bits.Len(uint(n))+4)/2))
	sh := max(0, bits.Len64(hi-lo)-2*dg)
	mask := uint64(1)<<dg - 1
	var h [2][1 << maxDigit]int32
	for _, v := range k {
		p := (v - lo) >> sh
		h[0][p&mask]++
		h[1][p>>dg&mask]++
	}
	src, dst := k, tmp
	p0 := (k[0] - lo) >> sh
	for d := range 2 {
		ds, c := sh+d*dg, h[d][:mask+1]
		if c[p0>>(d*dg)&mask] == int32(n) {
			continue // every key has this digit
		}
		s := int32(0)
		for b, m := range c {
			c[b] = s
			s += m
		}
		for _, v := range src {
			b := ((v - lo) >> ds) & mask
			dst[c[b]] = v
			c[b]++
		}
		src, dst = dst, src
	}
	if sh == 0 {
		unkeys(emit, src)
		return src
	}
	// Sort the runs that share a prefix.
	for i := 0; i < n; {
		p := (src[i] - lo) >> sh
		j := i + 1
		for j < n && (src[j]-lo)>>sh == p {
			j++
		}
		switch {
		case j-i > 1:
			sortRun(src[i:j], dst[i:j])
			if emit != nil {
				unkeys(emit[i:j], src[i:j])
			}
		case emit != nil:
			emit[i] = unkey(src[i])
		}
		i = j
	}
	return src
}

// unkeys sets out[i] to unkey(k[i]); out may be k, or nil (nothing to do).
func unkeys(out, k []uint64) {
	if out == nil {
		return
	}
	out = out[:len(k)]
	for i, v := range k {
		out[i] = unkey(v)
	}
}

// sortRun sorts the run r in place, with tmp (the same length) as scratch.
func sortRun(r, tmp []uint64) {
	if slices.IsSorted(r) {
		return
	}
	if len(r) <= insertionMax {
		insertionSort(r)
		return
	}
	if s := sortKeys(r, tmp, nil); &s[0] != &r[0] {
		copy(r, s)
	}
}

// insertionSort sorts a short k in place (by <: NaN-free floats or keys).
func insertionSort[T cmp.Ordered](k []T) {
	for i := 1; i < len(k); i++ {
		v := k[i]
		j := i
		for ; j > 0 && k[j-1] > v; j-- {
			k[j] = k[j-1]
		}
		k[j] = v
	}
}
