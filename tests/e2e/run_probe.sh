#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# --probe mmap_lock: munmap and exit runs write the probe's metrics for
# every probed repetition (accesses seen, longest >= p99 >= p50) and print
# the longest stall per kind; other workloads are refused (exit 2, one
# line); the reader process never outlives its repetition, and a SIGINT
# (to the harness, or to its process group as ^C sends it) leaves nothing.
. "$(dirname "$0")/lib.sh"

# check_probe DIR WORKLOAD: the probe's rows, on its repetitions only
check_probe() {
	python3 - "$@" <<'PY' || fail "$2: probe metrics are not right (see above)"
import csv, json, os, sys
d, wl = sys.argv[1], sys.argv[2]
m = json.load(open(os.path.join(d, "manifest.json")))
assert m["status"] == "complete", m["status"]
col = {c["name"]: c for c in m["collectors"]}
assert col["mmap_lock"]["perturbs"], col
assert m["jobs"][0]["options"]["probe"] == "mmap_lock", m["jobs"][0]["options"]
samples = list(csv.DictReader(open(os.path.join(d, "samples.csv"))))
probed = {(s["config"], s["rep"]) for s in samples if s["instrumented_by"] == "mmap_lock"}
clean = {(s["config"], s["rep"]) for s in samples if s["instrumented"] == "0"}
assert len(probed) == 2 and len(clean) == 2, (probed, clean)
rows = [r for r in csv.DictReader(open(os.path.join(d, "metrics.csv")))
        if r["collector"] == "mmap_lock"]
# the engine's cost of a perturbing collector, for the configuration
over = [r for r in rows if r["metric"] == "overhead.teardown_ratio"]
assert [r["rep"] for r in over] == ["-1"] and float(over[0]["value"]) > 0, over
rows = [r for r in rows if r not in over]
assert {(r["config"], r["rep"]) for r in rows} == probed, "rows outside probed reps"
val = {(r["config"], r["rep"], r["metric"]): r["value"] for r in rows}
units = {r["metric"].split(".")[1]: r["unit"] for r in rows}
assert units == {"count": "count", "max_ns": "ns", "p50_ns": "ns", "p99_ns": "ns"}, units
total = {}
for c, rep in probed:
    for kind in ("fault", "cmdline", "maps"):
        n = int(val[(c, rep, kind + ".count")])
        total[kind] = total.get(kind, 0) + n
        mx, p99, p50 = (val[(c, rep, f"{kind}.{s}_ns")] for s in ("max", "p99", "p50"))
        if n == 0:
            assert mx == p99 == p50 == "", (kind, mx, p99, p50)	# n/a
            continue
        assert float(mx) >= float(p99) >= float(p50) > 0, (kind, mx, p99, p50)
# the reader reads through every teardown; the fault thread of an exiting
# locker dies at the exit's start, so only munmap must show faults
need = ("fault", "cmdline", "maps") if wl == "munmap" else ("cmdline", "maps")
for kind in need:
    assert total[kind] > 0, (wl, kind, total)
print(f"{d}: {wl}, accesses in the probed teardowns {total}")
PY
}

for wl in munmap exit; do
	run_ok "$wl" --workload "$wl" --procs 2 --size 64M --reps 2 --warmup 0 --probe mmap_lock
	check_probe "$tmp/$wl" "$wl"
	no_leftover_procs 2
	mlocked_back 3
done

# the summary names the longest stall of each kind
"$MLB" run --out "$tmp/summary" --workload munmap --procs 1 --size 16M --reps 1 --warmup 0 \
	--collect none --probe mmap_lock >"$tmp/summary.out" 2>"$tmp/summary.err" ||
	fail "summary run exited $?: $(cat "$tmp/summary.err")"
grep -q '^  mmap_lock probe (locker 0)' "$tmp/summary.out" || fail "no probe summary: $(cat "$tmp/summary.out")"
for kind in fault cmdline maps; do
	grep -Eq "^    $kind +([0-9.]+|n/a) " "$tmp/summary.out" ||
		fail "summary lacks the longest $kind stall: $(cat "$tmp/summary.out")"
done

# --collect mmap_lock is the same collector, opened once with --probe too
run_ok both --workload munmap --procs 1 --size 4M --reps 1 --warmup 0 --collect mmap_lock \
	--probe mmap_lock
python3 -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["instrumented_by"] for r in rows] == ["", "mmap_lock"], rows' "$tmp/both/samples.csv" ||
	fail "--collect and --probe mmap_lock ran it twice"

# refused with any other workload, and unknown probes: one line, exit 2, no folder
refuse() {
	local want=$1

	shift
	"$MLB" run --out "$tmp/refused" "$@" >"$tmp/refused.out" 2>"$tmp/refused.err"
	rc=$?
	[ $rc -eq 2 ] || fail "$*: exit $rc, want 2"
	[ "$(wc -l <"$tmp/refused.err")" -eq 1 ] || fail "$*: stderr: $(cat "$tmp/refused.err")"
	grep -q "$want" "$tmp/refused.err" || fail "$*: stderr: $(cat "$tmp/refused.err")"
	[ -e "$tmp/refused" ] && fail "$*: a refused run made a folder"
	return 0
}
refuse "mmap_lock measures only --workload munmap or exit, not munlock" \
	--workload munlock --probe mmap_lock
refuse "mmap_lock measures only" --workload munlock --collect vmstat,mmap_lock
refuse "unknown probe 'vmstat' (none, mmap_lock)" --probe vmstat
refuse "unknown probe 'nope'" --probe mmap_lock,nope

# harness_children PID: its children (alive or not yet reaped), one line each
harness_children() { ps -o pid=,stat= --ppid "$1"; }

# A long probed run: one locker, so at any moment the harness has at most
# two children, the locker and this repetition's reader; a reader left
# unreaped (or still running) by an earlier repetition would make three.
cat >"$tmp/long.ini" <<EOF
[global]
workload = munmap
procs = 1
size = 16M
warmup = 0
reps = 100000
collect = none
probe = mmap_lock

[long]
EOF
run_bg leak --job "$tmp/long.ini"
seen=0
for ((i = 0; i < 300; i++)); do
	kill -0 "$bg" 2>/dev/null || fail "leak: the run ended: $(cat "$tmp/leak.err")"
	n=$(harness_children "$bg" | wc -l)
	[ "$n" -le 2 ] || fail "leak: $n children of the harness: $(harness_children "$bg")"
	[ "$n" -eq 2 ] && seen=$((seen + 1))
	sleep 0.01
done
[ $seen -gt 0 ] || fail "leak: never saw the reader beside the locker"
kill -TERM "$bg"
wait "$bg"
no_leftover_procs 2

# with_reader NAME: freeze the run while a reader is alive beside the locker
with_reader() {
	local i

	for ((i = 0; i < 500; i++)); do
		kill -STOP "$1"
		[ "$(harness_children "$1" | awk '$2 !~ /^Z/' | wc -l)" -eq 2 ] && return 0
		kill -CONT "$1"
		sleep 0.01
	done
	fail "never caught the run with its reader alive"
}

# SIGINT to the harness alone, then to its whole process group (^C)
for target in harness group; do
	name=int-$target
	setsid "$MLB" run --quiet --out "$tmp/$name" --job "$tmp/long.ini" \
		>"$tmp/$name.out" 2>"$tmp/$name.err" &
	bg=$!
	bg_pids+=("$bg")
	sleep 0.5
	with_reader "$bg"
	if [ $target = harness ]; then
		kill -INT "$bg"
	else
		kill -INT -- -"$bg"
	fi
	kill -CONT "$bg"
	wait "$bg"
	rc=$?
	[ $rc -eq 130 ] || fail "$name: exit $rc, want 130: $(cat "$tmp/$name.err")"
	no_leftover_procs 2
	mlocked_back 3
done
echo PASS
