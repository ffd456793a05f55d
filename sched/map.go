package sched

import (
	"context"
	"iter"
	"sync"
	"sync/atomic"
)

// Map returns f applied to every element of in, in order — Python's
// Pool.map — running on s's workers (the caller included). The cost of f is
// learnt by timing the first calls, so cheap functions stay in large blocks
// and expensive ones (a file read, a model fit) go one per worker.
//
// The first error f returns cancels the calls not yet started and is
// returned with a nil slice; a panic in f is returned as a *PanicError.
// Cancelling ctx stops the work and returns ctx.Err().
func Map[T, R any](ctx context.Context, s *Scheduler, in []T, f func(T) (R, error)) ([]R, error) {
	out := make([]R, len(in))
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		once     sync.Once
		firstErr error
	)
	err := s.For(cctx, len(in), Cost{}, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			r, err := f(in[i])
			if err != nil {
				once.Do(func() { firstErr = err; cancel() })
				return
			}
			out[i] = r
		}
	})
	if firstErr != nil {
		return nil, firstErr
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Imap is the streaming, in-order form of Map — Python's Pool.imap: it
// yields (f(in[i]), nil) for i = 0, 1, … as results become available, while
// up to Workers goroutines compute ahead within a window of 2×Workers
// results. An error from f (or a panic, as *PanicError, or ctx's
// cancellation) is yielded once as (zero, err) and ends the sequence.
// Breaking out of the loop stops the remaining work; Imap never leaves
// goroutines behind once the loop is over.
func Imap[T, R any](ctx context.Context, s *Scheduler, in []T, f func(T) (R, error)) iter.Seq2[R, error] {
	return func(yield func(R, error) bool) {
		n := len(in)
		if n == 0 {
			return
		}
		workers := min(s.Workers(), n)
		window := 2 * workers
		type slot struct {
			val   R
			err   error
			ready chan struct{}
		}
		slots := make([]slot, window)
		for i := range slots {
			slots[i].ready = make(chan struct{}, 1)
		}
		cctx, cancel := context.WithCancel(ctx)
		sem := make(chan struct{}, window)
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case sem <- struct{}{}:
					case <-cctx.Done():
						return
					}
					i := int(next.Add(1) - 1)
					if i >= n {
						return
					}
					sl := &slots[i%window]
					sl.val, sl.err = callSafe(f, in[i])
					sl.ready <- struct{}{}
				}
			}()
		}
		defer func() {
			cancel()
			wg.Wait()
		}()
		var zero R
		for i := 0; i < n; i++ {
			sl := &slots[i%window]
			select {
			case <-sl.ready:
			case <-cctx.Done():
				yield(zero, ctx.Err())
				return
			}
			v, err := sl.val, sl.err
			sl.val = zero
			if err != nil {
				yield(zero, err)
				return
			}
			<-sem
			if !yield(v, nil) {
				return
			}
		}
	}
}

func callSafe[T, R any](f func(T) (R, error), x T) (r R, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: stack()}
		}
	}()
	return f(x)
}
