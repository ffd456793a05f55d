package sched

import (
	"fmt"
	"time"
)

// Cost describes the work per element of a kernel, for the planner.
//
// The zero Cost{} means "unknown" (a user function): Plan then assumes at
// least a streaming kernel's cost (16 bytes moved per element), and For
// refines the decision by timing the first elements on the caller.
type Cost struct {
	// Bytes moved to or from memory per element, reads plus writes
	// (c = a + b on float64: 24).
	Bytes float64
	// Ops is the arithmetic per element, in floating-point operations.
	Ops float64
	// Ns is the measured time per element on one worker, in nanoseconds,
	// when known (it then overrides Ops).
	Ns float64
	// Align is the address of output element 0. When non-zero, block
	// edges fall on cache-line boundaries of that output, so no two
	// workers write to the same line (array.Array.Addr gives it).
	Align uintptr
	// Elem is the size in bytes of one output element (default 8).
	Elem int
	// Kernel, when set, is the value of the pprof label "kernel" under
	// which the blocks run.
	Kernel string
}

const (
	// nsPerOp is the planner's time per arithmetic operation on one
	// core: a conservative scalar rate of 4 operations per nanosecond.
	nsPerOp = 0.25
	// minBlockTime is the least work the planner puts in one block, so
	// that handing out a block (one atomic add) stays negligible.
	minBlockTime = 2 * time.Microsecond
	// maxBlockTime bounds the work in one block where elements are
	// expensive, so that the last blocks do not leave workers idle long.
	maxBlockTime = time.Millisecond
	// expensiveNs: an element at least this costly is planned without
	// regard to cache lines (false sharing of a line costs ~100 ns).
	expensiveNs = 500
	// tinyBytes: below this much traffic, work is serial without
	// consulting the calibration (it cannot pay for waking a worker).
	tinyBytes = 32 << 10
	// streamBytes is the cost assumed for an unknown kernel: one read
	// and one write of a float64 per element.
	streamBytes = 16
)

// Plan is the planner's decision for one call.
type Plan struct {
	Workers int  // goroutines that run blocks, the caller included
	Block   int  // elements per block (the first and last may be shorter)
	Blocks  int  // number of blocks
	Serial  bool // Workers == 1
	// Estimate is the modelled run time of the call.
	Estimate time.Duration
	// Kind names the decision in one word: "empty", "tiny",
	// "one-worker", "overhead", "no-bandwidth", "parallel", "forced", or
	// "probed" (For ran everything while timing an unknown cost).
	Kind string
	// Reason says in words why, e.g. "serial: 4096 elements ≈ 2 µs of
	// work, below the parallel overhead (5 µs)".
	Reason string
}

func (p Plan) String() string { return p.Reason }

type reason uint8

const (
	rEmpty reason = iota
	rTiny
	rOneWorker
	rOverhead
	rNoBandwidth
	rParallel
	rForced
	rProbed
)

// plan is the allocation-free core of Plan.
type plan struct {
	workers, block, blocks int
	phase                  int // elements the first element lies past a cache-line start
	est, serialEst         float64
	why                    reason
	bytes                  float64
}

// unknown reports whether c carries no information at all.
func (c Cost) unknown() bool { return c.Bytes == 0 && c.Ops == 0 && c.Ns == 0 }

func (c Cost) elem() int {
	if c.Elem > 0 {
		return c.Elem
	}
	return 8
}

func (c Cost) bytes() float64 {
	if c.unknown() {
		return streamBytes
	}
	return c.Bytes
}

// lineElems is how many output elements fill one cache line.
func (s *Scheduler) lineElems(c Cost) int {
	return max(1, s.topo.CacheLine/c.elem())
}

// phaseOf is how many elements output element `start` lies past the start
// of its cache line, when the cost carries an address.
func (s *Scheduler) phaseOf(c Cost, start int) int {
	if c.Align == 0 {
		return 0
	}
	line := uintptr(s.topo.CacheLine)
	e := uintptr(c.elem())
	addr := c.Align + uintptr(start)*e
	if addr%e != 0 {
		return 0
	}
	return int(addr % line / e)
}

// perElem returns the modelled nanoseconds per element with k workers:
// the larger of the memory time (cache-resident or DRAM bandwidth) and
// the compute time.
func (s *Scheduler) perElem(n int, c Cost, k int, bw Bandwidth) float64 {
	bytes := c.bytes()
	var mem float64
	if bytes > 0 {
		cache := float64(s.topo.L3)
		if cache == 0 {
			cache = float64(s.topo.L2 * s.topo.Workers)
		}
		if float64(n)*bytes <= cache {
			mem = bytes / (float64(k) * bw.Cache) * 1e9
		} else {
			mem = bytes / bw.at(k) * 1e9
		}
	}
	comp := c.Ops * nsPerOp
	if c.Ns > 0 {
		comp = c.Ns
	}
	return max(mem, comp/float64(k))
}

// overhead is the modelled cost of a parallel call with k workers.
func (s *Scheduler) overhead(k int) float64 {
	if k <= 1 {
		return 0
	}
	fj := float64(s.topo.ForkJoin.Nanoseconds())
	return fj + float64(k-2)*fj/10
}

// total is the modelled time of m elements on k workers.
func (s *Scheduler) total(m int, c Cost, k int, bw Bandwidth) float64 {
	return float64(m)*s.perElem(m, c, k, bw) + s.overhead(k)
}

// makePlan plans elements [start, n) of the output (start > 0 when For has
// already run some elements while timing them).
func (s *Scheduler) makePlan(start, n int, c *Cost, p *plan) {
	s.planBlocks(start, n, c, p)
	if p.blocks <= 1 {
		// One block is the whole range: nothing to align.
		p.phase, p.block = 0, n-start
	}
}

func (s *Scheduler) planBlocks(start, n int, c *Cost, p *plan) {
	m := n - start
	*p = plan{workers: 1, block: m, blocks: 1, bytes: c.bytes()}
	if m <= 0 {
		p.block, p.blocks, p.why = 0, 0, rEmpty
		return
	}
	if s.tiny(m, c) {
		p.why = rTiny
		return
	}
	p.phase = s.phaseOf(*c, start)
	line := s.lineElems(*c)
	if s.block > 0 {
		b := s.block
		if b%line != 0 {
			p.phase = 0
		}
		p.block, p.blocks = b, (m+p.phase+b-1)/b
		p.workers = min(s.workers, p.blocks)
		p.why = rForced
		return
	}
	if s.workers == 1 {
		p.why = rOneWorker
		p.block, p.blocks = s.cacheBlock(*c, line, m, p.phase)
		return
	}
	bw := s.Bandwidth()
	t1 := s.total(m, *c, 1, bw)
	p.serialEst, p.est = t1, t1
	best := t1
	for k := 2; k <= s.workers; k++ {
		best = min(best, s.total(m, *c, k, bw))
	}
	// The fewest workers within 5% of the best time: workers that buy
	// nothing only add contention for the others.
	k := 1
	for s.total(m, *c, k, bw) > best*1.05 {
		k++
	}
	if k == 1 {
		p.why = rNoBandwidth
		if t1 < 4*float64(s.topo.ForkJoin.Nanoseconds()) {
			p.why = rOverhead
		}
		p.block, p.blocks = s.cacheBlock(*c, line, m, p.phase)
		return
	}
	perNs := s.perElem(m, *c, 1, bw)
	if perNs >= expensiveNs {
		line, p.phase = 1, 0
	}
	b, _ := s.cacheBlock(*c, line, m, p.phase)
	// At least 4 blocks per worker so that uneven blocks balance, none
	// much longer than maxBlockTime ...
	bal := roundUp((m+4*k-1)/(4*k), line)
	long := roundUp(max(1, int(float64(maxBlockTime.Nanoseconds())/perNs)), line)
	b = min(b, bal, long)
	// ... and none so small that handing it out costs more than it does.
	minB := roundUp(int(float64(minBlockTime.Nanoseconds())/perNs)+1, line)
	b = max(b, minB, line)
	p.block = b
	p.blocks = (m + p.phase + b - 1) / b
	p.workers = min(k, p.blocks)
	p.est = s.total(m, *c, p.workers, bw)
	p.why = rParallel
	if p.workers == 1 {
		p.why = rOverhead
	}
}

// tiny reports whether m elements of cost c are too little work to pay for
// waking a worker, judged without the calibration: under 32 KiB of traffic
// and under one fork-join of arithmetic.
func (s *Scheduler) tiny(m int, c *Cost) bool {
	return s.block == 0 && s.workers > 1 && float64(m)*c.bytes() < tinyBytes &&
		float64(m)*max(c.Ops*nsPerOp, c.Ns) < float64(s.topo.ForkJoin.Nanoseconds())
}

// Tiny reports whether For would run n elements of cost c on the caller
// in one block without consulting anything else (Plan's "tiny" case), so
// that a kernel may compute them in place of calling For. It measures
// nothing and allocates nothing.
func (s *Scheduler) Tiny(n int, c Cost) bool { return n > 0 && s.tiny(n, &c) }

// cacheBlock is the automatic block size: half an L2 of traffic per block,
// a whole number of cache lines.
func (s *Scheduler) cacheBlock(c Cost, line, m, phase int) (block, blocks int) {
	b := int(float64(s.topo.L2/2) / max(c.bytes(), 1))
	b = max(line, b/line*line)
	if b >= m+phase {
		return m, 1
	}
	return b, (m + phase + b - 1) / b
}

func roundUp(x, m int) int { return (x + m - 1) / m * m }

var reasonKinds = [...]string{rEmpty: "empty", rTiny: "tiny", rOneWorker: "one-worker", rOverhead: "overhead",
	rNoBandwidth: "no-bandwidth", rParallel: "parallel", rForced: "forced", rProbed: "probed"}

// Plan returns the decision the Scheduler would take for n elements of work
// of cost c, with a human-readable Reason. It panics if n < 0.
func (s *Scheduler) Plan(n int, c Cost) Plan {
	if n < 0 {
		panic("sched.Plan: negative n")
	}
	var p plan
	s.makePlan(0, n, &c, &p)
	return s.describe(n, c, &p)
}

func (s *Scheduler) describe(n int, c Cost, p *plan) Plan {
	out := Plan{Kind: reasonKinds[p.why], Workers: p.workers, Block: p.block, Blocks: p.blocks, Serial: p.workers <= 1,
		Estimate: time.Duration(p.est)}
	work := time.Duration(p.serialEst)
	switch p.why {
	case rEmpty:
		out.Reason = "serial: no elements"
	case rTiny:
		out.Reason = fmt.Sprintf("serial: %d elements move %s, too little to pay for waking a worker", n, bytesStr(int(float64(n)*p.bytes)))
	case rOneWorker:
		out.Reason = fmt.Sprintf("serial: 1 worker; %d blocks of %d", p.blocks, p.block)
	case rOverhead:
		out.Reason = fmt.Sprintf("serial: %d elements ≈ %s of work, below the parallel overhead (%s)", n, fmtDur(work), fmtDur(s.topo.ForkJoin))
	case rNoBandwidth:
		bw := s.Bandwidth()
		out.Reason = fmt.Sprintf("serial: memory-bound at %.1f GB/s; more workers add no bandwidth (%.1f GB/s with %d)", bw.One/1e9, bw.All/1e9, bw.Workers)
	case rParallel:
		out.Reason = fmt.Sprintf("parallel: %d workers × %d blocks of %d, ≈ %s instead of %s serial", p.workers, p.blocks, p.block, fmtDur(time.Duration(p.est)), fmtDur(work))
	case rForced:
		out.Reason = fmt.Sprintf("block size %d set by WithBlockSize: %d workers × %d blocks", p.block, p.workers, p.blocks)
	case rProbed:
		out.Reason = fmt.Sprintf("serial: all %d elements ran on the caller while For timed the unknown cost", n)
	}
	if c.unknown() && p.why != rEmpty && p.why != rForced && p.why != rProbed {
		out.Reason += " (cost unknown: assumed streaming; For times the first elements and re-plans)"
	}
	return out
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Microsecond:
		return fmt.Sprintf("%d ns", d.Nanoseconds())
	case d < time.Millisecond:
		return fmt.Sprintf("%.3g µs", float64(d.Nanoseconds())/1e3)
	case d < time.Second:
		return fmt.Sprintf("%.3g ms", float64(d.Nanoseconds())/1e6)
	}
	return fmt.Sprintf("%.3g s", d.Seconds())
}
