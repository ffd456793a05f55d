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

// The AVX2 kernels: RollExt8's scheme on four lanes (blocks w apart),
// rollExtGo's operations per lane. Y13 = neg, Y14 = 1.0; the masked
// kernel also counts each window's finite values (Y15, exact small
// integers), as suffix counts beside the suffix extrema (suf[4w:]) and
// prefix counts, starting from bias = −max(minp, 1), so that a window
// whose count falls short of min_periods (or is 0) has a negative sum:
// its sign bit blends in NaN.

DATA rollninf4<>+0(SB)/8, $0xfff0000000000000
DATA rollninf4<>+8(SB)/8, $0xfff0000000000000
DATA rollninf4<>+16(SB)/8, $0xfff0000000000000
DATA rollninf4<>+24(SB)/8, $0xfff0000000000000
GLOBL rollninf4<>(SB), RODATA|NOPTR, $32

DATA extone<>+0(SB)/8, $0x3ff0000000000000
GLOBL extone<>(SB), RODATA|NOPTR, $8

// math.NaN()'s bits, as the Go loops write.
DATA rollnan4<>+0(SB)/8, $0x7ff8000000000001
DATA rollnan4<>+8(SB)/8, $0x7ff8000000000001
DATA rollnan4<>+16(SB)/8, $0x7ff8000000000001
DATA rollnan4<>+24(SB)/8, $0x7ff8000000000001
GLOBL rollnan4<>(SB), RODATA|NOPTR, $32

// EXTLOAD4 is EXTLOAD on four lanes, and counts v's finite lanes into
// Y15 (Y2, Y3 clobbered).
#define EXTLOAD4(v) \
	VXORPD Y13, v, v \
	VSUBPD v, v, Y2 \
	VCMPPD $3, Y2, Y2, Y3 \
	VBLENDVPD Y3, rollninf4<>(SB), v, v \
	VANDNPD Y14, Y3, Y2 \
	VADDPD Y2, Y15, Y15

// SCNT4 stores the suffix count beside the suffix extremum at off(R12);
// PCNT4 sets output o to NaN where the suffix count stored there plus
// the prefix count is negative. SKIP4 is either, for clean runs.
#define SCNT4(off) \
	VMOVUPD Y15, off(R12)(R14*1)

#define PCNT4(off, o) \
	VADDPD off(R12)(R14*1), Y15, Y2 \
	VBLENDVPD Y2, rollnan4<>(SB), o, o

#define SKIP4(off)
#define SKIP4O(off, o)

// XSUF4 is a suffix step: v joins the running extremum Y5, stored at
// off(R12).
#define XSUF4(LOADOP, CNT, v, off) \
	LOADOP(v) \
	MAXZ4(Y5, v) \
	VMOVUPD Y5, off(R12) \
	CNT(off)

// XPRE4 is a prefix step: v joins the running extremum Y5, and o is the
// output, the extremum of it and the suffix at off(R12), its sign
// restored.
#define XPRE4(LOADOP, OUTOP, CNT, v, off, o) \
	LOADOP(v) \
	MAXZ4(Y5, v) \
	VMOVUPD off(R12), o \
	MAXZ4(o, Y5) \
	OUTOP(o) \
	CNT(off, o)

// ROWS4 loads four values of each lane, x[k·w + s] for s = 0..3 at base
// R10, and transposes them: Y9..Y12 hold step s = 0..3 of lanes 0..3
// (halves loaded crosswise, then one unpack per result; Y4, Y6–Y8
// clobbered).
#define ROWS4 \
	VMOVUPD (R10), X4 \
	VINSERTF128 $1, (R10)(R9*2), Y4, Y4 \
	VMOVUPD (R10)(R9*1), X6 \
	VINSERTF128 $1, (R10)(R11*1), Y6, Y6 \
	VMOVUPD 16(R10), X7 \
	VINSERTF128 $1, 16(R10)(R9*2), Y7, Y7 \
	VMOVUPD 16(R10)(R9*1), X8 \
	VINSERTF128 $1, 16(R10)(R11*1), Y8, Y8 \
	VUNPCKLPD Y6, Y4, Y9 \
	VUNPCKHPD Y6, Y4, Y10 \
	VUNPCKLPD Y8, Y7, Y11 \
	VUNPCKHPD Y8, Y7, Y12

// OUTROWS4 is ROWS4 backwards: Y4, Y6, Y7, Y8 hold steps 0..3 of lanes
// 0..3, written to out[k·w + s] at base R13 (Y9–Y12 clobbered).
#define OUTROWS4 \
	VUNPCKLPD Y6, Y4, Y9 \
	VUNPCKHPD Y6, Y4, Y10 \
	VUNPCKLPD Y8, Y7, Y11 \
	VUNPCKHPD Y8, Y7, Y12 \
	VMOVUPD X9, (R13) \
	VEXTRACTF128 $1, Y9, (R13)(R9*2) \
	VMOVUPD X10, (R13)(R9*1) \
	VEXTRACTF128 $1, Y10, (R13)(R11*1) \
	VMOVUPD X11, 16(R13) \
	VEXTRACTF128 $1, Y11, 16(R13)(R9*2) \
	VMOVUPD X12, 16(R13)(R9*1) \
	VEXTRACTF128 $1, Y12, 16(R13)(R11*1)

// EXTBODY4 is EXTBODY on four lanes: groups ≥ 1 runs of four blocks,
// len(x) = 4w·groups + w, len(out) = 4w·groups, len(suf) = 8w, w ≥ 1.
// Steps go four at a time (ROWS4, OUTROWS4), the w mod 4 others one at a
// time (LANES4, STORE4), in EXTBODY's order. SCNT and PCNT keep the
// counts (SCNT4, PCNT4) or not (SKIP4, SKIP4O).
#define EXTBODY4(LOADOP, OUTOP, SCNT, PCNT) \
	MOVQ x_base+0(FP), SI \
	MOVQ out_base+24(FP), DI \
	MOVQ suf_base+48(FP), R8 \
	MOVQ w+72(FP), CX \
	MOVQ groups+80(FP), DX \
	VBROADCASTSD neg+88(FP), Y13 \
	VBROADCASTSD extone<>(SB), Y14 \
	MOVQ CX, R9 \
	SHLQ $3, R9 \
	LEAQ (R9)(R9*2), R11 \
	LEAQ (R9*4), R14 \
\
x4group: \
	VBROADCASTSD rollninf<>(SB), Y5 \
	VBROADCASTSD bias+96(FP), Y15 \
	LEAQ -8(SI)(R9*1), R10 \
	MOVQ CX, AX \
	SUBQ $1, AX \
	SHLQ $5, AX \
	LEAQ (R8)(AX*1), R12 \
	MOVQ CX, BX \
	ANDQ $3, BX \
	JZ x4schunks \
\
x4sone: \
	LANES4(Y0, X0) \
	XSUF4(LOADOP, SCNT, Y0, 0) \
	SUBQ $8, R10 \
	SUBQ $32, R12 \
	DECQ BX \
	JNZ x4sone \
\
x4schunks: \
	MOVQ CX, BX \
	SHRQ $2, BX \
	JZ x4prefix \
	SUBQ $24, R10 \
\
x4schunk: \
	ROWS4 \
	XSUF4(LOADOP, SCNT, Y12, 0) \
	XSUF4(LOADOP, SCNT, Y11, -32) \
	XSUF4(LOADOP, SCNT, Y10, -64) \
	XSUF4(LOADOP, SCNT, Y9, -96) \
	SUBQ $32, R10 \
	SUBQ $128, R12 \
	DECQ BX \
	JNZ x4schunk \
\
x4prefix: \
	VBROADCASTSD rollninf<>(SB), Y5 \
	VXORPD Y15, Y15, Y15 \
	MOVQ R8, R12 \
	MOVQ DI, R13 \
	VMOVUPD (R12), Y6 \
	MAXZ4(Y6, Y5) \
	OUTOP(Y6) \
	PCNT(0, Y6) \
	STORE4(Y6, X6) \
	ADDQ $32, R12 \
	ADDQ $8, R13 \
	LEAQ (SI)(R9*1), R10 \
	MOVQ CX, BX \
	SUBQ $1, BX \
	MOVQ BX, AX \
	SHRQ $2, AX \
	JZ x4pones \
\
x4pchunk: \
	ROWS4 \
	XPRE4(LOADOP, OUTOP, PCNT, Y9, 0, Y4) \
	XPRE4(LOADOP, OUTOP, PCNT, Y10, 32, Y6) \
	XPRE4(LOADOP, OUTOP, PCNT, Y11, 64, Y7) \
	XPRE4(LOADOP, OUTOP, PCNT, Y12, 96, Y8) \
	OUTROWS4 \
	ADDQ $32, R10 \
	ADDQ $128, R12 \
	ADDQ $32, R13 \
	DECQ AX \
	JNZ x4pchunk \
\
x4pones: \
	ANDQ $3, BX \
	JZ x4next \
\
x4pone: \
	LANES4(Y0, X0) \
	XPRE4(LOADOP, OUTOP, PCNT, Y0, 0, Y6) \
	STORE4(Y6, X6) \
	ADDQ $8, R10 \
	ADDQ $32, R12 \
	ADDQ $8, R13 \
	DECQ BX \
	JNZ x4pone \
\
x4next: \
	LEAQ (SI)(R9*4), SI \
	LEAQ (DI)(R9*4), DI \
	DECQ DX \
	JNZ x4group \
	VZEROUPPER \
	RET

// EXTNEG4 negates v (Y13 = −0); EXTKEEP leaves it.
#define EXTNEG4(v) VXORPD Y13, v, v

// func rollExt4AVX2(x, out, suf []float64, w, groups int, neg, bias float64)
TEXT ·rollExt4AVX2(SB), NOSPLIT, $0-104
	EXTBODY4(EXTLOAD4, EXTNEG4, SCNT4, PCNT4)

// func rollMin4CleanAVX2(x, out, suf []float64, w, groups int, neg, bias float64)
// rollExt4AVX2 for minima (neg = −0) of values that are all finite: no
// masks, no counts (bias unused).
TEXT ·rollMin4CleanAVX2(SB), NOSPLIT, $0-104
	EXTBODY4(EXTNEG4, EXTNEG4, SKIP4, SKIP4O)

// func rollMax4CleanAVX2(x, out, suf []float64, w, groups int, neg, bias float64)
// rollExt4AVX2 for maxima (neg = +0) of values that are all finite: no
// masks, no negations, no counts.
TEXT ·rollMax4CleanAVX2(SB), NOSPLIT, $0-104
	EXTBODY4(EXTKEEP, EXTKEEP, SKIP4, SKIP4O)
