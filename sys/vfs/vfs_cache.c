/*
 * vfs_cache.c: the name cache, (directory vnode, name) -> vnode.
 *
 * namei consults it before asking the file system, and enters what
 * the file system found.  Entries hold no vnode references: instead
 * every way a vnode can go away purges its entries first (vnode_free,
 * vnode_kill, and the file systems' inactive routines before they
 * decide to free), and removals and renames purge the names they
 * change.  Only positive entries are kept, and not "." or "..", so a
 * create never has to purge anything.  The cache holds at most
 * NC_MAX entries, reusing the least recently used.
 *
 * A lookup that raced with a removal or a rename must not enter what
 * it found after that name was purged: the entry would outlive the
 * name.  So every purge bumps nc_gen, namei notes it before asking
 * the file system (cache_gen) and cache_enter_gen enters nothing if it
 * moved; an entry made before the purge is removed by it.
 *
 * Locking: nc_lock over everything here.  A hit takes its reference
 * (vnode_activate) under nc_lock, so a vnode cannot be freed between
 * being found and being referenced: its purge would wait for nc_lock.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/queue.h>
#include <sys/vnode.h>
#include "vfs_private.h"

#define NC_HASHSIZE	1024		/* power of two */
#define NC_MAX		8192
#define NC_NAMELEN	31		/* longer names are not cached */

struct ncentry {
	LIST_ENTRY(ncentry)	nc_hash;
	TAILQ_ENTRY(ncentry)	nc_lru;
	LIST_ENTRY(ncentry)	nc_vplink;	/* on nc_vp->v_nclist */
	LIST_ENTRY(ncentry)	nc_dvplink;	/* on nc_dvp->v_dnclist */
	struct vnode		*nc_dvp;
	struct vnode		*nc_vp;
	uint8_t			nc_len;
	char			nc_name[NC_NAMELEN];
};

static kmutex_t nc_lock;
static LIST_HEAD(, ncentry) nc_hash[NC_HASHSIZE];
static TAILQ_HEAD(, ncentry) nc_lru = TAILQ_HEAD_INITIALIZER(nc_lru);
static u_int nc_count;
static uint64_t nc_hits, nc_misses;
static uint64_t nc_gen;			/* nc_lock, atomic: purges */

void
nc_init(void)
{
	int i;

	mutex_init(&nc_lock, MUTEX_DEFAULT, IPL_NONE);
	for (i = 0; i < NC_HASHSIZE; i++)
		LIST_INIT(&nc_hash[i]);
}

static u_int
nc_hashof(struct vnode *dvp, const char *name, size_t len)
{
	uint32_t h = (uint32_t)((uintptr_t)dvp >> 4);
	size_t i;

	for (i = 0; i < len; i++)
		h = h * 33 + (uint8_t)name[i];
	return h & (NC_HASHSIZE - 1);
}

static struct ncentry *
nc_find(struct vnode *dvp, const char *name, size_t len)
{
	struct ncentry *nc;

	KASSERT(mutex_owned(&nc_lock));
	LIST_FOREACH(nc, &nc_hash[nc_hashof(dvp, name, len)], nc_hash)
		if (nc->nc_dvp == dvp && nc->nc_len == len &&
		    memcmp(nc->nc_name, name, len) == 0)
			return nc;
	return NULL;
}

static void
nc_remove(struct ncentry *nc)
{

	KASSERT(mutex_owned(&nc_lock));
	LIST_REMOVE(nc, nc_hash);
	TAILQ_REMOVE(&nc_lru, nc, nc_lru);
	LIST_REMOVE(nc, nc_vplink);
	LIST_REMOVE(nc, nc_dvplink);
	nc_count--;
	kmem_free(nc, sizeof(*nc));
}

/* A referenced vnode for name in dvp, or NULL. */
struct vnode *
cache_lookup(struct vnode *dvp, const char *name, size_t len)
{
	struct ncentry *nc;
	struct vnode *vp = NULL;

	if (len > NC_NAMELEN)
		return NULL;
	mutex_enter(&nc_lock);
	if ((nc = nc_find(dvp, name, len)) != NULL) {
		vp = nc->nc_vp;
		vnode_activate(vp);
		TAILQ_REMOVE(&nc_lru, nc, nc_lru);
		TAILQ_INSERT_TAIL(&nc_lru, nc, nc_lru);
		nc_hits++;
	} else
		nc_misses++;
	mutex_exit(&nc_lock);
	return vp;
}

/* Note before a file-system lookup whose result may be entered. */
uint64_t
cache_gen(void)
{

	/* Pairs with the increments: seeing a purge means the lookup
	 * after this sees the change that preceded it. */
	return atomic_load_acquire(&nc_gen);
}

void
cache_enter(struct vnode *dvp, struct vnode *vp, const char *name,
    size_t len)
{

	cache_enter_gen(dvp, vp, name, len, cache_gen());
}

/* Enter what a lookup found, unless a purge came since gen. */
void
cache_enter_gen(struct vnode *dvp, struct vnode *vp, const char *name,
    size_t len, uint64_t gen)
{
	struct ncentry *nc;

	if (len > NC_NAMELEN || (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return;
	/* Allocated outside the lock; a failure just means no entry. */
	if ((nc = kmem_alloc(sizeof(*nc), KM_SLEEP)) == NULL)
		return;
	nc->nc_dvp = dvp;
	nc->nc_vp = vp;
	nc->nc_len = (uint8_t)len;
	memcpy(nc->nc_name, name, len);
	mutex_enter(&nc_lock);
	if (nc_gen != gen || nc_find(dvp, name, len) != NULL) {
		mutex_exit(&nc_lock);
		kmem_free(nc, sizeof(*nc));
		return;
	}
	if (nc_count >= NC_MAX)
		nc_remove(TAILQ_FIRST(&nc_lru));
	LIST_INSERT_HEAD(&nc_hash[nc_hashof(dvp, name, len)], nc, nc_hash);
	TAILQ_INSERT_TAIL(&nc_lru, nc, nc_lru);
	LIST_INSERT_HEAD(&vp->v_nclist, nc, nc_vplink);
	LIST_INSERT_HEAD(&dvp->v_dnclist, nc, nc_dvplink);
	nc_count++;
	mutex_exit(&nc_lock);
}

/* Forget name in dvp (removed or renamed away). */
void
cache_purge_name(struct vnode *dvp, const char *name, size_t len)
{
	struct ncentry *nc;

	if (len > NC_NAMELEN)
		return;
	mutex_enter(&nc_lock);
	atomic_inc_nv(&nc_gen);
	if ((nc = nc_find(dvp, name, len)) != NULL)
		nc_remove(nc);
	mutex_exit(&nc_lock);
}

/* Forget every entry naming vp or inside it (it is going away). */
void
cache_purge(struct vnode *vp)
{
	struct ncentry *nc;

	mutex_enter(&nc_lock);
	atomic_inc_nv(&nc_gen);
	while ((nc = LIST_FIRST(&vp->v_nclist)) != NULL)
		nc_remove(nc);
	while ((nc = LIST_FIRST(&vp->v_dnclist)) != NULL)
		nc_remove(nc);
	mutex_exit(&nc_lock);
}

void
cache_stats(uint64_t *hits, uint64_t *misses, u_int *count)
{

	mutex_enter(&nc_lock);
	*hits = nc_hits;
	*misses = nc_misses;
	*count = nc_count;
	mutex_exit(&nc_lock);
}
