/*
 * hijack_libc.c: C library functions whose glibc versions reach the
 * kernel through internal calls that LD_PRELOAD cannot see, done here
 * for paths in the rump kernel:
 *
 *	realpath, canonicalize_file_name	names resolved in the rump
 *						kernel's tree, prefix added
 *	scandir, scandirat			over our opendir/readdir
 *	nftw, ftw				a walk over our stat/opendir
 *	glob					glibc's own, given our
 *						directory and stat functions
 *						(GLOB_ALTDIRFUNC)
 *
 * Host paths go to the host's functions untouched.  The 64-bit names
 * (scandir64 ...) are the same functions on this host (one struct stat,
 * one struct dirent).
 *
 * No state of its own, no locking: a walk's state is on its stack.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

HOSTFN(char *, realpath, (const char *, char *))
HOSTFN(int, scandirat, (int, const char *, struct dirent ***,
    int (*)(const struct dirent *),
    int (*)(const struct dirent **, const struct dirent **)))
HOSTFN(int, nftw, (const char *, int (*)(const char *, const struct stat *,
    int, struct FTW *), int, int))
HOSTFN(int, ftw, (const char *, int (*)(const char *, const struct stat *,
    int), int))
HOSTFN(int, glob, (const char *, int, int (*)(const char *, int),
    glob_t *))

#define MAXSYMLINKS	40	/* Linux's limit on links in one lookup */

/*
 * realpath in the rump kernel: `rp' is a path there (relative ones
 * start at its current directory); the answer is the program's view of
 * it, the prefix in front.  Components are looked up one by one with
 * lstat and readlink as POSIX describes; an absolute link target starts
 * again at the rump kernel's root, where the kernel itself would look.
 * 0 and out filled (PATH_MAX bytes), or an errno.
 */
static int
rump_realpath(const char *rp, char *out)
{
	char res[PATH_MAX], todo[PATH_MAX], link[PATH_MAX];
	struct rump_stat rs;
	size_t rlen, plen, clen, tlen;
	const char *c, *next;
	ssize_t n;
	int links = 0;

	if (rp[0] == '\0')
		return ENOENT;
	if (strlen(rp) >= sizeof(todo))
		return ENAMETOOLONG;
	strcpy(todo, rp);
	if (rp[0] == '/')
		strcpy(res, "/");
	else if (rump_sys_getcwd(res, sizeof(res)) < 0)
		return errno;
	res[sizeof(res) - 1] = '\0';	/* whatever the server sent */
	c = todo;
	while (*c != '\0') {
		while (*c == '/')
			c++;
		if (*c == '\0')
			break;
		for (next = c; *next != '\0' && *next != '/'; next++)
			continue;
		clen = (size_t)(next - c);
		rlen = strlen(res);
		if (clen == 1 && c[0] == '.') {
			c = next;
			continue;
		}
		if (clen == 2 && c[0] == '.' && c[1] == '.') {
			/* ".." of the root is the root. */
			while (rlen > 1 && res[rlen - 1] != '/')
				rlen--;
			if (rlen > 1)
				rlen--;
			res[rlen] = '\0';
			c = next;
			continue;
		}
		if (rlen + 1 + clen >= sizeof(res))
			return ENAMETOOLONG;
		plen = rlen;		/* the parent's name, to go back to */
		if (rlen > 1)
			res[rlen++] = '/';
		memcpy(res + rlen, c, clen);
		res[rlen + clen] = '\0';
		if (rump_sys_fstatat(RUMP_AT_FDCWD, res, &rs,
		    RUMP_AT_SYMLINK_NOFOLLOW) != 0)
			return errno;
		if ((rs.st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK) {
			if (++links > MAXSYMLINKS)
				return ELOOP;
			n = rump_sys_readlinkat(RUMP_AT_FDCWD, res, link,
			    sizeof(link) - 1);
			if (n < 0)
				return errno;
			if ((size_t)n >= sizeof(link))
				return EIO;	/* more than asked for */
			link[n] = '\0';
			/* The link's text, then what was left after it. */
			tlen = strlen(next);
			if ((size_t)n + tlen >= sizeof(todo))
				return ENAMETOOLONG;
			memmove(todo + n, next, tlen + 1);
			memcpy(todo, link, (size_t)n);
			c = todo;
			if (link[0] == '/')
				strcpy(res, "/");
			else
				res[plen] = '\0';
			continue;
		}
		if (*next != '\0' && (rs.st_mode & RUMP_S_IFMT) !=
		    RUMP_S_IFDIR)
			return ENOTDIR;
		c = next;
	}
	if (hij_prefix_out(res, out, PATH_MAX) != 0)
		return ENAMETOOLONG;
	return 0;
}

HIJ_EXPORT char *
realpath(const char *path, char *resolved)
{
	char buf[PATH_MAX], *out;
	const char *rp;
	int error;

	if (!hij_route_path(path, &rp))
		return get_realpath()(path, resolved);
	if ((error = rump_realpath(rp, buf)) != 0) {
		errno = error;
		return NULL;
	}
	if (resolved != NULL)
		return strcpy(resolved, buf);
	if ((out = strdup(buf)) == NULL)
		errno = ENOMEM;
	return out;
}

HIJ_EXPORT char *
canonicalize_file_name(const char *path)
{

	return realpath(path, NULL);
}

HIJ_EXPORT char *
__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{

	if (resolved != NULL && resolvedlen < PATH_MAX)
		abort();	/* what the fortified host function does */
	return realpath(path, resolved);
}

/*
 * scandir: the entries `filter' keeps, each in its own malloc'd
 * struct dirent (the caller frees them and the array), sorted by
 * `compar'.
 */
typedef int (*scan_filter_t)(const struct dirent *);
typedef int (*scan_compar_t)(const struct dirent **, const struct dirent **);

static int
scan_dir(DIR *d, struct dirent ***list, scan_filter_t filter,
    scan_compar_t compar)
{
	struct dirent **v = NULL, **nv, *e, *copy;
	size_t n = 0, cap = 0;
	int error;

	for (;;) {
		errno = 0;
		if ((e = readdir(d)) == NULL) {
			if ((error = errno) != 0)
				goto fail;
			break;
		}
		if (filter != NULL && filter(e) == 0)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				error = ENOMEM;
				goto fail;
			}
			v = nv;
		}
		if ((copy = malloc(sizeof(*copy))) == NULL) {
			error = ENOMEM;
			goto fail;
		}
		memcpy(copy, e, sizeof(*copy));
		v[n++] = copy;
		if (n > INT_MAX - 1) {
			error = EOVERFLOW;
			goto fail;
		}
	}
	if (compar != NULL && n > 1)
		qsort(v, n, sizeof(*v),
		    (int (*)(const void *, const void *))compar);
	*list = v;
	return (int)n;

 fail:
	while (n > 0)
		free(v[--n]);
	free(v);
	errno = error;
	return -1;
}

HIJ_EXPORT int
scandirat(int dirfd, const char *path, struct dirent ***list,
    scan_filter_t filter, scan_compar_t compar)
{
	const char *rp;
	int rdir, fd, n, error;
	DIR *d;

	if (!hij_route(dirfd, path, &rp, &rdir))
		return get_scandirat()(dirfd, path, list, filter, compar);
	fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		error = errno;
		close(fd);
		errno = error;
		return -1;
	}
	n = scan_dir(d, list, filter, compar);
	error = errno;
	closedir(d);
	errno = error;
	return n;
}

HIJ_EXPORT int
scandirat64(int dirfd, const char *path, struct dirent64 ***list,
    int (*filter)(const struct dirent64 *),
    int (*compar)(const struct dirent64 **, const struct dirent64 **))
{

	return scandirat(dirfd, path, (struct dirent ***)list,
	    (scan_filter_t)filter, (scan_compar_t)compar);
}

HIJ_EXPORT int
scandir(const char *path, struct dirent ***list, scan_filter_t filter,
    scan_compar_t compar)
{

	return scandirat(AT_FDCWD, path, list, filter, compar);
}

HIJ_EXPORT int
scandir64(const char *path, struct dirent64 ***list,
    int (*filter)(const struct dirent64 *),
    int (*compar)(const struct dirent64 **, const struct dirent64 **))
{

	return scandirat(AT_FDCWD, path, (struct dirent ***)list,
	    (scan_filter_t)filter, (scan_compar_t)compar);
}

/*
 * nftw and ftw on a rump tree, as glibc walks: preorder (postorder
 * with FTW_DEPTH), readdir's order, symbolic links followed unless
 * FTW_PHYS (a directory met twice that way is walked once).  A
 * directory's names are read whole before its entries are visited, so
 * one descriptor is open at a time, within any `nopenfd'.  The
 * callback sees the path as the caller wrote it (w_path); lookups use
 * the absolute one (w_abs), which FTW_CHDIR's moves do not change.
 * With FTW_CHDIR the current directory at each callback is the one
 * holding the file, as with glibc.
 */
typedef int (*nftw_fn_t)(const char *, const struct stat *, int,
    struct FTW *);
typedef int (*ftw_fn_t)(const char *, const struct stat *, int);

struct walk {
	nftw_fn_t	w_nfn;		/* nftw's callback, or */
	ftw_fn_t	w_fn;		/* ftw's */
	int		w_flags;	/* FTW_PHYS ... */
	dev_t		w_dev;		/* the start's, for FTW_MOUNT */
	struct { dev_t dev; ino_t ino; } *w_seen;	/* dirs walked */
	size_t		w_nseen, w_capseen;
	char		w_path[PATH_MAX];
	char		w_abs[PATH_MAX];
};

/* What an FTW_ACTIONRETVAL callback asked for besides going on. */
enum walk_ctl { CTL_GO, CTL_SKIPSUB, CTL_SKIPSIB };

/* The callback's value to stop the walk with, or 0; *ctl what else. */
static int
walk_call(struct walk *w, const struct stat *st, int flag, int base,
    int level, enum walk_ctl *ctl)
{
	struct FTW f = { .base = base, .level = level };
	int r;

	*ctl = CTL_GO;
	r = w->w_nfn != NULL ? w->w_nfn(w->w_path, st, flag, &f) :
	    w->w_fn(w->w_path, st, flag);
	if (!(w->w_flags & FTW_ACTIONRETVAL))
		return r;
	switch (r) {
	case FTW_CONTINUE:
		return 0;
	case FTW_SKIP_SUBTREE:
		*ctl = CTL_SKIPSUB;
		return 0;
	case FTW_SKIP_SIBLINGS:
		*ctl = CTL_SKIPSIB;
		return 0;
	default:
		return r;
	}
}

static bool
walk_seen(struct walk *w, const struct stat *st)
{
	void *nv;
	size_t i;

	for (i = 0; i < w->w_nseen; i++)
		if (w->w_seen[i].dev == st->st_dev &&
		    w->w_seen[i].ino == st->st_ino)
			return true;
	if (w->w_nseen == w->w_capseen) {
		w->w_capseen = w->w_capseen == 0 ? 16 : w->w_capseen * 2;
		if ((nv = realloc(w->w_seen, w->w_capseen *
		    sizeof(*w->w_seen))) == NULL)
			return false;	/* walked again rather than lost */
		w->w_seen = nv;
	}
	w->w_seen[w->w_nseen].dev = st->st_dev;
	w->w_seen[w->w_nseen].ino = st->st_ino;
	w->w_nseen++;
	return false;
}

/* The names in a directory ("." and ".." left out), NUL-separated. */
static int
walk_names(const char *path, char **namesp, size_t *lenp)
{
	struct dirent *e;
	size_t len = 0, cap = 0, k;
	char *names = NULL, *nn;
	int error = 0;
	DIR *d;

	if ((d = opendir(path)) == NULL)
		return errno;
	for (;;) {
		errno = 0;
		if ((e = readdir(d)) == NULL) {
			error = errno;
			break;
		}
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		k = strlen(e->d_name) + 1;
		if (len + k > cap) {
			cap = (len + k) * 2 + 256;
			if ((nn = realloc(names, cap)) == NULL) {
				error = ENOMEM;
				break;
			}
			names = nn;
		}
		memcpy(names + len, e->d_name, k);
		len += k;
	}
	closedir(d);
	if (error != 0) {
		free(names);
		return error;
	}
	*namesp = names;
	*lenp = len;
	return 0;
}

/* chdir to the directory holding w_abs[0 .. alen). */
static int
walk_chdir_parent(struct walk *w, size_t alen)
{
	char *slash;
	char c;
	int r;

	c = w->w_abs[alen];
	w->w_abs[alen] = '\0';
	slash = strrchr(w->w_abs, '/');
	if (slash == w->w_abs)
		r = chdir("/");
	else {
		*slash = '\0';
		r = chdir(w->w_abs);
		*slash = '/';
	}
	w->w_abs[alen] = c;
	return r;
}

/*
 * Visit the file the buffers name (its last name at `base' in w_path)
 * and what is under it.  0 to go on (*skipsib: but not to its
 * siblings), or the value to stop with: the callback's, or -1 with
 * errno.
 */
static int
walk1(struct walk *w, int base, int level, bool *skipsib)
{
	struct stat st;
	char *names = NULL, *name;
	size_t len = 0, plen, alen, k;
	enum walk_ctl ctl;
	int flag, r, error;
	bool sep;

	*skipsib = false;
	if ((w->w_flags & FTW_PHYS ? lstat(w->w_abs, &st) :
	    stat(w->w_abs, &st)) != 0) {
		error = errno;
		if (!(w->w_flags & FTW_PHYS) && error == ENOENT &&
		    lstat(w->w_abs, &st) == 0 && S_ISLNK(st.st_mode))
			flag = FTW_SLN;
		else if (level == 0 || (error != ENOENT && error != EACCES)) {
			/* Nothing to tell the callback about. */
			errno = error;
			return -1;
		} else
			flag = FTW_NS;
	} else if (S_ISDIR(st.st_mode))
		flag = FTW_D;
	else if (S_ISLNK(st.st_mode))
		flag = FTW_SL;
	else
		flag = FTW_F;
	if (flag == FTW_D) {
		if ((w->w_flags & FTW_MOUNT) && st.st_dev != w->w_dev)
			return 0;
		if (!(w->w_flags & FTW_PHYS) && walk_seen(w, &st))
			return 0;
		if ((error = walk_names(w->w_abs, &names, &len)) != 0) {
			if (error != EACCES) {
				errno = error;
				return -1;
			}
			flag = FTW_DNR;
		}
	}
	if (flag != FTW_D) {
		r = walk_call(w, &st, flag, base, level, &ctl);
		*skipsib = ctl == CTL_SKIPSIB;
		return r;
	}

	if (!(w->w_flags & FTW_DEPTH)) {
		r = walk_call(w, &st, FTW_D, base, level, &ctl);
		if (r != 0 || ctl != CTL_GO) {
			*skipsib = ctl == CTL_SKIPSIB;
			free(names);
			return r;
		}
	}
	if ((w->w_flags & FTW_CHDIR) && chdir(w->w_abs) != 0) {
		free(names);
		return -1;
	}
	plen = strlen(w->w_path);
	alen = strlen(w->w_abs);
	sep = strcmp(w->w_path, "/") != 0;	/* "/a", not "//a" */
	r = 0;
	for (name = names; name < names + len; name += k) {
		bool sib;

		k = strlen(name) + 1;
		if (plen + 1 + k > sizeof(w->w_path) ||
		    alen + 1 + k > sizeof(w->w_abs)) {
			errno = ENAMETOOLONG;
			r = -1;
			break;
		}
		if (sep)
			w->w_path[plen] = '/';
		memcpy(w->w_path + plen + sep, name, k);
		if (alen > 1)
			w->w_abs[alen] = '/';
		memcpy(w->w_abs + alen + (alen > 1), name, k);
		r = walk1(w, (int)(plen + sep), level + 1, &sib);
		w->w_path[plen] = '\0';
		w->w_abs[alen] = '\0';
		if (r != 0 || sib)
			break;
	}
	free(names);
	if (r != 0)
		return r;
	if ((w->w_flags & FTW_CHDIR) && walk_chdir_parent(w, alen) != 0)
		return -1;
	if (w->w_flags & FTW_DEPTH) {
		r = walk_call(w, &st, FTW_DP, base, level, &ctl);
		*skipsib = ctl == CTL_SKIPSIB;
	}
	return r;
}

static int
walk(const char *path, nftw_fn_t nfn, ftw_fn_t fn, int flags)
{
	struct walk *w;
	struct stat st;
	const char *slash;
	size_t len, clen;
	int r = -1, base, cwd = -1, error;
	bool sib;

	if (path[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	w->w_nfn = nfn;
	w->w_fn = fn;
	w->w_flags = flags;
	len = strlen(path);
	if (path[0] != '/' && getcwd(w->w_abs, sizeof(w->w_abs)) == NULL)
		goto out;
	clen = strlen(w->w_abs);
	if (len >= sizeof(w->w_path) || clen + 1 + len >= sizeof(w->w_abs)) {
		errno = ENAMETOOLONG;
		goto out;
	}
	memcpy(w->w_path, path, len + 1);
	/* "a/b/" is "a/b" (but "/" stays). */
	while (len > 1 && w->w_path[len - 1] == '/')
		w->w_path[--len] = '\0';
	if (clen > 1)
		w->w_abs[clen++] = '/';
	memcpy(w->w_abs + clen, w->w_path, len + 1);
	slash = strrchr(w->w_path, '/');
	base = slash == NULL || len == 1 ? 0 : (int)(slash - w->w_path) + 1;
	if ((flags & FTW_MOUNT) && stat(w->w_abs, &st) == 0)
		w->w_dev = st.st_dev;
	if (flags & FTW_CHDIR) {
		/* Back where we were afterwards, in either kernel. */
		if ((cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			goto out;
		if (walk_chdir_parent(w, strlen(w->w_abs)) != 0)
			goto out;
	}
	r = walk1(w, base, 0, &sib);
 out:
	error = errno;
	if (cwd >= 0) {
		(void)fchdir(cwd);
		close(cwd);
	}
	free(w->w_seen);
	free(w);
	errno = error;
	return r;
}

HIJ_EXPORT int
nftw(const char *path, nftw_fn_t fn, int nopenfd, int flags)
{
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_nftw()(path, fn, nopenfd, flags);
	if (flags & ~(FTW_PHYS | FTW_MOUNT | FTW_CHDIR | FTW_DEPTH |
	    FTW_ACTIONRETVAL)) {
		errno = EINVAL;
		return -1;
	}
	return walk(path, fn, NULL, flags);
}

HIJ_EXPORT int
nftw64(const char *path, int (*fn)(const char *, const struct stat64 *,
    int, struct FTW *), int nopenfd, int flags)
{

	return nftw(path, (nftw_fn_t)fn, nopenfd, flags);
}

HIJ_EXPORT int
ftw(const char *path, ftw_fn_t fn, int nopenfd)
{
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_ftw()(path, fn, nopenfd);
	return walk(path, NULL, fn, 0);
}

HIJ_EXPORT int
ftw64(const char *path, int (*fn)(const char *, const struct stat64 *,
    int), int nopenfd)
{

	return ftw(path, (ftw_fn_t)fn, nopenfd);
}

/*
 * glob: glibc's, reading directories and testing names through the
 * functions a GLOB_ALTDIRFUNC caller supplies: ours, for a pattern in
 * the rump kernel.  A caller's own functions stay (they call ours).
 * glibc's older glob, for programs built before 2.27, asks no gl_lstat
 * of a GLOB_ALTDIRFUNC caller and uses gl_stat instead: so do we.
 */
static void *
glob_opendir(const char *path)
{

	return opendir(path);
}

static struct dirent *
glob_readdir(void *d)
{

	return readdir(d);
}

static void
glob_closedir(void *d)
{

	closedir(d);
}

static int
glob_stat(const char *path, struct stat *st)
{

	return stat(path, st);
}

static int
glob_lstat(const char *path, struct stat *st)
{

	return lstat(path, st);
}

HIJ_EXPORT int
glob(const char *pattern, int flags, int (*errfunc)(const char *, int),
    glob_t *g)
{
	const char *rp;
	int r;

	if ((flags & GLOB_ALTDIRFUNC) && g->gl_lstat == NULL)
		g->gl_lstat = g->gl_stat;
	if ((flags & GLOB_ALTDIRFUNC) || !hij_route_path(pattern, &rp))
		return get_glob()(pattern, flags, errfunc, g);
	g->gl_opendir = glob_opendir;
	g->gl_readdir = glob_readdir;
	g->gl_closedir = glob_closedir;
	g->gl_stat = glob_stat;
	g->gl_lstat = glob_lstat;
	r = get_glob()(pattern, flags | GLOB_ALTDIRFUNC, errfunc, g);
	/* What the caller asked for, as a later GLOB_APPEND sees it. */
	g->gl_flags &= ~GLOB_ALTDIRFUNC;
	return r;
}

HIJ_EXPORT int
glob64(const char *pattern, int flags, int (*errfunc)(const char *, int),
    glob64_t *g)
{

	_Static_assert(sizeof(glob64_t) == sizeof(glob_t),
	    "one glob_t layout on this host");
	return glob(pattern, flags, errfunc, (glob_t *)g);
}
