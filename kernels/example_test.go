package kernels_test

import (
	"fmt"
	"math"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/kernels"
)

// Map runs a user function over every element in parallel; the result is
// exactly the serial loop's.
func ExampleMap() {
	src := array.New(1_000_000)
	for i, d := 0, src.Data(); i < len(d); i++ {
		d[i] = float64(i) / 1e5
	}
	dst := array.New(src.Len())
	if err := kernels.Map(dst, src, math.Exp); err != nil {
		panic(err)
	}
	same := true
	for i, v := range src.Data() {
		same = same && dst.Data()[i] == math.Exp(v)
	}
	fmt.Println("identical to the serial loop:", same)
	// Output: identical to the serial loop: true
}

// ApplyEach evaluates an array of functions on an array of the same length:
// dst[i] = fs[i](src[i]).
func ExampleApplyEach() {
	fs := []func(float64) float64{math.Sqrt, math.Abs, func(x float64) float64 { return 2 * x }}
	src := array.Vec([]float64{16, -3, 21})
	dst := array.New(3)
	if err := kernels.ApplyEach(dst, src, fs); err != nil {
		panic(err)
	}
	fmt.Println(dst)
	// Output: [4 3 42]
}

// Averaging the parameters of an ensemble of models: each row of the 2-D
// array is one model's parameter vector; the mean along axis 0 is the
// ensemble average, computed in parallel without copying the rows.
func ExampleMeanAxis() {
	params := [][]float64{
		{1.0, 10, -2},
		{2.0, 20, -4},
		{3.0, 30, -6},
		{4.0, 40, -8},
	}
	models := array.New(len(params), len(params[0]))
	for i, p := range params {
		copy(models.Row(i).Data(), p)
	}
	avg := array.New(len(params[0]))
	if err := kernels.MeanAxis(avg, models, 0); err != nil {
		panic(err)
	}
	fmt.Println(avg)
	// Output: [2.5 25 -5]
}

// Sum stays accurate where naive summation loses everything: the exact sum
// of [1e16, a million ones, -1e16] is 1e6. The loop returns 0; Sum is within
// its bound of 1e-14·Σ|x| (here 200): only the ones added beside 1e16 in the
// first and last leaves round away.
func ExampleSum() {
	x := make([]float64, 1_000_002)
	for i := range x {
		x[i] = 1
	}
	x[0], x[len(x)-1] = 1e16, -1e16
	naive := 0.0
	for _, v := range x {
		naive += v
	}
	s, _ := kernels.Sum(array.Vec(x))
	fmt.Println(naive, s)
	// Output: 0 999992
}

// The classic smoothing recipe: a centered moving average of 2k+1 points
// over a series padded with its edge values, so the output has the input's
// length and no NaN at the ends (numpy: convolve(pad(x, k, "edge"), ones/w)).
func ExampleRollingMean_smoothing() {
	x := array.Vec([]float64{1, 2, 3, 4, 10, 6, 7})
	smooth := array.New(x.Len())
	if err := kernels.RollingMean(smooth, x, 3, kernels.Centered(), kernels.PadEdge()); err != nil {
		panic(err)
	}
	fmt.Printf("%.4g\n", smooth.Data())
	// Output: [1.333 2 3 5.667 6.667 7.667 6.667]
}

// pandas-style missing data: NaN (and ±Inf) are skipped and counted; a
// window with fewer than MinPeriods valid values gives NaN.
func ExampleRollingSum_minPeriods() {
	x := array.Vec([]float64{1, math.NaN(), 3, math.NaN(), math.NaN(), 6})
	out := array.New(x.Len())
	_ = kernels.RollingSum(out, x, 3, kernels.MinPeriods(2))
	fmt.Println(out)
	_ = kernels.RollingSum(out, x, 3) // default: min_periods = window
	fmt.Println(out)
	// Output:
	// [NaN NaN 4 NaN NaN NaN]
	// [NaN NaN NaN NaN NaN NaN]
}

// Rolling along an axis of a 2-D array: by default every row is a series;
// Axis(0) rolls down the columns instead.
func ExampleRollingMax_axis() {
	m, _ := array.FromSlice([]float64{
		1, 5, 2,
		4, 0, 3,
		2, 2, 9,
	}, 3, 3)
	rows, cols := array.New(3, 3), array.New(3, 3)
	_ = kernels.RollingMax(rows, m, 2, kernels.MinPeriods(1))
	_ = kernels.RollingMax(cols, m, 2, kernels.MinPeriods(1), kernels.Axis(0))
	fmt.Println(rows)
	fmt.Println(cols)
	// Output:
	// [[1 5 5] [4 4 3] [2 2 9]]
	// [[1 5 2] [4 5 3] [4 2 9]]
}

// RollingMedian smooths a series without letting outliers through: a
// centered median of 5 removes isolated spikes that a mean would smear.
func ExampleRollingMedian() {
	x := array.Vec([]float64{1, 2, 1, 90, 2, 1, 3, -70, 2, 1})
	smooth := array.New(x.Len())
	if err := kernels.RollingMedian(smooth, x, 5, kernels.Centered(), kernels.MinPeriods(1)); err != nil {
		panic(err)
	}
	fmt.Println(smooth)
	// Output: [1 1.5 2 2 2 2 2 1 1.5 1]
}

// RollingQuantile gives a band around a series: the 10% and 90% quantiles of
// the last 4 values, interpolated linearly as pandas does (pandas gives
// the same numbers).
func ExampleRollingQuantile() {
	x := array.Vec([]float64{3, 1, 4, 1, 5, 9, 2, 6})
	lo, hi := array.New(x.Len()), array.New(x.Len())
	if err := kernels.RollingQuantile(lo, x, 4, 0.1); err != nil {
		panic(err)
	}
	if err := kernels.RollingQuantile(hi, x, 4, 0.9); err != nil {
		panic(err)
	}
	for i := 3; i < x.Len(); i++ {
		fmt.Printf("x[%d] = %g in [%.1f, %.1f]\n", i, x.At(i), lo.At(i), hi.At(i))
	}
	// Output:
	// x[3] = 1 in [1.0, 3.7]
	// x[4] = 5 in [1.0, 4.7]
	// x[5] = 9 in [1.9, 7.8]
	// x[6] = 2 in [1.3, 7.8]
	// x[7] = 6 in [2.9, 8.1]
}

// RollingCorr correlates two series over a rolling window; pairs where
// either value is missing are left out, as in pandas.
func ExampleRollingCorr() {
	x := array.Vec([]float64{1, 2, 3, 4, 5, 6, math.NaN(), 8})
	y := array.Vec([]float64{2, 4, 6, 8, 7, 5, 3, 1})
	c := array.New(x.Len())
	if err := kernels.RollingCorr(c, x, y, 4); err != nil {
		panic(err)
	}
	for i := 3; i < c.Len(); i++ {
		fmt.Printf("%.3f ", c.At(i))
	}
	fmt.Println()
	// Output: 1.000 0.832 -0.400 NaN NaN
}

// EWMMean is pandas' ewm(span=3).mean(): the weights of older values decay
// by α = 2/(span+1) per step.
func ExampleEWMMean() {
	x := array.Vec([]float64{10, 11, 9, 12, 30, 12})
	m := array.New(x.Len())
	if err := kernels.EWMMean(m, x, kernels.Span(3)); err != nil {
		panic(err)
	}
	for _, v := range m.Values() {
		fmt.Printf("%.4f ", v)
	}
	fmt.Println()
	// Output: 10.0000 10.6667 9.7143 10.9333 20.7742 16.3175
}

// Log and Pow over arrays are within 1 ulp of the exact result everywhere
// (Go's math.Log is off by up to 3e14 ulps on subnormals), and a 0-d array
// raises every element to one power.
func ExampleLog() {
	x, _ := array.FromSlice([]float64{1, math.E, 1e-310, 0, -1}, 5)
	y := array.New(5)
	if err := kernels.Log(y, x); err != nil {
		panic(err)
	}
	fmt.Println(y.Data())

	p := array.New() // 0-d: the exponent for every element
	p.Data()[0] = 0.5
	if err := kernels.Pow(y, x, p); err != nil {
		panic(err)
	}
	fmt.Println(y.Data())
	// Output:
	// [0 1 -713.8013788281542 -Inf NaN]
	// [1 1.6487212707001282 9.999999999999986e-156 0 NaN]
}
