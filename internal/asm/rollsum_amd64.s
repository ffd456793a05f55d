//go:build !noasm

#include "textflag.h"
#include "rolling_amd64.h"

// Hand-written (not generated): the rolling-sum lanes kernels. Their Go
// twin, with the same operations in the same order, is rollSum4Go in
// rollsum.go (and kernels' sumSegment).

DATA rollnan<>+0(SB)/8, $0x7ff8000000000001
DATA rollnan<>+8(SB)/8, $0x7ff8000000000001
DATA rollnan<>+16(SB)/8, $0x7ff8000000000001
DATA rollnan<>+24(SB)/8, $0x7ff8000000000001
GLOBL rollnan<>(SB), RODATA|NOPTR, $32

DATA rollone<>+0(SB)/8, $0x3ff0000000000000
GLOBL rollone<>(SB), RODATA|NOPTR, $8

// FINITE4 zeroes the missing (NaN, ±Inf) lanes of Y0 and sets Y4 to 1.0 in
// the others (Y15 = 0, Y14 = 1.0).
#define FINITE4 \
	VSUBPD Y0, Y0, Y2 \
	VCMPPD $0, Y15, Y2, Y3 \
	VANDPD Y3, Y0, Y0 \
	VANDPD Y14, Y3, Y4

// func rollSum4AVX2(x, out, suf []float64, w, groups int, mean bool, minp float64)
// groups ≥ 1 runs of four blocks: len(x) = 4w·groups + w,
// len(out) = 4w·groups, len(suf) = 12w, w ≥ 1.
TEXT ·rollSum4AVX2(SB), NOSPLIT, $0-104
	MOVQ x_base+0(FP), SI
	MOVQ out_base+24(FP), DI
	MOVQ suf_base+48(FP), R8
	MOVQ w+72(FP), CX
	MOVQ groups+80(FP), R14
	MOVBQZX mean+88(FP), DX
	VBROADCASTSD minp+96(FP), Y13
	VBROADCASTSD rollone<>(SB), Y14
	VXORPD Y15, Y15, Y15
	MOVQ CX, R9
	SHLQ $3, R9            // w*8: bytes between lanes
	LEAQ (R9)(R9*2), R11   // 3*w*8

group:
	// Suffix pass over the 4 blocks of window starts, t = w-1 .. 0.
	VXORPD Y5, Y5, Y5      // s
	VXORPD Y6, Y6, Y6      // c
	VXORPD Y7, Y7, Y7      // n
	LEAQ -8(SI)(R9*1), R10 // &x[w-1]
	MOVQ CX, AX
	SUBQ $1, AX
	IMULQ $96, AX
	LEAQ (R8)(AX*1), R12   // &suf[w-1]
	MOVQ CX, BX
suffix:
	LANES4(Y0, X0)
	FINITE4
	TWOSUM(Y5, Y6, Y0, Y8, Y9, Y10, Y11, Y14)
	VADDPD Y4, Y7, Y7
	VMOVUPD Y5, (R12)
	VMOVUPD Y6, 32(R12)
	VMOVUPD Y7, 64(R12)
	SUBQ $8, R10
	SUBQ $96, R12
	DECQ BX
	JNZ suffix

	// Prefix pass over the next blocks, t = 0 .. w-1, with the outputs.
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	LEAQ -8(SI)(R9*1), R10 // the element added at t is x[w+t-1]
	MOVQ R8, R12
	MOVQ DI, R13
	XORQ BX, BX
prefix:
	TESTQ BX, BX
	JZ combine
	LANES4(Y0, X0)
	FINITE4
	TWOSUM(Y5, Y6, Y0, Y8, Y9, Y10, Y11, Y14)
	VADDPD Y4, Y7, Y7
combine:
	VADDPD 64(R12), Y7, Y12 // cnt = suffix n + prefix n
	JOIN(0, 32, Y5, Y6, Y8, Y0, Y8, Y9, Y10, Y11, Y14)
	TESTQ DX, DX
	JZ nomean
	VDIVPD Y12, Y8, Y8     // mean = sum / cnt
nomean:
	VCMPPD $1, Y13, Y12, Y3 // cnt < minp
	VBLENDVPD Y3, rollnan<>(SB), Y8, Y8
	STORE4(Y8, X8)
	ADDQ $8, R10
	ADDQ $96, R12
	ADDQ $8, R13
	INCQ BX
	CMPQ BX, CX
	JB prefix
	LEAQ (SI)(R9*4), SI    // next four blocks
	LEAQ (DI)(R9*4), DI
	DECQ R14
	JNZ group
	VZEROUPPER
	RET

// func rollSum4CleanAVX2(x, out, suf []float64, w, groups int, mean bool)
// As rollSum4AVX2 for inputs that are all finite: no masks, no counts (every
// window holds w values), suf holds 8w.
TEXT ·rollSum4CleanAVX2(SB), NOSPLIT, $0-89
	MOVQ x_base+0(FP), SI
	MOVQ out_base+24(FP), DI
	MOVQ suf_base+48(FP), R8
	MOVQ w+72(FP), CX
	MOVQ groups+80(FP), R14
	MOVBQZX mean+88(FP), DX
	CVTSQ2SD CX, X13
	VBROADCASTSD X13, Y13  // w as a double: the count of every window
	VBROADCASTSD rollone<>(SB), Y14
	MOVQ CX, R9
	SHLQ $3, R9
	LEAQ (R9)(R9*2), R11

cgroup:
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	LEAQ -8(SI)(R9*1), R10
	MOVQ CX, AX
	SUBQ $1, AX
	SHLQ $6, AX
	LEAQ (R8)(AX*1), R12   // &suf[w-1], 64 bytes a step
	MOVQ CX, BX
csuffix:
	LANES4(Y0, X0)
	TWOSUM(Y5, Y6, Y0, Y8, Y9, Y10, Y11, Y14)
	VMOVUPD Y5, (R12)
	VMOVUPD Y6, 32(R12)
	SUBQ $8, R10
	SUBQ $64, R12
	DECQ BX
	JNZ csuffix

	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	LEAQ -8(SI)(R9*1), R10
	MOVQ R8, R12
	MOVQ DI, R13
	XORQ BX, BX
cprefix:
	TESTQ BX, BX
	JZ ccombine
	LANES4(Y0, X0)
	TWOSUM(Y5, Y6, Y0, Y8, Y9, Y10, Y11, Y14)
ccombine:
	JOIN(0, 32, Y5, Y6, Y8, Y0, Y8, Y9, Y10, Y11, Y14)
	TESTQ DX, DX
	JZ cnomean
	VDIVPD Y13, Y8, Y8
cnomean:
	STORE4(Y8, X8)
	ADDQ $8, R10
	ADDQ $64, R12
	ADDQ $8, R13
	INCQ BX
	CMPQ BX, CX
	JB cprefix
	LEAQ (SI)(R9*4), SI
	LEAQ (DI)(R9*4), DI
	DECQ R14
	JNZ cgroup
	VZEROUPPER
	RET

// SSUF is a suffix step of the clean sum kernels: v joins the compensated
// sum (Z5, Z6), stored at off and coff (R12).
#define SSUF(v, off, coff) \
	TWOSUM(Z5, Z6, v, Z8, Z9, Z10, Z11, Z14) \
	VMOVUPD Z5, off(R12) \
	VMOVUPD Z6, coff(R12)

// SPRE is a prefix step: v joins (Z5, Z6), and o is the output, the join of
// it with the suffix at off and coff (R12), then OUTOP (the mean's division).
#define SPRE(OUTOP, v, off, coff, o) \
	TWOSUM(Z5, Z6, v, Z8, Z9, Z10, Z11, Z14) \
	JOIN(off, coff, Z5, Z6, o, Z0, Z8, Z9, Z10, Z11, Z14) \
	OUTOP(o)

// SUMDIV divides by the window (Z13 = w); SUMKEEP leaves a sum.
#define SUMDIV(o) VDIVPD Z13, o, o
#define SUMKEEP(o)

// SUMCBODY is the body of rollSum8CleanAVX512 and rollMean8CleanAVX512
// (OUTOP: SUMKEEP or SUMDIV): rollSum4CleanAVX2 on eight lanes,
// len(x) = 8w·groups + w, len(out) = 8w·groups, suf 16w (128 bytes a
// step: the sum, then its compensation). As rollExt8AVX512, steps go
// eight at a time through the 8×8 transpose, the w mod 8 (suffix) and
// (w−1) mod 8 (prefix) others one at a time; each lane sees the same
// operations in the same order either way.
#define SUMCBODY(OUTOP) \
	MOVQ x_base+0(FP), SI \
	MOVQ out_base+24(FP), DI \
	MOVQ suf_base+48(FP), R8 \
	MOVQ w+72(FP), CX \
	MOVQ groups+80(FP), DX \
	CVTSQ2SD CX, X13 \
	VBROADCASTSD X13, Z13 \
	VBROADCASTSD rollone<>(SB), Z14 \
	LOADTRANS(Z7, Z12) \
	MOVQ CX, R9 \
	SHLQ $3, R9 \
	LEAQ (R9)(R9*2), R11 \
	LEAQ (R9*4), R14 \
\
egroup: \
	VXORPD Z5, Z5, Z5 \
	VXORPD Z6, Z6, Z6 \
	LEAQ -8(SI)(R9*1), R10 \
	MOVQ CX, AX \
	SUBQ $1, AX \
	SHLQ $7, AX \
	LEAQ (R8)(AX*1), R12 \
	MOVQ CX, BX \
	ANDQ $7, BX \
	JZ eschunks \
\
esone: \
	LANES8(Z0, Y0, X0) \
	SSUF(Z0, 0, 64) \
	SUBQ $8, R10 \
	SUBQ $128, R12 \
	DECQ BX \
	JNZ esone \
\
eschunks: \
	MOVQ CX, BX \
	SHRQ $3, BX \
	JZ eprefix \
	SUBQ $56, R10 \
\
eschunk: \
	LOADROWS \
	TRANSPOSE8(Z7, Z12) \
	SSUF(Z31, 0, 64) \
	SSUF(Z27, -128, -64) \
	SSUF(Z23, -256, -192) \
	SSUF(Z21, -384, -320) \
	SSUF(Z30, -512, -448) \
	SSUF(Z26, -640, -576) \
	SSUF(Z22, -768, -704) \
	SSUF(Z20, -896, -832) \
	SUBQ $64, R10 \
	SUBQ $1024, R12 \
	DECQ BX \
	JNZ eschunk \
\
eprefix: \
	VXORPD Z5, Z5, Z5 \
	VXORPD Z6, Z6, Z6 \
	MOVQ R8, R12 \
	MOVQ DI, R13 \
	JOIN(0, 64, Z5, Z6, Z1, Z0, Z8, Z9, Z10, Z11, Z14) \
	OUTOP(Z1) \
	STORE8(Z1, Y1, X1) \
	ADDQ $128, R12 \
	ADDQ $8, R13 \
	LEAQ (SI)(R9*1), R10 \
	MOVQ CX, BX \
	SUBQ $1, BX \
	MOVQ BX, AX \
	SHRQ $3, AX \
	JZ epones \
\
epchunk: \
	LOADROWS \
	TRANSPOSE8(Z7, Z12) \
	SPRE(OUTOP, Z20, 0, 64, Z16) \
	SPRE(OUTOP, Z22, 128, 192, Z17) \
	SPRE(OUTOP, Z26, 256, 320, Z18) \
	SPRE(OUTOP, Z30, 384, 448, Z19) \
	SPRE(OUTOP, Z21, 512, 576, Z20) \
	SPRE(OUTOP, Z23, 640, 704, Z21) \
	SPRE(OUTOP, Z27, 768, 832, Z22) \
	SPRE(OUTOP, Z31, 896, 960, Z23) \
	TRANSPOSE8(Z7, Z12) \
	STOREROWS \
	ADDQ $64, R10 \
	ADDQ $1024, R12 \
	ADDQ $64, R13 \
	DECQ AX \
	JNZ epchunk \
\
epones: \
	ANDQ $7, BX \
	JZ enext \
\
epone: \
	LANES8(Z0, Y0, X0) \
	SPRE(OUTOP, Z0, 0, 64, Z4) \
	STORE8(Z4, Y4, X4) \
	ADDQ $8, R10 \
	ADDQ $128, R12 \
	ADDQ $8, R13 \
	DECQ BX \
	JNZ epone \
\
enext: \
	LEAQ (SI)(R9*8), SI \
	LEAQ (DI)(R9*8), DI \
	DECQ DX \
	JNZ egroup \
	VZEROUPPER \
	RET

// func rollSum8CleanAVX512(x, out, suf []float64, w, groups int)
TEXT ·rollSum8CleanAVX512(SB), NOSPLIT, $0-88
	SUMCBODY(SUMKEEP)

// func rollMean8CleanAVX512(x, out, suf []float64, w, groups int)
TEXT ·rollMean8CleanAVX512(SB), NOSPLIT, $0-88
	SUMCBODY(SUMDIV)

// func rollSum8AVX512(x, out, suf []float64, w, groups int, mean bool, minp float64)
// rollSum4AVX2 on eight lanes (missing values, counts, min_periods):
// len(x) = 8w·groups + w, len(out) = 8w·groups, len(suf) = 24w, w ≥ 1.
TEXT ·rollSum8AVX512(SB), NOSPLIT, $0-104
	MOVQ x_base+0(FP), SI
	MOVQ out_base+24(FP), DI
	MOVQ suf_base+48(FP), R8
	MOVQ w+72(FP), CX
	MOVQ groups+80(FP), DX
	VBROADCASTSD minp+96(FP), Z13
	VBROADCASTSD rollone<>(SB), Z14
	VBROADCASTSD rollnan<>(SB), Z16
	VXORPD Z15, Z15, Z15
	MOVQ CX, R9
	SHLQ $3, R9            // w*8: bytes between lanes
	LEAQ (R9)(R9*2), R11   // 3*w*8
	LEAQ (R9*4), R14       // 4*w*8

mgroup:
	// Suffix pass over the 8 blocks of window starts, t = w-1 .. 0.
	VXORPD Z5, Z5, Z5      // s
	VXORPD Z6, Z6, Z6      // c
	VXORPD Z7, Z7, Z7      // n
	LEAQ -8(SI)(R9*1), R10 // &x[w-1]
	MOVQ CX, AX
	SUBQ $1, AX
	IMULQ $192, AX
	LEAQ (R8)(AX*1), R12   // &suf[w-1], 192 bytes a step
	MOVQ CX, BX
msuffix:
	LANES8(Z0, Y0, X0)
	SUMSTEP8
	VMOVUPD Z5, (R12)
	VMOVUPD Z6, 64(R12)
	VMOVUPD Z7, 128(R12)
	SUBQ $8, R10
	SUBQ $192, R12
	DECQ BX
	JNZ msuffix

	// Prefix pass over the next blocks, t = 0 .. w-1, with the outputs.
	VXORPD Z5, Z5, Z5
	VXORPD Z6, Z6, Z6
	VXORPD Z7, Z7, Z7
	LEAQ -8(SI)(R9*1), R10 // the element added at t is x[w+t-1]
	MOVQ R8, R12
	MOVQ DI, R13
	XORQ BX, BX
mprefix:
	TESTQ BX, BX
	JZ mcombine
	LANES8(Z0, Y0, X0)
	SUMSTEP8
mcombine:
	VADDPD 128(R12), Z7, Z12 // cnt = suffix n + prefix n
	JOIN(0, 64, Z5, Z6, Z8, Z0, Z8, Z9, Z10, Z11, Z14)
	CMPB mean+88(FP), $0
	JEQ mnomean
	VDIVPD Z12, Z8, Z8     // mean = sum / cnt
mnomean:
	VCMPPD $1, Z13, Z12, K2 // cnt < minp
	VMOVAPD Z16, K2, Z8
	STORE8(Z8, Y8, X8)
	ADDQ $8, R10
	ADDQ $192, R12
	ADDQ $8, R13
	INCQ BX
	CMPQ BX, CX
	JB mprefix
	LEAQ (SI)(R9*8), SI    // next eight blocks
	LEAQ (DI)(R9*8), DI
	DECQ DX
	JNZ mgroup
	VZEROUPPER
	RET

// func allBelowAVX2(x []float64, scale float64) bool
//
// Whether every x·scale is finite (scale a power of two ≥ 1): x·scale −
// x·scale is 0, or NaN for NaN, ±Inf and products that overflow; NaN sticks
// in the sums. With scale = 1 it is "all finite".
TEXT ·allBelowAVX2(SB), NOSPLIT, $0-33
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	VBROADCASTSD scale+24(FP), Y4
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-8, BX
	JZ ftail
floop:
	VMULPD (SI)(AX*8), Y4, Y2
	VMULPD 32(SI)(AX*8), Y4, Y3
	VSUBPD Y2, Y2, Y2      // 0, or NaN for NaN, ±Inf and overflow
	VSUBPD Y3, Y3, Y3
	VADDPD Y2, Y0, Y0      // NaN sticks
	VADDPD Y3, Y1, Y1
	ADDQ $8, AX
	CMPQ AX, BX
	JB floop
ftail:
	// Fold the vectors first: a VEX.128 scalar op zeroes the upper lanes.
	VADDPD Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VPERMILPD $1, X0, X1
	VADDSD X1, X0, X0
	CMPQ AX, CX
	JAE fdone
fscalar:
	VMOVSD (SI)(AX*8), X2
	VMULSD X4, X2, X2
	VSUBSD X2, X2, X2
	VADDSD X2, X0, X0
	INCQ AX
	CMPQ AX, CX
	JB fscalar
fdone:
	VUCOMISD X0, X0        // unordered (NaN) sets PF
	SETPC AX
	MOVB AX, ret+32(FP)
	VZEROUPPER
	RET

// func finiteBelowAVX2(x []float64, scale float64) bool
//
// Whether every finite x has x·scale finite (scale a power of two ≥ 1):
// allBelowAVX2 with the missing values (NaN, ±Inf) zeroed first.
TEXT ·finiteBelowAVX2(SB), NOSPLIT, $0-33
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	VBROADCASTSD scale+24(FP), Y4
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y6, Y6, Y6
	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-8, BX
	JZ gtail
gloop:
	VMOVUPD (SI)(AX*8), Y2
	VMOVUPD 32(SI)(AX*8), Y3
	VSUBPD Y2, Y2, Y7
	VSUBPD Y3, Y3, Y8
	VCMPPD $0, Y6, Y7, Y7  // all ones where x is finite
	VCMPPD $0, Y6, Y8, Y8
	VANDPD Y7, Y2, Y2      // missing values become 0
	VANDPD Y8, Y3, Y3
	VMULPD Y4, Y2, Y2
	VMULPD Y4, Y3, Y3
	VSUBPD Y2, Y2, Y2      // 0, or NaN where x·scale overflowed
	VSUBPD Y3, Y3, Y3
	VADDPD Y2, Y0, Y0      // NaN sticks
	VADDPD Y3, Y1, Y1
	ADDQ $8, AX
	CMPQ AX, BX
	JB gloop
gtail:
	VADDPD Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VPERMILPD $1, X0, X1
	VADDSD X1, X0, X0
	CMPQ AX, CX
	JAE gdone
gscalar:
	VMOVSD (SI)(AX*8), X2
	VSUBSD X2, X2, X7
	VCMPSD $0, X6, X7, X7
	VANDPD X7, X2, X2
	VMULSD X4, X2, X2
	VSUBSD X2, X2, X2
	VADDSD X2, X0, X0
	INCQ AX
	CMPQ AX, CX
	JB gscalar
gdone:
	VUCOMISD X0, X0        // unordered (NaN) sets PF
	SETPC AX
	MOVB AX, ret+32(FP)
	VZEROUPPER
	RET
