package asm

import "math"

// Leaf is the number of elements one leaf reduction covers.
const Leaf = 128

// negZero is the identity of floating-point addition: -0 + x == x for every
// x, +0 and -0 included.
var negZero = math.Copysign(0, -1)

func addGo(dst, a, b []float64) {
	for i := range dst {
		dst[i] = a[i] + b[i]
	}
}

func subGo(dst, a, b []float64) {
	for i := range dst {
		dst[i] = a[i] - b[i]
	}
}

func mulGo(dst, a, b []float64) {
	for i := range dst {
		dst[i] = a[i] * b[i]
	}
}

func divGo(dst, a, b []float64) {
	for i := range dst {
		dst[i] = a[i] / b[i]
	}
}

func addConstGo(dst, a []float64, s float64) {
	for i := range dst {
		dst[i] = a[i] + s
	}
}

func scaleGo(dst, a []float64, s float64) {
	for i := range dst {
		dst[i] = a[i] * s
	}
}

func axpyGo(dst []float64, alpha float64, x, y []float64) {
	for i := range dst {
		// Two roundings, like the assembly: the explicit conversion
		// forbids the compiler from fusing the multiply and add.
		dst[i] = float64(alpha*x[i]) + y[i]
	}
}

func fmaGo(dst, a, b, c []float64) {
	for i := range dst {
		dst[i] = math.FMA(a[i], b[i], c[i])
	}
}

// leafSum is the reference order of one leaf (len(x) ≤ Leaf): 16 lanes, lane
// j takes x[16i+j] in order from -0, then the tree j += j+8, j += j+4,
// j += j+2, j += j+1.
func leafSum(x []float64) float64 {
	var acc [16]float64
	for j := range acc {
		acc[j] = negZero
	}
	i := 0
	for ; i+16 <= len(x); i += 16 {
		v := x[i : i+16 : i+16]
		for j := range acc {
			acc[j] += v[j]
		}
	}
	for j := 0; i < len(x); i, j = i+1, j+1 {
		acc[j] += x[i]
	}
	return foldLanes(&acc)
}

func leafDot(x, y []float64) float64 {
	var acc [16]float64
	for j := range acc {
		acc[j] = negZero
	}
	y = y[:len(x)]
	i := 0
	for ; i+16 <= len(x); i += 16 {
		u, v := x[i:i+16:i+16], y[i:i+16:i+16]
		for j := range acc {
			acc[j] = math.FMA(u[j], v[j], acc[j])
		}
	}
	for j := 0; i < len(x); i, j = i+1, j+1 {
		acc[j] = math.FMA(x[i], y[i], acc[j])
	}
	return foldLanes(&acc)
}

func foldLanes(acc *[16]float64) float64 {
	for w := 8; w >= 1; w /= 2 {
		for j := 0; j < w; j++ {
			acc[j] += acc[j+w]
		}
	}
	return acc[0]
}

func leafSumsGo(dst, x []float64) {
	for k := range dst {
		dst[k] = leafSum(x[k*Leaf : (k+1)*Leaf])
	}
}

func leafDotsGo(dst, x, y []float64) {
	for k := range dst {
		dst[k] = leafDot(x[k*Leaf:(k+1)*Leaf], y[k*Leaf:(k+1)*Leaf])
	}
}
