#!/bin/sh
# fuzz.sh NAME BINARY SECONDS: run a libFuzzer target (tests/fuzz) for a
# while, on a seed corpus made here (for ffs: small makefs images of
# every variant), keeping what it learns in build-fuzz/corpus/NAME and
# anything that crashes in build-fuzz/crashes/NAME.  Prints the
# executions and findings; exits non-zero if there were findings.
set -eu
name=$1
bin=$2
secs=${3:-60}
top=build-fuzz
corpus=$top/corpus/$name
crashes=$top/crashes/$name
mkdir -p "$corpus" "$crashes"

seed_ffs() {
	tmp=$(mktemp -d)
	mkdir -p "$tmp/t/a/b"
	echo hello > "$tmp/t/f"
	head -c 70000 /dev/urandom > "$tmp/t/a/big"
	ln -s f "$tmp/t/l"
	ln "$tmp/t/f" "$tmp/t/a/h"
	: > "$tmp/t/a/b/empty"
	for v in 1 2; do
		for o in le be; do
			for bf in 4096,512 8192,1024 16384,2048; do
				b=${bf%,*}; f=${bf#*,}
				makefs -t ffs -s 256k -o version=$v,bsize=$b,fsize=$f \
				    -B $o "$corpus/seed-$v-$o-$b" "$tmp/t" \
				    >/dev/null 2>&1 || true
			done
		done
	done
	rm -rf "$tmp"
}

# Two valid messages (a system call with regions, a reply), written by
# hand from docs/sysproxy.md.
seed_spmsg() {
	# SP_SYSCALL: len 24+64+24+8 = 120, type 3, reqno 1, sysno 5, 1 region
	{ printf '\170\0\0\0\3\0\0\0\1\0\0\0\0\0\0\0\5\0\0\0\1\0\0\0'
	  head -c 64 /dev/zero
	  printf '\0\20\0\0\0\0\0\0\5\0\0\0\0\0\0\0\1\0\0\0\0\0\0\0'
	  printf 'hello\0\0\0'; } > "$corpus/seed-syscall"
	# SP_RESP: len 24+16 = 40, type 4, reqno 1, error 0, no regions
	{ printf '\50\0\0\0\4\0\0\0\1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'
	  head -c 16 /dev/zero; } > "$corpus/seed-resp"
}

# The same seeds: system calls are what it is about.
seed_splocal() {
	seed_spmsg
}

# A getdents buffer as the kernel writes it: "." and "file".
seed_hijackdir() {
	{ printf '\2\0\0\0\0\0\0\0\1\0\0\0\0\0\0\0\30\0\1\0\4.\0\0'
	  printf '\3\0\0\0\0\0\0\0\2\0\0\0\0\0\0\0\40\0\4\0\10'
	  printf 'file\0\0\0\0\0\0'; } > "$corpus/seed-dirents"
}

if [ -z "$(ls -A "$corpus")" ]; then
	if [ "$name" = ffs ] && ! command -v makefs >/dev/null; then
		echo "fuzz.sh: makefs is needed" >&2
		exit 1
	fi
	seed_$name
fi
log=$top/fuzz-$name.log
set +e
ASAN_OPTIONS=detect_leaks=0 "$bin" -max_total_time="$secs" -timeout=20 \
    -rss_limit_mb=2048 -max_len=262144 -artifact_prefix="$crashes/" \
    -print_final_stats=1 "$corpus" >"$log" 2>&1
rc=$?
set -e
grep -E '^stat::number_of_executed_units|^stat::new_units_added|^#[0-9]+.*DONE' "$log" || true
n=$(ls "$crashes" | wc -l)
echo "fuzz.sh: $name: $secs s, $n finding(s) in $crashes (log: $log)"
[ "$rc" -eq 0 ] && [ "$n" -eq 0 ]
