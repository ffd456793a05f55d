//go:build !noasm

#include "textflag.h"
#include "rolling_amd64.h"

// Hand-written (not generated): the rolling-extremum lanes kernel. Its Go
// twin, with the same operations, is rollExtGo in rollext.go (and kernels'
// extremeBlocks). Minima are maxima of the negated values, negated back:
// −max(−a, −b) is min(a, b) exactly, ±0 and ±Inf included.

DATA rollninf<>+0(SB)/8, $0xfff0000000000000
GLOBL rollninf<>(SB), RODATA|NOPTR, $8

// rollTrans holds TRANSPOSE8's VPERMT2PD indexes (rolling_amd64.h):
// 0 1 8 9 4 5 12 13, then 2 3 10 11 6 7 14 15.
DATA ·rollTrans+0(SB)/8, $0
DATA ·rollTrans+8(SB)/8, $1
DATA ·rollTrans+16(SB)/8, $8
DATA ·rollTrans+24(SB)/8, $9
DATA ·rollTrans+32(SB)/8, $4
DATA ·rollTrans+40(SB)/8, $5
DATA ·rollTrans+48(SB)/8, $12
DATA ·rollTrans+56(SB)/8, $13
DATA ·rollTrans+64(SB)/8, $2
DATA ·rollTrans+72(SB)/8, $3
DATA ·rollTrans+80(SB)/8, $10
DATA ·rollTrans+88(SB)/8, $11
DATA ·rollTrans+96(SB)/8, $6
DATA ·rollTrans+104(SB)/8, $7
DATA ·rollTrans+112(SB)/8, $14
DATA ·rollTrans+120(SB)/8, $15
GLOBL ·rollTrans(SB), RODATA|NOPTR, $128

// EXTLOAD negates v when Z13 holds the sign bit (min) and replaces its
// missing lanes (NaN, ±Inf: x − x is not 0) by −Inf, the identity of max
// (Z14 = −Inf, Z15 = 0; Z2, K1 clobbered).
#define EXTLOAD(v) \
	VXORPD Z13, v, v \
	VSUBPD v, v, Z2 \
	VCMPPD $4, Z15, Z2, K1 \
	VMOVAPD Z14, K1, v

// MAXZ sets a = max(a, b) as Go's builtin max on values without NaN: VMAXPD
// returns its second source on a tie, so the two orders differ only for
// +0 against −0, and their AND is then +0 (Z2, Z3 clobbered).
#define MAXZ(a, b) \
	VRANGEPD $5, b, a, a

// XSUF is a suffix step: v joins the running extremum Z5, stored at
// off(R12).
#define XSUF(LOADOP, v, off) \
	LOADOP(v) \
	MAXZ(Z5, v) \
	VMOVUPD Z5, off(R12)

// XPRE is a prefix step: v joins the running extremum Z5, and o is the
// output, the extremum of it and the suffix at off(R12), its sign restored.
#define XPRE(LOADOP, OUTOP, v, off, o) \
	LOADOP(v) \
	MAXZ(Z5, v) \
	VMOVUPD off(R12), o \
	MAXZ(o, Z5) \
	OUTOP(o)

// EXTBODY is the body of the four kernels: LOADOP prepares each value
// (negation for minima, the missing-value mask unless the run is clean),
// OUTOP each result (negated back for minima).
// groups ≥ 1 runs of eight blocks: len(x) = 8w·groups + w,
// len(out) = 8w·groups, len(suf) = 8w, w ≥ 1; neg = −0 for minima.
// Steps go eight at a time (LOADROWS, TRANSPOSE8, STOREROWS), the w mod 8
// others one at a time (LANES8, STORE8): the same operations per lane in
// the same order either way. Per group of eight blocks: suffix extrema,
// t = w−1 .. 0 (the top w mod 8 one by one, then chunks of eight, each
// stored at suf[t]); then prefix extrema of the next blocks with the
// outputs, t = 0 .. w−1 (t = 0 adds nothing; chunks of eight; the last
// (w−1) mod 8 one by one).
#define EXTBODY(LOADOP, OUTOP) \
	MOVQ x_base+0(FP), SI \
	MOVQ out_base+24(FP), DI \
	MOVQ suf_base+48(FP), R8 \
	MOVQ w+72(FP), CX \
	MOVQ groups+80(FP), DX \
	VBROADCASTSD neg+88(FP), Z13 \
	VBROADCASTSD rollninf<>(SB), Z14 \
	VXORPD Z15, Z15, Z15 \
	LOADTRANS(Z11, Z12) \
	MOVQ CX, R9 \
	SHLQ $3, R9 \
	LEAQ (R9)(R9*2), R11 \
	LEAQ (R9*4), R14 \
\
xgroup: \
	VMOVAPD Z14, Z5 \
	LEAQ -8(SI)(R9*1), R10 \
	MOVQ CX, AX \
	SUBQ $1, AX \
	SHLQ $6, AX \
	LEAQ (R8)(AX*1), R12 \
	MOVQ CX, BX \
	ANDQ $7, BX \
	JZ xschunks \
\
xsone: \
	LANES8(Z0, Y0, X0) \
	XSUF(LOADOP, Z0, 0) \
	SUBQ $8, R10 \
	SUBQ $64, R12 \
	DECQ BX \
	JNZ xsone \
\
xschunks: \
	MOVQ CX, BX \
	SHRQ $3, BX \
	JZ xprefix \
	SUBQ $56, R10 \
\
xschunk: \
	LOADROWS \
	TRANSPOSE8(Z11, Z12) \
	XSUF(LOADOP, Z31, 0) \
	XSUF(LOADOP, Z27, -64) \
	XSUF(LOADOP, Z23, -128) \
	XSUF(LOADOP, Z21, -192) \
	XSUF(LOADOP, Z30, -256) \
	XSUF(LOADOP, Z26, -320) \
	XSUF(LOADOP, Z22, -384) \
	XSUF(LOADOP, Z20, -448) \
	SUBQ $64, R10 \
	SUBQ $512, R12 \
	DECQ BX \
	JNZ xschunk \
\
xprefix: \
	VMOVAPD Z14, Z5 \
	MOVQ R8, R12 \
	MOVQ DI, R13 \
	VMOVUPD (R12), Z6 \
	MAXZ(Z6, Z5) \
	OUTOP(Z6) \
	STORE8(Z6, Y6, X6) \
	ADDQ $64, R12 \
	ADDQ $8, R13 \
	LEAQ (SI)(R9*1), R10 \
	MOVQ CX, BX \
	SUBQ $1, BX \
	MOVQ BX, AX \
	SHRQ $3, AX \
	JZ xpones \
\
xpchunk: \
	LOADROWS \
	TRANSPOSE8(Z11, Z12) \
	XPRE(LOADOP, OUTOP, Z20, 0, Z16) \
	XPRE(LOADOP, OUTOP, Z22, 64, Z17) \
	XPRE(LOADOP, OUTOP, Z26, 128, Z18) \
	XPRE(LOADOP, OUTOP, Z30, 192, Z19) \
	XPRE(LOADOP, OUTOP, Z21, 256, Z20) \
	XPRE(LOADOP, OUTOP, Z23, 320, Z21) \
	XPRE(LOADOP, OUTOP, Z27, 384, Z22) \
	XPRE(LOADOP, OUTOP, Z31, 448, Z23) \
	TRANSPOSE8(Z11, Z12) \
	STOREROWS \
	ADDQ $64, R10 \
	ADDQ $512, R12 \
	ADDQ $64, R13 \
	DECQ AX \
	JNZ xpchunk \
\
xpones: \
	ANDQ $7, BX \
	JZ xnext \
\
xpone: \
	LANES8(Z0, Y0, X0) \
	XPRE(LOADOP, OUTOP, Z0, 0, Z6) \
	STORE8(Z6, Y6, X6) \
	ADDQ $8, R10 \
	ADDQ $64, R12 \
	ADDQ $8, R13 \
	DECQ BX \
	JNZ xpone \
\
xnext: \
	LEAQ (SI)(R9*8), SI \
	LEAQ (DI)(R9*8), DI \
	DECQ DX \
	JNZ xgroup \
	VZEROUPPER \
	RET

// EXTNEG negates v (Z13 = −0); EXTKEEP leaves it.
#define EXTNEG(v) VXORPD Z13, v, v
#define EXTKEEP(v)

// func rollExt8AVX512(x, out, suf []float64, w, groups int, neg float64)
TEXT ·rollExt8AVX512(SB), NOSPLIT, $0-96
	EXTBODY(EXTLOAD, EXTNEG)

// func rollMin8CleanAVX512(x, out, suf []float64, w, groups int, neg float64)
// rollExt8AVX512 for minima (neg = −0) of values that are all finite: no
// masks.
TEXT ·rollMin8CleanAVX512(SB), NOSPLIT, $0-96
	EXTBODY(EXTNEG, EXTNEG)

// func rollMax8CleanAVX512(x, out, suf []float64, w, groups int, neg float64)
// rollExt8AVX512 for maxima (neg = +0) of values that are all finite: no
// masks, no negations.
TEXT ·rollMax8CleanAVX512(SB), NOSPLIT, $0-96
	EXTBODY(EXTKEEP, EXTKEEP)
