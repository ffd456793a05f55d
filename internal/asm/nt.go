package asm

// Non-temporal variants: the same results as the plain functions, with
// streaming stores that skip reading dst's cache lines before writing
// them. Use them when dst is far larger than the caches and will not be
// read again soon; without assembly they are the plain Go loops.

// AddNT is Add with non-temporal stores.
func AddNT(dst, a, b []float64) {
	same("AddNT", len(dst), len(a), len(b))
	switch level {
	case lvlAVX512:
		addNTAVX512(dst, a, b)
	case lvlAVX2:
		addNTAVX2(dst, a, b)
	default:
		addGo(dst, a, b)
	}
}

// SubNT is Sub with non-temporal stores.
func SubNT(dst, a, b []float64) {
	same("SubNT", len(dst), len(a), len(b))
	switch level {
	case lvlAVX512:
		subNTAVX512(dst, a, b)
	case lvlAVX2:
		subNTAVX2(dst, a, b)
	default:
		subGo(dst, a, b)
	}
}

// MulNT is Mul with non-temporal stores.
func MulNT(dst, a, b []float64) {
	same("MulNT", len(dst), len(a), len(b))
	switch level {
	case lvlAVX512:
		mulNTAVX512(dst, a, b)
	case lvlAVX2:
		mulNTAVX2(dst, a, b)
	default:
		mulGo(dst, a, b)
	}
}

// DivNT is Div with non-temporal stores.
func DivNT(dst, a, b []float64) {
	same("DivNT", len(dst), len(a), len(b))
	switch level {
	case lvlAVX512:
		divNTAVX512(dst, a, b)
	case lvlAVX2:
		divNTAVX2(dst, a, b)
	default:
		divGo(dst, a, b)
	}
}

// AddConstNT is AddConst with non-temporal stores.
func AddConstNT(dst, a []float64, s float64) {
	same("AddConstNT", len(dst), len(a))
	switch level {
	case lvlAVX512:
		addConstNTAVX512(dst, a, s)
	case lvlAVX2:
		addConstNTAVX2(dst, a, s)
	default:
		addConstGo(dst, a, s)
	}
}

// ScaleNT is Scale with non-temporal stores.
func ScaleNT(dst, a []float64, s float64) {
	same("ScaleNT", len(dst), len(a))
	switch level {
	case lvlAVX512:
		scaleNTAVX512(dst, a, s)
	case lvlAVX2:
		scaleNTAVX2(dst, a, s)
	default:
		scaleGo(dst, a, s)
	}
}

// AxpyNT is Axpy with non-temporal stores.
func AxpyNT(dst []float64, alpha float64, x, y []float64) {
	same("AxpyNT", len(dst), len(x), len(y))
	switch level {
	case lvlAVX512:
		axpyNTAVX512(dst, alpha, x, y)
	case lvlAVX2:
		axpyNTAVX2(dst, alpha, x, y)
	default:
		axpyGo(dst, alpha, x, y)
	}
}

// FMANT is FMA with non-temporal stores.
func FMANT(dst, a, b, c []float64) {
	same("FMANT", len(dst), len(a), len(b), len(c))
	switch level {
	case lvlAVX512:
		fmaNTAVX512(dst, a, b, c)
	case lvlAVX2:
		fmaNTAVX2(dst, a, b, c)
	default:
		fmaGo(dst, a, b, c)
	}
}
