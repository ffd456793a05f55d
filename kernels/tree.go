package kernels

import (
	"math"

	"github.com/blockwise/blockwise/internal/asm"
)

// The summation order of every reduction in this package (Sum, Mean, Dot,
// Norm, SumAxis, MeanAxis; the rolling kernels have their own, in
// rolling.go):
//
//  1. leaves: x is cut at fixed global positions into leaves of
//     asm.Leaf = 128 elements, each summed in 16 lanes (asm.LeafSums);
//  2. chunks: every chunkLeaves = 64 consecutive leaves (8192 elements)
//     are combined by counterReduce into one partial;
//  3. the chunk partials are combined by counterReduce.
//
// counterReduce(v) cuts v into power-of-two blocks following the binary
// digits of len(v), largest first, sums each block as a perfect pairwise
// tree ((v0+v1)+(v2+v3))+…, and folds the block sums from the right:
// b0 + (b1 + (… + bk)). That is exactly what a binary counter computes when
// the values are pushed one by one (push merges equal-sized neighbours), so
// streaming code (counter, vecCounter) reproduces it bit for bit.
//
// The work split never changes these positions, so results are identical
// for any worker count or block size. The error is that of pairwise
// summation with leaves of 8 per lane: O(ε·log n·Σ|x|).
const (
	chunkLeaves = 64
	chunk       = chunkLeaves * asm.Leaf
)

var negZero = math.Copysign(0, -1)

// counterReduce combines v as described above, using v as scratch. The sum
// of no values is +0.
func counterReduce(v []float64) float64 {
	n := len(v)
	if n == 0 {
		return 0
	}
	acc, first := 0.0, true
	end := n
	for bit := 0; 1<<bit <= n; bit++ {
		if n&(1<<bit) == 0 {
			continue
		}
		b := v[end-1<<bit : end]
		for w := len(b) / 2; w >= 1; w /= 2 {
			for i := 0; i < w; i++ {
				b[i] = b[2*i] + b[2*i+1]
			}
		}
		if first {
			acc, first = b[0], false
		} else {
			acc = b[0] + acc
		}
		end -= 1 << bit
	}
	return acc
}

// counter is the streaming form of counterReduce for scalars.
type counter struct {
	lv [64]float64
	n  uint64
}

func (c *counter) push(v float64) {
	k := 0
	for c.n&(1<<k) != 0 {
		v = c.lv[k] + v
		k++
	}
	c.lv[k] = v
	c.n++
}

// sum folds the levels from the lowest (latest values) up; +0 when empty.
func (c *counter) sum() float64 {
	acc, first := 0.0, true
	for k := 0; k < 64; k++ {
		if c.n&(1<<k) == 0 {
			continue
		}
		if first {
			acc, first = c.lv[k], false
		} else {
			acc = c.lv[k] + acc
		}
	}
	return acc
}

// sumLine sums a contiguous line in the canonical order, serially.
func sumLine(x []float64) float64 {
	var leaves [chunkLeaves]float64
	var chunks counter
	for lo := 0; lo < len(x); lo += chunk {
		c := x[lo:min(len(x), lo+chunk)]
		m := asm.Leaves(len(c))
		asm.LeafSums(leaves[:m], c)
		chunks.push(counterReduce(leaves[:m]))
	}
	return chunks.sum()
}

// vecCounter is the streaming form of counterReduce over vectors of width
// w: levels[k] holds a level-k partial for every lane.
type vecCounter struct {
	lv [][]float64
	n  uint64
}

func (c *vecCounter) push(v []float64) {
	k := 0
	for c.n&(1<<k) != 0 {
		l := c.lv[k]
		for j := range v {
			v[j] = l[j] + v[j]
		}
		k++
	}
	copy(c.lv[k], v)
	c.n++
}

// sumInto folds the levels into out (zeros when empty), leaving the counter
// empty.
func (c *vecCounter) sumInto(out []float64) {
	first := true
	for k := range c.lv {
		if c.n&(1<<k) == 0 {
			continue
		}
		l := c.lv[k]
		if first {
			copy(out, l)
			first = false
		} else {
			for j := range out {
				out[j] = l[j] + out[j]
			}
		}
	}
	if first {
		for j := range out {
			out[j] = 0
		}
	}
	c.n = 0
}
