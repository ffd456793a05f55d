package array

import "unsafe"

// extent returns the lowest and highest backing positions the view touches.
// It must only be called on non-empty arrays.
func (a *Array) extent() (lo, hi int) {
	lo, hi = a.offset, a.offset
	for k, d := range a.shape {
		s := (d - 1) * a.strides[k]
		if s < 0 {
			lo += s
		} else {
			hi += s
		}
	}
	return lo, hi
}

func (a *Array) span() (lo, hi uintptr) {
	l, h := a.extent()
	base := uintptr(unsafe.Pointer(unsafe.SliceData(a.data)))
	return base + uintptr(l)*8, base + uintptr(h)*8 + 8
}

// Overlaps reports whether a and b may share memory: it compares the
// address ranges the two views span, so it is conservative for interleaved
// strided views. Empty arrays overlap nothing.
func Overlaps(a, b *Array) bool {
	if a.size == 0 || b.size == 0 {
		return false
	}
	alo, ahi := a.span()
	blo, bhi := b.span()
	return alo < bhi && blo < ahi
}

// SameView reports whether a and b address exactly the same elements in the
// same order (same first element, shape and strides), the case in which a
// kernel may safely write its output over its input.
func SameView(a, b *Array) bool {
	if !SameShape(a, b) {
		return false
	}
	if a.size == 0 {
		return true
	}
	if &a.data[a.offset] != &b.data[b.offset] {
		return false
	}
	for k, d := range a.shape {
		if d > 1 && a.strides[k] != b.strides[k] {
			return false
		}
	}
	return true
}

// PartialOverlap reports whether dst shares memory with src without being
// the very same view — the aliasing that element-wise kernels reject with
// ErrOverlap.
func PartialOverlap(dst, src *Array) bool {
	return Overlaps(dst, src) && !SameView(dst, src)
}

// Addr returns the address of the first element of a non-empty array (0 for
// an empty one), for alignment decisions such as sched.Cost.Align.
func (a *Array) Addr() uintptr {
	if a.size == 0 {
		return 0
	}
	return uintptr(unsafe.Pointer(&a.data[a.offset]))
}
