package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Row is one line of the table; its JSON field names are stable.
type Row struct {
	Workload     string             `json:"workload"`
	N            int                `json:"n"`
	Window       int                `json:"window,omitempty"`
	Workers      int                `json:"workers"`
	NsPerCall    float64            `json:"ns_per_call"`
	NsPerElem    float64            `json:"ns_per_elem"`
	GBps         float64            `json:"gb_per_s"`
	PctBandwidth float64            `json:"pct_stream_add"`
	OneWorkerNs  float64            `json:"one_worker_ns_per_call"`
	Speedup1W    float64            `json:"speedup_vs_1_worker"`
	PlanKind     string             `json:"plan_kind"`
	PlanSource   string             `json:"plan_source"`
	PlanWorkers  int                `json:"plan_workers"`
	PlanBlocks   int                `json:"plan_blocks"`
	PlanBlock    int                `json:"plan_block"`
	PlanReason   string             `json:"plan_reason"`
	AllocsOutput bool               `json:"allocates_output,omitempty"`
	PeerNs       map[string]float64 `json:"peer_ns_per_call,omitempty"`
	PeerSpeedup  map[string]float64 `json:"speedup_vs_peer,omitempty"`
}

var peerCols = []string{"numpy", "numexpr1", "numexprN", "bottleneck", "pandas"}

// sizeStr prints 1000000 as 1e6 and 2000000 as 2e6.
func sizeStr(n int) string {
	v, m := n, 0
	for v >= 10 && v%10 == 0 {
		v /= 10
		m++
	}
	if v < 10 && m >= 3 {
		return fmt.Sprintf("%de%d", v, m)
	}
	return fmt.Sprint(n)
}

func planStr(r Row) string {
	src := ""
	switch r.PlanSource {
	case "observed", "explored":
		src = " (" + r.PlanSource[:3] + ")"
	}
	switch r.PlanKind {
	case "parallel", "forced":
		return fmt.Sprintf("%dw × %d blk%s", r.PlanWorkers, r.PlanBlocks, src)
	case "adaptive":
		return fmt.Sprintf("%dw adaptive", r.PlanWorkers)
	case "inline":
		return "serial: inline"
	}
	return "serial: " + r.PlanKind + src
}

func printHeader(w io.Writer, peers bool) {
	fmt.Fprintf(w, "%-19s %6s %9s %8s %6s %6s  %-18s", "workload", "n", "ns/elem", "GB/s", "%bw", "×1w", "plan")
	if peers {
		for _, p := range peerCols {
			fmt.Fprintf(w, " %9s", "×"+p)
		}
	}
	fmt.Fprintln(w)
}

func printRow(w io.Writer, r Row, peers bool) {
	name := r.Workload
	if r.Window > 0 {
		name = fmt.Sprintf("%s/%d", name, r.Window)
	}
	if r.AllocsOutput {
		name += "*"
	}
	fmt.Fprintf(w, "%-19s %6s %9.3f %8.2f %5.0f%% %6.2f  %-18s", name, sizeStr(r.N), r.NsPerElem, r.GBps, r.PctBandwidth, r.Speedup1W, planStr(r))
	if peers {
		for _, p := range peerCols {
			if s, ok := r.PeerSpeedup[p]; ok {
				fmt.Fprintf(w, " %9.2f", s)
			} else {
				fmt.Fprintf(w, " %9s", "—")
			}
		}
	}
	fmt.Fprintln(w)
}

func writeJSON(file string, report any) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(report); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
