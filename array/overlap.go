package array

import "unsafe"

// extent returns the lowest and highest backing positions the view touches.
// It must only be called on non-empty arrays whose extent was validated.
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

// overlapWork bounds the search of Overlaps and SelfOverlaps. Past it they
// answer true (may overlap): kernels then refuse the call rather than risk a
// race. Ordinary layouts — disjoint spans, interleaved views, blocks of
// rows or columns of one matrix — are decided in a few steps.
const overlapWork = 1 << 16

// terms adds the non-trivial dimensions of a to the solver with positive
// strides, and returns the position of a's lowest element. Zero strides
// contribute no address.
func (s *solver) terms(a *Array) int {
	lo := a.offset
	for k, d := range a.shape {
		st := a.strides[k]
		if d <= 1 || st == 0 {
			continue
		}
		if st < 0 {
			lo += st * (d - 1)
			st = -st
		}
		s.add(st, d-1)
	}
	return lo
}

// Overlaps reports whether a and b share at least one element of storage.
// It is exact for strided views: the even and odd elements of a vector, or
// two columns of one matrix, do not overlap. (In the rare layouts where the
// search would take more than a bounded amount of work it answers true.)
// Empty arrays overlap nothing.
func Overlaps(a, b *Array) bool {
	if a.size == 0 || b.size == 0 {
		return false
	}
	alo, ahi := a.span()
	blo, bhi := b.span()
	if alo >= bhi || blo >= ahi {
		return false
	}
	pa := uintptr(unsafe.Pointer(unsafe.SliceData(a.data)))
	pb := uintptr(unsafe.Pointer(unsafe.SliceData(b.data)))
	if (pa-pb)%8 != 0 {
		return true // storage offset by part of an element: the spans meet
	}
	var sv solver
	oa := sv.terms(a)
	na := sv.n
	ob := sv.terms(b) + int(int64(pb-pa)/8) // positions relative to a's backing start
	// oa + Σ a_i x_i = ob + Σ b_j y_j; with y_j = u_j − y'_j all
	// coefficients are positive: Σ a_i x_i + Σ b_j y'_j = ob − oa + Σ b_j u_j.
	rhs := ob - oa
	for i := na; i < sv.n; i++ {
		rhs += sv.xs[i].a * sv.xs[i].u
	}
	sv.sortDesc()
	sv.merge()
	return sv.solve(rhs)
}

// SelfOverlaps reports whether two different indices of a address the same
// element of storage — a zero stride over a dimension longer than one, or
// strides that alias — so that writing a would write some element twice.
// Like Overlaps it is exact, answering true where the search is too long.
func SelfOverlaps(a *Array) bool {
	if a.size <= 1 || a.IsContiguous() {
		return false
	}
	var sv solver
	for k, d := range a.shape {
		if d <= 1 {
			continue
		}
		s := a.strides[k]
		if s == 0 {
			return true
		}
		sv.add(max(s, -s), d-1)
	}
	sv.sortDesc()
	// Sufficient and usual: each stride exceeds the span of all smaller
	// ones.
	span, nested := 0, true
	for i := sv.n - 1; i >= 0; i-- {
		if sv.xs[i].a <= span {
			nested = false
			break
		}
		span += sv.xs[i].a * sv.xs[i].u
	}
	if nested {
		return false
	}
	// Two indices x ≠ x' with Σ a_k (x_k − x'_k) = 0: with
	// z_k = x_k − x'_k + u_k ∈ [0, 2u_k], Σ a_k z_k = Σ a_k u_k, and a
	// solution other than z = u.
	rhs := 0
	for i := 0; i < sv.n; i++ {
		x := &sv.xs[i]
		rhs += x.a * x.u
		x.triv, x.u = x.u, 2*x.u
	}
	sv.nontrivial = true
	return sv.solve(rhs)
}

// solver decides whether Σ a_i·z_i = b has a solution with 0 ≤ z_i ≤ u_i
// (with nontrivial set: one with some z_i ≠ triv_i) by a depth-first
// search over the terms in decreasing coefficient order, pruned by bounds
// and gcds. It allocates nothing.
type solver struct {
	xs         [2 * MaxDims]sterm
	n          int
	rest, g    [2*MaxDims + 1]int
	nontrivial bool
	work       int
}

type sterm struct{ a, u, triv int }

func (s *solver) add(a, u int) {
	s.xs[s.n] = sterm{a: a, u: u}
	s.n++
}

func (s *solver) sortDesc() {
	for i := 1; i < s.n; i++ {
		for j := i; j > 0 && s.xs[j].a > s.xs[j-1].a; j-- {
			s.xs[j], s.xs[j-1] = s.xs[j-1], s.xs[j]
		}
	}
}

// merge joins equal coefficients: a·z1 + a·z2 = a·(z1 + z2). The terms
// must be sorted.
func (s *solver) merge() {
	m := 0
	for i := 0; i < s.n; i++ {
		if m > 0 && s.xs[m-1].a == s.xs[i].a {
			s.xs[m-1].u += s.xs[i].u
			continue
		}
		s.xs[m] = s.xs[i]
		m++
	}
	s.n = m
}

// solve reports whether a solution exists; past overlapWork steps it
// answers true.
func (s *solver) solve(b int) bool {
	if b < 0 {
		return false
	}
	s.rest[s.n], s.g[s.n] = 0, 0
	for i := s.n - 1; i >= 0; i-- {
		s.rest[i] = s.rest[i+1] + s.xs[i].a*s.xs[i].u
		s.g[i] = gcd(s.g[i+1], s.xs[i].a)
	}
	s.work = 0
	return s.dfs(0, b, false)
}

func (s *solver) dfs(i, b int, nontrivial bool) bool {
	if s.work++; s.work > overlapWork {
		return true
	}
	if i == s.n {
		return b == 0 && (!s.nontrivial || nontrivial)
	}
	if b < 0 || b > s.rest[i] || (s.g[i] > 0 && b%s.g[i] != 0) {
		return false
	}
	x := s.xs[i]
	lo := max(0, ceilDiv(b-s.rest[i+1], x.a))
	hi := min(x.u, b/x.a)
	for z := hi; z >= lo; z-- {
		if s.dfs(i+1, b-x.a*z, nontrivial || z != x.triv) {
			return true
		}
	}
	return false
}

func ceilDiv(x, y int) int {
	if x <= 0 {
		return -((-x) / y)
	}
	return (x + y - 1) / y
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
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
	return !SameView(dst, src) && Overlaps(dst, src)
}

// InputFault is the one rule for an input of an elementwise call that
// writes dst: it returns ErrNil if src is nil, ErrShape if src does not
// broadcast onto dst (numpy's rules; dst never stretches), ErrOverlap if
// src shares memory with dst without being the very same view, and nil if
// src is a valid input. Callers wrap the sentinel with their own context;
// dst itself is checked with SelfOverlaps. It panics if dst is nil.
func InputFault(dst, src *Array) error {
	switch {
	case src == nil:
		return ErrNil
	case !src.BroadcastsOnto(dst):
		return ErrShape
	case PartialOverlap(dst, src):
		return ErrOverlap
	}
	return nil
}

// Addr returns the address of the first element of a non-empty array (0 for
// an empty one), for alignment decisions such as sched.Cost.Align.
func (a *Array) Addr() uintptr {
	if a.size == 0 {
		return 0
	}
	return uintptr(unsafe.Pointer(&a.data[a.offset]))
}
