// Package sched decides how to split array work across cores and runs it on
// a persistent worker pool.
//
// A Scheduler turns "n elements of work of this Cost" into a Plan — how many
// workers, what block size, or serial — then runs the blocks with For. It
// measures nothing up front: its first plans come from a model of the
// machine's Topology (cores, caches, a bandwidth prior), and later ones from
// how fast its own calls ran with each worker count, per kernel and size.
// Since every kernel's result is the same whatever the plan, it also tries a
// neighbouring worker count now and then, so that a decision taken under
// load is revisited when the load goes (see Plan.Source and Stats). Every
// kernel in this module splits work through this package and nowhere else;
// docs/design.md describes the planner.
//
// # Errors and panics
//
// For, ForErr, Map, Imap and ForEach return errors: ctx.Err() when the
// context is cancelled; a *PanicError (errors.Is(err, ErrPanic)) naming the
// block or item when a body panics, with its stack; the function's own error
// wrapped in a *BlockError or *ItemError. The pool stays usable. A nil body
// or a negative n is a programmer error and panics, as does an invalid
// option value.
package sched

import (
	"fmt"
	"runtime"
	"time"

	"github.com/klauspost/cpuid/v2"
)

// Fallbacks used where cpuid reports nothing (some VMs, linux/arm64).
const (
	DefaultL1D       = 32 << 10
	DefaultL2        = 512 << 10
	DefaultL3        = 8 << 20
	DefaultCacheLine = 64
	// DefaultForkJoin is the planner's estimate of what waking helpers
	// and joining them costs per parallel call, when the Topology does
	// not say. BenchmarkForOverhead measures the real figure.
	DefaultForkJoin = 5 * time.Microsecond
)

// SIMD lists the vector instruction sets the kernels can dispatch on.
type SIMD struct {
	AVX2    bool // AVX2 and FMA3, with OS support for YMM state
	AVX512F bool // AVX-512 Foundation, with OS support for ZMM state
	FMA     bool
}

// Topology describes the machine the planner plans for. Detect fills it for
// this machine; tests and capacity planning build one by hand and pass it
// with WithTopology.
type Topology struct {
	Workers       int // parallel workers: runtime.GOMAXPROCS(0) when detected
	PhysicalCores int
	LogicalCores  int
	L1D           int // bytes per core
	L2            int // bytes per core
	L3            int // bytes, shared (0: no L3)
	CacheLine     int // bytes
	SIMD          SIMD
	Brand         string
	// ForkJoin is the cost of one parallel call (waking helpers, joining
	// them); zero means DefaultForkJoin.
	ForkJoin time.Duration
	// Bandwidth is the streaming bandwidth the planner's model assumes.
	// The zero value means PriorBandwidth(t): no measurement.
	Bandwidth Bandwidth
}

// LastLevelCache is the cache the planner and the streaming-store decision
// compare working sets with: L3, or all cores' L2 where there is no L3.
func (t Topology) LastLevelCache() int {
	if t.L3 > 0 {
		return t.L3
	}
	return t.L2 * max(1, t.Workers)
}

// Detect reports this machine's topology from cpuid and the Go runtime.
// Values cpuid cannot report fall back to the Default* constants, never 0.
// Bandwidth is left zero (a Scheduler then assumes PriorBandwidth).
func Detect() Topology {
	c := &cpuid.CPU
	t := Topology{
		Workers:       runtime.GOMAXPROCS(0),
		PhysicalCores: c.PhysicalCores,
		LogicalCores:  c.LogicalCores,
		L1D:           c.Cache.L1D,
		L2:            c.Cache.L2,
		L3:            c.Cache.L3,
		CacheLine:     c.CacheLine,
		Brand:         c.BrandName,
		SIMD: SIMD{
			AVX2:    c.Supports(cpuid.AVX2, cpuid.FMA3),
			AVX512F: c.Supports(cpuid.AVX512F, cpuid.AVX512DQ),
			FMA:     c.Supports(cpuid.FMA3),
		},
	}
	return t.withDefaults()
}

// withDefaults replaces unknown (≤ 0) fields by the documented fallbacks.
func (t Topology) withDefaults() Topology {
	if t.LogicalCores <= 0 {
		t.LogicalCores = runtime.NumCPU()
	}
	if t.PhysicalCores <= 0 {
		t.PhysicalCores = t.LogicalCores
	}
	if t.Workers <= 0 {
		t.Workers = runtime.GOMAXPROCS(0)
	}
	if t.L1D <= 0 {
		t.L1D = DefaultL1D
	}
	if t.L2 <= 0 {
		t.L2 = DefaultL2
	}
	if t.L3 < 0 {
		t.L3 = DefaultL3
	}
	if t.CacheLine <= 0 {
		t.CacheLine = DefaultCacheLine
	}
	if t.ForkJoin <= 0 {
		t.ForkJoin = DefaultForkJoin
	}
	return t
}

func (t Topology) String() string {
	return fmt.Sprintf("%s: %d workers (%d physical / %d logical cores), L1d %s, L2 %s, L3 %s, line %d B, AVX2 %v, AVX-512 %v",
		t.Brand, t.Workers, t.PhysicalCores, t.LogicalCores, bytesStr(t.L1D), bytesStr(t.L2), bytesStr(t.L3), t.CacheLine, t.SIMD.AVX2, t.SIMD.AVX512F)
}

func bytesStr(b int) string {
	switch {
	case b >= 1<<20 && b%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", b>>20)
	case b >= 1<<10:
		return fmt.Sprintf("%d KiB", b>>10)
	}
	return fmt.Sprintf("%d B", b)
}
