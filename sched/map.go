package sched

import (
	"context"
	"iter"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Map returns f applied to every element of in, in order — Python's
// Pool.map — running on s's workers (the caller included). Every worker
// starts at once on chunks that grow from one item as they are timed, so
// cheap functions end up in large chunks and expensive ones (a file read, a
// model fit) go one item at a time, with no worker waiting for a slow
// first item.
//
// The first error f returns stops the items not yet started and is returned,
// wrapped in an *ItemError with the item's index (errors.Is and errors.As
// reach f's error), with a nil slice; a panic in f is returned as a
// *PanicError naming the item. Cancelling ctx stops the work and returns
// ctx.Err(). Map panics if s or f is nil.
func Map[T, R any](ctx context.Context, s *Scheduler, in []T, f func(T) (R, error)) ([]R, error) {
	if f == nil {
		panic("sched.Map: nil function")
	}
	out := make([]R, len(in))
	err := s.run(ctx, len(in), Cost{}, nil, func(lo, hi int) error {
		return eachItem(lo, hi, func(i int) (err error) {
			out[i], err = f(in[i])
			return err
		})
	}, false, "sched.Map")
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ForEach calls f(i, in[i]) for every element of in, in parallel on s's
// workers, for its effects: reading the files of a list into the rows of an
// array, say. Items are handed out as in Map. The first error f returns
// stops the items not yet started and is returned wrapped in an *ItemError;
// a panic in f is returned as a *PanicError naming the item. ForEach panics
// if s or f is nil.
func ForEach[T any](ctx context.Context, s *Scheduler, in []T, f func(i int, v T) error) error {
	if f == nil {
		panic("sched.ForEach: nil function")
	}
	return s.run(ctx, len(in), Cost{}, nil, func(lo, hi int) error {
		return eachItem(lo, hi, func(i int) error { return f(i, in[i]) })
	}, false, "sched.ForEach")
}

// eachItem runs do(i) for i in [lo, hi), stopping at the first error, and
// names the item of an error or a panic.
func eachItem(lo, hi int, do func(i int) error) (err error) {
	i := lo
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack(), Lo: i, Hi: i + 1, Index: i}
		}
	}()
	for ; i < hi; i++ {
		if err := do(i); err != nil {
			return &ItemError{Index: i, Err: err}
		}
	}
	return nil
}

// Imap is the streaming, in-order form of Map — Python's Pool.imap: it
// yields (f(in[i]), nil) for i = 0, 1, … as results become available, while
// up to Workers goroutines compute ahead within a window of 2×Workers
// results. An error from f (wrapped in an *ItemError with the item's
// index), a panic in f (as a *PanicError naming the item) or ctx's
// cancellation is yielded once as (zero, err) and ends the sequence.
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
					sl.val, sl.err = callSafe(f, in[i], i)
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

func callSafe[T, R any](f func(T) (R, error), x T, i int) (r R, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: debug.Stack(), Lo: i, Hi: i + 1, Index: i}
		}
	}()
	r, err = f(x)
	if err != nil {
		err = &ItemError{Index: i, Err: err}
	}
	return r, err
}
