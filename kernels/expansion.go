package kernels

import "math"

// An expansion is an exact sum of float64 components, nonoverlapping and
// in increasing magnitude (Shewchuk, "Adaptive precision floating-point
// arithmetic and fast robust geometric predicates", 1997). It holds a sum
// of many products exactly whatever their magnitudes, so a result that
// cancels to 1e-80 of its terms keeps its relative accuracy; its length
// grows only with the spread of the terms' exponents (at most ~40 for
// float64). Exact unless a product overflows or underflows.
type expansion []float64

// add returns e + b, exactly (grow-expansion with zero elimination, in
// place).
func (e expansion) add(b float64) expansion {
	q, j := b, 0
	for _, v := range e {
		var h float64
		q, h = twoSum(q, v)
		if h != 0 {
			e[j] = h
			j++
		}
	}
	if q != 0 || j == 0 {
		e = append(e[:j], q)
	} else {
		e = e[:j]
	}
	return e
}

// addProd returns e + a·b, exactly.
func (e expansion) addProd(a, b float64) expansion {
	p := float64(a * b)
	return e.add(math.FMA(a, b, -p)).add(p)
}

// addScaled returns e + s·f, exactly.
func (e expansion) addScaled(f expansion, s float64) expansion {
	for _, v := range f {
		e = e.addProd(v, s)
	}
	return e
}

// value is e rounded to a float64 (summed from the smallest component up:
// within an ulp).
func (e expansion) value() float64 {
	s := 0.0
	for _, v := range e {
		s += v
	}
	return s
}
