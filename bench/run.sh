#!/bin/sh
#
# run.sh: run the benchmarks and print one table (`make bench`).
#
# Every figure is set against a baseline measured in this same run, as
# the targets of DESIGN.md ("Performance targets") ask; see
# docs/performance.md.  A missed target is reported, never an error:
# benchmarks are not tests.  Only a benchmark program that fails makes
# this script fail.
#
# Environment: RUMP_BUILD, the build directory (default build);
# BENCH_RUNS, fresh processes per bootstrap figure (default 500).

B=${RUMP_BUILD:-build}/bench
RUNS=${BENCH_RUNS:-500}

out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
trap 'exit 1' HUP INT TERM

echo "anykernel benchmarks: $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sr)," \
    "$(getconf _NPROCESSORS_ONLN) CPUs"
echo "running: bootstrap and memory ($RUNS + 15 fresh processes each)," \
    "system calls ..."
"$B/b_driver" "$B" "$RUNS" >"$out" || {
	echo "bench: b_driver failed" >&2
	exit 1
}
"$B/b_driver" "$B" "$RUNS" _tmpfs >>"$out" || {
	echo "bench: b_driver (tmpfs) failed" >&2
	exit 1
}
"$B/b_fsops" >>"$out" || {
	echo "bench: b_fsops failed" >&2
	exit 1
}
work=$(mktemp -d) || exit 1
trap 'rm -f "$out"; rm -rf "$work"' EXIT
if command -v makefs >/dev/null 2>&1; then
	"$B/b_tools" "${RUMP_BUILD:-build}/bin" "$work" >>"$out" || {
		echo "bench: b_tools failed" >&2
		exit 1
	}
fi
if [ -x "$B/b_remote" ] && [ -x "${RUMP_BUILD:-build}/bin/rump_server" ]; then
	"$B/b_remote" "${RUMP_BUILD:-build}/bin" "$work" >>"$out" || {
		echo "bench: b_remote failed" >&2
		exit 1
	}
fi
if [ -x "$B/b_hijack" ]; then
	"$B/b_hijack" "${RUMP_BUILD:-build}/bin" "${RUMP_BUILD:-build}/lib" \
	    "$work" >>"$out" || {
		echo "bench: b_hijack failed" >&2
		exit 1
	}
fi
if [ -x "$B/b_server" ] && [ -x "${RUMP_BUILD:-build}/bin/rump_allserver" ]; then
	"$B/b_server" "${RUMP_BUILD:-build}/bin" "$work" >>"$out" || {
		echo "bench: b_server failed" >&2
		exit 1
	}
fi
"$B/b_syscall" >>"$out" || {
	echo "bench: b_syscall failed" >&2
	exit 1
}

awk '
	{ v[$1] = $2 }

	function row(what, ours, base, cmp, target, met, anchor)
	{
		line = sprintf("%-32s %10s %10s %9s %9s %4s  %s", what, ours,
		    base, cmp, target, met, anchor)
		sub(/ +$/, "", line)
		print line
	}
	function yn(ok)
	{
		return ok ? "yes" : "NO"
	}
	function us(ns)
	{
		return sprintf("%.1f us", ns / 1000)
	}
	function ms(ns)
	{
		return sprintf("%.2f ms", ns / 1000000)
	}
	function kb(k)
	{
		return sprintf("%d kB", k)
	}
	function nsc(ns)
	{
		return sprintf("%.1f ns", ns)
	}
	function ratio(a, b)
	{
		return b > 0 ? a / b : 0
	}
	function syscall(what, r, h)
	{
		x = ratio(r, h)
		row(what, nsc(r), nsc(h), sprintf("%.3fx", x), "< 0.3x",
		    yn(x < 0.3), "NetBSD 0.53x")
	}

	END {
		print ""
		row("what", "ours", "baseline", "compare", "target", "met",
		    "anchor, note")
		row("bootstrap: inside rump_init()", us(v["boot_init_ns"]),
		    "-", "-", "< 1 ms", yn(v["boot_init_ns"] < 1000000),
		    "NetBSD 10.9 ms")
		row("  10th / 90th percentile", us(v["boot_init_p10"]),
		    us(v["boot_init_p90"]), "", "", "", "")
		row("  rump_boot_nsec()", us(v["boot_kern_ns"]), "", "",
		    "", "", "")
		x = ratio(v["proc_boot_ns"], v["proc_empty_ns"])
		row("bootstrap: whole process", ms(v["proc_boot_ns"]),
		    ms(v["proc_empty_ns"]), sprintf("%.2fx", x), "-", "-",
		    sprintf("+%.1f us", (v["proc_boot_ns"] - \
		    v["proc_empty_ns"]) / 1000))
		d = v["rss_mem_kb"] - v["rss_empty_kb"]
		row("memory: idle kernel, VmRSS", kb(v["rss_mem_kb"]),
		    kb(v["rss_empty_kb"]), sprintf("%+d kB", d), "< 512 kB",
		    yn(d < 512), "NetBSD 1.33 MB")
		row("  of which RssAnon (private)", kb(v["anon_mem_kb"]),
		    kb(v["anon_empty_kb"]), sprintf("%+d kB",
		    v["anon_mem_kb"] - v["anon_empty_kb"]), "", "", "")
		row("  of which RssFile (shared)", kb(v["file_mem_kb"]),
		    kb(v["file_empty_kb"]), sprintf("%+d kB",
		    v["file_mem_kb"] - v["file_empty_kb"]), "", "", "")
		row("bootstrap with vfs+tmpfs", us(v["boot_init_ns_tmpfs"]),
		    "-", "-", "< 1 ms", yn(v["boot_init_ns_tmpfs"] < 1000000),
		    "NetBSD 10.9 ms")
		d = v["rss_mem_kb_tmpfs"] - v["rss_empty_kb_tmpfs"]
		row("memory: idle kernel+tmpfs", kb(v["rss_mem_kb_tmpfs"]),
		    kb(v["rss_empty_kb_tmpfs"]), sprintf("%+d kB", d),
		    "< 512 kB", yn(d < 512), "NetBSD 1.33 MB")
		row("  of which RssAnon (private)",
		    kb(v["anon_mem_kb_tmpfs"]), kb(v["anon_empty_kb_tmpfs"]),
		    sprintf("%+d kB", v["anon_mem_kb_tmpfs"] - \
		    v["anon_empty_kb_tmpfs"]), "", "", "")
		x = ratio(v["fsops_rump_ns"], v["fsops_host_ns"])
		row("create+stat+unlink, tmpfs", nsc(v["fsops_rump_ns"]),
		    nsc(v["fsops_host_ns"]), sprintf("%.3fx", x), "-", "-",
		    "vs host /dev/shm")
		if ("tools_ls_fsu_ns" in v) {
			x = ratio(v["tools_ls_fsu_ns"], v["tools_ls_host_ns"])
			row("fsu_ls -l image vs ls -l", ms(v["tools_ls_fsu_ns"]),
			    ms(v["tools_ls_host_ns"]), sprintf("%.2fx", x),
			    "<= 1.5x", yn(x <= 1.5), "whole processes")
			x = ratio(v["tools_cat_fsu_mbs"], v["tools_cat_host_mbs"])
			row("fsu_cat big file vs cat image",
			    sprintf("%.0f MB/s", v["tools_cat_fsu_mbs"]),
			    sprintf("%.0f MB/s", v["tools_cat_host_mbs"]),
			    sprintf("%.2fx", x), ">= 0.9x", yn(x >= 0.9),
			    "throughput")
			x = ratio(v["tools_lsR_fsu_ns"], v["tools_lsR_host_ns"])
			row("fsu_ls -R tree vs ls -R", ms(v["tools_lsR_fsu_ns"]),
			    ms(v["tools_lsR_host_ns"]), sprintf("%.2fx", x),
			    "-", "-", "2,000 files")
			x = ratio(v["tools_get_fsu_ns"], v["tools_get_host_ns"])
			row("fsu_get -r tree vs cp -r", ms(v["tools_get_fsu_ns"]),
			    ms(v["tools_get_host_ns"]), sprintf("%.2fx", x),
			    "-", "-", "64 MiB in 2,000 files")
			x = ratio(v["tools_put_fsu_ns"], v["tools_put_host_ns"])
			row("newfs+fsu_put -r vs makefs",
			    ms(v["tools_put_fsu_ns"]),
			    ms(v["tools_put_host_ns"]), sprintf("%.2fx", x),
			    "-", "-", "same tree, 120 MiB image")
		}
		if ("remote_null_ns" in v) {
			x = ratio(v["remote_null_ns"], v["remote_pingpong_ns"])
			row("remote null call vs socket RTT",
			    us(v["remote_null_ns"]), us(v["remote_pingpong_ns"]),
			    sprintf("%.2fx", x), "< 1.5x", yn(x < 1.5),
			    "NetBSD ~30 us")
			x = ratio(v["remote_write4k_ns"], v["remote_pingpong_ns"])
			row("remote 4 KiB pwrite vs socket RTT",
			    us(v["remote_write4k_ns"]),
			    us(v["remote_pingpong_ns"]), sprintf("%.2fx", x),
			    "1 RTT", "-", "one round trip")
			x = ratio(v["remote_read4k_ns"], v["remote_pingpong_ns"])
			row("remote 4 KiB pread vs socket RTT",
			    us(v["remote_read4k_ns"]),
			    us(v["remote_pingpong_ns"]), sprintf("%.2fx", x),
			    "1 RTT", "-", "one round trip")
			x = ratio(v["remote_many_calls_per_s"],
			    v["remote_one_calls_per_s"])
			row("remote calls/s, 4 clients vs 1",
			    sprintf("%.0f/s", v["remote_many_calls_per_s"]),
			    sprintf("%.0f/s", v["remote_one_calls_per_s"]),
			    sprintf("%.2fx", x), "-", "-", "2 CPUs")
			x = ratio(v["remote_threads_calls_per_s"],
			    v["remote_one_calls_per_s"])
			row("remote calls/s, 4 threads vs 1",
			    sprintf("%.0f/s", v["remote_threads_calls_per_s"]),
			    sprintf("%.0f/s", v["remote_one_calls_per_s"]),
			    sprintf("%.2fx", x), "-", "-", "of one client")
			if ("getpid1_rump" in v) {
				x = ratio(v["remote_null_ns"], v["getpid1_rump"])
				row("remote null call vs local",
				    us(v["remote_null_ns"]),
				    nsc(v["getpid1_rump"]), sprintf("%.0fx", x),
				    "-", "-", "getpid, library mode")
			}
		}
		if ("hijack_ls_ns" in v) {
			x = ratio(v["hijack_ls_ns"], v["hijack_ls_host_ns"])
			row("hijacked ls -l vs host ls -l", ms(v["hijack_ls_ns"]),
			    ms(v["hijack_ls_host_ns"]), sprintf("%.2fx", x),
			    "-", "-", "100 files, FFS via rump_server")
			x = ratio(v["hijack_cat_mbs"], v["hijack_cat_host_mbs"])
			row("hijacked cat vs host cat",
			    sprintf("%.0f MB/s", v["hijack_cat_mbs"]),
			    sprintf("%.0f MB/s", v["hijack_cat_host_mbs"]),
			    sprintf("%.2fx", x), "-", "-", "64 MiB file")
			x = ratio(v["hijack_cp_ns"], v["hijack_cp_host_ns"])
			row("hijacked cp -r vs host cp -r", ms(v["hijack_cp_ns"]),
			    ms(v["hijack_cp_host_ns"]), sprintf("%.2fx", x),
			    "-", "-", "1,000 files, 32 MiB")
			x = ratio(v["hijack_tar_ns"], v["hijack_tar_host_ns"])
			row("hijacked tar cf vs host tar cf",
			    ms(v["hijack_tar_ns"]), ms(v["hijack_tar_host_ns"]),
			    sprintf("%.2fx", x), "-", "-", "the same tree")
		}
		if ("server_ready_dl_ns" in v) {
			x = ratio(v["server_ready_dl_ns"],
			    v["server_ready_all_ns"])
			row("server ready: -l ffs vs allserver",
			    ms(v["server_ready_dl_ns"]),
			    ms(v["server_ready_all_ns"]), sprintf("%.2fx", x),
			    "-", "-", "daemon parent exit")
			x = ratio(v["server_ready_bare_ns"],
			    v["server_ready_all_ns"])
			row("server ready: bare vs allserver",
			    ms(v["server_ready_bare_ns"]),
			    ms(v["server_ready_all_ns"]), sprintf("%.2fx", x),
			    "-", "-", "no -l")
		}
		syscall("syscall: getpid, 1 thread", v["getpid1_rump"],
		    v["getpid1_host"])
		syscall("syscall: getpid, 2 threads", v["getpid2_rump"],
		    v["getpid2_host"])
		print ""
		printf("medians: bootstrap over %d fresh processes each" \
		    " (b_boot, b_empty interleaved); memory over %d each;\n",
		    v["boot_runs"], v["mem_runs"])
		printf("system calls over %d rounds of %d calls per thread." \
		    "  Baselines: b_empty, an empty C program\n",
		    v["syscall_rounds"], v["syscall_n"])
		printf("linked the same way; the host getpid by" \
		    " syscall(SYS_getpid).  Targets: DESIGN.md.\n")
	}
' "$out"
