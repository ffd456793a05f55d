package sched_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"

	"github.com/blockwise/blockwise/sched"
)

// Workers fill disjoint blocks of one shared slice in place — the Python
// recipe of processes writing into a shared numpy array, without the shared
// memory segment and without copying results back.
func ExampleScheduler_For() {
	s := sched.New(sched.WithWorkers(2))
	defer s.Close()

	out := make([]float64, 1_000_000)
	err := s.For(context.Background(), len(out), sched.Cost{Bytes: 8, Ops: 20}, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = math.Sqrt(float64(i))
		}
	})
	fmt.Println(err, out[4], out[999_999] == math.Sqrt(999_999))
	// Output: <nil> 2 true
}

// Map is Python's Pool.map: results in input order, computed in parallel,
// identical to the serial loop.
func ExampleMap() {
	in := make([]float64, 10_000)
	for i := range in {
		in[i] = float64(i) / 100
	}
	f := func(x float64) (float64, error) { return math.Exp(-x) * math.Cos(x), nil }

	got, err := sched.Map(context.Background(), sched.Default(), in, f)

	same := err == nil
	for i, x := range in {
		want, _ := f(x)
		same = same && got[i] == want
	}
	fmt.Println("equal to the serial loop:", same)
	// Output: equal to the serial loop: true
}

// Imap streams results in order as they are ready (Python's Pool.imap).
func ExampleImap() {
	words := []string{"alpha", "beta", "gamma"}
	for n, err := range sched.Imap(context.Background(), sched.Default(), words, func(w string) (int, error) {
		return len(w), nil
	}) {
		fmt.Println(n, err)
	}
	// Output:
	// 5 <nil>
	// 4 <nil>
	// 5 <nil>
}

// Plan explains what the scheduler would do, for a simulated 64-core server.
func ExampleScheduler_Plan() {
	s := sched.New(sched.WithTopology(sched.Topology{
		Workers: 64, L2: 1 << 20, L3: 256 << 20, CacheLine: 64,
		Bandwidth: sched.Bandwidth{One: 12e9, All: 200e9, Workers: 64, Cache: 50e9},
	}))
	add := sched.Cost{Bytes: 24, Ops: 1}
	fmt.Println(s.Plan(4096, add).Serial, s.Plan(400_000_000, add).Workers)
	// Output: true 16
}

// ForEach runs a function over a slice for its effects — here, "reading"
// one file per row of a shared matrix, in place — and names the item of
// the first error.
func ExampleForEach() {
	files := []string{"a.csv", "b.csv", "missing.csv", "d.csv"}
	rows := make([][]float64, len(files))
	read := func(i int, name string) error {
		if name == "missing.csv" {
			return fs.ErrNotExist
		}
		rows[i] = []float64{float64(len(name))}
		return nil
	}
	err := sched.ForEach(context.Background(), sched.Default(), files, read)

	var ie *sched.ItemError
	fmt.Println(errors.Is(err, fs.ErrNotExist), errors.As(err, &ie) && ie.Index == 2)
	// Output: true true
}

// ForErr is For for bodies that can fail; a panic comes back as a
// *PanicError naming its block, in one line (%+v adds the stack).
func ExampleScheduler_ForErr() {
	s := sched.New(sched.WithWorkers(2), sched.WithBlockSize(100))
	defer s.Close()
	err := s.ForErr(context.Background(), 1000, sched.Cost{Bytes: 8}, func(lo, hi int) error {
		if lo == 300 {
			panic("corrupt record")
		}
		return nil
	})
	fmt.Println(err)
	// Output: sched: panic in block [300, 400): corrupt record
}
