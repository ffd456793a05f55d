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

// The masked AVX2 kernel: rollVar4CleanAVX2 for data with missing values.
// Each block pair has its own shift K (kv: per group, the four lanes' K,
// then a mask of all ones on the lanes whose K is not the element common
// to their windows); a missing value adds y = 0 and counts 0, as
// kernels' varScan.add. Per window: the count joins like the sums, the
// variance divides by count − ddof, and a window is NaN when its count
// plus bias = −max(minp, ddof+1) is negative. On a lane whose K is not
// common, a window with Σy² > 2^20·m2 gets the sentinel varexact<> (the
// caller recomputes it exactly) and the function returns true.

DATA varbig<>+0(SB)/8, $0x4130000000000000
DATA varbig<>+8(SB)/8, $0x4130000000000000
DATA varbig<>+16(SB)/8, $0x4130000000000000
DATA varbig<>+24(SB)/8, $0x4130000000000000
GLOBL varbig<>(SB), RODATA|NOPTR, $32

// math.NaN()'s bits, as the Go loops write.
DATA varnan<>+0(SB)/8, $0x7ff8000000000001
DATA varnan<>+8(SB)/8, $0x7ff8000000000001
DATA varnan<>+16(SB)/8, $0x7ff8000000000001
DATA varnan<>+24(SB)/8, $0x7ff8000000000001
GLOBL varnan<>(SB), RODATA|NOPTR, $32

// VarExactBits (rollvar.go).
DATA varexact<>+0(SB)/8, $0x7ffc000000000ac7
DATA varexact<>+8(SB)/8, $0x7ffc000000000ac7
DATA varexact<>+16(SB)/8, $0x7ffc000000000ac7
DATA varexact<>+24(SB)/8, $0x7ffc000000000ac7
GLOBL varexact<>(SB), RODATA|NOPTR, $32

// VARMASK4 replaces the missing lanes of Y0 by K (Y12) and counts the
// others into Y13 (Y14 = 1.0; Y1 clobbered): x − x is 0, not NaN, for
// finite x.
#define VARMASK4 \
	VSUBPD Y0, Y0, Y1 \
	VCMPPD $0, Y1, Y1, Y1 \
	VBLENDVPD Y1, Y0, Y12, Y0 \
	VANDPD Y14, Y1, Y1 \
	VADDPD Y1, Y13, Y13

// VARSTEP4 adds x (Y0, masked) to the state: Σy in (Y5, Y6), Σy² in (Y7,
// Y15), y = x − K split exactly (Y1–Y3, Y8–Y11 clobbered).
#define VARSTEP4 \
	VSUBPD Y12, Y0, Y1 \
	TWOSUM(Y5, Y6, Y1, Y8, Y9, Y10, Y11, Y14) \
	SQUARE4 \
	TWOSUM(Y7, Y15, Y2, Y8, Y9, Y10, Y11, Y14) \
	VADDPD Y3, Y15, Y15

#define VARZERO4 \
	VXORPD Y5, Y5, Y5 \
	VXORPD Y6, Y6, Y6 \
	VXORPD Y7, Y7, Y7 \
	VXORPD Y15, Y15, Y15 \
	VXORPD Y13, Y13, Y13

// func rollVar4AVX2(x, out, suf, kv []float64, w, groups int, std bool, bias, ddof float64) bool
// len(x) = 4w·groups + w, len(out) = 4w·groups, suf 20w (Σy, Σy², count
// per step: 160 bytes), kv 8·groups.
TEXT ·rollVar4AVX2(SB), NOSPLIT, $0-137
	MOVQ x_base+0(FP), SI
	MOVQ out_base+24(FP), DI
	MOVQ suf_base+48(FP), R8
	MOVQ kv_base+72(FP), R14
	MOVQ w+96(FP), CX
	MOVQ groups+104(FP), DX
	VBROADCASTSD varone<>(SB), Y14
	VXORPD Y4, Y4, Y4              // windows sent to the exact path
	MOVQ CX, R9
	SHLQ $3, R9
	LEAQ (R9)(R9*2), R11

vm4group:
	VMOVUPD (R14), Y12             // K of each lane
	VARZERO4
	LEAQ -8(SI)(R9*1), R10         // &x[w-1] of lane 0
	MOVQ CX, AX
	SUBQ $1, AX
	IMULQ $160, AX
	LEAQ (R8)(AX*1), R12           // &suf[w-1]
	MOVQ CX, BX
vm4suffix:
	LANES4(Y0, X0)
	VARMASK4
	VARSTEP4
	VMOVUPD Y5, (R12)
	VMOVUPD Y6, 32(R12)
	VMOVUPD Y7, 64(R12)
	VMOVUPD Y15, 96(R12)
	VMOVUPD Y13, 128(R12)
	SUBQ $8, R10
	SUBQ $160, R12
	DECQ BX
	JNZ vm4suffix

	VARZERO4
	LEAQ -8(SI)(R9*1), R10         // the element added at t is x[w+t-1]
	MOVQ R8, R12
	MOVQ DI, R13
	XORQ BX, BX
vm4prefix:
	TESTQ BX, BX
	JZ vm4combine
	LANES4(Y0, X0)
	VARMASK4
	VARSTEP4
vm4combine:
	JOIN(0, 32, Y5, Y6, Y3, Y0, Y8, Y9, Y10, Y11, Y14)      // Σy
	JOIN(64, 96, Y7, Y15, Y8, Y0, Y8, Y9, Y10, Y11, Y14)    // Σy²
	VADDPD 128(R12), Y13, Y9       // count
	VDIVPD Y9, Y3, Y10             // s1 / cnt
	VMULPD Y10, Y3, Y10            // s1 · (s1 / cnt)
	VSUBPD Y10, Y8, Y10
	VXORPD Y11, Y11, Y11
	VMAXPD Y11, Y10, Y10           // m2, never negative
	VMULPD varbig<>(SB), Y10, Y0
	VCMPPD $1, Y8, Y0, Y0          // 2^20·m2 < Σy²
	VANDPD 32(R14), Y0, Y0         // where K is not common
	VBROADCASTSD ddof+128(FP), Y1
	VSUBPD Y1, Y9, Y1
	VDIVPD Y1, Y10, Y10            // / (cnt − ddof)
	CMPB std+112(FP), $0
	JEQ vm4nostd
	VSQRTPD Y10, Y10
vm4nostd:
	VBLENDVPD Y0, varexact<>(SB), Y10, Y10
	VBROADCASTSD bias+120(FP), Y1
	VADDPD Y9, Y1, Y1              // negative: too few values
	VBLENDVPD Y1, varnan<>(SB), Y10, Y10
	VANDNPD Y0, Y1, Y0             // sent to the exact path, with enough values
	VORPD Y0, Y4, Y4
	STORE4(Y10, X10)
	ADDQ $8, R10
	ADDQ $160, R12
	ADDQ $8, R13
	INCQ BX
	CMPQ BX, CX
	JB vm4prefix
	LEAQ (SI)(R9*4), SI
	LEAQ (DI)(R9*4), DI
	ADDQ $64, R14
	DECQ DX
	JNZ vm4group
	VMOVMSKPD Y4, AX
	TESTL AX, AX
	SETNE ret+136(FP)
	VZEROUPPER
	RET
