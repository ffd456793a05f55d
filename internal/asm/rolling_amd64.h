// Macros shared by the rolling-window kernels (rollsum_amd64.s,
// rollvar_amd64.s). Lanes are window blocks w elements apart:
// R9 = w·8, R11 = 3w·8, R14 = 4w·8 (eight lanes only); R15 is clobbered.
// The arithmetic macros need Y14/Z14 = 1.0 (x·1 + y is x + y rounded
// once, computed on the FMA pipes) and clobber Y8–Y11/Z8–Z11.

// LANES4 loads x[k·w] at base R10, k = 0..3, into Y(dst) (X1 clobbered).
#define LANES4(ydst, xdst) \
	VMOVSD (R10), xdst \
	VMOVHPD (R10)(R9*1), xdst, xdst \
	VMOVSD (R10)(R9*2), X1 \
	VMOVHPD (R10)(R11*1), X1, X1 \
	VINSERTF128 $1, X1, ydst, ydst

// LANES8 loads x[k·w] at base R10, k = 0..7, into Z(dst) (X1–X3 clobbered).
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

// STORE4 writes the lanes of Y(src) to out[k·w] at base R13 (X1 clobbered).
#define STORE4(ysrc, xsrc) \
	VMOVSD xsrc, (R13) \
	VMOVHPD xsrc, (R13)(R9*1) \
	VEXTRACTF128 $1, ysrc, X1 \
	VMOVSD X1, (R13)(R9*2) \
	VMOVHPD X1, (R13)(R11*1)

// STORE8 writes the lanes of Z(src) to out[k·w] at base R13 (Y1–Y3, R15).
#define STORE8(src, ysrc, xsrc) \
	LEAQ (R13)(R14*1), R15 \
	VEXTRACTF64X4 $1, src, Y2 \
	VMOVSD xsrc, (R13) \
	VMOVHPD xsrc, (R13)(R9*1) \
	VEXTRACTF128 $1, ysrc, X1 \
	VMOVSD X1, (R13)(R9*2) \
	VMOVHPD X1, (R13)(R11*1) \
	VMOVSD X2, (R15) \
	VMOVHPD X2, (R15)(R9*1) \
	VEXTRACTF128 $1, Y2, X3 \
	VMOVSD X3, (R15)(R9*2) \
	VMOVHPD X3, (R15)(R11*1)

// TWOSUM adds v into the compensated sum (s, c):
// t = s + v; z = t − s; c += (s − (t − z)) + (v − z); s = t.
// T, Z, A, B are scratch registers; ONE holds 1.0.
#define TWOSUM(s, c, v, T, Z, A, B, ONE) \
	VADDPD v, s, T \
	VSUBPD s, T, Z \
	VMOVAPD T, A \
	VFNMADD231PD ONE, Z, A \
	VSUBPD A, s, A \
	VMOVAPD v, B \
	VFNMADD231PD ONE, Z, B \
	VFMADD231PD ONE, B, A \
	VADDPD A, c, c \
	VMOVAPD T, s

// JOIN sums the compensated sums a = (as, ac at off+width(R12)) from
// memory at off(R12) and b = (bs, bc) into out, rounded once:
// t = as + bs; z = t − as; e = (as − (t − z)) + (bs − z);
// out = t + (e + (ac + bc)). S is a scratch register for as.
#define JOIN(off, coff, bs, bc, out, S, T, Z, A, B, ONE) \
	VMOVUPD off(R12), S \
	VADDPD bs, S, T \
	VSUBPD S, T, Z \
	VMOVAPD T, A \
	VFNMADD231PD ONE, Z, A \
	VSUBPD A, S, A \
	VMOVAPD bs, B \
	VFNMADD231PD ONE, Z, B \
	VFMADD231PD ONE, B, A \
	VADDPD coff(R12), bc, B \
	VFMADD231PD ONE, B, A \
	VADDPD A, T, out

// FINITE8 zeroes the missing (NaN, ±Inf) lanes of Z0 and sets Z4 to 1.0 in
// the others, 0 in those (Z15 = 0, Z14 = 1.0; K1 clobbered): FINITE4's
// bits on eight lanes.
#define FINITE8 \
	VSUBPD Z0, Z0, Z2 \
	VCMPPD $0, Z15, Z2, K1 \
	VMOVAPD.Z Z0, K1, Z0 \
	VMOVAPD.Z Z14, K1, Z4

// SQUARE splits y² (y in Z1) exactly: Z2 = p = y·y rounded, Z3 = pe = y·y − p.
#define SQUARE \
	VMULPD Z1, Z1, Z2 \
	VMOVAPD Z2, Z3 \
	VFMSUB231PD Z1, Z1, Z3

// SUMSTEP8 adds the values of Z0 to the masked sum state (s, c, n) = (Z5,
// Z6, Z7): missing values add 0 and count 0 (Z2, Z4, Z8–Z11, K1 clobbered).
#define SUMSTEP8 \
	FINITE8 \
	TWOSUM(Z5, Z6, Z0, Z8, Z9, Z10, Z11, Z14) \
	VADDPD Z4, Z7, Z7

// VARSTEP8 adds y = Z0 − K (K in Z12) to the variance state: Σy in (Z5,
// Z6), Σy² in (Z7, Z18), y² split exactly (Z1–Z3, Z8–Z11 clobbered).
#define VARSTEP8 \
	VSUBPD Z12, Z0, Z1 \
	TWOSUM(Z5, Z6, Z1, Z8, Z9, Z10, Z11, Z14) \
	SQUARE \
	TWOSUM(Z7, Z18, Z2, Z8, Z9, Z10, Z11, Z14) \
	VADDPD Z3, Z18, Z18

// VARM2 joins the suffix (at R12: Σy at 0/64, Σy² at 128/192) and prefix
// states into Z4 = Σy, Z8 = m2 = Σy² − Σy·(Σy / cnt), cnt in Z13 (Z0,
// Z9–Z11 clobbered).
#define VARM2 \
	JOIN(0, 64, Z5, Z6, Z4, Z0, Z8, Z9, Z10, Z11, Z14) \
	JOIN(128, 192, Z7, Z18, Z8, Z0, Z8, Z9, Z10, Z11, Z14) \
	VDIVPD Z13, Z4, Z9 \
	VMULPD Z9, Z4, Z9 \
	VSUBPD Z9, Z8, Z8

// Chunks of eight steps: rather than LANES8 and STORE8 per step (eight
// scalar loads or stores and their inserts), eight vector loads of each
// lane's next eight values, one 8×8 transpose, and back.

// LOADROWS loads the eight values at base R10 of each lane (lane k at R10 +
// k·w·8) into Z16 (lane 0) .. Z23 (lane 7); R15 is clobbered.
#define LOADROWS \
	LEAQ (R10)(R14*1), R15 \
	VMOVUPD (R10), Z16 \
	VMOVUPD (R10)(R9*1), Z17 \
	VMOVUPD (R10)(R9*2), Z18 \
	VMOVUPD (R10)(R11*1), Z19 \
	VMOVUPD (R15), Z20 \
	VMOVUPD (R15)(R9*1), Z21 \
	VMOVUPD (R15)(R9*2), Z22 \
	VMOVUPD (R15)(R11*1), Z23

// TRANSPOSE8 transposes the 8×8 matrix whose rows are Z16 .. Z23: row j of
// the result (element k = row k's element j) goes to T0 .. T7, which are
// Z20, Z22, Z26, Z30, Z21, Z23, Z27, Z31 (Z16–Z31 clobbered). IA and IB
// hold the qword indexes transA and transB. Unpacks pair the rows' even and
// odd elements, VPERMT2PD gathers 128-bit pairs of four rows, VSHUFF64X2
// joins 256-bit halves of all eight.
#define TRANSPOSE8(IA, IB) \
	VUNPCKLPD Z17, Z16, Z24 \
	VUNPCKHPD Z17, Z16, Z25 \
	VUNPCKLPD Z19, Z18, Z26 \
	VUNPCKHPD Z19, Z18, Z27 \
	VUNPCKLPD Z21, Z20, Z28 \
	VUNPCKHPD Z21, Z20, Z29 \
	VUNPCKLPD Z23, Z22, Z30 \
	VUNPCKHPD Z23, Z22, Z31 \
	VMOVAPD Z24, Z16 \
	VPERMT2PD Z26, IA, Z16 \
	VPERMT2PD Z26, IB, Z24 \
	VMOVAPD Z25, Z17 \
	VPERMT2PD Z27, IA, Z17 \
	VPERMT2PD Z27, IB, Z25 \
	VMOVAPD Z28, Z18 \
	VPERMT2PD Z30, IA, Z18 \
	VPERMT2PD Z30, IB, Z28 \
	VMOVAPD Z29, Z19 \
	VPERMT2PD Z31, IA, Z19 \
	VPERMT2PD Z31, IB, Z29 \
	VSHUFF64X2 $0x44, Z18, Z16, Z20 \
	VSHUFF64X2 $0xee, Z18, Z16, Z21 \
	VSHUFF64X2 $0x44, Z19, Z17, Z22 \
	VSHUFF64X2 $0xee, Z19, Z17, Z23 \
	VSHUFF64X2 $0x44, Z28, Z24, Z26 \
	VSHUFF64X2 $0xee, Z28, Z24, Z27 \
	VSHUFF64X2 $0x44, Z29, Z25, Z30 \
	VSHUFF64X2 $0xee, Z29, Z25, Z31

// STOREROWS writes TRANSPOSE8's results as rows: lane k's eight values
// (T_k) at R13 + k·w·8; R15 is clobbered. STOREROWSBY stores with the
// instruction MOV (VMOVNTPD: streaming stores, rows 64-byte aligned).
#define STOREROWSBY(MOV) \
	LEAQ (R13)(R14*1), R15 \
	MOV Z20, (R13) \
	MOV Z22, (R13)(R9*1) \
	MOV Z26, (R13)(R9*2) \
	MOV Z30, (R13)(R11*1) \
	MOV Z21, (R15) \
	MOV Z23, (R15)(R9*1) \
	MOV Z27, (R15)(R9*2) \
	MOV Z31, (R15)(R11*1)

#define STOREROWS STOREROWSBY(VMOVUPD)

// LOADTRANS loads TRANSPOSE8's indexes (·rollTrans, in rollext_amd64.s)
// into IA and IB.
#define LOADTRANS(IA, IB) \
	VMOVDQU64 ·rollTrans+0(SB), IA \
	VMOVDQU64 ·rollTrans+64(SB), IB

// MAXZ4 sets a = max(a, b) as Go's builtin max on values without NaN (the
// extremum kernels on AVX2, which have no VRANGEPD): VMAXPD returns its
// second source on a tie, so the two orders differ only for +0 against
// −0, and their AND is then +0 (Y2, Y3 clobbered).
#define MAXZ4(a, b) \
	VMAXPD b, a, Y2 \
	VMAXPD a, b, Y3 \
	VANDPD Y2, Y3, a
