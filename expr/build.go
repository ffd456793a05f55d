package expr

import (
	"math"
	"strconv"
	"strings"
)

type nodeKind uint8

const (
	kConst nodeKind = iota
	kVar
	kOp   // op: + - * / ** < <= > >= == != & | ~ neg
	kCall // name(args)
)

// A Node is an expression tree, built by parsing (Compile) or in Go with
// the functions below, then compiled by New. Nodes are immutable values
// and may be shared between trees.
type Node struct {
	kind nodeKind
	op   string
	val  float64
	name string
	args []*Node
	pos  int // byte offset in the source, for errors
}

// Const is the number v, broadcast to every element.
func Const(v float64) *Node { return &Node{kind: kConst, val: v, pos: -1} }

// Var is the variable of that name, bound at Eval.
func Var(name string) *Node { return &Node{kind: kVar, name: name, pos: -1} }

func op(o string, args ...*Node) *Node { return &Node{kind: kOp, op: o, args: args, pos: -1} }

// Call applies a function of the language by name (see the package doc),
// e.g. Call("where", c, a, b).
func Call(fn string, args ...*Node) *Node {
	return &Node{kind: kCall, name: fn, args: args, pos: -1}
}

// Arithmetic, each rounded once as the Go operator (no contraction).
func Add(a, b *Node) *Node { return op("+", a, b) }
func Sub(a, b *Node) *Node { return op("-", a, b) }
func Mul(a, b *Node) *Node { return op("*", a, b) }
func Div(a, b *Node) *Node { return op("/", a, b) }
func Neg(a *Node) *Node    { return op("neg", a) }

// Pow is a**b (fmath.Pow).
func Pow(a, b *Node) *Node { return op("**", a, b) }

// Comparisons, true where they hold.
func Lt(a, b *Node) *Node { return op("<", a, b) }
func Le(a, b *Node) *Node { return op("<=", a, b) }
func Gt(a, b *Node) *Node { return op(">", a, b) }
func Ge(a, b *Node) *Node { return op(">=", a, b) }
func Eq(a, b *Node) *Node { return op("==", a, b) }
func Ne(a, b *Node) *Node { return op("!=", a, b) }

// And, Or and Not combine comparisons.
func And(a, b *Node) *Node { return op("&", a, b) }
func Or(a, b *Node) *Node  { return op("|", a, b) }
func Not(a *Node) *Node    { return op("~", a) }

// Where is c ? a : b elementwise.
func Where(c, a, b *Node) *Node { return Call("where", c, a, b) }

// FMA is a*b + c rounded once (math.FMA): the one way to ask for a fused
// multiply-add.
func FMA(a, b, c *Node) *Node { return Call("fma", a, b, c) }

// String returns the node as source text that Compile accepts, fully
// parenthesized.
func (n *Node) String() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *Node) write(b *strings.Builder) {
	switch n.kind {
	case kConst:
		switch {
		case math.IsInf(n.val, 1):
			b.WriteString("1e999") // parses as +Inf
		case math.IsInf(n.val, -1):
			b.WriteString("(-1e999)")
		case math.IsNaN(n.val):
			b.WriteString("(1e999 - 1e999)")
		case n.val < 0 || n.val == 0 && math.Signbit(n.val):
			b.WriteString("(-" + strconv.FormatFloat(-n.val, 'g', -1, 64) + ")")
		default:
			b.WriteString(strconv.FormatFloat(n.val, 'g', -1, 64))
		}
	case kVar:
		b.WriteString(n.name)
	case kCall:
		b.WriteString(n.name)
		b.WriteByte('(')
		for i, a := range n.args {
			if i > 0 {
				b.WriteString(", ")
			}
			a.write(b)
		}
		b.WriteByte(')')
	case kOp:
		b.WriteByte('(')
		switch {
		case n.op == "neg":
			b.WriteByte('-')
			n.args[0].write(b)
		case n.op == "~":
			b.WriteByte('~')
			n.args[0].write(b)
		default:
			n.args[0].write(b)
			b.WriteString(" " + n.op + " ")
			n.args[1].write(b)
		}
		b.WriteByte(')')
	}
}
