package sched

import (
	"context"
	"sync"
	"testing"

	"golang.org/x/sync/errgroup"
)

// BenchmarkForOverhead is the cost of one call with an empty body for
// n = 1024 on 2 workers: the planned call (serial: the work is far below
// the overhead), a call forced onto both workers, and the same split done
// by spawning goroutines per call.
func BenchmarkForOverhead(b *testing.B) {
	const n = 1024
	body := func(lo, hi int) {}
	ctx := context.Background()
	b.Run("For/planned", func(b *testing.B) {
		s := New(WithWorkers(2))
		defer s.Close()
		b.ReportAllocs()
		for b.Loop() {
			_ = s.For(ctx, n, Cost{Bytes: 24}, body)
		}
	})
	b.Run("For/2-workers", func(b *testing.B) {
		s := New(WithWorkers(2), WithBlockSize(n/2))
		defer s.Close()
		b.ReportAllocs()
		for b.Loop() {
			_ = s.For(ctx, n, Cost{Bytes: 24}, body)
		}
	})
	b.Run("spawn+WaitGroup", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var wg sync.WaitGroup
			for w := 0; w < 2; w++ {
				wg.Add(1)
				go func(lo, hi int) { defer wg.Done(); body(lo, hi) }(w*n/2, (w+1)*n/2)
			}
			wg.Wait()
		}
	})
	b.Run("errgroup", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var g errgroup.Group
			for w := 0; w < 2; w++ {
				lo, hi := w*n/2, (w+1)*n/2
				g.Go(func() error { body(lo, hi); return nil })
			}
			_ = g.Wait()
		}
	})
}
