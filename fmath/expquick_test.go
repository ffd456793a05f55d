package fmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/blockwise/blockwise/internal/bigmath"
	"github.com/blockwise/blockwise/internal/mathtab"
)

// TestExpQuickErr measures |h + l − e^x/2^n| of the quick path against
// bigmath, over the whole range and at its worst places (|r| at its
// largest, the table's last rows), and requires it under half of
// mathtab.ExpQuickErr, the bound Ziv's test assumes.
func TestExpQuickErr(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	step := math.Ln2 / 32
	var xs []float64
	for range 3000 {
		xs = append(xs, (2*r.Float64()-1)*mathtab.ExpQuickMax)
	}
	for range 3000 {
		// The edge of a reduction interval, with the largest |r|.
		k := math.Round((2*r.Float64() - 1) * mathtab.ExpQuickMax / step)
		x := (k + 0.5 - 1e-9*r.Float64()) * step
		if r.IntN(2) == 0 {
			x = (k - 0.5 + 1e-9*r.Float64()) * step
		}
		if math.Abs(x) <= mathtab.ExpQuickMax {
			xs = append(xs, x)
		}
	}
	if testing.Short() {
		xs = xs[:500]
	}
	worst := 0.0
	for _, x := range xs {
		h, l, k := expQuickParts(x)
		e := bigmath.Exp(bigmath.New(x))
		e.SetMantExp(e, -int(k>>5))
		got := bigmath.New(h)
		got.Add(got, bigmath.New(l))
		d, _ := new(big.Float).Sub(got, e).Float64()
		if a := math.Abs(d); a > worst {
			worst = a
		}
		if h+l < 0.989 || h+l > 2.023 {
			t.Fatalf("x=%v: h+l = %v outside [0.989, 2.023)", x, h+l)
		}
	}
	t.Logf("worst |h+l − e^x/2^n| = 2^%.2f over %d points (bound 2^%.0f)", math.Log2(worst), len(xs), math.Log2(mathtab.ExpQuickErr))
	if worst > mathtab.ExpQuickErr/2 {
		t.Fatalf("worst error 2^%.2f exceeds half the bound 2^%.0f", math.Log2(worst), math.Log2(mathtab.ExpQuickErr))
	}
}

// expQuickRaw is the quick path's result without Ziv's test.
func expQuickRaw(x float64) float64 {
	h, l, k := expQuickParts(x)
	return math.Float64frombits(math.Float64bits(h+l) + uint64(k<<47)&^(31<<47))
}

// TestExpQuickAgrees scans random arguments: wherever the quick path passes
// its test it gives the accurate path's bits, and it fails the test rarely
// enough to pay (the vector form recomputes a group of eight lanes when
// one fails).
func TestExpQuickAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	checkQuickAgrees(t, "Exp", 400000, 0.004,
		func(int) float64 { return (2*r.Float64() - 1) * mathtab.ExpQuickMax },
		expQuick, expQuickRaw,
		func(x float64) float64 {
			rh, rl, k := expReduce(x, 0)
			return scale(expKernel(rh, rl, k))
		})
}

// checkQuickAgrees runs a quick path on n arguments arg(k) (n/20 in short
// mode): where it passes its test it must give acc's bits, and at most a
// share maxFail of the arguments may fail the test. raw, the quick result
// without the test, counts the failures it would have misrounded (nil: not
// counted).
func checkQuickAgrees(t *testing.T, name string, n int, maxFail float64, arg func(k int) float64,
	quick func(float64) (float64, bool), raw, acc func(float64) float64) {
	t.Helper()
	if testing.Short() {
		n /= 20
	}
	fails, misrounds := 0, 0
	for k := range n {
		x := arg(k)
		want := acc(x)
		y, ok := quick(x)
		switch {
		case !ok:
			fails++
			if raw != nil && raw(x) != want {
				misrounds++
			}
		case y != want:
			t.Fatalf("%s(%v): quick path %v passes its test, accurate path %v", name, x, y, want)
		}
	}
	t.Logf("%s: %d of %d arguments fail the test (%.3f%%)", name, fails, n, 100*float64(fails)/float64(n))
	if raw != nil {
		t.Logf("%s: %d of the failures misrounded without the test", name, misrounds)
	}
	if float64(fails) > maxFail*float64(n) {
		t.Errorf("%s: %d of %d arguments fail the quick path's test: more than %.1f%%", name, fails, n, 100*maxFail)
	}
}

// TestExpQuickHard checks arguments where the quick path alone misrounds:
// the test must catch each, and Exp must give the correctly rounded value.
func TestExpQuickHard(t *testing.T) {
	checkQuickHard(t, "Exp", "testdata/exp_quick_hard.txt", func(x float64) float64 { return exactExp(x, 0) },
		expQuickRaw, expQuick, Exp)
}

// checkQuickHard checks each argument x of file, where the quick path alone
// (raw) misrounds: quick's test must fail there, and f(x) must be want(x),
// the correctly rounded value.
func checkQuickHard(t *testing.T, name, file string, want, raw func(float64) float64,
	quick func(float64) (float64, bool), f func(float64) float64) {
	t.Helper()
	for _, x := range readFloats(t, file) {
		w := want(x)
		if r := raw(x); r == w {
			t.Errorf("%s(%v): the quick path alone gives the right %v; the list should hold misrounded cases", name, x, r)
		}
		if _, ok := quick(x); ok {
			t.Errorf("%s(%v): the quick path passes its test but misrounds", name, x)
		}
		if got := f(x); got != w {
			t.Errorf("%s(%v) = %v, want %v", name, x, got, w)
		}
	}
}

// readFloats reads one number a line, skipping blank lines and # comments.
func readFloats(t *testing.T, name string) []float64 {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var xs []float64
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line == "" || line[0] == '#' {
			continue
		}
		x, err := strconv.ParseFloat(line, 64)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		xs = append(xs, x)
	}
	return xs
}
