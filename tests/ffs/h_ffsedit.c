/*
 * h_ffsedit.c: read and change single fields of an FFS image, for the
 * fsck_ffs tests (tests/ffs/t_fsck_ffs.sh) to damage images in exact
 * places.  Host code, independent of the kernel's FFS: it knows only
 * the on-disk format (docs/ffs-format.md) and assumes unstaggered
 * cylinder groups, as makefs and newfs make them.
 *
 *	h_ffsedit image info
 *	h_ffsedit image iget INO FIELD		(mode nlink size blocks
 *	h_ffsedit image iset INO FIELD VALUE	 db0..db11 ib0..ib2)
 *	h_ffsedit image indir INO IDX [VALUE]	entry IDX of ib0's block
 *	h_ffsedit image fragbit FRAG		toggle a free-map bit
 *	h_ffsedit image inobit INO		toggle an inode-map bit
 *	h_ffsedit image cgget CG FIELD		(ndir nbfree nifree nffree
 *	h_ffsedit image cgset CG FIELD VALUE	 rotor initediblk)
 *	h_ffsedit image sbget FIELD		(ndir nbfree nifree nffree
 *	h_ffsedit image sbset FIELD VALUE	 clean)
 *	h_ffsedit image lookup DIRINO NAME	the inode NAME names
 *	h_ffsedit image dirent DIRINO NAME FIELD VALUE	(ino reclen type)
 *	h_ffsedit image freefrag		a free fragment (data area)
 *	h_ffsedit image freeino			a free inode
 *	h_ffsedit image ioff INO		byte offset of an inode
 *
 * Values read are printed in decimal; exit 0, or 1 with a message.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fd, be, ufs;
static int64_t bsize, fsize, frag, ncg, ipg, fpg, sblkno, cblkno, iblkno;
static int64_t dblkno, csaddr, fssize, inopb, isz;
static uint64_t sbloc;

static void
die(const char *msg)
{

	fprintf(stderr, "h_ffsedit: %s\n", msg);
	exit(1);
}

static void
rd(uint64_t off, void *buf, size_t n)
{

	if (pread(fd, buf, n, (off_t)off) != (ssize_t)n)
		die("short read");
}

static void
wr(uint64_t off, const void *buf, size_t n)
{

	if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n)
		die("short write");
}

static uint64_t
get(uint64_t off, int n)
{
	uint8_t b[8];
	uint64_t v = 0;
	int i;

	rd(off, b, (size_t)n);
	for (i = 0; i < n; i++)
		v = be ? v << 8 | b[i] : v | (uint64_t)b[i] << (8 * i);
	return v;
}

static void
put(uint64_t off, int n, uint64_t v)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < n; i++)
		b[be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
	wr(off, b, (size_t)n);
}

/* Sign-extend an n-byte value. */
static int64_t
sext(uint64_t v, int n)
{

	if (n < 8 && (v >> (8 * n - 1)) & 1)
		v |= ~(uint64_t)0 << (8 * n);
	return (int64_t)v;
}

static void
load(void)
{
	static const uint64_t where[] = { 65536, 8192 };
	uint8_t m[4];
	unsigned i;

	for (i = 0; i < 2; i++) {
		rd(where[i] + 1372, m, 4);
		if (memcmp(m, "\x54\x19\x01\x00", 4) == 0 ||
		    memcmp(m, "\x19\x01\x54\x19", 4) == 0)
			be = 0;
		else if (memcmp(m, "\x00\x01\x19\x54", 4) == 0 ||
		    memcmp(m, "\x19\x54\x01\x19", 4) == 0)
			be = 1;
		else
			continue;
		ufs = get(where[i] + 1372, 4) == 0x00011954 ? 1 : 2;
		if (where[i] == 65536 && (ufs == 1 ||
		    get(where[i] + 1000, 8) != 65536))
			continue;
		sbloc = where[i];
		break;
	}
	if (i == 2)
		die("no superblock");
	sblkno = (int32_t)get(sbloc + 8, 4);
	cblkno = (int32_t)get(sbloc + 12, 4);
	iblkno = (int32_t)get(sbloc + 16, 4);
	dblkno = (int32_t)get(sbloc + 20, 4);
	ncg = (int32_t)get(sbloc + 44, 4);
	bsize = (int32_t)get(sbloc + 48, 4);
	fsize = (int32_t)get(sbloc + 52, 4);
	frag = (int32_t)get(sbloc + 56, 4);
	inopb = (int32_t)get(sbloc + 120, 4);
	ipg = (int32_t)get(sbloc + 184, 4);
	fpg = (int32_t)get(sbloc + 188, 4);
	csaddr = (int64_t)get(sbloc + 1096, 8);
	fssize = (int64_t)get(sbloc + 1080, 8);
	isz = ufs == 1 ? 128 : 256;
}

static uint64_t
inode_off(int64_t ino)
{
	int64_t c = ino / ipg, i = ino % ipg;

	if (ino < 0 || c >= ncg)
		die("no such inode");
	return (uint64_t)((c * fpg + iblkno + (i / inopb) * frag) * fsize +
	    (i % inopb) * isz);
}

/* Offset and width of an inode field. */
static void
ifield(const char *f, uint64_t *off, int *n)
{
	int k;

	if (strcmp(f, "mode") == 0) {
		*off = 0;
		*n = 2;
	} else if (strcmp(f, "nlink") == 0) {
		*off = 2;
		*n = 2;
	} else if (strcmp(f, "size") == 0) {
		*off = ufs == 1 ? 8 : 16;
		*n = 8;
	} else if (strcmp(f, "blocks") == 0) {
		*off = ufs == 1 ? 104 : 24;
		*n = ufs == 1 ? 4 : 8;
	} else if (sscanf(f, "db%d", &k) == 1 && k >= 0 && k < 12) {
		*n = ufs == 1 ? 4 : 8;
		*off = (uint64_t)((ufs == 1 ? 40 : 112) + k * *n);
	} else if (sscanf(f, "ib%d", &k) == 1 && k >= 0 && k < 3) {
		*n = ufs == 1 ? 4 : 8;
		*off = (uint64_t)((ufs == 1 ? 88 : 208) + k * *n);
	} else
		die("unknown inode field");
}

static uint64_t
cg_off(int64_t c)
{

	if (c < 0 || c >= ncg)
		die("no such cylinder group");
	return (uint64_t)((c * fpg + cblkno) * fsize);
}

static void
togglebit(uint64_t off, int64_t bit)
{
	uint8_t b;

	rd(off + (uint64_t)(bit / 8), &b, 1);
	b ^= (uint8_t)(1 << (bit % 8));
	wr(off + (uint64_t)(bit / 8), &b, 1);
	printf("%d\n", (b >> (bit % 8)) & 1);
}

/* Find NAME in directory DIRINO's direct blocks: the entry's offset. */
static uint64_t
find_entry(int64_t dirino, const char *name)
{
	uint64_t io = inode_off(dirino), size, off, a;
	uint8_t blk[65536];
	int64_t lbn, n, pos;
	size_t len = strlen(name);
	int psz = ufs == 1 ? 4 : 8;

	size = get(io + (ufs == 1 ? 8 : 16), 8);
	for (lbn = 0; lbn < 12 && (uint64_t)(lbn * bsize) < size; lbn++) {
		a = (uint64_t)sext(get(io + (uint64_t)((ufs == 1 ? 40 : 112) +
		    lbn * psz), psz), psz);
		n = (int64_t)size - lbn * bsize;
		if (n > bsize)
			n = bsize;
		rd(a * (uint64_t)fsize, blk, (size_t)n);
		for (pos = 0; pos < n; ) {
			uint32_t ino = (uint32_t)get(a * (uint64_t)fsize +
			    (uint64_t)pos, 4);
			uint16_t reclen = (uint16_t)get(a * (uint64_t)fsize +
			    (uint64_t)pos + 4, 2);

			if (ino != 0 && blk[pos + 7] == len &&
			    memcmp(blk + pos + 8, name, len) == 0) {
				off = a * (uint64_t)fsize + (uint64_t)pos;
				return off;
			}
			if (reclen == 0)
				break;
			pos += reclen;
		}
	}
	die("no such entry");
	return 0;
}

static int64_t
num(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno != 0 || *end != '\0')
		die("bad number");
	return v;
}

int
main(int argc, char **argv)
{
	const char *cmd;
	uint64_t off;
	int n, k;

	if (argc < 3)
		die("usage: h_ffsedit image command [args]");
	if ((fd = open(argv[1], O_RDWR)) < 0)
		die("cannot open the image");
	load();
	cmd = argv[2];
	if (strcmp(cmd, "info") == 0) {
		printf("ufs=%d be=%d bsize=%" PRId64 " fsize=%" PRId64
		    " frag=%" PRId64 " ncg=%" PRId64 " ipg=%" PRId64
		    " fpg=%" PRId64 " sblkno=%" PRId64 " cblkno=%" PRId64
		    " iblkno=%" PRId64 " dblkno=%" PRId64 " csaddr=%" PRId64
		    " size=%" PRId64 " sbloc=%" PRIu64 "\n", ufs, be, bsize,
		    fsize, frag, ncg, ipg, fpg, sblkno, cblkno, iblkno, dblkno,
		    csaddr, fssize, sbloc);
	} else if (strcmp(cmd, "iget") == 0 && argc == 5) {
		ifield(argv[4], &off, &n);
		printf("%" PRId64 "\n", sext(get(inode_off(num(argv[3])) + off,
		    n), n));
	} else if (strcmp(cmd, "iset") == 0 && argc == 6) {
		ifield(argv[4], &off, &n);
		put(inode_off(num(argv[3])) + off, n, (uint64_t)num(argv[5]));
	} else if (strcmp(cmd, "indir") == 0 && (argc == 5 || argc == 6)) {
		n = ufs == 1 ? 4 : 8;
		ifield("ib0", &off, &k);
		off = (uint64_t)sext(get(inode_off(num(argv[3])) + off, n), n) *
		    (uint64_t)fsize + (uint64_t)(num(argv[4]) * n);
		if (argc == 6)
			put(off, n, (uint64_t)num(argv[5]));
		else
			printf("%" PRId64 "\n", sext(get(off, n), n));
	} else if (strcmp(cmd, "fragbit") == 0 && argc == 4) {
		int64_t f = num(argv[3]);

		off = cg_off(f / fpg);
		togglebit(off + get(off + 96, 4), f % fpg);
	} else if (strcmp(cmd, "inobit") == 0 && argc == 4) {
		int64_t i = num(argv[3]);

		off = cg_off(i / ipg);
		togglebit(off + get(off + 92, 4), i % ipg);
	} else if ((strcmp(cmd, "cgget") == 0 && argc == 5) ||
	    (strcmp(cmd, "cgset") == 0 && argc == 6)) {
		static const char *f[] = { "ndir", "nbfree", "nifree",
		    "nffree", "rotor" };

		for (k = 0; k < 5 && strcmp(argv[4], f[k]) != 0; k++)
			continue;
		if (k == 5 && strcmp(argv[4], "initediblk") != 0)
			die("unknown group field");
		off = cg_off(num(argv[3])) + (k == 5 ? 120 :
		    24 + 4 * (uint64_t)k);
		if (argc == 6)
			put(off, 4, (uint64_t)num(argv[5]));
		else
			printf("%" PRId64 "\n", sext(get(off, 4), 4));
	} else if ((strcmp(cmd, "sbget") == 0 && argc == 4) ||
	    (strcmp(cmd, "sbset") == 0 && argc == 5)) {
		static const char *f[] = { "ndir", "nbfree", "nifree",
		    "nffree" };
		uint8_t c;

		if (strcmp(argv[3], "clean") == 0) {
			if (argc == 5) {
				c = (uint8_t)num(argv[4]);
				wr(sbloc + 209, &c, 1);
			} else {
				rd(sbloc + 209, &c, 1);
				printf("%d\n", c);
			}
			return 0;
		}
		for (k = 0; k < 4 && strcmp(argv[3], f[k]) != 0; k++)
			continue;
		if (k == 4)
			die("unknown superblock field");
		if (argc == 5) {
			put(sbloc + 1008 + 8 * (uint64_t)k, 8,
			    (uint64_t)num(argv[4]));
			put(sbloc + 192 + 4 * (uint64_t)k, 4,
			    (uint64_t)num(argv[4]));
		} else
			printf("%" PRId64 "\n", (int64_t)get(sbloc + 1008 +
			    8 * (uint64_t)k, 8));
	} else if (strcmp(cmd, "lookup") == 0 && argc == 5) {
		printf("%" PRIu64 "\n", get(find_entry(num(argv[3]), argv[4]),
		    4));
	} else if (strcmp(cmd, "dirent") == 0 && argc == 7) {
		off = find_entry(num(argv[3]), argv[4]);
		if (strcmp(argv[5], "ino") == 0)
			put(off, 4, (uint64_t)num(argv[6]));
		else if (strcmp(argv[5], "reclen") == 0)
			put(off + 4, 2, (uint64_t)num(argv[6]));
		else if (strcmp(argv[5], "type") == 0) {
			uint8_t t = (uint8_t)num(argv[6]);

			wr(off + 6, &t, 1);
		} else
			die("unknown entry field");
	} else if (strcmp(cmd, "freefrag") == 0 && argc == 3) {
		int64_t c, f;
		uint8_t b;

		for (c = 0; c < ncg; c++) {
			off = cg_off(c);
			off += get(off + 96, 4);
			for (f = dblkno + 64; f < fpg && c * fpg + f < fssize;
			    f++) {
				rd(off + (uint64_t)(f / 8), &b, 1);
				if (b & (1 << (f % 8))) {
					printf("%" PRId64 "\n", c * fpg + f);
					return 0;
				}
			}
		}
		die("no free fragment");
	} else if (strcmp(cmd, "ioff") == 0 && argc == 4) {
		printf("%" PRIu64 "\n", inode_off(num(argv[3])));
	} else if (strcmp(cmd, "freeino") == 0 && argc == 3) {
		int64_t i;

		for (i = 3; i < ncg * ipg; i++)
			if (get(inode_off(i), 2) == 0) {
				printf("%" PRId64 "\n", i);
				return 0;
			}
		die("no free inode");
	} else
		die("unknown command or wrong arguments");
	return 0;
}
