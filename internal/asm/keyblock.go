package asm

import (
	"math"

	"github.com/blockwise/blockwise/internal/race"
)

// Sorted keys for rolling median and quantile: a short window's keys in one
// padded block (ReplaceKey), a long window's in blocks of KeyBlock slots
// (SearchKeys2, SlideKeys). Keys are int64 in sorted order, padded with
// math.MaxInt64, which is never a key.

// CountLanes reports whether the key kernels run vector compares
// (AVX-512); SearchKeys2 needs them.
func CountLanes() bool { return level == lvlAVX512 }

// SmallKeys is the slots of ReplaceKey's block.
const SmallKeys = 32

// ReplaceKey removes the key out from a block of sorted keys followed by
// MaxInt64 (out must be present, and no key is MaxInt64) and inserts in,
// keeping the keys sorted:
//
//	po := number of keys below out
//	q := number of keys below in, less one if po is below it
//	copy(blk[po:], blk[po+1:]); blk[SmallKeys-1] = MaxInt64
//	copy(blk[q+1:], blk[q:SmallKeys-1]); blk[q] = in
//
// It is the whole slide of a window of up to SmallKeys values. AVX-512
// does it without counting: the removal's masks are the compares of the
// keys with out, and the insertion makes slot i max(min(v[i], in),
// v[i−1]), which is v[i] before in's place, in at it and v[i−1] after it.
// About 15 ns a call here, against 50 for the loops.
func ReplaceKey(blk *[SmallKeys]int64, out, in int64) {
	if level == lvlAVX512 {
		race.Write(blk[:])
		replaceKeyAVX512(&blk[0], out, in)
		return
	}
	po, pi := countBelow(blk[:], out), countBelow(blk[:], in)
	if po < pi {
		pi--
	}
	a := blk[:]
	copy(a[po:], a[po+1:])
	a[len(a)-1] = math.MaxInt64
	copy(a[pi+1:], a[pi:len(a)-1])
	a[pi] = in
}

// KeyBlock is the stride of SearchKeys2's and SlideKeys' blocks.
const KeyBlock = 32

// SearchKeys2 returns the lower bounds of x and y in keys held in sorted
// blocks of KeyBlock slots: block j is a[KeyBlock·j:][:KeyBlock], its
// keys sorted and followed by math.MaxInt64 to the end of the block, and
// idx[j] is its first slot; the blocks are in order (every key of a block
// is at most the first key of the next), and idx holds math.MaxInt64 past
// the last block, up to its length, a multiple of 8. No key is MaxInt64.
// A bound is a slot, KeyBlock·j + i, with i the keys of block j below the
// value, and j the last block whose first key is below it (0 if none is):
// on full blocks, the plain index. A vector count over idx picks the
// block, one over the block places the bound: about 10 ns for the two,
// against about 45 for two binary searches of 1,000 keys. It needs
// AVX-512 (CountLanes) and panics without it or when the slices are too
// short.
func SearchKeys2(a, idx []int64, x, y int64) (px, py int) {
	if level != lvlAVX512 || len(idx) == 0 || len(idx)%8 != 0 || len(a) < len(idx)*KeyBlock {
		panic("asm.SearchKeys2: bad arguments")
	}
	race.Read(a[:len(idx)*KeyBlock])
	race.Read(idx)
	return searchKeys2AVX512(&a[0], &idx[0], len(idx), x, y)
}

// SlideKeys is a long window's slide over SearchKeys2's blocks, with cnt[j]
// the keys of block j: it removes the key out, which must be present, and
// inserts in, keeping every block sorted and padded, and returns the
// blocks it took out from and put in into:
//
//	bo := (heads at most out) − 1 // the last block headed by out or less: it holds out
//	bi := max(heads below in, 1) − 1 // SearchKeys2's block for in
//	remove the first out of block bo; cnt[bo]--
//	insert in into block bi before its first key ≥ in; cnt[bi]++
//	idx[bo], idx[bi] = block bo's first slot, block bi's
//
// Block bi must have room (cnt[bi] < KeyBlock); the caller rebalances when
// a block fills or empties (an empty block's idx is MaxInt64, which breaks
// the order SearchKeys2 needs). On AVX-512 it is one call: the two head
// counts, then each block edited in registers by whole-vector shifts whose
// masks are the key compares themselves (removal) or min and max with the
// neighbour (insertion): no count is waited for and no branch depends on
// the slots. It panics on slices too short for idx, as SearchKeys2 does;
// on bad contents (out absent, a full block) it corrupts the blocks' order
// but stays within them.
func SlideKeys(a, idx, cnt []int64, out, in int64) (bo, bi int) {
	if len(idx) == 0 || len(idx)%8 != 0 || len(a) < len(idx)*KeyBlock || len(cnt) < len(idx) {
		panic("asm.SlideKeys: bad arguments")
	}
	if level != lvlAVX512 {
		return slideKeysGo(a, idx, cnt, out, in)
	}
	race.Write(a[:len(idx)*KeyBlock])
	race.Write(idx)
	race.Write(cnt[:len(idx)])
	return slideKeysAVX512(&a[0], &idx[0], &cnt[0], len(idx), out, in)
}

// searchKeyGo is SearchKeys2's bound of x, by plain loops.
func searchKeyGo(a, idx []int64, x int64) int {
	j := 0
	for _, h := range idx {
		j += b2i(h < x)
	}
	j = max(j-1, 0)
	p := countBelow(a[j*KeyBlock:][:KeyBlock], x)
	return j*KeyBlock + p
}

func slideKeysGo(a, idx, cnt []int64, out, in int64) (bo, bi int) {
	for _, h := range idx {
		bo += b2i(h <= out)
	}
	bo = max(bo, 1) - 1
	bi = searchKeyGo(a, idx, in) / KeyBlock
	blk := a[bo*KeyBlock:][:KeyBlock]
	po := countBelow(blk, out)
	copy(blk[po:], blk[po+1:])
	blk[KeyBlock-1] = math.MaxInt64
	cnt[bo]--
	blk = a[bi*KeyBlock:][:KeyBlock]
	pi := countBelow(blk, in)
	copy(blk[pi+1:], blk[pi:KeyBlock-1])
	blk[pi] = in
	cnt[bi]++
	idx[bo], idx[bi] = a[bo*KeyBlock], a[bi*KeyBlock]
	return bo, bi
}

// countBelow is how many keys of a are below x.
func countBelow(a []int64, x int64) int {
	c := 0
	for _, v := range a {
		c += b2i(v < x)
	}
	return c
}
