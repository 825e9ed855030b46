/*
 * kern_prot.c: process identity system calls: pids, user and group ids,
 * supplementary groups, umask.  Changing an id copies the credential,
 * edits the copy and installs it (kern_auth.c), so a reader never sees
 * half a change.  The rules are POSIX's: the superuser (effective uid
 * 0) sets all three ids; anyone else may set the effective id to the
 * real or saved one.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include "syscallargs.h"

int
sys_getpid(struct lwp *l, const void *v __unused, register_t *retval)
{

	retval[0] = l->l_proc->p_pid;
	return 0;
}

int
sys_getppid(struct lwp *l, const void *v __unused, register_t *retval)
{

	mutex_enter(&proc_lock);
	retval[0] = l->l_proc->p_pptr != NULL ? l->l_proc->p_pptr->p_pid : 0;
	mutex_exit(&proc_lock);
	return 0;
}

/* Read one field of the process's credential. */
#define CRED_GETTER(name, field)					\
int									\
name(struct lwp *l, const void *v __unused, register_t *retval)		\
{									\
	struct proc *p = l->l_proc;					\
									\
	mutex_enter(&p->p_lock);					\
	retval[0] = p->p_cred->field;					\
	mutex_exit(&p->p_lock);						\
	return 0;							\
}
CRED_GETTER(sys_getuid, cr_uid)
CRED_GETTER(sys_geteuid, cr_euid)
CRED_GETTER(sys_getgid, cr_gid)
CRED_GETTER(sys_getegid, cr_egid)

#define ID_REAL		0x01	/* set real and saved ids too */

/*
 * Set a user (isgid false) or group id.  With ID_REAL this is setuid():
 * root sets real, effective and saved; others only the effective, to
 * the real or saved id.  Without, it is seteuid().
 */
static int
setid(struct proc *p, bool isgid, uint32_t id, int flags)
{
	kauth_cred_t cred, ncred;
	uint32_t *real, *eff, *saved;
	bool super;
	int error;

	cred = proc_cred_hold(p);
	super = kauth_authorize_super(cred) == 0;
	error = kauth_cred_dup(cred, &ncred);
	kauth_cred_free(cred);
	if (error)
		return error;
	real = isgid ? &ncred->cr_gid : &ncred->cr_uid;
	eff = isgid ? &ncred->cr_egid : &ncred->cr_euid;
	saved = isgid ? &ncred->cr_svgid : &ncred->cr_svuid;
	if (super && (flags & ID_REAL)) {
		*real = *eff = *saved = id;
	} else if (super || id == *real || id == *saved) {
		*eff = id;
	} else {
		kauth_cred_free(ncred);
		return EPERM;
	}
	proc_cred_replace(p, ncred);
	return 0;
}

int
sys_setuid(struct lwp *l, const struct sys_setuid_args *uap,
    register_t *retval __unused)
{

	return setid(l->l_proc, false, SCARG(uap, uid), ID_REAL);
}

int
sys_seteuid(struct lwp *l, const struct sys_seteuid_args *uap,
    register_t *retval __unused)
{

	return setid(l->l_proc, false, SCARG(uap, euid), 0);
}

int
sys_setgid(struct lwp *l, const struct sys_setgid_args *uap,
    register_t *retval __unused)
{

	return setid(l->l_proc, true, SCARG(uap, gid), ID_REAL);
}

int
sys_setegid(struct lwp *l, const struct sys_setegid_args *uap,
    register_t *retval __unused)
{

	return setid(l->l_proc, true, SCARG(uap, egid), 0);
}

int
sys_getgroups(struct lwp *l, const struct sys_getgroups_args *uap,
    register_t *retval)
{
	kauth_cred_t cred;
	int n = SCARG(uap, gidsetsize), error = 0;

	cred = proc_cred_hold(l->l_proc);
	if (n == 0) {
		retval[0] = cred->cr_ngroups;
	} else if (n < cred->cr_ngroups) {
		error = EINVAL;
	} else {
		error = copyout(cred->cr_groups, SCARG(uap, gidset),
		    cred->cr_ngroups * sizeof(gid_t));
		retval[0] = cred->cr_ngroups;
	}
	kauth_cred_free(cred);
	return error;
}

int
sys_setgroups(struct lwp *l, const struct sys_setgroups_args *uap,
    register_t *retval __unused)
{
	kauth_cred_t cred, ncred;
	gid_t groups[NGROUPS];
	int n = SCARG(uap, gidsetsize), error;

	cred = proc_cred_hold(l->l_proc);
	error = kauth_authorize_super(cred);
	if (error == 0 && (n < 0 || n > NGROUPS))
		error = EINVAL;
	if (error == 0)
		error = copyin(SCARG(uap, gidset), groups, n * sizeof(gid_t));
	if (error == 0)
		error = kauth_cred_dup(cred, &ncred);
	kauth_cred_free(cred);
	if (error)
		return error;
	memcpy(ncred->cr_groups, groups, n * sizeof(gid_t));
	ncred->cr_ngroups = n;
	proc_cred_replace(l->l_proc, ncred);
	return 0;
}

int
sys_umask(struct lwp *l, const struct sys_umask_args *uap, register_t *retval)
{
	struct proc *p = l->l_proc;

	mutex_enter(&p->p_lock);
	retval[0] = p->p_umask;
	p->p_umask = SCARG(uap, newmask) & 0777;
	mutex_exit(&p->p_lock);
	return 0;
}
