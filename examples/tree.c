/*
 * tree.c: a file system inside this process.
 *
 * Boots a kernel with the VFS and tmpfs linked in (tmpfs becomes the
 * root file system), builds a small tree with files, a hard link and a
 * symbolic link, then lists it recursively, the way `ls -lR` would,
 * using only rump_sys_* calls.  Build and run it with `make demo`;
 * link your own program the same way (component libraries whole):
 *
 *	cc prog.c -Wl,--whole-archive -lrumpfs_tmpfs -lrumpvfs \
 *	    -Wl,--no-whole-archive -lrump -lrumpuser -lpthread
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

static void
die(const char *what)
{

	fprintf(stderr, "tree: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
put_file(const char *path, const char *text)
{
	int fd;

	if ((fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT |
	    RUMP_O_TRUNC, 0644)) == -1)
		die(path);
	if (rump_sys_write(fd, text, strlen(text)) != (rump_ssize_t)strlen(text))
		die(path);
	rump_sys_close(fd);
}

static char
type_char(rump_mode_t mode)
{

	switch (mode & RUMP_S_IFMT) {
	case RUMP_S_IFDIR: return 'd';
	case RUMP_S_IFLNK: return 'l';
	case RUMP_S_IFIFO: return 'p';
	default: return '-';
	}
}

/* List directory path, then descend into its subdirectories. */
static void
list(const char *path)
{
	char buf[4096], child[1024], target[256];
	struct rump_stat st;
	struct rump_dirent *d;
	int fd, n, off, i;

	printf("%s:\n", path);
	if ((fd = rump_sys_open(path, RUMP_O_RDONLY | RUMP_O_DIRECTORY,
	    0)) == -1)
		die(path);
	/* getdents fills buf with variable-length records. */
	while ((n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct rump_dirent *)(buf + off);
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s",
			    strcmp(path, "/") ? path : "", d->d_name);
			if (rump_sys_lstat(child, &st) == -1)
				die(child);
			printf("%c", type_char(st.st_mode));
			for (i = 8; i >= 0; i--)
				putchar(st.st_mode & (1 << i) ?
				    "xwr"[i % 3] : '-');
			printf(" %2u %4u %6lld %s", (unsigned)st.st_nlink,
			    (unsigned)st.st_uid, (long long)st.st_size,
			    d->d_name);
			if ((st.st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK) {
				rump_ssize_t tl = rump_sys_readlink(child,
				    target, sizeof(target) - 1);

				target[tl > 0 ? tl : 0] = '\0';
				printf(" -> %s", target);
			}
			printf("\n");
		}
	}
	rump_sys_close(fd);

	/* Second pass: recurse, as ls -R does after the listing. */
	if ((fd = rump_sys_open(path, RUMP_O_RDONLY | RUMP_O_DIRECTORY,
	    0)) == -1)
		die(path);
	while ((n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct rump_dirent *)(buf + off);
			if (d->d_type != RUMP_DT_DIR ||
			    strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s",
			    strcmp(path, "/") ? path : "", d->d_name);
			printf("\n");
			list(child);
		}
	}
	rump_sys_close(fd);
}

int
main(void)
{
	char text[64];
	int fd, n;

	if (rump_init() == -1)
		die("rump_init");

	/* Build a tree on the tmpfs root. */
	if (rump_sys_mkdir("/home", 0755) == -1 ||
	    rump_sys_mkdir("/home/user", 0750) == -1 ||
	    rump_sys_mkdir("/home/user/notes", 0700) == -1)
		die("mkdir");
	put_file("/home/user/hello.txt", "hello from a rump kernel\n");
	put_file("/home/user/notes/todo", "1. boot\n2. mount\n3. profit\n");
	if (rump_sys_link("/home/user/hello.txt", "/home/user/again.txt") ==
	    -1 || rump_sys_symlink("notes/todo", "/home/user/todo") == -1 ||
	    rump_sys_mkfifo("/home/user/pipe", 0600) == -1)
		die("link");

	list("/");

	/* Read a file back through the symbolic link. */
	if ((fd = rump_sys_open("/home/user/todo", RUMP_O_RDONLY, 0)) == -1)
		die("open");
	n = (int)rump_sys_read(fd, text, sizeof(text) - 1);
	text[n > 0 ? n : 0] = '\0';
	rump_sys_close(fd);
	printf("\n/home/user/todo says:\n%s", text);
	return 0;
}
