// Package fmath holds float64 elementary functions that are faithfully
// rounded everywhere — within 1 ulp of the exact result for every argument,
// and correctly rounded (the float64 nearest the exact value) for all but
// a vanishing share of arguments — with IEEE 754 / C99 Annex F special
// cases, as Go's math package documents them.
//
// Each function computes its result as an unevaluated sum of two float64
// (about 100 bits) from table-driven argument reduction and short
// polynomials, and rounds once at the end. Only additions, multiplications
// and math.FMA are used, each correctly rounded by IEEE 754, so the result
// is the same bits on every machine and every build. The array forms in
// package kernels compute exactly these values: for Exp and Log through
// AVX-512 and AVX2 forms (internal/asm), for Sin, Cos and Tanh through AVX2
// forms, each taking the quick path's steps lane for lane, and for the
// others by calling these functions.
//
// Exp, Log, Log2, Log10, Sin, Cos and Tanh first try a quick path whose
// error is bounded (mathtab's ...QuickErr constants): where the result
// plus and minus that bound round to the same double, it is the correctly
// rounded result; elsewhere (0.05% to 0.3% of arguments) the accurate
// path runs.
//
// The constants and tables live in internal/mathtab (generated from
// internal/bigmath), shared with the vector kernels.
//
// No function panics or allocates. Costs are a few tens of nanoseconds;
// the array forms in package kernels evaluate many arguments at once.
package fmath
