#!/usr/bin/env bash
# A 'local' kernel descriptor (an image a user built, its modules folder and
# extra boot parameters) boots like a Debian one; the campaign summary lists it.
# The "user's build" is the cached Debian 6.1 image.
. "$(dirname "$0")/campaign_lib.sh"

need_debian61
img=$(sed -n 's/.* -> \(.*vmlinuz[^ ]*\).*/\1/p' "$T/fetch.log")
[ -s "$img" ] || fail "no image in: $(cat "$T/fetch.log")"
tcg_kernels_dir
mkdir -p "$T/build/mods/6.1.0-mine/kernel"
cp "$img" "$T/build/bzImage"
echo "not really a module" >"$T/build/mods/6.1.0-mine/kernel/fake.ko"
cat >"$T/kernels/mine.ini" <<'INI'
[kernel]
id = mine
source = local
image = ../build/bzImage
modules = ../build/mods/6.1.0-mine
expected_design = mlock_count
append = mlb_e2e_marker=1
INI
"$MLB" kernel show mine | grep -q "kernel image:    $T/kernels/../build/bzImage" || {
	"$MLB" kernel show mine; fail "kernel show mine"; }

write_campaign "name = e2e-local" \
	"kernels = mine" \
	"smp = 1" \
	"memory = 384M" \
	"timeout = 150"
run_campaign 200
[ $rc = 0 ] || fail "campaign exited $rc"
D=$T/data/e2e-local
grep -q "^/lib/modules/6.1.0-mine/kernel/fake.ko$" "$D/mine/boot-1/guest-modules.txt" || fail "modules not in the guest"
grep -q "Command line:.*mlb_e2e_marker=1" "$D/mine/boot-1/console.log" || fail "append not on the command line"
python3 - "$D" <<'PY' || exit 1
import json, sys
d = sys.argv[1]
m = json.load(open(d + "/mine/boot-1/manifest.json"))
assert m["status"] == "complete" and m["kernel_id"] == "mine", m["status"]
s = json.load(open(d + "/campaign.json"))
assert s["campaign"] == "e2e-local" and [k["id"] for k in s["kernels"]] == ["mine"], s
assert s["kernels"][0]["outcome"] == "complete" and s["kernels"][0]["design"] == "mlock_count", s
assert [(b["kernel"], b["boot"], b["dir"], b["outcome"]) for b in s["boots"]] == \
    [("mine", 1, "mine/boot-1", "complete")], s["boots"]
PY
echo PASS
