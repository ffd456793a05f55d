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

// BELOWSETUP sets Y4 = MaxFloat64/scale (exact: scale is a power of two,
// the quotient normal), the bound |x| must not pass for x·scale to be
// finite, and Y5 = the |x| mask; Y0, Y1 = all ones (the accumulators).
// SI, CX = x's base and length, X3 = scale.
#define BELOWSETUP \
	MOVQ         $0x7fefffffffffffff, AX \
	VMOVQ        AX, X4 \
	VDIVSD       X3, X4, X4 \
	VBROADCASTSD X4, Y4 \
	MOVQ         $0x7fffffffffffffff, AX \
	VMOVQ        AX, X5 \
	VBROADCASTSD X5, Y5 \
	VPCMPEQQ     Y0, Y0, Y0 \
	VMOVDQU      Y0, Y1 \
	XORQ         AX, AX \
	MOVQ         CX, BX \
	ANDQ         $-16, BX

// BELOWDONE folds the accumulators and the scalar tail (each value's test
// on X2, which TAILTEST leaves all ones where it holds) into DX: 15 when
// every value passed.
#define BELOWDONE(TAILTEST, tail, done) \
	VANDPD    Y1, Y0, Y0 \
	VMOVMSKPD Y0, DX \
	CMPQ      DX, $15 \
	JNE       done \
	CMPQ      AX, CX \
	JAE       done \
tail: \
	VMOVSD    (SI)(AX*8), X2 \
	TAILTEST \
	VMOVMSKPD X2, DX \
	ANDQ      $1, DX \
	JZ        done \
	INCQ      AX \
	CMPQ      AX, CX \
	JB        tail \
	MOVQ      $15, DX \
done:

// BELOWLOOP folds TEST4 over the values into Y0, Y1: sixteen an
// iteration, then four; rest is where fewer than four remain (at AX).
#define BELOWLOOP(TEST4, loop, four, rest) \
loop: \
	TEST4(0, Y2) \
	TEST4(32, Y3) \
	TEST4(64, Y6) \
	TEST4(96, Y7) \
	VANDPD Y2, Y0, Y0 \
	VANDPD Y3, Y1, Y1 \
	VANDPD Y6, Y0, Y0 \
	VANDPD Y7, Y1, Y1 \
	ADDQ   $16, AX \
	CMPQ   AX, BX \
	JB     loop \
four: \
	LEAQ   4(AX), DX \
	CMPQ   DX, CX \
	JA     rest \
	TEST4(0, Y2) \
	VANDPD Y2, Y0, Y0 \
	MOVQ   DX, AX \
	JMP    four \
rest:

// ALLBELOW4 sets y to all ones in the lanes of the four values at off(SI)
// with |x| ≤ Y4 (never for NaN).
#define ALLBELOW4(off, y) \
	VANDPD off(SI)(AX*8), Y5, y \
	VCMPPD $2, Y4, y, y

#define ALLTAIL \
	VANDPD X5, X2, X2 \
	VCMPPD $2, X4, X2, X2

// func allBelowAVX2(x []float64, scale float64) bool
//
// Whether every x·scale is finite (scale a power of two ≥ 1): every |x| ≤
// MaxFloat64/scale, NaN failing the comparison. With scale = 1 it is "all
// finite". Sixteen values an iteration in four compares, folded by ANDs
// (one cycle each, where a chain of additions took three).
TEXT ·allBelowAVX2(SB), NOSPLIT, $0-33
	MOVQ  x_base+0(FP), SI
	MOVQ  x_len+8(FP), CX
	VMOVSD scale+24(FP), X3
	BELOWSETUP
	JZ   afour
	BELOWLOOP(ALLBELOW4, aloop, afour, arest)
	BELOWDONE(ALLTAIL, atail, adone)
	CMPQ  DX, $15
	SETEQ ret+32(FP)
	VZEROUPPER
	RET

// FINBELOW4 sets y to all ones in the lanes of the four values at off(SI)
// that are missing (NaN, ±Inf) or have |x| ≤ Y4: not (Y4 < |x| < +Inf).
// Y8 = +Inf; Y9 scratch.
#define FINBELOW4(off, y) \
	VANDPD off(SI)(AX*8), Y5, y \
	VCMPPD $0x1e, Y4, y, Y9 \ // |x| > bound (GT_OQ: false for NaN)
	VCMPPD $0x0c, Y8, y, y \ // |x| ≠ +Inf (NEQ_OQ: false for NaN)
	VANDPD Y9, y, y \ // above the bound and finite
	VXORPD Y10, y, y // inverted: all ones where the value passes

#define FINTAIL \
	VANDPD  X5, X2, X2 \
	VCMPPD  $0x1e, X4, X2, X9 \
	VCMPPD  $0x0c, X8, X2, X2 \
	VANDPD  X9, X2, X2 \
	VXORPD  X10, X2, X2

// func finiteBelowAVX2(x []float64, scale float64) bool
//
// Whether every finite x has x·scale finite (scale a power of two ≥ 1):
// the missing values (NaN, ±Inf) pass.
TEXT ·finiteBelowAVX2(SB), NOSPLIT, $0-33
	MOVQ  x_base+0(FP), SI
	MOVQ  x_len+8(FP), CX
	VMOVSD scale+24(FP), X3
	BELOWSETUP
	MOVQ         $0x7ff0000000000000, DX
	VMOVQ        DX, X8
	VBROADCASTSD X8, Y8
	VPCMPEQQ     Y10, Y10, Y10
	TESTQ        BX, BX
	JZ           ffour
	BELOWLOOP(FINBELOW4, floop, ffour, frest)
	BELOWDONE(FINTAIL, ftail, fdone)
	CMPQ  DX, $15
	SETEQ ret+32(FP)
	VZEROUPPER
	RET
