/*
 * fsu_util.c: pieces the fs-utils commands share (see fsu.h): memory
 * that cannot fail, path strings, listing an image directory, sizes and
 * modes as people read them, chmod(1)'s symbolic modes, and the image's
 * user and group names.  Single-threaded; the name tables are read once
 * and kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fsu.h"

void *
fsu_malloc(size_t n)
{
	void *p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL) {
		fsu_warnx("out of memory");
		exit(FSU_FAIL);
	}
	return p;
}

void *
fsu_realloc(void *p, size_t n)
{

	if ((p = realloc(p, n == 0 ? 1 : n)) == NULL) {
		fsu_warnx("out of memory");
		exit(FSU_FAIL);
	}
	return p;
}

char *
fsu_strdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(fsu_malloc(n), s, n);
}

char *
fsu_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	char *p = fsu_malloc(dl + nl + 2);
	int slash = dl > 0 && dir[dl - 1] != '/';

	memcpy(p, dir, dl);
	if (slash)
		p[dl] = '/';
	memcpy(p + dl + slash, name, nl + 1);
	return p;
}

char *
fsu_basename(const char *path)
{
	size_t end = strlen(path), start;
	char *p;

	while (end > 1 && path[end - 1] == '/')
		end--;
	if (end == 1 && path[0] == '/')
		return fsu_strdup("/");
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	p = fsu_malloc(end - start + 1);
	memcpy(p, path + start, end - start);
	p[end - start] = '\0';
	return p;
}

int
fsu_readdir(const char *path, char ***namesp, size_t *np)
{
	char *buf, **names = NULL;
	struct rump_dirent *d;
	size_t n = 0, cap = 0;
	int fd, got, off, e;

	if ((fd = rump_sys_open(path, RUMP_O_RDONLY | RUMP_O_DIRECTORY,
	    0)) == -1)
		return -1;
	buf = fsu_malloc(65536);
	while ((got = rump_sys_getdents(fd, buf, 65536)) > 0) {
		for (off = 0; off < got; off += d->d_reclen) {
			d = (struct rump_dirent *)(void *)(buf + off);
			/* A record that would not advance ends the list. */
			if (d->d_reclen < sizeof(*d) ||
			    (size_t)off + d->d_reclen > (size_t)got)
				break;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 32;
				names = fsu_realloc(names, cap *
				    sizeof(*names));
			}
			names[n++] = fsu_strdup(d->d_name);
		}
	}
	e = errno;
	free(buf);
	rump_sys_close(fd);
	if (got < 0) {
		fsu_freenames(names, n);
		errno = e;
		return -1;
	}
	*namesp = names;
	*np = n;
	return 0;
}

void
fsu_freenames(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int
cmp_names(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
fsu_sortnames(char **names, size_t n)
{

	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
}

/*
 * As GNU's -h: powers of 1024, rounded up, one decimal below 10 of a
 * unit; plain bytes below 1 KiB.
 */
void
fsu_human(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	unsigned __int128 div = 1024, v, tenths;
	int u = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
		return;
	}
	for (;;) {
		if (bytes < div * 10 || u == 5) {
			tenths = ((unsigned __int128)bytes * 10 + div - 1) /
			    div;
			if (tenths < 100) {
				snprintf(buf, len, "%u.%u%c",
				    (unsigned)(tenths / 10),
				    (unsigned)(tenths % 10), units[u]);
				return;
			}
		}
		v = (bytes + div - 1) / div;
		if (v < 1024 || u == 5) {
			snprintf(buf, len, "%llu%c", (unsigned long long)v,
			    units[u]);
			return;
		}
		div *= 1024;
		u++;
	}
}

void
fsu_modestr(mode_t m, char *s)
{
	static const char types[] = "?pc?d?b?-?l?s???";
	int i;

	s[0] = types[(m & S_IFMT) >> 12];
	for (i = 0; i < 9; i++)
		s[1 + i] = (m & (1 << (8 - i))) ? "rwx"[i % 3] : '-';
	if (m & S_ISUID)
		s[3] = (m & 0100) ? 's' : 'S';
	if (m & S_ISGID)
		s[6] = (m & 0010) ? 's' : 'S';
	if (m & S_ISVTX)
		s[9] = (m & 0001) ? 't' : 'T';
	s[10] = '\0';
}

const char *
fsu_typename(mode_t m, off_t size)
{

	switch (m & S_IFMT) {
	case S_IFREG:
		return size == 0 ? "regular empty file" : "regular file";
	case S_IFDIR:
		return "directory";
	case S_IFLNK:
		return "symbolic link";
	case S_IFIFO:
		return "fifo";
	case S_IFCHR:
		return "character special file";
	case S_IFBLK:
		return "block special file";
	case S_IFSOCK:
		return "socket";
	}
	return "weird file";
}

/*
 * Symbolic modes.  A mode is a list of operations; each has the bits of
 * the classes it names (0: none named, so the umask filters it), an
 * operator, and what it adds: permission bits, X, or a copy of one
 * class's current bits.
 */
struct fsu_modeop {
	mode_t	who;		/* S_ISUID|S_IRWXU ... ; 0: unnamed */
	char	op;		/* '+', '-', '=' */
	mode_t	perm;		/* rwx as 0777 patterns, s, t */
	int	bigx;		/* X: x if a directory or already x */
	int	copy;		/* 'u', 'g', 'o' or 0 */
	int	exact;		/* octal with 5 digits: set-id bits too */
};

struct fsu_mode {
	size_t	n;
	struct fsu_modeop op[];
};

#define WHO_U	(S_ISUID | S_IRWXU)
#define WHO_G	(S_ISGID | S_IRWXG)
#define WHO_O	(S_ISVTX | S_IRWXO)
#define WHO_A	(WHO_U | WHO_G | WHO_O)

struct fsu_mode *
fsu_mode_parse(const char *spec)
{
	struct fsu_mode *m;
	struct fsu_modeop *o;
	const char *p;
	mode_t who;
	size_t cap;
	int digits;

	if (*spec == '\0')
		return NULL;
	cap = strlen(spec) + 1;		/* at most one operation a char */
	m = fsu_malloc(sizeof(*m) + cap * sizeof(m->op[0]));
	m->n = 0;
	/* Octal: the bits exactly. */
	for (p = spec, digits = 0; *p >= '0' && *p <= '7'; p++)
		digits++;
	if (*p == '\0') {
		unsigned long v = strtoul(spec, NULL, 8);

		if (v > 07777) {
			free(m);
			return NULL;
		}
		o = &m->op[m->n++];
		memset(o, 0, sizeof(*o));
		o->who = WHO_A;
		o->op = '=';
		o->perm = (mode_t)v;
		o->exact = digits > 4;
		return m;
	}
	p = spec;
	for (;;) {
		who = 0;
		for (; strchr("ugoa", *p) != NULL && *p != '\0'; p++)
			who |= *p == 'u' ? WHO_U : *p == 'g' ? WHO_G :
			    *p == 'o' ? WHO_O : WHO_A;
		if (*p != '+' && *p != '-' && *p != '=')
			goto bad;
		while (*p == '+' || *p == '-' || *p == '=') {
			o = &m->op[m->n++];
			memset(o, 0, sizeof(*o));
			o->who = who;
			o->op = *p++;
			if (*p == 'u' || *p == 'g' || *p == 'o') {
				o->copy = *p++;
				continue;
			}
			for (; *p != '\0' && strchr("rwxXst", *p) != NULL;
			    p++) {
				switch (*p) {
				case 'r': o->perm |= 0444; break;
				case 'w': o->perm |= 0222; break;
				case 'x': o->perm |= 0111; break;
				case 'X': o->bigx = 1; break;
				case 's': o->perm |= S_ISUID | S_ISGID; break;
				case 't': o->perm |= S_ISVTX; break;
				}
			}
		}
		if (*p == '\0')
			return m;
		if (*p++ != ',')
			goto bad;
	}
bad:
	free(m);
	return NULL;
}

mode_t
fsu_mode_apply(const struct fsu_mode *m, mode_t old, mode_t umask)
{
	const struct fsu_modeop *o;
	mode_t cur = old & 07777, bits, who, c;
	size_t i;

	for (i = 0; i < m->n; i++) {
		o = &m->op[i];
		who = o->who != 0 ? o->who : WHO_A;
		if (o->copy != 0) {
			c = o->copy == 'u' ? (cur >> 6) & 7 :
			    o->copy == 'g' ? (cur >> 3) & 7 : cur & 7;
			bits = c * 0111;
		} else {
			bits = o->perm;
			if (o->bigx && (S_ISDIR(old) || (cur & 0111) != 0))
				bits |= 0111;
		}
		bits &= who;
		/* Unnamed classes: what the umask would not clear. */
		if (o->who == 0)
			bits &= ~umask;
		switch (o->op) {
		case '+':
			cur |= bits;
			break;
		case '-':
			cur &= ~bits;
			break;
		case '=':
			/*
			 * A directory keeps its set-id bits unless they
			 * are set or the octal mode has five digits, as in
			 * GNU chmod (they mean "inherit", not "run as").
			 */
			c = who;
			if (S_ISDIR(old) && !o->exact)
				c &= ~(mode_t)(S_ISUID | S_ISGID);
			cur = (cur & ~c) | bits;
			break;
		}
	}
	return (old & ~(mode_t)07777) | cur;
}

void
fsu_mode_free(struct fsu_mode *m)
{

	free(m);
}

/*
 * /etc/passwd and /etc/group of the image: "name:x:id:..." lines.  A
 * line that does not parse is skipped; the files are bounded so a
 * damaged one cannot take all memory.
 */
struct idname {
	char		*name;
	unsigned long	id;
	unsigned long	gid;		/* passwd: the login group */
};
struct idtab {
	int		loaded;
	size_t		n;
	struct idname	*e;
};
static struct idtab users, groups;

#define IDFILE_MAX	(4 * 1024 * 1024)

static int
parse_id(const char *s, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *v > 0xfffffffeUL)
		return -1;
	return 0;
}

static void
load_ids(struct idtab *t, const char *path, int passwd)
{
	char *buf, *line, *next, *f[4];
	rump_ssize_t got;
	size_t len = 0, cap = 0;
	unsigned long id, gid;
	int fd, i;

	if (t->loaded)
		return;
	t->loaded = 1;
	if ((fd = rump_sys_open(path, RUMP_O_RDONLY, 0)) == -1)
		return;
	buf = fsu_malloc(IDFILE_MAX + 1);
	while (len < IDFILE_MAX && (got = rump_sys_read(fd, buf + len,
	    IDFILE_MAX - len)) > 0)
		len += (size_t)got;
	rump_sys_close(fd);
	buf[len] = '\0';
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		for (i = 0, f[0] = line; i < 3; i++) {
			if ((f[i + 1] = strchr(f[i], ':')) == NULL)
				break;
			*f[i + 1]++ = '\0';
		}
		if (i < 3 || f[0][0] == '\0')
			continue;
		/* passwd: the fourth field starts "gid:"; group: "members". */
		if (passwd) {
			char *end = strchr(f[3], ':');

			if (end != NULL)
				*end = '\0';
			if (parse_id(f[3], &gid) != 0)
				continue;
		} else {
			gid = 0;
		}
		if (parse_id(f[2], &id) != 0)
			continue;
		if (t->n == cap) {
			cap = cap ? 2 * cap : 32;
			t->e = fsu_realloc(t->e, cap * sizeof(*t->e));
		}
		t->e[t->n].name = fsu_strdup(f[0]);
		t->e[t->n].id = id;
		t->e[t->n].gid = gid;
		t->n++;
	}
	free(buf);
}

static const struct idname *
by_id(struct idtab *t, unsigned long id)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].id == id)
			return &t->e[i];
	return NULL;
}

static const struct idname *
by_name(struct idtab *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->e[i].name, name) == 0)
			return &t->e[i];
	return NULL;
}

const char *
fsu_user_name(uid_t uid)
{
	const struct idname *e;

	load_ids(&users, "/etc/passwd", 1);
	return (e = by_id(&users, uid)) != NULL ? e->name : NULL;
}

const char *
fsu_group_name(gid_t gid)
{
	const struct idname *e;

	load_ids(&groups, "/etc/group", 0);
	return (e = by_id(&groups, gid)) != NULL ? e->name : NULL;
}

int
fsu_user_id(const char *name, uid_t *uid, gid_t *gid)
{
	const struct idname *e;

	load_ids(&users, "/etc/passwd", 1);
	if ((e = by_name(&users, name)) == NULL)
		return -1;
	*uid = (uid_t)e->id;
	if (gid != NULL)
		*gid = (gid_t)e->gid;
	return 0;
}

int
fsu_user_gid(uid_t uid, gid_t *gid)
{
	const struct idname *e;

	load_ids(&users, "/etc/passwd", 1);
	if ((e = by_id(&users, uid)) == NULL)
		return -1;
	*gid = (gid_t)e->gid;
	return 0;
}

int
fsu_group_id(const char *name, gid_t *gid)
{
	const struct idname *e;

	load_ids(&groups, "/etc/group", 0);
	if ((e = by_name(&groups, name)) == NULL)
		return -1;
	*gid = (gid_t)e->id;
	return 0;
}
