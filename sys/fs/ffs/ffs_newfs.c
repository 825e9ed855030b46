/*
 * ffs_newfs.c: making a new, empty FFS (UFS1 or UFS2, either byte
 * order) on a block device, through the buffer cache.
 *
 *	int ffs_newfs(const char *devpath, const struct rump_ffs_newfs_args *,
 *	    struct rump_ffs_newfs_info *)	kernel entry; 0 or an errno
 *	int rump_ffs_newfs(devpath, args)	public wrapper (rump/ffs.h)
 *
 * The layout follows docs/ffs-format.md (sections 1.3, 2 and 3) and,
 * where that document says so, is what makefs(8) makes for the same
 * geometry: the same choice of fragments and inodes per cylinder
 * group for a given density, the same superblock, the same map
 * offsets.  Differences, on purpose: the UFS2 superblock is at 65536
 * (makefs puts it at 8192; the BSDs' newfs at 65536), the root
 * directory is the only thing in it, and a last cylinder group must
 * hold at least one data block beyond its metadata.  Every inode is
 * initialised, for UFS2 too (cg_initediblk == fs_ipg).
 *
 * Order of writing: stale superblocks at the standard locations are
 * wiped first, then each group (backup superblock, header and maps,
 * inodes), then the summary area and the root directory, and the
 * primary superblock last, so that an interrupted run never leaves a
 * superblock that describes half-written groups.  The device's cached
 * blocks are flushed and forgotten before and after: this code writes
 * blocks of sizes a mounted file system would not use.
 *
 * Locking: none of its own.  The caller must not have the device
 * mounted (like newfs -F on a plain file, nothing here can tell).
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/cpu.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/namei.h>
#include <sys/time.h>
#include <sys/vnode.h>
#include <rump/ffs.h>
#include <rumpuser.h>
#include "ffs_sb.h"

/* Superblock fields ffs_sb.h has no name for (docs section 2). */
#define NF_SBO_OLD_RPS		68
#define NF_SBO_OLD_NPSECT	132
#define NF_SBO_OLD_INTERLEAVE	136
#define NF_SBO_OLD_NSECT	168
#define NF_SBO_OLD_SPC		172

#define NF_CG_STRUCT	176	/* a BSD struct cg with its 1-byte map stub */
#define NF_ZERO_CHUNK	65536	/* bytes per write when zeroing inodes */
#define NF_ROOTINO	2
#define NF_DIRBLKSIZ	512
#define NF_MINFREE	5
#define NF_NFPI		4	/* default: one inode per 4 fragments */
#define NF_MAXPHYS	65536	/* makefs: maxcontig = MAXPHYS / bsize */

/* Everything the layout is made of, in host order. */
struct nf_geom {
	int		ufs;		/* 1 or 2 */
	bool		be;
	int32_t		bsize, fsize, frag;
	int32_t		bshift, fshift, fragshift;
	int32_t		isize, inopb, inopf, nindir;
	int32_t		sblkno, cblkno, iblkno, dblkno;
	int32_t		ncg, fpg, ipg, cgsize, cssize, csfrags;
	int32_t		maxcontig, contigsumsize, maxbpg, minfree;
	int32_t		density;
	int64_t		size, dsize;	/* fragments */
	uint64_t	sblockloc;	/* bytes */
	/* cylinder-group map offsets (section 3.1) */
	int32_t		btotoff, boff, iusedoff, freeoff;
	int32_t		clustersumoff, clusteroff, nextfreeoff;
	char		volname[32];
};

struct nf_params {
	int		version;
	bool		be;
	uint64_t	bytes;		/* 0: the device's size */
	int32_t		bsize, fsize, density, minfree;
	bool		dryrun;
	char		volname[32];
};

static volatile uint32_t nf_counter;	/* fs_id: two runs never agree */

static int
nf_log2(uint32_t v)
{

	return fls32(v) - 1;
}

/*
 * The BSD CGSIZE bound on a group's header and maps, which makefs uses
 * both to size groups and as fs_cgsize.  It is a few bytes above the
 * real end of the maps (cg_nextfreeoff); using it keeps fs_cgsize
 * equal to makefs's where the two round to different fragments.
 */
static int64_t
nf_cgbound(const struct nf_geom *g, int64_t ipg, int64_t fpg)
{
	int64_t n;

	n = NF_CG_STRUCT + 4 + howmany(ipg, 8) + howmany(fpg, 8);
	if (g->ufs == 1)
		n += 4 + 2;	/* the old rotational tables, one cylinder */
	if (g->contigsumsize > 0)
		n += g->contigsumsize * 4 + howmany(fpg / g->frag, 8);
	return n;
}

static int32_t
nf_ipg_for(const struct nf_geom *g, int64_t fpg, int64_t fpi)
{

	return (int32_t)roundup(howmany(fpg, fpi), (int64_t)g->inopb);
}

/* Check the caller's arguments and fill in the defaults. */
static int
nf_params(const struct rump_ffs_newfs_args *a, struct nf_params *p)
{
	size_t n;

	memset(p, 0, sizeof(*p));
	if (a->nfa_flags & ~(uint32_t)(RUMP_FFS_NEWFS_DRYRUN |
	    RUMP_FFS_NEWFS_MINFREE))
		return EINVAL;
	p->dryrun = (a->nfa_flags & RUMP_FFS_NEWFS_DRYRUN) != 0;
	p->version = a->nfa_version == 0 ? 1 : a->nfa_version;
	if (p->version != 1 && p->version != 2)
		return EINVAL;
	switch (a->nfa_byteorder) {
	case 0:
		p->be = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
		break;
	case RUMP_FFS_NEWFS_LE:
		p->be = false;
		break;
	case RUMP_FFS_NEWFS_BE:
		p->be = true;
		break;
	default:
		return EINVAL;
	}
	p->bytes = a->nfa_size;
	p->bsize = a->nfa_bsize;
	p->fsize = a->nfa_fsize;
	if (p->bsize != 0 && (p->bsize < FFS_MINBSIZE ||
	    p->bsize > FFS_MAXBSIZE || !powerof2(p->bsize)))
		return EINVAL;
	if (p->fsize != 0 && (p->fsize < 512 || p->fsize > FFS_MAXBSIZE ||
	    !powerof2(p->fsize)))
		return EINVAL;
	if (p->bsize != 0 && p->fsize != 0 && (p->fsize > p->bsize ||
	    p->bsize / p->fsize > 8))
		return EINVAL;
	if (a->nfa_density < 0)
		return EINVAL;
	p->density = a->nfa_density;
	if (a->nfa_flags & RUMP_FFS_NEWFS_MINFREE) {
		if (a->nfa_minfree < 0 || a->nfa_minfree > 99)
			return EINVAL;
		p->minfree = a->nfa_minfree;
	} else
		p->minfree = NF_MINFREE;
	/* A label is printable text, NUL-terminated inside its field. */
	n = strnlen(a->nfa_volname, sizeof(a->nfa_volname));
	if (n == sizeof(a->nfa_volname))
		return EINVAL;
	for (size_t i = 0; i < n; i++)
		if ((uint8_t)a->nfa_volname[i] < 0x20 ||
		    (uint8_t)a->nfa_volname[i] > 0x7e)
			return EINVAL;
	memcpy(p->volname, a->nfa_volname, n);
	return 0;
}

/*
 * Choose the geometry for p on a device of devsize bytes.
 *
 * Group size, as newfs and makefs choose it: start from the smallest
 * group that has room for its metadata and for the density's data,
 * then grow it a block at a time while its header and maps still fit
 * in one block, nor past the file system's size.  If that leaves a
 * last group too small to hold its metadata and a data block, shrink
 * the groups a block at a time to feed the last one; if even that
 * fails, leave the short tail unused.
 */
static int
nf_geometry(const struct nf_params *p, uint64_t devsize, struct nf_geom *g)
{
	int64_t fpi, minfpg, fpg, lastmin, rem, nbytes, maxsize;
	int32_t ipg, density, maxipg, bestfpg, bestipg;

	memset(g, 0, sizeof(*g));
	g->ufs = p->version;
	g->be = p->be;
	nbytes = (int64_t)(p->bytes != 0 ? p->bytes : devsize);
	if (p->bytes > devsize || p->bytes > (uint64_t)INT64_MAX / 2)
		return EINVAL;

	/* Block and fragment sizes by the size, as NetBSD's newfs. */
	g->bsize = p->bsize;
	g->fsize = p->fsize;
	if (g->bsize == 0 && g->fsize == 0) {
		if (nbytes < (int64_t)20 << 20)
			g->bsize = 4096;
		else if (nbytes < (int64_t)1024 << 20)
			g->bsize = 8192;
		else
			g->bsize = 16384;
	} else if (g->bsize == 0)
		g->bsize = MIN(MAX(g->fsize * 8, FFS_MINBSIZE), FFS_MAXBSIZE);
	if (g->fsize == 0)
		g->fsize = MAX(g->bsize / 8, 512);
	if (g->fsize > g->bsize || g->bsize / g->fsize > 8)
		return EINVAL;
	g->frag = g->bsize / g->fsize;
	g->bshift = nf_log2((uint32_t)g->bsize);
	g->fshift = nf_log2((uint32_t)g->fsize);
	g->fragshift = nf_log2((uint32_t)g->frag);
	g->isize = g->ufs == 1 ? 128 : 256;
	g->inopb = g->bsize / g->isize;
	g->inopf = g->inopb >> g->fragshift;
	g->nindir = g->bsize / (g->ufs == 1 ? 4 : 8);
	g->minfree = p->minfree;
	memcpy(g->volname, p->volname, sizeof(g->volname));

	/* Whole blocks only: no group ends in a partial block. */
	g->size = rounddown2(nbytes / g->fsize, (int64_t)g->frag);
	/* UFS1 addresses and its copy of fs_size are 32-bit. */
	maxsize = g->ufs == 1 ? INT32_MAX : INT64_MAX / 2 / g->fsize;
	if (g->size > maxsize)
		return EFBIG;

	g->sblockloc = g->ufs == 1 ? 8192 : 65536;
	g->sblkno = (int32_t)roundup(howmany(g->sblockloc + FFS_SBSIZE,
	    (uint64_t)g->fsize), (uint64_t)g->frag);
	g->cblkno = g->sblkno + roundup(howmany(FFS_SBSIZE, g->fsize),
	    g->frag);
	g->iblkno = g->cblkno + g->frag;	/* the header fits one block */
	g->maxcontig = MAX(1, NF_MAXPHYS / g->bsize);
	g->contigsumsize = g->maxcontig > 1 ?
	    MIN(g->maxcontig, FFS_MAXCONTIG) : 0;
	g->maxbpg = g->bsize / 4;
	/* UFS1 keeps a group's inode count in 16 bits (cg_old_niblk). */
	maxipg = g->ufs == 1 ? rounddown2(0x7fff, g->inopb) :
	    rounddown2(INT32_MAX / 2, g->inopb);

	density = p->density != 0 ? p->density : NF_NFPI * g->fsize;
	/* The smallest group; fewer inodes while even that does not fit. */
	for (;;) {
		fpi = MAX(density >> g->fshift, 1);
		minfpg = MIN(fpi * g->inopb, g->size);
		ipg = g->inopb;
		fpg = MAX(roundup(g->iblkno + ipg / g->inopf, g->frag), minfpg);
		ipg = nf_ipg_for(g, fpg, fpi);
		fpg = MAX(roundup(g->iblkno + ipg / g->inopf, g->frag), minfpg);
		ipg = nf_ipg_for(g, fpg, fpi);
		if (nf_cgbound(g, ipg, fpg) < g->bsize && ipg <= maxipg)
			break;
		if (fpi == 1)
			return EINVAL;	/* cannot happen with real sizes */
		density -= g->fsize;
	}
	g->density = density;

	/* Grow while the maps fit one block, up to the whole size. */
	for (; fpg < g->size; fpg += g->frag) {
		ipg = nf_ipg_for(g, fpg, fpi);
		if (ipg <= maxipg && nf_cgbound(g, ipg, fpg) < g->bsize)
			continue;
		if (ipg <= maxipg && nf_cgbound(g, ipg, fpg) == g->bsize)
			break;
		fpg -= g->frag;
		ipg = nf_ipg_for(g, fpg, fpi);
		break;
	}

	/* A short last group needs its metadata and one data block. */
	bestfpg = (int32_t)MIN(fpg, INT32_MAX);
	bestipg = ipg;
	if (fpg > INT32_MAX / 2)
		return EINVAL;
	for (;;) {
		lastmin = roundup(g->iblkno + ipg / g->inopf, g->frag) +
		    g->frag;
		if (g->size < lastmin)
			return EINVAL;		/* not even one group */
		rem = g->size % fpg;
		if (rem == 0 || rem >= lastmin)
			break;
		fpg -= g->frag;
		ipg = nf_ipg_for(g, fpg, fpi);
		if (fpg < lastmin || fpg < bestfpg / 2) {
			/* Shrinking does not pay: drop the tail. */
			fpg = bestfpg;
			ipg = bestipg;
			g->size -= g->size % fpg;
			break;
		}
	}
	g->fpg = (int32_t)fpg;
	g->ipg = ipg;
	if (howmany(g->size, (int64_t)fpg) > INT32_MAX)
		return EFBIG;
	g->ncg = (int32_t)howmany(g->size, (int64_t)fpg);
	if ((uint64_t)g->ncg * (uint64_t)g->ipg > UINT32_MAX)
		return EFBIG;		/* inode numbers are 32 bits */
	g->dblkno = g->iblkno + g->ipg / g->inopf;
	g->cgsize = (int32_t)roundup(nf_cgbound(g, g->ipg, g->fpg),
	    (int64_t)g->fsize);
	g->cssize = (int32_t)roundup((int64_t)g->ncg * 16, (int64_t)g->fsize);
	g->csfrags = g->cssize / g->fsize;
	if (g->cgsize > g->bsize)
		return EINVAL;

	/* Group 0 also holds the summary area and the root directory. */
	if (MIN(g->size, (int64_t)g->fpg) < g->dblkno +
	    roundup(g->csfrags + howmany(NF_DIRBLKSIZ, g->fsize), g->frag) +
	    g->frag)
		return EINVAL;
	g->dsize = g->size - g->sblkno -
	    (int64_t)g->ncg * (g->dblkno - g->sblkno) - g->csfrags;

	/* Map offsets, as section 3.1 of the format document. */
	if (g->ufs == 1) {
		g->btotoff = FFS_CG_HDRSIZE;
		g->boff = g->btotoff + 4;		/* old_cpg 1 */
		g->iusedoff = g->boff + 2;		/* old_nrpos 1 */
	} else
		g->iusedoff = FFS_CG_HDRSIZE;
	g->freeoff = g->iusedoff + howmany(g->ipg, 8);
	if (g->contigsumsize > 0) {
		g->clustersumoff = roundup(g->freeoff + howmany(g->fpg, 8),
		    4) - 4;
		g->clusteroff = g->clustersumoff +
		    (g->contigsumsize + 1) * 4;
		g->nextfreeoff = g->clusteroff +
		    howmany(g->fpg / g->frag, 8);
	} else
		g->nextfreeoff = g->freeoff + howmany(g->fpg, 8);
	if (g->nextfreeoff > g->cgsize)
		return EINVAL;		/* the bound must hold */
	return 0;
}

/* Fragments of group c, metadata included. */
static int32_t
nf_cg_ndblk(const struct nf_geom *g, int32_t c)
{

	return (int32_t)MIN((int64_t)g->fpg, g->size - (int64_t)c * g->fpg);
}

static inline void
nf_setbit(uint8_t *map, int64_t i)
{

	map[i >> 3] |= (uint8_t)(1 << (i & 7));
}

static inline bool
nf_isset(const uint8_t *map, int64_t i)
{

	return (map[i >> 3] >> (i & 7)) & 1;
}

/*
 * Build group c's header and maps in cg (g->bsize bytes, zeroed) and
 * return its counters.  Group 0's used space runs from its start to
 * the end of the root directory's fragment; other groups' from the
 * backup superblock to the first data fragment.  The counters, frsum
 * and cluster maps are then derived from the free map itself, so they
 * agree with it by construction.
 */
static void
nf_build_cg(const struct nf_geom *g, int32_t c, uint8_t *cg, int64_t now,
    struct ffs_csum *cs)
{
	uint8_t *freemap = cg + g->freeoff, *clmap = cg + g->clusteroff;
	uint8_t *imap = cg + g->iusedoff;
	int32_t ndblk = nf_cg_ndblk(g, c), frsum[8], nfree, run, f, b, i;
	int32_t dupper, runlen, clsum[FFS_MAXCONTIG + 1];
	bool be = g->be;

	memset(cs, 0, sizeof(*cs));
	memset(frsum, 0, sizeof(frsum));
	memset(clsum, 0, sizeof(clsum));
	dupper = g->dblkno;
	if (c == 0)
		dupper += g->csfrags + howmany(NF_DIRBLKSIZ, g->fsize);
	for (f = 0; f < ndblk; f++)
		if ((c > 0 && f < g->sblkno) || f >= dupper)
			nf_setbit(freemap, f);

	/* Whole free blocks, and free runs inside the others. */
	runlen = 0;
	for (b = 0; b < ndblk / g->frag; b++) {
		nfree = 0;
		for (i = 0; i < g->frag; i++)
			nfree += nf_isset(freemap, b * g->frag + i);
		if (nfree == g->frag) {
			cs->cs_nbfree++;
			if (g->contigsumsize > 0)
				nf_setbit(clmap, b);
			runlen++;
			continue;
		}
		if (runlen > 0 && g->contigsumsize > 0)
			clsum[MIN(runlen, g->contigsumsize)]++;
		runlen = 0;
		cs->cs_nffree += nfree;
		for (i = 0, run = 0; i <= g->frag; i++) {
			if (i < g->frag && nf_isset(freemap, b * g->frag + i)) {
				run++;
				continue;
			}
			if (run > 0)
				frsum[run]++;
			run = 0;
		}
	}
	if (runlen > 0 && g->contigsumsize > 0)
		clsum[MIN(runlen, g->contigsumsize)]++;

	cs->cs_nifree = g->ipg;
	if (c == 0) {
		/* Inodes 0 and 1 are never used; 2 is the root. */
		for (i = 0; i <= NF_ROOTINO; i++)
			nf_setbit(imap, i);
		cs->cs_nifree -= NF_ROOTINO + 1;
		cs->cs_ndir = 1;
	}

	ffs_put32(cg + FFS_CGO_MAGIC, FFS_CG_MAGIC, be);
	ffs_put32(cg + FFS_CGO_CGX, (uint32_t)c, be);
	ffs_put32(cg + FFS_CGO_NDBLK, (uint32_t)ndblk, be);
	ffs_put32(cg + FFS_CGO_CS, (uint32_t)cs->cs_ndir, be);
	ffs_put32(cg + FFS_CGO_CS + 4, (uint32_t)cs->cs_nbfree, be);
	ffs_put32(cg + FFS_CGO_CS + 8, (uint32_t)cs->cs_nifree, be);
	ffs_put32(cg + FFS_CGO_CS + 12, (uint32_t)cs->cs_nffree, be);
	for (i = 1; i < 8; i++)
		ffs_put32(cg + FFS_CGO_FRSUM + 4 * i, (uint32_t)frsum[i], be);
	ffs_put32(cg + FFS_CGO_IUSEDOFF, (uint32_t)g->iusedoff, be);
	ffs_put32(cg + FFS_CGO_FREEOFF, (uint32_t)g->freeoff, be);
	ffs_put32(cg + FFS_CGO_NEXTFREEOFF, (uint32_t)g->nextfreeoff, be);
	if (g->contigsumsize > 0) {
		ffs_put32(cg + FFS_CGO_CLUSTERSUMOFF,
		    (uint32_t)g->clustersumoff, be);
		ffs_put32(cg + FFS_CGO_CLUSTEROFF, (uint32_t)g->clusteroff,
		    be);
		ffs_put32(cg + FFS_CGO_NCLUSTERBLKS,
		    (uint32_t)(ndblk / g->frag), be);
		/* Entries 1..contigsumsize; 0 overlaps the free map's end. */
		for (i = 1; i <= g->contigsumsize; i++)
			ffs_put32(cg + g->clustersumoff + 4 * i,
			    (uint32_t)clsum[i], be);
	}
	if (g->ufs == 1) {
		ffs_put32(cg + FFS_CGO_OLD_TIME, (uint32_t)now, be);
		ffs_put16(cg + FFS_CGO_OLD_NCYL, 1, be);
		ffs_put16(cg + FFS_CGO_OLD_NIBLK, (uint16_t)g->ipg, be);
		ffs_put32(cg + FFS_CGO_OLD_BTOTOFF, (uint32_t)g->btotoff, be);
		ffs_put32(cg + FFS_CGO_OLD_BOFF, (uint32_t)g->boff, be);
	} else {
		ffs_put32(cg + FFS_CGO_NIBLK, (uint32_t)g->ipg, be);
		ffs_put32(cg + FFS_CGO_INITEDIBLK, (uint32_t)g->ipg, be);
		ffs_put64(cg + FFS_CGO_TIME, (uint64_t)now, be);
	}
}

/* The superblock, as every copy of it reads. */
static int
nf_build_sb(const struct nf_geom *g, const struct ffs_csum *tot,
    int64_t now, uint8_t *raw)
{
	struct ffs_sb sb, chk;
	uint64_t got;
	uint32_t id1;
	bool be = g->be;

	memset(&sb, 0, sizeof(sb));
	sb.sb_ufs = g->ufs;
	sb.sb_bigendian = be;
	sb.sb_loc = g->sblockloc;
	sb.sb_sblkno = g->sblkno;
	sb.sb_cblkno = g->cblkno;
	sb.sb_iblkno = g->iblkno;
	sb.sb_dblkno = g->dblkno;
	sb.sb_ncg = g->ncg;
	sb.sb_bsize = g->bsize;
	sb.sb_fsize = g->fsize;
	sb.sb_frag = g->frag;
	sb.sb_minfree = g->minfree;
	sb.sb_bshift = g->bshift;
	sb.sb_fshift = g->fshift;
	sb.sb_fragshift = g->fragshift;
	sb.sb_fsbtodb = g->fshift - DEV_BSHIFT;
	sb.sb_sbsize = MIN(roundup(FFS_SB_DEFINED, g->fsize), FFS_SBSIZE);
	sb.sb_nindir = g->nindir;
	sb.sb_inopb = g->inopb;
	sb.sb_ipg = g->ipg;
	sb.sb_fpg = g->fpg;
	sb.sb_cgsize = g->cgsize;
	sb.sb_cssize = g->cssize;
	sb.sb_maxcontig = g->maxcontig;
	sb.sb_maxbpg = g->maxbpg;
	sb.sb_contigsumsize = g->contigsumsize;
	sb.sb_maxsymlinklen = g->ufs == 1 ? 60 : 120;
	sb.sb_inodefmt = 2;			/* FS_44INODEFMT */
	sb.sb_old_cgoffset = 0;
	sb.sb_old_cgmask = g->ufs == 1 ? -1 : 0;
	sb.sb_clean = 1;			/* FS_ISCLEAN */
	sb.sb_flags = 0;
	sb.sb_size = g->size;
	sb.sb_dsize = g->dsize;
	sb.sb_csaddr = g->dblkno;		/* group 0's first data */
	sb.sb_time = now;
	/* bsize * (12 + n + n^2 + n^3) - 1; n^3 * 64K stays below 2^63 */
	sb.sb_maxfilesize = (uint64_t)g->bsize * (12 + (uint64_t)g->nindir +
	    (uint64_t)g->nindir * (uint64_t)g->nindir +
	    (uint64_t)g->nindir * (uint64_t)g->nindir *
	    (uint64_t)g->nindir) - 1;
	sb.sb_cstotal = *tot;
	memcpy(sb.sb_volname, g->volname, sizeof(g->volname));
	memset(raw, 0, FFS_SBSIZE);
	ffs_sb_encode(&sb, raw);

	/* What ffs_sb_encode leaves to us. */
	ffs_put32(raw + FFS_SBO_OPTIM, g->minfree < NF_MINFREE ? 1 : 0, be);
	ffs_put32(raw + FFS_SBO_ID, (uint32_t)now, be);
	if (rumpuser_getrandom(&id1, sizeof(id1), 0, &got) != 0 ||
	    got != sizeof(id1))
		id1 = (uint32_t)getnsecuptime();
	id1 ^= atomic_inc_nv(&nf_counter) * 0x9e3779b9u;
	ffs_put32(raw + FFS_SBO_ID + 4, id1, be);
	ffs_put32(raw + FFS_SBO_AVGFILESIZE, 16384, be);
	ffs_put32(raw + FFS_SBO_AVGFPDIR, 64, be);
	if (g->ufs == 1) {
		int32_t spc = g->fpg * (g->fsize / DEV_BSIZE);

		ffs_put32(raw + NF_SBO_OLD_RPS, 60, be);
		ffs_put32(raw + NF_SBO_OLD_NPSECT, (uint32_t)spc, be);
		ffs_put32(raw + NF_SBO_OLD_INTERLEAVE, 1, be);
		ffs_put32(raw + NF_SBO_OLD_NSECT, (uint32_t)spc, be);
		ffs_put32(raw + NF_SBO_OLD_SPC, (uint32_t)spc, be);
		ffs_put32(raw + FFS_SBO_OLD_NCYL, (uint32_t)g->ncg, be);
		ffs_put32(raw + FFS_SBO_OLD_CPG, 1, be);
		ffs_put32(raw + FFS_SBO_OLD_NRPOS, 1, be);
		ffs_put32(raw + FFS_SBO_OLD_POSTBLFMT, 1, be); /* dynamic */
	} else {
		/* UFS2 keeps none of the old geometry (section 2.3). */
		ffs_put32(raw + FFS_SBO_OLD_NSPF, 0, be);
	}

	/* Our own reader must take it: a failure here is a bug. */
	if (ffs_sb_decode(raw, FFS_SBSIZE, g->sblockloc,
	    (uint64_t)g->size * (uint64_t)g->fsize, &chk) != 0)
		return EINVAL;
	return 0;
}

/* Write len bytes (a multiple of DEV_BSIZE) at byte offset off. */
static int
nf_write(dev_t dev, uint64_t off, const void *data, size_t len)
{
	struct buf *bp;

	if ((bp = getblk(dev, (int64_t)(off >> DEV_BSHIFT), len)) == NULL)
		return ENOMEM;
	if (data != NULL)
		memcpy(bp->b_data, data, len);
	else
		memset(bp->b_data, 0, len);
	return bwrite(bp);
}

/*
 * Wipe the superblocks of an older file system at the standard
 * locations, so that no search finds one where ours is not, nor in a
 * crash before ours is written.  Only slots that hold an FFS magic are
 * touched: a partition table at byte 0 stays.
 */
static int
nf_wipe_old(dev_t dev, uint64_t devsize)
{
	static const uint64_t where[] = { 0, 8192, 65536, 262144 };
	struct buf *bp;
	uint32_t m;
	bool found;
	int error;
	u_int i, j;

	for (i = 0; i < __arraycount(where); i++) {
		if (where[i] + FFS_SBSIZE > devsize)
			continue;
		error = bread(dev, (int64_t)(where[i] >> DEV_BSHIFT),
		    FFS_SBSIZE, &bp);
		if (error)
			return error;
		found = false;
		for (j = 0; j < 2; j++) {
			m = ffs_get32((uint8_t *)bp->b_data + FFS_SBO_MAGIC,
			    j == 1);
			found |= m == FFS_UFS1_MAGIC || m == FFS_UFS2_MAGIC;
		}
		if (!found) {
			brelse(bp);
			continue;
		}
		memset(bp->b_data, 0, FFS_SBSIZE);
		if ((error = bwrite(bp)) != 0)
			return error;
	}
	return 0;
}

/* Zero the inode area of group c, with the root inode in group 0. */
static int
nf_write_inodes(const struct nf_geom *g, dev_t dev, int32_t c,
    uint8_t *chunk, size_t chunksize, int64_t now, uint32_t gen)
{
	uint64_t off, end;
	size_t len;
	uint8_t *ip;
	bool be = g->be;
	int error;

	off = ((uint64_t)c * (uint64_t)g->fpg + (uint64_t)g->iblkno) <<
	    g->fshift;
	end = off + (uint64_t)g->ipg * (uint64_t)g->isize;
	for (; off < end; off += len) {
		len = (size_t)MIN((uint64_t)chunksize, end - off);
		memset(chunk, 0, len);
		if (c == 0 && off == ((uint64_t)g->iblkno << g->fshift)) {
			/* The root directory: 040755, two links. */
			ip = chunk + NF_ROOTINO * g->isize;
			ffs_put16(ip + 0, 040755, be);
			ffs_put16(ip + 2, 2, be);
			if (g->ufs == 1) {
				ffs_put64(ip + 8, NF_DIRBLKSIZ, be);
				ffs_put32(ip + 16, (uint32_t)now, be);
				ffs_put32(ip + 24, (uint32_t)now, be);
				ffs_put32(ip + 32, (uint32_t)now, be);
				ffs_put32(ip + 40, (uint32_t)(g->dblkno +
				    g->csfrags), be);
				ffs_put32(ip + 104, (uint32_t)(g->fsize *
				    howmany(NF_DIRBLKSIZ, g->fsize) /
				    DEV_BSIZE), be);
				ffs_put32(ip + 108, gen, be);
			} else {
				ffs_put64(ip + 16, NF_DIRBLKSIZ, be);
				ffs_put64(ip + 24, (uint64_t)(g->fsize *
				    howmany(NF_DIRBLKSIZ, g->fsize) /
				    DEV_BSIZE), be);
				ffs_put64(ip + 32, (uint64_t)now, be);
				ffs_put64(ip + 40, (uint64_t)now, be);
				ffs_put64(ip + 48, (uint64_t)now, be);
				ffs_put64(ip + 56, (uint64_t)now, be);
				ffs_put32(ip + 80, gen, be);
				ffs_put64(ip + 112, (uint64_t)(g->dblkno +
				    g->csfrags), be);
			}
		}
		if ((error = nf_write(dev, off, chunk, len)) != 0)
			return error;
	}
	return 0;
}

/* The root directory's first chunk: "." and "..", both inode 2. */
static void
nf_build_rootdir(const struct nf_geom *g, uint8_t *d)
{

	ffs_put32(d + 0, NF_ROOTINO, g->be);
	ffs_put16(d + 4, 12, g->be);
	d[6] = 4;			/* DT_DIR */
	d[7] = 1;
	d[8] = '.';
	ffs_put32(d + 12, NF_ROOTINO, g->be);
	ffs_put16(d + 16, NF_DIRBLKSIZ - 12, g->be);
	d[18] = 4;
	d[19] = 2;
	d[20] = '.';
	d[21] = '.';
}

static void
nf_info(const struct nf_geom *g, const struct ffs_csum *tot,
    struct rump_ffs_newfs_info *ni)
{

	memset(ni, 0, sizeof(*ni));
	ni->ni_version = g->ufs;
	ni->ni_bigendian = g->be;
	ni->ni_bsize = g->bsize;
	ni->ni_fsize = g->fsize;
	ni->ni_size = g->size;
	ni->ni_dsize = g->dsize;
	ni->ni_ncg = g->ncg;
	ni->ni_fpg = g->fpg;
	ni->ni_ipg = g->ipg;
	ni->ni_cgsize = g->cgsize;
	ni->ni_sblkno = g->sblkno;
	ni->ni_minfree = g->minfree;
	ni->ni_sblockloc = (int64_t)g->sblockloc;
	ni->ni_ninodes = (int64_t)g->ncg * g->ipg;
	ni->ni_nbfree = tot->cs_nbfree;
	ni->ni_nffree = tot->cs_nffree;
}

/*
 * The free counts of the whole file system without building every
 * group: all groups but 0 and the last are alike.
 */
static int
nf_totals(const struct nf_geom *g, struct ffs_csum *tot)
{
	struct ffs_csum cs;
	uint8_t *cg;
	int32_t c;

	memset(tot, 0, sizeof(*tot));
	memset(&cs, 0, sizeof(cs));
	if ((cg = kmem_zalloc((size_t)g->bsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	for (c = 0; c < g->ncg; c++) {
		if (c == 0 || c == 1 || c == g->ncg - 1) {
			memset(cg, 0, (size_t)g->bsize);
			nf_build_cg(g, c, cg, 0, &cs);
		}
		tot->cs_ndir += cs.cs_ndir;
		tot->cs_nbfree += cs.cs_nbfree;
		tot->cs_nffree += cs.cs_nffree;
		tot->cs_nifree += cs.cs_nifree;
	}
	kmem_free(cg, (size_t)g->bsize);
	return 0;
}

/* Everything after the device is open. */
static int
nf_make(const struct nf_geom *g, dev_t dev, const struct ffs_csum *tot)
{
	struct ffs_csum cs;
	uint8_t *buf = NULL, *chunk = NULL, *sb = NULL, *csum = NULL;
	size_t chunksize, cssize = (size_t)g->cssize;
	int64_t now;
	struct timespec ts;
	uint32_t gen;
	uint64_t base, got;
	int32_t c;
	int error;

	getnanotime(&ts);
	now = ts.tv_sec;
	if (rumpuser_getrandom(&gen, sizeof(gen), 0, &got) != 0 ||
	    got != sizeof(gen))
		gen = (uint32_t)getnsecuptime();
	gen = (gen & 0x7fffffff) | 1;	/* di_gen is signed; never 0 */

	/* Whole blocks at a time, at most NF_ZERO_CHUNK (or one block). */
	chunksize = (size_t)MAX(g->bsize, NF_ZERO_CHUNK);
	if ((buf = kmem_zalloc((size_t)g->bsize, KM_SLEEP)) == NULL ||
	    (chunk = kmem_alloc(chunksize, KM_SLEEP)) == NULL ||
	    (sb = kmem_alloc(FFS_SBSIZE, KM_SLEEP)) == NULL ||
	    (csum = kmem_zalloc(cssize, KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = nf_build_sb(g, tot, now, sb)) != 0)
		goto out;

	for (c = 0; c < g->ncg; c++) {
		base = ((uint64_t)c * (uint64_t)g->fpg) << g->fshift;
		if ((error = nf_write(dev, base +
		    ((uint64_t)g->sblkno << g->fshift), sb, FFS_SBSIZE)) != 0)
			goto out;
		memset(buf, 0, (size_t)g->bsize);
		nf_build_cg(g, c, buf, now, &cs);
		ffs_put32(csum + 16 * c, (uint32_t)cs.cs_ndir, g->be);
		ffs_put32(csum + 16 * c + 4, (uint32_t)cs.cs_nbfree, g->be);
		ffs_put32(csum + 16 * c + 8, (uint32_t)cs.cs_nifree, g->be);
		ffs_put32(csum + 16 * c + 12, (uint32_t)cs.cs_nffree, g->be);
		if ((error = nf_write(dev, base +
		    ((uint64_t)g->cblkno << g->fshift), buf,
		    (size_t)g->bsize)) != 0)
			goto out;
		if ((error = nf_write_inodes(g, dev, c, chunk, chunksize, now,
		    gen)) != 0)
			goto out;
	}

	/* Group 0's data: the summary area, then the root directory. */
	if ((error = nf_write(dev, (uint64_t)g->dblkno << g->fshift, csum,
	    cssize)) != 0)
		goto out;
	memset(buf, 0, (size_t)g->bsize);
	nf_build_rootdir(g, buf);
	if ((error = nf_write(dev, (uint64_t)(g->dblkno + g->csfrags) <<
	    g->fshift, buf, (size_t)roundup(NF_DIRBLKSIZ, g->fsize))) != 0)
		goto out;

	/* Last, the primary: now the file system exists. */
	error = nf_write(dev, g->sblockloc, sb, FFS_SBSIZE);
 out:
	if (buf != NULL)
		kmem_free(buf, (size_t)g->bsize);
	if (chunk != NULL)
		kmem_free(chunk, chunksize);
	if (sb != NULL)
		kmem_free(sb, FFS_SBSIZE);
	if (csum != NULL)
		kmem_free(csum, cssize);
	return error;
}

int ffs_newfs(const char *, const struct rump_ffs_newfs_args *,
    struct rump_ffs_newfs_info *);

int
ffs_newfs(const char *devpath, const struct rump_ffs_newfs_args *args,
    struct rump_ffs_newfs_info *info)
{
	const struct bdevsw *bd;
	struct nf_params p;
	struct nf_geom g;
	struct ffs_csum tot;
	uint64_t devsize = 0;
	dev_t dev;
	int error, fflags, error2;

	if ((error = nf_params(args, &p)) != 0)
		return error;
	if ((error = namei_blkdev(devpath, &dev)) != 0)
		return error;
	if ((bd = bdevsw_lookup(dev)) == NULL)
		return ENXIO;
	fflags = p.dryrun ? FREAD : FREAD | FWRITE;
	if (bd->d_open != NULL && (error = bd->d_open(dev, fflags)) != 0)
		return error;
	if (bd->d_size == NULL)
		error = ENXIO;		/* a size is needed to lay out */
	else
		error = bd->d_size(dev, &devsize);
	if (error == 0)
		error = nf_geometry(&p, devsize, &g);
	if (error == 0)
		error = nf_totals(&g, &tot);
	if (error == 0 && info != NULL)
		nf_info(&g, &tot, info);
	if (error == 0 && !p.dryrun) {
		/* Nothing cached may outlive this: see the comment above. */
		if ((error = bflush(dev)) == 0) {
			binval(dev);
			error = nf_wipe_old(dev, devsize);
		}
		if (error == 0)
			error = nf_make(&g, dev, &tot);
		error2 = bflush(dev);
		binval(dev);
		if (error == 0)
			error = error2;
		if (error == 0 && bd->d_sync != NULL)
			error = bd->d_sync(dev);
	}
	if (bd->d_close != NULL)
		bd->d_close(dev, fflags);
	return error;
}

int
rump_ffs_newfs(const char *devpath, const struct rump_ffs_newfs_args *uargs)
{
	struct rump_ffs_newfs_args args;
	struct rump_ffs_newfs_info info;
	struct lwp *l;
	size_t n, i;
	int error;

	memset(&args, 0, sizeof(args));
	if (devpath == NULL || uargs == NULL ||
	    uargs->nfa_argsize < sizeof(args)) {
		error = EINVAL;
	} else {
		/* A newer caller's fields we do not know must be unused. */
		error = 0;
		for (i = sizeof(args); i < uargs->nfa_argsize && i < 4096; i++)
			if (((const uint8_t *)uargs)[i] != 0)
				error = EINVAL;
		if (uargs->nfa_argsize > 4096)
			error = EINVAL;
		memcpy(&args, uargs, sizeof(args));
	}
	if (error == 0 && (error = lwp_enter(&l)) == 0) {
		error = ffs_newfs(devpath, &args, &info);
		vcpu_unschedule(l);
	}
	if (error == 0 && args.nfa_info != NULL) {
		n = MIN((size_t)args.nfa_infosize, sizeof(info));
		memcpy(args.nfa_info, &info, n);
	}
	if (error) {
		rumpuser_seterrno(error);
		return -1;
	}
	return 0;
}
