// Command bench measures blockwise on this machine: the machine's own
// limits (topology, calibrated bandwidth, a STREAM-style probe), then every
// kernel over sizes from L1 to DRAM, beside our own 1-worker run and, with
// -peers, numpy, numexpr, bottleneck and pandas measured in the same run.
//
//	go run ./bench                  # the full table (≤ 60 s)
//	go run ./bench -quick           # small sizes, for CI
//	go run ./bench -peers -plot out # with the Python peers and PNG charts
//
// See docs/performance.md for the results and docs/profiling.md for the
// profiling workflow.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blockwise/blockwise/internal/asm"
	"github.com/blockwise/blockwise/kernels"
	"github.com/blockwise/blockwise/sched"
)

type config struct {
	quick      bool
	peers      bool
	plotDir    string
	jsonFile   string
	cpuProfile string
	memProfile string
	traceFile  string
	run        *regexp.Regexp
	sizes      []int
	workers    int
	minTime    time.Duration
}

// Report is what -json writes.
type Report struct {
	Machine   machineInfo        `json:"machine"`
	Rows      []Row              `json:"rows"`
	ForJoinNs map[string]float64 `json:"fork_join_ns,omitempty"`
}

type machineInfo struct {
	Topology  string          `json:"topology"`
	Workers   int             `json:"workers"`
	ISA       string          `json:"isa"`
	Prior     sched.Bandwidth `json:"planner_prior"`
	Stream    streamResult    `json:"stream_gb_per_s"`
	GoVersion string          `json:"go"`
	Peers     string          `json:"peers,omitempty"`
}

func main() {
	var cfg config
	var runRe, sizes string
	flag.BoolVar(&cfg.quick, "quick", false, "small sizes and short timings (for CI)")
	flag.BoolVar(&cfg.peers, "peers", false, "also measure numpy, numexpr, bottleneck and pandas (via "+python+")")
	flag.StringVar(&cfg.plotDir, "plot", "", "write PNG charts into this directory")
	flag.StringVar(&cfg.jsonFile, "json", "", "write every row as JSON to this file")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile (samples carry workload and kernel labels)")
	flag.StringVar(&cfg.memProfile, "memprofile", "", "write a heap profile at the end")
	flag.StringVar(&cfg.traceFile, "trace", "", "write a runtime/trace execution trace")
	flag.StringVar(&runRe, "run", "", "only workloads whose name matches this regular expression")
	flag.StringVar(&sizes, "n", "", "comma-separated sizes, e.g. 1e3,1e6 (default: 1e3 … 1e7, and 1e8 for add and sum)")
	flag.IntVar(&cfg.workers, "workers", 0, "cap the workers (default: GOMAXPROCS)")
	flag.Parse()
	var err error
	if cfg.run, err = regexp.Compile(runRe); err != nil {
		fatal(err)
	}
	if sizes != "" {
		for _, f := range strings.Split(sizes, ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil || v < 1 {
				fatal(fmt.Errorf("-n: bad size %q", f))
			}
			cfg.sizes = append(cfg.sizes, int(v))
		}
	}
	cfg.minTime = 50 * time.Millisecond
	if cfg.quick {
		cfg.minTime = 5 * time.Millisecond
	}
	if err := run(cfg); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

func run(cfg config) error {
	start := time.Now()
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if cfg.traceFile != "" {
		f, err := os.Create(cfg.traceFile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := trace.Start(f); err != nil {
			return err
		}
		defer trace.Stop()
	}

	opts := []sched.Option{sched.WithPlanLog()}
	if cfg.workers > 0 {
		opts = append(opts, sched.WithWorkers(cfg.workers))
	}
	s := sched.New(opts...)
	defer s.Close()
	one := sched.New(sched.WithWorkers(1))
	defer one.Close()

	topo := s.Topology()
	fmt.Println("blockwise bench —", time.Now().Format("2006-01-02 15:04"), "—", runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
	fmt.Println("machine:   ", topo)
	fmt.Printf("SIMD:       %s (kernels use %s)\n", strings.Join(asm.ISAs(), ", "), asm.ISA())
	bw := s.Bandwidth()
	fmt.Println("planner:   ", "measures nothing up front; prior", bw.String()[:strings.Index(bw.String(), "; measured")], "— then learns from calls")
	streamN := 20_000_000
	reps := 5
	if cfg.quick {
		streamN, reps = 4_000_000, 3
	}
	st := streamProbe(s.Workers(), streamN, reps)
	fmt.Printf("STREAM:     copy %.1f / %.1f GB/s, add %.1f / %.1f GB/s, triad %.1f / %.1f GB/s (1 / %d workers, n = %s)\n",
		st.Copy1, st.CopyN, st.Add1, st.AddN, st.Triad1, st.TriadN, st.Workers, sizeStr(st.N))

	var peers *peerProc
	if cfg.peers {
		peers = startPeers()
		defer peers.close()
		if peers != nil {
			fmt.Println("peers:     ", peers.versions(), "via", python)
		}
	}
	report := Report{Machine: machineInfo{Topology: topo.String(), Workers: s.Workers(), ISA: asm.ISA(), Prior: bw, Stream: st, GoVersion: runtime.Version()}}
	if peers != nil {
		report.Machine.Peers = peers.versions()
	}

	type job struct {
		w workload
		n int
	}
	var jobs []job
	for _, w := range workloads() {
		if !cfg.run.MatchString(w.name) {
			continue
		}
		ns := cfg.sizes
		switch {
		case w.fixedN > 0 && cfg.sizes == nil:
			ns = []int{w.fixedN}
		case ns == nil && cfg.quick:
			ns = []int{1_000, 100_000}
		case ns == nil && w.sizes != nil:
			ns = w.sizes
		case ns == nil:
			ns = []int{1_000, 10_000, 100_000, 1_000_000, 10_000_000}
			if w.big {
				ns = append(ns, 100_000_000)
			}
		}
		for _, n := range ns {
			jobs = append(jobs, job{w, n})
		}
	}

	fmt.Println()
	printHeader(os.Stdout, peers != nil)
	prog := newProgress(len(jobs))
	ctx := context.Background()
	for i, j := range jobs {
		prog.show(i, fmt.Sprintf("%s n=%s", j.w.name, sizeStr(j.n)))
		// Hand the previous job's arrays (and STREAM's 480 MB) back to the
		// OS now: otherwise the runtime's background scavenger returns
		// them during the next job's timed calls, and on a VM, where page
		// faults are dear, every call that allocates its output then
		// faults its pages back in (seen: rolling_mean at n = 1e4 timed at
		// 21 ns per element, 1.1 after this).
		debug.FreeOSMemory()
		row, err := measureRow(ctx, cfg, s, one, j.w, j.n, st, peers)
		if err != nil {
			return fmt.Errorf("%s n=%d: %w", j.w.name, j.n, err)
		}
		prog.clear()
		printRow(os.Stdout, row, peers != nil)
		report.Rows = append(report.Rows, row)
	}
	prog.clear()
	fmt.Println("\n* allocates its output on every call, as its peers do.")
	fmt.Printf("ns/elem and GB/s: our kernel with all workers; %%bw: percent of STREAM add on all workers;\n")
	fmt.Println("×1w: speedup over the same kernel on 1 worker; ×peer: the peer's time / ours (> 1: we are faster).")

	if cfg.run.MatchString("for") {
		report.ForJoinNs = forOverhead(cfg)
		fmt.Printf("\nfork-join, empty body, n = 1024 on 2 workers: sched.For %.0f ns/call, spawn+WaitGroup %.0f ns/call\n",
			report.ForJoinNs["sched.For"], report.ForJoinNs["spawn+WaitGroup"])
	}
	if st := s.Stats(); len(st.Observations) > 0 {
		fmt.Println("\nwhat the planner learned from these calls (sched.Scheduler.Stats; \"tried\" = calls that explored a neighbouring worker count):")
		fmt.Print(st)
	}
	if cfg.plotDir != "" {
		files, err := writePlots(cfg, report, topo, s)
		if err != nil {
			return err
		}
		fmt.Println("\nplots:", strings.Join(files, ", "))
	}
	if cfg.jsonFile != "" {
		if err := writeJSON(cfg.jsonFile, report); err != nil {
			return err
		}
		fmt.Println("json: ", cfg.jsonFile)
	}
	if cfg.memProfile != "" {
		f, err := os.Create(cfg.memProfile)
		if err != nil {
			return err
		}
		runtime.GC()
		if err := pprof.WriteHeapProfile(f); err != nil {
			return err
		}
		f.Close()
	}
	fmt.Printf("\ndone in %.1f s\n", time.Since(start).Seconds())
	return nil
}

// timeCalls runs f until minTime has passed (at least minCalls calls) and
// returns the best ns per call. minCalls leaves the planner, which times
// a call with each worker count and may try a count twice, a steady call
// to be timed on even for calls longer than minTime.
const minCalls = 5

func timeCalls(f func() error, minTime time.Duration) (float64, error) {
	if err := f(); err != nil { // warm up
		return 0, err
	}
	best := time.Duration(1<<63 - 1)
	var total time.Duration
	for reps := 0; reps < minCalls || (total < minTime && reps < 100_000); reps++ {
		t0 := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		d := time.Since(t0)
		total += d
		best = min(best, d)
	}
	return float64(best.Nanoseconds()), nil
}

func measureRow(ctx context.Context, cfg config, s, one *sched.Scheduler, w workload, n int, st streamResult, peers *peerProc) (Row, error) {
	call := w.setup(n)
	row := Row{Workload: w.name, N: n, Window: w.window, Workers: s.Workers(), AllocsOutput: w.alloc}
	var err error
	runOn := func(sc *sched.Scheduler, label string) (float64, error) {
		e := kernels.On(sc)
		var ns float64
		var err error
		if cfg.cpuProfile != "" {
			// Label the samples by workload; the kernels add kernel=….
			pprof.Do(ctx, pprof.Labels("workload", w.name, "n", sizeStr(n), "workers", label), func(ctx context.Context) {
				e := e.WithContext(ctx)
				ns, err = timeCalls(func() error { return call(e) }, cfg.minTime)
			})
			return ns, err
		}
		return timeCalls(func() error { return call(e) }, cfg.minTime)
	}
	s.ResetPlanLog()
	if row.NsPerCall, err = runOn(s, "all"); err != nil {
		return row, err
	}
	if p, ok := s.LastPlan(); ok {
		row.PlanKind, row.PlanSource, row.PlanWorkers, row.PlanBlocks, row.PlanBlock, row.PlanReason = p.Kind, p.Source, p.Workers, p.Blocks, p.Block, p.Reason
	} else {
		row.PlanKind, row.PlanReason = "inline", "the kernel computed it on the caller without asking the scheduler (below sched.Tiny)"
	}
	if row.OneWorkerNs, err = runOn(one, "1"); err != nil {
		return row, err
	}
	row.NsPerElem = row.NsPerCall / float64(n)
	row.GBps = w.bytes * float64(n) / row.NsPerCall
	row.PctBandwidth = 100 * row.GBps / st.AddN
	row.Speedup1W = row.OneWorkerNs / row.NsPerCall
	if peers != nil {
		for _, lib := range w.peers {
			if ns, ok := peers.measure(w.name, lib, n, w.window, cfg.minTime.Seconds()); ok {
				if row.PeerNs == nil {
					row.PeerNs, row.PeerSpeedup = map[string]float64{}, map[string]float64{}
				}
				row.PeerNs[lib] = ns
				row.PeerSpeedup[lib] = ns / row.NsPerCall
			}
		}
	}
	return row, nil
}

// forOverhead measures one empty parallel call on 2 workers, sched.For
// beside spawning goroutines.
func forOverhead(cfg config) map[string]float64 {
	s := sched.New(sched.WithWorkers(2), sched.WithBlockSize(512))
	defer s.Close()
	body := func(lo, hi int) {}
	reps := 200_000
	if cfg.quick {
		reps = 20_000
	}
	t0 := time.Now()
	for i := 0; i < reps; i++ {
		_ = s.For(context.Background(), 1024, sched.Cost{Bytes: 24}, body)
	}
	forNs := float64(time.Since(t0).Nanoseconds()) / float64(reps)
	t0 = time.Now()
	for i := 0; i < reps; i++ {
		var wg sync.WaitGroup
		for k := 0; k < 2; k++ {
			wg.Add(1)
			go func() { defer wg.Done(); body(k*512, (k+1)*512) }()
		}
		wg.Wait()
	}
	spawnNs := float64(time.Since(t0).Nanoseconds()) / float64(reps)
	return map[string]float64{"sched.For": forNs, "spawn+WaitGroup": spawnNs}
}

// progress prints a one-line status on stderr while rows are measured (on a
// terminal, rewritten in place; otherwise one line per row).
type progress struct {
	total int
	tty   bool
}

func newProgress(total int) *progress {
	fi, err := os.Stderr.Stat()
	return &progress{total: total, tty: err == nil && fi.Mode()&os.ModeCharDevice != 0}
}

func (p *progress) show(i int, what string) {
	if p.tty {
		fmt.Fprintf(os.Stderr, "\r\033[K[%d/%d] %s …", i+1, p.total, what)
	} else {
		fmt.Fprintf(os.Stderr, "[%d/%d] %s\n", i+1, p.total, what)
	}
}

func (p *progress) clear() {
	if p.tty {
		fmt.Fprint(os.Stderr, "\r\033[K")
	}
}
