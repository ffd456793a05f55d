package kernels

import (
	"math"
	"slices"
	"sync"
	"unsafe"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/sched"
)

// Sorting is a least-significant-digit radix sort on total-order keys: each
// float64 becomes a uint64 (ukey) whose unsigned order is the IEEE total
// order, so −0 sorts before +0; NaNs are first moved, in their input order,
// to the end (numpy's NaN-last). A radix sort is stable and the key map is
// one-to-one, so the sorted output is unique: the same bits whatever the
// worker count or the way the work was split. Byte digits whose value is
// the same in every key are skipped (a histogram of all eight digits comes
// first). Short lines (< radixMin) are sorted with pdqsort on the keys.
// Lines are sorted one per worker; a single long line (the 1-D case) is
// first split into cache-sized buckets by a sample sort (sort_long.go),
// whose passes all run in parallel.

const radixMin = 256

// sortScratch is a worker's (or a call's) key buffer.
var sortScratch = sync.Pool{New: func() any { return new([]uint64) }}

func grow(p *[]uint64, n int) []uint64 {
	if cap(*p) < n {
		*p = make([]uint64, n)
	}
	return (*p)[:n]
}

// asKeys returns x's storage as uint64s.
func asKeys(x []float64) []uint64 {
	if len(x) == 0 {
		return nil
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&x[0])), len(x))
}

// keyValue inverts ukey.
func unkey(k uint64) uint64 { return math.Float64bits(keyValue(int64(k ^ 1<<63))) }

// nanLast moves x's NaNs, in order, behind its other values (whose order
// is kept), using tmp (len ≥ len(x)) as scratch; it returns how many
// values are not NaN.
func nanLast(x []float64, tmp []uint64) int {
	m, q := 0, 0
	for _, v := range x {
		if v != v {
			tmp[q] = *(*uint64)(unsafe.Pointer(&v))
			q++
			continue
		}
		x[m] = v
		m++
	}
	copy(asKeys(x[m:]), tmp[:q])
	return m
}

// sortLine sorts x ascending, NaN last, with tmp (len ≥ len(x)) as scratch.
func sortLine(x []float64, tmp []uint64) {
	m := nanLast(x, tmp)
	k := asKeys(x[:m])
	for i, v := range k {
		k[i] = ukeyBits(v)
	}
	if m < radixMin {
		slices.Sort(k)
	} else {
		radixSort(k, tmp[:m])
	}
	for i, v := range k {
		k[i] = unkey(v)
	}
}

// ukeyBits is ukey on a float64's bits.
func ukeyBits(b uint64) uint64 { return ukey(math.Float64frombits(b)) }

// countDigits adds the eight byte digits of every key of k to their
// histograms.
func countDigits(h *[8][256]int, k []uint64) {
	for _, v := range k {
		h[0][byte(v)]++
		h[1][byte(v>>8)]++
		h[2][byte(v>>16)]++
		h[3][byte(v>>24)]++
		h[4][byte(v>>32)]++
		h[5][byte(v>>40)]++
		h[6][byte(v>>48)]++
		h[7][byte(v>>56)]++
	}
}

// radixSort sorts k with tmp (same length) as scratch.
func radixSort(k, tmp []uint64) {
	var h [8][256]int
	countDigits(&h, k)
	if r := radixPasses(&h, k, tmp, 8); &r[0] != &k[0] {
		copy(k, r)
	}
}

// radixPasses runs the LSD passes over the low nd digits of k, whose digit
// histograms are h, skipping digits that are the same in every key; it
// returns k or tmp, whichever holds the sorted keys.
func radixPasses(h *[8][256]int, k, tmp []uint64, nd int) []uint64 {
	src, dst := k, tmp
	for d := range nd {
		sh := 8 * d
		if h[d][byte(k[0]>>sh)] == len(k) {
			continue // every key has this digit
		}
		off := starts(&h[d])
		for _, v := range src {
			b := byte(v >> sh)
			dst[off[b]] = v
			off[b]++
		}
		src, dst = dst, src
	}
	return src
}

// starts turns a digit histogram into each bucket's first position.
func starts(h *[256]int) [256]int {
	var off [256]int
	s := 0
	for b, c := range h {
		off[b] = s
		s += c
	}
	return off
}

// sortTask is one Sort call.
type sortTask struct {
	src, dst   *array.Array
	axis       int
	L          int
	sst, dstSt int
	lineBody   func(lo, hi int)

	long longSort // one long line, sorted by sample sort (sort_long.go)
}

var sortPool = sync.Pool{New: func() any {
	t := new(sortTask)
	t.lineBody = t.runLines
	t.long.bind()
	return t
}}

// Sort sets dst to src sorted ascending along axis (negative counts from
// the end), NaN last as numpy.sort; −0 sorts before +0. dst may be src
// (an in-place sort); any other overlap is ErrOverlap. The result is unique
// — the same bits for any worker count — and costs a radix sort: a few
// passes over the data, O(n), in parallel for long lines (see sort.go).
func (e *Engine) Sort(dst, src *array.Array, axis int) error {
	ax, err := checkAlongAxis("Sort", dst, src, axis)
	if err != nil {
		return err
	}
	if src.Len() == 0 {
		return nil
	}
	t := sortPool.Get().(*sortTask)
	defer sortPool.Put(t)
	t.src, t.dst, t.axis, t.L = src, dst, ax, src.Dim(ax)
	t.sst, t.dstSt = src.Stride(ax), dst.Stride(ax)
	defer func() { t.src, t.dst = nil, nil }()
	lines := src.Len() / t.L
	if lines == 1 && t.L >= longSortMin && t.dstSt == 1 {
		return e.sortLong(t)
	}
	c := sched.Cost{Bytes: 48 * float64(t.L), Ops: 24 * float64(t.L), Kernel: "sort"}
	return e.s.For(e.ctx, lines, c, t.lineBody)
}

// runLines sorts lines [lo, hi), each by one worker.
func (t *sortTask) runLines(lo, hi int) {
	tp := sortScratch.Get().(*[]uint64)
	defer sortScratch.Put(tp)
	buf := grow(tp, 2*t.L)
	tmp := buf[:t.L]
	sd, dd := t.src.Backing(), t.dst.Backing()
	for li := lo; li < hi; li++ {
		ws, wd := newWalkerSkip(t.src, t.axis, li), newWalkerSkip(t.dst, t.axis, li)
		so, do := ws.offset(t.src), wd.offset(t.dst)
		var x []float64
		if t.dstSt == 1 {
			x = dd[do : do+t.L]
		} else {
			x = unsafe.Slice((*float64)(unsafe.Pointer(&buf[t.L])), t.L)
		}
		if t.sst == 1 {
			copy(x, sd[so:so+t.L]) // a no-op in place
		} else {
			for i := range x {
				x[i] = sd[so+i*t.sst]
			}
		}
		sortLine(x, tmp)
		if t.dstSt != 1 {
			for i, v := range x {
				dd[do+i*t.dstSt] = v
			}
		}
	}
}

// ArgSort returns the indices that sort the 1-D array src ascending, NaN
// last; equal values keep their order (a stable sort, numpy's
// argsort(kind="stable")). −0 sorts before +0. src must be 1-D
// (ErrShape); it is not modified. The returned slice is new; the scratch
// is pooled.
func (e *Engine) ArgSort(src *array.Array) ([]int, error) {
	if src == nil {
		return nil, errorf("ArgSort", ErrNil, "nil array")
	}
	if src.Ndim() != 1 {
		return nil, errorf("ArgSort", ErrShape, "src has %d dimensions, want 1", src.Ndim())
	}
	if err := e.ctx.Err(); err != nil {
		return nil, err
	}
	n := src.Len()
	idx := make([]int, n)
	kp := sortScratch.Get().(*[]uint64)
	defer sortScratch.Put(kp)
	keys := grow(kp, 2*n)
	k, ktmp := keys[:n], keys[n:]
	data, off, st := src.Backing(), src.Offset(), 0
	if n > 0 {
		st = src.Stride(0)
	}
	// NaNs last, stably; the rest as keys.
	m := 0
	for i := 0; i < n; i++ {
		if v := data[off+i*st]; v == v {
			k[m] = ukey(v)
			idx[m] = i
			m++
		}
	}
	q := m
	for i := 0; i < n; i++ {
		if v := data[off+i*st]; v != v {
			idx[q] = i
			q++
		}
	}
	if m < 2 {
		return idx, nil
	}
	ip := argScratch.Get().(*[]int)
	defer argScratch.Put(ip)
	if cap(*ip) < m {
		*ip = make([]int, m)
	}
	radixSortIdx(k[:m], idx[:m], ktmp[:m], (*ip)[:m])
	return idx, nil
}

var argScratch = sync.Pool{New: func() any { return new([]int) }}

// radixSortIdx sorts k, moving idx alongside (stable), with ktmp and itmp
// as scratch of the same length.
func radixSortIdx(k []uint64, idx []int, ktmp []uint64, itmp []int) {
	var h [8][256]int
	countDigits(&h, k)
	ks, kd, is, id := k, ktmp, idx, itmp
	for d := range 8 {
		sh := 8 * d
		if h[d][byte(k[0]>>sh)] == len(k) {
			continue
		}
		off := starts(&h[d])
		for i, v := range ks {
			b := byte(v >> sh)
			kd[off[b]] = v
			id[off[b]] = is[i]
			off[b]++
		}
		ks, kd, is, id = kd, ks, id, is
	}
	if &is[0] != &idx[0] {
		copy(idx, is)
	}
}

// Sort sorts src along axis into dst. See Engine.Sort.
func Sort(dst, src *array.Array, axis int) error { return std().Sort(dst, src, axis) }

// ArgSort returns the indices that sort src, stably. See Engine.ArgSort.
func ArgSort(src *array.Array) ([]int, error) { return std().ArgSort(src) }
