/*
 * fsu_write.c: standard input into a file of the image.
 *
 *	fsu_write image [-a] file
 *
 * Creates the file (mode 0666 less the umask) or truncates it, or with
 * -a appends to it, and copies standard input into it until end of
 * file, in FSU_BUFSIZE chunks.  Exit status 0, 1 if the file could not
 * be written (or standard input read), 2 for bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fsu.h"

int
fsu_write_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ "append", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path;
	char *buf;
	ssize_t n;
	rump_ssize_t w;
	size_t off;
	int ch, fd, flags = RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_TRUNC;
	int status = FSU_OK;

	while ((ch = getopt_long(argc, argv, "a", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			flags = RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_APPEND;
			break;
		case FSU_OPT_HELP:
			return fsu_help();
		default:
			return fsu_usage();
		}
	}
	if (argc - optind != 1)
		return fsu_usage();
	path = argv[optind];
	if ((fd = rump_sys_open(path, flags, 0666)) == -1) {
		fsu_warn("%s", path);
		return FSU_TROUBLE;
	}
	buf = fsu_malloc(FSU_BUFSIZE);
	for (;;) {
		if ((n = read(STDIN_FILENO, buf, FSU_BUFSIZE)) < 0) {
			if (errno == EINTR)
				continue;
			fsu_warn("standard input");
			status = FSU_TROUBLE;
			break;
		}
		if (n == 0)
			break;
		for (off = 0; off < (size_t)n; off += (size_t)w) {
			if ((w = rump_sys_write(fd, buf + off,
			    (size_t)n - off)) <= 0) {
				if (w == 0)
					errno = ENOSPC;
				fsu_warn("%s", path);
				status = FSU_TROUBLE;
				goto out;
			}
		}
	}
out:
	if (rump_sys_close(fd) != 0 && status == FSU_OK) {
		fsu_warn("%s", path);
		status = FSU_TROUBLE;
	}
	free(buf);
	return status;
}
