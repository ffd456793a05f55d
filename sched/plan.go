package sched

import (
	"fmt"
	"time"
)

// Cost describes the work per element of a kernel, for the planner.
//
// The zero Cost{} means "unknown" (a user function): For then starts every
// worker on small chunks that grow until each takes about 20 µs.
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
	// Kernel names the work: the pprof label "kernel" under which the
	// blocks run, and, with Bytes, Ops and Ns, the key under which the
	// Scheduler remembers how fast calls of it ran.
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
	// consulting anything (it cannot pay for waking a worker).
	tinyBytes = 32 << 10
)

// Plan is the planner's decision for one call.
type Plan struct {
	Workers int  // goroutines that run blocks, the caller included
	Block   int  // elements per block (the first and last may be shorter); 0 when adaptive
	Blocks  int  // number of blocks; 0 when adaptive
	Serial  bool // Workers == 1
	// Estimate is the expected run time of the call: observed when
	// Source is "observed" or "explored", modelled otherwise.
	Estimate time.Duration
	// Kind names the decision in one word: "empty", "tiny",
	// "one-worker", "overhead", "no-bandwidth", "no-gain", "parallel",
	// "forced" or "adaptive" (unknown cost: chunks grow as they are timed).
	Kind string
	// Source says where the worker count came from: "rule" (empty, tiny,
	// forced, one worker, adaptive), "prior" (the model: Topology,
	// bandwidth, Cost — nothing observed yet), "observed" (the fastest
	// worker count seen for this kernel and size), or "explored" (a
	// neighbouring worker count tried now and then, to notice when
	// the machine's load changes).
	Source string
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
	rNoGain
	rParallel
	rForced
	rAdaptive
)

var reasonKinds = [...]string{rEmpty: "empty", rTiny: "tiny", rOneWorker: "one-worker", rOverhead: "overhead",
	rNoBandwidth: "no-bandwidth", rNoGain: "no-gain", rParallel: "parallel", rForced: "forced", rAdaptive: "adaptive"}

type source uint8

const (
	srcRule source = iota
	srcPrior
	srcObserved
	srcExplored
)

var sourceNames = [...]string{srcRule: "rule", srcPrior: "prior", srcObserved: "observed", srcExplored: "explored"}

// plan is the allocation-free core of Plan.
type plan struct {
	workers, block, blocks int
	phase                  int // elements the first element lies past a cache-line start
	est, serialEst         float64
	why                    reason
	src                    source
	adaptive               bool
	bytes                  float64
	e                      *entry // where For records the call's time (nil: it does not)
	obsNs, altNs           float64
	altK                   int
}

// unknown reports whether c carries no information at all.
func (c Cost) unknown() bool { return c.Bytes == 0 && c.Ops == 0 && c.Ns == 0 }

func (c Cost) elem() int {
	if c.Elem > 0 {
		return c.Elem
	}
	return 8
}

// lineElems is how many output elements fill one cache line.
func (s *Scheduler) lineElems(c Cost) int {
	return max(1, s.topo.CacheLine/c.elem())
}

// phaseOf is how many elements output element 0 lies past the start of its
// cache line, when the cost carries an address.
func (s *Scheduler) phaseOf(c Cost) int {
	if c.Align == 0 {
		return 0
	}
	line := uintptr(s.topo.CacheLine)
	e := uintptr(c.elem())
	if c.Align%e != 0 {
		return 0
	}
	return int(c.Align % line / e)
}

// perElem returns the modelled nanoseconds per element with k workers:
// the larger of the memory time (cache-resident or DRAM bandwidth) and
// the compute time.
func (s *Scheduler) perElem(n int, c Cost, k int, bw Bandwidth) float64 {
	var mem float64
	if c.Bytes > 0 {
		if float64(n)*c.Bytes <= float64(s.topo.LastLevelCache()) {
			mem = c.Bytes / (float64(k) * bw.Cache) * 1e9
		} else {
			mem = c.Bytes / bw.at(k) * 1e9
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
	return float64(float64(m)*s.perElem(m, c, k, bw)) + s.overhead(k)
}

// makePlan plans n elements of cost c. With explore (For, not Plan) it may
// record the call and try a neighbouring worker count.
func (s *Scheduler) makePlan(n int, c *Cost, p *plan, explore bool) {
	s.planBlocks(n, c, p, explore)
	if p.blocks <= 1 && !p.adaptive {
		// One block is the whole range: nothing to align.
		p.phase, p.block = 0, n
	}
}

func (s *Scheduler) planBlocks(m int, c *Cost, p *plan, explore bool) {
	*p = plan{workers: 1, block: m, blocks: 1, bytes: c.Bytes}
	if m <= 0 {
		p.block, p.blocks, p.why = 0, 0, rEmpty
		return
	}
	if s.tiny(m, c) {
		p.why = rTiny
		return
	}
	W := s.Workers()
	p.phase = s.phaseOf(*c)
	line := s.lineElems(*c)
	if s.block > 0 {
		b := s.block
		if b%line != 0 {
			p.phase = 0
		}
		p.block = b
		p.blocks = ceilDiv(m, p.phase, b)
		p.workers = min(W, p.blocks)
		p.why = rForced
		return
	}
	if c.unknown() {
		if W > 1 && m > 1 {
			p.workers, p.block, p.blocks, p.adaptive, p.why = min(W, m), 0, 0, true, rAdaptive
			return
		}
		p.why = rOneWorker
		return
	}
	if W == 1 {
		p.why = rOneWorker
		p.block, p.blocks = s.cacheBlock(*c, line, m, p.phase)
		return
	}
	bw := s.Bandwidth()
	t1 := s.total(m, *c, 1, bw)
	p.serialEst, p.est = t1, t1
	best := t1
	for k := 2; k <= W; k++ {
		best = min(best, s.total(m, *c, k, bw))
	}
	// The fewest workers within 5% of the best time: workers that buy
	// nothing only add contention for the others.
	k := 1
	for s.total(m, *c, k, bw) > best*1.05 {
		k++
	}
	p.src = srcPrior
	if s.learn && t1 >= learnMinNs {
		k = s.choose(m, c, k, W, explore, p)
	}
	if k == 1 {
		switch {
		case p.src == srcObserved || p.src == srcExplored:
			p.why = rNoGain
		case t1 < 4*float64(s.topo.ForkJoin.Nanoseconds()):
			p.why = rOverhead
		default:
			p.why = rNoBandwidth
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
	bal := roundUp(m/(4*k)+1, line)
	long := roundUp(max(1, int(float64(maxBlockTime.Nanoseconds())/perNs)), line)
	b = min(b, bal, long)
	// ... and none so small that handing it out costs more than it does.
	minB := roundUp(int(float64(minBlockTime.Nanoseconds())/perNs)+1, line)
	b = max(b, minB, line)
	p.block = b
	p.blocks = ceilDiv(m, p.phase, b)
	p.workers = min(k, p.blocks)
	if p.src == srcPrior {
		p.est = s.total(m, *c, p.workers, bw)
	}
	p.why = rParallel
	if p.workers == 1 {
		p.why = rOverhead
	}
}

// ceilDiv is ⌈(m + phase) / b⌉ without overflow for m near math.MaxInt.
func ceilDiv(m, phase, b int) int {
	return int((uint(m) + uint(phase) + uint(b) - 1) / uint(b))
}

// tiny reports whether m elements of cost c are too little work to pay for
// waking a worker, judged from the cost alone: under 32 KiB of traffic and
// under one fork-join of arithmetic. An unknown cost is never tiny.
func (s *Scheduler) tiny(m int, c *Cost) bool {
	return s.block == 0 && !c.unknown() && s.wcap.Load() > 1 && float64(m)*c.Bytes < tinyBytes &&
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
	b := int(float64(s.topo.L2/2) / max(c.Bytes, 1))
	b = max(line, b/line*line)
	if uint(b) >= uint(m)+uint(phase) {
		return m, 1
	}
	return b, ceilDiv(m, phase, b)
}

func roundUp(x, m int) int { return (x + m - 1) / m * m }

// Plan returns the decision the Scheduler would take now for n elements of
// work of cost c, with where it came from (Source) and a human-readable
// Reason. It never explores: a For call may try a neighbouring worker count
// where Plan reports the observed best. It panics if n < 0.
func (s *Scheduler) Plan(n int, c Cost) Plan {
	if n < 0 {
		panic("sched.Plan: negative n")
	}
	var p plan
	s.makePlan(n, &c, &p, false)
	return s.describe(n, c, &p)
}

func (s *Scheduler) describe(n int, c Cost, p *plan) Plan {
	out := Plan{Kind: reasonKinds[p.why], Source: sourceNames[p.src], Workers: p.workers, Block: p.block, Blocks: p.blocks,
		Serial: p.workers <= 1, Estimate: time.Duration(p.est)}
	if p.adaptive {
		out.Block, out.Blocks = 0, 0
	}
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
	case rNoGain:
		out.Reason = fmt.Sprintf("serial: 1 worker ran %.3g ns/element", p.obsNs)
	case rParallel:
		out.Reason = fmt.Sprintf("parallel: %d workers × %d blocks of %d, ≈ %s instead of %s serial", p.workers, p.blocks, p.block, fmtDur(time.Duration(p.est)), fmtDur(work))
		if p.src != srcPrior {
			out.Reason = fmt.Sprintf("parallel: %d workers × %d blocks of %d; %d workers ran %.3g ns/element", p.workers, p.blocks, p.block, p.workers, p.obsNs)
		}
	case rForced:
		out.Reason = fmt.Sprintf("block size %d set by WithBlockSize: %d workers × %d blocks", p.block, p.workers, p.blocks)
	case rAdaptive:
		out.Reason = fmt.Sprintf("adaptive: cost unknown; %d workers take chunks that grow from 1 element until each takes ≈ %s", p.workers, fmtDur(probeTarget))
	}
	switch p.src {
	case srcObserved:
		if p.altK > 0 {
			out.Reason += fmt.Sprintf(", %d ran %.3g (observed)", p.altK, p.altNs)
		} else {
			out.Reason += " (observed)"
		}
	case srcExplored:
		out.Reason = "exploring: " + out.Reason
		if p.altK > 0 {
			out.Reason += fmt.Sprintf(" when last tried; best seen: %d workers at %.3g", p.altK, p.altNs)
		} else {
			out.Reason += " (not tried yet)"
		}
	case srcPrior:
		out.Reason += " (prior: nothing observed yet)"
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
