/*
 * libkern.h: the kernel's own C library (rule 1: nothing from the host).
 *
 * String and memory functions with their C-standard meanings, a printf
 * formatter with callback output, bit helpers and checksums.  All are
 * reentrant and take no locks.
 */
#ifndef _LIB_LIBKERN_LIBKERN_H_
#define _LIB_LIBKERN_LIBKERN_H_

#include <sys/types.h>
#include <sys/stdarg.h>

/* string.c */
void	*memcpy(void *, const void *, size_t);
void	*memmove(void *, const void *, size_t);
void	*memset(void *, int, size_t);
int	 memcmp(const void *, const void *, size_t);
void	*memchr(const void *, int, size_t);
size_t	 strlen(const char *);
size_t	 strnlen(const char *, size_t);
int	 strcmp(const char *, const char *);
int	 strncmp(const char *, const char *, size_t);
char	*strchr(const char *, int);
char	*strrchr(const char *, int);
size_t	 strlcpy(char *, const char *, size_t);
size_t	 strlcat(char *, const char *, size_t);
/* strtou64: parse an unsigned number in base (0: C prefixes).  Returns
 * 0, EINVAL (no digits) or ERANGE (overflow); *endp past the digits. */
int	 strtou64(const char *, char **endp, int base, uint64_t *valp);

/* printf.c: the formatter behind every kernel printf.  Supports flags
 * "-+ #0", width and precision (also *), length hh h l ll z t j, and
 * conversions d i u o x X c s p %.  Returns the characters produced. */
int	 kfmt(void (*put)(int ch, void *arg), void *arg, const char *fmt,
	    va_list ap);
int	 vsnprintf(char *, size_t, const char *, va_list);
int	 snprintf(char *, size_t, const char *, ...) __printflike(3, 4);

/* bitops.c: 1-based bit positions, 0 for no bit set. */
int	 ffs32(uint32_t);
int	 ffs64(uint64_t);
int	 fls32(uint32_t);
int	 fls64(uint64_t);
int	 popcount32(uint32_t);
int	 popcount64(uint64_t);

/* cksum.c */
uint32_t crc32_ieee(uint32_t crc, const void *, size_t);	/* zlib's crc32 */
uint32_t crc32c(uint32_t crc, const void *, size_t);		/* Castagnoli */
/* One's complement sum for Internet checksums: accumulate with
 * cksum_add, finish with cksum_fold (returns the checksum to store). */
uint32_t cksum_add(uint32_t sum, const void *, size_t);
uint16_t cksum_fold(uint32_t sum);

#endif /* _LIB_LIBKERN_LIBKERN_H_ */
