/*
 * bitops.c: bit searching and counting (libkern.h).
 *
 *	ffs32 ffs64	position of the least significant set bit
 *	fls32 fls64	position of the most significant set bit
 *	popcount32 popcount64	number of set bits
 *
 * Positions count from 1; 0 means no bit is set.  ctz and clz are
 * single instructions on our targets; the compilers expand popcount
 * into a libgcc call unless the CPU has one, so it is done by hand.
 */

#include <sys/types.h>
#include <lib/libkern/libkern.h>

int
ffs32(uint32_t x)
{
	return x == 0 ? 0 : __builtin_ctz(x) + 1;
}

int
ffs64(uint64_t x)
{
	return x == 0 ? 0 : __builtin_ctzll(x) + 1;
}

int
fls32(uint32_t x)
{
	return x == 0 ? 0 : 32 - __builtin_clz(x);
}

int
fls64(uint64_t x)
{
	return x == 0 ? 0 : 64 - __builtin_clzll(x);
}

/* Sums of bit pairs, then nibbles, then bytes added by a multiply. */
int
popcount32(uint32_t x)
{
	x = x - ((x >> 1) & 0x55555555U);
	x = (x & 0x33333333U) + ((x >> 2) & 0x33333333U);
	x = (x + (x >> 4)) & 0x0f0f0f0fU;
	return (int)((x * 0x01010101U) >> 24);
}

int
popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (int)((x * 0x0101010101010101ULL) >> 56);
}
