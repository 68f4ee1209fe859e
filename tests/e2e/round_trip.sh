#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The result schema end to end: folders written by a real small `run`, read
# back by compare, gate and plot, agree with samples.csv; configurations
# that differ only in pin are two configurations everywhere; the manifest
# carries the environment audit of this machine; the run summary is what
# the folder says.  The plot part is skipped (not the test) without gnuplot.
. "$(dirname "$0")/lib.sh"

small=(--procs 1,2 --size 4M --reps 3 --warmup 0 --collect "$COLLECT")
run_ok plain "${small[@]}"
check_folder "$tmp/plain" complete pin=none

# one folder, two jobs that differ only in pin
cat >"$tmp/pin.ini" <<EOF
[global]
procs = 1,2
size = 4M
reps = 3
warmup = 0
collect = $COLLECT

[nopin]

[compact]
pin = compact
EOF
"$MLB" run --job "$tmp/pin.ini" --out "$tmp/pin" >"$tmp/pin.out" 2>"$tmp/pin.err" ||
	fail "run --job pin.ini exited $?: $(cat "$tmp/pin.err")"
check_folder "$tmp/pin" complete

# --- the manifest: audit and identity ----------------------------------------
python3 - "$tmp/plain" "$tmp/pin" <<'PY' || fail "manifest audit/identity"
import json, sys
for d in sys.argv[1:]:
    m = json.load(open(d + "/manifest.json"))
    a = m["audit"]
    for k in ("cpufreq_governor", "cpufreq_driver", "thp_enabled", "thp_defrag",
              "thp_shmem_enabled", "swap_total_kib", "swap_devices", "numa_balancing",
              "randomize_va_space", "cmdline", "hypervisor_flag", "boot_id", "uptime_s",
              "load1", "load5", "load15"):
        assert k in a, f"{d}: audit has no {k}"
    boot = open("/proc/sys/kernel/random/boot_id").read().strip()
    assert a["boot_id"] == boot, (a["boot_id"], boot)
    up = float(open("/proc/uptime").read().split()[0])
    assert a["uptime_s"] is None or 0 < a["uptime_s"] <= up, (a["uptime_s"], up)
    thp = open("/sys/kernel/mm/transparent_hugepage/enabled").read()
    assert f'[{a["thp_enabled"]}]' in thp, (a["thp_enabled"], thp)
    for c in m["configs"]:
        i = c["identity"]
        assert i["procs"] == str(c["procs"]) and i["size"] == str(c["size"]), c
        assert i["pin"] == c["pin"] and i["membind"] == "none" and i["interleave"] == "0", c
pins = sorted(c["pin"] for c in json.load(open(sys.argv[2] + "/manifest.json"))["configs"])
assert pins == ["compact", "compact", "none", "none"], pins
PY

# --- compare: every series agrees with samples.csv ---------------------------
check_compare() {	# DIR...: compare -f json's cells against each folder's CSV
	"$MLB" compare -f json "$@" >"$tmp/c.json" || fail "compare -f json $*"
	python3 - "$tmp/c.json" "$@" <<'PY' || fail "compare disagrees with samples.csv"
import csv, json, statistics, sys
d = json.load(open(sys.argv[1]))
series = ("teardown_ns", "lat_max_ns", "setup_ns", "lat_median_ns", "skew_ns",
          "utime_us", "stime_us")
checked = 0
for fi, folder in enumerate(sys.argv[2:]):
    m = json.load(open(folder + "/manifest.json"))
    extra = {c["id"]: "" if c["pin"] == "none" else "pin=" + c["pin"] for c in m["configs"]}
    want = {}
    for s in csv.DictReader(open(folder + "/samples.csv")):
        if s["warmup"] == "1" or s["instrumented"] == "1":
            continue
        key = (int(s["procs"]), extra[int(s["config"])])
        for k in series:
            if k == "lat_max_ns" and s["workload"] == "exit":
                continue	# equals teardown for exit: compare shows it once
            want.setdefault((key, k), []).append(float(s[k]))
    got = {}
    for r in d["rows"]:
        if r["metric"] in series:
            cell = r["kernels"][fi]
            if cell and "n" in cell:
                got[((r["procs"], r["identity"]), r["metric"])] = cell
    assert set(got) == set(want), (sorted(got), sorted(want))
    for k, v in want.items():
        c = got[k]
        assert c["n"] == len(v), (k, c["n"], v)
        assert (c["min"], c["max"]) == (min(v), max(v)), (k, c, v)
        assert abs(c["median"] - statistics.median(v)) <= 1e-9 * max(v), (k, c, v)
        checked += 1
print(f"{checked} series agree")
PY
}
check_compare "$tmp/plain"
# runs of one kernel form a series only when their jobs agree
"$MLB" compare "$tmp/plain" "$tmp/pin" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "compare of two runs with different jobs must exit 2, got $rc"
check_compare "$tmp/pin"
python3 - "$tmp/c.json" <<'PY' || fail "pin must make separate configurations"
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["rows"] if r["metric"] == "teardown_ns"]
keys = sorted((r["procs"], r["identity"]) for r in rows)
assert keys == [(1, ""), (1, "pin=compact"), (2, ""), (2, "pin=compact")], keys
PY
"$MLB" compare --detail "$tmp/pin" >"$tmp/c.txt" || fail "compare text"
grep -q 'pin=compact' "$tmp/c.txt" || fail "compare text does not name pin=compact"
grep -q '^    audit     governor ' "$tmp/c.txt" || fail "no audit in the footer"
grep -q '^    start     boot ' "$tmp/c.txt" || fail "no boot id in the footer"

# --- gate: only the unpinned configurations match ---------------------------
"$MLB" gate --baseline "$tmp/plain" --candidate "$tmp/pin" >"$tmp/g.out" 2>&1; rc=$?
[ $rc -le 2 ] || { cat "$tmp/g.out"; fail "gate plain vs pin exited $rc"; }
n=$(grep -Ec '^teardown +exit shmem mlock procs=[12] plain=0 size=4M +1/1 ' "$tmp/g.out")
[ "$n" -eq 2 ] || { cat "$tmp/g.out"; fail "gate matched $n teardown configurations, want 2"; }
# the pinned ones are the candidate's alone, never compared with the unpinned ones
n=$(grep -Ec '^teardown +exit shmem mlock procs=[12] plain=0 size=4M pin=compact +0/1 ' \
	"$tmp/g.out")
[ "$n" -eq 2 ] || { cat "$tmp/g.out"; fail "gate: $n pinned configurations only in the candidate"; }
grep -q '2 only in the candidate' "$tmp/g.out" || fail "gate does not count the pinned ones"
"$MLB" gate --baseline "$tmp/pin" --candidate "$tmp/plain" >"$tmp/g2.out" 2>&1; rc=$?
[ $rc -le 2 ] || { cat "$tmp/g2.out"; fail "gate pin vs plain exited $rc"; }

# --- the run summary is the folder's ----------------------------------------
python3 - "$tmp/pin" "$tmp/pin.out" <<'PY' || fail "run summary disagrees with the folder"
import csv, json, statistics, sys
folder, out = sys.argv[1], open(sys.argv[2]).read().splitlines()
m = json.load(open(folder + "/manifest.json"))
assert out[0].startswith("kernel " + m["system"]["kernel"]["release"] + ", munlock design "
                         + m["system"]["design"]["name"]), out[0]
ms = lambda ns: ("%.0f" if ns >= 1e8 else "%.2f" if ns >= 1e6 else "%.3f") % (ns / 1e6)
pin = {c["id"]: c["pin"] for c in m["configs"]}
td = {}
for s in csv.DictReader(open(folder + "/samples.csv")):
    if s["warmup"] == "0" and s["instrumented"] == "0":
        td.setdefault((s["procs"], pin[int(s["config"])]), []).append(float(s["teardown_ns"]))
rows = [l.split() for l in out[2:] if l.startswith("exit ") and " | " in l]
assert len(rows) == 4, out
for r in rows:
    key = (r[3], "compact" if r[-1] == "pin=compact" else "none")
    v = td[key]
    assert r[7] == ms(statistics.median(v)), (r, v)
    assert r[8] == ms(min(v)) + ".." + ms(max(v)), (r, v)
    assert r[13] == str(len(v)), (r, v)
PY

# --- plot: one set of plots per pin ------------------------------------------
command -v gnuplot >/dev/null || { echo "note: no gnuplot, plot part skipped"; exit 0; }
"$MLB" plot -o "$tmp/plots" "$tmp/pin" >"$tmp/p.out" 2>&1 ||
	fail "plot exited $?: $(cat "$tmp/p.out")"
ls "$tmp/plots"/teardown-*pin_compact*.dat >/dev/null 2>&1 ||
	fail "no teardown plot of the pinned group: $(ls "$tmp/plots")"
ls "$tmp/plots"/teardown-*plain0.dat >/dev/null 2>&1 ||
	fail "no teardown plot of the unpinned group: $(ls "$tmp/plots")"
grep -q '^1 ' "$tmp/plots"/teardown-*pin_compact*.dat || fail "pinned plot data has no procs=1 point"
echo "round trip: ok"
