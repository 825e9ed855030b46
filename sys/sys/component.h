/*
 * component.h: driver components (rule 3).
 *
 * A component declares itself with RUMP_COMPONENT(); the declaration
 * lands in the library's link set, and a constructor in every kernel
 * library (kern_linkset.c) registers the set's members when the library
 * is loaded.  rump_init() then runs the init functions in faction order
 * (kern, dev, vfs, net), and shutdown runs the detach functions in the
 * reverse order.  Within a faction, its framework (declared with
 * RUMP_COMPONENT_BASE: the VFS for the file systems, later the network
 * stack for its drivers) attaches before the rest.
 */
#ifndef _SYS_COMPONENT_H_
#define _SYS_COMPONENT_H_

#include <sys/types.h>

enum rump_faction {
	RUMP_FACTION_KERN = 0,
	RUMP_FACTION_DEV,
	RUMP_FACTION_VFS,
	RUMP_FACTION_NET,
	RUMP_FACTION_COUNT
};

struct rump_component {
	enum rump_faction	rc_faction;
	const char		*rc_name;
	int			(*rc_init)(void);	/* errno */
	void			(*rc_detach)(void);
	int			rc_base;	/* the faction's framework */
	struct rump_component	*rc_next;	/* registration list */
	int			rc_state;	/* RC_* */
};

#define RC_REGISTERED	1
#define RC_ATTACHED	2

#define RUMP_COMPONENT_DECL(faction, name, init, detach, base)		\
	static struct rump_component __CONCAT(rumpcomp_, name) = {	\
		.rc_faction = (faction),				\
		.rc_name = #name,					\
		.rc_init = (init),					\
		.rc_detach = (detach),					\
		.rc_base = (base),					\
	};								\
	__link_set_add_data(rump_components, __CONCAT(rumpcomp_, name))
#define RUMP_COMPONENT(faction, name, init, detach)			\
	RUMP_COMPONENT_DECL(faction, name, init, detach, 0)
#define RUMP_COMPONENT_BASE(faction, name, init, detach)		\
	RUMP_COMPONENT_DECL(faction, name, init, detach, 1)

void	component_register(struct rump_component *);
int	component_attach_all(void);
void	component_detach_all(void);
/* "kern:sysctl vfs:tmpfs ..." of attached components. */
int	component_describe(char *, size_t);

#endif /* _SYS_COMPONENT_H_ */
