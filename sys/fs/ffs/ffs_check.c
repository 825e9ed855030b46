/*
 * ffs_check.c: checking, and repairing, an FFS (UFS1 or UFS2, either
 * byte order) on a block device that is not mounted: the kernel half
 * of fsck_ffs(8).
 *
 * Interface: rump_ffs_check() (include/rump/ffs.h) names the device;
 * ffs_check() below does the work on an open device.  Findings go out
 * as text lines through the caller's report function, one line each;
 * lines starting with "** " announce the phases.  Counts come back in
 * a struct rump_ffs_check_result.
 *
 * The passes follow BSD fsck_ffs:
 *   setup     the superblock (ffs_sb_find) and every cylinder-group
 *             header (magic, index, size, map offsets)
 *   phase 1   every inode: type, size, block pointers (in range, not in
 *             metadata, none past the end of file), indirect blocks,
 *             di_blocks, and the inode map against the modes
 *   phase 1b  only if a fragment was claimed twice: who claims it
 *   phase 2   every directory: entries, ".", "..", d_type, names of
 *             unallocated inodes, hard links to directories
 *   phase 3   every directory reachable from the root, the tree a tree
 *             (cycles broken), ".." naming the parent
 *   phase 4   link counts; unreferenced inodes
 *   phase 5   free-fragment, inode and cluster maps, cluster and
 *             fragment summaries, per-group counts, the summary area
 *             and the superblock's totals, rebuilt from what was found
 *
 * Everything found is kept in memory proportional to the file system:
 * a bit per fragment (in use; claimed twice), a byte, a short and a
 * word per inode, a record per directory.  Every value read from the
 * image is checked before it is used: a pointer is followed only if it
 * lies inside the file system, outside its metadata and was not
 * claimed before, so indirect-block loops end, directory cycles are
 * broken, and a hostile image costs time and memory bounded by its
 * size.
 *
 * In check-only mode nothing is written, but the passes go on as if
 * each repair had been made (a bad inode is treated as cleared, a bad
 * entry as removed), so both modes report the same findings.  Repairs
 * are written at once, synchronously, through the buffer cache; the
 * maps are rewritten last, from the state after the repairs.
 *
 * Locking: none of its own.  The caller keeps the device unmounted and
 * has one check at a time on it; everything runs in the calling
 * thread, the buffer cache serialises access to each block.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
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

/* Format constants (docs/ffs-format.md, sections 4 and 5). */
#define NDADDR		12
#define NIADDR		3
#define NXADDR		2
#define WINO		1
#define ROOTINO		2
#define DIRBLKSIZ	512
#define LINK_MAX	32767
#define DIRSIZ(n)	((8 + (n) + 1 + 3) & ~3)

#define IFMT		0170000
#define IFIFO		0010000
#define IFCHR		0020000
#define IFDIR		0040000
#define IFBLK		0060000
#define IFREG		0100000
#define IFLNK		0120000
#define IFSOCK		0140000
#define FT_DIR		(IFDIR >> 12)	/* = DT_DIR */
#define FT_REG		(IFREG >> 12)
#define FT_LNK		(IFLNK >> 12)
#define DT_WHT		14

/* Inode offsets: UFS1 / UFS2. */
#define DI_MODE		0
#define DI_NLINK	2
#define DI1_SIZE	8
#define DI1_ATIME	16
#define DI1_MTIME	24
#define DI1_CTIME	32
#define DI1_DB		40
#define DI1_IB		88
#define DI1_BLOCKS	104
#define DI2_SIZE	16
#define DI2_BLOCKS	24
#define DI2_ATIME	32
#define DI2_MTIME	40
#define DI2_CTIME	48
#define DI2_BIRTHTIME	56
#define DI2_EXTSIZE	92
#define DI2_EXTB	96
#define DI2_DB		112
#define DI2_IB		208

#define MAXBAD		10	/* bad pointers before an inode is junk */
#define MAXLIST		10	/* numbers listed in one finding */
#define MAXPTRLINES	5	/* pointer findings printed per inode */

/* Classes of finding: what preening (RUMP_FFS_CHECK_PREEN) may fix. */
#define FC_SAFE		0	/* counts, maps, summaries, links too high */
#define FC_SERIOUS	1	/* anything else: preening stops writing */

/* Per-inode state: the file type (mode >> 12) and flags. */
#define IS_TYPE		0x0f
#define IS_CLEAR	0x10	/* bad: cleared, or to be */
#define IS_DUP		0x20	/* claims a fragment another file claims */
#define IS_ALLOC	0x80	/* in use on disk (for the maps) */
#define LIVE(s)		(((s) & (IS_ALLOC | IS_CLEAR)) == IS_ALLOC)

/* Directory records. */
#define DF_DOTDOT	0x01	/* has a ".." slot (second entry) */
#define DF_DDCOUNTED	0x02	/* its ".." target was counted in nref */
#define DF_QUIETDD	0x04	/* ".." fixed as part of another repair */
#define DF_ASTRAY	0x08	/* not connected, and could not be */
#define DS_UNKNOWN	0
#define DS_WALKING	1
#define DS_REACHED	2

struct fck_dir {
	uint32_t	d_ino;
	uint32_t	d_parent;	/* directory naming it (0: none yet) */
	uint32_t	d_dotdot;	/* what its ".." names (0: nothing) */
	uint8_t		d_flags;	/* DF_* */
	uint8_t		d_state;	/* DS_*: phase 3 */
	uint64_t	d_size;		/* bytes, as checked in phase 1 */
};

struct fck_cg {
	int64_t		g_base;		/* first fragment */
	int64_t		g_start;	/* cgstart: UFS1 staggering */
	uint32_t	g_ndblk;	/* fragments in the group */
	uint32_t	g_ninit;	/* inodes that may be read */
	bool		g_ok;		/* header passed the checks */
	struct ffs_csum	g_cs;		/* phase 5: as recomputed */
};

/* A decoded inode: the fields the checker looks at. */
struct fck_din {
	uint16_t	mode;
	int16_t		nlink;
	uint64_t	size;
	uint64_t	blocks;
	uint32_t	extsize;
	uint8_t		*db, *ib, *extb;	/* pointer slots, raw */
};

struct fck;
struct fck_walk;
typedef int (*fck_blkfn)(struct fck *, struct fck_walk *, uint64_t lbn,
    int64_t addr, int nfrags);

/* What a walk over an inode's block tree does with each pointer. */
enum fck_wmode {
	W_CLAIM,	/* phase 1: check, claim, count, fix */
	W_DUPCOUNT,	/* phase 1b: count claims of doubly claimed frags */
	W_DUPFIND,	/* phase 1b: find this inode's shared fragments */
	W_DATA,		/* visit each data block (directories) */
	W_REBUILD,	/* after repairs: claim again, quietly */
};

struct fck_walk {
	enum fck_wmode	w_mode;
	uint32_t	w_ino;
	int		w_type;		/* FT_* */
	uint64_t	w_size;		/* bytes: blocks past it are EOF */
	uint64_t	w_nblk;		/* logical blocks within w_size */
	bool		w_nodata;	/* db/ib hold no block addresses */
	bool		w_fix;		/* may zero bad pointers */
	bool		w_trunc;	/* directory cut short at a hole */
	uint64_t	w_frags;	/* fragments claimed */
	u_int		w_nbad, w_npast, w_ndup;
	int64_t		w_first;	/* first shared fragment */
	fck_blkfn	w_fn;		/* W_DATA */
	void		*w_arg;
};

#define FCK_STOP	(-1)	/* internal: end a walk early, no error */

struct fck {
	dev_t		dev;
	struct ffs_sb	sb;
	uint8_t		*sbraw;		/* the superblock slot's bytes */
	struct rump_ffs_check_result *res;
	void		(*report)(void *, const char *);
	void		*rarg;
	bool		repair;		/* writes allowed at all */
	bool		preen;		/* only FC_SAFE repairs */
	bool		nowrite;	/* preening met a serious finding */
	bool		stopped;	/* could not go on (root lost) */
	bool		be;
	bool		olddir;		/* 4.2BSD directory entries */
	bool		anydup;
	bool		ichanged;	/* repairs changed some block claims */
	int		isz;		/* inode bytes */
	int		psz;		/* block pointer bytes */
	uint32_t	ninodes;
	uint64_t	span[NIADDR + 1];	/* nindir^level */
	uint64_t	maxsize;	/* largest file the pointers can map */
	int64_t		csfrags;	/* fragments of the summary area */
	int64_t		sbf0, sbf1;	/* fragments of the superblock */
	size_t		mapbytes;
	uint8_t		*used;		/* bit per fragment: claimed */
	uint8_t		*dup;		/* bit per fragment: claimed twice */
	uint8_t		*istate;	/* IS_* per inode */
	int16_t		*nlink;		/* di_nlink as read */
	uint32_t	*nref;		/* directory entries naming it */
	struct fck_cg	*cgs;
	struct fck_dir	*dirs;		/* sorted by inode number */
	uint32_t	ndirs, maxdirs;
	uint32_t	lfino;		/* lost+found, 0 if none */
	uint64_t	lfhint;		/* its first block with room */
	bool		lffull;		/* it cannot grow any more */
	int64_t		*dupf;		/* phase 1b: shared fragments */
	uint8_t		*dupc;		/* and how many claim each */
	size_t		ndupf;
	uint8_t		*imap;		/* one group's inode map */
	uint8_t		*blk;		/* a block's worth of scratch */
	uint8_t		*cgbuf;		/* a cylinder group's scratch */
	uint32_t	lines;		/* pointer findings of one inode */
	char		line[320];
};

#define ISSET(m, i)	(((m)[(uint64_t)(i) >> 3] >> ((i) & 7)) & 1)
#define SETBIT(m, i)	((m)[(uint64_t)(i) >> 3] |= (uint8_t)(1 << ((i) & 7)))
#define CLRBIT(m, i)	((m)[(uint64_t)(i) >> 3] &= (uint8_t)~(1 << ((i) & 7)))

#define FSBTODB(ck, f)	((int64_t)(f) << (ck)->sb.sb_fsbtodb)
#define G16(p)		ffs_get16((p), ck->be)
#define G32(p)		ffs_get32((p), ck->be)
#define G64(p)		ffs_get64((p), ck->be)
#define P16(p, v)	ffs_put16((p), (uint16_t)(v), ck->be)
#define P32(p, v)	ffs_put32((p), (uint32_t)(v), ck->be)
#define P64(p, v)	ffs_put64((p), (uint64_t)(v), ck->be)

/* ------------------------------------------------------------------ */
/* Findings */

/* May a finding of class cls be repaired now? */
static bool
fck_allowed(const struct fck *ck, int cls)
{

	if (!ck->repair || ck->nowrite)
		return false;
	return !(ck->preen && cls == FC_SERIOUS);
}

/* Count a finding (reported or not). */
static void
fck_count(struct fck *ck, int cls, bool fixed)
{

	ck->res->fcr_findings++;
	if (fixed)
		ck->res->fcr_fixed++;
	if (cls == FC_SERIOUS) {
		ck->res->fcr_unexpected++;
		if (ck->preen)
			ck->nowrite = true;	/* fix nothing from now on */
	}
}

/*
 * The line: what was found, and when repairing, what was done (action,
 * NULL: "fixed") or "not fixed".  Check-only runs say only what.
 */
static void
fck_vreport(struct fck *ck, int cls, bool fixed, const char *action,
    const char *fmt, va_list ap)
{
	size_t n;

	fck_count(ck, cls, fixed);
	vsnprintf(ck->line, sizeof(ck->line), fmt, ap);
	n = strlen(ck->line);
	if (ck->repair && (action == NULL || *action != '\0'))
		snprintf(ck->line + n, sizeof(ck->line) - n, "; %s",
		    !fixed ? "not fixed" : action != NULL ? action : "fixed");
	if (ck->report != NULL)
		ck->report(ck->rarg, ck->line);
}

/* Report a finding whose repair (if any) the caller has made. */
static void __printflike(4, 5)
fck_report(struct fck *ck, int cls, bool fixed, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fck_vreport(ck, cls, fixed, NULL, fmt, ap);
	va_end(ap);
}

static void __printflike(5, 6)
fck_reporta(struct fck *ck, int cls, bool fixed, const char *action,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fck_vreport(ck, cls, fixed, action, fmt, ap);
	va_end(ap);
}

/* A finding that ends the check: no repair to speak of. */
static void __printflike(2, 3)
fck_fatal(struct fck *ck, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fck_vreport(ck, FC_SERIOUS, false, "", fmt, ap);
	va_end(ap);
}

/* Report a finding; true if the caller is to repair it. */
static bool __printflike(3, 4)
fck_find(struct fck *ck, int cls, const char *fmt, ...)
{
	bool fix = fck_allowed(ck, cls);
	va_list ap;

	va_start(ap, fmt);
	fck_vreport(ck, cls, fix, NULL, fmt, ap);
	va_end(ap);
	return fix;
}

/* The same, naming the repair. */
static bool __printflike(4, 5)
fck_finda(struct fck *ck, int cls, const char *action, const char *fmt, ...)
{
	bool fix = fck_allowed(ck, cls);
	va_list ap;

	va_start(ap, fmt);
	fck_vreport(ck, cls, fix, action, fmt, ap);
	va_end(ap);
	return fix;
}

static void
fck_phase(struct fck *ck, const char *what)
{

	if (ck->report != NULL) {
		snprintf(ck->line, sizeof(ck->line), "** %s", what);
		ck->report(ck->rarg, ck->line);
	}
}

/* Append up to MAXLIST numbers to a line being built. */
static void
fck_list(char *buf, size_t len, u_int i, int64_t v)
{
	size_t n = strlen(buf);

	if (i < MAXLIST)
		snprintf(buf + n, len - n, "%s%lld", i == 0 ? "" : ", ",
		    (long long)v);
	else if (i == MAXLIST)
		snprintf(buf + n, len - n, ", ...");
}

static const char *
fck_typename(int t)
{

	switch (t) {
	case IFIFO >> 12:	return "fifo";
	case IFCHR >> 12:	return "character device";
	case IFDIR >> 12:	return "directory";
	case IFBLK >> 12:	return "block device";
	case IFREG >> 12:	return "file";
	case IFLNK >> 12:	return "symbolic link";
	case IFSOCK >> 12:	return "socket";
	default:		return "inode";
	}
}

/* ------------------------------------------------------------------ */
/* Blocks */

static int
fck_bwrite(struct fck *ck, struct buf *bp)
{

	ck->res->fcr_state |= RUMP_FFS_CHECK_MODIFIED;
	return bwrite(bp);
}

/* Read nbytes at fragment f into buf (no buffer kept busy). */
static int
fck_read(struct fck *ck, int64_t f, void *buf, size_t nbytes)
{
	struct buf *bp;
	int error;

	if ((error = bread(ck->dev, FSBTODB(ck, f), nbytes, &bp)) != 0)
		return error;
	memcpy(buf, bp->b_data, nbytes);
	brelse(bp);
	return 0;
}

/* Write nbytes from buf at fragment f, as read by fck_read. */
static int
fck_write(struct fck *ck, int64_t f, const void *buf, size_t nbytes)
{
	struct buf *bp;
	int error;

	if ((error = bread(ck->dev, FSBTODB(ck, f), nbytes, &bp)) != 0)
		return error;
	memcpy(bp->b_data, buf, nbytes);
	return fck_bwrite(ck, bp);
}

static int
fck_readsb(void *arg, uint64_t off, void *buf, size_t len)
{
	struct fck *ck = arg;
	struct buf *bp;
	int error;

	if ((error = bread(ck->dev, (int64_t)(off / DEV_BSIZE), len,
	    &bp)) != 0)
		return error;
	memcpy(buf, bp->b_data, len);
	brelse(bp);
	return 0;
}

static void *
fck_alloc(size_t n)
{

	return kmem_zalloc(n == 0 ? 1 : n, KM_SLEEP);
}

static void
fck_free(void *p, size_t n)
{

	if (p != NULL)
		kmem_free(p, n == 0 ? 1 : n);
}

/* ------------------------------------------------------------------ */
/* Addresses and inodes */

/* Is any fragment of [a, a + n) metadata? (n fragments in one block) */
static bool
fck_meta(const struct fck *ck, int64_t a, int64_t n)
{
	const struct ffs_sb *sb = &ck->sb;
	uint32_t c = (uint32_t)(a / sb->sb_fpg);
	int64_t s = ck->cgs[c].g_start;

	if (a + n > s + sb->sb_sblkno && a < s + sb->sb_dblkno)
		return true;
	if (c == 0 && a < s + sb->sb_sblkno)
		return true;	/* boot area, primary superblock */
	if (a + n > sb->sb_csaddr && a < sb->sb_csaddr + ck->csfrags)
		return true;
	return a + n > ck->sbf0 && a < ck->sbf1;
}

/* Why n fragments at a cannot be a file's, or NULL if they can. */
static const char *
fck_badaddr(const struct fck *ck, int64_t a, int n)
{
	const struct ffs_sb *sb = &ck->sb;

	if (a <= 0 || a >= sb->sb_size || n > sb->sb_size - a)
		return "out of range";
	if (n == sb->sb_frag ? a % sb->sb_frag != 0 :
	    a % sb->sb_frag + n > sb->sb_frag)
		return "misaligned";
	if (fck_meta(ck, a, n))
		return "in metadata";
	return NULL;
}

/* Mark [a, a + n) claimed; true if a fragment was claimed before. */
static bool
fck_claim(struct fck *ck, int64_t a, int n)
{
	bool dup = false;
	int64_t f;

	for (f = a; f < a + n; f++) {
		if (ISSET(ck->used, f)) {
			SETBIT(ck->dup, f);
			dup = true;
		} else
			SETBIT(ck->used, f);
	}
	if (dup)
		ck->anydup = true;
	return dup;
}

static bool
fck_isdup(const struct fck *ck, int64_t a, int n)
{
	int64_t f;

	for (f = a; f < a + n; f++)
		if (ISSET(ck->dup, f))
			return true;
	return false;
}

static void
fck_setrange(struct fck *ck, int64_t a, int64_t b)
{

	if (a < 0)
		a = 0;
	if (b > ck->sb.sb_size)
		b = ck->sb.sb_size;
	for (; a < b; a++)
		SETBIT(ck->used, a);
}

/* Claim every fragment of metadata (the start of a rebuild). */
static void
fck_mark_meta(struct fck *ck)
{
	const struct ffs_sb *sb = &ck->sb;
	uint32_t c;

	memset(ck->used, 0, ck->mapbytes);
	memset(ck->dup, 0, ck->mapbytes);
	for (c = 0; c < (uint32_t)sb->sb_ncg; c++)
		fck_setrange(ck, ck->cgs[c].g_start + sb->sb_sblkno,
		    ck->cgs[c].g_start + sb->sb_dblkno);
	fck_setrange(ck, 0, ck->cgs[0].g_start + sb->sb_sblkno);
	fck_setrange(ck, sb->sb_csaddr, sb->sb_csaddr + ck->csfrags);
	fck_setrange(ck, ck->sbf0, ck->sbf1);
}

/* The fragment holding inode ino's block. */
static int64_t
fck_inoblk(const struct fck *ck, uint32_t ino)
{
	const struct ffs_sb *sb = &ck->sb;
	uint32_t c = ino / (uint32_t)sb->sb_ipg;
	uint32_t i = ino % (uint32_t)sb->sb_ipg;

	return ck->cgs[c].g_start + sb->sb_iblkno +
	    ((int64_t)(i / (uint32_t)sb->sb_inopb) << sb->sb_fragshift);
}

static void
fck_idecode(const struct fck *ck, uint8_t *dip, struct fck_din *d)
{

	d->mode = G16(dip + DI_MODE);
	d->nlink = (int16_t)G16(dip + DI_NLINK);
	if (ck->sb.sb_ufs == 1) {
		d->size = G64(dip + DI1_SIZE);
		d->blocks = G32(dip + DI1_BLOCKS);
		d->extsize = 0;
		d->db = dip + DI1_DB;
		d->ib = dip + DI1_IB;
		d->extb = NULL;
	} else {
		d->size = G64(dip + DI2_SIZE);
		d->blocks = G64(dip + DI2_BLOCKS);
		d->extsize = G32(dip + DI2_EXTSIZE);
		d->db = dip + DI2_DB;
		d->ib = dip + DI2_IB;
		d->extb = dip + DI2_EXTB;
	}
}

static int64_t
fck_getptr(const struct fck *ck, const uint8_t *slots, u_int i)
{

	if (ck->psz == 4)
		return (int32_t)G32(slots + 4 * i);
	return (int64_t)G64(slots + 8 * i);
}

static void
fck_setptr(const struct fck *ck, uint8_t *slots, u_int i, int64_t v)
{

	if (ck->psz == 4)
		P32(slots + 4 * i, v);
	else
		P64(slots + 8 * i, v);
}

static void
fck_setsize(const struct fck *ck, uint8_t *dip, uint64_t size)
{

	P64(dip + (ck->sb.sb_ufs == 1 ? DI1_SIZE : DI2_SIZE), size);
}

static void
fck_setblocks(const struct fck *ck, uint8_t *dip, uint64_t blocks)
{

	if (ck->sb.sb_ufs == 1)
		P32(dip + DI1_BLOCKS, blocks);
	else
		P64(dip + DI2_BLOCKS, blocks);
}

/* Read inode ino's block; *dipp points at the inode inside it. */
static int
fck_iget(struct fck *ck, uint32_t ino, struct buf **bpp, uint8_t **dipp)
{
	int error;

	error = bread(ck->dev, FSBTODB(ck, fck_inoblk(ck, ino)),
	    (size_t)ck->sb.sb_bsize, bpp);
	if (error)
		return error;
	*dipp = (uint8_t *)(*bpp)->b_data +
	    (ino % (uint32_t)ck->sb.sb_inopb) * (uint32_t)ck->isz;
	return 0;
}

/* A copy of inode ino (no buffer kept). */
static int
fck_icopy(struct fck *ck, uint32_t ino, uint8_t *copy)
{
	struct buf *bp;
	uint8_t *dip;
	int error;

	if ((error = fck_iget(ck, ino, &bp, &dip)) != 0)
		return error;
	memcpy(copy, dip, (size_t)ck->isz);
	brelse(bp);
	return 0;
}

/* A symbolic link whose target is in the inode (section 4.7)? */
static bool
fck_inline(const struct fck *ck, const struct fck_din *d)
{

	return (ck->sb.sb_maxsymlinklen > 0 &&
	    d->size < (uint64_t)ck->sb.sb_maxsymlinklen) || d->blocks == 0;
}

/* Do db[] and ib[] hold block addresses? (not a device number, not a
 * short link's target) */
static bool
fck_hasblocks(const struct fck *ck, const struct fck_din *d)
{

	switch (d->mode & IFMT) {
	case IFDIR:
	case IFREG:
		return true;
	case IFLNK:
		return !fck_inline(ck, d);
	default:
		return false;
	}
}

/* ------------------------------------------------------------------ */
/* Walking an inode's block tree */

/* Fragments logical block lbn occupies (a short tail, or a block). */
static int
fck_lbnfrags(const struct fck *ck, const struct fck_walk *w, uint64_t lbn)
{
	const struct ffs_sb *sb = &ck->sb;
	uint64_t rest;

	if (lbn < NDADDR && lbn + 1 == w->w_nblk) {
		rest = w->w_size - lbn * (uint64_t)sb->sb_bsize;
		if (rest < (uint64_t)sb->sb_bsize)
			return (int)howmany(rest, (uint64_t)sb->sb_fsize);
	}
	return sb->sb_frag;
}

/* A directory ends where a block is missing (phase 1). */
static void
fck_dircut(const struct fck *ck, struct fck_walk *w, uint64_t lbn)
{

	if (w->w_type != FT_DIR || w->w_mode != W_CLAIM || lbn >= w->w_nblk)
		return;
	w->w_trunc = true;
	w->w_nblk = lbn;
	w->w_size = lbn * (uint64_t)ck->sb.sb_bsize;
}

static int fck_windir(struct fck *, struct fck_walk *, int, uint64_t,
    int64_t);

/*
 * Pointer idx of slots, at level (0: a data block; 1-3: an indirect
 * block) covering logical blocks from lbn.  *dirty is set when a
 * repair zeroed the pointer.
 */
static int
fck_wptr(struct fck *ck, struct fck_walk *w, int level, uint64_t lbn,
    uint8_t *slots, u_int idx, bool *dirty)
{
	const char *why;
	int64_t a = fck_getptr(ck, slots, idx);
	int n;

	if (a == 0) {
		fck_dircut(ck, w, lbn);
		return 0;
	}
	if (lbn >= w->w_nblk) {
		if (w->w_mode == W_CLAIM || w->w_mode == W_REBUILD) {
			if (!w->w_trunc || w->w_mode == W_REBUILD)
				w->w_npast++;
			if (w->w_fix) {
				fck_setptr(ck, slots, idx, 0);
				*dirty = true;
			}
		}
		return 0;
	}
	n = level > 0 ? ck->sb.sb_frag : fck_lbnfrags(ck, w, lbn);
	if ((why = fck_badaddr(ck, a, n)) != NULL) {
		if (w->w_mode == W_REBUILD)
			w->w_nbad++;
		if (w->w_mode != W_CLAIM)
			return 0;
		if (++w->w_nbad > MAXBAD)
			return FCK_STOP;
		if (ck->lines++ < MAXPTRLINES)
			fck_reporta(ck, FC_SERIOUS, w->w_fix &&
			    w->w_type != FT_LNK, "zeroed",
			    "inode %u (%s): %s block %lld (logical block "
			    "%llu) %s", w->w_ino, fck_typename(w->w_type),
			    level > 0 ? "indirect" : "data", (long long)a,
			    (unsigned long long)lbn, why);
		else
			fck_count(ck, FC_SERIOUS, w->w_fix &&
			    w->w_type != FT_LNK);
		fck_dircut(ck, w, lbn);
		if (w->w_fix && w->w_type != FT_LNK) {
			fck_setptr(ck, slots, idx, 0);
			*dirty = true;
		}
		return 0;
	}
	switch (w->w_mode) {
	case W_CLAIM:
	case W_REBUILD:
		w->w_frags += (uint64_t)n;
		if (fck_claim(ck, a, n)) {
			w->w_ndup++;
			return 0;	/* never follow a shared block */
		}
		break;
	case W_DUPCOUNT:
	case W_DUPFIND:
		if (!fck_isdup(ck, a, n))
			break;
		if (w->w_mode == W_DUPCOUNT) {
			int64_t f;
			size_t lo, hi, mid;

			for (f = a; f < a + n; f++) {
				if (!ISSET(ck->dup, f))
					continue;
				lo = 0;
				hi = ck->ndupf;
				while (lo < hi) {
					mid = (lo + hi) / 2;
					if (ck->dupf[mid] < f)
						lo = mid + 1;
					else
						hi = mid;
				}
				if (lo < ck->ndupf && ck->dupf[lo] == f &&
				    ck->dupc[lo] < 255)
					ck->dupc[lo]++;
			}
		} else {
			if (w->w_ndup++ == 0)
				w->w_first = a;
		}
		return 0;
	case W_DATA:
		if (fck_isdup(ck, a, n))
			return 0;
		if (level == 0)
			return w->w_fn(ck, w, lbn, a, n);
		break;
	}
	if (level == 0)
		return 0;
	return fck_windir(ck, w, level, lbn, a);
}

/* Follow indirect block a, at level, covering logical blocks from lbn. */
static int
fck_windir(struct fck *ck, struct fck_walk *w, int level, uint64_t lbn,
    int64_t a)
{
	struct buf *bp;
	bool dirty = false;
	uint64_t span = ck->span[level - 1];
	u_int i;
	int error, e;

	error = bread(ck->dev, FSBTODB(ck, a), (size_t)ck->sb.sb_bsize, &bp);
	if (error)
		return error;
	for (i = 0; i < (u_int)ck->sb.sb_nindir && error == 0; i++) {
		if (lbn + i * span >= w->w_nblk &&
		    fck_getptr(ck, bp->b_data, i) == 0)
			continue;	/* the usual tail: quick */
		error = fck_wptr(ck, w, level - 1, lbn + i * span,
		    bp->b_data, i, &dirty);
	}
	if (dirty) {
		/* Repairs made before a stop are kept all the same. */
		e = fck_bwrite(ck, bp);
		return error != 0 ? error : e;
	}
	brelse(bp);
	return error;
}

/* Walk the data and indirect blocks of the inode at dip. */
static int
fck_walk(struct fck *ck, struct fck_walk *w, uint8_t *dip, bool *dirty)
{
	struct fck_din d;
	uint64_t lbn;
	u_int i;
	int error = 0;

	if (w->w_nodata)
		return 0;
	fck_idecode(ck, dip, &d);
	w->w_nblk = howmany(w->w_size, (uint64_t)ck->sb.sb_bsize);
	for (i = 0; i < NDADDR && error == 0; i++)
		error = fck_wptr(ck, w, 0, i, d.db, i, dirty);
	lbn = NDADDR;
	for (i = 0; i < NIADDR && error == 0; i++) {
		error = fck_wptr(ck, w, (int)i + 1, lbn, d.ib, i, dirty);
		lbn += ck->span[i + 1];
	}
	return error;
}

/* The UFS2 extended-attribute area: up to two blocks, tail rules. */
static int
fck_walkext(struct fck *ck, struct fck_walk *w, uint8_t *dip, bool *dirty)
{
	struct fck_din d;
	u_int i;
	int error = 0;

	fck_idecode(ck, dip, &d);
	if (d.extb == NULL)
		return 0;
	w->w_nodata = false;
	w->w_trunc = false;
	w->w_size = d.extsize;
	w->w_nblk = howmany(w->w_size, (uint64_t)ck->sb.sb_bsize);
	for (i = 0; i < NXADDR && error == 0; i++)
		error = fck_wptr(ck, w, 0, i, d.extb, i, dirty);
	return error;
}

/* ------------------------------------------------------------------ */
/* Setup: the superblock and the cylinder-group headers */

static bool fck_cg_init(struct fck *, uint32_t, uint8_t *);

/* Check group c's header in cg; why names the first problem. */
static bool
fck_cg_sane(struct fck *ck, uint32_t c, const uint8_t *cg,
    const char **why)
{
	const struct ffs_sb *sb = &ck->sb;
	uint64_t cgsize = (uint64_t)sb->sb_cgsize;
	uint64_t ib = howmany((uint64_t)sb->sb_ipg, 8);
	uint64_t fb = howmany((uint64_t)sb->sb_fpg, 8);
	uint64_t cb = howmany((uint64_t)(sb->sb_fpg / sb->sb_frag), 8);
	uint64_t csn = (uint64_t)sb->sb_contigsumsize;
	uint64_t iu, fr, cs, cl, nx;

#define BAD(w)	do { *why = (w); return false; } while (0)
	if (G32(cg + FFS_CGO_MAGIC) != FFS_CG_MAGIC)
		BAD("bad magic number");
	if (G32(cg + FFS_CGO_CGX) != c)
		BAD("wrong group index");
	if (G32(cg + FFS_CGO_NDBLK) != ck->cgs[c].g_ndblk)
		BAD("wrong number of fragments");
	if (sb->sb_ufs == 2) {
		if ((int32_t)G32(cg + FFS_CGO_NIBLK) != sb->sb_ipg)
			BAD("wrong number of inodes");
		if (G32(cg + FFS_CGO_INITEDIBLK) > (uint32_t)sb->sb_ipg)
			BAD("more inodes initialised than exist");
	} else if (sb->sb_ipg <= 32767 &&
	    (int16_t)G16(cg + FFS_CGO_OLD_NIBLK) != sb->sb_ipg)
		BAD("wrong number of inodes");
	iu = G32(cg + FFS_CGO_IUSEDOFF);
	fr = G32(cg + FFS_CGO_FREEOFF);
	nx = G32(cg + FFS_CGO_NEXTFREEOFF);
	if (iu < FFS_CG_HDRSIZE || iu + ib > cgsize)
		BAD("inode map outside the group block");
	if (fr < FFS_CG_HDRSIZE || fr + fb > cgsize)
		BAD("fragment map outside the group block");
	if (iu < fr + fb && fr < iu + ib)
		BAD("inode and fragment maps overlap");
	if (nx > cgsize)
		BAD("maps end outside the group block");
	if (sb->sb_contigsumsize > 0) {
		cs = G32(cg + FFS_CGO_CLUSTERSUMOFF);
		cl = G32(cg + FFS_CGO_CLUSTEROFF);
		if (cs % 4 != 0 || cs + 4 < FFS_CG_HDRSIZE + 4 ||
		    cs + 4 * ((uint64_t)sb->sb_contigsumsize + 1) > cgsize)
			BAD("cluster summary outside the group block");
		if (cl < FFS_CG_HDRSIZE || cl + cb > cgsize)
			BAD("cluster map outside the group block");
		if ((cl < iu + ib && iu < cl + cb) ||
		    (cl < fr + fb && fr < cl + cb))
			BAD("cluster map overlaps another map");
		/* Entries 1..contigsumsize are written: no overlap. */
		if ((cs + 4 < cl + cb && cl < cs + 4 + 4 * csn) ||
		    (cs + 4 < iu + ib && iu < cs + 4 + 4 * csn) ||
		    (cs + 4 < fr + fb && fr < cs + 4 + 4 * csn))
			BAD("cluster summary overlaps a map");
		if (G32(cg + FFS_CGO_NCLUSTERBLKS) !=
		    ck->cgs[c].g_ndblk / (uint32_t)sb->sb_frag)
			BAD("wrong number of cluster blocks");
	}
	return true;
#undef BAD
}

static int
fck_setup(struct fck *ck, uint64_t devsize)
{
	struct ffs_sb *sb = &ck->sb;
	const char *why;
	uint32_t c, ccs;
	int error;
	u_int i;

	error = ffs_sb_find(fck_readsb, ck, devsize, ck->sbraw, sb);
	if (error == EFTYPE || error == EINVAL) {
		fck_fatal(ck, "%s",
		    error == EFTYPE ? "no FFS superblock found" :
		    "superblock damaged (its fields disagree); "
		    "cannot check");
		return error;
	}
	if (error)
		return error;

	ck->be = sb->sb_bigendian;
	ck->isz = sb->sb_ufs == 1 ? 128 : 256;
	ck->psz = sb->sb_ufs == 1 ? 4 : 8;
	ck->olddir = sb->sb_maxsymlinklen <= 0;
	ck->ninodes = (uint32_t)sb->sb_ncg * (uint32_t)sb->sb_ipg;
	ck->span[0] = 1;
	for (i = 1; i <= NIADDR; i++)
		ck->span[i] = ck->span[i - 1] * (uint64_t)sb->sb_nindir;
	ck->maxsize = (uint64_t)sb->sb_bsize * (NDADDR + ck->span[1] +
	    ck->span[2] + ck->span[3]);
	ck->csfrags = howmany(sb->sb_cssize, sb->sb_fsize);
	ck->sbf0 = (int64_t)(sb->sb_loc / (uint64_t)sb->sb_fsize);
	ck->sbf1 = (int64_t)howmany(sb->sb_loc + (uint64_t)sb->sb_sbsize,
	    (uint64_t)sb->sb_fsize);
	ck->res->fcr_ufs = (uint32_t)sb->sb_ufs;
	ck->res->fcr_frag = (uint32_t)sb->sb_frag;
	ck->res->fcr_bsize = (uint32_t)sb->sb_bsize;
	ck->res->fcr_fsize = (uint32_t)sb->sb_fsize;
	ck->res->fcr_dsize = (uint64_t)sb->sb_dsize;
	if (ck->be)
		ck->res->fcr_state |= RUMP_FFS_CHECK_BIGENDIAN;
	if ((sb->sb_clean & 1) &&
	    !(sb->sb_flags & (FFS_FS_UNCLEAN | FFS_FS_NEEDSFSCK)))
		ck->res->fcr_state |= RUMP_FFS_CHECK_WASCLEAN;

	/* Where each group is; its metadata must fit inside it. */
	ck->cgs = fck_alloc((size_t)sb->sb_ncg * sizeof(*ck->cgs));
	if (ck->cgs == NULL)
		return ENOMEM;
	for (c = 0; c < (uint32_t)sb->sb_ncg; c++) {
		struct fck_cg *g = &ck->cgs[c];

		g->g_base = (int64_t)c * sb->sb_fpg;
		g->g_start = g->g_base;
		if (sb->sb_ufs == 1)
			g->g_start += (int64_t)sb->sb_old_cgoffset *
			    (int64_t)(c & ~(uint32_t)sb->sb_old_cgmask);
		g->g_ndblk = (uint32_t)MIN((int64_t)sb->sb_fpg,
		    sb->sb_size - g->g_base);
		g->g_ninit = (uint32_t)sb->sb_ipg;
		if (g->g_start % sb->sb_frag != 0 ||
		    g->g_start - g->g_base + sb->sb_dblkno > g->g_ndblk) {
			fck_fatal(ck, "superblock: cylinder group %u too "
			    "small for its metadata; cannot check", c);
			return EINVAL;
		}
	}
	/* The maps of a group must fit its header block (2.2, 9). */
	if (FFS_CG_HDRSIZE + howmany((int64_t)sb->sb_ipg, 8) +
	    howmany((int64_t)sb->sb_fpg, 8) + (sb->sb_contigsumsize > 0 ?
	    4 * ((int64_t)sb->sb_contigsumsize + 1) +
	    howmany((int64_t)(sb->sb_fpg / sb->sb_frag), 8) : 0) >
	    sb->sb_cgsize) {
		fck_fatal(ck, "superblock: cylinder "
		    "groups of %d fragments and %d inodes do not fit %d "
		    "bytes; cannot check", sb->sb_fpg, sb->sb_ipg,
		    sb->sb_cgsize);
		return EINVAL;
	}
	ccs = (uint32_t)(sb->sb_csaddr / sb->sb_fpg);
	if (sb->sb_csaddr < ck->cgs[ccs].g_start + sb->sb_dblkno ||
	    sb->sb_csaddr + ck->csfrags >
	    ck->cgs[ccs].g_base + ck->cgs[ccs].g_ndblk) {
		fck_fatal(ck, "superblock: summary area "
		    "at fragment %lld is not in a data area; cannot check",
		    (long long)sb->sb_csaddr);
		return EINVAL;
	}

	/* What the passes keep: proportional to the file system. */
	ck->mapbytes = (size_t)howmany((uint64_t)sb->sb_size, 8);
	ck->used = fck_alloc(ck->mapbytes);
	ck->dup = fck_alloc(ck->mapbytes);
	ck->istate = fck_alloc(ck->ninodes);
	ck->nlink = fck_alloc((size_t)ck->ninodes * sizeof(int16_t));
	ck->nref = fck_alloc((size_t)ck->ninodes * sizeof(uint32_t));
	ck->imap = fck_alloc(howmany((size_t)sb->sb_ipg, 8));
	ck->blk = fck_alloc((size_t)sb->sb_bsize);
	ck->cgbuf = fck_alloc((size_t)sb->sb_bsize);
	if (ck->used == NULL || ck->dup == NULL || ck->istate == NULL ||
	    ck->nlink == NULL || ck->nref == NULL || ck->imap == NULL ||
	    ck->blk == NULL || ck->cgbuf == NULL)
		return ENOMEM;
	fck_mark_meta(ck);

	/* Each group's header. */
	for (c = 0; c < (uint32_t)sb->sb_ncg; c++) {
		struct fck_cg *g = &ck->cgs[c];

		error = fck_read(ck, g->g_start + sb->sb_cblkno, ck->cgbuf,
		    roundup((size_t)sb->sb_cgsize, (size_t)sb->sb_fsize));
		if (error)
			return error;
		g->g_ok = fck_cg_sane(ck, c, ck->cgbuf, &why);
		if (!g->g_ok) {
			/* All its inodes are read; phase 5 rebuilds it, if
			 * the standard layout fits (else it stays bad). */
			if (fck_cg_init(ck, c, ck->blk))
				fck_finda(ck, FC_SERIOUS, "header rebuilt",
				    "cylinder group %u: %s", c, why);
			else
				fck_report(ck, FC_SERIOUS, false, "cylinder "
				    "group %u: %s", c, why);
		} else if (sb->sb_ufs == 2)
			g->g_ninit = G32(ck->cgbuf + FFS_CGO_INITEDIBLK);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Inode scans */

typedef int (*fck_inofn)(struct fck *, uint32_t ino, uint8_t *dip,
    int marked, bool *dirty);

/*
 * Call fn for every inode that may be read (want: those for which
 * want(ck, ino) holds, NULL: all), block by block, writing a block
 * back if fn changed it.  marked is the inode-map bit, or -1 where the
 * group's header is bad.
 */
static int
fck_scan(struct fck *ck, bool (*want)(struct fck *, uint32_t), fck_inofn fn)
{
	const struct ffs_sb *sb = &ck->sb;
	uint32_t c, b, j, idx, ino, iuoff, inopb = (uint32_t)sb->sb_inopb;
	struct buf *bp;
	bool dirty, any;
	int error, marked;

	for (c = 0; c < (uint32_t)sb->sb_ncg; c++) {
		struct fck_cg *g = &ck->cgs[c];

		if (g->g_ok) {
			error = fck_read(ck, g->g_start + sb->sb_cblkno,
			    ck->cgbuf, roundup((size_t)sb->sb_cgsize,
			    (size_t)sb->sb_fsize));
			if (error)
				return error;
			iuoff = G32(ck->cgbuf + FFS_CGO_IUSEDOFF);
			memcpy(ck->imap, ck->cgbuf + iuoff,
			    howmany((size_t)sb->sb_ipg, 8));
		} else
			memset(ck->imap, 0, howmany((size_t)sb->sb_ipg, 8));
		for (b = 0; b < (uint32_t)sb->sb_ipg / inopb; b++) {
			/* Inodes never initialised are not read (3.4). */
			any = false;
			for (j = 0; j < inopb; j++) {
				idx = b * inopb + j;
				ino = c * (uint32_t)sb->sb_ipg + idx;
				if (idx < g->g_ninit &&
				    (want == NULL || want(ck, ino)))
					any = true;
				else if (want == NULL && ISSET(ck->imap, idx) &&
				    ino >= ROOTINO)
					fck_find(ck, FC_SAFE, "inode %u: "
					    "marked in use, but never "
					    "initialised", ino);
			}
			if (!any)
				continue;
			error = bread(ck->dev, FSBTODB(ck, fck_inoblk(ck,
			    c * (uint32_t)sb->sb_ipg + b * inopb)),
			    (size_t)sb->sb_bsize, &bp);
			if (error)
				return error;
			dirty = false;
			for (j = 0; j < inopb && error == 0; j++) {
				idx = b * inopb + j;
				ino = c * (uint32_t)sb->sb_ipg + idx;
				if (idx >= g->g_ninit ||
				    (want != NULL && !want(ck, ino)))
					continue;
				marked = g->g_ok ? ISSET(ck->imap, idx) : -1;
				error = fn(ck, ino, (uint8_t *)bp->b_data +
				    j * (uint32_t)ck->isz, marked, &dirty);
			}
			if (dirty) {
				int e = fck_bwrite(ck, bp);

				if (error == 0)
					error = e;
			} else
				brelse(bp);
			if (error)
				return error;
		}
	}
	return 0;
}

static bool
fck_live(struct fck *ck, uint32_t ino)
{

	return ino >= ROOTINO && LIVE(ck->istate[ino]);
}

/* Mark inode ino bad: cleared on disk when repairing (dip zeroed). */
static void
fck_clear(struct fck *ck, uint32_t ino, uint8_t *dip, bool *dirty, bool fix)
{

	if (fix) {
		memset(dip, 0, (size_t)ck->isz);
		*dirty = true;
		ck->istate[ino] = IS_CLEAR;
		ck->ichanged = true;
	} else
		ck->istate[ino] |= IS_CLEAR;
}

static void __printflike(5, 6)
fck_junk(struct fck *ck, uint32_t ino, uint8_t *dip, bool *dirty,
    const char *fmt, ...)
{
	char why[160];
	va_list ap;
	bool fix;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	fix = fck_finda(ck, FC_SERIOUS, "cleared", "inode %u (%s): %s", ino,
	    fck_typename(ck->istate[ino] & IS_TYPE), why);
	fck_clear(ck, ino, dip, dirty, fix);
}

/* Remember a directory that passed phase 1 (inode order: sorted). */
static int
fck_adddir(struct fck *ck, uint32_t ino, uint64_t size)
{
	struct fck_dir *nd;
	uint32_t cap;

	if (ck->ndirs == ck->maxdirs) {
		cap = ck->maxdirs < 64 ? 64 : ck->maxdirs * 2;
		if ((nd = fck_alloc(cap * sizeof(*nd))) == NULL)
			return ENOMEM;
		if (ck->dirs != NULL) {
			memcpy(nd, ck->dirs, ck->ndirs * sizeof(*nd));
			fck_free(ck->dirs, ck->maxdirs * sizeof(*nd));
		}
		ck->dirs = nd;
		ck->maxdirs = cap;
	}
	nd = &ck->dirs[ck->ndirs++];
	memset(nd, 0, sizeof(*nd));
	nd->d_ino = ino;
	nd->d_size = size;
	return 0;
}

static struct fck_dir *fck_dir(struct fck *, uint32_t);

/* Set w up to walk a checked inode's blocks, after phase 1. */
static void
fck_wsetup(struct fck *ck, struct fck_walk *w, enum fck_wmode mode,
    uint32_t ino, const struct fck_din *d)
{
	struct fck_dir *dr;

	memset(w, 0, sizeof(*w));
	w->w_mode = mode;
	w->w_ino = ino;
	w->w_type = (d->mode & IFMT) >> 12;
	if (!fck_hasblocks(ck, d))
		w->w_nodata = true;
	else if (w->w_type == FT_DIR)
		w->w_size = (dr = fck_dir(ck, ino)) != NULL ? dr->d_size : 0;
	else
		w->w_size = d->size;
}

static struct fck_dir *
fck_dir(struct fck *ck, uint32_t ino)
{
	uint32_t lo = 0, hi = ck->ndirs, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (ck->dirs[mid].d_ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ck->ndirs && ck->dirs[lo].d_ino == ino ?
	    &ck->dirs[lo] : NULL;
}

/* ------------------------------------------------------------------ */
/* Phase 1: inodes */

static bool
fck_anyptr(const struct fck *ck, const struct fck_din *d, u_int from)
{
	u_int i;

	for (i = from; i < NDADDR; i++)
		if (fck_getptr(ck, d->db, i) != 0)
			return true;
	for (i = 0; i < NIADDR; i++)
		if (fck_getptr(ck, d->ib, i) != 0)
			return true;
	return false;
}

static int
fck_p1(struct fck *ck, uint32_t ino, uint8_t *dip, int marked, bool *dirty)
{
	const struct ffs_sb *sb = &ck->sb;
	struct fck_walk w;
	struct fck_din d;
	uint64_t want, size, inl;
	char act[40];
	bool fix, ptrfix;
	int t, error;

	size = 0;
	fck_idecode(ck, dip, &d);
	if (ino < ROOTINO) {		/* reserved: never read as files */
		if (marked == 0)
			fck_find(ck, FC_SAFE, "reserved inode %u not marked "
			    "in use", ino);
		return 0;
	}
	if (d.mode == 0) {
		if (marked == 1)
			fck_find(ck, FC_SAFE, "inode %u: marked in use, but "
			    "unallocated (mode 0)", ino);
		if (d.size != 0 || fck_anyptr(ck, &d, 0)) {
			if (fck_find(ck, FC_SERIOUS, "inode %u: unallocated, "
			    "but not cleared", ino)) {
				memset(dip, 0, (size_t)ck->isz);
				*dirty = true;
			}
		}
		return 0;
	}
	if (marked == 0)
		fck_find(ck, FC_SAFE, "inode %u: allocated (mode 0%o), but "
		    "marked free in the inode map", ino, d.mode);
	t = (d.mode & IFMT) >> 12;
	ck->istate[ino] = IS_ALLOC | (uint8_t)t;
	ck->nlink[ino] = d.nlink;
	ck->lines = 0;

	switch (d.mode & IFMT) {
	case IFIFO: case IFCHR: case IFBLK: case IFSOCK:
	case IFDIR: case IFREG: case IFLNK:
		break;
	default:
		fck_junk(ck, ino, dip, dirty, "unknown file type 0%o",
		    d.mode & IFMT);
		return 0;
	}
	if (d.size > ck->maxsize || d.size > (uint64_t)INT64_MAX) {
		fck_junk(ck, ino, dip, dirty, "size %llu too large",
		    (unsigned long long)d.size);
		return 0;
	}

	memset(&w, 0, sizeof(w));
	w.w_mode = W_CLAIM;
	w.w_ino = ino;
	w.w_type = t;
	w.w_size = d.size;
	/* Pointer repairs are serious: never while preening. */
	ptrfix = ck->repair && !ck->preen && !ck->nowrite;
	inl = (uint64_t)(sb->sb_ufs == 1 ? 60 : 120);
	error = 0;

	switch (d.mode & IFMT) {
	case IFCHR: case IFBLK: case IFIFO: case IFSOCK:
		/* A device keeps its number in db[0]; nothing else. */
		if (fck_anyptr(ck, &d, (d.mode & IFMT) == IFCHR ||
		    (d.mode & IFMT) == IFBLK ? 1 : 0)) {
			fck_junk(ck, ino, dip, dirty, "special file with "
			    "block pointers");
			return 0;
		}
		goto ext;
	case IFLNK:
		if (fck_inline(ck, &d)) {
			/* The target is in the inode (section 4.7). */
			if (d.size > inl) {
				fck_junk(ck, ino, dip, dirty, "short symbolic "
				    "link of %llu bytes",
				    (unsigned long long)d.size);
				return 0;
			}
			goto ext;
		}
		break;
	case IFDIR:
		if (d.size < DIRBLKSIZ) {
			fck_junk(ck, ino, dip, dirty, "directory of %llu "
			    "bytes", (unsigned long long)d.size);
			return 0;
		}
		if (d.size % DIRBLKSIZ != 0) {
			w.w_size = rounddown2(d.size, DIRBLKSIZ);
			snprintf(act, sizeof(act), "cut to %llu bytes",
			    (unsigned long long)w.w_size);
			if (fck_finda(ck, FC_SERIOUS, act, "inode %u "
			    "(directory): size %llu not a multiple of %d",
			    ino, (unsigned long long)d.size, DIRBLKSIZ)) {
				fck_setsize(ck, dip, w.w_size);
				*dirty = true;
			}
		}
		break;
	}

	w.w_fix = ptrfix && t != FT_LNK;
	error = fck_walk(ck, &w, dip, dirty);
	if (error == FCK_STOP) {
		fck_junk(ck, ino, dip, dirty, "more than %d bad block "
		    "pointers", MAXBAD);
		return 0;
	}
	if (error)
		return error;
	if (w.w_nbad > 0 && t == FT_LNK) {
		fck_junk(ck, ino, dip, dirty, "bad block pointers");
		return 0;
	}
	if (w.w_trunc) {
		if (w.w_size == 0) {
			fck_junk(ck, ino, dip, dirty, "directory without its "
			    "first block");
			return 0;
		}
		snprintf(act, sizeof(act), "cut to %llu bytes",
		    (unsigned long long)w.w_size);
		fck_reporta(ck, FC_SERIOUS, ptrfix, act, "inode %u "
		    "(directory): block %llu missing", ino,
		    (unsigned long long)(w.w_size / (uint64_t)sb->sb_bsize));
		if (ptrfix) {
			fck_setsize(ck, dip, w.w_size);
			*dirty = true;
		}
	}
	if (w.w_npast > 0)
		fck_reporta(ck, FC_SERIOUS, w.w_fix, "zeroed", "inode %u (%s): "
		    "%u block pointer(s) past the end of the file", ino,
		    fck_typename(t), w.w_npast);
	size = w.w_size;

ext:
	/* UFS2 extended attributes: claimed like data. */
	if (d.extb != NULL) {
		struct fck_walk x;

		memset(&x, 0, sizeof(x));
		x.w_mode = W_CLAIM;
		x.w_ino = ino;
		x.w_type = 0;		/* no directory rules here */
		x.w_fix = ptrfix;
		if ((uint64_t)d.extsize > NXADDR * (uint64_t)sb->sb_bsize) {
			fck_junk(ck, ino, dip, dirty, "extended attributes "
			    "of %u bytes", d.extsize);
			return 0;
		}
		error = fck_walkext(ck, &x, dip, dirty);
		if (error == FCK_STOP) {
			fck_junk(ck, ino, dip, dirty, "more than %d bad "
			    "block pointers", MAXBAD);
			return 0;
		}
		if (error)
			return error;
		if (x.w_npast > 0)
			fck_reporta(ck, FC_SERIOUS, x.w_fix, "zeroed",
			    "inode %u: %u extended-attribute pointer(s) past "
			    "their end",
			    ino, x.w_npast);
		w.w_frags += x.w_frags;
		w.w_nbad += x.w_nbad;
		w.w_npast += x.w_npast;
	}

	/* di_blocks counts every fragment, in 512-byte units (4.6). */
	want = w.w_frags * (uint64_t)(sb->sb_fsize / DEV_BSIZE);
	if (d.blocks != want) {
		if (w.w_nbad > 0 || w.w_npast > 0 || w.w_trunc)
			fix = ptrfix;	/* part of those repairs */
		else
			fix = fck_find(ck, FC_SAFE, "inode %u (%s): block "
			    "count %llu, should be %llu", ino,
			    fck_typename(t), (unsigned long long)d.blocks,
			    (unsigned long long)want);
		if (fix) {
			fck_setblocks(ck, dip, want);
			*dirty = true;
		}
	}
	if (w.w_nbad > 0 || w.w_npast > 0 || w.w_trunc)
		ck->ichanged |= ptrfix;
	if (t == FT_DIR)
		return fck_adddir(ck, ino, size);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Phase 1b: fragments claimed more than once */

static int
fck_p1b_count(struct fck *ck, uint32_t ino, uint8_t *dip, int marked,
    bool *dirty)
{
	struct fck_walk w;
	struct fck_din d;
	int error;

	(void)marked;
	fck_idecode(ck, dip, &d);
	fck_wsetup(ck, &w, W_DUPCOUNT, ino, &d);
	if ((error = fck_walk(ck, &w, dip, dirty)) != 0)
		return error;
	return fck_walkext(ck, &w, dip, dirty);
}

static int
fck_p1b_find(struct fck *ck, uint32_t ino, uint8_t *dip, int marked,
    bool *dirty)
{
	struct fck_walk w;
	struct fck_din d;
	int error;
	bool fix;

	(void)marked;
	fck_idecode(ck, dip, &d);
	fck_wsetup(ck, &w, W_DUPFIND, ino, &d);
	if ((error = fck_walk(ck, &w, dip, dirty)) != 0 ||
	    (error = fck_walkext(ck, &w, dip, dirty)) != 0)
		return error;
	if (w.w_ndup == 0)
		return 0;
	fix = fck_finda(ck, FC_SERIOUS, "cleared", "inode %u (%s, %llu "
	    "bytes): %u block(s) also claimed by another file (first: "
	    "fragment %lld)", ino, fck_typename(w.w_type),
	    (unsigned long long)d.size, w.w_ndup, (long long)w.w_first);
	ck->istate[ino] |= IS_DUP;
	fck_clear(ck, ino, dip, dirty, fix);
	return 0;
}

static int
fck_pass1b(struct fck *ck)
{
	uint64_t f, n = 0;
	size_t i;
	int error;

	for (f = 0; f < (uint64_t)ck->sb.sb_size; f++)
		if (ISSET(ck->dup, f))
			n++;
	ck->ndupf = (size_t)n;
	ck->dupf = fck_alloc(ck->ndupf * sizeof(*ck->dupf));
	ck->dupc = fck_alloc(ck->ndupf);
	if (ck->dupf == NULL || ck->dupc == NULL)
		return ENOMEM;
	for (f = 0, i = 0; f < (uint64_t)ck->sb.sb_size; f++)
		if (ISSET(ck->dup, f))
			ck->dupf[i++] = (int64_t)f;
	/*
	 * Count the claims again, by the inodes still standing: a junk
	 * inode cleared in phase 1 must not take an innocent one along.
	 */
	if ((error = fck_scan(ck, fck_live, fck_p1b_count)) != 0)
		return error;
	for (i = 0; i < ck->ndupf; i++)
		if (ck->dupc[i] < 2)
			CLRBIT(ck->dup, ck->dupf[i]);
	return fck_scan(ck, fck_live, fck_p1b_find);
}

/* ------------------------------------------------------------------ */
/* Directories: reading blocks, adding and removing entries */

struct fck_entry {
	uint32_t	ino;
	uint16_t	reclen;
	uint8_t		type;
	uint16_t	namlen;
};

static void
fck_getent(const struct fck *ck, const uint8_t *e, struct fck_entry *de)
{

	de->ino = G32(e);
	de->reclen = G16(e + 4);
	if (ck->olddir) {
		de->type = 0;
		de->namlen = G16(e + 6);
	} else {
		de->type = e[6];
		de->namlen = e[7];
	}
}

static bool
fck_isdots(const uint8_t *e, const struct fck_entry *de, int n)
{

	return de->namlen == n && e[8] == '.' && (n == 1 || e[9] == '.');
}

static void
fck_putent(const struct fck *ck, uint8_t *e, uint32_t ino, uint16_t reclen,
    uint8_t type, const char *name, uint16_t namlen)
{

	P32(e, ino);
	P16(e + 4, reclen);
	if (ck->olddir)
		P16(e + 6, namlen);
	else {
		e[6] = type;
		e[7] = (uint8_t)namlen;
	}
	memcpy(e + 8, name, namlen);
	memset(e + 8 + namlen, 0, (size_t)(DIRSIZ(namlen) - 8 - namlen));
}

/* Walk the data blocks of directory dino with fn (W_DATA). */
static int
fck_dirwalk(struct fck *ck, uint32_t dino, fck_blkfn fn, void *arg)
{
	uint8_t din[256];
	struct fck_walk w;
	struct fck_dir *dr;
	bool dirty = false;
	int error;

	if ((dr = fck_dir(ck, dino)) == NULL)
		return 0;
	if ((error = fck_icopy(ck, dino, din)) != 0)
		return error;
	memset(&w, 0, sizeof(w));
	w.w_mode = W_DATA;
	w.w_ino = dino;
	w.w_type = FT_DIR;
	w.w_size = dr->d_size;
	w.w_fn = fn;
	w.w_arg = arg;
	error = fck_walk(ck, &w, din, &dirty);
	return error == FCK_STOP ? 0 : error;
}

struct fck_enter {
	const char	*name;
	uint16_t	namlen;
	uint32_t	ino;
	uint8_t		type;
	bool		done;
	uint64_t	lbn;		/* in: first block to try; out: used */
};

/* Put the entry into a free slot of this block, if there is one. */
static int
fck_enter_blk(struct fck *ck, struct fck_walk *w, uint64_t lbn, int64_t a,
    int nfr)
{
	struct fck_enter *en = w->w_arg;
	struct fck_entry de;
	size_t nbytes = (size_t)nfr * (size_t)ck->sb.sb_fsize;
	uint64_t valid = w->w_size - lbn * (uint64_t)ck->sb.sb_bsize;
	uint16_t need = (uint16_t)DIRSIZ(en->namlen), have;
	size_t ch, off;
	uint8_t *e;
	int error, n;

	if (lbn < en->lbn)
		return 0;		/* full before: skip */
	if (valid > nbytes)
		valid = nbytes;
	if ((error = fck_read(ck, a, ck->blk, nbytes)) != 0)
		return error;
	for (ch = 0; ch + DIRBLKSIZ <= valid; ch += DIRBLKSIZ) {
		for (off = 0, n = 0; off < DIRBLKSIZ; off += de.reclen, n++) {
			e = ck->blk + ch + off;
			fck_getent(ck, e, &de);
			if (de.reclen == 0 || off + de.reclen > DIRBLKSIZ)
				break;		/* phase 2 left it broken */
			/* An empty "." or ".." slot is not free. */
			have = de.ino == 0 && !(lbn == 0 && ch == 0 && n < 2) ?
			    0 : (uint16_t)DIRSIZ(de.namlen);
			if (de.reclen < have + need)
				continue;
			if (have > 0) {
				P16(e + 4, have);
				e += have;
			}
			fck_putent(ck, e, en->ino, (uint16_t)(de.reclen - have),
			    en->type, en->name, en->namlen);
			en->done = true;
			en->lbn = lbn;
			if ((error = fck_write(ck, a, ck->blk, nbytes)) != 0)
				return error;
			return FCK_STOP;
		}
	}
	return 0;
}

/* Find nfrags free fragments inside one block; claim them. */
static int64_t
fck_balloc(struct fck *ck, int nfrags)
{
	const struct ffs_sb *sb = &ck->sb;
	int64_t b, f;
	int run;

	for (b = 0; b + sb->sb_frag <= sb->sb_size; b += sb->sb_frag) {
		if (fck_meta(ck, b, sb->sb_frag))
			continue;
		for (run = 0, f = b; f < b + sb->sb_frag; f++) {
			run = ISSET(ck->used, f) ? 0 : run + 1;
			if (run == nfrags) {
				fck_setrange(ck, f + 1 - nfrags, f + 1);
				return f + 1 - nfrags;
			}
		}
	}
	return -1;
}

/*
 * Give directory dino room for one more 512-byte chunk (direct blocks
 * only) and put the entry in it.  0, ENOSPC or an I/O error.
 */
static int
fck_dir_grow(struct fck *ck, uint32_t dino, struct fck_enter *en)
{
	const struct ffs_sb *sb = &ck->sb;
	struct fck_dir *dr = fck_dir(ck, dino);
	uint64_t size = dr->d_size, bsize = (uint64_t)sb->sb_bsize;
	uint64_t lbn = size / bsize, off = size % bsize;
	int64_t a, na;
	int ofr, nfr, i;
	struct fck_din d;
	struct buf *bp;
	uint8_t *dip;
	int error;

	if (lbn >= NDADDR || (off == 0 && lbn + 1 > NDADDR))
		return ENOSPC;
	if ((error = fck_iget(ck, dino, &bp, &dip)) != 0)
		return error;
	fck_idecode(ck, dip, &d);
	ofr = off == 0 ? 0 : (int)howmany(off, (uint64_t)sb->sb_fsize);
	nfr = (int)howmany(off + DIRBLKSIZ, (uint64_t)sb->sb_fsize);
	a = off == 0 ? 0 : fck_getptr(ck, d.db, (u_int)lbn);
	if (off != 0 && (a == 0 || fck_badaddr(ck, a, ofr) != NULL)) {
		brelse(bp);
		return ENOSPC;
	}
	na = a;
	if (nfr > ofr) {
		/* Grow in place if the next fragments are free. */
		bool inplace = a != 0 && a % sb->sb_frag + nfr <= sb->sb_frag &&
		    a + nfr <= sb->sb_size;

		for (i = ofr; inplace && i < nfr; i++)
			if (ISSET(ck->used, a + i))
				inplace = false;
		if (inplace)
			fck_setrange(ck, a + ofr, a + nfr);
		else if ((na = fck_balloc(ck, nfr)) < 0) {
			brelse(bp);
			return ENOSPC;
		}
	}
	memset(ck->blk, 0, (size_t)nfr * (size_t)sb->sb_fsize);
	if (ofr > 0 && (error = fck_read(ck, a, ck->blk,
	    (size_t)ofr * (size_t)sb->sb_fsize)) != 0) {
		brelse(bp);
		return error;
	}
	fck_putent(ck, ck->blk + off, en->ino, DIRBLKSIZ, en->type, en->name,
	    en->namlen);
	/* Any chunk between the new one and the fragment's end: empty. */
	for (i = (int)(off + DIRBLKSIZ);
	    i + DIRBLKSIZ <= nfr * sb->sb_fsize; i += DIRBLKSIZ) {
		P32(ck->blk + i, 0);
		P16(ck->blk + i + 4, DIRBLKSIZ);
	}
	if (na != a && a != 0) {
		for (i = 0; i < ofr; i++)
			CLRBIT(ck->used, a + i);
	}
	{
		struct buf *nbp = getblk(ck->dev, FSBTODB(ck, na),
		    (size_t)nfr * (size_t)sb->sb_fsize);

		if (nbp == NULL) {
			brelse(bp);
			return ENOMEM;
		}
		memcpy(nbp->b_data, ck->blk,
		    (size_t)nfr * (size_t)sb->sb_fsize);
		if ((error = fck_bwrite(ck, nbp)) != 0) {
			brelse(bp);
			return error;
		}
	}
	fck_setptr(ck, d.db, (u_int)lbn, na);
	dr->d_size = size + DIRBLKSIZ;
	en->lbn = lbn;
	fck_setsize(ck, dip, dr->d_size);
	fck_setblocks(ck, dip, d.blocks + (uint64_t)(nfr - ofr) *
	    (uint64_t)(sb->sb_fsize / DEV_BSIZE));
	en->done = true;
	ck->ichanged = true;
	return fck_bwrite(ck, bp);
}

/*
 * Add an entry to directory dino: 0, ENOSPC or an error.  *hint (may
 * be NULL) is the first block worth looking at, updated.
 */
static int
fck_dir_enter(struct fck *ck, uint32_t dino, const char *name,
    uint32_t ino, uint8_t type, uint64_t *hint)
{
	struct fck_enter en;
	int error;

	en.name = name;
	en.namlen = (uint16_t)strlen(name);
	en.ino = ino;
	en.type = ck->olddir ? 0 : type;
	en.done = false;
	en.lbn = hint != NULL ? *hint : 0;
	if ((error = fck_dirwalk(ck, dino, fck_enter_blk, &en)) != 0)
		return error;
	if (!en.done)
		error = fck_dir_grow(ck, dino, &en);
	if (error == 0 && hint != NULL)
		*hint = en.lbn;
	return error;
}

struct fck_remove {
	uint32_t	ino;		/* entry to remove (not . or ..) */
	uint32_t	dotdot;		/* or: the new ".." (nonzero) */
	bool		done;
};

static int
fck_remove_blk(struct fck *ck, struct fck_walk *w, uint64_t lbn, int64_t a,
    int nfr)
{
	struct fck_remove *rm = w->w_arg;
	struct fck_entry de, pe;
	size_t nbytes = (size_t)nfr * (size_t)ck->sb.sb_fsize;
	uint64_t valid = w->w_size - lbn * (uint64_t)ck->sb.sb_bsize;
	size_t ch, off, prev;
	uint8_t *e;
	int error, n;

	if (valid > nbytes)
		valid = nbytes;
	if ((error = fck_read(ck, a, ck->blk, nbytes)) != 0)
		return error;
	for (ch = 0; ch + DIRBLKSIZ <= valid; ch += DIRBLKSIZ) {
		prev = SIZE_MAX;
		for (off = 0, n = 0; off < DIRBLKSIZ; off += de.reclen, n++) {
			e = ck->blk + ch + off;
			fck_getent(ck, e, &de);
			if (de.reclen == 0 || off + de.reclen > DIRBLKSIZ)
				break;
			if (lbn == 0 && ch == 0 && n < 2) {
				if (n == 1 && rm->dotdot != 0 &&
				    fck_isdots(e, &de, 2)) {
					P32(e, rm->dotdot);
					goto found;
				}
			} else if (rm->dotdot == 0 && de.ino == rm->ino &&
			    de.ino != 0) {
				if (prev != SIZE_MAX) {
					fck_getent(ck, ck->blk + ch + prev,
					    &pe);
					P16(ck->blk + ch + prev + 4,
					    pe.reclen + de.reclen);
				} else
					P32(e, 0);
				goto found;
			}
			prev = off;
		}
		if (rm->dotdot != 0)
			return FCK_STOP;	/* ".." must be in chunk 0 */
	}
	return 0;
found:
	rm->done = true;
	if ((error = fck_write(ck, a, ck->blk, nbytes)) != 0)
		return error;
	return FCK_STOP;
}

/* ------------------------------------------------------------------ */
/* Phase 2: directory entries */

struct fck_scanstate {
	struct fck_dir	*dr;
	bool		wrote;		/* a repair changed the block */
	bool		changed;	/* the copy differs from the disk */
};

/* Delete the entry at off (prev: the one before it in the chunk). */
static void
fck_delent(struct fck *ck, uint8_t *chunk, size_t off, size_t prev)
{
	struct fck_entry de, pe;

	fck_getent(ck, chunk + off, &de);
	if (prev != SIZE_MAX) {
		fck_getent(ck, chunk + prev, &pe);
		P16(chunk + prev + 4, pe.reclen + de.reclen);
	} else
		P32(chunk + off, 0);
}

/* Note a repair made in the copy of a directory block. */
static void
fck_changed(struct fck_scanstate *ss, bool fix)
{

	ss->changed = true;
	ss->wrote |= fix;
}

/*
 * One 512-byte chunk of directory dr at byte pos.  Repairs are made in
 * the copy (always: check-only runs go on as if they were made) and
 * written back by the caller when allowed.
 */
static void
fck_chunk(struct fck *ck, struct fck_scanstate *ss, uint64_t pos,
    uint8_t *chunk)
{
	struct fck_dir *dr = ss->dr, *sub;
	struct fck_entry de;
	size_t off, prev = SIZE_MAX, max;
	uint32_t d = dr->d_ino, t;
	bool fix, del, first = pos == 0;
	uint32_t second = 0;
	int n, i;
	uint8_t *e;

	for (off = 0, n = 0; off < DIRBLKSIZ; n++) {
		e = chunk + off;
		fck_getent(ck, e, &de);
		max = DIRBLKSIZ - off;
		if (de.reclen < 12 || de.reclen % 4 != 0 || de.reclen > max ||
		    (de.ino != 0 && (de.namlen == 0 || de.namlen > 255 ||
		    (size_t)DIRSIZ(de.namlen) > de.reclen))) {
			fix = fck_finda(ck, FC_SERIOUS, "dropped with the "
			    "rest of its block", "directory %u, offset "
			    "%llu: bad entry (record length %u, name length "
			    "%u)", d,
			    (unsigned long long)(pos + off), de.reclen,
			    de.namlen);
			fck_changed(ss, fix);
			if (de.ino != 0 && de.namlen > 0 && de.namlen <= 255 &&
			    (size_t)DIRSIZ(de.namlen) <= max) {
				P16(e + 4, max);	/* keep this one */
			} else if (prev != SIZE_MAX) {
				fck_getent(ck, chunk + prev, &de);
				P16(chunk + prev + 4, DIRBLKSIZ - prev);
				break;
			} else {
				P32(e, 0);
				P16(e + 4, max);
			}
			fck_getent(ck, e, &de);
		}
		del = false;
		if (de.ino != 0) {
			/* The name: no NUL or '/', NUL-terminated. */
			for (i = 0; i < de.namlen; i++)
				if (e[8 + i] == '\0' || e[8 + i] == '/')
					break;
			if (i < de.namlen) {
				fix = fck_finda(ck, FC_SERIOUS, "removed",
				    "directory %u, offset %llu: bad name",
				    d, (unsigned long long)(pos + off));
				fck_changed(ss, fix);
				del = true;
			} else if (e[8 + de.namlen] != '\0') {
				fix = fck_find(ck, FC_SERIOUS, "directory %u, "
				    "offset %llu: name not terminated", d,
				    (unsigned long long)(pos + off));
				e[8 + de.namlen] = '\0';
				fck_changed(ss, fix);
			}
		}
		if (first && n == 0) {
			/* "." (section 5.2). */
			if (!del && de.ino != 0 && fck_isdots(e, &de, 1)) {
				if (de.ino != d) {
					fix = fck_find(ck, FC_SERIOUS,
					    "directory %u: '.' names inode "
					    "%u", d, de.ino);
					P32(e, d);
					fck_changed(ss, fix);
				}
			} else if (del || de.ino == 0) {
				fix = fck_find(ck, FC_SERIOUS, "directory %u: "
				    "missing '.'", d);
				fck_putent(ck, e, d, de.reclen, FT_DIR, ".", 1);
				fck_changed(ss, fix);
			} else {
				fck_report(ck, FC_SERIOUS, false, "directory "
				    "%u: missing '.' (first entry names "
				    "inode %u)", d, de.ino);
				goto regular;
			}
			fck_getent(ck, e, &de);
			if (!ck->olddir && de.type != FT_DIR) {
				fix = fck_find(ck, FC_SERIOUS, "directory %u: "
				    "'.' has type %u", d, de.type);
				e[6] = FT_DIR;
				fck_changed(ss, fix);
			}
			if (ck->nref[d] < UINT32_MAX)
				ck->nref[d]++;
			goto next;
		}
		if (first && n == 1) {
			/* "..": its target is checked in phase 3. */
			if (!del && de.ino != 0 && fck_isdots(e, &de, 2)) {
				dr->d_flags |= DF_DOTDOT;
				dr->d_dotdot = de.ino;
				if (de.ino < ck->ninodes &&
				    LIVE(ck->istate[de.ino]) &&
				    (ck->istate[de.ino] & IS_TYPE) == FT_DIR) {
					dr->d_flags |= DF_DDCOUNTED;
					if (ck->nref[de.ino] < UINT32_MAX)
						ck->nref[de.ino]++;
				}
				if (!ck->olddir && de.type != FT_DIR) {
					fix = fck_find(ck, FC_SERIOUS,
					    "directory %u: '..' has type %u",
					    d, de.type);
					e[6] = FT_DIR;
					fck_changed(ss, fix);
				}
				goto next;
			}
			if (del || de.ino == 0) {
				fix = fck_find(ck, FC_SERIOUS, "directory %u: "
				    "missing '..'", d);
				fck_putent(ck, e, 0, de.reclen, FT_DIR, "..",
				    2);
				fck_changed(ss, fix);
				dr->d_flags |= DF_DOTDOT | DF_QUIETDD;
				dr->d_dotdot = 0;
				fck_getent(ck, e, &de);
				goto next;
			}
			second = de.ino;	/* said below */
		}
regular:
		if (de.ino == 0)
			goto next;
		t = de.ino;
		fix = false;
		if (del)
			;			/* said above */
		else if (fck_isdots(e, &de, 1) || fck_isdots(e, &de, 2)) {
			fix = fck_finda(ck, FC_SERIOUS, "removed",
			    "directory %u, offset %llu: extra '%.*s' entry", d,
			    (unsigned long long)(pos + off), de.namlen, e + 8);
			del = true;
		} else if (t == WINO && !ck->olddir && de.type == DT_WHT) {
			goto next;		/* a whiteout */
		} else if (t < ROOTINO || t >= ck->ninodes) {
			fix = fck_finda(ck, FC_SERIOUS, "removed",
			    "directory %u: entry '%.*s' names inode %u, out of "
			    "range", d,
			    de.namlen, e + 8, t);
			del = true;
		} else if (!(ck->istate[t] & IS_ALLOC) ||
		    (ck->istate[t] & IS_CLEAR)) {
			fix = fck_finda(ck, FC_SERIOUS, "removed",
			    "directory %u: entry '%.*s' names %s inode %u", d,
			    de.namlen, e + 8, ck->istate[t] & IS_CLEAR ?
			    "bad (cleared)" : "unallocated", t);
			del = true;
		} else if ((ck->istate[t] & IS_TYPE) == FT_DIR &&
		    ((sub = fck_dir(ck, t)) == NULL || sub->d_parent != 0 ||
		    t == d)) {
			fix = fck_finda(ck, FC_SERIOUS, "removed",
			    "directory %u: entry '%.*s' is an extra hard link "
			    "to directory %u", d, de.namlen, e + 8, t);
			del = true;
		}
		if (del) {
			fck_delent(ck, chunk, off, prev);
			fck_changed(ss, fix);
			if (prev != SIZE_MAX) {
				/* Merged into the one before: go on after. */
				off += de.reclen;
				continue;
			}
			goto next;
		}
		if (!ck->olddir && de.type != (ck->istate[t] & IS_TYPE)) {
			fix = fck_find(ck, FC_SERIOUS, "directory %u: entry "
			    "'%.*s' has type %u, inode %u is a %s", d,
			    de.namlen, e + 8, de.type, t,
			    fck_typename(ck->istate[t] & IS_TYPE));
			e[6] = ck->istate[t] & IS_TYPE;
			fck_changed(ss, fix);
		}
		if ((ck->istate[t] & IS_TYPE) == FT_DIR) {
			fck_dir(ck, t)->d_parent = d;
			if (d == ROOTINO && de.namlen == 10 &&
			    memcmp(e + 8, "lost+found", 10) == 0)
				ck->lfino = t;
		}
		if (ck->nref[t] < UINT32_MAX)
			ck->nref[t]++;
next:
		prev = off;
		off += de.reclen;
	}
	if (first && !(dr->d_flags & DF_DOTDOT)) {
		/* Make ".." from the slack of "." (none, or removed). */
		fck_getent(ck, chunk, &de);
		if (de.ino == d && fck_isdots(chunk, &de, 1) &&
		    de.reclen >= 24) {
			fix = fck_find(ck, FC_SERIOUS, "directory %u: missing "
			    "'..'", d);
			fck_putent(ck, chunk + 12, 0, de.reclen - 12, FT_DIR,
			    "..", 2);
			P16(chunk + 4, 12);
			fck_changed(ss, fix);
			dr->d_flags |= DF_DOTDOT | DF_QUIETDD;
			dr->d_dotdot = 0;
		} else if (second != 0)
			fck_report(ck, FC_SERIOUS, false, "directory %u: "
			    "missing '..' (second entry names inode %u)", d,
			    second);
		else
			fck_report(ck, FC_SERIOUS, false, "directory %u: "
			    "missing '..'", d);
	}
}

static int
fck_p2_blk(struct fck *ck, struct fck_walk *w, uint64_t lbn, int64_t a,
    int nfr)
{
	struct fck_scanstate ss;
	size_t nbytes = (size_t)nfr * (size_t)ck->sb.sb_fsize;
	uint64_t valid = w->w_size - lbn * (uint64_t)ck->sb.sb_bsize;
	size_t ch;
	int error;

	memset(&ss, 0, sizeof(ss));
	ss.dr = w->w_arg;
	if (valid > nbytes)
		valid = nbytes;
	if ((error = fck_read(ck, a, ck->blk, nbytes)) != 0)
		return error;
	for (ch = 0; ch + DIRBLKSIZ <= valid; ch += DIRBLKSIZ)
		fck_chunk(ck, &ss, lbn * (uint64_t)ck->sb.sb_bsize + ch,
		    ck->blk + ch);
	if (ss.wrote)
		return fck_write(ck, a, ck->blk, nbytes);
	return 0;
}

static int
fck_pass2(struct fck *ck)
{
	struct fck_dir *root = fck_dir(ck, ROOTINO);
	uint32_t i;
	int error;

	if (root == NULL) {
		fck_fatal(ck, "root inode %u is not a directory; cannot "
		    "check further", ROOTINO);
		ck->stopped = true;
		return 0;
	}
	root->d_parent = ROOTINO;
	for (i = 0; i < ck->ndirs; i++) {
		error = fck_dirwalk(ck, ck->dirs[i].d_ino, fck_p2_blk,
		    &ck->dirs[i]);
		if (error)
			return error;
	}
	/* lost+found only counts if it is root's child. */
	if (ck->lfino != 0 && fck_dir(ck, ck->lfino)->d_parent != ROOTINO)
		ck->lfino = 0;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Phase 3: connectivity */

/* Make lost+found in the root. */
static int
fck_mklf(struct fck *ck)
{
	const struct ffs_sb *sb = &ck->sb;
	struct fck_dir *nd;
	struct timespec ts;
	uint32_t c, i, ino = 0, pos;
	int64_t a;
	struct buf *bp;
	uint8_t *dip;
	int error;

	for (c = 0; c < (uint32_t)sb->sb_ncg && ino == 0; c++)
		for (i = c == 0 ? ROOTINO + 1 : 0;
		    i < ck->cgs[c].g_ninit && ino == 0; i++)
			if (!(ck->istate[c * (uint32_t)sb->sb_ipg + i] &
			    IS_ALLOC))
				ino = c * (uint32_t)sb->sb_ipg + i;
	if (ino == 0)
		return ENOSPC;
	if (ck->ndirs == ck->maxdirs && fck_adddir(ck, UINT32_MAX, 0) == 0)
		ck->ndirs--;		/* just the room */
	if (ck->ndirs == ck->maxdirs)
		return ENOMEM;
	if ((a = fck_balloc(ck, sb->sb_frag)) < 0)
		return ENOSPC;
	/* Its name first: if the root has no room, nothing was made. */
	if ((error = fck_dir_enter(ck, ROOTINO, "lost+found", ino,
	    FT_DIR, NULL)) != 0) {
		for (i = 0; i < (uint32_t)sb->sb_frag; i++)
			CLRBIT(ck->used, a + i);
		return error;
	}

	/* The block: ".", "..", then empty chunks. */
	memset(ck->blk, 0, (size_t)sb->sb_bsize);
	fck_putent(ck, ck->blk, ino, 12, FT_DIR, ".", 1);
	fck_putent(ck, ck->blk + 12, ROOTINO, DIRBLKSIZ - 12, FT_DIR, "..", 2);
	for (i = DIRBLKSIZ; i < (uint32_t)sb->sb_bsize; i += DIRBLKSIZ)
		P16(ck->blk + i + 4, DIRBLKSIZ);
	if ((bp = getblk(ck->dev, FSBTODB(ck, a), (size_t)sb->sb_bsize)) ==
	    NULL)
		return ENOMEM;
	memcpy(bp->b_data, ck->blk, (size_t)sb->sb_bsize);
	if ((error = fck_bwrite(ck, bp)) != 0)
		return error;

	/* The inode. */
	if ((error = fck_iget(ck, ino, &bp, &dip)) != 0)
		return error;
	getnanotime(&ts);
	memset(dip, 0, (size_t)ck->isz);
	P16(dip + DI_MODE, IFDIR | 0700);
	P16(dip + DI_NLINK, 2);
	fck_setsize(ck, dip, (uint64_t)sb->sb_bsize);
	fck_setblocks(ck, dip, (uint64_t)(sb->sb_bsize / DEV_BSIZE));
	if (sb->sb_ufs == 1) {
		P32(dip + DI1_ATIME, ts.tv_sec);
		P32(dip + DI1_MTIME, ts.tv_sec);
		P32(dip + DI1_CTIME, ts.tv_sec);
		P32(dip + DI1_DB, a);
	} else {
		P64(dip + DI2_ATIME, ts.tv_sec);
		P64(dip + DI2_MTIME, ts.tv_sec);
		P64(dip + DI2_CTIME, ts.tv_sec);
		P64(dip + DI2_BIRTHTIME, ts.tv_sec);
		P64(dip + DI2_DB, a);
	}
	if ((error = fck_bwrite(ck, bp)) != 0)
		return error;
	ck->istate[ino] = IS_ALLOC | FT_DIR;
	ck->nlink[ino] = 2;
	ck->nref[ino] = 2;		/* its "." and its name */
	ck->ichanged = true;

	/* Its record, in order. */
	for (pos = 0; pos < ck->ndirs && ck->dirs[pos].d_ino < ino; pos++)
		continue;
	memmove(&ck->dirs[pos + 1], &ck->dirs[pos],
	    (ck->ndirs - pos) * sizeof(*nd));
	ck->ndirs++;
	nd = &ck->dirs[pos];
	memset(nd, 0, sizeof(*nd));
	nd->d_ino = ino;
	nd->d_parent = ROOTINO;
	nd->d_dotdot = ROOTINO;
	nd->d_flags = DF_DOTDOT | DF_DDCOUNTED;
	nd->d_size = (uint64_t)sb->sb_bsize;
	nd->d_state = DS_REACHED;
	if (ck->nref[ROOTINO] < UINT32_MAX)
		ck->nref[ROOTINO]++;	/* its ".." */
	ck->lfino = ino;
	return 0;
}

/*
 * Put inode ino into lost+found as "#ino".  In check-only runs (and
 * where the repair fails) only the counts change, as if it had been.
 */
static bool
fck_reconnect(struct fck *ck, uint32_t ino, bool fix)
{
	char name[16];
	int error;

	if (fix && (ck->lfino == 0 || ck->lffull))
		fix = false;
	if (fix) {
		snprintf(name, sizeof(name), "#%u", ino);
		error = fck_dir_enter(ck, ck->lfino, name, ino,
		    ck->istate[ino] & IS_TYPE, &ck->lfhint);
		if (error == ENOSPC)
			ck->lffull = true;	/* do not look again */
		if (error)
			fix = false;
	}
	if (fix && (ck->istate[ino] & IS_TYPE) == FT_DIR &&
	    ck->nlink[ck->lfino] < LINK_MAX) {
		/* Its ".." will name lost+found: one more link there. */
		struct buf *bp;
		uint8_t *dip;

		if (fck_iget(ck, ck->lfino, &bp, &dip) == 0) {
			ck->nlink[ck->lfino]++;
			P16(dip + DI_NLINK, ck->nlink[ck->lfino]);
			(void)fck_bwrite(ck, bp);
		}
	}
	if (ck->nref[ino] < UINT32_MAX)
		ck->nref[ino]++;
	return fix;
}

/* Directory dr is the top of a part not connected to the root. */
static int
fck_connect(struct fck *ck, struct fck_dir *dr, bool cycle)
{
	struct fck_remove rm;
	bool fix = fck_allowed(ck, FC_SERIOUS) && ck->lfino != 0;
	int error;

	if (cycle && fix) {
		/* Cut the cycle: the entry in its parent goes. */
		memset(&rm, 0, sizeof(rm));
		rm.ino = dr->d_ino;
		error = fck_dirwalk(ck, dr->d_parent, fck_remove_blk, &rm);
		if (error)
			return error;
		fix = rm.done;
	}
	if (cycle && ck->nref[dr->d_ino] > 0)
		ck->nref[dr->d_ino]--;
	fix = fck_reconnect(ck, dr->d_ino, fix);
	fck_reporta(ck, FC_SERIOUS, fix, "reconnected to /lost+found",
	    "directory %u (%llu bytes) %s", dr->d_ino,
	    (unsigned long long)dr->d_size, cycle ? "is in a cycle not "
	    "connected to the root" : "is not connected to the root");
	dr->d_parent = ck->lfino != 0 ? ck->lfino : ROOTINO;
	dr->d_flags |= DF_QUIETDD;
	if (!fix)
		dr->d_flags |= DF_ASTRAY;	/* leave its ".." alone */
	return 0;
}

/*
 * Walk up from each directory to the root, marking the way (phase 3):
 * fn is called for the top of each part not connected to the root,
 * with cycle set if the part is a cycle.  With fn NULL: true at the
 * first such part.
 */
static int
fck_resolve(struct fck *ck, int (*fn)(struct fck *, struct fck_dir *, bool),
    bool *found)
{
	struct fck_dir *dr, *p;
	uint32_t *stack, sp, i;
	int error = 0;

	*found = false;
	if ((stack = fck_alloc((ck->ndirs + 1) * sizeof(*stack))) == NULL)
		return ENOMEM;
	for (i = 0; i < ck->ndirs; i++)
		ck->dirs[i].d_state = ck->dirs[i].d_ino == ck->lfino &&
		    ck->lfino != 0 ? DS_REACHED : DS_UNKNOWN;
	for (i = 0; i < ck->ndirs && error == 0 && !(*found && fn == NULL);
	    i++) {
		sp = 0;
		dr = &ck->dirs[i];
		for (;;) {
			if (dr->d_ino == ROOTINO || dr->d_state == DS_REACHED)
				break;
			if (dr->d_state == DS_WALKING) {
				*found = true;
				if (fn != NULL)
					error = fn(ck, dr, true);
				break;
			}
			dr->d_state = DS_WALKING;
			stack[sp++] = (uint32_t)(dr - ck->dirs);
			if (dr->d_parent == 0 ||
			    (p = fck_dir(ck, dr->d_parent)) == NULL) {
				*found = true;
				if (fn != NULL)
					error = fn(ck, dr, false);
				break;
			}
			dr = p;
		}
		/* Reached now, directly or through a reconnected top. */
		while (sp > 0)
			ck->dirs[stack[--sp]].d_state = DS_REACHED;
	}
	fck_free(stack, (ck->ndirs + 1) * sizeof(*stack));
	return error;
}

/* Does anything need lost+found? (phases 3 and 4) */
static int
fck_need_lf(struct fck *ck, bool *need)
{
	uint8_t din[256];
	struct fck_din d;
	uint32_t i;
	int error;

	for (i = ROOTINO + 1; i < ck->ninodes; i++) {
		if (!LIVE(ck->istate[i]) || ck->nref[i] != 0 ||
		    (ck->istate[i] & IS_TYPE) == FT_DIR)
			continue;
		if ((error = fck_icopy(ck, i, din)) != 0)
			return error;
		fck_idecode(ck, din, &d);
		if (d.size != 0) {
			*need = true;
			return 0;
		}
	}
	return fck_resolve(ck, NULL, need);
}

static int
fck_pass3(struct fck *ck)
{
	struct fck_dir *dr;
	struct fck_remove rm;
	uint32_t i, want;
	bool fix, need = false;
	int error = 0;

	if (ck->lfino == 0 && fck_allowed(ck, FC_SERIOUS)) {
		if ((error = fck_need_lf(ck, &need)) != 0)
			return error;
		if (need && (error = fck_mklf(ck)) != 0) {
			if (error != ENOSPC && error != ENOMEM)
				return error;
			fck_report(ck, FC_SERIOUS, false, "cannot make "
			    "/lost+found: %s", error == ENOSPC ? "no space" :
			    "out of memory");
		}
	}
	if ((error = fck_resolve(ck, fck_connect, &need)) != 0)
		return error;

	/* ".." names the parent. */
	for (i = 0; i < ck->ndirs; i++) {
		dr = &ck->dirs[i];
		want = dr->d_ino == ROOTINO ? ROOTINO : dr->d_parent;
		if (!(dr->d_flags & DF_DOTDOT))
			continue;
		if (dr->d_dotdot == want) {
			/* Right, but perhaps only now (a new lost+found). */
			if (!(dr->d_flags & DF_DDCOUNTED) &&
			    ck->nref[want] < UINT32_MAX) {
				ck->nref[want]++;
				dr->d_flags |= DF_DDCOUNTED;
			}
			continue;
		}
		if (dr->d_flags & DF_QUIETDD)
			fix = fck_allowed(ck, FC_SERIOUS) &&
			    !(dr->d_flags & DF_ASTRAY);
		else
			fix = fck_find(ck, FC_SERIOUS, "directory %u: '..' "
			    "names inode %u, should be %u", dr->d_ino,
			    dr->d_dotdot, want);
		if (fix) {
			memset(&rm, 0, sizeof(rm));
			rm.dotdot = want;
			error = fck_dirwalk(ck, dr->d_ino, fck_remove_blk,
			    &rm);
			if (error)
				return error;
		}
		if ((dr->d_flags & DF_DDCOUNTED) && ck->nref[dr->d_dotdot] > 0)
			ck->nref[dr->d_dotdot]--;
		if (ck->nref[want] < UINT32_MAX)
			ck->nref[want]++;
		dr->d_dotdot = want;
		dr->d_flags |= DF_DDCOUNTED;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Phase 4: link counts */

static int
fck_pass4(struct fck *ck)
{
	uint8_t din[256];
	struct fck_din d;
	struct buf *bp;
	uint8_t *dip;
	uint32_t ino;
	int cls, error;
	bool fix, dirty;

	/* Preening fixes nothing here if something here is serious. */
	if (ck->preen && !ck->nowrite) {
		for (ino = ROOTINO; ino < ck->ninodes; ino++) {
			if (!LIVE(ck->istate[ino]))
				continue;
			if (ck->nref[ino] == 0) {
				if ((error = fck_icopy(ck, ino, din)) != 0)
					return error;
				fck_idecode(ck, din, &d);
				if (d.size != 0)
					ck->nowrite = true;
			} else if (ck->nref[ino] > (uint32_t)ck->nlink[ino] ||
			    ck->nlink[ino] < 0)
				ck->nowrite = true;
		}
	}

	for (ino = ROOTINO; ino < ck->ninodes; ino++) {
		if (!LIVE(ck->istate[ino]))
			continue;
		if (ck->nref[ino] == 0) {
			if ((error = fck_icopy(ck, ino, din)) != 0)
				return error;
			fck_idecode(ck, din, &d);
			if (d.size == 0 && (ck->istate[ino] & IS_TYPE) !=
			    FT_DIR) {
				fix = fck_finda(ck, FC_SAFE, "cleared",
				    "inode %u (%s): unreferenced and empty",
				    ino,
				    fck_typename(ck->istate[ino] & IS_TYPE));
				if (fix) {
					if ((error = fck_iget(ck, ino, &bp,
					    &dip)) != 0)
						return error;
					dirty = false;
					fck_clear(ck, ino, dip, &dirty, true);
					if ((error = fck_bwrite(ck, bp)) != 0)
						return error;
				} else
					ck->istate[ino] |= IS_CLEAR;
				continue;
			}
			fix = fck_reconnect(ck, ino,
			    fck_allowed(ck, FC_SERIOUS));
			fck_reporta(ck, FC_SERIOUS, fix, "reconnected to "
			    "/lost+found", "inode %u (%s, %llu bytes): "
			    "unreferenced", ino,
			    fck_typename(ck->istate[ino] & IS_TYPE),
			    (unsigned long long)d.size);
		}
		if (ck->nref[ino] == (uint32_t)(int32_t)ck->nlink[ino] &&
		    ck->nlink[ino] >= 0)
			continue;
		cls = ck->nlink[ino] > 0 &&
		    (uint32_t)ck->nlink[ino] > ck->nref[ino] ?
		    FC_SAFE : FC_SERIOUS;
		if (ck->nref[ino] > LINK_MAX) {
			fck_report(ck, FC_SERIOUS, false, "inode %u (%s): "
			    "%u links, more than %d", ino,
			    fck_typename(ck->istate[ino] & IS_TYPE),
			    ck->nref[ino], LINK_MAX);
			continue;
		}
		fix = fck_find(ck, cls, "inode %u (%s): link count %d, should "
		    "be %u", ino, fck_typename(ck->istate[ino] & IS_TYPE),
		    ck->nlink[ino], ck->nref[ino]);
		if (fix) {
			if ((error = fck_iget(ck, ino, &bp, &dip)) != 0)
				return error;
			P16(dip + DI_NLINK, ck->nref[ino]);
			if ((error = fck_bwrite(ck, bp)) != 0)
				return error;
		}
		ck->nlink[ino] = (int16_t)ck->nref[ino];
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Claims again, after repairs changed them */

static int
fck_p_rebuild(struct fck *ck, uint32_t ino, uint8_t *dip, int marked,
    bool *dirty)
{
	struct fck_walk w;
	struct fck_din d;
	int error;

	(void)marked;
	fck_idecode(ck, dip, &d);
	fck_wsetup(ck, &w, W_REBUILD, ino, &d);
	if ((error = fck_walk(ck, &w, dip, dirty)) != 0 ||
	    (error = fck_walkext(ck, &w, dip, dirty)) != 0)
		return error;
	if (w.w_nbad + w.w_npast + w.w_ndup > 0)
		fck_report(ck, FC_SERIOUS, false, "inode %u: still has bad "
		    "or shared blocks after repair", ino);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Phase 5: maps and summaries */

/* A group's header in the layout newfs and makefs use (3.1). */
static bool
fck_cg_init(struct fck *ck, uint32_t c, uint8_t *cg)
{
	const struct ffs_sb *sb = &ck->sb;
	uint64_t iu, fr, cs = 0, cl = 0, nx;
	int64_t cpg = 0, nrpos = 0;
	struct timespec ts;

	getnanotime(&ts);
	memset(cg, 0, (size_t)sb->sb_cgsize);
	P32(cg + FFS_CGO_MAGIC, FFS_CG_MAGIC);
	P32(cg + FFS_CGO_CGX, c);
	P32(cg + FFS_CGO_NDBLK, ck->cgs[c].g_ndblk);
	if (sb->sb_ufs == 1) {
		cpg = (int32_t)G32(ck->sbraw + FFS_SBO_OLD_CPG);
		nrpos = (int32_t)G32(ck->sbraw + FFS_SBO_OLD_NRPOS);
		if (cpg < 0 || cpg > 1024 || nrpos < 0 || nrpos > 1024)
			return false;
		P32(cg + FFS_CGO_OLD_TIME, ts.tv_sec);
		P16(cg + FFS_CGO_OLD_NCYL, cpg);
		P16(cg + FFS_CGO_OLD_NIBLK, sb->sb_ipg);
		P32(cg + FFS_CGO_OLD_BTOTOFF, FFS_CG_HDRSIZE);
		P32(cg + FFS_CGO_OLD_BOFF, FFS_CG_HDRSIZE + 4 * cpg);
		iu = (uint64_t)(FFS_CG_HDRSIZE + 4 * cpg + 2 * cpg * nrpos);
	} else {
		P64(cg + FFS_CGO_TIME, ts.tv_sec);
		P32(cg + FFS_CGO_NIBLK, sb->sb_ipg);
		P32(cg + FFS_CGO_INITEDIBLK, sb->sb_ipg);
		iu = FFS_CG_HDRSIZE;
	}
	fr = iu + howmany((uint64_t)sb->sb_ipg, 8);
	nx = fr + howmany((uint64_t)sb->sb_fpg, 8);
	if (sb->sb_contigsumsize > 0) {
		cs = roundup(nx, 4) - 4;
		cl = cs + ((uint64_t)sb->sb_contigsumsize + 1) * 4;
		nx = cl + howmany((uint64_t)(sb->sb_fpg / sb->sb_frag), 8);
		P32(cg + FFS_CGO_CLUSTERSUMOFF, cs);
		P32(cg + FFS_CGO_CLUSTEROFF, cl);
		P32(cg + FFS_CGO_NCLUSTERBLKS,
		    ck->cgs[c].g_ndblk / (uint32_t)sb->sb_frag);
	}
	if (nx > (uint64_t)sb->sb_cgsize)
		return false;
	P32(cg + FFS_CGO_IUSEDOFF, iu);
	P32(cg + FFS_CGO_FREEOFF, fr);
	P32(cg + FFS_CGO_NEXTFREEOFF, nx);
	return true;
}

/* Compare bit i of a map with want; fix the copy, collect the list. */
struct fck_diff {
	u_int	n[2];		/* [0] should be set, [1] should be clear */
	char	l[2][160];
};

static void
fck_mapbit(uint8_t *map, uint64_t i, bool want, struct fck_diff *df,
    int64_t name)
{

	if ((bool)ISSET(map, i) == want)
		return;
	fck_list(df->l[want ? 0 : 1], sizeof(df->l[0]), df->n[want ? 0 : 1]++,
	    name);
	if (want)
		SETBIT(map, i);
	else
		CLRBIT(map, i);
}

static bool
fck_p5_cg(struct fck *ck, uint32_t c, bool *write)
{
	const struct ffs_sb *sb = &ck->sb;
	struct fck_cg *g = &ck->cgs[c];
	uint32_t ipg = (uint32_t)sb->sb_ipg, frag = (uint32_t)sb->sb_frag;
	uint32_t i, b, f, nf, run, nblk, nclus;
	int32_t frsum[8], csum[FFS_MAXCONTIG + 1], have;
	uint8_t *cg = ck->cgbuf, *imap, *fmap, *cmap = NULL;
	struct fck_diff df;
	bool compare = g->g_ok, isfree;
	int64_t ninuse = 0;
	const char *what;

	memset(&g->g_cs, 0, sizeof(g->g_cs));
	memset(frsum, 0, sizeof(frsum));
	memset(csum, 0, sizeof(csum));
	if (!g->g_ok) {
		/* Its finding was made in setup: rebuild, quietly. */
		if (!fck_allowed(ck, FC_SERIOUS) || !fck_cg_init(ck, c, cg))
			cg = NULL;
		else
			*write = true;
	}

	/* Inodes: the map is fixed quietly (phase 1 said why). */
	imap = cg != NULL ? cg + G32(cg + FFS_CGO_IUSEDOFF) : NULL;
	for (i = 0; i < ipg; i++) {
		uint32_t ino = c * ipg + i;
		bool inuse = ino < ROOTINO ||
		    (ck->istate[ino] & IS_ALLOC) != 0;

		if (inuse)
			ninuse++;
		if (inuse && (ck->istate[ino] & IS_TYPE) == FT_DIR &&
		    ino >= ROOTINO)
			g->g_cs.cs_ndir++;
		if (imap != NULL && (bool)ISSET(imap, i) != inuse) {
			if (inuse)
				SETBIT(imap, i);
			else
				CLRBIT(imap, i);
			*write = true;
		}
	}
	g->g_cs.cs_nifree = (int64_t)ipg - ninuse;

	/* Fragments, blocks, clusters. */
	memset(&df, 0, sizeof(df));
	fmap = cg != NULL ? cg + G32(cg + FFS_CGO_FREEOFF) : NULL;
	if (cg != NULL && sb->sb_contigsumsize > 0)
		cmap = cg + G32(cg + FFS_CGO_CLUSTEROFF);
	nblk = howmany(g->g_ndblk, frag);
	nclus = g->g_ndblk / frag;
	for (f = 0; fmap != NULL && f < (uint32_t)sb->sb_fpg; f++)
		fck_mapbit(fmap, f, f < g->g_ndblk &&
		    !ISSET(ck->used, g->g_base + f), &df, g->g_base + f);
	for (b = 0, run = 0; b < nblk; b++) {
		for (nf = 0, i = 0; i < frag; i++) {
			f = b * frag + i;
			if (f < g->g_ndblk && !ISSET(ck->used, g->g_base + f))
				nf++;
		}
		isfree = nf == frag;
		if (isfree)
			g->g_cs.cs_nbfree++;
		else {
			uint32_t r = 0;

			g->g_cs.cs_nffree += nf;
			for (i = 0; i <= frag; i++) {
				f = b * frag + i;
				if (i < frag && f < g->g_ndblk &&
				    !ISSET(ck->used, g->g_base + f))
					r++;
				else {
					if (r > 0 && r < 8)
						frsum[r]++;
					r = 0;
				}
			}
		}
		if (b < nclus) {
			if (isfree)
				run++;
			if ((!isfree || b + 1 == nclus) && run > 0) {
				csum[MIN(run, (uint32_t)
				    MAX(sb->sb_contigsumsize, 1))]++;
				run = 0;
			}
		}
	}
	if (cmap != NULL) {
		struct fck_diff cd;

		memset(&cd, 0, sizeof(cd));
		for (b = 0; b < (uint32_t)(sb->sb_fpg / sb->sb_frag); b++) {
			isfree = b < nclus;
			for (i = 0; isfree && i < frag; i++)
				if (ISSET(ck->used, g->g_base + b * frag + i))
					isfree = false;
			fck_mapbit(cmap, b, isfree, &cd, g->g_base + b * frag);
		}
		if (cd.n[0] + cd.n[1] > 0) {
			*write = true;
			if (compare)
				fck_find(ck, FC_SAFE, "cylinder group %u: "
				    "cluster map wrong for %u block(s)", c,
				    cd.n[0] + cd.n[1]);
		}
	}
	for (i = 0; i < 2; i++) {
		if (df.n[i] == 0)
			continue;
		*write = true;
		if (compare)
			fck_find(ck, FC_SAFE, "cylinder group %u: %u %s "
			    "fragment(s) marked %s: %s", c, df.n[i],
			    i == 0 ? "free" : "used", i == 0 ? "in use" :
			    "free", df.l[i]);
	}
	if (cg == NULL)
		return true;

	/* Summaries in the header. */
	if (sb->sb_contigsumsize > 0) {
		uint8_t *cs = cg + G32(cg + FFS_CGO_CLUSTERSUMOFF);

		for (i = 1, what = NULL; i <= (uint32_t)sb->sb_contigsumsize;
		    i++) {
			have = (int32_t)G32(cs + 4 * i);
			if (have != csum[i]) {
				what = "cluster summary";
				P32(cs + 4 * i, csum[i]);
			}
		}
		if (what != NULL) {
			*write = true;
			if (compare)
				fck_find(ck, FC_SAFE, "cylinder group %u: "
				    "cluster summary wrong", c);
		}
	}
	for (i = 1, what = NULL; i < 8; i++) {
		have = (int32_t)G32(cg + FFS_CGO_FRSUM + 4 * i);
		if (have != frsum[i]) {
			what = "fragment summary";
			P32(cg + FFS_CGO_FRSUM + 4 * i, frsum[i]);
		}
	}
	if (what != NULL) {
		*write = true;
		if (compare)
			fck_find(ck, FC_SAFE, "cylinder group %u: fragment "
			    "summary wrong", c);
	}
	{
		int64_t h[4], w4[4];

		for (i = 0; i < 4; i++)
			h[i] = (int32_t)G32(cg + FFS_CGO_CS + 4 * i);
		w4[0] = g->g_cs.cs_ndir;
		w4[1] = g->g_cs.cs_nbfree;
		w4[2] = g->g_cs.cs_nifree;
		w4[3] = g->g_cs.cs_nffree;
		if (memcmp(h, w4, sizeof(h)) != 0) {
			*write = true;
			if (compare)
				fck_find(ck, FC_SAFE, "cylinder group %u: "
				    "counts (directories, free blocks, free "
				    "inodes, free fragments) %lld, %lld, %lld, "
				    "%lld, should be %lld, %lld, %lld, %lld", c,
				    (long long)h[0], (long long)h[1],
				    (long long)h[2], (long long)h[3],
				    (long long)w4[0], (long long)w4[1],
				    (long long)w4[2], (long long)w4[3]);
			for (i = 0; i < 4; i++)
				P32(cg + FFS_CGO_CS + 4 * i, w4[i]);
		}
	}
	/* Allocation hints: harmless, but must point inside. */
	if (G32(cg + FFS_CGO_ROTOR) >= g->g_ndblk ||
	    G32(cg + FFS_CGO_FROTOR) >= g->g_ndblk ||
	    G32(cg + FFS_CGO_IROTOR) >= ipg) {
		*write = true;
		if (compare)
			fck_find(ck, FC_SAFE, "cylinder group %u: allocation "
			    "hints out of range", c);
		P32(cg + FFS_CGO_ROTOR, 0);
		P32(cg + FFS_CGO_FROTOR, 0);
		P32(cg + FFS_CGO_IROTOR, 0);
	}
	return true;
}

static int
fck_pass5(struct fck *ck)
{
	const struct ffs_sb *sb = &ck->sb;
	struct ffs_csum tot;
	size_t csbytes = (size_t)ck->csfrags * (size_t)sb->sb_fsize;
	size_t cgbytes = roundup((size_t)sb->sb_cgsize, (size_t)sb->sb_fsize);
	uint8_t *cs, *p;
	char list[160];
	uint32_t c, i, nbad;
	uint64_t h[4], w[4];
	bool write, sbfix, ok;
	int error;

	memset(&tot, 0, sizeof(tot));
	for (c = 0; c < (uint32_t)sb->sb_ncg; c++) {
		if ((error = fck_read(ck, ck->cgs[c].g_start + sb->sb_cblkno,
		    ck->cgbuf, cgbytes)) != 0)
			return error;
		write = false;
		fck_p5_cg(ck, c, &write);
		if (write && fck_allowed(ck, FC_SAFE) && (ck->cgs[c].g_ok ||
		    fck_allowed(ck, FC_SERIOUS))) {
			if ((error = fck_write(ck, ck->cgs[c].g_start +
			    sb->sb_cblkno, ck->cgbuf, cgbytes)) != 0)
				return error;
		}
		tot.cs_ndir += ck->cgs[c].g_cs.cs_ndir;
		tot.cs_nbfree += ck->cgs[c].g_cs.cs_nbfree;
		tot.cs_nifree += ck->cgs[c].g_cs.cs_nifree;
		tot.cs_nffree += ck->cgs[c].g_cs.cs_nffree;
	}

	/* The summary area: a copy of every group's counts (2.1). */
	if ((cs = fck_alloc(csbytes)) == NULL)
		return ENOMEM;
	if ((error = fck_read(ck, sb->sb_csaddr, cs, csbytes)) != 0) {
		fck_free(cs, csbytes);
		return error;
	}
	list[0] = '\0';
	for (c = 0, nbad = 0; c < (uint32_t)sb->sb_ncg; c++) {
		const struct ffs_csum *g = &ck->cgs[c].g_cs;

		p = cs + 16 * c;
		ok = (int32_t)G32(p) == g->cs_ndir &&
		    (int32_t)G32(p + 4) == g->cs_nbfree &&
		    (int32_t)G32(p + 8) == g->cs_nifree &&
		    (int32_t)G32(p + 12) == g->cs_nffree;
		if (ok)
			continue;
		fck_list(list, sizeof(list), nbad++, c);
		P32(p, g->cs_ndir);
		P32(p + 4, g->cs_nbfree);
		P32(p + 8, g->cs_nifree);
		P32(p + 12, g->cs_nffree);
	}
	if (nbad > 0 && fck_find(ck, FC_SAFE, "summary area: counts of %u "
	    "cylinder group(s) wrong: %s", nbad, list))
		error = fck_write(ck, sb->sb_csaddr, cs, csbytes);
	fck_free(cs, csbytes);
	if (error)
		return error;

	/* The superblock's totals. */
	sbfix = false;
	h[0] = (uint64_t)sb->sb_cstotal.cs_ndir;
	h[1] = (uint64_t)sb->sb_cstotal.cs_nbfree;
	h[2] = (uint64_t)sb->sb_cstotal.cs_nifree;
	h[3] = (uint64_t)sb->sb_cstotal.cs_nffree;
	w[0] = (uint64_t)tot.cs_ndir;
	w[1] = (uint64_t)tot.cs_nbfree;
	w[2] = (uint64_t)tot.cs_nifree;
	w[3] = (uint64_t)tot.cs_nffree;
	ok = memcmp(h, w, sizeof(h)) == 0;
	if (ok && sb->sb_ufs == 1)	/* UFS1 keeps 32-bit copies too */
		for (i = 0; i < 4; i++)
			if (G32(ck->sbraw + FFS_SBO_OLD_CSTOTAL + 4 * i) !=
			    (uint32_t)w[i])
				ok = false;
	if (!ok)
		sbfix = fck_find(ck, FC_SAFE, "superblock: totals "
		    "(directories, free blocks, free inodes, free fragments) "
		    "%llu, %llu, %llu, %llu, should be %llu, %llu, %llu, %llu",
		    (unsigned long long)h[0], (unsigned long long)h[1],
		    (unsigned long long)h[2], (unsigned long long)h[3],
		    (unsigned long long)w[0], (unsigned long long)w[1],
		    (unsigned long long)w[2], (unsigned long long)w[3]);

	ck->res->fcr_dirs = w[0];
	ck->res->fcr_nbfree = w[1];
	ck->res->fcr_nffree = w[3];
	ck->res->fcr_files = ck->ninodes - w[2] - ROOTINO;
	if (sbfix) {
		for (i = 0; i < 4; i++) {
			P64(ck->sbraw + FFS_SBO_CSTOTAL + 8 * i, w[i]);
			P32(ck->sbraw + FFS_SBO_OLD_CSTOTAL + 4 * i, w[i]);
		}
		ck->sb.sb_cstotal = tot;
	}

	/* Clean, if everything found was repaired. */
	if (ck->repair && !ck->nowrite && !ck->stopped &&
	    ck->res->fcr_fixed == ck->res->fcr_findings &&
	    (!(sb->sb_clean & 1) ||
	    (sb->sb_flags & (FFS_FS_UNCLEAN | FFS_FS_NEEDSFSCK)))) {
		ck->sbraw[FFS_SBO_CLEAN] = 1;
		if (ck->sbraw[FFS_SBO_OLD_FLAGS] & FFS_FLAGS_UPDATED)
			P32(ck->sbraw + FFS_SBO_FLAGS, sb->sb_flags &
			    ~(uint32_t)(FFS_FS_UNCLEAN | FFS_FS_NEEDSFSCK));
		else
			ck->sbraw[FFS_SBO_OLD_FLAGS] &=
			    (uint8_t)~(FFS_FS_UNCLEAN | FFS_FS_NEEDSFSCK);
		sbfix = true;
	}
	if (sbfix) {
		/* By its byte offset, as ffs_sb_find read it: it need not
		 * start a fragment (8192 with 16 KiB fragments). */
		struct buf *bp;

		error = bread(ck->dev, (int64_t)(sb->sb_loc / DEV_BSIZE),
		    FFS_SBSIZE, &bp);
		if (error == 0) {
			memcpy(bp->b_data, ck->sbraw, FFS_SBSIZE);
			error = fck_bwrite(ck, bp);
		}
	}
	return error;
}

/* ------------------------------------------------------------------ */

static void
fck_fini(struct fck *ck)
{
	const struct ffs_sb *sb = &ck->sb;

	fck_free(ck->sbraw, FFS_SBSIZE);
	fck_free(ck->cgs, (size_t)sb->sb_ncg * sizeof(*ck->cgs));
	fck_free(ck->used, ck->mapbytes);
	fck_free(ck->dup, ck->mapbytes);
	fck_free(ck->istate, ck->ninodes);
	fck_free(ck->nlink, (size_t)ck->ninodes * sizeof(int16_t));
	fck_free(ck->nref, (size_t)ck->ninodes * sizeof(uint32_t));
	fck_free(ck->imap, howmany((size_t)sb->sb_ipg, 8));
	fck_free(ck->blk, (size_t)sb->sb_bsize);
	fck_free(ck->cgbuf, (size_t)sb->sb_bsize);
	fck_free(ck->dirs, ck->maxdirs * sizeof(*ck->dirs));
	fck_free(ck->dupf, ck->ndupf * sizeof(*ck->dupf));
	fck_free(ck->dupc, ck->ndupf);
}

/*
 * Check the file system on the open device dev (devsize bytes).  0 when
 * the check ran (findings in res), or EFTYPE (no FFS), EINVAL (a
 * superblock too damaged to check against), ENOMEM, EIO.
 */
static int
ffs_check(dev_t dev, uint64_t devsize, int flags,
    void (*report)(void *, const char *), void *arg,
    struct rump_ffs_check_result *res)
{
	struct fck *ck;
	int error;

	memset(res, 0, sizeof(*res));
	if ((ck = kmem_zalloc(sizeof(*ck), KM_SLEEP)) == NULL)
		return ENOMEM;
	ck->dev = dev;
	ck->res = res;
	ck->report = report;
	ck->rarg = arg;
	ck->repair = (flags & (RUMP_FFS_CHECK_REPAIR |
	    RUMP_FFS_CHECK_PREEN)) != 0;
	ck->preen = (flags & RUMP_FFS_CHECK_PREEN) != 0;
	if ((ck->sbraw = fck_alloc(FFS_SBSIZE)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = fck_setup(ck, devsize)) != 0)
		goto out;
	if ((flags & RUMP_FFS_CHECK_SKIPCLEAN) &&
	    (res->fcr_state & RUMP_FFS_CHECK_WASCLEAN)) {
		/* Clean: the superblock's word for it. */
		res->fcr_state |= RUMP_FFS_CHECK_SKIPPED;
		res->fcr_dirs = (uint64_t)ck->sb.sb_cstotal.cs_ndir;
		res->fcr_nbfree = (uint64_t)ck->sb.sb_cstotal.cs_nbfree;
		res->fcr_nffree = (uint64_t)ck->sb.sb_cstotal.cs_nffree;
		res->fcr_files = ck->ninodes -
		    (uint64_t)ck->sb.sb_cstotal.cs_nifree - ROOTINO;
		goto summary;
	}

	fck_phase(ck, "Phase 1 - Check Blocks and Sizes");
	if ((error = fck_scan(ck, NULL, fck_p1)) != 0)
		goto out;
	if (ck->anydup) {
		fck_phase(ck, "Phase 1b - Rescan For More DUPS");
		if ((error = fck_pass1b(ck)) != 0)
			goto out;
	}
	/* Directories cleared in phase 1b are gone. */
	{
		uint32_t i, j;

		for (i = j = 0; i < ck->ndirs; i++)
			if (LIVE(ck->istate[ck->dirs[i].d_ino]))
				ck->dirs[j++] = ck->dirs[i];
		ck->ndirs = j;
	}
	fck_phase(ck, "Phase 2 - Check Pathnames");
	if ((error = fck_pass2(ck)) != 0)
		goto out;
	if (!ck->stopped) {
		fck_phase(ck, "Phase 3 - Check Connectivity");
		if ((error = fck_pass3(ck)) != 0)
			goto out;
		fck_phase(ck, "Phase 4 - Check Reference Counts");
		if ((error = fck_pass4(ck)) != 0)
			goto out;
		if (ck->repair && ck->ichanged) {
			fck_mark_meta(ck);
			if ((error = fck_scan(ck, fck_live,
			    fck_p_rebuild)) != 0)
				goto out;
		}
		fck_phase(ck, "Phase 5 - Check Cyl groups");
		if ((error = fck_pass5(ck)) != 0)
			goto out;
	} else
		res->fcr_state |= RUMP_FFS_CHECK_STOPPED;
summary:
	res->fcr_free = res->fcr_nbfree * (uint64_t)ck->sb.sb_frag +
	    res->fcr_nffree;
	res->fcr_used = res->fcr_dsize > res->fcr_free ?
	    res->fcr_dsize - res->fcr_free : 0;
out:
	fck_fini(ck);
	kmem_free(ck, sizeof(*ck));
	return error;
}

static int
fck_path(const char *path, int flags, void (*report)(void *, const char *),
    void *arg, struct rump_ffs_check_result *res)
{
	const struct bdevsw *bd;
	uint64_t devsize = 0;
	int error, e, fflags;
	dev_t dev;

	if (flags & ~(RUMP_FFS_CHECK_REPAIR | RUMP_FFS_CHECK_PREEN |
	    RUMP_FFS_CHECK_SKIPCLEAN))
		return EINVAL;
	if ((error = namei_blkdev(path, &dev)) != 0)
		return error;
	if ((bd = bdevsw_lookup(dev)) == NULL)
		return ENXIO;
	fflags = FREAD | (flags & (RUMP_FFS_CHECK_REPAIR |
	    RUMP_FFS_CHECK_PREEN) ? FWRITE : 0);
	if (bd->d_open != NULL && (error = bd->d_open(dev, fflags)) != 0)
		return error;
	if (bd->d_size != NULL && (error = bd->d_size(dev, &devsize)) != 0)
		goto out;
	/* Nothing cached from before may stand in for the disk. */
	if ((error = bflush(dev)) != 0)
		goto out;
	binval(dev);
	error = ffs_check(dev, devsize, flags, report, arg, res);
	if ((e = bflush(dev)) != 0 && error == 0)
		error = e;
	if ((res->fcr_state & RUMP_FFS_CHECK_MODIFIED) && bd->d_sync != NULL &&
	    (e = bd->d_sync(dev)) != 0 && error == 0)
		error = e;
out:
	binval(dev);
	if (bd->d_close != NULL)
		bd->d_close(dev, fflags);
	return error;
}

int
rump_ffs_check(const char *devpath, int flags,
    void (*report)(void *, const char *), void *arg,
    struct rump_ffs_check_result *res)
{
	struct rump_ffs_check_result local;
	struct lwp *l;
	int error;

	if (res == NULL)
		res = &local;
	if ((error = lwp_enter(&l)) == 0) {
		error = fck_path(devpath, flags, report, arg, res);
		vcpu_unschedule(l);
	}
	if (error) {
		rumpuser_seterrno(error);
		return -1;
	}
	return 0;
}
