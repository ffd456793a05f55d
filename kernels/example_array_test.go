package kernels_test

import (
	"fmt"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/kernels"
)

// Inputs broadcast as in numpy: a row is added to every row of a matrix
// (read in place, never copied), a column to every column.
func ExampleAdd_broadcast() {
	m, _ := array.FromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	row := array.Vec([]float64{10, 20, 30})
	col, _ := array.FromSlice([]float64{100, 200}, 2, 1)
	dst := array.New(2, 3)
	if err := kernels.Add(dst, m, row); err != nil {
		panic(err)
	}
	fmt.Println(dst)
	if err := kernels.Add(dst, dst, col); err != nil {
		panic(err)
	}
	fmt.Println(dst)
	// Output:
	// [[11 22 33] [14 25 36]]
	// [[111 122 133] [214 225 236]]
}

// An ensemble's parameters averaged and written back into every model:
// MeanAxis down the models, then Copy broadcasts the average to each row.
func ExampleCopy_ensembleAverage() {
	models, _ := array.FromSlice([]float64{
		1, 10, 100,
		2, 20, 200,
		3, 30, 300,
		6, 60, 600,
	}, 4, 3) // 4 models × 3 parameters
	avg := array.New(3)
	if err := kernels.MeanAxis(avg, models, 0); err != nil {
		panic(err)
	}
	if err := kernels.Copy(models, avg); err != nil {
		panic(err)
	}
	fmt.Println(avg)
	fmt.Println(models.Row(2))
	// Output:
	// [3 30 300]
	// [3 30 300]
}

// CumSum is compensated: the running sum of 0.1 ten million times is the
// exact sum rounded, where a plain loop drifts.
func ExampleCumSum() {
	n := 10_000_000
	src := array.New(n)
	src.Fill(0.1)
	dst := array.New(n)
	if err := kernels.CumSum(dst, src, 0); err != nil {
		panic(err)
	}
	plain := 0.0
	for range n {
		plain += 0.1
	}
	fmt.Println(dst.At(n - 1))
	fmt.Println(plain)
	// Output:
	// 1e+06
	// 999999.9998389754
}

// Quantile uses numpy's default linear interpolation; Median is the mean
// of the two middle values for an even count. Both select rather than sort.
func ExampleQuantile() {
	a := array.Vec([]float64{7, 1, 3, 9, 5, 2})
	q90, _ := kernels.Quantile(a, 0.9)
	med, _ := kernels.Median(a)
	fmt.Println(q90, med)
	// Output: 8 4
}
