#!/usr/bin/env bash
# Boot Debian 6.1 under QEMU (KVM probe, else TCG) with 2 guest NUMA nodes, run a
# tiny exit job inside, get the result folder back over the serial framing, then
# resume (skip).
# Skips (4) only when the kernel can neither be fetched nor found in the cache.
. "$(dirname "$0")/campaign_lib.sh"

need_debian61

write_campaign "name = e2e-tcg" \
	"kernels = debian-6.1" \
	"compare = none" \
	"smp = 2" \
	"memory = 512M" \
	"numa = 2" \
	"timeout = 150"

run_campaign 200
[ $rc = 0 ] || fail "campaign exited $rc"
D=$T/data/e2e-tcg/debian-6.1/boot-1
for f in manifest.json samples.csv console.log campaign.json guest-info.json; do
	[ -s "$D/$f" ] || fail "missing $D/$f"
done
python3 - "$D" <<'PY' || exit 1
import json, sys, csv
d = sys.argv[1]
m = json.load(open(d + "/manifest.json"))
assert m["status"] == "complete", m["status"]
assert m["kernel_id"] == "debian-6.1", m.get("kernel_id")
assert m["expected_design"] == "mlock_count", m.get("expected_design")
assert "design_mismatch" not in m
assert m["system"]["kernel"]["release"].startswith("6.1."), m["system"]["kernel"]["release"]
assert m["system"]["design"]["name"] == "mlock_count", m["system"]["design"]
assert m["system"]["topology"]["numa_nodes"] == 2, m["system"]["topology"]
rows = [r for r in csv.DictReader(open(d + "/samples.csv"))]
assert len(rows) == 2, len(rows)
assert all(r["procs"] == "2" and int(r["teardown_ns"]) > 0 for r in rows), rows
c = json.load(open(d + "/campaign.json"))
assert c["transfer"]["frames_bad"] == 0 and c["transfer"]["end_marker"], c["transfer"]
assert c["accel"].startswith(("tcg", "kvm")), c["accel"]
print("guest reached /init after", c.get("guest_init_s"), "s; wall", c["wall_s"], "s; accel", c["accel"])
PY
grep -q "MLB-GUEST-BOOTED" "$D/console.log" || fail "no boot marker in console.log"
[ ! -e "$T/data/e2e-tcg/debian-6.1/boot-1.partial" ] || fail "staging folder left behind"

# resume: a complete kernel is not booted again
start=$(date +%s)
timeout 60 "$MLB" campaign --out "$T/data" "$T/c.ini" 2>"$T/err2" || { cat "$T/err2"; fail "resume failed"; }
grep -q "skipped" "$T/err2" || { cat "$T/err2"; fail "complete kernel not skipped"; }
(( $(date +%s) - start < 10 )) || fail "resume took too long (booted again?)"
echo PASS
