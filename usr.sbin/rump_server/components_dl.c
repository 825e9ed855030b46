/*
 * components_dl.c: rump_server's components, dlopen()ed as -l names
 * them (interface in components.h).
 *
 * The program is linked with the shared kernel (librump, librumpuser)
 * only; without -l it is a bare kernel.  A -l name is one of
 *
 *   vfs tmpfs etfs ffs   a component this program knows, by its short
 *                        name or its library's file name
 *                        (librumpfs_ffs.so, librumpfs_ffs.so.0); the
 *                        components it needs come with it: the VFS
 *                        always with tmpfs, its root file system, and
 *                        etfs and ffs with both
 *   all                  every component above
 *   a library            a name with "/" or ".so" in it, loaded as
 *                        given; what it needs must be named before it
 *
 * The known components load first, in dependency order (vfs, tmpfs,
 * etfs, ffs), then the other libraries in command-line order.  Each is
 * dlopen()ed with RTLD_NOW, so that a missing dependency is an error
 * here rather than a crash at first use, and RTLD_GLOBAL, so that the
 * libraries after it link against it.  File names are found by the
 * dynamic linker's rules: this program's run path ($ORIGIN/../lib,
 * which is the build's lib/ beside bin/ as much as PREFIX/lib beside
 * PREFIX/bin), LD_LIBRARY_PATH, the system's directories.
 *
 * Locking: none; main() calls these before any thread exists.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "components.h"

const char comp_progname[] = "rump_server";

/* Bit i is known[i]; the table is in loading order. */
#define C_VFS	0x1
#define C_TMPFS	0x2
#define C_ETFS	0x4
#define C_FFS	0x8

static const struct known {
	const char	*k_name;	/* short name */
	const char	*k_lib;		/* file name, by soname */
	unsigned int	k_needs;	/* C_*: itself and what it needs */
} known[] = {
	{ "vfs",	"librumpvfs.so.0",	C_VFS | C_TMPFS },
	{ "tmpfs",	"librumpfs_tmpfs.so.0",	C_VFS | C_TMPFS },
	{ "etfs",	"librumpdev_etfs.so.0",	C_VFS | C_TMPFS | C_ETFS },
	{ "ffs",	"librumpfs_ffs.so.0",	C_VFS | C_TMPFS | C_FFS },
};
#define NKNOWN	(sizeof(known) / sizeof(known[0]))

#define MAXEXTRA 32

static unsigned int wanted;		/* C_* */
static const char *wanted_by[NKNOWN];	/* the -l name that brought it */
static const char *extra[MAXEXTRA];	/* other libraries, in order */
static int nextra;

/* Is name known[i], by its short name or its library's file name? */
static int
is_known(const char *name, size_t i)
{
	size_t n = strlen(known[i].k_lib) - 2;	/* without ".0" */

	return strcmp(name, known[i].k_name) == 0 ||
	    strcmp(name, known[i].k_lib) == 0 ||
	    (strlen(name) == n && strncmp(name, known[i].k_lib, n) == 0);
}

static int
request_one(const char *name)
{
	size_t i;

	if (*name == '\0') {
		fprintf(stderr, "%s: -l: an empty component name\n",
		    comp_progname);
		return EINVAL;
	}
	if (strcmp(name, "all") == 0) {
		for (i = 0; i < NKNOWN; i++)
			if (wanted_by[i] == NULL)
				wanted_by[i] = name;
		wanted |= C_VFS | C_TMPFS | C_ETFS | C_FFS;
		return 0;
	}
	for (i = 0; i < NKNOWN; i++) {
		if (is_known(name, i)) {
			size_t j;

			for (j = 0; j < NKNOWN; j++)
				if ((known[i].k_needs & (1u << j)) &&
				    wanted_by[j] == NULL)
					wanted_by[j] = name;
			wanted |= known[i].k_needs;
			return 0;
		}
	}
	if (strchr(name, '/') == NULL && strstr(name, ".so") == NULL) {
		fprintf(stderr, "%s: -l %s: no such component (vfs, tmpfs, "
		    "etfs, ffs or all; or a library file, lib*.so or a path)\n",
		    comp_progname, name);
		return ENOENT;
	}
	if (nextra == MAXEXTRA) {
		fprintf(stderr, "%s: -l %s: more than %d libraries\n",
		    comp_progname, name, MAXEXTRA);
		return E2BIG;
	}
	extra[nextra++] = name;
	return 0;
}

int
comp_request(const char *arg)
{
	char *copy, *rest, *name;
	int error = 0;

	/* A copy, split in place: the command line stays as given (ps,
	 * pkill -f).  It lives as long as the program, since wanted_by[]
	 * and extra[] point into it. */
	if ((copy = strdup(arg)) == NULL) {
		fprintf(stderr, "%s: %s\n", comp_progname, strerror(errno));
		return ENOMEM;
	}
	rest = copy;
	while (error == 0 && (name = strsep(&rest, ",")) != NULL)
		error = request_one(name);
	return error;
}

static int
load(const char *lib, const char *why, int verbose)
{
	const char *err, *hint;

	if (dlopen(lib, RTLD_NOW | RTLD_GLOBAL) != NULL) {
		if (verbose)
			fprintf(stderr, "%s: loaded %s\n", comp_progname, lib);
		return 0;
	}
	/* dlerror() names the library; for one that -l did not name,
	 * say which -l brought it in. */
	if ((err = dlerror()) == NULL)
		err = "cannot load";
	hint = strstr(err, "undefined symbol") != NULL ?
	    " (name what it needs before it: -l vfs, ...)" : "";
	if (why != lib)
		fprintf(stderr, "%s: -l %s: %s%s\n", comp_progname, why, err,
		    hint);
	else
		fprintf(stderr, "%s: %s%s\n", comp_progname, err, hint);
	return ENOENT;
}

int
comp_load(int verbose)
{
	size_t i;
	int j, error;

	for (i = 0; i < NKNOWN; i++)
		if ((wanted & (1u << i)) &&
		    (error = load(known[i].k_lib, wanted_by[i], verbose)) != 0)
			return error;
	for (j = 0; j < nextra; j++)
		if ((error = load(extra[j], extra[j], verbose)) != 0)
			return error;
	return 0;
}

void *
comp_symbol(const char *name)
{

	return dlsym(RTLD_DEFAULT, name);
}
