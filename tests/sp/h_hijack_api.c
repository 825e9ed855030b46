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
 * handle descriptors of both at once; what only the rump kernel
 * refuses (a shared mapping, an inotify watch) is checked then too.
 * TAP on standard output.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tap.h"

static char base[PATH_MAX / 2];

extern char **environ;

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

/* Make a file with these contents: true if it worked. */
static bool
put(const char *path, const char *text, mode_t mode)
{
	size_t n = strlen(text);
	int fd;
	bool done;

	if ((fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode)) < 0)
		return false;
	done = write(fd, text, n) == (ssize_t)n;
	return close(fd) == 0 && done;
}

/* A file's first line (newline taken off), or "" if unreadable. */
static const char *
get(const char *path)
{
	static char buf[PATH_MAX + 64];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY)) < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/*
 * What glibc does through internal calls (which an interposer must
 * redo): remove, realpath, scandir, glob, nftw, ftw, getwd.
 */
static int
one_letter(const struct dirent *e)
{

	return strlen(e->d_name) == 1 && e->d_name[0] != '.';
}

static char walked[1024];
static int walked_n;

static int
walk_fn(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	char cwd[PATH_MAX];

	(void)st;
	/* Relative names, with the flag and the level: "d1 x/y F2". */
	snprintf(walked + strlen(walked), sizeof(walked) - strlen(walked),
	    "%s%s %c%d", walked[0] != '\0' ? "," : "",
	    path + strlen(base) + (path[strlen(base)] == '/'),
	    flag == FTW_F ? 'F' : flag == FTW_D ? 'D' : flag == FTW_DP ? 'P' :
	    flag == FTW_SL ? 'L' : flag == FTW_SLN ? 'N' : '?', f->level);
	walked_n++;
	/* FTW_CHDIR is checked by the callback itself: base/w is cwd. */
	if (f->level == 2 && getcwd(cwd, sizeof(cwd)) != NULL &&
	    strcmp(cwd, P("w/sub")) != 0 && strcmp(cwd, P("w")) != 0)
		walked_n = -1000;
	return 0;
}

static int
skip_fn(const char *path, const struct stat *st, int flag, struct FTW *f)
{

	(void)st;
	(void)f;
	walked_n++;
	if (flag == FTW_D && strcmp(path, P("w/sub")) == 0)
		return FTW_SKIP_SUBTREE;
	return FTW_CONTINUE;
}

static int
ftw_fn(const char *path, const struct stat *st, int flag)
{

	(void)path;
	(void)st;
	(void)flag;
	walked_n++;
	return 0;
}

static void
t_libc(void)
{
	char want[PATH_MAX], got[PATH_MAX], *r, hbase[PATH_MAX];
	char *(*getwd_fn)(char *);
	struct dirent **list;
	glob_t g;
	int n, i, saved;

	ok(put(P("rm1"), "x", 0644) && remove(P("rm1")) == 0 &&
	    access(P("rm1"), F_OK) == -1, "remove a file");
	ok(mkdir(P("rmd"), 0755) == 0 && remove(P("rmd")) == 0 &&
	    access(P("rmd"), F_OK) == -1, "remove an empty directory");
	errno = 0;
	ok(remove(P("rm1")) == -1 && errno == ENOENT, "remove: ENOENT");

	/* Expected names start from the base's own real name. */
	if (realpath(base, hbase) == NULL)
		strcpy(hbase, "?");
	mkdir(P("rp"), 0755);
	mkdir(P("rp/a"), 0755);
	symlink("a", P("rp/l"));
	symlink("/nonexistent-target", P("rp/dangling"));
	symlink("loop", P("rp/loop"));
	put(P("rp/a/f"), "x", 0644);
	snprintf(want, sizeof(want), "%s/rp/a/f", hbase);
	r = realpath(P("rp/l/../a/./f"), got);
	ok(r == got && strcmp(got, want) == 0, "realpath through a link, "
	    ".. and .: %s", r != NULL ? got : strerror(errno));
	r = realpath(P("rp//l/"), NULL);
	snprintf(want, sizeof(want), "%s/rp/a", hbase);
	ok(r != NULL && strcmp(r, want) == 0, "realpath, malloc'd: %s",
	    r != NULL ? r : strerror(errno));
	free(r);
	r = canonicalize_file_name(P("rp/l"));
	ok(r != NULL && strcmp(r, want) == 0, "canonicalize_file_name");
	free(r);
	errno = 0;
	ok(realpath(P("rp/nosuch"), got) == NULL && errno == ENOENT,
	    "realpath: ENOENT");
	errno = 0;
	ok(realpath(P("rp/loop"), got) == NULL && errno == ELOOP,
	    "realpath: ELOOP");
	errno = 0;
	ok(realpath(P("rp/a/f/x"), got) == NULL && errno == ENOTDIR,
	    "realpath: ENOTDIR");
	errno = 0;
	ok(realpath(P("rp/dangling"), got) == NULL && errno == ENOENT,
	    "realpath of a dangling link: ENOENT");

	mkdir(P("sc"), 0755);
	put(P("sc/c"), "", 0644);
	put(P("sc/a"), "", 0644);
	put(P("sc/bb"), "", 0644);
	put(P("sc/b"), "", 0644);
	n = scandir(P("sc"), &list, one_letter, alphasort);
	ok(n == 3 && strcmp(list[0]->d_name, "a") == 0 &&
	    strcmp(list[1]->d_name, "b") == 0 &&
	    strcmp(list[2]->d_name, "c") == 0, "scandir: filtered, sorted");
	for (i = 0; i < n; i++)
		free(list[i]);
	if (n >= 0)
		free(list);
	n = scandir(P("sc"), &list, NULL, NULL);
	ok(n == 6, "scandir: all, . and .. too (%d)", n);
	for (i = 0; i < n; i++)
		free(list[i]);
	if (n >= 0)
		free(list);
	errno = 0;
	ok(scandir(P("nosuch"), &list, NULL, NULL) == -1 && errno == ENOENT,
	    "scandir: ENOENT");

	ok(glob(P("sc/?"), 0, NULL, &g) == 0 && g.gl_pathc == 3 &&
	    strcmp(g.gl_pathv[0], P("sc/a")) == 0 &&
	    strcmp(g.gl_pathv[2], P("sc/c")) == 0, "glob: sorted matches");
	ok(glob(P("sc*"), GLOB_MARK | GLOB_APPEND, NULL, &g) == 0 &&
	    g.gl_pathc == 4 && strcmp(g.gl_pathv[3], P("sc/")) == 0,
	    "glob GLOB_APPEND|GLOB_MARK: a directory gets its slash");
	globfree(&g);
	ok(glob(P("sc/z*"), 0, NULL, &g) == GLOB_NOMATCH, "glob: "
	    "GLOB_NOMATCH");

	/* A tree: w/{f, sub/{g}, ln -> f}. */
	mkdir(P("w"), 0755);
	mkdir(P("w/sub"), 0755);
	put(P("w/f"), "", 0644);
	put(P("w/sub/g"), "", 0644);
	symlink("f", P("w/ln"));
	walked[0] = '\0';
	walked_n = 0;
	ok(nftw(P("w"), walk_fn, 4, FTW_PHYS | FTW_DEPTH | FTW_CHDIR) == 0 &&
	    walked_n == 5, "nftw FTW_PHYS|FTW_DEPTH|FTW_CHDIR: 5 calls, "
	    "each in its parent directory");
	ok(strstr(walked, "w/sub/g F2") != NULL &&
	    strstr(walked, "w/ln L1") != NULL &&
	    strstr(walked, "w P0") != NULL &&
	    strstr(walked, "w/sub/g F2") < strstr(walked, "w/sub P1") &&
	    strstr(walked, "w/sub P1") < strstr(walked, "w P0"),
	    "... postorder, types, levels: %s", walked);
	ok(getcwd(got, sizeof(got)) != NULL && strcmp(got, P("w")) != 0,
	    "... and back where it started");
	walked_n = 0;
	ok(nftw(P("w"), skip_fn, 4, FTW_ACTIONRETVAL) == 0 && walked_n == 4,
	    "nftw FTW_ACTIONRETVAL: FTW_SKIP_SUBTREE (%d calls)", walked_n);
	walked_n = 0;
	ok(ftw(P("w"), ftw_fn, 4) == 0 && walked_n == 5, "ftw");
	errno = 0;
	ok(nftw(P("nosuch"), walk_fn, 4, 0) == -1 && errno == ENOENT,
	    "nftw: ENOENT");

	saved = open(".", O_RDONLY | O_DIRECTORY);
	chdir(P("w"));
	/* getwd by name: linking it draws the linker's warning. */
	getwd_fn = (char *(*)(char *))dlsym(RTLD_DEFAULT, "getwd");
	ok(getwd_fn != NULL && getwd_fn(got) != NULL &&
	    strcmp(got, P("w")) == 0, "getwd");
	r = get_current_dir_name();
	ok(r != NULL && strcmp(r, P("w")) == 0, "get_current_dir_name");
	free(r);
	fchdir(saved);
	close(saved);
}

/*
 * glibc's stat functions before 2.33, which programs built then still
 * call (patch, make): bound by version, as such a program binds them.
 */
int	old_xstat(int, const char *, struct stat *);
int	old_lxstat(int, const char *, struct stat *);
int	old_fxstat(int, int, struct stat *);
int	old_fxstatat(int, int, const char *, struct stat *, int);
__asm__(".symver old_xstat, __xstat@GLIBC_2.2.5");
__asm__(".symver old_lxstat, __lxstat@GLIBC_2.2.5");
__asm__(".symver old_fxstat, __fxstat@GLIBC_2.2.5");
__asm__(".symver old_fxstatat, __fxstatat@GLIBC_2.4");

static void
t_oldstat(void)
{
	struct stat st;
	int fd;

	put(P("old"), "12345", 0600);
	symlink("old", P("oldln"));
	ok(old_xstat(1, P("oldln"), &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size == 5, "__xstat follows the link");
	ok(old_lxstat(1, P("oldln"), &st) == 0 && S_ISLNK(st.st_mode),
	    "__lxstat does not");
	fd = open(P("old"), O_RDONLY);
	ok(old_fxstat(1, fd, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "__fxstat");
	close(fd);
	ok(old_fxstatat(1, AT_FDCWD, P("old"), &st, 0) == 0 &&
	    st.st_size == 5, "__fxstatat");
	errno = 0;
	ok(old_xstat(1, P("nosuch"), &st) == -1 && errno == ENOENT,
	    "__xstat: ENOENT");
}

/* mmap (private), sendfile, getdents64 and syscall(2). */
static void
t_mem(void)
{
	static union {
		struct dirent64	d;
		char		c[512];
	} db;
	char buf[64], *m, *found;
	struct stat st;
	off_t off;
	long n, pos;
	int fd, fd2, dfd;

	put(P("mm"), "mapped text", 0644);
	fd = open(P("mm"), O_RDONLY);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ok(m != MAP_FAILED && memcmp(m, "mapped text", 11) == 0 && m[11] == 0,
	    "mmap MAP_PRIVATE: the contents, zeros after");
	if (m != MAP_FAILED) {
		m[0] = 'M';
		ok(strcmp(get(P("mm")), "mapped text") == 0,
		    "... a store stays in the copy");
		munmap(m, 4096);
	} else
		ok(0, "... a store stays in the copy");
	errno = 0;
	ok(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 1) == MAP_FAILED &&
	    errno == EINVAL, "mmap at an unaligned offset: EINVAL");
	close(fd);
	fd = open(P("mm"), O_WRONLY);
	errno = 0;
	ok(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED &&
	    errno == EACCES, "mmap of a write-only descriptor: EACCES");
	close(fd);

	fd = open(P("mm"), O_RDONLY);
	fd2 = open(P("sent"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
	off = 7;
	ok(sendfile(fd2, fd, &off, 100) == 4 && off == 11 &&
	    lseek(fd, 0, SEEK_CUR) == 0, "sendfile with an offset");
	ok(sendfile(fd2, fd, NULL, 6) == 6 && lseek(fd, 0, SEEK_CUR) == 6,
	    "sendfile from the file's offset");
	close(fd2);
	close(fd);
	ok(strcmp(get(P("sent")), "textmapped") == 0, "... what it wrote");

	ok(syscall(SYS_renameat2, AT_FDCWD, P("sent"), AT_FDCWD, P("sent2"),
	    0) == 0 && access(P("sent2"), F_OK) == 0,
	    "syscall(SYS_renameat2)");
	fd = (int)syscall(SYS_openat, AT_FDCWD, P("sent2"), O_RDONLY, 0);
	ok(fd >= 0 && syscall(SYS_read, fd, buf, 4) == 4 &&
	    memcmp(buf, "text", 4) == 0, "syscall(SYS_openat), SYS_read");
	ok(syscall(SYS_fstat, fd, &st) == 0 && st.st_size == 10,
	    "syscall(SYS_fstat)");
	close(fd);
	errno = 0;
	ok(syscall(SYS_openat, AT_FDCWD, P("nosuch"), O_RDONLY, 0) == -1 &&
	    errno == ENOENT, "syscall: errno");
	ok(syscall(SYS_getpid) == getpid(), "syscall(SYS_getpid): the host's");

	dfd = open(P("sc"), O_RDONLY | O_DIRECTORY);
	found = NULL;
	/* A small buffer: the rest comes on the next calls. */
	n = syscall(SYS_getdents64, dfd, db.c, 64);
	for (pos = 0; n > 0; ) {
		struct dirent64 *e = (struct dirent64 *)(db.c + pos);

		if (strcmp(e->d_name, "bb") == 0 && e->d_type == DT_REG)
			found = db.c;
		pos += e->d_reclen;
		if (pos >= n) {
			n = syscall(SYS_getdents64, dfd, db.c, 64);
			pos = 0;
		}
	}
	ok(n == 0 && found != NULL, "syscall(SYS_getdents64), 64 bytes at "
	    "a time: finds bb, a regular file");
	errno = 0;
	ok(syscall(SYS_getdents64, dfd, db.c, 8) == 0,
	    "... at the end: 0");
	lseek(dfd, 0, SEEK_SET);
	errno = 0;
	ok(syscall(SYS_getdents64, dfd, db.c, 8) == -1 && errno == EINVAL,
	    "... a buffer too small for one: EINVAL");
	close(dfd);
}

/*
 * Programs started by posix_spawn, system and popen, and program files
 * in the base directory: they run where the caller's current directory
 * is and see its descriptors.
 */
static void
t_spawn(void)
{
	posix_spawn_file_actions_t fa;
	char *argv[4], cwd[PATH_MAX], buf[64];
	pid_t pid;
	int status, fd, saved, e;
	FILE *fp;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, P("sp.out"),
	    O_CREAT | O_WRONLY | O_TRUNC, 0644);
	posix_spawn_file_actions_addchdir_np(&fa, P("w"));
	argv[0] = (char *)"sh";
	argv[1] = (char *)"-c";
	argv[2] = (char *)"pwd; ls sub";
	argv[3] = NULL;
	e = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
	ok(e == 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "posix_spawn with addopen and "
	    "addchdir_np");
	posix_spawn_file_actions_destroy(&fa);
	fd = open(P("sp.out"), O_RDONLY);
	memset(cwd, 0, sizeof(cwd));
	read(fd, cwd, sizeof(cwd) - 1);
	close(fd);
	snprintf(buf, sizeof(buf), "\ng\n");
	ok(strncmp(cwd, P("w"), strlen(P("w"))) == 0 &&
	    strstr(cwd, buf) != NULL, "... ran in that directory, output "
	    "in that file: %s", cwd);

	fd = open(P("sp.out2"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	argv[0] = (char *)"echo";
	argv[1] = (char *)"inherited";
	argv[2] = NULL;
	e = posix_spawnp(&pid, "echo", &fa, NULL, argv, environ);
	ok(e == 0 && waitpid(pid, &status, 0) == pid && status == 0,
	    "posix_spawnp with adddup2 of our descriptor");
	posix_spawn_file_actions_destroy(&fa);
	close(fd);
	ok(strcmp(get(P("sp.out2")), "inherited") == 0, "... it wrote there");
	argv[0] = (char *)"nosuch";
	argv[1] = NULL;
	ok(posix_spawn(&pid, P("nosuch"), NULL, NULL, argv, environ) ==
	    ENOENT, "posix_spawn of a missing file: ENOENT");

	saved = open(".", O_RDONLY | O_DIRECTORY);
	chdir(P("w"));
	status = system("pwd > sys.out; exit 3");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 3, "system: the "
	    "exit status");
	ok(strcmp(get("sys.out"), P("w")) == 0, "... it ran in the current "
	    "directory: %s", get("sys.out"));
	fp = popen("cat f sub/g; echo popen-read", "r");
	ok(fp != NULL && fgets(buf, sizeof(buf), fp) != NULL &&
	    strcmp(buf, "popen-read\n") == 0, "popen \"r\", relative paths");
	ok(fp != NULL && pclose(fp) == 0, "pclose: the status");
	fp = popen("cat > popen.out", "w");
	ok(fp != NULL && fputs("popen-write\n", fp) >= 0 && pclose(fp) == 0,
	    "popen \"w\"");
	ok(strcmp(get("popen.out"), "popen-write") == 0, "... it wrote");
	fchdir(saved);
	close(saved);

	/* Program files in the directory: a script and a binary. */
	put(P("script"), "#!/bin/sh\necho \"script $1\" > \"$2\"\n", 0755);
	if ((pid = fork()) == 0) {
		execl(P("script"), "script", "arg", P("script.out"),
		    (char *)NULL);
		_exit(errno == EACCES ? 126 : 127);
	}
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 126) {
		skip(3, "cannot exec in this directory (noexec?)");
		return;
	}
	ok(status == 0 && strcmp(get(P("script.out")), "script arg") == 0,
	    "exec of a script in the directory");
	fd = open("/bin/true", O_RDONLY);
	saved = open(P("true"), O_CREAT | O_WRONLY | O_TRUNC, 0755);
	while (fd >= 0 && saved >= 0 && (e = (int)read(fd, cwd,
	    sizeof(cwd))) > 0)
		write(saved, cwd, (size_t)e);
	close(fd);
	close(saved);
	argv[0] = (char *)"true";
	argv[1] = NULL;
	e = posix_spawn(&pid, P("true"), NULL, NULL, argv, environ);
	ok(e == 0 && waitpid(pid, &status, 0) == pid && status == 0,
	    "posix_spawn of a binary in the directory");
	chmod(P("true"), 0644);
	ok(posix_spawn(&pid, P("true"), NULL, NULL, argv, environ) == EACCES,
	    "... without its x bits: EACCES");
}

/* What the rump kernel cannot do, refused with an error (hijacked run). */
static void
t_refused(void)
{
	struct statfs sf;
	int fd, ifd;

	fd = open(P("mm"), O_RDWR);
	errno = 0;
	ok(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	    errno == ENODEV, "mmap MAP_SHARED of a rump file: ENODEV");
	close(fd);
	ifd = inotify_init1(IN_CLOEXEC);
	errno = 0;
	ok(inotify_add_watch(ifd, P("mm"), IN_MODIFY) == -1 &&
	    errno == ENOTSUP, "inotify_add_watch: ENOTSUP");
	errno = 0;
	ok(inotify_add_watch(ifd, P("nosuch"), IN_MODIFY) == -1 &&
	    errno == ENOENT, "... ENOENT for a missing file");
	close(ifd);
	ok(statfs(base, &sf) == 0 && sf.f_type == 0x72756d70,
	    "statfs: a type of its own, so tail -f polls");
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
	t_libc();
	t_oldstat();
	t_mem();
	t_spawn();
	if (cross != NULL)
		t_refused();
	t_closeall();
	return tap_done();
}
