//go:build !noasm

#include "textflag.h"
#include "rolling_amd64.h"

// Hand-written (not generated): the rolling-sum kernel down the columns of
// a row-major block. Each lane is a column; a vector is eight adjacent
// columns of one row, loaded whole. Per lane it performs rollSum8AVX512's
// operations in the same order (its Go twin is sumBlockGo in rollsum.go).
// Each group of eight columns runs its block pair before the next group
// starts; reading a row across all groups first was no faster (measured
// on Zen 4) and needs a row of states per group.

DATA rowsnan<>+0(SB)/8, $0x7ff8000000000001
GLOBL rowsnan<>(SB), RODATA|NOPTR, $8

DATA rowsone<>+0(SB)/8, $0x3ff0000000000000
GLOBL rowsone<>(SB), RODATA|NOPTR, $8

// func rollSumRowsAVX512(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, mean bool, minp float64) bool
// One van Herk/Gil-Werman block pair of every lane: rows 0 .. 2w−2 of x
// (xs bytes apart), 8·groups columns; out rows 0 .. w−1 (os bytes apart);
// suf holds 24w. It reports whether every result with at least minp
// values is finite (false: a scan overflowed).
TEXT ·rollSumRowsAVX512(SB), NOSPLIT, $0-121
	MOVQ x_base+0(FP), SI
	MOVQ xs+24(FP), R9
	MOVQ out_base+32(FP), DI
	MOVQ os+56(FP), R11
	MOVQ suf_base+64(FP), R8
	MOVQ w+88(FP), CX
	MOVQ groups+96(FP), DX
	VBROADCASTSD minp+112(FP), Z13
	VBROADCASTSD rowsone<>(SB), Z14
	VBROADCASTSD rowsnan<>(SB), Z16
	VXORPD Z15, Z15, Z15
	KXNORW K6, K6, K6      // every result so far finite or below minp
	MOVQ CX, AX
	SUBQ $1, AX
	IMULQ R9, AX           // (w−1)·xs: row w−1
	MOVQ CX, R14
	SUBQ $1, R14
	IMULQ $192, R14        // &suf[w−1] − &suf[0]
rgroup:
	// Suffix pass, rows w−1 .. 0.
	VXORPD Z5, Z5, Z5
	VXORPD Z6, Z6, Z6
	VXORPD Z7, Z7, Z7
	LEAQ (SI)(AX*1), R10
	LEAQ (R8)(R14*1), R12
	MOVQ CX, BX
rsuffix:
	PREFETCHT0 128(R10)    // this row of the group two ahead
	VMOVUPD (R10), Z0
	SUMSTEP8
	VMOVUPD Z5, (R12)
	VMOVUPD Z6, 64(R12)
	VMOVUPD Z7, 128(R12)
	SUBQ R9, R10
	SUBQ $192, R12
	DECQ BX
	JNZ rsuffix

	// Prefix pass, rows w .. 2w−2, with the outputs.
	VXORPD Z5, Z5, Z5
	VXORPD Z6, Z6, Z6
	VXORPD Z7, Z7, Z7
	LEAQ (SI)(AX*1), R10
	MOVQ R8, R12
	MOVQ DI, R13
	XORQ BX, BX
rprefix:
	TESTQ BX, BX
	JZ rcombine
	PREFETCHT0 128(R10)
	VMOVUPD (R10), Z0
	SUMSTEP8
rcombine:
	VADDPD 128(R12), Z7, Z12 // cnt = suffix n + prefix n
	JOIN(0, 64, Z5, Z6, Z8, Z0, Z8, Z9, Z10, Z11, Z14)
	CMPB mean+104(FP), $0
	JEQ rnomean
	VDIVPD Z12, Z8, Z8     // mean = sum / cnt
rnomean:
	VCMPPD $1, Z13, Z12, K2 // cnt < minp
	VMOVAPD Z16, K2, Z8
	VSUBPD Z8, Z8, Z2
	VCMPPD $0, Z15, Z2, K3  // finite
	KORW K2, K3, K3
	KANDW K3, K6, K6
	VMOVUPD Z8, (R13)
	ADDQ R9, R10
	ADDQ $192, R12
	ADDQ R11, R13
	INCQ BX
	CMPQ BX, CX
	JB rprefix
	ADDQ $64, SI           // the next eight columns
	ADDQ $64, DI
	DECQ DX
	JNZ rgroup
	KMOVW K6, AX
	CMPQ AX, $0xff
	SETEQ ret+120(FP)
	VZEROUPPER
	RET

// func rollVarRowsAVX512(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, std bool, div float64) bool
// rollVar8CleanAVX512's block pair down 8·groups columns: rows 0 .. 2w−2
// of x (xs bytes apart), out rows 0 .. w−1 (os bytes apart), suf 32w,
// div = w − ddof > 0. It reports whether every result is finite: a NaN or
// ±Inf among the inputs, or an overflow of Σy², makes some result NaN or
// infinite, and the caller then recomputes the block pair.
TEXT ·rollVarRowsAVX512(SB), NOSPLIT, $0-121
	MOVQ x_base+0(FP), SI
	MOVQ xs+24(FP), R9
	MOVQ out_base+32(FP), DI
	MOVQ os+56(FP), R11
	MOVQ suf_base+64(FP), R8
	MOVQ w+88(FP), CX
	MOVQ groups+96(FP), DX
	CVTSQ2SD CX, X13
	VBROADCASTSD X13, Z13          // count of every window
	VBROADCASTSD rowsone<>(SB), Z14
	VBROADCASTSD div+112(FP), Z16
	VXORPD Z17, Z17, Z17
	VXORPD Z15, Z15, Z15
	KXNORW K6, K6, K6              // every result so far finite
	MOVQ CX, AX
	SUBQ $1, AX
	IMULQ R9, AX                   // (w−1)·xs: row w−1
	MOVQ CX, R14
	SUBQ $1, R14
	SHLQ $8, R14                   // &suf[w−1] − &suf[0], 256 bytes a step
vrgroup:
	LEAQ (SI)(AX*1), R10
	VMOVUPD (R10), Z12             // K: the row all windows share
	VXORPD Z5, Z5, Z5
	VXORPD Z6, Z6, Z6
	VXORPD Z7, Z7, Z7
	VXORPD Z18, Z18, Z18
	LEAQ (R8)(R14*1), R12
	MOVQ CX, BX
vrsuffix:
	PREFETCHT0 128(R10)            // this row of the group two ahead
	VMOVUPD (R10), Z0
	VARSTEP8                       // y = x − K: Σy, Σy²
	VMOVUPD Z5, (R12)
	VMOVUPD Z6, 64(R12)
	VMOVUPD Z7, 128(R12)
	VMOVUPD Z18, 192(R12)
	SUBQ R9, R10
	SUBQ $256, R12
	DECQ BX
	JNZ vrsuffix

	VXORPD Z5, Z5, Z5
	VXORPD Z6, Z6, Z6
	VXORPD Z7, Z7, Z7
	VXORPD Z18, Z18, Z18
	LEAQ (SI)(AX*1), R10           // the row added at t is row w+t−1
	MOVQ R8, R12
	MOVQ DI, R13
	XORQ BX, BX
vrprefix:
	TESTQ BX, BX
	JZ vrcombine
	PREFETCHT0 128(R10)
	VMOVUPD (R10), Z0
	VARSTEP8
vrcombine:
	VARM2                          // Σy, m2
	VSUBPD Z8, Z8, Z2              // (before VMAXPD, which drops a NaN)
	VCMPPD $0, Z15, Z2, K3         // finite
	KANDW K3, K6, K6
	VMAXPD Z17, Z8, Z8             // never negative
	VDIVPD Z16, Z8, Z8             // / (cnt − ddof)
	CMPB std+104(FP), $0
	JEQ vrnostd
	VSQRTPD Z8, Z8
vrnostd:
	VMOVUPD Z8, (R13)
	ADDQ R9, R10
	ADDQ $256, R12
	ADDQ R11, R13
	INCQ BX
	CMPQ BX, CX
	JB vrprefix
	ADDQ $64, SI                   // the next eight columns
	ADDQ $64, DI
	DECQ DX
	JNZ vrgroup
	KMOVW K6, AX
	CMPQ AX, $0xff
	SETEQ ret+120(FP)
	VZEROUPPER
	RET

DATA rowsninf<>+0(SB)/8, $0xfff0000000000000
GLOBL rowsninf<>(SB), RODATA|NOPTR, $8

// XRSTEP adds the row in Z0 to the extremum state: negated for minima (Z13
// = −0, +0 for maxima); a missing value (NaN, ±Inf) counts 0 and becomes
// −Inf, the identity of max; the others count 1 in Z7 (Z17 = 1.0, Z15 = 0,
// Z14 = −Inf) and join the running maximum Z5 (VRANGEPD $5: max, IEEE ±0).
#define XRSTEP \
	VXORPD Z13, Z0, Z0 \
	VSUBPD Z0, Z0, Z2 \
	VCMPPD $0, Z15, Z2, K1 \
	VADDPD Z17, Z7, K1, Z7 \
	VBLENDMPD Z0, Z14, K1, Z0 \
	VRANGEPD $5, Z0, Z5, Z5

// func rollExtRowsAVX512(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, neg, minp float64)
// rollExt8AVX512's block pair down 8·groups columns, with the counts: rows
// 0 .. 2w−2 of x (xs bytes apart), out rows 0 .. w−1 (os bytes apart), suf
// 16w (128 bytes a step: extremum, count); a result whose window holds
// fewer than minp ≥ 1 finite values is NaN.
TEXT ·rollExtRowsAVX512(SB), NOSPLIT, $0-120
	MOVQ x_base+0(FP), SI
	MOVQ xs+24(FP), R9
	MOVQ out_base+32(FP), DI
	MOVQ os+56(FP), R11
	MOVQ suf_base+64(FP), R8
	MOVQ w+88(FP), CX
	MOVQ groups+96(FP), DX
	VBROADCASTSD neg+104(FP), Z13
	VBROADCASTSD minp+112(FP), Z12
	VBROADCASTSD rowsninf<>(SB), Z14
	VBROADCASTSD rowsone<>(SB), Z17
	VBROADCASTSD rowsnan<>(SB), Z16
	VXORPD Z15, Z15, Z15
	MOVQ CX, AX
	SUBQ $1, AX
	IMULQ R9, AX           // (w−1)·xs: row w−1
	MOVQ CX, R14
	SUBQ $1, R14
	SHLQ $7, R14           // &suf[w−1] − &suf[0], 128 bytes a step

xrgroup:
	// Suffix pass, rows w−1 .. 0.
	VMOVAPD Z14, Z5
	VXORPD Z7, Z7, Z7
	LEAQ (SI)(AX*1), R10
	LEAQ (R8)(R14*1), R12
	MOVQ CX, BX

xrsuffix:
	PREFETCHT0 128(R10)    // this row of the group two ahead
	VMOVUPD (R10), Z0
	XRSTEP
	VMOVUPD Z5, (R12)
	VMOVUPD Z7, 64(R12)
	SUBQ R9, R10
	SUBQ $128, R12
	DECQ BX
	JNZ xrsuffix

	// Prefix pass, rows w .. 2w−2, with the outputs.
	VMOVAPD Z14, Z5
	VXORPD Z7, Z7, Z7
	LEAQ (SI)(AX*1), R10
	MOVQ R8, R12
	MOVQ DI, R13
	XORQ BX, BX

xrprefix:
	TESTQ BX, BX
	JZ xrcombine
	PREFETCHT0 128(R10)
	VMOVUPD (R10), Z0
	XRSTEP

xrcombine:
	VMOVUPD (R12), Z8
	VRANGEPD $5, Z5, Z8, Z8
	VXORPD Z13, Z8, Z8
	VADDPD 64(R12), Z7, Z9 // the window's count
	VCMPPD $1, Z12, Z9, K2 // below minp
	VMOVAPD Z16, K2, Z8
	VMOVUPD Z8, (R13)
	ADDQ R9, R10
	ADDQ $128, R12
	ADDQ R11, R13
	INCQ BX
	CMPQ BX, CX
	JB xrprefix
	ADDQ $64, SI           // the next eight columns
	ADDQ $64, DI
	DECQ DX
	JNZ xrgroup
	VZEROUPPER
	RET

// The AVX2 row kernel for extrema: rollExtRowsAVX512's block pair on
// eight columns as two halves of four (Y registers), MAXZ4 for the ±0
// rule, and the counts' min_periods test as in rollExt4AVX2: the suffix
// count starts at bias = −max(minp, 1), so a window short of it has a
// negative count whose sign bit blends in NaN.

DATA rowsninf4<>+0(SB)/8, $0xfff0000000000000
DATA rowsninf4<>+8(SB)/8, $0xfff0000000000000
DATA rowsninf4<>+16(SB)/8, $0xfff0000000000000
DATA rowsninf4<>+24(SB)/8, $0xfff0000000000000
GLOBL rowsninf4<>(SB), RODATA|NOPTR, $32

DATA rowsnan4<>+0(SB)/8, $0x7ff8000000000001
DATA rowsnan4<>+8(SB)/8, $0x7ff8000000000001
DATA rowsnan4<>+16(SB)/8, $0x7ff8000000000001
DATA rowsnan4<>+24(SB)/8, $0x7ff8000000000001
GLOBL rowsnan4<>(SB), RODATA|NOPTR, $32

// XRSTEP4 adds the four values v (negated for minima: Y13) to the running
// extremum ext and their finite count to cnt: a missing value (x − x is
// NaN) becomes −Inf and counts 0 (Y14 = 1.0; Y2, Y3, Y9 clobbered).
#define XRSTEP4(v, ext, cnt) \
	VXORPD Y13, v, v \
	VSUBPD v, v, Y9 \
	VCMPPD $3, Y9, Y9, Y9 \
	VBLENDVPD Y9, rowsninf4<>(SB), v, v \
	VANDNPD Y14, Y9, Y9 \
	VADDPD Y9, cnt, cnt \
	MAXZ4(ext, v)

// XRCOMB4 writes one half's output at outoff(R13): the extremum of the
// running prefix ext and the suffix at off(R12), its sign restored, NaN
// where the counts (prefix cnt, suffix at off+64) sum below zero (Y2,
// Y3, Y9, Y10 clobbered).
#define XRCOMB4(ext, cnt, off, outoff) \
	VMOVUPD off(R12), Y9 \
	MAXZ4(Y9, ext) \
	VXORPD Y13, Y9, Y9 \
	VADDPD off+64(R12), cnt, Y10 \
	VBLENDVPD Y10, rowsnan4<>(SB), Y9, Y9 \
	VMOVUPD Y9, outoff(R13)

// func rollExtRowsAVX2(x []float64, xs int, out []float64, os int, suf []float64, w, groups int, neg, bias float64)
// rows 0 .. 2w−2 of x (xs bytes apart), out rows 0 .. w−1 (os bytes
// apart), suf 16w (128 bytes a step: two halves' extrema, then their
// counts).
TEXT ·rollExtRowsAVX2(SB), NOSPLIT, $0-120
	MOVQ x_base+0(FP), SI
	MOVQ xs+24(FP), R9
	MOVQ out_base+32(FP), DI
	MOVQ os+56(FP), R11
	MOVQ suf_base+64(FP), R8
	MOVQ w+88(FP), CX
	MOVQ groups+96(FP), DX
	VBROADCASTSD neg+104(FP), Y13
	VBROADCASTSD rowsone<>(SB), Y14
	MOVQ CX, AX
	SUBQ $1, AX
	IMULQ R9, AX           // (w−1)·xs: row w−1
	MOVQ CX, R14
	SUBQ $1, R14
	SHLQ $7, R14           // &suf[w−1] − &suf[0], 128 bytes a step

xr4group:
	// Suffix pass, rows w−1 .. 0.
	VBROADCASTSD rowsninf<>(SB), Y5
	VMOVAPD Y5, Y6
	VBROADCASTSD bias+112(FP), Y7
	VMOVAPD Y7, Y8
	LEAQ (SI)(AX*1), R10
	LEAQ (R8)(R14*1), R12
	MOVQ CX, BX

xr4suffix:
	VMOVUPD (R10), Y0
	VMOVUPD 32(R10), Y1
	XRSTEP4(Y0, Y5, Y7)
	XRSTEP4(Y1, Y6, Y8)
	VMOVUPD Y5, (R12)
	VMOVUPD Y6, 32(R12)
	VMOVUPD Y7, 64(R12)
	VMOVUPD Y8, 96(R12)
	SUBQ R9, R10
	SUBQ $128, R12
	DECQ BX
	JNZ xr4suffix

	// Prefix pass, rows w .. 2w−2, with the outputs.
	VBROADCASTSD rowsninf<>(SB), Y5
	VMOVAPD Y5, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	LEAQ (SI)(AX*1), R10
	MOVQ R8, R12
	MOVQ DI, R13
	XORQ BX, BX

xr4prefix:
	TESTQ BX, BX
	JZ xr4combine
	VMOVUPD (R10), Y0
	VMOVUPD 32(R10), Y1
	XRSTEP4(Y0, Y5, Y7)
	XRSTEP4(Y1, Y6, Y8)

xr4combine:
	XRCOMB4(Y5, Y7, 0, 0)
	XRCOMB4(Y6, Y8, 32, 32)
	ADDQ R9, R10
	ADDQ $128, R12
	ADDQ R11, R13
	INCQ BX
	CMPQ BX, CX
	JB xr4prefix
	ADDQ $64, SI           // the next eight columns
	ADDQ $64, DI
	DECQ DX
	JNZ xr4group
	VZEROUPPER
	RET
