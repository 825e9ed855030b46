/*
 * kern_component.c: the component registry and faction-ordered attach.
 *
 * component_register() may run from library constructors on any thread,
 * before the kernel exists: it pushes onto a lock-free list.  At boot,
 * component_attach_all() runs the init functions faction by faction
 * (kern, dev, vfs, net), each faction in registration order; at
 * shutdown, detach runs in exactly the reverse order.
 *
 * Locking: comp_list is atomic; attach and detach run single-threaded
 * in rump_init() and reboot.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/component.h>
#include <sys/kmem.h>

static struct rump_component *comp_list;	/* atomic; newest first */
static struct rump_component **comp_attached;	/* in attach order */
static int comp_nattached;
static int comp_cap;				/* slots in comp_attached */

static const char *const faction_names[RUMP_FACTION_COUNT] = {
	"kern", "dev", "vfs", "net",
};

void
component_register(struct rump_component *rc)
{
	struct rump_component *head;

	/* Statically linked, several libraries' constructors see rc. */
	if (!atomic_cas(&rc->rc_state, 0, RC_REGISTERED))
		return;
	do {
		head = atomic_load_relaxed(&comp_list);
		rc->rc_next = head;
	} while (!atomic_cas(&comp_list, head, rc));
}

int
component_attach_all(void)
{
	struct rump_component *rc, **order;
	int n = 0, i, f, error = 0;

	for (rc = atomic_load_acquire(&comp_list); rc != NULL; rc = rc->rc_next)
		n++;
	if (n == 0)
		return 0;
	if ((order = kmem_alloc(n * sizeof(*order), KM_SLEEP)) == NULL)
		return ENOMEM;
	/* The list is newest first; fill from the end to get oldest first. */
	i = n;
	for (rc = comp_list; rc != NULL; rc = rc->rc_next)
		order[--i] = rc;

	comp_attached = kmem_alloc(n * sizeof(*order), KM_SLEEP);
	if (comp_attached == NULL) {
		kmem_free(order, n * sizeof(*order));
		return ENOMEM;
	}
	comp_cap = n;
	/* Faction by faction; in each, its framework first. */
	for (f = 0; f < 2 * RUMP_FACTION_COUNT && error == 0; f++) {
		for (i = 0; i < n && error == 0; i++) {
			rc = order[i];
			if ((int)rc->rc_faction != f / 2 ||
			    (rc->rc_base != 0) != (f % 2 == 0))
				continue;
			aprint_verbose("component %s:%s\n",
			    faction_names[rc->rc_faction], rc->rc_name);
			error = rc->rc_init != NULL ? rc->rc_init() : 0;
			if (error) {
				printf("component %s:%s failed to attach: "
				    "error %d\n", faction_names[rc->rc_faction],
				    rc->rc_name, error);
				break;
			}
			rc->rc_state = RC_ATTACHED;
			comp_attached[comp_nattached++] = rc;
		}
	}
	kmem_free(order, n * sizeof(*order));
	if (error)
		component_detach_all();
	return error;
}

void
component_detach_all(void)
{
	struct rump_component *rc;

	while (comp_nattached > 0) {
		rc = comp_attached[--comp_nattached];
		if (rc->rc_detach != NULL)
			rc->rc_detach();
		rc->rc_state = RC_REGISTERED;
	}
	if (comp_attached != NULL) {
		kmem_free(comp_attached, comp_cap * sizeof(*comp_attached));
		comp_attached = NULL;
	}
}

int
component_describe(char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < comp_nattached && off < len; i++) {
		struct rump_component *rc = comp_attached[i];

		off += snprintf(buf + off, len - off, "%s%s:%s",
		    i > 0 ? " " : "", faction_names[rc->rc_faction],
		    rc->rc_name);
	}
	return comp_nattached;
}
