package sched

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPanicErrorLocatesTheBlock(t *testing.T) {
	for _, w := range []int{1, 2, 4} {
		s := testSched(t, WithWorkers(w), WithBlockSize(10))
		err := s.For(context.Background(), 100, Cost{Bytes: 8}, func(lo, hi int) {
			if lo == 50 {
				panic("boom")
			}
		})
		var pe *PanicError
		if !errors.As(err, &pe) || pe.Lo != 50 || pe.Hi != 60 || pe.Index != -1 {
			t.Fatalf("w=%d: %#v", w, err)
		}
		if msg := pe.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "[50, 60)") || !strings.Contains(msg, "boom") {
			t.Fatalf("Error() = %q, want one line naming the block and value", msg)
		}
		if full := fmt.Sprintf("%+v", err); !strings.Contains(full, "goroutine") || !strings.Contains(full, "TestPanicErrorLocatesTheBlock") {
			t.Fatalf("%%+v lacks the stack: %s", full)
		}
		if fmt.Sprintf("%v", err) != pe.Error() {
			t.Fatalf("formatting with %%v must give Error()")
		}
	}
}

func TestForErr(t *testing.T) {
	s := testSched(t, WithWorkers(2), WithBlockSize(4))
	var ran atomic.Int64
	err := s.ForErr(context.Background(), 1000, Cost{Bytes: 8}, func(lo, hi int) error {
		ran.Add(1)
		if lo == 8 {
			return fs.ErrNotExist
		}
		return nil
	})
	var be *BlockError
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &be) || be.Lo != 8 || be.Hi != 12 {
		t.Fatalf("err = %v", err)
	}
	if ran.Load() >= 250 {
		t.Fatalf("%d blocks ran after an error; the rest should stop", ran.Load())
	}
	// A serial call and a successful one.
	if err := s.ForErr(context.Background(), 3, Cost{Bytes: 8}, func(lo, hi int) error { return io(lo) }); !errors.Is(err, errTest) {
		t.Fatalf("serial: %v", err)
	}
	if err := s.ForErr(context.Background(), 100, Cost{}, func(lo, hi int) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

var errTest = errors.New("test error")

func io(i int) error {
	if i == 0 {
		return errTest
	}
	return nil
}

func TestMapErrorsNameTheItem(t *testing.T) {
	s := testSched(t, WithWorkers(2))
	in := make([]int, 100)
	for i := range in {
		in[i] = i
	}
	_, err := Map(context.Background(), s, in, func(x int) (int, error) {
		if x == 37 {
			return 0, fmt.Errorf("reading %d: %w", x, fs.ErrPermission)
		}
		return x, nil
	})
	var ie *ItemError
	if !errors.Is(err, fs.ErrPermission) || !errors.As(err, &ie) || ie.Index != 37 {
		t.Fatalf("err = %v", err)
	}
	_, err = Map(context.Background(), s, in, func(x int) (int, error) {
		if x == 63 {
			panic("bad item")
		}
		return x, nil
	})
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Index != 63 || pe.Lo != 63 || !strings.Contains(pe.Error(), "item 63") || len(pe.Stack) == 0 {
		t.Fatalf("err = %v", err)
	}
	for _, err := range Imap(context.Background(), s, in, func(x int) (int, error) {
		if x == 5 {
			return 0, errTest
		}
		return x, nil
	}) {
		if err != nil && (!errors.As(err, &ie) || ie.Index != 5 || !errors.Is(err, errTest)) {
			t.Fatalf("Imap err = %v", err)
		}
	}
	for _, err := range Imap(context.Background(), s, in, func(x int) (int, error) {
		if x == 7 {
			panic("imap")
		}
		return x, nil
	}) {
		if err != nil && (!errors.As(err, &pe) || pe.Index != 7) {
			t.Fatalf("Imap panic = %v", err)
		}
	}
}

func TestForEach(t *testing.T) {
	s := testSched(t, WithWorkers(3))
	rows := make([][]float64, 50)
	err := ForEach(context.Background(), s, rows, func(i int, r []float64) error {
		rows[i] = []float64{float64(i)}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) != 1 || r[0] != float64(i) {
			t.Fatalf("row %d = %v", i, r)
		}
	}
	err = ForEach(context.Background(), s, rows, func(i int, r []float64) error {
		if i == 11 {
			return errTest
		}
		return nil
	})
	var ie *ItemError
	if !errors.As(err, &ie) || ie.Index != 11 || !errors.Is(err, errTest) {
		t.Fatalf("err = %v", err)
	}
}

// TestExpensiveFirstItemDoesNotHoldUpTheRest: item 0 does not finish until
// item 1 has started, which only a scheduler that starts the other workers
// before item 0 is done can satisfy.
func TestExpensiveFirstItemDoesNotHoldUpTheRest(t *testing.T) {
	s := testSched(t, WithWorkers(2))
	started := make(chan struct{})
	_, err := Map(context.Background(), s, []int{0, 1, 2, 3}, func(x int) (int, error) {
		switch x {
		case 0:
			select {
			case <-started:
			case <-time.After(20 * time.Second):
				return 0, errors.New("item 1 never started while item 0 ran")
			}
		case 1:
			close(started)
		}
		return x, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestHugeN(t *testing.T) {
	for _, s := range []*Scheduler{testSched(t), testSched(t, WithBlockSize(1000)), testSched(t, WithWorkers(1))} {
		for _, c := range []Cost{{Bytes: 24, Ops: 1}, {}, {Ns: 1e6}} {
			p := s.Plan(math.MaxInt, c)
			if p.Workers < 1 || p.Blocks < 0 || p.Block < 0 {
				t.Fatalf("Plan(MaxInt, %+v) = %+v", c, p)
			}
			if p.Kind != "adaptive" && uint(p.Blocks)*uint(p.Block) < math.MaxInt {
				t.Fatalf("Plan(MaxInt, %+v): %d blocks of %d do not cover n", c, p.Blocks, p.Block)
			}
			ctx, cancel := context.WithCancel(context.Background())
			var calls atomic.Int64
			err := s.For(ctx, math.MaxInt, c, func(lo, hi int) {
				if lo < 0 || hi <= lo {
					t.Errorf("block [%d, %d)", lo, hi)
				}
				calls.Add(1)
				cancel() // one block of 2^63 elements is enough
			})
			// A parallel plan stops at the cancellation; a serial one
			// is a single block. Either way the body must have run.
			if calls.Load() == 0 || (err != nil && !errors.Is(err, context.Canceled)) {
				t.Fatalf("For(MaxInt, %+v): %d calls, err %v", c, calls.Load(), err)
			}
			cancel()
		}
	}
}

// TestCloseFromABody: Close called from a body (on a pool worker or on the
// caller, nested or not) returns, and so does the For around it.
func TestCloseFromABody(t *testing.T) {
	run := func(name string, f func(s *Scheduler)) {
		s := New(WithWorkers(3), WithBlockSize(1))
		done := make(chan struct{})
		go func() { defer close(done); f(s) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: hung", name)
		}
		s.Close()
		checkCover(t, s, 100, Cost{Bytes: 8}) // still usable, on the caller
	}
	run("every block", func(s *Scheduler) {
		_ = s.For(context.Background(), 16, Cost{Bytes: 8}, func(lo, hi int) { s.Close() })
	})
	run("nested", func(s *Scheduler) {
		_ = s.For(context.Background(), 4, Cost{Bytes: 8}, func(lo, hi int) {
			_ = s.For(context.Background(), 4, Cost{Bytes: 8}, func(lo, hi int) {
				time.Sleep(time.Millisecond)
				s.Close()
			})
		})
	})
	run("map", func(s *Scheduler) {
		_, _ = Map(context.Background(), s, make([]int, 8), func(int) (int, error) { s.Close(); return 0, nil })
	})
}
