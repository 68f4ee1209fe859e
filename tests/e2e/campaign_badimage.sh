#!/usr/bin/env bash
# A local descriptor whose image is random bytes: qemu refuses it at once, and
# the campaign says what qemu said (from qemu.log), not "see console.log".
. "$(dirname "$0")/campaign_lib.sh"

tcg_kernels_dir
head -c 1048576 /dev/urandom >"$T/garbage.img"
printf '[kernel]\nid = garbage\nsource = local\nimage = ../garbage.img\n' >"$T/kernels/garbage.ini"
write_campaign "name = e2e-badimage" "kernels = garbage" "smp = 1" "memory = 256M" \
	"timeout = 30"
run_campaign 60
[ $rc = 1 ] || fail "garbage image exited $rc, want 1"
D=$T/data/e2e-badimage/garbage/boot-1
[ -s "$D/qemu.log" ] || fail "no qemu.log"
line=$(grep -v '^[[:space:]]*$' "$D/qemu.log" | tail -n 1)
grep -qF "garbage boot 1: failed: qemu exited with status 1: $line (see qemu.log)" "$T/err" ||
	fail "the failure does not quote qemu.log's '$line'"
grep -q "see console.log" "$T/err" && fail "still points at console.log"
python3 - "$D" "$line" <<'PY' || exit 1
import json, sys
c = json.load(open(sys.argv[1] + "/campaign.json"))
assert c["outcome"] == "failed" and sys.argv[2] in c["message"], c["message"]
PY
no_qemu_left "$T/data"
echo PASS
