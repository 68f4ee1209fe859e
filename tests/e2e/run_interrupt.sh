#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An interrupted run (SIGINT, SIGTERM) exits 130 and leaves a valid folder
# marked "interrupted" with the finished configurations' rows; no child
# survives and Mlocked comes back.  A SIGKILLed run's children die with it
# (PR_SET_PDEATHSIG) and release their memory.
. "$(dirname "$0")/lib.sh"

# The runner flushes after each configuration: a quick first job gives rows
# early, a long second one is still running when the signal comes.
cat >"$tmp/long.ini" <<EOF
[global]
workload = exit
warmup = 0
collect = $COLLECT

[quick]
procs = 2
size = 4M
reps = 2

[long]
procs = 2,4,8
size = 64M
reps = 1000
EOF

# wait_running NAME: until the folder says running with the quick job's
# rows, Mlocked has shown the long job's 64M (the lockers really lock), and
# lockers are alive; fails after 20 s or if the run ended.
wait_running() {
	local dir=$tmp/$1 i seen=0

	for ((i = 0; i < 400; i++)); do
		kill -0 "$bg" 2>/dev/null || fail "$1: the run ended early: $(cat "$tmp/$1.err")"
		[ "$(mlocked_kib)" -ge $((MLOCKED_BASE + 32 * 1024)) ] && seen=1
		if [ $seen = 1 ] && grep -q '"status": "running"' "$dir/manifest.json" 2>/dev/null &&
		   [ "$(wc -l <"$dir/samples.csv")" -ge 3 ] &&
		   [ "$(our_procs | wc -l)" -ge 2 ]; then
			return 0
		fi
		sleep 0.05
	done
	fail "$1: after 20 s: mlocked 64M seen $seen, manifest $(grep status "$dir/manifest.json")"
}

# stop_with_lockers: freeze the run at a moment when it has live children
# (blocked in set-up or on the barrier, since the parent is frozen), so the
# signal that follows must deal with them.
stop_with_lockers() {
	local i live

	for ((i = 0; i < 200; i++)); do
		kill -STOP "$bg"
		live=$(ps -o pid=,stat= --ppid "$bg" | awk '$2 !~ /^Z/ { print $1 }')
		[ -n "$live" ] && return 0
		kill -CONT "$bg"
		sleep 0.02
	done
	fail "never caught the run with live children"
}

for sig in INT TERM; do
	name=sig$sig
	run_bg "$name" --job "$tmp/long.ini"
	wait_running "$name"
	stop_with_lockers
	kill -"$sig" "$bg"
	kill -CONT "$bg"
	wait "$bg"
	rc=$?
	[ $rc -eq 130 ] || fail "SIG$sig: exit status $rc, want 130 ($(cat "$tmp/$name.err"))"
	grep -q "interrupted; finished configurations kept in $tmp/$name" "$tmp/$name.err" ||
		fail "SIG$sig: stderr: $(cat "$tmp/$name.err")"
	check_folder "$tmp/$name" interrupted
	python3 -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
quick = [r for r in rows if r["job"] == "quick"]
assert len(quick) == 2, f"{len(quick)} rows of the finished quick job"' "$tmp/$name/samples.csv" ||
		fail "SIG$sig: the finished configuration's rows are not all there"
	no_leftover_procs 2
	mlocked_back 3
done

# SIGKILL cannot be handled: the children must die on their own.
run_bg sigKILL --job "$tmp/long.ini"
wait_running sigKILL
stop_with_lockers
kill -KILL "$bg"
wait "$bg" 2>/dev/null
no_leftover_procs 3
mlocked_back 3
echo PASS
