package asm

import "github.com/blockwise/blockwise/internal/race"

// CountLanes reports whether CountLess2 runs vector compares (AVX-512).
func CountLanes() bool { return level == lvlAVX512 }

// CountLess2 returns how many elements of a are less than x and how many
// are less than y:
//
//	for _, v := range a {
//		if v < x {
//			cx++
//		}
//		if v < y {
//			cy++
//		}
//	}
//
// On a sorted a these are the lower bounds of x and y. AVX-512 compares
// eight keys at once; a linear count beats a binary search's chain of
// dependent loads up to a few hundred keys.
func CountLess2(a []int64, x, y int64) (cx, cy int) {
	if level == lvlAVX512 && len(a) > 0 {
		race.Read(a)
		return countLess2AVX512(a, x, y)
	}
	return countLess2Go(a, x, y)
}

func countLess2Go(a []int64, x, y int64) (cx, cy int) {
	for _, v := range a {
		cx += b2i(v < x)
		cy += b2i(v < y)
	}
	return cx, cy
}

// KeyBlock is the stride of SearchKeys2's blocks.
const KeyBlock = 64

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
