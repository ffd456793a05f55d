package kernels

import (
	"cmp"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/blockwise/blockwise/array"
)

// refQuantile is numpy's linear method on a sorted copy, with our two
// documented departures (exact infinities, no overflow in the median).
func refQuantile(x []float64, q float64, median bool) float64 {
	for _, v := range x {
		if v != v {
			return math.NaN()
		}
	}
	s := slices.Clone(x)
	slices.SortFunc(s, func(a, b float64) int { return cmp.Compare(sortKey(a), sortKey(b)) })
	n := len(s)
	if median {
		if n%2 == 1 {
			return s[n/2]
		}
		return midpoint(s[n/2-1], s[n/2])
	}
	v := float64(n-1) * q
	if v >= float64(n-1) {
		return s[n-1]
	}
	lo := int(math.Floor(v))
	return lerp(s[lo], s[lo+1], v-float64(lo))
}

func hexFloat(t *testing.T, h string) float64 {
	b, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

// TestQuantileNumpy: numpy 1.24's own outputs (testdata/quantile_numpy.py),
// bit for bit, except where numpy's arithmetic turns infinities into NaN or
// overflows a median of finite values — there the exact answer.
func TestQuantileNumpy(t *testing.T) {
	b, err := os.ReadFile("testdata/quantile_numpy.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Series map[string]struct {
			X, Q, Quantile []string
			Median         string
		}
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Series) < 10 {
		t.Fatalf("%d series", len(ref.Series))
	}
	checked := 0
	for name, s := range ref.Series {
		x := make([]float64, len(s.X))
		hasNaN := false
		for i, h := range s.X {
			x[i] = hexFloat(t, h)
			hasNaN = hasNaN || math.IsNaN(x[i])
		}
		for i, hq := range s.Q {
			q := hexFloat(t, hq)
			want := hexFloat(t, s.Quantile[i])
			got, err := Quantile(array.Vec(x), q)
			if err != nil {
				t.Fatal(err)
			}
			if math.IsNaN(want) && !hasNaN {
				want = refQuantile(x, q, false) // numpy: inf − inf inside _lerp
			}
			if !same(got, want) && !(got == 0 && want == 0) { // numpy's zero signs follow its partition
				t.Errorf("%s q=%v: %v, numpy %v", name, q, got, want)
			}
			checked++
		}
		want := hexFloat(t, s.Median)
		if math.IsInf(want, 0) && name == "huge" {
			want = refQuantile(x, 0.5, true) // numpy: 1e308+1.5e308 overflows
		}
		if got, err := Median(array.Vec(x)); err != nil || !same(got, want) && !(got == 0 && want == 0) {
			t.Errorf("%s median: %v, numpy %v (%v)", name, got, want, err)
		}
	}
	if checked < 100 {
		t.Fatalf("checked %d", checked)
	}
}

// TestQuantileSelect: against a full sort, many sizes and value
// distributions (ties, sorted, reversed, organ pipes that defeat naive
// pivots), every engine, strided and n-d inputs; a is never modified.
func TestQuantileSelect(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 21))
	es := engines(t)[:4]
	for _, n := range []int{1, 2, 3, 24, 25, 100, 513, 4096, 30_001, 1 << 16, 200_003} {
		for kind := 0; kind < 6; kind++ {
			x := make([]float64, n)
			for i := range x {
				switch kind {
				case 0:
					x[i] = r.NormFloat64()
				case 1:
					x[i] = float64(r.IntN(3))
				case 2:
					x[i] = float64(i)
				case 3:
					x[i] = float64(n - i)
				case 4:
					x[i] = float64(min(i, n-i))
				case 5:
					x[i] = []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), 1}[r.IntN(5)]
				}
			}
			orig := slices.Clone(x)
			for _, q := range []float64{0, 0.01, 0.25, 0.5, 0.7, 1} {
				want := refQuantile(x, q, false)
				for _, e := range es {
					got, err := e.Quantile(array.Vec(x), q)
					if err != nil || !same(got, want) {
						t.Fatalf("n=%d kind %d q=%v: %v, want %v (%v)", n, kind, q, got, want, err)
					}
				}
			}
			if got, _ := Median(array.Vec(x)); !same(got, refQuantile(x, 0.5, true)) {
				t.Fatalf("n=%d kind %d median %v, want %v", n, kind, got, refQuantile(x, 0.5, true))
			}
			if !slices.Equal(orig, x) {
				t.Fatal("Quantile modified its input")
			}
			if n%2 == 0 && n > 2 {
				m, _ := array.FromSlice(x, 2, n/2)
				tr := m.Transpose()
				if got, _ := Quantile(tr, 0.3); !same(got, refQuantile(x, 0.3, false)) {
					t.Fatalf("transposed n=%d: %v", n, got)
				}
			}
		}
	}
}

func TestQuantileAxis(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 22))
	src := randArray(r, 6, 301, 5)
	src.Set(math.NaN(), 2, 10, 3)
	for _, e := range engines(t)[:4] {
		for ax := 0; ax < 3; ax++ {
			sh := src.Shape()
			sh = append(sh[:ax], sh[ax+1:]...)
			dst := array.New(sh...)
			if err := e.QuantileAxis(dst, src, 0.9, ax); err != nil {
				t.Fatal(err)
			}
			w := newWalker(dst, 0)
			for p := 0; p < dst.Len(); p++ {
				want, _ := Quantile(lineOf(src, ax, w.index()), 0.9)
				if got := dst.At(w.index()...); !same(got, want) {
					t.Fatalf("axis %d %v: %v, want %v", ax, w.index(), got, want)
				}
				w.advance(1)
			}
		}
	}
}

func TestQuantileErrors(t *testing.T) {
	a := array.Vec([]float64{1, 2, 3})
	for _, q := range []float64{-0.1, 1.1, math.NaN()} {
		if _, err := Quantile(a, q); !errors.Is(err, ErrArgument) {
			t.Errorf("q=%v: %v", q, err)
		}
	}
	if v, err := Quantile(array.Vec([]float64{1, math.NaN()}), 0.5); err != nil || !math.IsNaN(v) {
		t.Errorf("NaN input: %v, %v", v, err)
	}
	if _, err := Median(array.New(0)); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
	if _, err := Median(nil); !errors.Is(err, ErrNil) {
		t.Errorf("nil: %v", err)
	}
	m := array.New(4, 3)
	d := array.New(3)
	d.Fill(9)
	for name, c := range map[string]struct {
		err  error
		want error
	}{
		"q":       {QuantileAxis(d, m, 2, 0), ErrArgument},
		"shape":   {QuantileAxis(array.New(4), m, 0.5, 0), ErrShape},
		"axis":    {QuantileAxis(d, m, 0.5, 3), ErrAxis},
		"overlap": {QuantileAxis(m.Row(1), m, 0.5, 0), ErrOverlap},
		"empty":   {QuantileAxis(d, array.New(0, 3), 0.5, 0), ErrEmpty},
	} {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v, want %v", name, c.err, c.want)
		}
	}
	for _, v := range d.Values() {
		if v != 9 {
			t.Fatal("dst changed by a failed call")
		}
	}
}
