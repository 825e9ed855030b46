/*
 * kern_lockdebug.c: the lock-order checker (built with LOCKDEBUG).
 *
 * A lock's class is the place it was initialised (mutex_init and
 * rw_init pass __FILE__:__LINE__).  Each LWP keeps the classes it holds;
 * taking class B while holding A records the edge A->B in a hash table,
 * and taking A while holding B once A->B is known is a lock-order
 * reversal, which panics naming both.  Only direct reversals are found
 * (no cycle search through third classes).  Nesting two locks of one
 * class is allowed.
 *
 * Locking: ld_lock (a host spin mutex) over the edge table; the held
 * list belongs to its LWP.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/lockdebug.h>
#include <sys/lwp.h>
#include <rumpuser.h>

#ifdef LOCKDEBUG

#define LD_NEDGES	4096		/* power of two */

struct ld_edge {
	const char	*e_from;
	const char	*e_to;
};

static struct ld_edge *ld_edges;
static u_int ld_nedges;
static bool ld_full;
static struct rumpuser_mtx *ld_lock;

void
lockdebug_init(void)
{
	void *mem;

	if (ld_edges != NULL)
		return;
	if (rumpuser_malloc(LD_NEDGES * sizeof(struct ld_edge), 0, &mem) != 0 ||
	    rumpuser_mutex_init(&ld_lock, RUMPUSER_MTX_SPIN) != 0)
		panic("lockdebug_init: no host memory");
	memset(mem, 0, LD_NEDGES * sizeof(struct ld_edge));
	ld_edges = mem;
}

/* The slot of edge from->to, or the empty slot where it would go. */
static struct ld_edge *
ld_slot(const char *from, const char *to)
{
	uintptr_t h = ((uintptr_t)from * 31 + (uintptr_t)to) >> 3;
	struct ld_edge *e;
	u_int i;

	for (i = 0; i < LD_NEDGES; i++) {
		e = &ld_edges[(h + i) & (LD_NEDGES - 1)];
		if (e->e_from == NULL || (e->e_from == from && e->e_to == to))
			return e;
	}
	return NULL;
}

void
lockdebug_acquire(const char *cls)
{
	struct lwp *l = curlwp;
	struct ld_edge *e;
	const char *held;
	int i;

	if (l == NULL || ld_edges == NULL)
		return;
	rumpuser_mutex_enter_nowrap(ld_lock);
	for (i = 0; i < l->l_nheld && i < LOCKDEBUG_MAXHELD; i++) {
		held = l->l_held[i];
		if (held == cls)
			continue;
		e = ld_slot(cls, held);
		if (e != NULL && e->e_from != NULL)
			panic("lock order reversal: took %s while holding %s, "
			    "but %s was earlier taken while holding %s",
			    cls, held, held, cls);
		e = ld_slot(held, cls);
		if (e != NULL && e->e_from == NULL &&
		    ld_nedges < LD_NEDGES / 2) {
			e->e_from = held;
			e->e_to = cls;
			ld_nedges++;
		} else if (e == NULL || e->e_from == NULL) {
			if (!ld_full)
				printf("lockdebug: edge table full\n");
			ld_full = true;
		}
	}
	rumpuser_mutex_exit(ld_lock);
	if (l->l_nheld < LOCKDEBUG_MAXHELD)
		l->l_held[l->l_nheld] = cls;
	l->l_nheld++;
}

void
lockdebug_release(const char *cls)
{
	struct lwp *l = curlwp;
	int i;

	if (l == NULL || l->l_nheld == 0)
		return;
	l->l_nheld--;
	if (l->l_nheld >= LOCKDEBUG_MAXHELD)
		return;
	/* Release the most recent entry of this class. */
	for (i = l->l_nheld; i >= 0; i--) {
		if (l->l_held[i] == cls) {
			for (; i < l->l_nheld; i++)
				l->l_held[i] = l->l_held[i + 1];
			return;
		}
	}
	panic("lockdebug_release: %s released but not held", cls);
}

#else

/* Without LOCKDEBUG the entry points are empty inlines in lockdebug.h. */
typedef int lockdebug_empty_unit;

#endif /* LOCKDEBUG */
