#!/usr/bin/env bash
# A hung guest is killed at the campaign timeout and a crashed one (kernel
# panic) is reported; the campaign goes on and the healthy kernel completes.
# The timeout leaves room for a healthy TCG guest (~12 s boot to power-off here).
. "$(dirname "$0")/campaign_lib.sh"

need_debian61
tcg_kernels_dir
cp "$MLB_SRC/kernels/debian-6.1.ini" "$T/kernels/"
# an interactive shell as init waits on the console forever: a hang
sed 's/^id = .*/id = hang/; $a append = rdinit=/bin/sh' "$MLB_SRC/kernels/debian-6.1.ini" >"$T/kernels/hang.ini"
# no init at all: the kernel panics
sed 's/^id = .*/id = crash/; $a append = rdinit=/nonexistent' "$MLB_SRC/kernels/debian-6.1.ini" >"$T/kernels/crash.ini"

write_campaign "name = e2e-hang" \
	"kernels = hang crash debian-6.1" \
	"smp = 2" \
	"memory = 512M" \
	"timeout = 25"

run_campaign 120
[ $rc = 1 ] || fail "exit $rc, want 1 (some kernels failed)"
grep -q "hang boot 1: timed out: guest still running after 25 s" "$T/err" || fail "hang not reported"
grep -q "crash boot 1: failed: guest stopped without shipping its results" "$T/err" || fail "crash not reported"
grep -q "debian-6.1 boot 1: complete" "$T/err" || fail "healthy kernel did not complete"
D=$T/data/e2e-hang
grep -q "Kernel panic" "$D/crash/boot-1/console.log" || fail "no panic in the crash console.log"
python3 - "$D" <<'PY' || exit 1
import json, sys
d = sys.argv[1]
for k, oc in (("hang", "timed out"), ("crash", "failed")):
    m = json.load(open(f"{d}/{k}/boot-1/manifest.json"))
    assert m["status"] == "failed", (k, m["status"])
    assert m["kernel_id"] == k and m["campaign_error"], m
    c = json.load(open(f"{d}/{k}/boot-1/campaign.json"))
    assert c["outcome"] == oc, (k, c["outcome"])
assert json.load(open(f"{d}/debian-6.1/boot-1/manifest.json"))["status"] == "complete"
PY
no_qemu_left "$T/data"
echo PASS
