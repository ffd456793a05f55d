package expr

import (
	"errors"
	"fmt"

	"github.com/blockwise/blockwise/array"
)

// Errors, for errors.Is. A shape mismatch between dst and a variable is
// array.ErrShape; an overlap of dst with a variable (other than the
// same view) is ErrOverlap; a nil dst or variable is ErrNil.
var (
	ErrSyntax     = errors.New("expr: syntax error")
	ErrUnknownVar = errors.New("expr: unknown variable")
	ErrArgs       = errors.New("expr: wrong number of arguments")
	ErrUnknownFn  = errors.New("expr: unknown function")
	ErrType       = errors.New("expr: type error")
	ErrOverlap    = array.ErrOverlap
	ErrNil        = array.ErrNil
)

// SyntaxError is a syntax error at a byte offset of the source. It
// matches ErrSyntax.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("expr: syntax error at offset %d: %s", e.Offset, e.Msg)
}

// Is reports target == ErrSyntax.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

func syntaxErr(pos int, format string, args ...any) error {
	return &SyntaxError{Offset: pos, Msg: fmt.Sprintf(format, args...)}
}

// posErr is a semantic error at an offset, wrapping a sentinel.
func posErr(sentinel error, pos int, format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", sentinel, pos, fmt.Sprintf(format, args...))
}

func shapeErr(name string, got, want []int) error {
	return fmt.Errorf("expr: variable %q has shape %v, which does not broadcast to dst %v: %w", name, got, want, array.ErrShape)
}
