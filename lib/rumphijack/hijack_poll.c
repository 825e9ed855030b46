/*
 * hijack_poll.c: poll, ppoll, select and pselect over descriptors of
 * both kernels.
 *
 * All host descriptors: the host's call.  All rump descriptors: one
 * rump poll.  Both kinds in one call: neither kernel can wait for the
 * other's descriptors, so a thread waits in each (see mixed()), and
 * an event on either side ends both waits at once.  select and pselect
 * are poll underneath.
 *
 * No shared state, no locking.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

HOSTFN(int, poll, (struct pollfd *, nfds_t, int))
HOSTFN(int, ppoll, (struct pollfd *, nfds_t, const struct timespec *,
    const sigset_t *))
HOSTFN(int, select, (int, fd_set *, fd_set *, fd_set *, struct timeval *))
HOSTFN(int, pselect, (int, fd_set *, fd_set *, fd_set *,
    const struct timespec *, const sigset_t *))

/*
 * Poll the rump descriptors of fds[] (the others' revents untouched),
 * and the rump descriptor wake as well if it is not -1 (not counted).
 */
static int
rump_side(struct pollfd *fds, nfds_t n, int timeout, int wake)
{
	struct rump_pollfd *rp;
	nfds_t i, k = 0;
	int r, ready = 0, error;

	if ((rp = calloc(n + 1, sizeof(*rp))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (fds[i].fd < 0 || (r = hij_rfd(fds[i].fd)) < 0)
			continue;
		rp[k].fd = r;
		rp[k].events = abi_poll_in(fds[i].events);
		k++;
	}
	if (wake >= 0) {
		rp[k].fd = wake;
		rp[k].events = RUMP_POLLIN;
	}
	if (rump_sys_poll(rp, (unsigned int)k + (wake >= 0), timeout) < 0) {
		error = errno;
		free(rp);
		errno = error;
		return -1;
	}
	for (i = 0, k = 0; i < n; i++) {
		if (fds[i].fd < 0 || hij_rfd(fds[i].fd) < 0)
			continue;
		fds[i].revents = abi_poll_out(rp[k].revents) &
		    (fds[i].events | POLLERR | POLLHUP | POLLNVAL);
		if (fds[i].revents != 0)
			ready++;
		k++;
	}
	free(rp);
	return ready;
}

/*
 * Poll the host descriptors of fds[] (rump ones left out), and the host
 * descriptor wake as well if it is not -1: *woken says whether it fired.
 */
static int
host_side(struct pollfd *fds, nfds_t n, int timeout, int wake, bool *woken)
{
	struct pollfd *hp;
	nfds_t i;
	int ready, error;

	if ((hp = malloc((n + 1) * sizeof(*hp))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < n; i++) {
		hp[i] = fds[i];
		if (hij_rfd(fds[i].fd) >= 0)
			hp[i].fd = -1;
	}
	hp[n].fd = wake;
	hp[n].events = POLLIN;
	hp[n].revents = 0;
	ready = get_poll()(hp, n + 1, timeout);
	error = errno;
	*woken = false;
	if (ready >= 0) {
		for (i = 0; i < n; i++)
			if (hij_rfd(fds[i].fd) < 0)
				fds[i].revents = hp[i].revents;
		if (wake >= 0 && hp[n].revents != 0) {
			*woken = true;
			ready--;
		}
	}
	free(hp);
	errno = error;
	return ready;
}

/*
 * Both kernels at once: a thread waits in the rump kernel (a call in
 * flight of its own on the connection) on the rump descriptors and a
 * rump pipe, while this thread waits in the host on the host ones and
 * a host pipe.  Whichever returns first wakes the other through the
 * other's pipe; the thread is always joined before we return.
 */
struct mix {
	struct pollfd	*m_fds;
	nfds_t		m_n;
	int		m_timeout;
	int		m_rwake;	/* rump pipe, read end */
	int		m_hwake;	/* host pipe, write end */
	int		m_ready;	/* rump_side's answer */
	int		m_error;
};

static void *
mix_rump(void *arg)
{
	struct mix *m = arg;

	m->m_ready = rump_side(m->m_fds, m->m_n, m->m_timeout, m->m_rwake);
	m->m_error = errno;
	(void)write(m->m_hwake, "w", 1);
	return NULL;
}

static int
mixed(struct pollfd *fds, nfds_t n, int timeout)
{
	struct mix m;
	pthread_t t;
	int hp[2], rp[2], b, error;
	bool woken = false;

	if (pipe2(hp, O_CLOEXEC) != 0)
		return -1;
	if (rump_sys_pipe2(rp, RUMP_O_CLOEXEC) != 0) {
		error = errno;
		close(hp[0]);
		close(hp[1]);
		errno = error;
		return -1;
	}
	m.m_fds = fds;
	m.m_n = n;
	m.m_timeout = timeout;
	m.m_rwake = rp[0];
	m.m_hwake = hp[1];
	if ((error = pthread_create(&t, NULL, mix_rump, &m)) != 0) {
		b = -1;
		goto out;
	}
	b = host_side(fds, n, timeout, hp[0], &woken);
	error = errno;
	if (!woken)
		(void)rump_sys_write(rp[1], "w", 1);
	pthread_join(t, NULL);
	if (b >= 0 && m.m_ready < 0) {
		b = -1;
		error = m.m_error;
	}
 out:
	close(hp[0]);
	close(hp[1]);
	rump_sys_close(rp[0]);
	rump_sys_close(rp[1]);
	if (b < 0) {
		errno = error;
		return -1;
	}
	return b + m.m_ready;
}

HIJ_EXPORT int
poll(struct pollfd *fds, nfds_t n, int timeout)
{
	nfds_t i, nrump = 0, nhost = 0;

	for (i = 0; i < n; i++) {
		if (fds[i].fd < 0)
			continue;
		if (hij_rfd(fds[i].fd) >= 0)
			nrump++;
		else
			nhost++;
	}
	if (nrump == 0)
		return get_poll()(fds, n, timeout);
	for (i = 0; i < n; i++)
		fds[i].revents = 0;
	if (nhost == 0)
		return rump_side(fds, n, timeout, -1);
	return mixed(fds, n, timeout);
}

static int
ts_ms(const struct timespec *ts)
{

	if (ts == NULL)
		return -1;
	if (ts->tv_sec > 2000000)
		return 2000000000;
	return (int)(ts->tv_sec * 1000 + (ts->tv_nsec + 999999) / 1000000);
}

/* With the signal mask set around the wait (not atomically: see the
 * manual page). */
HIJ_EXPORT int
ppoll(struct pollfd *fds, nfds_t n, const struct timespec *ts,
    const sigset_t *mask)
{
	sigset_t old;
	nfds_t i;
	int ready, error;

	for (i = 0; i < n; i++)
		if (hij_rfd(fds[i].fd) >= 0)
			break;
	if (i == n)
		return get_ppoll()(fds, n, ts, mask);
	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, mask, &old);
	ready = poll(fds, n, ts_ms(ts));
	error = errno;
	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = error;
	return ready;
}

static bool
sets_have_rump(int nfds, fd_set *r, fd_set *w, fd_set *e)
{
	int fd;

	for (fd = 0; fd < nfds && fd < HIJ_NFD; fd++)
		if (((r != NULL && FD_ISSET(fd, r)) ||
		    (w != NULL && FD_ISSET(fd, w)) ||
		    (e != NULL && FD_ISSET(fd, e))) && hij_rfd(fd) >= 0)
			return true;
	return false;
}

/* select as poll: the sets in, the sets out, the count of bits set. */
static int
select_poll(int nfds, fd_set *r, fd_set *w, fd_set *e, int timeout)
{
	struct pollfd *fds;
	int fd, n = 0, ready, count = 0, error;

	if (nfds < 0 || nfds > FD_SETSIZE) {
		errno = EINVAL;
		return -1;
	}
	if ((fds = calloc((size_t)nfds + 1, sizeof(*fds))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (fd = 0; fd < nfds; fd++) {
		short ev = 0;

		if (r != NULL && FD_ISSET(fd, r))
			ev |= POLLIN;
		if (w != NULL && FD_ISSET(fd, w))
			ev |= POLLOUT;
		if (e != NULL && FD_ISSET(fd, e))
			ev |= POLLPRI;
		if (ev == 0)
			continue;
		fds[n].fd = fd;
		fds[n].events = ev;
		n++;
	}
	ready = poll(fds, (nfds_t)n, timeout);
	error = errno;
	if (ready >= 0) {
		for (fd = 0; fd < n; fd++)
			if (fds[fd].revents & POLLNVAL) {
				free(fds);
				errno = EBADF;
				return -1;
			}
		if (r != NULL)
			FD_ZERO(r);
		if (w != NULL)
			FD_ZERO(w);
		if (e != NULL)
			FD_ZERO(e);
		for (fd = 0; fd < n; fd++) {
			short rev = fds[fd].revents;

			if (r != NULL && (fds[fd].events & POLLIN) &&
			    (rev & (POLLIN | POLLHUP | POLLERR))) {
				FD_SET(fds[fd].fd, r);
				count++;
			}
			if (w != NULL && (fds[fd].events & POLLOUT) &&
			    (rev & (POLLOUT | POLLERR))) {
				FD_SET(fds[fd].fd, w);
				count++;
			}
			if (e != NULL && (fds[fd].events & POLLPRI) &&
			    (rev & POLLPRI)) {
				FD_SET(fds[fd].fd, e);
				count++;
			}
		}
	}
	free(fds);
	errno = error;
	return ready < 0 ? -1 : count;
}

HIJ_EXPORT int
select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
	int timeout = -1;

	if (!sets_have_rump(nfds, r, w, e))
		return get_select()(nfds, r, w, e, tv);
	if (tv != NULL) {
		if (tv->tv_sec < 0 || tv->tv_usec < 0) {
			errno = EINVAL;
			return -1;
		}
		timeout = tv->tv_sec > 2000000 ? 2000000000 :
		    (int)(tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000);
	}
	return select_poll(nfds, r, w, e, timeout);
}

HIJ_EXPORT int
pselect(int nfds, fd_set *r, fd_set *w, fd_set *e, const struct timespec *ts,
    const sigset_t *mask)
{
	sigset_t old;
	int ready, error;

	if (!sets_have_rump(nfds, r, w, e))
		return get_pselect()(nfds, r, w, e, ts, mask);
	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, mask, &old);
	ready = select_poll(nfds, r, w, e, ts_ms(ts));
	error = errno;
	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = error;
	return ready;
}

/* _FORTIFY_SOURCE's forms: the array's size checked, as glibc does. */
HIJ_EXPORT int
__poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen)
{

	if (fdslen / sizeof(*fds) < n)
		abort();
	return poll(fds, n, timeout);
}

HIJ_EXPORT int
__ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *ts,
    const sigset_t *mask, size_t fdslen)
{

	if (fdslen / sizeof(*fds) < n)
		abort();
	return ppoll(fds, n, ts, mask);
}
