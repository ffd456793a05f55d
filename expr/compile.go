package expr

import (
	"math"
	"sync"

	"github.com/blockwise/blockwise/fmath"
	"github.com/blockwise/blockwise/internal/asm"
)

type opcode uint8

const (
	oAdd opcode = iota
	oSub
	oMul
	oDiv
	oPow
	oMin
	oMax
	oLt
	oLe
	oGt
	oGe
	oEq
	oNe
	oAnd
	oOr
	oNeg
	oNot
	oAbs
	oSqrt
	oExp
	oExp2
	oExpm1
	oLog
	oLog1p
	oLog2
	oLog10
	oSin
	oCos
	oTanh
	oWhere
	oFMA
)

// opInfo describes one opcode: its arity, the types it takes and gives,
// its scalar definition (the bits every vector form reproduces) and the
// planner's prior cost in ns per element.
type opInfo struct {
	name    string
	n       int
	boolIn  bool // operands are comparisons (& | ~)
	boolOut bool
	f1      func(a float64) float64
	v1      func(dst, a []float64) // f1 over a slice, where it has a vector form (same bits)
	f2      func(a, b float64) float64
	ns      float64
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

var ops = [...]opInfo{
	oAdd:   {name: "+", n: 2, f2: func(a, b float64) float64 { return a + b }, ns: 0.1},
	oSub:   {name: "-", n: 2, f2: func(a, b float64) float64 { return a - b }, ns: 0.1},
	oMul:   {name: "*", n: 2, f2: func(a, b float64) float64 { return a * b }, ns: 0.1},
	oDiv:   {name: "/", n: 2, f2: func(a, b float64) float64 { return a / b }, ns: 0.5},
	oPow:   {name: "**", n: 2, f2: fmath.Pow, ns: 9},
	oMin:   {name: "min", n: 2, f2: func(a, b float64) float64 { return min(a, b) }, ns: 0.3},
	oMax:   {name: "max", n: 2, f2: func(a, b float64) float64 { return max(a, b) }, ns: 0.3},
	oLt:    {name: "<", n: 2, boolOut: true, f2: func(a, b float64) float64 { return b2f(a < b) }, ns: 0.3},
	oLe:    {name: "<=", n: 2, boolOut: true, f2: func(a, b float64) float64 { return b2f(a <= b) }, ns: 0.3},
	oGt:    {name: ">", n: 2, boolOut: true, f2: func(a, b float64) float64 { return b2f(a > b) }, ns: 0.3},
	oGe:    {name: ">=", n: 2, boolOut: true, f2: func(a, b float64) float64 { return b2f(a >= b) }, ns: 0.3},
	oEq:    {name: "==", n: 2, boolOut: true, f2: func(a, b float64) float64 { return b2f(a == b) }, ns: 0.3},
	oNe:    {name: "!=", n: 2, boolOut: true, f2: func(a, b float64) float64 { return b2f(a != b) }, ns: 0.3},
	oAnd:   {name: "&", n: 2, boolIn: true, boolOut: true, f2: func(a, b float64) float64 { return b2f(a != 0 && b != 0) }, ns: 0.3},
	oOr:    {name: "|", n: 2, boolIn: true, boolOut: true, f2: func(a, b float64) float64 { return b2f(a != 0 || b != 0) }, ns: 0.3},
	oNeg:   {name: "-", n: 1, f1: func(a float64) float64 { return -a }, ns: 0.1},
	oNot:   {name: "~", n: 1, boolIn: true, boolOut: true, f1: func(a float64) float64 { return b2f(a == 0) }, ns: 0.2},
	oAbs:   {name: "abs", n: 1, f1: math.Abs, ns: 0.1},
	oSqrt:  {name: "sqrt", n: 1, f1: math.Sqrt, ns: 0.5},
	oExp:   {name: "exp", n: 1, f1: fmath.Exp, v1: asm.Exp, ns: 1.5},
	oExp2:  {name: "exp2", n: 1, f1: fmath.Exp2, ns: 17},
	oExpm1: {name: "expm1", n: 1, f1: fmath.Expm1, ns: 22},
	oLog:   {name: "log", n: 1, f1: fmath.Log, v1: asm.Log, ns: 3},
	oLog1p: {name: "log1p", n: 1, f1: fmath.Log1p, ns: 38},
	oLog2:  {name: "log2", n: 1, f1: fmath.Log2, v1: asm.Log2, ns: 5},
	oLog10: {name: "log10", n: 1, f1: fmath.Log10, v1: asm.Log10, ns: 5},
	oSin:   {name: "sin", n: 1, f1: fmath.Sin, v1: asm.Sin, ns: 4},
	oCos:   {name: "cos", n: 1, f1: fmath.Cos, v1: asm.Cos, ns: 4.5},
	oTanh:  {name: "tanh", n: 1, f1: fmath.Tanh, v1: asm.Tanh, ns: 6},
	oWhere: {name: "where", n: 3, ns: 0.5},
	oFMA:   {name: "fma", n: 3, ns: 0.2},
}

// eval3 is the scalar definition of the three-operand ops.
func eval3(o opcode, a, b, c float64) float64 {
	if o == oWhere {
		if a != 0 {
			return b
		}
		return c
	}
	return math.FMA(a, b, c)
}

var binaryOps = map[string]opcode{
	"+": oAdd, "-": oSub, "*": oMul, "/": oDiv, "**": oPow,
	"<": oLt, "<=": oLe, ">": oGt, ">=": oGe, "==": oEq, "!=": oNe,
	"&": oAnd, "|": oOr, "neg": oNeg, "~": oNot,
}

var funcs = map[string]opcode{
	"abs": oAbs, "sqrt": oSqrt, "exp": oExp, "exp2": oExp2, "expm1": oExpm1,
	"log": oLog, "log1p": oLog1p, "log2": oLog2, "log10": oLog10,
	"sin": oSin, "cos": oCos, "tanh": oTanh,
	"pow": oPow, "min": oMin, "max": oMax, "where": oWhere, "fma": oFMA,
}

type slotKind uint8

const (
	sConst slotKind = iota // consts[i]
	sVar                   // vars[i]
	sTemp                  // scratch temp i
)

type slot struct {
	kind slotKind
	i    int
}

type instr struct {
	op  opcode
	dst int // temp
	a   [3]slot
}

// An Expr is a compiled expression: a program over registers that each
// worker runs on one cache-sized block at a time with its own scratch.
// It is safe for concurrent use.
type Expr struct {
	src    string
	code   []instr
	out    slot
	isBool bool
	vars   []string
	consts []float64
	ntemp  int
	ns     float64 // planner's prior, ns per element
	pool   sync.Pool
}

// Compile parses src (see the package doc for the language) and compiles
// it. Errors are a *SyntaxError (ErrSyntax) naming the byte offset, or
// wrap ErrUnknownFn, ErrArgs or ErrType with the offset.
func Compile(src string) (*Expr, error) {
	n, err := parse(src)
	if err != nil {
		return nil, err
	}
	x, err := New(n)
	if err != nil {
		return nil, err
	}
	x.src = src
	return x, nil
}

// New compiles an expression built in Go (Var, Const, Add, …).
func New(n *Node) (*Expr, error) {
	if n == nil {
		return nil, ErrNil
	}
	c := &compiler{x: &Expr{}, varIdx: map[string]int{}}
	out, isBool, err := c.gen(n)
	if err != nil {
		return nil, err
	}
	x := c.x
	x.out, x.isBool = out, isBool
	x.src = n.String()
	x.ntemp = c.ntemp
	for _, in := range x.code {
		x.ns += ops[in.op].ns
	}
	return x, nil
}

// String returns the expression's source.
func (x *Expr) String() string { return x.src }

// Vars returns the names of the variables the expression reads, in order
// of first use.
func (x *Expr) Vars() []string { return append([]string(nil), x.vars...) }

type compiler struct {
	depth  int
	x      *Expr
	varIdx map[string]int
	free   []int
	ntemp  int
}

func (c *compiler) temp() int {
	if k := len(c.free); k > 0 {
		t := c.free[k-1]
		c.free = c.free[:k-1]
		return t
	}
	c.ntemp++
	return c.ntemp - 1
}

func (c *compiler) release(s slot) {
	if s.kind == sTemp {
		c.free = append(c.free, s.i)
	}
}

func (c *compiler) constant(v float64) slot {
	c.x.consts = append(c.x.consts, v)
	return slot{sConst, len(c.x.consts) - 1}
}

// gen emits the code of n and returns where its value is and whether it
// is a comparison (0 or 1).
func (c *compiler) gen(n *Node) (slot, bool, error) {
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > 4*maxDepth {
		return slot{}, false, posErr(ErrSyntax, n.pos, "expression nested more than %d deep", 4*maxDepth)
	}
	switch n.kind {
	case kConst:
		return c.constant(n.val), false, nil
	case kVar:
		if n.name == "" {
			return slot{}, false, posErr(ErrUnknownVar, n.pos, "empty variable name")
		}
		i, ok := c.varIdx[n.name]
		if !ok {
			i = len(c.x.vars)
			c.varIdx[n.name] = i
			c.x.vars = append(c.x.vars, n.name)
		}
		return slot{sVar, i}, false, nil
	}
	var o opcode
	var ok bool
	if n.kind == kOp {
		o, ok = binaryOps[n.op]
		if !ok {
			return slot{}, false, posErr(ErrUnknownFn, n.pos, "unknown operator %q", n.op)
		}
	} else {
		o, ok = funcs[n.name]
		if !ok {
			return slot{}, false, posErr(ErrUnknownFn, n.pos, "unknown function %q", n.name)
		}
	}
	info := ops[o]
	if len(n.args) != info.n {
		return slot{}, false, posErr(ErrArgs, n.pos, "%s takes %d argument(s), got %d", info.name, info.n, len(n.args))
	}
	var in instr
	in.op = o
	allConst := true
	for k, a := range n.args {
		if a == nil {
			return slot{}, false, ErrNil
		}
		s, isBool, err := c.gen(a)
		if err != nil {
			return slot{}, false, err
		}
		wantBool := info.boolIn || o == oWhere && k == 0
		if isBool != wantBool {
			if wantBool {
				return slot{}, false, posErr(ErrType, n.pos, "%s needs comparisons as operands; parenthesize, e.g. (a < b) & (c > d)", info.name)
			}
			return slot{}, false, posErr(ErrType, n.pos, "%s needs numbers, not a comparison; use where(c, 1, 0)", info.name)
		}
		in.a[k] = s
		allConst = allConst && s.kind == sConst
	}
	if allConst {
		var v [3]float64
		for k := 0; k < info.n; k++ {
			v[k] = c.x.consts[in.a[k].i]
		}
		var r float64
		switch info.n {
		case 1:
			r = info.f1(v[0])
		case 2:
			r = info.f2(v[0], v[1])
		default:
			r = eval3(o, v[0], v[1], v[2])
		}
		return c.constant(r), info.boolOut, nil
	}
	for k := 0; k < info.n; k++ {
		c.release(in.a[k])
	}
	in.dst = c.temp()
	c.x.code = append(c.x.code, in)
	return slot{sTemp, in.dst}, info.boolOut, nil
}
