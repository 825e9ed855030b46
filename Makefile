# anykernel: the one Makefile.
#
# Non-recursive: every directory contributes a Makefile.inc fragment that
# this file includes.  Everything built lands under $(O) (default build/).
#
#   make              build the kernel and host libraries, tools, examples
#   make demo         build and run the demo (examples/boot.c)
#   make check        install test dependencies if missing, run all tests
#   make bench        run the benchmarks, print ratios
#   make fuzz-ffs     fuzz the FFS driver for FUZZTIME seconds (tests/fuzz)
#   make install PREFIX=/usr/local
#   make clean
#
# Options: CC=clang, OPT='-O0 -g', LOCKDEBUG=1 (lock assertions and the
# lock-order checker in the installed kernel), WERROR=1 (warnings are
# errors), V=1 (echo commands).

O		?= build
CC		?= cc
LD		?= ld
AR		?= ar
NM		?= nm
OBJCOPY		?= objcopy
PREFIX		?= /usr/local
OPT		?= -O2 -g
LOCKDEBUG	?= 0

ifeq ($(V),1)
Q :=
else
Q := @
endif

WARN		:= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
		   -Werror=implicit-function-declaration
ifeq ($(WERROR),1)
WARN		+= -Werror
endif

# The kernel (sys/) is freestanding: no host header can be found (rule 1).
KERN_CPPFLAGS	:= -nostdinc -Isys -Iinclude -I$(O)/include -I$(O)/gen
KERN_CFLAGS	:= -std=gnu11 -ffreestanding -fno-stack-protector -fno-common \
		   -fPIC -fno-strict-aliasing $(OPT) $(WARN)
ifeq ($(LOCKDEBUG),1)
KERN_CFLAGS	+= -DLOCKDEBUG
endif

HOST_CPPFLAGS	:= -D_GNU_SOURCE -Iinclude -I$(O)/include
HOST_CFLAGS	:= -std=gnu11 -fPIC -pthread $(OPT) $(WARN)

# SAN=fuzzer: AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer
# coverage everywhere, kernel included (clang; see tests/fuzz).
# SAN=address: AddressSanitizer alone, kernel included, with gcc or
# clang: e.g. make O=build-asan SAN=address build-asan/tests/vfs/t_unmount_ops
ifeq ($(SAN),address)
SANFLAGS	:= -fsanitize=address -fno-omit-frame-pointer
KERN_CFLAGS	+= $(SANFLAGS)
HOST_CFLAGS	+= $(SANFLAGS)
endif
ifeq ($(SAN),fuzzer)
SANFLAGS	:= -fsanitize=address,undefined -fsanitize=fuzzer-no-link \
		   -fno-sanitize-recover=undefined
KERN_CFLAGS	+= $(SANFLAGS)
HOST_CFLAGS	+= $(SANFLAGS)
endif

all:

# ---------------------------------------------------------------------
# kernlib NAME, SOURCES, EXTRA-CFLAGS, OBJDIR-TAG
#
# Compiles SOURCES as kernel code, links them into one relocatable object
# and moves every kernel-internal symbol into the rumpns_ namespace
# (tools/rumpns.sh, rule 4).  Produces $(O)/DIR/NAME.a and NAME.so.
# Every library but librump (which has it in KERN_SRCS) also gets
# kern_linkset.c, whose constructor registers the library's components.
define kernlib
$(4)_OBJS := $$(patsubst %.c,$(O)/obj/$(4)/%.o,$(2) \
	$(if $(filter librump,$(1)),,sys/kern/kern_linkset.c))
$(O)/obj/$(4)/%.o: %.c | generated
	@mkdir -p $$(@D)
	@echo "  KCC     $$<"
	$(Q)$$(CC) $$(KERN_CPPFLAGS) $$(KERN_CFLAGS) $(3) -MMD -MP -c -o $$@ $$<
$(O)/obj/$(4).o: $$($(4)_OBJS) tools/rumpns.sh
	@echo "  RUMPNS  $$@"
	$(Q)$$(LD) -r -o $$@.r $$($(4)_OBJS)
	$(Q)NM=$$(NM) OBJCOPY=$$(OBJCOPY) sh tools/rumpns.sh $$@.r $$@
$(O)/$(5)/$(1).a: $(O)/obj/$(4).o
	@mkdir -p $$(@D)
	$(Q)rm -f $$@ && $$(AR) rcs $$@ $$<
$(O)/$(5)/$(1).so: $(O)/obj/$(4).o tools/kernlib.map
	@mkdir -p $$(@D)
	@echo "  SHLIB   $$@"
	$(Q)$$(CC) -shared -nostdlib -Wl,-soname,$(1).so.0 \
	    -Wl,--version-script=tools/kernlib.map -Wl,-Bsymbolic-functions \
	    -o $$@ $$<
	$(Q)ln -sf $(1).so $$@.0
-include $$($(4)_OBJS:.o=.d)
endef

# hostobj: compile rule for host-side C (hyp/, lib/, tests/, bench/).
$(O)/hobj/%.o: %.c | generated
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(HOST_CPPFLAGS) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

# A program statically linked with the kernel and the POSIX hypercalls.
RUMP_STATIC	= $(O)/lib/librump.a $(O)/lib/librumpuser.a -lpthread

GENERATED :=
LIBS :=
PROGS :=
TESTS :=
BENCHES :=

include sys/lib/libkern/Makefile.inc
include sys/kern/Makefile.inc
include hyp/posix/Makefile.inc
include sys/vfs/Makefile.inc
include sys/fs/tmpfs/Makefile.inc
include sys/dev/etfs/Makefile.inc
include sys/fs/ffs/Makefile.inc
include examples/Makefile.inc
include usr.bin/fsu/Makefile.inc
include usr.sbin/newfs/Makefile.inc
include usr.sbin/fsck_ffs/Makefile.inc
include lib/sp/Makefile.inc
include lib/rumpclient/Makefile.inc
include lib/rumphijack/Makefile.inc
include usr.sbin/rump_server/Makefile.inc
include usr.sbin/rump_ctl/Makefile.inc
include tests/Makefile.inc
include tests/sp/panicfs/Makefile.inc
include tests/fuzz/Makefile.inc
include bench/Makefile.inc

$(eval $(call kernlib,librump,$(LIBKERN_SRCS) $(KERN_SRCS),,librump,lib))

generated: $(GENERATED)
.PHONY: generated

all: $(LIBS) $(PROGS)

demo: $(O)/examples/boot $(O)/examples/tree $(O)/bin/rump_server \
    $(O)/bin/rump_ctl $(O)/lib/librumphijack.so
	$(O)/examples/boot
	@echo
	$(O)/examples/tree
	@echo
	@sh examples/hijack.sh $(O)

tests: all $(TESTS) $(TEST_HELPERS)

check: tests
	$(Q)sh tools/deps.sh
	$(Q)RUMP_BUILD=$(O) prove -j2 --exec '' $(TESTS)

bench: all $(BENCHES)
	$(Q)RUMP_BUILD=$(O) sh bench/run.sh

# ---------------------------------------------------------------------
# install
INCS := include/rumpuser.h include/rump/rump.h include/rump/rumpdefs.h \
	include/rump/ffs.h include/rump/rumpclient.h \
	$(O)/include/rump/rump_syscalls.h
INSTLIBS := librump librumpuser librumpvfs librumpfs_tmpfs librumpdev_etfs \
	librumpfs_ffs librumpclient

install: all
	install -d $(DESTDIR)$(PREFIX)/include/rump $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/rumpuser.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(filter-out include/rumpuser.h,$(INCS)) \
	    $(DESTDIR)$(PREFIX)/include/rump/
	for l in $(INSTLIBS); do \
	    install -m 644 $(O)/lib/$$l.a $(DESTDIR)$(PREFIX)/lib/ && \
	    install -m 755 $(O)/lib/$$l.so $(DESTDIR)$(PREFIX)/lib/$$l.so.0 && \
	    ln -sf $$l.so.0 $(DESTDIR)$(PREFIX)/lib/$$l.so || exit 1; \
	done
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(O)/bin/fsu $(DESTDIR)$(PREFIX)/bin/
	for c in $(FSU_CMDS); do ln -sf fsu $(DESTDIR)$(PREFIX)/bin/fsu_$$c; done
	install -m 644 man/fsu.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	for c in $(FSU_CMDS); do \
	    ln -sf fsu.1 $(DESTDIR)$(PREFIX)/share/man/man1/fsu_$$c.1; done
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 755 $(O)/bin/newfs $(DESTDIR)$(PREFIX)/sbin/
	install -m 644 man/newfs.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 755 $(O)/bin/fsck_ffs $(DESTDIR)$(PREFIX)/sbin/
	install -m 644 man/fsck_ffs.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 755 $(O)/bin/rump_server $(O)/bin/rump_allserver \
	    $(DESTDIR)$(PREFIX)/bin/
	install -m 644 man/rump_server.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	ln -sf rump_server.8 $(DESTDIR)$(PREFIX)/share/man/man8/rump_allserver.8
	install -m 755 $(O)/bin/rump_ctl $(DESTDIR)$(PREFIX)/bin/
	for c in $(RUMPCTL_CMDS); do \
	    ln -sf rump_ctl $(DESTDIR)$(PREFIX)/bin/$$c; done
	install -m 644 man/rump.mount.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	for c in rump.umount rump.halt; do \
	    ln -sf rump.mount.8 $(DESTDIR)$(PREFIX)/share/man/man8/$$c.8; done
	install -d $(DESTDIR)$(PREFIX)/share/man/man3
	install -m 644 man/rumpclient.3 $(DESTDIR)$(PREFIX)/share/man/man3/
	install -m 755 $(O)/lib/librumphijack.so $(DESTDIR)$(PREFIX)/lib/
	install -m 644 man/rumphijack.3 $(DESTDIR)$(PREFIX)/share/man/man3/
	sed 's,@PREFIX@,$(PREFIX),g' tools/rump.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/rump.pc

clean:
	rm -rf $(O)

.PHONY: all demo check tests bench install clean
.DELETE_ON_ERROR:
.PRECIOUS: $(O)/hobj/%.o
