#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SIGINT is honoured in every phase that can take more than a moment: while
# the backing file is filled, while thousands of children are forked, and
# between configurations.  Each time the run exits 130 within 2 s, leaves no
# child and no memory mlocked, and its manifest lists only the
# configurations that finished.
. "$(dirname "$0")/lib.sh"

# start NAME JOBFILE: a run under a hard timeout; sets $bg (timeout) and
# $mlb (the harness itself, which gets the signal).
start() {
	local name=$1 i

	timeout -s KILL 120 "$MLB" run --quiet --out "$tmp/$name" --job "$2" \
		>"$tmp/$name.out" 2>"$tmp/$name.err" &
	bg=$!
	bg_pids+=("$bg")
	for ((i = 0; i < 200; i++)); do
		mlb=$(pgrep -P "$bg" -x mlockbench | head -1)
		[ -n "$mlb" ] && return 0
		sleep 0.01
	done
	fail "$name: the run did not start"
}

alive() { kill -0 "$mlb" 2>/dev/null || fail "$1: the run ended early: $(cat "$tmp/$1.err")"; }
nchildren() { pgrep -c -P "$mlb" || true; }
shmem_kib() { awk '/^Shmem:/ { print $2 }' /proc/meminfo; }

# the first configuration ([quick]) is in the folder: the next one has begun
quick_done() {
	grep -q '"job": "quick"' "$tmp/$1/manifest.json" 2>/dev/null
}

# interrupt NAME: SIGINT now; the run must exit 130 within 2 s, kill and
# reap every child, unpin its memory and list only [quick].
interrupt() {
	local name=$1 t0 t1 ms rc

	t0=$(date +%s%N)
	kill -INT "$mlb"
	wait "$bg"
	rc=$?
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	echo "$name: exit $rc ${ms} ms after SIGINT"
	[ $rc -eq 130 ] || fail "$name: exit status $rc, want 130 ($(cat "$tmp/$name.err"))"
	[ $ms -le 2000 ] || fail "$name: took ${ms} ms to exit after SIGINT, want <= 2000"
	no_leftover_procs 2
	mlocked_back 3
	check_folder "$tmp/$name" interrupted
	python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
jobs = sorted({c["job"] for c in m["configs"]})
assert jobs == ["quick"], f"the manifest lists the configurations of {jobs}, only quick ran"' \
		"$tmp/$name/manifest.json" || fail "$name: the manifest lists what never ran"
}

# jobfile NAME PROCS SIZE REPS: [quick] then [NAME], which never finishes
jobfile() {
	cat >"$tmp/$1.ini" <<EOF
[global]
workload = exit
warmup = 0
collect = none

[quick]
procs = 2
size = 4M
reps = 1

[$1]
procs = $2
size = $3
reps = $4
EOF
}

# 1. The fill: one locker over a file of some gigabytes, written by the
#    parent before any child exists.
avail_kib=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
fill_gib=0
for g in 3 2; do
	# the file, plus the estimate's margin, well inside 80% of MemAvailable
	if [ "$avail_kib" -ge $((g * 1024 * 1024 * 2)) ]; then
		fill_gib=$g
		break
	fi
done
if [ $fill_gib = 0 ]; then
	echo "fill: skipped, MemAvailable is $((avail_kib / 1024)) MiB, want 4 GiB or more"
else
	jobfile fill 1 "${fill_gib}G" 1000
	shmem_base=$(shmem_kib)
	start fill "$tmp/fill.ini"
	for ((i = 0; i < 2000; i++)); do
		alive fill
		# a quarter gigabyte written, no child forked yet: mid-fill
		quick_done fill && [ "$(($(shmem_kib) - shmem_base))" -ge $((256 * 1024)) ] &&
			[ "$(nchildren)" = 0 ] && break
		sleep 0.005
	done
	[ $i -lt 2000 ] || fail "fill: never caught the run filling its file"
	interrupt fill
fi

# 2. The fork: 4096 lockers (each fork costs more as the pidfds grow),
#    interrupted once a few hundred exist.
jobfile fork 4096 64K 1000
start fork "$tmp/fork.ini"
for ((i = 0; i < 2000; i++)); do
	alive fork
	quick_done fork && [ "$(nchildren)" -ge 200 ] && break
	sleep 0.005
done
[ $i -lt 2000 ] || fail "fork: never caught the run with a few hundred children"
echo "fork: SIGINT with $(nchildren) of 4096 children"
interrupt fork

# 3. Between configurations: SIGINT as soon as [quick] is in the folder;
#    the next configuration must not be listed, whatever it had begun.
jobfile between 2,4 4M 1000
start between "$tmp/between.ini"
for ((i = 0; i < 4000; i++)); do
	alive between
	quick_done between && break
	sleep 0.002
done
[ $i -lt 4000 ] || fail "between: the first configuration never finished"
interrupt between
echo PASS
