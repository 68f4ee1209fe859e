#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The locks collector with kprobes, in a guest: boot Debian 5.10 (no
# lock:contention tracepoints, CONFIG_KPROBES) under QEMU and run a small
# exit job with `locks:kprobe`.  The kprobes and kretprobes are made through
# libtracefs inside the guest (so the initramfs must carry libtracefs and
# libtraceevent, which ldd lists), event formats parsed by libtraceevent.
# Checks: method kprobe, the slow paths probed, a row per lock class, waits
# paired, and the lock classes seen are printed.
# Skips (4) only when debian-5.10 can neither be fetched nor found in the cache.
. "$(dirname "$0")/campaign_lib.sh"

if ! timeout 300 "$MLB" kernel fetch debian-5.10 >"$T/fetch.log" 2>"$T/fetch.err"; then
	cat "$T/fetch.log" "$T/fetch.err"
	echo "debian-5.10 cannot be fetched and is not cached: skip"
	exit 4
fi
ldd "$MLB" | grep libtracefs >/dev/null || fail "the binary does not link libtracefs"

cat >"$T/c.ini" <<'INI'
[campaign]
name = e2e-locks
kernels = debian-5.10
compare = none
smp = 2
memory = 768M
timeout = 400
runs = 1

[global]
collect = locks:kprobe

[small]
workload = exit
procs = 8
size = 4M
reps = 2
warmup = 0
INI

run_campaign 460
[ $rc = 0 ] || fail "campaign exited $rc"
D=$T/data/e2e-locks/debian-5.10/boot-1
python3 - "$D" <<'PY' || exit 1
import csv, json, sys
d = sys.argv[1]
m = json.load(open(d + "/manifest.json"))
assert m["status"] == "complete", m["status"]
assert m["system"]["kernel"]["release"].startswith("5.10."), m["system"]["kernel"]["release"]
locks = [c for c in m["collectors"] if c["name"] == "locks"][0]
assert locks["method"] == "kprobe", locks
assert "rwsem_down_write_slowpath" in locks.get("events", ""), locks
assert "tracefs_journal" not in locks, locks
rows = [r for r in csv.DictReader(open(d + "/metrics.csv")) if r["collector"] == "locks"]
def vals(metric):
	return [float(r["value"]) for r in rows if r["metric"] == metric and r["value"] != ""]
for cls in ("i_mmap_rwsem", "anon_vma", "lru_lock", "mmap_lock", "other"):
	assert len(vals(cls + ".wait_ns")) == 2, (cls, vals(cls + ".wait_ns"))
assert sum(vals("events")) > 0, vals("events")
seen = sorted({r["metric"].rsplit(".", 1)[0] for r in rows
	       if r["metric"].endswith(".count") and r["value"] and float(r["value"]) > 0
	       and not r["metric"].startswith(("nested", "profile"))})
assert seen, "no lock wait paired in the guest"
print("locks (kprobe) in 5.10: events", sum(vals("events")), "unpaired", sum(vals("unpaired")))
for cls in seen:
	print("  %-13s count %6.0f wait %10.0f ns" % (cls, sum(vals(cls + ".count")),
						sum(vals(cls + ".wait_ns"))))
PY
no_qemu_left "$T"
echo PASS
