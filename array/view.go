package array

import "fmt"

// Step returns the view of every step-th element of [lo, hi) along axis,
// numpy's a[lo:hi:step] generalised to negative steps:
//
//   - step > 0 takes lo, lo+step, lo+2·step, … while < hi;
//   - step < 0 takes hi−1, hi−1+step, … while ≥ lo (numpy's
//     a[s:e:-k] with s > e is Step(axis, e+1, s+1, -k); a[::-1] is
//     Step(axis, 0, n, -1)).
//
// The view shares storage (a negative step gives a negative stride). It
// panics if the axis or the bounds are out of range (0 ≤ lo ≤ hi ≤ Dim) or
// step is 0, as Slice does.
func (a *Array) Step(axis, lo, hi, step int) *Array {
	k := a.axis(axis, "Step")
	if lo < 0 || hi < lo || hi > a.shape[k] {
		panic(fmt.Sprintf("array.Step: bounds [%d:%d] out of range for dimension of %d", lo, hi, a.shape[k]))
	}
	if step == 0 {
		panic("array.Step: step is 0")
	}
	v := a.view()
	span := hi - lo
	start := lo
	abs := step
	if step < 0 {
		abs = -step
		start = hi - 1
	}
	m := 0
	if span > 0 {
		m = (span-1)/abs + 1
	}
	v.shape[k] = m
	v.strides[k] = a.strides[k] * step
	v.size = prod(v.shape)
	if v.size > 0 {
		v.offset += start * a.strides[k]
	}
	return v
}

// BroadcastShape returns the shape that arrays of the given shapes
// broadcast to by numpy's rules: shapes are aligned on their last axis, a
// missing axis counts as 1, and along every axis the sizes must agree or be
// 1 (which stretches). It returns an error wrapping ErrShape when they do
// not, or when the result has more than MaxDims dimensions.
func BroadcastShape(shapes ...[]int) ([]int, error) {
	nd := 0
	for _, s := range shapes {
		nd = max(nd, len(s))
	}
	if nd > MaxDims {
		return nil, fmt.Errorf("%w: %d dimensions, at most %d", ErrShape, nd, MaxDims)
	}
	out := make([]int, nd)
	for k := range out {
		out[k] = 1
	}
	for _, s := range shapes {
		for j, d := range s {
			k := nd - len(s) + j
			switch {
			case d < 0:
				return nil, fmt.Errorf("%w: negative dimension in %v", ErrShape, s)
			case d == out[k] || d == 1:
			case out[k] == 1:
				out[k] = d
			default:
				return nil, fmt.Errorf("%w: shapes %v do not broadcast (axis %d: %d against %d)", ErrShape, shapes, k-nd, d, out[k])
			}
		}
	}
	if _, err := sizeOf(out); err != nil {
		return nil, err
	}
	return out, nil
}

// Broadcastable reports whether a broadcasts to shape: a has at most
// len(shape) dimensions and each of its dimensions, aligned on the last
// axis, equals shape's or is 1. It does not allocate.
func (a *Array) Broadcastable(shape []int) bool {
	if len(a.shape) > len(shape) {
		return false
	}
	off := len(shape) - len(a.shape)
	for j, d := range a.shape {
		if d != shape[off+j] && d != 1 {
			return false
		}
	}
	return true
}

// BroadcastsOnto is Broadcastable(dst.Shape()) without copying dst's shape.
func (a *Array) BroadcastsOnto(dst *Array) bool { return a.Broadcastable(dst.shape) }

// BroadcastStrides writes into st (len(st) == len(shape)) the strides at
// which a is read when broadcast to shape: a's own stride where its
// dimension matches, 0 where it stretches or is missing. It panics if a
// does not broadcast to shape (see Broadcastable). It does not allocate.
func (a *Array) BroadcastStrides(st, shape []int) {
	if !a.Broadcastable(shape) || len(st) != len(shape) {
		panic(fmt.Sprintf("array.BroadcastStrides: %v does not broadcast to %v", a.shape, shape))
	}
	off := len(shape) - len(a.shape)
	for k := range st {
		st[k] = 0
		if j := k - off; j >= 0 && a.shape[j] == shape[k] && shape[k] != 1 {
			st[k] = a.strides[j]
		}
	}
}

// BroadcastStridesOnto is BroadcastStrides(st, dst.Shape()) without
// copying dst's shape.
func (a *Array) BroadcastStridesOnto(st []int, dst *Array) { a.BroadcastStrides(st, dst.shape) }

// BroadcastTo returns a read-only-in-spirit view of a with the given shape,
// numpy's broadcast_to: stretched axes have stride 0, so one element of a
// is seen at many positions (writing through the view writes them all). It
// returns an error wrapping ErrShape if a does not broadcast to shape.
func (a *Array) BroadcastTo(shape ...int) (*Array, error) {
	if _, err := sizeOf(shape); err != nil {
		return nil, fmt.Errorf("array.BroadcastTo: %w", err)
	}
	if !a.Broadcastable(shape) {
		return nil, fmt.Errorf("array.BroadcastTo: %w: %v to %v", ErrShape, a.shape, shape)
	}
	v := &Array{data: a.data, offset: a.offset, shape: clone(shape), strides: make([]int, len(shape))}
	a.BroadcastStrides(v.strides, shape)
	v.size = prod(shape)
	if v.size == 0 {
		v.offset = 0
	}
	return v, nil
}
