//go:build !noasm

#include "textflag.h"

// Hand-written: CountLess2's AVX-512 kernel.

// func countLess2AVX512(a []int64, x, y int64) (cx, cy int)
// The counts gather in the qword lanes of Z3 and Z4 (a masked add of 1 per
// key below), summed across lanes at the end.
TEXT ·countLess2AVX512(SB), NOSPLIT, $0-56
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	VPBROADCASTQ x+24(FP), Z1
	VPBROADCASTQ y+32(FP), Z2
	MOVQ $1, AX
	VPBROADCASTQ AX, Z5
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4

cl16:
	CMPQ CX, $16
	JB cl8
	VMOVDQU64 (SI), Z0
	VMOVDQU64 64(SI), Z6
	VPCMPQ $1, Z1, Z0, K1          // a[i] < x
	VPCMPQ $1, Z2, Z0, K2          // a[i] < y
	VPCMPQ $1, Z1, Z6, K3
	VPCMPQ $1, Z2, Z6, K4
	VPADDQ Z5, Z3, K1, Z3
	VPADDQ Z5, Z4, K2, Z4
	VPADDQ Z5, Z3, K3, Z3
	VPADDQ Z5, Z4, K4, Z4
	ADDQ $128, SI
	SUBQ $16, CX
	JMP cl16

cl8:
	CMPQ CX, $8
	JB cltail
	VMOVDQU64 (SI), Z0
	VPCMPQ $1, Z1, Z0, K1
	VPCMPQ $1, Z2, Z0, K2
	VPADDQ Z5, Z3, K1, Z3
	VPADDQ Z5, Z4, K2, Z4
	ADDQ $64, SI
	SUBQ $8, CX

cltail:
	TESTQ CX, CX
	JZ clsum
	MOVL $1, DX
	SHLL CX, DX
	DECL DX
	KMOVB DX, K5                   // the last len%8 keys
	VMOVDQU64.Z (SI), K5, Z0
	VPCMPQ $1, Z1, Z0, K5, K1
	VPCMPQ $1, Z2, Z0, K5, K2
	VPADDQ Z5, Z3, K1, Z3
	VPADDQ Z5, Z4, K2, Z4

clsum:
	VEXTRACTI64X4 $1, Z3, Y0
	VPADDQ Y0, Y3, Y3
	VEXTRACTI64X4 $1, Z4, Y0
	VPADDQ Y0, Y4, Y4
	VEXTRACTI128 $1, Y3, X0
	VPADDQ X0, X3, X3
	VEXTRACTI128 $1, Y4, X0
	VPADDQ X0, X4, X4
	VPSHUFD $0x4e, X3, X0
	VPADDQ X0, X3, X3
	VPSHUFD $0x4e, X4, X0
	VPADDQ X0, X4, X4
	VMOVQ X3, AX
	VMOVQ X4, BX
	MOVQ AX, cx+40(FP)
	MOVQ BX, cy+48(FP)
	VZEROUPPER
	RET

// BLOCKCOUNT sets R to how many of the 64 keys at (SI) are below Z(key):
// key > a[i] on eight vectors, the masks joined, one POPCNT (K1–K6
// clobbered).
#define BLOCKCOUNT(key, R) \
	VPCMPQ $6, 0(SI), key, K1 \
	VPCMPQ $6, 64(SI), key, K2 \
	VPCMPQ $6, 128(SI), key, K3 \
	VPCMPQ $6, 192(SI), key, K4 \
	KUNPCKBW K1, K2, K1 \
	KUNPCKBW K3, K4, K3 \
	KUNPCKWD K1, K3, K1 \
	VPCMPQ $6, 256(SI), key, K2 \
	VPCMPQ $6, 320(SI), key, K3 \
	VPCMPQ $6, 384(SI), key, K4 \
	VPCMPQ $6, 448(SI), key, K5 \
	KUNPCKBW K2, K3, K2 \
	KUNPCKBW K4, K5, K4 \
	KUNPCKWD K2, K4, K2 \
	KUNPCKDQ K1, K2, K1 \
	KMOVQ K1, R \
	POPCNTQ R, R

// BOUND sets OUT to the lower bound of Z(key), J heads being below it:
// 64(J−1) plus the keys of block J−1 below it, or 0 when J is 0 (block 0
// is counted then too, and the count dropped). J, SI, R10, K1–K6 clobbered.
#define BOUND(J, key, OUT) \
	MOVQ J, R10 \
	SUBQ $1, J \
	CMOVQLT R10, J \
	SHLQ $6, J \
	LEAQ (DI)(J*8), SI \
	BLOCKCOUNT(key, OUT) \
	ADDQ J, OUT \
	TESTQ R10, R10 \
	CMOVQEQ R10, OUT

// func searchKeys2AVX512(a, idx *int64, nidx int, x, y int64) (px, py int)
// nidx ≥ 8 is a multiple of 8; idx[j] = a[64j] (MaxInt64 past the keys),
// and a holds MaxInt64 from the last key to the end of its last block.
TEXT ·searchKeys2AVX512(SB), NOSPLIT, $0-56
	MOVQ idx+8(FP), SI
	MOVQ nidx+16(FP), CX
	VPBROADCASTQ x+24(FP), Z1
	VPBROADCASTQ y+32(FP), Z2
	XORQ AX, AX                    // samples below x
	XORQ BX, BX                    // samples below y

sk8:
	VMOVDQU64 (SI), Z0
	VPCMPQ $1, Z1, Z0, K1
	VPCMPQ $1, Z2, Z0, K2
	KMOVB K1, DX
	POPCNTL DX, DX
	ADDQ DX, AX
	KMOVB K2, DX
	POPCNTL DX, DX
	ADDQ DX, BX
	ADDQ $64, SI
	SUBQ $8, CX
	JNZ sk8

	// Each bound is in the block of the last head below it (J heads are).
	MOVQ a+0(FP), DI
	BOUND(AX, Z1, R8)
	BOUND(BX, Z2, R9)
	MOVQ R8, px+40(FP)
	MOVQ R9, py+48(FP)
	VZEROUPPER
	RET
