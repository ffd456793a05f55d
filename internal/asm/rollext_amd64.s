//go:build !noasm

#include "textflag.h"
#include "rolling_amd64.h"

// Hand-written (not generated): the rolling-extremum lanes kernel. Its Go
// twin, with the same operations, is rollExtGo in rollext.go (and kernels'
// extremeBlocks). Minima are maxima of the negated values, negated back:
// −max(−a, −b) is min(a, b) exactly, ±0 and ±Inf included.

DATA rollninf<>+0(SB)/8, $0xfff0000000000000
GLOBL rollninf<>(SB), RODATA|NOPTR, $8

// EXTLOAD negates Z0 when Z13 holds the sign bit (min) and replaces its
// missing lanes (NaN, ±Inf: x − x is not 0) by −Inf, the identity of max
// (Z14 = −Inf, Z15 = 0; Z2, K1 clobbered).
#define EXTLOAD \
	VXORPD Z13, Z0, Z0 \
	VSUBPD Z0, Z0, Z2 \
	VCMPPD $4, Z15, Z2, K1 \
	VMOVAPD Z14, K1, Z0

// MAXZ sets a = max(a, b) as Go's builtin max on values without NaN: VMAXPD
// returns its second source on a tie, so the two orders differ only for
// +0 against −0, and their AND is then +0 (Z2, Z3 clobbered).
#define MAXZ(a, b) \
	VMAXPD b, a, Z2 \
	VMAXPD a, b, Z3 \
	VANDPD Z2, Z3, a

// func rollExt8AVX512(x, out, suf []float64, w, groups int, neg float64)
// groups ≥ 1 runs of eight blocks: len(x) = 8w·groups + w,
// len(out) = 8w·groups, len(suf) = 8w, w ≥ 1; neg = −0 for minima.
TEXT ·rollExt8AVX512(SB), NOSPLIT, $0-96
	MOVQ x_base+0(FP), SI
	MOVQ out_base+24(FP), DI
	MOVQ suf_base+48(FP), R8
	MOVQ w+72(FP), CX
	MOVQ groups+80(FP), DX
	VBROADCASTSD neg+88(FP), Z13
	VBROADCASTSD rollninf<>(SB), Z14
	VXORPD Z15, Z15, Z15
	MOVQ CX, R9
	SHLQ $3, R9            // w*8: bytes between lanes
	LEAQ (R9)(R9*2), R11   // 3*w*8
	LEAQ (R9*4), R14       // 4*w*8

xgroup:
	// Suffix extrema of the 8 blocks of window starts, t = w-1 .. 0.
	VMOVAPD Z14, Z5
	LEAQ -8(SI)(R9*1), R10 // &x[w-1]
	MOVQ CX, AX
	SUBQ $1, AX
	SHLQ $6, AX
	LEAQ (R8)(AX*1), R12   // &suf[w-1], 64 bytes a step
	MOVQ CX, BX

xsuffix:
	LANES8(Z0, Y0, X0)
	EXTLOAD
	MAXZ(Z5, Z0)
	VMOVUPD Z5, (R12)
	SUBQ $8, R10
	SUBQ $64, R12
	DECQ BX
	JNZ xsuffix

	// Prefix extrema of the next blocks, t = 0 .. w-1, with the outputs.
	VMOVAPD Z14, Z5
	LEAQ -8(SI)(R9*1), R10 // the element added at t is x[w+t-1]
	MOVQ R8, R12
	MOVQ DI, R13
	XORQ BX, BX

xprefix:
	TESTQ BX, BX
	JZ xcombine
	LANES8(Z0, Y0, X0)
	EXTLOAD
	MAXZ(Z5, Z0)

xcombine:
	VMOVUPD (R12), Z6
	MAXZ(Z6, Z5)
	VXORPD Z13, Z6, Z6
	STORE8(Z6, Y6, X6)
	ADDQ $8, R10
	ADDQ $64, R12
	ADDQ $8, R13
	INCQ BX
	CMPQ BX, CX
	JB xprefix
	LEAQ (SI)(R9*8), SI    // next eight blocks
	LEAQ (DI)(R9*8), DI
	DECQ DX
	JNZ xgroup
	VZEROUPPER
	RET
