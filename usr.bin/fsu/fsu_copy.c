/*
 * fsu_copy.c: cp(1) between any two sides (struct fsu_fs): the image to
 * itself (fsu_cp), the image to the host (fsu_get), the host to the
 * image (fsu_put).
 *
 *	fsu_copy_main(c, nsrc, srcs, target)
 *
 * follows cp's rules for operands: with one source and a target that
 * is not a directory, the target is the copy's name; otherwise each
 * source is copied into the target directory under its last name (a
 * source of "/" merges the whole tree into the target).  Directories
 * need c->recursive; symbolic links are copied as links unless c->deref
 * says to follow them; fifos and devices are made anew.  With
 * c->preserve the copy gets the source's mode and times (and owners
 * with c->owners); with c->hardlinks names linked together in the
 * source are linked together in the copy.
 *
 * Data moves in FSU_BUFSIZE chunks; a source with holes (fewer blocks
 * than its size needs) keeps them, by seeking over runs of zeros.  The
 * progress of a long copy goes to stderr when it is a terminal.
 *
 * Returns FSU_OK, or FSU_TROUBLE when some file could not be copied
 * (each told on stderr).  Single-threaded; the state is file-static.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsu.h"

#define HOLE_GRAIN	4096	/* zero runs this aligned become holes */
#define MAX_DEPTH	4096	/* a deeper tree is taken as a loop */

static char *buf;
static int status;

/* Hard links: the copy of each multiply linked source, by (dev, ino). */
struct linkent {
	uint64_t	dev, ino;
	char		*path;		/* NULL: free slot */
};
static struct linkent *links;
static size_t nlinks, linkcap;

static size_t
link_slot(uint64_t dev, uint64_t ino)
{
	size_t i = (size_t)((ino * 0x9e3779b97f4a7c15ULL) ^ dev) &
	    (linkcap - 1);

	while (links[i].path != NULL &&
	    (links[i].dev != dev || links[i].ino != ino))
		i = (i + 1) & (linkcap - 1);
	return i;
}

static const char *
link_find(uint64_t dev, uint64_t ino)
{

	if (linkcap == 0)
		return NULL;
	return links[link_slot(dev, ino)].path;
}

static void
link_add(uint64_t dev, uint64_t ino, const char *path)
{
	struct linkent *old = links;
	size_t oldcap = linkcap, i, j;

	if (2 * (nlinks + 1) > linkcap) {
		linkcap = linkcap ? 2 * linkcap : 256;
		links = fsu_malloc(linkcap * sizeof(*links));
		memset(links, 0, linkcap * sizeof(*links));
		for (i = 0; i < oldcap; i++) {
			if (old[i].path == NULL)
				continue;
			j = link_slot(old[i].dev, old[i].ino);
			links[j] = old[i];
		}
		free(old);
	}
	i = link_slot(dev, ino);
	if (links[i].path != NULL)
		return;
	links[i].dev = dev;
	links[i].ino = ino;
	links[i].path = fsu_strdup(path);
	nlinks++;
}

/* Progress of long copies. */
static struct {
	int		tty, shown;
	uint64_t	bytes;
	struct timespec	start, last;
} prog;

#define PROGRESS_AFTER	(4ULL * 1024 * 1024)

static double
since(const struct timespec *t0, const struct timespec *t1)
{

	return (double)(t1->tv_sec - t0->tv_sec) +
	    (double)(t1->tv_nsec - t0->tv_nsec) / 1e9;
}

void
fsu_progress_start(void)
{

	memset(&prog, 0, sizeof(prog));
	prog.tty = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	prog.last = prog.start;
}

static void
progress_show(const struct timespec *now)
{
	char done[32], rate[32];
	double t = since(&prog.start, now);

	fsu_human(prog.bytes, done, sizeof(done));
	fsu_human(t > 0.001 ? (uint64_t)((double)prog.bytes / t) : 0, rate,
	    sizeof(rate));
	fprintf(stderr, "\rfsu_%s: %s copied, %s/s     ", fsu_curcmd->name,
	    done, rate);
	fflush(stderr);
	prog.shown = 1;
}

void
fsu_progress_add(uint64_t n)
{
	struct timespec now;

	prog.bytes += n;
	if (!prog.tty || prog.bytes < PROGRESS_AFTER)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* Shown once past the threshold, then four times a second. */
	if (prog.shown && since(&prog.last, &now) < 0.25)
		return;
	prog.last = now;
	progress_show(&now);
}

void
fsu_progress_end(void)
{
	struct timespec now;

	if (!prog.shown)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	progress_show(&now);
	fprintf(stderr, "\n");
	prog.shown = 0;
}

/* Warnings in the middle of a progress line start on a line of their own. */
static void
progress_break(void)
{

	if (prog.shown) {
		fprintf(stderr, "\n");
		prog.shown = 0;
	}
}

static void
fail(const char *path)
{
	int e = errno;

	progress_break();
	errno = e;
	fsu_warn("%s", path);
	status = FSU_TROUBLE;
}

static int
write_all(const struct fsu_copy *c, int fd, const char *p, size_t n,
    const char *path)
{
	ssize_t w;

	while (n > 0) {
		if ((w = c->dst->write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			fail(path);
			return -1;
		}
		if (w == 0) {
			errno = ENOSPC;
			fail(path);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
all_zero(const char *p, size_t n)
{
	static const char zero[HOLE_GRAIN];

	return memcmp(p, zero, n) == 0;
}

/* The data of a regular file; 0 or -1 (told). */
static int
copy_data(const struct fsu_copy *c, int sfd, int dfd,
    const struct fsu_stat *st, const char *spath, const char *dpath)
{
	int sparse = st->size > 0 && st->blocks * 512 < st->size;
	off_t skip = 0, pos = 0;
	ssize_t n;
	size_t off, len;

	for (;;) {
		if ((n = c->src->read(sfd, buf, FSU_BUFSIZE)) < 0) {
			if (errno == EINTR)
				continue;
			fail(spath);
			return -1;
		}
		if (n == 0)
			break;
		fsu_progress_add((uint64_t)n);
		if (!sparse) {
			if (write_all(c, dfd, buf, (size_t)n, dpath) != 0)
				return -1;
			pos += n;
			continue;
		}
		/* Zero grains become a seek; the rest is written. */
		for (off = 0; off < (size_t)n; off += len) {
			len = (size_t)n - off < HOLE_GRAIN ? (size_t)n - off :
			    HOLE_GRAIN;
			if (all_zero(buf + off, len)) {
				skip += (off_t)len;
				continue;
			}
			if (skip > 0) {
				if (c->dst->lseek(dfd, skip, SEEK_CUR) < 0) {
					fail(dpath);
					return -1;
				}
				pos += skip;
				skip = 0;
			}
			if (write_all(c, dfd, buf + off, len, dpath) != 0)
				return -1;
			pos += (off_t)len;
		}
	}
	/* A hole at the end: the size says where the file ends. */
	if (skip > 0 && c->dst->ftruncate(dfd, pos + skip) != 0) {
		fail(dpath);
		return -1;
	}
	return 0;
}

/*
 * Owners, mode and times of a copy, as c asks: through fd when it is
 * open (no name to look up again), else by name, not following a link.
 * mode is what the copy was created with, so an equal one is not set
 * again.
 */
static void
set_attrs(const struct fsu_copy *c, const struct fsu_stat *st,
    const char *dpath, int fd, mode_t created)
{
	struct timespec ts[2];
	mode_t mode = st->mode & 07777;
	int rv;

	if (!c->preserve)
		return;
	if (c->owners) {
		rv = fd >= 0 ? c->dst->fchown(fd, st->uid, st->gid) :
		    c->dst->lchown(dpath, st->uid, st->gid);
		if (rv != 0) {
			/* Set-id bits are not given to someone else's file. */
			mode &= ~(mode_t)(S_ISUID | S_ISGID);
			if (!(c->quiet_owners && errno == EPERM))
				fail(dpath);
		}
	}
	/* A chown may clear set-id bits: then the mode is set again. */
	if (!S_ISLNK(st->mode) && (mode != created || (c->owners &&
	    (mode & (S_ISUID | S_ISGID)) != 0))) {
		rv = fd >= 0 ? c->dst->fchmod(fd, mode) :
		    c->dst->chmod(dpath, mode);
		if (rv != 0)
			fail(dpath);
	}
	ts[0] = st->atim;
	ts[1] = st->mtim;
	rv = fd >= 0 ? c->dst->futimens(fd, ts) : c->dst->lutimens(dpath, ts);
	if (rv != 0 && !(S_ISLNK(st->mode) &&
	    (errno == EOPNOTSUPP || errno == ENOSYS || errno == EINVAL)))
		fail(dpath);
}

/* Is the directory (dev, ino) path itself or one of its ancestors? */
static int
is_inside(const struct fsu_copy *c, const char *path,
    const struct fsu_stat *dir)
{
	struct fsu_stat st, up;
	char *p = fsu_strdup(path), *q;
	int depth, inside = 0;

	for (depth = 0; depth < MAX_DEPTH; depth++) {
		if (c->dst->stat(p, &st, 1) != 0)
			break;
		if (st.dev == dir->dev && st.ino == dir->ino) {
			inside = 1;
			break;
		}
		q = fsu_join(p, "..");
		free(p);
		p = q;
		if (c->dst->stat(p, &up, 1) != 0 ||
		    (up.dev == st.dev && up.ino == st.ino))
			break;		/* the root is its own parent */
	}
	free(p);
	return inside;
}

/* The directory path names its last component in. */
static char *
parent_of(const char *path)
{
	size_t end = strlen(path);
	char *p;

	while (end > 1 && path[end - 1] == '/')
		end--;
	while (end > 0 && path[end - 1] != '/')
		end--;
	if (end == 0)
		return fsu_strdup(".");
	while (end > 1 && path[end - 1] == '/')
		end--;
	p = fsu_malloc(end + 1);
	memcpy(p, path, end);
	p[end] = '\0';
	return p;
}

static void copy_one(const struct fsu_copy *, const char *, const char *,
    int, int);

static void
copy_dir(const struct fsu_copy *c, const char *spath, const char *dpath,
    const struct fsu_stat *st, int dexists, int depth)
{
	char **names, *s, *d;
	size_t n, i;
	int created = 0;

	if (!c->recursive) {
		progress_break();
		fsu_warnx("-r not specified; omitting directory '%s'", spath);
		status = FSU_TROUBLE;
		return;
	}
	if (depth >= MAX_DEPTH) {
		errno = ELOOP;
		fail(spath);
		return;
	}
	/*
	 * Copying a directory into itself would never end: the copy is
	 * inside the source when the source is among its ancestors.
	 */
	if (c->src == c->dst) {
		char *where = dexists ? fsu_strdup(dpath) : parent_of(dpath);
		int bad = is_inside(c, where, st);

		free(where);
		if (bad) {
			progress_break();
			fsu_warnx("cannot copy a directory, '%s', into itself, "
			    "'%s'", spath, dpath);
			status = FSU_TROUBLE;
			return;
		}
	}
	if (!dexists) {
		if (c->dst->mkdir(dpath, (st->mode & 0777) | S_IRWXU) != 0) {
			fail(dpath);
			return;
		}
		created = 1;
	}
	if (c->src->readdir(spath, &names, &n) != 0) {
		fail(spath);
		return;
	}
	for (i = 0; i < n; i++) {
		s = fsu_join(spath, names[i]);
		d = fsu_join(dpath, names[i]);
		copy_one(c, s, d, depth + 1, created);
		free(s);
		free(d);
	}
	fsu_freenames(names, n);
	if (c->preserve)
		set_attrs(c, st, dpath, -1, (mode_t)-1);
	else if (created && (st->mode & S_IRWXU) != S_IRWXU &&
	    c->dst->chmod(dpath, st->mode & 0777 & ~fsu_umask) != 0)
		fail(dpath);
}

static void
copy_link(const struct fsu_copy *c, const char *spath, const char *dpath,
    const struct fsu_stat *st)
{
	size_t len = st->size > 0 && st->size < 65536 ?
	    (size_t)st->size + 1 : 4096;
	char *target = fsu_malloc(len + 1);
	ssize_t n;

	if ((n = c->src->readlink(spath, target, len)) < 0) {
		fail(spath);
		free(target);
		return;
	}
	target[n] = '\0';
	if (c->dst->symlink(target, dpath) != 0)
		fail(dpath);
	else
		set_attrs(c, st, dpath, -1, (mode_t)-1);
	free(target);
}

static void
copy_file(const struct fsu_copy *c, const char *spath, const char *dpath,
    const struct fsu_stat *st, int dexists)
{
	int sfd, dfd, ok;
	/* What a new file gets from open; an existing one keeps its mode. */
	mode_t created = dexists ? (mode_t)-1 : st->mode & 0777 & ~fsu_umask;

	if ((sfd = c->src->open(spath, O_RDONLY, 0)) < 0) {
		fail(spath);
		return;
	}
	if ((dfd = c->dst->open(dpath, O_WRONLY | O_CREAT | O_TRUNC,
	    st->mode & 0777)) < 0) {
		fail(dpath);
		c->src->close(sfd);
		return;
	}
	ok = copy_data(c, sfd, dfd, st, spath, dpath) == 0;
	c->src->close(sfd);
	if (ok)
		set_attrs(c, st, dpath, dfd, created);
	if (c->dst->close(dfd) != 0 && ok)
		fail(dpath);
}

/*
 * Copy spath to dpath.  fresh: dpath's directory was just made, so
 * dpath does not exist (and a lookup of it would scan the directory).
 */
static void
copy_one(const struct fsu_copy *c, const char *spath, const char *dpath,
    int depth, int fresh)
{
	struct fsu_stat st, dst;
	const char *first;
	int follow = c->deref == 2 || (depth == 0 && c->deref == 1);
	int dexists;

	if (c->src->stat(spath, &st, follow) != 0) {
		fail(spath);
		return;
	}
	if (fresh)
		dexists = 0;
	else if (c->dst->stat(dpath, &dst, 0) == 0)
		dexists = 1;
	else if (errno == ENOENT)
		dexists = 0;
	else {
		fail(dpath);
		return;
	}
	if (dexists && c->src == c->dst && st.dev == dst.dev &&
	    st.ino == dst.ino) {
		progress_break();
		fsu_warnx("'%s' and '%s' are the same file", spath, dpath);
		status = FSU_TROUBLE;
		return;
	}
	if (S_ISDIR(st.mode)) {
		if (dexists && !S_ISDIR(dst.mode)) {
			progress_break();
			fsu_warnx("cannot overwrite non-directory '%s' with "
			    "directory '%s'", dpath, spath);
			status = FSU_TROUBLE;
			return;
		}
		if (c->verbose && !dexists)
			printf("'%s' -> '%s'\n", spath, dpath);
		copy_dir(c, spath, dpath, &st, dexists, depth);
		return;
	}
	if (dexists && S_ISDIR(dst.mode)) {
		progress_break();
		fsu_warnx("cannot overwrite directory '%s' with non-directory",
		    dpath);
		status = FSU_TROUBLE;
		return;
	}
	if (c->verbose)
		printf("'%s' -> '%s'\n", spath, dpath);
	/* A name linked to one already copied becomes a link to the copy. */
	if (c->hardlinks && st.nlink > 1 &&
	    (first = link_find(st.dev, st.ino)) != NULL) {
		if (dexists && c->dst->unlink(dpath) != 0) {
			fail(dpath);
			return;
		}
		if (c->dst->link(first, dpath) != 0)
			fail(dpath);
		return;
	}
	/* What is not a regular file is made anew, over the old name. */
	if (!S_ISREG(st.mode) && dexists && c->dst->unlink(dpath) != 0) {
		fail(dpath);
		return;
	}
	if (S_ISLNK(st.mode))
		copy_link(c, spath, dpath, &st);
	else if (S_ISREG(st.mode))
		copy_file(c, spath, dpath, &st, dexists);
	else if (c->dst->mknod(dpath, st.mode & (S_IFMT | 0777), st.rmajor,
	    st.rminor) != 0) {
		fail(dpath);
		return;
	} else
		set_attrs(c, &st, dpath, -1, (mode_t)-1);
	if (c->hardlinks && st.nlink > 1 && !S_ISDIR(st.mode))
		link_add(st.dev, st.ino, dpath);
}

int
fsu_copy_main(struct fsu_copy *c, int nsrc, char **srcs, const char *target)
{
	struct fsu_stat st;
	char *base, *d;
	int i, isdir;

	status = FSU_OK;
	isdir = c->dst->stat(target, &st, 1) == 0 && S_ISDIR(st.mode);
	if (nsrc > 1 && !isdir) {
		if (c->dst->stat(target, &st, 1) == 0)
			errno = ENOTDIR;
		fsu_warn("%s", target);
		return FSU_TROUBLE;
	}
	buf = fsu_malloc(FSU_BUFSIZE);
	fsu_progress_start();
	for (i = 0; i < nsrc; i++) {
		if (isdir) {
			base = fsu_basename(srcs[i]);
			d = fsu_join(target, base);
			free(base);
		} else
			d = fsu_strdup(target);
		copy_one(c, srcs[i], d, 0, 0);
		free(d);
	}
	fsu_progress_end();
	free(buf);
	return status;
}
