package fmath

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/blockwise/blockwise/internal/bigmath"
)

// A case is one reference point: the arguments and the correctly rounded
// result (testdata/README.md).
type refCase struct{ x, y, want float64 }

func loadRef(t testing.TB, name string) []refCase {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name + ".f64")
	if err != nil {
		t.Fatal(err)
	}
	rec := 16
	if name == "pow" {
		rec = 24
	}
	if len(b)%rec != 0 {
		t.Fatalf("%s: %d bytes is not a whole number of records", name, len(b))
	}
	f := func(i int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b[i:])) }
	cs := make([]refCase, 0, len(b)/rec)
	for i := 0; i < len(b); i += rec {
		if name == "pow" {
			cs = append(cs, refCase{f(i), f(i + 8), f(i + 16)})
		} else {
			cs = append(cs, refCase{x: f(i), want: f(i + 8)})
		}
	}
	return cs
}

type refFunc struct {
	name string
	ours func(x, y float64) float64
	gos  func(x, y float64) float64
}

func unary(f func(float64) float64) func(x, y float64) float64 {
	return func(x, _ float64) float64 { return f(x) }
}

var refFuncs = []refFunc{
	{"exp", unary(Exp), unary(math.Exp)},
	{"exp2", unary(Exp2), unary(math.Exp2)},
	{"expm1", unary(Expm1), unary(math.Expm1)},
	{"log", unary(Log), unary(math.Log)},
	{"log2", unary(Log2), unary(math.Log2)},
	{"log10", unary(Log10), unary(math.Log10)},
	{"log1p", unary(Log1p), unary(math.Log1p)},
	{"sin", unary(Sin), unary(math.Sin)},
	{"cos", unary(Cos), unary(math.Cos)},
	{"tanh", unary(Tanh), unary(math.Tanh)},
	{"pow", Pow, math.Pow},
}

// accuracy is one function's record over its reference points.
type accuracy struct {
	n, correct int
	maxUlps    int64
	worst      refCase
	worstGot   float64
}

func measure(cs []refCase, f func(x, y float64) float64) accuracy {
	a := accuracy{n: len(cs)}
	for _, c := range cs {
		got := f(c.x, c.y)
		u := bigmath.Ulps(got, c.want)
		if u == 0 && (got != 0 || math.Signbit(got) == math.Signbit(c.want)) {
			a.correct++
		}
		if got == 0 && c.want == 0 && math.Signbit(got) != math.Signbit(c.want) {
			u = math.MaxInt64 // a wrong sign of zero is not an ulp away
		}
		if u > a.maxUlps {
			a.maxUlps, a.worst, a.worstGot = u, c, got
		}
	}
	return a
}

// TestReference checks every reference point: within 1 ulp of the
// correctly rounded result, the special values exactly, and correctly
// rounded at 99.9% of points or more.
func TestReference(t *testing.T) {
	for _, f := range refFuncs {
		t.Run(f.name, func(t *testing.T) {
			cs := loadRef(t, f.name)
			a := measure(cs, f.ours)
			if a.maxUlps > 1 {
				t.Errorf("%d ulps at x=%v y=%v: got %v, want %v", a.maxUlps, a.worst.x, a.worst.y, a.worstGot, a.worst.want)
			}
			// Special values must be exact (including the sign of zero).
			for _, c := range cs {
				if c.want == 0 || math.IsInf(c.want, 0) || math.IsNaN(c.want) || isSpecial(c.x) || f.name == "pow" && isSpecial(c.y) {
					got := f.ours(c.x, c.y)
					if !(math.Float64bits(got) == math.Float64bits(c.want) || math.IsNaN(got) && math.IsNaN(c.want)) {
						t.Errorf("%s(%v, %v) = %v, want %v", f.name, c.x, c.y, got, c.want)
					}
				}
			}
			if share := float64(a.correct) / float64(a.n); share < 0.999 {
				t.Errorf("correctly rounded at %.4f%% of points, want ≥ 99.9%%", 100*share)
			}
		})
	}
}

func isSpecial(x float64) bool { return x == 0 || math.IsInf(x, 0) || math.IsNaN(x) }

// TestAccuracyTable prints docs/performance.md's accuracy table (go test
// -run AccuracyTable -v ./fmath).
func TestAccuracyTable(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "| function | points | fmath max ulp | fmath correctly rounded | Go math max ulp | Go math correctly rounded | Go math > 1 ulp |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|\n")
	for _, f := range refFuncs {
		cs := loadRef(t, f.name)
		ours, gos := measure(cs, f.ours), measure(cs, f.gos)
		over := 0
		for _, c := range cs {
			if bigmath.Ulps(f.gos(c.x, c.y), c.want) > 1 {
				over++
			}
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %.3f%% | %s | %.3f%% | %d |\n", f.name, len(cs),
			ulpString(ours.maxUlps), 100*float64(ours.correct)/float64(len(cs)),
			ulpString(gos.maxUlps), 100*float64(gos.correct)/float64(len(cs)), over)
	}
	t.Log("\n" + b.String())
}

func ulpString(u int64) string {
	if u == math.MaxInt64 {
		return "wrong special value"
	}
	return fmt.Sprintf("%.3g", float64(u))
}
