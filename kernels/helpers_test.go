package kernels

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
	"github.com/blockwise/blockwise/sched"
)

func randArray(r *rand.Rand, shape ...int) *array.Array {
	a := array.New(shape...)
	d := a.Data()
	for i := range d {
		d[i] = r.NormFloat64()
	}
	return a
}

func same(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (math.IsNaN(a) && math.IsNaN(b))
}

func sameArrays(a, b *array.Array) bool {
	x, y := a.Values(), b.Values()
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !same(x[i], y[i]) {
			return false
		}
	}
	return true
}

// engines returns engines over many worker counts and block sizes, closed
// when the test ends. Under the race detector, which runs this package some
// thirty times slower, it returns a diagonal of that grid (one worker, and
// 2, 3 and 8 workers on small, odd and cache-sized blocks): races need
// several workers and many block edges, while the whole grid's bit identity
// is the plain run's job.
func engines(t testing.TB) []*Engine {
	var es []*Engine
	for _, w := range []int{1, 2, 3, 8} {
		for _, b := range []int{0, 1, 7, 64, 1000, 8192} {
			if w == 1 && b != 0 {
				continue
			}
			if raceEnabled && w > 1 && !raceGrid[[2]int{w, b}] {
				continue
			}
			s := sched.New(sched.WithWorkers(w), sched.WithBlockSize(b))
			t.Cleanup(s.Close)
			es = append(es, On(s))
		}
	}
	return es
}

// raceThin reports whether case i of a long table is left out under the
// race detector, which runs this package some thirty times slower: it
// keeps every fourth case, the plain run all of them.
func raceThin(i int) bool { return raceEnabled && i%4 != 0 }

// raceGrid is the part of engines' grid run under the race detector.
var raceGrid = map[[2]int]bool{{2, 1}: true, {3, 7}: true, {8, 64}: true, {2, 0}: true}

func engineName(e *Engine) string {
	p := e.Scheduler().Plan(1, sched.Cost{Bytes: 8})
	return fmt.Sprintf("w=%d/%s", e.Scheduler().Workers(), p.Reason)
}

// exactSum is Σx computed with math/big at 2000 bits, then rounded.
func exactSum(x []float64) float64 {
	s := new(big.Float).SetPrec(2000)
	for _, v := range x {
		s.Add(s, new(big.Float).SetPrec(2000).SetFloat64(v))
	}
	f, _ := s.Float64()
	return f
}

func absSum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += math.Abs(v)
	}
	return s
}

// sameOnISAs runs f on every ISA (asm.SetISA) and fails unless all give
// the bits of the first; it returns those.
func sameOnISAs(t *testing.T, what string, f func() ([]float64, error)) []float64 {
	t.Helper()
	var ref []float64
	for _, isa := range asm.ISAs() {
		restore := asm.SetISA(isa)
		got, err := f()
		restore()
		if err != nil {
			t.Fatalf("%s on %s: %v", what, isa, err)
		}
		if ref == nil {
			ref = got
			continue
		}
		for i, v := range got {
			if !same(v, ref[i]) {
				t.Fatalf("%s: %s gives %v at %d, %s gave %v", what, isa, v, i, asm.ISAs()[0], ref[i])
			}
		}
	}
	return ref
}
