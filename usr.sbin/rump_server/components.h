/*
 * components.h: how a server program gets its kernel components.
 *
 * Two implementations, one per program, behind the same four names:
 *
 *   components_dl.c      rump_server: a dynamically linked kernel that
 *                        dlopen()s the libraries -l names, and the
 *                        libraries the components it knows depend on.
 *   components_static.c  rump_allserver: every component linked in;
 *                        -l only checks that it names one of them.
 *
 *	comp_progname	the program's name, for messages
 *	comp_request(arg)  note a -l argument (names separated by commas);
 *	    0, or an errno after a message on stderr
 *	comp_load(verbose)  load what was requested, before rump_init()
 *	    (a component registers when its library is loaded and attaches
 *	    at boot); 0, or an errno after a message naming the library
 *	    and quoting the dynamic linker
 *	comp_symbol(name)  the address of a public function of a loaded
 *	    component (rump_etfs_register ...), or NULL if it is not there
 *
 * Locking: none; main() calls these before any thread exists.
 */
#ifndef _RUMP_SERVER_COMPONENTS_H_
#define _RUMP_SERVER_COMPONENTS_H_

extern const char comp_progname[];

int	comp_request(const char *arg);
int	comp_load(int verbose);
void	*comp_symbol(const char *name);

#endif /* _RUMP_SERVER_COMPONENTS_H_ */
