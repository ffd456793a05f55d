package asm

import (
	"math"

	"github.com/blockwise/blockwise/internal/race"
)

// Splitters is a sample sort's splitter table: up to 255 keys, ascending,
// that divide the float64 values into buckets. Build it with Set; the zero
// value has no splitters (every value not NaN is in bucket 0).
//
// A value's key is its bits mapped so that unsigned order is IEEE total
// order (Key): −NaN < −Inf < … < −0 < +0 < … < +Inf < +NaN.
type Splitters struct {
	top  [16]uint64  // rows[16j+15]: the last key of each row
	rows [272]uint64 // the splitters, NaNKey−1, then NaNKey; row 16 pads
	n    int         // splitters
}

// MaxSplitters is the most splitters a Splitters holds (256 buckets and
// one for NaN).
const MaxSplitters = 255

// nanKey stands for every NaN in Classify: above every key that is not a
// NaN's (Key(+Inf) is 0xfff0…0).
const nanKey = math.MaxUint64

// Key maps v to a key whose unsigned order is IEEE total order.
func Key(v float64) uint64 {
	b := math.Float64bits(v)
	return b ^ (uint64(int64(b)>>63) | 1<<63)
}

// Set sets the splitters to s, which must be ascending keys of values that
// are not NaN (in [Key(−Inf), Key(+Inf)]), at most MaxSplitters of them;
// it panics otherwise.
func (sp *Splitters) Set(s []uint64) {
	if len(s) > MaxSplitters {
		panic("asm.Splitters.Set: too many splitters")
	}
	for i, k := range s {
		if k < Key(math.Inf(-1)) || k > Key(math.Inf(1)) || i > 0 && k < s[i-1] {
			panic("asm.Splitters.Set: splitters not ascending keys of values")
		}
	}
	sp.n = copy(sp.rows[:], s)
	sp.rows[sp.n] = nanKey - 1 // only a NaN's key is above it: NaN's bucket is n+1
	for i := sp.n + 1; i < len(sp.rows); i++ {
		sp.rows[i] = nanKey
	}
	for j := range sp.top {
		sp.top[j] = sp.rows[16*j+15]
	}
}

// Len is the number of splitters.
func (sp *Splitters) Len() int { return sp.n }

// Classify sets ids[i] to x[i]'s bucket and adds one to hist[ids[i]]:
//
//	for i, v := range x {
//		if v != v {
//			ids[i] = uint16(sp.Len() + 1)
//		} else {
//			ids[i] = uint16(number of splitters s with s < Key(v))
//		}
//		hist[ids[i]]++
//	}
//
// so values equal to a splitter go below it, and NaNs (any sign or
// payload) above every other bucket. On AVX-512 each key is compared with
// 16 splitters at a time, two steps a value (~1 ns); elsewhere a
// branch-free binary search over the 256 rows (8 dependent steps). The ids
// are the same on every ISA. It panics if len(ids) < len(x) or len(hist)
// ≤ sp.Len()+1.
func Classify(x []float64, ids []uint16, hist []int, sp *Splitters) {
	if len(ids) < len(x) || len(hist) < sp.n+2 {
		panic("asm.Classify: bad lengths")
	}
	ids = ids[:len(x)]
	full := 0
	if level == lvlAVX512 {
		full = len(x) &^ 7
		if full > 0 {
			if race.Enabled {
				race.Read(x[:full])
				race.Write(ids[:full])
				race.Write(hist[:sp.n+2])
			}
			classifyAVX512(x[:full], ids[:full], hist, sp)
		}
	}
	classifyGo(x[full:], ids[full:], hist, sp)
}

// classifyGo is Classify's reference: a branch-free lower bound over the
// sorted rows, four values at a time (the steps are dependent loads).
func classifyGo(x []float64, ids []uint16, hist []int, sp *Splitters) {
	i := 0
	for ; i+4 <= len(x); i += 4 {
		v0, v1, v2, v3 := x[i], x[i+1], x[i+2], x[i+3]
		if v0 != v0 || v1 != v1 || v2 != v2 || v3 != v3 {
			for q := i; q < i+4; q++ {
				j := sp.bucket(x[q])
				ids[q] = uint16(j)
				hist[j]++
			}
			continue
		}
		k0, k1, k2, k3 := Key(v0), Key(v1), Key(v2), Key(v3)
		j0, j1, j2, j3 := 0, 0, 0, 0
		for step := 128; step > 0; step >>= 1 {
			j0 += step & -b2i(sp.rows[j0+step-1] < k0)
			j1 += step & -b2i(sp.rows[j1+step-1] < k1)
			j2 += step & -b2i(sp.rows[j2+step-1] < k2)
			j3 += step & -b2i(sp.rows[j3+step-1] < k3)
		}
		ids[i], ids[i+1], ids[i+2], ids[i+3] = uint16(j0), uint16(j1), uint16(j2), uint16(j3)
		hist[j0]++
		hist[j1]++
		hist[j2]++
		hist[j3]++
	}
	for ; i < len(x); i++ {
		j := sp.bucket(x[i])
		ids[i] = uint16(j)
		hist[j]++
	}
}

// bucket is one value's bucket. Rows [0, 256) hold the splitters, then
// keys above every value's (NaNs are counted apart), so the count of rows
// below a key is at most n and the eight steps find it.
func (sp *Splitters) bucket(v float64) int {
	if v != v {
		return sp.n + 1
	}
	k, j := Key(v), 0
	for step := 128; step > 0; step >>= 1 {
		j += step & -b2i(sp.rows[j+step-1] < k)
	}
	return j
}

// b2i is 1 for true, 0 for false, without a branch.
func b2i(b bool) int {
	c := 0
	if b {
		c = 1
	}
	return c
}
