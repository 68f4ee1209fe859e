# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the run e2e tests; source it, don't run it.
#
# Gives: $MLB (absolute), $tmp (removed on exit, with any run still going),
# fail, skip (exit 4), $COLLECT (vmstat when that collector works here, else
# none), run_ok, run_bg, our_procs, no_leftover_procs, mlocked_kib,
# mlocked_back, no_temp_files, check_folder.
set -u
: "${MLB:?MLB must point at the mlockbench binary}"
MLB=$(readlink -f "$MLB")
[ -x "$MLB" ] || { echo "FAIL: $MLB is not executable"; exit 1; }
tmp=$(mktemp -d /tmp/mlb-e2e.XXXXXX)
bg_pids=()

lib_cleanup() {
	local p

	for p in "${bg_pids[@]}"; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap lib_cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 4; }

# Every process of a run (the parent and its forked children) carries the
# run's command line, and our runs all write under $tmp.
our_procs() { pgrep -f -- "$MLB run .*$tmp" || true; }

# Up to $1 seconds (default 3) for every process of ours to be gone.
no_leftover_procs() {
	local i left

	for ((i = 0; i < ${1:-3} * 10; i++)); do
		left=$(our_procs)
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	fail "processes left behind: $(ps -o pid,ppid,pgid,stat,args -p "$(echo $left | tr ' ' ,)")"
}

mlocked_kib() { awk '/^Mlocked:/ { print $2 }' /proc/meminfo; }
MLOCKED_BASE=$(mlocked_kib)

# Up to $1 seconds (default 3) for Mlocked to come back to its value when
# the test started, within 1 MiB (other programs may mlock a little).
mlocked_back() {
	local i now

	for ((i = 0; i < ${1:-3} * 10; i++)); do
		now=$(mlocked_kib)
		[ "$now" -le $((MLOCKED_BASE + 1024)) ] && return 0
		sleep 0.1
	done
	fail "Mlocked is ${now} kB, was ${MLOCKED_BASE} kB before the test"
}

no_temp_files() {
	local left

	left=$(find "$1" -name '*.tmp.*' -o -name '.*.tmp')
	[ -z "$left" ] || fail "temp files left: $left"
}

# run_ok NAME ARGS...: run into $tmp/NAME, which must succeed quietly.
run_ok() {
	local name=$1

	shift
	"$MLB" run --quiet --out "$tmp/$name" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" ||
		fail "run $name ($*) exited $?: $(cat "$tmp/$name.err")"
	[ -s "$tmp/$name.err" ] && fail "run $name printed on stderr: $(cat "$tmp/$name.err")"
	return 0
}

# run_bg NAME ARGS...: start a run into $tmp/NAME in the background; sets $bg.
run_bg() {
	local name=$1

	shift
	"$MLB" run --quiet --out "$tmp/$name" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	bg=$!
	bg_pids+=("$bg")
}

# check_folder DIR STATUS [key=value...]: the folder parses and is
# consistent (docs/RESULTS.md); every config has the given manifest values.
check_folder() {
	python3 - "$@" <<'PY' || fail "result folder $1 is not right (see above)"
import csv, json, os, sys

d, status, want = sys.argv[1], sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
m = json.load(open(os.path.join(d, "manifest.json")))
assert m["schema"] == "mlockbench-result" and m["schema_version"] == 1, m["schema"]
assert m["status"] == status, f'status {m["status"]}, want {status}'
cfgs = {c["id"]: c for c in m["configs"]}
assert cfgs, "no configs"
for c in cfgs.values():
    for k, v in want.items():
        assert str(c.get(k)) == v, f'config {c["id"]}: {k}={c.get(k)}, want {v}'

samples = list(csv.DictReader(open(os.path.join(d, "samples.csv"))))
lats = list(csv.DictReader(open(os.path.join(d, "latencies.csv"))))
metrics = list(csv.DictReader(open(os.path.join(d, "metrics.csv"))))
by_rep = {}
for r in lats:
    by_rep.setdefault((int(r["config"]), int(r["rep"])), {})[int(r["child"])] = int(r["latency_ns"])
nsamples = {}
for s in samples:
    c = cfgs[int(s["config"])]
    for k in ("job", "workload", "backing", "lock", "procs", "plain", "size"):
        assert s[k] == str(c[k]), f"samples {k}={s[k]}, config says {c[k]}"
    rep, procs = int(s["rep"]), int(s["procs"])
    nsamples[c["id"]] = nsamples.get(c["id"], 0) + 1
    assert s["warmup"] == ("1" if rep < c["warmup"] else "0"), s
    v = {k: int(s[k]) for k in ("setup_ns", "teardown_ns", "skew_ns", "lat_min_ns",
                                "lat_median_ns", "lat_max_ns", "utime_us", "stime_us")}
    assert v["setup_ns"] > 0 and v["teardown_ns"] > 0 and v["skew_ns"] >= 0, s
    assert v["lat_max_ns"] >= v["lat_median_ns"] >= v["lat_min_ns"] > 0, s
    assert v["lat_max_ns"] <= v["teardown_ns"], s
    children = by_rep.get((c["id"], rep), {})
    assert sorted(children) == list(range(procs)), f"latencies of {c['id']}/{rep}: {children}"
    l = sorted(children.values())
    assert (l[0], l[-1]) == (v["lat_min_ns"], v["lat_max_ns"]), (l, s)
for cid, c in cfgs.items():
    if status == "complete":
        assert nsamples.get(cid, 0) == c["reps"] + c["warmup"], f"config {cid}: {nsamples.get(cid)} rows"
assert len(lats) == sum(int(s["procs"]) for s in samples), "latencies.csv row count"
for r in metrics:
    assert int(r["config"]) in cfgs, r
print(f"{d}: {status}, {len(cfgs)} configs, {len(samples)} samples, {len(lats)} latencies")
PY
	no_temp_files "$1"
}

# The default collector, when the registry has it; else none.
if "$MLB" run --quiet --collect vmstat --procs 1 --size 4M --reps 1 --warmup 0 \
	--out "$tmp/probe" >/dev/null 2>&1; then
	COLLECT=vmstat
else
	COLLECT=none
fi
rm -rf "$tmp/probe"

# vmstat_ok DIR: both vmstat checks passed (true without the collector)
vmstat_ok() {
	[ "$COLLECT" = vmstat ] || return 0
	python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
got = {(k["name"], k["ok"]) for k in m["checks"] if k["collector"] == "vmstat"}
sys.exit(got != {("design-fingerprint", True), ("mlocked-baseline", True)})' "$1/manifest.json"
}
