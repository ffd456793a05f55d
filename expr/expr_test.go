package expr

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/blockwise/blockwise/array"
	"github.com/blockwise/blockwise/fmath"
	"github.com/blockwise/blockwise/sched"
)

func evaluators(t testing.TB) []*Evaluator {
	var evs []*Evaluator
	for _, w := range []int{1, 2, 3, 8} {
		for _, b := range []int{0, 1, 7, 1000, 8192} {
			s := sched.New(sched.WithWorkers(w), sched.WithBlockSize(b))
			t.Cleanup(s.Close)
			evs = append(evs, On(s))
		}
	}
	return evs
}

func randArr(r *rand.Rand, shape ...int) *array.Array {
	a := array.New(shape...)
	d := a.Data()
	for i := range d {
		d[i] = r.NormFloat64() * 3
	}
	return a
}

func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

// TestNumexprExample: 2*a + 3*b*c equals the Go loop, bit for bit, on
// every scheduler, at sizes around the block edges.
func TestNumexprExample(t *testing.T) {
	x, err := Compile("2*a + 3*b*c")
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 1023, 1024, 1025, 50_001} {
		a, b, c := randArr(r, n), randArr(r, n), randArr(r, n)
		want := make([]float64, n)
		for i := range want {
			want[i] = float64(2*a.Data()[i]) + float64(float64(3*b.Data()[i])*c.Data()[i])
		}
		for _, ev := range evaluators(t) {
			dst := array.New(n)
			if err := ev.Eval(x, dst, map[string]*array.Array{"a": a, "b": b, "c": c}); err != nil {
				t.Fatal(err)
			}
			for i, v := range dst.Data() {
				if !sameBits(v, want[i]) {
					t.Fatalf("n=%d [%d] = %v, want %v", n, i, v, want[i])
				}
			}
		}
	}
}

// ref evaluates a tree one element at a time with Go's operators and
// fmath: the definition Eval must match.
func ref(n *Node, v map[string]float64) float64 {
	b := func(c bool) float64 {
		if c {
			return 1
		}
		return 0
	}
	arg := func(k int) float64 { return ref(n.args[k], v) }
	switch n.kind {
	case kConst:
		return n.val
	case kVar:
		return v[n.name]
	case kOp:
		switch n.op {
		case "neg":
			return -arg(0)
		case "~":
			return b(arg(0) == 0)
		case "+":
			return arg(0) + arg(1)
		case "-":
			return arg(0) - arg(1)
		case "*":
			return arg(0) * arg(1)
		case "/":
			return arg(0) / arg(1)
		case "**":
			return fmath.Pow(arg(0), arg(1))
		case "<":
			return b(arg(0) < arg(1))
		case "<=":
			return b(arg(0) <= arg(1))
		case ">":
			return b(arg(0) > arg(1))
		case ">=":
			return b(arg(0) >= arg(1))
		case "==":
			return b(arg(0) == arg(1))
		case "!=":
			return b(arg(0) != arg(1))
		case "&":
			return b(arg(0) != 0 && arg(1) != 0)
		case "|":
			return b(arg(0) != 0 || arg(1) != 0)
		}
	case kCall:
		switch n.name {
		case "abs":
			return math.Abs(arg(0))
		case "sqrt":
			return math.Sqrt(arg(0))
		case "exp":
			return fmath.Exp(arg(0))
		case "exp2":
			return fmath.Exp2(arg(0))
		case "expm1":
			return fmath.Expm1(arg(0))
		case "log":
			return fmath.Log(arg(0))
		case "log1p":
			return fmath.Log1p(arg(0))
		case "log2":
			return fmath.Log2(arg(0))
		case "log10":
			return fmath.Log10(arg(0))
		case "sin":
			return fmath.Sin(arg(0))
		case "cos":
			return fmath.Cos(arg(0))
		case "tanh":
			return fmath.Tanh(arg(0))
		case "pow":
			return fmath.Pow(arg(0), arg(1))
		case "min":
			return min(arg(0), arg(1))
		case "max":
			return max(arg(0), arg(1))
		case "fma":
			return math.FMA(arg(0), arg(1), arg(2))
		case "where":
			if arg(0) != 0 {
				return arg(1)
			}
			return arg(2)
		}
	}
	panic("ref: unknown node " + n.String())
}

// randTree builds a random well-typed expression over a, b, c.
func randTree(r *rand.Rand, depth int, boolean bool) *Node {
	if boolean {
		k := r.IntN(4)
		if depth <= 0 {
			k = 3
		}
		switch k {
		case 0:
			return And(randTree(r, depth-1, true), randTree(r, depth-1, true))
		case 1:
			return Or(randTree(r, depth-1, true), randTree(r, depth-1, true))
		case 2:
			return Not(randTree(r, depth-1, true))
		}
		cmp := []func(a, b *Node) *Node{Lt, Le, Gt, Ge, Eq, Ne}[r.IntN(6)]
		return cmp(randTree(r, depth-1, false), randTree(r, depth-1, false))
	}
	if depth <= 0 || r.IntN(4) == 0 {
		if r.IntN(3) == 0 {
			return Const([]float64{2, -0.5, 0, 3, 1e300, math.Inf(1)}[r.IntN(6)])
		}
		return Var([]string{"a", "b", "c"}[r.IntN(3)])
	}
	sub := func() *Node { return randTree(r, depth-1, false) }
	switch k := r.IntN(12); k {
	case 0:
		return Add(sub(), sub())
	case 1:
		return Sub(sub(), sub())
	case 2:
		return Mul(sub(), sub())
	case 3:
		return Div(sub(), sub())
	case 4:
		return Neg(sub())
	case 5:
		return Pow(sub(), sub())
	case 6:
		return Where(randTree(r, depth-1, true), sub(), sub())
	case 7:
		return FMA(sub(), sub(), sub())
	case 8:
		return Call([]string{"min", "max", "pow"}[r.IntN(3)], sub(), sub())
	default:
		fns := []string{"abs", "sqrt", "exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "sin", "cos", "tanh"}
		return Call(fns[r.IntN(len(fns))], sub())
	}
}

// TestRandomExpressions compares random trees, compiled from their
// source and from the tree, with the element-at-a-time reference, over
// contiguous, strided and broadcast variables and a strided dst.
func TestRandomExpressions(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	evs := evaluators(t)
	const rows, cols = 37, 61
	for it := 0; it < 150; it++ {
		tree := randTree(r, 4, it%5 == 0)
		fromSrc, err := Compile(tree.String())
		if err != nil {
			t.Fatalf("%s: %v", tree, err)
		}
		fromTree, err := New(tree)
		if err != nil {
			t.Fatal(err)
		}
		a := randArr(r, rows, cols)
		bBase := randArr(r, cols, rows)
		b := bBase.Transpose()   // strided
		c := randArr(r, 1, cols) // broadcast row
		vars := map[string]*array.Array{"a": a, "b": b, "c": c}
		want := make([]float64, rows*cols)
		for i := range want {
			ri, ci := i/cols, i%cols
			want[i] = ref(tree, map[string]float64{"a": a.At(ri, ci), "b": b.At(ri, ci), "c": c.At(0, ci)})
		}
		ev := evs[it%len(evs)]
		for k, x := range []*Expr{fromSrc, fromTree} {
			for _, strided := range []bool{false, true} {
				dst := array.New(rows, cols)
				if strided {
					dst = array.New(cols, rows).Transpose()
				}
				if err := ev.Eval(x, dst, vars); err != nil {
					t.Fatal(err)
				}
				for i := range want {
					if got := dst.At(i/cols, i%cols); !sameBits(got, want[i]) {
						t.Fatalf("%s (compiled %d, strided %v): [%d] = %v, want %v", tree, k, strided, i, got, want[i])
					}
				}
			}
		}
	}
}

func TestPrecedence(t *testing.T) {
	vars := map[string]float64{"a": 3, "b": 2, "c": 0.5}
	for _, c := range []struct {
		src  string
		want float64
	}{
		{"-a**2", -9},
		{"a**b**2", 81},
		{"2**-1", 0.5},
		{"a - b - c", 0.5},
		{"a / b / c", 3},
		{"(a < b) | (c < b)", 1},
		{"~(a < b) & (c < b)", 1},
		{"a + b * c", 4},
		{"where(a > b, a, b) * 2", 6},
		{"max(a, b) - min(a, c)", 2.5},
		{"1e-3 * 1000 + .5 + 2.", 3.5},
		{"a < b", 0},
		{"fma(a, b, c)", 6.5},
	} {
		x, err := Compile(c.src)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		dst := array.New(1)
		in := map[string]*array.Array{}
		for k, v := range vars {
			in[k] = array.Vec([]float64{v})
		}
		if err := x.Eval(dst, in); err != nil {
			t.Fatal(err)
		}
		if dst.Data()[0] != c.want {
			t.Errorf("%s = %v, want %v", c.src, dst.Data()[0], c.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, c := range []struct {
		src    string
		want   error
		offset int // for syntax errors
	}{
		{"2*a +", ErrSyntax, 5},
		{"a + )", ErrSyntax, 4},
		{"a $ b", ErrSyntax, 2},
		{"(a + b", ErrSyntax, 6},
		{"a < b < c", ErrSyntax, 6},
		{"", ErrSyntax, 0},
		{"f(a)", ErrUnknownFn, -1},
		{"pow(a)", ErrArgs, -1},
		{"where(a, b)", ErrArgs, -1},
		{"a & b", ErrType, -1},
		{"a < b & c > d", ErrSyntax, 10}, // a < (b & c) > d: chained, as in Python
		{"a < (b & c)", ErrType, -1},
		{"(a < b) + 1", ErrType, -1},
		{"where(a, b, c)", ErrType, -1},
		{strings.Repeat("(", 100_000) + "a" + strings.Repeat(")", 100_000), ErrSyntax, -1},
		{strings.Repeat("-", 100_000) + "a", ErrSyntax, -1},
		{strings.Repeat("exp(", 10_000) + "a" + strings.Repeat(")", 10_000), ErrSyntax, -1},
	} {
		_, err := Compile(c.src)
		if !errors.Is(err, c.want) {
			t.Errorf("%q: %v, want %v", c.src, err, c.want)
			continue
		}
		var se *SyntaxError
		if c.offset >= 0 && (!errors.As(err, &se) || se.Offset != c.offset) {
			t.Errorf("%q: %v, want offset %d", c.src, err, c.offset)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	x, err := Compile("a + b")
	if err != nil {
		t.Fatal(err)
	}
	dst := array.New(4, 5)
	dst.Data()[7] = 42
	a := array.New(4, 5)
	check := func(name string, err, want error) {
		t.Helper()
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", name, err, want)
		}
		if dst.Data()[7] != 42 {
			t.Fatalf("%s: dst written", name)
		}
	}
	check("unknown", x.Eval(dst, map[string]*array.Array{"a": a}), ErrUnknownVar)
	check("nil var", x.Eval(dst, map[string]*array.Array{"a": a, "b": nil}), ErrNil)
	check("nil dst", x.Eval(nil, map[string]*array.Array{"a": a, "b": a}), ErrNil)
	check("shape", x.Eval(dst, map[string]*array.Array{"a": a, "b": array.New(4)}), array.ErrShape)
	check("overlap", x.Eval(dst.Slice(1, 0, 4), map[string]*array.Array{"a": dst.Slice(1, 1, 5), "b": a.Slice(1, 0, 4)}), ErrOverlap)
	stretched, _ := array.New(1, 5).BroadcastTo(4, 5)
	check("self overlap", x.Eval(stretched, map[string]*array.Array{"a": a, "b": a}), ErrOverlap)
	var nilExpr *Expr
	check("nil expr", On(nil).Eval(nilExpr, dst, nil), ErrNil)
	// in place is allowed
	if err := x.Eval(a, map[string]*array.Array{"a": a, "b": a}); err != nil {
		t.Fatal(err)
	}
}

func TestBuilderMatchesCompile(t *testing.T) {
	built, err := New(Add(Mul(Const(2), Var("a")), Mul(Mul(Const(3), Var("b")), Var("c"))))
	if err != nil {
		t.Fatal(err)
	}
	if got := built.String(); got != "((2 * a) + ((3 * b) * c))" {
		t.Errorf("String = %q", got)
	}
	if got := built.Vars(); len(got) != 3 || got[0] != "a" || got[2] != "c" {
		t.Errorf("Vars = %v", got)
	}
}

func TestEvalAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	s := sched.New(sched.WithWorkers(2))
	defer s.Close()
	ev := On(s)
	r := rand.New(rand.NewPCG(3, 4))
	vars := map[string]*array.Array{"a": randArr(r, 200_000), "b": randArr(r, 200_000), "c": randArr(r, 1)}
	dst := array.New(200_000)
	for _, src := range []string{"where(a > 0, 2*a + 3*b*c, exp(-a))", "abs(a)**1.5 + abs(b)**c + pow(abs(a), b)"} {
		x, err := Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			_ = ev.Eval(x, dst, vars)
		}
		if got := testing.AllocsPerRun(20, func() {
			if err := ev.Eval(x, dst, vars); err != nil {
				t.Fatal(err)
			}
		}); got != 0 {
			t.Errorf("%s: %v allocs per Eval, want 0", src, got)
		}
	}
}

func TestEvalCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	x, _ := Compile("a * 2")
	a := array.New(1 << 20)
	if err := On(nil).WithContext(ctx).Eval(x, array.New(1<<20), map[string]*array.Array{"a": a}); !errors.Is(err, context.Canceled) {
		t.Fatalf("%v, want context.Canceled", err)
	}
}

// FuzzCompile: no input makes Compile panic, and whatever compiles
// evaluates to the reference.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{"2*a + 3*b*c", "where((a < b) & ~(c > 1), a**2, -b)", "exp(log(a))", "a <", "((", "1e400*a", "pow(a, b, c)"} {
		f.Add(s, 1.5, -2.0, 0.25)
	}
	f.Fuzz(func(t *testing.T, src string, a, b, c float64) {
		x, err := Compile(src)
		if err != nil {
			return
		}
		tree, err := parse(src)
		if err != nil {
			t.Fatalf("Compile accepted what parse rejects: %v", err)
		}
		for _, name := range x.Vars() {
			if name != "a" && name != "b" && name != "c" {
				return
			}
		}
		vars := map[string]*array.Array{"a": array.Vec([]float64{a, a}), "b": array.Vec([]float64{b, b}), "c": array.Vec([]float64{c, c})}
		dst := array.New(2)
		if err := x.Eval(dst, vars); err != nil {
			t.Fatal(err)
		}
		want := ref(tree, map[string]float64{"a": a, "b": b, "c": c})
		if !sameBits(dst.Data()[1], want) {
			t.Fatalf("%q = %v, want %v", src, dst.Data()[1], want)
		}
	})
}
