#!/usr/bin/env bash
# A hung guest is killed at the campaign timeout and a crashed one (kernel
# panic) is reported; the campaign goes on and the healthy kernel completes.
set -uo pipefail
MLB=${MLB:?} MLB_SRC=${MLB_SRC:?}
command -v qemu-system-x86_64 >/dev/null || { echo "no qemu-system-x86_64"; exit 4; }
[ -x /bin/busybox ] || { echo "no /bin/busybox (busybox-static)"; exit 4; }
T=$(mktemp -d /tmp/mlb-e2e-hang.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

timeout 300 "$MLB" kernel fetch debian-6.1 >/dev/null 2>&1 || { echo "debian-6.1 unavailable: skip"; exit 4; }
mkdir -p "$T/kernels"
cp "$MLB_SRC/kernels/debian-6.1.ini" "$T/kernels/"
# an interactive shell as init waits on the console forever: a hang
sed 's/^id = .*/id = hang/; $a append = rdinit=/bin/sh' "$MLB_SRC/kernels/debian-6.1.ini" >"$T/kernels/hang.ini"
# no init at all: the kernel panics
sed 's/^id = .*/id = crash/; $a append = rdinit=/nonexistent' "$MLB_SRC/kernels/debian-6.1.ini" >"$T/kernels/crash.ini"
export MLOCKBENCH_KERNELS=$T/kernels MLOCKBENCH_ACCEL=tcg

cat >"$T/c.ini" <<'INI'
[campaign]
name = e2e-hang
kernels = hang crash debian-6.1
smp = 2
memory = 512M
timeout = 12

[global]
collect = none

[tiny]
workload = exit
procs = 2
size = 1M
reps = 2
warmup = 0
INI

start=$(date +%s)
timeout -k 5 120 "$MLB" campaign --out "$T/data" "$T/c.ini" 2>"$T/err"
rc=$?
cat "$T/err"
echo "campaign took $(( $(date +%s) - start )) s"
[ $rc = 1 ] || fail "exit $rc, want 1 (some kernels failed)"
grep -q "hang: timed out: guest still running after 12 s" "$T/err" || fail "hang not reported"
grep -q "crash: failed: guest stopped without shipping its results" "$T/err" || fail "crash not reported"
grep -q "debian-6.1: complete" "$T/err" || fail "healthy kernel did not complete"
D=$T/data/e2e-hang
grep -q "Kernel panic" "$D/crash/console.log" || fail "no panic in the crash console.log"
python3 - "$D" <<'PY' || exit 1
import json, sys
d = sys.argv[1]
for k, oc in (("hang", "timed out"), ("crash", "failed")):
    m = json.load(open(f"{d}/{k}/manifest.json"))
    assert m["status"] == "failed", (k, m["status"])
    assert m["kernel_id"] == k and m["campaign_error"], m
    c = json.load(open(f"{d}/{k}/campaign.json"))
    assert c["outcome"] == oc, (k, c["outcome"])
assert json.load(open(f"{d}/debian-6.1/manifest.json"))["status"] == "complete"
PY
pgrep -f "$T/data" >/dev/null && fail "qemu left running"
echo PASS
