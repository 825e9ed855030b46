/*
 * fsu_cp.c: the three copying commands, all on fsu_copy.c.
 *
 *	fsu_cp  image [-aHLPpRrv] source ... target	inside the image
 *	fsu_get image [-HLPprRv] source ... target	image -> host
 *	fsu_put image [-HLPprRv] source ... target	host -> image
 *
 * fsu_cp is cp(1): -R (or -r) copies directories, -p keeps modes,
 * owners and times, -a is -R -p -P and keeps hard links; symbolic links
 * are followed unless -R (then -H follows those named as operands, -L
 * all).  fsu_get and fsu_put always keep modes, times, symbolic links
 * and hard links, since they move trees between the image and the host;
 * fsu_put keeps owners too (as makefs does), fsu_get only when run by
 * root.  Exit status 0, 1 if something could not be copied, 2 for bad
 * usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "fsu.h"

static const struct option longopts[] = {
	{ "help", no_argument, NULL, FSU_OPT_HELP },
	{ "recursive", no_argument, NULL, 'R' },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 }
};

/*
 * Options and operands common to the three; the caller has set the
 * sides and its defaults.  -1: go on; else the exit status.
 */
static int
copy_args(struct fsu_copy *c, int argc, char **argv, const char *opts)
{
	int ch, deref = -1;

	while ((ch = getopt_long(argc, argv, opts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			c->recursive = 1;
			c->preserve = 1;
			c->owners = 1;
			c->hardlinks = 1;
			deref = 0;
			break;
		case 'H':
			deref = 1;
			break;
		case 'L':
			deref = 2;
			break;
		case 'P':
			deref = 0;
			break;
		case 'p':
			c->preserve = 1;
			c->owners = 1;
			break;
		case 'R':
		case 'r':
			c->recursive = 1;
			break;
		case 'v':
			c->verbose = 1;
			break;
		case FSU_OPT_HELP:
			return fsu_help();
		default:
			return fsu_usage();
		}
	}
	if (argc - optind < 2)
		return fsu_usage();
	/* As cp: recursive copies keep links; plain ones follow them. */
	c->deref = deref >= 0 ? deref : c->recursive ? 0 : 2;
	return -1;
}

int
fsu_cp_main(int argc, char **argv)
{
	struct fsu_copy c = { .src = &fsu_imagefs, .dst = &fsu_imagefs };
	int rv;

	if ((rv = copy_args(&c, argc, argv, "aHLPpRrv")) >= 0)
		return rv;
	/* Owners cannot be refused in the image: we are its root. */
	return fsu_copy_main(&c, argc - optind - 1, argv + optind,
	    argv[argc - 1]);
}

int
fsu_get_main(int argc, char **argv)
{
	struct fsu_copy c = { .src = &fsu_imagefs, .dst = &fsu_hostfs,
	    .preserve = 1, .hardlinks = 1 };
	int rv;

	if ((rv = copy_args(&c, argc, argv, "HLPpRrv")) >= 0)
		return rv;
	/* The image's owners mean nothing to the host but to root. */
	c.owners = geteuid() == 0;
	c.quiet_owners = 1;
	return fsu_copy_main(&c, argc - optind - 1, argv + optind,
	    argv[argc - 1]);
}

int
fsu_put_main(int argc, char **argv)
{
	struct fsu_copy c = { .src = &fsu_hostfs, .dst = &fsu_imagefs,
	    .preserve = 1, .owners = 1, .hardlinks = 1 };
	int rv;

	if ((rv = copy_args(&c, argc, argv, "HLPpRrv")) >= 0)
		return rv;
	c.owners = 1;
	return fsu_copy_main(&c, argc - optind - 1, argv + optind,
	    argv[argc - 1]);
}
