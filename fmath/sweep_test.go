package fmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/internal/bigmath"
)

// Exact references in bigmath.Prec-bit arithmetic, for the sweeps.

func bigf(x float64) *big.Float { return bigmath.New(x) }

func exactExp(x, _ float64) float64 { return bigmath.Float64(bigmath.Exp(bigf(x))) }
func exactExp2(x, _ float64) float64 {
	return bigmath.Float64(bigmath.Exp(bigf(0).Mul(bigf(x), bigmath.Ln2())))
}
func exactExpm1(x, _ float64) float64 {
	e := bigmath.Exp(bigf(x))
	return bigmath.Float64(e.Sub(e, bigf(1)))
}
func exactLog(x, _ float64) float64 { return bigmath.Float64(bigmath.Log(bigf(x))) }
func exactLog2(x, _ float64) float64 {
	l := bigmath.Log(bigf(x))
	return bigmath.Float64(l.Quo(l, bigmath.Ln2()))
}
func exactLog10(x, _ float64) float64 {
	l := bigmath.Log(bigf(x))
	return bigmath.Float64(l.Quo(l, bigmath.Log(bigf(10))))
}
func exactLog1p(x, _ float64) float64 {
	u := bigf(x)
	return bigmath.Float64(bigmath.Log(u.Add(u, bigf(1))))
}

// exactSinCos reduces x by π/2 in full precision.
func exactSinCos(x float64, cosine bool) float64 {
	return bigmath.Float64(exactSinCosBig(x, cosine))
}

// exactSinCosBig is sin x or cos x to bigmath.Prec bits.
func exactSinCosBig(x float64, cosine bool) *big.Float {
	halfPi := bigmath.Pi()
	halfPi.SetMantExp(halfPi, -1)
	k := bigf(0).Quo(bigf(x), halfPi)
	ki, _ := k.Int(nil)
	frac := bigf(0).Sub(k, bigf(0).SetInt(ki))
	if frac.Cmp(bigf(0.5)) > 0 {
		ki.Add(ki, big.NewInt(1))
	} else if frac.Cmp(bigf(-0.5)) < 0 {
		ki.Sub(ki, big.NewInt(1))
	}
	r := bigf(0).Sub(bigf(x), bigf(0).Mul(bigf(0).SetInt(ki), halfPi))
	s, c := bigmath.SinCos(r)
	q := new(big.Int).And(ki, big.NewInt(3)).Int64()
	if cosine {
		q = (q + 1) & 3
	}
	switch q {
	case 0:
		return s
	case 1:
		return c
	case 2:
		return s.Neg(s)
	}
	return c.Neg(c)
}

func exactSin(x, _ float64) float64  { return exactSinCos(x, false) }
func exactCos(x, _ float64) float64  { return exactSinCos(x, true) }
func exactTanh(x, _ float64) float64 { return bigmath.Float64(exactTanhBig(x)) }

// exactTanhBig is tanh x to bigmath.Prec bits.
func exactTanhBig(x float64) *big.Float {
	e := bigmath.Exp(bigf(2 * x))
	num := bigf(0).Sub(e, bigf(1))
	return num.Quo(num, e.Add(e, bigf(1)))
}
func exactPow(x, y float64) float64 {
	sign := 1.0
	if x < 0 {
		x = -x
		if isOddInt(y) {
			sign = -1
		}
	}
	z := bigmath.Log(bigf(x))
	z.Mul(z, bigf(y))
	if z.Cmp(bigf(800)) > 0 {
		return sign * math.Inf(1)
	}
	if z.Cmp(bigf(-800)) < 0 {
		return sign * 0
	}
	return sign * bigmath.Float64(bigmath.Exp(z))
}

// sweep is a hard range of one function: points drawn by gen.
type sweep struct {
	name  string
	ours  func(x, y float64) float64
	exact func(x, y float64) float64
	gen   func(r *rand.Rand) (x, y float64)
}

func uniform(lo, hi float64) func(r *rand.Rand) (float64, float64) {
	return func(r *rand.Rand) (float64, float64) { return lo + (hi-lo)*r.Float64(), 0 }
}

// logUniform draws |x| log-uniformly in [2^lo, 2^hi], with a random sign
// when signed.
func logUniform(lo, hi float64, signed bool) func(r *rand.Rand) (float64, float64) {
	return func(r *rand.Rand) (float64, float64) {
		x := math.Exp2(lo + (hi-lo)*r.Float64())
		if signed && r.IntN(2) == 0 {
			x = -x
		}
		return x, 0
	}
}

// nearOne draws 1 + d, |d| log-uniform in [2^-52, 2^hi].
func nearOne(hi float64) func(r *rand.Rand) (float64, float64) {
	d := logUniform(-52, hi, true)
	return func(r *rand.Rand) (float64, float64) {
		x, _ := d(r)
		return 1 + x, 0
	}
}

var sweeps = []sweep{
	{"exp/overflow", unary(Exp), exactExp, uniform(700, 709.79)},
	{"exp/subnormal", unary(Exp), exactExp, uniform(-745.2, -707)},
	{"exp/tiny", unary(Exp), exactExp, logUniform(-60, -5, true)},
	{"exp/wide", unary(Exp), exactExp, uniform(-745, 709)},
	{"exp2/subnormal", unary(Exp2), exactExp2, uniform(-1075, -1020)},
	{"exp2/wide", unary(Exp2), exactExp2, uniform(-1074, 1023.99)},
	{"expm1/small", unary(Expm1), exactExpm1, logUniform(-60, 0, true)},
	{"expm1/wide", unary(Expm1), exactExpm1, uniform(-40, 709)},
	{"log/near1", unary(Log), exactLog, nearOne(-4)},
	{"log/subnormal", unary(Log), exactLog, logUniform(-1074, -1022, false)},
	{"log/wide", unary(Log), exactLog, logUniform(-1022, 1023, false)},
	{"log2/near1", unary(Log2), exactLog2, nearOne(-4)},
	{"log2/wide", unary(Log2), exactLog2, logUniform(-1074, 1023, false)},
	{"log10/near1", unary(Log10), exactLog10, nearOne(-4)},
	{"log10/wide", unary(Log10), exactLog10, logUniform(-1074, 1023, false)},
	{"log1p/small", unary(Log1p), exactLog1p, logUniform(-70, -1, true)},
	{"log1p/near-1", unary(Log1p), exactLog1p, func(r *rand.Rand) (float64, float64) {
		x, _ := logUniform(-52, -1, false)(r)
		return x - 1, 0
	}},
	{"log1p/wide", unary(Log1p), exactLog1p, logUniform(-1, 1023, false)},
	{"sin/medium", unary(Sin), exactSin, logUniform(-3, 20, true)},
	{"sin/huge", unary(Sin), exactSin, logUniform(20, 1023, true)},
	{"sin/nearMultiple", unary(Sin), exactSin, nearMultiple},
	{"cos/medium", unary(Cos), exactCos, logUniform(-3, 20, true)},
	{"cos/huge", unary(Cos), exactCos, logUniform(20, 1023, true)},
	{"cos/nearMultiple", unary(Cos), exactCos, nearMultiple},
	{"tanh/small", unary(Tanh), exactTanh, logUniform(-40, -1, true)},
	{"tanh/wide", unary(Tanh), exactTanh, uniform(-20, 20)},
	{"pow/near1", Pow, exactPow, func(r *rand.Rand) (float64, float64) {
		x, _ := nearOne(-10)(r)
		l := math.Log(x)
		if l == 0 {
			return x, 1e300
		}
		z := -700 + 1400*r.Float64()
		return x, z / l
	}},
	{"pow/subnormal", Pow, exactPow, func(r *rand.Rand) (float64, float64) {
		x := 0.5 + r.Float64()*1000
		return x, (-1074 + 50*r.Float64()) * math.Ln2 / math.Log(x)
	}},
	{"pow/integer", Pow, exactPow, func(r *rand.Rand) (float64, float64) {
		x := (r.Float64()*4 - 2) * 10
		return x, float64(r.IntN(200) - 100)
	}},
	{"pow/wide", Pow, exactPow, func(r *rand.Rand) (float64, float64) {
		x, _ := logUniform(-1074, 1023, false)(r)
		return x, (r.Float64()*2 - 1) * 700 / math.Abs(math.Log(x))
	}},
}

// nearMultiple draws the floats next to k·π/2 for k up to 2^40, where
// the reduced argument cancels to a tiny remainder.
func nearMultiple(r *rand.Rand) (float64, float64) {
	k := math.Floor(math.Exp2(40 * r.Float64()))
	x := k * math.Pi / 2
	for range r.IntN(3) {
		x = math.Nextafter(x, math.Inf(1))
	}
	return x, 0
}

// TestSweeps checks the hard ranges against full-precision references:
// within 1 ulp everywhere, and correctly rounded at 99.9% of points.
func TestSweeps(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 100
	}
	for _, s := range sweeps {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(1, uint64(len(s.name))))
			correct := 0
			for range n {
				x, y := s.gen(r)
				got, want := s.ours(x, y), s.exact(x, y)
				u := bigmath.Ulps(got, want)
				if u > 1 {
					t.Errorf("%s(%v, %v) = %v, want %v (%d ulps)", s.name, x, y, got, want, u)
				}
				if u == 0 {
					correct++
				}
			}
			if share := float64(correct) / float64(n); share < 0.999 {
				t.Errorf("correctly rounded at %.3f%%, want ≥ 99.9%%", 100*share)
			}
		})
	}
}

// TestPayneHanekWorstCase checks the float64 closest to a multiple of π/2
// (6381956970095103·2^797, Muller's worst case), where the remainder is
// about 2^-61 of the argument's ulp scale.
func TestPayneHanekWorstCase(t *testing.T) {
	x := math.Ldexp(6381956970095103, 797)
	for _, c := range []struct {
		name        string
		ours, exact func(x, y float64) float64
	}{{"sin", unary(Sin), exactSin}, {"cos", unary(Cos), exactCos}} {
		if got, want := c.ours(x, 0), c.exact(x, 0); got != want {
			t.Errorf("%s(%v) = %v, want %v", c.name, x, got, want)
		}
	}
}

// FuzzExact checks every function at fuzzed arguments against the
// 1600-bit references: within 1 ulp, special values exact.
func FuzzExact(f *testing.F) {
	for _, c := range [][2]float64{{0.5, 2}, {709.78, -1}, {1e-310, 0.5}, {1e300, 1e-3}, {-3, 3}, {1.0000001, 1e9}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, x, y float64) {
		check := func(name string, got, want float64) {
			if u := bigmath.Ulps(got, want); u > 1 {
				t.Fatalf("%s(%v, %v) = %v, want %v (%d ulps)", name, x, y, got, want, u)
			}
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		ax := math.Abs(x)
		if ax < 800 {
			check("exp", Exp(x), exactExp(x, 0))
			check("expm1", Expm1(x), exactExpm1(x, 0))
		}
		if ax < 1100 {
			check("exp2", Exp2(x), exactExp2(x, 0))
		}
		if ax < 30 {
			check("tanh", Tanh(x), exactTanh(x, 0))
		}
		check("sin", Sin(x), exactSin(x, 0))
		check("cos", Cos(x), exactCos(x, 0))
		if x > 0 {
			check("log", Log(x), exactLog(x, 0))
			check("log2", Log2(x), exactLog2(x, 0))
			check("log10", Log10(x), exactLog10(x, 0))
			if !math.IsNaN(y) && !math.IsInf(y, 0) && math.Abs(y*math.Log(x)) < 780 {
				check("pow", Pow(x, y), exactPow(x, y))
			}
		}
		if x > -1 {
			check("log1p", Log1p(x), exactLog1p(x, 0))
		}
	})
}
