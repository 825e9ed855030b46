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
 * descriptor table), served by one thread; when the connection goes,
 * the process goes with it and its descriptors are closed.  A system
 * call's pointer arguments are rewritten to point at local copies of
 * the regions the client sent (SP_IN) or declared (SP_OUT), after the
 * sizes the call's arguments imply (lib/sp/sp_calls.h) are checked
 * against them: the kernel's own copyin and copyout then work as for a
 * local caller, and can never reach past what the message holds.  A
 * malformed message closes its connection only.
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

/* ---- the wire ---- */

static int
send_resp(int fd, uint64_t reqno, int error, const uint64_t rv[2],
    const struct sp_region *r, uint32_t nr)
{
	size_t cap = SP_HDRSIZE + 16, len;
	uint8_t *buf;
	uint32_t i;
	int rc;

	for (i = 0; i < nr; i++)
		cap += 16 + ((r[i].len + 7) & ~(uint64_t)7);
	if ((buf = malloc(cap)) == NULL)
		return -1;
	len = sp_build_resp(buf, cap, reqno, (uint32_t)error, rv, r, nr);
	rc = len == 0 ? -1 : sp_write_full(fd, buf, len);
	free(buf);
	return rc;
}

/* ---- one system call ---- */

static int
serve_syscall(int fd, const struct sp_msg *m)
{
	struct call c = { .m = m };
	struct sp_region out[SP_MAXREGIONS + 1];
	uint64_t args[SP_NARGS], rv[2] = { 0, 0 };
	const struct sp_call *sc;
	uint64_t left;
	uint32_t nout = 0;
	int error, i, rc;

	memcpy(args, m->args, sizeof(args));
	if (m->h.a == 0 || m->h.a >= (uint32_t)sp_ncalls ||
	    (sc = &sp_calls[m->h.a])->sc_name == NULL)
		error = RUMP_ENOSYS;
	else if (m->h.a == RUMP_SYS_reboot) {
		/* rump.halt: the kernel shuts down (flushing file systems
		 * unless RB_NOSYNC) and returns; after the reply, so does
		 * the server.  The kernel checks the client is root. */
		args[0] |= RUMP_RB_HALT;
		error = rump_syscall(RUMP_SYS_reboot, args, 1, rv);
		if (error == 0) {
			(void)send_resp(fd, m->h.reqno, 0, rv, NULL, 0);
			if (verbose)
				fprintf(stderr, "%s: halted\n", progname);
			if (unlink_path != NULL)
				(void)unlink(unlink_path);
			_exit(0);
		}
	} else if ((error = sp_localize_args(&c, sc, args)) == 0)
		error = rump_syscall((int)m->h.a, args, sc->sc_nargs, rv);
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
	rc = send_resp(fd, m->h.reqno, error, rv, out, nout);
	sp_call_free(&c);
	return rc;
}

/* ---- forks ---- */

/*
 * A client that forks (or, through rump_lwproc_rfork, wants another
 * process of its own) asks with SP_FORKREQ: the connection's process
 * gets a child, parked here under a random cookie until a new
 * connection presents it in its handshake (SP_HS_FORK) and adopts it.
 */
#define NFORKS	64

static pthread_mutex_t fork_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	uint8_t		cookie[SP_COOKIELEN];
	struct lwp	*lwp;		/* NULL: free slot */
} forks[NFORKS];

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
		memcpy(cookie, forks[i].cookie, SP_COOKIELEN);
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

/* ---- connections ---- */

static void *
serve_conn(void *arg)
{
	static const char banner[] = "RUMPSP-1 anykernel\n";
	int fd = (int)(intptr_t)arg, error = 0;
	uint8_t *buf = NULL, out[SP_HDRSIZE + 64];
	uint64_t rv[2] = { 0, 0 };
	size_t cap = 0, len, skip;
	struct sp_msg m;

	len = sp_build_simple(out, sizeof(out), SP_BANNER, 0, 0, 0, banner,
	    sizeof(banner) - 1);
	if (sp_write_full(fd, out, len) != 0 || sp_recv(fd, &buf, &cap, &m) != 0 ||
	    m.h.type != SP_HANDSHAKE)
		goto out;
	/* The body: the cookie of a fork, then the secret. */
	skip = m.h.b == SP_HS_FORK ? SP_COOKIELEN : 0;
	if (m.h.a != SP_VERSION)
		error = RUMP_EPROTONOSUPPORT;
	else if (m.h.b == SP_HS_EXEC)
		error = RUMP_EOPNOTSUPP;	/* exec: later */
	else if (secret != NULL && (m.bodylen - skip != strlen(secret) ||
	    memcmp(m.body + skip, secret, m.bodylen - skip) != 0))
		error = RUMP_EACCES;
	else if (m.h.b == SP_HS_FORK)
		error = fork_adopt(m.body);
	else if (rump_lwproc_rfork(RUMP_RFCFDG) != 0)
		error = RUMP_ENOMEM;
	if (send_resp(fd, m.h.reqno, error, rv, NULL, 0) != 0 || error)
		goto out_proc;
	while (sp_recv(fd, &buf, &cap, &m) == 0) {
		if (m.h.type == SP_FORKREQ) {
			uint8_t cookie[SP_COOKIELEN];
			struct sp_region r = { 0, SP_COOKIELEN, SP_IN, cookie };
			int e = fork_child((int)m.h.a, cookie);

			if (send_resp(fd, m.h.reqno, e, rv, &r, e ? 0 : 1) != 0)
				break;
			continue;
		}
		if (m.h.type != SP_SYSCALL)
			break;		/* nothing else is a client's to send */
		if (serve_syscall(fd, &m) != 0)
			break;
	}
 out_proc:
	if (error == 0)
		rump_lwproc_releaselwp();	/* the process goes */
 out:
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
