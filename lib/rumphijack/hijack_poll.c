/*
 * hijack_poll.c: poll, ppoll, select and pselect over descriptors of
 * both kernels.
 *
 * All host descriptors: the host's call.  All rump descriptors: one
 * rump poll.  Both kinds in one call: neither kernel can wait for the
 * other's descriptors, so the call alternates a non-blocking look at
 * the rump side with a short host wait, the wait growing from 1 ms to
 * 32 ms while nothing happens (a rump event is seen within 32 ms; a
 * host event at once).  select and pselect are poll underneath.
 *
 * No shared state, no locking.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

#define MIX_MAXWAIT	32	/* ms */

HOSTFN(int, poll, (struct pollfd *, nfds_t, int))
HOSTFN(int, ppoll, (struct pollfd *, nfds_t, const struct timespec *,
    const sigset_t *))
HOSTFN(int, select, (int, fd_set *, fd_set *, fd_set *, struct timeval *))
HOSTFN(int, pselect, (int, fd_set *, fd_set *, fd_set *,
    const struct timespec *, const sigset_t *))

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Poll the rump descriptors of fds[] (the others' revents untouched). */
static int
rump_side(struct pollfd *fds, nfds_t n, int timeout)
{
	struct rump_pollfd *rp;
	nfds_t i, k = 0;
	int r, ready = 0, error;

	if ((rp = calloc(n, sizeof(*rp))) == NULL) {
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
	if (rump_sys_poll(rp, (unsigned int)k, timeout) < 0) {
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

/* Poll the host descriptors; rump ones are left out by fd -1. */
static int
host_side(struct pollfd *fds, nfds_t n, int timeout)
{
	struct pollfd *hp;
	nfds_t i;
	int ready, error;

	if ((hp = malloc(n * sizeof(*hp))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < n; i++) {
		hp[i] = fds[i];
		if (hij_rfd(fds[i].fd) >= 0)
			hp[i].fd = -1;
	}
	ready = get_poll()(hp, n, timeout);
	error = errno;
	if (ready >= 0)
		for (i = 0; i < n; i++)
			if (hij_rfd(fds[i].fd) < 0)
				fds[i].revents = hp[i].revents;
	free(hp);
	errno = error;
	return ready;
}

HIJ_EXPORT int
poll(struct pollfd *fds, nfds_t n, int timeout)
{
	int64_t deadline = 0;
	nfds_t i, nrump = 0, nhost = 0;
	int a, b, wait = 1, left;

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
		return rump_side(fds, n, timeout);
	if (timeout > 0)
		deadline = now_ms() + timeout;
	for (;;) {
		if ((a = rump_side(fds, n, 0)) < 0)
			return -1;
		left = timeout < 0 ? wait : timeout == 0 ? 0 :
		    (int)(deadline - now_ms());
		if (left < 0)
			left = 0;
		if (a > 0 || left > wait)
			left = a > 0 ? 0 : wait;
		if ((b = host_side(fds, n, left)) < 0)
			return -1;
		if (a + b > 0 || timeout == 0 ||
		    (timeout > 0 && now_ms() >= deadline))
			return a + b;
		if (wait < MIX_MAXWAIT)
			wait *= 2;
	}
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
