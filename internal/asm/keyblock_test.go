package asm

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestReplaceKey slides random keys with ties (and keys far below them
// all) through blocks of every fill on every ISA: the keys stay the sorted
// multiset, MaxInt64 after them.
func TestReplaceKey(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, isa := range ISAs() {
		restore := SetISA(isa)
		for n := 1; n <= SmallKeys; n++ {
			var blk [SmallKeys]int64
			model := make([]int64, n)
			for i := range blk {
				blk[i] = math.MaxInt64
			}
			for i := range model {
				model[i] = r.Int64N(int64(n)) - int64(n)/2
			}
			copy(blk[:], slices.Sorted(slices.Values(model)))
			for step := range 300 {
				i := r.IntN(n)
				in := r.Int64N(int64(n)+2) - int64(n)/2 - 1
				if step%7 == 0 {
					in = math.MinInt64 + int64(step)
				}
				ReplaceKey(&blk, model[i], in)
				model[i] = in
				want := slices.Sorted(slices.Values(model))
				if !slices.Equal(blk[:n], want) {
					restore()
					t.Fatalf("%s n=%d step %d: %v, want %v", isa, n, step, blk[:n], want)
				}
				for _, v := range blk[n:] {
					if v != math.MaxInt64 {
						restore()
						t.Fatalf("%s n=%d step %d: padding %v", isa, n, step, blk[n:])
					}
				}
			}
		}
		restore()
	}
}

func BenchmarkReplaceKey(b *testing.B) {
	for _, isa := range ISAs() {
		b.Run(isa, func(b *testing.B) {
			defer SetISA(isa)()
			r := rand.New(rand.NewPCG(1, 2))
			const n = 21
			var blk [SmallKeys]int64
			ring := make([]int64, 1024)
			for i := range ring {
				ring[i] = r.Int64N(1 << 40)
			}
			for i := range blk {
				blk[i] = math.MaxInt64
			}
			copy(blk[:], ring[:n])
			slices.Sort(blk[:n])
			for i := 0; b.Loop(); i++ {
				ReplaceKey(&blk, ring[i%1024], ring[(i+n)%1024])
			}
		})
	}
}

// TestSearchKeys2 checks SearchKeys2's bounds against a plain search on
// sorted keys with runs of ties, laid out in blocks of random fill (full
// ones too), probing every key, its neighbours and the extremes: the slot
// must be the key's rank once each block's slots past its keys are
// skipped.
func TestSearchKeys2(t *testing.T) {
	if !CountLanes() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(9, 10))
	lengths := []int{1001, 2048, 4097}
	for n := 1; n <= 300; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		keys := make([]int64, n)
		for i := range keys {
			keys[i] = r.Int64N(int64(n)/2+1)*1000 - 1<<40
		}
		if n > 2 {
			keys[0] = -1 << 63
		}
		slices.Sort(keys)
		// Blocks of 1..KeyBlock keys (all full when n%4 == 0).
		var fills []int
		for left := n; left > 0; {
			f := KeyBlock
			if n%4 != 0 {
				f = 1 + r.IntN(KeyBlock)
			}
			f = min(f, left)
			fills = append(fills, f)
			left -= f
		}
		idx := make([]int64, (len(fills)+7)/8*8)
		a := make([]int64, len(idx)*KeyBlock)
		for i := range a {
			a[i] = 1<<63 - 1
		}
		rank := make([]int, len(idx)+1) // keys before block j
		k := 0
		for j := range idx {
			idx[j] = 1<<63 - 1
			rank[j] = k
			if j < len(fills) {
				copy(a[j*KeyBlock:], keys[k:k+fills[j]])
				idx[j] = keys[k]
				k += fills[j]
			}
		}
		rank[len(idx)] = n
		var probes []int64
		for _, v := range keys {
			probes = append(probes, v, v-1, v+1)
		}
		probes = append(probes, -1<<63, 1<<63-2)
		for i, x := range probes {
			y := probes[(i*7+3)%len(probes)]
			px, py := SearchKeys2(a, idx, x, y)
			gx, gy := rank[px/KeyBlock]+px%KeyBlock, rank[py/KeyBlock]+py%KeyBlock
			if wx, wy := lowerRef(keys, x), lowerRef(keys, y); gx != wx || gy != wy {
				t.Fatalf("n=%d x=%d y=%d: slots (%d, %d) are ranks (%d, %d), want (%d, %d)", n, x, y, px, py, gx, gy, wx, wy)
			}
		}
	}
}

func BenchmarkSearchKeys2(b *testing.B) {
	if !CountLanes() {
		b.Skip("no AVX-512")
	}
	const nb = 32
	idx := make([]int64, 40)
	a := make([]int64, len(idx)*KeyBlock)
	for j := range idx {
		idx[j] = 1<<63 - 1
		for i := range KeyBlock {
			a[j*KeyBlock+i] = 1<<63 - 1
			if j < nb && i < 32 {
				a[j*KeyBlock+i] = int64(j*32 + i)
			}
		}
		if j < nb {
			idx[j] = a[j*KeyBlock]
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	probes := make([]int64, 1024)
	for i := range probes {
		probes[i] = r.Int64N(nb * 32)
	}
	s := 0
	for i := 0; b.Loop(); i++ {
		x, y := SearchKeys2(a, idx, probes[i&1023], probes[(i+1)&1023])
		s += x + y
	}
	_ = s
}

// keyLayout lays sorted keys out in blocks of fill() keys (at most
// KeyBlock−1, so each has room), over backings with guard slots past a,
// idx and cnt.
type keyLayout struct {
	a, idx, cnt []int64
	ab, ib, cb  []int64 // the backings
	nb          int
}

const keyGuard = -0x5eed

func newKeyLayout(r *rand.Rand, keys []int64, fill func() int) keyLayout {
	var fills []int
	for left := len(keys); left > 0; left -= fills[len(fills)-1] {
		fills = append(fills, min(left, fill()))
	}
	nidx := (len(fills) + 7) / 8 * 8
	if r.IntN(3) == 0 {
		nidx += 8 // spare heads, all MaxInt64
	}
	var l keyLayout
	l.nb = len(fills)
	l.ab, l.ib, l.cb = make([]int64, (nidx+1)*KeyBlock), make([]int64, nidx+8), make([]int64, nidx+8)
	for _, b := range [][]int64{l.ab, l.ib, l.cb} {
		for i := range b {
			b[i] = keyGuard
		}
	}
	l.a, l.idx, l.cnt = l.ab[:nidx*KeyBlock], l.ib[:nidx], l.cb[:nidx]
	k := 0
	for j := range nidx {
		blk := l.a[j*KeyBlock:][:KeyBlock]
		for i := range blk {
			blk[i] = math.MaxInt64
		}
		l.cnt[j] = 0
		if j < len(fills) {
			copy(blk, keys[k:k+fills[j]])
			l.cnt[j] = int64(fills[j])
			k += fills[j]
		}
		l.idx[j] = blk[0]
	}
	return l
}

// check fails unless the blocks hold want (sorted) in order, padded, with
// their heads and counts, and the guards are untouched.
func (l keyLayout) check(want []int64) string {
	var got []int64
	for j := range l.idx {
		blk := l.a[j*KeyBlock:][:KeyBlock]
		c := int(l.cnt[j])
		if c < 0 || c > KeyBlock {
			return fmt.Sprintf("block %d: count %d", j, c)
		}
		got = append(got, blk[:c]...)
		for _, v := range blk[c:] {
			if v != math.MaxInt64 {
				return fmt.Sprintf("block %d: padding %v", j, blk[c:])
			}
		}
		if l.idx[j] != blk[0] {
			return fmt.Sprintf("block %d: head %d, first slot %d", j, l.idx[j], blk[0])
		}
	}
	if !slices.Equal(got, want) {
		return fmt.Sprintf("keys %v, want %v", got, want)
	}
	for _, b := range [][]int64{l.ab[len(l.a):], l.ib[len(l.idx):], l.cb[len(l.cnt):]} {
		for _, v := range b {
			if v != keyGuard {
				return "a guard slot was written"
			}
		}
	}
	return ""
}

// TestSlideKeys slides random keys with ties (and keys below and above
// them all) through blocks of random fill on every ISA: each slide must
// leave the sorted multiset, padded, with heads and counts, in the blocks
// the reference's steps give, and report the same blocks. A block that
// fills or empties is laid out afresh, as the kernels' caller does.
func TestSlideKeys(t *testing.T) {
	for _, isa := range ISAs() {
		restore := SetISA(isa)
		r := rand.New(rand.NewPCG(15, 16))
		for _, n := range []int{1, 2, 5, 31, 32, 33, 64, 100, 257, 1001} {
			model := make([]int64, n)
			for i := range model {
				model[i] = r.Int64N(int64(n)) - int64(n)/2
			}
			fill := func() int { return 1 + r.IntN(KeyBlock-1) }
			l := newKeyLayout(r, slices.Sorted(slices.Values(model)), fill)
			for step := range 2000 {
				i := r.IntN(n)
				in := r.Int64N(int64(n)+2) - int64(n)/2 - 1
				switch step % 11 {
				case 0:
					in = math.MinInt64 + int64(step)
				case 1:
					in = math.MaxInt64 - 1
				}
				ref := newKeyLayoutCopy(l)
				wo, wi := slideKeysGo(ref.a, ref.idx, ref.cnt, model[i], in)
				bo, bi := SlideKeys(l.a, l.idx, l.cnt, model[i], in)
				model[i] = in
				want := slices.Sorted(slices.Values(model))
				if msg := l.check(want); msg != "" || bo != wo || bi != wi || !slices.Equal(l.ab, ref.ab) {
					restore()
					t.Fatalf("%s n=%d step %d: %s; blocks (%d, %d), reference (%d, %d)", isa, n, step, msg, bo, bi, wo, wi)
				}
				if l.cnt[bi] == KeyBlock || (l.cnt[bo] == 0 && l.nb > 1) {
					l = newKeyLayout(r, want, fill)
				}
			}
		}
		restore()
	}
}

func newKeyLayoutCopy(l keyLayout) keyLayout {
	c := l
	c.ab, c.ib, c.cb = slices.Clone(l.ab), slices.Clone(l.ib), slices.Clone(l.cb)
	c.a, c.idx, c.cnt = c.ab[:len(l.a)], c.ib[:len(l.idx)], c.cb[:len(l.cnt)]
	return c
}

// BenchmarkSlideKeys slides a window of 1001 random keys through blocks
// laid out half full, as the kernels' are, and laid out afresh when one
// fills or empties (not timed: a few per thousand slides).
func BenchmarkSlideKeys(b *testing.B) {
	for _, isa := range ISAs() {
		b.Run(isa, func(b *testing.B) {
			defer SetISA(isa)()
			r := rand.New(rand.NewPCG(1, 2))
			const n = 1001
			ring := make([]int64, 1<<16)
			for i := range ring {
				ring[i] = r.Int64N(1 << 40)
			}
			half := func() int { return KeyBlock / 2 }
			at := func(i int) int64 { return ring[i%len(ring)] }
			window := func(i int) []int64 {
				w := make([]int64, n)
				for k := range w {
					w[k] = at(i + k)
				}
				return slices.Sorted(slices.Values(w))
			}
			l := newKeyLayout(r, window(0), half)
			for i := 0; b.Loop(); i++ {
				bo, bi := SlideKeys(l.a, l.idx, l.cnt, at(i), at(i+n))
				if l.cnt[bi] == KeyBlock || l.cnt[bo] == 0 {
					b.StopTimer()
					l = newKeyLayout(r, window(i+1), half)
					b.StartTimer()
				}
			}
		})
	}
}

// lowerRef is the first index of a whose key is ≥ x.
func lowerRef(a []int64, x int64) int {
	p := 0
	for p < len(a) && a[p] < x {
		p++
	}
	return p
}

// FuzzSlideKeys slides keys drawn from the input (few distinct values, so
// ties are common) through blocks whose fills come from the input too, and
// checks each slide on AVX-512 against the reference's steps and against a
// sorted model; ReplaceKey gets the same slides on a short window.
func FuzzSlideKeys(f *testing.F) {
	f.Add([]byte{40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 200, 3, 3, 3, 0, 255})
	f.Add(bytes.Repeat([]byte{7, 7, 0, 31, 200}, 40))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 4 || !CountLanes() {
			t.Skip()
		}
		n := 1 + int(data[0])%200
		if len(data) < n+1 {
			return
		}
		key := func(b byte) int64 { return int64(b%17) - 8 + int64(b>>7)*(1<<62) }
		model := make([]int64, n)
		for i := range model {
			model[i] = key(data[1+i])
		}
		rest := data[1+n:]
		pos := 0
		next := func() byte {
			if len(rest) == 0 {
				return 0
			}
			b := rest[pos%len(rest)]
			pos++
			return b
		}
		fill := func() int { return 1 + int(next())%(KeyBlock-1) }
		l := newKeyLayout(rand.New(rand.NewPCG(1, 1)), slices.Sorted(slices.Values(model)), fill)
		var small [SmallKeys]int64
		sm := model[:min(n, SmallKeys)]
		for i := range small {
			small[i] = math.MaxInt64
		}
		copy(small[:], slices.Sorted(slices.Values(sm)))
		for step := 0; step < len(rest); step++ {
			i, in := int(next())%n, key(next())
			ref := newKeyLayoutCopy(l)
			wo, wi := slideKeysGo(ref.a, ref.idx, ref.cnt, model[i], in)
			bo, bi := SlideKeys(l.a, l.idx, l.cnt, model[i], in)
			if i < len(sm) {
				ReplaceKey(&small, sm[i], in)
			}
			model[i] = in
			want := slices.Sorted(slices.Values(model))
			if msg := l.check(want); msg != "" || bo != wo || bi != wi || !slices.Equal(l.ab, ref.ab) {
				t.Fatalf("step %d: %s; blocks (%d, %d), reference (%d, %d)", step, msg, bo, bi, wo, wi)
			}
			if ws := slices.Sorted(slices.Values(sm)); !slices.Equal(small[:len(sm)], ws) {
				t.Fatalf("step %d: ReplaceKey %v, want %v", step, small[:len(sm)], ws)
			}
			if l.cnt[bi] == KeyBlock || (l.cnt[bo] == 0 && l.nb > 1) {
				l = newKeyLayout(rand.New(rand.NewPCG(1, 1)), want, fill)
			}
		}
	})
}
