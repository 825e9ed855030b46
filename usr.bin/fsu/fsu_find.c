/*
 * fsu_find.c: find(1) inside an image.
 *
 *	fsu_find image [-H | -L | -P] [path ...] [expression]
 *
 * Walks each path (default ".", which is the image's root) in
 * directory order, preorder (or postorder with -depth), and evaluates
 * the expression for each name as find does.  Supported:
 *   operators   ( expr )  ! expr  -not  expr [-a] expr  -and  -o  -or
 *   options     -maxdepth n  -mindepth n  -depth  -xdev (always true)
 *   tests       -name pat  -iname pat  -path pat  -ipath pat
 *               -wholename pat  -type c[,c...]  -size [+-]n[bckwMG]
 *               -newer file  -mtime/-atime/-ctime [+-]n (days)
 *               -mmin/-amin/-cmin [+-]n  -empty  -links [+-]n
 *               -inum [+-]n  -uid/-gid [+-]n  -user/-group name
 *               -perm [-/]mode  -true  -false
 *   actions     -print  -print0  -prune  -quit
 * An expression without an action (other than -prune) is printed.
 * Numbers with + mean more than, with - less than.  -size rounds up to
 * its unit, as GNU find does (so -size -1M matches only empty files).
 * User and group names come from the image's /etc/passwd and
 * /etc/group.  Exit status 0, 1 if some name could not be examined, 2
 * for a bad expression.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fsu.h"

#define MAX_DEPTH	4096	/* a deeper walk is taken as a loop */

enum ntype {
	N_AND, N_OR, N_NOT, N_TRUE, N_FALSE,
	N_NAME, N_INAME, N_PATH, N_IPATH, N_TYPE, N_SIZE, N_NEWER,
	N_TIME, N_EMPTY, N_LINKS, N_INUM, N_UID, N_GID, N_PERM,
	N_PRINT, N_PRINT0, N_PRUNE, N_QUIT
};

struct node {
	enum ntype	type;
	struct node	*l, *r;
	const char	*s;		/* patterns */
	char		cmp;		/* '+', '-', '=' */
	long long	n;		/* numbers, -size in its unit */
	long long	unit;		/* -size: bytes; times: seconds */
	int		which;		/* times: 'a', 'm', 'c' */
	unsigned int	types;		/* -type: bit per S_IFMT >> 12 */
	mode_t		perm;
	char		permkind;	/* '=', '-', '/' */
	struct rump_timespec ref;	/* -newer */
};

static char **tok;		/* the expression's words */
static int ntok, pos;
static int maxdepth = -1, mindepth = 0, depthfirst, follow; /* 0 P 1 H 2 L */
static int status, quit, have_action;
static time_t now;

static void
bad(const char *fmt, const char *arg)
{

	fprintf(stderr, "fsu_find: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(FSU_FAIL);
}

static struct node *
mknode(enum ntype t)
{
	struct node *n = fsu_malloc(sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->type = t;
	return n;
}

static const char *
arg(const char *primary)
{

	if (pos >= ntok)
		bad("missing argument to '%s'", primary);
	return tok[pos++];
}

/* [+-]digits; the sign goes into *cmp.  Returns the rest of s. */
static const char *
number(const char *primary, const char *s, char *cmp, long long *v)
{
	char *end;

	*cmp = '=';
	if (*s == '+' || *s == '-')
		*cmp = *s++;
	if (*s < '0' || *s > '9')
		bad("invalid argument to '%s'", primary);
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno != 0)
		bad("invalid argument to '%s'", primary);
	return end;
}

static struct node *parse_or(void);

static struct node *
parse_primary(void)
{
	const char *w = tok[pos++], *a, *rest;
	struct node *n;
	struct fsu_mode *m;
	struct rump_stat st;
	long long v;
	uid_t uid;
	gid_t gid;
	char c;

	if (strcmp(w, "(") == 0) {
		n = parse_or();
		if (pos >= ntok || strcmp(tok[pos], ")") != 0)
			bad("%s", "missing ')'");
		pos++;
		return n;
	}
	if (strcmp(w, "!") == 0 || strcmp(w, "-not") == 0) {
		if (pos >= ntok)
			bad("expected an expression after '%s'", w);
		n = mknode(N_NOT);
		n->l = parse_primary();
		return n;
	}
	if (strcmp(w, "-maxdepth") == 0 || strcmp(w, "-mindepth") == 0) {
		a = arg(w);
		if (*number(w, a, &c, &v) != '\0' || c != '=')
			bad("invalid argument to '%s'", w);
		if (w[2] == 'a')
			maxdepth = (int)(v > MAX_DEPTH ? MAX_DEPTH : v);
		else
			mindepth = (int)(v > MAX_DEPTH ? MAX_DEPTH : v);
		return mknode(N_TRUE);
	}
	if (strcmp(w, "-depth") == 0 || strcmp(w, "-d") == 0) {
		depthfirst = 1;
		return mknode(N_TRUE);
	}
	if (strcmp(w, "-xdev") == 0 || strcmp(w, "-mount") == 0 ||
	    strcmp(w, "-true") == 0 || strcmp(w, "-noleaf") == 0)
		return mknode(N_TRUE);
	if (strcmp(w, "-false") == 0)
		return mknode(N_FALSE);
	if (strcmp(w, "-follow") == 0) {
		follow = 2;
		return mknode(N_TRUE);
	}
	if (strcmp(w, "-name") == 0 || strcmp(w, "-iname") == 0 ||
	    strcmp(w, "-path") == 0 || strcmp(w, "-ipath") == 0 ||
	    strcmp(w, "-wholename") == 0 || strcmp(w, "-iwholename") == 0) {
		n = mknode(w[1] == 'n' ? N_NAME : w[1] == 'p' ||
		    w[1] == 'w' ? N_PATH : w[2] == 'n' ? N_INAME : N_IPATH);
		n->s = arg(w);
		return n;
	}
	if (strcmp(w, "-type") == 0) {
		n = mknode(N_TYPE);
		for (a = arg(w); *a != '\0'; a++) {
			static const char letters[] = "fdlbcps";
			static const mode_t fmts[] = { S_IFREG, S_IFDIR,
			    S_IFLNK, S_IFBLK, S_IFCHR, S_IFIFO, S_IFSOCK };
			const char *l = strchr(letters, *a);

			if (l == NULL || (a[1] != ',' && a[1] != '\0') ||
			    (a[1] == ',' && a[2] == '\0'))
				bad("unknown argument to -type: %s", a);
			n->types |= 1u << (fmts[l - letters] >> 12);
			if (a[1] == ',')
				a++;
		}
		return n;
	}
	if (strcmp(w, "-size") == 0) {
		n = mknode(N_SIZE);
		rest = number(w, arg(w), &n->cmp, &n->n);
		switch (*rest) {
		case '\0':
		case 'b': n->unit = 512; break;
		case 'c': n->unit = 1; break;
		case 'w': n->unit = 2; break;
		case 'k': n->unit = 1024; break;
		case 'M': n->unit = 1024 * 1024; break;
		case 'G': n->unit = 1024 * 1024 * 1024; break;
		default:
			bad("invalid -size argument '%s'", rest);
		}
		if (*rest != '\0' && rest[1] != '\0')
			bad("invalid -size argument '%s'", rest);
		return n;
	}
	if (strcmp(w, "-newer") == 0) {
		n = mknode(N_NEWER);
		a = arg(w);
		if (rump_sys_stat(a, &st) != 0) {
			fsu_warn("%s", a);
			exit(FSU_TROUBLE);
		}
		n->ref = st.st_mtim;
		return n;
	}
	if ((w[1] == 'm' || w[1] == 'a' || w[1] == 'c') &&
	    (strcmp(w + 2, "time") == 0 || strcmp(w + 2, "min") == 0)) {
		n = mknode(N_TIME);
		n->which = w[1];
		n->unit = w[2] == 't' ? 86400 : 60;
		if (*number(w, arg(w), &n->cmp, &n->n) != '\0')
			bad("invalid argument to '%s'", w);
		return n;
	}
	if (strcmp(w, "-empty") == 0)
		return mknode(N_EMPTY);
	if (strcmp(w, "-links") == 0 || strcmp(w, "-inum") == 0 ||
	    strcmp(w, "-uid") == 0 || strcmp(w, "-gid") == 0) {
		n = mknode(w[1] == 'l' ? N_LINKS : w[1] == 'i' ? N_INUM :
		    w[1] == 'u' ? N_UID : N_GID);
		if (*number(w, arg(w), &n->cmp, &n->n) != '\0')
			bad("invalid argument to '%s'", w);
		return n;
	}
	if (strcmp(w, "-user") == 0 || strcmp(w, "-group") == 0) {
		n = mknode(w[1] == 'u' ? N_UID : N_GID);
		n->cmp = '=';
		a = arg(w);
		if (*a >= '0' && *a <= '9' && *number(w, a, &c, &v) == '\0')
			n->n = v;
		else if (w[1] == 'u' && fsu_user_id(a, &uid, NULL) == 0)
			n->n = uid;
		else if (w[1] == 'g' && fsu_group_id(a, &gid) == 0)
			n->n = gid;
		else
			bad(w[1] == 'u' ? "'%s' is not the name of a known "
			    "user" : "'%s' is not the name of an existing "
			    "group", a);
		return n;
	}
	if (strcmp(w, "-perm") == 0) {
		n = mknode(N_PERM);
		a = arg(w);
		n->permkind = '=';
		if (*a == '-' || *a == '/' || *a == '+')
			n->permkind = *a == '+' ? '/' : *a, a++;
		if ((m = fsu_mode_parse(a)) == NULL)
			bad("invalid mode '%s'", a);
		n->perm = fsu_mode_apply(m, 0, 0) & 07777;
		fsu_mode_free(m);
		return n;
	}
	if (strcmp(w, "-print") == 0 || strcmp(w, "-print0") == 0) {
		have_action = 1;
		return mknode(w[6] == '0' ? N_PRINT0 : N_PRINT);
	}
	if (strcmp(w, "-prune") == 0)
		return mknode(N_PRUNE);
	if (strcmp(w, "-quit") == 0) {
		have_action = 1;
		return mknode(N_QUIT);
	}
	if (strcmp(w, "-delete") == 0 || strcmp(w, "-exec") == 0 ||
	    strcmp(w, "-execdir") == 0 || strcmp(w, "-ok") == 0)
		bad("'%s' is not supported (the image is read-only here)", w);
	if (w[0] == '-')
		bad("unknown predicate '%s'", w);
	bad("paths must precede expression: '%s'", w);
	return NULL;
}

static struct node *
parse_and(void)
{
	struct node *l, *n;

	l = parse_primary();
	while (pos < ntok && strcmp(tok[pos], "-o") != 0 &&
	    strcmp(tok[pos], "-or") != 0 && strcmp(tok[pos], ")") != 0) {
		if (strcmp(tok[pos], "-a") == 0 ||
		    strcmp(tok[pos], "-and") == 0) {
			pos++;
			if (pos >= ntok)
				bad("expected an expression after '%s'",
				    tok[pos - 1]);
		}
		n = mknode(N_AND);
		n->l = l;
		n->r = parse_primary();
		l = n;
	}
	return l;
}

static struct node *
parse_or(void)
{
	struct node *l, *n;

	if (pos >= ntok || strcmp(tok[pos], ")") == 0)
		bad("%s", "expected an expression");
	l = parse_and();
	while (pos < ntok && (strcmp(tok[pos], "-o") == 0 ||
	    strcmp(tok[pos], "-or") == 0)) {
		pos++;
		if (pos >= ntok)
			bad("expected an expression after '%s'", "-o");
		n = mknode(N_OR);
		n->l = l;
		n->r = parse_and();
		l = n;
	}
	return l;
}

/* The name -name matches: the last component, trailing slashes ignored. */
static const char *
last_name(const char *path, char *buf, size_t len)
{
	size_t end = strlen(path), start;

	while (end > 1 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (end == 1 && path[0] == '/')
		start = 0;
	if (end - start >= len)
		end = start + len - 1;
	memcpy(buf, path + start, end - start);
	buf[end - start] = '\0';
	return buf;
}

static int
cmpnum(char cmp, long long have, long long want)
{

	return cmp == '+' ? have > want : cmp == '-' ? have < want :
	    have == want;
}

static int
is_empty(const char *path, const struct rump_stat *st)
{
	char **names;
	size_t n;
	int empty;

	if ((st->st_mode & RUMP_S_IFMT) == RUMP_S_IFREG)
		return st->st_size == 0;
	if ((st->st_mode & RUMP_S_IFMT) != RUMP_S_IFDIR)
		return 0;
	if (fsu_readdir(path, &names, &n) != 0) {
		fsu_warn("%s", path);
		status = FSU_TROUBLE;
		return 0;
	}
	empty = n == 0;
	fsu_freenames(names, n);
	return empty;
}

static int
eval(const struct node *n, const char *path, const struct rump_stat *st,
    int *prune)
{
	const struct rump_timespec *t;
	char name[1024];
	long long v;
	mode_t perm;

	switch (n->type) {
	case N_AND:
		return eval(n->l, path, st, prune) &&
		    eval(n->r, path, st, prune);
	case N_OR:
		return eval(n->l, path, st, prune) ||
		    eval(n->r, path, st, prune);
	case N_NOT:
		return !eval(n->l, path, st, prune);
	case N_TRUE:
		return 1;
	case N_FALSE:
		return 0;
	case N_NAME:
	case N_INAME:
		return fnmatch(n->s, last_name(path, name, sizeof(name)),
		    n->type == N_INAME ? FNM_CASEFOLD : 0) == 0;
	case N_PATH:
	case N_IPATH:
		return fnmatch(n->s, path, n->type == N_IPATH ?
		    FNM_CASEFOLD : 0) == 0;
	case N_TYPE:
		return (n->types & (1u << ((st->st_mode & RUMP_S_IFMT) >>
		    12))) != 0;
	case N_SIZE:
		/* Rounded up to the unit, as find does. */
		v = (st->st_size + n->unit - 1) / n->unit;
		return cmpnum(n->cmp, v, n->n);
	case N_NEWER:
		return st->st_mtim.tv_sec > n->ref.tv_sec ||
		    (st->st_mtim.tv_sec == n->ref.tv_sec &&
		    st->st_mtim.tv_nsec > n->ref.tv_nsec);
	case N_TIME:
		t = n->which == 'a' ? &st->st_atim : n->which == 'm' ?
		    &st->st_mtim : &st->st_ctim;
		v = ((long long)now - t->tv_sec);
		/* Whole units ago, rounded down (negative: the future). */
		v = v >= 0 ? v / n->unit : -((-v + n->unit - 1) / n->unit);
		return cmpnum(n->cmp, v, n->n);
	case N_EMPTY:
		return is_empty(path, st);
	case N_LINKS:
		return cmpnum(n->cmp, st->st_nlink, n->n);
	case N_INUM:
		return cmpnum(n->cmp, (long long)st->st_ino, n->n);
	case N_UID:
		return cmpnum(n->cmp, st->st_uid, n->n);
	case N_GID:
		return cmpnum(n->cmp, st->st_gid, n->n);
	case N_PERM:
		perm = (mode_t)st->st_mode & 07777;
		if (n->permkind == '-')
			return (perm & n->perm) == n->perm;
		if (n->permkind == '/')
			return n->perm == 0 || (perm & n->perm) != 0;
		return perm == n->perm;
	case N_PRINT:
		printf("%s\n", path);
		return 1;
	case N_PRINT0:
		fputs(path, stdout);
		putchar('\0');
		return 1;
	case N_PRUNE:
		*prune = 1;
		return 1;
	case N_QUIT:
		quit = 1;
		return 1;
	}
	return 0;
}

/* Directories being walked, to notice a loop through links (-L). */
struct ancestor {
	uint64_t		dev, ino;
	const struct ancestor	*up;
};

static void
visit(const struct node *expr, const char *path, int depth,
    const struct ancestor *up)
{
	struct rump_stat st;
	const struct ancestor *a;
	struct ancestor me;
	char **names, *child;
	size_t n, i;
	int prune = 0, isdir, rv;

	if (quit)
		return;
	if (follow == 2 || (follow == 1 && depth == 0)) {
		/* A dangling link is still a link. */
		if ((rv = rump_sys_stat(path, &st)) != 0 && errno == ENOENT)
			rv = rump_sys_lstat(path, &st);
	} else
		rv = rump_sys_lstat(path, &st);
	if (rv != 0) {
		fsu_warn("%s", path);
		status = FSU_TROUBLE;
		return;
	}
	isdir = (st.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR;
	if (!depthfirst && depth >= mindepth)
		eval(expr, path, &st, &prune);
	if (!isdir || prune || quit || (maxdepth >= 0 && depth >= maxdepth))
		goto post;
	for (a = up; a != NULL; a = a->up) {
		if (a->dev == st.st_dev && a->ino == st.st_ino) {
			fsu_warnx("File system loop detected; '%s' is part "
			    "of the same file system loop", path);
			status = FSU_TROUBLE;
			goto post;
		}
	}
	if (depth >= MAX_DEPTH) {
		errno = ELOOP;
		fsu_warn("%s", path);
		status = FSU_TROUBLE;
		goto post;
	}
	if (fsu_readdir(path, &names, &n) != 0) {
		fsu_warn("%s", path);
		status = FSU_TROUBLE;
		goto post;
	}
	me.dev = st.st_dev;
	me.ino = st.st_ino;
	me.up = up;
	for (i = 0; i < n && !quit; i++) {
		child = fsu_join(path, names[i]);
		visit(expr, child, depth + 1, &me);
		free(child);
	}
	fsu_freenames(names, n);
post:
	if (depthfirst && depth >= mindepth && !quit)
		eval(expr, path, &st, &prune);
}

int
fsu_find_main(int argc, char **argv)
{
	struct node *expr, *n;
	char *dot[] = { ".", NULL }, **paths;
	int i, npaths;

	now = time(NULL);
	i = 1;
	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		return fsu_help();
	/* -H, -L, -P before the paths. */
	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0' &&
	    strchr("HLP", argv[i][1]) != NULL && argv[i][2] == '\0'; i++)
		follow = argv[i][1] == 'H' ? 1 : argv[i][1] == 'L' ? 2 : 0;
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	paths = argv + i;
	for (npaths = 0; i < argc; i++, npaths++) {
		if ((argv[i][0] == '-' && argv[i][1] != '\0') ||
		    strcmp(argv[i], "(") == 0 || strcmp(argv[i], "!") == 0)
			break;
	}
	if (npaths == 0) {
		paths = dot;
		npaths = 1;
	}
	tok = argv + i;
	ntok = argc - i;
	pos = 0;
	if (ntok == 0)
		expr = mknode(N_TRUE);
	else {
		expr = parse_or();
		if (pos < ntok)
			bad("unexpected '%s'", tok[pos]);
	}
	if (!have_action) {
		/* ( expr ) -print */
		n = mknode(N_AND);
		n->l = expr;
		n->r = mknode(N_PRINT);
		expr = n;
	}
	for (i = 0; i < npaths && !quit; i++)
		visit(expr, paths[i], 0, NULL);
	return status;
}
