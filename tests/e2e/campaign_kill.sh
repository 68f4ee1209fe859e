#!/usr/bin/env bash
# SIGTERM in the middle of a campaign: the kernel that finished keeps its
# complete result, the one running is abandoned, no qemu survives, exit 130.
. "$(dirname "$0")/campaign_lib.sh"

need_debian61
tcg_kernels_dir
cp "$MLB_SRC/kernels/debian-6.1.ini" "$T/kernels/"
sed 's/debian-6\.1$/debian-6.1b/; s/^id = .*/id = debian-6.1b/' "$MLB_SRC/kernels/debian-6.1.ini" >"$T/kernels/debian-6.1b.ini"

write_campaign "name = e2e-kill" \
	"kernels = debian-6.1 debian-6.1b" \
	"smp = 2" \
	"memory = 512M" \
	"timeout = 150"

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
no_qemu_left "$T/data/e2e-kill"
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
