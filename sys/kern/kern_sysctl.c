/*
 * kern_sysctl.c: sysctl, a read (and for the hostname, a write) of
 * kernel information by a two-level name of integers, and uname.
 *
 * Semantics are BSD's: with oldv NULL, *oldlenp receives the size
 * needed; a buffer too small receives what fits and the call fails
 * with ENOMEM, *oldlenp still telling the full size.
 *
 * Locking: sysctl_lock over the hostname.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/cpu.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/time.h>
#include <rumpuser.h>
#include <sys/syscall.h>
#include "syscallargs.h"

#define OSTYPE		"anykernel"
#define OSRELEASE	"0.1"
#define OSVERSION	OSTYPE " " OSRELEASE " (rump kernel)"

extern int64_t boot_ns;	/* init_main.c */

static kmutex_t sysctl_lock;
static char hostname[MAXHOSTNAMELEN];	/* sysctl_lock */
static char machine[32];		/* c */

void	sysctl_init(void);

void
sysctl_init(void)
{

	mutex_init(&sysctl_lock, MUTEX_DEFAULT, IPL_NONE);
	if (rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, hostname,
	    sizeof(hostname)) != 0)
		strlcpy(hostname, "rump", sizeof(hostname));
	if (rumpuser_getparam(RUMPUSER_PARAM_MACHINE, machine,
	    sizeof(machine)) != 0)
		strlcpy(machine, "unknown", sizeof(machine));
}

/* A node's value: a buffer and its length. */
struct sysctl_val {
	const void	*v_data;
	size_t		v_len;
	void		*v_free;	/* kmem to free afterwards */
	size_t		v_freelen;
};

static int
sysctl_string(struct sysctl_val *v, const char *s)
{

	v->v_data = s;
	v->v_len = strlen(s) + 1;
	return 0;
}

static int
sysctl_kmem(struct sysctl_val *v)
{
	struct rump_kmemstat *ks;
	int n;

	n = kmem_getstats(NULL, 0);
	if ((ks = kmem_alloc(n * sizeof(*ks), KM_SLEEP)) == NULL)
		return ENOMEM;
	kmem_getstats(ks, n);
	v->v_data = v->v_free = ks;
	v->v_len = v->v_freelen = n * sizeof(*ks);
	return 0;
}

static int
sysctl_components(struct sysctl_val *v)
{
	size_t len = 512;
	char *s;

	if ((s = kmem_alloc(len, KM_SLEEP)) == NULL)
		return ENOMEM;
	component_describe(s, len);
	v->v_data = v->v_free = s;
	v->v_len = strlen(s) + 1;
	v->v_freelen = len;
	return 0;
}

/* Find the value of name[0].name[1] into v, with scratch for scalars. */
static int
sysctl_lookup(const int *name, struct sysctl_val *v, uint64_t *scratch,
    struct timespec *ts)
{

	switch (name[0]) {
	case RUMP_CTL_KERN:
		switch (name[1]) {
		case RUMP_KERN_OSTYPE:
			return sysctl_string(v, OSTYPE);
		case RUMP_KERN_OSRELEASE:
			return sysctl_string(v, OSRELEASE);
		case RUMP_KERN_VERSION:
			return sysctl_string(v, OSVERSION);
		case RUMP_KERN_HOSTNAME:
			return sysctl_string(v, hostname);
		case RUMP_KERN_BOOTTIME:
			*ts = boottime;
			v->v_data = ts;
			v->v_len = sizeof(*ts);
			return 0;
		case RUMP_KERN_COMPONENTS:
			return sysctl_components(v);
		case RUMP_KERN_BOOTNSEC:
			*scratch = (uint64_t)boot_ns;
			v->v_data = scratch;
			v->v_len = sizeof(*scratch);
			return 0;
		}
		break;
	case RUMP_CTL_VM:
		switch (name[1]) {
		case RUMP_VM_KMEMSTATS:
			return sysctl_kmem(v);
		case RUMP_VM_KMEMUSED:
			*scratch = kmem_hostbytes();
			break;
		case RUMP_VM_KMEMLIMIT:
			*scratch = kmem_limit();
			break;
		default:
			return ENOENT;
		}
		v->v_data = scratch;
		v->v_len = sizeof(*scratch);
		return 0;
	case RUMP_CTL_HW:
		switch (name[1]) {
		case RUMP_HW_MACHINE:
			return sysctl_string(v, machine);
		case RUMP_HW_NCPU:
			*(int *)scratch = (int)ncpu;
			v->v_data = scratch;
			v->v_len = sizeof(int);
			return 0;
		}
		break;
	}
	return ENOENT;
}

static int
sysctl_sethostname(struct lwp *l, const void *newv, size_t newlen)
{
	char buf[MAXHOSTNAMELEN];
	kauth_cred_t cred;
	int error;

	cred = proc_cred_hold(l->l_proc);
	error = kauth_authorize_super(cred);
	kauth_cred_free(cred);
	if (error)
		return error;
	if (newlen >= sizeof(buf))
		return EINVAL;
	if ((error = copyin(newv, buf, newlen)) != 0)
		return error;
	buf[newlen] = '\0';
	strlcpy(hostname, buf, sizeof(hostname));
	return 0;
}

int
sys_sysctl(struct lwp *l, const struct sys_sysctl_args *uap,
    register_t *retval __unused)
{
	struct sysctl_val v;
	struct timespec ts;
	uint64_t scratch;
	size_t oldlen = 0;
	int name[2], error;

	if (SCARG(uap, namelen) != 2)
		return SCARG(uap, namelen) < 2 ? EISDIR : ENOTDIR;
	if ((error = copyin(SCARG(uap, name), name, sizeof(name))) != 0)
		return error;
	if (SCARG(uap, oldlenp) != NULL &&
	    (error = copyin(SCARG(uap, oldlenp), &oldlen, sizeof(oldlen))))
		return error;

	memset(&v, 0, sizeof(v));
	mutex_enter(&sysctl_lock);
	error = sysctl_lookup(name, &v, &scratch, &ts);
	if (error)
		goto out;
	if (SCARG(uap, oldv) != NULL && SCARG(uap, oldlenp) != NULL) {
		error = copyout(v.v_data, SCARG(uap, oldv), MIN(oldlen,
		    v.v_len));
		if (error == 0 && oldlen < v.v_len)
			error = ENOMEM;
	}
	if ((error == 0 || error == ENOMEM) && SCARG(uap, oldlenp) != NULL) {
		int cerror = copyout(&v.v_len, SCARG(uap, oldlenp),
		    sizeof(v.v_len));
		if (cerror)
			error = cerror;
	}
	if (error == 0 && SCARG(uap, newv) != NULL) {
		if (name[0] == RUMP_CTL_KERN && name[1] == RUMP_KERN_HOSTNAME)
			error = sysctl_sethostname(l, SCARG(uap, newv),
			    SCARG(uap, newlen));
		else
			error = EPERM;
	}
 out:
	mutex_exit(&sysctl_lock);
	if (v.v_free != NULL)
		kmem_free(v.v_free, v.v_freelen);
	return error;
}

int
sys_uname(struct lwp *l __unused, const struct sys_uname_args *uap,
    register_t *retval __unused)
{
	struct rump_utsname *u;
	int error;

	if ((u = kmem_zalloc(sizeof(*u), KM_SLEEP)) == NULL)
		return ENOMEM;
	strlcpy(u->sysname, OSTYPE, sizeof(u->sysname));
	mutex_enter(&sysctl_lock);
	strlcpy(u->nodename, hostname, sizeof(u->nodename));
	mutex_exit(&sysctl_lock);
	strlcpy(u->release, OSRELEASE, sizeof(u->release));
	strlcpy(u->version, OSVERSION, sizeof(u->version));
	strlcpy(u->machine, machine, sizeof(u->machine));
	error = copyout(u, SCARG(uap, name), sizeof(*u));
	kmem_free(u, sizeof(*u));
	return error;
}
