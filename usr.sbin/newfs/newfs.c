/*
 * newfs.c: make a new FFS (UFS1 or UFS2) in an image file.
 *
 *	newfs [-Fn] [-B be|le] [-b block-size] [-f frag-size]
 *	    [-i bytes-per-inode] [-L volname] [-m free-space%]
 *	    [-O 1|2] [-s size] [-V verbosity] image
 *
 * Like NetBSD's newfs -F: the target is a plain file, created or
 * extended to -s size if it is shorter.  A rump kernel in this process
 * registers the file as a block device (etfs) and rump_ffs_newfs()
 * lays the file system out through the kernel's buffer cache; nothing
 * but the image file is touched.  man/newfs.8 documents the options.
 *
 * Exit status: 0 made, 1 could not be made (file, size, I/O), 2 usage
 * (unknown option, malformed or out-of-range option argument).
 * Single-threaded; no locking.
 */
#include <sys/stat.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
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
#define EX_USAGE	2

#define DEVNODE		"/dev/image"

static const char *progname = "newfs";

static void
usage(FILE *out)
{

	fprintf(out,
	    "usage: %s [-Fn] [-B be|le] [-b block-size] [-f frag-size]\n"
	    "\t[-i bytes-per-inode] [-L volname] [-m free-space%%] "
	    "[-O 1|2]\n"
	    "\t[-s size] [-V verbosity] image\n", progname);
}

/*
 * A size: digits, then an optional suffix.  unit is what a bare
 * number counts (512 for -s, as NetBSD's sectors; 1 for the rest).
 * b bytes, s 512-byte sectors, k m g t binary multiples.
 */
static int
parse_size(const char *s, uint64_t unit, uint64_t *out)
{
	uint64_t v = 0, mul = unit;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (*p != '\0') {
		switch (tolower((unsigned char)*p)) {
		case 'b':
			mul = 1;
			break;
		case 's':
			mul = 512;
			break;
		case 'k':
			mul = 1ULL << 10;
			break;
		case 'm':
			mul = 1ULL << 20;
			break;
		case 'g':
			mul = 1ULL << 30;
			break;
		case 't':
			mul = 1ULL << 40;
			break;
		default:
			return -1;
		}
		if (p[1] != '\0')
			return -1;
	}
	if (v != 0 && mul > UINT64_MAX / v)
		return -1;
	*out = v * mul;
	return 0;
}

/* An option's number in [lo, hi], or a usage error. */
static int
numarg(int opt, const char *s, uint64_t lo, uint64_t hi, uint64_t unit,
    uint64_t *out)
{

	if (parse_size(s, unit, out) != 0 || *out < lo || *out > hi) {
		warnx("-%c %s: expected a number from %" PRIu64 " to %"
		    PRIu64, opt, s, lo, hi);
		return -1;
	}
	return 0;
}

static int
ispow2(uint64_t v)
{

	return v != 0 && (v & (v - 1)) == 0;
}

/* Print the super-block backup list as newfs does, wrapped. */
static void
print_backups(const struct rump_ffs_newfs_info *ni)
{
	char num[32];
	int32_t c;
	size_t col = 0, n;

	printf("super-block backups (for fsck_ffs -b #) at:\n");
	for (c = 0; c < ni->ni_ncg; c++) {
		n = (size_t)snprintf(num, sizeof(num), "%s%" PRId64 ",",
		    col == 0 ? "" : " ",
		    ((int64_t)c * ni->ni_fpg + ni->ni_sblkno) *
		    (ni->ni_fsize / 512));
		if (col + n > 76) {
			printf("\n");
			col = 0;
			n = (size_t)snprintf(num, sizeof(num), "%" PRId64 ",",
			    ((int64_t)c * ni->ni_fpg + ni->ni_sblkno) *
			    (ni->ni_fsize / 512));
		}
		fputs(num, stdout);
		col += n;
	}
	printf("\n");
}

static void
print_summary(const char *image, const struct rump_ffs_newfs_info *ni,
    int verbosity)
{
	uint64_t bytes = (uint64_t)ni->ni_size * (uint64_t)ni->ni_fsize;
	uint64_t cgbytes = (uint64_t)ni->ni_fpg * (uint64_t)ni->ni_fsize;

	if (verbosity < 1)
		return;
	printf("%s: %.1fMB (%" PRIu64 " sectors) block size %d, "
	    "fragment size %d\n", image, (double)bytes / (1 << 20),
	    bytes / 512, ni->ni_bsize, ni->ni_fsize);
	printf("\tusing %d cylinder groups of %.2fMB, %d blks, %d inodes.\n",
	    ni->ni_ncg, (double)cgbytes / (1 << 20),
	    ni->ni_fpg / (ni->ni_bsize / ni->ni_fsize), ni->ni_ipg);
	if (verbosity >= 2)
		printf("\tUFS%d, %s-endian, %" PRId64 " inodes, %" PRId64
		    " free blocks, %" PRId64 " free fragments, %d%% "
		    "reserved\n", ni->ni_version,
		    ni->ni_bigendian ? "big" : "little", ni->ni_ninodes,
		    ni->ni_nbfree, ni->ni_nffree, ni->ni_minfree);
	if (verbosity >= 3)
		print_backups(ni);
}

/*
 * Get the image ready: with -s, create it or extend it to size bytes
 * (never shorten it).  For -n nothing may be written, so a missing or
 * short image is stood in for by a sparse temporary file.  *regpath
 * is the file to register.
 */
static int
prepare_image(const char *image, uint64_t size, int dryrun, char *tmppath,
    size_t tmplen, const char **regpath)
{
	struct stat st;
	int fd, have;

	*regpath = image;
	have = stat(image, &st) == 0;
	if (!have && errno != ENOENT) {
		warnx("%s: %s", image, strerror(errno));
		return -1;
	}
	if (have && S_ISDIR(st.st_mode)) {
		warnx("%s: %s", image, strerror(EISDIR));
		return -1;
	}
	if (size == 0) {
		if (!have) {
			warnx("%s: %s (give -s to create it)", image,
			    strerror(ENOENT));
			return -1;
		}
		return 0;
	}
	if (have && (!S_ISREG(st.st_mode) || (uint64_t)st.st_size >= size))
		return 0;		/* a device, or long enough */
	if ((uint64_t)(off_t)size != size || (off_t)size < 0) {
		warnx("%s: size too large for this host", image);
		return -1;
	}
	if (dryrun) {
		const char *dir = getenv("TMPDIR");

		snprintf(tmppath, tmplen, "%s/newfs.XXXXXX",
		    dir != NULL && *dir != '\0' ? dir : "/tmp");
		if ((fd = mkstemp(tmppath)) < 0) {
			warnx("%s: %s", tmppath, strerror(errno));
			return -1;
		}
		*regpath = tmppath;
	} else if ((fd = open(image, O_WRONLY | O_CREAT, 0666)) < 0) {
		warnx("%s: %s", image, strerror(errno));
		return -1;
	}
	if (ftruncate(fd, (off_t)size) != 0) {
		warnx("%s: cannot extend to %" PRIu64 " bytes: %s", image,
		    size, strerror(errno));
		close(fd);
		if (dryrun)
			unlink(tmppath);
		return -1;
	}
	if (close(fd) != 0) {
		warnx("%s: %s", image, strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct rump_ffs_newfs_args a;
	struct rump_ffs_newfs_info ni;
	const char *image, *regpath, *volname = NULL;
	char tmppath[1024] = "";
	uint64_t v, size = 0;
	int ch, dryrun = 0, verbosity = 3, rv = EX_OK, e;

	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return EX_OK;
	}
	memset(&a, 0, sizeof(a));
	a.nfa_argsize = sizeof(a);
	a.nfa_info = &ni;
	a.nfa_infosize = sizeof(ni);
	while ((ch = getopt(argc, argv, "B:b:Ff:hi:L:m:nO:s:V:")) != -1) {
		switch (ch) {
		case 'B':
			if (strcmp(optarg, "be") == 0 ||
			    strcmp(optarg, "big") == 0)
				a.nfa_byteorder = RUMP_FFS_NEWFS_BE;
			else if (strcmp(optarg, "le") == 0 ||
			    strcmp(optarg, "little") == 0)
				a.nfa_byteorder = RUMP_FFS_NEWFS_LE;
			else {
				warnx("-B %s: expected be or le", optarg);
				return EX_USAGE;
			}
			break;
		case 'b':
			if (numarg(ch, optarg, 4096, 65536, 1, &v) != 0)
				return EX_USAGE;
			if (!ispow2(v)) {
				warnx("-b %s: block size must be a power of "
				    "two", optarg);
				return EX_USAGE;
			}
			a.nfa_bsize = (int32_t)v;
			break;
		case 'F':
			break;		/* always a plain file here */
		case 'f':
			if (numarg(ch, optarg, 512, 65536, 1, &v) != 0)
				return EX_USAGE;
			if (!ispow2(v)) {
				warnx("-f %s: fragment size must be a power "
				    "of two", optarg);
				return EX_USAGE;
			}
			a.nfa_fsize = (int32_t)v;
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		case 'i':
			if (numarg(ch, optarg, 512, INT32_MAX, 1, &v) != 0)
				return EX_USAGE;
			a.nfa_density = (int32_t)v;
			break;
		case 'L':
			volname = optarg;
			break;
		case 'm':
			if (numarg(ch, optarg, 0, 99, 1, &v) != 0)
				return EX_USAGE;
			a.nfa_minfree = (int32_t)v;
			a.nfa_flags |= RUMP_FFS_NEWFS_MINFREE;
			break;
		case 'n':
			dryrun = 1;
			a.nfa_flags |= RUMP_FFS_NEWFS_DRYRUN;
			break;
		case 'O':
			if (strcmp(optarg, "1") != 0 &&
			    strcmp(optarg, "2") != 0) {
				warnx("-O %s: expected 1 (UFS1) or 2 (UFS2)",
				    optarg);
				return EX_USAGE;
			}
			a.nfa_version = optarg[0] - '0';
			break;
		case 's':
			if (parse_size(optarg, 512, &size) != 0 || size == 0) {
				warnx("-s %s: expected a size: a number of "
				    "512-byte sectors, or a number with b, "
				    "k, m, g or t", optarg);
				return EX_USAGE;
			}
			break;
		case 'V':
			if (numarg(ch, optarg, 0, 4, 1, &v) != 0)
				return EX_USAGE;
			verbosity = (int)v;
			break;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EX_USAGE;
	}
	image = argv[optind];
	if (a.nfa_bsize != 0 && a.nfa_fsize != 0 &&
	    (a.nfa_fsize > a.nfa_bsize || a.nfa_bsize / a.nfa_fsize > 8)) {
		warnx("fragment size %d: must be from block size / 8 to "
		    "block size (%d)", a.nfa_fsize, a.nfa_bsize);
		return EX_USAGE;
	}
	if (a.nfa_bsize == 0 && a.nfa_fsize > 8192) {
		warnx("-f %d: give -b too (a block is at most 65536 bytes)",
		    a.nfa_fsize);
		return EX_USAGE;
	}
	if (volname != NULL) {
		if (strlen(volname) >= sizeof(a.nfa_volname)) {
			warnx("-L %s: at most %zu characters", volname,
			    sizeof(a.nfa_volname) - 1);
			return EX_USAGE;
		}
		for (const char *p = volname; *p != '\0'; p++)
			if (!isprint((unsigned char)*p)) {
				warnx("-L: the label must be printable");
				return EX_USAGE;
			}
		strcpy(a.nfa_volname, volname);
	}
	a.nfa_size = size;

	if (prepare_image(image, size, dryrun, tmppath, sizeof(tmppath),
	    &regpath) != 0)
		return EX_FAIL;
	if (rump_init() != 0) {
		warnx("cannot boot the kernel: %s", strerror(errno));
		rv = EX_FAIL;
		goto out;
	}
	if (rump_sys_mkdir("/dev", 0755) != 0 && errno != EEXIST) {
		warnx("/dev: %s", strerror(errno));
		rv = EX_FAIL;
		goto out;
	}
	if (rump_etfs_register(DEVNODE, regpath, dryrun ? RUMP_ETFS_BLK_RO :
	    RUMP_ETFS_BLK) != 0) {
		warnx("%s: %s", image, strerror(errno));
		rv = EX_FAIL;
		goto out;
	}
	if (rump_ffs_newfs(DEVNODE, &a) != 0) {
		e = errno;
		if (e == EINVAL)
			warnx("%s: cannot make a file system there: too "
			    "small for these parameters (a cylinder group "
			    "needs room for its metadata and data)", image);
		else if (e == EFBIG)
			warnx("%s: too large for UFS%d%s", image,
			    a.nfa_version == 2 ? 2 : 1, a.nfa_version == 2 ?
			    "" : " (try -O 2)");
		else
			warnx("%s: %s", image, strerror(e));
		rv = EX_FAIL;
	} else
		print_summary(image, &ni, verbosity);
	if (rump_etfs_remove(DEVNODE) != 0 && rv == EX_OK) {
		warnx("%s: %s", image, strerror(errno));
		rv = EX_FAIL;
	}
 out:
	if (tmppath[0] != '\0')
		unlink(tmppath);
	if (fflush(stdout) != 0 && rv == EX_OK) {
		warnx("stdout: %s", strerror(errno));
		rv = EX_FAIL;
	}
	return rv;
}
