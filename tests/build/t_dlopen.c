/*
 * t_dlopen.c: rule 3 with shared libraries.  A program linked with the
 * shared kernel dlopen()s a component library before rump_init(); its
 * components (the ktest ones, four factions) register themselves from
 * the library's constructor and attach at boot, in faction order.
 *
 * Usage: t_dlopen [component.so]; by default the ktest library beside
 * the build's tests.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include "../tap.h"

int
main(int argc, char **argv)
{
	char path[4096], comps[256], *log;
	const char *b = getenv("RUMP_BUILD");
	int name[2] = { RUMP_CTL_KERN, RUMP_KERN_COMPONENTS };
	size_t len = sizeof(comps);
	void *h;

	if (argc > 1)
		snprintf(path, sizeof(path), "%s", argv[1]);
	else
		snprintf(path, sizeof(path), "%s/tests/lib/librumpktest.so",
		    b != NULL ? b : "build");
	h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	if (!ok(h != NULL, "dlopen the component library"))
		diag("%s", dlerror());
	if (!ok(rump_init() == 0, "rump_init") || h == NULL)
		return tap_done();
	ok(rump_sys_sysctl(name, 2, comps, &len, NULL, 0) == 0 &&
	    strcmp(comps, "kern:ktest_kern dev:ktest_dev vfs:ktest_vfs "
	    "net:ktest_net") == 0, "its components attached in faction "
	    "order: \"%s\"", comps);
	log = dlsym(h, "rump_ktest_complog");
	ok(log != NULL && strcmp(log, " +kern +dev +vfs +net") == 0,
	    "their init hooks ran once each");
	ok(rump_reboot(RUMP_RB_HALT) == 0 && log != NULL &&
	    strcmp(log, " +kern +dev +vfs +net -net -vfs -dev -kern") == 0,
	    "and detached in reverse at shutdown");
	return tap_done();
}
