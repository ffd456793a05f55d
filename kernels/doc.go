// Package kernels holds the parallel array kernels: elementwise arithmetic,
// user-function maps, reductions and rolling windows. Every kernel splits
// its work through package sched.
package kernels
