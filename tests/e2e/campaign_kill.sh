#!/usr/bin/env bash
# SIGTERM in the middle of a campaign of 2 boots: the boot that finished keeps
# its complete result, the one running is abandoned (never "complete"), no qemu
# survives, exit 130, campaign.json says which boot is which; the next run
# boots only the unfinished one.
. "$(dirname "$0")/campaign_lib.sh"

need_debian61
tcg_kernels_dir
cp "$MLB_SRC/kernels/debian-6.1.ini" "$T/kernels/"

write_campaign "name = e2e-kill" \
	"kernels = debian-6.1" \
	"runs = 2" \
	"smp = 2" \
	"memory = 512M" \
	"timeout = 150"

"$MLB" campaign --out "$T/data" "$T/c.ini" 2>"$T/err" &
pid=$!
# wait until the second boot is booting
for i in $(seq 1 750); do
	[ "$(grep -c "debian-6.1: booting" "$T/err" 2>/dev/null)" -ge 2 ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.2
done
[ "$(grep -c "debian-6.1: booting" "$T/err")" -ge 2 ] || { cat "$T/err"; fail "second boot never started"; }
grep -q "debian-6.1 boot 1: complete" "$T/err" || { cat "$T/err"; fail "first boot did not complete"; }
sleep 1
pgrep -f "$T/data/e2e-kill/debian-6.1/boot-2.partial" >/dev/null || fail "no qemu running for the second boot"
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
m = json.load(open(d + "/debian-6.1/boot-1/manifest.json"))
assert m["status"] == "complete", m["status"]
assert not os.path.exists(d + "/debian-6.1/boot-2/manifest.json"), "interrupted boot looks finished"
s = json.load(open(d + "/campaign.json"))
got = [(b["boot"], b["outcome"]) for b in s["boots"]]
assert got == [(1, "complete"), (2, "interrupted")], got
PY
# resuming runs only the unfinished boot
timeout -k 5 200 "$MLB" campaign --out "$T/data" "$T/c.ini" 2>"$T/err2" || { cat "$T/err2"; fail "resume failed"; }
cat "$T/err2"
grep -q "debian-6.1 boot 1: skipped" "$T/err2" || fail "finished boot rerun"
grep -q "debian-6.1 boot 2: complete" "$T/err2" || fail "unfinished boot not completed"
[ "$(grep -c "debian-6.1: booting" "$T/err2")" = 1 ] || fail "resume booted more than once"
echo PASS
