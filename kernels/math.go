package kernels

import (
	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/fmath"
	"github.com/blockwise/blockwise/internal/asm"
)

// The elementary functions of package fmath over arrays: faithfully
// rounded (within 1 ulp of the exact result, correctly rounded nearly
// everywhere), with IEEE special cases, and the same bits on every machine,
// build and plan. They follow the elementwise contract: a returns ErrNil,
// ErrShape (a must broadcast to dst) or ErrOverlap with dst untouched; dst
// may be a itself; views of any strides are read and written in place.

// mathFuncs lists the unary functions in op order from opExp.
var mathFuncs = [...]func(float64) float64{
	fmath.Exp, fmath.Exp2, fmath.Expm1, fmath.Log, fmath.Log2, fmath.Log10,
	fmath.Log1p, fmath.Sin, fmath.Cos, fmath.Tanh,
}

// mathNs is the planner's prior for each function's time per element on
// one core, in nanoseconds (measured on the Zen 4 VM, Exp and Log with
// their AVX-512 forms, Sin, Cos and Tanh with their AVX2 forms on an
// AVX2-only EPYC VM, Pow, Log2 and Log10 with their AVX2 forms there too;
// the scheduler then learns from real calls).
var mathNs = [...]float64{1.5, 17, 22, 3, 5, 5, 38, 4, 4.5, 6, 9}

// mathLoop sets d[i] = f(x[i]) for the unary function of op o. The vector
// forms (internal/asm: the same bits as fmath's loop) are called directly,
// not through function values, so that escape analysis keeps the callers'
// scratch on the stack (TestElementwiseAllocs).
func mathLoop(o op, d, x []float64) {
	x = x[:len(d)]
	switch o {
	case opExp:
		asm.Exp(d, x)
		return
	case opLog:
		asm.Log(d, x)
		return
	case opSin:
		asm.Sin(d, x)
		return
	case opCos:
		asm.Cos(d, x)
		return
	case opTanh:
		asm.Tanh(d, x)
		return
	case opLog2:
		asm.Log2(d, x)
		return
	case opLog10:
		asm.Log10(d, x)
		return
	}
	f := mathFuncs[o-opExp]
	for i := range d {
		d[i] = f(x[i])
	}
}

// Exp sets dst[i] = e^a[i].
func (e *Engine) Exp(dst, a *array.Array) error { return e.unary(opExp, dst, a, 0, 0) }

// Exp2 sets dst[i] = 2^a[i].
func (e *Engine) Exp2(dst, a *array.Array) error { return e.unary(opExp2, dst, a, 0, 0) }

// Expm1 sets dst[i] = e^a[i] − 1, accurate also where a[i] is near 0.
func (e *Engine) Expm1(dst, a *array.Array) error { return e.unary(opExpm1, dst, a, 0, 0) }

// Log sets dst[i] to the natural logarithm of a[i] (NaN below 0, −Inf at 0).
func (e *Engine) Log(dst, a *array.Array) error { return e.unary(opLog, dst, a, 0, 0) }

// Log2 sets dst[i] to the binary logarithm of a[i], exact at powers of 2.
func (e *Engine) Log2(dst, a *array.Array) error { return e.unary(opLog2, dst, a, 0, 0) }

// Log10 sets dst[i] to the decimal logarithm of a[i].
func (e *Engine) Log10(dst, a *array.Array) error { return e.unary(opLog10, dst, a, 0, 0) }

// Log1p sets dst[i] = log(1 + a[i]), accurate also where a[i] is near 0.
func (e *Engine) Log1p(dst, a *array.Array) error { return e.unary(opLog1p, dst, a, 0, 0) }

// Sin sets dst[i] = sin(a[i]), with exact reduction of arguments of any size.
func (e *Engine) Sin(dst, a *array.Array) error { return e.unary(opSin, dst, a, 0, 0) }

// Cos sets dst[i] = cos(a[i]), with exact reduction of arguments of any size.
func (e *Engine) Cos(dst, a *array.Array) error { return e.unary(opCos, dst, a, 0, 0) }

// Tanh sets dst[i] = tanh(a[i]).
func (e *Engine) Tanh(dst, a *array.Array) error { return e.unary(opTanh, dst, a, 0, 0) }

// Pow sets dst[i] = a[i]**b[i] (fmath.Pow: within 1 ulp, the same bits on
// every ISA), with the special cases of math.Pow. a and b broadcast to dst
// (a 0-d b raises every element to one power).
func (e *Engine) Pow(dst, a, b *array.Array) error { return e.binary(opPow, dst, a, b) }

// Exp sets dst[i] = e^a[i] on the default engine.
func Exp(dst, a *array.Array) error { return std().Exp(dst, a) }

// Exp2 sets dst[i] = 2^a[i] on the default engine.
func Exp2(dst, a *array.Array) error { return std().Exp2(dst, a) }

// Expm1 sets dst[i] = e^a[i] − 1 on the default engine.
func Expm1(dst, a *array.Array) error { return std().Expm1(dst, a) }

// Log sets dst[i] = log(a[i]) on the default engine.
func Log(dst, a *array.Array) error { return std().Log(dst, a) }

// Log2 sets dst[i] = log2(a[i]) on the default engine.
func Log2(dst, a *array.Array) error { return std().Log2(dst, a) }

// Log10 sets dst[i] = log10(a[i]) on the default engine.
func Log10(dst, a *array.Array) error { return std().Log10(dst, a) }

// Log1p sets dst[i] = log(1 + a[i]) on the default engine.
func Log1p(dst, a *array.Array) error { return std().Log1p(dst, a) }

// Sin sets dst[i] = sin(a[i]) on the default engine.
func Sin(dst, a *array.Array) error { return std().Sin(dst, a) }

// Cos sets dst[i] = cos(a[i]) on the default engine.
func Cos(dst, a *array.Array) error { return std().Cos(dst, a) }

// Tanh sets dst[i] = tanh(a[i]) on the default engine.
func Tanh(dst, a *array.Array) error { return std().Tanh(dst, a) }

// Pow sets dst[i] = a[i]**b[i] on the default engine.
func Pow(dst, a, b *array.Array) error { return std().Pow(dst, a, b) }
