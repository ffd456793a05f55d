package expr_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/expr"
	"github.com/blockwise/blockwise/sched"
)

// An expression is compiled once and evaluated fused: no temporary array
// for 2*a or 3*b*c, and every element equals the plain Go loop's.
func ExampleCompile() {
	a, _ := array.FromSlice([]float64{1, 2, 3, 4}, 4)
	b, _ := array.FromSlice([]float64{0.5, 0.25, 2, -1}, 4)
	c, _ := array.FromSlice([]float64{2, 4, 0.1, 8}, 4)
	x, err := expr.Compile("2*a + 3*b*c")
	if err != nil {
		panic(err)
	}
	dst := array.New(4)
	if err := x.Eval(dst, map[string]*array.Array{"a": a, "b": b, "c": c}); err != nil {
		panic(err)
	}
	fmt.Println(dst.Data())
	fmt.Println(float64(2*3) + float64(float64(3*2)*0.1)) // element 2 by hand
	// Output:
	// [5 7 6.6 -16]
	// 6.6
}

// Comparisons give 1 or 0, and where picks between two expressions; the
// functions are fmath's (Log here: log of a negative is NaN, masked out).
func ExampleCompile_where() {
	v, _ := array.FromSlice([]float64{-2, 0.5, 1, 100}, 4)
	x, err := expr.Compile("where(v > 0, log(v), 0)")
	if err != nil {
		panic(err)
	}
	dst := array.New(4)
	if err := x.Eval(dst, map[string]*array.Array{"v": v}); err != nil {
		panic(err)
	}
	fmt.Println(dst.Data())
	// Output:
	// [0 -0.6931471805599453 0 4.605170185988092]
}

// A syntax error names its byte offset and is errors.Is ErrSyntax.
func ExampleCompile_error() {
	_, err := expr.Compile("2*a + * b")
	fmt.Println(err)
	fmt.Println(errors.Is(err, expr.ErrSyntax))
	// Output:
	// expr: syntax error at offset 6: expected a number, a name or "(", found "*"
	// true
}

// Expressions composed in Go, evaluated on a chosen scheduler and context.
func ExampleNew() {
	// tanh(k*x) + fma(x, x, 1): the builder's form of the same language.
	n := expr.Add(expr.Call("tanh", expr.Mul(expr.Var("k"), expr.Var("x"))),
		expr.FMA(expr.Var("x"), expr.Var("x"), expr.Const(1)))
	x, err := expr.New(n)
	if err != nil {
		panic(err)
	}
	fmt.Println(x)

	k, _ := array.FromSlice([]float64{2}) // 0-d: broadcast to every element
	v, _ := array.FromSlice([]float64{0, 0.5, -1}, 3)
	dst := array.New(3)
	s := sched.New(sched.WithWorkers(2))
	defer s.Close()
	err = expr.On(s).WithContext(context.Background()).Eval(x, dst, map[string]*array.Array{"k": k, "x": v})
	fmt.Println(dst.Data(), err)
	// Output:
	// (tanh((k * x)) + fma(x, x, 1))
	// [1 2.011594155955765 1.035972419924183] <nil>
}
