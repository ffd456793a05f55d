//go:build !noasm

#include "textflag.h"

DATA varone<>+0(SB)/8, $0x3ff0000000000000
GLOBL varone<>(SB), RODATA|NOPTR, $8

// Hand-written: the rolling-variance lanes kernel. Its Go twin, with the
// same operations in the same order, is kernels' varScan / varSegment
// (and rollVar8Go here).

// Assemble lane values x[k·w] (k = 0..7) at base R10 into Z(dst); R15 is
// clobbered. R9 = w·8, R11 = 3w·8, R14 = 4w·8.
#define LANES8(dst, ydst, xdst) \
	LEAQ (R10)(R14*1), R15 \
	VMOVSD (R10), xdst \
	VMOVHPD (R10)(R9*1), xdst, xdst \
	VMOVSD (R10)(R9*2), X1 \
	VMOVHPD (R10)(R11*1), X1, X1 \
	VINSERTF128 $1, X1, ydst, ydst \
	VMOVSD (R15), X2 \
	VMOVHPD (R15)(R9*1), X2, X2 \
	VMOVSD (R15)(R9*2), X3 \
	VMOVHPD (R15)(R11*1), X3, X3 \
	VINSERTF128 $1, X3, Y2, Y2 \
	VINSERTF64X4 $1, Y2, dst, dst

// Compensated add of Z1 into (s, c): t = s+v; z = t-s; c += (s-(t-z)) + (v-z).
#define TWOSUM(s, c, v) \
	VADDPD v, s, Z8 \
	VSUBPD s, Z8, Z9 \
	VMOVAPD Z8, Z10 \
	VFNMADD231PD Z14, Z9, Z10 \
	VSUBPD Z10, s, Z10 \
	VMOVAPD v, Z11 \
	VFNMADD231PD Z14, Z9, Z11 \
	VFMADD231PD Z14, Z11, Z10 \
	VADDPD Z10, c, c \
	VMOVAPD Z8, s

// One step: y = x − K added to (S1, C1); y² = p + pe added to (S2, C2).
#define STEP \
	VSUBPD Z12, Z0, Z1 \
	TWOSUM(Z5, Z6, Z1) \
	VMULPD Z1, Z1, Z2 \
	VMOVAPD Z2, Z3 \
	VFMSUB231PD Z1, Z1, Z3 \
	TWOSUM(Z7, Z18, Z2) \
	VADDPD Z3, Z18, Z18

// join of (a.s at off(R12), a.c at off+64(R12)) and (bs, bc) into out.
#define JOIN(off, bs, bc, out) \
	VMOVUPD off(R12), Z0 \
	VADDPD bs, Z0, Z8 \
	VSUBPD Z0, Z8, Z9 \
	VMOVAPD Z8, Z10 \
	VFNMADD231PD Z14, Z9, Z10 \
	VSUBPD Z10, Z0, Z10 \
	VMOVAPD bs, Z11 \
	VFNMADD231PD Z14, Z9, Z11 \
	VFMADD231PD Z14, Z11, Z10 \
	VADDPD off+64(R12), bc, Z11 \
	VFMADD231PD Z14, Z11, Z10 \
	VADDPD Z10, Z8, out

// func rollVar8CleanAVX512(x, out, suf []float64, w, groups int, std bool, div float64)
// Eight lanes, all values finite: len(x) = 8w·groups + w, len(out) =
// 8w·groups, suf 32w; div = w − ddof > 0.
TEXT ·rollVar8CleanAVX512(SB), NOSPLIT, $0-104
	MOVQ x_base+0(FP), SI
	MOVQ out_base+24(FP), DI
	MOVQ suf_base+48(FP), R8
	MOVQ w+72(FP), CX
	MOVQ groups+80(FP), DX
	CVTSQ2SD CX, X13
	VBROADCASTSD X13, Z13          // count of every window
	VBROADCASTSD varone<>(SB), Z14
	VBROADCASTSD div+96(FP), Z16
	VXORPD Z17, Z17, Z17
	MOVQ CX, R9
	SHLQ $3, R9
	LEAQ (R9)(R9*2), R11
	LEAQ (R9*4), R14

vgroup:
	LEAQ -8(SI)(R9*1), R10         // &x[w-1] of lane 0
	LANES8(Z12, Y12, X12)          // K: the element all windows share
	VXORPD Z5, Z5, Z5
	VXORPD Z6, Z6, Z6
	VXORPD Z7, Z7, Z7
	VXORPD Z18, Z18, Z18
	MOVQ CX, AX
	SUBQ $1, AX
	SHLQ $8, AX
	LEAQ (R8)(AX*1), R12           // &suf[w-1], 256 bytes a step
	MOVQ CX, BX
vsuffix:
	LANES8(Z0, Y0, X0)
	STEP
	VMOVUPD Z5, (R12)
	VMOVUPD Z6, 64(R12)
	VMOVUPD Z7, 128(R12)
	VMOVUPD Z18, 192(R12)
	SUBQ $8, R10
	SUBQ $256, R12
	DECQ BX
	JNZ vsuffix

	VXORPD Z5, Z5, Z5
	VXORPD Z6, Z6, Z6
	VXORPD Z7, Z7, Z7
	VXORPD Z18, Z18, Z18
	LEAQ -8(SI)(R9*1), R10         // the element added at t is x[w+t-1]
	MOVQ R8, R12
	MOVQ DI, R13
	XORQ BX, BX
vprefix:
	TESTQ BX, BX
	JZ vcombine
	LANES8(Z0, Y0, X0)
	STEP
vcombine:
	JOIN(0, Z5, Z6, Z4)            // Σy
	JOIN(128, Z7, Z18, Z8)         // Σy²
	VDIVPD Z13, Z4, Z9             // s1 / cnt
	VMULPD Z9, Z4, Z9              // s1 · (s1 / cnt)
	VSUBPD Z9, Z8, Z8              // m2
	VMAXPD Z17, Z8, Z8             // never negative
	VDIVPD Z16, Z8, Z8             // / (cnt − ddof)
	CMPB std+88(FP), $0
	JEQ vnostd
	VSQRTPD Z8, Z8
vnostd:
	LEAQ (R13)(R14*1), R15
	VEXTRACTF64X4 $1, Z8, Y2
	VMOVSD X8, (R13)
	VMOVHPD X8, (R13)(R9*1)
	VEXTRACTF128 $1, Y8, X1
	VMOVSD X1, (R13)(R9*2)
	VMOVHPD X1, (R13)(R11*1)
	VMOVSD X2, (R15)
	VMOVHPD X2, (R15)(R9*1)
	VEXTRACTF128 $1, Y2, X3
	VMOVSD X3, (R15)(R9*2)
	VMOVHPD X3, (R15)(R11*1)
	ADDQ $8, R10
	ADDQ $256, R12
	ADDQ $8, R13
	INCQ BX
	CMPQ BX, CX
	JB vprefix
	LEAQ (SI)(R9*8), SI
	LEAQ (DI)(R9*8), DI
	DECQ DX
	JNZ vgroup
	VZEROUPPER
	RET
