#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mlockbench run, small scale: every workload, backing, lock method and pin
# policy writes a complete, consistent result folder; afterwards no process
# of ours is left and Mlocked is back where it was.
. "$(dirname "$0")/lib.sh"

rows() { echo $(($(wc -l <"$1") - 1)); }

for wl in exit munmap munlock; do
	run_ok "$wl" --workload "$wl" --procs 2,4 --size 4M --reps 3 --warmup 1 --collect "$COLLECT"
	check_folder "$tmp/$wl" complete workload="$wl" size=4194304 backing=shmem lock=mlock
	[ "$(rows "$tmp/$wl/samples.csv")" -eq 8 ] || fail "$wl: samples.csv rows"
	[ "$(rows "$tmp/$wl/latencies.csv")" -eq 24 ] || fail "$wl: latencies.csv rows"
	python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
assert [(c["id"], c["procs"]) for c in m["configs"]] == [(0, 2), (1, 4)], m["configs"]
assert m["jobs"][0]["options"]["procs"] == "2,4", m["jobs"]
assert m["cmdline"][1:3] == ["run", "--quiet"], m["cmdline"]' "$tmp/$wl/manifest.json" ||
		fail "$wl: manifest configs/jobs/cmdline"
done

small=(--procs 2 --size 4M --reps 2 --warmup 0 --collect "$COLLECT")

run_ok plain "${small[@]}" --plain 2
check_folder "$tmp/plain" complete plain=2 procs=2

run_ok anon "${small[@]}" --backing anon-cow
check_folder "$tmp/anon" complete backing=anon-cow

# THP backings run even where THP is off (madvise is a hint)
for b in thp-shmem thp-anon; do
	run_ok "$b" "${small[@]}" --backing "$b"
	check_folder "$tmp/$b" complete backing="$b"
done

mkdir "$tmp/files"
run_ok file "${small[@]}" --backing "file:$tmp/files" --workload munmap
check_folder "$tmp/file" complete backing=file backing_dir="$tmp/files"
[ -z "$(ls -A "$tmp/files")" ] || fail "file backing left files: $(ls -A "$tmp/files")"

for lock in onfault map-locked mlockall; do
	run_ok "lock-$lock" "${small[@]}" --lock "$lock" --workload munlock
	check_folder "$tmp/lock-$lock" complete lock="$lock" workload=munlock
done

for pin in compact scatter; do
	run_ok "pin-$pin" "${small[@]}" --pin "$pin" --procs 2,3
	check_folder "$tmp/pin-$pin" complete pin="$pin"
done

cat >"$tmp/two.ini" <<EOF
[global]
size = 4M
reps = 2
warmup = 0
collect = $COLLECT

[quick-exit]
procs = 2

[munmap-cow]
workload = munmap
procs = 1,3
backing = anon-cow
EOF
run_ok jobfile --job "$tmp/two.ini"
check_folder "$tmp/jobfile" complete size=4194304
python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
got = [(c["id"], c["job"], c["workload"], c["procs"], c["backing"]) for c in m["configs"]]
assert got == [(0, "quick-exit", "exit", 2, "shmem"), (1, "munmap-cow", "munmap", 1, "anon-cow"),
               (2, "munmap-cow", "munmap", 3, "anon-cow")], got
jobs = {j["name"]: j["options"] for j in m["jobs"]}
assert jobs["quick-exit"]["size"] == "4M" and jobs["munmap-cow"]["size"] == "4M", jobs
assert jobs["munmap-cow"]["procs"] == "1,3" and jobs["quick-exit"]["reps"] == "2", jobs' \
	"$tmp/jobfile/manifest.json" || fail "job file: manifest configs/jobs"

# options on the command line override every job of the file
run_ok override --job "$tmp/two.ini" --reps 1 --procs 2
check_folder "$tmp/override" complete reps=1 procs=2 size=4194304
[ "$(rows "$tmp/override/samples.csv")" -eq 2 ] || fail "override: samples.csv rows"

# NUMA node 0 always exists; flags take =VALUE as in job files.
run_ok membind "${small[@]}" --membind 0 --force=no
check_folder "$tmp/membind" complete
python3 -c 'import json, sys
o = json.load(open(sys.argv[1]))["jobs"][0]["options"]
assert (o["membind"], o["force"], o["interleave"]) == ("0", "no", "0"), o' \
	"$tmp/membind/manifest.json" || fail "membind/force echoed wrong"

# A seed shuffles the execution order only: ids and rows stay complete.
run_ok seed "${small[@]}" --procs 1,2,3 --seed 7
check_folder "$tmp/seed" complete

no_leftover_procs
mlocked_back
echo PASS
