/*
 * t_libkern.c: the kernel's libkern against the host C library.
 *
 * The kernel's symbols are renamed NAME -> rumpns_NAME (tools/rumpns.sh),
 * so both can be called side by side: printf formats in their hundreds
 * of thousands, string functions on every alignment and overlap,
 * strtou64 against strtoull, bit operations and checksums against
 * obvious reference code here, and (through rump_ktest_rbtree in
 * ktest_libkern.c) red-black trees against a bitmap.  None of it needs
 * a booted kernel.
 */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "../tap.h"

/* libkern.h, renamed; no format attribute: odd formats are the point. */
void	*rumpns_memcpy(void *, const void *, size_t);
void	*rumpns_memmove(void *, const void *, size_t);
void	*rumpns_memset(void *, int, size_t);
int	 rumpns_memcmp(const void *, const void *, size_t);
void	*rumpns_memchr(const void *, int, size_t);
size_t	 rumpns_strlen(const char *);
size_t	 rumpns_strnlen(const char *, size_t);
int	 rumpns_strcmp(const char *, const char *);
int	 rumpns_strncmp(const char *, const char *, size_t);
char	*rumpns_strchr(const char *, int);
char	*rumpns_strrchr(const char *, int);
size_t	 rumpns_strlcpy(char *, const char *, size_t);
size_t	 rumpns_strlcat(char *, const char *, size_t);
int	 rumpns_strtou64(const char *, char **, int, uint64_t *);
int	 rumpns_kfmt(void (*)(int, void *), void *, const char *, va_list);
int	 rumpns_vsnprintf(char *, size_t, const char *, va_list);
int	 rumpns_snprintf(char *, size_t, const char *, ...);
int	 rumpns_ffs32(uint32_t);
int	 rumpns_ffs64(uint64_t);
int	 rumpns_fls32(uint32_t);
int	 rumpns_fls64(uint64_t);
int	 rumpns_popcount32(uint32_t);
int	 rumpns_popcount64(uint64_t);
uint32_t rumpns_crc32_ieee(uint32_t, const void *, size_t);
uint32_t rumpns_crc32c(uint32_t, const void *, size_t);
uint32_t rumpns_cksum_add(uint32_t, const void *, size_t);
uint16_t rumpns_cksum_fold(uint32_t);

/* ktest_libkern.c */
int	 rump_ktest_rbtree(unsigned int, int, char *, size_t);

/* The kernel's errno numbers (rumpdefs.h), not necessarily the host's. */
#define K_EINVAL	22
#define K_ERANGE	34

#define MAXDIAG		5	/* mismatches shown per test point */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
fillrnd(unsigned char *p, size_t n)
{
	while (n-- > 0)
		*p++ = (unsigned char)rnd();
}

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

/* ------------------------------------------------------------------ */
/* printf */

typedef int (*snprintf_fn)(char *, size_t, const char *, ...);

/* What the conversion's argument is passed as. */
enum argtype { A_INT, A_UINT, A_LONG, A_ULONG, A_LLONG, A_ULLONG, A_SSIZE,
	A_SIZE, A_PTRDIFF, A_INTMAX, A_UINTMAX, A_PTR };

struct arg {
	enum argtype	 type;
	uint64_t	 v;	/* integers */
	const void	*p;	/* %p, %s */
	int		 nstar;	/* '*' arguments before it: 0, 1 or 2 */
	int		 star[2];
};

#define CALLSTAR(fn, b, n, f, a, v)					\
	((a)->nstar == 0 ? (fn)(b, n, f, v) :				\
	 (a)->nstar == 1 ? (fn)(b, n, f, (a)->star[0], v) :		\
	 (fn)(b, n, f, (a)->star[0], (a)->star[1], v))

static int
callfmt(snprintf_fn fn, char *b, size_t n, const char *f, const struct arg *a)
{
	switch (a->type) {
	case A_INT:
		return CALLSTAR(fn, b, n, f, a, (int)a->v);
	case A_UINT:
		return CALLSTAR(fn, b, n, f, a, (unsigned int)a->v);
	case A_LONG:
		return CALLSTAR(fn, b, n, f, a, (long)a->v);
	case A_ULONG:
		return CALLSTAR(fn, b, n, f, a, (unsigned long)a->v);
	case A_LLONG:
		return CALLSTAR(fn, b, n, f, a, (long long)a->v);
	case A_ULLONG:
		return CALLSTAR(fn, b, n, f, a, (unsigned long long)a->v);
	case A_SSIZE:
		return CALLSTAR(fn, b, n, f, a, (ssize_t)a->v);
	case A_SIZE:
		return CALLSTAR(fn, b, n, f, a, (size_t)a->v);
	case A_PTRDIFF:
		return CALLSTAR(fn, b, n, f, a, (ptrdiff_t)a->v);
	case A_INTMAX:
		return CALLSTAR(fn, b, n, f, a, (intmax_t)a->v);
	case A_UINTMAX:
		return CALLSTAR(fn, b, n, f, a, (uintmax_t)a->v);
	default:
		return CALLSTAR(fn, b, n, f, a, a->p);
	}
}

/* Show a buffer with NULs and other controls escaped. */
static const char *
shown(const char *s, int len)
{
	static char out[2][1200];
	static int which;
	char *o = out[which ^= 1];
	int i, k = 0;

	for (i = 0; i < len && k < (int)sizeof(out[0]) - 5; i++) {
		if ((unsigned char)s[i] < ' ' || (unsigned char)s[i] > '~')
			k += sprintf(o + k, "\\%03o", (unsigned char)s[i]);
		else
			o[k++] = s[i];
	}
	o[k] = '\0';
	return o;
}

static int fmt_checked;

/*
 * Format with the host and with the kernel into buffers of size n
 * (n <= 600) that start out full of '@', and demand the same return
 * and the same bytes everywhere, so truncation and the NUL are
 * checked as well as the text.
 */
static int
same_fmt(const char *f, const struct arg *a, size_t n, int *ndiag)
{
	char want[640], got[640];
	int rw, rg;

	memset(want, '@', sizeof(want));
	memset(got, '@', sizeof(got));
	rw = callfmt(snprintf, n ? want : NULL, n, f, a);
	rg = callfmt(rumpns_snprintf, n ? got : NULL, n, f, a);
	fmt_checked++;
	if (rw == rg && memcmp(want, got, sizeof(want)) == 0)
		return 1;
	if ((*ndiag)++ < MAXDIAG) {
		diag("format \"%s\" value %#llx stars %d %d size %zu",
		    f, (unsigned long long)a->v, a->star[0], a->star[1], n);
		diag("  host   %d \"%s\"", rw, shown(want,
		    rw >= 0 && (size_t)rw < n ? rw + 2 : (int)n + 1));
		diag("  kernel %d \"%s\"", rg, shown(got,
		    rg >= 0 && (size_t)rg < n ? rg + 2 : (int)n + 1));
	}
	return 0;
}

static const char flagchars[] = "-+ #0";

/* Flags from the bits of mask, in a varying order. */
static char *
putflags(char *s, int mask, int rot)
{
	int i, k;

	for (i = 0; i < 5; i++) {
		k = (i + rot) % 5;
		if (mask & (1 << k))
			*s++ = flagchars[k];
	}
	return s;
}

/* Widths and precisions; "*" entries take the number as an argument. */
static const struct {
	const char	*s;
	int		 star;
} widths[] = {
	{ "", 0 }, { "1", 0 }, { "6", 0 }, { "24", 0 },
	{ "*", -9 }, { "*", 0 }, { "*", 7 },
}, precs[] = {
	{ "", 0 }, { ".", 0 }, { ".0", 0 }, { ".1", 0 }, { ".5", 0 },
	{ ".22", 0 }, { ".*", -1 }, { ".*", 0 }, { ".*", 3 },
};

#define NWIDTH	(sizeof(widths) / sizeof(widths[0]))
#define NPREC	(sizeof(precs) / sizeof(precs[0]))

/*
 * Every flag set, width and precision with the given length and
 * conversion, each with the next per values from the list, round and
 * round, so every value meets every flag set.  Returns the number of
 * mismatches.
 */
static int
fmt_matrix(const char *len, char conv, enum argtype type,
    const uint64_t *vals, int nvals, const void *const *ptrs, int per)
{
	char f[64], *s;
	struct arg a;
	int mask, wi, pi, j, bad = 0, ndiag = 0, combo = 0;

	for (mask = 0; mask < 32; mask++)
	for (wi = 0; wi < (int)NWIDTH; wi++)
	for (pi = 0; pi < (int)NPREC; pi++, combo++) {
		s = f;
		*s++ = '[';
		*s++ = '%';
		s = putflags(s, mask, combo);
		s = stpcpy(s, widths[wi].s);
		s = stpcpy(s, precs[pi].s);
		s = stpcpy(s, len);
		*s++ = conv;
		*s++ = ']';
		*s = '\0';
		memset(&a, 0, sizeof(a));
		a.type = type;
		if (widths[wi].s[0] == '*')
			a.star[a.nstar++] = widths[wi].star;
		if (precs[pi].s[0] == '.' && precs[pi].s[1] == '*')
			a.star[a.nstar++] = precs[pi].star;
		for (j = 0; j < per; j++) {
			int k = (combo * per + j) % nvals;

			if (ptrs != NULL)
				a.p = ptrs[k];
			else
				a.v = vals[k];
			if (!same_fmt(f, &a, 600, &ndiag))
				bad++;
		}
	}
	return bad;
}

static int	check_n(size_t, int *, const char *, ...);

static const uint64_t intvals[] = {
	0, 1, 7, 8, 9, 10, 15, 16, 99, 100, 127, 128, 255, 256, 300, 32767,
	32768, 65535, 65536, 0x7fffffff, 0x80000000, 0xffffffff,
	0x100000000ULL, 0x123456789abcdefULL, 0x7fffffffffffffffULL,
	0x8000000000000000ULL, 0xffffffffffffffffULL, (uint64_t)-1,
	(uint64_t)-2, (uint64_t)-100, (uint64_t)-128, (uint64_t)-129,
	(uint64_t)-32768, (uint64_t)(int64_t)INT_MIN,
	(uint64_t)(int64_t)INT_MIN - 1, 01234567, 1000000007,
	(uint64_t)LLONG_MIN, UINT64_MAX - 1, 0xdeadbeefULL,
};

static void
test_printf_ints(void)
{
	static const struct {
		const char	*len;
		enum argtype	 st, ut;	/* signed and unsigned */
	} lens[] = {
		{ "", A_INT, A_UINT },
		{ "hh", A_INT, A_UINT },
		{ "h", A_INT, A_UINT },
		{ "l", A_LONG, A_ULONG },
		{ "ll", A_LLONG, A_ULLONG },
		{ "z", A_SSIZE, A_SIZE },
		{ "t", A_PTRDIFF, A_PTRDIFF },
		{ "j", A_INTMAX, A_UINTMAX },
	};
	static const char convs[] = "diuoxX";
	int nv = (int)(sizeof(intvals) / sizeof(intvals[0]));
	size_t li;
	int ci, bad, before;

	for (ci = 0; convs[ci] != '\0'; ci++)
		for (li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
			before = fmt_checked;
			bad = fmt_matrix(lens[li].len, convs[ci],
			    ci < 2 ? lens[li].st : lens[li].ut, intvals, nv,
			    NULL, 3);
			ok(bad == 0, "printf %%%s%c: %d formats, %d differ",
			    lens[li].len, convs[ci], fmt_checked - before,
			    bad);
		}
}

static void
test_printf_other(void)
{
	static const uint64_t chars[] = { 'a', ' ', '%', 0, 0x7f, 0xff,
	    0x141, (uint64_t)-1 };
	static const char unterminated[5] = { 'a', 'b', 'c', 'd', 'e' };
	static const void *const strs[] = { "", "a", "hello, world",
	    NULL, "0123456789012345678901234567890", "\t\n", "%d" };
	static const void *const ptrs[] = { NULL, (void *)1,
	    (void *)0x1234, (void *)0xdeadbeef, (void *)UINTPTR_MAX,
	    (void *)(UINTPTR_MAX / 3), (void *)&rng, (void *)&tap_count };
	int bad, before, ndiag = 0;

	before = fmt_checked;
	bad = fmt_matrix("", 'c', A_INT, chars, 8, NULL, 2);
	ok(bad == 0, "printf %%c: %d formats, %d differ",
	    fmt_checked - before, bad);
	before = fmt_checked;
	bad = fmt_matrix("", 's', A_PTR, NULL, 7, strs, 2);
	ok(bad == 0, "printf %%s: %d formats, %d differ",
	    fmt_checked - before, bad);
	before = fmt_checked;
	bad = fmt_matrix("", 'p', A_PTR, NULL, 8, ptrs, 2);
	ok(bad == 0, "printf %%p: %d formats, %d differ",
	    fmt_checked - before, bad);
	before = fmt_checked;
	bad = fmt_matrix("", '%', A_INT, intvals, 1, NULL, 1);
	ok(bad == 0, "printf %%%%: %d formats, %d differ",
	    fmt_checked - before, bad);

	/* %.Ns must not read past N bytes (valgrind would see it). */
	bad = !check_n(600, &ndiag, "%.5s|%.3s|%-8.5s|%8.4s", unterminated,
	    unterminated, unterminated, unterminated);
	ok(bad == 0, "printf %%.5s of an unterminated array");
}

/*
 * Host vsnprintf and kernel vsnprintf with the same arguments into
 * buffers of size n (n <= 600, the rest full of '@'): same return,
 * same bytes, including past the end.
 */
static int
check_n(size_t n, int *ndiag, const char *f, ...)
{
	char want[600], got[600];
	va_list ap, aq;
	int rw, rg;

	memset(want, '@', sizeof(want));
	memset(got, '@', sizeof(got));
	va_start(ap, f);
	va_copy(aq, ap);
	rw = vsnprintf(n ? want : NULL, n, f, ap);
	rg = rumpns_vsnprintf(n ? got : NULL, n, f, aq);
	va_end(aq);
	va_end(ap);
	if (rw == rg && memcmp(want, got, sizeof(want)) == 0)
		return 1;
	if ((*ndiag)++ < MAXDIAG) {
		diag("format \"%s\" size %zu", f, n);
		diag("  host   %d \"%s\"", rw, shown(want, (int)n + 1));
		diag("  kernel %d \"%s\"", rg, shown(got, (int)n + 1));
	}
	return 0;
}

static void
test_printf_fixed(void)
{
	char fmt[64];
	int good = 1, nd = 0;

	good &= check_n(600, &nd, "");
	good &= check_n(600, &nd, "plain text, no conversions");
	good &= check_n(600, &nd, "100%% sure %5%|%-5%|");
	good &= check_n(600, &nd, "%d %i %u %o %x %X %c %s %p", -5, 6, 7u,
	    8u, 255u, 255u, 'z', "str", (void *)0x10);
	good &= check_n(600, &nd, "%hhd %hd %ld %lld %zd %td %jd", 200,
	    70000, -1L, LLONG_MIN, (ssize_t)-3, (ptrdiff_t)-4, INTMAX_MIN);
	good &= check_n(600, &nd, "%hhu %hu %lu %llu %zu %tu %ju", 200,
	    70000, ULONG_MAX, ULLONG_MAX, SIZE_MAX, (ptrdiff_t)-4,
	    UINTMAX_MAX);
	good &= check_n(600, &nd, "%*.*d|%-*.*x|%*s|%.*s", 10, 4, -42,
	    -10, 6, 0xabc, -7, "ab", 2, "abcdef");
	good &= check_n(600, &nd, "%*d|%*d|%-*d", -1, 1, -2, 2, -3, 3);
	good &= check_n(600, &nd, "%300d|%-250s|%.30x", 5, "x", 6);
	good &= check_n(600, &nd, "%0-8d|%-08d|%+ d|% +d|%#-#8x|%00008d",
	    1, 2, 3, 4, 5, 6);
	good &= check_n(600, &nd, "%y|%5y|%-3y");
	good &= check_n(600, &nd, "%.0d|%.0u|%.0x|%#.0x|%#.0o|%+.0d|% .0i",
	    0, 0, 0, 0, 0, 0, 0);
	good &= check_n(600, &nd, "%#o|%#5o|%#-5o|%#05o|%#.3o|%#.3o", 0, 8,
	    8, 8, 8, 01234);
	good &= check_n(600, &nd, "%c%c%c|%-3c|%3c", 'a', 0, 'b', 'x', 'y');
	/* A format assembled at run time. */
	snprintf(fmt, sizeof(fmt), "%%%s%d.%dl%c", "+0", 30, 25, 'd');
	good &= check_n(600, &nd, fmt, LONG_MIN);
	ok(good, "printf: fixed formats, mixed conversions, literal text");
}

/* Truncation: every buffer size from 0 to past the end. */
static void
test_printf_trunc(void)
{
	size_t n;
	int bad = 0, nd = 0, total = 0;

	for (n = 0; n < 70; n++) {
		bad += !check_n(n, &nd, "hello %s, %d and %x%c", "world",
		    -12345, 0xbeefu, '!');
		bad += !check_n(n, &nd, "%40s", "abc");
		bad += !check_n(n, &nd, "%-20d|", 77);
		bad += !check_n(n, &nd, "%s", "abcdefghijklmnopqrstu");
		bad += !check_n(n, &nd, "");
		bad += !check_n(n, &nd, "%c", 'q');
		bad += !check_n(n, &nd, "%.0s", "gone");
		bad += !check_n(n, &nd, "%p %p", (void *)0x1234, NULL);
		bad += !check_n(n, &nd, "%#050llx", 0x123456789ULL);
		total += 9;
	}
	ok(bad == 0, "printf: sizes 0 to 69 on 9 formats (%d), %d differ",
	    total, bad);
}

static void
test_vsnprintf_trunc(void)
{
	char want[80], got[80];
	size_t n;
	int bad = 0, rw, rg;

	for (n = 0; n < 40; n++) {
		memset(want, '@', sizeof(want));
		memset(got, '@', sizeof(got));
		rw = snprintf(n ? want : NULL, n, "%s=%d (%#x) %p", "name",
		    -77, 0x3fu, (void *)&n);
		rg = rumpns_snprintf(n ? got : NULL, n, "%s=%d (%#x) %p",
		    "name", -77, 0x3fu, (void *)&n);
		if (rw != rg || memcmp(want, got, sizeof(want)) != 0)
			bad++;
	}
	ok(bad == 0, "snprintf: truncation keeps a NUL, returns full length");
	rg = rumpns_snprintf(NULL, 0, "%d%s", 123456, "abc");
	ok(rg == 9, "snprintf(NULL, 0) returns the length (%d)", rg);
}

struct collect {
	char	buf[256];
	int	n;
};

static void
collect_put(int c, void *arg)
{
	struct collect *co = arg;

	if (co->n < (int)sizeof(co->buf))
		co->buf[co->n] = (char)c;
	co->n++;
}

static int
kfmt_call(struct collect *co, const char *f, ...)
{
	va_list ap;
	int r;

	va_start(ap, f);
	r = rumpns_kfmt(collect_put, co, f, ap);
	va_end(ap);
	return r;
}

static void
test_kfmt(void)
{
	struct collect co;
	char want[256];
	int r, rw;

	memset(&co, 0, sizeof(co));
	r = kfmt_call(&co, "%s:%5d:%-4x:%c%c:%%:%lld", "kfmt", 42, 0xa, 'x',
	    0, LLONG_MIN);
	rw = snprintf(want, sizeof(want), "%s:%5d:%-4x:%c%c:%%:%lld", "kfmt",
	    42, 0xa, 'x', 0, LLONG_MIN);
	ok(r == rw && co.n == rw && memcmp(co.buf, want, rw) == 0,
	    "kfmt: characters and count match, NUL passed through");
	memset(&co, 0, sizeof(co));
	r = kfmt_call(&co, "");
	ok(r == 0 && co.n == 0, "kfmt: empty format produces nothing");
	memset(&co, 0, sizeof(co));
	r = kfmt_call(&co, "%200s", "");
	ok(r == 200 && co.n == 200 && co.buf[0] == ' ' && co.buf[199] == ' ',
	    "kfmt: padding goes through put");
	memset(&co, 0, sizeof(co));
	r = kfmt_call(&co, "\xff\x80");
	ok(r == 2 && co.buf[0] == (char)0xff && co.buf[1] == (char)0x80,
	    "kfmt: high bytes pass unchanged");
}

/* ------------------------------------------------------------------ */
/* string functions */

#define BIG	1100
static const size_t lens[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 23,
	24, 25, 31, 32, 33, 39, 40, 41, 47, 48, 63, 64, 65, 66, 79, 127,
	128, 129, 255, 256, 257, 1000, 1024,
};
#define NLENS	(sizeof(lens) / sizeof(lens[0]))

static void
test_memcpy(void)
{
	static unsigned char src[BIG], dst[BIG], want[BIG];
	size_t sa, da, li, n;
	int bad = 0;
	void *r;

	fillrnd(src, sizeof(src));
	for (sa = 0; sa < 16; sa++)
	for (da = 0; da < 16; da++)
	for (li = 0; li < NLENS; li++) {
		n = lens[li];
		memset(dst, 0xee, sizeof(dst));
		memset(want, 0xee, sizeof(want));
		memcpy(want + 16 + da, src + sa, n);
		r = rumpns_memcpy(dst + 16 + da, src + sa, n);
		if (r != dst + 16 + da || memcmp(dst, want, sizeof(dst)))
			bad++;
	}
	ok(bad == 0, "memcpy: alignments 0..15 x 0..15, %zu lengths",
	    NLENS);
}

static void
test_memmove(void)
{
	static unsigned char buf[BIG + 200], want[BIG + 200], init[BIG + 200];
	size_t sa, li, n;
	int off, bad = 0;
	void *r;

	fillrnd(init, sizeof(init));
	for (sa = 0; sa < 16; sa++)
	for (off = -70; off <= 70; off++)
	for (li = 0; li < NLENS; li++) {
		unsigned char *s, *d;

		n = lens[li];
		if (n > 600 && off % 8 != 1 && off % 8 != 0)
			continue;	/* the long ones only sometimes */
		memcpy(buf, init, sizeof(buf));
		memcpy(want, init, sizeof(want));
		s = buf + 100 + sa;
		d = s + off;
		memmove(want + (d - buf), want + (s - buf), n);
		r = rumpns_memmove(d, s, n);
		if (r != d || memcmp(buf, want, sizeof(buf)))
			bad++;
	}
	ok(bad == 0, "memmove: overlap both ways, offsets -70..70, "
	    "source alignments 0..15");

	/* Disjoint copies, both orders. */
	memcpy(buf, init, sizeof(buf));
	rumpns_memmove(buf, buf + 600, 500);
	rumpns_memmove(buf + 700, buf + 3, 400);
	memcpy(want, init, sizeof(want));
	memmove(want, want + 600, 500);
	memmove(want + 700, want + 3, 400);
	ok(memcmp(buf, want, sizeof(buf)) == 0, "memmove: disjoint");
}

static void
test_memset(void)
{
	static unsigned char dst[BIG], want[BIG];
	static const int cs[] = { 0, 0xff, 0x5a, 0x1a5, -1, -128, 0x80 };
	size_t da, li, ci, n;
	int bad = 0;
	void *r;

	for (da = 0; da < 16; da++)
	for (li = 0; li < NLENS; li++)
	for (ci = 0; ci < sizeof(cs) / sizeof(cs[0]); ci++) {
		n = lens[li];
		fillrnd(dst, sizeof(dst));
		memcpy(want, dst, sizeof(want));
		memset(want + 16 + da, cs[ci], n);
		r = rumpns_memset(dst + 16 + da, cs[ci], n);
		if (r != dst + 16 + da || memcmp(dst, want, sizeof(dst)))
			bad++;
	}
	ok(bad == 0, "memset: alignments 0..15, %zu lengths, values beyond "
	    "a byte", NLENS);
}

static void
test_memcmp(void)
{
	static unsigned char a[128], b[128];
	static const unsigned char pairs[][2] = {
		{ 0x80, 0x7f }, { 0x7f, 0x80 }, { 1, 0 }, { 0, 0xff },
	};
	size_t aa, ba, n, p, pi;
	int bad = 0;

	for (aa = 0; aa < 16; aa++)
	for (ba = 0; ba < 16; ba++)
	for (n = 0; n <= 40; n++) {
		fillrnd(a + aa, n);
		memcpy(b + ba, a + aa, n);
		if (rumpns_memcmp(a + aa, b + ba, n) != 0)
			bad++;
		for (p = 0; p < n; p++) {
			pi = (aa + ba + n + p) % 4;
			a[aa + p] = pairs[pi][0];
			b[ba + p] = pairs[pi][1];
			/* A later difference the other way must not win. */
			if (p + 1 < n) {
				a[aa + p + 1] = pairs[pi][1];
				b[ba + p + 1] = pairs[pi][0];
			}
			if (sign(rumpns_memcmp(a + aa, b + ba, n)) !=
			    sign(memcmp(a + aa, b + ba, n)))
				bad++;
			memcpy(a + aa, b + ba, n);
			if (p + 1 < n)
				a[aa + p + 1] = b[ba + p + 1];
			a[aa + p] = b[ba + p];
		}
	}
	ok(bad == 0, "memcmp: equal is 0, sign of first difference, "
	    "bytes unsigned, alignments 0..15 x 0..15");
}

static void
test_memchr(void)
{
	static const char s[] = "abc\0def\xff\x80z";
	size_t n, i;
	int c, bad = 0;

	for (n = 0; n <= sizeof(s); n++)
		for (i = 0; i < 8; i++) {
			static const int cs[] = { 'a', 'c', 0, 'z', 0xff,
			    0x80, 0x100 + 'd', -1 };

			c = cs[i];
			if (rumpns_memchr(s, c, n) != memchr(s, c, n))
				bad++;
		}
	ok(bad == 0, "memchr: every length, NUL, high bytes, c > 255");
}

static void
test_str(void)
{
	static const char *const strs[] = {
		"", "a", "b", "ab", "abc", "abd", "abcd", "\x80", "\x7f",
		"a\xff", "a\x01", "hello, world", "hello", "hello!",
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	};
	static const int chars[] = { 'a', 'b', 'l', 'o', 'x', 0, 0xff,
	    0x80, '!', 0x100 + 'a', -1 };
	size_t i, j, k, n;
	int bad_len = 0, bad_cmp = 0, bad_chr = 0;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		const char *s = strs[i];

		if (rumpns_strlen(s) != strlen(s))
			bad_len++;
		for (n = 0; n < 50; n++)
			if (rumpns_strnlen(s, n) != strnlen(s, n))
				bad_len++;
		if (rumpns_strnlen(s, SIZE_MAX) != strlen(s))
			bad_len++;
		for (j = 0; j < sizeof(strs) / sizeof(strs[0]); j++) {
			if (sign(rumpns_strcmp(s, strs[j])) !=
			    sign(strcmp(s, strs[j])))
				bad_cmp++;
			for (n = 0; n < 20; n++)
				if (sign(rumpns_strncmp(s, strs[j], n)) !=
				    sign(strncmp(s, strs[j], n)))
					bad_cmp++;
			if (sign(rumpns_strncmp(s, strs[j], SIZE_MAX)) !=
			    sign(strcmp(s, strs[j])))
				bad_cmp++;
		}
		for (k = 0; k < sizeof(chars) / sizeof(chars[0]); k++) {
			if (rumpns_strchr(s, chars[k]) != strchr(s, chars[k]))
				bad_chr++;
			if (rumpns_strrchr(s, chars[k]) !=
			    strrchr(s, chars[k]))
				bad_chr++;
		}
	}
	ok(bad_len == 0, "strlen, strnlen");
	ok(bad_cmp == 0, "strcmp, strncmp: sign, unsigned chars, n 0..19");
	ok(bad_chr == 0, "strchr, strrchr: NUL finds the terminator, "
	    "c converted to char");
}

/* BSD strlcpy and strlcat, straight from their manual page. */
static size_t
ref_strlcpy(char *d, const char *s, size_t size)
{
	size_t len = strlen(s);

	if (size > 0) {
		size_t k = len < size - 1 ? len : size - 1;

		memcpy(d, s, k);
		d[k] = '\0';
	}
	return len;
}

static size_t
ref_strlcat(char *d, const char *s, size_t size)
{
	size_t dl = strnlen(d, size);

	if (dl == size)
		return size + strlen(s);
	return dl + ref_strlcpy(d + dl, s, size - dl);
}

static void
test_strlcpy(void)
{
	static const char *const srcs[] = { "", "a", "abcdef",
	    "0123456789abcdefghijklmnop" };
	static const char *const dsts[] = { "", "x", "xyz", "0123456789" };
	char want[64], got[64];
	size_t si, di, n, rw, rg;
	int bad_cpy = 0, bad_cat = 0;

	for (si = 0; si < 4; si++)
	for (n = 0; n < 32; n++) {
		memset(want, '@', sizeof(want));
		memset(got, '@', sizeof(got));
		rw = ref_strlcpy(want, srcs[si], n);
		rg = rumpns_strlcpy(got, srcs[si], n);
		if (rw != rg || memcmp(want, got, sizeof(want)))
			bad_cpy++;
		for (di = 0; di < 4; di++) {
			memset(want, '@', sizeof(want));
			strcpy(want, dsts[di]);
			memcpy(got, want, sizeof(got));
			rw = ref_strlcat(want, srcs[si], n);
			rg = rumpns_strlcat(got, srcs[si], n);
			if (rw != rg || memcmp(want, got, sizeof(want)))
				bad_cat++;
		}
	}
	ok(bad_cpy == 0, "strlcpy: truncation, NUL, return strlen(src), "
	    "size 0 writes nothing");
	ok(bad_cat == 0, "strlcat: truncation, unterminated dst, return "
	    "values");
	ok(rumpns_strlcpy(got, "hello", sizeof(got)) == 5 &&
	    strcmp(got, "hello") == 0 &&
	    rumpns_strlcat(got, ", world", sizeof(got)) == 12 &&
	    strcmp(got, "hello, world") == 0 &&
	    rumpns_strlcat(got, "!", 6) == 7 &&
	    strcmp(got, "hello, world") == 0, "strlcpy, strlcat: the plain "
	    "case");
}

/* ------------------------------------------------------------------ */
/* strtou64 */

static void
test_strtou64(void)
{
	static const char *const in[] = {
		"0", "1", "123", "  42", "\t\n\v\f\r 9", "+7", "++7", "+",
		"", "   ", "x", "0x1f", "0X1F", "0x", "0xg", "0x 1", "017",
		"08", "09", "0", "00", "1a", "z", "Zz", "ff", "0b101",
		"777", "18446744073709551615", "18446744073709551616",
		"99999999999999999999999999", "0xffffffffffffffff",
		"0x10000000000000000", "0xFFFFFFFFFFFFFFFFFFFF",
		"01777777777777777777777", "02000000000000000000000",
		"1777777777777777777777", "2000000000000000000000",
		"  +0x10zz", "12 34", "3w5e11264sgsf", "3w5e11264sgsg",
		"11111111111111111111111111111111"
		"11111111111111111111111111111111",	/* 2^64 - 1 in base 2 */
		"11111111111111111111111111111111"
		"111111111111111111111111111111111",
	};
	static const int bases[] = { 0, 2, 8, 10, 16, 36 };
	size_t i, bi;
	int bad = 0, nd = 0, err, werr;
	uint64_t v, wv;
	char *end, *wend;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
	for (bi = 0; bi < sizeof(bases) / sizeof(bases[0]); bi++) {
		errno = 0;
		wv = strtoull(in[i], &wend, bases[bi]);
		werr = wend == in[i] ? K_EINVAL :
		    errno == ERANGE ? K_ERANGE : 0;
		v = 12345;
		end = NULL;
		err = rumpns_strtou64(in[i], &end, bases[bi], &v);
		if (err != werr || v != wv || end != wend) {
			bad++;
			if (nd++ < MAXDIAG)
				diag("strtou64(\"%s\", %d): %d %llu +%td, "
				    "want %d %llu +%td", in[i], bases[bi],
				    err, (unsigned long long)v, end - in[i],
				    werr, (unsigned long long)wv,
				    wend - in[i]);
		}
	}
	ok(bad == 0, "strtou64 matches strtoull on %zu inputs, bases 0, "
	    "2, 8, 10, 16, 36", sizeof(in) / sizeof(in[0]));

	ok(rumpns_strtou64("18446744073709551616", &end, 10, &v) ==
	    K_ERANGE && v == UINT64_MAX && *end == '\0',
	    "strtou64: overflow is ERANGE, UINT64_MAX, all digits eaten");
	ok(rumpns_strtou64("  zz", &end, 10, &v) == K_EINVAL && v == 0 &&
	    end[0] == ' ', "strtou64: no digits is EINVAL, end at start");
	ok(rumpns_strtou64("-1", &end, 10, &v) == K_EINVAL && v == 0,
	    "strtou64: a minus sign is EINVAL");
	ok(rumpns_strtou64("10", &end, 1, &v) == K_EINVAL &&
	    rumpns_strtou64("10", &end, 37, &v) == K_EINVAL &&
	    rumpns_strtou64("10", &end, -1, &v) == K_EINVAL,
	    "strtou64: bases 1, 37, -1 are EINVAL");
	ok(rumpns_strtou64("0x20", NULL, 0, &v) == 0 && v == 32,
	    "strtou64: endp may be NULL");
	ok(rumpns_strtou64("0x", &end, 16, &v) == 0 && v == 0 &&
	    *end == 'x', "strtou64: \"0x\" alone is 0, end at the x");
}

/* ------------------------------------------------------------------ */
/* bitops */

static int
ref_ffs(uint64_t x, int bits)
{
	int i;

	for (i = 0; i < bits; i++)
		if (x & ((uint64_t)1 << i))
			return i + 1;
	return 0;
}

static int
ref_fls(uint64_t x, int bits)
{
	int i;

	for (i = bits - 1; i >= 0; i--)
		if (x & ((uint64_t)1 << i))
			return i + 1;
	return 0;
}

static int
ref_pop(uint64_t x)
{
	int n = 0;

	for (; x != 0; x >>= 1)
		n += x & 1;
	return n;
}

static void
test_bitops(void)
{
	int i, bad32 = 0, bad64 = 0;
	uint64_t x;
	uint32_t y;

	for (i = 0; i < 64; i++) {
		x = (uint64_t)1 << i;
		if (rumpns_ffs64(x) != i + 1 || rumpns_fls64(x) != i + 1 ||
		    rumpns_popcount64(x) != 1 ||
		    rumpns_popcount64(~x) != 63)
			bad64++;
		if (i < 32) {
			y = (uint32_t)1 << i;
			if (rumpns_ffs32(y) != i + 1 ||
			    rumpns_fls32(y) != i + 1 ||
			    rumpns_popcount32(y) != 1 ||
			    rumpns_popcount32(~y) != 31)
				bad32++;
		}
	}
	ok(bad32 == 0 && bad64 == 0, "bitops: every single bit");
	ok(rumpns_ffs32(0) == 0 && rumpns_fls32(0) == 0 &&
	    rumpns_popcount32(0) == 0 && rumpns_ffs64(0) == 0 &&
	    rumpns_fls64(0) == 0 && rumpns_popcount64(0) == 0 &&
	    rumpns_popcount32(UINT32_MAX) == 32 &&
	    rumpns_popcount64(UINT64_MAX) == 64 &&
	    rumpns_fls64(UINT64_MAX) == 64 && rumpns_ffs64(UINT64_MAX) == 1,
	    "bitops: zero and all ones");
	bad32 = bad64 = 0;
	for (i = 0; i < 100000; i++) {
		/* Sparse and dense values as well as uniform ones. */
		x = rnd();
		if (i % 3 == 1)
			x &= rnd() & rnd();
		else if (i % 3 == 2)
			x >>= rnd() % 64;
		y = (uint32_t)x;
		if (rumpns_ffs64(x) != ref_ffs(x, 64) ||
		    rumpns_fls64(x) != ref_fls(x, 64) ||
		    rumpns_popcount64(x) != ref_pop(x))
			bad64++;
		if (rumpns_ffs32(y) != ref_ffs(y, 32) ||
		    rumpns_fls32(y) != ref_fls(y, 32) ||
		    rumpns_popcount32(y) != ref_pop(y))
			bad32++;
	}
	ok(bad32 == 0, "bitops 32: 100000 random values");
	ok(bad64 == 0, "bitops 64: 100000 random values");
}

/* ------------------------------------------------------------------ */
/* checksums */

/* The CRCs bit by bit, from their definitions. */
static uint32_t
ref_crc(uint32_t poly, uint32_t crc, const unsigned char *p, size_t n)
{
	int k;

	crc = ~crc;
	while (n-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (crc & 1 ? poly : 0);
	}
	return ~crc;
}

static void
test_crc(void)
{
	static const char fox[] =
	    "The quick brown fox jumps over the lazy dog";
	static unsigned char buf[4096];
	unsigned char v[32];
	size_t n, cut;
	int i, bad = 0, badchain = 0;
	uint32_t c;

	ok(rumpns_crc32_ieee(0, "123456789", 9) == 0xcbf43926,
	    "crc32_ieee(\"123456789\") == 0xcbf43926");
	ok(rumpns_crc32_ieee(0, "", 0) == 0 &&
	    rumpns_crc32_ieee(0, "a", 1) == 0xe8b7be43 &&
	    rumpns_crc32_ieee(0, fox, strlen(fox)) == 0x414fa339,
	    "crc32_ieee: \"\", \"a\", the fox");
	ok(rumpns_crc32c(0, "123456789", 9) == 0xe3069283,
	    "crc32c(\"123456789\") == 0xe3069283");
	/* RFC 3720, B.4. */
	memset(v, 0, 32);
	c = rumpns_crc32c(0, v, 32);
	memset(v, 0xff, 32);
	i = c == 0x8a9136aa && rumpns_crc32c(0, v, 32) == 0x62a8ab43;
	for (n = 0; n < 32; n++)
		v[n] = (unsigned char)n;
	i &= rumpns_crc32c(0, v, 32) == 0x46dd794e;
	for (n = 0; n < 32; n++)
		v[n] = (unsigned char)(31 - n);
	i &= rumpns_crc32c(0, v, 32) == 0x113fdb5c;
	ok(i && rumpns_crc32c(0, "", 0) == 0, "crc32c: RFC 3720 vectors");

	fillrnd(buf, sizeof(buf));
	for (i = 0; i < 300; i++) {
		n = i < 100 ? (size_t)i : rnd() % sizeof(buf);
		c = (uint32_t)rnd();
		if (rumpns_crc32_ieee(c, buf, n) !=
		    ref_crc(0xedb88320, c, buf, n) ||
		    rumpns_crc32c(c, buf + 1, n - (n > 0)) !=
		    ref_crc(0x82f63b78, c, buf + 1, n - (n > 0)))
			bad++;
		cut = n ? rnd() % (n + 1) : 0;
		if (rumpns_crc32_ieee(rumpns_crc32_ieee(0, buf, cut),
		    buf + cut, n - cut) != rumpns_crc32_ieee(0, buf, n) ||
		    rumpns_crc32c(rumpns_crc32c(0, buf, cut),
		    buf + cut, n - cut) != rumpns_crc32c(0, buf, n))
			badchain++;
	}
	ok(bad == 0, "crc32_ieee, crc32c: random buffers vs bitwise");
	ok(badchain == 0, "crc32_ieee, crc32c: chaining at any cut");
}

/* RFC 1071 as written: big-endian 16-bit words, odd byte padded. */
static uint16_t
ref_cksum(const unsigned char *p, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
test_cksum(void)
{
	static unsigned char buf[70000 + 16];
	unsigned char stored[2];
	uint16_t k;
	uint32_t s;
	size_t n, al, cut;
	int i, bad = 0, badchain = 0, badver = 0;

	fillrnd(buf, sizeof(buf));
	for (i = 0; i < 2000; i++) {
		al = i % 16;
		n = i < 600 ? (size_t)i / 2 : rnd() % 3000;
		k = rumpns_cksum_fold(rumpns_cksum_add(0, buf + al, n));
		/* The kernel's value is stored as it is. */
		memcpy(stored, &k, 2);
		if (stored[0] != ref_cksum(buf + al, n) >> 8 ||
		    stored[1] != (ref_cksum(buf + al, n) & 0xff))
			bad++;
		cut = (rnd() % (n + 1)) & ~(size_t)1;
		s = rumpns_cksum_add(0, buf + al, cut);
		s = rumpns_cksum_add(s, buf + al + cut, n - cut);
		if (rumpns_cksum_fold(s) != k)
			badchain++;
		/* A receiver summing data and checksum gets 0. */
		if ((n & 1) == 0 && n >= 2) {
			unsigned char save[2];

			memcpy(save, buf + al, 2);
			memset(buf + al, 0, 2);
			k = rumpns_cksum_fold(rumpns_cksum_add(0, buf + al,
			    n));
			memcpy(buf + al, &k, 2);
			if (rumpns_cksum_fold(rumpns_cksum_add(0, buf + al,
			    n)) != 0)
				badver++;
			memcpy(buf + al, save, 2);
		}
	}
	ok(bad == 0, "cksum: random buffers, odd and even lengths, every "
	    "alignment, vs RFC 1071 reference");
	ok(badchain == 0, "cksum_add: chaining at even cuts");
	ok(badver == 0, "cksum: data plus its checksum sums to 0");

	/* Many carries: 70000 bytes of 0xff, and all zeros. */
	memset(buf, 0xff, 70001);
	k = rumpns_cksum_fold(rumpns_cksum_add(0, buf, 70001));
	memcpy(stored, &k, 2);
	i = stored[0] == ref_cksum(buf, 70001) >> 8 &&
	    stored[1] == (ref_cksum(buf, 70001) & 0xff);
	memset(buf, 0, 70000);
	k = rumpns_cksum_fold(rumpns_cksum_add(0, buf, 70000));
	ok(i && k == 0xffff, "cksum: long runs of 0xff and of 0");
	ok(rumpns_cksum_fold(rumpns_cksum_add(0xffffffff, "\xff\xff", 2)) ==
	    0 && rumpns_cksum_fold(0xffffffff) == 0,
	    "cksum: a full uint32_t sum carries on");
}

/* ------------------------------------------------------------------ */
/* rbtree */

static void
test_rbtree(void)
{
	static const struct {
		unsigned int	seed;
		int		n;
	} runs[] = {
		{ 1, 1 }, { 2, 2 }, { 3, 3 }, { 4, 5 }, { 5, 16 },
		{ 6, 33 }, { 7, 100 }, { 8, 257 }, { 9, 1000 },
		{ 10, 4096 }, { 0xdeadbeef, 2000 }, { 0, 500 },
	};
	char why[200];
	size_t i;
	int fails;

	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		fails = rump_ktest_rbtree(runs[i].seed, runs[i].n, why,
		    sizeof(why));
		ok(fails == 0, "rbtree: seed %u, %d nodes", runs[i].seed,
		    runs[i].n);
		if (fails != 0)
			diag("%d failures, first: %s", fails, why);
	}
	fails = rump_ktest_rbtree(1, 0, why, sizeof(why));
	ok(fails == 1 && strncmp(why, "bad size", 8) == 0,
	    "rbtree: the test refuses a bad size");
}

int
main(void)
{
	test_printf_ints();
	test_printf_other();
	test_printf_fixed();
	test_printf_trunc();
	test_vsnprintf_trunc();
	test_kfmt();
	test_memcpy();
	test_memmove();
	test_memset();
	test_memcmp();
	test_memchr();
	test_str();
	test_strlcpy();
	test_strtou64();
	test_bitops();
	test_crc();
	test_cksum();
	test_rbtree();
	return tap_done();
}
