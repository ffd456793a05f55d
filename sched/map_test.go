package sched

import (
	"context"
	"errors"
	"math"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

func TestMapOrderedAndExact(t *testing.T) {
	s := testSched(t, WithWorkers(4))
	in := make([]float64, 100_000)
	for i := range in {
		in[i] = float64(i) / 7
	}
	got, err := Map(context.Background(), s, in, func(x float64) (float64, error) { return math.Exp(math.Sin(x)), nil })
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range in {
		if got[i] != math.Exp(math.Sin(x)) {
			t.Fatalf("Map[%d] = %v, want %v", i, got[i], math.Exp(math.Sin(x)))
		}
	}
}

func TestMapRunsExpensiveItemsInParallel(t *testing.T) {
	s := testSched(t, WithWorkers(2))
	var started atomic.Int64
	in := make([]int, 9)
	_, err := Map(context.Background(), s, in, func(int) (int, error) {
		if started.Add(1) == 1 {
			time.Sleep(time.Millisecond) // the probe learns items are slow
			return 0, nil
		}
		// Every later item waits until another item has started: only
		// a parallel run gets past this.
		deadline := time.Now().Add(10 * time.Second)
		for started.Load() < 3 {
			if time.Now().After(deadline) {
				return 0, errors.New("no other item ever ran beside this one")
			}
			time.Sleep(50 * time.Microsecond)
		}
		return 0, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMapFirstErrorCancelsRest(t *testing.T) {
	s := testSched(t, WithWorkers(2))
	in := make([]int, 10_000)
	for i := range in {
		in[i] = i
	}
	var calls atomic.Int64
	bad := errors.New("bad item")
	out, err := Map(context.Background(), s, in, func(x int) (int, error) {
		calls.Add(1)
		time.Sleep(10 * time.Microsecond)
		if x == 100 {
			return 0, bad
		}
		return x, nil
	})
	if !errors.Is(err, bad) || out != nil {
		t.Fatalf("err %v, out %v", err, out != nil)
	}
	if calls.Load() > 5000 {
		t.Fatalf("%d calls after the error: the rest was not cancelled", calls.Load())
	}
	_, err = Map(context.Background(), s, in, func(x int) (int, error) {
		if x == 7 {
			panic("item 7")
		}
		return x, nil
	})
	if !errors.Is(err, ErrPanic) {
		t.Fatalf("panic: %v", err)
	}
}

func TestImapInOrder(t *testing.T) {
	s := testSched(t, WithWorkers(3))
	in := make([]int, 1000)
	for i := range in {
		in[i] = i
	}
	i := 0
	for v, err := range Imap(context.Background(), s, in, func(x int) (string, error) {
		time.Sleep(time.Duration(x%5) * time.Microsecond)
		return strconv.Itoa(x), nil
	}) {
		if err != nil || v != strconv.Itoa(i) {
			t.Fatalf("item %d: %q %v", i, v, err)
		}
		i++
	}
	if i != len(in) {
		t.Fatalf("yielded %d of %d", i, len(in))
	}
}

func TestImapErrorAndBreak(t *testing.T) {
	s := testSched(t, WithWorkers(3))
	in := make([]int, 1000)
	for i := range in {
		in[i] = i
	}
	bad := errors.New("bad")
	n := 0
	for v, err := range Imap(context.Background(), s, in, func(x int) (int, error) {
		if x == 50 {
			return 0, bad
		}
		return x, nil
	}) {
		if err != nil {
			if !errors.Is(err, bad) || n != 50 {
				t.Fatalf("error at %d: %v", n, err)
			}
			continue
		}
		if v != n {
			t.Fatalf("out of order")
		}
		n++
	}
	if n != 50 {
		t.Fatalf("yielded %d values before the error, want 50", n)
	}
	// Breaking early leaves no goroutine behind (goleak checks at exit).
	for v := range Imap(context.Background(), s, in, func(x int) (int, error) { return x, nil }) {
		if v == 10 {
			break
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range Imap(ctx, s, in, func(x int) (int, error) { return x, nil }) {
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled ctx: %v", err)
		}
	}
}
