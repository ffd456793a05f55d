package kernels

import "github.com/blockwise/blockwise/internal/asm"

// keyBlocks holds a long window's sorted keys in blocks of up to
// asm.KeyBlock slots (AVX-512, windows longer than smallMax), so that a
// slide moves at most two blocks' keys instead of a third of the window:
// block j's keys are data[kb·j:][:cnt[j]], sorted, then keyMax to the end
// of the block, and every key of a block is at most the first of the next.
// first[j] is block j's first slot (keyMax past the last block), which
// asm.SearchKeys2 searches before the block itself. A block that fills or
// empties makes a rebuild into blocks half full: rare, since a block's
// count is a random walk between them.
type keyBlocks struct {
	data  []int64
	cnt   []int64
	first []int64
	nb, n int
	// A cursor for at: block cb holds the keys of ranks base … base +
	// cnt[cb] − 1. A slide moves a middle rank by a key or so, so at
	// walks at most a block from where the last call left it.
	cb, base int
}

const kb = asm.KeyBlock

// newKeyBlocks returns empty blocks for up to w keys in buf (grown if
// short; the caller keeps *buf for reuse).
func newKeyBlocks(buf *[]int64, w int) keyBlocks {
	nbMax := (w+kb/2-1)/(kb/2) + 1
	nf := (nbMax + 7) / 8 * 8
	if need := nf*kb + 2*nf; cap(*buf) < need {
		*buf = make([]int64, need)
	}
	b := (*buf)[:nf*kb+2*nf]
	k := keyBlocks{data: b[:nf*kb], cnt: b[nf*kb : nf*kb+nf], first: b[nf*kb+nf:]}
	k.build(nil)
	return k
}

// build lays the sorted keys out in blocks at most half full.
func (k *keyBlocks) build(keys []int64) {
	k.n = len(keys)
	k.nb = max(1, (k.n+kb/2-1)/(kb/2))
	for j := range k.first {
		lo, hi := 0, 0
		if j < k.nb {
			lo, hi = j*k.n/k.nb, (j+1)*k.n/k.nb
		}
		blk := k.data[j*kb : (j+1)*kb]
		copy(blk, keys[lo:hi])
		for i := hi - lo; i < kb; i++ {
			blk[i] = keyMax
		}
		k.cnt[j] = int64(hi - lo)
		k.first[j] = blk[0]
	}
	k.cb, k.base = 0, 0
}

// rebuild lays the keys out afresh, through scratch (room for k.n keys).
func (k *keyBlocks) rebuild(scratch []int64) {
	s := scratch[:0]
	for j := range k.nb {
		s = append(s, k.data[j*kb:][:k.cnt[j]]...)
	}
	k.build(s)
}

// search2 is asm.SearchKeys2 over the blocks in use (their heads rounded
// up to a multiple of 8; the heads past them are keyMax).
func (k *keyBlocks) search2(x, y int64) (int, int) {
	return asm.SearchKeys2(k.data, k.first[:(k.nb+7)&^7], x, y)
}

// slot is where x's lower bound is, as a block and a position in it.
func slot(s int) (int, int) { return s / kb, s % kb }

func (k *keyBlocks) removeAt(b, p int) {
	blk := k.data[b*kb : (b+1)*kb]
	c := int(k.cnt[b])
	copy(blk[p:c-1], blk[p+1:c])
	blk[c-1] = keyMax
	k.cnt[b]--
	if p == 0 {
		k.first[b] = blk[0] // the head changed
	}
	k.n--
	if b < k.cb {
		k.base--
	}
}

func (k *keyBlocks) insertAt(b, p int, key int64) {
	blk := k.data[b*kb : (b+1)*kb]
	c := int(k.cnt[b])
	copy(blk[p+1:c+1], blk[p:c])
	blk[p] = key
	k.cnt[b]++
	if p == 0 {
		k.first[b] = key
	}
	k.n++
	if b < k.cb {
		k.base++
	}
}

// find is the block and position of the key out, which must be present,
// from its lower bound's slot: past a block's keys it is the next block's
// first.
func (k *keyBlocks) find(s int) (int, int) {
	b, p := slot(s)
	if p == int(k.cnt[b]) {
		return b + 1, 0
	}
	return b, p
}

// balanced rebuilds when a block is full or, among several, empty.
func (k *keyBlocks) balanced(b int, scratch []int64) {
	if c := k.cnt[b]; c == kb || (c == 0 && k.nb > 1) {
		k.rebuild(scratch)
	}
}

// replace removes the key out (present) and inserts in: one call of
// asm.SlideKeys, which searches, shifts and keeps heads and counts.
func (k *keyBlocks) replace(out, in int64, scratch []int64) {
	bo, bi := asm.SlideKeys(k.data, k.first[:(k.nb+7)&^7], k.cnt, out, in)
	if bo < k.cb {
		k.base--
	}
	if bi < k.cb {
		k.base++
	}
	k.balanced(bo, scratch)
	k.balanced(bi, scratch)
}

func (k *keyBlocks) insert(in int64, scratch []int64) {
	s, _ := k.search2(in, in)
	b, p := slot(s)
	k.insertAt(b, p, in)
	k.balanced(b, scratch)
}

func (k *keyBlocks) remove(out int64, scratch []int64) {
	s, _ := k.search2(out, out)
	b, p := k.find(s)
	k.removeAt(b, p)
	k.balanced(b, scratch)
}

// at is the i-th smallest key (0-based), walked to from the cursor.
func (k *keyBlocks) at(i int) int64 {
	for i < k.base {
		k.cb--
		k.base -= int(k.cnt[k.cb])
	}
	for i >= k.base+int(k.cnt[k.cb]) {
		k.base += int(k.cnt[k.cb])
		k.cb++
	}
	return k.data[k.cb*kb+i-k.base]
}

// rank is the number of keys below x.
func (k *keyBlocks) rank(x int64) int {
	s, _ := k.search2(x, x)
	b, p := slot(s)
	for j := range b {
		p += int(k.cnt[j])
	}
	return p
}
