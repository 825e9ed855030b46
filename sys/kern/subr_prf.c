/*
 * subr_prf.c: kernel console output and panic.
 *
 * printf formats with libkern's kfmt into a small buffer on the stack
 * and hands it to the console hypercall a line (or a buffer) at a time;
 * no lock is taken, so output from two threads interleaves at most at
 * line granularity.  panic() ends the host process through
 * rumpuser_exit(RUMPUSER_EXIT_PANIC).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <rumpuser.h>

bool boothowto_verbose;

struct prfbuf {
	char	pb_buf[160];
	size_t	pb_len;
};

static void
prf_flush(struct prfbuf *pb)
{

	if (pb->pb_len > 0) {
		rumpuser_console(pb->pb_buf, pb->pb_len);
		pb->pb_len = 0;
	}
}

static void
prf_put(int ch, void *arg)
{
	struct prfbuf *pb = arg;

	pb->pb_buf[pb->pb_len++] = (char)ch;
	if (ch == '\n' || pb->pb_len == sizeof(pb->pb_buf))
		prf_flush(pb);
}

int
vprintf(const char *fmt, va_list ap)
{
	struct prfbuf pb;
	int n;

	pb.pb_len = 0;
	n = kfmt(prf_put, &pb, fmt, ap);
	prf_flush(&pb);
	return n;
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void
aprint_verbose(const char *fmt, ...)
{
	va_list ap;

	if (!boothowto_verbose)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void
panic(const char *fmt, ...)
{
	static int panicking;
	va_list ap;

	/* A panic while panicking: just leave. */
	if (atomic_inc_nv(&panicking) == 1) {
		printf("panic: ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	rumpuser_exit(RUMPUSER_EXIT_PANIC);
}
