/*
 * b_mem: resident memory of a process with a booted, idle kernel.
 *
 * Boots the kernel, lets its threads settle for a moment, then prints
 * the process's resident set from /proc/self/status ("VmRSS RssAnon
 * RssFile", in kB) exactly as `b_empty rss` does.  b_driver subtracts
 * the empty program's figure: what remains is what the kernel costs
 * (its pages of text and data touched, heap, thread stacks).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rump/rump.h>

#include "bench.h"


int
main(void)
{
	struct timespec idle = { 0, 20 * 1000 * 1000 };

	if (rump_init() == -1) {
		fprintf(stderr, "b_mem: rump_init: %s\n", strerror(errno));
		return 1;
	}
	/* Idle: give the kernel threads time to run and block. */
	nanosleep(&idle, NULL);
	return print_rss() == -1;
}
