// Package array provides an n-dimensional, row-major float64 array.
//
// Freshly allocated storage is contiguous and 64-byte aligned (one cache
// line on amd64), so SIMD kernels and parallel blocks start on cache-line
// boundaries. Views (rows, slices along an axis, transposes, sub-matrices of
// a gonum mat.Dense) share storage with their parent and may be strided.
//
// # Errors and panics
//
// The package follows gonum's convention. Index errors in element access
// (At, Set, Row, Index, Slice with out-of-range bounds) are programmer errors
// and panic, as slice indexing does. Operations whose validity depends on
// data that usually comes from outside the program (FromSlice, Reshape,
// CopyFrom, the gonum conversions) return errors wrapping the sentinel
// errors of this package (ErrShape, ErrNotContiguous, ...), which work with
// errors.Is.
package array

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
	"unsafe"
)

// Align is the byte alignment of storage allocated by New.
const Align = 64

// MaxDims is the most dimensions an array may have (numpy 2's limit).
const MaxDims = 64

// MaxLen is the most elements an array may have: its storage in bytes must
// fit in an int.
const MaxLen = math.MaxInt / 8

// Array is an n-d view of float64 storage: element idx lives at
// data[offset + Σ idx[k]·strides[k]]. The zero value is not usable; build
// arrays with New, FromSlice, Vec or the gonum conversions.
type Array struct {
	data    []float64
	shape   []int
	strides []int
	offset  int
	size    int
}

// New returns a zeroed, contiguous array of the given shape whose first
// element is 64-byte aligned. New() (no dimensions) is a 0-d array holding
// one element. New panics if a dimension is negative, if there are more
// than MaxDims dimensions, or if the element count (the product of the
// dimensions, zeros aside) exceeds MaxLen — never returning a wrong array.
func New(shape ...int) *Array {
	n, err := sizeOf(shape)
	if err != nil {
		panic("array.New: " + err.Error())
	}
	return &Array{data: Aligned(n), shape: clone(shape), strides: rowMajor(shape), size: n}
}

// Aligned returns a zeroed []float64 of length n whose first element is
// 64-byte aligned (when n > 0).
func Aligned(n int) []float64 {
	if n == 0 {
		return []float64{}
	}
	const pad = Align / 8
	buf := make([]float64, n+pad-1)
	off := 0
	if rem := uintptr(unsafe.Pointer(&buf[0])) % Align; rem != 0 {
		off = int((Align - rem) / 8)
	}
	return buf[off : off+n : off+n]
}

// FromSlice returns an array of the given shape that shares data: writes
// through either are seen by the other. It returns an error wrapping ErrShape
// if a dimension is negative or len(data) is not the product of shape.
// FromSlice(data) with no shape is a 1-D array of len(data).
func FromSlice(data []float64, shape ...int) (*Array, error) {
	if len(shape) == 0 {
		shape = []int{len(data)}
	}
	n, err := sizeOf(shape)
	if err != nil {
		return nil, fmt.Errorf("array.FromSlice: %w", err)
	}
	if n != len(data) {
		return nil, fmt.Errorf("array.FromSlice: %w: shape %v holds %d elements, data has %d", ErrShape, shape, n, len(data))
	}
	return &Array{data: data[:n:n], shape: clone(shape), strides: rowMajor(shape), size: n}, nil
}

// Vec returns a 1-D array sharing data.
func Vec(data []float64) *Array {
	n := len(data)
	return &Array{data: data[:n:n], shape: []int{n}, strides: []int{1}, size: n}
}

// Strided builds a view of data with explicit strides (in elements) and
// offset. It returns an error wrapping ErrShape if any addressed element
// falls outside data or a dimension is negative. Strides may be zero
// (broadcast) or negative.
func Strided(data []float64, offset int, shape, strides []int) (*Array, error) {
	if len(shape) != len(strides) {
		return nil, fmt.Errorf("array.Strided: %w: %d dims, %d strides", ErrShape, len(shape), len(strides))
	}
	n, err := sizeOf(shape)
	if err != nil {
		return nil, fmt.Errorf("array.Strided: %w", err)
	}
	a := &Array{data: data, shape: clone(shape), strides: clone(strides), offset: offset, size: n}
	if n > 0 {
		if offset < 0 || offset >= len(data) {
			return nil, fmt.Errorf("array.Strided: %w: offset %d outside %d elements", ErrShape, offset, len(data))
		}
		// lo and hi stay within [0, len(data)) while they grow, so no
		// sum below can overflow once each product is checked.
		lo, hi := offset, offset
		for k, d := range shape {
			st := strides[k]
			m, ok := mulLen(d-1, max(st, -st))
			if st < 0 {
				lo -= m
			} else {
				hi += m
			}
			if !ok || lo < 0 || hi >= len(data) {
				return nil, fmt.Errorf("array.Strided: %w: view with shape %v, strides %v and offset %d reaches outside %d elements", ErrShape, shape, strides, offset, len(data))
			}
		}
	}
	return a, nil
}

// sizeOf returns the element count of shape, or an error wrapping ErrShape
// for a negative dimension, more than MaxDims dimensions, or a count past
// MaxLen. A zero dimension makes the count 0, but the other dimensions must
// still multiply within MaxLen (so that strides stay representable).
func sizeOf(shape []int) (int, error) {
	if len(shape) > MaxDims {
		return 0, fmt.Errorf("%w: %d dimensions, at most %d", ErrShape, len(shape), MaxDims)
	}
	n, zero := 1, false
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("%w: negative dimension in %v", ErrShape, shape)
		}
		if d == 0 {
			zero = true
			continue
		}
		var ok bool
		if n, ok = mulLen(n, d); !ok {
			return 0, fmt.Errorf("%w: %v holds more than %d elements", ErrShape, shape, MaxLen)
		}
	}
	if zero {
		return 0, nil
	}
	return n, nil
}

// mulLen returns a·b for non-negative a, b, and whether it is ≤ MaxLen.
func mulLen(a, b int) (int, bool) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi != 0 || lo > MaxLen {
		return 0, false
	}
	return int(lo), true
}

func rowMajor(shape []int) []int {
	st := make([]int, len(shape))
	s := 1
	for k := len(shape) - 1; k >= 0; k-- {
		st[k] = s
		s *= shape[k]
	}
	return st
}

func clone(s []int) []int { return append([]int(nil), s...) }

// Shape returns a copy of the array's dimensions.
func (a *Array) Shape() []int { return clone(a.shape) }

// Strides returns a copy of the array's strides, in elements.
func (a *Array) Strides() []int { return clone(a.strides) }

// Dim returns the size of dimension k (negative k counts from the end).
// It panics if k is out of range.
func (a *Array) Dim(k int) int { return a.shape[a.axis(k, "Dim")] }

// Len returns the number of elements.
func (a *Array) Len() int { return a.size }

// Ndim returns the number of dimensions.
func (a *Array) Ndim() int { return len(a.shape) }

// Offset returns the index in the backing slice of the first element.
func (a *Array) Offset() int { return a.offset }

// IsContiguous reports whether the elements are stored row-major with no
// gaps, so that Data returns them in order. Empty arrays are contiguous.
func (a *Array) IsContiguous() bool {
	if a.size <= 1 {
		return true
	}
	s := 1
	for k := len(a.shape) - 1; k >= 0; k-- {
		if a.shape[k] != 1 && a.strides[k] != s {
			return false
		}
		s *= a.shape[k]
	}
	return true
}

// Data returns the elements of a contiguous array in row-major order,
// sharing storage: writes to the slice are writes to the array. It returns
// nil if the array is not contiguous (see IsContiguous, Clone).
func (a *Array) Data() []float64 {
	if !a.IsContiguous() {
		return nil
	}
	if a.size == 0 {
		return a.data[:0:0]
	}
	return a.data[a.offset : a.offset+a.size : a.offset+a.size]
}

// Backing returns the whole backing slice, which a strided view addresses
// through Offset and Strides.
func (a *Array) Backing() []float64 { return a.data }

func (a *Array) index(op string, idx []int) int {
	if len(idx) != len(a.shape) {
		panic(fmt.Sprintf("array.%s: %d indices for %d dimensions", op, len(idx), len(a.shape)))
	}
	p := a.offset
	for k, i := range idx {
		if uint(i) >= uint(a.shape[k]) {
			panic(fmt.Sprintf("array.%s: index %d out of range [0, %d) in dimension %d", op, i, a.shape[k], k))
		}
		p += i * a.strides[k]
	}
	return p
}

// At returns the element at idx. It panics if idx does not have one index
// per dimension or an index is out of range.
func (a *Array) At(idx ...int) float64 { return a.data[a.index("At", idx)] }

// Set sets the element at idx to v. It panics like At.
func (a *Array) Set(v float64, idx ...int) { a.data[a.index("Set", idx)] = v }

func (a *Array) axis(k int, op string) int {
	if k < 0 {
		k += len(a.shape)
	}
	if k < 0 || k >= len(a.shape) {
		panic(fmt.Sprintf("array.%s: axis %d out of range for %d dimensions", op, k, len(a.shape)))
	}
	return k
}

// NormAxis maps a possibly negative axis to [0, Ndim). It returns an error
// wrapping ErrAxis when k is outside [-Ndim, Ndim).
func (a *Array) NormAxis(k int) (int, error) {
	n := len(a.shape)
	if k < -n || k >= n {
		return 0, fmt.Errorf("%w: axis %d for %d dimensions", ErrAxis, k, n)
	}
	if k < 0 {
		k += n
	}
	return k, nil
}

// Slice returns the view of elements lo ≤ i < hi along axis (all other
// dimensions whole). It panics if the axis or bounds are out of range.
func (a *Array) Slice(axis, lo, hi int) *Array {
	k := a.axis(axis, "Slice")
	if lo < 0 || hi < lo || hi > a.shape[k] {
		panic(fmt.Sprintf("array.Slice: bounds [%d:%d] out of range for dimension of %d", lo, hi, a.shape[k]))
	}
	v := a.view()
	v.shape[k] = hi - lo
	v.size = prod(v.shape)
	if v.size > 0 {
		v.offset += lo * a.strides[k]
	}
	return v
}

// Index returns the (Ndim−1)-d view at position i along axis; Index(0, i) of
// a matrix is row i, Index(1, j) is column j. It panics on out-of-range
// arguments.
func (a *Array) Index(axis, i int) *Array {
	k := a.axis(axis, "Index")
	if uint(i) >= uint(a.shape[k]) {
		panic(fmt.Sprintf("array.Index: index %d out of range [0, %d)", i, a.shape[k]))
	}
	v := &Array{data: a.data, offset: a.offset + i*a.strides[k]}
	v.shape = append(append([]int(nil), a.shape[:k]...), a.shape[k+1:]...)
	v.strides = append(append([]int(nil), a.strides[:k]...), a.strides[k+1:]...)
	v.size = prod(v.shape)
	return v
}

// Row returns row i of an array with at least one dimension: Index(0, i).
func (a *Array) Row(i int) *Array { return a.Index(0, i) }

// Transpose returns a view with the axes permuted: dimension k of the result
// is dimension perm[k] of a. With no arguments it reverses the axes. It
// panics if perm is not a permutation of 0..Ndim-1.
func (a *Array) Transpose(perm ...int) *Array {
	n := len(a.shape)
	if len(perm) == 0 {
		perm = make([]int, n)
		for k := range perm {
			perm[k] = n - 1 - k
		}
	}
	if len(perm) != n {
		panic("array.Transpose: permutation length differs from Ndim")
	}
	seen := make([]bool, n)
	v := &Array{data: a.data, offset: a.offset, size: a.size, shape: make([]int, n), strides: make([]int, n)}
	for k, p := range perm {
		if p < 0 || p >= n || seen[p] {
			panic(fmt.Sprintf("array.Transpose: %v is not a permutation", perm))
		}
		seen[p] = true
		v.shape[k], v.strides[k] = a.shape[p], a.strides[p]
	}
	return v
}

func (a *Array) view() *Array {
	return &Array{data: a.data, shape: clone(a.shape), strides: clone(a.strides), offset: a.offset, size: a.size}
}

func prod(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// Reshape returns an array of the given shape holding the same elements in
// row-major order. One dimension may be -1 and is then inferred. The result
// is a view sharing storage when a is contiguous, and a copy otherwise (use
// IsContiguous or Shares to tell). It returns an error wrapping ErrShape when
// the sizes differ.
func (a *Array) Reshape(shape ...int) (*Array, error) {
	shape = clone(shape)
	if len(shape) > MaxDims {
		return nil, fmt.Errorf("array.Reshape: %w: %d dimensions, at most %d", ErrShape, len(shape), MaxDims)
	}
	infer, known := -1, 1
	for k, d := range shape {
		switch {
		case d == -1 && infer < 0:
			infer = k
		case d < 0:
			return nil, fmt.Errorf("array.Reshape: %w: invalid dimension %d in %v", ErrShape, d, shape)
		default:
			var ok bool
			if known, ok = mulLen(known, d); !ok {
				return nil, fmt.Errorf("array.Reshape: %w: %v holds more than %d elements", ErrShape, shape, MaxLen)
			}
		}
	}
	if infer >= 0 {
		if known == 0 || a.size%known != 0 {
			return nil, fmt.Errorf("array.Reshape: %w: cannot infer -1 in %v for %d elements", ErrShape, shape, a.size)
		}
		shape[infer] = a.size / known
		known = a.size
	}
	if known != a.size {
		return nil, fmt.Errorf("array.Reshape: %w: %v holds %d elements, array has %d", ErrShape, shape, known, a.size)
	}
	if _, err := sizeOf(shape); err != nil {
		return nil, fmt.Errorf("array.Reshape: %w", err)
	}
	src := a
	if !a.IsContiguous() {
		src = a.Clone()
	}
	return &Array{data: src.data, shape: shape, strides: rowMajor(shape), offset: src.offset, size: a.size}, nil
}

// Clone returns a contiguous, aligned copy of a.
func (a *Array) Clone() *Array {
	c := New(a.shape...)
	a.copyInto(c.data)
	return c
}

// CopyTo copies the elements of a, in row-major order, into dst, which must
// have length a.Len(); it returns an error wrapping ErrShape otherwise.
func (a *Array) CopyTo(dst []float64) error {
	if len(dst) != a.size {
		return fmt.Errorf("array.CopyTo: %w: %d elements into %d", ErrShape, a.size, len(dst))
	}
	a.copyInto(dst)
	return nil
}

// CopyFrom copies src into a element by element; the shapes must be equal
// (ErrShape otherwise). Overlapping storage is handled as if src were read
// completely first.
func (a *Array) CopyFrom(src *Array) error {
	if src == nil {
		return fmt.Errorf("array.CopyFrom: %w", ErrNil)
	}
	if !SameShape(a, src) {
		return fmt.Errorf("array.CopyFrom: %w: %v from %v", ErrShape, a.shape, src.shape)
	}
	if Overlaps(a, src) && !SameView(a, src) {
		src = src.Clone()
	}
	if d, s := a.Data(), src.Data(); d != nil && s != nil {
		copy(d, s)
		return nil
	}
	i := 0
	tmp := src.Clone().data
	a.each(func(p int) { a.data[p] = tmp[i]; i++ })
	return nil
}

// Fill sets every element to v.
func (a *Array) Fill(v float64) {
	if d := a.Data(); d != nil {
		for i := range d {
			d[i] = v
		}
		return
	}
	a.each(func(p int) { a.data[p] = v })
}

func (a *Array) copyInto(dst []float64) {
	if d := a.Data(); d != nil {
		copy(dst, d)
		return
	}
	i := 0
	a.each(func(p int) { dst[i] = a.data[p]; i++ })
}

// each calls f with the backing position of every element in row-major
// order.
func (a *Array) each(f func(p int)) {
	if a.size == 0 {
		return
	}
	n := len(a.shape)
	if n == 0 {
		f(a.offset)
		return
	}
	idx := make([]int, n)
	p := a.offset
	last, ls := a.shape[n-1], a.strides[n-1]
	for {
		q := p
		for j := 0; j < last; j++ {
			f(q)
			q += ls
		}
		k := n - 2
		for ; k >= 0; k-- {
			idx[k]++
			p += a.strides[k]
			if idx[k] < a.shape[k] {
				break
			}
			p -= idx[k] * a.strides[k]
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}

// Values returns the elements in row-major order in a new slice.
func (a *Array) Values() []float64 {
	out := make([]float64, a.size)
	a.copyInto(out)
	return out
}

// String formats the array as nested brackets, like numpy.
func (a *Array) String() string {
	var b strings.Builder
	vals := a.Values()
	var rec func(dim, off int)
	rec = func(dim, off int) {
		if dim == len(a.shape) {
			fmt.Fprintf(&b, "%g", vals[off])
			return
		}
		b.WriteByte('[')
		inner := prod(a.shape[dim+1:])
		for i := 0; i < a.shape[dim]; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			rec(dim+1, off+i*inner)
		}
		b.WriteByte(']')
	}
	rec(0, 0)
	return b.String()
}

// SameShape reports whether a and b have identical dimensions.
func SameShape(a, b *Array) bool {
	if len(a.shape) != len(b.shape) {
		return false
	}
	for k := range a.shape {
		if a.shape[k] != b.shape[k] {
			return false
		}
	}
	return true
}

// Stride returns the stride of dimension k in elements (negative k counts
// from the end), without copying. It panics if k is out of range.
func (a *Array) Stride(k int) int { return a.strides[a.axis(k, "Stride")] }
