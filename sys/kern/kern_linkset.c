/*
 * kern_linkset.c: register this library's components.
 *
 * Compiled into every kernel library (librump and each component
 * library).  Its constructor walks the library's own link set of
 * RUMP_COMPONENT declarations when the library is loaded, whether at
 * program start or by dlopen(), and registers them for rump_init().
 * Statically linked, several libraries share one link set; registering
 * a component twice is harmless.
 */
#include <sys/types.h>
#include <sys/component.h>

__link_set_decl(rump_components, struct rump_component);

static void __attribute__((__constructor__))
linkset_register(void)
{
	struct rump_component *const *rcp;

	if (__link_set_start(rump_components) == NULL)
		return;
	for (rcp = __link_set_start(rump_components);
	    rcp < __link_set_end(rump_components); rcp++)
		component_register(*rcp);
}
