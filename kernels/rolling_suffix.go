package kernels

// The suffix half of a van Herk/Gil-Werman block pair: suf[t] is the scan
// state after adding the block's values w−1 down to t. For windows up to
// ckWindow all w states are kept. Beyond, only every k-th state (k ≈ √w)
// is kept, and each run of k is recomputed from its checkpoint when the
// outputs reach it: the same additions in the same order, so the same bits,
// in O(√w) memory per worker instead of O(w), for twice the suffix work.

// ckWindow is a variable only so that tests can force checkpoints.
var ckWindow = 1 << 12

// scan is a scan state (scanState, varScan) that takes one value, shifted
// by k for variances.
type scan[T any] interface {
	*T
	push(v, k float64)
}

func (st *scanState) push(v, _ float64) { st.add(v) }
func (st *varScan) push(v, k float64)   { st.add(v, k) }

type suffixes[T any] struct {
	acc  *T  // the running state, in the scratch: a local would escape
	buf  []T // all w states (k = 0), or the current run of k
	cp   []T // cp[j] = suf[j·k]
	k    int
	base int // the index of buf[0]; −1: no run computed yet
}

// suffixScratch is how many states suffixes needs for windows of w.
func suffixScratch(w int) int {
	if w <= ckWindow {
		return w + 1
	}
	k := ckRun(w)
	return 1 + k + w/k + 2
}

func ckRun(w int) int {
	k := 1
	for k*k < w {
		k++
	}
	return k
}

// init lays sx out over scratch (at least suffixScratch(w) states).
func (sx *suffixes[T]) init(scratch []T, w int) {
	acc, scratch := &scratch[0], scratch[1:]
	if w <= ckWindow {
		*sx = suffixes[T]{acc: acc, buf: scratch[:w]}
		return
	}
	k := ckRun(w)
	*sx = suffixes[T]{acc: acc, buf: scratch[:k], cp: scratch[k : k+w/k+2], k: k, base: -1}
}

// scanSuffix scans the block of w values from s0 (shifted by kk).
func scanSuffix[T any, P scan[T]](sx *suffixes[T], in *line, s0, w int, kk float64) {
	var zero T
	acc := sx.acc
	*acc = zero
	if sx.k == 0 {
		for t := w - 1; t >= 0; t-- {
			P(acc).push(in.get(s0+t), kk)
			sx.buf[t] = *acc
		}
		return
	}
	for t := w - 1; t >= 0; t-- {
		P(acc).push(in.get(s0+t), kk)
		if t%sx.k == 0 {
			sx.cp[t/sx.k] = *acc
		}
	}
	sx.base = -1
}

// suffixAt returns suf[t]; within a block, t only grows between calls.
func suffixAt[T any, P scan[T]](sx *suffixes[T], in *line, s0, w int, kk float64, t int) T {
	if sx.k == 0 {
		return sx.buf[t]
	}
	if sx.base < 0 || t >= sx.base+sx.k {
		base := t / sx.k * sx.k
		end := min(base+sx.k, w)
		var zero T
		acc := sx.acc
		*acc = zero
		if end < w {
			*acc = sx.cp[end/sx.k]
		}
		for u := end - 1; u >= base; u-- {
			P(acc).push(in.get(s0+u), kk)
			sx.buf[u-base] = *acc
		}
		sx.base = base
	}
	return sx.buf[t-sx.base]
}
