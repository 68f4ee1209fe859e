#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The workloads of the kernel history (docs/WORKLOADS.md) at small scale:
# exec, munlockall-reserve and vmas each write a complete folder whose
# timed column is the workload's, the vmstat checks pass, and the exec
# target is the one beside the binary (never $PATH), its failure the
# locker's error.  Nothing is left running or mlocked.
. "$(dirname "$0")/lib.sh"

small=(--procs 2 --size 1M --reps 2 --warmup 0 --collect "$COLLECT")

# run_checked NAME ARGS...: run_ok, again (twice at most) while a vmstat check
# fails: the counters are the machine's, and other jobs here mlock too.  A
# wrong rule fails every time.
run_checked() {
	local name=$1 try

	shift
	for try in 1 2 3; do
		rm -rf "${tmp:?}/$name"
		run_ok "$name" "$@"
		vmstat_ok "$tmp/$name" && return 0
		echo "$name: a vmstat check failed (try $try), other mlocks on the machine?"
	done
}

# check_run DIR WORKLOAD IDENT_KEY IDENT_VALUE CLOCK: rows, the timed column, the checks
check_run() {
	python3 - "$@" <<'PY' || fail "$1: rows, timed column or checks wrong (see above)"
import csv, json, os, sys

d, wl, key, val, clock, collect = sys.argv[1:7]
m = json.load(open(os.path.join(d, "manifest.json")))
(c,) = m["configs"]
assert c["workload"] == wl and c["identity"][key] == val, c
rows = list(csv.DictReader(open(os.path.join(d, "samples.csv"))))
assert len(rows) == 2, len(rows)
for r in rows:
    t, lo, hi = int(r["teardown_ns"]), int(r["lat_min_ns"]), int(r["lat_max_ns"])
    assert 0 < lo <= hi <= t, r
    if clock == "call":	# the locker's own call, inside release..done
        assert hi < t or r["procs"] == "1", r
if collect == "vmstat":
    got = {(k["name"], k["ok"]) for k in m["checks"] if k["collector"] == "vmstat"}
    assert got == {("design-fingerprint", True), ("mlocked-baseline", True)}, m["checks"]
    mets = {(x["metric"]): x["value"] for x in csv.DictReader(open(os.path.join(d, "metrics.csv")))}
    assert "teardown.delta_unevictable_pgs_munlocked" in mets, sorted(mets)
print(f"{d}: {wl} {key}={val}, {len(rows)} rows")
PY
}

run_checked exec "${small[@]}" --workload exec
check_folder "$tmp/exec" complete workload=exec lock=mlock
check_run "$tmp/exec" exec workload exec reap "$COLLECT"

run_checked reserve "${small[@]}" --workload munlockall-reserve --reserve 1G
# mlockall is implied: the config, the echoed options and the rows say so
check_folder "$tmp/reserve" complete workload=munlockall-reserve lock=mlockall
check_run "$tmp/reserve" munlockall-reserve reserve 1073741824 call "$COLLECT"
python3 -c 'import json, sys
o = json.load(open(sys.argv[1]))["jobs"][0]["options"]
assert (o["reserve"], o["lock"]) == ("1G", "mlockall") and "vmas" not in o, o' \
	"$tmp/reserve/manifest.json" || fail "reserve: echoed options"

run_checked vmas "${small[@]}" --workload vmas --vmas 16
check_folder "$tmp/vmas" complete workload=vmas lock=mlock
check_run "$tmp/vmas" vmas vmas 16 reap "$COLLECT"
# a workload's own options are "none" in every other workload's identity
python3 -c 'import json, sys
(c,) = json.load(open(sys.argv[1]))["configs"]
assert c["identity"]["reserve"] == "none", c' "$tmp/vmas/manifest.json" ||
	fail "vmas: reserve in its identity"

# The target is found beside the binary, whatever $PATH holds.
mkdir "$tmp/alone" "$tmp/path"
cp "$MLB" "$tmp/alone/mlockbench"
printf '#!/bin/sh\nexit 0\n' >"$tmp/path/mlb-exec-target"
chmod 755 "$tmp/path/mlb-exec-target"
PATH="$tmp/path:$PATH" "$tmp/alone/mlockbench" run --quiet "${small[@]}" --workload exec \
	--out "$tmp/alone/out" >/dev/null 2>"$tmp/alone.err"
rc=$?
[ $rc -eq 3 ] || fail "exec without a target beside the binary exited $rc, want 3"
[ "$(wc -l <"$tmp/alone.err")" -eq 1 ] || fail "no target: $(cat "$tmp/alone.err")"
grep -qF "$tmp/alone/mlb-exec-target: No such file or directory" "$tmp/alone.err" ||
	fail "no target: $(cat "$tmp/alone.err")"
[ -e "$tmp/alone/out" ] && fail "no target: the result folder was created"

# A target the kernel cannot execute: the locker's failure, with its errno.
head -c 4096 /dev/urandom >"$tmp/alone/mlb-exec-target"
chmod 755 "$tmp/alone/mlb-exec-target"
timeout -s KILL 60 "$tmp/alone/mlockbench" run --quiet "${small[@]}" --workload exec \
	--out "$tmp/alone/out" >/dev/null 2>"$tmp/alone.err"
rc=$?
[ $rc -eq 1 ] || fail "exec of a bad target exited $rc, want 1: $(cat "$tmp/alone.err")"
grep -q '^mlockbench run: .*locker [0-9]*: exec: Exec format error' "$tmp/alone.err" ||
	fail "bad target: $(cat "$tmp/alone.err")"
check_folder "$tmp/alone/out" failed

# A target others may write is refused before anything runs.
chmod 777 "$tmp/alone/mlb-exec-target"
"$tmp/alone/mlockbench" run --quiet "${small[@]}" --workload exec --out "$tmp/alone/w" \
	>/dev/null 2>"$tmp/alone.err"
rc=$?
[ $rc -eq 3 ] || fail "exec of a world-writable target exited $rc, want 3"
grep -q 'writable by others: refusing' "$tmp/alone.err" || fail "writable: $(cat "$tmp/alone.err")"

no_leftover_procs
mlocked_back
echo PASS
