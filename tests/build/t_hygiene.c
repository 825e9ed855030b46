/*
 * t_hygiene.c: symbol hygiene (DESIGN.md rule 4).
 *
 * This program defines its own printf, malloc (and the rest of the
 * allocator family), panic and strlen, as a real program might, and
 * links with the kernel: statically (t_hygiene) and as shared libraries
 * (t_hygiene_shared).  Both the program's functions and the kernel's
 * must work, and neither may call the other's.
 *
 * TAP output goes through write(2): stdio could call our printf.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

/* ---- the program's own functions ---- */

static int printf_calls, strlen_calls, panic_calls;
static unsigned long malloc_calls;
static char printf_buf[256];

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	printf_calls++;
	va_start(ap, fmt);
	n = vsnprintf(printf_buf, sizeof(printf_buf), fmt, ap);
	va_end(ap);
	return n;
}

size_t
strlen(const char *s)
{
	const char *p = s;

	strlen_calls++;
	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

void panic(const char *);
void
panic(const char *why)
{

	(void)why;
	panic_calls++;
}

/* A bump allocator: enough for a test, and obviously not glibc's. */
#define ARENA_SIZE	(256u << 20)
static char arena[ARENA_SIZE] __attribute__((aligned(4096)));
static size_t arena_used;	/* atomic */

struct hdr {
	size_t	size;
	size_t	pad;
};

static void *
arena_alloc(size_t size, size_t align)
{
	size_t need, off, old;
	char *p;

	if (align < sizeof(struct hdr))
		align = sizeof(struct hdr);
	need = size + align + sizeof(struct hdr);
	old = __atomic_fetch_add(&arena_used, need, __ATOMIC_SEQ_CST);
	if (old + need > ARENA_SIZE) {
		errno = ENOMEM;
		return NULL;
	}
	__atomic_add_fetch(&malloc_calls, 1, __ATOMIC_SEQ_CST);
	p = arena + old + sizeof(struct hdr);
	off = (align - ((uintptr_t)p & (align - 1))) & (align - 1);
	p += off;
	((struct hdr *)p)[-1].size = size;
	return p;
}

void *
malloc(size_t size)
{

	return arena_alloc(size, 16);
}

void
free(void *p)
{

	(void)p;
}

void *
calloc(size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	if ((p = arena_alloc(n * size, 16)) != NULL)
		memset(p, 0, n * size);
	return p;
}

void *
realloc(void *old, size_t size)
{
	void *p;
	size_t osize;

	if ((p = arena_alloc(size, 16)) == NULL || old == NULL)
		return p;
	osize = ((struct hdr *)old)[-1].size;
	memcpy(p, old, osize < size ? osize : size);
	return p;
}

int
posix_memalign(void **pp, size_t align, size_t size)
{

	return (*pp = arena_alloc(size, align)) != NULL ? 0 : ENOMEM;
}

void *
aligned_alloc(size_t align, size_t size)
{

	return arena_alloc(size, align);
}

void	*memalign(size_t, size_t);
void *
memalign(size_t align, size_t size)
{

	return arena_alloc(size, align);
}

/* ---- TAP without stdio ---- */

static int ntest, nfail;

static void
say(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	if (write(STDOUT_FILENO, s, n) < 0)
		_exit(2);
}

static void
check(int pass, const char *what)
{
	char num[16];

	ntest++;
	nfail += !pass;
	snprintf(num, sizeof(num), "%d", ntest);
	say(pass ? "ok " : "not ok ");
	say(num);
	say(" - ");
	say(what);
	say("\n");
}

int
main(void)
{
	char buf[8192], *p;
	int name[2] = { RUMP_CTL_KERN, RUMP_KERN_OSTYPE }, fd, saved, pc, sc;
	size_t len;
	ssize_t n;
	unsigned long mc;
	struct rump_utsname u;

	/* The program's own functions are the ones it calls. */
	printf("mine %d", 42);
	check(printf_calls == 1 && strcmp(printf_buf, "mine 42") == 0,
	    "the program's printf is its own");
	check(strlen("four") == 4 && strlen_calls == 1,
	    "the program's strlen is its own");
	panic("not the kernel's");
	check(panic_calls == 1, "the program's panic is its own, and returns");
	p = malloc(100);
	check(p >= arena && p < arena + ARENA_SIZE && malloc_calls >= 1,
	    "the program's malloc is its own");

	/* Boot verbosely, with the kernel's console captured. */
	fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	setenv("RUMP_VERBOSE", "1", 1);
	pc = printf_calls;
	mc = malloc_calls;
	check(rump_init() == 0, "the kernel boots");
	/* From here on only the kernel works: the hypercall layer, host
	 * code, may use the host's (here the program's) functions. */
	sc = strlen_calls;
	check(rump_sys_uname(&u) == 0 && memcmp(u.sysname, "anykernel", 10)
	    == 0, "uname through the kernel's own string functions");
	len = 0;
	check(rump_sys_sysctl(name, 2, NULL, &len, NULL, 0) == 0 &&
	    len == 10, "sysctl measured \"anykernel\" with the kernel's strlen");
	dup2(saved, STDERR_FILENO);
	check(printf_calls == pc && strlen_calls == sc,
	    "the kernel called neither the program's printf nor its strlen");
	check(panic_calls == 1, "nor its panic");
	check(malloc_calls > mc, "the hypercall layer allocated through the "
	    "host allocator (here, the program's)");
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	check(n > 0 && strstr(buf, "anykernel 0.1:") != NULL,
	    "the kernel's printf wrote its boot banner to the console");

	snprintf(buf, sizeof(buf), "1..%d\n", ntest);
	say(buf);
	return nfail != 0;
}
