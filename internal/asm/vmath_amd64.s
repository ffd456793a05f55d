//go:build !noasm

#include "textflag.h"

// Vector forms of fmath.Exp, fmath.Log, fmath.Sin, fmath.Cos and
// fmath.Tanh (the last three AVX2 only); see vmath.go. Each step is the
// scalar code's, in its order (the comments name the Go variables), so the
// lanes get fmath's bits. Constants: vmathK (argument k, in R8), 32 bytes
// each; tables: mathtab's.

#define kInvLn2N 0
#define kShifter 32
#define kLn2NHi 64
#define kLn2NLo 96
#define kE7 128
#define kE6 160
#define kE5 192
#define kE4 224
#define kE3 256
#define kE2 288
#define kExpFast 320
#define kAbs 352
#define kSign 384
#define kShifterBits 416
#define kIdx 448
#define kBias 480
#define kMinNormal 512
#define kMaxFloat 544
#define kMant 576
#define kFold 608
#define kShifterBias 640
#define kHalf 672
#define kMinusHalf 704
#define kThirdHi 736
#define kThirdLo 768
#define kLn2Hi 800
#define kLn2Lo 832
#define kL12 864
#define kL11 896
#define kL10 928
#define kL9 960
#define kL8 992
#define kL7 1024
#define kL6 1056
#define kL5 1088
#define kL4 1120
#define kInvLn2Q 1152
#define kLn2QHi 1184
#define kLn2QLo 1216
#define kQErr 1248
#define kQExp 1280
#define kQBit4 1312
#define kQIdx 1344
#define kLQHalf 1376
#define kExpMask 1408
#define kLQFold 1440
#define kLQErr 1472
#define kInvPio32 1504
#define kPio32A 1536
#define kPio32B 1568
#define kS9 1600
#define kS7 1632
#define kS5 1664
#define kS3 1696
#define kC10 1728
#define kC8 1760
#define kC6 1792
#define kC4 1824
#define kSQErr 1856
#define kSQErrR 1888
#define kSQErrK 1920
#define kSinMax 1952
#define kCosOff 1984
#define kTanhMax 2016
#define kTQErr 2048
#define kTQErrQ 2080
#define kPQErrR 2112
#define kPQErrZ 2144

// ROWS8AT loads the rows (hi, lo) of the table at R9 that the eight
// indices at off(SP) give (in units of 8 bytes) into hi and lo: each row's
// 16 bytes are one load, paired across 128-bit lanes by two unpacks
// (cheaper than two gathers). xhi and xtmp are the X names of hi and tmp;
// R10 and R11 are clobbered.
#define ROWS8AT(hi, lo, tmp, xhi, xtmp, off) \
	MOVQ         off+0(SP), R10 \
	MOVQ         off+8(SP), R11 \
	VMOVUPD      (R9)(R10*8), xhi \
	VMOVUPD      (R9)(R11*8), xtmp \
	MOVQ         off+16(SP), R10 \
	MOVQ         off+24(SP), R11 \
	VINSERTF64X2 $1, (R9)(R10*8), hi, hi \
	VINSERTF64X2 $1, (R9)(R11*8), tmp, tmp \
	MOVQ         off+32(SP), R10 \
	MOVQ         off+40(SP), R11 \
	VINSERTF64X2 $2, (R9)(R10*8), hi, hi \
	VINSERTF64X2 $2, (R9)(R11*8), tmp, tmp \
	MOVQ         off+48(SP), R10 \
	MOVQ         off+56(SP), R11 \
	VINSERTF64X2 $3, (R9)(R10*8), hi, hi \
	VINSERTF64X2 $3, (R9)(R11*8), tmp, tmp \
	VUNPCKHPD    tmp, hi, lo \
	VUNPCKLPD    tmp, hi, hi

// ROWS8 is ROWS8AT at the lanes of idx, which it stores at off(SP) (a
// 64-byte scratch slot).
#define ROWS8(idx, hi, lo, tmp, xhi, xtmp, off) \
	VMOVDQU64 idx, off(SP) \
	ROWS8AT(hi, lo, tmp, xhi, xtmp, off)

// EXPFAST8 sets mask to the lanes of x with |x| ≤ expFast (not NaN).
#define EXPFAST8(x, t, mask) \
	VANDPD.BCST kAbs(R8), x, t \
	VCMPPD.BCST $2, kExpFast(R8), t, mask

// EXPREDUCE8 is expReduce(x, 0) and expKernel's split of k: rh, rl, then
// k2 = the bits of 2^n (n = k >> 7) and j = 2·(k & 127), the offset of
// ExpTab's row. a–d are scratch. Needs Z28 = Shifter, Z29 = the sign bit,
// Z30 = +0.
#define EXPREDUCE8(x, a, b, c, d, rh, rl, k2, j) \
	VMOVAPD          Z28, a \
	VFMADD231PD.BCST kInvLn2N(R8), x, a \ // z = FMA(x, InvLn2N, Shifter)
	VPSUBQ.BCST      kShifterBits(R8), a, k2 \ // k
	VSUBPD           Z28, a, b \ // kf = z − Shifter
	VMULPD.BCST      kLn2NHi(R8), b, c \
	VSUBPD           c, x, c \ // r0 = x − kf·Ln2NHi
	VMULPD.BCST      kLn2NLo(R8), b, d \ // p = kf·Ln2NLo
	VMOVAPD          d, a \
	VFMSUB231PD.BCST kLn2NLo(R8), b, a \ // pe = FMA(kf, Ln2NLo, −p)
	VXORPD           Z29, d, d \ // −p
	VADDPD           d, c, rh \ // twoSum(r0, −p): rh
	VSUBPD           c, rh, b \ // bb = rh − r0
	VSUBPD           b, rh, rl \
	VSUBPD           rl, c, rl \ // r0 − (rh − bb)
	VSUBPD           b, d, b \ // −p − bb
	VADDPD           b, rl, rl \ // e
	VSUBPD           a, rl, rl \
	VADDPD           Z30, rl, rl \ // rl = (e − pe) + 0
	VPANDQ.BCST      kIdx(R8), k2, j \ // k & 127
	VPSUBQ           j, k2, k2 \
	VPSLLQ           $45, k2, k2 \
	VPADDQ.BCST      kBias(R8), k2, k2 \ // 2^n
	VPADDQ           j, j, j

// EXPFINISH8 is the rest of expKernel and scale: y = e^x from rh, rl,
// k2 and the row th, tl. p, q, e, u are scratch; rl is clobbered.
#define EXPFINISH8(rh, rl, k2, th, tl, p, q, e, y) \
	VBROADCASTSD     kE6(R8), p \
	VFMADD231PD.BCST kE7(R8), rh, p \ // p = FMA(rh, E7, E6)
	VFMADD213PD.BCST kE5(R8), rh, p \ // p = FMA(rh, p, E5)
	VFMADD213PD.BCST kE4(R8), rh, p \
	VFMADD213PD.BCST kE3(R8), rh, p \
	VFMADD213PD.BCST kE2(R8), rh, p \
	VMULPD           rh, rh, q \
	VMULPD           p, q, q \ // q = rh·rh·p
	VMOVAPD          rl, p \
	VFMADD213PD      rl, rh, p \ // FMA(rl, rh, rl)
	VADDPD           p, q, q \ // t = q + FMA(rl, rh, rl)
	VMULPD           rh, th, p \ // twoProd(th, rh): ph
	VMOVAPD          p, e \
	VFMSUB231PD      rh, th, e \ // pl
	VADDPD           p, th, y \ // fastTwoSum(th, ph): h
	VSUBPD           th, y, rl \
	VSUBPD           rl, p, rl \ // e = ph − (h − th)
	VMOVAPD          tl, p \
	VFMADD213PD      tl, rh, p \ // FMA(tl, rh, tl)
	VFMADD231PD      q, th, p \ // FMA(th, t, …)
	VADDPD           p, e, e \ // pl + …
	VADDPD           e, rl, rl \ // l = e + (…)
	VADDPD           rl, y, y \ // h + l
	VMULPD           k2, y, y // (h + l)·2^n

// The quick path (fmath's expQuick) in steps, each on one group of eight
// lanes held in ten registers: X (the arguments, kept) and Z, KF, R0, RH,
// RL, TH, TL, T, NB (scratch, renamed as the values die). Calling the
// steps of two groups alternately interleaves their dependency chains.
// They need Z20–Z23 = ExpQHi, Z24–Z27 = ExpQLo, Z28 = Shifter.

// QS1: z = FMA(x, InvLn2Q, Shifter), kf = z − Shifter, r0 = FMA(−kf, Ln2QHi, x).
#define QS1(X, Z, KF, R0) \
	VMOVAPD           Z28, Z \
	VFMADD231PD.BCST  kInvLn2Q(R8), X, Z \
	VSUBPD            Z28, Z, KF \
	VMOVAPD           X, R0 \
	VFNMADD231PD.BCST kLn2QHi(R8), KF, R0

// QS2: rh = FMA(−kf, Ln2QLo, r0), rl = FMA(−kf, Ln2QLo, r0 − rh).
#define QS2(KF, R0, RH, RL) \
	VMOVAPD           R0, RH \
	VFNMADD231PD.BCST kLn2QLo(R8), KF, RH \
	VSUBPD            RH, R0, RL \
	VFNMADD231PD.BCST kLn2QLo(R8), KF, RL

// QS3: th, tl = ExpQHi[k & 31], ExpQLo[k & 31] (z's low bits are k's):
// rows 0–15 by VPERMI2PD in the lanes of ML (bit 4 of k clear), rows 16–31
// in those of M; nb = n << 52.
#define QS3(Z, TH, TL, NB, M, ML) \
	VPTESTMQ.BCST kQBit4(R8), Z, M \
	KNOTB         M, ML \
	VMOVAPD       Z, TH \
	VPERMI2PD     Z21, Z20, ML, TH \
	VPERMI2PD     Z23, Z22, M, TH \
	VMOVAPD       Z, TL \
	VPERMI2PD     Z25, Z24, ML, TL \
	VPERMI2PD     Z27, Z26, M, TL \
	VPSLLQ        $47, Z, NB \
	VPANDQ.BCST   kQExp(R8), NB, NB

// QS4: p (in Z) = the series E7 … E2 at rh; t (in KF) = rh·rh·p +
// FMA(rl, rh, rl).
#define QS4(Z, KF, R0, RH, RL) \
	VBROADCASTSD     kE6(R8), Z \
	VFMADD231PD.BCST kE7(R8), RH, Z \
	VFMADD213PD.BCST kE5(R8), RH, Z \
	VFMADD213PD.BCST kE4(R8), RH, Z \
	VFMADD213PD.BCST kE3(R8), RH, Z \
	VFMADD213PD.BCST kE2(R8), RH, Z \
	VMULPD           RH, RH, KF \
	VMULPD           Z, KF, KF \
	VMOVAPD          RL, R0 \
	VFMADD213PD      RL, RH, R0 \
	VADDPD           R0, KF, KF

// QS5: ph (Z), pl (RL) = twoProd(th, rh); h (R0), e (T) = fastTwoSum(th,
// ph); l (T) = e + (pl + FMA(th, t, FMA(tl, rh, tl))).
#define QS5(Z, KF, R0, RH, RL, TH, TL, T) \
	VMULPD      RH, TH, Z \
	VMOVAPD     Z, RL \
	VFMSUB231PD RH, TH, RL \
	VADDPD      Z, TH, R0 \
	VSUBPD      TH, R0, T \
	VSUBPD      T, Z, T \
	VFMADD213PD TL, RH, TL \
	VFMADD231PD KF, TH, TL \
	VADDPD      TL, RL, RL \
	VADDPD      RL, T, T

// QS6: Ziv's test, h + (l + ExpQuickErr) == h + (l − ExpQuickErr), into the
// mask M; where it holds, that sum is y: TL = y·2^n.
#define QS6(R0, RL, TL, T, NB, M) \
	VADDPD.BCST kQErr(R8), T, TL \
	VSUBPD.BCST kQErr(R8), T, RL \
	VADDPD      TL, R0, TL \
	VADDPD      RL, R0, RL \
	VCMPPD      $0, RL, TL, M \
	VPADDQ      NB, TL, TL

// EXPSLOW8 recomputes the group x (Z0 or Z10, by the register set) on the
// accurate path and stores it at off(DI)(AX*8), keeping the quick result
// already stored there in the lanes of M. Clobbers the set and 0(SP)–63(SP).
#define EXPSLOW8(x, a, b, c, d, e, f, g, h, xa, xc, M, off) \
	EXPREDUCE8(x, a, b, c, d, e, f, g, h) \
	ROWS8(h, a, b, c, xa, xc, 0) \
	EXPFINISH8(e, f, g, a, b, c, d, h, x) \
	VBLENDMPD off(DI)(AX*8), x, M, x \
	VMOVUPD   x, off(DI)(AX*8)

// func expAVX512(d, x []float64, k, tab, qhi, qlo) int
//
// Two groups of eight lanes at a time on fmath's quick path (Z0–Z9 and
// Z10–Z19), then one. A group where some lane fails Ziv's test is
// recomputed on the accurate path, and each lane takes the result
// fmath.Exp takes.
TEXT ·expAVX512(SB), NOSPLIT, $128-88
	MOVQ         d_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVQ         x_len+32(FP), CX
	MOVQ         k+48(FP), R8
	MOVQ         tab+56(FP), R9
	MOVQ         qhi+64(FP), R12
	MOVQ         qlo+72(FP), R13
	VMOVUPD      0(R12), Z20
	VMOVUPD      64(R12), Z21
	VMOVUPD      128(R12), Z22
	VMOVUPD      192(R12), Z23
	VMOVUPD      0(R13), Z24
	VMOVUPD      64(R13), Z25
	VMOVUPD      128(R13), Z26
	VMOVUPD      192(R13), Z27
	VBROADCASTSD kShifter(R8), Z28
	VPBROADCASTQ kSign(R8), Z29
	VPXORQ       Z30, Z30, Z30
	XORQ         AX, AX

exp16:
	LEAQ     16(AX), DX
	CMPQ     DX, CX
	JGT      exp8
	VMOVUPD  (SI)(AX*8), Z0
	VMOVUPD  64(SI)(AX*8), Z10
	EXPFAST8(Z0, Z1, K1)
	EXPFAST8(Z10, Z11, K2)
	KANDB    K1, K2, K1
	KORTESTB K1, K1
	JCC      exp8 // some lane is off the path: the single group stops there
	QS1(Z0, Z1, Z2, Z3)
	QS1(Z10, Z11, Z12, Z13)
	QS2(Z2, Z3, Z4, Z5)
	QS2(Z12, Z13, Z14, Z15)
	QS3(Z1, Z6, Z7, Z9, K3, K5)
	QS3(Z11, Z16, Z17, Z19, K4, K6)
	QS4(Z1, Z2, Z3, Z4, Z5)
	QS4(Z11, Z12, Z13, Z14, Z15)
	QS5(Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8)
	QS5(Z11, Z12, Z13, Z14, Z15, Z16, Z17, Z18)
	QS6(Z3, Z5, Z7, Z8, Z9, K2)
	QS6(Z13, Z15, Z17, Z18, Z19, K4)
	VMOVUPD  Z7, (DI)(AX*8)
	VMOVUPD  Z17, 64(DI)(AX*8)
	KANDB    K2, K4, K1
	KORTESTB K1, K1
	JCC      exp16slow
	MOVQ     DX, AX
	JMP      exp16

exp16slow:
	KORTESTB K2, K2
	JCS      exp16b
	EXPSLOW8(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, X1, X3, K2, 0)

exp16b:
	KORTESTB K4, K4
	JCS      exp16next
	EXPSLOW8(Z10, Z11, Z12, Z13, Z14, Z15, Z16, Z17, Z18, X11, X13, K4, 64)

exp16next:
	MOVQ DX, AX
	JMP  exp16

exp8:
	LEAQ     8(AX), DX
	CMPQ     DX, CX
	JGT      expdone
	VMOVUPD  (SI)(AX*8), Z0
	EXPFAST8(Z0, Z1, K1)
	KORTESTB K1, K1
	JCC      expdone // some lane is off the path
	QS1(Z0, Z1, Z2, Z3)
	QS2(Z2, Z3, Z4, Z5)
	QS3(Z1, Z6, Z7, Z9, K3, K5)
	QS4(Z1, Z2, Z3, Z4, Z5)
	QS5(Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8)
	QS6(Z3, Z5, Z7, Z8, Z9, K2)
	VMOVUPD  Z7, (DI)(AX*8)
	KORTESTB K2, K2
	JCC      exp8slow
	MOVQ     DX, AX
	JMP      exp16

exp8slow:
	EXPSLOW8(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, X1, X3, K2, 0)
	MOVQ DX, AX
	JMP  exp16

expdone:
	MOVQ AX, ret+80(FP)
	VZEROUPPER
	RET

// INV2 loads LogInv (R12) at the two indices (2·i) at off(SP) into the
// X register x (R10, R11 clobbered).
#define INV2(x, off) \
	MOVQ    off+0(SP), R10 \
	MOVQ    off+8(SP), R11 \
	VMOVSD  (R12)(R10*4), x \
	VMOVHPD (R12)(R11*4), x, x

// INV4 and ROWS4AT are INV8 and ROWS8AT on four lanes (INV4: Y11 scratch).
#define INV4(idx2, inv, xinv, off) \
	VMOVDQU     idx2, off(SP) \
	INV2(xinv, off) \
	INV2(X11, off+16) \
	VINSERTF128 $1, X11, inv, inv

#define ROWS4AT(hi, lo, xhi, tmp, xtmp, off) \
	MOVQ        off+0(SP), R10 \
	MOVQ        off+8(SP), R11 \
	VMOVUPD     (R9)(R10*8), xhi \
	VMOVUPD     (R9)(R11*8), xtmp \
	MOVQ        off+16(SP), R10 \
	MOVQ        off+24(SP), R11 \
	VINSERTF128 $1, (R9)(R10*8), hi, hi \
	VINSERTF128 $1, (R9)(R11*8), tmp, tmp \
	VUNPCKHPD   tmp, hi, lo \
	VUNPCKLPD   tmp, hi, hi

// QROW2 loads ExpQHi (R12) and ExpQLo (R13) at the two indices at off(SP)
// into the X registers hi and lo (R10, R11 clobbered).
#define QROW2(hi, lo, off) \
	MOVQ    off+0(SP), R10 \
	MOVQ    off+8(SP), R11 \
	VMOVSD  (R12)(R10*8), hi \
	VMOVHPD (R12)(R11*8), hi, hi \
	VMOVSD  (R13)(R10*8), lo \
	VMOVHPD (R13)(R11*8), lo, lo

// QROWS4 loads the quick table's rows at the four indices at 0(SP) into
// hi and lo (xhi, xlo: their X names; t1, t2 scratch X registers).
#define QROWS4(hi, xhi, lo, xlo, t1, t2) \
	QROW2(xhi, xlo, 0) \
	QROW2(t1, t2, 16) \
	VINSERTF128 $1, t1, hi, hi \
	VINSERTF128 $1, t2, lo, lo

// EXPT4 is expSeries' t = rh·rh·p + FMA(rl, rh, rl) on four lanes, p the
// series E7 … E2 at rh (p, w scratch).
#define EXPT4(rh, rl, p, t, w) \
	VMOVUPD     kE6(R8), p \
	VFMADD231PD kE7(R8), rh, p \
	VFMADD213PD kE5(R8), rh, p \
	VFMADD213PD kE4(R8), rh, p \
	VFMADD213PD kE3(R8), rh, p \
	VFMADD213PD kE2(R8), rh, p \
	VMULPD      rh, rh, t \
	VMULPD      p, t, t \
	VMOVAPD     rl, w \
	VFMADD213PD rl, rh, w \
	VADDPD      w, t, t

// EXPHL4 is the rest of expSeries on four lanes: ph, pl = twoProd(th, rh);
// h, e = fastTwoSum(th, ph); e = l = e + (pl + FMA(th, t, FMA(tl, rh, tl)))
// (w scratch; it may be ph).
#define EXPHL4(rh, th, tl, t, ph, pl, h, e, w) \
	VMULPD      rh, th, ph \
	VMOVAPD     ph, pl \
	VFMSUB231PD rh, th, pl \
	VADDPD      ph, th, h \
	VSUBPD      th, h, e \
	VSUBPD      e, ph, e \
	VMOVAPD     tl, w \
	VFMADD213PD tl, rh, w \
	VFMADD231PD t, th, w \
	VADDPD      w, pl, pl \
	VADDPD      pl, e, e

// func expAVX2(d, x []float64, k, tab, qhi, qlo) int
//
// expAVX512 on four lanes, with the constants read from memory (R8) and
// the quick table's rows loaded one by one (R12, R13; cheaper than
// gathers). A group failing Ziv's test keeps the quick result and the
// mask at 32(SP) and 64(SP) while the accurate path runs.
TEXT ·expAVX2(SB), NOSPLIT, $96-88
	MOVQ d_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	MOVQ k+48(FP), R8
	MOVQ tab+56(FP), R9
	MOVQ qhi+64(FP), R12
	MOVQ qlo+72(FP), R13
	XORQ AX, AX

exp4:
	LEAQ 4(AX), DX
	CMPQ DX, CX
	JGT  exp4done
	VMOVUPD   (SI)(AX*8), Y0
	VANDPD    kAbs(R8), Y0, Y1
	VCMPPD    $2, kExpFast(R8), Y1, Y1 // |x| ≤ expFast (false for NaN)
	VMOVMSKPD Y1, BX
	CMPQ      BX, $15
	JNE       exp4done                 // some lane is off the path

	// expQuick(x)
	VMOVUPD      kShifter(R8), Y1
	VFMADD231PD  kInvLn2Q(R8), Y0, Y1 // z
	VSUBPD       kShifter(R8), Y1, Y2 // kf
	VMOVAPD      Y0, Y3
	VFNMADD231PD kLn2QHi(R8), Y2, Y3  // r0
	VMOVAPD      Y3, Y4
	VFNMADD231PD kLn2QLo(R8), Y2, Y4  // rh
	VSUBPD       Y4, Y3, Y5
	VFNMADD231PD kLn2QLo(R8), Y2, Y5  // rl
	VPAND        kQIdx(R8), Y1, Y6    // k & 31
	VMOVDQU      Y6, 0(SP)
	QROWS4(Y8, X8, Y9, X9, X6, X7)    // th, tl
	VPSLLQ       $47, Y1, Y10
	VPAND        kQExp(R8), Y10, Y10  // n << 52
	EXPT4(Y4, Y5, Y11, Y12, Y13)      // t
	EXPHL4(Y4, Y8, Y9, Y12, Y13, Y14, Y15, Y1, Y2) // h, l
	VADDPD       Y1, Y15, Y9          // y = h + l
	VADDPD       kQErr(R8), Y1, Y2
	VSUBPD       kQErr(R8), Y1, Y3
	VADDPD       Y2, Y15, Y2
	VADDPD       Y3, Y15, Y3
	VCMPPD       $0, Y3, Y2, Y2       // Ziv's test
	VPADDQ       Y10, Y9, Y9          // y·2^n
	VMOVMSKPD    Y2, BX
	CMPQ         BX, $15
	JNE          exp4slow
	VMOVUPD      Y9, (DI)(AX*8)
	MOVQ         DX, AX
	JMP          exp4

exp4slow:
	VMOVDQU Y9, 32(SP)
	VMOVDQU Y2, 64(SP)

	// expReduce(x, 0)
	VMOVUPD     kShifter(R8), Y1
	VFMADD231PD kInvLn2N(R8), Y0, Y1 // z = FMA(x, InvLn2N, Shifter)
	VPSUBQ      kShifterBits(R8), Y1, Y2 // k
	VSUBPD      kShifter(R8), Y1, Y3 // kf
	VMULPD      kLn2NHi(R8), Y3, Y4
	VSUBPD      Y4, Y0, Y4           // r0
	VMULPD      kLn2NLo(R8), Y3, Y5  // p
	VMOVAPD     Y5, Y6
	VFMSUB231PD kLn2NLo(R8), Y3, Y6  // pe
	VXORPD      kSign(R8), Y5, Y5    // −p
	VADDPD      Y5, Y4, Y7           // rh
	VSUBPD      Y4, Y7, Y8           // bb
	VSUBPD      Y8, Y7, Y9
	VSUBPD      Y9, Y4, Y9
	VSUBPD      Y8, Y5, Y8
	VADDPD      Y8, Y9, Y8           // e
	VSUBPD      Y6, Y8, Y8
	VPXOR       Y1, Y1, Y1
	VADDPD      Y1, Y8, Y8           // rl = (e − pe) + 0

	// expKernel(rh = Y7, rl = Y8, k = Y2)
	VPAND       kIdx(R8), Y2, Y9     // j
	VPSUBQ      Y9, Y2, Y2
	VPSLLQ      $45, Y2, Y2
	VPADDQ      kBias(R8), Y2, Y2    // pow2(n)
	EXPT4(Y7, Y8, Y10, Y11, Y12)     // t
	VPADDQ      Y9, Y9, Y9           // 2j
	VMOVDQU     Y9, 0(SP)
	ROWS4AT(Y12, Y13, X12, Y14, X14, 0) // th, tl
	EXPHL4(Y7, Y12, Y13, Y11, Y14, Y15, Y10, Y9, Y14) // h, l

	// scale(h, l, n)
	VADDPD    Y9, Y10, Y10
	VMULPD    Y2, Y10, Y10
	VMOVUPD   32(SP), Y9
	VMOVUPD   64(SP), Y2
	VBLENDVPD Y2, Y9, Y10, Y10 // the quick result where it passed
	VMOVUPD   Y10, (DI)(AX*8)
	MOVQ      DX, AX
	JMP       exp4

exp4done:
	MOVQ AX, ret+80(FP)
	VZEROUPPER
	RET

// DDSUM is twoSum(a, b): s = a + b, e the rounding error (t scratch).
#define DDSUM(a, b, s, e, t) \
	VADDPD a, b, s \
	VSUBPD a, s, t \ // bb = s − a
	VSUBPD t, s, e \
	VSUBPD e, a, e \ // a − (s − bb)
	VSUBPD t, b, t \ // b − bb
	VADDPD t, e, e

// FASTDDSUM is fastTwoSum(a, b): s = a + b, e = b − (s − a).
#define FASTDDSUM(a, b, s, e) \
	VADDPD b, a, s \
	VSUBPD a, s, e \
	VSUBPD e, b, e

// INV8 loads LogInv (R12) at the eight lanes of idx2 (2·i) into inv, and
// keeps idx2 at off(SP) for ROWS8 to read LogTab's rows with (R9); t1 and
// xt2 are scratch.
#define INV8(idx2, inv, xinv, yinv, t1, xt1, yt1, xt2, off) \
	VMOVDQU64    idx2, off(SP) \
	INV2(xinv, off) \
	INV2(xt1, off+16) \
	VINSERTF128  $1, xt1, yinv, yinv \
	INV2(xt1, off+32) \
	INV2(xt2, off+48) \
	VINSERTF64X2 $1, xt2, yt1, yt1 \
	VINSERTF64X4 $1, yt1, inv, inv

// LTAIL8 is log1pTail(r) (−1/4 + r/5 − … − r⁸/12, Horner) into P.
#define LTAIL8(r, P) \
	VBROADCASTSD     kL11(R8), P \
	VFMADD231PD.BCST kL12(R8), r, P \
	VFMADD213PD.BCST kL10(R8), r, P \
	VFMADD213PD.BCST kL9(R8), r, P \
	VFMADD213PD.BCST kL8(R8), r, P \
	VFMADD213PD.BCST kL7(R8), r, P \
	VFMADD213PD.BCST kL6(R8), r, P \
	VFMADD213PD.BCST kL5(R8), r, P \
	VFMADD213PD.BCST kL4(R8), r, P

// LOGACC8 is fmath's accurate path, logDD(x) then hi + lo, on the eight
// lanes of Z0 (normal positive x), into Z10. It uses Z0–Z19, K3 and
// 0(SP)–63(SP).
#define LOGACC8 \
	\ // logReduce(x, 0): e as a float (Z1), 2i (Z2), m (Z3)
	VPSRLQ           $52, Z0, Z1 \
	VPORQ.BCST       kShifterBits(R8), Z1, Z1 \
	VSUBPD.BCST      kShifterBias(R8), Z1, Z1 \ // e
	VPSRLQ           $45, Z0, Z2 \
	VPANDQ.BCST      kIdx(R8), Z2, Z2 \ // i
	VPANDQ.BCST      kMant(R8), Z0, Z3 \
	VPORQ.BCST       kBias(R8), Z3, Z3 \ // m in [1, 2)
	VPCMPQ.BCST      $6, kFold(R8), Z2, K3 \ // i ≥ LogFold
	VMULPD.BCST      kHalf(R8), Z3, K3, Z3 \ // m *= 0.5
	VADDPD.BCST      kBias(R8), Z1, K3, Z1 \ // e++ (kBias is 1.0)
	VPADDQ           Z2, Z2, Z2 \
	INV8(Z2, Z4, X4, Y4, Z5, X5, Y5, X6, 0) \ // ic
	VFMSUB213PD.BCST kBias(R8), Z3, Z4 \ // rh = FMA(m, ic, −1)
	\ // logKernel(i, rh = Z4, rl = 0)
	VMULPD           Z4, Z4, Z5 \ // s2h
	VMOVAPD          Z5, Z6 \
	VFMSUB231PD      Z4, Z4, Z6 \ // s2l
	VMULPD           Z5, Z4, Z7 \ // s3h
	VMOVAPD          Z7, Z8 \
	VFMSUB231PD      Z5, Z4, Z8 \
	VFMADD231PD      Z6, Z4, Z8 \ // s3l
	VMULPD.BCST      kThirdHi(R8), Z7, Z9 \ // c3h
	VMOVAPD          Z9, Z10 \
	VFMSUB231PD.BCST kThirdHi(R8), Z7, Z10 \
	VMULPD.BCST      kThirdHi(R8), Z8, Z11 \
	VFMADD231PD.BCST kThirdLo(R8), Z7, Z11 \
	VADDPD           Z11, Z10, Z10 \ // c3l
	LTAIL8(Z4, Z12) \ // p
	VMULPD           Z5, Z5, Z13 \
	VMULPD           Z12, Z13, Z13 \ // tail
	ROWS8AT(Z14, Z15, Z16, X14, X16, 0) \ // th, tl
	DDSUM(Z14, Z4, Z17, Z18, Z19) \ // sh, se = twoSum(th, rh)
	VMULPD.BCST      kMinusHalf(R8), Z5, Z2 \ // −0.5·s2h
	DDSUM(Z17, Z2, Z3, Z7, Z19) \
	VADDPD           Z7, Z18, Z18 \ // se += e
	DDSUM(Z3, Z9, Z17, Z7, Z19) \
	VADDPD           Z7, Z18, Z18 \ // se += e
	VADDPD           Z13, Z10, Z10 \ // c3l + tail
	VMULPD.BCST      kMinusHalf(R8), Z6, Z2 \
	VADDPD           Z10, Z2, Z10 \ // −0.5·s2l + (…)
	VPXORQ           Z8, Z8, Z8 \
	VADDPD           Z10, Z8, Z10 \ // corr (+0) + (…)
	VADDPD           Z10, Z15, Z10 \ // tl + (…)
	VADDPD           Z10, Z18, Z18 \ // se += …
	FASTDDSUM(Z17, Z18, Z4, Z5) \ // mh, ml
	\ // addLogExp(e, Ln2Hi, Ln2Lo, mh, ml), then hi + lo
	VMULPD.BCST      kLn2Hi(R8), Z1, Z6 \
	DDSUM(Z6, Z4, Z7, Z8, Z19) \ // h, l
	VMOVAPD          Z5, Z9 \
	VFMADD231PD.BCST kLn2Lo(R8), Z1, Z9 \ // FMA(e, Ln2Lo, ml)
	VADDPD           Z9, Z8, Z8 \ // l + …
	FASTDDSUM(Z7, Z8, Z10, Z11) \
	VADDPD           Z11, Z10, Z10

// LOGSLOW8 recomputes on the accurate path the group whose x is at
// xoff(SP) and whose quick results are stored at doff(DI)(AX*8), keeping
// the quick result in the lanes of M (those that passed Ziv's test).
#define LOGSLOW8(xoff, doff, M) \
	VMOVUPD   xoff(SP), Z0 \
	LOGACC8 \
	VBLENDMPD doff(DI)(AX*8), Z10, M, Z10 \
	VMOVUPD   Z10, doff(DI)(AX*8)

// LOGPATH8 sets K to the lanes of x on the vector path: normal positive x.
#define LOGPATH8(x, K, T) \
	VCMPPD.BCST $13, kMinNormal(R8), x, K \ // x ≥ 2^-1022 (GE_OS; false for NaN)
	VCMPPD.BCST $2, kMaxFloat(R8), x, T \ // x ≤ MaxFloat64
	KANDB       T, K, K

// The quick log (logQuickParts, then Ziv's test) in steps LQ1–LQ6, so that
// two groups interleave. The table's columns LogQInv, LogQHi and LogQLo
// are in Z20–Z23, Z24–Z27 and Z28–Z31: rows 0–15 by VPERMI2PD in the lanes
// of KL (bit 4 of i clear), rows 16–31 in those of KH.

// LQ1: u = bits + half a bucket, i, e (a float), m; folded from LogQFold.
#define LQ1(X, U, I, E, M, KF) \
	VPADDQ.BCST kLQHalf(R8), X, U \
	VPSRLQ      $47, U, I \
	VPANDQ.BCST kQIdx(R8), I, I \ // i
	VPSRLQ      $52, U, E \
	VPORQ.BCST  kShifterBits(R8), E, E \
	VSUBPD.BCST kShifterBias(R8), E, E \ // e
	VPANDQ.BCST kExpMask(R8), U, U \
	VPSUBQ      U, X, M \
	VPADDQ.BCST kBias(R8), M, M \ // m
	VPCMPQ.BCST $6, kLQFold(R8), I, KF \ // i ≥ LogQFold
	VMULPD.BCST kHalf(R8), M, KF, M \ // m *= 0.5
	VADDPD.BCST kBias(R8), E, KF, E // e++

// LQ2: r = FMA(m, LogQInv[i], −1) into T.
#define LQ2(I, M, T, KL, KH) \
	VPTESTMQ.BCST    kQBit4(R8), I, KH \
	KNOTB            KH, KL \
	VMOVDQA64        I, T \
	VPERMI2PD        Z21, Z20, KL, T \
	VPERMI2PD        Z23, Z22, KH, T \
	VFMSUB213PD.BCST kBias(R8), M, T

// LQ3: a = FMA(e, Ln2Hi, LogQHi[i]) into M, l = FMA(e, Ln2Lo, LogQLo[i])
// into I (the last column needs no copy of i).
#define LQ3(I, E, M, KL, KH) \
	VMOVDQA64        I, M \
	VPERMI2PD        Z25, Z24, KL, M \
	VPERMI2PD        Z27, Z26, KH, M \
	VFMADD231PD.BCST kLn2Hi(R8), E, M \
	VPERMI2PD        Z29, Z28, KL, I \
	VPERMI2PD        Z31, Z30, KH, I \
	VFMADD231PD.BCST kLn2Lo(R8), E, I

// LQ4: h, l1 = fastTwoSum(a, r); l += l1; s2h (I), s2l (M); h, l2 =
// fastTwoSum(h, −0.5·s2h) into H; l += l2; l = FMA(−0.5, s2l, l).
#define LQ4(T, M, U, E, I, Q, H) \
	VADDPD           T, M, E \ // h
	VSUBPD           M, E, M \
	VSUBPD           M, T, M \ // l1
	VADDPD           M, U, U \
	VMULPD           T, T, I \ // s2h
	VMOVAPD          I, M \
	VFMSUB231PD      T, T, M \ // s2l
	VMULPD.BCST      kMinusHalf(R8), I, Q \
	VADDPD           Q, E, H \ // h
	VSUBPD           E, H, E \
	VSUBPD           E, Q, E \ // l2
	VADDPD           E, U, U \
	VFMADD231PD.BCST kMinusHalf(R8), M, U

// LQ5: p = 1/3 − r/4 + … − r⁹/12 at r (T) into P.
#define LQ5(T, P) \
	LTAIL8(T, P) \
	VFMADD213PD.BCST kThirdHi(R8), T, P

// LQ6: l = FMA(s2h·r, p, l); y = h + l into E; KP = the lanes where h + (l
// ± |h|·LogQuickErr) agree.
#define LQ6(T, I, P, U, H, E, M, KP) \
	VMULPD          T, I, I \
	VFMADD231PD     P, I, U \
	VADDPD          U, H, E \ // y
	VPANDQ.BCST     kAbs(R8), H, M \
	VMULPD.BCST     kLQErr(R8), M, M \
	VADDPD          M, U, T \
	VSUBPD          M, U, M \
	VADDPD          T, H, T \
	VADDPD          M, H, M \
	VCMPPD          $0, M, T, KP

// func logAVX512(d, x []float64, k, inv, tab, q) int
//
// Two groups of eight lanes at a time on fmath's quick path (Z0–Z9 and
// Z10–Z19), then one. A group where some lane fails Ziv's test is
// recomputed on the accurate path (x saved at 64(SP) and 128(SP)), and
// each lane takes the result fmath.Log takes.
TEXT ·logAVX512(SB), NOSPLIT, $192-88
	MOVQ    d_base+0(FP), DI
	MOVQ    x_base+24(FP), SI
	MOVQ    x_len+32(FP), CX
	MOVQ    k+48(FP), R8
	MOVQ    inv+56(FP), R12
	MOVQ    tab+64(FP), R9
	MOVQ    q+72(FP), R13
	VMOVUPD 0(R13), Z20
	VMOVUPD 64(R13), Z21
	VMOVUPD 128(R13), Z22
	VMOVUPD 192(R13), Z23
	VMOVUPD 256(R13), Z24
	VMOVUPD 320(R13), Z25
	VMOVUPD 384(R13), Z26
	VMOVUPD 448(R13), Z27
	VMOVUPD 512(R13), Z28
	VMOVUPD 576(R13), Z29
	VMOVUPD 640(R13), Z30
	VMOVUPD 704(R13), Z31
	XORQ    AX, AX

log16:
	LEAQ     16(AX), DX
	CMPQ     DX, CX
	JGT      log8
	VMOVUPD  (SI)(AX*8), Z0
	VMOVUPD  64(SI)(AX*8), Z10
	LOGPATH8(Z0, K1, K2)
	LOGPATH8(Z10, K5, K6)
	KANDB    K1, K5, K1
	KORTESTB K1, K1
	JCC      log8 // some lane is off the path: the single group stops there
	LQ1(Z0, Z1, Z2, Z3, Z4, K1)
	LQ1(Z10, Z11, Z12, Z13, Z14, K5)
	LQ2(Z2, Z4, Z5, K2, K3)
	LQ2(Z12, Z14, Z15, K6, K7)
	LQ3(Z2, Z3, Z4, K2, K3)
	LQ3(Z12, Z13, Z14, K6, K7)
	LQ4(Z5, Z4, Z2, Z3, Z1, Z6, Z7)
	LQ4(Z15, Z14, Z12, Z13, Z11, Z16, Z17)
	LQ5(Z5, Z8)
	LQ5(Z15, Z18)
	LQ6(Z5, Z1, Z8, Z2, Z7, Z3, Z4, K4)
	LQ6(Z15, Z11, Z18, Z12, Z17, Z13, Z14, K5)
	VMOVUPD  Z3, (DI)(AX*8)
	VMOVUPD  Z13, 64(DI)(AX*8)
	KANDB    K4, K5, K1
	KORTESTB K1, K1
	JCC      log16slow
	MOVQ     DX, AX
	JMP      log16

log16slow:
	VMOVUPD  Z0, 64(SP)
	VMOVUPD  Z10, 128(SP)
	KORTESTB K4, K4
	JCS      log16b
	LOGSLOW8(64, 0, K4)

log16b:
	KORTESTB K5, K5
	JCS      log16next
	LOGSLOW8(128, 64, K5)

log16next:
	MOVQ DX, AX
	JMP  log16

log8:
	LEAQ     8(AX), DX
	CMPQ     DX, CX
	JGT      logdone
	VMOVUPD  (SI)(AX*8), Z0
	LOGPATH8(Z0, K1, K2)
	KORTESTB K1, K1
	JCC      logdone // some lane is off the path
	LQ1(Z0, Z1, Z2, Z3, Z4, K1)
	LQ2(Z2, Z4, Z5, K2, K3)
	LQ3(Z2, Z3, Z4, K2, K3)
	LQ4(Z5, Z4, Z2, Z3, Z1, Z6, Z7)
	LQ5(Z5, Z8)
	LQ6(Z5, Z1, Z8, Z2, Z7, Z3, Z4, K4)
	VMOVUPD  Z3, (DI)(AX*8)
	KORTESTB K4, K4
	JCC      log8slow
	MOVQ     DX, AX
	JMP      log16

log8slow:
	VMOVUPD Z0, 64(SP)
	LOGSLOW8(64, 0, K4)
	MOVQ    DX, AX
	JMP     log16

logdone:
	MOVQ AX, ret+80(FP)
	VZEROUPPER
	RET

// LTAIL4 is LTAIL8 on four lanes.
#define LTAIL4(r, P) \
	VMOVUPD     kL11(R8), P \
	VFMADD231PD kL12(R8), r, P \
	VFMADD213PD kL10(R8), r, P \
	VFMADD213PD kL9(R8), r, P \
	VFMADD213PD kL8(R8), r, P \
	VFMADD213PD kL7(R8), r, P \
	VFMADD213PD kL6(R8), r, P \
	VFMADD213PD kL5(R8), r, P \
	VFMADD213PD kL4(R8), r, P

// LOGACC4 is LOGACC8 on the four lanes of Y0, into Y10, constants read
// from memory (R8). It uses Y0–Y15 and 0(SP)–31(SP).
#define LOGACC4 \
	\ // logReduce(x, 0): e as a float (Y1), 2i (Y2), m (Y3)
	VPSRLQ      $52, Y0, Y1 \
	VPOR        kShifterBits(R8), Y1, Y1 \
	VSUBPD      kShifterBias(R8), Y1, Y1 \ // e
	VPSRLQ      $45, Y0, Y2 \
	VPAND       kIdx(R8), Y2, Y2 \ // i
	VPAND       kMant(R8), Y0, Y3 \
	VPOR        kBias(R8), Y3, Y3 \ // m in [1, 2)
	VPCMPGTQ    kFold(R8), Y2, Y5 \ // i ≥ LogFold
	VMOVUPD     kBias(R8), Y4 \
	VBLENDVPD   Y5, kHalf(R8), Y4, Y4 \
	VMULPD      Y4, Y3, Y3 \ // m *= 0.5 (or 1)
	VANDPD      kBias(R8), Y5, Y5 \
	VADDPD      Y5, Y1, Y1 \ // e++ (or + 0)
	VPADDQ      Y2, Y2, Y2 \
	INV4(Y2, Y4, X4, 0) \ // ic
	VFMSUB213PD kBias(R8), Y3, Y4 \ // rh = FMA(m, ic, −1)
	\ // logKernel(i, rh = Y4, rl = 0)
	VMULPD      Y4, Y4, Y5 \ // s2h
	VMOVAPD     Y5, Y6 \
	VFMSUB231PD Y4, Y4, Y6 \ // s2l
	VMULPD      Y5, Y4, Y7 \ // s3h
	VMOVAPD     Y7, Y8 \
	VFMSUB231PD Y5, Y4, Y8 \
	VFMADD231PD Y6, Y4, Y8 \ // s3l
	VMULPD      kThirdHi(R8), Y7, Y9 \ // c3h
	VMOVAPD     Y9, Y10 \
	VFMSUB231PD kThirdHi(R8), Y7, Y10 \
	VMULPD      kThirdHi(R8), Y8, Y11 \
	VFMADD231PD kThirdLo(R8), Y7, Y11 \
	VADDPD      Y11, Y10, Y10 \ // c3l
	LTAIL4(Y4, Y12) \ // p
	VMULPD      Y5, Y5, Y13 \
	VMULPD      Y12, Y13, Y13 \ // tail
	ROWS4AT(Y14, Y15, X14, Y11, X11, 0) \ // th, tl
	DDSUM(Y14, Y4, Y7, Y8, Y0) \ // sh, se = twoSum(th, rh)
	VMULPD      kMinusHalf(R8), Y5, Y2 \
	DDSUM(Y7, Y2, Y3, Y11, Y0) \
	VADDPD      Y11, Y8, Y8 \
	DDSUM(Y3, Y9, Y7, Y11, Y0) \
	VADDPD      Y11, Y8, Y8 \
	VADDPD      Y13, Y10, Y10 \ // c3l + tail
	VMULPD      kMinusHalf(R8), Y6, Y2 \
	VADDPD      Y10, Y2, Y10 \
	VPXOR       Y12, Y12, Y12 \
	VADDPD      Y10, Y12, Y10 \ // corr (+0) + (…)
	VADDPD      Y10, Y15, Y10 \ // tl + (…)
	VADDPD      Y10, Y8, Y8 \ // se
	FASTDDSUM(Y7, Y8, Y4, Y5) \ // mh, ml
	\ // addLogExp(e, Ln2Hi, Ln2Lo, mh, ml), then hi + lo
	VMULPD      kLn2Hi(R8), Y1, Y6 \
	DDSUM(Y6, Y4, Y7, Y8, Y0) \
	VMOVAPD     Y5, Y9 \
	VFMADD231PD kLn2Lo(R8), Y1, Y9 \
	VADDPD      Y9, Y8, Y8 \
	FASTDDSUM(Y7, Y8, Y10, Y11) \
	VADDPD      Y11, Y10, Y10

// LQROW2 loads the quick log's rows at the two indices at off(SP) into the
// X registers inv, hi and lo (columns at R13, 256(R13), 512(R13); R10, R11
// clobbered).
#define LQROW2(inv, hi, lo, off) \
	MOVQ    off+0(SP), R10 \
	MOVQ    off+8(SP), R11 \
	VMOVSD  (R13)(R10*8), inv \
	VMOVHPD (R13)(R11*8), inv, inv \
	VMOVSD  256(R13)(R10*8), hi \
	VMOVHPD 256(R13)(R11*8), hi, hi \
	VMOVSD  512(R13)(R10*8), lo \
	VMOVHPD 512(R13)(R11*8), lo, lo

// LOGQ4 is logQuickParts on the four lanes of x in Y0: h in Y4, l in Y8
// and r3 = r³ in Y2 (Y1–Y11 clobbered; the indices at 0(SP); the quick
// log's columns at R13; R10, R11 clobbered).
#define LOGQ4 \
	VPADDQ      kLQHalf(R8), Y0, Y1 \
	VPSRLQ      $47, Y1, Y2 \
	VPAND       kQIdx(R8), Y2, Y2 \ // i
	VMOVDQU     Y2, 0(SP) \
	VPSRLQ      $52, Y1, Y3 \
	VPOR        kShifterBits(R8), Y3, Y3 \
	VSUBPD      kShifterBias(R8), Y3, Y3 \ // e
	VPAND       kExpMask(R8), Y1, Y1 \
	VPSUBQ      Y1, Y0, Y4 \
	VPADDQ      kBias(R8), Y4, Y4 \ // m
	VPCMPGTQ    kLQFold(R8), Y2, Y5 \ // i ≥ LogQFold
	VMOVUPD     kBias(R8), Y6 \
	VBLENDVPD   Y5, kHalf(R8), Y6, Y6 \
	VMULPD      Y6, Y4, Y4 \ // m *= 0.5 (or 1)
	VANDPD      kBias(R8), Y5, Y5 \
	VADDPD      Y5, Y3, Y3 \ // e++ (or + 0)
	LQROW2(X6, X7, X8, 0) \
	LQROW2(X9, X10, X11, 16) \
	VINSERTF128 $1, X9, Y6, Y6 \
	VINSERTF128 $1, X10, Y7, Y7 \
	VINSERTF128 $1, X11, Y8, Y8 \
	VFMSUB213PD kBias(R8), Y4, Y6 \ // r
	VFMADD231PD kLn2Hi(R8), Y3, Y7 \ // a
	VFMADD231PD kLn2Lo(R8), Y3, Y8 \ // l
	VADDPD      Y6, Y7, Y3 \ // h, l1 = fastTwoSum(a, r)
	VSUBPD      Y7, Y3, Y7 \
	VSUBPD      Y7, Y6, Y7 \
	VADDPD      Y7, Y8, Y8 \ // l += l1
	VMULPD      Y6, Y6, Y2 \ // s2h
	VMOVAPD     Y2, Y7 \
	VFMSUB231PD Y6, Y6, Y7 \ // s2l
	VMULPD      kMinusHalf(R8), Y2, Y1 \
	VADDPD      Y1, Y3, Y4 \ // h, l2 = fastTwoSum(h, −0.5·s2h)
	VSUBPD      Y3, Y4, Y3 \
	VSUBPD      Y3, Y1, Y3 \
	VADDPD      Y3, Y8, Y8 \ // l += l2
	VFMADD231PD kMinusHalf(R8), Y7, Y8 \ // l = FMA(−0.5, s2l, l)
	LTAIL4(Y6, Y5) \
	VFMADD213PD kThirdHi(R8), Y6, Y5 \ // p
	VMULPD      Y6, Y2, Y2 \ // r3 = s2h·r
	VFMADD231PD Y5, Y2, Y8 // l = FMA(r3, p, l)

// func logAVX2(d, x []float64, k, inv, tab, q) int
//
// logAVX512's quick path on four lanes (Y0 x), constants read from memory
// (R8), the quick table's rows loaded one by one (R13). A group failing
// Ziv's test keeps the quick result and the mask at 32(SP) and 64(SP)
// while the accurate path runs.
TEXT ·logAVX2(SB), NOSPLIT, $96-88
	MOVQ d_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	MOVQ k+48(FP), R8
	MOVQ inv+56(FP), R12
	MOVQ tab+64(FP), R9
	MOVQ q+72(FP), R13
	XORQ AX, AX

log4:
	LEAQ      4(AX), DX
	CMPQ      DX, CX
	JGT       log4done
	VMOVUPD   (SI)(AX*8), Y0
	VCMPPD    $13, kMinNormal(R8), Y0, Y1 // x ≥ 2^-1022 (false for NaN)
	VCMPPD    $2, kMaxFloat(R8), Y0, Y2   // x ≤ MaxFloat64
	VANDPD    Y2, Y1, Y1
	VMOVMSKPD Y1, BX
	CMPQ      BX, $15
	JNE       log4done

	LOGQ4
	VADDPD      Y8, Y4, Y3               // y = h + l

	// Ziv's test: h + (l ± |h|·LogQuickErr) agree
	VANDPD    kAbs(R8), Y4, Y7
	VMULPD    kLQErr(R8), Y7, Y7
	VADDPD    Y7, Y8, Y6
	VSUBPD    Y7, Y8, Y7
	VADDPD    Y6, Y4, Y6
	VADDPD    Y7, Y4, Y7
	VCMPPD    $0, Y7, Y6, Y9
	VMOVMSKPD Y9, BX
	CMPQ      BX, $15
	JNE       log4slow
	VMOVUPD   Y3, (DI)(AX*8)
	MOVQ      DX, AX
	JMP       log4

log4slow:
	VMOVUPD   Y3, 32(SP)
	VMOVUPD   Y9, 64(SP)
	LOGACC4
	VMOVUPD   32(SP), Y9
	VMOVUPD   64(SP), Y2
	VBLENDVPD Y2, Y9, Y10, Y10 // the quick result where it passed
	VMOVUPD   Y10, (DI)(AX*8)
	MOVQ      DX, AX
	JMP       log4

log4done:
	MOVQ AX, ret+80(FP)
	VZEROUPPER
	RET

// func sinAVX2(d, x []float64, k *vmathConsts, rows *[32][4]float64, cos bool) (n, lanes int)
//
// fmath's quick sin and cos (sinQuickParts and sinQuick), four lanes at a
// time; at the first group with a lane off the path (|x| > SinQuickMax,
// NaN) or failing Ziv's test it stores the group with x kept in those
// lanes (so that the caller, which sets them by fmath, still has them when
// d is x) and returns its start and the mask of those lanes. rows[a] holds
// SinQHi[a], SinQLo[a], SinQHi[a^16], SinQLo[a^16]: a lane's four table
// values in one load, transposed across the group. AVX-512 machines run
// this form too.
TEXT ·sinAVX2(SB), NOSPLIT, $96-88
	MOVQ    d_base+0(FP), DI
	MOVQ    x_base+24(FP), SI
	MOVQ    x_len+32(FP), CX
	MOVQ    k+48(FP), R8
	MOVQ    rows+56(FP), R9
	VXORPD  Y0, Y0, Y0
	VMOVUPD Y0, 32(SP)      // added to k: 0 for sin
	VMOVUPD kSign(R8), Y1
	VMOVUPD Y1, 64(SP)      // x's sign goes to the result for sin
	MOVBQZX cos+64(FP), AX
	TESTQ   AX, AX
	JZ      sin2loop0
	VMOVUPD kCosOff(R8), Y1
	VMOVUPD Y1, 32(SP)
	VMOVUPD Y0, 64(SP)

sin2loop0:
	XORQ AX, AX

sin2loop:
	LEAQ    4(AX), DX
	CMPQ    DX, CX
	JGT     sin2done
	VMOVUPD (SI)(AX*8), Y0

	// ax (Y1) = |x|; KR (Y2) = ax ≤ SinQuickMax; z (Y3) = FMA(ax, InvPio32,
	// Shifter); kf (Y4) = z − Shifter; r0 (Y1) = FMA(−kf, Pio32A, ax); rh (Y5)
	// = FMA(−kf, Pio32B, r0); rl (Y6) = FMA(−kf, Pio32B, r0 − rh).
	VANDPD       kAbs(R8), Y0, Y1
	VCMPPD       $2, kSinMax(R8), Y1, Y2
	VMOVUPD      kShifter(R8), Y3
	VFMADD231PD  kInvPio32(R8), Y1, Y3
	VSUBPD       kShifter(R8), Y3, Y4
	VFNMADD231PD kPio32A(R8), Y4, Y1
	VMOVAPD      Y1, Y5
	VFNMADD231PD kPio32B(R8), Y4, Y5
	VSUBPD       Y5, Y1, Y6
	VFNMADD231PD kPio32B(R8), Y4, Y6

	// k += 16 for cos; SG (Y7) = bit 5 of k, xor x's sign for sin; rh, rl =
	// −rh, −rl where bit 4 of k is set.
	VPADDQ  32(SP), Y3, Y3
	VPSLLQ  $58, Y3, Y7
	VPAND   kSign(R8), Y7, Y7
	VPAND   64(SP), Y0, Y0
	VPXOR   Y0, Y7, Y7
	VPSLLQ  $59, Y3, Y0
	VPAND   kSign(R8), Y0, Y0
	VXORPD  Y0, Y5, Y5
	VXORPD  Y0, Y6, Y6
	VMOVDQU Y3, 0(SP)

	// t2h (Y8) = rh·rh, t2l (Y9) = FMA(rh, rh, −t2h); ps (Y10) = S9 … S3;
	// sinT (Y11) = FMA(rh·t2h, ps, FMA(t2h, −0.5·rl, rl)).
	VMULPD      Y5, Y5, Y8
	VMOVAPD     Y8, Y9
	VFMSUB231PD Y5, Y5, Y9
	VMOVUPD     kS7(R8), Y10
	VFMADD231PD kS9(R8), Y8, Y10
	VFMADD213PD kS5(R8), Y8, Y10
	VFMADD213PD kS3(R8), Y8, Y10
	VMULPD      kMinusHalf(R8), Y6, Y11
	VFMADD213PD Y6, Y8, Y11
	VMULPD      Y8, Y5, Y12
	VFMADD231PD Y10, Y12, Y11

	// pc (Y10) = C10 … C4; c1h (Y12) = −0.5·t2h; c1l (Y13) = FMA(t2h·t2h,
	// pc, FMA(−rh, rl, −0.5·t2l)).
	VMOVUPD      kC8(R8), Y10
	VFMADD231PD  kC10(R8), Y8, Y10
	VFMADD213PD  kC6(R8), Y8, Y10
	VFMADD213PD  kC4(R8), Y8, Y10
	VMULPD       kMinusHalf(R8), Y8, Y12
	VMULPD       kMinusHalf(R8), Y9, Y13
	VFNMADD231PD Y6, Y5, Y13
	VMULPD       Y8, Y8, Y9
	VFMADD231PD  Y10, Y9, Y13

	// The rows of k & 31, transposed: ah (Y0), bh (Y1), al (Y3), bl (Y6).
	MOVQ       0(SP), R10
	ANDQ       $31, R10
	SHLQ       $2, R10
	VMOVUPD    (R9)(R10*8), Y0
	MOVQ       8(SP), R10
	ANDQ       $31, R10
	SHLQ       $2, R10
	VMOVUPD    (R9)(R10*8), Y1
	MOVQ       16(SP), R10
	ANDQ       $31, R10
	SHLQ       $2, R10
	VMOVUPD    (R9)(R10*8), Y3
	MOVQ       24(SP), R10
	ANDQ       $31, R10
	SHLQ       $2, R10
	VMOVUPD    (R9)(R10*8), Y6
	VUNPCKLPD  Y1, Y0, Y9
	VUNPCKHPD  Y1, Y0, Y10
	VUNPCKLPD  Y6, Y3, Y14
	VUNPCKHPD  Y6, Y3, Y15
	VPERM2F128 $0x20, Y14, Y9, Y0
	VPERM2F128 $0x31, Y14, Y9, Y1
	VPERM2F128 $0x20, Y15, Y10, Y3
	VPERM2F128 $0x31, Y15, Y10, Y6

	// ph (Y9) = bh·rh, pl (Y10) = FMA(bh, rh, −ph); t1 (Y14) = FMA(bh, sinT,
	// bl·rh).
	VMULPD      Y5, Y1, Y9
	VMOVAPD     Y9, Y10
	VFMSUB231PD Y5, Y1, Y10
	VMULPD      Y5, Y6, Y14
	VFMADD231PD Y11, Y1, Y14

	// uh (Y1) = ah·c1h, ul (Y5) = FMA(ah, c1h, −uh); t2 (Y6) = FMA(ah, c1l,
	// al·c1h); h, e = fastTwoSum(ah, ph); h (Y0), e2 = fastTwoSum(h, uh); l
	// (Y10) = (e + e2) + ((((pl + ul) + al) + t1) + t2).
	VMULPD      Y12, Y0, Y1
	VMOVAPD     Y1, Y5
	VFMSUB231PD Y12, Y0, Y5
	VMULPD      Y12, Y3, Y6
	VFMADD231PD Y13, Y0, Y6
	VADDPD      Y9, Y0, Y11
	VSUBPD      Y0, Y11, Y15
	VSUBPD      Y15, Y9, Y15
	VADDPD      Y1, Y11, Y0
	VSUBPD      Y11, Y0, Y11
	VSUBPD      Y11, Y1, Y11
	VADDPD      Y11, Y15, Y15
	VADDPD      Y5, Y10, Y10
	VADDPD      Y3, Y10, Y10
	VADDPD      Y14, Y10, Y10
	VADDPD      Y6, Y10, Y10
	VADDPD      Y10, Y15, Y10

	// err (Y1) = FMA(|ph|·t2h, SinQuickErrR, FMA(kf, SinQuickErrK,
	// |h|·SinQuickErr)); KR &= h + (l + err) == h + (l − err); y = (h + l) ^
	// SG.
	VANDPD      kAbs(R8), Y0, Y1
	VMULPD      kSQErr(R8), Y1, Y1
	VFMADD231PD kSQErrK(R8), Y4, Y1
	VANDPD      kAbs(R8), Y9, Y3
	VMULPD      Y8, Y3, Y3
	VFMADD231PD kSQErrR(R8), Y3, Y1
	VADDPD      Y1, Y10, Y3
	VSUBPD      Y1, Y10, Y1
	VADDPD      Y3, Y0, Y3
	VADDPD      Y1, Y0, Y1
	VCMPPD      $0, Y1, Y3, Y3
	VANDPD      Y3, Y2, Y2
	VADDPD      Y10, Y0, Y0
	VXORPD      Y7, Y0, Y0
	VMOVMSKPD   Y2, R11
	CMPQ        R11, $15
	JNE         sin2lanes
	VMOVUPD     Y0, (DI)(AX*8)
	MOVQ        DX, AX
	JMP         sin2loop

sin2lanes:
	VMOVUPD   (SI)(AX*8), Y1
	VBLENDVPD Y2, Y0, Y1, Y0
	VMOVUPD   Y0, (DI)(AX*8)
	XORQ      $15, R11
	MOVQ AX, n+72(FP)
	MOVQ R11, lanes+80(FP)
	VZEROUPPER
	RET

sin2done:
	MOVQ AX, n+72(FP)
	MOVQ $0, lanes+80(FP)
	VZEROUPPER
	RET

// func tanhAVX2(d, x []float64, k *vmathConsts, qhi, qlo *[32]float64) (n, lanes int)
//
// fmath's quick tanh (tanhQuickParts and tanhQuick), four lanes at a time,
// with sinAVX2's contract: at the first group with a lane off the path
// (|x| > TanhQuickMax, NaN) or failing Ziv's test it stores the group with
// x kept in those lanes and returns its start and their mask. The quick
// exp's table rows are loaded one by one (QROWS4). AVX-512 machines run
// this form too.
TEXT ·tanhAVX2(SB), NOSPLIT, $32-88
	MOVQ d_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	MOVQ k+48(FP), R8
	MOVQ qhi+56(FP), R12
	MOVQ qlo+64(FP), R13
	XORQ AX, AX

tanh2loop:
	LEAQ    4(AX), DX
	CMPQ    DX, CX
	JGT     tanh2done
	VMOVUPD (SI)(AX*8), Y0

	// a = |x| (Y1), KR (Y2) = a ≤ TanhQuickMax; x2 = 2a; z (Y3) = FMA(x2,
	// InvLn2Q, Shifter), kf (Y4), r0 (Y5), rh (Y6), rl (Y7) as in expQuick.
	VANDPD       kAbs(R8), Y0, Y1
	VCMPPD       $2, kTanhMax(R8), Y1, Y2
	VADDPD       Y1, Y1, Y1
	VMOVUPD      kShifter(R8), Y3
	VFMADD231PD  kInvLn2Q(R8), Y1, Y3
	VSUBPD       kShifter(R8), Y3, Y4
	VMOVAPD      Y1, Y5
	VFNMADD231PD kLn2QHi(R8), Y4, Y5
	VMOVAPD      Y5, Y6
	VFNMADD231PD kLn2QLo(R8), Y4, Y6
	VSUBPD       Y6, Y5, Y7
	VFNMADD231PD kLn2QLo(R8), Y4, Y7

	// th (Y9), tl (Y10) = the rows k & 31; s (Y12) = 2^-n: 1.0's bits less
	// n << 52.
	VPAND   kQIdx(R8), Y3, Y8
	VMOVDQU Y8, 0(SP)
	QROWS4(Y9, X9, Y10, X10, X11, X12)
	VPSLLQ  $47, Y3, Y11
	VPAND   kQExp(R8), Y11, Y11
	VMOVUPD kBias(R8), Y12
	VPSUBQ  Y11, Y12, Y12

	// p (Y1) = E7 … E2 at rh; q (Y13) = rh·rh·p; t (Y14) = q + FMA(rl, rh, rl).
	VMOVUPD     kE6(R8), Y1
	VFMADD231PD kE7(R8), Y6, Y1
	VFMADD213PD kE5(R8), Y6, Y1
	VFMADD213PD kE4(R8), Y6, Y1
	VFMADD213PD kE3(R8), Y6, Y1
	VFMADD213PD kE2(R8), Y6, Y1
	VMULPD      Y6, Y6, Y13
	VMULPD      Y1, Y13, Y13
	VMOVAPD     Y7, Y14
	VFMADD213PD Y7, Y6, Y14
	VADDPD      Y14, Y13, Y14

	// ph (Y1), pl (Y3) = twoProd(th, rh); h (Y5), e (Y7) = fastTwoSum(th − s,
	// ph); e += pl + FMA(th, t, FMA(tl, rh, tl)); h (Y8), l (Y11) =
	// fastTwoSum(h, e).
	VMULPD      Y6, Y9, Y1
	VMOVAPD     Y1, Y3
	VFMSUB231PD Y6, Y9, Y3
	VSUBPD      Y12, Y9, Y4
	VADDPD      Y1, Y4, Y5
	VSUBPD      Y4, Y5, Y7
	VSUBPD      Y7, Y1, Y7
	VMOVAPD     Y10, Y8
	VFMADD213PD Y10, Y6, Y8
	VFMADD231PD Y14, Y9, Y8
	VADDPD      Y8, Y3, Y3
	VADDPD      Y3, Y7, Y7
	VADDPD      Y7, Y5, Y8
	VSUBPD      Y5, Y8, Y11
	VSUBPD      Y11, Y7, Y11

	// dh (Y1), de = twoSum(h, 2s); dl (Y4) = de + l.
	VADDPD Y12, Y12, Y12
	VADDPD Y12, Y8, Y1
	VSUBPD Y8, Y1, Y3
	VSUBPD Y3, Y1, Y4
	VSUBPD Y4, Y8, Y4
	VSUBPD Y3, Y12, Y5
	VADDPD Y5, Y4, Y4
	VADDPD Y11, Y4, Y4

	// yh (Y5) = h/dh; rem = FMA(−yh, dh, h); yl (Y6) = ((rem + l) −
	// yh·dl)/dh.
	VDIVPD       Y1, Y8, Y5
	VMOVAPD      Y8, Y6
	VFNMADD231PD Y1, Y5, Y6
	VADDPD       Y11, Y6, Y6
	VMULPD       Y4, Y5, Y7
	VSUBPD       Y7, Y6, Y6
	VDIVPD       Y1, Y6, Y6

	// err (Y7) = FMA(q, TanhQuickErrQ, |yh|·TanhQuickErr); KR &= yh + (yl +
	// err) == yh + (yl − err); y = Copysign(yh + yl, x).
	VANDPD      kAbs(R8), Y5, Y7
	VMULPD      kTQErr(R8), Y7, Y7
	VFMADD231PD kTQErrQ(R8), Y13, Y7
	VADDPD      Y7, Y6, Y9
	VSUBPD      Y7, Y6, Y10
	VADDPD      Y9, Y5, Y9
	VADDPD      Y10, Y5, Y10
	VCMPPD      $0, Y10, Y9, Y9
	VANDPD      Y9, Y2, Y2
	VADDPD      Y6, Y5, Y5
	VANDPD      kAbs(R8), Y5, Y5
	VANDPD      kSign(R8), Y0, Y3
	VORPD       Y3, Y5, Y5
	VMOVMSKPD   Y2, R11
	CMPQ        R11, $15
	JNE         tanh2lanes
	VMOVUPD     Y5, (DI)(AX*8)
	MOVQ        DX, AX
	JMP         tanh2loop

tanh2lanes:
	VBLENDVPD Y2, Y5, Y0, Y5
	VMOVUPD   Y5, (DI)(AX*8)
	XORQ      $15, R11
	MOVQ      AX, n+72(FP)
	MOVQ      R11, lanes+80(FP)
	VZEROUPPER
	RET

tanh2done:
	MOVQ AX, n+72(FP)
	MOVQ $0, lanes+80(FP)
	VZEROUPPER
	RET

// func powAVX2(d, x []float64, y *float64, ystep int, k *vmathConsts, q *[3][32]float64, qhi, qlo *[32]float64) (n, lanes int)
//
// fmath's quick pow (powQuickParts and powQuick), four lanes at a time:
// the quick log (LOGQ4), its normalized h + l times y in double-double, and
// the quick exp of that, with sinAVX2's contract except that a group with
// lanes off the path (x not normal and positive, |y·log x| > ExpQuickMax,
// y not finite) or failing Ziv's test is stored only in its other lanes
// (VMASKMOVPD), since d may be x or y. y advances by ystep bytes a group:
// 32, or 0 for four copies of one exponent. AVX-512 machines run this form
// too.
TEXT ·powAVX2(SB), NOSPLIT, $96-112
	MOVQ d_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	MOVQ y+48(FP), R14
	MOVQ ystep+56(FP), R9
	MOVQ k+64(FP), R8
	MOVQ qhi+80(FP), R12
	XORQ AX, AX

pow2loop:
	LEAQ    4(AX), DX
	CMPQ    DX, CX
	JGT     pow2done
	VMOVUPD (SI)(AX*8), Y0
	VMOVUPD (R14), Y1
	VMOVUPD Y1, 32(SP)

	// KP (64(SP)) = x normal and positive (false for NaN); h, l, r3 =
	// logQuickParts(x).
	VCMPPD  $13, kMinNormal(R8), Y0, Y2
	VCMPPD  $2, kMaxFloat(R8), Y0, Y3
	VANDPD  Y3, Y2, Y2
	VMOVUPD Y2, 64(SP)
	MOVQ    q+72(FP), R13
	LOGQ4

	// lh (Y5), ll (Y6) = fastTwoSum(h, l); zh (Y7) = y·lh; zl (Y3) =
	// FMA(y, lh, −zh) + y·ll.
	VADDPD      Y8, Y4, Y5
	VSUBPD      Y4, Y5, Y6
	VSUBPD      Y6, Y8, Y6
	VMOVUPD     32(SP), Y1
	VMULPD      Y5, Y1, Y7
	VMOVAPD     Y7, Y3
	VFMSUB231PD Y5, Y1, Y3
	VMULPD      Y6, Y1, Y6
	VADDPD      Y6, Y3, Y3

	// err (Y6) = FMA(|zh|, PowQuickErrZ, FMA(|y·r3|, PowQuickErrR,
	// ExpQuickErr)); KP &= |zh| ≤ ExpQuickMax (false for NaN).
	VMULPD      Y2, Y1, Y2
	VANDPD      kAbs(R8), Y2, Y2
	VMOVUPD     kQErr(R8), Y6
	VFMADD231PD kPQErrR(R8), Y2, Y6
	VANDPD      kAbs(R8), Y7, Y2
	VFMADD231PD kPQErrZ(R8), Y2, Y6
	VCMPPD      $2, kExpFast(R8), Y2, Y2
	VANDPD      64(SP), Y2, Y2
	VMOVUPD     Y2, 64(SP)

	// expQuickReduce(zh): z (Y1), kf (Y2), r0 (Y4), rh (Y5), rl (Y0); rh
	// (Y4), e (Y2) = twoSum(rh, zl); rl += e.
	VMOVUPD      kShifter(R8), Y1
	VFMADD231PD  kInvLn2Q(R8), Y7, Y1
	VSUBPD       kShifter(R8), Y1, Y2
	VMOVAPD      Y7, Y4
	VFNMADD231PD kLn2QHi(R8), Y2, Y4
	VMOVAPD      Y4, Y5
	VFNMADD231PD kLn2QLo(R8), Y2, Y5
	VSUBPD       Y5, Y4, Y0
	VFNMADD231PD kLn2QLo(R8), Y2, Y0
	DDSUM(Y5, Y3, Y4, Y2, Y7)
	VADDPD       Y2, Y0, Y0
	VMOVAPD      Y4, Y5

	// h (Y15), l (Y1) = expSeries(th, tl, rh, rl) at the rows k & 31;
	// n << 52 in Y10.
	VPAND   kQIdx(R8), Y1, Y7
	VMOVDQU Y7, 0(SP)
	MOVQ    qlo+88(FP), R13
	QROWS4(Y8, X8, Y9, X9, X7, X3)
	VPSLLQ  $47, Y1, Y10
	VPAND   kQExp(R8), Y10, Y10
	EXPT4(Y5, Y0, Y11, Y12, Y13)
	EXPHL4(Y5, Y8, Y9, Y12, Y13, Y14, Y15, Y1, Y2)

	// Ziv's test: h + (l ± err) agree; y = (h + l)·2^n.
	VADDPD     Y1, Y15, Y9
	VADDPD     Y6, Y1, Y2
	VSUBPD     Y6, Y1, Y3
	VADDPD     Y2, Y15, Y2
	VADDPD     Y3, Y15, Y3
	VCMPPD     $0, Y3, Y2, Y2
	VPADDQ     Y10, Y9, Y9
	VANDPD     64(SP), Y2, Y2
	VMOVMSKPD  Y2, BX
	CMPQ       BX, $15
	JNE        pow2lanes
	VMOVUPD    Y9, (DI)(AX*8)
	ADDQ       R9, R14
	MOVQ       DX, AX
	JMP        pow2loop

pow2lanes:
	VMASKMOVPD Y9, Y2, (DI)(AX*8)
	XORQ       $15, BX
	MOVQ       AX, n+96(FP)
	MOVQ       BX, lanes+104(FP)
	VZEROUPPER
	RET

pow2done:
	MOVQ AX, n+96(FP)
	MOVQ $0, lanes+104(FP)
	VZEROUPPER
	RET

// func logScaledAVX2(d, x []float64, k *vmathConsts, q *[3][32]float64, ch, cl *[4]uint64) (n, lanes int)
//
// fmath's quick Log2 and Log10 (logQuickScaled with c = ch + cl, 1/ln2 or
// 1/ln10), four lanes at a time, with powAVX2's contract: at the first
// group with a lane off the path (x not normal and positive) or failing
// Ziv's test it writes the group's other lanes (VMASKMOVPD) and returns
// its start and the mask of those lanes. AVX-512 machines run this form
// too.
TEXT ·logScaledAVX2(SB), NOSPLIT, $32-96
	MOVQ d_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	MOVQ k+48(FP), R8
	MOVQ q+56(FP), R13
	MOVQ ch+64(FP), R9
	MOVQ cl+72(FP), R12
	XORQ AX, AX

ls2loop:
	LEAQ    4(AX), DX
	CMPQ    DX, CX
	JGT     ls2done
	VMOVUPD (SI)(AX*8), Y0

	// KP (Y12) = x normal and positive (false for NaN); h, l =
	// logQuickParts(x).
	VCMPPD $13, kMinNormal(R8), Y0, Y12
	VCMPPD $2, kMaxFloat(R8), Y0, Y13
	VANDPD Y13, Y12, Y12
	LOGQ4

	// h (Y5), l (Y6) = fastTwoSum(h, l); ph (Y2), pl (Y3) = mulDD(h, l,
	// ch, cl): twoProd(h, ch), pl += FMA(h, cl, l·ch).
	VADDPD      Y8, Y4, Y5
	VSUBPD      Y4, Y5, Y6
	VSUBPD      Y6, Y8, Y6
	VMOVUPD     (R9), Y1
	VMULPD      Y1, Y5, Y2
	VMOVAPD     Y2, Y3
	VFMSUB231PD Y1, Y5, Y3
	VMULPD      Y1, Y6, Y7
	VFMADD231PD (R12), Y5, Y7
	VADDPD      Y7, Y3, Y3

	// Ziv's test: ph + (pl ± |ph|·LogQuickErr) agree; y = ph + pl.
	VANDPD    kAbs(R8), Y2, Y7
	VMULPD    kLQErr(R8), Y7, Y7
	VADDPD    Y7, Y3, Y9
	VSUBPD    Y7, Y3, Y10
	VADDPD    Y9, Y2, Y9
	VADDPD    Y10, Y2, Y10
	VCMPPD    $0, Y10, Y9, Y9
	VANDPD    Y9, Y12, Y12
	VADDPD    Y3, Y2, Y2
	VMOVMSKPD Y12, BX
	CMPQ      BX, $15
	JNE       ls2lanes
	VMOVUPD   Y2, (DI)(AX*8)
	MOVQ      DX, AX
	JMP       ls2loop

ls2lanes:
	VMASKMOVPD Y2, Y12, (DI)(AX*8)
	XORQ       $15, BX
	MOVQ       AX, n+80(FP)
	MOVQ       BX, lanes+88(FP)
	VZEROUPPER
	RET

ls2done:
	MOVQ AX, n+80(FP)
	MOVQ $0, lanes+88(FP)
	VZEROUPPER
	RET
