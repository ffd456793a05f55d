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

// KeyBlock is the stride of SearchKeys2's samples.
const KeyBlock = 32

// SearchKeys2 returns the lower bounds of x and y in the sorted keys
// a[:n]: the first index whose key is ≥ x, and ≥ y. idx holds the samples
// idx[j] = a[KeyBlock·j] for j < ⌈n/KeyBlock⌉, then math.MaxInt64 up to
// its length, a multiple of 8; a[n:] holds math.MaxInt64 to the end of
// the last block (len(a) ≥ KeyBlock·⌈n/KeyBlock⌉); no key is MaxInt64. A
// vector count over the samples picks each bound's block, and one over
// that block places it: about 10 ns for the two, against about 45 for two
// binary searches of 1,000 keys. It needs AVX-512 (CountLanes) and panics
// without it, or when the slices are too short.
func SearchKeys2(a, idx []int64, n int, x, y int64) (px, py int) {
	blocks := (n + KeyBlock - 1) / KeyBlock
	if level != lvlAVX512 || n < 1 || len(idx) < blocks || len(idx)%8 != 0 || len(a) < blocks*KeyBlock {
		panic("asm.SearchKeys2: bad arguments")
	}
	race.Read(a[:blocks*KeyBlock])
	race.Read(idx)
	return searchKeys2AVX512(&a[0], &idx[0], len(idx), x, y)
}
