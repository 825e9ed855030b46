/*
 * t_pipe.c: pipes, poll and select.
 *
 * Pipes: data in order, reads returning what is there, EOF once every
 * writer is gone, EPIPE once every reader is, O_NONBLOCK and FIONBIO
 * turning waits into EAGAIN, writes of up to PIPE_BUF bytes in one
 * piece even with several writers, FIONREAD, fstat.  poll and select:
 * readiness, POLLHUP and POLLERR, POLLNVAL and EBADF, timeouts (only
 * ever checked as lower bounds), and wakeups from other threads.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include "../tap.h"

#define FAILS(call, err)	((call) == -1 && errno == (err))

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void
closeboth(int p[2])
{

	rump_sys_close(p[0]);
	rump_sys_close(p[1]);
}

static int
setlk_pipe(int fd)
{
	struct rump_flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = RUMP_F_RDLCK;
	return rump_sys_fcntl(fd, RUMP_F_SETLK, (long)&fl);
}

static void
test_basics(void)
{
	struct rump_stat sb;
	char buf[64];
	int p[2], n;

	ok(rump_sys_pipe(p) == 0 && p[0] >= 0 && p[1] > p[0], "pipe: two "
	    "descriptors");
	ok(rump_sys_write(p[1], "hello", 5) == 5 &&
	    rump_sys_write(p[1], " world", 6) == 6, "two writes");
	ok(rump_sys_ioctl(p[0], RUMP_FIONREAD, &n) == 0 && n == 11,
	    "FIONREAD: 11 bytes waiting");
	ok(rump_sys_fstat(p[0], &sb) == 0 &&
	    (sb.st_mode & RUMP_S_IFMT) == RUMP_S_IFIFO, "fstat: S_IFIFO");
	ok(rump_sys_read(p[0], buf, 3) == 3 && memcmp(buf, "hel", 3) == 0,
	    "a short read takes the start");
	ok(rump_sys_read(p[0], buf, sizeof(buf)) == 8 &&
	    memcmp(buf, "lo world", 8) == 0,
	    "a long read returns what is there, not waiting for more");
	ok(FAILS(rump_sys_read(p[1], buf, 1), EBADF) &&
	    FAILS(rump_sys_write(p[0], "x", 1), EBADF),
	    "read on the write end or write on the read end: EBADF");
	ok(FAILS(rump_sys_lseek(p[0], 0, RUMP_SEEK_SET), ESPIPE) &&
	    FAILS(rump_sys_pread(p[0], buf, 1, 0), ESPIPE) &&
	    FAILS(rump_sys_pwrite(p[1], "x", 1, 0), ESPIPE),
	    "lseek, pread, pwrite: ESPIPE");
	ok(rump_sys_fcntl(p[0], RUMP_F_GETFL, 0) == RUMP_O_RDONLY &&
	    rump_sys_fcntl(p[1], RUMP_F_GETFL, 0) == RUMP_O_WRONLY,
	    "F_GETFL: O_RDONLY and O_WRONLY");
	ok(FAILS(setlk_pipe(p[0]), EINVAL) &&
	    FAILS(rump_sys_flock(p[0], RUMP_LOCK_EX), EOPNOTSUPP),
	    "no locks on a pipe: EINVAL, EOPNOTSUPP");
	closeboth(p);
	ok(rump_sys_pipe2(p, RUMP_O_CLOEXEC | RUMP_O_NONBLOCK) == 0 &&
	    rump_sys_fcntl(p[0], RUMP_F_GETFD, 0) == RUMP_FD_CLOEXEC &&
	    rump_sys_fcntl(p[1], RUMP_F_GETFD, 0) == RUMP_FD_CLOEXEC &&
	    (rump_sys_fcntl(p[0], RUMP_F_GETFL, 0) & RUMP_O_NONBLOCK) &&
	    (rump_sys_fcntl(p[1], RUMP_F_GETFL, 0) & RUMP_O_NONBLOCK),
	    "pipe2 O_CLOEXEC|O_NONBLOCK sets both ends");
	closeboth(p);
	ok(FAILS(rump_sys_pipe2(p, RUMP_O_APPEND), EINVAL),
	    "pipe2 with another flag: EINVAL");
}

static void
test_eof_epipe(void)
{
	char buf[16];
	int p[2], d;

	rump_sys_pipe(p);
	rump_sys_write(p[1], "last", 4);
	d = rump_sys_dup(p[1]);
	rump_sys_close(p[1]);
	ok(rump_sys_read(p[0], buf, sizeof(buf)) == 4, "the data is read");
	rump_sys_fcntl(p[0], RUMP_F_SETFL, RUMP_O_NONBLOCK);
	ok(FAILS(rump_sys_read(p[0], buf, sizeof(buf)), EAGAIN),
	    "a dup of the write end keeps the pipe open");
	rump_sys_close(d);
	ok(rump_sys_read(p[0], buf, sizeof(buf)) == 0,
	    "once every writer is gone: EOF (0), even non-blocking");
	ok(rump_sys_read(p[0], buf, sizeof(buf)) == 0, "and again");
	rump_sys_close(p[0]);

	rump_sys_pipe(p);
	rump_sys_close(p[0]);
	/* No signals yet: EPIPE alone. */
	ok(FAILS(rump_sys_write(p[1], "x", 1), EPIPE), "no reader: EPIPE");
	rump_sys_close(p[1]);
}

static void
test_nonblocking(void)
{
	static char buf[65536];
	rump_ssize_t n, total = 0;
	int p[2], on = 1, off = 0;

	rump_sys_pipe(p);
	ok(rump_sys_ioctl(p[0], RUMP_FIONBIO, &on) == 0 &&
	    FAILS(rump_sys_read(p[0], buf, 1), EAGAIN),
	    "FIONBIO: an empty pipe reads EAGAIN");
	rump_sys_ioctl(p[0], RUMP_FIONBIO, &off);
	rump_sys_fcntl(p[1], RUMP_F_SETFL, RUMP_O_NONBLOCK);
	memset(buf, 'w', sizeof(buf));
	while ((n = rump_sys_write(p[1], buf, 1000)) > 0)
		total += n;
	ok(n == -1 && errno == EAGAIN && total >= RUMP_PIPE_BUF,
	    "O_NONBLOCK writes until full (%zd bytes), then EAGAIN",
	    (ssize_t)total);
	ok(rump_sys_read(p[0], buf, 100) == 100 &&
	    rump_sys_write(p[1], buf, 1000) == 100,
	    "a big write with a little room is short");
	ok(rump_sys_read(p[0], buf, RUMP_PIPE_BUF - 1) == RUMP_PIPE_BUF - 1 &&
	    FAILS(rump_sys_write(p[1], buf, RUMP_PIPE_BUF), EAGAIN),
	    "a PIPE_BUF write with less room: EAGAIN, not a part of it");
	ok(rump_sys_write(p[1], buf, RUMP_PIPE_BUF - 1) == RUMP_PIPE_BUF - 1,
	    "one that fits goes in whole");
	closeboth(p);
}

struct writer {
	int	fd;
	int	id;
	int	errors;
	size_t	len;
	int	count;
};

#define REC	RUMP_PIPE_BUF
#define MIN_READ(left)	((left) < 777 ? (left) : 777)

static void *
writer(void *arg)
{
	struct writer *w = arg;
	char rec[REC];
	int i;

	for (i = 0; i < w->count; i++) {
		memset(rec, 'A' + w->id, sizeof(rec));
		rec[0] = (char)i;
		if (rump_sys_write(w->fd, rec, sizeof(rec)) != sizeof(rec))
			w->errors++;
	}
	return NULL;
}

/* Several writers of PIPE_BUF-sized records: none is ever split. */
static void
test_atomic(void)
{
	struct writer w[4];
	pthread_t t[4];
	char rec[REC], *buf;
	size_t got = 0, want = 4 * 100 * REC;
	rump_ssize_t n;
	int p[2], i, j, bad = 0, errors = 0, seen[4] = { 0 };

	rump_sys_pipe(p);
	for (i = 0; i < 4; i++) {
		w[i].fd = p[1];
		w[i].id = i;
		w[i].errors = 0;
		w[i].count = 100;
		pthread_create(&t[i], NULL, writer, &w[i]);
	}
	buf = malloc(want);
	/* Odd-sized reads, so that reads and records do not line up. */
	while (got < want && (n = rump_sys_read(p[0], buf + got,
	    MIN_READ(want - got))) > 0)
		got += (size_t)n;
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		errors += w[i].errors;
	}
	for (i = 0; (size_t)i < got / REC; i++) {
		memcpy(rec, buf + (size_t)i * REC, REC);
		for (j = 2; j < REC; j++)
			if (rec[j] != rec[1])
				bad++;
		if (rec[1] >= 'A' && rec[1] < 'A' + 4) {
			/* Each writer's records in its own order. */
			if (rec[0] != (char)seen[rec[1] - 'A'])
				bad++;
			seen[rec[1] - 'A']++;
		}
	}
	ok(errors == 0 && got == want, "4 threads x 100 writes of PIPE_BUF "
	    "(%d) bytes: all %zu bytes arrive", REC, want);
	ok(bad == 0 && seen[0] == 100 && seen[1] == 100 && seen[2] == 100 &&
	    seen[3] == 100, "no write split or reordered");
	free(buf);
	closeboth(p);
}

struct delayed {
	int	fd;
	int	ms;
	int	what;		/* 0 write a byte, 1 close, 2 drain */
	int	result;
};

static void *
delayed(void *arg)
{
	struct delayed *d = arg;
	static char buf[65536];

	sleep_ms(d->ms);
	d->result = -1;
	switch (d->what) {
	case 0:
		d->result = (int)rump_sys_write(d->fd, "!", 1);
		break;
	case 1:
		d->result = rump_sys_close(d->fd);
		break;
	default:
		d->result = (int)rump_sys_read(d->fd, buf, sizeof(buf));
		break;
	}
	return NULL;
}

static void
test_blocking(void)
{
	static char buf[65536];
	struct delayed d;
	pthread_t t;
	rump_ssize_t n, total = 0;
	int p[2];
	int64_t t0;

	rump_sys_pipe(p);
	d.fd = p[1];
	d.ms = 30;
	d.what = 0;
	pthread_create(&t, NULL, delayed, &d);
	t0 = now_ms();
	n = rump_sys_read(p[0], buf, sizeof(buf));
	ok(n == 1 && buf[0] == '!' && now_ms() - t0 >= 25,
	    "a read of an empty pipe waits for a writer's byte");
	pthread_join(t, NULL);

	d.fd = p[1];
	d.what = 1;
	pthread_create(&t, NULL, delayed, &d);
	ok(rump_sys_read(p[0], buf, sizeof(buf)) == 0,
	    "a waiting read gets EOF when the last writer closes");
	pthread_join(t, NULL);
	rump_sys_close(p[0]);

	rump_sys_pipe(p);
	rump_sys_fcntl(p[1], RUMP_F_SETFL, RUMP_O_NONBLOCK);
	memset(buf, 'b', sizeof(buf));
	while ((n = rump_sys_write(p[1], buf, sizeof(buf))) > 0)
		total += n;
	rump_sys_fcntl(p[1], RUMP_F_SETFL, 0);
	d.fd = p[0];
	d.what = 2;
	pthread_create(&t, NULL, delayed, &d);
	ok(rump_sys_write(p[1], buf, 100) == 100,
	    "a write to a full pipe waits until a reader makes room");
	pthread_join(t, NULL);
	ok(d.result == (int)total, "the reader got the %zd bytes that "
	    "filled it", (ssize_t)total);
	closeboth(p);
}

static void
test_poll(void)
{
	struct rump_pollfd pfd[3];
	struct delayed d;
	pthread_t t;
	int p[2], q[2], bad;
	int64_t t0;

	rump_sys_pipe(p);
	pfd[0].fd = p[0];
	pfd[0].events = RUMP_POLLIN;
	pfd[1].fd = p[1];
	pfd[1].events = RUMP_POLLOUT;
	pfd[2].fd = -1;
	pfd[2].events = RUMP_POLLIN;
	pfd[2].revents = 77;
	ok(rump_sys_poll(pfd, 3, 0) == 1 && pfd[0].revents == 0 &&
	    pfd[1].revents == RUMP_POLLOUT && pfd[2].revents == 0,
	    "empty: the write end writable, the read end not; fd -1 "
	    "ignored");
	rump_sys_write(p[1], "x", 1);
	ok(rump_sys_poll(pfd, 2, 0) == 2 && pfd[0].revents == RUMP_POLLIN,
	    "with data: readable");
	t0 = now_ms();
	pfd[0].events = RUMP_POLLOUT;	/* never on a read end */
	ok(rump_sys_poll(pfd, 1, 50) == 0 && now_ms() - t0 >= 45,
	    "a timeout of 50 ms: 0, after at least 50 ms");
	rump_sys_close(p[1]);
	pfd[0].events = RUMP_POLLIN;
	ok(rump_sys_poll(pfd, 1, -1) == 1 &&
	    (pfd[0].revents & RUMP_POLLHUP), "the writer gone: POLLHUP");
	rump_sys_close(p[0]);
	ok(rump_sys_poll(pfd, 1, -1) == 1 && pfd[0].revents == RUMP_POLLNVAL,
	    "a closed descriptor: POLLNVAL");

	rump_sys_pipe(p);
	rump_sys_close(p[0]);
	pfd[0].fd = p[1];
	pfd[0].events = RUMP_POLLOUT;
	ok(rump_sys_poll(pfd, 1, -1) == 1 &&
	    (pfd[0].revents & RUMP_POLLERR), "the reader gone: POLLERR");
	rump_sys_close(p[1]);

	/* A thread's write wakes a poll that waits on two pipes. */
	rump_sys_pipe(p);
	rump_sys_pipe(q);
	pfd[0].fd = p[0];
	pfd[0].events = RUMP_POLLIN;
	pfd[1].fd = q[0];
	pfd[1].events = RUMP_POLLIN;
	d.fd = q[1];
	d.ms = 20;
	d.what = 0;
	pthread_create(&t, NULL, delayed, &d);
	t0 = now_ms();
	bad = rump_sys_poll(pfd, 2, 10000);
	ok(bad == 1 && pfd[0].revents == 0 && pfd[1].revents == RUMP_POLLIN &&
	    now_ms() - t0 >= 15, "poll waits, and another thread's write "
	    "wakes it: only that pipe readable");
	pthread_join(t, NULL);
	closeboth(p);
	closeboth(q);
	ok(FAILS(rump_sys_poll(pfd, 100000, 0), EINVAL), "too many "
	    "descriptors: EINVAL");
}

static void
test_select(void)
{
	rump_fd_set r, w;
	struct rump_timeval tv;
	struct delayed d;
	pthread_t t;
	int p[2], n;
	int64_t t0;

	rump_sys_pipe(p);
	RUMP_FD_ZERO(&r);
	RUMP_FD_ZERO(&w);
	RUMP_FD_SET(p[0], &r);
	RUMP_FD_SET(p[1], &w);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	ok(rump_sys_select(p[1] + 1, &r, &w, NULL, &tv) == 1 &&
	    !RUMP_FD_ISSET(p[0], &r) && RUMP_FD_ISSET(p[1], &w),
	    "select: the write end ready, the read end not");
	RUMP_FD_ZERO(&r);
	RUMP_FD_SET(p[0], &r);
	tv.tv_sec = 0;
	tv.tv_usec = 40000;
	t0 = now_ms();
	ok(rump_sys_select(p[0] + 1, &r, NULL, NULL, &tv) == 0 &&
	    !RUMP_FD_ISSET(p[0], &r) && now_ms() - t0 >= 35,
	    "a timeout of 40 ms: 0, after at least 40 ms, the set cleared");
	d.fd = p[1];
	d.ms = 20;
	d.what = 0;
	pthread_create(&t, NULL, delayed, &d);
	RUMP_FD_ZERO(&r);
	RUMP_FD_SET(p[0], &r);
	n = rump_sys_select(p[0] + 1, &r, NULL, NULL, NULL);
	ok(n == 1 && RUMP_FD_ISSET(p[0], &r), "no timeout: waits until "
	    "another thread's write");
	pthread_join(t, NULL);
	rump_sys_close(p[1]);
	RUMP_FD_ZERO(&r);
	RUMP_FD_SET(p[0], &r);
	rump_sys_read(p[0], &n, 1);
	ok(rump_sys_select(p[0] + 1, &r, NULL, NULL, NULL) == 1 &&
	    RUMP_FD_ISSET(p[0], &r), "at EOF the read end selects readable");
	rump_sys_close(p[0]);
	RUMP_FD_ZERO(&r);
	RUMP_FD_SET(p[0], &r);
	ok(FAILS(rump_sys_select(p[0] + 1, &r, NULL, NULL, NULL), EBADF),
	    "a closed descriptor in a set: EBADF");
	tv.tv_usec = 1000000;
	ok(FAILS(rump_sys_select(1, NULL, NULL, NULL, &tv), EINVAL) &&
	    FAILS(rump_sys_select(RUMP_FD_SETSIZE + 1, NULL, NULL, NULL,
	    NULL), EINVAL), "a bad timeout or nfds: EINVAL");
	tv.tv_sec = 0;
	tv.tv_usec = 30000;
	t0 = now_ms();
	ok(rump_sys_select(0, NULL, NULL, NULL, &tv) == 0 &&
	    now_ms() - t0 >= 25, "no descriptors: a sleep of the timeout");
}

/* Pipes leave nothing behind. */
static void *
close_later(void *arg)
{

	sleep_ms(50);
	rump_sys_close(*(int *)arg);
	return NULL;
}

/* Two edge cases: select must not return early for an event its sets
 * did not ask for, and a write cut short by EPIPE returns its count. */
static void
test_edges(void)
{
	static char big[20000];
	struct rump_timeval tv = { 0, 60 * 1000 };
	rump_fd_set rs;
	pthread_t t;
	int64_t t0;
	int p[2], n;

	rump_sys_pipe(p);
	rump_sys_close(p[0]);		/* the write end now has an error */
	RUMP_FD_ZERO(&rs);
	RUMP_FD_SET(p[1], &rs);
	t0 = now_ms();
	n = rump_sys_select(p[1] + 1, &rs, NULL, NULL, &tv);
	ok(n == 0 && now_ms() - t0 >= 60, "select: a write end's error is "
	    "not a read event; waits out its timeout (%d)", n);
	rump_sys_close(p[1]);

	rump_sys_pipe(p);
	pthread_create(&t, NULL, close_later, &p[0]);
	n = (int)rump_sys_write(p[1], big, sizeof(big));
	ok(n == 16384, "a write cut short when the reader goes returns what "
	    "went in (%d)", n);
	pthread_join(t, NULL);
	ok(rump_sys_write(p[1], big, 1) == -1 && errno == EPIPE,
	    "the next write: EPIPE");
	rump_sys_close(p[1]);
}

static void
test_many(void)
{
	int p[2], i, fails = 0;
	char c;

	for (i = 0; i < 1000; i++) {
		if (rump_sys_pipe(p) != 0) {
			fails++;
			continue;
		}
		if (rump_sys_write(p[1], "z", 1) != 1 ||
		    rump_sys_read(p[0], &c, 1) != 1 || c != 'z')
			fails++;
		closeboth(p);
	}
	ok(fails == 0 && rump_sys_pipe(p) == 0 && p[0] == 0,
	    "1000 pipes made, used and closed; the table is empty again");
	closeboth(p);
}

int
main(void)
{

	if (rump_init() != 0)
		return 1;
	test_basics();
	test_eof_epipe();
	test_nonblocking();
	test_atomic();
	test_blocking();
	test_poll();
	test_select();
	test_many();
	test_edges();
	return tap_done();
}
