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

// exactPowBig is x**y for x > 0 to bigmath's precision.
func exactPowBig(x, y float64) *big.Float {
	z := new(big.Float).SetPrec(bigmath.Prec).Mul(bigmath.New(y), bigmath.Log(bigmath.New(x)))
	return bigmath.Exp(z)
}

// powQuickArgs returns pairs (x, y) for the quick pow's tests, at its worst
// places: x at the quick log's bucket edges (where r³ is largest) with y
// spreading |y·log x| log-uniformly up to ExpQuickMax, x next to 1 with
// large y, y·log x next to the quick exp's multiples of ln2/64, and the
// common case, x in (0, 100) with a small y.
func powQuickArgs(r *rand.Rand, n int) [][2]float64 {
	var ps [][2]float64
	xs := logQuickArgs(r)
	spread := func(x float64) float64 {
		l := math.Log(x)
		z := math.Ldexp(1+r.Float64(), -20+r.IntN(30)) // up to 2^10
		if r.IntN(2) == 0 {
			z = -z
		}
		return math.Min(math.Max(z, -mathtab.ExpQuickMax), mathtab.ExpQuickMax) / l
	}
	for range n {
		x := xs[r.IntN(len(xs))]
		if x != 1 {
			ps = append(ps, [2]float64{x, spread(x)})
		}
		d := math.Ldexp(1+r.Float64(), -8-r.IntN(40))
		ps = append(ps, [2]float64{1 + d, spread(1 + d)}, [2]float64{1 - d, spread(1 - d)})
		x = 100 * r.Float64()
		ps = append(ps, [2]float64{x, []float64{1.5, -2.5, 0.5, 3, 1.0 / 3}[r.IntN(5)]})
		// y·log x at an odd multiple of ln2/64, where the quick exp's |r|
		// is largest.
		m := 32639 // ExpQuickMax/(ln2/32), rounded down
		z := float64(2*(r.IntN(2*m)-m)+1) * math.Ln2 / 64
		x = 1 + 4*r.Float64()
		ps = append(ps, [2]float64{x, z / math.Log(x)})
	}
	return ps
}

// TestPowQuickErr measures the quick pow's error against bigmath: it must
// stay under half the bound Ziv's test assumes, ExpQuickErr + |y·r3|·
// PowQuickErrR + |zh|·PowQuickErrZ.
func TestPowQuickErr(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	worst, at := 0.0, [2]float64{}
	worstR, atR := 0.0, [2]float64{} // where the r³ term is most of the bound
	for _, p := range powQuickArgs(rand.New(rand.NewPCG(21, 22)), n) {
		x, y := p[0], p[1]
		h, l, err, k := powQuickParts(x, y)
		if !(err <= 1) {
			continue
		}
		want := exactPowBig(x, y)
		want.SetMantExp(want, -int(k>>5))
		got := bigmath.New(h)
		got.Add(got, bigmath.New(l))
		d, _ := new(big.Float).Sub(got, want).Float64()
		d = math.Abs(d)
		if d > err/2 {
			t.Fatalf("Pow(%v, %v): |h + l − x**y/2^n| = %g above half the bound %g", x, y, d, err)
		}
		if d/err > worst {
			worst, at = d/err, p
		}
		if _, _, r3 := logQuickParts(x); math.Abs(y*r3)*mathtab.PowQuickErrR > err/2 && d/err > worstR {
			worstR, atR = d/err, p
		}
	}
	t.Logf("worst error/bound %.3f (x = %v, y = %v)", worst, at[0], at[1])
	t.Logf("worst where the r³ term dominates %.3f (x = %v, y = %v)", worstR, atR[0], atR[1])
}

// powQuickRaw is the quick path's result without Ziv's test (0 off the
// path).
func powQuickRaw(x, y float64) float64 {
	h, l, err, k := powQuickParts(x, y)
	if !(err <= 1) {
		return 0
	}
	return math.Float64frombits(math.Float64bits(h+l) + uint64(k<<47)&^(31<<47))
}

// TestPowQuickAgrees checks that wherever the quick path passes its test
// it gives the accurate path's bits, and that it fails rarely on common
// arguments.
func TestPowQuickAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	common := make([][2]float64, 400000)
	for i := range common {
		common[i] = [2]float64{100 * r.Float64(), []float64{1.5, -2.5, 0.5, 3, 1.0 / 3, 2.2}[r.IntN(6)]}
	}
	checkPowAgrees(t, "common", common, 0.005)
	checkPowAgrees(t, "edges", powQuickArgs(r, 20000), 0.05)
}

func checkPowAgrees(t *testing.T, name string, ps [][2]float64, maxFail float64) {
	t.Helper()
	if testing.Short() {
		ps = ps[:len(ps)/20]
	}
	fails := 0
	for _, p := range ps {
		got, ok := powQuick(p[0], p[1])
		if !ok {
			fails++
			continue
		}
		if want := powAcc(p[0], p[1]); got != want {
			t.Fatalf("Pow(%v, %v): the quick path %v passes its test, the accurate path gives %v", p[0], p[1], got, want)
		}
	}
	t.Logf("%s: %d of %d arguments fail the test (%.3f%%)", name, fails, len(ps), 100*float64(fails)/float64(len(ps)))
	if float64(fails) > maxFail*float64(len(ps)) {
		t.Errorf("%s: %d of %d arguments fail the quick path's test: more than %.1f%%", name, fails, len(ps), 100*maxFail)
	}
}

// readPairs reads "x y" a line, skipping blank lines and # comments.
func readPairs(t *testing.T, name string) [][2]float64 {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var ps [][2]float64
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			t.Fatalf("%s: %q is not a pair", name, line)
		}
		var p [2]float64
		for i := range p {
			if p[i], err = strconv.ParseFloat(f[i], 64); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		ps = append(ps, p)
	}
	return ps
}

// TestPowQuickHard checks pairs where the quick path alone misrounds: the
// test must catch each, and Pow (of x and, for odd integer y, −x) must
// give the correctly rounded value.
func TestPowQuickHard(t *testing.T) {
	ps := readPairs(t, "testdata/pow_quick_hard.txt")
	if len(ps) < 10 {
		t.Fatalf("%d hard pairs", len(ps))
	}
	for _, p := range ps {
		x, y := p[0], p[1]
		want := bigmath.Float64(exactPowBig(x, y))
		if raw := powQuickRaw(x, y); raw == want {
			t.Errorf("Pow(%v, %v): the quick path alone gives the right %v; the list should hold misrounded cases", x, y, raw)
		}
		if _, ok := powQuick(x, y); ok {
			t.Errorf("Pow(%v, %v): the quick path passes its test but misrounds", x, y)
		}
		if got := Pow(x, y); got != want {
			t.Errorf("Pow(%v, %v) = %v, want %v", x, y, got, want)
		}
	}
}
