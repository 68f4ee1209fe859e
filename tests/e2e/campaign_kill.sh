#!/usr/bin/env bash
# SIGTERM in the middle of a campaign: the kernel that finished keeps its
# complete result, the one running is abandoned, no qemu survives, exit 130.
set -uo pipefail
MLB=${MLB:?} MLB_SRC=${MLB_SRC:?}
command -v qemu-system-x86_64 >/dev/null || { echo "no qemu-system-x86_64"; exit 4; }
[ -x /bin/busybox ] || { echo "no /bin/busybox (busybox-static)"; exit 4; }
T=$(mktemp -d /tmp/mlb-e2e-kill.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

timeout 300 "$MLB" kernel fetch debian-6.1 >/dev/null 2>&1 || { echo "debian-6.1 unavailable: skip"; exit 4; }
mkdir -p "$T/kernels"
cp "$MLB_SRC/kernels/debian-6.1.ini" "$T/kernels/"
sed 's/debian-6\.1$/debian-6.1b/; s/^id = .*/id = debian-6.1b/' "$MLB_SRC/kernels/debian-6.1.ini" >"$T/kernels/debian-6.1b.ini"
export MLOCKBENCH_KERNELS=$T/kernels MLOCKBENCH_ACCEL=tcg

cat >"$T/c.ini" <<'INI'
[campaign]
name = e2e-kill
kernels = debian-6.1 debian-6.1b
smp = 2
memory = 512M
timeout = 150

[global]
collect = none

[tiny]
workload = exit
procs = 2
size = 1M
reps = 2
warmup = 0
INI

"$MLB" campaign --out "$T/data" "$T/c.ini" 2>"$T/err" &
pid=$!
# wait until the second kernel boots
for i in $(seq 1 150); do
	grep -q "debian-6.1b: booting" "$T/err" 2>/dev/null && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.2
done
grep -q "debian-6.1b: booting" "$T/err" || { cat "$T/err"; fail "second kernel never booted"; }
sleep 1
pgrep -f "$T/data/e2e-kill/debian-6.1b.partial" >/dev/null || fail "no qemu running for the second kernel"
kill -TERM $pid
wait $pid
rc=$?
cat "$T/err"
[ $rc = 130 ] || fail "interrupted campaign exited $rc, want 130"
sleep 0.5
if pgrep -f "$T/data/e2e-kill" >/dev/null; then
	pgrep -af "$T/data/e2e-kill"
	fail "qemu survived the campaign"
fi
python3 - "$T/data/e2e-kill" <<'PY' || exit 1
import json, sys, os
d = sys.argv[1]
m = json.load(open(d + "/debian-6.1/manifest.json"))
assert m["status"] == "complete", m["status"]
assert not os.path.exists(d + "/debian-6.1b/manifest.json"), "interrupted kernel looks finished"
PY
# resuming runs only the unfinished kernel
timeout -k 5 200 "$MLB" campaign --out "$T/data" "$T/c.ini" 2>"$T/err2" || { cat "$T/err2"; fail "resume failed"; }
grep -q "debian-6.1: skipped" "$T/err2" || { cat "$T/err2"; fail "finished kernel rerun"; }
grep -q "debian-6.1b: complete" "$T/err2" || { cat "$T/err2"; fail "unfinished kernel not completed"; }
echo PASS
