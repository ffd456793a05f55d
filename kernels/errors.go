package kernels

import (
	"errors"
	"fmt"

	"github.com/blockwise/blockwise/array"
)

// Errors returned by the kernels wrap these sentinels (errors.Is). The
// layout errors are package array's, repeated here for convenience.
var (
	ErrShape   = array.ErrShape   // shapes differ
	ErrNil     = array.ErrNil     // a nil *array.Array or function
	ErrOverlap = array.ErrOverlap // dst partially overlaps an input
	ErrAxis    = array.ErrAxis    // axis out of range

	// ErrLength: ApplyEach's function count differs from the array's
	// length. It wraps ErrShape.
	ErrLength = fmt.Errorf("%w: length differs", array.ErrShape)
	// ErrEmpty: a reduction with no identity (Min, Max, Mean) of no
	// elements.
	ErrEmpty = errors.New("empty array")
	// ErrArgument: an invalid scalar argument (Clip with lo > hi or a NaN
	// bound).
	ErrArgument = errors.New("invalid argument")
)

func errorf(op string, sentinel error, format string, args ...any) error {
	return fmt.Errorf("kernels.%s: %w: %s", op, sentinel, fmt.Sprintf(format, args...))
}
