package kernels

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
)

// refArg is numpy's argmax/argmin loop: the first NaN, else the first
// strictly better element.
func refArg(x []float64, isMax bool) int {
	bi := 0
	for i, v := range x {
		if x[bi] != x[bi] {
			return bi
		}
		if v != v || (isMax && v > x[bi]) || (!isMax && v < x[bi]) {
			bi = i
		}
	}
	return bi
}

func TestArgExtreme(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	es := engines(t)
	for _, n := range []int{1, 2, 7, 128, 8191, 8192, 8193, 50_000} {
		for trial := 0; trial < 6; trial++ {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(r.IntN(5)) // many ties
				if trial >= 2 {
					x[i] = r.NormFloat64()
				}
			}
			switch trial {
			case 1:
				x[r.IntN(n)] = math.Copysign(0, -1)
			case 3:
				x[r.IntN(n)] = math.NaN()
				x[r.IntN(n)] = math.NaN()
			case 4:
				x[r.IntN(n)] = math.Inf(1)
				x[r.IntN(n)] = math.Inf(-1)
			case 5:
				for i := range x {
					x[i] = []float64{0, math.Copysign(0, -1)}[r.IntN(2)]
				}
			}
			// The same values in a strided, transposed 2-d view.
			cols := 1
			if n%2 == 0 {
				cols = 2
			}
			tr := array.New(cols, n/cols).Transpose()
			m, _ := array.FromSlice(x, n/cols, cols)
			_ = tr.CopyFrom(m)
			for _, e := range es {
				for _, a := range []*array.Array{array.Vec(x), tr} {
					imax, err1 := e.ArgMax(a)
					imin, err2 := e.ArgMin(a)
					if err1 != nil || err2 != nil {
						t.Fatal(err1, err2)
					}
					if want := refArg(x, true); imax != want {
						t.Fatalf("n=%d trial %d %s: ArgMax %d, want %d", n, trial, engineName(e), imax, want)
					}
					if want := refArg(x, false); imin != want {
						t.Fatalf("n=%d trial %d %s: ArgMin %d, want %d", n, trial, engineName(e), imin, want)
					}
				}
			}
		}
	}
	if _, err := ArgMax(array.New(0, 3)); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
	if _, err := ArgMin(nil); !errors.Is(err, ErrNil) {
		t.Errorf("nil: %v", err)
	}
	if i, err := ArgMax(array.New()); err != nil || i != 0 {
		t.Errorf("0-d: %d, %v", i, err)
	}
}
