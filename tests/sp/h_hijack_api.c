/*
 * h_hijack_api.c: the C library's file interface, call by call, as a
 * program sees it.  t_hijack_api.sh runs it twice: on a host directory
 * without librumphijack (so every expectation here is checked against
 * Linux itself) and on /rump/... under librumphijack against a
 * rump_server; the two runs must both pass, so the hijacked calls
 * behave as the host's do.
 *
 *	h_hijack_api base-directory [host-directory-for-cross-checks]
 *
 * With the second argument (the hijacked run), renames and links
 * between the two kernels must fail with EXDEV and poll/select must
 * handle descriptors of both at once.  TAP on standard output.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tap.h"

static char base[PATH_MAX / 2];

static const char *
P(const char *name)
{
	static char buf[4][PATH_MAX + 64];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", base, name);
	return buf[k];
}

static void
t_io(void)
{
	struct iovec iov[2];
	char buf[64], a[4], b[8];
	struct stat st;
	int fd, fd2, fl;

	fd = open(P("f"), O_CREAT | O_EXCL | O_RDWR, 0666);
	ok(fd >= 0 && fd < FD_SETSIZE, "open O_CREAT|O_EXCL: a small number");
	ok(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0 &&
	    (st.st_mode & 0777) == 0644, "fstat: empty regular file, 0644 "
	    "(umask 022)");
	errno = 0;
	ok(open(P("f"), O_CREAT | O_EXCL | O_RDWR, 0666) == -1 &&
	    errno == EEXIST, "O_EXCL again: EEXIST");
	ok(write(fd, "hello world", 11) == 11, "write");
	ok(lseek(fd, 0, SEEK_CUR) == 11, "lseek SEEK_CUR after it");
	memset(buf, 0, sizeof(buf));
	ok(pread(fd, buf, 5, 6) == 5 && memcmp(buf, "world", 5) == 0,
	    "pread");
	ok(pwrite(fd, "W", 1, 6) == 1, "pwrite");
	ok(lseek(fd, -5, SEEK_END) == 6, "lseek SEEK_END");
	ok(read(fd, buf, 5) == 5 && memcmp(buf, "World", 5) == 0,
	    "read sees pwrite's byte");
	ok(read(fd, buf, 5) == 0, "read at the end: 0");
	iov[0].iov_base = (void *)"abc";
	iov[0].iov_len = 3;
	iov[1].iov_base = (void *)"defg";
	iov[1].iov_len = 4;
	ok(writev(fd, iov, 2) == 7, "writev");
	lseek(fd, 11, SEEK_SET);
	iov[0].iov_base = a;
	iov[0].iov_len = 4;
	iov[1].iov_base = b;
	iov[1].iov_len = 8;
	ok(readv(fd, iov, 2) == 7 && memcmp(a, "abcd", 4) == 0 &&
	    memcmp(b, "efg", 3) == 0, "readv");

	fd2 = dup(fd);
	ok(fd2 >= 0 && fd2 != fd, "dup");
	lseek(fd2, 2, SEEK_SET);
	ok(lseek(fd, 0, SEEK_CUR) == 2, "... the offset is shared");
	ok(fcntl(fd2, F_GETFD) == 0, "F_GETFD: not close-on-exec");
	ok(fcntl(fd2, F_SETFD, FD_CLOEXEC) == 0 &&
	    fcntl(fd2, F_GETFD) == FD_CLOEXEC, "F_SETFD FD_CLOEXEC");
	ok(fcntl(fd, F_GETFD) == 0, "... only on that descriptor");
	ok((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, "F_GETFL: O_RDWR");
	ok(fcntl(fd, F_SETFL, O_APPEND) == 0 &&
	    ((fl = fcntl(fd, F_GETFL)) & O_APPEND), "F_SETFL O_APPEND");
	lseek(fd, 0, SEEK_SET);
	write(fd, "!", 1);
	ok(fstat(fd, &st) == 0 && st.st_size == 19, "... writes go to the end");
	fcntl(fd, F_SETFL, 0);
	ok(close(fd2) == 0, "close the dup");
	ok(close(fd2) == -1 && errno == EBADF, "close again: EBADF");

	ok(dup2(fd, 50) == 50, "dup2 to 50");
	ok(pread(50, buf, 5, 0) == 5 && memcmp(buf, "hello", 5) == 0,
	    "... 50 reads the file");
	ok(close(50) == 0 && fstat(fd, &st) == 0, "... closing it leaves "
	    "the first");
	fd2 = fcntl(fd, F_DUPFD, 40);
	ok(fd2 >= 40, "F_DUPFD from 40");
	close(fd2);

	ok(ftruncate(fd, 3) == 0 && fstat(fd, &st) == 0 && st.st_size == 3,
	    "ftruncate");
	ok(truncate(P("f"), 0) == 0 && fstat(fd, &st) == 0 &&
	    st.st_size == 0, "truncate by name");
	ok(close(fd) == 0, "close");
}

/* stdout onto a file and back, as a shell's "exec > file" does. */
static void
t_stdout(void)
{
	char buf[16] = { 0 };
	int fd, saved;
	bool moved;

	fflush(stdout);
	fd = open(P("out"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
	saved = dup(1);
	moved = fd >= 0 && saved >= 0 && dup2(fd, 1) == 1;
	write(1, "to-file", 7);
	dup2(saved, 1);
	ok(moved, "dup2 a file onto stdout");
	close(saved);
	close(fd);
	fd = open(P("out"), O_RDONLY);
	ok(read(fd, buf, sizeof(buf)) == 7 && strcmp(buf, "to-file") == 0,
	    "... what went to fd 1 is in the file");
	close(fd);
}

static void
t_names(const char *cross)
{
	struct timespec ts[2];
	char buf[64];
	struct stat st, st2;
	int dfd, fd;

	ok(mkdir(P("d"), 0755) == 0, "mkdir");
	ok(mkdir(P("d"), 0755) == -1 && errno == EEXIST, "... again: EEXIST");
	dfd = open(P("d"), O_RDONLY | O_DIRECTORY);
	ok(dfd >= 0, "open O_DIRECTORY");
	ok(mkdirat(dfd, "sub", 0700) == 0, "mkdirat");
	fd = openat(dfd, "sub/g", O_CREAT | O_WRONLY, 0600);
	ok(fd >= 0, "openat relative to a directory descriptor");
	write(fd, "12345", 5);
	close(fd);
	ok(fstatat(dfd, "sub/g", &st, 0) == 0 && st.st_size == 5 &&
	    (st.st_mode & 0777) == 0600, "fstatat");
	ok(stat(P("d/sub/g"), &st2) == 0 && st2.st_ino == st.st_ino,
	    "stat: the same inode");
	ok(linkat(dfd, "sub/g", dfd, "h", 0) == 0 &&
	    stat(P("d/h"), &st) == 0 && st.st_nlink == 2, "linkat: two links");
	ok(renameat(dfd, "h", dfd, "h2") == 0 && access(P("d/h2"), F_OK) == 0 &&
	    access(P("d/h"), F_OK) == -1 && errno == ENOENT, "renameat");
	ok(symlinkat("sub/g", dfd, "sl") == 0, "symlinkat");
	memset(buf, 0, sizeof(buf));
	ok(readlinkat(dfd, "sl", buf, sizeof(buf)) == 5 &&
	    strcmp(buf, "sub/g") == 0, "readlinkat");
	ok(lstat(P("d/sl"), &st) == 0 && S_ISLNK(st.st_mode) &&
	    stat(P("d/sl"), &st2) == 0 && S_ISREG(st2.st_mode),
	    "lstat sees the link, stat its target");
	ok(fchmodat(dfd, "h2", 0604, 0) == 0 && stat(P("d/h2"), &st) == 0 &&
	    (st.st_mode & 0777) == 0604, "fchmodat");
	ok(chmod(P("d/h2"), 0644) == 0, "chmod");
	ok(fchownat(dfd, "h2", getuid(), getgid(), 0) == 0, "fchownat to us");
	ts[0].tv_sec = 1000000000;
	ts[0].tv_nsec = 5000;
	ts[1].tv_sec = 1200000000;
	ts[1].tv_nsec = 7000;
	ok(utimensat(dfd, "h2", ts, 0) == 0 && stat(P("d/h2"), &st) == 0 &&
	    st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1200000000 &&
	    st.st_mtim.tv_nsec == 7000, "utimensat sets both times");
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = 1300000000;
	ts[1].tv_nsec = 0;
	ok(utimensat(dfd, "h2", ts, 0) == 0 && stat(P("d/h2"), &st) == 0 &&
	    st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1300000000,
	    "... UTIME_OMIT leaves atime");
	ok(access(P("d/h2"), R_OK | W_OK) == 0, "access R_OK|W_OK");
	ok(faccessat(dfd, "nosuch", F_OK, 0) == -1 && errno == ENOENT,
	    "faccessat of a missing name: ENOENT");
	ok(unlinkat(dfd, "sl", 0) == 0, "unlinkat");
	ok(unlinkat(dfd, "sub", AT_REMOVEDIR) == -1 && errno == ENOTEMPTY,
	    "unlinkat AT_REMOVEDIR of a full directory: ENOTEMPTY");
	ok(unlink(P("d/sub/g")) == 0 && rmdir(P("d/sub")) == 0,
	    "unlink, rmdir");
	ok(mkfifo(P("d/fifo"), 0600) == 0 && lstat(P("d/fifo"), &st) == 0 &&
	    S_ISFIFO(st.st_mode), "mkfifo");
	unlink(P("d/fifo"));
	ok(rename(P("d/h2"), P("h3")) == 0, "rename between directories");
	close(dfd);

	if (cross != NULL) {
		char hp[PATH_MAX];

		snprintf(hp, sizeof(hp), "%s/x", cross);
		ok(rename(P("h3"), hp) == -1 && errno == EXDEV,
		    "rename across kernels: EXDEV");
		ok(link(P("h3"), hp) == -1 && errno == EXDEV,
		    "link across kernels: EXDEV");
	}
	unlink(P("h3"));
}

static void
t_dir(void)
{
	char name[32], want[sizeof(((struct dirent *)0)->d_name)];
	struct dirent *de;
	struct stat st;
	long loc = 0;
	DIR *d;
	int i, n, fd;

	mkdir(P("many"), 0755);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "many/file%03d", i);
		close(open(P(name), O_CREAT | O_WRONLY, 0644));
	}
	ok((d = opendir(P("many"))) != NULL, "opendir");
	if (d == NULL)
		return;
	n = 0;
	want[0] = '\0';
	while ((de = readdir(d)) != NULL) {
		n++;
		if (n == 100) {
			loc = telldir(d);
		} else if (n == 101)
			snprintf(want, sizeof(want), "%s", de->d_name);
		if (strncmp(de->d_name, "file", 4) == 0 && de->d_type != DT_REG &&
		    de->d_type != DT_UNKNOWN)
			break;
	}
	ok(n == 302, "readdir: 300 files, . and .. (%d)", n);
	seekdir(d, loc);
	de = readdir(d);
	ok(de != NULL && strcmp(de->d_name, want) == 0,
	    "telldir/seekdir: back to the same entry");
	rewinddir(d);
	for (n = 0; readdir(d) != NULL; n++)
		continue;
	ok(n == 302, "rewinddir: all again");
	ok(fstat(dirfd(d), &st) == 0 && S_ISDIR(st.st_mode),
	    "dirfd: a directory descriptor");
	ok(closedir(d) == 0, "closedir");
	fd = open(P("many"), O_RDONLY | O_DIRECTORY);
	ok((d = fdopendir(fd)) != NULL && readdir(d) != NULL,
	    "fdopendir on an open directory");
	if (d != NULL)
		closedir(d);
	ok(fcntl(fd, F_GETFD) == -1 && errno == EBADF,
	    "... closedir closed its descriptor");
}

static void
t_stdio(void)
{
	char line[64];
	struct stat st;
	FILE *fp;
	int n = 0;

	ok((fp = fopen(P("s"), "w")) != NULL, "fopen w");
	if (fp == NULL)
		return;
	fprintf(fp, "line %d\n", 1);
	fprintf(fp, "line %d\n", 2);
	ok(fileno(fp) >= 0 && fstat(fileno(fp), &st) == 0, "fileno, fstat");
	ok(fclose(fp) == 0, "fclose");
	fp = fopen(P("s"), "a");
	fputs("line 3\n", fp);
	fclose(fp);
	fp = fopen(P("s"), "r");
	while (fp != NULL && fgets(line, sizeof(line), fp) != NULL)
		n++;
	ok(n == 3, "fopen a appends, fopen r reads the lines back");
	ok(fp != NULL && fseek(fp, 5, SEEK_SET) == 0 && ftell(fp) == 5 &&
	    fgets(line, sizeof(line), fp) != NULL && strcmp(line, "1\n") == 0,
	    "fseek, ftell");
	if (fp != NULL)
		fclose(fp);
	errno = 0;
	ok(fopen(P("nosuch/x"), "r") == NULL && errno == ENOENT,
	    "fopen of a missing file: ENOENT");
	fp = fdopen(open(P("s"), O_RDONLY), "r");
	ok(fp != NULL && fgets(line, sizeof(line), fp) != NULL &&
	    strcmp(line, "line 1\n") == 0, "fdopen");
	if (fp != NULL)
		fclose(fp);
}

static void
t_cwd(void)
{
	char cwd[PATH_MAX], want[PATH_MAX + 8];
	int here, fd;

	here = open(".", O_RDONLY | O_DIRECTORY);
	mkdir(P("cw"), 0755);
	ok(chdir(P("cw")) == 0, "chdir");
	snprintf(want, sizeof(want), "%s/cw", base);
	ok(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, want) == 0,
	    "getcwd: %s", cwd);
	fd = open("rel", O_CREAT | O_WRONLY, 0644);
	ok(fd >= 0, "a relative open lands there");
	close(fd);
	ok(access(P("cw/rel"), F_OK) == 0, "... as cw/rel");
	ok(getcwd(cwd, 2) == NULL && errno == ERANGE, "getcwd: ERANGE");
	ok(fchdir(here) == 0 && access("rel", F_OK) == -1, "fchdir back");
	close(here);
}

static void
t_locks(void)
{
	struct flock fl;
	int fd, fd2, st = 0;
	pid_t pid;

	fd = open(P("lk"), O_CREAT | O_RDWR, 0644);
	fd2 = open(P("lk"), O_RDWR);
	ok(flock(fd, LOCK_EX) == 0, "flock LOCK_EX");
	ok(flock(fd2, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK,
	    "... another open file: EWOULDBLOCK");
	flock(fd, LOCK_UN);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 10;
	fl.l_len = 10;
	ok(fcntl(fd, F_SETLK, &fl) == 0, "F_SETLK a write lock");
	fflush(stdout);
	if ((pid = fork()) == 0) {
		/* The child is another process: it sees the lock. */
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = 0;
		fl.l_len = 0;
		if (fcntl(fd, F_GETLK, &fl) != 0 || fl.l_type != F_WRLCK ||
		    fl.l_start != 10 || fl.l_len != 10)
			_exit(1);
		fl.l_type = F_WRLCK;
		if (fcntl(fd, F_SETLK, &fl) == 0 ||
		    (errno != EAGAIN && errno != EACCES))
			_exit(2);
		/* The parent's descriptors are ours too, offsets shared. */
		if (write(fd, "child", 5) != 5)
			_exit(3);
		_exit(0);
	}
	ok(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0, "fork: the child sees the lock, writes "
	    "through the inherited descriptor (status %d)",
	    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	ok(lseek(fd, 0, SEEK_CUR) == 5, "... and moved our shared offset");
	close(fd2);
	close(fd);
}

/*
 * A wait on both kernels ends when either side has an event.  The rump
 * side has nothing that becomes ready later here (its FIFOs cannot be
 * opened yet, pipes are the host's), so it waits on a file for POLLPRI,
 * which never comes, while a child writes the host pipe.
 */
static void
t_poll_wait(void)
{
	struct pollfd pfd[2];
	int fd, p[2], st;
	pid_t pid;

	fd = open(P("f"), O_RDONLY);
	if (fd < 0 || pipe(p) != 0) {
		ok(0, "open, pipe");
		return;
	}
	fflush(stdout);
	if ((pid = fork()) == 0) {
		usleep(100000);
		_exit(write(p[1], "h", 1) == 1 ? 0 : 1);
	}
	pfd[0].fd = fd;
	pfd[0].events = POLLPRI;
	pfd[1].fd = p[0];
	pfd[1].events = POLLIN;
	ok(poll(pfd, 2, 20000) == 1 && (pfd[1].revents & POLLIN) &&
	    pfd[0].revents == 0, "a wait on both kernels ends when the host "
	    "pipe is written");
	waitpid(pid, &st, 0);
	ok(poll(pfd, 1, 50) == 0, "a wait on the rump side times out");
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void
t_poll(const char *cross)
{
	struct pollfd pfd[2];
	fd_set rs;
	struct timeval tv;
	int fd, p[2];

	fd = open(P("f"), O_RDONLY);
	pfd[0].fd = fd;
	pfd[0].events = POLLIN;
	ok(poll(pfd, 1, 1000) == 1 && (pfd[0].revents & POLLIN),
	    "poll: a file is readable");
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	tv.tv_sec = 1;
	tv.tv_usec = 0;
	ok(select(fd + 1, &rs, NULL, NULL, &tv) == 1 && FD_ISSET(fd, &rs),
	    "select: a file is readable");
	if (cross != NULL && pipe(p) == 0) {
		/* A host pipe with nothing in it, and a rump file. */
		pfd[1].fd = p[0];
		pfd[1].events = POLLIN;
		ok(poll(pfd, 2, 1000) == 1 && (pfd[0].revents & POLLIN) &&
		    pfd[1].revents == 0, "poll across kernels: the rump "
		    "file ready, the empty host pipe not");
		write(p[1], "x", 1);
		ok(poll(pfd, 2, 1000) == 2 && (pfd[1].revents & POLLIN),
		    "... the pipe ready too once written");
		FD_ZERO(&rs);
		FD_SET(fd, &rs);
		FD_SET(p[0], &rs);
		ok(select((fd > p[0] ? fd : p[0]) + 1, &rs, NULL, NULL,
		    &tv) == 2, "select across kernels");
		close(p[0]);
		close(p[1]);
	}
	close(fd);
	if (cross != NULL)
		t_poll_wait();
}

static void
t_misc(void)
{
	struct statvfs sv;

	ok(statvfs(base, &sv) == 0 && sv.f_bsize > 0 && sv.f_blocks > 0,
	    "statvfs");
	errno = 0;
	ok(open(P("nosuch"), O_RDONLY) == -1 && errno == ENOENT,
	    "open of a missing file: ENOENT");
	ok(open(P("f/x"), O_RDONLY) == -1 && errno == ENOTDIR,
	    "a path through a file: ENOTDIR");
	ok(read(-1, NULL, 0) == -1 && errno == EBADF, "read(-1): EBADF");
}

/*
 * A program that closes every descriptor it does not know of (as
 * daemons and some shells do) must not cut the library's connection.
 */
static void
t_closeall(void)
{
	struct stat st;
	int fd;

	for (fd = 3; fd < 1024; fd++)
		(void)close(fd);
	ok(dup2(0, 600) == 600 && close(600) == 0,
	    "dup2 onto a high number works");
	ok(stat(P("f"), &st) == 0, "after closing descriptors 3 to 1023, "
	    "the files are still there");
	fd = open(P("f"), O_RDONLY);
	ok(fd >= 0 && close_range((unsigned)fd, (unsigned)fd,
	    CLOSE_RANGE_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC,
	    "close_range CLOSE_RANGE_CLOEXEC");
	closefrom(3);
	ok(fcntl(fd, F_GETFD) == -1 && errno == EBADF, "closefrom closed it");
	ok(stat(P("f"), &st) == 0 && (fd = open(P("f"), O_RDONLY)) >= 0 &&
	    close(fd) == 0, "... and the files are still there");
}

int
main(int argc, char **argv)
{
	const char *cross = argc > 2 ? argv[2] : NULL;

	if (argc < 2 || strlen(argv[1]) >= sizeof(base)) {
		fprintf(stderr, "usage: h_hijack_api dir [hostdir]\n");
		return 2;
	}
	strcpy(base, argv[1]);
	umask(022);
	t_io();
	t_stdout();
	t_names(cross);
	t_dir();
	t_stdio();
	t_cwd();
	t_locks();
	t_poll(cross);
	t_misc();
	t_closeall();
	return tap_done();
}
