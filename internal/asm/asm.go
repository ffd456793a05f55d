package asm

import "github.com/blockwise/blockwise/internal/race"

// level is the implementation in use: lvlGo, lvlAVX2 or lvlAVX512. The
// wrappers switch on it and call the functions directly (not through
// function values), so escape analysis keeps callers' buffers on the stack.
var level = lvlGo

const (
	lvlGo = iota
	lvlAVX2
	lvlAVX512
)

var levelNames = [...]string{"go", "avx2", "avx512"}

func same(op string, n int, m ...int) {
	for _, k := range m {
		if k != n {
			panic("asm." + op + ": slice lengths differ")
		}
	}
}

// Leaves returns the number of leaves LeafSums reports for n elements.
func Leaves(n int) int { return (n + Leaf - 1) / Leaf }

// LeafSums sets dst[k] to the sum of leaf k of x, x[Leaf·k : Leaf·(k+1)]
// (the last leaf may be shorter), in a fixed order: 16 lanes, lane j adding
// x[16i+j] in turn starting from -0, then combined by the tree
// j += j+8, j += j+4, j += j+2, j += j+1. len(dst) must be Leaves(len(x)).
func LeafSums(dst, x []float64) {
	same("LeafSums", len(dst), Leaves(len(x)))
	full := len(x) / Leaf
	if full > 0 {
		if race.Enabled {
			race.Write(dst[:full])
			race.Read(x[:full*Leaf])
		}
		switch d, x := dst[:full], x[:full*Leaf]; level {
		case lvlAVX512:
			leafSumsAVX512(d, x)
		case lvlAVX2:
			leafSumsAVX2(d, x)
		default:
			leafSumsGo(d, x)
		}
	}
	if full < len(dst) {
		dst[full] = leafSum(x[full*Leaf:])
	}
}

// LeafDots is LeafSums of the products x[i]·y[i], each accumulated with a
// fused multiply-add: lane j = FMA(x[i], y[i], lane j).
func LeafDots(dst, x, y []float64) {
	same("LeafDots", len(x), len(y))
	same("LeafDots", len(dst), Leaves(len(x)))
	full := len(x) / Leaf
	if full > 0 {
		if race.Enabled {
			race.Write(dst[:full])
			race.Read(x[:full*Leaf])
			race.Read(y[:full*Leaf])
		}
		switch d, x, y := dst[:full], x[:full*Leaf], y[:full*Leaf]; level {
		case lvlAVX512:
			leafDotsAVX512(d, x, y)
		case lvlAVX2:
			leafDotsAVX2(d, x, y)
		default:
			leafDotsGo(d, x, y)
		}
	}
	if full < len(dst) {
		dst[full] = leafDot(x[full*Leaf:], y[full*Leaf:])
	}
}

// ISA names the implementation in use: "avx512", "avx2" or "go".
func ISA() string { return levelNames[level] }

// ISAs lists the implementations this build can run on this CPU, best
// first; SetISA accepts each.
func ISAs() []string { return available() }

// SetISA selects an implementation ("avx512", "avx2", "go"), for tests and
// benchmarks that compare them; it returns a function restoring the
// previous one. It is not safe to call while kernels run, and panics on a
// name this CPU or build cannot run.
func SetISA(name string) (restore func()) {
	prev := ISA()
	ok := false
	for _, n := range available() {
		ok = ok || n == name
	}
	if !ok {
		panic("asm.SetISA: " + name + " not available")
	}
	use(name)
	return func() { use(prev) }
}

func use(name string) {
	for l, n := range levelNames {
		if n == name {
			level = l
		}
	}
}
