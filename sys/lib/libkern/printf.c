/*
 * printf.c: the kernel's formatter (libkern.h).
 *
 *	kfmt(put, arg, fmt, ap)		format, handing each character to put
 *	vsnprintf(buf, size, fmt, ap)	format into a buffer
 *	snprintf(buf, size, fmt, ...)
 *
 * Flags "-+ #0", width and precision (either may be *), lengths hh h l
 * ll z t j, conversions d i u o x X c s p %.  The output is glibc's,
 * also where C leaves it open: %p is "(nil)" for NULL and otherwise
 * %#lx that honours '+' and ' '; '0' pads numbers only; a NULL %s is
 * "(null)" unless the precision is below 6; %% takes no width.  An
 * unknown conversion is copied out as written.  No floating point.
 */

#include <sys/types.h>
#include <sys/stdarg.h>
#include <lib/libkern/libkern.h>

#define F_MINUS		0x01	/* left-justify */
#define F_PLUS		0x02	/* '+' on non-negative signed numbers */
#define F_SPACE		0x04	/* ' ' on non-negative signed numbers */
#define F_ALT		0x08	/* '#': 0 before octal, 0x before hex */
#define F_ZERO		0x10	/* pad numbers with zeros to the width */

enum length { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_SIZE, L_PTRDIFF,
	L_MAX };

/*
 * Where the output goes: a put function, or (put == NULL) straight
 * into a buffer with room for left more characters, which spares
 * vsnprintf a call per character.
 */
struct out {
	void	(*put)(int, void *);
	void	*arg;
	char	*buf;
	size_t	 left;
	size_t	 n;		/* characters produced so far */
};

static void
emit(struct out *o, const char *s, size_t len)
{
	size_t k;

	o->n += len;
	if (o->put == NULL) {
		/* With size 0 the buffer may be NULL: touch nothing. */
		k = len < o->left ? len : o->left;
		if (k > 0) {
			memcpy(o->buf, s, k);
			o->buf += k;
			o->left -= k;
		}
		return;
	}
	while (len-- > 0)
		(*o->put)((unsigned char)*s++, o->arg);
}

static void
pad(struct out *o, int c, int count)
{
	size_t k;

	if (count <= 0)
		return;
	o->n += count;
	if (o->put == NULL) {
		k = (size_t)count < o->left ? (size_t)count : o->left;
		if (k > 0) {
			memset(o->buf, c, k);
			o->buf += k;
			o->left -= k;
		}
		return;
	}
	while (count-- > 0)
		(*o->put)(c, o->arg);
}

/* A string or character field: spaces only, on the side '-' says. */
static void
field(struct out *o, const char *s, size_t len, int flags, int width)
{
	int fill = width > (int)len ? width - (int)len : 0;

	if ((flags & F_MINUS) == 0)
		pad(o, ' ', fill);
	emit(o, s, len);
	if (flags & F_MINUS)
		pad(o, ' ', fill);
}

/*
 * A number field: [spaces] [sign] [0x] [zeros] digits [spaces].  The
 * zeros come from the precision (minimum digits), from '#' with octal
 * (the first digit must be 0) and from the '0' flag, which fills the
 * width but gives way to '-' and to an explicit precision.
 */
static void
number(struct out *o, uintmax_t v, unsigned int base, int upper, int sign,
    int flags, int width, int prec)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24], pre[3];
	char *p = buf + sizeof(buf);
	int ndig, npre = 0, zeros, total;

	/* Precision 0 and value 0: no digits at all. */
	if (v != 0 || prec != 0) {
		uintmax_t u = v;

		do {
			*--p = digits[u % base];
			u /= base;
		} while (u != 0);
	}
	ndig = (int)(buf + sizeof(buf) - p);
	zeros = prec > ndig ? prec - ndig : 0;

	if (sign != 0)
		pre[npre++] = (char)sign;
	if (flags & F_ALT) {
		if (base == 8 && zeros == 0 && (ndig == 0 || *p != '0'))
			zeros = 1;
		if (base == 16 && v != 0) {
			pre[npre++] = '0';
			pre[npre++] = upper ? 'X' : 'x';
		}
	}
	if (prec < 0 && (flags & (F_ZERO | F_MINUS)) == F_ZERO &&
	    width - npre - ndig > zeros)
		zeros = width - npre - ndig;

	total = npre + zeros + ndig;
	if ((flags & F_MINUS) == 0)
		pad(o, ' ', width - total);
	emit(o, pre, npre);
	pad(o, '0', zeros);
	emit(o, p, ndig);
	if (flags & F_MINUS)
		pad(o, ' ', width - total);
}

static intmax_t
getsigned(va_list *ap, enum length len)
{
	switch (len) {
	case L_CHAR:
		return (signed char)va_arg(*ap, int);
	case L_SHORT:
		return (short)va_arg(*ap, int);
	case L_LONG:
		return va_arg(*ap, long);
	case L_LLONG:
		return va_arg(*ap, long long);
	case L_SIZE:
		return va_arg(*ap, ssize_t);
	case L_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	case L_MAX:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static uintmax_t
getunsigned(va_list *ap, enum length len)
{
	switch (len) {
	case L_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case L_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case L_LONG:
		return va_arg(*ap, unsigned long);
	case L_LLONG:
		return va_arg(*ap, unsigned long long);
	case L_SIZE:
		return va_arg(*ap, size_t);
	case L_PTRDIFF:
		/* The unsigned type of ptrdiff_t's width, as C says. */
		return (size_t)va_arg(*ap, ptrdiff_t);
	case L_MAX:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* A decimal field width or precision, saturating rather than wrapping. */
static int
getdecimal(const char **fmtp)
{
	const char *s = *fmtp;
	int v = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v > (INT_MAX - 9) / 10 ? INT_MAX : v * 10 + (*s - '0');
	*fmtp = s;
	return v;
}

static void
format(struct out *o, const char *fmt, va_list ap0)
{
	const char *spec, *s;
	va_list ap;
	enum length len;
	intmax_t sv;
	uintmax_t uv;
	int flags, width, prec, sign;
	char c;

	/* A copy, so helpers can take va_arg through a pointer to it. */
	va_copy(ap, ap0);
	for (;;) {
		for (s = fmt; *fmt != '\0' && *fmt != '%'; fmt++)
			continue;
		emit(o, s, fmt - s);
		if (*fmt == '\0')
			break;
		spec = fmt++;

		for (flags = 0;; fmt++) {
			if (*fmt == '-')
				flags |= F_MINUS;
			else if (*fmt == '+')
				flags |= F_PLUS;
			else if (*fmt == ' ')
				flags |= F_SPACE;
			else if (*fmt == '#')
				flags |= F_ALT;
			else if (*fmt == '0')
				flags |= F_ZERO;
			else
				break;
		}

		if (*fmt == '*') {
			fmt++;
			width = va_arg(ap, int);
			if (width < 0) {
				/* A negative width is '-' and its size. */
				flags |= F_MINUS;
				width = width < -INT_MAX ? INT_MAX : -width;
			}
		} else
			width = getdecimal(&fmt);

		prec = -1;
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				fmt++;
				prec = va_arg(ap, int);
				if (prec < 0)
					prec = -1;	/* as if omitted */
			} else
				prec = getdecimal(&fmt);
		}

		len = L_INT;
		switch (*fmt) {
		case 'h':
			len = L_SHORT;
			if (*++fmt == 'h') {
				len = L_CHAR;
				fmt++;
			}
			break;
		case 'l':
			len = L_LONG;
			if (*++fmt == 'l') {
				len = L_LLONG;
				fmt++;
			}
			break;
		case 'z':
			len = L_SIZE;
			fmt++;
			break;
		case 't':
			len = L_PTRDIFF;
			fmt++;
			break;
		case 'j':
			len = L_MAX;
			fmt++;
			break;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			sv = getsigned(&ap, len);
			uv = sv < 0 ? -(uintmax_t)sv : (uintmax_t)sv;
			sign = sv < 0 ? '-' : (flags & F_PLUS) ? '+' :
			    (flags & F_SPACE) ? ' ' : 0;
			number(o, uv, 10, 0, sign, flags & ~F_ALT, width,
			    prec);
			break;
		case 'u':
			uv = getunsigned(&ap, len);
			number(o, uv, 10, 0, 0, flags & ~F_ALT, width, prec);
			break;
		case 'o':
			uv = getunsigned(&ap, len);
			number(o, uv, 8, 0, 0, flags, width, prec);
			break;
		case 'x':
		case 'X':
			uv = getunsigned(&ap, len);
			number(o, uv, 16, *fmt == 'X', 0, flags, width, prec);
			break;
		case 'p':
			uv = (uintptr_t)va_arg(ap, void *);
			if (uv == 0) {
				field(o, "(nil)", 5, flags, width);
				break;
			}
			sign = (flags & F_PLUS) ? '+' :
			    (flags & F_SPACE) ? ' ' : 0;
			number(o, uv, 16, 0, sign, flags | F_ALT, width, prec);
			break;
		case 'c':
			c = (char)va_arg(ap, int);
			field(o, &c, 1, flags, width);
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (s == NULL)
				s = prec < 0 || prec >= 6 ? "(null)" : "";
			field(o, s, prec < 0 ? strlen(s) : strnlen(s, prec),
			    flags, width);
			break;
		case '%':
			emit(o, "%", 1);
			break;
		case '\0':
			/* A lone '%' at the end: show it, and stop. */
			emit(o, spec, fmt - spec);
			continue;
		default:
			emit(o, spec, fmt + 1 - spec);
			break;
		}
		fmt++;
	}
	va_end(ap);
}

int
kfmt(void (*put)(int, void *), void *arg, const char *fmt, va_list ap)
{
	struct out o = { put, arg, NULL, 0, 0 };

	format(&o, fmt, ap);
	return (int)o.n;
}

/* Always NUL-terminated if size > 0; returns the untruncated length. */
int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { NULL, NULL, buf, size > 0 ? size - 1 : 0, 0 };

	format(&o, fmt, ap);
	if (size > 0)
		*o.buf = '\0';
	return (int)o.n;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
