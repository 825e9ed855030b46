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
 * Locking: fm_oplock held by the caller, as writer for changes.
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
static int
ffs_dir_find(struct ffs_mount *fm, struct ffs_node *np, const char *name,
    size_t len, uint8_t *chunk, uint64_t *basep, size_t *posp,
    ssize_t *prevp, struct ffs_dirent *dp)
{
	uint64_t base;
	ssize_t prev;
	size_t pos;
	int error;

	for (base = 0; base < np->fn_size; base += FFS_DIRBLKSIZ) {
		error = ffs_rdwr_kernel(np, false, base, chunk, FFS_DIRBLKSIZ);
		if (error)
			return error;
		prev = -1;
		for (pos = 0; pos < FFS_DIRBLKSIZ; pos += dp->reclen) {
			if ((error = ffs_dirent_get(fm, chunk, pos, dp)) != 0)
				return error;
			if (dp->ino != 0 && dp->namlen == len &&
			    memcmp(dp->name, name, len) == 0) {
				*basep = base;
				*posp = pos;
				*prevp = prev;
				return 0;
			}
			prev = (ssize_t)pos;
		}
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

int
ffs_dir_enter(struct ffs_mount *fm, struct ffs_node *np, const char *name,
    size_t len, uint32_t ino, int type)
{
	uint8_t chunk[FFS_DIRBLKSIZ];
	size_t need = FFS_DIRSIZ(len), pos, used;
	struct ffs_dirent d;
	uint64_t base;
	int error;

	KASSERT(rw_write_held(&fm->fm_oplock));
	if (len == 0 || len > RUMP_MAXNAMLEN)
		return ENAMETOOLONG;
	for (base = 0; base < np->fn_size; base += FFS_DIRBLKSIZ) {
		error = ffs_rdwr_kernel(np, false, base, chunk, sizeof(chunk));
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
				ffs_dirent_put(fm, chunk, pos, ino, d.reclen,
				    name, len, type);
			return ffs_rdwr_kernel(np, true, base, chunk,
			    sizeof(chunk));
		}
	}
	/* No room: a new chunk at the end. */
	memset(chunk, 0, sizeof(chunk));
	ffs_dirent_put(fm, chunk, 0, ino, FFS_DIRBLKSIZ, name, len, type);
	return ffs_rdwr_kernel(np, true, np->fn_size, chunk, sizeof(chunk));
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
	return ffs_rdwr_kernel(np, true, base, chunk, sizeof(chunk));
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
