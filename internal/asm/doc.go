// Package asm holds the SIMD loops behind the kernels, with pure-Go
// fallbacks under the noasm build tag.
package asm
