package asm

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/blockwise/blockwise/fmath"
	"github.com/blockwise/blockwise/internal/mathtab"
)

// powOnPath is a pair (x, y) of the quick pow: mostly x in (0, 100) with a
// small y, sometimes any normal x with y·log x up to ±700.
func powOnPath(r *rand.Rand) (x, y float64) {
	if r.IntN(4) == 0 {
		x = math.Float64frombits(1<<52 + r.Uint64N(0x7fe0_0000_0000_0000))
		return x, (2*r.Float64() - 1) * 700 / math.Abs(math.Log(x))
	}
	return 100 * r.Float64(), 4*r.Float64() - 2
}

// powSpecials are arguments for Pow's special cases, as x and as y.
var powSpecials = []float64{0, math.Copysign(0, -1), 1, -1, 2, -2, 0.5, -0.5, 3, -3, 1.5, 1e-310, -1e-310,
	math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 1 << 53, 1<<53 + 2, 710, -745, 1e300}

// checkPow compares Pow and PowConst (for each distinct y when y is
// constant) on every ISA, in place too, bit for bit with fmath.Pow.
func checkPow(t *testing.T, name string, x, y []float64) {
	t.Helper()
	want := make([]float64, len(x))
	for i := range x {
		want[i] = fmath.Pow(x[i], y[i])
	}
	check := func(what, isa string, d []float64) {
		t.Helper()
		bad := 0
		for i := range d {
			if !sameBits(d[i], want[i]) {
				if bad++; bad <= 5 {
					t.Errorf("%s %s/%s: Pow(%v, %v) = %v, want %v", name, what, isa, x[i], y[i], d[i], want[i])
				}
			}
		}
		if bad > 5 {
			t.Errorf("%s %s/%s: %d of %d values differ", name, what, isa, bad, len(d))
		}
	}
	for _, isa := range ISAs() {
		restore := SetISA(isa)
		d := make([]float64, len(x))
		Pow(d, x, y)
		check("Pow", isa, d)
		xc := append([]float64(nil), x...)
		Pow(xc, xc, y)
		check("Pow in place (x)", isa, xc)
		yc := append([]float64(nil), y...)
		Pow(yc, x, yc)
		check("Pow in place (y)", isa, yc)
		constant := true
		for _, v := range y {
			constant = constant && sameBits(v, y[0])
		}
		if constant && len(y) > 0 {
			PowConst(d, x, y[0])
			check("PowConst", isa, d)
		}
		restore()
	}
}

// TestVPowReference checks fmath's reference points, the special cases
// against each other, pairs on the vector path and random bits.
func TestVPowReference(t *testing.T) {
	b, err := os.ReadFile("../../fmath/testdata/pow.f64")
	if err != nil {
		t.Fatal(err)
	}
	var x, y []float64
	for i := 0; i+24 <= len(b); i += 24 {
		x = append(x, math.Float64frombits(binary.LittleEndian.Uint64(b[i:])))
		y = append(y, math.Float64frombits(binary.LittleEndian.Uint64(b[i+8:])))
	}
	checkPow(t, "reference", x, y)
	x, y = x[:0], y[:0]
	for _, a := range powSpecials {
		for _, c := range powSpecials {
			x, y = append(x, a), append(y, c)
		}
	}
	checkPow(t, "specials", x, y)
	r := rand.New(rand.NewPCG(1, 2))
	x, y = make([]float64, 1<<16), make([]float64, 1<<16)
	for i := range x {
		x[i], y[i] = powOnPath(r)
	}
	checkPow(t, "on path", x, y)
	for i := range x {
		x[i], y[i] = math.Float64frombits(r.Uint64()), math.Float64frombits(r.Uint64())
	}
	checkPow(t, "random bits", x, y)
	for _, c := range []float64{1.5, -1, 2, 0.5, 1.0 / 3, 0, math.NaN()} {
		for i := range x {
			x[i], _ = powOnPath(r)
			y[i] = c
		}
		checkPow(t, fmt.Sprintf("y = %v", c), x, y)
	}
}

// TestVPowHard puts each pair where fmath's quick pow alone misrounds at
// every lane of a group of pairs on the path.
func TestVPowHard(t *testing.T) {
	b, err := os.ReadFile("../../fmath/testdata/pow_quick_hard.txt")
	if err != nil {
		t.Fatal(err)
	}
	var hard [][2]float64
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		var p [2]float64
		for i := range p {
			if p[i], err = strconv.ParseFloat(f[i], 64); err != nil {
				t.Fatal(err)
			}
		}
		hard = append(hard, p)
	}
	if len(hard) < 10 {
		t.Fatalf("%d hard pairs", len(hard))
	}
	r := rand.New(rand.NewPCG(9, 10))
	var x, y []float64
	for _, h := range hard {
		for lane := range group {
			for i := range group {
				a, c := powOnPath(r)
				if i == lane {
					a, c = h[0], h[1]
				}
				x, y = append(x, a), append(y, c)
			}
		}
	}
	checkPow(t, "hard", x, y)
}

// TestVPowPath checks that the assembly takes whole groups of pairs on its
// path, and stops at a group with a lane off it, leaving that lane alone.
func TestVPowPath(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, isa := range ISAs() {
		if isa == "go" {
			continue
		}
		restore := SetISA(isa)
		x, y := make([]float64, 64), make([]float64, 64)
		for i := range x {
			x[i], y[i] = powOnPath(r)
		}
		d := make([]float64, len(x))
		run := func() (int, int) {
			return powAVX2(d, x, &y[0], 32, &vmathK, &logQ, &mathtab.ExpQHi, &mathtab.ExpQLo)
		}
		for try := 0; try < 10; try++ { // redraw the rare pair failing Ziv's test
			n, m := run()
			if m == 0 {
				break
			}
			for ; m != 0; m &= m - 1 {
				j := n + bits.TrailingZeros(uint(m))
				x[j], y[j] = powOnPath(r)
			}
		}
		if n, m := run(); n != len(x) || m != 0 {
			t.Errorf("%s: the assembly took %d of %d pairs on its path (lanes left %#x)", isa, n, len(x), m)
		}
		for _, off := range []struct {
			name string
			x, y float64
		}{{"x = NaN", math.NaN(), 1}, {"y = NaN", 2, math.NaN()}, {"x < 0", -2, 2}, {"x subnormal", 1e-310, 0.5},
			{"x = +Inf", math.Inf(1), 1}, {"y = Inf", 3, math.Inf(1)}, {"y·log x > 707", 10, 400}} {
			x0, y0 := x[21], y[21]
			x[21], y[21] = off.x, off.y
			d[21] = 42
			n, m := run()
			if n != 20 || m != 1<<1 {
				t.Errorf("%s, %s at 21: the assembly stopped at %d with lanes %#x, want 20 and %#x", isa, off.name, n, m, 1<<1)
			}
			if d[21] != 42 {
				t.Errorf("%s, %s at 21: the assembly wrote %v to the lane it left", isa, off.name, d[21])
			}
			x[21], y[21] = x0, y0
		}
		restore()
	}
}

// TestVPowGuards checks every length and alignment against writes outside
// dst.
func TestVPowGuards(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, isa := range ISAs() {
		restore := SetISA(isa)
		for n := 0; n <= 40; n++ {
			for mis := range 8 {
				x, _, _ := guarded(n, 0, func(int) float64 { v, _ := powOnPath(r); return v })
				y, _, _ := guarded(n, 0, func(int) float64 { return 4*r.Float64() - 2 })
				if n > 3 {
					x[n/2] = -1 // off the path
				}
				d, back, off := guarded(n, mis, func(int) float64 { return 0 })
				Pow(d, x, y)
				checkGuards(t, fmt.Sprintf("pow/%s n=%d", isa, n), back, off, n)
				d, back, off = guarded(n, mis, func(int) float64 { return 0 })
				PowConst(d, x, 1.5)
				checkGuards(t, fmt.Sprintf("powconst/%s n=%d", isa, n), back, off, n)
				for i := range x {
					if want := fmath.Pow(x[i], 1.5); !sameBits(d[i], want) {
						t.Fatalf("powconst/%s n=%d mis=%d: [%d] = %v, want %v", isa, n, mis, i, d[i], want)
					}
				}
			}
		}
		restore()
	}
}

// BenchmarkVPow times Pow beside its scalar loop, on pairs on the path
// with a constant exponent as numpy's x**1.5 would have.
func BenchmarkVPow(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{4096, 1 << 20} {
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i] = 100 * r.Float64()
			y[i] = 1.5
		}
		d := make([]float64, n)
		b.Run(fmt.Sprintf("scalar/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(16 * n))
			for b.Loop() {
				for i, v := range x {
					d[i] = fmath.Pow(v, y[i])
				}
			}
		})
		for _, isa := range ISAs() {
			b.Run(fmt.Sprintf("%s/n=%d", isa, n), func(b *testing.B) {
				defer SetISA(isa)()
				b.SetBytes(int64(16 * n))
				for b.Loop() {
					Pow(d, x, y)
				}
			})
		}
	}
}

// FuzzVPow compares Pow and PowConst, on every ISA and in place, with
// fmath.Pow on pairs read from the input; with bit 0 of the first byte
// set, the pairs are moved onto the vector path so that the lanes run in
// the assembly.
func FuzzVPow(f *testing.F) {
	f.Add(bytesOf(2, 1.5, 0.5, -1, 1e-310, 3, -2, 3, 1, math.NaN(), math.Inf(1), 0.5, 10, 400))
	f.Add(bytesOf(1.0000001, 1e7, 0.999, -5e5, 3.7, 2, 1e300, 2.3, 7, 1.0/3, 0, 0, math.Copysign(0, -1), -3))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 16 {
			return
		}
		var x, y []float64
		for i := 0; i+16 <= len(data); i += 16 {
			x = append(x, math.Float64frombits(binary.LittleEndian.Uint64(data[i:])))
			y = append(y, math.Float64frombits(binary.LittleEndian.Uint64(data[i+8:])))
		}
		if data[0]&1 != 0 {
			r := rand.New(rand.NewPCG(uint64(len(data)), uint64(data[1])))
			for i := range x {
				if !(math.Abs(x[i]) >= 0x1p-1022 && math.Abs(x[i]) <= math.MaxFloat64) || data[0]&2 != 0 {
					x[i], y[i] = powOnPath(r)
				}
				x[i] = math.Abs(x[i])
				if z := y[i] * math.Log(x[i]); !(math.Abs(z) <= 700) {
					y[i] = 700 / math.Log(x[i]) * math.Copysign(1, z)
				}
			}
		}
		checkPow(t, "fuzz", x, y)
		if len(x) > 0 {
			c := make([]float64, len(x))
			for i := range c {
				c[i] = y[0]
			}
			checkPow(t, "fuzz, one exponent", x, c)
		}
	})
}
