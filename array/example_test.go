package array_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/blockwise/blockwise/array"
)

// Arrays go to and from numpy's .npy files: np.load reads what SaveNPY
// writes, and LoadNPY reads what np.save wrote (float64 straight into
// aligned storage; float32, integers and bools converted).
func ExampleSaveNPY() {
	dir, _ := os.MkdirTemp("", "npy")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "x.npy")

	a, _ := array.FromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	if err := array.SaveNPY(path, a.Transpose()); err != nil { // a view is written in its logical order
		panic(err)
	}
	b, err := array.LoadNPY(path)
	if err != nil {
		panic(err)
	}
	fmt.Println(b.Shape(), b)
	// Output: [3 2] [[1 4] [2 5] [3 6]]
}

// Step is numpy's slicing with a step: a[1:6:2] and a[::-1].
func ExampleArray_Step() {
	a := array.Vec([]float64{0, 1, 2, 3, 4, 5, 6})
	fmt.Println(a.Step(0, 1, 6, 2), a.Step(0, 0, a.Len(), -1))
	// Output: [1 3 5] [6 5 4 3 2 1 0]
}
