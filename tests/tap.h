/*
 * tap.h: a minimal Test Anything Protocol producer for host-side tests.
 *
 *	ok(cond, "what", ...)	one test point
 *	skip(n, "why")		n skipped points, with the reason
 *	diag("...")		a comment line
 *	tap_todo = "why"	the next points are known to fail (TAP TODO:
 *				printed, not counted); NULL again ends it
 *	return tap_done();	prints the plan; exit status 0 only if all passed
 *
 * Output goes through stdio's stdout (never printf itself: the symbol
 * hygiene test defines its own printf).
 */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count, tap_failed;
static const char *tap_todo;	/* a known bug: failures are TODO */

static inline int __attribute__((format(printf, 4, 5)))
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	fprintf(stdout, "%sok %d - ", pass ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	if (tap_todo != NULL)
		fprintf(stdout, " # TODO %s", tap_todo);
	fputc('\n', stdout);
	if (!pass && tap_todo == NULL) {
		tap_failed++;
		fprintf(stdout, "#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return pass;
}

#define ok(cond, ...)	tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

static inline void __attribute__((format(printf, 1, 2)))
diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

static inline void
skip(int n, const char *why)
{
	while (n-- > 0)
		fprintf(stdout, "ok %d # SKIP %s\n", ++tap_count, why);
	fflush(stdout);
}

static inline int
tap_done(void)
{
	fprintf(stdout, "1..%d\n", tap_count);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif /* TESTS_TAP_H */
