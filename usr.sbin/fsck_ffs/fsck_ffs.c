/*
 * fsck_ffs.c: check, and repair, an FFS (UFS1 or UFS2, either byte
 * order) in an image file.
 *
 *	fsck_ffs [-fnpy] image
 *
 * A rump kernel in this process registers the image as a block device
 * (etfs; read-only unless repairing) and rump_ffs_check() does the
 * work in the passes of BSD fsck_ffs, handing back one line per
 * finding, which is printed on standard output as it comes.  Only the
 * image file is touched.  man/fsck_ffs.8 documents the options.
 *
 * Exit status (fsck(8) conventions):
 *   0  no inconsistencies, or all of them repaired
 *   1  usage error, or the image could not be read or written
 *   8  inconsistencies remain (found by a check-only run, not fixed,
 *      or unexpected while preening), or no usable FFS superblock
 * Single-threaded; no locking.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ffs.h>

#define EX_OK		0
#define EX_FAIL		1
#define EX_ERRORS	8

#define DEVNODE		"/dev/image"

static const char *progname = "fsck_ffs";
static const char *image;
static int preen;

static void
usage(FILE *out)
{

	fprintf(out, "usage: %s [-fnpy] image\n"
	    "  -n  check only, change nothing (the default)\n"
	    "  -y  repair every inconsistency found\n"
	    "  -p  preen: repair only what an unclean shutdown leaves;\n"
	    "      skip a file system marked clean\n"
	    "  -f  with -p: check even a file system marked clean\n",
	    progname);
}

/* One line from the kernel: a phase, or a finding. */
static void
report(void *arg, const char *line)
{

	(void)arg;
	if (preen) {
		if (strncmp(line, "** ", 3) != 0)
			printf("%s: %s\n", image, line);
	} else
		printf("%s\n", line);
	fflush(stdout);
}

static void
summary(const struct rump_ffs_check_result *r)
{
	uint64_t tenths = r->fcr_dsize == 0 ? 0 :
	    r->fcr_nffree * 1000 / r->fcr_dsize;

	printf("%s%s%" PRIu64 " files, %" PRIu64 " used, %" PRIu64 " free "
	    "(%" PRIu64 " frags, %" PRIu64 " blocks, %" PRIu64 ".%" PRIu64
	    "%% fragmentation)\n", preen ? image : "", preen ? ": " : "",
	    r->fcr_files, r->fcr_used, r->fcr_free, r->fcr_nffree,
	    r->fcr_nbfree, tenths / 10, tenths % 10);
}

int
main(int argc, char **argv)
{
	struct rump_ffs_check_result r;
	int ch, flags = 0, mode = 0, force = 0, rv;

	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return EX_OK;
	}
	while ((ch = getopt(argc, argv, "fnpyh")) != -1) {
		switch (ch) {
		case 'f':
			force = 1;
			break;
		case 'n':
		case 'p':
		case 'y':
			if (mode != 0 && mode != ch) {
				warnx("-%c and -%c conflict", mode, ch);
				usage(stderr);
				return EX_FAIL;
			}
			mode = ch;
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		default:
			usage(stderr);
			return EX_FAIL;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EX_FAIL;
	}
	image = argv[optind];
	if (mode == 'y')
		flags = RUMP_FFS_CHECK_REPAIR;
	else if (mode == 'p') {
		preen = 1;
		flags = RUMP_FFS_CHECK_PREEN |
		    (force ? 0 : RUMP_FFS_CHECK_SKIPCLEAN);
	}

	if (rump_init() != 0) {
		warnx("cannot boot the kernel: %s", strerror(errno));
		return EX_FAIL;
	}
	if (rump_sys_mkdir("/dev", 0755) != 0 ||
	    rump_etfs_register(DEVNODE, image, flags ? RUMP_ETFS_BLK :
	    RUMP_ETFS_BLK_RO) != 0) {
		warnx("%s: %s", image, strerror(errno));
		return EX_FAIL;
	}
	if (!preen)
		printf("** %s%s\n", image, flags ? "" : " (NO WRITE)");
	fflush(stdout);
	memset(&r, 0, sizeof(r));
	if (rump_ffs_check(DEVNODE, flags, report, NULL, &r) != 0) {
		rv = errno;
		if (rv == EMEDIUMTYPE || rv == EINVAL) {
			warnx("%s: %s", image, rv == EMEDIUMTYPE ?
			    "not an FFS file system (no superblock found)" :
			    "superblock damaged; cannot check");
			return EX_ERRORS;
		}
		warnx("%s: %s", image, strerror(rv));
		return EX_FAIL;
	}

	if (r.fcr_state & RUMP_FFS_CHECK_SKIPPED) {
		printf("%s: clean, %" PRIu64 " free (%" PRIu64 " frags, %"
		    PRIu64 " blocks)\n", image, r.fcr_free, r.fcr_nffree,
		    r.fcr_nbfree);
		return EX_OK;
	}
	if (!preen)
		printf("** File system was %smarked clean\n",
		    r.fcr_state & RUMP_FFS_CHECK_WASCLEAN ? "" : "not ");
	if (!(r.fcr_state & RUMP_FFS_CHECK_STOPPED))
		summary(&r);
	rv = EX_OK;
	if (preen && r.fcr_unexpected > 0) {
		printf("%s: UNEXPECTED INCONSISTENCY; RUN %s MANUALLY.\n",
		    image, progname);
		rv = EX_ERRORS;
	} else if (r.fcr_fixed < r.fcr_findings) {
		if (!preen)
			printf("\n***** %" PRIu64 " INCONSISTENC%s %s *****\n",
			    r.fcr_findings - r.fcr_fixed,
			    r.fcr_findings - r.fcr_fixed == 1 ? "Y" : "IES",
			    flags ? "NOT FIXED" : "FOUND");
		rv = EX_ERRORS;
	}
	if ((r.fcr_state & RUMP_FFS_CHECK_MODIFIED) && preen)
		printf("%s: FILE SYSTEM WAS MODIFIED\n", image);
	else if (r.fcr_state & RUMP_FFS_CHECK_MODIFIED)
		printf("\n***** FILE SYSTEM WAS MODIFIED *****\n");
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warnx("standard output: %s", strerror(errno));
		rv = EX_FAIL;
	}
	return rv;
}
