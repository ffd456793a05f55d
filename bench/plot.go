package main

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/blockwise/blockwise/kernels"
	"github.com/blockwise/blockwise/sched"
)

var palette = []color.Color{
	color.RGBA{31, 119, 180, 255}, color.RGBA{255, 127, 14, 255}, color.RGBA{44, 160, 44, 255},
	color.RGBA{214, 39, 40, 255}, color.RGBA{148, 103, 189, 255}, color.RGBA{140, 86, 75, 255},
	color.RGBA{227, 119, 194, 255},
}

// writePlots draws, per workload, throughput against n with the caches and
// the STREAM roofline marked, and one chart of speedup against workers.
func writePlots(cfg config, r Report, topo sched.Topology, s *sched.Scheduler) ([]string, error) {
	if err := os.MkdirAll(cfg.plotDir, 0o755); err != nil {
		return nil, err
	}
	byName := map[string][]Row{}
	var names []string
	for _, row := range r.Rows {
		key := row.Workload
		if row.Window > 0 {
			key = fmt.Sprintf("%s_w%d", row.Workload, row.Window)
		}
		if _, ok := byName[key]; !ok {
			names = append(names, key)
		}
		byName[key] = append(byName[key], row)
	}
	var files []string
	for _, name := range names {
		rows := byName[name]
		if len(rows) < 2 {
			continue
		}
		f, err := throughputPlot(cfg.plotDir, name, rows, r, topo)
		if err != nil {
			return files, err
		}
		files = append(files, f)
	}
	f, err := speedupPlot(cfg, s)
	if err != nil {
		return files, err
	}
	return append(files, f), nil
}

func throughputPlot(dir, name string, rows []Row, r Report, topo sched.Topology) (string, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: throughput against n (%s)", name, r.Machine.GoVersion)
	p.X.Label.Text = "n (elements, log scale)"
	p.Y.Label.Text = "GB/s (bytes the kernel moves / time)"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{}
	bytesPer := rows[0].GBps * rows[0].NsPerCall / float64(rows[0].N)

	series := map[string]plotter.XYs{}
	order := []string{"blockwise", "blockwise 1 worker"}
	for _, row := range rows {
		x := float64(row.N)
		series["blockwise"] = append(series["blockwise"], plotter.XY{X: x, Y: row.GBps})
		series["blockwise 1 worker"] = append(series["blockwise 1 worker"], plotter.XY{X: x, Y: bytesPer * x / row.OneWorkerNs})
		for _, lib := range peerCols {
			if ns, ok := row.PeerNs[lib]; ok {
				if _, seen := series[lib]; !seen {
					order = append(order, lib)
				}
				series[lib] = append(series[lib], plotter.XY{X: x, Y: bytesPer * x / ns})
			}
		}
	}
	ymax := 0.0
	for i, key := range order {
		xy := series[key]
		sort.Slice(xy, func(a, b int) bool { return xy[a].X < xy[b].X })
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return "", err
		}
		c := palette[i%len(palette)]
		l.Color, pts.Color = c, c
		if i == 1 {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l, pts)
		p.Legend.Add(key, l, pts)
		for _, v := range xy {
			ymax = math.Max(ymax, v.Y)
		}
	}
	xmin, xmax := float64(rows[0].N), float64(rows[len(rows)-1].N)
	// The roofline: STREAM add on all workers and on one.
	for i, bw := range []struct {
		v     float64
		label string
	}{{r.Machine.Stream.AddN, "STREAM add, all workers"}, {r.Machine.Stream.Add1, "STREAM add, 1 worker"}} {
		l, _ := plotter.NewLine(plotter.XYs{{X: xmin, Y: bw.v}, {X: xmax, Y: bw.v}})
		l.Color = color.Gray{Y: uint8(60 + 80*i)}
		l.Width = vg.Points(1.5)
		l.Dashes = []vg.Length{vg.Points(6), vg.Points(2)}
		p.Add(l)
		p.Legend.Add(bw.label, l)
	}
	// The caches, where the working set (n · bytes per element) fills them.
	for _, c := range []struct {
		bytes int
		label string
	}{{topo.L1D, "L1d"}, {topo.L2, "L2"}, {topo.L3, "L3"}} {
		if c.bytes <= 0 || bytesPer <= 0 {
			continue
		}
		x := float64(c.bytes) / bytesPer
		if x < xmin || x > xmax {
			continue
		}
		l, _ := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: ymax * 1.05}})
		l.Color = color.RGBA{180, 180, 180, 255}
		l.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		p.Add(l)
		lab, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x, Y: ymax * 1.02}}, Labels: []string{c.label + " full"}})
		if err == nil {
			p.Add(lab)
		}
	}
	p.Y.Min = 0
	p.Y.Max = 1.45 * math.Max(ymax, r.Machine.Stream.AddN) // room for the legend
	p.Legend.Top = true
	p.Legend.Left = false
	p.Legend.XOffs = -vg.Points(4)
	p.Add(plotter.NewGrid())
	file := filepath.Join(dir, "throughput_"+name+".png")
	return file, p.Save(9*vg.Inch, 5.5*vg.Inch, file)
}

// speedupPlot measures a few kernels at a large n on 1 … 2·GOMAXPROCS
// workers.
func speedupPlot(cfg config, s *sched.Scheduler) (string, error) {
	n := 10_000_000
	if cfg.quick {
		n = 1_000_000
	}
	maxW := 2 * s.Topology().Workers
	p := plot.New()
	p.Title.Text = fmt.Sprintf("speedup against workers, n = %s (GOMAXPROCS = %d)", sizeStr(n), s.Topology().Workers)
	p.X.Label.Text = "workers"
	p.Y.Label.Text = "speedup over 1 worker"
	ideal, _ := plotter.NewLine(plotter.XYs{{X: 1, Y: 1}, {X: float64(s.Topology().Workers), Y: float64(s.Topology().Workers)}})
	ideal.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	ideal.Color = color.Gray{Y: 120}
	p.Add(ideal)
	p.Legend.Add("linear", ideal)
	i := 0
	for _, w := range workloads() {
		if w.name != "add" && w.name != "sum" && w.name != "exp" && !(w.name == "rolling_mean" && w.window == 20) && w.name != "rolling_max" {
			continue
		}
		call := w.setup(n)
		var xy plotter.XYs
		var base float64
		for k := 1; k <= maxW; k++ {
			sc := sched.New(sched.WithWorkers(k))
			e := kernels.On(sc).WithContext(context.Background())
			ns, err := timeCalls(func() error { return call(e) }, cfg.minTime)
			sc.Close()
			if err != nil {
				return "", err
			}
			if k == 1 {
				base = ns
			}
			xy = append(xy, plotter.XY{X: float64(k), Y: base / ns})
		}
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return "", err
		}
		l.Color, pts.Color = palette[i%len(palette)], palette[i%len(palette)]
		pts.Shape = draw.CircleGlyph{}
		p.Add(l, pts)
		name := w.name
		if w.window > 0 {
			name = fmt.Sprintf("%s w=%d", name, w.window)
		}
		p.Legend.Add(name, l, pts)
		i++
	}
	p.Y.Min, p.X.Min = 0, 1
	p.Legend.Top, p.Legend.Left = true, true
	p.Add(plotter.NewGrid())
	file := filepath.Join(cfg.plotDir, "speedup_workers.png")
	return file, p.Save(8*vg.Inch, 5*vg.Inch, file)
}
