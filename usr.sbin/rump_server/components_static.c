/*
 * components_static.c: rump_allserver's components: all of them,
 * linked in (interface in components.h).
 *
 * The program is rump_server statically linked with the kernel and
 * every component library (vfs, tmpfs, etfs, ffs), nothing to load.
 * -l is accepted for command lines written for rump_server and only
 * checks that it names one of them (short name, "all", or library file
 * name, with or without a directory); anything else is an error, since
 * it cannot be loaded into this program.
 *
 * Locking: none; main() calls these before any thread exists.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include "components.h"

const char comp_progname[] = "rump_allserver";

static const char *const linked[] = {
	"vfs", "librumpvfs",
	"tmpfs", "librumpfs_tmpfs",
	"etfs", "librumpdev_etfs",
	"ffs", "librumpfs_ffs",
	"all", NULL
};

/* Is name one of linked[], allowing lib*.so and lib*.so.0 forms? */
static int
is_linked(const char *name, size_t len)
{
	const char *base;
	size_t i, n, blen;

	for (base = name + len; base > name && base[-1] != '/'; base--)
		;
	blen = len - (size_t)(base - name);
	for (i = 0; linked[i] != NULL; i++) {
		n = strlen(linked[i]);
		if (blen < n || strncmp(base, linked[i], n) != 0)
			continue;
		if (blen == n && base == name)
			return 1;	/* a short name, no directory */
		if (strncmp(linked[i], "lib", 3) == 0 &&
		    ((blen == n + 3 && strncmp(base + n, ".so", 3) == 0) ||
		    (blen == n + 5 && strncmp(base + n, ".so.0", 5) == 0)))
			return 1;
	}
	return 0;
}

int
comp_request(const char *arg)
{
	const char *p = arg, *comma;
	size_t len;

	/* Names separated by commas, each checked in place. */
	for (;;) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (!is_linked(p, len)) {
			fprintf(stderr, "%s: -l %.*s: not linked into %s (it "
			    "has vfs, tmpfs, etfs and ffs); rump_server loads "
			    "other libraries\n", comp_progname, (int)len, p,
			    comp_progname);
			return ENOENT;
		}
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

int
comp_load(int verbose __attribute__((__unused__)))
{

	return 0;
}

void *
comp_symbol(const char *name)
{

	if (strcmp(name, "rump_etfs_register") == 0)
		return (void *)rump_etfs_register;
	return NULL;
}
