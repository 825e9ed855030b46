/*
 * ffs_dir.c: FFS directories (docs/ffs-format.md, section 5).
 *
 * A directory is read and changed 512 bytes at a time (DIRBLKSIZ
 * chunks, which entries never cross), through the file read and write
 * paths, so growing a directory allocates like any file.  Every entry
 * is checked before use: a record length that is a multiple of 4,
 * covers its name and stays in its chunk; a name with no NUL or '/'; an
 * inode number inside the file system.  A bad entry is EIO.
 *
 * A directory of more than a few chunks gets a dirhash when first
 * searched: for each name, its hash and the chunk holding it, and for
 * each chunk the largest entry it has room for.  Lookups then read
 * only the chunks where the name may be, and new entries go to the
 * first chunk with room, instead of scans of the whole directory
 * (which made filling a directory quadratic).  The hash is kept in
 * step by every change and freed with the node; if memory for it runs
 * out the directory is searched as before.
 *
 * Locking: fm_oplock held by the caller, as writer for changes.  A
 * dirhash built under the read lock is installed under fm_lock (two
 * readers may build one; the second is dropped).
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include "ffs.h"

#define DH_MINCHUNKS	4		/* smaller directories: just scan */
#define DH_NOCHUNK	UINT32_MAX

struct dh_ent {
	struct dh_ent	*de_next;
	uint32_t	de_hash;
	uint32_t	de_chunk;	/* chunk index */
};

struct ffs_dirhash {
	uint32_t	dh_nbuckets;	/* power of two */
	uint32_t	dh_nent;
	struct dh_ent	**dh_bucket;
	uint32_t	dh_nchunks, dh_cap;
	uint16_t	*dh_room;	/* per chunk: largest DIRSIZ fitting */
};

int
ffs_rdwr_kernel(struct ffs_node *np, bool write, uint64_t off, void *buf,
    size_t len)
{
	struct iovec iov = { buf, len };
	struct uio uio = { &iov, 1, (off_t)off, len,
	    write ? UIO_WRITE : UIO_READ, UIO_SYSSPACE };
	int error;

	error = write ? ffs_write_locked(np->fn_vnode, &uio, 0) :
	    ffs_read_locked(np->fn_vnode, &uio);
	if (error == 0 && uio.uio_resid != 0)
		error = EIO;
	return error;
}

struct ffs_dirent {
	uint32_t	ino;
	size_t		reclen, namlen;
	int		type;
	const char	*name;
};

/* Decode and check the entry at pos of chunk. */
static int
ffs_dirent_get(struct ffs_mount *fm, const uint8_t *chunk, size_t pos,
    struct ffs_dirent *d)
{
	bool be = fm->fm_sb.sb_bigendian;
	uint64_t maxino = (uint64_t)fm->fm_sb.sb_ncg * fm->fm_sb.sb_ipg;
	size_t i;

	if (pos > FFS_DIRBLKSIZ - 8)
		return EIO;
	d->ino = ffs_get32(chunk + pos, be);
	d->reclen = ffs_get16(chunk + pos + 4, be);
	if (fm->fm_olddir) {
		d->namlen = ffs_get16(chunk + pos + 6, be);
		d->type = RUMP_DT_UNKNOWN;
	} else {
		d->type = chunk[pos + 6];
		d->namlen = chunk[pos + 7];
	}
	d->name = (const char *)chunk + pos + 8;
	if (d->reclen < 8 || d->reclen % 4 != 0 ||
	    pos + d->reclen > FFS_DIRBLKSIZ)
		return EIO;
	if (d->ino == 0)
		return 0;
	if (d->namlen == 0 || d->namlen > RUMP_MAXNAMLEN ||
	    8 + d->namlen + 1 > d->reclen || d->ino >= maxino)
		return EIO;
	for (i = 0; i < d->namlen; i++)
		if (d->name[i] == '\0' || d->name[i] == '/')
			return EIO;
	return 0;
}

static void
ffs_dirent_put(struct ffs_mount *fm, uint8_t *chunk, size_t pos,
    uint32_t ino, size_t reclen, const char *name, size_t len, int type)
{
	bool be = fm->fm_sb.sb_bigendian;

	ffs_put32(chunk + pos, ino, be);
	ffs_put16(chunk + pos + 4, (uint16_t)reclen, be);
	if (fm->fm_olddir)
		ffs_put16(chunk + pos + 6, (uint16_t)len, be);
	else {
		chunk[pos + 6] = (uint8_t)type;
		chunk[pos + 7] = (uint8_t)len;
	}
	memcpy(chunk + pos + 8, name, len);
	memset(chunk + pos + 8 + len, 0, FFS_DIRSIZ(len) - 8 - len);
}


static uint32_t
dh_hashname(const char *name, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h;
}

void
ffs_dirhash_free(struct ffs_node *np)
{
	struct ffs_dirhash *dh = np->fn_dirhash;
	struct dh_ent *e;
	uint32_t i;

	if (dh == NULL)
		return;
	for (i = 0; i < dh->dh_nbuckets; i++) {
		while ((e = dh->dh_bucket[i]) != NULL) {
			dh->dh_bucket[i] = e->de_next;
			kmem_free(e, sizeof(*e));
		}
	}
	kmem_free(dh->dh_bucket, dh->dh_nbuckets * sizeof(*dh->dh_bucket));
	if (dh->dh_room != NULL)
		kmem_free(dh->dh_room, dh->dh_cap * sizeof(*dh->dh_room));
	kmem_free(dh, sizeof(*dh));
	np->fn_dirhash = NULL;
}

static int
dh_add(struct ffs_dirhash *dh, const char *name, size_t len, uint32_t chunk)
{
	struct dh_ent *e;
	uint32_t b;

	if ((e = kmem_alloc(sizeof(*e), KM_SLEEP)) == NULL)
		return ENOMEM;
	e->de_hash = dh_hashname(name, len);
	e->de_chunk = chunk;
	b = e->de_hash & (dh->dh_nbuckets - 1);
	e->de_next = dh->dh_bucket[b];
	dh->dh_bucket[b] = e;
	dh->dh_nent++;
	return 0;
}

static void
dh_remove(struct ffs_dirhash *dh, const char *name, size_t len,
    uint32_t chunk)
{
	uint32_t h = dh_hashname(name, len);
	struct dh_ent **ep, *e;

	for (ep = &dh->dh_bucket[h & (dh->dh_nbuckets - 1)];
	    (e = *ep) != NULL; ep = &e->de_next) {
		if (e->de_hash == h && e->de_chunk == chunk) {
			*ep = e->de_next;
			kmem_free(e, sizeof(*e));
			dh->dh_nent--;
			return;
		}
	}
}

/* Room in chunk for chunk index c (growing the table for a new one). */
static int
dh_setroom(struct ffs_mount *fm, struct ffs_dirhash *dh, uint32_t c,
    const uint8_t *chunk)
{
	size_t pos, room = 0, used;
	struct ffs_dirent d;
	uint16_t *n;
	uint32_t cap;

	if (c >= dh->dh_cap) {
		cap = MAX(dh->dh_cap * 2, 64);
		while (cap <= c)
			cap *= 2;
		if ((n = kmem_zalloc(cap * sizeof(*n), KM_SLEEP)) == NULL)
			return ENOMEM;
		if (dh->dh_room != NULL) {
			memcpy(n, dh->dh_room, dh->dh_cap * sizeof(*n));
			kmem_free(dh->dh_room, dh->dh_cap * sizeof(*n));
		}
		dh->dh_room = n;
		dh->dh_cap = cap;
	}
	for (pos = 0; pos < FFS_DIRBLKSIZ; pos += d.reclen) {
		if (ffs_dirent_get(fm, chunk, pos, &d) != 0) {
			room = 0;	/* damaged: never offer it */
			break;
		}
		used = d.ino == 0 ? 0 : FFS_DIRSIZ(d.namlen);
		room = MAX(room, d.reclen - used);
	}
	dh->dh_room[c] = (uint16_t)room;
	if (c >= dh->dh_nchunks)
		dh->dh_nchunks = c + 1;
	return 0;
}

/* The dirhash of np, built now if np is big enough; NULL if none. */
static struct ffs_dirhash *
dh_get(struct ffs_mount *fm, struct ffs_node *np)
{
	struct ffs_dirhash *dh;
	uint8_t chunk[FFS_DIRBLKSIZ];
	struct ffs_dirent d;
	uint64_t nchunks = np->fn_size / FFS_DIRBLKSIZ, c;
	size_t pos;

	mutex_enter(&fm->fm_lock);
	dh = np->fn_dirhash;
	mutex_exit(&fm->fm_lock);
	if (dh != NULL || nchunks < DH_MINCHUNKS || nchunks >= DH_NOCHUNK)
		return dh;
	if ((dh = kmem_zalloc(sizeof(*dh), KM_SLEEP)) == NULL)
		return NULL;
	dh->dh_nbuckets = 64;
	while (dh->dh_nbuckets < nchunks * 16 && dh->dh_nbuckets < (1u << 20))
		dh->dh_nbuckets *= 2;
	dh->dh_bucket = kmem_zalloc(dh->dh_nbuckets * sizeof(*dh->dh_bucket),
	    KM_SLEEP);
	if (dh->dh_bucket == NULL) {
		kmem_free(dh, sizeof(*dh));
		return NULL;
	}
	for (c = 0; c < nchunks; c++) {
		if (ffs_rdwr_kernel(np, false, c * FFS_DIRBLKSIZ, chunk,
		    sizeof(chunk)) != 0 || dh_setroom(fm, dh, (uint32_t)c,
		    chunk) != 0)
			goto fail;
		for (pos = 0; pos < FFS_DIRBLKSIZ; pos += d.reclen) {
			if (ffs_dirent_get(fm, chunk, pos, &d) != 0)
				goto fail;	/* the scan will say EIO */
			if (d.ino != 0 && dh_add(dh, d.name, d.namlen,
			    (uint32_t)c) != 0)
				goto fail;
		}
	}
	mutex_enter(&fm->fm_lock);
	if (np->fn_dirhash == NULL) {
		np->fn_dirhash = dh;
		dh = NULL;
	}
	mutex_exit(&fm->fm_lock);
	if (dh != NULL) {
		struct ffs_node tmp = { .fn_dirhash = dh };

		ffs_dirhash_free(&tmp);		/* another reader's won */
	}
	return np->fn_dirhash;
 fail:
	{
		struct ffs_node tmp = { .fn_dirhash = dh };

		ffs_dirhash_free(&tmp);
	}
	return NULL;
}

/* A change the hash cannot follow: forget it (it is rebuilt later). */
static void
dh_drop(struct ffs_mount *fm, struct ffs_node *np)
{

	mutex_enter(&fm->fm_lock);
	ffs_dirhash_free(np);
	mutex_exit(&fm->fm_lock);
}

int
ffs_dir_walk(struct ffs_mount *fm, struct ffs_node *np, uint64_t off,
    ffs_dirfn fn, void *arg)
{
	uint8_t chunk[FFS_DIRBLKSIZ];
	struct ffs_dirent d;
	uint64_t base;
	size_t pos;
	int error, stop;

	for (base = off & ~(uint64_t)(FFS_DIRBLKSIZ - 1); base < np->fn_size;
	    base += FFS_DIRBLKSIZ) {
		error = ffs_rdwr_kernel(np, false, base, chunk, sizeof(chunk));
		if (error)
			return error;
		for (pos = 0; pos < FFS_DIRBLKSIZ; pos += d.reclen) {
			if ((error = ffs_dirent_get(fm, chunk, pos, &d)) != 0)
				return error;
			if (base + pos < off || d.ino == 0)
				continue;
			stop = fn(arg, d.ino, d.name, d.namlen, d.type,
			    base + pos + d.reclen);
			if (stop)
				return stop < 0 ? 0 : stop;
		}
	}
	return 0;
}

/*
 * Find name in np: its chunk (read into chunk), the chunk's offset,
 * the entry's position and the position of the entry before it in the
 * chunk (-1 if it is the first).  ENOENT if absent.
 */
/* Look for name in the chunk at base (read into chunk). */
static int
ffs_chunk_find(struct ffs_mount *fm, struct ffs_node *np, uint64_t base,
    const char *name, size_t len, uint8_t *chunk, size_t *posp,
    ssize_t *prevp, struct ffs_dirent *dp)
{
	ssize_t prev = -1;
	size_t pos;
	int error;

	error = ffs_rdwr_kernel(np, false, base, chunk, FFS_DIRBLKSIZ);
	if (error)
		return error;
	for (pos = 0; pos < FFS_DIRBLKSIZ; pos += dp->reclen) {
		if ((error = ffs_dirent_get(fm, chunk, pos, dp)) != 0)
			return error;
		if (dp->ino != 0 && dp->namlen == len &&
		    memcmp(dp->name, name, len) == 0) {
			*posp = pos;
			*prevp = prev;
			return 0;
		}
		prev = (ssize_t)pos;
	}
	return ENOENT;
}

static int
ffs_dir_find(struct ffs_mount *fm, struct ffs_node *np, const char *name,
    size_t len, uint8_t *chunk, uint64_t *basep, size_t *posp,
    ssize_t *prevp, struct ffs_dirent *dp)
{
	struct ffs_dirhash *dh = dh_get(fm, np);
	uint32_t h, last = DH_NOCHUNK;
	struct dh_ent *e;
	uint64_t base;
	int error;

	if (dh != NULL) {
		/* Only the chunks that hold a name of this hash. */
		h = dh_hashname(name, len);
		for (e = dh->dh_bucket[h & (dh->dh_nbuckets - 1)]; e != NULL;
		    e = e->de_next) {
			if (e->de_hash != h || e->de_chunk == last)
				continue;
			last = e->de_chunk;
			base = (uint64_t)e->de_chunk * FFS_DIRBLKSIZ;
			error = ffs_chunk_find(fm, np, base, name, len, chunk,
			    posp, prevp, dp);
			if (error == 0)
				*basep = base;
			if (error != ENOENT)
				return error;
		}
		return ENOENT;
	}
	for (base = 0; base < np->fn_size; base += FFS_DIRBLKSIZ) {
		error = ffs_chunk_find(fm, np, base, name, len, chunk, posp,
		    prevp, dp);
		if (error == 0)
			*basep = base;
		if (error != ENOENT)
			return error;
	}
	return ENOENT;
}

int
ffs_dir_lookup(struct ffs_mount *fm, struct ffs_node *np, const char *name,
    size_t len, uint32_t *ino)
{
	uint8_t chunk[FFS_DIRBLKSIZ];
	struct ffs_dirent d;
	uint64_t base;
	size_t pos;
	ssize_t prev;
	int error;

	error = ffs_dir_find(fm, np, name, len, chunk, &base, &pos, &prev, &d);
	if (error == 0)
		*ino = d.ino;
	return error;
}

/* Put the entry into the chunk at base, if it has room. */
static int
ffs_chunk_enter(struct ffs_mount *fm, struct ffs_node *np, uint64_t base,
    const char *name, size_t len, uint32_t ino, int type, uint8_t *chunk)
{
	size_t need = FFS_DIRSIZ(len), pos, used;
	struct ffs_dirent d;
	int error;

	error = ffs_rdwr_kernel(np, false, base, chunk, FFS_DIRBLKSIZ);
	if (error)
		return error;
	for (pos = 0; pos < FFS_DIRBLKSIZ; pos += d.reclen) {
		if ((error = ffs_dirent_get(fm, chunk, pos, &d)) != 0)
			return error;
		used = d.ino == 0 ? 0 : FFS_DIRSIZ(d.namlen);
		if (d.reclen - used < need)
			continue;
		if (used > 0) {
			/* Split: the entry keeps what it needs. */
			ffs_put16(chunk + pos + 4, (uint16_t)used,
			    fm->fm_sb.sb_bigendian);
			ffs_dirent_put(fm, chunk, pos + used, ino,
			    d.reclen - used, name, len, type);
		} else
			ffs_dirent_put(fm, chunk, pos, ino, d.reclen, name,
			    len, type);
		return ffs_rdwr_kernel(np, true, base, chunk, FFS_DIRBLKSIZ);
	}
	return ENOSPC;
}

int
ffs_dir_enter(struct ffs_mount *fm, struct ffs_node *np, const char *name,
    size_t len, uint32_t ino, int type)
{
	uint8_t chunk[FFS_DIRBLKSIZ];
	size_t need = FFS_DIRSIZ(len);
	struct ffs_dirhash *dh;
	uint64_t base = 0;
	uint32_t c;
	int error = ENOSPC;

	KASSERT(rw_write_held(&fm->fm_oplock));
	if (len == 0 || len > RUMP_MAXNAMLEN)
		return ENAMETOOLONG;
	if ((dh = dh_get(fm, np)) != NULL) {
		for (c = 0; c < dh->dh_nchunks; c++) {
			if (dh->dh_room[c] < need)
				continue;
			base = (uint64_t)c * FFS_DIRBLKSIZ;
			error = ffs_chunk_enter(fm, np, base, name, len, ino,
			    type, chunk);
			break;
		}
	} else {
		for (base = 0; base < np->fn_size; base += FFS_DIRBLKSIZ) {
			error = ffs_chunk_enter(fm, np, base, name, len, ino,
			    type, chunk);
			if (error != ENOSPC)
				break;
		}
	}
	if (error == ENOSPC) {
		/* No room: a new chunk at the end. */
		base = np->fn_size;
		memset(chunk, 0, sizeof(chunk));
		ffs_dirent_put(fm, chunk, 0, ino, FFS_DIRBLKSIZ, name, len,
		    type);
		error = ffs_rdwr_kernel(np, true, base, chunk, sizeof(chunk));
	}
	if (error) {
		dh_drop(fm, np);
		return error;
	}
	if (dh != NULL && (dh_add(dh, name, len, (uint32_t)(base /
	    FFS_DIRBLKSIZ)) != 0 || dh_setroom(fm, dh, (uint32_t)(base /
	    FFS_DIRBLKSIZ), chunk) != 0))
		dh_drop(fm, np);
	return 0;
}

int
ffs_dir_remove(struct ffs_mount *fm, struct ffs_node *np, const char *name,
    size_t len, uint32_t ino)
{
	uint8_t chunk[FFS_DIRBLKSIZ];
	struct ffs_dirent d, pd;
	uint64_t base;
	size_t pos;
	ssize_t prev;
	int error;

	KASSERT(rw_write_held(&fm->fm_oplock));
	error = ffs_dir_find(fm, np, name, len, chunk, &base, &pos, &prev, &d);
	if (error)
		return error == ENOENT ? ERESTART : error;
	if (d.ino != ino)
		return ERESTART;	/* the name moved on meanwhile */
	if (prev < 0)
		ffs_put32(chunk + pos, 0, fm->fm_sb.sb_bigendian);
	else {
		/* The space goes to the entry before. */
		if ((error = ffs_dirent_get(fm, chunk, (size_t)prev, &pd)) != 0)
			return error;
		ffs_put16(chunk + prev + 4, (uint16_t)(pd.reclen + d.reclen),
		    fm->fm_sb.sb_bigendian);
	}
	if ((error = ffs_rdwr_kernel(np, true, base, chunk, sizeof(chunk))) != 0)
		dh_drop(fm, np);
	else if (np->fn_dirhash != NULL) {
		dh_remove(np->fn_dirhash, name, len,
		    (uint32_t)(base / FFS_DIRBLKSIZ));
		if (dh_setroom(fm, np->fn_dirhash,
		    (uint32_t)(base / FFS_DIRBLKSIZ), chunk) != 0)
			dh_drop(fm, np);
	}
	return error;
}

int
ffs_dir_rewrite(struct ffs_mount *fm, struct ffs_node *np, const char *name,
    size_t len, uint32_t ino, int type)
{
	uint8_t chunk[FFS_DIRBLKSIZ];
	struct ffs_dirent d;
	uint64_t base;
	size_t pos;
	ssize_t prev;
	int error;

	KASSERT(rw_write_held(&fm->fm_oplock));
	error = ffs_dir_find(fm, np, name, len, chunk, &base, &pos, &prev, &d);
	if (error)
		return error;
	ffs_put32(chunk + pos, ino, fm->fm_sb.sb_bigendian);
	if (!fm->fm_olddir)
		chunk[pos + 6] = (uint8_t)type;
	return ffs_rdwr_kernel(np, true, base, chunk, sizeof(chunk));
}

static int
ffs_isempty_fn(void *arg, uint32_t ino __unused, const char *name,
    size_t len, int type __unused, uint64_t next __unused)
{
	bool *empty = arg;

	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	*empty = false;
	return -1;
}

int
ffs_dir_isempty(struct ffs_mount *fm, struct ffs_node *np, bool *empty)
{

	*empty = true;
	return ffs_dir_walk(fm, np, 0, ffs_isempty_fn, empty);
}

/* The first chunk of new directory np: "." and "..". */
int
ffs_dir_init(struct ffs_mount *fm, struct ffs_node *np, uint32_t parent)
{
	uint8_t chunk[FFS_DIRBLKSIZ];

	KASSERT(rw_write_held(&fm->fm_oplock));
	memset(chunk, 0, sizeof(chunk));
	ffs_dirent_put(fm, chunk, 0, np->fn_ino, 12, ".", 1, RUMP_DT_DIR);
	ffs_dirent_put(fm, chunk, 12, parent, FFS_DIRBLKSIZ - 12, "..", 2,
	    RUMP_DT_DIR);
	return ffs_rdwr_kernel(np, true, 0, chunk, sizeof(chunk));
}
