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

// vmathCases lists the vector forms of fmath's functions with their scalar
// definitions and arguments on their vector path.
var vmathCases = []struct {
	f      int
	name   string
	vec    func(dst, x []float64)
	scalar func(float64) float64
	onPath func(r *rand.Rand) float64
}{
	{vExp, "exp", Exp, fmath.Exp, func(r *rand.Rand) float64 { return (2*r.Float64() - 1) * expFast }},
	{vLog, "log", Log, fmath.Log, func(r *rand.Rand) float64 {
		return math.Float64frombits(1<<52 + r.Uint64N(0x7fe0_0000_0000_0000))
	}},
	{vSin, "sin", Sin, fmath.Sin, sinOnPath},
	{vCos, "cos", Cos, fmath.Cos, sinOnPath},
	{vTanh, "tanh", Tanh, fmath.Tanh, func(r *rand.Rand) float64 {
		if r.IntN(4) == 0 {
			return (2*r.Float64() - 1) * mathtab.TanhQuickMax
		}
		return r.NormFloat64()
	}},
	{vLog2, "log2", Log2, fmath.Log2, logOnPath},
	{vLog10, "log10", Log10, fmath.Log10, logOnPath},
}

// logOnPath is a normal positive float64, every exponent alike, and now
// and then one next to 1.
func logOnPath(r *rand.Rand) float64 {
	if r.IntN(8) == 0 {
		return 1 + math.Ldexp(r.Float64()-0.5, -r.IntN(40))
	}
	return math.Float64frombits(1<<52 + r.Uint64N(0x7fe0_0000_0000_0000))
}

// sinOnPath is an argument of the quick sin and cos: mostly a few periods
// either side of 0, and sometimes any size up to SinQuickMax.
func sinOnPath(r *rand.Rand) float64 {
	if r.IntN(4) == 0 {
		return (2*r.Float64() - 1) * math.Ldexp(1, r.IntN(21))
	}
	return 8 * r.NormFloat64()
}

// refPoints reads the arguments of fmath's reference points for name.
func refPoints(t *testing.T, name string) []float64 {
	b, err := os.ReadFile("../../fmath/testdata/" + name + ".f64")
	if err != nil {
		t.Fatal(err)
	}
	var x []float64
	for i := 0; i+16 <= len(b); i += 16 {
		x = append(x, math.Float64frombits(binary.LittleEndian.Uint64(b[i:])))
	}
	return x
}

// checkVMath compares f's vector form on x, on every ISA, bit for bit with
// the scalar definition.
func checkVMath(t *testing.T, name string, vec func(dst, x []float64), f func(float64) float64, x []float64) {
	t.Helper()
	for _, isa := range ISAs() {
		restore := SetISA(isa)
		d := make([]float64, len(x))
		vec(d, x)
		restore()
		bad := 0
		for i, v := range x {
			if want := f(v); math.Float64bits(d[i]) != math.Float64bits(want) {
				if bad++; bad <= 5 {
					t.Errorf("%s/%s(%v = %#x): got %v (%#x), want %v (%#x)", name, isa, v, math.Float64bits(v),
						d[i], math.Float64bits(d[i]), want, math.Float64bits(want))
				}
			}
		}
		if bad > 5 {
			t.Errorf("%s/%s: %d of %d values differ", name, isa, bad, len(x))
		}
	}
}

// TestVMathReference checks every reference point of fmath's tests, and
// random arguments over the vector path and beyond it.
func TestVMathReference(t *testing.T) {
	for _, c := range vmathCases {
		t.Run(c.name, func(t *testing.T) {
			checkVMath(t, c.name, c.vec, c.scalar, refPoints(t, c.name))
			r := rand.New(rand.NewPCG(1, 2))
			x := make([]float64, 1<<16)
			for i := range x {
				x[i] = c.onPath(r)
			}
			checkVMath(t, c.name, c.vec, c.scalar, x)
			for i := range x {
				x[i] = math.Float64frombits(r.Uint64())
			}
			checkVMath(t, c.name, c.vec, c.scalar, x)
		})
	}
}

// TestVMathExpHard puts each argument where fmath's quick exp path alone
// misrounds (its Ziv test sends them to the accurate path) at every lane of
// a group of on-path arguments, and fills whole groups with them: the
// vector form must recompute such a group and keep the quick result only
// in the lanes that passed.
func TestVMathExpHard(t *testing.T) {
	testVMathHard(t, "exp", "exp_quick_hard.txt", Exp, fmath.Exp, vmathCases[0].onPath)
}

// TestVMathLogHard is TestVMathExpHard for Log: arguments where the quick
// log misrounds, so its slow path must take them.
func TestVMathLogHard(t *testing.T) {
	testVMathHard(t, "log", "log_quick_hard.txt", Log, fmath.Log, vmathCases[1].onPath)
}

// TestVMathSinHard is TestVMathExpHard for Sin and Cos: arguments where the
// quick path misrounds, and their negations; the caller sets such a lane.
func TestVMathSinHard(t *testing.T) {
	for _, c := range []struct {
		fn, file string
		vec      func(d, x []float64)
		scalar   func(float64) float64
	}{{"sin", "sin_quick_hard.txt", Sin, fmath.Sin}, {"cos", "cos_quick_hard.txt", Cos, fmath.Cos}} {
		testVMathHard(t, c.fn, c.file, c.vec, c.scalar, sinOnPath)
		neg := func(d, x []float64) {
			y := make([]float64, len(x))
			for i := range x {
				y[i] = -x[i]
			}
			c.vec(d, y)
		}
		testVMathHard(t, c.fn+"(−x)", c.file, neg, func(v float64) float64 { return c.scalar(-v) }, sinOnPath)
	}
}

// TestVMathTanhHard is TestVMathSinHard for Tanh.
func TestVMathTanhHard(t *testing.T) {
	testVMathHard(t, "tanh", "tanh_quick_hard.txt", Tanh, fmath.Tanh, vmathCases[4].onPath)
	neg := func(d, x []float64) {
		y := make([]float64, len(x))
		for i := range x {
			y[i] = -x[i]
		}
		Tanh(d, y)
	}
	testVMathHard(t, "tanh(−x)", "tanh_quick_hard.txt", neg, func(v float64) float64 { return fmath.Tanh(-v) }, vmathCases[4].onPath)
}

// testVMathHard puts each argument of fmath/testdata/name at every lane of a
// group of arguments on the vector path, and checks vec against scalar.
func testVMathHard(t *testing.T, fn, name string, vec func(d, x []float64), scalar func(float64) float64, onPath func(*rand.Rand) float64) {
	b, err := os.ReadFile("../../fmath/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var hard []float64
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && line[0] != '#' {
			v, err := strconv.ParseFloat(line, 64)
			if err != nil {
				t.Fatal(err)
			}
			hard = append(hard, v)
		}
	}
	if len(hard) < 20 {
		t.Fatalf("%s: %d hard arguments", name, len(hard))
	}
	r := rand.New(rand.NewPCG(9, 10))
	var x []float64
	for _, h := range hard {
		for lane := range group {
			for i := range group {
				v := onPath(r)
				if i == lane {
					v = h
				}
				x = append(x, v)
			}
		}
	}
	x = append(x, hard...)
	checkVMath(t, fn, vec, scalar, x)
}

// TestVMathPath checks that the assembly takes whole groups of arguments on
// its path (so the tests above test it), and stops at a group with one
// argument off it.
func TestVMathPath(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, c := range vmathCases {
		for _, isa := range ISAs() {
			if isa == "go" {
				continue
			}
			restore := SetISA(isa)
			x := make([]float64, 64)
			for i := range x {
				x[i] = c.onPath(r)
			}
			d := make([]float64, len(x))
			// Sin, Cos and Tanh leave a lane failing Ziv's test (about one
			// in a thousand) to the caller: redraw such an argument.
			for try := 0; try < 10; try++ {
				n, m := vmathVec(c.f, d, x)
				if m == 0 {
					break
				}
				for ; m != 0; m &= m - 1 {
					x[n+bits.TrailingZeros(uint(m))] = c.onPath(r)
				}
			}
			if n, m := vmathVec(c.f, d, x); n != len(x) || m != 0 {
				t.Errorf("%s/%s: the assembly took %d of %d arguments on its path (lanes left %#x)", c.name, isa, n, len(x), m)
			}
			lanes := map[string]int{"avx2": 4, "avx512": 8}[isa]
			if lanesForm(c.f) {
				lanes = 4 // one form, AVX2, at both levels
			}
			x[21] = math.NaN()
			n, m := vmathVec(c.f, d, x)
			if n != 21&^(lanes-1) {
				t.Errorf("%s/%s: with a NaN at 21 the assembly took %d arguments, want %d", c.name, isa, n, 21&^(lanes-1))
			}
			if want := map[bool]int{false: 0, true: 1 << (21 % lanes)}[lanesForm(c.f)]; m != want {
				t.Errorf("%s/%s: with a NaN at 21 the assembly left lanes %#x, want %#x", c.name, isa, m, want)
			}
			restore()
		}
	}
}

// lanesForm reports whether f's vector form leaves failing lanes to its
// caller (one form, AVX2, at both levels) rather than redoing the group.
func lanesForm(f int) bool { return f != vExp && f != vLog }

// TestVMathGuards checks every length and alignment, in place and not,
// against writes outside dst.
func TestVMathGuards(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, c := range vmathCases {
		for _, isa := range ISAs() {
			restore := SetISA(isa)
			for n := 0; n <= 40; n++ {
				for mis := range 8 {
					x, _, _ := guarded(n, 0, func(int) float64 { return c.onPath(r) })
					if n > 3 {
						x[n/2] = math.Inf(1) // off the path for both
					}
					d, back, off := guarded(n, mis, func(int) float64 { return 0 })
					c.vec(d, x)
					checkGuards(t, fmt.Sprintf("%s/%s n=%d", c.name, isa, n), back, off, n)
					for i := range x {
						if want := c.scalar(x[i]); !sameBits(d[i], want) {
							t.Fatalf("%s/%s n=%d mis=%d: [%d] = %v, want %v", c.name, isa, n, mis, i, d[i], want)
						}
					}
					c.vec(x, x)
					for i := range x {
						if !sameBits(x[i], d[i]) {
							t.Fatalf("%s/%s n=%d in place: [%d] = %v, want %v", c.name, isa, n, i, x[i], d[i])
						}
					}
				}
			}
			restore()
		}
	}
}

// BenchmarkVMath times each vector form beside its scalar loop, on
// arguments on the vector path.
func BenchmarkVMath(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, c := range vmathCases {
		for _, n := range []int{4096, 1 << 20} {
			x := make([]float64, n)
			for i := range x {
				x[i] = c.onPath(r)
			}
			d := make([]float64, n)
			b.Run(fmt.Sprintf("%s/scalar/n=%d", c.name, n), func(b *testing.B) {
				b.SetBytes(int64(16 * n))
				for b.Loop() {
					for i, v := range x {
						d[i] = c.scalar(v)
					}
				}
			})
			for _, isa := range ISAs() {
				b.Run(fmt.Sprintf("%s/%s/n=%d", c.name, isa, n), func(b *testing.B) {
					defer SetISA(isa)()
					b.SetBytes(int64(16 * n))
					for b.Loop() {
						c.vec(d, x)
					}
				})
			}
		}
	}
}

// FuzzVMath checks the vector forms on arbitrary arguments, each one
// either raw bits or (by its first byte) mapped onto the vector path, bit
// for bit against fmath on every ISA.
func FuzzVMath(f *testing.F) {
	f.Add([]byte("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12"))
	f.Add(bytesOf(0, 1, -1, 707, -707, 707.5, 1e-310, math.Inf(1), math.NaN(), 709.78, -745.2, 0.5, 2))
	f.Add(bytesOf(math.Copysign(0, -1), math.Pi, -math.Pi/2, 1<<20, -(1 << 20), 1<<20+0.5, 1e22, 2.2841105172893883, -1e-300))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		raw := make([]float64, len(data)/8)
		for i := range raw {
			raw[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
		}
		for _, c := range vmathCases {
			x := append([]float64(nil), raw...)
			if data[0]&1 != 0 { // onto the path: the lanes then run in the assembly
				r := rand.New(rand.NewPCG(uint64(len(data)), uint64(data[0])))
				for i := range x {
					if x[i] != x[i] || math.IsInf(x[i], 0) || data[0]&2 != 0 {
						x[i] = c.onPath(r)
					}
					switch c.f {
					case vExp:
						x[i] = math.Mod(x[i], expFast)
					case vLog, vLog2, vLog10:
						x[i] = math.Abs(x[i])
					case vTanh:
						x[i] = math.Mod(x[i], mathtab.TanhQuickMax)
					default:
						x[i] = math.Mod(x[i], mathtab.SinQuickMax)
					}
				}
			}
			checkVMath(t, c.name, c.vec, c.scalar, x)
		}
	})
}

func bytesOf(x ...float64) []byte {
	b := make([]byte, 0, 8*len(x))
	for _, v := range x {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}
