package kernels

import (
	"math"
	"sync"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
	"github.com/blockwise/blockwise/sched"
)

// lineSet is an axis reduction: output element p reduces the line of src
// that starts where a walker over src without the axis puts it, and steps
// by st, for L elements.
type lineSet struct {
	src, dst *array.Array
	axis     int
	L, st    int
	kind     redKind // redSum, redMin, redMax
	mean     bool
	ddof     int  // VarAxis, StdAxis
	std      bool // StdAxis
}

var axisLabels = [...]string{redSum: "sumaxis", redMin: "minaxis", redMax: "maxaxis"}

// group is how many lines one pass of the strided path reduces together:
// for an axis-0 reduction of a row-major matrix, 256 columns give 2 KiB
// contiguous per row, enough for the prefetchers, while the lanes and
// counters (about 150 KiB) stay in L2.
const group = 256

// groupScratch holds the lanes and counters of one group of lines.
type groupScratch struct {
	lanes  [16][group]float64
	row    [group]float64
	tmp    [group]float64
	leaf   vecCounter
	chunks vecCounter
	buf    []float64
}

var scratchPool = sync.Pool{New: func() any {
	g := new(groupScratch)
	g.buf = make([]float64, (8+48)*group)
	g.leaf.lv = make([][]float64, 8)
	g.chunks.lv = make([][]float64, 48)
	for k := range g.leaf.lv {
		g.leaf.lv[k] = g.buf[k*group : (k+1)*group]
	}
	for k := range g.chunks.lv {
		g.chunks.lv[k] = g.buf[(8+k)*group : (9+k)*group]
	}
	return g
}}

func (e *Engine) axisReduce(name string, kind redKind, mean bool, dst, src *array.Array, axis int) error {
	ax, err := checkAxisOut(name, dst, src, axis)
	if err != nil {
		return err
	}
	if src.Dim(ax) == 0 {
		if kind != redSum {
			return errorf(name, ErrEmpty, "axis %d has length 0", axis)
		}
		if mean {
			dst.Fill(math.NaN())
		} else {
			dst.Fill(0)
		}
		return nil
	}
	t := getTask()
	defer putTask(t)
	t.lines = lineSet{src: src, dst: dst, axis: ax, L: src.Dim(ax), st: src.Stride(ax), kind: kind, mean: mean}
	P := dst.Len()
	if t.lines.st == 1 && P < 2*e.s.Workers() {
		// Few long contiguous lines: parallelise within each line.
		for p := 0; p < P; p++ {
			w := newWalkerSkip(src, ax, p)
			off := w.offset(src)
			r, err := e.reduceSlice(kind, src.Backing()[off:off+t.lines.L])
			if err != nil {
				return err
			}
			if mean {
				r /= float64(t.lines.L)
			}
			w2 := newWalker(dst, p)
			dst.Backing()[w2.offset(dst)] = r
		}
		return nil
	}
	c := sched.Cost{Bytes: 8 * float64(t.lines.L), Ops: float64(t.lines.L), Kernel: axisLabels[kind]}
	return e.s.For(e.ctx, P, c, t.lineBody)
}

// checkAxisOut validates a reduction along axis: non-nil arrays, the axis
// in range, dst with src's shape without it, no overlap. It returns the
// normalised axis.
func checkAxisOut(name string, dst, src *array.Array, axis int) (int, error) {
	if dst == nil || src == nil {
		return 0, errorf(name, ErrNil, "nil array")
	}
	ax, err := src.NormAxis(axis)
	if err != nil {
		return 0, errorf(name, ErrAxis, "axis %d for %d dimensions", axis, src.Ndim())
	}
	if !reducedShape(dst, src, ax) {
		sh := src.Shape()
		return 0, errorf(name, ErrShape, "dst %v, want %v", dst.Shape(), append(sh[:ax], sh[ax+1:]...))
	}
	if array.Overlaps(dst, src) {
		return 0, errorf(name, ErrOverlap, "dst overlaps src")
	}
	if array.SelfOverlaps(dst) {
		return 0, errorf(name, ErrOverlap, "dst addresses some elements more than once")
	}
	return ax, nil
}

// reducedShape reports whether dst has src's shape without axis ax.
func reducedShape(dst, src *array.Array, ax int) bool {
	if dst.Ndim() != src.Ndim()-1 {
		return false
	}
	for k := 0; k < dst.Ndim(); k++ {
		sk := k
		if k >= ax {
			sk++
		}
		if dst.Dim(k) != src.Dim(sk) {
			return false
		}
	}
	return true
}

// runLines reduces output elements [lo, hi).
func (t *task) runLines(lo, hi int) {
	ls := &t.lines
	data := ls.src.Backing()
	out := ls.dst.Backing()
	if ls.st == 1 {
		w, wd := newWalkerSkip(ls.src, ls.axis, lo), newWalker(ls.dst, lo)
		for p := lo; p < hi; p++ {
			off := w.offset(ls.src)
			x := data[off : off+ls.L]
			var r float64
			if ls.kind == redSum {
				r = sumLine(x)
			} else {
				r = extreme(ls.kind, x)
			}
			if ls.mean {
				r /= float64(ls.L)
			}
			out[wd.offset(ls.dst)] = canonNaN(r)
			w.advance(1)
			wd.advance(1)
		}
		return
	}
	g := scratchPool.Get().(*groupScratch)
	defer scratchPool.Put(g)
	w, wd := newWalkerSkip(ls.src, ls.axis, lo), newWalker(ls.dst, lo)
	for p := lo; p < hi; {
		r := min(w.runLeft(), hi-p, group, wd.runLeft())
		t.reduceGroup(g, w.offset(ls.src), w.runStride(), r)
		o, os := wd.offset(ls.dst), lastStride(ls.dst)
		for j, v := range g.row[:r] {
			out[o+j*os] = canonNaN(v)
		}
		w.advance(r)
		wd.advance(r)
		p += r
	}
}

// reduceGroup reduces the r lines starting at off, off+vs, … into g.row,
// in exactly the order sumLine (or extreme) uses for one line.
func (t *task) reduceGroup(g *groupScratch, off, vs, r int) {
	ls := &t.lines
	data := ls.src.Backing()
	row := g.row[:r]
	load := func(i int, dst []float64) {
		o := off + i*ls.st
		if vs == 1 {
			copy(dst, data[o:o+r])
			return
		}
		for j := range dst {
			dst[j] = data[o+j*vs]
		}
	}
	if ls.kind != redSum {
		load(0, row)
		tmp := g.tmp[:r]
		for i := 1; i < ls.L; i++ {
			load(i, tmp)
			for j, v := range tmp {
				if ls.kind == redMin {
					row[j] = min(row[j], v)
				} else {
					row[j] = max(row[j], v)
				}
			}
		}
		return
	}
	tmp := g.tmp[:r]
	leaves := 0
	for i := 0; i < ls.L; i++ {
		q := i % asm.Leaf
		if q == 0 {
			for k := range g.lanes {
				l := g.lanes[k][:r]
				for j := range l {
					l[j] = negZero
				}
			}
		}
		lane := g.lanes[q%16][:r]
		if vs == 1 {
			// Contiguous lines side by side: add the row in one
			// vector call (elementwise, so the same bits).
			o := off + i*ls.st
			asm.Add(lane, lane, data[o:o+r])
		} else {
			load(i, tmp)
			asm.Add(lane, lane, tmp)
		}
		if q == asm.Leaf-1 || i == ls.L-1 {
			// The lane tree of asm.LeafSums, lane-wise for every line.
			for wd := 8; wd >= 1; wd /= 2 {
				for k := 0; k < wd; k++ {
					a, b := g.lanes[k][:r], g.lanes[k+wd][:r]
					for j := range a {
						a[j] += b[j]
					}
				}
			}
			g.leaf.push(g.lanes[0][:r])
			leaves++
			if leaves == chunkLeaves || i == ls.L-1 {
				g.leaf.sumInto(row)
				g.chunks.push(row)
				leaves = 0
			}
		}
	}
	g.chunks.sumInto(row)
	if ls.mean {
		for j := range row {
			row[j] /= float64(ls.L)
		}
	}
}

// SumAxis sets dst to the sums of src along axis (negative counts from the
// end): dst has src's shape without that axis. Every output equals Sum of
// its line, bit for bit (a NaN result is math.NaN(), whatever NaNs the line
// held, as in every reduction).
func (e *Engine) SumAxis(dst, src *array.Array, axis int) error {
	return e.axisReduce("SumAxis", redSum, false, dst, src, axis)
}

// MeanAxis sets dst to the means along axis — e.g. the average of an
// ensemble's parameter vectors, stored as the rows of src, is
// MeanAxis(dst, src, 0). A zero-length axis gives NaN.
func (e *Engine) MeanAxis(dst, src *array.Array, axis int) error {
	return e.axisReduce("MeanAxis", redSum, true, dst, src, axis)
}

// MaxAxis sets dst to the maxima along axis (NaN where a line has NaN).
func (e *Engine) MaxAxis(dst, src *array.Array, axis int) error {
	return e.axisReduce("MaxAxis", redMax, false, dst, src, axis)
}

// MinAxis sets dst to the minima along axis (NaN where a line has NaN).
func (e *Engine) MinAxis(dst, src *array.Array, axis int) error {
	return e.axisReduce("MinAxis", redMin, false, dst, src, axis)
}

// SumAxis sums along an axis. See Engine.SumAxis.
func SumAxis(dst, src *array.Array, axis int) error { return std().SumAxis(dst, src, axis) }

// MeanAxis averages along an axis. See Engine.MeanAxis.
func MeanAxis(dst, src *array.Array, axis int) error { return std().MeanAxis(dst, src, axis) }

// MaxAxis takes maxima along an axis. See Engine.MaxAxis.
func MaxAxis(dst, src *array.Array, axis int) error { return std().MaxAxis(dst, src, axis) }

// MinAxis takes minima along an axis. See Engine.MinAxis.
func MinAxis(dst, src *array.Array, axis int) error { return std().MinAxis(dst, src, axis) }
