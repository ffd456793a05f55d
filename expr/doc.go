// Package expr compiles numexpr-style expressions over arrays and
// evaluates them fused: each worker runs the whole program over one block
// of 1024 elements at a time with its own scratch, so no full-size
// temporary is ever written, and the inputs are read once.
//
//	x, err := expr.Compile("2*a + 3*b*c")
//	err = x.Eval(dst, map[string]*array.Array{"a": a, "b": b, "c": c})
//
// or, on a chosen scheduler and context,
//
//	err = expr.On(s).WithContext(ctx).Eval(x, dst, vars)
//
// Expressions can also be built in Go: expr.New(expr.Add(expr.Mul(
// expr.Const(2), expr.Var("a")), …)).
//
// # Language
//
// numexpr's, with Python's precedence (lowest first):
//
//	a < b, <=, >, >=, ==, !=   comparisons (not chained)
//	c | d                      or, on comparisons
//	c & d                      and, on comparisons
//	a + b, a - b
//	a * b, a / b
//	-a, +a, ~c                 (~ is not, on a comparison)
//	a ** b                     right-associative; -a**2 is -(a**2)
//
// Operands are float literals (1, 2.5, .5, 1e-3), variables (names bound
// at Eval) and calls: abs sqrt exp exp2 expm1 log log1p log2 log10 sin cos
// tanh (one argument), pow(a, b), min(a, b), max(a, b), where(c, a, b),
// fma(a, b, c). As in numexpr, & and | bind tighter than comparisons, so
// write (a < b) & (c > d). A comparison is 1 where it holds and 0
// elsewhere; an expression that is a comparison writes 1 or 0.
//
// # Results
//
// Every operation is rounded once, as the Go operator or the fmath
// function (faithfully rounded, see package fmath) on one element: the
// result equals evaluating the operations one at a time, left to right
// (2*a + 3*b*c is the Go loop float64(2*a[i]) + float64(float64(3*b[i])*c[i])),
// bit for bit, whatever the scheduler, worker count or block size. No
// multiply-add is ever contracted; write fma(a, b, c) for one. min and max
// propagate NaN, as Go's min and max. Constant subexpressions are folded
// at compile time with the same functions.
//
// # Errors
//
// Compile returns a *SyntaxError (errors.Is ErrSyntax) naming the byte
// offset (also for nesting deeper than 500 levels, or a tree more than
// 2000 operations deep), or an error wrapping ErrUnknownFn, ErrArgs or
// ErrType. Eval
// returns errors wrapping ErrNil, ErrUnknownVar, array.ErrShape or
// ErrOverlap with dst untouched. No function panics on any input.
package expr
