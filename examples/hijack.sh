#!/bin/sh
# hijack.sh: the demo's last part (make demo).  A rump kernel in a
# server process of its own, and unmodified host programs (sh, mkdir,
# ls, cat) using its file system under /rump through librumphijack.
set -eu
O=${1:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/anykernel-demo.XXXXXX")
export RUMP_SERVER="unix://$W/sock"
trap '"$O/bin/rump.halt" 2>/dev/null || true; rm -rf "$W"' EXIT

"$O/bin/rump_server" -l tmpfs "$RUMP_SERVER"
echo "rump_server is serving a kernel with tmpfs on $RUMP_SERVER"
echo "\$ LD_PRELOAD=librumphijack.so sh -c '...'"
LD_PRELOAD="$O/lib/librumphijack.so" sh -c '
	mkdir -p /rump/demo/dir
	echo "written by the host'"'"'s sh into the rump kernel" > /rump/demo/hello
	cp /etc/hostname /rump/demo/dir/ 2>/dev/null || true
	ls -lR /rump/demo
	cat /rump/demo/hello'
echo "(on the host, $(ls /rump 2>/dev/null | wc -l) entries in /rump:" \
    "the files live in the server's kernel)"
"$O/bin/rump.halt"
trap 'rm -rf "$W"' EXIT
echo "rump.halt: the server flushed and stopped"
