//go:build !noasm

#include "textflag.h"

// Hand-written: the AVX-512 kernels of ReplaceKey, SearchKeys2 and
// SlideKeys (keyblock.go).

DATA kbmax<>+0(SB)/8, $0x7fffffffffffffff
GLOBL kbmax<>(SB), RODATA|NOPTR, $8
DATA kbmin<>+0(SB)/8, $0x8000000000000000
GLOBL kbmin<>(SB), RODATA|NOPTR, $8

// KBLOAD loads the block at p into a–d; KBSTORE stores it back.
#define KBLOAD(p, a, b, c, d) \
	VMOVDQU64 0(p), a \
	VMOVDQU64 64(p), b \
	VMOVDQU64 128(p), c \
	VMOVDQU64 192(p), d

#define KBSTORE(p, a, b, c, d) \
	VMOVDQU64 a, 0(p) \
	VMOVDQU64 b, 64(p) \
	VMOVDQU64 c, 128(p) \
	VMOVDQU64 d, 192(p)

// KBCOUNT sets R to the slots of the block in a–d below the key in Z(key)
// (K1–K4 clobbered).
#define KBCOUNT(key, a, b, c, d, R) \
	VPCMPQ $1, key, a, K1 \
	VPCMPQ $1, key, b, K2 \
	VPCMPQ $1, key, c, K3 \
	VPCMPQ $1, key, d, K4 \
	KUNPCKBW K1, K2, K1 \
	KUNPCKBW K3, K4, K3 \
	KUNPCKWD K1, K3, K1 \
	KMOVD K1, R \
	POPCNTL R, R

// HEADS sets AX and BX to the heads of idx (SI, CX of them, a multiple of
// 8) that compare px to Z(x) and py to Z(y) (VPCMPQ predicates: $1 below,
// $2 at most); SI, CX, DX, K1, K2 clobbered.
#define HEADS(x, px, y, py) \
	XORQ AX, AX \
	XORQ BX, BX \
heads: \
	VMOVDQU64 (SI), Z0 \
	VPCMPQ px, x, Z0, K1 \
	VPCMPQ py, y, Z0, K2 \
	KMOVB K1, DX \
	POPCNTL DX, DX \
	ADDQ DX, AX \
	KMOVB K2, DX \
	POPCNTL DX, DX \
	ADDQ DX, BX \
	ADDQ $64, SI \
	SUBQ $8, CX \
	JNZ heads

// BLOCKOF turns J, a count of heads, into the block before the last it
// counts, max(J−1, 0), and P into that block's address in a (DI); R10
// clobbered.
#define BLOCKOF(J, P) \
	XORQ R10, R10 \
	SUBQ $1, J \
	CMOVQLT R10, J \
	MOVQ J, P \
	SHLQ $8, P \
	ADDQ DI, P

// func searchKeys2AVX512(a, idx *int64, nidx int, x, y int64) (px, py int)
// nidx ≥ 8 is a multiple of 8; idx[j] = a[32j] (MaxInt64 past the keys),
// and a holds MaxInt64 from the last key to the end of its last block.
TEXT ·searchKeys2AVX512(SB), NOSPLIT, $0-56
	MOVQ idx+8(FP), SI
	MOVQ nidx+16(FP), CX
	VPBROADCASTQ x+24(FP), Z16
	VPBROADCASTQ y+32(FP), Z18
	HEADS(Z16, $1, Z18, $1)
	MOVQ a+0(FP), DI
	BLOCKOF(AX, R11)
	BLOCKOF(BX, R12)
	KBLOAD(R11, Z0, Z1, Z2, Z3)
	KBLOAD(R12, Z4, Z5, Z6, Z7)
	KBCOUNT(Z16, Z0, Z1, Z2, Z3, R8)
	KBCOUNT(Z18, Z4, Z5, Z6, Z7, R9)
	SHLQ $5, AX
	SHLQ $5, BX
	ADDQ AX, R8
	ADDQ BX, R9
	MOVQ R8, px+40(FP)
	MOVQ R9, py+48(FP)
	VZEROUPPER
	RET

// DROP removes the first key ≥ Z16 (out) from the block in a–d: each slot
// from it on takes its right neighbour (Z19, MaxInt64, past the block).
// The mask is the compare itself, so no count is waited for.
#define DROPV(v, next) \
	VALIGNQ $1, v, next, Z20 \
	VPCMPQ $5, Z16, v, K1 \
	VMOVDQA64 Z20, K1, v

#define DROP(a, b, c, d) \
	DROPV(a, b) \
	DROPV(b, c) \
	DROPV(c, d) \
	DROPV(d, Z19)

// PUT inserts Z18 (in) into the sorted block in a–d, whose last slot is
// free: slot i becomes max(min(v[i], in), v[i−1]) (MinInt64, Z22, before
// slot 0), which is v[i] below in's place, in at it and v[i−1] past it.
#define PUTV(v, prev) \
	VALIGNQ $7, prev, v, Z20 \
	VPMINSQ Z18, v, v \
	VPMAXSQ Z20, v, v

#define PUT(a, b, c, d) \
	PUTV(d, c) \
	PUTV(c, b) \
	PUTV(b, a) \
	PUTV(a, Z22)

// SETHEAD stores H as head J of idx (SI) only when it changed: the next
// slide's vector loads of idx would stall behind a store of a part of
// them (no forwarding), and a block's head changes in about one slide of
// sixteen.
#define SETHEAD(H, J, skip) \
	CMPQ H, (SI)(J*8) \
	JEQ skip \
	MOVQ H, (SI)(J*8) \
skip:

// func slideKeysAVX512(a, idx, cnt *int64, nidx int, out, in int64) (bo, bi int)
// out's block is the last whose head is at most out (it holds out: a copy
// heading a block heads the last such block); in's is the last whose head
// is below in (or block 0). DROP and PUT edit them in registers, one block
// or two: neither waits for a count.
TEXT ·slideKeysAVX512(SB), NOSPLIT, $0-64
	MOVQ idx+8(FP), SI
	MOVQ nidx+24(FP), CX
	VPBROADCASTQ out+32(FP), Z16
	VPBROADCASTQ in+40(FP), Z18
	HEADS(Z16, $2, Z18, $1)
	MOVQ a+0(FP), DI
	MOVQ cnt+16(FP), R13
	MOVQ idx+8(FP), SI
	VPBROADCASTQ kbmax<>(SB), Z19
	VPBROADCASTQ kbmin<>(SB), Z22
	BLOCKOF(AX, R11)
	BLOCKOF(BX, R12)
	KBLOAD(R11, Z0, Z1, Z2, Z3)
	DROP(Z0, Z1, Z2, Z3)
	DECQ (R13)(AX*8)
	INCQ (R13)(BX*8)
	MOVQ AX, bo+48(FP)
	MOVQ BX, bi+56(FP)
	CMPQ AX, BX
	JEQ same
	KBLOAD(R12, Z4, Z5, Z6, Z7)
	PUT(Z4, Z5, Z6, Z7)
	KBSTORE(R11, Z0, Z1, Z2, Z3)
	KBSTORE(R12, Z4, Z5, Z6, Z7)
	VMOVQ X0, R8
	VMOVQ X4, R9
	SETHEAD(R8, AX, headbo)
	SETHEAD(R9, BX, headbi)
	VZEROUPPER
	RET

same:
	PUT(Z0, Z1, Z2, Z3)
	KBSTORE(R11, Z0, Z1, Z2, Z3)
	VMOVQ X0, R8
	SETHEAD(R8, AX, headsame)
	VZEROUPPER
	RET

// func replaceKeyAVX512(blk *int64, out, in int64)
// The whole slide of a short window: DROP, then PUT, on one block.
TEXT ·replaceKeyAVX512(SB), NOSPLIT, $0-24
	MOVQ blk+0(FP), DI
	VPBROADCASTQ out+8(FP), Z16
	VPBROADCASTQ in+16(FP), Z18
	VPBROADCASTQ kbmax<>(SB), Z19
	VPBROADCASTQ kbmin<>(SB), Z22
	KBLOAD(DI, Z0, Z1, Z2, Z3)
	DROP(Z0, Z1, Z2, Z3)
	PUT(Z0, Z1, Z2, Z3)
	KBSTORE(DI, Z0, Z1, Z2, Z3)
	VZEROUPPER
	RET
