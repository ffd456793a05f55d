package sched

import (
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// What the planner learns from real calls.
//
// For times every call whose modelled serial time is at least learnMinNs and
// records the wall time per element under an entry keyed by the Cost
// (Kernel, Bytes, Ops, Ns) and the size class ⌊log2 n⌋, in a cell per worker
// count. Plans for that key then take the worker count with the lowest
// recorded time. Now and then — at most once per max(exploreMinGap,
// exploreCalls calls) — one call runs a neighbouring worker count on the
// ladder 1, 2, 3, 4, 6, 8, 12, 16, 24, … instead, and its time replaces
// that cell's stale one: results are the same bits whatever the plan, so
// trying costs only time, and the gap bounds that cost to a few percent. A
// decision taken under load is so revisited once the load goes, and one
// taken on a quiet machine once a neighbour arrives. Before trying more
// workers the planner wakes the pool one call ahead, so that the trial
// measures parallel speed, not how long a parked worker takes to wake.
//
// The hot path takes no lock and allocates nothing: the table is a fixed
// array of atomic pointers, an entry is allocated once per key, and cells
// are updated with atomic loads and stores (a lost update under contention
// only drops a sample).

const (
	// learnMinNs: calls modelled shorter than this are planned by the
	// model alone (timing them would cost more than it could save).
	learnMinNs = 20e3
	// exploreMinGap and exploreCalls space explorations of one entry:
	// at least exploreMinGap apart and at least exploreCalls times the
	// duration of one call, so exploring costs at most ~1/exploreCalls
	// of the time even when the neighbour is twice as slow.
	exploreMinGap = 20 * time.Millisecond
	exploreCalls  = 32
	// fastWeight and slowWeight are the weights of a new sample in a cell
	// in use, when it is faster or slower than the cell's value: fast
	// samples count more, as in best-of-N timing (interference only ever
	// slows a call down), while sustained load still raises the value
	// within a few calls. A cell whose last sample is older than
	// staleCalls calls of its own duration (and staleMin) is replaced,
	// not averaged: it describes a machine that may have changed.
	fastWeight = 0.75
	slowWeight = 0.25
	// youngSamples: in calls shorter than youngMaxNs, a worker count
	// with fewer samples than this may be tried again without waiting for
	// the exploration gap, so that one unlucky first call (a worker being
	// started or woken, ~0.05-0.5 ms) does not rule it out. Longer calls
	// are not disturbed by that, but have their own one-off costs (the
	// first touch of fresh scratch, a GC cycle landing in the trial): the
	// model's own choice, when its single sample says otherwise, is tried
	// once more in calls of any length. That costs at most one call per
	// entry, where waiting out the gap (32 calls) would keep a wrong plan
	// for a whole burst of calls; a count the model did not prefer needs
	// no second look to stay out.
	youngSamples = 3
	youngMaxNs   = 2e6
	// armWait bounds how long a trial of more workers waits for a woken
	// helper.
	armWait    = 5 * time.Millisecond
	staleCalls = 8
	staleMin   = 5 * time.Millisecond

	tableSize = 512
	maxProbe  = 16
	maxCells  = 8
)

type obsKey struct {
	kernel         string
	bytes, ops, ns float64
	class          uint8
}

// cell is what is known of one worker count.
type cell struct {
	k  atomic.Int64  // worker count; 0 = free
	ns atomic.Uint64 // float64 bits: wall ns per element (EWMA)
	n  atomic.Int64  // samples
	at atomic.Int64  // when the last sample was taken, ns since the Scheduler's epoch
}

type entry struct {
	key         obsKey
	cells       [maxCells]cell
	calls       atomic.Int64
	explored    atomic.Int64
	lastExplore atomic.Int64 // ns since epoch
	armed       atomic.Bool  // the pool was woken for a coming call to try more workers
	armedWakes  atomic.Int64 // the Scheduler's wake count when armed
	armedAt     atomic.Int64
	lastK       atomic.Int64 // worker count of the latest plan
}

type obsTable struct {
	seed  maphash.Seed
	slots [tableSize]atomic.Pointer[entry]
}

func sizeClass(n int) uint8 { return uint8(bits.Len(uint(n))) }

func (t *obsTable) hash(k *obsKey) uint64 {
	h := maphash.String(t.seed, k.kernel)
	for _, f := range [...]float64{k.bytes, k.ops, k.ns} {
		h = (h ^ math.Float64bits(f)) * 0x9e3779b97f4a7c15
	}
	return h ^ uint64(k.class)*0xff51afd7ed558ccd
}

// lookup finds the entry for k, creating it when create is set and the
// table has room; nil otherwise.
func (t *obsTable) lookup(k *obsKey, create bool) *entry {
	h := t.hash(k)
	var fresh *entry
	for i := 0; i < maxProbe; i++ {
		slot := &t.slots[(h+uint64(i))%tableSize]
		e := slot.Load()
		if e == nil {
			if !create {
				return nil
			}
			if fresh == nil {
				fresh = &entry{key: *k}
			}
			if slot.CompareAndSwap(nil, fresh) {
				return fresh
			}
			e = slot.Load()
		}
		if e.key == *k {
			return e
		}
	}
	return nil
}

func (e *entry) find(k int) *cell {
	for i := range e.cells {
		if e.cells[i].k.Load() == int64(k) {
			return &e.cells[i]
		}
	}
	return nil
}

// claim returns k's cell, taking a free one or the least recently used.
func (e *entry) claim(k int) *cell {
	if c := e.find(k); c != nil {
		return c
	}
	oldest := &e.cells[0]
	for i := range e.cells {
		c := &e.cells[i]
		if c.k.Load() == 0 {
			if c.k.CompareAndSwap(0, int64(k)) {
				return c
			}
			continue
		}
		if c.at.Load() < oldest.at.Load() {
			oldest = c
		}
	}
	oldest.n.Store(0)
	oldest.k.Store(int64(k))
	return oldest
}

func (s *Scheduler) now() int64 { return int64(time.Since(s.epoch)) }

// ladderDown and ladderUp are the neighbours of k among 1, 2, 3, 4, 6, 8,
// 12, 16, … (and W itself), within [1, W]; 0 when there is none.
func ladderDown(k int) int {
	if k <= 1 {
		return 0
	}
	for v := k - 1; v > 1; v-- {
		if onLadder(v) {
			return v
		}
	}
	return 1
}

func ladderUp(k, w int) int {
	for v := k + 1; v <= w; v++ {
		if onLadder(v) || v == w {
			return v
		}
	}
	return 0
}

func onLadder(v int) bool {
	if v <= 4 {
		return v >= 1
	}
	t := bits.TrailingZeros(uint(v))
	r := v >> t
	return r == 1 || r == 3
}

// choose picks the worker count for m elements of cost c given the
// model's choice k0 and the worker cap w, from what the entry for (c, m)
// has recorded; with explore it may pick a neighbour instead, and it sets
// p.e so that For records the call.
func (s *Scheduler) choose(m int, c *Cost, k0, w int, explore bool, p *plan) int {
	key := obsKey{kernel: c.Kernel, bytes: c.Bytes, ops: c.Ops, ns: c.Ns, class: sizeClass(m)}
	e := s.obs.lookup(&key, explore)
	if e == nil {
		return k0
	}
	if explore {
		p.e = e
	}
	best, bestNs := 0, math.Inf(1)
	for i := range e.cells {
		cl := &e.cells[i]
		k := int(cl.k.Load())
		if k < 1 || k > w || cl.n.Load() == 0 {
			continue
		}
		if ns := math.Float64frombits(cl.ns.Load()); ns < bestNs {
			best, bestNs = k, ns
		}
	}
	if best == 0 {
		return k0
	}
	p.src, p.obsNs, p.est = srcObserved, bestNs, bestNs*float64(m)
	// The runner-up, for the Reason.
	for i := range e.cells {
		cl := &e.cells[i]
		k := int(cl.k.Load())
		if k < 1 || k > w || k == best || cl.n.Load() == 0 {
			continue
		}
		if ns := math.Float64frombits(cl.ns.Load()); p.altK == 0 || ns < p.altNs {
			p.altK, p.altNs = k, ns
		}
	}
	callNs := bestNs * float64(m)
	if !explore {
		return best
	}
	// The gap follows the current best's call time, so it shrinks as
	// soon as a faster plan is found.
	now := s.now()
	last := e.lastExplore.Load()
	cand := s.neighbour(e, best, w)
	if cand == 0 {
		return best
	}
	young := false
	if cl := e.find(cand); cl != nil {
		n := cl.n.Load()
		young = (n == 1 && cand == k0) || (n < youngSamples && callNs < youngMaxNs)
	}
	if !young && last != 0 && now-last < max(int64(exploreMinGap), int64(exploreCalls*callNs)) {
		return best
	}
	if cand > best {
		if !e.armed.Load() {
			// Wake the helpers now; a coming call tries them warm.
			if e.armed.CompareAndSwap(false, true) {
				e.armedWakes.Store(s.wakes.Load())
				e.armedAt.Store(now)
				s.prewarm(cand - 1)
			}
			return best
		}
		if s.wakes.Load() == e.armedWakes.Load() && now-e.armedAt.Load() < int64(armWait) {
			return best // no helper has woken yet
		}
	}
	if !e.lastExplore.CompareAndSwap(last, now) {
		return best // another caller is exploring
	}
	e.armed.Store(false)
	e.explored.Add(1)
	p.src, p.altK, p.altNs = srcExplored, best, bestNs
	p.obsNs = 0
	if cl := e.find(cand); cl != nil && cl.n.Load() > 0 {
		p.obsNs = math.Float64frombits(cl.ns.Load())
	}
	return cand
}

// neighbour returns the ladder neighbour of best to try next: one never
// tried first, else the one tried longest ago; 0 when w == 1.
func (s *Scheduler) neighbour(e *entry, best, w int) int {
	down, up := ladderDown(best), ladderUp(best, w)
	age := func(k int) int64 {
		if k == 0 {
			return -1
		}
		cl := e.find(k)
		if cl == nil || cl.n.Load() == 0 {
			return math.MaxInt64
		}
		return s.now() - cl.at.Load()
	}
	if age(up) > age(down) {
		return up
	}
	return down
}

// observe records that the call planned as p took d for n elements.
func (s *Scheduler) observe(p *plan, n int, d time.Duration) {
	e := p.e
	e.calls.Add(1)
	e.lastK.Store(int64(p.workers))
	sample := float64(d.Nanoseconds()) / float64(n)
	if sample <= 0 {
		return
	}
	cl := e.claim(p.workers)
	now := s.now()
	old := math.Float64frombits(cl.ns.Load())
	stale := max(int64(staleMin), int64(staleCalls*float64(d)))
	v := sample
	switch n := cl.n.Load(); {
	case n > 0 && n < youngSamples:
		// Best of the first few: the first call of a worker count may
		// have started or woken its workers.
		v = min(old, sample)
	case n > 0 && now-cl.at.Load() <= stale:
		wt := slowWeight
		if sample < old {
			wt = fastWeight
		}
		v = old + float64(wt*(sample-old))
	}
	cl.ns.Store(math.Float64bits(v))
	cl.at.Store(now)
	cl.n.Add(1)
}

// Stats is a snapshot of what a Scheduler has learned: one Observation per
// kernel and size class it has recorded calls of.
type Stats struct {
	Workers      int // the current worker cap
	Observations []Observation
}

// Observation is what the Scheduler knows of one kernel at one size.
type Observation struct {
	Kernel string // Cost.Kernel ("" for unnamed work)
	Bytes  float64
	Ops    float64
	// MinN and MaxN bound the call sizes of this size class.
	MinN, MaxN int
	Calls      int64 // calls recorded
	Explored   int64 // of which ran a neighbouring worker count
	Best       int   // the worker count plans use now
	Cells      []WorkerObservation
}

// WorkerObservation is the recorded speed with one worker count.
type WorkerObservation struct {
	Workers   int
	NsPerElem float64       // wall time per element, smoothed
	Samples   int64         // calls that ran with this many workers
	Age       time.Duration // since the latest of them
}

// Stats returns a snapshot of the observations the planner decides from,
// sorted by kernel and size. It allocates; it is for diagnostics (go run
// ./bench prints it).
func (s *Scheduler) Stats() Stats {
	st := Stats{Workers: s.Workers()}
	now := s.now()
	for i := range s.obs.slots {
		e := s.obs.slots[i].Load()
		if e == nil {
			continue
		}
		o := Observation{Kernel: e.key.kernel, Bytes: e.key.bytes, Ops: e.key.ops, Calls: e.calls.Load(), Explored: e.explored.Load()}
		if c := e.key.class; c > 0 {
			o.MinN = 1 << (c - 1)
			o.MaxN = o.MinN<<1 - 1
		}
		bestNs := math.Inf(1)
		for j := range e.cells {
			cl := &e.cells[j]
			k, n := int(cl.k.Load()), cl.n.Load()
			if k == 0 || n == 0 {
				continue
			}
			w := WorkerObservation{Workers: k, NsPerElem: math.Float64frombits(cl.ns.Load()), Samples: n, Age: time.Duration(now - cl.at.Load())}
			o.Cells = append(o.Cells, w)
			if k <= st.Workers && w.NsPerElem < bestNs {
				o.Best, bestNs = k, w.NsPerElem
			}
		}
		sort.Slice(o.Cells, func(a, b int) bool { return o.Cells[a].Workers < o.Cells[b].Workers })
		st.Observations = append(st.Observations, o)
	}
	sort.Slice(st.Observations, func(a, b int) bool {
		x, y := st.Observations[a], st.Observations[b]
		if x.Kernel != y.Kernel {
			return x.Kernel < y.Kernel
		}
		if x.Bytes != y.Bytes {
			return x.Bytes < y.Bytes
		}
		return x.MinN < y.MinN
	})
	return st
}

// String formats the snapshot as a table, one line per kernel and size.
func (st Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %-13s %7s %6s %5s  %s\n", "kernel", "n", "calls", "tried", "best", "ns/element by workers (samples, age)")
	for _, o := range st.Observations {
		name := o.Kernel
		if name == "" {
			name = fmt.Sprintf("(%gB %gop)", o.Bytes, o.Ops)
		}
		fmt.Fprintf(&b, "%-14s %-13s %7d %6d %5d ", name, fmt.Sprintf("%s–%s", shortN(o.MinN), shortN(o.MaxN)), o.Calls, o.Explored, o.Best)
		for _, c := range o.Cells {
			fmt.Fprintf(&b, " %dw %.3g (%d, %s)", c.Workers, c.NsPerElem, c.Samples, fmtDur(c.Age))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func shortN(n int) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.3gG", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.3gM", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.3gK", float64(n)/(1<<10))
	}
	return fmt.Sprint(n)
}
