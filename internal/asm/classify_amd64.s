//go:build !noasm

#include "textflag.h"

// Hand-written (not generated): the sample sort's classifier. Its Go twin
// is classifyGo in classify.go. Splitters' layout: top at 0 (16 keys), rows
// at 128 (272 keys).

// CLASSIFY finds the bucket of the key in lane idx of Z1 (idx holds that
// lane number in every lane): the top keys below it
// (Z16, Z17) name its row, the row's keys below it its place in the row;
// the bucket goes to ids[R10+lane] and is counted in hist (R9). AX, BX, DX,
// K2–K4, Z2 clobbered.
#define CLASSIFY(idx, lane) \
	VPERMQ       Z1, idx, Z2 \
	VPCMPUQ      $6, Z16, Z2, K2 \
	VPCMPUQ      $6, Z17, Z2, K3 \
	KUNPCKBW     K2, K3, K4 \
	KMOVW        K4, AX \
	POPCNTL      AX, AX \
	MOVQ         AX, BX \
	SHLQ         $7, BX \
	VPCMPUQ      $6, (R8)(BX*1), Z2, K2 \
	VPCMPUQ      $6, 64(R8)(BX*1), Z2, K3 \
	KUNPCKBW     K2, K3, K4 \
	KMOVW        K4, DX \
	POPCNTL      DX, DX \
	SHLQ         $4, AX \
	ADDQ         DX, AX \
	MOVW         AX, lane(DI)(R10*2) \
	INCQ         (R9)(AX*8)

// func classifyAVX512(x []float64, ids []uint16, hist []int, sp *Splitters)
// len(x) is a multiple of 8.
TEXT ·classifyAVX512(SB), NOSPLIT, $0-80
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ ids_base+24(FP), DI
	MOVQ hist_base+48(FP), R9
	MOVQ sp+72(FP), R8
	VMOVDQU64 (R8), Z16
	VMOVDQU64 64(R8), Z17
	ADDQ $128, R8
	MOVQ $0x8000000000000000, AX
	VPBROADCASTQ AX, Z18
	VPTERNLOGQ $0xff, Z19, Z19, Z19 // every NaN's key: all ones
	XORQ R10, R10

	// Z20–Z27: lane numbers 0–7 in every lane, CLASSIFY's lane pickers.
	VPXORQ Z20, Z20, Z20
	MOVQ $1, AX
	VPBROADCASTQ AX, Z21
	MOVQ $2, AX
	VPBROADCASTQ AX, Z22
	MOVQ $3, AX
	VPBROADCASTQ AX, Z23
	MOVQ $4, AX
	VPBROADCASTQ AX, Z24
	MOVQ $5, AX
	VPBROADCASTQ AX, Z25
	MOVQ $6, AX
	VPBROADCASTQ AX, Z26
	MOVQ $7, AX
	VPBROADCASTQ AX, Z27

loop:
	CMPQ R10, CX
	JAE  done
	// Keys: the bits with the magnitude flipped for negatives and the sign
	// flipped for all, so unsigned order is total order; NaNs all ones.
	VMOVUPD   (SI)(R10*8), Z0
	VPSRAQ    $63, Z0, Z1
	VPORQ     Z18, Z1, Z1
	VPXORQ    Z0, Z1, Z1
	VCMPPD    $3, Z0, Z0, K1
	VMOVDQA64 Z19, K1, Z1
	CLASSIFY(Z20, 0)
	CLASSIFY(Z21, 2)
	CLASSIFY(Z22, 4)
	CLASSIFY(Z23, 6)
	CLASSIFY(Z24, 8)
	CLASSIFY(Z25, 10)
	CLASSIFY(Z26, 12)
	CLASSIFY(Z27, 14)
	ADDQ $8, R10
	JMP  loop

done:
	VZEROUPPER
	RET
