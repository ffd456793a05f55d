package array

import "errors"

// Sentinel errors. Every error returned by this module that concerns the
// layout of its arguments wraps one of these, so callers can test with
// errors.Is.
var (
	// ErrShape reports a shape that does not fit: sizes that differ, a
	// negative dimension, or a data slice whose length is not the product
	// of the shape.
	ErrShape = errors.New("shape mismatch")
	// ErrNotContiguous reports an operation that needs contiguous,
	// row-major storage on a strided view.
	ErrNotContiguous = errors.New("array is not contiguous")
	// ErrNil reports a nil *Array where an array is required.
	ErrNil = errors.New("nil array")
	// ErrOverlap reports a destination that partially overlaps a source.
	// A destination that is exactly the same view as a source (in-place
	// operation) is not an overlap.
	ErrOverlap = errors.New("destination partially overlaps a source")
	// ErrAxis reports an axis outside [-Ndim, Ndim).
	ErrAxis = errors.New("axis out of range")
)

// Errors of the .npy/.npz codec (npy.go). Both come wrapped with what was
// wrong, and a call that returns one returns no array.
var (
	// ErrFormat reports a file that is not a well-formed .npy/.npz file:
	// a bad magic string or header, or fewer data bytes than the header
	// promises.
	ErrFormat = errors.New("malformed numpy file")
	// ErrDType reports a well-formed .npy file whose element type cannot
	// be read as float64: complex, object, string, datetime or structured
	// data.
	ErrDType = errors.New("unsupported numpy dtype")
)
