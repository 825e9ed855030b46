/*
 * rumpuser.h: the hypercall interface, the only way the kernel reaches
 * its host (DESIGN.md rule 2).  docs/rumpuser.md is its reference.
 *
 * A hypervisor (hyp/posix, later hyp/emscripten and hyp/bare) implements
 * every function declared here; the kernel calls nothing else of the
 * host.  The interface uses fixed-width integer types only and includes
 * nothing: include <stdint.h> (host) or the kernel's <sys/types.h> first.
 *
 * Conventions:
 *  - A hypercall returning int returns 0 or an errno value in the
 *    kernel's numbering (RUMP_E* of <rump/rumpdefs.h>); the hypervisor
 *    translates host errors.  A void hypercall cannot fail.
 *  - "Releases the CPU": a call that may block first gives back the
 *    calling thread's virtual CPU (hyp_unschedule) and takes one again
 *    (hyp_schedule) before it returns, so other threads run kernel code
 *    meanwhile.  The _nowrap variants block while keeping the CPU; the
 *    kernel uses them only for short critical sections and from threads
 *    that hold no CPU.
 */
#ifndef _RUMPUSER_H_
#define _RUMPUSER_H_

#define RUMPUSER_VERSION	1

/* Upcalls: what the kernel gives the hypervisor at rumpuser_init(). */
struct rumpuser_hyperup {
	/* Around a blocking host call: give the calling thread's virtual
	 * CPU back, and take one again.  Harmless for a thread that holds
	 * no CPU (both then do nothing). */
	void	(*hyp_schedule)(void);
	void	(*hyp_unschedule)(void);
	/* Make the calling host thread run kernel code: give it an LWP if
	 * it has none and a CPU (hyp_enter); give the CPU back (hyp_leave).
	 * For the hypervisor's own threads, e.g. block I/O completion. */
	void	(*hyp_enter)(void);
	void	(*hyp_leave)(void);
	/* A host thread whose LWP was set with RUMPUSER_LWP_IMPLICIT is
	 * exiting: release that LWP.  Called holding no CPU. */
	void	(*hyp_lwpexit)(void *lwp);
};

/* Once per process; EINVAL for another version, EBUSY the second time.
 * Until it returns, the upcalls are no-ops: a thread may wait in a
 * hypercall (a sleep, say) while another boots. */
int	rumpuser_init(int version, const struct rumpuser_hyperup *hyp);

/* Parameters.  Names the kernel asks for; values are NUL-terminated
 * strings.  ENOENT if not set, E2BIG if buflen is too small. */
#define RUMPUSER_PARAM_NCPU	"_RUMPUSER_NCPU"	/* RUMP_NCPU or host CPUs */
#define RUMPUSER_PARAM_HOSTNAME	"_RUMPUSER_HOSTNAME"	/* RUMP_HOSTNAME or host's */
#define RUMPUSER_PARAM_MACHINE	"_RUMPUSER_MACHINE"	/* host machine type */
#define RUMPUSER_PARAM_VERBOSE	"RUMP_VERBOSE"		/* boot messages if set */
#define RUMPUSER_PARAM_MEMLIMIT	"RUMP_MEMLIMIT"		/* bytes, k/m/g suffix */
int	rumpuser_getparam(const char *name, void *buf, uint64_t buflen);

/* Memory.  alignment is a power of two (0 means the natural one). */
int	rumpuser_malloc(uint64_t len, uint64_t alignment, void **memp);
void	rumpuser_free(void *mem, uint64_t len);

/* Console output and leaving.  The console keeps the CPU (the kernel
 * may print holding a spin mutex), so it should not block for long. */
void	rumpuser_console(const char *buf, uint64_t len);
#define RUMPUSER_EXIT_PANIC	(-1)
void	rumpuser_exit(int status) __attribute__((__noreturn__));

/* Set the host's errno for the calling thread from a kernel errno value:
 * the one place a kernel error becomes a host one (rule 6). */
void	rumpuser_seterrno(int error);

/* Clocks.  Time is seconds plus nanoseconds, nsec in [0, 1e9). */
#define RUMPUSER_CLOCK_WALL	0	/* wall clock, since the Epoch */
#define RUMPUSER_CLOCK_MONO	1	/* monotonic, arbitrary origin */
int	rumpuser_clock_gettime(int clk, int64_t *sec, int64_t *nsec);
#define RUMPUSER_SLEEP_REL	0	/* sleep for sec+nsec */
#define RUMPUSER_SLEEP_ABSMONO	1	/* until the monotonic clock reads it */
int	rumpuser_clock_sleep(int how, int64_t sec, int64_t nsec);

/* Random bytes.  Fills up to buflen bytes, *retlen says how many. */
#define RUMPUSER_RANDOM_NOWAIT	0x01	/* do not block for entropy */
int	rumpuser_getrandom(void *buf, uint64_t buflen, int flags,
	    uint64_t *retlen);

/* Threads.  fn runs on a new host thread holding no CPU and no LWP.
 * *cookiep is written only for a joinable thread, for thread_join. */
int	rumpuser_thread_create(void *(*fn)(void *), void *arg,
	    const char *name, int joinable, void **cookiep);
void	rumpuser_thread_exit(void) __attribute__((__noreturn__));
int	rumpuser_thread_join(void *cookie);

/* The calling thread's LWP, kept in thread-local storage. */
#define RUMPUSER_LWP_IMPLICIT	0x01	/* hyp_lwpexit(l) at thread exit */
void	*rumpuser_curlwp(void);
void	rumpuser_curlwp_set(void *lwp, int flags);

/* Mutexes. */
struct rumpuser_mtx;
#define RUMPUSER_MTX_SPIN	0x01	/* held briefly: spin before sleeping */
int	rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags);
void	rumpuser_mutex_enter(struct rumpuser_mtx *mtx);
void	rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *mtx);
int	rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx);	/* or EBUSY */
void	rumpuser_mutex_exit(struct rumpuser_mtx *mtx);
void	rumpuser_mutex_destroy(struct rumpuser_mtx *mtx);

/* Reader-writer locks. */
struct rumpuser_rw;
#define RUMPUSER_RW_READER	0
#define RUMPUSER_RW_WRITER	1
int	rumpuser_rw_init(struct rumpuser_rw **rwp);
void	rumpuser_rw_enter(struct rumpuser_rw *rw, int op);
void	rumpuser_rw_enter_nowrap(struct rumpuser_rw *rw, int op);
int	rumpuser_rw_tryenter(struct rumpuser_rw *rw, int op);	/* or EBUSY */
int	rumpuser_rw_tryupgrade(struct rumpuser_rw *rw);		/* or EBUSY */
void	rumpuser_rw_downgrade(struct rumpuser_rw *rw);
void	rumpuser_rw_exit(struct rumpuser_rw *rw);
void	rumpuser_rw_destroy(struct rumpuser_rw *rw);

/* Condition variables, used with a rumpuser_mtx held by the caller. */
struct rumpuser_cv;
int	rumpuser_cv_init(struct rumpuser_cv **cvp);
void	rumpuser_cv_destroy(struct rumpuser_cv *cv);
void	rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx);
void	rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv,
	    struct rumpuser_mtx *mtx);
/* Relative timeout; ETIMEDOUT when it passes. */
int	rumpuser_cv_timedwait(struct rumpuser_cv *cv,
	    struct rumpuser_mtx *mtx, int64_t sec, int64_t nsec);
int	rumpuser_cv_timedwait_nowrap(struct rumpuser_cv *cv,
	    struct rumpuser_mtx *mtx, int64_t sec, int64_t nsec);
void	rumpuser_cv_signal(struct rumpuser_cv *cv);
void	rumpuser_cv_broadcast(struct rumpuser_cv *cv);
int	rumpuser_cv_has_waiters(struct rumpuser_cv *cv, int *nwaitersp);

/* Host files, for block devices and the like. */
#define RUMPUSER_OPEN_RDONLY	0x00
#define RUMPUSER_OPEN_WRONLY	0x01
#define RUMPUSER_OPEN_RDWR	0x02
#define RUMPUSER_OPEN_ACCMODE	0x03
#define RUMPUSER_OPEN_CREATE	0x04	/* create if missing */
#define RUMPUSER_OPEN_EXCL	0x08	/* with CREATE: must not exist */
#define RUMPUSER_OPEN_BIO	0x10	/* will be used for block I/O */
int	rumpuser_open(const char *path, int flags, int *fdp);
int	rumpuser_close(int fd);

#define RUMPUSER_FT_OTHER	0
#define RUMPUSER_FT_DIR		1
#define RUMPUSER_FT_REG		2
#define RUMPUSER_FT_BLK		3
#define RUMPUSER_FT_CHR		4
int	rumpuser_getfileinfo(const char *path, uint64_t *sizep, int *typep);

struct rumpuser_iovec {
	void		*iov_base;
	uint64_t	iov_len;
};
#define RUMPUSER_IOV_NOSEEK	(-1)	/* use (and move) the file offset */
int	rumpuser_iovread(int fd, struct rumpuser_iovec *iov, uint64_t iovcnt,
	    int64_t off, uint64_t *retv);
int	rumpuser_iovwrite(int fd, const struct rumpuser_iovec *iov,
	    uint64_t iovcnt, int64_t off, uint64_t *retv);

/* Asynchronous block I/O.  The hypervisor transfers len bytes at off and
 * then calls done(arg, bytes transferred, error) on a thread holding a
 * virtual CPU: normally one of its own, but it may call done() before
 * rumpuser_bio returns, on the caller's thread (bad arguments, no
 * resources), so the caller must not hold a lock done() takes.  Errors
 * come only through done(); a read past the end is a short count. */
#define RUMPUSER_BIO_READ	0x01
#define RUMPUSER_BIO_WRITE	0x02
#define RUMPUSER_BIO_SYNC	0x04	/* write reaches stable storage */
#define RUMPUSER_BIO_WAITED	0x08	/* hint: the caller only waits for it */
typedef void (*rumpuser_biodone_fn)(void *arg, uint64_t done, int error);
void	rumpuser_bio(int fd, int op, void *data, uint64_t len, int64_t off,
	    rumpuser_biodone_fn done, void *arg);

#define RUMPUSER_SYNCFD_READ	0x01
#define RUMPUSER_SYNCFD_WRITE	0x02
#define RUMPUSER_SYNCFD_BARRIER	0x04
#define RUMPUSER_SYNCFD_SYNC	0x08
int	rumpuser_syncfd(int fd, int flags, uint64_t start, uint64_t len);

#endif /* _RUMPUSER_H_ */
