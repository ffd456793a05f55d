package asm

import (
	"math"

	"github.com/blockwise/blockwise/internal/race"
)

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
// counts with four compares a key and moves the block as whole-vector
// shifts and blends, with no branch on the slots: about 20 ns a call here,
// against 50 for the loops.
func ReplaceKey(blk *[SmallKeys]int64, out, in int64) {
	if level == lvlAVX512 {
		race.Write(blk[:])
		replaceKeyAVX512(&blk[0], out, in)
		return
	}
	po, pi := countLess2Go(blk[:], out, in)
	if po < pi {
		pi--
	}
	a := blk[:]
	copy(a[po:], a[po+1:])
	a[len(a)-1] = math.MaxInt64
	copy(a[pi+1:], a[pi:len(a)-1])
	a[pi] = in
}
