package sched

import (
	"context"
	"strings"
	"testing"
)

func sim(cores, l2, l3 int, bw Bandwidth) *Scheduler {
	return New(WithTopology(Topology{Workers: cores, PhysicalCores: cores, LogicalCores: cores,
		L1D: 32 << 10, L2: l2, L3: l3, CacheLine: 64, Bandwidth: bw}))
}

var (
	addCost = Cost{Bytes: 24, Ops: 1}
	// This machine as measured by the STREAM: 2 threads double it.
	bw2Scales = Bandwidth{One: 15e9, All: 29e9, Workers: 2, Cache: 60e9}
	// One core already saturates memory.
	bw2Saturated = Bandwidth{One: 20e9, All: 20.5e9, Workers: 2, Cache: 60e9}
	// A 16-core server whose memory saturates at 8 cores.
	bw16 = Bandwidth{One: 10e9, All: 80e9, Workers: 16, Cache: 50e9}
	// A 64-core server saturating at ~16 cores.
	bw64 = Bandwidth{One: 12e9, All: 200e9, Workers: 64, Cache: 50e9}
)

func TestPlanSimulatedTopologies(t *testing.T) {
	tests := []struct {
		name       string
		s          *Scheduler
		n          int
		c          Cost
		serial     bool
		workers    int // 0: don't check
		maxWorkers int
		reasonHas  string
		minWorkers int
	}{
		{"2 cores, empty", sim(2, 1<<20, 32<<20, bw2Scales), 0, addCost, true, 1, 1, "no elements", 0},
		{"2 cores, small add stays serial", sim(2, 1<<20, 32<<20, bw2Scales), 4096, addCost, true, 1, 1, "below the parallel overhead", 0},
		{"2 cores, unknown cost adapts", sim(2, 1<<20, 32<<20, bw2Scales), 1000, Cost{}, false, 2, 2, "adaptive", 0},
		{"2 cores, one unknown item", sim(2, 1<<20, 32<<20, bw2Scales), 1, Cost{}, true, 1, 1, "serial", 0},
		{"2 cores, DRAM add scales", sim(2, 1<<20, 32<<20, bw2Scales), 100_000_000, addCost, false, 2, 2, "parallel", 0},
		{"2 cores, DRAM add saturated at 1 core", sim(2, 1<<20, 32<<20, bw2Saturated), 100_000_000, addCost, true, 1, 1, "add no bandwidth", 0},
		{"2 cores, saturated but compute-bound", sim(2, 1<<20, 32<<20, bw2Saturated), 10_000_000, Cost{Bytes: 16, Ops: 40}, false, 2, 2, "parallel", 0},
		{"16 cores, DRAM add saturates at 8", sim(16, 1<<20, 32<<20, bw16), 100_000_000, addCost, false, 8, 8, "parallel", 0},
		{"16 cores, in-cache add uses some", sim(16, 1<<20, 32<<20, bw16), 200_000, addCost, false, 0, 15, "parallel", 0},
		{"64 cores, compute-bound uses all", sim(64, 256<<10, 64<<20, bw64), 1_000_000, Cost{Bytes: 16, Ops: 100}, false, 0, 64, "parallel", 56},
		{"64 cores, DRAM add stops at bandwidth", sim(64, 4<<20, 256<<20, bw64), 400_000_000, addCost, false, 0, 17, "parallel", 16},
		{"64 cores, small add serial", sim(64, 256<<10, 64<<20, bw64), 2048, addCost, true, 1, 1, "serial", 0},
		{"expensive items one per block", sim(16, 1<<20, 32<<20, bw16), 40, Cost{Ns: 1e6}, false, 16, 16, "parallel", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.s.Plan(tt.n, tt.c)
			t.Log(p.Reason)
			if p.Serial != tt.serial || (tt.workers > 0 && p.Workers != tt.workers) || p.Workers > tt.maxWorkers || p.Workers < tt.minWorkers {
				t.Fatalf("plan %+v; want serial=%v workers=%d (≤ %d)", p, tt.serial, tt.workers, tt.maxWorkers)
			}
			if !strings.Contains(p.Reason, tt.reasonHas) {
				t.Fatalf("reason %q lacks %q", p.Reason, tt.reasonHas)
			}
			if p.Kind != "adaptive" && (p.Blocks*p.Block < tt.n || (p.Blocks > 0 && (p.Blocks-1)*p.Block >= tt.n+p.Block)) {
				t.Fatalf("blocks %d × %d do not cover %d", p.Blocks, p.Block, tt.n)
			}
			if !p.Serial && p.Kind != "adaptive" && p.Blocks < p.Workers {
				t.Fatalf("%d workers for %d blocks", p.Workers, p.Blocks)
			}
		})
	}
}

func TestPlanBlocksAreCacheSized(t *testing.T) {
	for _, l2 := range []int{256 << 10, 1 << 20, 4 << 20} {
		for _, cores := range []int{2, 16, 64} {
			s := sim(cores, l2, 64<<20, Bandwidth{One: 10e9, All: float64(cores) * 10e9, Workers: cores, Cache: 50e9})
			p := s.Plan(500_000_000, addCost)
			if p.Serial {
				t.Fatalf("L2 %d, %d cores: serial for 5e8 scaling elements: %s", l2, cores, p.Reason)
			}
			if p.Block%8 != 0 {
				t.Errorf("L2 %d: block %d is not a whole number of cache lines", l2, p.Block)
			}
			if bytes := p.Block * 24; bytes > l2/2 || bytes < l2/4 {
				t.Errorf("L2 %d, %d cores: block of %d elements moves %d bytes, want about L2/2", l2, cores, p.Block, bytes)
			}
		}
	}
	// Expensive elements: blocks of one, not a cache line of 8.
	p := sim(16, 1<<20, 32<<20, bw16).Plan(40, Cost{Ns: 1e6})
	if p.Block != 1 {
		t.Fatalf("expensive elements: block %d, want 1", p.Block)
	}
}

func TestTopologyFallbacks(t *testing.T) {
	d := Detect()
	if d.Workers < 1 || d.L1D <= 0 || d.L2 <= 0 || d.L3 < 0 || d.CacheLine <= 0 || d.LogicalCores <= 0 || d.PhysicalCores <= 0 {
		t.Fatalf("Detect() has a zero field: %+v", d)
	}
	z := Topology{L1D: -1, L2: -1, L3: -1, CacheLine: 0}.withDefaults()
	if z.L1D != DefaultL1D || z.L2 != DefaultL2 || z.L3 != DefaultL3 || z.CacheLine != DefaultCacheLine || z.Workers < 1 || z.ForkJoin != DefaultForkJoin {
		t.Fatalf("fallbacks not applied: %+v", z)
	}
}

func TestCalibrate(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the machine")
	}
	b := Calibrate()
	if b.One <= 0 || b.All <= 0 || b.Cache <= 0 || b.Workers < 1 {
		t.Fatalf("calibration: %+v", b)
	}
	if Calibrate() != b {
		t.Fatal("Calibrate must cache its result")
	}
	t.Log(b)
}

func TestLastPlan(t *testing.T) {
	s := New(WithPlanLog(), WithoutLearning(), WithTopology(Topology{Workers: 2, L2: 1 << 20, L3: 32 << 20, Bandwidth: bw2Scales}))
	defer s.Close()
	if _, ok := s.LastPlan(); ok {
		t.Fatal("LastPlan before any call")
	}
	_ = s.For(context.Background(), 10_000_000, addCost, func(lo, hi int) {})
	p, ok := s.LastPlan()
	if !ok || p.Kind != "parallel" || p.Workers != 2 || p != s.Plan(10_000_000, addCost) {
		t.Fatalf("LastPlan = %+v, %v", p, ok)
	}
	_ = s.For(context.Background(), 10, addCost, func(lo, hi int) {})
	if p, _ := s.LastPlan(); p.Kind != "tiny" || !p.Serial {
		t.Fatalf("LastPlan after a tiny call = %+v", p)
	}
	s.ResetPlanLog()
	if _, ok := s.LastPlan(); ok {
		t.Fatal("LastPlan after ResetPlanLog")
	}
}

func TestTinyAgreesWithPlan(t *testing.T) {
	for _, s := range []*Scheduler{
		sim(2, 1<<20, 32<<20, bw2Scales), sim(64, 256<<10, 64<<20, bw64),
		New(WithWorkers(1), WithTopology(Topology{Bandwidth: bw2Scales})),
		New(WithBlockSize(64), WithTopology(Topology{Workers: 2, Bandwidth: bw2Scales})),
	} {
		for _, n := range []int{0, 1, 100, 1000, 1365, 1366, 4096, 100_000} {
			for _, c := range []Cost{addCost, {Bytes: 16, Ops: 40}, {Ns: 1e4}, {}} {
				if got, want := s.Tiny(n, c), s.Plan(n, c).Kind == "tiny"; got != want {
					t.Errorf("workers %d n=%d cost %+v: Tiny %v, Plan says %q", s.Workers(), n, c, got, s.Plan(n, c).Kind)
				}
			}
		}
	}
}
