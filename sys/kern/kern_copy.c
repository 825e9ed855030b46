/*
 * kern_copy.c: copyin/copyout, the only way system calls touch their
 * caller's memory.  A local caller shares our address space, so these
 * are checked copies; a remote client's process will route them over
 * its connection instead.
 */
#include <sys/types.h>
#include <sys/systm.h>

int
copyin(const void *uaddr, void *kaddr, size_t len)
{

	if (len == 0)
		return 0;
	if (uaddr == NULL)
		return EFAULT;
	memcpy(kaddr, uaddr, len);
	return 0;
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{

	if (len == 0)
		return 0;
	if (uaddr == NULL)
		return EFAULT;
	memcpy(uaddr, kaddr, len);
	return 0;
}

/* Copy a NUL-terminated string of at most len bytes, NUL included;
 * ENAMETOOLONG if it does not fit.  *done counts the bytes copied. */
int
copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done)
{
	const char *src = uaddr;
	char *dst = kaddr;
	size_t i;

	if (uaddr == NULL)
		return EFAULT;
	for (i = 0; i < len; i++) {
		if ((dst[i] = src[i]) == '\0') {
			if (done != NULL)
				*done = i + 1;
			return 0;
		}
	}
	if (done != NULL)
		*done = i;
	return ENAMETOOLONG;
}

int
copyoutstr(const void *kaddr, void *uaddr, size_t len, size_t *done)
{

	if (uaddr == NULL)
		return EFAULT;
	return copyinstr(kaddr, uaddr, len, done);
}
