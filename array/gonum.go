package array

import (
	"fmt"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// FromDense returns a 2-D view of m's storage (no copy): writes through
// either side are visible on the other. A sub-matrix whose Stride exceeds
// its column count becomes a strided view.
func FromDense(m *mat.Dense) *Array {
	raw := m.RawMatrix()
	return &Array{data: raw.Data, shape: []int{raw.Rows, raw.Cols}, strides: []int{raw.Stride, 1}, size: raw.Rows * raw.Cols}
}

// Dense returns a *mat.Dense sharing a's storage (no copy). a must be a
// non-empty 2-D array (ErrShape otherwise; gonum has no empty matrices)
// with unit column stride and a row stride of at least its column count
// (ErrNotContiguous otherwise: Clone first).
func (a *Array) Dense() (*mat.Dense, error) {
	if len(a.shape) != 2 || a.size == 0 {
		return nil, fmt.Errorf("array.Dense: %w: need a non-empty 2-D array, have shape %v", ErrShape, a.shape)
	}
	r, c := a.shape[0], a.shape[1]
	rs, cs := a.strides[0], a.strides[1]
	if c == 1 {
		cs = 1
	}
	if r == 1 {
		rs = c
	}
	if cs != 1 || rs < c {
		return nil, fmt.Errorf("array.Dense: %w: strides %v", ErrNotContiguous, a.strides)
	}
	end := a.offset + (r-1)*rs + c
	var d mat.Dense
	d.SetRawMatrix(blas64.General{Rows: r, Cols: c, Stride: rs, Data: a.data[a.offset:end:end]})
	return &d, nil
}

// FromVecDense returns a 1-D view of v's storage (no copy); a vector with
// Inc > 1 becomes a strided view.
func FromVecDense(v *mat.VecDense) *Array {
	raw := v.RawVector()
	return &Array{data: raw.Data, shape: []int{raw.N}, strides: []int{raw.Inc}, size: raw.N}
}

// VecDense returns a *mat.VecDense sharing a's storage (no copy). a must be
// a non-empty 1-D array (ErrShape otherwise) with a positive stride
// (ErrNotContiguous otherwise).
func (a *Array) VecDense() (*mat.VecDense, error) {
	if len(a.shape) != 1 || a.size == 0 {
		return nil, fmt.Errorf("array.VecDense: %w: need a non-empty 1-D array, have shape %v", ErrShape, a.shape)
	}
	n, inc := a.shape[0], a.strides[0]
	if n == 1 {
		inc = 1
	}
	if inc < 1 {
		return nil, fmt.Errorf("array.VecDense: %w: stride %d", ErrNotContiguous, inc)
	}
	end := a.offset + (n-1)*inc + 1
	var v mat.VecDense
	v.SetRawVector(blas64.Vector{N: n, Inc: inc, Data: a.data[a.offset:end:end]})
	return &v, nil
}
