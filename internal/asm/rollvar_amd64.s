//go:build !noasm

#include "textflag.h"
#include "rolling_amd64.h"

DATA varone<>+0(SB)/8, $0x3ff0000000000000
GLOBL varone<>(SB), RODATA|NOPTR, $8

// Hand-written: the rolling-variance lanes kernel. Its Go twin, with the
// same operations in the same order, is kernels' varScan / varSegment
// (and rollVar8Go here).

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
	VARSTEP8                       // y = x − K: Σy, Σy²
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
	VARSTEP8                       // y = x − K: Σy, Σy²
vcombine:
	VARM2                          // Σy, m2
	VMAXPD Z17, Z8, Z8             // never negative
	VDIVPD Z16, Z8, Z8             // / (cnt − ddof)
	CMPB std+88(FP), $0
	JEQ vnostd
	VSQRTPD Z8, Z8
vnostd:
	STORE8(Z8, Y8, X8)
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

// SQUARE4 is SQUARE on Y registers: Y2 = y·y, Y3 = y·y − Y2 (y in Y1).
#define SQUARE4 \
	VMULPD Y1, Y1, Y2 \
	VMOVAPD Y2, Y3 \
	VFMSUB231PD Y1, Y1, Y3

// func rollVar4CleanAVX2(x, out, suf []float64, w, groups int, std bool, div float64)
// rollVar8CleanAVX512 on four lanes: len(x) = 4w·groups + w, len(out) =
// 4w·groups, suf 16w.
TEXT ·rollVar4CleanAVX2(SB), NOSPLIT, $0-104
	MOVQ x_base+0(FP), SI
	MOVQ out_base+24(FP), DI
	MOVQ suf_base+48(FP), R8
	MOVQ w+72(FP), CX
	MOVQ groups+80(FP), DX
	CVTSQ2SD CX, X13
	VBROADCASTSD X13, Y13          // count of every window
	VBROADCASTSD varone<>(SB), Y14
	MOVQ CX, R9
	SHLQ $3, R9
	LEAQ (R9)(R9*2), R11

v4group:
	LEAQ -8(SI)(R9*1), R10         // &x[w-1] of lane 0
	LANES4(Y12, X12)               // K: the element all windows share
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y15, Y15, Y15
	MOVQ CX, AX
	SUBQ $1, AX
	SHLQ $7, AX
	LEAQ (R8)(AX*1), R12           // &suf[w-1], 128 bytes a step
	MOVQ CX, BX
v4suffix:
	LANES4(Y0, X0)
	VSUBPD Y12, Y0, Y1                          // y = x − K
	TWOSUM(Y5, Y6, Y1, Y8, Y9, Y10, Y11, Y14)   // Σy
	SQUARE4                                     // y² = p + pe exactly
	TWOSUM(Y7, Y15, Y2, Y8, Y9, Y10, Y11, Y14)  // Σy²
	VADDPD Y3, Y15, Y15
	VMOVUPD Y5, (R12)
	VMOVUPD Y6, 32(R12)
	VMOVUPD Y7, 64(R12)
	VMOVUPD Y15, 96(R12)
	SUBQ $8, R10
	SUBQ $128, R12
	DECQ BX
	JNZ v4suffix

	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y15, Y15, Y15
	LEAQ -8(SI)(R9*1), R10         // the element added at t is x[w+t-1]
	MOVQ R8, R12
	MOVQ DI, R13
	XORQ BX, BX
v4prefix:
	TESTQ BX, BX
	JZ v4combine
	LANES4(Y0, X0)
	VSUBPD Y12, Y0, Y1
	TWOSUM(Y5, Y6, Y1, Y8, Y9, Y10, Y11, Y14)
	SQUARE4
	TWOSUM(Y7, Y15, Y2, Y8, Y9, Y10, Y11, Y14)
	VADDPD Y3, Y15, Y15
v4combine:
	JOIN(0, 32, Y5, Y6, Y4, Y0, Y8, Y9, Y10, Y11, Y14)      // Σy
	JOIN(64, 96, Y7, Y15, Y8, Y0, Y8, Y9, Y10, Y11, Y14)    // Σy²
	VDIVPD Y13, Y4, Y9             // s1 / cnt
	VMULPD Y9, Y4, Y9              // s1 · (s1 / cnt)
	VSUBPD Y9, Y8, Y8              // m2
	VXORPD Y9, Y9, Y9
	VMAXPD Y9, Y8, Y8              // never negative
	VBROADCASTSD div+96(FP), Y10
	VDIVPD Y10, Y8, Y8             // / (cnt − ddof)
	CMPB std+88(FP), $0
	JEQ v4nostd
	VSQRTPD Y8, Y8
v4nostd:
	STORE4(Y8, X8)
	ADDQ $8, R10
	ADDQ $128, R12
	ADDQ $8, R13
	INCQ BX
	CMPQ BX, CX
	JB v4prefix
	LEAQ (SI)(R9*4), SI
	LEAQ (DI)(R9*4), DI
	DECQ DX
	JNZ v4group
	VZEROUPPER
	RET
