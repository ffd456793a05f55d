package sched

import (
	"errors"
	"fmt"
)

// ErrPanic is matched (errors.Is) by the *PanicError that For, ForErr, Map,
// Imap and ForEach return when a body or function panics.
var ErrPanic = errors.New("sched: panic in parallel body")

// PanicError carries a panic out of a parallel body, with where it happened
// and the stack of the goroutine that panicked, back to the caller.
//
// Error() is one line; the stack is in Stack, and printing the error with
// %+v appends it.
type PanicError struct {
	Value any    // what the body passed to panic
	Stack []byte // the panicking goroutine's stack (runtime/debug.Stack)
	// Lo and Hi are the block [Lo, Hi) of For or ForErr whose body
	// panicked; for Map, Imap and ForEach they are [Index, Index+1).
	Lo, Hi int
	// Index is the item of Map, Imap or ForEach whose function panicked,
	// or -1 for For and ForErr.
	Index int
}

func (e *PanicError) Error() string {
	if e.Index >= 0 {
		return fmt.Sprintf("sched: panic in item %d: %v", e.Index, e.Value)
	}
	return fmt.Sprintf("sched: panic in block [%d, %d): %v", e.Lo, e.Hi, e.Value)
}

// Format prints Error(); the verb %+v adds the panicking goroutine's stack.
func (e *PanicError) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('+'):
		fmt.Fprintf(f, "%s\n\npanicking goroutine's stack:\n%s", e.Error(), e.Stack)
	case verb == 'q':
		fmt.Fprintf(f, "%q", e.Error())
	default:
		fmt.Fprint(f, e.Error())
	}
}

// Is makes errors.Is(err, ErrPanic) true.
func (e *PanicError) Is(target error) bool { return target == ErrPanic }

// Unwrap returns the panic value when it is an error.
func (e *PanicError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

// ItemError is an error returned by the function of Map, Imap or ForEach,
// with the index of the item it failed on. errors.Is and errors.As reach
// the function's error through it.
type ItemError struct {
	Index int
	Err   error
}

func (e *ItemError) Error() string { return fmt.Sprintf("item %d: %v", e.Index, e.Err) }

// Unwrap returns the function's error.
func (e *ItemError) Unwrap() error { return e.Err }

// BlockError is an error returned by a ForErr body, with the block
// [Lo, Hi) it was called on. errors.Is and errors.As reach the body's error
// through it.
type BlockError struct {
	Lo, Hi int
	Err    error
}

func (e *BlockError) Error() string { return fmt.Sprintf("block [%d, %d): %v", e.Lo, e.Hi, e.Err) }

// Unwrap returns the body's error.
func (e *BlockError) Unwrap() error { return e.Err }
