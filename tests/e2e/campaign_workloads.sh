#!/usr/bin/env bash
# The history workloads in a guest: exec (its target staged beside
# /bin/mlockbench), munlockall-reserve and vmas at tiny sizes in one
# debian-5.10 boot (rmap-walk, QEMU TCG): every configuration writes its
# rows and both vmstat checks pass under that design's rules.
. "$(dirname "$0")/campaign_lib.sh"

if ! timeout 300 "$MLB" kernel fetch debian-5.10 >"$T/fetch.log" 2>"$T/fetch.err"; then
	cat "$T/fetch.log" "$T/fetch.err"
	echo "debian-5.10 cannot be fetched and is not cached: skip"
	exit 4
fi
tcg_kernels_dir
cp "$MLB_SRC/kernels/debian-5.10.ini" "$T/kernels/"
cat >"$T/c.ini" <<'INI'
[campaign]
name = e2e-workloads
kernels = debian-5.10
runs = 1
smp = 2
memory = 512M
timeout = 120

[global]
collect = vmstat
procs = 4
size = 1M
reps = 3
warmup = 0

[exec]
workload = exec

[reserve]
workload = munlockall-reserve
reserve = 1G

[vmas]
workload = vmas
vmas = 16
INI
run_campaign 150
[ "$rc" = 0 ] || { find "$T/data" -name guest-run.log -exec tail -5 {} \;; fail "campaign exited $rc"; }
no_qemu_left "$T/"
python3 - "$T/data/e2e-workloads/debian-5.10/boot-1" <<'PY' || fail "guest results wrong (see above)"
import csv, json, sys
d = sys.argv[1]
m = json.load(open(d + "/manifest.json"))
assert m["status"] == "complete", m["status"]
assert m["system"]["design"]["name"] == "rmap-walk", m["system"]["design"]
wl = {c["id"]: c["workload"] for c in m["configs"]}
assert sorted(wl.values()) == ["exec", "munlockall-reserve", "vmas"], wl
rows = list(csv.DictReader(open(d + "/samples.csv")))
for cid in wl:
    mine = [r for r in rows if int(r["config"]) == cid]
    assert len(mine) == 3 and all(int(r["teardown_ns"]) > 0 for r in mine), (wl[cid], mine)
checks = [(wl[k["config"]], k["name"], k["ok"], k["detail"]) for k in m["checks"]
          if k["collector"] == "vmstat"]
assert len(checks) == 6, checks
bad = [c for c in checks if not c[2]]
assert not bad, bad
for c in checks:
    print(*c[:3], c[3][:150])
PY
echo PASS
