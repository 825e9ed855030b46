/*
 * rumpuser_errno.c: errno translation between the host (Linux/glibc)
 * and the kernel's own numbering (rule 6).  One table, read both ways.
 * A host error with no kernel equivalent becomes EIO; a kernel error
 * with no host equivalent becomes the nearest host one listed here.
 */
#include <errno.h>
#include <rump/rumpdefs.h>
#include "rumpuser_int.h"

static const struct {
	int	host;
	int	kern;
} errmap[] = {
	{ EPERM, RUMP_EPERM }, { ENOENT, RUMP_ENOENT },
	{ ESRCH, RUMP_ESRCH }, { EINTR, RUMP_EINTR }, { EIO, RUMP_EIO },
	{ ENXIO, RUMP_ENXIO }, { E2BIG, RUMP_E2BIG },
	{ ENOEXEC, RUMP_ENOEXEC }, { EBADF, RUMP_EBADF },
	{ ECHILD, RUMP_ECHILD }, { EDEADLK, RUMP_EDEADLK },
	{ ENOMEM, RUMP_ENOMEM }, { EACCES, RUMP_EACCES },
	{ EFAULT, RUMP_EFAULT }, { ENOTBLK, RUMP_ENOTBLK },
	{ EBUSY, RUMP_EBUSY }, { EEXIST, RUMP_EEXIST },
	{ EXDEV, RUMP_EXDEV }, { ENODEV, RUMP_ENODEV },
	{ ENOTDIR, RUMP_ENOTDIR }, { EISDIR, RUMP_EISDIR },
	{ EINVAL, RUMP_EINVAL }, { ENFILE, RUMP_ENFILE },
	{ EMFILE, RUMP_EMFILE }, { ENOTTY, RUMP_ENOTTY },
	{ ETXTBSY, RUMP_ETXTBSY }, { EFBIG, RUMP_EFBIG },
	{ ENOSPC, RUMP_ENOSPC }, { ESPIPE, RUMP_ESPIPE },
	{ EROFS, RUMP_EROFS }, { EMLINK, RUMP_EMLINK },
	{ EPIPE, RUMP_EPIPE }, { EDOM, RUMP_EDOM }, { ERANGE, RUMP_ERANGE },
	{ EAGAIN, RUMP_EAGAIN }, { EINPROGRESS, RUMP_EINPROGRESS },
	{ EALREADY, RUMP_EALREADY }, { ENOTSOCK, RUMP_ENOTSOCK },
	{ EDESTADDRREQ, RUMP_EDESTADDRREQ }, { EMSGSIZE, RUMP_EMSGSIZE },
	{ EPROTOTYPE, RUMP_EPROTOTYPE }, { ENOPROTOOPT, RUMP_ENOPROTOOPT },
	{ EPROTONOSUPPORT, RUMP_EPROTONOSUPPORT },
	{ ESOCKTNOSUPPORT, RUMP_ESOCKTNOSUPPORT },
	{ EOPNOTSUPP, RUMP_EOPNOTSUPP }, { EPFNOSUPPORT, RUMP_EPFNOSUPPORT },
	{ EAFNOSUPPORT, RUMP_EAFNOSUPPORT }, { EADDRINUSE, RUMP_EADDRINUSE },
	{ EADDRNOTAVAIL, RUMP_EADDRNOTAVAIL }, { ENETDOWN, RUMP_ENETDOWN },
	{ ENETUNREACH, RUMP_ENETUNREACH }, { ENETRESET, RUMP_ENETRESET },
	{ ECONNABORTED, RUMP_ECONNABORTED }, { ECONNRESET, RUMP_ECONNRESET },
	{ ENOBUFS, RUMP_ENOBUFS }, { EISCONN, RUMP_EISCONN },
	{ ENOTCONN, RUMP_ENOTCONN }, { ESHUTDOWN, RUMP_ESHUTDOWN },
	{ ETOOMANYREFS, RUMP_ETOOMANYREFS }, { ETIMEDOUT, RUMP_ETIMEDOUT },
	{ ECONNREFUSED, RUMP_ECONNREFUSED }, { ELOOP, RUMP_ELOOP },
	{ ENAMETOOLONG, RUMP_ENAMETOOLONG }, { EHOSTDOWN, RUMP_EHOSTDOWN },
	{ EHOSTUNREACH, RUMP_EHOSTUNREACH }, { ENOTEMPTY, RUMP_ENOTEMPTY },
	{ EUSERS, RUMP_EUSERS }, { EDQUOT, RUMP_EDQUOT },
	{ ESTALE, RUMP_ESTALE }, { ENOLCK, RUMP_ENOLCK },
	{ ENOSYS, RUMP_ENOSYS }, { EIDRM, RUMP_EIDRM },
	{ ENOMSG, RUMP_ENOMSG }, { EOVERFLOW, RUMP_EOVERFLOW },
	{ EILSEQ, RUMP_EILSEQ }, { ECANCELED, RUMP_ECANCELED },
	{ EBADMSG, RUMP_EBADMSG }, { ENODATA, RUMP_ENODATA },
	{ ETIME, RUMP_ETIME }, { EPROTO, RUMP_EPROTO },
	/* Kernel-only errors, host side nearest first. */
	{ EMEDIUMTYPE, RUMP_EFTYPE }, { EAGAIN, RUMP_EPROCLIM },
	{ EACCES, RUMP_EAUTH }, { EOPNOTSUPP, RUMP_ENOTSUP },
	{ ENODATA, RUMP_ENOATTR },
};

int
rumpuser__errtrans(int hosterr)
{
	unsigned int i;

	if (hosterr == 0)
		return 0;
	for (i = 0; i < sizeof(errmap) / sizeof(errmap[0]); i++)
		if (errmap[i].host == hosterr)
			return errmap[i].kern;
	return RUMP_EIO;
}

int
rumpuser__errhost(int kernerr)
{
	unsigned int i;

	if (kernerr == 0)
		return 0;
	for (i = 0; i < sizeof(errmap) / sizeof(errmap[0]); i++)
		if (errmap[i].kern == kernerr)
			return errmap[i].host;
	return EIO;
}

void
rumpuser_seterrno(int error)
{

	errno = rumpuser__errhost(error);
}
