/*
 * kern_kmem.c: the kernel memory allocator.
 *
 * Requests up to KMEM_MAXSMALL bytes are rounded up to one of a few
 * dozen size classes (multiples of 16, at most 25% waste).  Each class
 * carves objects from slabs: naturally aligned blocks of host memory
 * (16 KiB, or 64 KiB for objects over 1 KiB) that start with a header,
 * so kmem_free finds an object's slab by masking its address.  A slab
 * hands out never-used objects from a cursor (so untouched memory stays
 * untouched) and freed ones from its own free list; a slab whose
 * objects are all free goes back to the host, except one per class
 * kept against churn.  Larger requests go straight to the host.
 *
 * Every byte taken from the host is charged to kmem_host_bytes; with a
 * limit (RUMP_MEMLIMIT) a charge that would pass it fails and
 * kmem_alloc returns NULL.  Per-class statistics are exported through
 * sysctl vm.kmemstats.
 *
 * Locking: each class has a host spin mutex (kc_lock) over its slab
 * lists, its slabs and its statistics.  kmem sits below the kernel's
 * own locks and runs without curlwp or a CPU, so it uses hypercall
 * mutexes directly.  kmem_host_bytes is atomic.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/queue.h>
#include <rumpuser.h>

#define KMEM_ALIGN	16
#define KMEM_MAXSMALL	4096

struct kmem_freeobj {
	struct kmem_freeobj	*kf_next;
};

struct kmem_slab {
	LIST_ENTRY(kmem_slab)	sl_link;	/* on kc_partial or kc_full */
	struct kmem_freeobj	*sl_free;	/* freed objects */
	char			*sl_cursor;	/* next never-used object */
	u_int			sl_nfree;	/* free + never used */
};
#define KMEM_SLABHDR	roundup(sizeof(struct kmem_slab), KMEM_ALIGN)

LIST_HEAD(kmem_slablist, kmem_slab);

struct kmem_class {
	struct rumpuser_mtx	*kc_lock;
	size_t			kc_size;	/* c: object size */
	size_t			kc_slabsize;	/* c: power of two */
	u_int			kc_perslab;	/* c: objects per slab */
	struct kmem_slablist	kc_partial;	/* l: slabs with room */
	struct kmem_slablist	kc_full;	/* l */
	u_int			kc_nempty;	/* l: empty slabs kept */
	struct rump_kmemstat	kc_stat;	/* l */
};

static const uint16_t kmem_sizes[] = {
	16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384,
	448, 512, 640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560, 3072,
	3584, 4096,
};
#define KMEM_NCLASS	__arraycount(kmem_sizes)

static struct kmem_class kmem_classes[KMEM_NCLASS + 1];	/* + large */
#define KMEM_LARGE	(&kmem_classes[KMEM_NCLASS])
/* class index for each size in 16-byte steps */
static uint8_t kmem_index[KMEM_MAXSMALL / KMEM_ALIGN + 1];

static uint64_t kmem_host_bytes;	/* atomic */
static u_int kmem_fault_countdown;	/* atomic: 0 off */
static bool kmem_fault_every;		/* c while armed */
static uint64_t kmem_maxbytes;		/* c: 0 means no limit */

static int
kmem_parse_limit(const char *s, uint64_t *limp)
{
	uint64_t v, mult = 1;
	char *end;
	int error;

	error = strtou64(s, &end, 0, &v);
	if (error)
		return error;
	switch (*end) {
	case 'k': case 'K': mult = 1ULL << 10; end++; break;
	case 'm': case 'M': mult = 1ULL << 20; end++; break;
	case 'g': case 'G': mult = 1ULL << 30; end++; break;
	}
	if (*end != '\0' || v > UINT64_MAX / mult)
		return EINVAL;
	*limp = v * mult;
	return 0;
}

void
kmem_init(void)
{
	char buf[32];
	size_t sz;
	u_int i, c;

	for (i = 0; i <= KMEM_NCLASS; i++) {
		struct kmem_class *kc = &kmem_classes[i];

		if (rumpuser_mutex_init(&kc->kc_lock, RUMPUSER_MTX_SPIN))
			panic("kmem_init: no host memory for locks");
		LIST_INIT(&kc->kc_partial);
		LIST_INIT(&kc->kc_full);
		if (i < KMEM_NCLASS) {
			kc->kc_size = kmem_sizes[i];
			kc->kc_slabsize = kc->kc_size > 1024 ? 65536 : 16384;
			kc->kc_perslab = (u_int)((kc->kc_slabsize -
			    KMEM_SLABHDR) / kc->kc_size);
			snprintf(kc->kc_stat.ks_name,
			    sizeof(kc->kc_stat.ks_name), "kmem-%zu",
			    kc->kc_size);
		} else {
			strlcpy(kc->kc_stat.ks_name, "kmem-large",
			    sizeof(kc->kc_stat.ks_name));
		}
		kc->kc_stat.ks_size = kc->kc_size;
	}
	for (c = 0, i = 0; i < __arraycount(kmem_index); i++) {
		sz = (size_t)i * KMEM_ALIGN;
		while (kmem_sizes[c] < sz)
			c++;
		kmem_index[i] = (uint8_t)c;
	}

	kmem_maxbytes = 0;
	if (rumpuser_getparam(RUMPUSER_PARAM_MEMLIMIT, buf, sizeof(buf)) == 0 &&
	    kmem_parse_limit(buf, &kmem_maxbytes) != 0) {
		printf("kmem: ignoring bad RUMP_MEMLIMIT \"%s\"\n", buf);
		kmem_maxbytes = 0;
	}
}

/* Take n bytes of host memory, within the limit. */
static void *
kmem_host_alloc(size_t n, size_t align)
{
	void *p;
	uint64_t now;

	now = atomic_add_nv(&kmem_host_bytes, n);
	if (kmem_maxbytes != 0 && now > kmem_maxbytes) {
		atomic_sub_nv(&kmem_host_bytes, n);
		return NULL;
	}
	if (rumpuser_malloc(n, align, &p) != 0) {
		atomic_sub_nv(&kmem_host_bytes, n);
		return NULL;
	}
	return p;
}

static void
kmem_host_free(void *p, size_t n)
{

	rumpuser_free(p, n);
	atomic_sub_nv(&kmem_host_bytes, n);
}

static inline struct kmem_class *
kmem_class_of(size_t size)
{

	return &kmem_classes[kmem_index[howmany(size, KMEM_ALIGN)]];
}

static void *
kmem_large_alloc(size_t size)
{
	struct kmem_class *kc = KMEM_LARGE;
	void *p;

	p = kmem_host_alloc(size, KMEM_ALIGN);
	rumpuser_mutex_enter_nowrap(kc->kc_lock);
	if (p != NULL) {
		kc->kc_stat.ks_allocs++;
		kc->kc_stat.ks_inuse += size;
		kc->kc_stat.ks_host += size;
	} else
		kc->kc_stat.ks_fails++;
	rumpuser_mutex_exit(kc->kc_lock);
	return p;
}

void
kmem_fault_set(u_int nth, bool every)
{

	kmem_fault_every = every;
	atomic_store_seq(&kmem_fault_countdown, nth);
}

/* Should this allocation fail on purpose? */
static bool
kmem_fault(void)
{
	u_int n;

	do {
		if ((n = atomic_load_relaxed(&kmem_fault_countdown)) == 0)
			return false;
		if (n == 1 && kmem_fault_every)
			return true;
	} while (!atomic_cas(&kmem_fault_countdown, n, n - 1));
	return n == 1;
}

void *
kmem_alloc(size_t size, km_flag_t flags __unused)
{
	struct kmem_class *kc;
	struct kmem_slab *sl;
	struct kmem_freeobj *kf;
	void *p;

	KASSERT(size > 0);
	if (__predict_false(kmem_fault_countdown != 0) && kmem_fault()) {
		kc = size > KMEM_MAXSMALL ? KMEM_LARGE : kmem_class_of(size);
		rumpuser_mutex_enter_nowrap(kc->kc_lock);
		kc->kc_stat.ks_fails++;
		rumpuser_mutex_exit(kc->kc_lock);
		return NULL;
	}
	if (size > KMEM_MAXSMALL)
		return kmem_large_alloc(size);

	kc = kmem_class_of(size);
	rumpuser_mutex_enter_nowrap(kc->kc_lock);
	if ((sl = LIST_FIRST(&kc->kc_partial)) == NULL) {
		sl = kmem_host_alloc(kc->kc_slabsize, kc->kc_slabsize);
		if (sl == NULL) {
			kc->kc_stat.ks_fails++;
			rumpuser_mutex_exit(kc->kc_lock);
			return NULL;
		}
		sl->sl_free = NULL;
		sl->sl_cursor = (char *)sl + KMEM_SLABHDR;
		sl->sl_nfree = kc->kc_perslab;
		LIST_INSERT_HEAD(&kc->kc_partial, sl, sl_link);
		kc->kc_stat.ks_host += kc->kc_slabsize;
	} else if (sl->sl_nfree == kc->kc_perslab) {
		kc->kc_nempty--;
	}
	if ((kf = sl->sl_free) != NULL) {
		sl->sl_free = kf->kf_next;
		p = kf;
	} else {
		p = sl->sl_cursor;
		sl->sl_cursor += kc->kc_size;
	}
	if (--sl->sl_nfree == 0) {
		LIST_REMOVE(sl, sl_link);
		LIST_INSERT_HEAD(&kc->kc_full, sl, sl_link);
	}
	kc->kc_stat.ks_allocs++;
	kc->kc_stat.ks_inuse += kc->kc_size;
	rumpuser_mutex_exit(kc->kc_lock);
	return p;
}

void *
kmem_zalloc(size_t size, km_flag_t flags)
{
	void *p;

	if ((p = kmem_alloc(size, flags)) != NULL)
		memset(p, 0, size);
	return p;
}

void
kmem_free(void *p, size_t size)
{
	struct kmem_class *kc;
	struct kmem_slab *sl;
	struct kmem_freeobj *kf = p;

	KASSERT(p != NULL && size > 0);
	if (size > KMEM_MAXSMALL) {
		kc = KMEM_LARGE;
		kmem_host_free(p, size);
		rumpuser_mutex_enter_nowrap(kc->kc_lock);
		kc->kc_stat.ks_frees++;
		kc->kc_stat.ks_inuse -= size;
		kc->kc_stat.ks_host -= size;
		rumpuser_mutex_exit(kc->kc_lock);
		return;
	}
	kc = kmem_class_of(size);
	sl = (struct kmem_slab *)((uintptr_t)p & ~(uintptr_t)(kc->kc_slabsize - 1));
	rumpuser_mutex_enter_nowrap(kc->kc_lock);
	KASSERTMSG(sl->sl_nfree < kc->kc_perslab,
	    "kmem_free: %p of size %zu: its slab has nothing in use", p, size);
	kf->kf_next = sl->sl_free;
	sl->sl_free = kf;
	if (sl->sl_nfree++ == 0) {
		LIST_REMOVE(sl, sl_link);
		LIST_INSERT_HEAD(&kc->kc_partial, sl, sl_link);
	}
	kc->kc_stat.ks_frees++;
	kc->kc_stat.ks_inuse -= kc->kc_size;
	if (sl->sl_nfree == kc->kc_perslab) {
		/* Empty: keep one per class, give the rest back. */
		if (kc->kc_nempty == 0) {
			kc->kc_nempty++;
		} else {
			LIST_REMOVE(sl, sl_link);
			kc->kc_stat.ks_host -= kc->kc_slabsize;
			kmem_host_free(sl, kc->kc_slabsize);
		}
	}
	rumpuser_mutex_exit(kc->kc_lock);
}

char *
kmem_strdup(const char *s, km_flag_t flags)
{
	size_t len = strlen(s) + 1;
	char *p;

	if ((p = kmem_alloc(len, flags)) != NULL)
		memcpy(p, s, len);
	return p;
}

void
kmem_strfree(char *s)
{

	kmem_free(s, strlen(s) + 1);
}

int
kmem_getstats(struct rump_kmemstat *ks, int n)
{
	int i;

	for (i = 0; i < (int)__arraycount(kmem_classes) && i < n; i++) {
		struct kmem_class *kc = &kmem_classes[i];

		rumpuser_mutex_enter_nowrap(kc->kc_lock);
		ks[i] = kc->kc_stat;
		rumpuser_mutex_exit(kc->kc_lock);
	}
	return (int)__arraycount(kmem_classes);
}

uint64_t
kmem_hostbytes(void)
{

	return atomic_load_relaxed(&kmem_host_bytes);
}

uint64_t
kmem_limit(void)
{

	return kmem_maxbytes;
}
