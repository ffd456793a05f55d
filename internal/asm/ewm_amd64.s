//go:build !noasm

#include "textflag.h"
#include "rolling_amd64.h"

// Hand-written: EWMRun's two passes (ewm.go), the lanes side by side in a
// vector: lane l's values are rows EWMSteps·8 bytes apart, loaded and
// stored eight steps at a time through TRANSPOSE8.

// LOCALSTEP advances the lanes' sums by the step in X: acc = FMA(r0, acc,
// u0·x) (r0 in Z12, u0 in Z13, acc in Z11), stored at DI.
#define LOCALSTEP(X) \
	VMULPD Z13, X, X \
	VFMADD213PD X, Z12, Z11 \
	VMOVUPD Z11, (DI) \
	ADDQ $64, DI

// func ewmLocalAVX512(x *float64, t *[EWMLen]float64, r0, u0 float64)
TEXT ·ewmLocalAVX512(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), R10
	MOVQ t+8(FP), DI
	VBROADCASTSD r0+16(FP), Z12
	VBROADCASTSD u0+24(FP), Z13
	VXORPD Z11, Z11, Z11
	LOADTRANS(Z14, Z15)
	MOVQ $512, R9                  // a lane's row: EWMSteps values
	MOVQ $1536, R11
	MOVQ $2048, R14
	MOVQ $8, CX

elocal:
	LOADROWS                       // the lanes' next eight values
	TRANSPOSE8(Z14, Z15)           // step by step
	LOCALSTEP(Z20)
	LOCALSTEP(Z22)
	LOCALSTEP(Z26)
	LOCALSTEP(Z30)
	LOCALSTEP(Z21)
	LOCALSTEP(Z23)
	LOCALSTEP(Z27)
	LOCALSTEP(Z31)
	ADDQ $64, R10
	DECQ CX
	JNZ elocal
	VZEROUPPER
	RET

// FIXSTEP sets Q to the lanes' means at step k: FMA(P[k], S, t[k]) /
// FMA(P[k], W, V[k]) (S in Z9, W in Z10; R8 at P[k], BX at V[k], SI at
// t[k]), and moves on a step.
#define FIXSTEP(Q) \
	VBROADCASTSD (R8), Z0 \
	VMOVUPD (SI), Q \
	VFMADD231PD Z9, Z0, Q \
	VBROADCASTSD (BX), Z1 \
	VFMADD231PD Z10, Z0, Z1 \
	VDIVPD Z1, Q, Q \
	ADDQ $8, R8 \
	ADDQ $8, BX \
	ADDQ $64, SI

// func ewmFixAVX512(t *[EWMLen]float64, d *float64, tab *EWMTable, sc, wc *[EWMLanes]float64, nt bool)
// With nt, d is 64-byte aligned and written with streaming stores.
TEXT ·ewmFixAVX512(SB), NOSPLIT, $0-41
	MOVQ t+0(FP), SI
	MOVQ d+8(FP), R13
	MOVQ tab+16(FP), R8
	LEAQ 528(R8), BX               // &tab.V[0]
	ADDQ $16, R8                   // &tab.P[0]
	MOVQ sc+24(FP), AX
	VMOVUPD (AX), Z9
	MOVQ wc+32(FP), AX
	VMOVUPD (AX), Z10
	LOADTRANS(Z14, Z15)
	MOVQ $512, R9
	MOVQ $1536, R11
	MOVQ $2048, R14
	MOVQ $8, CX

efix:
	FIXSTEP(Z16)
	FIXSTEP(Z17)
	FIXSTEP(Z18)
	FIXSTEP(Z19)
	FIXSTEP(Z20)
	FIXSTEP(Z21)
	FIXSTEP(Z22)
	FIXSTEP(Z23)
	TRANSPOSE8(Z14, Z15)           // back to the lanes' rows
	CMPB nt+40(FP), $0
	JNE efixnt
	STOREROWS
	JMP efixnext

efixnt:
	STOREROWSBY(VMOVNTPD)

efixnext:
	ADDQ $64, R13
	DECQ CX
	JNZ efix
	CMPB nt+40(FP), $0
	JEQ efixdone
	SFENCE

efixdone:
	VZEROUPPER
	RET
