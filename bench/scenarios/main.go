// Command scenarios measures the scheduler's behaviour over a process's
// life — what a benchmark loop cannot show: the cost of a fresh process's
// first parallel calls, how a process that started under load recovers when
// the load goes, what the planner settles on for calls repeated for a
// while, and plans for simulated machines while this one is busy.
//
//	go run ./bench/scenarios            # all of them, about 20 s
//	go run ./bench/scenarios -run first # one of them
//
// Every figure is a ratio or a difference measured in one run, beside a
// reference taken the same way (fresh processes for first calls).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/kernels"
	"github.com/blockwise/blockwise/sched"
)

const childEnv = "BLOCKWISE_SCENARIO_CHILD"

func main() {
	run := flag.String("run", ".", "regexp of scenarios to run: first, recover, steady, simulated")
	reps := flag.Int("reps", 5, "fresh processes per first-call measurement")
	flag.Parse()
	if c := os.Getenv(childEnv); c != "" {
		child(c)
		return
	}
	re := regexp.MustCompile(*run)
	fmt.Println("machine:", sched.Detect())
	if re.MatchString("first") {
		firstCall(*reps)
	}
	if re.MatchString("recover") {
		recovery()
	}
	if re.MatchString("steady") {
		steady()
	}
	if re.MatchString("simulated") {
		simulated()
	}
}

// result is what a child process reports.
type result struct {
	ColdNs, WarmNs       []float64 // per call
	ColdAlloc, WarmAlloc uint64    // bytes allocated by the call
	Windows              []float64 // recovery: median ns per call per 100 ms window
}

func spawn(name string) result {
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), childEnv+"="+name)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		panic(fmt.Sprintf("child %s: %v", name, err))
	}
	var r result
	if err := json.Unmarshal(out, &r); err != nil {
		panic(err)
	}
	return r
}

func child(name string) {
	var r result
	switch name {
	case "first":
		x := array.New(1_000_000)
		for i := range x.Data() {
			x.Data()[i] = float64(i)
		}
		items := make([]int, 20)
		sleep := func(int) (int, error) { time.Sleep(2 * time.Millisecond); return 0, nil }
		calls := []func(){
			func() { _, _ = kernels.Sum(x) },
			func() { _, _ = sched.Map(context.Background(), sched.Default(), items, sleep) },
		}
		for _, pass := range []*[]float64{&r.ColdNs, &r.WarmNs} {
			for i, call := range calls {
				var m0, m1 runtime.MemStats
				runtime.ReadMemStats(&m0)
				t0 := time.Now()
				call()
				d := time.Since(t0)
				runtime.ReadMemStats(&m1)
				*pass = append(*pass, float64(d.Nanoseconds()))
				if pass == &r.ColdNs && i == 0 {
					r.ColdAlloc = m1.TotalAlloc - m0.TotalAlloc
				} else if pass == &r.WarmNs && i == 0 {
					r.WarmAlloc = m1.TotalAlloc - m0.TotalAlloc
				}
			}
		}
	case "recover", "quiet":
		const n = 10_000_000
		a, b, c := filled(n), filled(n), filled(n)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		if name == "recover" {
			for i := 0; i < 2; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					x := 0
					for {
						select {
						case <-stop:
							return
						default:
						}
						for k := 0; k < 100_000; k++ {
							x += k
						}
					}
				}()
			}
		}
		for i := 0; i < 50; i++ {
			_ = kernels.Add(c, a, b)
		}
		close(stop)
		wg.Wait()
		// 1 s of calls after the load went, in windows of 100 ms.
		start := time.Now()
		for w := 0; w < 10; w++ {
			var ts []float64
			for time.Since(start) < time.Duration(w+1)*100*time.Millisecond {
				t0 := time.Now()
				_ = kernels.Add(c, a, b)
				ts = append(ts, float64(time.Since(t0).Nanoseconds()))
			}
			r.Windows = append(r.Windows, median(ts))
		}
	}
	_ = json.NewEncoder(os.Stdout).Encode(r)
}

// filled returns an array whose pages are really backed (an untouched
// array reads the shared zero page, which is always in cache).
func filled(n int) *array.Array {
	a := array.New(n)
	for i := range a.Data() {
		a.Data()[i] = float64(i%1000) + 0.5
	}
	return a
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func firstCall(reps int) {
	fmt.Printf("\n== first call: a fresh process's first kernels.Sum(1e6) and sched.Map over 20 × 2 ms sleeps, vs the same calls warm (%d processes; medians)\n", reps)
	var sumD, mapD, allocD []float64
	for i := 0; i < reps; i++ {
		r := spawn("first")
		sumD = append(sumD, r.ColdNs[0]-r.WarmNs[0])
		mapD = append(mapD, r.ColdNs[1]-r.WarmNs[1])
		allocD = append(allocD, float64(r.ColdAlloc)-float64(r.WarmAlloc))
		fmt.Printf("   process %d: Sum cold %7.3f ms warm %7.3f ms; Map cold %7.3f ms warm %7.3f ms; Sum allocated %d B cold, %d B warm\n",
			i+1, r.ColdNs[0]/1e6, r.WarmNs[0]/1e6, r.ColdNs[1]/1e6, r.WarmNs[1]/1e6, r.ColdAlloc, r.WarmAlloc)
	}
	fmt.Printf("   first-call extra: Sum %+.3f ms, Map %+.3f ms, Sum allocation %+.0f B   (target: ≤ 1 ms, ≤ 4 MiB)\n",
		median(sumD)/1e6, median(mapD)/1e6, median(allocD))
}

func recovery() {
	fmt.Println("\n== recovery: 50 calls of Add(1e7) while two goroutines spin, then quiet; median Add per 100 ms window, vs a process that was never loaded")
	loaded, quiet := spawn("recover"), spawn("quiet")
	for w := range loaded.Windows {
		fmt.Printf("   %4d–%4d ms: %6.2f ms vs %6.2f ms quiet  (×%.2f)\n", w*100, (w+1)*100, loaded.Windows[w]/1e6, quiet.Windows[w]/1e6, loaded.Windows[w]/quiet.Windows[w])
	}
	last := loaded.Windows[len(loaded.Windows)-1] / quiet.Windows[len(quiet.Windows)-1]
	fmt.Printf("   after 1 s: ×%.2f of the quiet process   (target: within 15%%)\n", last)
}

// steady runs each kernel for a while and reports what the planner chose.
func steady() {
	fmt.Println("\n== steady: each kernel called for 1 s on a fresh scheduler; the plan it settles on and its speed vs 1 worker")
	for _, n := range []int{100_000, 1_000_000, 10_000_000} {
		a, b, c := filled(n), filled(n), filled(n)
		for _, k := range []struct {
			name string
			f    func(e *kernels.Engine) error
		}{
			{"add", func(e *kernels.Engine) error { return e.Add(c, a, b) }},
			{"sum", func(e *kernels.Engine) error { _, err := e.Sum(a); return err }},
			{"rolling_mean/20", func(e *kernels.Engine) error { return e.RollingMean(c, a, 20) }},
		} {
			s := sched.New(sched.WithPlanLog())
			one := sched.New(sched.WithWorkers(1))
			all, single := kernels.On(s), kernels.On(one)
			var tAll, tOne []float64
			// Batches of 50 ms, alternating: call by call, the pool's
			// helpers would park during every 1-worker call, and the
			// planner would rightly learn that waking them does not pay.
			deadline := time.Now().Add(time.Second)
			for time.Now().Before(deadline) {
				for _, p := range []struct {
					e  *kernels.Engine
					ts *[]float64
				}{{all, &tAll}, {single, &tOne}} {
					for b0 := time.Now(); time.Since(b0) < 50*time.Millisecond; {
						t0 := time.Now()
						_ = k.f(p.e)
						*p.ts = append(*p.ts, float64(time.Since(t0).Nanoseconds()))
					}
				}
			}
			half := len(tAll) / 2 // the second half: after learning
			tOne = tOne[len(tOne)/2:]
			p, _ := s.LastPlan()
			fmt.Printf("   %-16s n=%-9d %5d calls: median %8.1f µs vs 1 worker %8.1f µs (×%.2f); settled on %d workers (%s)\n",
				k.name, n, len(tAll), median(tAll[half:])/1e3, median(tOne)/1e3, median(tOne)/median(tAll[half:]), p.Workers, p.Source)
			s.Close()
			one.Close()
		}
	}
}

func simulated() {
	fmt.Println("\n== simulated machines while this one is busy (two goroutines spin): plans for 64M-element streaming adds")
	var stop atomic.Bool
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
			}
		}()
	}
	for _, t := range []sched.Topology{
		{Workers: 16, L2: 1 << 20, L3: 32 << 20},
		{Workers: 64, L2: 2 << 20, L3: 256 << 20},
	} {
		s := sched.New(sched.WithTopology(t))
		fmt.Printf("   %2d cores: %s\n", t.Workers, s.Plan(64<<20, sched.Cost{Bytes: 24, Ops: 1}).Reason)
		s.Close()
	}
	stop.Store(true)
	wg.Wait()
}
