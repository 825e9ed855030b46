/*
 * rump_ctl.c: rump.halt, rump.mount and rump.umount, the tools that
 * manage a running rump_server, as one program called by those names.
 * Each reaches the server named by RUMP_SERVER through librumpclient.
 *
 *	rump.halt [-n]				shut the server down (-n:
 *						without flushing file systems)
 *	rump.mount -t type [-o options] special node
 *						mount special (e.g. a device
 *						from rump_server -d) on node
 *	rump.umount [-f] node
 *
 * Mount options: ro, force (mount an unclean file system read-write).
 * Types: ffs and tmpfs (special is then ignored).  Exit status 0, 1 on
 * failure (with a message), 2 for bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

static const char *prog;

static int
usage(void)
{

	if (strcmp(prog, "rump.halt") == 0)
		fprintf(stderr, "usage: rump.halt [-n]\n");
	else if (strcmp(prog, "rump.mount") == 0)
		fprintf(stderr, "usage: rump.mount -t type [-o ro,force] "
		    "special node\n");
	else
		fprintf(stderr, "usage: rump.umount [-f] node\n");
	return 2;
}

static int
connect_server(void)
{

	if (getenv("RUMP_SERVER") == NULL) {
		fprintf(stderr, "%s: RUMP_SERVER is not set (e.g. "
		    "unix://sock)\n", prog);
		return -1;
	}
	if (rumpclient_init() != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, getenv("RUMP_SERVER"),
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
halt_main(int argc, char **argv)
{
	int ch, howto = 0;

	while ((ch = getopt(argc, argv, "n")) != -1) {
		if (ch != 'n')
			return usage();
		howto |= RUMP_RB_NOSYNC;
	}
	if (optind != argc)
		return usage();
	if (connect_server() != 0)
		return 1;
	if (rump_sys_reboot(howto) != 0) {
		fprintf(stderr, "%s: %s\n", prog, strerror(errno));
		return 1;
	}
	return 0;
}

static int
mount_main(int argc, char **argv)
{
	struct rump_ffs_args fa;
	const char *type = NULL;
	char *opts = NULL, *o, *save = NULL;
	int ch, flags = 0, rc;

	while ((ch = getopt(argc, argv, "o:t:")) != -1) {
		switch (ch) {
		case 'o':
			opts = optarg;
			break;
		case 't':
			type = optarg;
			break;
		default:
			return usage();
		}
	}
	if (type == NULL || argc - optind != 2)
		return usage();
	for (o = opts ? strtok_r(opts, ",", &save) : NULL; o != NULL;
	    o = strtok_r(NULL, ",", &save)) {
		if (strcmp(o, "ro") == 0)
			flags |= RUMP_MNT_RDONLY;
		else if (strcmp(o, "rw") == 0)
			flags &= ~RUMP_MNT_RDONLY;
		else if (strcmp(o, "force") == 0)
			flags |= RUMP_MNT_FORCE;
		else {
			fprintf(stderr, "%s: -o %s: unknown option\n", prog, o);
			return 2;
		}
	}
	if (strcmp(type, "ffs") != 0 && strcmp(type, "tmpfs") != 0) {
		fprintf(stderr, "%s: %s: unknown file system type (ffs, "
		    "tmpfs)\n", prog, type);
		return 2;
	}
	if (connect_server() != 0)
		return 1;
	if (strcmp(type, "ffs") == 0) {
		memset(&fa, 0, sizeof(fa));
		if (strlen(argv[optind]) >= sizeof(fa.fa_fspec)) {
			fprintf(stderr, "%s: %s: name too long\n", prog,
			    argv[optind]);
			return 1;
		}
		strcpy(fa.fa_fspec, argv[optind]);
		rc = rump_sys_mount("ffs", argv[optind + 1], flags, &fa,
		    sizeof(fa));
	} else
		rc = rump_sys_mount("tmpfs", argv[optind + 1], flags, NULL, 0);
	if (rc != 0) {
		fprintf(stderr, "%s: %s on %s: %s\n", prog, argv[optind],
		    argv[optind + 1], strerror(errno));
		return 1;
	}
	return 0;
}

static int
umount_main(int argc, char **argv)
{
	int ch, flags = 0;

	while ((ch = getopt(argc, argv, "f")) != -1) {
		if (ch != 'f')
			return usage();
		flags |= RUMP_MNT_FORCE;
	}
	if (argc - optind != 1)
		return usage();
	if (connect_server() != 0)
		return 1;
	if (rump_sys_unmount(argv[optind], flags) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, argv[optind],
		    strerror(errno));
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{

	prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage();
		return 0;
	}
	if (strcmp(prog, "rump.halt") == 0)
		return halt_main(argc, argv);
	if (strcmp(prog, "rump.mount") == 0)
		return mount_main(argc, argv);
	if (strcmp(prog, "rump.umount") == 0)
		return umount_main(argc, argv);
	fprintf(stderr, "%s: call me rump.halt, rump.mount or rump.umount\n",
	    prog);
	return 2;
}
