/*
 * fsu_cat.c: cat(1) inside an image: fsu_cat image [-u] file ...
 * Copies each file to standard output; exit status 1 if one could not
 * be read, 2 for bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fsu.h"

int
fsu_cat_main(int argc, char **argv)
{
	static char buf[FSU_BUFSIZE];
	rump_ssize_t n;
	ssize_t w;
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ NULL, 0, NULL, 0 }
	};
	int i, fd, ch, status = FSU_OK;

	while ((ch = getopt_long(argc, argv, "u", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':		/* unbuffered: it always is */
			break;
		case FSU_OPT_HELP:
			return fsu_help();
		default:
			return fsu_usage();
		}
	}
	if (optind >= argc)
		return fsu_usage();
	for (i = optind; i < argc; i++) {
		if ((fd = rump_sys_open(argv[i], RUMP_O_RDONLY, 0)) == -1) {
			fsu_warn("%s", argv[i]);
			status = FSU_TROUBLE;
			continue;
		}
		while ((n = rump_sys_read(fd, buf, sizeof(buf))) > 0) {
			if ((w = write(STDOUT_FILENO, buf, (size_t)n)) != n) {
				fsu_warn("stdout");
				rump_sys_close(fd);
				return FSU_FAIL;
			}
		}
		if (n < 0) {
			fsu_warn("%s", argv[i]);
			status = FSU_TROUBLE;
		}
		rump_sys_close(fd);
	}
	return status;
}
