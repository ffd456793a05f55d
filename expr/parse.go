package expr

import (
	"fmt"
	"strconv"
	"strings"
)

// tokens
type tokKind uint8

const (
	tEOF tokKind = iota
	tNum
	tIdent
	tOp // + - * / ** ( ) , < <= > >= == != & | ~
)

type token struct {
	kind tokKind
	text string
	pos  int
	num  float64
}

func lex(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
			j := i
			for j < len(src) && (isDigit(src[j]) || src[j] == '.') {
				j++
			}
			if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
				k := j + 1
				if k < len(src) && (src[k] == '+' || src[k] == '-') {
					k++
				}
				if k < len(src) && isDigit(src[k]) {
					for k < len(src) && isDigit(src[k]) {
						k++
					}
					j = k
				}
			}
			v, err := strconv.ParseFloat(src[i:j], 64)
			if err != nil && !isRange(err) {
				return nil, syntaxErr(i, "bad number %q", src[i:j])
			}
			toks = append(toks, token{tNum, src[i:j], i, v})
			i = j
		case isLetter(c):
			j := i
			for j < len(src) && (isLetter(src[j]) || isDigit(src[j])) {
				j++
			}
			toks = append(toks, token{tIdent, src[i:j], i, 0})
			i = j
		default:
			op := ""
			for _, o := range []string{"**", "<=", ">=", "==", "!=", "+", "-", "*", "/", "(", ")", ",", "<", ">", "&", "|", "~"} {
				if strings.HasPrefix(src[i:], o) {
					op = o
					break
				}
			}
			if op == "" {
				return nil, syntaxErr(i, "unexpected character %q", rune(c))
			}
			toks = append(toks, token{tOp, op, i, 0})
			i += len(op)
		}
	}
	return append(toks, token{tEOF, "", len(src), 0}), nil
}

// isRange reports a ParseFloat range error: 1e400 is +Inf, as in Python.
func isRange(err error) bool {
	e, ok := err.(*strconv.NumError)
	return ok && e.Err == strconv.ErrRange
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }

// parser: recursive descent with Python's (numexpr's) precedence, lowest
// first: comparison, |, &, + −, * /, unary − + ~, ** (right-associative,
// binding tighter than a unary operator on its left: −a**2 = −(a**2)).
type parser struct {
	toks  []token
	i     int
	depth int
}

// maxDepth bounds the nesting of parentheses, calls and unary operators,
// so that no input can exhaust the stack.
const maxDepth = 500

func parse(src string) (*Node, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.comparison()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, syntaxErr(t.pos, "unexpected %s", t.describe())
	}
	return n, nil
}

func (t token) describe() string {
	if t.kind == tEOF {
		return "end of expression"
	}
	return fmt.Sprintf("%q", t.text)
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) isOp(ops ...string) bool {
	t := p.peek()
	if t.kind != tOp {
		return false
	}
	for _, o := range ops {
		if t.text == o {
			return true
		}
	}
	return false
}

var compareOps = []string{"<", "<=", ">", ">=", "==", "!="}

func (p *parser) comparison() (*Node, error) {
	l, err := p.or()
	if err != nil {
		return nil, err
	}
	if !p.isOp(compareOps...) {
		return l, nil
	}
	t := p.next()
	r, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.isOp(compareOps...) {
		return nil, syntaxErr(p.peek().pos, "chained comparison; write (a < b) & (b < c)")
	}
	return binaryAt(t.text, l, r, t.pos), nil
}

func (p *parser) or() (*Node, error)  { return p.leftAssoc(p.and, "|") }
func (p *parser) and() (*Node, error) { return p.leftAssoc(p.arith, "&") }
func (p *parser) arith() (*Node, error) {
	return p.leftAssoc(p.term, "+", "-")
}
func (p *parser) term() (*Node, error) { return p.leftAssoc(p.unary, "*", "/") }

func (p *parser) leftAssoc(sub func() (*Node, error), ops ...string) (*Node, error) {
	l, err := sub()
	if err != nil {
		return nil, err
	}
	for p.isOp(ops...) {
		t := p.next()
		r, err := sub()
		if err != nil {
			return nil, err
		}
		l = binaryAt(t.text, l, r, t.pos)
	}
	return l, nil
}

func (p *parser) unary() (*Node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, syntaxErr(p.peek().pos, "expression nested more than %d deep", maxDepth)
	}
	if p.isOp("-", "+", "~") {
		t := p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		switch t.text {
		case "+":
			return x, nil
		case "-":
			return &Node{kind: kOp, op: "neg", args: []*Node{x}, pos: t.pos}, nil
		}
		return &Node{kind: kOp, op: "~", args: []*Node{x}, pos: t.pos}, nil
	}
	return p.power()
}

func (p *parser) power() (*Node, error) {
	base, err := p.primary()
	if err != nil {
		return nil, err
	}
	if p.isOp("**") {
		t := p.next()
		exp, err := p.unary() // right-associative; 2**-1 allowed
		if err != nil {
			return nil, err
		}
		return binaryAt("**", base, exp, t.pos), nil
	}
	return base, nil
}

func (p *parser) primary() (*Node, error) {
	t := p.next()
	switch {
	case t.kind == tNum:
		return &Node{kind: kConst, val: t.num, pos: t.pos}, nil
	case t.kind == tIdent:
		if !p.isOp("(") {
			return &Node{kind: kVar, name: t.text, pos: t.pos}, nil
		}
		p.next()
		var args []*Node
		if !p.isOp(")") {
			for {
				a, err := p.comparison()
				if err != nil {
					return nil, err
				}
				args = append(args, a)
				if !p.isOp(",") {
					break
				}
				p.next()
			}
		}
		if !p.isOp(")") {
			u := p.peek()
			return nil, syntaxErr(u.pos, "expected \",\" or \")\" in the arguments of %s, found %s", t.text, u.describe())
		}
		p.next()
		return &Node{kind: kCall, name: t.text, args: args, pos: t.pos}, nil
	case t.kind == tOp && t.text == "(":
		n, err := p.comparison()
		if err != nil {
			return nil, err
		}
		if !p.isOp(")") {
			u := p.peek()
			return nil, syntaxErr(u.pos, "expected \")\" to close the \"(\" at offset %d, found %s", t.pos, u.describe())
		}
		p.next()
		return n, nil
	}
	return nil, syntaxErr(t.pos, "expected a number, a name or \"(\", found %s", t.describe())
}

func binaryAt(op string, l, r *Node, pos int) *Node {
	return &Node{kind: kOp, op: op, args: []*Node{l, r}, pos: pos}
}
