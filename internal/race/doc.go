// Package race tells the race detector about memory that code it does not
// instrument reads and writes: the assembly kernels of internal/asm. Under
// go build -race, Read and Write report the ranges a kernel is about to
// touch, so a race between two workers through assembly is reported as
// one through Go code would be; otherwise they compile to nothing.
//
// Strided kernels annotate each row they touch, not the span of rows:
// another worker may own the columns in between.
package race
