//go:build !noasm

#include "textflag.h"

// Hand-written: ReplaceKey's AVX-512 kernel (keyblock.go).

DATA kbiota<>+0(SB)/8, $0
DATA kbiota<>+8(SB)/8, $1
DATA kbiota<>+16(SB)/8, $2
DATA kbiota<>+24(SB)/8, $3
DATA kbiota<>+32(SB)/8, $4
DATA kbiota<>+40(SB)/8, $5
DATA kbiota<>+48(SB)/8, $6
DATA kbiota<>+56(SB)/8, $7
GLOBL kbiota<>(SB), RODATA|NOPTR, $64
DATA kbeight<>+0(SB)/8, $8
GLOBL kbeight<>(SB), RODATA|NOPTR, $8
DATA kbmax<>+0(SB)/8, $0x7fffffffffffffff
GLOBL kbmax<>(SB), RODATA|NOPTR, $8

// LEFT: slots at or past po (Z16) take their right neighbour's key (next
// is the following vector, not yet changed).
#define LEFT(v, next, J) \
	VALIGNQ $1, v, next, Z20 \
	VPCMPQ $5, Z16, J, K1 \
	VMOVDQA64 Z20, K1, v

// RIGHT: slots past q (Z17) take their left neighbour's key (prev is the
// preceding vector, not yet changed), slot q takes in (Z18).
#define RIGHT(v, prev, J) \
	VALIGNQ $7, prev, v, Z20 \
	VPCMPQ $6, Z17, J, K1 \
	VMOVDQA64 Z20, K1, v \
	VPCMPQ $0, Z17, J, K1 \
	VMOVDQA64 Z18, K1, v

// KBLOAD32 loads the block at DI into Z0–Z3, the slot indexes into Z8–Z11,
// and MaxInt64 into Z19.
#define KBLOAD32 \
	VMOVDQU64 0(DI), Z0 \
	VMOVDQU64 64(DI), Z1 \
	VMOVDQU64 128(DI), Z2 \
	VMOVDQU64 192(DI), Z3 \
	VPBROADCASTQ kbmax<>(SB), Z19 \
	VPBROADCASTQ kbeight<>(SB), Z21 \
	VMOVDQU64 kbiota<>(SB), Z8 \
	VPADDQ Z21, Z8, Z9 \
	VPADDQ Z21, Z9, Z10 \
	VPADDQ Z21, Z10, Z11

// KBCOUNT32 sets R to the slots of Z0–Z3 below the key in Z(key) (K1–K4
// clobbered).
#define KBCOUNT32(key, R) \
	VPCMPQ $1, key, Z0, K1 \
	VPCMPQ $1, key, Z1, K2 \
	VPCMPQ $1, key, Z2, K3 \
	VPCMPQ $1, key, Z3, K4 \
	KUNPCKBW K1, K2, K1 \
	KUNPCKBW K3, K4, K3 \
	KUNPCKWD K1, K3, K1 \
	KMOVD K1, R \
	POPCNTL R, R

// func replaceKeyAVX512(blk *int64, out, in int64)
// Removes out at its slot po, then inserts in at q (LEFT, then RIGHT).
TEXT ·replaceKeyAVX512(SB), NOSPLIT, $0-24
	MOVQ blk+0(FP), DI
	KBLOAD32
	VPBROADCASTQ out+8(FP), Z16
	VPBROADCASTQ in+16(FP), Z18
	KBCOUNT32(Z16, AX)
	KBCOUNT32(Z18, BX)
	CMPQ AX, BX
	SBBQ $0, BX                    // q = in's bound − (po < it)
	VPBROADCASTQ AX, Z16
	VPBROADCASTQ BX, Z17
	LEFT(Z0, Z1, Z8)
	LEFT(Z1, Z2, Z9)
	LEFT(Z2, Z3, Z10)
	LEFT(Z3, Z19, Z11)
	RIGHT(Z3, Z2, Z11)
	RIGHT(Z2, Z1, Z10)
	RIGHT(Z1, Z0, Z9)
	RIGHT(Z0, Z19, Z8)
	VMOVDQU64 Z0, 0(DI)
	VMOVDQU64 Z1, 64(DI)
	VMOVDQU64 Z2, 128(DI)
	VMOVDQU64 Z3, 192(DI)
	VZEROUPPER
	RET
