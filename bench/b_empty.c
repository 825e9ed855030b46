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

static int	print_rss(void);

/* Print VmRSS, RssAnon and RssFile of this process, in kB. */
static int
print_rss(void)
{
	FILE *f;
	char line[256];
	long rss = -1, anon = -1, file = -1;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		sscanf(line, "VmRSS: %ld", &rss);
		sscanf(line, "RssAnon: %ld", &anon);
		sscanf(line, "RssFile: %ld", &file);
	}
	fclose(f);
	if (rss == -1)
		return -1;
	printf("%ld %ld %ld\n", rss, anon, file);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "rss") == 0)
		return print_rss() == -1;
	return 0;
}
