/*
 * t_remote_ffs.c: an FFS image served by rump_server and changed by a
 * client.  newfs makes the image; rump_server -l ffs -d maps it;
 * rump.mount mounts it in the server; this program (librumpclient)
 * writes files through the server; rump.umount, a read-only remount
 * and a read back; rump.halt stops the server, flushing; then fsck_ffs
 * finds the image clean and fsu_cat reads the files from it directly.
 * A second server, without -l (-d and -m load etfs and ffs), mounts
 * the image read-only at start and serves the file.
 */
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#include "../tap.h"
#include "spsubr.h"

static char bin[512], work[256];

static int
run(const char *fmt, const char *arg)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), fmt, bin, arg);
	return system(cmd);
}

int
main(void)
{
	const char *b = getenv("RUMP_BUILD");
	char server[600], url[400], img[400], dev[500], host[400];
	static char data[3 << 20], back[3 << 20];
	size_t i;
	pid_t pid;
	int status, fd, bad;

	snprintf(bin, sizeof(bin), "%s/bin", b ? b : "build");
	snprintf(server, sizeof(server), "%s/rump_server", bin);
	if (access(server, X_OK) != 0) {
		printf("1..0 # SKIP rump_server not built\n");
		return 0;
	}
	snprintf(work, sizeof(work), "%s/t_remote_ffs.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(work) == NULL)
		return 1;
	snprintf(img, sizeof(img), "%s/img", work);
	snprintf(url, sizeof(url), "unix://%s/sock", work);
	snprintf(dev, sizeof(dev), "key=/dev/disk,hostpath=%s", img);
	snprintf(host, sizeof(host), "%s/data", work);
	ok(run("%s/newfs -O 2 -s 32m %s >/dev/null", img) == 0, "newfs");
	signal(SIGPIPE, SIG_IGN);
	pid = sp_server_start(server, "ffs", url, dev);
	ok(sp_client_connect(url) == 0 && rump_sys_mkdir("/mnt", 0755) == 0,
	    "connected, /mnt made in the server");
	ok(run("%s/rump.mount -t ffs /dev/disk /mnt", "") == 0,
	    "rump.mount -t ffs /dev/disk /mnt");
	for (i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + i / 4096);
	fd = rump_sys_open("/mnt/big", RUMP_O_CREAT | RUMP_O_WRONLY, 0644);
	bad = 0;
	for (i = 0; i < sizeof(data); i += 65536)
		if (rump_sys_write(fd, data + i, 65536) != 65536)
			bad++;
	ok(fd >= 0 && bad == 0 && rump_sys_close(fd) == 0 &&
	    rump_sys_mkdir("/mnt/d", 0700) == 0 &&
	    rump_sys_symlink("../big", "/mnt/d/link") == 0,
	    "a 3 MiB file, a directory and a symlink written remotely");
	ok(run("%s/rump.umount /mnt", "") == 0, "rump.umount");
	ok(run("%s/rump.mount -t ffs -o ro /dev/disk /mnt", "") == 0,
	    "rump.mount -o ro");
	fd = rump_sys_open("/mnt/d/link", RUMP_O_RDONLY, 0);
	memset(back, 0, sizeof(back));
	for (i = 0; fd >= 0 && i < sizeof(back); i += 65536)
		if (rump_sys_read(fd, back + i, 65536) != 65536)
			break;
	ok(fd >= 0 && memcmp(back, data, sizeof(data)) == 0,
	    "read back remotely through the symlink");
	rump_sys_close(fd);
	ok(rump_sys_mkdir("/mnt/x", 0755) == -1 && errno == EROFS,
	    "the read-only mount refuses writes (EROFS)");
	ok(run("%s/rump.umount /mnt", "") == 0, "rump.umount again");
	ok(run("%s/rump.halt", "") == 0, "rump.halt");
	ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "the server exits 0");
	ok(run("%s/fsck_ffs -n %s >/dev/null", img) == 0, "fsck_ffs: the "
	    "image is clean");
	if ((fd = open(host, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0) {
		(void)write(fd, data, sizeof(data));
		close(fd);
	}
	{
		char cmd[2048];

		snprintf(cmd, sizeof(cmd), "%s/fsu_cat %s /big | cmp -s - %s",
		    bin, img, host);
		ok(system(cmd) == 0, "fsu_cat reads the file from the image");
	}
	{
		char mnt[600], cmd[2048];

		snprintf(mnt, sizeof(mnt), "type=ffs,special=/dev/disk,"
		    "dir=/srv/image,ro");
		if ((pid = fork()) == 0) {
			execl(server, server, "-s", "-d", dev, "-m", mnt, url,
			    (char *)NULL);
			_exit(127);
		}
		fd = -1;
		memset(back, 0, sizeof(back));
		if (sp_client_connect(url) == 0 &&
		    (fd = rump_sys_open("/srv/image/big", RUMP_O_RDONLY, 0)) >=
		    0)
			for (i = 0; i < sizeof(back); i += 65536)
				if (rump_sys_read(fd, back + i, 65536) != 65536)
					break;
		ok(fd >= 0 && memcmp(back, data, sizeof(data)) == 0,
		    "a server with -m mounts the image at start and serves it");
		ok(run("%s/rump.halt", "") == 0 && waitpid(pid, &status, 0) ==
		    pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "... and halts");
		snprintf(cmd, sizeof(cmd), "rm -rf %s", work);
		(void)system(cmd);
	}
	return tap_done();
}
