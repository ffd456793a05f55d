package asm

// The implementations in use; dispatch_*.go set them.
var (
	addImpl      = addGo
	subImpl      = subGo
	mulImpl      = mulGo
	divImpl      = divGo
	addConstImpl = addConstGo
	scaleImpl    = scaleGo
	axpyImpl     = axpyGo
	fmaImpl      = fmaGo
	leafSumsImpl = leafSumsGo
	leafDotsImpl = leafDotsGo
	isa          = "go"
)

func same(op string, n int, m ...int) {
	for _, k := range m {
		if k != n {
			panic("asm." + op + ": slice lengths differ")
		}
	}
}

// Add sets dst[i] = a[i] + b[i].
func Add(dst, a, b []float64) { same("Add", len(dst), len(a), len(b)); addImpl(dst, a, b) }

// Sub sets dst[i] = a[i] - b[i].
func Sub(dst, a, b []float64) { same("Sub", len(dst), len(a), len(b)); subImpl(dst, a, b) }

// Mul sets dst[i] = a[i] * b[i].
func Mul(dst, a, b []float64) { same("Mul", len(dst), len(a), len(b)); mulImpl(dst, a, b) }

// Div sets dst[i] = a[i] / b[i].
func Div(dst, a, b []float64) { same("Div", len(dst), len(a), len(b)); divImpl(dst, a, b) }

// AddConst sets dst[i] = a[i] + s.
func AddConst(dst, a []float64, s float64) {
	same("AddConst", len(dst), len(a))
	addConstImpl(dst, a, s)
}

// Scale sets dst[i] = a[i] * s.
func Scale(dst, a []float64, s float64) { same("Scale", len(dst), len(a)); scaleImpl(dst, a, s) }

// Axpy sets dst[i] = alpha*x[i] + y[i], the product and the sum each
// rounded (no fused multiply-add).
func Axpy(dst []float64, alpha float64, x, y []float64) {
	same("Axpy", len(dst), len(x), len(y))
	axpyImpl(dst, alpha, x, y)
}

// FMA sets dst[i] = math.FMA(a[i], b[i], c[i]): a·b + c rounded once.
func FMA(dst, a, b, c []float64) {
	same("FMA", len(dst), len(a), len(b), len(c))
	fmaImpl(dst, a, b, c)
}

// Leaves returns the number of leaves LeafSums reports for n elements.
func Leaves(n int) int { return (n + Leaf - 1) / Leaf }

// LeafSums sets dst[k] to the sum of leaf k of x, x[Leaf·k : Leaf·(k+1)]
// (the last leaf may be shorter), in a fixed order: 16 lanes, lane j adding
// x[16i+j] in turn starting from -0, then combined by the tree
// j += j+8, j += j+4, j += j+2, j += j+1. len(dst) must be Leaves(len(x)).
func LeafSums(dst, x []float64) {
	same("LeafSums", len(dst), Leaves(len(x)))
	full := len(x) / Leaf
	if full > 0 {
		leafSumsImpl(dst[:full], x[:full*Leaf])
	}
	if full < len(dst) {
		dst[full] = leafSum(x[full*Leaf:])
	}
}

// LeafDots is LeafSums of the products x[i]·y[i], each accumulated with a
// fused multiply-add: lane j = FMA(x[i], y[i], lane j).
func LeafDots(dst, x, y []float64) {
	same("LeafDots", len(x), len(y))
	same("LeafDots", len(dst), Leaves(len(x)))
	full := len(x) / Leaf
	if full > 0 {
		leafDotsImpl(dst[:full], x[:full*Leaf], y[:full*Leaf])
	}
	if full < len(dst) {
		dst[full] = leafDot(x[full*Leaf:], y[full*Leaf:])
	}
}

// ISA names the implementation in use: "avx512", "avx2" or "go".
func ISA() string { return isa }

// ISAs lists the implementations this build can run on this CPU, best
// first; SetISA accepts each.
func ISAs() []string { return available() }

// SetISA selects an implementation ("avx512", "avx2", "go"), for tests and
// benchmarks that compare them; it returns a function restoring the
// previous one. It is not safe to call while kernels run, and panics on a
// name this CPU or build cannot run.
func SetISA(name string) (restore func()) {
	prev := isa
	ok := false
	for _, n := range available() {
		ok = ok || n == name
	}
	if !ok {
		panic("asm.SetISA: " + name + " not available")
	}
	use(name)
	return func() { use(prev) }
}

func useGo() {
	addImpl, subImpl, mulImpl, divImpl = addGo, subGo, mulGo, divGo
	addConstImpl, scaleImpl, axpyImpl, fmaImpl = addConstGo, scaleGo, axpyGo, fmaGo
	leafSumsImpl, leafDotsImpl = leafSumsGo, leafDotsGo
	isa = "go"
}
