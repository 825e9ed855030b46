/*
 * ffs_alloc.c: allocating and freeing fragments, blocks and inodes
 * through the cylinder groups (docs/ffs-format.md, section 3).
 *
 * Every change to a group's free map goes through cg_setfrags(), which
 * keeps the four summaries that describe the map consistent with it:
 * the group's counts (cg_cs), the run counts of partial blocks (frsum),
 * the cluster map and its summary, the mount's copy of the per-group
 * counts (fm_cs, written back to the summary area) and the totals in
 * the superblock.  Counts are only hints for choosing a group; what
 * decides is the map, and a map that offers metadata, or frees what is
 * already free, makes the operation fail with EIO rather than damage
 * the image further.
 *
 * Locking: the caller holds fm_oplock as writer.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include "ffs.h"

/* A cylinder group's buffer and where its maps are. */
struct cgv {
	struct buf	*bp;
	uint8_t		*b;
	uint32_t	cgx;
	int32_t		ndblk;		/* fragments in the group */
	uint8_t		*iused, *freemap, *cluster;
	uint8_t		*clsum;		/* i32 [contigsumsize + 1] */
	int32_t		meta_lo, meta_hi;	/* map indices not to give */
	int32_t		cs_end;		/* cg 0: end of the summary area */
};

#define ISSET(m, i)	(((m)[(i) >> 3] >> ((i) & 7)) & 1)
#define SETBIT(m, i)	((m)[(i) >> 3] |= (uint8_t)(1 << ((i) & 7)))
#define CLRBIT(m, i)	((m)[(i) >> 3] &= (uint8_t)~(1 << ((i) & 7)))

static inline int32_t
cg_get(const struct cgv *v, const struct ffs_mount *fm, size_t off)
{

	return (int32_t)ffs_get32(v->b + off, fm->fm_sb.sb_bigendian);
}

static inline void
cg_put(struct cgv *v, const struct ffs_mount *fm, size_t off, int32_t val)
{

	ffs_put32(v->b + off, (uint32_t)val, fm->fm_sb.sb_bigendian);
}

/* Fragment address where group c's metadata starts (UFS1 stagger). */
static int64_t
cg_start(const struct ffs_mount *fm, uint32_t c)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	int64_t s = FFS_CGBASE(fm, c);

	if (sb->sb_ufs == 1)
		s += (int64_t)sb->sb_old_cgoffset *
		    (c & ~(uint32_t)sb->sb_old_cgmask);
	return s;
}

static int
ffs_cg_read(struct ffs_mount *fm, uint32_t c, struct buf **bpp)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	size_t size = FFS_FRAGROUNDUP(fm, (uint64_t)sb->sb_cgsize);
	int64_t addr;
	int error;

	if (c >= (uint32_t)sb->sb_ncg)
		return EIO;
	addr = cg_start(fm, c) + sb->sb_cblkno;
	if (addr + (int64_t)(size / (size_t)sb->sb_fsize) > sb->sb_size)
		return EIO;
	error = bread(fm->fm_dev, FFS_FSBTODB(fm, addr), size, bpp);
	return error;
}

/* Read group c and check its header before trusting its maps. */
static int
cg_get_view(struct ffs_mount *fm, uint32_t c, struct cgv *v)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	uint32_t iused, freeoff, clsum, clus, cgsize = (uint32_t)sb->sb_cgsize;
	int64_t ndblk;
	int error;

	if ((error = ffs_cg_read(fm, c, &v->bp)) != 0)
		return error;
	v->b = v->bp->b_data;
	v->cgx = c;
	ndblk = MIN((int64_t)sb->sb_fpg, sb->sb_size - FFS_CGBASE(fm, c));
	v->ndblk = (int32_t)ndblk;
	iused = (uint32_t)cg_get(v, fm, FFS_CGO_IUSEDOFF);
	freeoff = (uint32_t)cg_get(v, fm, FFS_CGO_FREEOFF);
	clsum = (uint32_t)cg_get(v, fm, FFS_CGO_CLUSTERSUMOFF);
	clus = (uint32_t)cg_get(v, fm, FFS_CGO_CLUSTEROFF);
	if ((uint32_t)cg_get(v, fm, FFS_CGO_MAGIC) != FFS_CG_MAGIC ||
	    (uint32_t)cg_get(v, fm, FFS_CGO_CGX) != c ||
	    cg_get(v, fm, FFS_CGO_NDBLK) != v->ndblk ||
	    iused < FFS_CG_HDRSIZE || iused > cgsize ||
	    cgsize - iused < howmany((uint32_t)sb->sb_ipg, 8) ||
	    freeoff < FFS_CG_HDRSIZE || freeoff > cgsize ||
	    cgsize - freeoff < howmany((uint32_t)sb->sb_fpg, 8))
		goto bad;
	v->iused = v->b + iused;
	v->freemap = v->b + freeoff;
	v->cluster = v->clsum = NULL;
	if (sb->sb_contigsumsize > 0) {
		if (clsum < FFS_CG_HDRSIZE || clsum > cgsize ||
		    cgsize - clsum < 4 * (uint32_t)(sb->sb_contigsumsize + 1) ||
		    clus < FFS_CG_HDRSIZE || clus > cgsize || cgsize - clus <
		    howmany((uint32_t)(sb->sb_fpg / sb->sb_frag), 8))
			goto bad;
		v->cluster = v->b + clus;
		v->clsum = v->b + clsum;
	}
	v->meta_lo = (int32_t)(cg_start(fm, c) - FFS_CGBASE(fm, c) +
	    sb->sb_sblkno);
	v->meta_hi = (int32_t)(cg_start(fm, c) - FFS_CGBASE(fm, c) +
	    sb->sb_dblkno);
	v->cs_end = 0;
	if (c == 0) {
		v->meta_lo = 0;
		v->cs_end = (int32_t)(sb->sb_csaddr +
		    howmany(sb->sb_cssize, sb->sb_fsize));
	}
	return 0;
 bad:
	printf("ffs: %s: cylinder group %u is damaged; run fsck_ffs\n",
	    fm->fm_mount->mnt_fromname, c);
	brelse(v->bp);
	return EIO;
}

/* May map index i of v be handed out as data? */
static bool
cg_is_data(const struct cgv *v, int32_t i)
{

	if (i < 0 || i >= v->ndblk)
		return false;
	if (i >= v->meta_lo && i < v->meta_hi)
		return false;
	return v->cgx != 0 || i >= v->cs_end;
}

/* Add to the counts of v, of the mount's copy and of the totals. */
static void
cg_count(struct ffs_mount *fm, struct cgv *v, int ndir, int nbfree,
    int nifree, int nffree)
{
	struct ffs_csum *cs = &fm->fm_cs[v->cgx], *tot = &fm->fm_sb.sb_cstotal;

	cg_put(v, fm, FFS_CGO_CS, cg_get(v, fm, FFS_CGO_CS) + ndir);
	cg_put(v, fm, FFS_CGO_CS + 4, cg_get(v, fm, FFS_CGO_CS + 4) + nbfree);
	cg_put(v, fm, FFS_CGO_CS + 8, cg_get(v, fm, FFS_CGO_CS + 8) + nifree);
	cg_put(v, fm, FFS_CGO_CS + 12, cg_get(v, fm, FFS_CGO_CS + 12) +
	    nffree);
	cs->cs_ndir += ndir;
	cs->cs_nbfree += nbfree;
	cs->cs_nifree += nifree;
	cs->cs_nffree += nffree;
	tot->cs_ndir += ndir;
	tot->cs_nbfree += nbfree;
	tot->cs_nifree += nifree;
	tot->cs_nffree += nffree;
	fm->fm_fmod = true;
}

/*
 * The free bits of block blk, low bit its first fragment.  A block's
 * fragments never straddle a map byte (frag divides 8); bits past the
 * end of the group do not count.
 */
static inline u_int
blk_bits(const struct ffs_mount *fm, const struct cgv *v, int32_t blk)
{
	int frag = fm->fm_sb.sb_frag;
	int32_t base = blk * frag;
	u_int bits = (u_int)(v->freemap[base >> 3] >> (base & 7)) &
	    ((1u << frag) - 1);

	if (base + frag > v->ndblk)
		bits &= (1u << MAX(v->ndblk - base, 0)) - 1;
	return bits;
}

/* Free fragments of block blk; *full if all of them. */
static int
blk_free_frags(const struct ffs_mount *fm, const struct cgv *v, int32_t blk,
    bool *full)
{
	u_int bits = blk_bits(fm, v, blk);
	int n;

	*full = bits == (1u << fm->fm_sb.sb_frag) - 1;
	for (n = 0; bits != 0; bits &= bits - 1)
		n++;
	return n;
}

/* Count the free runs of a partial block into frsum (delta +1/-1). */
static void
blk_fragacct(struct ffs_mount *fm, struct cgv *v, int32_t blk, int delta)
{
	int frag = fm->fm_sb.sb_frag, i, run = 0;
	int32_t base = blk * frag;
	size_t off;

	for (i = 0; i <= frag; i++) {
		if (i < frag && base + i < v->ndblk &&
		    ISSET(v->freemap, base + i)) {
			run++;
			continue;
		}
		if (run > 0 && run < frag) {
			off = FFS_CGO_FRSUM + 4 * (size_t)run;
			cg_put(v, fm, off, cg_get(v, fm, off) + delta);
		}
		run = 0;
	}
}

/* Block blk became wholly free (delta 1) or stopped being so (-1). */
static void
blk_clusteracct(struct ffs_mount *fm, struct cgv *v, int32_t blk, int delta)
{
	int32_t cs = fm->fm_sb.sb_contigsumsize, back, fwd, all, i;
	int32_t nblks = v->ndblk / fm->fm_sb.sb_frag;

	if (v->cluster == NULL || blk >= nblks)
		return;
	if (delta > 0)
		SETBIT(v->cluster, blk);
	else
		CLRBIT(v->cluster, blk);
	/* Runs on either side, counted only as far as the summary. */
	for (back = 0, i = blk - 1; i >= 0 && back < cs &&
	    ISSET(v->cluster, i); i--)
		back++;
	for (fwd = 0, i = blk + 1; i < nblks && fwd < cs &&
	    ISSET(v->cluster, i); i++)
		fwd++;
	all = MIN(back + fwd + 1, cs);
#define CLSUM(k, d) ffs_put32(v->clsum + 4 * (size_t)(k), \
	ffs_get32(v->clsum + 4 * (size_t)(k), fm->fm_sb.sb_bigendian) + \
	(uint32_t)(d), fm->fm_sb.sb_bigendian)
	CLSUM(all, delta);
	if (back > 0)
		CLSUM(back, -delta);
	if (fwd > 0)
		CLSUM(fwd, -delta);
#undef CLSUM
}

/*
 * Mark fragments [i, i + n) of v, all in one block, allocated (alloc)
 * or free, keeping every summary in step.  They must be in the state
 * opposite to the one asked for: anything else is a damaged map.
 */
static int
cg_setfrags(struct ffs_mount *fm, struct cgv *v, int32_t i, int n,
    bool alloc)
{
	int frag = fm->fm_sb.sb_frag, k, fb, fa;
	int32_t blk = i / frag;
	bool fullb, fulla;

	if (n < 1 || (i % frag) + n > frag)
		return EINVAL;
	for (k = 0; k < n; k++) {
		if (!cg_is_data(v, i + k) ||
		    (bool)ISSET(v->freemap, i + k) != alloc) {
			printf("ffs: %s: fragment %lld is %s already; run "
			    "fsck_ffs\n", fm->fm_mount->mnt_fromname,
			    (long long)(FFS_CGBASE(fm, v->cgx) + i + k),
			    alloc ? "in use" : "free");
			return EIO;
		}
	}
	fb = blk_free_frags(fm, v, blk, &fullb);
	if (!fullb)
		blk_fragacct(fm, v, blk, -1);
	for (k = 0; k < n; k++) {
		if (alloc)
			CLRBIT(v->freemap, i + k);
		else
			SETBIT(v->freemap, i + k);
	}
	fa = blk_free_frags(fm, v, blk, &fulla);
	if (!fulla)
		blk_fragacct(fm, v, blk, 1);
	cg_count(fm, v, 0, (int)fulla - (int)fullb, 0,
	    (fulla ? 0 : fa) - (fullb ? 0 : fb));
	if (fulla != fullb)
		blk_clusteracct(fm, v, blk, fulla ? 1 : -1);
	return 0;
}

static void
cg_done(struct ffs_mount *fm, struct cgv *v)
{
	struct timespec now;

	getnanotime(&now);
	if (fm->fm_sb.sb_ufs == 1)
		cg_put(v, fm, FFS_CGO_OLD_TIME, (int32_t)now.tv_sec);
	else
		ffs_put64(v->b + FFS_CGO_TIME, (uint64_t)now.tv_sec,
		    fm->fm_sb.sb_bigendian);
	bdwrite(v->bp);
}

/* A run of n free fragments in v at or after map index pref. */
static int
cg_find(struct ffs_mount *fm, struct cgv *v, int32_t pref, int n,
    int32_t *where)
{
	int frag = fm->fm_sb.sb_frag, run, k;
	int32_t nblks = howmany(v->ndblk, frag), b, blk, i;

	if (pref < 0 || pref >= v->ndblk)
		pref = cg_get(v, fm, n == frag ? FFS_CGO_ROTOR : FFS_CGO_FROTOR);
	if (pref < 0 || pref >= v->ndblk)
		pref = 0;
	blk = pref / frag;
	/* A whole block; for fragments, first a partial block, so that
	 * whole ones stay whole, if frsum says one has a run that fits
	 * (the maps decide, but a full scan for nothing is slow). */
	k = 1;
	for (run = n; run < frag && n < frag; run++)
		if (cg_get(v, fm, FFS_CGO_FRSUM + 4 * (size_t)run) > 0)
			k = 0;
	for (; k < 2; k++) {
		for (b = 0; b < nblks; b++) {
			bool full;
			int nfree;

			i = ((blk + b) % nblks) * frag;
			nfree = blk_free_frags(fm, v, i / frag, &full);
			if (nfree < n || (k == 0 && full))
				continue;
			if (n == frag) {
				if (!full)
					continue;
				*where = i;
				return 0;
			}
			for (run = 0; i < ((blk + b) % nblks + 1) * frag &&
			    i < v->ndblk; i++) {
				run = ISSET(v->freemap, i) ? run + 1 : 0;
				if (run == n) {
					*where = i - n + 1;
					return 0;
				}
			}
		}
	}
	return ENOSPC;
}

int
ffs_alloc(struct ffs_mount *fm, struct ffs_node *np, int64_t pref,
    int nfrags, int64_t *addr)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	uint32_t ncg = (uint32_t)sb->sb_ncg, c0, c, k;
	struct cgv v;
	int32_t where;
	int error;

	KASSERT(rw_write_held(&fm->fm_oplock));
	if (nfrags < 1 || nfrags > sb->sb_frag)
		return EINVAL;
	if (pref > 0 && pref < sb->sb_size)
		c0 = FFS_DTOG(fm, pref);
	else {
		c0 = np->fn_ino / (uint32_t)sb->sb_ipg;
		pref = -1;
	}
	for (k = 0; k < ncg; k++) {
		c = (c0 + k) % ncg;
		if (fm->fm_cs[c].cs_nbfree == 0 &&
		    (nfrags == sb->sb_frag || fm->fm_cs[c].cs_nffree < nfrags))
			continue;
		if ((error = cg_get_view(fm, c, &v)) != 0)
			return error;
		error = cg_find(fm, &v, c == c0 && pref >= 0 ?
		    (int32_t)(pref - FFS_CGBASE(fm, c)) : -1, nfrags, &where);
		if (error == 0)
			error = cg_setfrags(fm, &v, where, nfrags, true);
		if (error == ENOSPC) {
			brelse(v.bp);
			continue;
		}
		if (error) {
			brelse(v.bp);
			return error;
		}
		cg_put(&v, fm, nfrags == sb->sb_frag ? FFS_CGO_ROTOR :
		    FFS_CGO_FROTOR, where);
		cg_done(fm, &v);
		*addr = FFS_CGBASE(fm, c) + where;
		np->fn_blocks += (uint64_t)nfrags << sb->sb_fsbtodb;
		return 0;
	}
	return ENOSPC;
}

int
ffs_fragextend(struct ffs_mount *fm, int64_t addr, int ofrags, int nfrags)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	struct cgv v;
	int32_t i;
	int k, error;

	KASSERT(rw_write_held(&fm->fm_oplock));
	if ((addr % sb->sb_frag) + nfrags > sb->sb_frag ||
	    addr + nfrags > sb->sb_size)
		return ENOSPC;
	if ((error = cg_get_view(fm, FFS_DTOG(fm, addr), &v)) != 0)
		return error;
	i = (int32_t)(addr - FFS_CGBASE(fm, v.cgx));
	for (k = ofrags; k < nfrags; k++) {
		if (!cg_is_data(&v, i + k) || !ISSET(v.freemap, i + k)) {
			brelse(v.bp);
			return ENOSPC;
		}
	}
	if ((error = cg_setfrags(fm, &v, i + ofrags, nfrags - ofrags,
	    true)) != 0) {
		brelse(v.bp);
		return error;
	}
	cg_done(fm, &v);
	return 0;
}

int
ffs_blkfree(struct ffs_mount *fm, int64_t addr, int nfrags)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	struct cgv v;
	int error;

	KASSERT(rw_write_held(&fm->fm_oplock));
	if (addr <= 0 || addr + nfrags > sb->sb_size || nfrags < 1 ||
	    (addr % sb->sb_frag) + nfrags > sb->sb_frag)
		return EIO;
	bforget(fm->fm_dev, FFS_FSBTODB(fm, addr));
	if ((error = cg_get_view(fm, FFS_DTOG(fm, addr), &v)) != 0)
		return error;
	error = cg_setfrags(fm, &v, (int32_t)(addr - FFS_CGBASE(fm, v.cgx)),
	    nfrags, false);
	if (error) {
		brelse(v.bp);
		return error;
	}
	cg_done(fm, &v);
	return 0;
}

void
ffs_cg_prefetch(struct ffs_mount *fm, int64_t addr)
{
	struct buf *bp;

	if (addr > 0 && addr < fm->fm_sb.sb_size &&
	    ffs_cg_read(fm, FFS_DTOG(fm, addr), &bp) == 0)
		brelse(bp);
}

/* Zero inode blocks of group v up to the one holding index idx. */
static int
cg_init_inodes(struct ffs_mount *fm, struct cgv *v, int32_t idx)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	int32_t inited = cg_get(v, fm, FFS_CGO_INITEDIBLK);
	struct buf *bp;
	int64_t fsba;
	int error;

	if (inited < 0 || inited > sb->sb_ipg || inited % sb->sb_inopb)
		return EIO;
	while (inited <= idx) {
		fsba = cg_start(fm, v->cgx) + sb->sb_iblkno +
		    ((int64_t)(inited / sb->sb_inopb) << sb->sb_fragshift);
		bp = getblk(fm->fm_dev, FFS_FSBTODB(fm, fsba),
		    (size_t)sb->sb_bsize);
		if (bp == NULL)
			return ENOMEM;
		memset(bp->b_data, 0, (size_t)sb->sb_bsize);
		if ((error = bwrite(bp)) != 0)
			return error;
		inited += sb->sb_inopb;
		cg_put(v, fm, FFS_CGO_INITEDIBLK, inited);
	}
	return 0;
}

int
ffs_ialloc(struct ffs_mount *fm, uint32_t dirino, bool isdir, uint32_t *ino)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	uint32_t ncg = (uint32_t)sb->sb_ncg, c0, c, k;
	int64_t avg, best = -1;
	int32_t i, ipg = sb->sb_ipg, start;
	struct cgv v;
	int error;

	KASSERT(rw_write_held(&fm->fm_oplock));
	c0 = dirino / (uint32_t)ipg % ncg;
	if (isdir) {
		/* Spread directories: among the groups with at least the
		 * average of free inodes, the one with fewest directories,
		 * starting after the last one chosen. */
		avg = sb->sb_cstotal.cs_nifree / (int64_t)ncg;
		for (k = 0; k < ncg; k++) {
			c = (fm->fm_cgrotor + k) % ncg;
			if (fm->fm_cs[c].cs_nifree > 0 &&
			    fm->fm_cs[c].cs_nifree >= avg &&
			    (best < 0 || fm->fm_cs[c].cs_ndir <
			    fm->fm_cs[best].cs_ndir))
				best = c;
		}
		if (best >= 0)
			c0 = (uint32_t)best;
		fm->fm_cgrotor = c0 + 1;
	}
	for (k = 0; k < ncg; k++) {
		c = (c0 + k) % ncg;
		if (fm->fm_cs[c].cs_nifree <= 0)
			continue;
		if ((error = cg_get_view(fm, c, &v)) != 0)
			return error;
		start = cg_get(&v, fm, FFS_CGO_IROTOR);
		if (start < 0 || start >= ipg)
			start = 0;
		for (i = 0; i < ipg; i++) {
			int32_t j = (start + i) % ipg;

			if (c == 0 && j < FFS_ROOTINO)
				continue;
			if (!ISSET(v.iused, j))
				break;
		}
		if (i == ipg) {
			brelse(v.bp);	/* the count was wrong: go on */
			continue;
		}
		i = (start + i) % ipg;
		if (sb->sb_ufs == 2 &&
		    (error = cg_init_inodes(fm, &v, i)) != 0) {
			brelse(v.bp);
			return error;
		}
		SETBIT(v.iused, i);
		cg_put(&v, fm, FFS_CGO_IROTOR, i);
		cg_count(fm, &v, isdir ? 1 : 0, 0, -1, 0);
		cg_done(fm, &v);
		*ino = c * (uint32_t)ipg + (uint32_t)i;
		return 0;
	}
	return ENOSPC;
}

int
ffs_ifree(struct ffs_mount *fm, uint32_t ino, bool isdir)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	uint32_t c = ino / (uint32_t)sb->sb_ipg;
	int32_t i = (int32_t)(ino % (uint32_t)sb->sb_ipg);
	struct cgv v;
	int error;

	KASSERT(rw_write_held(&fm->fm_oplock));
	if ((error = cg_get_view(fm, c, &v)) != 0)
		return error;
	if (!ISSET(v.iused, i)) {
		printf("ffs: %s: freeing free inode %u; run fsck_ffs\n",
		    fm->fm_mount->mnt_fromname, ino);
		brelse(v.bp);
		return EIO;
	}
	CLRBIT(v.iused, i);
	cg_count(fm, &v, isdir ? -1 : 0, 0, 1, 0);
	cg_done(fm, &v);
	return 0;
}

/*
 * Write the per-group summaries and the superblock (with the clean
 * flag as fm_sb says), waiting for the disk if wait.
 */
int
ffs_sbupdate(struct ffs_mount *fm, bool wait)
{
	struct ffs_sb *sb = &fm->fm_sb;
	size_t cssize = FFS_FRAGROUNDUP(fm, (uint64_t)sb->sb_cssize);
	struct timespec now;
	struct buf *bp;
	uint8_t *p;
	int32_t c;
	int error;

	bp = getblk(fm->fm_dev, FFS_FSBTODB(fm, sb->sb_csaddr), cssize);
	if (bp == NULL)
		return ENOMEM;
	memset(bp->b_data, 0, cssize);
	for (c = 0, p = bp->b_data; c < sb->sb_ncg; c++, p += 16) {
		ffs_put32(p, (uint32_t)fm->fm_cs[c].cs_ndir, sb->sb_bigendian);
		ffs_put32(p + 4, (uint32_t)fm->fm_cs[c].cs_nbfree,
		    sb->sb_bigendian);
		ffs_put32(p + 8, (uint32_t)fm->fm_cs[c].cs_nifree,
		    sb->sb_bigendian);
		ffs_put32(p + 12, (uint32_t)fm->fm_cs[c].cs_nffree,
		    sb->sb_bigendian);
	}
	if (wait) {
		if ((error = bwrite(bp)) != 0)
			return error;
	} else
		bdwrite(bp);
	getnanotime(&now);
	sb->sb_time = now.tv_sec;
	ffs_sb_encode(sb, fm->fm_sbraw);
	error = bread(fm->fm_dev, (int64_t)(sb->sb_loc / DEV_BSIZE),
	    FFS_SBSIZE, &bp);
	if (error)
		return error;
	memcpy(bp->b_data, fm->fm_sbraw, (size_t)sb->sb_sbsize);
	fm->fm_fmod = false;
	if (wait)
		return bwrite(bp);
	bdwrite(bp);
	return 0;
}
