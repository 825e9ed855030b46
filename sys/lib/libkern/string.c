/*
 * string.c: the kernel's memory and string functions (libkern.h).
 *
 *	memcpy memmove memset memcmp memchr
 *	strlen strnlen strcmp strncmp strchr strrchr strlcpy strlcat
 *	strtou64
 *
 * Standard C meanings; strlcpy and strlcat as in BSD.  The memory
 * functions move a machine word at a time once the destination is
 * aligned; the source may stay misaligned, and is read through a type
 * that tells the compiler so (a plain load on x86, bytes where the
 * hardware insists on alignment).
 */

#include <sys/types.h>
#include <sys/errno.h>
#include <lib/libkern/libkern.h>

typedef uintptr_t word_t;
/* A word that may live at any address and alias anything. */
typedef uintptr_t __attribute__((__may_alias__, __aligned__(1))) uword_t;
/* The same, for whole words that are known to be aligned. */
typedef uintptr_t __attribute__((__may_alias__)) aword_t;

#define WSIZE		sizeof(word_t)
#define WMASK		(WSIZE - 1)
#define ONES		((word_t)-1 / 0xff)	/* 0x0101...01 */

/*
 * Optimisers may recognise a copy or fill loop and replace it with a
 * call to memcpy or memset, which inside memcpy and memset is endless
 * recursion.  An empty asm that claims to change the pointer makes its
 * next value unknown, so no loop here has the shape they look for.
 * It emits no instruction, needs no flags and works in gcc and clang.
 */
#define OPAQUE(p)	__asm__("" : "+r"(p))

/* Forward copy; also right for memmove when dst is below src, because
 * every block is loaded before any of it is stored. */
static inline void
copy_fwd(unsigned char *d, const unsigned char *s, size_t n)
{
	word_t a, b, c, e;

	if (n >= 2 * WSIZE) {
		while ((uintptr_t)d & WMASK) {
			*d++ = *s++;
			n--;
			OPAQUE(d);
		}
		while (n >= 4 * WSIZE) {
			a = ((const uword_t *)s)[0];
			b = ((const uword_t *)s)[1];
			c = ((const uword_t *)s)[2];
			e = ((const uword_t *)s)[3];
			((aword_t *)d)[0] = a;
			((aword_t *)d)[1] = b;
			((aword_t *)d)[2] = c;
			((aword_t *)d)[3] = e;
			d += 4 * WSIZE;
			s += 4 * WSIZE;
			n -= 4 * WSIZE;
			OPAQUE(d);
		}
		while (n >= WSIZE) {
			*(aword_t *)d = *(const uword_t *)s;
			d += WSIZE;
			s += WSIZE;
			n -= WSIZE;
			OPAQUE(d);
		}
	}
	while (n-- > 0) {
		*d++ = *s++;
		OPAQUE(d);
	}
}

/* Backward copy from the ends, for memmove when dst is above src. */
static inline void
copy_bwd(unsigned char *d, const unsigned char *s, size_t n)
{
	word_t a, b, c, e;

	d += n;
	s += n;
	if (n >= 2 * WSIZE) {
		while ((uintptr_t)d & WMASK) {
			*--d = *--s;
			n--;
			OPAQUE(d);
		}
		while (n >= 4 * WSIZE) {
			d -= 4 * WSIZE;
			s -= 4 * WSIZE;
			n -= 4 * WSIZE;
			a = ((const uword_t *)s)[3];
			b = ((const uword_t *)s)[2];
			c = ((const uword_t *)s)[1];
			e = ((const uword_t *)s)[0];
			((aword_t *)d)[3] = a;
			((aword_t *)d)[2] = b;
			((aword_t *)d)[1] = c;
			((aword_t *)d)[0] = e;
			OPAQUE(d);
		}
		while (n >= WSIZE) {
			d -= WSIZE;
			s -= WSIZE;
			n -= WSIZE;
			*(aword_t *)d = *(const uword_t *)s;
			OPAQUE(d);
		}
	}
	while (n-- > 0) {
		*--d = *--s;
		OPAQUE(d);
	}
}

void *
memcpy(void *dst, const void *src, size_t n)
{
	copy_fwd(dst, src, n);
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	/* Unsigned distance: one compare tells whether dst lies inside
	 * [src, src + n), the only case a forward copy would spoil. */
	if ((uintptr_t)dst - (uintptr_t)src >= n)
		copy_fwd(dst, src, n);
	else
		copy_bwd(dst, src, n);
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t w;

	if (n >= 2 * WSIZE) {
		w = (word_t)(unsigned char)c * ONES;
		while ((uintptr_t)d & WMASK) {
			*d++ = (unsigned char)c;
			n--;
			OPAQUE(d);
		}
		while (n >= 4 * WSIZE) {
			((aword_t *)d)[0] = w;
			((aword_t *)d)[1] = w;
			((aword_t *)d)[2] = w;
			((aword_t *)d)[3] = w;
			d += 4 * WSIZE;
			n -= 4 * WSIZE;
			OPAQUE(d);
		}
		while (n >= WSIZE) {
			*(aword_t *)d = w;
			d += WSIZE;
			n -= WSIZE;
			OPAQUE(d);
		}
	}
	while (n-- > 0) {
		*d++ = (unsigned char)c;
		OPAQUE(d);
	}
	return dst;
}

int
memcmp(const void *s1, const void *s2, size_t n)
{
	const unsigned char *a = s1, *b = s2;

	/* Skip equal words; the bytes decide the sign, so the first
	 * unequal word is compared again bytewise. */
	while (n >= WSIZE &&
	    *(const uword_t *)a == *(const uword_t *)b) {
		a += WSIZE;
		b += WSIZE;
		n -= WSIZE;
	}
	for (; n > 0; n--, a++, b++)
		if (*a != *b)
			return *a - *b;
	return 0;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return p - s;
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n;

	for (n = 0; n < max && s[n] != '\0'; n++)
		continue;
	return n;
}

int
strcmp(const char *s1, const char *s2)
{
	const unsigned char *a = (const void *)s1, *b = (const void *)s2;

	while (*a == *b && *a != '\0') {
		a++;
		b++;
	}
	return *a - *b;
}

int
strncmp(const char *s1, const char *s2, size_t n)
{
	const unsigned char *a = (const void *)s1, *b = (const void *)s2;

	if (n == 0)
		return 0;
	while (--n > 0 && *a == *b && *a != '\0') {
		a++;
		b++;
	}
	return *a - *b;
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}

/* Copy with truncation to size - 1 bytes and a terminating NUL (if
 * size > 0).  Returns strlen(src): truncated if >= size. */
size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size = len < size ? len : size - 1;
		memcpy(dst, src, size);
		dst[size] = '\0';
	}
	return len;
}

/* Append src to the string in dst, which has room for size bytes.
 * Returns the length it tried to create.  If dst holds no NUL within
 * size it is left alone and size + strlen(src) returned. */
size_t
strlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size)
		return size + strlen(src);
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}

/* The value of c as a digit in any base up to 36, or 36 if none. */
static int
digitval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 36;
}

/*
 * Like strtoull, but with the error returned rather than in errno, and
 * no minus sign (a kernel never means "negative unsigned").  Leading
 * white space and a '+' are skipped.  Base 0 takes 0x for hex and 0
 * for octal; base 16 also allows 0x.  EINVAL: bad base or no digits,
 * and then *endp = s, *valp = 0.  ERANGE: too large; all the digits
 * are consumed and *valp = UINT64_MAX.
 */
int
strtou64(const char *s, char **endp, int base, uint64_t *valp)
{
	const char *p = s;
	uint64_t v = 0, cutoff;
	int d, cutlim, error = 0, any = 0;

	if (base < 0 || base == 1 || base > 36)
		goto none;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '+')
		p++;
	/* Take "0x" only when a hex digit follows: "0xg" is 0, then "xg". */
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && digitval(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0)
		base = p[0] == '0' ? 8 : 10;

	cutoff = UINT64_MAX / base;
	cutlim = (int)(UINT64_MAX % base);
	for (; (d = digitval(*p)) < base; p++) {
		any = 1;
		if (v > cutoff || (v == cutoff && d > cutlim))
			error = ERANGE;
		else
			v = v * base + d;
	}
	if (!any)
		goto none;
	if (error != 0)
		v = UINT64_MAX;
	if (endp != NULL)
		*endp = (char *)p;
	if (valp != NULL)
		*valp = v;
	return error;

none:
	if (endp != NULL)
		*endp = (char *)s;
	if (valp != NULL)
		*valp = 0;
	return EINVAL;
}
