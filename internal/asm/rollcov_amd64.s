//go:build !noasm

#include "textflag.h"
#include "rolling_amd64.h"

// Hand-written: the rolling covariance and correlation lanes kernel. Its Go
// twin, with the same operations in the same order, is kernels' covAcc and
// covSegment (and rollCov8Go here).

DATA covone<>+0(SB)/8, $0x3ff0000000000000
GLOBL covone<>(SB), RODATA|NOPTR, $8
DATA covsign<>+0(SB)/8, $0x8000000000000000
GLOBL covsign<>(SB), RODATA|NOPTR, $8
DATA covabs<>+0(SB)/8, $0x7fffffffffffffff
GLOBL covabs<>(SB), RODATA|NOPTR, $8
DATA covlost<>+0(SB)/8, $0x3b90000000000000 // CovLost = 2^-70
GLOBL covlost<>(SB), RODATA|NOPTR, $8
DATA covinf<>+0(SB)/8, $0x7ff0000000000000
GLOBL covinf<>(SB), RODATA|NOPTR, $8

// Registers: Z12 = −Kx, Z19 = −Ky (each lane's shift), Z13 = n, Z14 = 1.0,
// Z16 = div (covariances), Z17 = 0. The scan state (suffix, then prefix):
// Σx' (Z5, Z6), Σy' (Z7, Z18), Σx'y' (Z20, Z21), Σx'² (Z22, Z23), Σy'²
// (Z24, Z25). A suffix record is 640 bytes: the ten vectors in that order.

// SHIFT splits v + nk (nk = −K) into h + l exactly: h = v + nk,
// z = h − v, l = (v − (h − z)) + (nk − z). Z and A are scratch.
#define SHIFT(v, nk, h, l, Z, A) \
	VADDPD nk, v, h \
	VSUBPD v, h, Z \
	VSUBPD Z, h, A \
	VSUBPD A, v, A \
	VSUBPD Z, nk, l \
	VADDPD l, A, l

// LOADPAIR loads the lanes' x at R10 into Z0 and their y (AX bytes on)
// into Z4.
#define LOADPAIR \
	LANES8(Z0, Y0, X0) \
	ADDQ AX, R10 \
	LANES8(Z4, Y4, X4) \
	SUBQ AX, R10

// COVSTEP adds the pair (Z0, Z4), shifted, to Σx', Σy' and Σx'y': x' =
// xh + xl in (Z26, Z27), y' = yh + yl in (Z28, Z29); the product xh·yh
// split exactly, its error and the cross terms xh·yl + xl·yh beside it
// (Z1, Z2, Z8–Z11, Z30, Z31 clobbered).
#define COVSTEP \
	SHIFT(Z0, Z12, Z26, Z27, Z8, Z9) \
	SHIFT(Z4, Z19, Z28, Z29, Z8, Z9) \
	TWOSUM(Z5, Z6, Z26, Z8, Z9, Z10, Z11, Z14) \
	VADDPD Z27, Z6, Z6 \
	TWOSUM(Z7, Z18, Z28, Z8, Z9, Z10, Z11, Z14) \
	VADDPD Z29, Z18, Z18 \
	VMULPD Z28, Z26, Z30 \
	VMOVAPD Z30, Z31 \
	VFMSUB231PD Z28, Z26, Z31 \
	VMULPD Z29, Z26, Z1 \
	VMULPD Z28, Z27, Z2 \
	VADDPD Z2, Z1, Z1 \
	VADDPD Z1, Z31, Z31 \
	TWOSUM(Z20, Z21, Z30, Z8, Z9, Z10, Z11, Z14) \
	VADDPD Z31, Z21, Z21

// MOMSTEP adds the square of h + l to the compensated sum (s, c): h·h
// split exactly, its error and 2·h·l beside it.
#define MOMSTEP(h, l, s, c) \
	VMULPD h, h, Z30 \
	VMOVAPD Z30, Z31 \
	VFMSUB231PD h, h, Z31 \
	VMULPD l, h, Z1 \
	VADDPD Z1, Z1, Z1 \
	VADDPD Z1, Z31, Z31 \
	TWOSUM(s, c, Z30, Z8, Z9, Z10, Z11, Z14) \
	VADDPD Z31, c, c

// JOINMEM joins the suffix sum at off(R12) (its compensation at
// off+64) and the prefix sum (ps, pc) into (s, c), as covAcc.plus.
#define JOINMEM(off, ps, pc, s, c) \
	VMOVUPD off(R12), s \
	VMOVUPD off+64(R12), c \
	TWOSUM(s, c, ps, Z8, Z9, Z10, Z11, Z14) \
	VADDPD pc, c, c

// COMOMENT is comomentChecked: suv becomes Σuv − Σu·Σv/n in double-double
// arithmetic, and OK the lanes where it kept more than CovLost of its
// terms |Σuv| + |Σu·Σv/n| (or these are 0). Z8–Z11, Z27–Z31, K7 clobbered.
#define COMOMENT(su, cu, sv, cv, suv, cuv, OK) \
	VMULPD sv, su, Z27 \
	VMOVAPD Z27, Z28 \
	VFMSUB231PD sv, su, Z28 \
	VMULPD cv, su, Z29 \
	VADDPD Z29, Z28, Z28 \
	VMULPD sv, cu, Z29 \
	VADDPD Z29, Z28, Z28 \
	VDIVPD Z13, Z27, Z29 \
	VMOVAPD Z27, Z30 \
	VFNMADD231PD Z13, Z29, Z30 \
	VADDPD Z28, Z30, Z30 \
	VDIVPD Z13, Z30, Z30 \
	VANDPD.BCST covabs<>(SB), suv, Z28 \
	VANDPD.BCST covabs<>(SB), Z29, Z27 \
	VADDPD Z27, Z28, Z28 \
	VSUBPD Z29, suv, Z31 \
	VSUBPD suv, Z31, Z8 \
	VSUBPD Z8, Z31, Z9 \
	VSUBPD Z9, suv, Z9 \
	VXORPD.BCST covsign<>(SB), Z29, Z10 \
	VSUBPD Z8, Z10, Z10 \
	VADDPD Z10, Z9, Z9 \
	VADDPD cuv, Z9, Z9 \
	VSUBPD Z30, Z9, Z9 \
	VADDPD Z9, Z31, suv \
	VANDPD.BCST covabs<>(SB), suv, Z11 \
	VMULPD.BCST covlost<>(SB), Z28, Z10 \
	VCMPPD $0x1e, Z10, Z11, OK \
	VCMPPD $0, Z17, Z28, K7 \
	KORB K7, OK, OK

#define ZEROSTATE \
	VXORPD Z5, Z5, Z5 \
	VXORPD Z6, Z6, Z6 \
	VXORPD Z7, Z7, Z7 \
	VXORPD Z18, Z18, Z18 \
	VXORPD Z20, Z20, Z20 \
	VXORPD Z21, Z21, Z21 \
	VXORPD Z22, Z22, Z22 \
	VXORPD Z23, Z23, Z23 \
	VXORPD Z24, Z24, Z24 \
	VXORPD Z25, Z25, Z25

// STORECOV writes Σx', Σy', Σx'y' to the suffix record at R12; STOREMOM
// adds Σx'², Σy'².
#define STORECOV \
	VMOVUPD Z5, (R12) \
	VMOVUPD Z6, 64(R12) \
	VMOVUPD Z7, 128(R12) \
	VMOVUPD Z18, 192(R12) \
	VMOVUPD Z20, 256(R12) \
	VMOVUPD Z21, 320(R12)

#define STOREMOM \
	VMOVUPD Z22, 384(R12) \
	VMOVUPD Z23, 448(R12) \
	VMOVUPD Z24, 512(R12) \
	VMOVUPD Z25, 576(R12)

// func rollCov8AVX512(x, y, out, suf []float64, w, groups int, corr bool, div float64) int
// Eight lanes: len(x) = len(y) = 8w·groups + w, len(out) = 8w·groups,
// suf 80w; div = w − ddof > 0. It returns the groups done.
TEXT ·rollCov8AVX512(SB), NOSPLIT, $0-136
	MOVQ x_base+0(FP), SI
	MOVQ y_base+24(FP), AX
	SUBQ SI, AX                    // y's lanes are AX bytes from x's
	MOVQ out_base+48(FP), DI
	MOVQ suf_base+72(FP), R8
	MOVQ w+96(FP), CX
	CVTSQ2SD CX, X13
	VBROADCASTSD X13, Z13          // n: every window holds w pairs
	VBROADCASTSD covone<>(SB), Z14
	VBROADCASTSD div+120(FP), Z16
	VXORPD Z17, Z17, Z17
	MOVQ CX, R9
	SHLQ $3, R9
	LEAQ (R9)(R9*2), R11
	LEAQ (R9*4), R14
	XORQ DX, DX                    // groups done

cgroup:
	LEAQ -8(SI)(R9*1), R10         // &x[w-1] of lane 0: the shift
	LOADPAIR
	VXORPD.BCST covsign<>(SB), Z0, Z12
	VXORPD.BCST covsign<>(SB), Z4, Z19
	ZEROSTATE
	MOVQ CX, R15
	SUBQ $1, R15
	IMUL3Q $640, R15, R15
	LEAQ (R8)(R15*1), R12          // the record of t = w−1
	MOVQ CX, BX
	CMPB corr+112(FP), $0
	JNE csufcorr

csufcov:
	LOADPAIR
	COVSTEP
	STORECOV
	SUBQ $8, R10
	SUBQ $640, R12
	DECQ BX
	JNZ csufcov
	ZEROSTATE
	LEAQ -8(SI)(R9*1), R10         // the pair added at t is x[w+t-1]
	MOVQ R8, R12
	MOVQ DI, R13
	XORQ BX, BX

cprecov:
	TESTQ BX, BX
	JZ ccombcov
	LOADPAIR
	COVSTEP

ccombcov:
	JOINMEM(0, Z5, Z6, Z0, Z1)     // Σx'
	JOINMEM(128, Z7, Z18, Z2, Z3)  // Σy'
	JOINMEM(256, Z20, Z21, Z4, Z15) // Σx'y'
	COMOMENT(Z0, Z1, Z2, Z3, Z4, Z15, K3)
	KORTESTB K3, K3
	JCC cfail
	VDIVPD Z16, Z4, Z4             // / (n − ddof)
	STORE8(Z4, Y4, X4)
	ADDQ $8, R10
	ADDQ $640, R12
	ADDQ $8, R13
	INCQ BX
	CMPQ BX, CX
	JB cprecov
	JMP cnext

csufcorr:
	LOADPAIR
	COVSTEP
	MOMSTEP(Z26, Z27, Z22, Z23)
	MOMSTEP(Z28, Z29, Z24, Z25)
	STORECOV
	STOREMOM
	SUBQ $8, R10
	SUBQ $640, R12
	DECQ BX
	JNZ csufcorr
	ZEROSTATE
	LEAQ -8(SI)(R9*1), R10
	MOVQ R8, R12
	MOVQ DI, R13
	XORQ BX, BX

cprecorr:
	TESTQ BX, BX
	JZ ccombcorr
	LOADPAIR
	COVSTEP
	MOMSTEP(Z26, Z27, Z22, Z23)
	MOMSTEP(Z28, Z29, Z24, Z25)

ccombcorr:
	JOINMEM(0, Z5, Z6, Z0, Z1)        // Σx'
	JOINMEM(384, Z22, Z23, Z2, Z3)    // Σx'²
	COMOMENT(Z0, Z1, Z0, Z1, Z2, Z3, K3) // mx in Z2
	JOINMEM(128, Z7, Z18, Z3, Z4)     // Σy'
	JOINMEM(512, Z24, Z25, Z26, Z15)  // Σy'²
	COMOMENT(Z3, Z4, Z3, Z4, Z26, Z15, K4) // my in Z26
	JOINMEM(256, Z20, Z21, Z15, Z16)  // Σx'y'
	COMOMENT(Z0, Z1, Z3, Z4, Z15, Z16, K5) // c in Z15
	KANDB K4, K3, K3
	KANDB K5, K3, K3
	VMAXPD Z17, Z2, Z2             // max(mx, 0)
	VMAXPD Z17, Z26, Z26           // max(my, 0)
	VMULPD Z26, Z2, Z0             // mx·my
	VCMPPD.BCST $4, covinf<>(SB), Z0, K4 // not +Inf
	KANDB K4, K3, K3
	VCMPPD $4, Z17, Z0, K4         // mx·my ≠ 0,
	VCMPPD $0, Z17, Z2, K5         // or mx = 0,
	KORB K5, K4, K4
	VCMPPD $0, Z17, Z26, K5        // or my = 0
	KORB K5, K4, K4
	KANDB K4, K3, K3
	KORTESTB K3, K3
	JCC cfail
	VSQRTPD Z0, Z1
	VDIVPD Z1, Z15, Z15            // c / √(mx·my)
	STORE8(Z15, Y15, X15)
	ADDQ $8, R10
	ADDQ $640, R12
	ADDQ $8, R13
	INCQ BX
	CMPQ BX, CX
	JB cprecorr

cnext:
	LEAQ (SI)(R9*8), SI
	LEAQ (DI)(R9*8), DI
	INCQ DX
	CMPQ DX, groups+104(FP)
	JB cgroup

cfail:
	MOVQ DX, ret+128(FP)
	VZEROUPPER
	RET
