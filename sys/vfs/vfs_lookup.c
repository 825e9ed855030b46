/*
 * vfs_lookup.c: namei() (see <sys/namei.h>) and getcwd.
 *
 * The path is copied in once; a symbolic link's target is spliced in
 * front of what remains, in the same buffer, so the walk is a loop
 * without recursion.  Each step holds a reference on the directory it
 * is in and takes one on what it finds.
 *
 * Locking: none of its own: vnodes are referenced, and the file
 * systems lock inside their operations.  Crossing a mount point takes
 * the next vnode's reference under mount_lock (vfs_mount.c), since an
 * unmount may be dropping the mount's own meanwhile.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include "vfs_private.h"

#define PATH_MAX	RUMP_PATH_MAX

/* If vp is a mount point, the mounted root instead (referenced). */
static struct vnode *
cross_down(struct vnode *vp)
{
	struct vnode *rvp;

	while (vp->v_mountedhere != NULL &&
	    (rvp = vfs_mounted_root_hold(vp)) != NULL) {
		vrele(vp);
		vp = rvp;
	}
	return vp;
}

/* Read symlink vp's target into buf (len bytes), NUL-terminated. */
static int
readlink_kernel(struct vnode *vp, char *buf, size_t len, size_t *outlen)
{
	struct iovec iov = { buf, len };
	struct uio uio = { &iov, 1, 0, len, UIO_READ, UIO_SYSSPACE };
	int error;

	if ((error = VOP_READLINK(vp, &uio)) != 0)
		return error;
	*outlen = len - uio.uio_resid;
	return 0;
}

int
namei(struct nameidata *nd)
{
	struct lwp *l = curlwp;
	struct proc *p = l->l_proc;
	kauth_cred_t cred;
	struct vnode *dp = NULL, *vp = NULL, *rdir = NULL, *cdir = NULL;
	struct file *fp = NULL;
	char *buf, *cp, *link = NULL;
	size_t len, rest, linklen;
	uint64_t gen;
	int error, nlinks = 0;
	bool islast;

	nd->ni_vp = nd->ni_dvp = NULL;
	nd->ni_namelen = 0;
	nd->ni_trailslash = false;
	if ((buf = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL)
		return ENOMEM;
	cred = proc_cred_hold(p);
	error = copyinstr(nd->ni_upath, buf, PATH_MAX, NULL);
	if (error)
		goto out;
	if (buf[0] == '\0') {
		error = ENOENT;
		goto out;
	}
	cwdi_get(p, &cdir, &rdir);
	if (rdir == NULL) {
		error = ENOENT;		/* no root file system */
		goto out;
	}
	if (buf[0] == '/') {
		dp = rdir;
		vref(dp);
	} else if (nd->ni_atfd != RUMP_AT_FDCWD) {
		if ((error = fd_getvnode(p, nd->ni_atfd, &fp, &dp)) != 0) {
			/* POSIX: a descriptor of a non-directory, pipes
			 * included, is ENOTDIR. */
			if (error == EINVAL)
				error = ENOTDIR;
			goto out;
		}
		vref(dp);
		fd_putfile(fp);
		if (dp->v_type != VDIR) {
			error = ENOTDIR;
			goto out;
		}
	} else {
		dp = cdir;
		vref(dp);
	}
	cp = buf;
	for (;;) {
		/* Leading slashes: an absolute (spliced) path restarts. */
		if (*cp == '/') {
			if (cp == buf) {
				vrele(dp);
				dp = rdir;
				vref(dp);
			}
			while (*cp == '/')
				cp++;
		}
		if (*cp == '\0') {
			/* "/" itself, or a path ending in slashes after a
			 * symlink: the directory we are in is the answer. */
			if (nd->ni_op != NI_LOOKUP) {
				error = nd->ni_op == NI_CREATE ? EEXIST : EBUSY;
				goto out;
			}
			vp = dp;
			dp = NULL;
			break;
		}
		for (len = 0; cp[len] != '\0' && cp[len] != '/'; len++)
			;
		if (len > NAME_MAX) {
			error = ENAMETOOLONG;
			goto out;
		}
		rest = len;
		while (cp[rest] == '/')
			rest++;
		islast = cp[rest] == '\0';
		if (islast && rest > len)
			nd->ni_trailslash = true;

		if (dp->v_type != VDIR) {
			error = ENOTDIR;
			goto out;
		}
		if ((error = vn_access(dp, VEXEC, cred)) != 0)
			goto out;

		if (len == 1 && cp[0] == '.') {
			vp = dp;
			vref(vp);
		} else if (len == 2 && cp[0] == '.' && cp[1] == '.') {
			if (dp == rdir) {
				vp = dp;
				vref(vp);
			} else {
				/* At the root of a mounted file system, go
				 * up through the directory it covers. */
				while (dp != rdir &&
				    (vp = vfs_covered_hold(dp)) != NULL) {
					vrele(dp);
					dp = vp;
				}
				if (dp == rdir) {
					vp = dp;
					vref(vp);
				} else if ((error = VOP_LOOKUP(dp, "..", 2,
				    &vp)) != 0)
					goto out;
			}
		} else {
			gen = cache_gen();
			if ((vp = cache_lookup(dp, cp, len)) != NULL) {
				error = 0;
			} else if ((error = VOP_LOOKUP(dp, cp, len, &vp)) == 0)
				cache_enter_gen(dp, vp, cp, len, gen);
			if (error == ENOENT && islast &&
			    nd->ni_op != NI_LOOKUP && nd->ni_op != NI_DELETE) {
				/* Create or rename target: the parent. */
				vp = NULL;
				error = 0;
			}
			if (error)
				goto out;
			if (vp != NULL)
				vp = cross_down(vp);
		}

		if (vp != NULL && vp->v_type == VLNK &&
		    (!islast || (nd->ni_flags & NI_FOLLOW) ||
		    nd->ni_trailslash)) {
			if (++nlinks > MAXSYMLINKS) {
				error = ELOOP;
				goto out;
			}
			if (link == NULL &&
			    (link = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL) {
				error = ENOMEM;
				goto out;
			}
			error = readlink_kernel(vp, link, PATH_MAX, &linklen);
			vrele(vp);
			vp = NULL;
			if (error)
				goto out;
			if (linklen == 0) {
				error = ENOENT;
				goto out;
			}
			/* New path: target, then what followed the link. */
			if (linklen + 1 + strlen(cp + len) + 1 > PATH_MAX) {
				error = ENAMETOOLONG;
				goto out;
			}
			memmove(buf + linklen, cp + len, strlen(cp + len) + 1);
			memcpy(buf, link, linklen);
			cp = buf;
			nd->ni_trailslash = false;
			if (buf[0] != '/')
				continue;
			continue;	/* (restart at the root below) */
		}

		if (!islast) {
			vrele(dp);
			dp = vp;
			vp = NULL;
			cp += rest;
			continue;
		}

		/* The last component. */
		if (nd->ni_op != NI_LOOKUP &&
		    ((len == 1 && cp[0] == '.') ||
		    (len == 2 && cp[0] == '.' && cp[1] == '.'))) {
			error = nd->ni_op == NI_CREATE && vp != NULL ? EEXIST :
			    EINVAL;
			goto out;
		}
		if (vp != NULL && nd->ni_trailslash && vp->v_type != VDIR) {
			error = ENOTDIR;
			goto out;
		}
		memcpy(nd->ni_name, cp, len);
		nd->ni_name[len] = '\0';
		nd->ni_namelen = len;
		break;
	}
	nd->ni_vp = vp;
	vp = NULL;
	if (nd->ni_flags & NI_WANTPARENT || nd->ni_op != NI_LOOKUP) {
		nd->ni_dvp = dp;
		dp = NULL;
	}
 out:
	if (error && vp != NULL)
		vrele(vp);
	if (dp != NULL)
		vrele(dp);
	if (cdir != NULL)
		vrele(cdir);
	if (rdir != NULL)
		vrele(rdir);
	if (link != NULL)
		kmem_free(link, PATH_MAX);
	kmem_free(buf, PATH_MAX);
	kauth_cred_free(cred);
	if (error) {
		if (nd->ni_dvp != NULL)
			vrele(nd->ni_dvp);
		nd->ni_vp = nd->ni_dvp = NULL;
	}
	return error;
}

void
namei_done(struct nameidata *nd)
{

	if (nd->ni_vp != NULL)
		vrele(nd->ni_vp);
	if (nd->ni_dvp != NULL)
		vrele(nd->ni_dvp);
	nd->ni_vp = nd->ni_dvp = NULL;
}

/* ---- getcwd ---- */

/* Find the name of the entry with file id ino in directory dvp. */
static int
dir_find_name(struct vnode *dvp, uint64_t ino, char *name, size_t *namelen)
{
	struct rump_dirent *d;
	char *buf;
	size_t bufsize = 4096, off;
	struct iovec iov;
	struct uio uio;
	off_t cookie = 0;
	int error, eof = 0;

	if ((buf = kmem_alloc(bufsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = ENOENT;
	while (!eof) {
		iov.iov_base = buf;
		iov.iov_len = bufsize;
		uio.uio_iov = &iov;
		uio.uio_iovcnt = 1;
		uio.uio_offset = cookie;
		uio.uio_resid = bufsize;
		uio.uio_rw = UIO_READ;
		uio.uio_seg = UIO_SYSSPACE;
		if ((error = VOP_READDIR(dvp, &uio, &eof)) != 0)
			break;
		error = ENOENT;
		if (uio.uio_resid == bufsize)
			break;
		for (off = 0; off < bufsize - uio.uio_resid;
		    off += d->d_reclen) {
			d = (struct rump_dirent *)(buf + off);
			if (d->d_ino == ino &&
			    strcmp(d->d_name, ".") != 0 &&
			    strcmp(d->d_name, "..") != 0) {
				memcpy(name, d->d_name, d->d_namlen + 1);
				*namelen = d->d_namlen;
				error = 0;
				goto out;
			}
		}
		cookie = uio.uio_offset;
	}
 out:
	kmem_free(buf, bufsize);
	return error;
}

/*
 * Build the path of the cwd from its end: climb "..", find each
 * directory's name in its parent.  Fails with ENOENT when the cwd has
 * been removed.
 */
int
vfs_getcwd(struct proc *p, char *buf, size_t len, size_t *outlen)
{
	struct vnode *vp, *pvp, *cdir, *rdir;
	struct vattr va;
	char name[NAME_MAX + 1];
	size_t nlen, pos = len;
	int error = 0;

	cwdi_get(p, &cdir, &rdir);
	if (cdir == NULL) {
		if (rdir != NULL)
			vrele(rdir);
		return ENOENT;
	}
	vp = cdir;
	if (len < 2) {
		error = ERANGE;
		goto out;
	}
	buf[--pos] = '\0';
	while (vp != rdir) {
		while ((pvp = vfs_covered_hold(vp)) != NULL) {
			vrele(vp);
			vp = pvp;
		}
		if (vp == rdir)
			break;
		if ((error = VOP_GETATTR(vp, &va)) != 0)
			break;
		if (va.va_nlink == 0) {
			error = ENOENT;		/* removed */
			break;
		}
		if ((error = VOP_LOOKUP(vp, "..", 2, &pvp)) != 0)
			break;
		if (pvp == vp) {		/* a file system's top */
			vrele(pvp);
			break;
		}
		error = dir_find_name(pvp, va.va_fileid, name, &nlen);
		vrele(vp);
		vp = pvp;
		if (error)
			break;
		if (nlen + 1 > pos) {
			error = ERANGE;
			break;
		}
		pos -= nlen;
		memcpy(buf + pos, name, nlen);
		buf[--pos] = '/';
	}
	if (error == 0) {
		if (pos == len - 1)
			buf[--pos] = '/';	/* the root itself */
		memmove(buf, buf + pos, len - pos);
		*outlen = len - pos;
	}
 out:
	vrele(vp);
	if (rdir != NULL)
		vrele(rdir);
	return error;
}

/* The device of the block-device node at path (a kernel string):
 * what a file system's mount data, newfs and fsck name. */
int
namei_blkdev(const char *path, dev_t *devp)
{
	struct nameidata nd;
	struct vattr va;
	int error;

	memset(&nd, 0, sizeof(nd));
	nd.ni_upath = path;
	nd.ni_op = NI_LOOKUP;
	nd.ni_flags = NI_FOLLOW;
	nd.ni_atfd = RUMP_AT_FDCWD;
	if ((error = namei(&nd)) != 0)
		return error;
	if (nd.ni_vp->v_type != VBLK)
		error = ENOTBLK;
	else if ((error = VOP_GETATTR(nd.ni_vp, &va)) == 0)
		*devp = (dev_t)va.va_rdev;
	namei_done(&nd);
	return error;
}
