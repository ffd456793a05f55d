package expr

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/kernels"
	"github.com/blockwise/blockwise/sched"
)

// BenchmarkNumexpr evaluates 2*a + 3*b*c fused, beside the same work as
// numpy does it (one kernel per operator, full-size temporaries) and a
// copy of the same bytes (the memory floor: 3 reads and a write), on one
// worker and on all.
func BenchmarkNumexpr(b *testing.B) {
	x, err := Compile("2*a + 3*b*c")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10_000, 1_000_000, 10_000_000} {
		r := rand.New(rand.NewPCG(1, 2))
		a, bb, c := randArr(r, n), randArr(r, n), randArr(r, n)
		dst, t1, t2 := array.New(n), array.New(n), array.New(n)
		vars := map[string]*array.Array{"a": a, "b": bb, "c": c}
		for _, w := range []int{1, runtime.GOMAXPROCS(0)} {
			s := sched.New(sched.WithWorkers(w))
			ev, eng := On(s), kernels.On(s)
			name := fmt.Sprintf("n=%d/w=%d", n, s.Workers())
			b.Run("fused/"+name, func(b *testing.B) {
				b.SetBytes(int64(32 * n))
				b.ReportAllocs()
				for b.Loop() {
					if err := ev.Eval(x, dst, vars); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("unfused/"+name, func(b *testing.B) {
				b.SetBytes(int64(32 * n))
				for b.Loop() {
					_ = eng.Scale(t1, a, 2)
					_ = eng.Scale(t2, bb, 3)
					_ = eng.Mul(t2, t2, c)
					_ = eng.Add(dst, t1, t2)
				}
			})
			b.Run("floor/"+name, func(b *testing.B) {
				// FMA reads three arrays and writes one: the same traffic.
				b.SetBytes(int64(32 * n))
				for b.Loop() {
					_ = eng.FMA(dst, a, bb, c)
				}
			})
			s.Close()
		}
	}
}
