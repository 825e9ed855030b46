/*
 * kmem.h: the kernel memory allocator.
 *
 * Small sizes come from size-classed caches of host memory, large ones
 * straight from the host.  Every byte taken from the host counts
 * against RUMP_MEMLIMIT: past it kmem_alloc returns NULL, whatever the
 * flags, and the caller turns that into ENOMEM.  Callers always check.
 * kmem_free must be given the size that was allocated.
 */
#ifndef _SYS_KMEM_H_
#define _SYS_KMEM_H_

#include <sys/types.h>

typedef unsigned int km_flag_t;
#define KM_SLEEP	0x01	/* may wait (no reclaim yet: same as NOSLEEP) */
#define KM_NOSLEEP	0x02

void	*kmem_alloc(size_t, km_flag_t);
void	*kmem_zalloc(size_t, km_flag_t);
void	 kmem_free(void *, size_t);
char	*kmem_strdup(const char *, km_flag_t);
void	 kmem_strfree(char *);

struct rump_kmemstat;
void	 kmem_init(void);
/* Fill up to n entries, return how many classes there are. */
int	 kmem_getstats(struct rump_kmemstat *, int n);
uint64_t kmem_hostbytes(void);		/* bytes held from the host */
/* Fault injection, for tests: fail the nth kmem_alloc from now, and
 * with every set, every one after it too (0: off). */
void	 kmem_fault_set(u_int nth, bool every);
uint64_t kmem_limit(void);		/* 0: no limit */

#endif /* _SYS_KMEM_H_ */
