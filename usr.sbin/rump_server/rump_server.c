/*
 * rump_server: a rump kernel in a process of its own, serving remote
 * system calls (docs/sysproxy.md) on a unix or TCP socket.
 *
 *	rump_server [-sv] [-c ncpu] [-l component[,...]]... [-r memlimit]
 *	    [-d key=<dev>,hostpath=<file>[,size=<n>][,type=blk|blkro]]...
 *	    [-m type=ffs|tmpfs,special=<dev>,dir=<path>[,ro][,force]]...
 *	    URL
 *
 * Each connection is a kernel process (rump_lwproc_rfork with an empty
 * descriptor table); each of its requests runs in an LWP of that
 * process, a call that takes long on a thread of its own ("connections"
 * below).  When the connection goes, the process goes with it and its
 * descriptors are closed.  A system call's pointer arguments are
 * rewritten to point at local copies of the regions the client sent
 * (SP_IN) or declared (SP_OUT), after the sizes the call's arguments
 * imply (lib/sp/sp_calls.h) are checked against them: the kernel's own
 * copyin and copyout then work as for a local caller, and can never
 * reach past what the message holds.  A malformed message closes its
 * connection only.
 *
 * The same source makes two programs, which differ only in how they
 * get their components (components.h): rump_server, on the shared
 * kernel, dlopen()s what -l names (a bare kernel without: processes,
 * descriptors, pipes); rump_allserver has every component linked in
 * and -l only checks the name.  -d loads etfs and -m the file system
 * it names, as if given with -l.  Components are loaded before the
 * daemon forks, so a missing one makes the command fail at once.
 *
 * A client's reboot (rump.halt) shuts the kernel down, flushing its
 * file systems, and ends the server.  Exit status: 0 at a halt, 1 on
 * errors (a component that will not load included), 2 for usage.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include "sp_msg.h"
#include "sp_calls.h"
#include "sp_localize.h"
#include "components.h"

static const char *progname = comp_progname;
static int verbose;
static const char *secret;
static const char *unlink_path;		/* our unix socket, at halt */

static void
usage(FILE *out)
{

	fprintf(out, "usage: %s [-sv] [-c ncpu] [-l component[,...]]... "
	    "[-r memlimit]\n"
	    "\t[-d key=dev,hostpath=file[,size=n][,type=blk|blkro]]...\n"
	    "\t[-m type=ffs|tmpfs,special=dev,dir=/path[,ro][,force]]... "
	    "URL\n"
	    "URL: unix://path, unix:///absolute/path or tcp://addr:port\n"
	    "component: vfs, tmpfs, etfs, ffs, all, or a library "
	    "(lib*.so, a path)\n",
	    progname);
}

/* ---- connections ---- */

/*
 * A connection is a kernel process.  Its requests are served on host
 * threads of its own, each bound to an LWP of the process, so that a
 * call that blocks (read on an empty pipe) holds up only itself.
 *
 * The threads take turns at reading.  The one that has read a request
 * serves it itself, still counted as the reader (sc_server), and reads
 * the next one after replying: a quick call costs no thread switch.
 * If the call takes longer than a tick of the watcher (a thread for
 * the whole server, watch_thread(), ticking every WATCH_MS while any
 * call is being served), the watcher hands the reader role to an idle
 * thread, or starts one (up to CONN_MAXTHREADS), and the call goes on
 * in its own thread.  A thread that finishes a call and finds someone
 * reading waits as one of at most CONN_KEEPIDLE idle threads, or ends.
 * A thread's LWP is made while another LWP of the process is known to
 * be in a call, so the process surely exists.  With CONN_MAXTHREADS in
 * calls, requests wait for one to finish.
 *
 * sc_gen counts the execs the client announced (SP_HS_EXEC): a reply
 * to a request read before one is dropped, since the image that asked
 * is gone and the new one must not see it.
 *
 * When the connection ends (EOF, an error, a malformed message), the
 * threads end as they finish; if some are still in a call, the
 * process is interrupted (rump_lwproc_interrupt: its sleeps on pipes,
 * FIFOs, poll, locks and nanosleep end with EINTR) and its descriptors
 * are closed, as at exit.  The process goes with its last LWP, the
 * socket with the last thread.
 *
 * Locking: l = sc_lock, w = sc_wlock (a whole message out at a time),
 * W = watch_lock, c = constant; sc_gen is written under both l and w,
 * read under either.  Order: watch_lock, sc_lock, sc_wlock.
 */
#define CONN_MAXTHREADS	128
#define CONN_KEEPIDLE	2
#define WATCH_MS	1	/* a call this long gets a thread */
#define WATCH_LINGER	100	/* idle ticks before the watcher sleeps */

struct sconn {
	int		sc_fd;		/* c */
	rump_pid_t	sc_pid;		/* c: the connection's process */
	pthread_mutex_t	sc_lock;
	pthread_mutex_t	sc_wlock;
	pthread_cond_t	sc_cv;		/* l: the reader role is free */
	uint64_t	sc_gen;		/* l+w: execs announced */
	int		sc_nthreads;	/* l: serving threads */
	int		sc_nidle;	/* l: ... waiting for the role */
	bool		sc_reading;	/* l: one of them is reading */
	const void	*sc_server;	/* l: ... or serving, then reading */
	uint64_t	sc_servetick;	/* l: since this tick */
	bool		sc_closing;	/* l: the connection is over */
	struct sconn	*sc_next;	/* W: on watch_list */
};

/* A thread to start: its connection and the LWP made for it. */
struct spawn {
	struct sconn	*sp_sc;
	struct lwp	*sp_lwp;
};

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_cv;		/* W: kicked */
static pthread_once_t watch_once = PTHREAD_ONCE_INIT;
static struct sconn *watch_list;	/* W: every connection */
static bool watch_kicked;		/* W */
static bool watch_running;		/* c after watch_once */
static atomic_bool watch_sleeping = true;	/* W to write; no ticks now */
static atomic_uint_fast64_t watch_tick;	/* the watcher's clock */

/*
 * Send len bytes of whole messages for a request read in generation
 * gen: 0, or -1 when the connection failed.  A reply to an image that
 * has exec'd since is dropped.
 */
static int
conn_send(struct sconn *sc, uint64_t gen, const uint8_t *buf, size_t len)
{
	int rc = 0;

	pthread_mutex_lock(&sc->sc_wlock);
	if (gen == sc->sc_gen && sp_write_full(sc->sc_fd, buf, len) != 0)
		rc = -1;
	pthread_mutex_unlock(&sc->sc_wlock);
	return rc;
}

/*
 * The reply to reqno, preceded by SP_SIGNAL sig for the same request
 * when sig is not 0 (the client raises it as the call returns).
 */
static int
send_resp(struct sconn *sc, uint64_t gen, uint64_t reqno, int error,
    const uint64_t rv[2], const struct sp_region *r, uint32_t nr, int sig)
{
	size_t cap = 2 * SP_HDRSIZE + 16, len = 0, n;
	uint8_t *buf;
	uint32_t i;
	int rc;

	for (i = 0; i < nr; i++)
		cap += 16 + ((r[i].len + 7) & ~(uint64_t)7);
	if ((buf = malloc(cap)) == NULL)
		return -1;
	if (sig != 0)
		len = sp_build_simple(buf, cap, SP_SIGNAL, reqno,
		    (uint32_t)sig, 0, NULL, 0);
	n = sp_build_resp(buf + len, cap - len, reqno, (uint32_t)error, rv, r,
	    nr);
	rc = n == 0 ? -1 : conn_send(sc, gen, buf, len + n);
	free(buf);
	return rc;
}

/*
 * The kernel has no signals yet; until it does, the server raises the
 * one a client can cause, as NetBSD's write path does: SIGPIPE for a
 * write that failed with EPIPE (a pipe whose reader has gone).
 */
static int
call_signal(uint32_t num, int error)
{

	if (error == RUMP_EPIPE && (num == RUMP_SYS_write ||
	    num == RUMP_SYS_writev || num == RUMP_SYS_pwrite))
		return SP_SIGPIPE;
	return 0;
}

/* ---- one system call ---- */

static int
serve_syscall(struct sconn *sc, uint64_t gen, const struct sp_msg *m)
{
	struct call c = { .m = m };
	struct sp_region out[SP_MAXREGIONS + 1];
	uint64_t args[SP_NARGS], rv[2] = { 0, 0 };
	const struct sp_call *spc;
	uint64_t left;
	uint32_t nout = 0;
	int error, i, rc;

	memcpy(args, m->args, sizeof(args));
	if (m->h.a == 0 || m->h.a >= (uint32_t)sp_ncalls ||
	    (spc = &sp_calls[m->h.a])->sc_name == NULL)
		error = RUMP_ENOSYS;
	else if (m->h.a == RUMP_SYS_reboot) {
		/* rump.halt: the kernel shuts down (flushing file systems
		 * unless RB_NOSYNC) and returns; after the reply, so does
		 * the server.  The kernel checks the client is root. */
		args[0] |= RUMP_RB_HALT;
		error = rump_syscall(RUMP_SYS_reboot, args, 1, rv);
		if (error == 0) {
			(void)send_resp(sc, gen, m->h.reqno, 0, rv, NULL, 0,
			    0);
			if (verbose)
				fprintf(stderr, "%s: halted\n", progname);
			if (unlink_path != NULL)
				(void)unlink(unlink_path);
			_exit(0);
		}
	} else if ((error = sp_localize_args(&c, spc, args)) == 0)
		error = rump_syscall((int)m->h.a, args, spc->sc_nargs, rv);
	if (verbose)
		fprintf(stderr, "%s: %s = %d\n", progname,
		    error == RUMP_ENOSYS ? "?" : sp_calls[m->h.a].sc_name,
		    error);
	/* What the call wrote; with a byte count for a return value, only
	 * as much as it says (in order, over an iovec's buffers). */
	left = rv[0];
	for (i = 0; error == 0 && i < c.nloc; i++) {
		if (!c.loc[i].out)
			continue;
		out[nout].uaddr = c.loc[i].uaddr;
		out[nout].len = c.loc[i].len;
		if (c.loc[i].ret) {
			if (out[nout].len > left)
				out[nout].len = left;
			left -= out[nout].len;
			if (out[nout].len == 0)
				continue;
		}
		out[nout].dir = SP_IN;
		out[nout].data = c.loc[i].buf;
		nout++;
	}
	rc = send_resp(sc, gen, m->h.reqno, error, rv, out, nout,
	    call_signal(m->h.a, error));
	sp_call_free(&c);
	return rc;
}

/* ---- forks ---- */

/*
 * A client that forks (or, through rump_lwproc_rfork, wants another
 * process of its own) asks with SP_FORKREQ: the connection's process
 * gets a child, parked here under a random cookie until a new
 * connection presents it in its handshake (SP_HS_FORK) and adopts it.
 * A child nobody adopts within fork_wait seconds ($RUMP_SERVER_FORKWAIT,
 * default 30) is discarded by fork_reaper(), so it cannot hold files
 * forever: the parent cannot say whether its host fork() worked, and
 * the parent's connection may well end before the child adopts (a
 * parent that forks and exits), so the time is the one sure sign.
 * Locking: fork_lock over forks[]; fork_cv: a child was parked.
 */
#define NFORKS		64
#define FORKWAIT	30

static pthread_mutex_t fork_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fork_cv;
static pthread_once_t fork_once = PTHREAD_ONCE_INIT;
static bool fork_reaping;		/* c after fork_once */
static time_t fork_wait = FORKWAIT;	/* c after fork_once */
static struct {
	uint8_t		cookie[SP_COOKIELEN];
	struct lwp	*lwp;		/* NULL: free slot */
	time_t		deadline;	/* CLOCK_MONOTONIC seconds */
} forks[NFORKS];

static time_t
mono_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Discard the children whose time is up; sleep until the next is. */
static void *
fork_reaper(void *arg)
{
	struct lwp *gone[NFORKS];
	struct timespec ts;
	time_t now, next;
	int i, n;

	(void)arg;
	pthread_mutex_lock(&fork_lock);
	for (;;) {
		now = mono_sec();
		next = 0;
		for (i = n = 0; i < NFORKS; i++) {
			if (forks[i].lwp == NULL)
				continue;
			if (forks[i].deadline <= now) {
				gone[n++] = forks[i].lwp;
				forks[i].lwp = NULL;
			} else if (next == 0 || forks[i].deadline < next)
				next = forks[i].deadline;
		}
		if (n > 0) {
			pthread_mutex_unlock(&fork_lock);
			if (verbose)
				fprintf(stderr, "%s: %d unclaimed child "
				    "process(es) discarded\n", progname, n);
			/* The child exits with its only LWP, closing what
			 * it held. */
			for (i = 0; i < n; i++) {
				rump_lwproc_switch(gone[i]);
				rump_lwproc_releaselwp();
			}
			pthread_mutex_lock(&fork_lock);
			continue;
		}
		if (next == 0)
			pthread_cond_wait(&fork_cv, &fork_lock);
		else {
			ts.tv_sec = next;
			ts.tv_nsec = 0;
			(void)pthread_cond_timedwait(&fork_cv, &fork_lock, &ts);
		}
	}
	return NULL;
}

static void
fork_start(void)
{
	pthread_condattr_t ca;
	pthread_attr_t ta;
	pthread_t t;
	const char *s = getenv("RUMP_SERVER_FORKWAIT");
	char *end;
	long v;

	if (s != NULL) {
		v = strtol(s, &end, 10);
		if (*s != '\0' && *end == '\0' && v > 0 && v <= 86400)
			fork_wait = (time_t)v;
	}
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&fork_cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_attr_init(&ta);
	pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
	fork_reaping = pthread_create(&t, &ta, fork_reaper, NULL) == 0;
	pthread_attr_destroy(&ta);
}

static void
make_cookie(uint8_t *c)
{
	static uint64_t ctr;
	uint64_t x;
	int i, fd;

	/* Unguessable enough to keep clients apart: /dev/urandom, with
	 * a counter and the time mixed in should it be missing. */
	if ((fd = open("/dev/urandom", O_RDONLY)) >= 0) {
		if (read(fd, c, SP_COOKIELEN) == SP_COOKIELEN) {
			close(fd);
			return;
		}
		close(fd);
	}
	x = (uint64_t)time(NULL) * 6364136223846793005ULL + ++ctr;
	for (i = 0; i < SP_COOKIELEN; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		c[i] = (uint8_t)(x >> 56);
	}
}

/* SP_FORKREQ: a child of this connection's process; 0 or an errno. */
static int
fork_child(int flags, uint8_t *cookie)
{
	struct lwp *parent = rump_lwproc_curlwp(), *child;
	int i, error = 0;

	if (flags != RUMP_RFFDG && flags != RUMP_RFCFDG)
		return RUMP_EINVAL;
	pthread_once(&fork_once, fork_start);
	if (!fork_reaping)
		return RUMP_EAGAIN;	/* none would ever be discarded */
	pthread_mutex_lock(&fork_lock);
	for (i = 0; i < NFORKS && forks[i].lwp != NULL; i++)
		;
	if (i == NFORKS)
		error = RUMP_EAGAIN;	/* too many unclaimed */
	else if (rump_lwproc_rfork(flags) != 0)
		error = RUMP_ENOMEM;
	else {
		child = rump_lwproc_curlwp();
		rump_lwproc_switch(parent);	/* the child waits, parked */
		make_cookie(forks[i].cookie);
		forks[i].lwp = child;
		forks[i].deadline = mono_sec() + fork_wait;
		memcpy(cookie, forks[i].cookie, SP_COOKIELEN);
		pthread_cond_signal(&fork_cv);
	}
	pthread_mutex_unlock(&fork_lock);
	return error;
}

/* SP_HS_FORK: take the child with this cookie; 0 or an errno. */
static int
fork_adopt(const uint8_t *cookie)
{
	struct lwp *l = NULL;
	int i;

	pthread_mutex_lock(&fork_lock);
	for (i = 0; i < NFORKS; i++) {
		if (forks[i].lwp != NULL &&
		    memcmp(forks[i].cookie, cookie, SP_COOKIELEN) == 0) {
			l = forks[i].lwp;
			forks[i].lwp = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&fork_lock);
	if (l == NULL)
		return RUMP_ESRCH;
	rump_lwproc_switch(l);
	return 0;
}

/* ---- serving a connection ---- */

/* The process ends: close all its descriptors, as exit does. */
static void
conn_closefds(void)
{
	int fd;

	for (fd = 0; fd < RUMP_OPEN_MAX; fd++)
		(void)rump_sys_close(fd);
}

/*
 * SP_HS_EXEC on a working connection: the client's new image announces
 * itself.  Close the close-on-exec descriptors, drop replies still due
 * to the old image, and answer.
 */
static int
conn_exec(struct sconn *sc, uint64_t reqno)
{
	uint8_t out[SP_HDRSIZE + 16];
	uint64_t rv[2] = { 0, 0 };
	size_t len;
	int fd, rc = 0, fl;

	for (fd = 0; fd < RUMP_OPEN_MAX; fd++)
		if ((fl = rump_sys_fcntl(fd, RUMP_F_GETFD, 0)) != -1 &&
		    (fl & RUMP_FD_CLOEXEC))
			(void)rump_sys_close(fd);
	len = sp_build_resp(out, sizeof(out), reqno, 0, rv, NULL, 0);
	pthread_mutex_lock(&sc->sc_lock);
	pthread_mutex_lock(&sc->sc_wlock);
	sc->sc_gen++;
	if (len == 0 || sp_write_full(sc->sc_fd, out, len) != 0)
		rc = -1;
	pthread_mutex_unlock(&sc->sc_wlock);
	pthread_mutex_unlock(&sc->sc_lock);
	return rc;
}

/* One request read in generation gen: 0, or -1 to end the connection. */
static int
conn_dispatch(struct sconn *sc, const struct sp_msg *m, uint64_t gen)
{
	uint8_t cookie[SP_COOKIELEN];
	struct sp_region r = { 0, SP_COOKIELEN, SP_IN, cookie };
	uint64_t rv[2] = { 0, 0 };
	int e;

	switch (m->h.type) {
	case SP_SYSCALL:
		return serve_syscall(sc, gen, m);
	case SP_FORKREQ:
		e = fork_child((int)m->h.a, cookie);
		return send_resp(sc, gen, m->h.reqno, e, rv, &r, e ? 0 : 1, 0);
	case SP_HANDSHAKE:
		if (m->h.a == SP_VERSION && m->h.b == SP_HS_EXEC)
			return conn_exec(sc, m->h.reqno);
		return -1;
	default:
		return -1;	/* nothing else is a client's to send */
	}
}

/*
 * The connection is over: wake everyone.  The socket stays open until
 * the process has gone (the last thread closes it): a client that
 * waits for the end of the connection (rump_lwproc_releaselwp) then
 * knows that what the process held is released.  sc_lock held.
 */
static void
conn_close(struct sconn *sc)
{
	bool busy;

	if (sc->sc_closing)
		return;
	sc->sc_closing = true;
	pthread_cond_broadcast(&sc->sc_cv);
	/* Others in a call (not this one, not the idle ones) may wait
	 * for what only this process's descriptors would bring. */
	busy = sc->sc_nthreads - sc->sc_nidle > 1;
	if (busy) {
		pthread_mutex_unlock(&sc->sc_lock);
		/* Their sleeps end (EINTR), whatever they wait for. */
		rump_lwproc_interrupt();
		conn_closefds();
		pthread_mutex_lock(&sc->sc_lock);
	}
}

/* The last thread of a connection has gone: free it. */
static void
conn_free(struct sconn *sc)
{
	struct sconn **pp;

	pthread_mutex_lock(&watch_lock);
	for (pp = &watch_list; *pp != NULL && *pp != sc; pp = &(*pp)->sc_next)
		;
	if (*pp != NULL)
		*pp = sc->sc_next;
	pthread_mutex_unlock(&watch_lock);
	close(sc->sc_fd);
	pthread_mutex_destroy(&sc->sc_lock);
	pthread_mutex_destroy(&sc->sc_wlock);
	pthread_cond_destroy(&sc->sc_cv);
	free(sc);
}

/*
 * A serving thread, in its own LWP of the connection's process: read
 * requests and serve them (see "connections" above) until the
 * connection is over or enough threads wait.
 */
static void
conn_serve(struct sconn *sc)
{
	uint8_t *buf = NULL;
	size_t cap = 0;
	struct sp_msg m;
	uint64_t gen;
	bool last;
	int error;

	pthread_mutex_lock(&sc->sc_lock);
	for (;;) {
		while ((sc->sc_reading || sc->sc_server != NULL) &&
		    !sc->sc_closing && sc->sc_nidle < CONN_KEEPIDLE) {
			sc->sc_nidle++;
			pthread_cond_wait(&sc->sc_cv, &sc->sc_lock);
			sc->sc_nidle--;
		}
		if (sc->sc_closing || sc->sc_reading || sc->sc_server != NULL)
			break;
		sc->sc_reading = true;
		pthread_mutex_unlock(&sc->sc_lock);
		error = sp_recv(sc->sc_fd, &buf, &cap, &m);
		pthread_mutex_lock(&sc->sc_lock);
		sc->sc_reading = false;
		if (error != 0) {
			conn_close(sc);
			break;
		}
		gen = sc->sc_gen;
		/* Serve it here, the watcher keeping an eye on the time. */
		sc->sc_server = &buf;
		sc->sc_servetick = atomic_load(&watch_tick);
		pthread_mutex_unlock(&sc->sc_lock);
		if (atomic_load(&watch_sleeping)) {
			pthread_mutex_lock(&watch_lock);
			watch_kicked = true;
			pthread_cond_signal(&watch_cv);
			pthread_mutex_unlock(&watch_lock);
		}
		error = conn_dispatch(sc, &m, gen);
		pthread_mutex_lock(&sc->sc_lock);
		if (sc->sc_server == &buf)
			sc->sc_server = NULL;
		if (error != 0)
			conn_close(sc);
	}
	last = --sc->sc_nthreads == 0;
	pthread_mutex_unlock(&sc->sc_lock);
	free(buf);
	rump_lwproc_releaselwp();	/* the process goes with the last */
	if (last)
		conn_free(sc);
}

static void *
conn_thread(void *arg)
{
	struct spawn *sp = arg;
	struct sconn *sc = sp->sp_sc;

	rump_lwproc_switch(sp->sp_lwp);
	free(sp);
	conn_serve(sc);
	return NULL;
}

/*
 * Start the thread the watcher made an LWP for; on failure the LWP and
 * the thread's place go again.
 */
static void
watch_spawn(const struct spawn *want)
{
	struct sconn *sc = want->sp_sc;
	struct spawn *sp;
	pthread_attr_t ta;
	pthread_t t;
	bool last;
	int error = ENOMEM;

	if ((sp = malloc(sizeof(*sp))) != NULL) {
		*sp = *want;
		pthread_attr_init(&ta);
		pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
		error = pthread_create(&t, &ta, conn_thread, sp);
		pthread_attr_destroy(&ta);
	}
	if (error == 0)
		return;
	free(sp);
	rump_lwproc_switch(want->sp_lwp);
	rump_lwproc_releaselwp();
	pthread_mutex_lock(&sc->sc_lock);
	last = --sc->sc_nthreads == 0;
	pthread_mutex_unlock(&sc->sc_lock);
	if (last)
		conn_free(sc);
}

/*
 * Hand the reader role of every connection whose reader has been in a
 * call for a whole tick to another thread: an idle one, or one to
 * start (made into want[], *np of them).  true if any connection has
 * a reader in a call.  watch_lock held.
 */
static bool
watch_scan(uint64_t tick, struct spawn *want, int *np, int max)
{
	struct sconn *sc;
	bool serving = false;

	for (sc = watch_list; sc != NULL; sc = sc->sc_next) {
		pthread_mutex_lock(&sc->sc_lock);
		if (sc->sc_server == NULL || sc->sc_closing) {
			pthread_mutex_unlock(&sc->sc_lock);
			continue;
		}
		serving = true;
		if (tick == 0 || tick - sc->sc_servetick < 2) {
			pthread_mutex_unlock(&sc->sc_lock);
			continue;
		}
		/* Slow: its call goes on alone, someone else reads. */
		sc->sc_server = NULL;
		if (sc->sc_nidle > 0)
			pthread_cond_signal(&sc->sc_cv);
		else if (sc->sc_nthreads < CONN_MAXTHREADS && *np < max &&
		    rump_lwproc_newlwp(sc->sc_pid) == 0) {
			/* The LWP in a call keeps the process, and its
			 * pid, while sc_lock is held. */
			want[*np].sp_sc = sc;
			want[*np].sp_lwp = rump_lwproc_curlwp();
			rump_lwproc_switch(NULL);
			sc->sc_nthreads++;
			(*np)++;
		}
		pthread_mutex_unlock(&sc->sc_lock);
	}
	return serving;
}

/*
 * The watcher: every WATCH_MS, watch_scan().  When no call has been
 * served for WATCH_LINGER ticks it sleeps until a reader that starts
 * serving one kicks it (watch_sleeping, watch_kicked): a reader that
 * saw watch_sleeping false had marked its call before the scan that
 * follows setting it, so the scan sees the call.
 */
static void *
watch_thread(void *arg)
{
	struct spawn want[16];
	struct timespec ts;
	uint64_t tick;
	int i, n, idle = WATCH_LINGER;

	(void)arg;
	pthread_mutex_lock(&watch_lock);
	for (;;) {
		if (idle >= WATCH_LINGER) {
			atomic_store(&watch_sleeping, true);
			n = 0;
			if (!watch_scan(0, want, &n, 0))
				while (!watch_kicked)
					pthread_cond_wait(&watch_cv,
					    &watch_lock);
			watch_kicked = false;
			atomic_store(&watch_sleeping, false);
			idle = 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += WATCH_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		(void)pthread_cond_timedwait(&watch_cv, &watch_lock, &ts);
		tick = atomic_fetch_add(&watch_tick, 1) + 1;
		n = 0;
		idle = watch_scan(tick, want, &n,
		    (int)(sizeof(want) / sizeof(want[0]))) ? 0 : idle + 1;
		if (n > 0) {
			pthread_mutex_unlock(&watch_lock);
			for (i = 0; i < n; i++)
				watch_spawn(&want[i]);
			pthread_mutex_lock(&watch_lock);
		}
	}
	return NULL;
}

static void
watch_start(void)
{
	pthread_condattr_t ca;
	pthread_attr_t ta;
	pthread_t t;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&watch_cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_attr_init(&ta);
	pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
	watch_running = pthread_create(&t, &ta, watch_thread, NULL) == 0;
	pthread_attr_destroy(&ta);
}

/* A new connection: banner, handshake, then serve it in this thread. */
static void *
serve_conn(void *arg)
{
	static const char banner[] = "RUMPSP-1 anykernel\n";
	int fd = (int)(intptr_t)arg, error = 0;
	uint8_t *buf = NULL, out[SP_HDRSIZE + 64];
	uint64_t rv[2] = { 0, 0 };
	size_t cap = 0, len, skip;
	struct sconn *sc = NULL;
	struct sp_msg m;

	pthread_once(&watch_once, watch_start);
	len = sp_build_simple(out, sizeof(out), SP_BANNER, 0, 0, 0, banner,
	    sizeof(banner) - 1);
	if (sp_write_full(fd, out, len) != 0 ||
	    sp_recv(fd, &buf, &cap, &m) != 0 || m.h.type != SP_HANDSHAKE)
		goto out;
	/* The body: the cookie of a fork, then the secret. */
	skip = m.h.b == SP_HS_FORK ? SP_COOKIELEN : 0;
	if (m.h.a != SP_VERSION)
		error = RUMP_EPROTONOSUPPORT;
	else if (m.h.b == SP_HS_EXEC)
		error = RUMP_EINVAL;	/* only on a working connection */
	else if (secret != NULL && (m.bodylen - skip != strlen(secret) ||
	    memcmp(m.body + skip, secret, m.bodylen - skip) != 0))
		error = RUMP_EACCES;
	else if (!watch_running || (sc = calloc(1, sizeof(*sc))) == NULL)
		error = RUMP_EAGAIN;
	else if (m.h.b == SP_HS_FORK)
		error = fork_adopt(m.body);
	else if (rump_lwproc_rfork(RUMP_RFCFDG) != 0)
		error = RUMP_ENOMEM;
	len = sp_build_resp(out, sizeof(out), m.h.reqno, (uint32_t)error, rv,
	    NULL, 0);
	if (sp_write_full(fd, out, len) != 0 || error != 0) {
		if (error == 0)
			rump_lwproc_releaselwp();	/* the process goes */
		goto out;
	}
	free(buf);
	sc->sc_fd = fd;
	sc->sc_pid = rump_sys_getpid();
	pthread_mutex_init(&sc->sc_lock, NULL);
	pthread_mutex_init(&sc->sc_wlock, NULL);
	pthread_cond_init(&sc->sc_cv, NULL);
	sc->sc_nthreads = 1;
	pthread_mutex_lock(&watch_lock);
	sc->sc_next = watch_list;
	watch_list = sc;
	pthread_mutex_unlock(&watch_lock);
	conn_serve(sc);
	return NULL;
 out:
	free(sc);
	free(buf);
	close(fd);
	return NULL;
}

/* Listen on url; the socket, or -1 with a message. */
static int
listen_url(const char *url)
{
	int s = -1, one = 1;

	if (strncmp(url, "unix://", 7) == 0) {
		struct sockaddr_un sun;
		const char *path = url + 7;

		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(path) == 0 || strlen(path) >= sizeof(sun.sun_path)) {
			fprintf(stderr, "%s: %s: bad socket path\n", progname,
			    url);
			return -1;
		}
		strcpy(sun.sun_path, path);
		(void)unlink(path);
		unlink_path = path;
		if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
		    fchmod(s, 0600) != 0 ||
		    bind(s, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
		    chmod(path, 0600) != 0 || listen(s, 64) != 0)
			goto fail;
		return s;
	}
	if (strncmp(url, "tcp://", 6) == 0) {
		struct sockaddr_in sin;
		char host[64];
		const char *colon = strrchr(url + 6, ':');

		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		if (colon == NULL || (size_t)(colon - (url + 6)) >=
		    sizeof(host) || atoi(colon + 1) <= 0 ||
		    atoi(colon + 1) > 65535) {
			fprintf(stderr, "%s: %s: want tcp://addr:port\n",
			    progname, url);
			return -1;
		}
		memcpy(host, url + 6, (size_t)(colon - (url + 6)));
		host[colon - (url + 6)] = '\0';
		if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
			fprintf(stderr, "%s: %s: not an IPv4 address\n",
			    progname, host);
			return -1;
		}
		sin.sin_port = htons((uint16_t)atoi(colon + 1));
		if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
		    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one)) != 0 ||
		    bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
		    listen(s, 64) != 0)
			goto fail;
		return s;
	}
	fprintf(stderr, "%s: %s: want unix://path or tcp://addr:port\n",
	    progname, url);
	return -1;
 fail:
	fprintf(stderr, "%s: %s: %s\n", progname, url, strerror(errno));
	if (s >= 0)
		close(s);
	return -1;
}

/* -d key=dev,hostpath=file[,size=n][,type=blk|blkro] */
static int
map_device(const char *arg)
{
	char *key = NULL, *hostpath = NULL, *tok, *save = NULL, *spec;
	int type = RUMP_ETFS_BLK, rc = -1;
	int (*reg)(const char *, const char *, int);

	/* A copy: the command line stays as given (ps, pkill -f). */
	if ((spec = strdup(arg)) == NULL) {
		fprintf(stderr, "%s: %s\n", progname, strerror(errno));
		return -1;
	}
	for (tok = strtok_r(spec, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strncmp(tok, "key=", 4) == 0)
			key = tok + 4;
		else if (strncmp(tok, "hostpath=", 9) == 0)
			hostpath = tok + 9;
		else if (strcmp(tok, "type=blk") == 0)
			type = RUMP_ETFS_BLK;
		else if (strcmp(tok, "type=blkro") == 0)
			type = RUMP_ETFS_BLK_RO;
		else if (strncmp(tok, "size=", 5) != 0 ||
		    strcmp(tok + 5, "host") != 0) {
			fprintf(stderr, "%s: -d: %s: not understood\n",
			    progname, tok);
			goto out;
		}
	}
	/* etfs is loaded with -d; the symbol is found, not linked to. */
	reg = (int (*)(const char *, const char *, int))
	    comp_symbol("rump_etfs_register");
	if (key == NULL || hostpath == NULL)
		fprintf(stderr, "%s: -d: key= and hostpath= are needed\n",
		    progname);
	else if (reg == NULL)
		fprintf(stderr, "%s: -d: etfs is not loaded\n", progname);
	else if (reg(key, hostpath, type) != 0)
		fprintf(stderr, "%s: -d %s: %s: %s\n", progname, key,
		    hostpath, strerror(errno));
	else
		rc = 0;
 out:
	free(spec);
	return rc;
}

/* -m type=ffs|tmpfs,special=dev,dir=path[,ro][,force]: mount at start. */
static int
mount_at_start(const char *arg)
{
	char *type = NULL, *special = NULL, *dir = NULL, *tok, *save = NULL;
	char *spec, *p;
	struct rump_ffs_args fa;
	int flags = 0, rc = -1;

	if ((spec = strdup(arg)) == NULL) {
		fprintf(stderr, "%s: %s\n", progname, strerror(errno));
		return -1;
	}
	for (tok = strtok_r(spec, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strncmp(tok, "type=", 5) == 0)
			type = tok + 5;
		else if (strncmp(tok, "special=", 8) == 0)
			special = tok + 8;
		else if (strncmp(tok, "dir=", 4) == 0)
			dir = tok + 4;
		else if (strcmp(tok, "ro") == 0)
			flags |= RUMP_MNT_RDONLY;
		else if (strcmp(tok, "force") == 0)
			flags |= RUMP_MNT_FORCE;
		else {
			fprintf(stderr, "%s: -m: %s: not understood\n",
			    progname, tok);
			goto out;
		}
	}
	if (type == NULL || dir == NULL || dir[0] != '/' ||
	    (strcmp(type, "ffs") == 0 && special == NULL) ||
	    (strcmp(type, "ffs") != 0 && strcmp(type, "tmpfs") != 0)) {
		fprintf(stderr, "%s: -m: want type=ffs|tmpfs,special=dev,"
		    "dir=/path[,ro][,force]\n", progname);
		goto out;
	}
	/* mkdir -p dir */
	for (p = dir + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (rump_sys_mkdir(dir, 0755) != 0 && errno != EEXIST) {
				fprintf(stderr, "%s: -m: %s: %s\n", progname,
				    dir, strerror(errno));
				goto out;
			}
			*p = c;
			if (c == '\0')
				break;
		}
	}
	if (strcmp(type, "ffs") == 0) {
		memset(&fa, 0, sizeof(fa));
		if (strlen(special) >= sizeof(fa.fa_fspec)) {
			fprintf(stderr, "%s: -m: special too long\n", progname);
			goto out;
		}
		strcpy(fa.fa_fspec, special);
		rc = rump_sys_mount("ffs", dir, flags, &fa, sizeof(fa));
	} else
		rc = rump_sys_mount("tmpfs", dir, flags, NULL, 0);
	if (rc != 0)
		fprintf(stderr, "%s: -m: mount %s on %s: %s\n", progname,
		    special ? special : type, dir, strerror(errno));
 out:
	free(spec);
	return rc == 0 ? 0 : -1;
}

/* The file system a -m argument names, if one we know, for loading. */
static const char *
mount_fstype(const char *arg)
{
	static const char *const types[] = { "ffs", "tmpfs", NULL };
	const char *p;
	size_t n;
	int i;

	for (p = arg; ; p++) {
		for (i = 0; strncmp(p, "type=", 5) == 0 && types[i] != NULL;
		    i++) {
			n = strlen(types[i]);
			if (strncmp(p + 5, types[i], n) == 0 &&
			    (p[5 + n] == ',' || p[5 + n] == '\0'))
				return types[i];
		}
		if ((p = strchr(p, ',')) == NULL)
			return NULL;
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *devs[64], *mounts[16], *fstype;
	int ch, i, s, fd, ndev = 0, nmount = 0, pfd[2] = { -1, -1 };
	bool foreground = false;
	pthread_t t;
	char c;

	while ((ch = getopt_long(argc, argv, "c:d:hl:m:r:sv", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			setenv("RUMP_NCPU", optarg, 1);
			break;
		case 'd':
			if (ndev == (int)(sizeof(devs) / sizeof(devs[0]))) {
				fprintf(stderr, "%s: too many -d\n", progname);
				return 2;
			}
			devs[ndev++] = optarg;
			if (comp_request("etfs") != 0)
				return 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'm':
			if (nmount == (int)(sizeof(mounts) /
			    sizeof(mounts[0]))) {
				fprintf(stderr, "%s: too many -m\n", progname);
				return 2;
			}
			mounts[nmount++] = optarg;
			if ((fstype = mount_fstype(optarg)) != NULL &&
			    comp_request(fstype) != 0)
				return 1;
			break;
		case 'l':
			if (comp_request(optarg) != 0)
				return 1;
			break;
		case 'r':
			setenv("RUMP_MEMLIMIT", optarg, 1);
			break;
		case 's':
			foreground = true;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return 2;
	}
	/* Before the fork: a component that will not load fails the
	 * command itself, daemon or not. */
	if (comp_load(verbose) != 0)
		return 1;
	secret = getenv("RUMP_SERVER_SECRET");
	signal(SIGPIPE, SIG_IGN);
	if (!foreground) {
		/* The parent stays until the child listens (or fails). */
		pid_t pid;

		if (pipe(pfd) != 0 || (pid = fork()) < 0) {
			fprintf(stderr, "%s: %s\n", progname, strerror(errno));
			return 1;
		}
		if (pid > 0) {
			close(pfd[1]);
			return read(pfd[0], &c, 1) == 1 && c == 'y' ? 0 : 1;
		}
		close(pfd[0]);
		setsid();
	}
	if (rump_init() != 0) {
		fprintf(stderr, "%s: rump_init: %s\n", progname,
		    strerror(errno));
		return 1;
	}
	if (ndev > 0 && rump_sys_mkdir("/dev", 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "%s: /dev: %s\n", progname, strerror(errno));
		return 1;
	}
	for (i = 0; i < ndev; i++)
		if (map_device(devs[i]) != 0)
			return 1;
	for (i = 0; i < nmount; i++)
		if (mount_at_start(mounts[i]) != 0)
			return 1;
	if ((s = listen_url(argv[optind])) < 0)
		return 1;
	if (!foreground) {
		c = 'y';
		(void)write(pfd[1], &c, 1);
		close(pfd[1]);
		if ((fd = open("/dev/null", O_RDWR)) >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			if (!verbose)
				dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	for (;;) {
		if ((fd = accept(s, NULL, NULL)) < 0) {
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EMFILE || errno == ENFILE)
				continue;
			fprintf(stderr, "%s: accept: %s\n", progname,
			    strerror(errno));
			return 1;
		}
		if (pthread_create(&t, NULL, serve_conn,
		    (void *)(intptr_t)fd) != 0) {
			close(fd);
			continue;
		}
		pthread_detach(t);
	}
}
