package kernels

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/internal/asm"
)

// hugeSeries mixes runs of values near the top of the float64 range (where
// sums and squares overflow) with ordinary values and a few NaN.
func hugeSeries(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 7))
	x := make([]float64, n)
	for i := range x {
		switch b := (i / 40) % 4; {
		case r.IntN(97) == 0:
			x[i] = math.NaN()
		case b == 1:
			x[i] = (1 + r.Float64()) * math.Ldexp(1, 1020+r.IntN(3)) * float64(1-2*r.IntN(2))
		case b == 2:
			x[i] = (1 + r.Float64()) * math.Ldexp(1, 510+r.IntN(6))
		default:
			x[i] = r.NormFloat64()
		}
	}
	return x
}

// exactWindow returns the exact sum, mean, variance and standard deviation
// (ddof 1) of the finite values of a window, each rounded once (±Inf when
// beyond the float64 range).
func exactWindow(v []float64) (sum, mean, vr, sd float64) {
	const prec = 3000
	f := func(x float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(x) }
	s := new(big.Float).SetPrec(prec)
	for _, a := range v {
		s.Add(s, f(a))
	}
	sum, _ = s.Float64()
	n := new(big.Float).SetPrec(prec).SetInt64(int64(len(v)))
	mu := new(big.Float).SetPrec(prec).Quo(s, n)
	mean, _ = mu.Float64()
	m2 := new(big.Float).SetPrec(prec)
	for _, a := range v {
		d := f(a)
		d.Sub(d, mu)
		m2.Add(m2, d.Mul(d, d))
	}
	m2.Quo(m2, new(big.Float).SetPrec(prec).SetInt64(int64(len(v)-1)))
	vr, _ = m2.Float64()
	sd, _ = new(big.Float).SetPrec(prec).Sqrt(m2).Float64()
	return
}

// Sums, means, variances and standard deviations of windows whose partial
// sums or squares overflow: the exact answer (±Inf only where the exact
// value is beyond the float64 range), the same bits contiguous or strided,
// on every ISA.
func TestRollingOverflow(t *testing.T) {
	x := hugeSeries(3000, 1)
	strided := make([]float64, 2*len(x))
	for i, v := range x {
		strided[2*i] = v
	}
	srcs := map[string]*array.Array{"contiguous": array.Vec(x)}
	srcs["strided"], _ = array.Strided(strided, 0, []int{len(x)}, []int{2})
	for _, w := range []int{2, 3, 20, 64} {
		exact := make([][4]float64, len(x))
		for i := range x {
			v := windowOf(x, i, w, false, false)
			exact[i] = [4]float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}
			if len(v) >= 2 {
				s, m, vr, sd := exactWindow(v)
				exact[i] = [4]float64{s, m, vr, sd}
			}
		}
		for ki, k := range kindFuncs[:4] {
			var ref []float64
			for _, isa := range asm.ISAs() {
				for lname, src := range srcs {
					restore := asm.SetISA(isa)
					dst := array.New(len(x))
					err := k.f(std(), dst, src, w, MinPeriods(2))
					restore()
					if err != nil {
						t.Fatal(err)
					}
					got := dst.Values()
					if ref == nil {
						ref = got
						for i, g := range got {
							want := exact[i][ki]
							ok := same(g, want) || relErr(g, want) <= 1e-12
							if !ok && k.name == "sum" {
								// Cancelling sums: the error bound is
								// relative to the window's Σ|x|.
								ok = math.Abs(g-want) <= 1e-15*absSum(windowOf(x, i, w, false, false))
							}
							if !ok {
								t.Fatalf("%s w=%d [%d]: %v, exact %v (window %v)", k.name, w, i, g, want, windowOf(x, i, w, false, false))
							}
						}
						continue
					}
					for i, g := range got {
						if !same(g, ref[i]) {
							t.Fatalf("%s w=%d %s %s [%d]: %v, first path gave %v", k.name, w, isa, lname, i, g, ref[i])
						}
					}
				}
			}
		}
	}
}

// A tie between +0 and −0 gives the same bits whatever the layout.
func TestRollingExtremaSignedZeros(t *testing.T) {
	nz := math.Copysign(0, -1)
	x := []float64{0, 0, nz, 0, nz, nz, 0, nz}
	buf := make([]float64, 2*len(x))
	for i, v := range x {
		buf[2*i] = v
	}
	sx, _ := array.Strided(buf, 0, []int{len(x)}, []int{2})
	for _, k := range kindFuncs[4:] {
		for _, w := range []int{1, 2, 3} {
			a, b := array.New(len(x)), array.New(len(x))
			if err := k.f(std(), a, array.Vec(x), w, MinPeriods(1)); err != nil {
				t.Fatal(err)
			}
			if err := k.f(std(), b, sx, w, MinPeriods(1)); err != nil {
				t.Fatal(err)
			}
			for i := range x {
				if !same(a.At(i), b.At(i)) {
					t.Fatalf("%s w=%d [%d]: contiguous %v (sign %v), strided %v (sign %v)", k.name, w, i,
						a.At(i), math.Signbit(a.At(i)), b.At(i), math.Signbit(b.At(i)))
				}
			}
		}
	}
}
