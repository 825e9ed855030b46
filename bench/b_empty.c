/*
 * b_empty: the baseline process for the bootstrap and memory benchmarks.
 *
 * An empty C program linked with the same command as the rump programs
 * (our archives statically, libc dynamically) that never calls rump,
 * so nothing of the kernel is linked in: it pays only the host's cost
 * of starting and ending a dynamically linked process.  b_driver times
 * whole runs of it against whole runs of b_boot.
 *
 * With the argument "rss" it prints its resident set exactly as b_mem
 * does ("VmRSS RssAnon RssFile", in kB, from /proc/self/status): the
 * memory baseline.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"


int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "rss") == 0)
		return print_rss() == -1;
	return 0;
}
